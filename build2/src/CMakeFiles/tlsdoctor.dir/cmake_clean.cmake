file(REMOVE_RECURSE
  "CMakeFiles/tlsdoctor.dir/tool_decode.c.o"
  "CMakeFiles/tlsdoctor.dir/tool_decode.c.o.d"
  "CMakeFiles/tlsdoctor.dir/tool_diagnose.c.o"
  "CMakeFiles/tlsdoctor.dir/tool_diagnose.c.o.d"
  "CMakeFiles/tlsdoctor.dir/tool_explain.c.o"
  "CMakeFiles/tlsdoctor.dir/tool_explain.c.o.d"
  "CMakeFiles/tlsdoctor.dir/tool_io.c.o"
  "CMakeFiles/tlsdoctor.dir/tool_io.c.o.d"
  "CMakeFiles/tlsdoctor.dir/tool_log.c.o"
  "CMakeFiles/tlsdoctor.dir/tool_log.c.o.d"
  "CMakeFiles/tlsdoctor.dir/tool_main.c.o"
  "CMakeFiles/tlsdoctor.dir/tool_main.c.o.d"
  "CMakeFiles/tlsdoctor.dir/tool_net.c.o"
  "CMakeFiles/tlsdoctor.dir/tool_net.c.o.d"
  "CMakeFiles/tlsdoctor.dir/tool_pcap.c.o"
  "CMakeFiles/tlsdoctor.dir/tool_pcap.c.o.d"
  "CMakeFiles/tlsdoctor.dir/tool_probe.c.o"
  "CMakeFiles/tlsdoctor.dir/tool_probe.c.o.d"
  "tlsdoctor"
  "tlsdoctor.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/tlsdoctor.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
