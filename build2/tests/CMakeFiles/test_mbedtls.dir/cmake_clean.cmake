file(REMOVE_RECURSE
  "CMakeFiles/test_mbedtls.dir/unit/test_mbedtls.c.o"
  "CMakeFiles/test_mbedtls.dir/unit/test_mbedtls.c.o.d"
  "test_mbedtls"
  "test_mbedtls.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_mbedtls.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
