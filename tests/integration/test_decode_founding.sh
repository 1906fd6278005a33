#!/bin/bash
# test_decode_founding.sh -- `tlsdoctor decode` on the founding case's dumps (whole log, the dump
# lines alone, the bare rows, and the raw bytes): the two ClientHellos and the alert decode to
# exactly what the log says was sent and received.
set -euo pipefail
: "${TD_BIN:?}" "${TD_SRC:?}"
source "$TD_SRC/tests/lib/corpus.sh"
seed=$CORPUS_SEED
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -f "$seed" ] || fail "the founding thread $seed is missing"

"$TD_BIN" decode --json "$seed" > "$tmp/all.json" || fail "decode of the whole log exited $?"
python3 - "$tmp/all.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
recs = [r for b in d["blocks"] for r in b.get("records", [])]
hellos = [m["client_hello"] for r in recs for m in r.get("messages", []) if m["type"]["id"] == 1]
alerts = [r["alert"] for r in recs if "alert" in r]
def check(c, msg):
    if not c:
        print("FAIL:", msg); sys.exit(1)
check(len(hellos) == 3, "three ClientHello dumps (2.16 log once, 2.27 log twice): %d" % len(hellos))
ch_recs = [r for r in recs if r.get("messages")]
check(all(r["version"]["id"] == 0x0301 for r in ch_recs), "record version 3.1")
check(all(h["version"]["id"] == 0x0303 for h in hellos), "client version 3.3")
suites = [[s["id"] for s in h["cipher_suites"]] for h in hellos]
check(suites[0] == [0xc02c, 0xc02b, 0x00ff], "first suites %s" % suites[0])
check(suites[1] == [0xc02c, 0xc02b, 0xc02f, 0xc030, 0x00ff], "second suites %s" % suites[1])
check(hellos[0]["cipher_suites"][2]["name"] == "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", "SCSV named")
exts = [[e["type"]["name"] for e in h["extensions"]] for h in hellos]
check(exts[0] == ["signature_algorithms", "supported_groups", "ec_point_formats"], "first exts %s" % exts[0])
check(exts[1] == ["signature_algorithms", "supported_groups", "ec_point_formats", "max_fragment_length"], "second exts %s" % exts[1])
groups = [[g["name"] for e in h["extensions"] if e["type"]["id"] == 10 for g in e["groups"]] for h in hellos]
check(groups[0] == ["secp384r1", "secp256r1"], "first groups %s" % groups[0])
check(groups[1] == ["secp384r1", "secp256r1", "x448"], "second groups %s" % groups[1])
mfl = [e for e in hellos[1]["extensions"] if e["type"]["id"] == 1][0]
check(mfl["bytes"] == 2048, "max_fragment_length 2048")
check(all(not h["has_server_name"] for h in hellos), "no server_name")
check(len(alerts) == 3 and all(a["level"]["name"] == "fatal" and a["description"]["name"] == "internal_error" and a["description"]["id"] == 80 for a in alerts), "fatal internal_error alerts")
PY

# The dump rows alone, without the file:line prefix, then without the ASCII column too.
grep -m1 -A14 "dumping 'output record sent to network' (105 bytes)" "$seed" | grep ' 00[0-9]0: ' \
    | sed 's/^.*|4| //' > "$tmp/rows.txt"
"$TD_BIN" decode "$tmp/rows.txt" > "$tmp/rows.out" || fail "rows exited $?"
grep -q "max_fragment_length (1)" "$tmp/rows.out" || fail "rows: no max_fragment_length"
grep -q "bytes: 2048" "$tmp/rows.out" || fail "rows: MFL not 2048"
grep -q "x448 (30)" "$tmp/rows.out" || fail "rows: no x448"
cut -c1-54 "$tmp/rows.txt" > "$tmp/bare.txt"
"$TD_BIN" decode --json "$tmp/bare.txt" > "$tmp/bare.json" || fail "bare rows exited $?"
"$TD_BIN" decode --json "$tmp/rows.txt" | cmp -s - "$tmp/bare.json" || fail "ASCII column changed the decoding"

# The alert as raw bytes on stdin.
printf '\x15\x03\x03\x00\x02\x02\x50' | "$TD_BIN" decode - > "$tmp/alert.out" || fail "raw alert exited $?"
grep -q "level: fatal (2)" "$tmp/alert.out" || fail "raw alert level"
grep -q "description: internal_error (80)" "$tmp/alert.out" || fail "raw alert description"

# Truncated input: exit 1, the error names the offset and what was expected, the header is kept.
set +e
printf '15 03 03 00 02 02' | "$TD_BIN" decode --json - > "$tmp/trunc.json" 2> "$tmp/trunc.err"; rc=$?
set -e
[ "$rc" = 1 ] || fail "truncated input exited $rc, expected 1"
python3 - "$tmp/trunc.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))["blocks"][0]
assert b["records"][0]["content_type"]["name"] == "alert", b
e = b["errors"][0]
assert e["offset"] == 5 and "record body" in e["expected"], e
PY
grep -q "^tlsdoctor decode: " "$tmp/trunc.err" || fail "no error line on stderr"

# Bad usage and unrecognisable input.
set +e
"$TD_BIN" decode > /dev/null 2>&1; [ $? = 2 ] || fail "no argument: expected exit 2"
echo "hello world" | "$TD_BIN" decode - > /dev/null 2>&1; [ $? = 3 ] || fail "text input: expected exit 3"
"$TD_BIN" decode /nonexistent/file > /dev/null 2>&1; [ $? = 4 ] || fail "missing file: expected exit 4"
set -e
"$TD_BIN" decode --help | grep -q "usage: tlsdoctor decode" || fail "--help"
echo "ok"
