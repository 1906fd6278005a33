file(REMOVE_RECURSE
  "CMakeFiles/test_explain.dir/unit/test_explain.c.o"
  "CMakeFiles/test_explain.dir/unit/test_explain.c.o.d"
  "test_explain"
  "test_explain.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_explain.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
