#!/usr/bin/env bash
# Generated real cases ($TD_BUILD/cases, tests/lib/gen-cases.sh): every case in the table exists,
# ran as built, and its artifacts show what its expected.txt says. The alerts are read again here
# from the captures with tshark, the exit code and the error line from the client's own output.
# Without root (tcpdump cannot capture, so no case can be made) it exits 77, skipped.
set -u
TD_SRC=${TD_SRC:?} TD_BUILD=${TD_BUILD:?}
source "$TD_SRC/tests/lib/cases.sh"
source "$TD_SRC/tests/lib/check.sh"   # matches
if reason=$(cases_skip_reason); then echo "skip: $reason"; exit 77; fi
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

start=$SECONDS
ensure_cases || { echo "FAIL ensure_cases"; exit 1; }
echo "cases ready in $((SECONDS - start)) s: $CASES_DIR"

# cause_category -> leading finding id (tests/corpus/README.md)
leading_ok() { # CATEGORY LEADING
    case $1:$2 in
    SNI_MISSING:sni-missing | CIPHER_MISMATCH:no-common-suite | VERSION_MISMATCH:version-mismatch) ;;
    GROUP_MISMATCH:no-common-group | SIGALG_MISMATCH:no-common-sigalg | CA_UNTRUSTED:ca-untrusted) ;;
    CERT_EXPIRED_OR_CLOCK:cert-expired | CERT_EXPIRED_OR_CLOCK:cert-not-yet-valid) ;;
    HOSTNAME_MISMATCH:hostname-mismatch | BUFFER_TOO_SMALL:record-too-large | BUFFER_TOO_SMALL:mfl-ignored) ;;
    MFL_UNSUPPORTED:mfl-ignored | MFL_UNSUPPORTED:record-too-large | CLIENT_CERT_REQUIRED:client-cert-required) ;;
    NETWORK_IO:peer-closed | NETWORK_IO:connection-reset | NETWORK_IO:connection-refused | NETWORK_IO:timeout) ;;
    SUCCESS:none) ;;
    *) return 1 ;;
    esac
}

# Alerts and ClientHellos in all captures with one tshark run (tshark starts slowly).
caps=("$CASES_DIR"/*/capture.pcap)
merged=$(mktemp)
tsv=$(mktemp)
trap 'rm -f "$merged" "$tsv"' EXIT
mergecap -w "$merged" "${caps[@]}" || { echo "FAIL mergecap"; exit 1; }
tshark -r "$merged" -d tcp.port==14300-14399,tls -Y 'tls.alert_message || tls.handshake.type == 1' \
    -T fields -E separator=/t -e tcp.srcport -e tcp.dstport -e tls.handshake.type \
    -e tls.alert_message.level -e tls.alert_message.desc -e tls.handshake.extensions_server_name >"$tsv" 2>/dev/null ||
    { echo "FAIL tshark"; exit 1; }

# alerts_for PORT: SENDER:LEVEL:DESC;... as seen by tshark, or none
alerts_for() {
    awk -F'\t' -v p="$1" '
        $1 == p || $2 == p {
            who = ($1 == p) ? "server" : "client"
            n = split($4, lv, ","); split($5, ds, ",")
            if (n == 0 && $3 !~ /(^|,)1(,|$)/) out = out sep who ":encrypted"
            for (i = 1; i <= n; i++) { out = out sep who ":" lv[i] ":" ds[i]; sep = ";" }
            if (n == 0 && $3 !~ /(^|,)1(,|$)/) sep = ";"
        }
        END { print (out == "" ? "none" : out) }' "$tsv"
}
hellos_for() { awk -F'\t' -v p="$1" '$2 == p && $3 ~ /(^|,)1(,|$)/' "$tsv" | wc -l; }
# sni_for PORT: the server_name of the case's ClientHello(s), "-" when absent
sni_for() { awk -F'\t' -v p="$1" '$2 == p && $3 ~ /(^|,)1(,|$)/ { print ($6 == "" ? "-" : $6) }' "$tsv" | sort -u | paste -sd,; }


# One pass over every client.log: the first "! FUNC returned" line, the debug levels present, and
# whether a negotiated protocol was printed.
logs=$(awk '
    FNR == 1 { if (id != "") print id "\t" err "\t" lv "\t" proto; id = FILENAME; sub(/\/client\.log$/, "", id); sub(/.*\//, "", id); err = "none"; lv = ""; proto = 0 }
    err == "none" && /^  ! [a-z_0-9]+ returned -0x[0-9a-f]+$/ { err = $2 " " $4 }
    match($0, /^[a-z_0-9]+\.c:[0-9][0-9][0-9][0-9]: \|[0-4]\| /) { l = substr($0, RLENGTH - 2, 1); if (index(lv, l) == 0) lv = lv l }
    /^    \[ Protocol is TLSv1/ { proto = 1 }
    END { if (id != "") print id "\t" err "\t" lv "\t" proto }' "$CASES_DIR"/*/client.log)
