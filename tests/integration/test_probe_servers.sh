#!/bin/bash
# test_probe_servers.sh -- `tlsdoctor probe` against real servers on 127.0.0.1 (ports 15000-15049),
# each started and stopped here: what it finds must equal each server's configuration and agree
# with sslscan's report of the same server (tests/lib/probe_compare.py does the comparing).
#   openssl s_server  chosen TLS 1.2 / 1.3 suites in server order, two groups, a chain of four
#   gnutls-serv       ECDSA certificate, another set in server order; and default priorities (FFDHE)
#   caddy             requires SNI (alert 80 without); ECDSA TLS 1.2 signature algorithms
#   nginx             ssl_reject_handshake on for unknown names (alert 112)
set -u
TD_SRC=${TD_SRC:?} TD_BUILD=${TD_BUILD:?} BIN=${TD_BIN:?}
source "$TD_SRC/tests/lib/pki.sh"
source "$TD_SRC/tests/lib/peers.sh"
peers_init
peers_lock_ports 15000-15049 || exit 1
PKI="$TD_BUILD/tests/pki"
pki_make "$PKI" >/dev/null || { echo "FAIL pki_make"; exit 1; }
T=$TD_PEERS_TMP
openssl ciphers -V 'ALL:COMPLEMENTOFALL:@SECLEVEL=0' >"$T/ciphers.txt"
fails=0

# NAME PORT SNI CA EXPECT-JSON
probe_and_compare() {
    local name=$1 port=$2 sni=$3 ca=$4 expect=$5
    echo "== $name"
    printf '%s\n' "$expect" >"$T/$name.expect.json"
    if ! timeout 60 "$BIN" probe "127.0.0.1:$port" --sni "$sni" --ca "$ca" --json >"$T/$name.json"; then
        echo "FAIL $name: tlsdoctor probe exited $?"; fails=$((fails + 1)); return
    fi
    timeout 120 sslscan --no-colour --show-sigs --no-heartbleed --no-compression --no-renegotiation \
        --no-fallback --sni-name="$sni" "127.0.0.1:$port" >"$T/$name.sslscan" 2>&1
    python3 "$TD_SRC/tests/lib/probe_compare.py" "$T/$name.json" "$T/$name.sslscan" \
        "$T/$name.expect.json" "$T/ciphers.txt" || fails=$((fails + 1))
}

peer_openssl 15000 -cert "$PKI/chain4_leaf.crt" -key "$PKI/chain4_leaf.key" \
    -cert_chain "$PKI/chain4_ints.crt" -quiet -www -no_ssl3 -no_tls1 -no_tls1_1 -serverpref \
    -cipher 'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA' \
    -ciphersuites 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256' -groups 'X25519:P-384' \
    || { echo "FAIL openssl did not start"; exit 1; }
probe_and_compare openssl 15000 lab.test "$PKI/chain4_root.crt" '{
  "versions": ["TLS 1.2", "TLS 1.3"],
  "suites": {"TLS 1.2": ["0xc030", "0xc02f", "0x002f"], "TLS 1.3": ["0x1302", "0x1303"]},
  "ordered": ["TLS 1.2", "TLS 1.3"],
  "groups13": ["x25519", "secp384r1"], "groups12": ["x25519", "secp384r1"],
  "sni": {"": "server_hello", "wrong": "server_hello"},
  "chain13_count": 4, "chain13_verified": true, "chain13_min_bytes": 4096}'

# the same server over IPv6
_peer_spawn openssl6 15001 openssl s_server -accept '[::1]:15001' -cert "$PKI/srv_rsa.crt" \
    -key "$PKI/srv_rsa.key" -quiet -www -no_tls1_3 || { echo "FAIL openssl on ::1 did not start"; exit 1; }
out=$(timeout 60 "$BIN" probe "[::1]:15001" --sni lab.test --json)
if python3 -c 'import json,sys; d=json.loads(sys.argv[1]); v={x["version"] for x in d["versions"] if x["supported"]}; sys.exit(0 if "TLS 1.2" in v and "TLS 1.3" not in v else 1)' "$out"; then
    echo "ok   IPv6 [::1]: TLS 1.2 found, TLS 1.3 refused as configured"
else
    echo "FAIL IPv6 [::1]: $out" | head -5; fails=$((fails + 1))
fi

peer_gnutls 15010 --x509certfile="$PKI/srv_ec_chain.crt" --x509keyfile="$PKI/srv_ec.key" --http -q \
    --priority='NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM:+CHACHA20-POLY1305:-GROUP-ALL:+GROUP-SECP256R1:+GROUP-SECP384R1:%SERVER_PRECEDENCE' \
    || { echo "FAIL gnutls-serv did not start"; exit 1; }
probe_and_compare gnutls 15010 lab.test "$PKI/root.crt" '{
  "versions": ["TLS 1.2", "TLS 1.3"],
  "suites": {"TLS 1.2": ["0xc02b", "0xcca9"], "TLS 1.3": ["0x1301", "0x1303"]},
  "ordered": ["TLS 1.2", "TLS 1.3"],
  "groups13": ["secp256r1", "secp384r1"], "groups12": ["secp256r1", "secp384r1"],
  "chain13_count": 2, "chain13_verified": true}'

peer_gnutls 15011 --x509certfile="$PKI/srv_ec_chain.crt" --x509keyfile="$PKI/srv_ec.key" --http -q \
    || { echo "FAIL gnutls-serv (default priorities) did not start"; exit 1; }
probe_and_compare gnutls-default 15011 lab.test "$PKI/root.crt" '{
  "groups13_contains": ["ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192"]}'

peer_caddy 15020 lab.test "$PKI/srv_ec_chain.crt" "$PKI/srv_ec.key" || { echo "FAIL caddy did not start"; exit 1; }
probe_and_compare caddy 15020 lab.test "$PKI/root.crt" '{
  "versions": ["TLS 1.2", "TLS 1.3"],
  "sni": {"": "alert:80", "wrong": "alert:80", "lab.test": "server_hello"},
  "sigalgs12_contains": ["ecdsa_secp256r1_sha256", "ecdsa_secp384r1_sha384", "ecdsa_secp521r1_sha512"],
  "sslscan_misses_sigalgs12": true,
  "chain13_count": 2, "chain13_verified": true}'

peer_nginx 15030 "$(nginx_snippet_reject lab.test "$PKI/srv_rsa_chain.crt" "$PKI/srv_rsa.key")" \
    || { echo "FAIL nginx did not start"; exit 1; }
probe_and_compare nginx 15030 lab.test "$PKI/root.crt" '{
  "sni": {"": "alert:112", "wrong": "alert:112", "lab.test": "server_hello"}}'

exit $((fails > 0))
