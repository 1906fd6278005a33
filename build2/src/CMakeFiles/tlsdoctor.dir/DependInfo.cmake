
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt-probe/src/tool_decode.c" "src/CMakeFiles/tlsdoctor.dir/tool_decode.c.o" "gcc" "src/CMakeFiles/tlsdoctor.dir/tool_decode.c.o.d"
  "/work/wt-probe/src/tool_diagnose.c" "src/CMakeFiles/tlsdoctor.dir/tool_diagnose.c.o" "gcc" "src/CMakeFiles/tlsdoctor.dir/tool_diagnose.c.o.d"
  "/work/wt-probe/src/tool_explain.c" "src/CMakeFiles/tlsdoctor.dir/tool_explain.c.o" "gcc" "src/CMakeFiles/tlsdoctor.dir/tool_explain.c.o.d"
  "/work/wt-probe/src/tool_io.c" "src/CMakeFiles/tlsdoctor.dir/tool_io.c.o" "gcc" "src/CMakeFiles/tlsdoctor.dir/tool_io.c.o.d"
  "/work/wt-probe/src/tool_log.c" "src/CMakeFiles/tlsdoctor.dir/tool_log.c.o" "gcc" "src/CMakeFiles/tlsdoctor.dir/tool_log.c.o.d"
  "/work/wt-probe/src/tool_main.c" "src/CMakeFiles/tlsdoctor.dir/tool_main.c.o" "gcc" "src/CMakeFiles/tlsdoctor.dir/tool_main.c.o.d"
  "/work/wt-probe/src/tool_net.c" "src/CMakeFiles/tlsdoctor.dir/tool_net.c.o" "gcc" "src/CMakeFiles/tlsdoctor.dir/tool_net.c.o.d"
  "/work/wt-probe/src/tool_pcap.c" "src/CMakeFiles/tlsdoctor.dir/tool_pcap.c.o" "gcc" "src/CMakeFiles/tlsdoctor.dir/tool_pcap.c.o.d"
  "/work/wt-probe/src/tool_probe.c" "src/CMakeFiles/tlsdoctor.dir/tool_probe.c.o" "gcc" "src/CMakeFiles/tlsdoctor.dir/tool_probe.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt-probe/build2/lib/CMakeFiles/tlsdoctor_lib.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
