#!/usr/bin/env bash
# Generated tables are what their scripts make from their sources today: each script runs on a
# copy of its inputs and its output must equal the committed file. A newcomer who edits a source
# (a registry .def, a lab log) and forgets to re-run the script is told which one.
set -u
TD_SRC=${TD_SRC:?}
source "$TD_SRC/tests/lib/check.sh"
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/lib/reg" "$tmp/include/tlsdoctor" "$tmp/lib/replay" "$tmp/tests/corpus"
cp -r "$TD_SRC/lib/reg/data" "$tmp/lib/reg/"
cp -r "$TD_SRC/tests/corpus/lab" "$tmp/tests/corpus/"
check "scripts/gen-tls-ids runs" python3 "$TD_SRC/scripts/gen-tls-ids" "$tmp"
check "include/tlsdoctor/tls_ids.h is what scripts/gen-tls-ids makes from lib/reg/data" \
    cmp "$tmp/include/tlsdoctor/tls_ids.h" "$TD_SRC/include/tlsdoctor/tls_ids.h"
check "scripts/gen-default-hellos runs" python3 "$TD_SRC/scripts/gen-default-hellos" "$tmp"
check "lib/replay/default_hellos.inc is what scripts/gen-default-hellos makes from the lab logs" \
    cmp "$tmp/lib/replay/default_hellos.inc" "$TD_SRC/lib/replay/default_hellos.inc"
echo "$fails failure(s)"
[ "$fails" -eq 0 ]
