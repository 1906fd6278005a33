# CMake generated Testfile for 
# Source directory: /work/wt-probe
# Build directory: /work/wt-probe/build2
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
subdirs("lib")
subdirs("src")
subdirs("tests")
subdirs("bench")
