#!/usr/bin/env bash
# tlsdoctor diagnose --server against real peers: a real Mbed TLS 2.28 client (the td_mbedclient
# fixture) fails against a real server on 127.0.0.1 at debug level 4; its log goes to
# `tlsdoctor diagnose --log ... --server 127.0.0.1:PORT`, which must replay the ClientHello, prove
# the fix and report the handshakes it took. Each case asserts the leading finding, that it is
# proven, and the number of handshakes (ports 14800-14819). Without root the one captured case
# (--pcap) cannot run: the rest runs, then the test exits 77 (skipped) saying why.
set -u
TD_SRC=${TD_SRC:?} TD_BUILD=${TD_BUILD:?} TD_BIN=${TD_BIN:?}
source "$TD_SRC/tests/lib/pki.sh"
source "$TD_SRC/tests/lib/peers.sh"
source "$TD_SRC/tests/lib/check.sh"
peers_init
peers_lock_ports 14800-14819 || exit 1
fails=0

PKI="$TD_BUILD/tests/pki"
pki_make "$PKI" || { echo "FAIL pki_make"; exit 1; }
CLIENT=$(peers_fixture td_mbedclient) || exit 1

client_log() { # PORT ARGS... -> $log (debug level 4), $rc
    local port=$1; shift
    log="$TD_PEERS_TMP/client-$port-$RANDOM.log"
    timeout 30 "$CLIENT" server_addr=127.0.0.1 server_port="$port" server_name=lab.test \
        debug_level=4 request=no "$@" >"$log" 2>&1
    rc=$?
}

# diagnose LOG PORT ARGS... -> $out (JSON), $drc; $lead_id, $proven, $hs, $bound, $fix
diagnose() {
    local lg=$1 port=$2; shift 2
    out="$TD_PEERS_TMP/diag-$port-$RANDOM.json"
    timeout 120 "$TD_BIN" diagnose --log "$lg" --server "127.0.0.1:$port" --json "$@" >"$out" \
        2>"$out.err"
    drc=$?
    read -r lead_id proven hs bound < <(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["lead"]["id"], str(d["lead"]["proven"]).lower(), d["replay"]["handshakes"], d["replay"]["bound"])
' "$out" 2>/dev/null || echo "none false -1 -1")
    fix=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["lead"]["fix"])' "$out" 2>/dev/null)
    if [ -n "${WANT_TEXT:-}" ]; then
        "$TD_BIN" diagnose --log "$lg" --server "127.0.0.1:$port" "$@" >"$out.txt" 2>&1
    fi
}

within_bound() { [ "$hs" -ge 1 ] && [ "$hs" -le "$bound" ]; }

# --- the founding log against a local Caddy serving its name: proven server_name in <= 4 handshakes
founding="$TD_SRC/examples/founding-case.log"
[ -f "$founding" ] || founding="$TD_SRC/tests/data/logs/seed_227.log"
peer_caddy 14800 lab.test || exit 1
WANT_TEXT=1 diagnose "$founding" 14800 --sni lab.test
check "founding: leading sni-missing, proven, $hs handshakes <= 4 (got $lead_id $proven)" \
    test "$lead_id:$proven" = "sni-missing:true" -a "$hs" -le 4
check "founding: text leads with the proof and the fix" \
    bash -c "head -2 '$out.txt' | grep -q '^Proven: the server answers your ClientHello with alert 80 (internal_error); the same ClientHello with server_name=lab.test gets a ServerHello' && sed -n 2p '$out.txt' | grep -q 'Fix: mbedtls_ssl_set_hostname'"
check "founding: failure reproduced" grep -q '"reproduced":true' "$out"
check "founding: the report prints the handshake count" grep -q "^Replay against 127.0.0.1:14800: $hs handshakes" "$out.txt"
check "founding: exit 1" test "$drc" -eq 1

