#!/bin/bash
# `tlsdoctor pcap` on bad and odd input: one clear line on stderr and the documented exit code for
# a non-capture, an empty file, a missing file, usage errors and a bad filter; a truncated file
# shows what could be read; pcapng and standard input read like pcap; --filter picks packets.
set -u
: "${TD_BIN:?}" "${TD_SRC:?}"
source "$TD_SRC/tests/lib/corpus.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cap=$CORPUS_LAB/sni_missing_nginx_m228/capture.pcap
[ -f "$cap" ] || { echo "FAIL lab capture $cap is missing"; exit 1; }
fail=0
expect() { # WANT_RC DESCRIPTION CMD...
    local want=$1 what=$2; shift 2
    "$@" > "$tmp/out" 2> "$tmp/err"
    local rc=$?
    if [ "$rc" != "$want" ]; then
        echo "FAIL $what: exit $rc, want $want; stderr: $(cat "$tmp/err")"; fail=1
    fi
}
one_line() { # DESCRIPTION PATTERN
    if [ "$(wc -l < "$tmp/err")" != 1 ] || ! grep -q "^tlsdoctor pcap: .*$2" "$tmp/err"; then
        echo "FAIL $1: stderr not one 'tlsdoctor pcap: ...$2' line: $(cat "$tmp/err")"; fail=1
    fi
}
echo "not a capture at all" > "$tmp/text"
expect 3 "text file" "$TD_BIN" pcap "$tmp/text"; one_line "text file" "not a pcap or pcapng capture"
: > "$tmp/empty"
expect 3 "empty file" "$TD_BIN" pcap "$tmp/empty"; one_line "empty file" "empty"
expect 4 "missing file" "$TD_BIN" pcap "$tmp/nope.pcap"
expect 2 "no file" "$TD_BIN" pcap; one_line "no file" "which capture file"
expect 2 "unknown option" "$TD_BIN" pcap --frobnicate "$cap"; one_line "unknown option" "unknown option"
expect 2 "bad filter" "$TD_BIN" pcap --filter "port port" "$cap"; one_line "bad filter" "filter does not compile"
expect 0 "--help" "$TD_BIN" pcap --help
grep -q "usage: tlsdoctor pcap" "$tmp/out" || { echo "FAIL --help text"; fail=1; }
# Truncated inside the server's alert packet: the ClientHello is still shown, and a note says why.
head -c 900 "$cap" > "$tmp/cut.pcap"
expect 0 "truncated file" "$TD_BIN" pcap --no-diagnosis "$tmp/cut.pcap"
grep -q "client_hello" "$tmp/out" && grep -q "note: the capture file is cut short" "$tmp/out" ||
    { echo "FAIL truncated file: $(cat "$tmp/out")"; fail=1; }
one_line "truncated file" "cut short"
# pcapng and stdin give the same listing as the pcap file.
"$TD_BIN" pcap --no-diagnosis "$cap" > "$tmp/a"
editcap -F pcapng "$cap" "$tmp/c.pcapng" 2>/dev/null
expect 0 "pcapng" "$TD_BIN" pcap --no-diagnosis "$tmp/c.pcapng"
cmp -s "$tmp/a" "$tmp/out" || { echo "FAIL pcapng listing differs"; fail=1; }
"$TD_BIN" pcap --no-diagnosis - < "$cap" > "$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || { echo "FAIL stdin listing differs"; fail=1; }
# Diagnosis: the missing SNI is found and the exit code says a failure was diagnosed.
expect 1 "diagnosis" "$TD_BIN" pcap --json "$cap"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["report"]["leading"] == "sni-missing", d["report"]["leading"]; assert d["capture"]["connections"][0]["server"] == "127.0.0.1:4406"' "$tmp/out" ||
    { echo "FAIL --json document"; fail=1; }
# The filter: the server port keeps the connection, another port leaves nothing (exit 3).
expect 1 "filter keeps" "$TD_BIN" pcap --filter "tcp port 4406" "$cap"
expect 3 "filter drops" "$TD_BIN" pcap --filter "tcp port 1" "$cap"
grep -q "10 frames left out by the filter" "$tmp/out" || { echo "FAIL filter count: $(cat "$tmp/out")"; fail=1; }
[ $fail = 0 ] && echo "ok: pcap command line checks"
exit $fail
