file(REMOVE_RECURSE
  "CMakeFiles/test_mbedlog.dir/unit/test_mbedlog.c.o"
  "CMakeFiles/test_mbedlog.dir/unit/test_mbedlog.c.o.d"
  "test_mbedlog"
  "test_mbedlog.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_mbedlog.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
