# Empty dependencies file for test_mbedlog.
# This may be replaced when dependencies are built.
