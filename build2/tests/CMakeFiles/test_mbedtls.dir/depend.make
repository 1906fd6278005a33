# Empty dependencies file for test_mbedtls.
# This may be replaced when dependencies are built.