# --- the founding thread's second log (Mbed TLS 2.27, max_fragment_length 2048, which Go ignores)
founding227="$TD_SRC/examples/founding-case-2.27.log"
[ -f "$founding227" ] || founding227="$TD_SRC/tests/data/logs/seed_227.log"
diagnose "$founding227" 14800 --sni lab.test
check "founding 2.27: leading sni-missing, proven, $hs handshakes <= 4" test "$lead_id:$proven" = "sni-missing:true" -a "$hs" -le 4
check "founding 2.27: notes that the server ignored max_fragment_length" grep -q '"id":"mfl-ignored"' "$out"

# --- the same device's ClientHello pasted as hex (the 2.27 log's 105-byte record)
hello="16 03 01 00 64 01 00 00 60 03 03 ff ff ff ff 18 17 df 62 b9 33 b0 1d 2e 5f 37 06 a8 ad d6 e4 1b
a7 1b 73 42 65 a4 9d 77 d8 27 4d 00 00 0a c0 2c c0 2b c0 2f c0 30 00 ff 01 00 00 2d 00 0d 00 12
00 10 06 03 06 01 05 03 05 01 04 03 04 01 03 03 03 01 00 0a 00 08 00 06 00 18 00 17 00 1e 00 0b
00 02 01 00 00 01 00 01 03"
hout=$("$TD_BIN" diagnose --hello "$hello" --server 127.0.0.1:14800 --sni lab.test --json 2>&1)
check "--hello: leading sni-missing proven in 2 handshakes, nothing to compare with" \
    python3 -c 'import json,sys; d=json.loads(sys.argv[1]); r=d["replay"]
sys.exit(not (d["lead"]["id"]=="sni-missing" and d["lead"]["proven"] and r["handshakes"]==2 and r["reproduced"] is None and r["hello"]=="device_bytes"))' "$hout"

# --- no SNI -> Caddy with the lab certificate: proven server_name, 2 handshakes
peer_caddy 14801 lab.test "$PKI/srv_rsa_chain.crt" "$PKI/srv_rsa.key" || exit 1
cap="$TD_PEERS_TMP/nosni.pcap"
cap_skip=$(capture_skip_reason) || cap_skip=
[ -n "$cap_skip" ] || capture_start lo 14801 "$cap" || exit 1
client_log 14801 set_hostname=no ca_file="$PKI/root.crt"
[ -n "$cap_skip" ] || capture_stop
check "no SNI: client fails (rc $rc)" test "$rc" -eq 1
if [ -n "$cap_skip" ]; then
    echo "skip: --pcap case: $cap_skip"
else
    pout=$("$TD_BIN" diagnose --pcap "$cap" --server 127.0.0.1:14801 --sni lab.test --json 2>&1)
    check "--pcap: leading sni-missing proven in 2 handshakes, reproduced" \
        python3 -c 'import json,sys; d=json.loads(sys.argv[1]); r=d["replay"]
sys.exit(not (d["lead"]["id"]=="sni-missing" and d["lead"]["proven"] and r["handshakes"]==2 and r["reproduced"] is True))' "$pout"
fi
diagnose "$log" 14801 --sni lab.test --ca "$PKI/root.crt"
check "no SNI: leading sni-missing proven in 2 handshakes (got $lead_id $proven $hs)" \
    test "$lead_id:$proven:$hs" = "sni-missing:true:2"
check "no SNI: trust checked and fine with the right CA" bash -c "! grep -q 'ca-untrusted' '$out'"
peer_stop_all

# --- ECDSA-only suites -> openssl s_server with an RSA certificate only
peer_openssl 14802 -cert "$PKI/srv_rsa.crt" -key "$PKI/srv_rsa.key" -cert_chain "$PKI/int.crt" -tls1_2 -quiet || exit 1
client_log 14802 ca_file="$PKI/root.crt" \
    force_ciphersuite=TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256,TLS-ECDHE-ECDSA-WITH-AES-256-GCM-SHA384
