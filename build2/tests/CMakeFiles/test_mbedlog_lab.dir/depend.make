# Empty dependencies file for test_mbedlog_lab.
# This may be replaced when dependencies are built.
