file(REMOVE_RECURSE
  "CMakeFiles/test_capture.dir/unit/test_capture.c.o"
  "CMakeFiles/test_capture.dir/unit/test_capture.c.o.d"
  "test_capture"
  "test_capture.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_capture.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