check "ECDSA-only: client fails (rc $rc)" test "$rc" -eq 1
diagnose "$log" 14802 --ca "$PKI/root.crt"
check "ECDSA-only: leading no-common-suite proven (got $lead_id $proven)" test "$lead_id:$proven" = "no-common-suite:true"
check "ECDSA-only: the fix names an RSA suite the client can enable ($fix)" \
    bash -c "grep -q 'MBEDTLS_KEY_EXCHANGE_.*RSA_ENABLED' <<<'$fix' && grep -q 'MBEDTLS_TLS_.*RSA_WITH' <<<'$fix'"
check "ECDSA-only: $hs handshakes within the bound $bound" within_bound
check "ECDSA-only: 3 handshakes (replay, every suite Mbed TLS has, the one the server chose)" test "$hs" -eq 3
# the same at debug level 3: no hex dump, so the ClientHello is rebuilt from the log's text
client_log 14802 ca_file="$PKI/root.crt" debug_level=3 \
    force_ciphersuite=TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256,TLS-ECDHE-ECDSA-WITH-AES-256-GCM-SHA384
WANT_TEXT=1 diagnose "$log" 14802 --ca "$PKI/root.crt"
check "ECDSA-only, level 3: reconstructed hello, leading no-common-suite proven within the bound (got $lead_id $proven $hs/$bound)" \
    bash -c "[ '$lead_id:$proven' = no-common-suite:true ] && [ $hs -le $bound ] && grep -q '\"hello\":\"reconstructed\"' '$out' && grep -q 'reconstructed from the log' '$out.txt'"
peer_stop_all

# --- TLS 1.2-only client -> TLS 1.3-only server
peer_openssl 14803 -cert "$PKI/srv_rsa.crt" -key "$PKI/srv_rsa.key" -cert_chain "$PKI/int.crt" -tls1_3 -quiet || exit 1
client_log 14803 ca_file="$PKI/root.crt"
check "TLS 1.3-only: client fails (rc $rc)" test "$rc" -eq 1
diagnose "$log" 14803 --ca "$PKI/root.crt"
check "TLS 1.3-only: leading version-mismatch proven in 2 handshakes (got $lead_id $proven $hs)" \
    test "$lead_id:$proven:$hs" = "version-mismatch:true:2"
check "TLS 1.3-only: the fix is MBEDTLS_SSL_PROTO_TLS1_3 on Mbed TLS 3.x" \
    bash -c "grep -q 'MBEDTLS_SSL_PROTO_TLS1_3' <<<'$fix' && grep -q 'Mbed TLS 3' <<<'$fix'"
check "TLS 1.3-only: the encrypted chain was read and trusted" \
    bash -c "! grep -q 'chain-unread\|ca-untrusted' '$out'"
peer_stop_all

# --- group mismatch: the client offers secp521r1 only, the server takes X25519 and P-256
peer_openssl 14804 -cert "$PKI/srv_rsa.crt" -key "$PKI/srv_rsa.key" -cert_chain "$PKI/int.crt" -tls1_2 \
    -groups X25519:P-256 -quiet || exit 1
client_log 14804 ca_file="$PKI/root.crt" curves=secp521r1 force_ciphersuite=TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256
check "groups: client fails (rc $rc)" test "$rc" -eq 1
diagnose "$log" 14804 --ca "$PKI/root.crt"
check "groups: leading no-common-group proven (got $lead_id $proven)" test "$lead_id:$proven" = "no-common-group:true"
check "groups: the fix names a group the server takes ($fix)" \
    bash -c "grep -Eq 'MBEDTLS_ECP_DP_(CURVE25519|SECP256R1)_ENABLED' <<<'$fix'"
check "groups: 3 handshakes (replay, every group, the one the server chose), within the bound $bound" bash -c "[ $hs -eq 3 ] && [ $hs -le $bound ]"
peer_stop_all

