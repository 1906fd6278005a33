#!/usr/bin/env bash
# test_success_logs.sh -- a successful handshake reads as success (issue 18): every log in
# tests/corpus/success36/ (Mbed TLS 3.6's ssl_client2/ssl_server2 in ssl-opt.sh scenarios that
# passed: TLS 1.3 tickets and PSK, non-blocking and DTLS re-entries, Connection ID, resumption,
# renegotiation) must lead with handshake-ok, say the handshake succeeded, hold no attempt that
# failed, and exit 0, and so must the same log as debug levels 2 and 1 print it.
# The folder's files are the cases: add a log and a README row to add a case.
# Fewer logs than the README's table lists fails, naming both counts.
set -u
: "${TD_SRC:?}" "${TD_BIN:?}"
source "$TD_SRC/tests/lib/check.sh"
dir="$TD_SRC/tests/corpus/success36"

listed=$(grep -cE '^\| `[^`]+\.log` \|' "$dir/README.md" 2>/dev/null || true)
n=0
for f in "$dir"/*.log; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    name=$(basename "$f")
    grep -q "^| \`$name\` |" "$dir/README.md" || { echo "FAIL $name: not in README.md's table"; fails=$((fails + 1)); }
    json=$("$TD_BIN" log --json "$f")
    rc=$?
    got=$(jq -r '"\(.leading) \(.handshake) \([.attempts[] | select(.handshake == "failed")] | length)"' <<<"$json")
    check "$name: leads handshake-ok, succeeded, no failed attempt, exit 0 (got $got, exit $rc)" \
        test "$got $rc" = "handshake-ok succeeded 0 0"
    # the same log as a device at debug level 2, then 1, prints it (the higher levels' lines left
    # out): the confirming messages and state transitions they held are gone, the verdict stays
    for lvl in 2 1; do
        got=$(grep -vE "\\|[$((lvl + 1))-5]\\| " "$f" | "$TD_BIN" log --json - |
            jq -r '"\(.leading) \(.handshake) \([.attempts[] | select(.handshake == "failed")] | length)"')
        check "$name at debug level $lvl: leads handshake-ok, no failed attempt (got $got)" \
            test "$got" = "handshake-ok succeeded 0"
    done
done
check "success36 holds every log its README lists ($n of ${listed:-0})" test "$n" -ge "${listed:-0}" -a "$n" -ge 1
echo "success36: $n logs read"
[ "$fails" -eq 0 ]
