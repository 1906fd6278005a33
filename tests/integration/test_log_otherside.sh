#!/usr/bin/env bash
# test_log_otherside.sh -- logs holding only the device's error lines plus one line another
# program printed (nginx, Go/Caddy, openssl s_server, Mosquitto, GnuTLS; the real strings from
# tests/data/otherside/captured.tsv) lead with the cause that line names. The cases are data:
# tests/data/otherside/expected.tsv (log, leading finding), made by make-logs.py.
set -uo pipefail
: "${TD_BIN:?}" "${TD_SRC:?}"
source "$TD_SRC/tests/lib/check.sh"
DIR=$TD_SRC/tests/data/otherside
[ -f "$DIR/expected.tsv" ] || { echo "FAIL no $DIR/expected.tsv"; exit 1; }
n=0
while IFS=$'\t' read -r log want; do
    [ "$log" = log ] && continue
    n=$((n + 1))
    got=$("$TD_BIN" log --json "$DIR/$log" 2>/dev/null | "${TD_PYTHON:-/usr/bin/python3}" -c 'import json,sys; print(json.load(sys.stdin)["leading"])')
    check "$log leads with $want (got ${got:-nothing})" [ "$got" = "$want" ]
done <"$DIR/expected.tsv"
# every server the issue names is covered
for prog in nginx caddy openssl mosquitto gnutls; do
    c=$(cut -f1 "$DIR/expected.tsv" | grep -c "_$prog")
    check "cases for $prog: $c" [ "$c" -ge 1 ]
done
check "cases: $n (want >= 20)" [ "$n" -ge 20 ]
# the evidence names the other side's line by its number
out=$("$TD_BIN" log "$DIR/cipher_nginx.log" 2>/dev/null)
check "evidence cites the nginx line" grep -q "L2 .*The server's log: no_shared_cipher" <<<"$out"
[ "$fails" = 0 ] && echo "test_log_otherside: $n logs, all lead with the named cause"
exit $((fails > 0))
