# Empty dependencies file for test_wire_hex.
# This may be replaced when dependencies are built.
