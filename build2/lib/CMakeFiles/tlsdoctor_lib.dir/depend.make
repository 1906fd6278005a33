# Empty dependencies file for tlsdoctor_lib.
# This may be replaced when dependencies are built.