declare -A LOG_ERR LOG_LV LOG_PROTO
while IFS=$'\t' read -r id err lv proto; do LOG_ERR[$id]=$err LOG_LV[$id]=$lv LOG_PROTO[$id]=$proto; done <<<"$logs"

n=0
while IFS='|' read -r id cat lead want_exit want_alerts want_error; do
    n=$((n + 1))
    d="$CASES_DIR/$id"
    [ -f "$d/expected.txt" ] || { fail "$id: missing"; continue; }
    declare -A E=()
    while IFS='=' read -r k v; do E[$k]=$v; done <"$d/expected.txt"
    for f in client.log capture.pcap server.txt; do [ -s "$d/$f" ] || fail "$id: empty $f"; done
    [ "${E[status]}" = ok ] || fail "$id: status ${E[status]}"
    [ "${E[cause_category]}" = "$cat" ] || fail "$id: category"
    leading_ok "$cat" "$lead" || fail "$id: $lead is not a leading finding for $cat"
    port=${E[port]}

    # exit code: expected.txt vs the table; the client's own error line vs the table
    [ "${E[client_exit]}" = "$want_exit" ] || fail "$id: client exit ${E[client_exit]}, want $want_exit"
    err=${LOG_ERR[$id]:-none}
    matches "$err" "$want_error" || fail "$id: client error '$err', want '$want_error'"
    [ "$err" = "${E[mbedtls_error]}" ] || fail "$id: expected.txt mbedtls_error disagrees with client.log"
    if [ "$want_exit" = 0 ] || [ "$want_exit" = 5 ]; then
        [ "${LOG_PROTO[$id]}" = 1 ] || fail "$id: handshake succeeded but no negotiated protocol line"
    fi

    # alerts: tshark on the capture vs the table and expected.txt
    al=$(alerts_for "$port")
    matches "$al" "$want_alerts" || fail "$id: capture alerts '$al', want '$want_alerts'"
    [ "$al" = "${E[alerts_in_capture]}" ] || fail "$id: expected.txt alerts disagree with capture ($al)"
    if [ "$want_exit" != 3 ]; then
        [ "$(hellos_for "$port")" -ge 1 ] || fail "$id: no ClientHello in capture"
        # SNI: absent exactly when the client was run with set_hostname=no
        sni=$(sni_for "$port")
        if [[ ${E[client_command]} == *set_hostname=no* ]]; then want_sni=-; else want_sni=lab.test; fi
        [ "$sni" = "$want_sni" ] || fail "$id: ClientHello server_name '$sni', want '$want_sni'"
        # debug output at the level the case asked for, and nothing above it
        lvl=${E[client_debug_level]}
        [[ ${LOG_LV[$id]} == *"$lvl"* ]] || fail "$id: no |$lvl| debug lines"
        for ((l = lvl + 1; l <= 4; l++)); do
            [[ ${LOG_LV[$id]} != *"$l"* ]] || fail "$id: debug lines at level $l > $lvl"
        done
    fi
done < <(bash "$TD_SRC/tests/lib/gen-cases.sh" --list)

[ "$n" -ge 40 ] || fail "only $n cases in the table"
cases_count "cases with status=ok" "$(cases_ids ok | grep -c .)" || fails=$((fails + 1))
echo "$n cases checked, $fails failure(s), $((SECONDS - start)) s"
[ "$fails" -eq 0 ]
