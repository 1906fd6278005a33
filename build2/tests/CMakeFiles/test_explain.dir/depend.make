# Empty dependencies file for test_explain.
# This may be replaced when dependencies are built.
