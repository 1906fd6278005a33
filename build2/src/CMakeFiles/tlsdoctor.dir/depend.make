# Empty dependencies file for tlsdoctor.
# This may be replaced when dependencies are built.