# --- the device's CA file does not hold the server's root: trust finding naming the issuer
peer_openssl 14805 -cert "$PKI/srv_rsa.crt" -key "$PKI/srv_rsa.key" -cert_chain "$PKI/int.crt" -quiet || exit 1
client_log 14805 ca_file="$PKI/other_root.crt"
check "CA: client fails (rc $rc)" test "$rc" -eq 1
diagnose "$log" 14805 --ca "$PKI/other_root.crt"
check "CA: leading ca-untrusted proven in 1 handshake (got $lead_id $proven $hs)" \
    test "$lead_id:$proven:$hs" = "ca-untrusted:true:1"
check "CA: names the issuer the device needs" grep -q 'needs the CA certificate .*CN=tlsdoctor lab root' "$out"
# the same server, a device with no CA loaded at all: the server accepts its ClientHello, so the
# failure is the device's own; the log's cause leads, confirmed by the replay (never handshake-ok)
client_log 14805 ca_file=none
check "no CA: client fails (rc $rc)" test "$rc" -eq 1
WANT_TEXT=1 diagnose "$log" 14805
basis=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["lead"]["basis"])' "$out" 2>/dev/null)
check "no CA: leading ca-untrusted on the device's side, basis both (got $lead_id $basis)" \
    test "$lead_id:$basis" = "ca-untrusted:both"
check "no CA: the text says the server accepts and the failure is on the device" \
    grep -q "^On the device's side: the server accepts this ClientHello" "$out.txt"
peer_stop_all

# --- a chain larger than the device's 4096-byte input buffer
peer_openssl 14806 -cert "$PKI/chain4_leaf.crt" -key "$PKI/chain4_leaf.key" \
    -cert_chain <(cat "$PKI/chain4_int2.crt" "$PKI/chain4_int1.crt") -quiet || exit 1
client_log 14806 ca_file="$PKI/chain4_root.crt"
diagnose "$log" 14806 --ca "$PKI/chain4_root.crt" --in-buf 4096
check "size: leading record-too-large proven in 1 handshake (got $lead_id $proven $hs)" \
    test "$lead_id:$proven:$hs" = "record-too-large:true:1"
check "size: states the Certificate size and the 4096-byte buffer" \
    grep -Eq 'Certificate message is [0-9]{4,5} bytes.*holds 4096 \(--in-buf\)' "$out"
peer_stop_all

# --- the server requires a client certificate; the fixture has none
peer_openssl 14807 -cert "$PKI/srv_rsa.crt" -key "$PKI/srv_rsa.key" -cert_chain "$PKI/int.crt" \
    -Verify 1 -CAfile "$PKI/root.crt" -tls1_2 -quiet || exit 1
client_log 14807 ca_file="$PKI/root.crt"
check "client cert: client fails (rc $rc)" test "$rc" -eq 1
diagnose "$log" 14807 --ca "$PKI/root.crt"
check "client cert: leading client-cert-required proven in 1 handshake (got $lead_id $proven $hs)" \
    test "$lead_id:$proven:$hs" = "client-cert-required:true:1"
peer_stop_all

# --- bad input: one line on stderr, an exit code from the table, no crash
"$TD_BIN" diagnose --hello "zz" >/dev/null 2>"$TD_PEERS_TMP/e1"
check "bad hex: exit 3, one line" test "$?:$(wc -l <"$TD_PEERS_TMP/e1")" = "3:1"
"$TD_BIN" diagnose --log "$founding" --server 127.0.0.1:14819 >/dev/null 2>"$TD_PEERS_TMP/e2"
check "nothing listening: exit 4, one line" test "$?:$(wc -l <"$TD_PEERS_TMP/e2")" = "4:1"
"$TD_BIN" diagnose --log "$founding" --hello 00 >/dev/null 2>"$TD_PEERS_TMP/e3"
check "two inputs: exit 2" test "$?" -eq 2

echo "$fails failure(s)"
[ "$fails" -eq 0 ] || exit 1
[ -z "$cap_skip" ] || exit 77
