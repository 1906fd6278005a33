#!/bin/bash
# `tlsdoctor log --pcap-out` on the founding logs: tshark dissects the written capture as TLS, the
# first ClientHello carries the suites and extensions the log says the client added, the server's
# fatal alert 80 is there, nothing is malformed, and tlsdoctor reads its own output back.
set -u
: "${TD_BIN:?}" "${TD_SRC:?}"
source "$TD_SRC/tests/lib/corpus.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
ext_id() { # Mbed TLS's "adding X extension" names -> IANA numbers
    case $1 in
        server_name) echo 0;; max_fragment_length) echo 1;; supported_elliptic_curves) echo 10;;
        supported_point_formats) echo 11;; signature_algorithms) echo 13;; alpn) echo 16;;
        encrypt_then_mac) echo 22;; extended_master_secret) echo 23;; session_ticket) echo 35;;
        renegotiation_info) echo 65281;; *) echo "?$1";;
    esac
}
[ -f "$CORPUS_SEED" ] || { echo "FAIL the founding thread $CORPUS_SEED is missing"; exit 1; }
for log in "$CORPUS_SEED" "$TD_SRC/tests/data/logs/seed_2x.log" \
           "$TD_SRC/tests/data/logs/seed_227.log"; do
    name=$(basename "$log"); out="$tmp/$name.pcap"
    "$TD_BIN" log --pcap-out "$out" "$log" > /dev/null 2> "$tmp/err"
    rc=$?
    if [ $rc -gt 1 ] || [ ! -s "$out" ]; then
        echo "FAIL $name: log --pcap-out exited $rc: $(cat "$tmp/err")"; fail=1; continue
    fi
    # What the log says about the first ClientHello (lines before its first "<= write client hello").
    first=$(awk '/<= write client hello/ { exit } { print }' "$log")
    want_suites=$(echo "$first" | sed -n 's/.*add ciphersuite: \(0x\)\{0,1\}\([0-9a-f]*\).*/0x\2/p' | tr '\n' ',' | sed 's/,$//')
    want_exts=$(echo "$first" | sed -n 's/.*adding \([a-z_]*\) extension.*/\1/p' |
        while read -r e; do ext_id "$e"; done | sort -n | tr '\n' ',' | sed 's/,$//')
    got=$(tshark -r "$out" -Y 'tls.handshake.type == 1' -T fields -e tls.handshake.ciphersuite \
        -e tls.handshake.extension.type -E separator=' ' -E aggregator=, 2>/dev/null | head -1)
    got_suites=$(echo "$got" | awk '{print $1}' | tr ',' '\n' | grep -v '^0x00ff$' | tr '\n' ',' | sed 's/,$//')
    got_exts=$(echo "$got" | awk '{print $2}' | tr ',' '\n' | sort -n | tr '\n' ',' | sed 's/,$//')
    [ -n "$want_suites" ] || { echo "FAIL $name: no suites in the log?"; fail=1; }
    if [ "$got_suites" != "$want_suites" ]; then
        echo "FAIL $name: tshark suites '$got_suites', log '$want_suites'"; fail=1
    fi
    if [ "$got_exts" != "$want_exts" ]; then
        echo "FAIL $name: tshark extensions '$got_exts', log '$want_exts'"; fail=1
    fi
    alerts=$(tshark -r "$out" -Y 'tls.alert_message && ip.src == 192.0.2.1' -T fields \
        -e tls.alert_message.level -e tls.alert_message.desc -E separator=: 2>/dev/null | sort -u)
    if [ "$alerts" != "2:80" ]; then
        echo "FAIL $name: server alerts in tshark '$alerts', want 2:80"; fail=1
    fi
    bad=$(tshark -r "$out" -Y '_ws.malformed || _ws.expert.severity >= "warning"' 2>/dev/null | wc -l)
    if [ "$bad" != 0 ]; then
        echo "FAIL $name: tshark flags $bad packets as malformed or suspicious"; fail=1
    fi
    # Round trip: our own reader finds the same ClientHellos and alerts.
    n_ch=$(tshark -r "$out" -Y 'tls.handshake.type == 1' 2>/dev/null | wc -l)
    if ! "$TD_BIN" pcap --no-diagnosis "$out" > "$tmp/back" 2>&1; then
        echo "FAIL $name: tlsdoctor pcap cannot read its own capture"; fail=1
    elif [ "$(grep -c 'client_hello' "$tmp/back")" != "$n_ch" ] ||
         [ "$(grep -c 'alert fatal 80' "$tmp/back")" != "$n_ch" ]; then
        echo "FAIL $name: read back $(grep -c client_hello "$tmp/back") hellos / alerts, tshark $n_ch"; fail=1
    fi
    echo "$name: $n_ch ClientHello(s), suites $got_suites, extensions $got_exts, alert $alerts"
done
# A file that cannot be written is one clear line and exit 4.
"$TD_BIN" log --pcap-out /nonexistent/dir/x.pcap "$CORPUS_SEED" > /dev/null 2> "$tmp/err"
rc=$?
if [ $rc != 4 ] || [ "$(wc -l < "$tmp/err")" != 1 ]; then
    echo "FAIL unwritable --pcap-out: exit $rc, stderr: $(cat "$tmp/err")"; fail=1
fi
exit $fail
