# Empty dependencies file for test_capture.
# This may be replaced when dependencies are built.
