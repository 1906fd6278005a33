#!/usr/bin/env bash
# Real-peer infrastructure check: the lab PKI, the Mbed TLS 2.28 fixture client and the server
# launchers in tests/lib, against openssl s_server and Caddy on 127.0.0.1 (ports 14200-14219).
# Every client run is captured (capture_start proves the capture live first). Without root: 77.
set -u
TD_SRC=${TD_SRC:?} TD_BUILD=${TD_BUILD:?}
source "$TD_SRC/tests/lib/pki.sh"
source "$TD_SRC/tests/lib/peers.sh"
source "$TD_SRC/tests/lib/check.sh"
if reason=$(capture_skip_reason); then echo "skip: $reason"; exit 77; fi
peers_init
peers_lock_ports 14200-14219 || exit 1
fails=0

PKI="$TD_BUILD/tests/pki"
pki_make "$PKI" || { echo "FAIL pki_make"; exit 1; }
CLIENT=$(peers_fixture td_mbedclient) || exit 1
check "pki: chain4 > 4096 bytes" test "$(pki_der_size "$PKI/chain4_chain.crt")" -gt 4096
check "pki: huge chain > 16384 bytes" test "$(pki_der_size "$PKI/srv_huge_chain.crt")" -gt 16384
check "pki: expired leaf verifies only as expired" \
    bash -c "openssl verify -CAfile '$PKI/root.crt' -untrusted '$PKI/int.crt' '$PKI/srv_expired.crt' 2>&1 | grep -q 'certificate has expired'"

# client refuses non-loopback addresses
"$CLIENT" server_addr=192.0.2.1 server_port=1 >/dev/null 2>&1
check "client refuses a non-loopback server_addr (exit 2)" test $? -eq 2

run_client() { # PORT ARGS... -> $rc, $log
    local port=$1; shift
    log="$TD_PEERS_TMP/client-$port.log"
    capture_start lo "$port" "$TD_PEERS_TMP/cap-$port.pcap" || return 1
    timeout 30 "$CLIENT" server_addr=127.0.0.1 server_port="$port" "$@" >"$log" 2>&1
    rc=$?
    capture_stop
}

# openssl s_server success at debug level 4: standard debug lines, exit 0
peer_openssl 14200 -cert "$PKI/srv_rsa.crt" -key "$PKI/srv_rsa.key" -cert_chain "$PKI/int.crt" -www -quiet
run_client 14200 server_name=lab.test ca_file="$PKI/root.crt" debug_level=4
check "openssl: handshake + request succeed" test "$rc" -eq 0
check "openssl: debug lines look like ssl_client2" grep -qE '^ssl_cli\.c:[0-9]{4}: \|2\| (0x[0-9a-f]+: )?=> write client hello$' "$log"
check "openssl: capture has the ClientHello" \
    bash -c "tshark -r '$TD_PEERS_TMP/cap-14200.pcap' -d tcp.port==14200,tls -Y 'tls.handshake.type==1' 2>/dev/null | grep -q ."
peer_stop "$PEER_PID"
check "openssl: stopped by PID" peer_port_free 14200

# Caddy without SNI: fatal alert 80 from the server
peer_caddy 14201 lab.test "$PKI/srv_rsa_chain.crt" "$PKI/srv_rsa.key"
run_client 14201 server_name=lab.test ca_file="$PKI/root.crt" set_hostname=no debug_level=4
check "caddy no SNI: handshake fails with -0x7780" grep -q 'mbedtls_ssl_handshake returned -0x7780' "$log"
alerts=$(capture_alerts "$TD_PEERS_TMP/cap-14201.pcap" 14201)
check "caddy no SNI: capture shows server:2:80 (got '$alerts')" test "$alerts" = "server:2:80"
run_client 14201 server_name=lab.test ca_file="$PKI/root.crt" debug_level=1
check "caddy with SNI: success" test "$rc" -eq 0
peer_stop_all
check "caddy: stopped" peer_port_free 14201

# gnutls-serv under the loopback shim: listens on 127.0.0.1 and ::1 only; ECDSA success
peer_gnutls 14202 --x509certfile "$PKI/srv_ec_chain.crt" --x509keyfile "$PKI/srv_ec.key" --http
check "gnutls: every listening socket is loopback" \
    bash -c "[ -z \"\$(ss -Htln '( sport = :14202 )' | awk '{print \$4}' | grep -vE '^(127\.0\.0\.1|\[::1\]):')\" ]"
run_client 14202 server_name=lab.test ca_file="$PKI/root.crt"
check "gnutls: ECDSA handshake succeeds" test "$rc" -eq 0
check "gnutls: negotiated an ECDSA suite" grep -q 'Ciphersuite is TLS-ECDHE-ECDSA' "$log"
timeout 30 "$CLIENT" server_addr=::1 server_port=14202 server_name=lab.test ca_file="$PKI/root.crt" >"$TD_PEERS_TMP/v6.log" 2>&1
check "gnutls: the client reaches it over ::1 too" test $? -eq 0

# nginx ssl_reject_handshake: SNI lab.test succeeds, no SNI gets alert 112
peer_nginx 14203 "$(nginx_snippet_reject lab.test "$PKI/srv_rsa_chain.crt" "$PKI/srv_rsa.key")"
run_client 14203 server_name=lab.test ca_file="$PKI/root.crt"
check "nginx with SNI: success" test "$rc" -eq 0
run_client 14203 server_name=lab.test ca_file="$PKI/root.crt" set_hostname=no
alerts=$(capture_alerts "$TD_PEERS_TMP/cap-14203.pcap" 14203)
check "nginx without SNI: exit 1 and server:2:112 (got $rc, '$alerts')" test "$rc:$alerts" = "1:server:2:112"

# listener: RST after the ClientHello
peer_listener 14204 reset
run_client 14204 server_name=lab.test ca_file="$PKI/root.crt"
check "listener reset: -0x50 in the log" grep -q 'mbedtls_ssl_handshake returned -0x50' "$log"
peer_stop_all
for p in 14202 14203 14204; do check "port $p free after peer_stop_all" peer_port_free $p; done

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
