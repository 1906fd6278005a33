#!/usr/bin/env bash
# Every generated real-peer case ($TD_BUILD/cases, tests/lib/gen-cases.sh) replayed against its own
# server: `gen-cases.sh --replay` starts the case's server again exactly as it was generated (same
# command, configuration and certificates, ports 14900-14979) and runs `tlsdoctor diagnose --log
# client.log --server ... --json` on the case's log. The replay's lead (lead.id, one verdict from
# the replay and the log) must equal the case's cause for at least 95% of the cases, and no case
# whose log shows a failed handshake may lead with handshake-ok. The lab cases are replayed the
# same way against their servers recreated by the suite (tests/data/lab-replay.tsv).
set -u
TD_SRC=${TD_SRC:?} TD_BUILD=${TD_BUILD:?} TD_BIN=${TD_BIN:?}
source "$TD_SRC/tests/lib/cases.sh"
if reason=$(cases_skip_reason); then echo "skip: $reason"; exit 77; fi
ensure_cases || { echo "FAIL ensure_cases"; exit 1; }
ids=$(cases_ids)
total=$(wc -w <<<"$ids")
[ "$total" -ge 40 ] || { echo "FAIL only $total generated cases with status=ok (want at least 40)"; exit 1; }
bash "$TD_SRC/tests/lib/gen-cases.sh" --replay "$CASES_DIR" "$TD_BIN" || { echo "FAIL gen-cases --replay"; exit 1; }

good=0 bad_ok=0
for id in $ids; do
    want=$(case_get "$id" expect_leading)
    [ "$want" = none ] && want=handshake-ok
    got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); l=d["lead"]
print(l["id"], l["basis"], d["replay"]["hello"])' "$CASES_DIR/$id/replay.json" 2>/dev/null)
    got=${got:-"none - - (exit $(cat "$CASES_DIR/$id/replay.exit" 2>/dev/null); $(head -c 200 "$CASES_DIR/$id/replay.err" 2>/dev/null))"}
    if [ "${got%% *}" = "$want" ]; then
        good=$((good + 1))
        echo "ok   $id: $got"
    else
        echo "MISS $id: want $want, got $got"
        if [ "${got%% *}" = handshake-ok ] && [ "$(case_get "$id" client_exit)" != 0 ]; then
            bad_ok=$((bad_ok + 1))
            echo "FAIL $id leads with handshake-ok while its log shows a failed handshake"
        fi
    fi
done
# The lab cases whose servers the suite recreates (tests/data/lab-replay.tsv): every lab case, its
# server rebuilt with the suite's own PKI; the expected lead is the case's row in
# tests/data/expected-findings.tsv (alternatives joined with |).
lab="$TD_SRC/tests/corpus/lab" table="$TD_SRC/tests/data/lab-replay.tsv"
labout=$(mktemp -d)
trap 'rm -rf "$labout"' EXIT
nlab=$(grep -cv '^#' "$table")
nlabdirs=$(find "$lab" -mindepth 1 -maxdepth 1 -type d | wc -l)
[ "$nlab" -eq "$nlabdirs" ] || { echo "FAIL $table lists $nlab lab cases, $lab holds $nlabdirs"; exit 1; }
bash "$TD_SRC/tests/lib/gen-cases.sh" --replay-lab "$table" "$lab" "$labout" "$TD_BIN" ||
    { echo "FAIL gen-cases --replay-lab"; exit 1; }
while IFS=$'\t' read -r id _; do
    case $id in '#'* | '') continue ;; esac
    total=$((total + 1))
    want=$(awk -F'\t' -v c="$id" '$1 == c { print $2 }' "$TD_SRC/tests/data/expected-findings.tsv")
    got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); l=d["lead"]
print(l["id"], l["basis"], d["replay"]["hello"])' "$labout/$id/replay.json" 2>/dev/null)
    got=${got:-"none - - (exit $(cat "$labout/$id/replay.exit" 2>/dev/null); $(head -c 200 "$labout/$id/replay.err" 2>/dev/null))"}
    case "|$want|" in
    *"|${got%% *}|"*) good=$((good + 1)); echo "ok   lab $id: $got" ;;
    *)
        echo "MISS lab $id: want $want, got $got"
        if [ "${got%% *}" = handshake-ok ] && [ "$want" != handshake-ok ]; then
            bad_ok=$((bad_ok + 1))
            echo "FAIL lab $id leads with handshake-ok while its log shows a failed handshake"
        fi ;;
    esac
done <"$table"
echo "replay lead equals the case's cause: $good/$total (generated and lab cases)"
fails=0
[ $((good * 100)) -ge $((total * 95)) ] || { echo "FAIL below 95% ($good/$total)"; fails=1; }
[ "$bad_ok" -eq 0 ] || fails=1
[ "$fails" -eq 0 ]
