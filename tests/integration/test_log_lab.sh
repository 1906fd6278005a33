#!/usr/bin/env bash
# test_log_lab.sh -- `tlsdoctor log` on every lab case: the records it reassembled from the log's
# hex dumps (level-4 logs) are the records the case's capture holds, in each direction, in order
# and with the same lengths (tshark reads the capture). Also the CLI's contract: --help, bad
# options, stdin, exit codes, the "nothing found" sentence.
set -euo pipefail
: "${TD_BIN:?}" "${TD_SRC:?}"
source "$TD_SRC/tests/lib/corpus.sh"
LAB=$CORPUS_LAB
fail=0
pass=0
check() { # NAME CONDITION-RESULT MESSAGE
    if [ "$2" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1: $3" >&2; fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- the CLI's contract ----------------------------------------------------------------------
"$TD_BIN" log --help | grep -q 'usage: tlsdoctor log'; check help $? "--help"
set +e
"$TD_BIN" log --bogus "$LAB" 2>"$tmp/err"; rc=$?
set -e
[ "$rc" = 2 ] && grep -q '^tlsdoctor log: unknown option' "$tmp/err"; check badopt $? "bad option: rc $rc"
set +e
"$TD_BIN" log "$tmp/missing.log" 2>"$tmp/err"; rc=$?
set -e
[ "$rc" = 4 ] && [ "$(wc -l <"$tmp/err")" = 1 ]; check missing $? "missing file: rc $rc"
printf 'Hello, my device does not connect.\nAny idea?\n' >"$tmp/prose.txt"
set +e
"$TD_BIN" log "$tmp/prose.txt" >"$tmp/out" 2>"$tmp/err"; rc=$?
set -e
[ "$rc" = 3 ] && grep -q 'mbedtls_debug_set_threshold(4)' "$tmp/err" && [ "$(wc -l <"$tmp/err")" = 1 ]
check nothing $? "nothing found: rc $rc"
set +e
"$TD_BIN" log --timeline --ascii - <"$TD_SRC/tests/data/logs/seed_2x.log" >"$tmp/out"; rc=$?
set -e
[ "$rc" = 1 ] && grep -q '<- Alert fatal internal_error(80), sent by the server' "$tmp/out" &&
    grep -q 'no SNI' "$tmp/out" && [ "$(grep -c '^Attempt' "$tmp/out")" = 2 ]
check stdin $? "stdin timeline: rc $rc"
set +e
"$TD_BIN" log --transcripts "$TD_SRC/tests/data/logs/seed_227.log" >"$tmp/seed.json"; rc=$?
set -e
set +e
python3 - "$tmp/seed.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
a = d["attempts"]
assert len(a) == 2, len(a)
for t in a:
    assert t["handshake_ret"] == -0x7780
    al = [e for e in t["events"] if e["kind"] == "alert"]
    assert len(al) == 1 and al[0]["from"] == "server" and al[0]["b"] == 80, al
    ch = [e for e in t["events"] if e["kind"] == "record" and e.get("from") == "client"]
    assert ch and ch[0]["data"].startswith("16030100640100"), ch
EOF
ok=$?
set -e
[ "$rc" = 1 ]; check json-rc $? "json rc $rc"
check json $ok "json on the 2.27 log"

# ---- every lab case: log records == capture records -----------------------------------------
cases=0
for dir in "$LAB"/*/; do
    name=$(basename "$dir")
    [ -f "$dir/client.log" ] || continue
    cases=$((cases + 1))
    set +e
    "$TD_BIN" log --transcripts "$dir/client.log" >"$tmp/$name.json" 2>"$tmp/$name.err"
    rc=$?
    set -e
    [ "$rc" = 0 ] || [ "$rc" = 1 ]; check "$name" $? "exit $rc: $(cat "$tmp/$name.err")"
    port=$(sed -n 's/^server_address: [0-9.]*:\([0-9]*\).*/\1/p' "$dir/meta.txt")
    tshark -r "$dir/capture.pcap" -Y tls -T fields -e tcp.srcport -e tls.record.length \
        >"$tmp/$name.tshark" 2>/dev/null
    set +e
    python3 - "$tmp/$name.json" "$tmp/$name.tshark" "$port" "$name" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
port = sys.argv[3]
cap = {"client": [], "server": []}
for line in open(sys.argv[2]):
    f = line.rstrip("\n").split("\t")
    if len(f) < 2 or not f[1]:
        continue
    who = "server" if f[0] == port else "client"
    cap[who] += [int(x) for x in f[1].split(",")]
(t,) = d["attempts"]
if t["debug_level"] < 4:
    sys.exit(0)   # no record dumps below level 4
log = {"client": [], "server": []}
for e in t["events"]:
    # a record the log knows only by its header (the client gave up reading it) may be missing
    # from the capture too: compare whole records
    if e["kind"] == "record" and not set(e.get("flags", [])) & {"decrypted", "truncated"}:
        log[e["from"]].append(e["code"])
for who in ("client", "server"):
    # the log may stop reading before the capture ends (a record too large to fetch is only
    # known by its header, later ones never read): the log's records are a prefix of the capture's
    if log[who] != cap[who][:len(log[who])] or (who == "client" and log[who] != cap[who]):
        print(f"{sys.argv[4]}: {who} records differ: log {log[who]} capture {cap[who]}")
        sys.exit(1)
    if not log[who] and cap[who] and who == "client":
        sys.exit(1)
EOF
    rc=$?
    set -e
    check "$name" $rc "records differ from the capture"
done
rc=0
corpus_count "lab client logs with their captures" "$cases" "$(corpus_lab_expected)" || rc=$?
check count $rc "lab corpus incomplete"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
