
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt-probe/lib/capture/read.c" "lib/CMakeFiles/tlsdoctor_lib.dir/capture/read.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/capture/read.c.o.d"
  "/work/wt-probe/lib/capture/render.c" "lib/CMakeFiles/tlsdoctor_lib.dir/capture/render.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/capture/render.c.o.d"
  "/work/wt-probe/lib/capture/stream.c" "lib/CMakeFiles/tlsdoctor_lib.dir/capture/stream.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/capture/stream.c.o.d"
  "/work/wt-probe/lib/capture/write.c" "lib/CMakeFiles/tlsdoctor_lib.dir/capture/write.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/capture/write.c.o.d"
  "/work/wt-probe/lib/diag/diag.c" "lib/CMakeFiles/tlsdoctor_lib.dir/diag/diag.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/diag/diag.c.o.d"
  "/work/wt-probe/lib/diag/facts.c" "lib/CMakeFiles/tlsdoctor_lib.dir/diag/facts.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/diag/facts.c.o.d"
  "/work/wt-probe/lib/diag/rule_cert.c" "lib/CMakeFiles/tlsdoctor_lib.dir/diag/rule_cert.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/diag/rule_cert.c.o.d"
  "/work/wt-probe/lib/diag/rule_hello.c" "lib/CMakeFiles/tlsdoctor_lib.dir/diag/rule_hello.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/diag/rule_hello.c.o.d"
  "/work/wt-probe/lib/diag/rule_misc.c" "lib/CMakeFiles/tlsdoctor_lib.dir/diag/rule_misc.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/diag/rule_misc.c.o.d"
  "/work/wt-probe/lib/diag/rule_net.c" "lib/CMakeFiles/tlsdoctor_lib.dir/diag/rule_net.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/diag/rule_net.c.o.d"
  "/work/wt-probe/lib/diag/rule_size.c" "lib/CMakeFiles/tlsdoctor_lib.dir/diag/rule_size.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/diag/rule_size.c.o.d"
  "/work/wt-probe/lib/diag/rules.c" "lib/CMakeFiles/tlsdoctor_lib.dir/diag/rules.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/diag/rules.c.o.d"
  "/work/wt-probe/lib/explain/explain.c" "lib/CMakeFiles/tlsdoctor_lib.dir/explain/explain.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/explain/explain.c.o.d"
  "/work/wt-probe/lib/explain/parse.c" "lib/CMakeFiles/tlsdoctor_lib.dir/explain/parse.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/explain/parse.c.o.d"
  "/work/wt-probe/lib/explain/render.c" "lib/CMakeFiles/tlsdoctor_lib.dir/explain/render.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/explain/render.c.o.d"
  "/work/wt-probe/lib/mbedlog/events.c" "lib/CMakeFiles/tlsdoctor_lib.dir/mbedlog/events.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/mbedlog/events.c.o.d"
  "/work/wt-probe/lib/mbedlog/line.c" "lib/CMakeFiles/tlsdoctor_lib.dir/mbedlog/line.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/mbedlog/line.c.o.d"
  "/work/wt-probe/lib/mbedlog/reader.c" "lib/CMakeFiles/tlsdoctor_lib.dir/mbedlog/reader.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/mbedlog/reader.c.o.d"
  "/work/wt-probe/lib/mbedlog/timeline.c" "lib/CMakeFiles/tlsdoctor_lib.dir/mbedlog/timeline.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/mbedlog/timeline.c.o.d"
  "/work/wt-probe/lib/mbedlog/vocab.c" "lib/CMakeFiles/tlsdoctor_lib.dir/mbedlog/vocab.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/mbedlog/vocab.c.o.d"
  "/work/wt-probe/lib/probe/chain.c" "lib/CMakeFiles/tlsdoctor_lib.dir/probe/chain.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/probe/chain.c.o.d"
  "/work/wt-probe/lib/probe/describe.c" "lib/CMakeFiles/tlsdoctor_lib.dir/probe/describe.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/probe/describe.c.o.d"
  "/work/wt-probe/lib/probe/enum.c" "lib/CMakeFiles/tlsdoctor_lib.dir/probe/enum.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/probe/enum.c.o.d"
  "/work/wt-probe/lib/probe/flight.c" "lib/CMakeFiles/tlsdoctor_lib.dir/probe/flight.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/probe/flight.c.o.d"
  "/work/wt-probe/lib/probe/hello_build.c" "lib/CMakeFiles/tlsdoctor_lib.dir/probe/hello_build.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/probe/hello_build.c.o.d"
  "/work/wt-probe/lib/probe/render.c" "lib/CMakeFiles/tlsdoctor_lib.dir/probe/render.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/probe/render.c.o.d"
  "/work/wt-probe/lib/probe/tls13.c" "lib/CMakeFiles/tlsdoctor_lib.dir/probe/tls13.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/probe/tls13.c.o.d"
  "/work/wt-probe/lib/reg/iana.c" "lib/CMakeFiles/tlsdoctor_lib.dir/reg/iana.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/reg/iana.c.o.d"
  "/work/wt-probe/lib/reg/mbedtls.c" "lib/CMakeFiles/tlsdoctor_lib.dir/reg/mbedtls.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/reg/mbedtls.c.o.d"
  "/work/wt-probe/lib/replay/cands.c" "lib/CMakeFiles/tlsdoctor_lib.dir/replay/cands.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/replay/cands.c.o.d"
  "/work/wt-probe/lib/replay/checks.c" "lib/CMakeFiles/tlsdoctor_lib.dir/replay/checks.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/replay/checks.c.o.d"
  "/work/wt-probe/lib/replay/hello.c" "lib/CMakeFiles/tlsdoctor_lib.dir/replay/hello.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/replay/hello.c.o.d"
  "/work/wt-probe/lib/replay/recon.c" "lib/CMakeFiles/tlsdoctor_lib.dir/replay/recon.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/replay/recon.c.o.d"
  "/work/wt-probe/lib/replay/render.c" "lib/CMakeFiles/tlsdoctor_lib.dir/replay/render.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/replay/render.c.o.d"
  "/work/wt-probe/lib/replay/search.c" "lib/CMakeFiles/tlsdoctor_lib.dir/replay/search.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/replay/search.c.o.d"
  "/work/wt-probe/lib/report/json.c" "lib/CMakeFiles/tlsdoctor_lib.dir/report/json.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/report/json.c.o.d"
  "/work/wt-probe/lib/report/text.c" "lib/CMakeFiles/tlsdoctor_lib.dir/report/text.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/report/text.c.o.d"
  "/work/wt-probe/lib/transcript/transcript.c" "lib/CMakeFiles/tlsdoctor_lib.dir/transcript/transcript.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/transcript/transcript.c.o.d"
  "/work/wt-probe/lib/transcript/transcript_json.c" "lib/CMakeFiles/tlsdoctor_lib.dir/transcript/transcript_json.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/transcript/transcript_json.c.o.d"
  "/work/wt-probe/lib/util/buf.c" "lib/CMakeFiles/tlsdoctor_lib.dir/util/buf.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/util/buf.c.o.d"
  "/work/wt-probe/lib/util/err.c" "lib/CMakeFiles/tlsdoctor_lib.dir/util/err.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/util/err.c.o.d"
  "/work/wt-probe/lib/util/hex.c" "lib/CMakeFiles/tlsdoctor_lib.dir/util/hex.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/util/hex.c.o.d"
  "/work/wt-probe/lib/util/rd.c" "lib/CMakeFiles/tlsdoctor_lib.dir/util/rd.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/util/rd.c.o.d"
  "/work/wt-probe/lib/wire/decode.c" "lib/CMakeFiles/tlsdoctor_lib.dir/wire/decode.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/wire/decode.c.o.d"
  "/work/wt-probe/lib/wire/exts.c" "lib/CMakeFiles/tlsdoctor_lib.dir/wire/exts.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/wire/exts.c.o.d"
  "/work/wt-probe/lib/wire/hello.c" "lib/CMakeFiles/tlsdoctor_lib.dir/wire/hello.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/wire/hello.c.o.d"
  "/work/wt-probe/lib/wire/msgs.c" "lib/CMakeFiles/tlsdoctor_lib.dir/wire/msgs.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/wire/msgs.c.o.d"
  "/work/wt-probe/lib/wire/record.c" "lib/CMakeFiles/tlsdoctor_lib.dir/wire/record.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/wire/record.c.o.d"
  "/work/wt-probe/lib/wire/render.c" "lib/CMakeFiles/tlsdoctor_lib.dir/wire/render.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/wire/render.c.o.d"
  "/work/wt-probe/lib/wire/util.c" "lib/CMakeFiles/tlsdoctor_lib.dir/wire/util.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/wire/util.c.o.d"
  "/work/wt-probe/lib/x509/x509.c" "lib/CMakeFiles/tlsdoctor_lib.dir/x509/x509.c.o" "gcc" "lib/CMakeFiles/tlsdoctor_lib.dir/x509/x509.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
