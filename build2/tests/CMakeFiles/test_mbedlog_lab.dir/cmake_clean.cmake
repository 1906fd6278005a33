file(REMOVE_RECURSE
  "CMakeFiles/test_mbedlog_lab.dir/unit/test_mbedlog_lab.c.o"
  "CMakeFiles/test_mbedlog_lab.dir/unit/test_mbedlog_lab.c.o.d"
  "test_mbedlog_lab"
  "test_mbedlog_lab.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_mbedlog_lab.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
