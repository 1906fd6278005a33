lib/CMakeFiles/tlsdoctor_lib.dir/util/err.c.o: \
 /work/wt-probe/lib/util/err.c /usr/include/stdc-predef.h \
 /work/wt-probe/include/tlsdoctor/err.h
