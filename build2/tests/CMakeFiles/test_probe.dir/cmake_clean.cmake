file(REMOVE_RECURSE
  "CMakeFiles/test_probe.dir/unit/test_probe.c.o"
  "CMakeFiles/test_probe.dir/unit/test_probe.c.o.d"
  "test_probe"
  "test_probe.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_probe.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
