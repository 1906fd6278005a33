#!/usr/bin/env bash
# test_otherside_peers.sh -- the other side's error lines still come out of the installed servers
# as tests/data/otherside/captured.tsv has them, so the reader's table (lib/mbedlog/peerline.def,
# peerline_openssl.def) stays true: a few scenarios of tests/lib/gen-peerlines.sh run again against
# the real programs (one per program), and for each, the recognised lines (digits masked: times,
# PIDs, ports) and what the reader makes of them match the committed table (the causes; a line's
# wording may vary between runs of the same program). Ports 15300-15379.
set -uo pipefail
: "${TD_BIN:?}" "${TD_SRC:?}" "${TD_BUILD:?}"
source "$TD_SRC/tests/lib/check.sh"
for p in openssl nginx caddy gnutls-serv mosquitto; do
    command -v "$p" >/dev/null || { echo "SKIP: $p not installed (scripts/install-deps test)"; exit 77; }
done
TABLE=$TD_SRC/tests/data/otherside/captured.tsv
[ -f "$TABLE" ] || { echo "FAIL no $TABLE"; exit 1; }
SCEN=(cipher_nginx version_caddy unknownca_mosquitto certreq_gnutls cipher_openssl version_sclient_openssl)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
TD_BIN=$TD_BIN bash "$TD_SRC/tests/lib/gen-peerlines.sh" "$tmp/now.tsv" "${SCEN[@]}" >"$tmp/gen.log" 2>&1
check "gen-peerlines ran" [ $? = 0 ]
# scenario<TAB>masked line<TAB>recognised, for the recognised lines only
recognised() { awk -F'\t' 'NR > 1 && $6 != "-" { sub(/^[0-9A-F]+:error:/, "H:error:", $5); gsub(/[0-9]+/, "N", $5); print $1 "\t" $5 "\t" $6 }' "$1" | sort -u; }
for s in "${SCEN[@]}"; do
    want=$(recognised "$TABLE" | grep -P "^$s\t")
    got=$(recognised "$tmp/now.tsv" | grep -P "^$s\t")
    check "$s: committed lines recognised ($(wc -l <<<"$want"))" [ -n "$want" ]
    # A program may word one failure in more than one way from run to run (mosquitto 2.0.11 prints
    # "OpenSSL Error[0]: error:..." or "Client connection from A failed: error:...", depending on
    # where its loop meets the failed handshake): what must hold is what the reader makes of them.
    if [ "$want" != "$got" ]; then
        echo "  note: the lines differ from the committed ones"
        echo "  committed: $want"
        echo "  now:       $got"
    fi
    check "$s: the program still prints a recognised line" [ -n "$got" ]
    check "$s: the reader reads them as the same cause" \
        [ "$(cut -f3 <<<"$want" | sort -u)" = "$(cut -f3 <<<"$got" | sort -u)" ]
done
exit $((fails > 0))
