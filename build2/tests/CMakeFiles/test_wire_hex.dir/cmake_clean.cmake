file(REMOVE_RECURSE
  "CMakeFiles/test_wire_hex.dir/unit/test_wire_hex.c.o"
  "CMakeFiles/test_wire_hex.dir/unit/test_wire_hex.c.o.d"
  "test_wire_hex"
  "test_wire_hex.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_wire_hex.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
