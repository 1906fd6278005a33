#!/usr/bin/env bash
# test_server_logs.sh -- a server's own log is read as the server's and diagnosed from its side
# (issue 13, "either side"):
#  1. real cases: the Mbed TLS 2.28 fixture server (td_mbedserver) failing against openssl s_client,
#     td_mbedclient and a client that hangs up (tests/lib/gen-srv-cases.sh, generated here); each
#     server log must lead with the case's expected finding, be marked a server's log (JSON
#     logged_by, text "Server log:"), and say it of the remote client, never in the words of a
#     client's log ("your client", "your ClientHello", "The server closed").
#  2. the same for the logs kept from such a run (tests/corpus/server28/, INDEX.tsv), so the
#     reading is checked even where the real peers cannot run.
#  3. the Mbed TLS 3.6 ssl_server2 success logs (tests/corpus/success36/o-srv-*.log) are read as
#     server logs, not as a client's failures.
# Ports 15100-15119 (gen-srv-cases.sh). A missing fixture exits 77 (skipped).
set -u
: "${TD_SRC:?}" "${TD_BUILD:?}" "${TD_BIN:?}"
source "$TD_SRC/tests/lib/check.sh"
fails=0

[ -x "$TD_BUILD/tests/fixtures/td_mbedserver" ] || { echo "skip: td_mbedserver not built"; exit 77; }
command -v openssl >/dev/null || { echo "skip: no openssl"; exit 77; }

# leads_as LOG WANT: the server log's JSON leading finding is WANT, marked a server's log, said
# from the server's side.
leads_as() {
    local log=$1 want=$2 json got side summary text
    json=$("$TD_BIN" log --json "$log")
    got=$(jq -r .leading <<<"$json")
    side=$(jq -r '.logged_by // "client"' <<<"$json")
    summary=$(jq -r '.summary // ""' <<<"$json")
    text=$("$TD_BIN" log "$log" | head -n 1)
    [ "$want" = none ] && want=handshake-ok
    if [ "$got" != "$want" ] || [ "$side" != server ] || [[ $text != "Server log: "* ]]; then
        echo "  $log: leading $got (want $want), logged_by $side, first line: $text"
        return 1
    fi
    case $summary in
    *"your client"* | *"Your client"* | *"your ClientHello"* | *"The server closed"* | *"your Mbed TLS"*)
        echo "  $log: said as a client's log: $summary"
        return 1 ;;
    esac
}

# 1. real cases, generated now
out="$TD_BUILD/srv-cases"
start=$SECONDS
bash "$TD_SRC/tests/lib/gen-srv-cases.sh" "$out" >"$out.log" 2>&1
rc=$?
tail -n 3 "$out.log"
echo "generated in $((SECONDS - start)) s (exit $rc)"
n=0
for f in "$out"/*/expected.txt; do
    [ -f "$f" ] || continue
    id=$(sed -n 's/^case_id=//p' "$f")
    st=$(sed -n 's/^status=//p' "$f")
    want=$(sed -n 's/^expect_leading=//p' "$f")
    if [ "$st" != ok ]; then
        echo "FAIL $id: did not happen as built ($(sed -n 's/^mbedtls_error=//p' "$f"))"
        fails=$((fails + 1))
        continue
    fi
    check "real $id leads with $want from the server's side" leads_as "$out/$id/server.log" "$want"
    [ "$want" != none ] && n=$((n + 1))
done
check "at least 8 real server-side failure cases ran as built (have $n)" test "$n" -ge 8

# 2. kept logs
idx="$TD_SRC/tests/corpus/server28/INDEX.tsv"
k=0
while IFS=$'\t' read -r file want desc; do
    [ "$file" = file ] && continue
    k=$((k + 1))
    check "kept $file leads with $want" leads_as "$TD_SRC/tests/corpus/server28/$file" "$want"
done <"$idx"
check "tests/corpus/server28 holds at least 8 logs (has $k)" test "$k" -ge 8

# 3. Mbed TLS 3.6 server success logs: a server's log, whatever else
m=0
for f in "$TD_SRC"/tests/corpus/success36/o-srv-*.log; do
    [ -f "$f" ] || continue
    m=$((m + 1))
    side=$("$TD_BIN" log --json "$f" | jq -r '.logged_by // "client"')
    check "success36 $(basename "$f") is read as a server's log" test "$side" = server
done
check "success36 holds server logs (has $m)" test "$m" -ge 1

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
