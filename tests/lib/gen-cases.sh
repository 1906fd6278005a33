#!/usr/bin/env bash
# gen-cases.sh: generate real failure (and success) cases: the Mbed TLS 2.28 fixture client against
# real servers on 127.0.0.1, each case's cause built on purpose, its outcome observed.
#
#   gen-cases.sh OUTDIR [CASE_ID...]   generate (all cases, or the named ones) into OUTDIR/CASE_ID/
#   gen-cases.sh --list                print the case table: id|category|leading|exit|alerts|error
#   gen-cases.sh --replay OUTDIR BIN   start each generated case's own server again (ports 14900-14979)
#                                      and run BIN diagnose on its client.log against it: replay.json,
#                                      replay.txt, replay.exit in each case folder
#   gen-cases.sh --replay-lab TABLE LABDIR OUTDIR BIN
#                                      the same for lab cases: each server recreated from TABLE
#                                      (tests/data/lab-replay.tsv), results in OUTDIR/CASE/
#
# OUTDIR/INDEX.tsv lists the cases. Each case folder: client.log (fixture output), capture.pcap (tcpdump on lo, that case's port),
# server.txt (server command and output), expected.txt (key=value: what was built and what was
# observed), certs/ (public certificates of the trust anchor and the server chain).
# expected.txt holds what actually happened (client exit code, alerts seen by tshark in the capture,
# the "! ... returned" line; a table entry may list alternatives "A or B" when the real outcome
# races); when that differs from what the case was built to show, the case is
# written with status=unexpected and the script exits 1.
# Needs root (tcpdump), openssl, gnutls-serv, caddy, nginx, tshark; TD_BUILD with the fixtures.
# Ports: TD_CASES_PORT_BASE (default 14300) + case index, below 14400.
set -u

TD_SRC=${TD_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TD_BUILD=${TD_BUILD:-$TD_SRC/build}
PORT_BASE=${TD_CASES_PORT_BASE:-14300}
LIB="$TD_SRC/tests/lib"

# The case table. Fields separated by |:
#   id | cause_category | expect_leading | exit | alerts | error | server | client args | description
# exit: the fixture's exit code (0 ok, 1 handshake failed, 3 connect failed, 4 read failed, 5 HTTP
# not 2xx). alerts: what tshark sees in the capture, SENDER:LEVEL:DESC joined by ';' (encrypted
# alerts as SENDER:encrypted), or none. error: "FUNC -0xNNNN" from the client's "  ! FUNC returned"
# line, or none. server: a peer spec (see start_server). Client args are added to
# "server_addr=127.0.0.1 server_port=PORT debug_level=4"; @PKI@ is the lab PKI directory.
cases_table() {
    cat <<'TABLE'
ok_openssl|SUCCESS|none|0|server:encrypted;client:encrypted|none|openssl rsa|server_name=lab.test ca_file=@PKI@/root.crt|openssl s_server with an RSA chain; full handshake and an HTTP request.
ok_openssl_dbg1|SUCCESS|none|0|server:encrypted;client:encrypted|none|openssl rsa|server_name=lab.test ca_file=@PKI@/root.crt debug_level=1|ok_openssl at debug level 1.
ok_openssl_dbg2|SUCCESS|none|0|server:encrypted;client:encrypted|none|openssl rsa|server_name=lab.test ca_file=@PKI@/root.crt debug_level=2|ok_openssl at debug level 2.
ok_openssl_dbg3|SUCCESS|none|0|server:encrypted;client:encrypted|none|openssl rsa|server_name=lab.test ca_file=@PKI@/root.crt debug_level=3|ok_openssl at debug level 3.
ok_openssl_noptr|SUCCESS|none|0|server:encrypted;client:encrypted|none|openssl rsa|server_name=lab.test ca_file=@PKI@/root.crt ssl_ptr=strip|ok_openssl with the context-pointer prefix stripped (lines as an upstream default build prints them).
ok_caddy|SUCCESS|none|0|server:encrypted;client:encrypted|none|caddy|server_name=lab.test ca_file=@PKI@/root.crt|Caddy (Go crypto/tls) serving lab.test; the client sends SNI lab.test.
ok_gnutls_ecdsa|SUCCESS|none|0|server:encrypted;client:encrypted|none|gnutls ec|server_name=lab.test ca_file=@PKI@/root.crt|gnutls-serv with an ECDSA P-256 chain.
ok_nginx|SUCCESS|none|0|server:encrypted;client:encrypted|none|nginx reject|server_name=lab.test ca_file=@PKI@/root.crt|nginx with ssl_reject_handshake on for unknown names; the client sends SNI lab.test.
ok_clientcert_openssl|SUCCESS|none|0|server:encrypted;client:encrypted|none|openssl rsa -Verify 1 -CAfile @PKI@/root.crt|server_name=lab.test ca_file=@PKI@/root.crt crt_file=@PKI@/client_chain.crt key_file=@PKI@/client.key|openssl s_server requires a client certificate; the client has one.
sni_missing_caddy|SNI_MISSING|sni-missing|1|server:2:80|mbedtls_ssl_handshake -0x7780|caddy|server_name=lab.test ca_file=@PKI@/root.crt set_hostname=no|Caddy serves only lab.test; the client does not call mbedtls_ssl_set_hostname(), so there is no SNI and Go has no certificate to pick.
sni_missing_caddy_dbg1|SNI_MISSING|sni-missing|1|server:2:80|mbedtls_ssl_handshake -0x7780|caddy|server_name=lab.test ca_file=@PKI@/root.crt set_hostname=no debug_level=1|sni_missing_caddy at debug level 1.
sni_missing_caddy_dbg2|SNI_MISSING|sni-missing|1|server:2:80|mbedtls_ssl_handshake -0x7780|caddy|server_name=lab.test ca_file=@PKI@/root.crt set_hostname=no debug_level=2|sni_missing_caddy at debug level 2.
sni_missing_caddy_dbg3|SNI_MISSING|sni-missing|1|server:2:80|mbedtls_ssl_handshake -0x7780|caddy|server_name=lab.test ca_file=@PKI@/root.crt set_hostname=no debug_level=3|sni_missing_caddy at debug level 3.
sni_missing_caddy_noptr|SNI_MISSING|sni-missing|1|server:2:80|mbedtls_ssl_handshake -0x7780|caddy|server_name=lab.test ca_file=@PKI@/root.crt set_hostname=no ssl_ptr=strip|sni_missing_caddy with the context-pointer prefix stripped.
sni_missing_caddy_ipsan|SUCCESS|none|0|server:encrypted;client:encrypted|none|caddy ip|server_name=lab.test ca_file=@PKI@/root.crt set_hostname=no|No SNI again, but Caddy's certificate also names IP 127.0.0.1: Go/Caddy falls back to the local address the connection came in on and the handshake succeeds.
sni_missing_nginx|SNI_MISSING|sni-missing|1|server:2:112|mbedtls_ssl_handshake -0x7780|nginx reject|server_name=lab.test ca_file=@PKI@/root.crt set_hostname=no|nginx default server has ssl_reject_handshake on; without SNI the ClientHello lands there.
cipher_ecdsaonly_vs_rsa_openssl|CIPHER_MISMATCH|no-common-suite|1|server:2:40|mbedtls_ssl_handshake -0x7780|openssl rsa|server_name=lab.test ca_file=@PKI@/root.crt force_ciphersuite=TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256|The client offers only an ECDHE-ECDSA suite; the server has only an RSA certificate.
cipher_rsaonly_vs_ecdsa_gnutls|CIPHER_MISMATCH|no-common-suite|1|server:2:40|mbedtls_ssl_handshake -0x7780|gnutls ec|server_name=lab.test ca_file=@PKI@/root.crt force_ciphersuite=TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256|The client offers only an ECDHE-RSA suite; gnutls-serv has only an ECDSA certificate.
version_tls12client_vs_tls13only_openssl|VERSION_MISMATCH|version-mismatch|1|server:2:70|mbedtls_ssl_handshake -0x7780|openssl rsa -tls1_3|server_name=lab.test ca_file=@PKI@/root.crt|openssl s_server accepts TLS 1.3 only; Mbed TLS 2.28 offers at most TLS 1.2.
version_tls10client_vs_openssl|VERSION_MISMATCH|version-mismatch|1|server:2:80|mbedtls_ssl_handshake -0x7780|openssl rsa|server_name=lab.test ca_file=@PKI@/root.crt min_version=tls1_0 max_version=tls1_0|The client is limited to TLS 1.0; Debian's OpenSSL 3.0 (security level 2) has no protocol below TLS 1.2 and answers internal_error(80), not protocol_version(70).
group_p256_vs_x25519only_openssl|GROUP_MISMATCH|no-common-group|1|server:2:40|mbedtls_ssl_handshake -0x7780|openssl rsa -tls1_2 -groups X25519|server_name=lab.test ca_file=@PKI@/root.crt force_ciphersuite=TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256 curves=secp256r1|The client offers only ECDHE with secp256r1; the server allows only X25519.
sigalg_sha1only_openssl|SIGALG_MISMATCH|no-common-sigalg|1|server:2:40|mbedtls_ssl_handshake -0x7780|openssl rsa -tls1_2|server_name=lab.test ca_file=@PKI@/root.crt sig_hashes=sha1|The client's signature_algorithms lists only SHA-1; OpenSSL 3.0 at security level 2 refuses SHA-1 signatures.
ca_wrong_cafile_openssl|CA_UNTRUSTED|ca-untrusted|1|client:2:48|mbedtls_ssl_handshake -0x2700|openssl rsa|server_name=lab.test ca_file=@PKI@/other_root.crt|The client trusts an unrelated CA.
ca_none_openssl|CA_UNTRUSTED|ca-untrusted|1|client:2:48|mbedtls_ssl_handshake -0x7680|openssl rsa|server_name=lab.test ca_file=none|The client has no CA chain configured but verification is required.
cert_expired_openssl|CERT_EXPIRED_OR_CLOCK|cert-expired|1|client:2:45|mbedtls_ssl_handshake -0x2700|openssl expired|server_name=lab.test ca_file=@PKI@/root.crt|The server certificate expired on 2021-01-01.
cert_notyetvalid_openssl|CERT_EXPIRED_OR_CLOCK|cert-not-yet-valid|1|client:2:46|mbedtls_ssl_handshake -0x2700|openssl notyet|server_name=lab.test ca_file=@PKI@/root.crt|The server certificate is valid from 2040-01-01.
clock_ahead_openssl|CERT_EXPIRED_OR_CLOCK|cert-expired|1|client:2:45|mbedtls_ssl_handshake -0x2700|openssl rsa|server_name=lab.test ca_file=@PKI@/root.crt fake_time=2240611200|A valid certificate, but the client's clock says 2041-01-01 (a device with a wrong RTC).
clock_behind_openssl|CERT_EXPIRED_OR_CLOCK|cert-not-yet-valid|1|client:2:46|mbedtls_ssl_handshake -0x2700|openssl rsa|server_name=lab.test ca_file=@PKI@/root.crt fake_time=946684800|A valid certificate, but the client's clock says 2000-01-01 (an RTC that was never set).
hostname_mismatch_openssl|HOSTNAME_MISMATCH|hostname-mismatch|1|client:2:42|mbedtls_ssl_handshake -0x2700|openssl wrongname|server_name=lab.test ca_file=@PKI@/root.crt|The server certificate is for other.test; the client expects lab.test.
buffer_hugechain_openssl|BUFFER_TOO_SMALL|record-too-large|1|none|mbedtls_ssl_handshake -0x7080|openssl huge|server_name=lab.test ca_file=@PKI@/chain4_root.crt|The server's Certificate message (about 24 KB) is larger than one TLS record and than MBEDTLS_SSL_IN_CONTENT_LEN (16384); Mbed TLS 2.28 does not reassemble TLS handshake messages split over records.
mfl512_openssl|BUFFER_TOO_SMALL|record-too-large|1|none or server:2:50|mbedtls_ssl_handshake -0x7080|openssl rsa|server_name=lab.test ca_file=@PKI@/root.crt mfl=512|The client negotiates max_fragment_length 512; openssl honours it and splits its Certificate message over several records, which Mbed TLS 2.28 cannot reassemble ("TLS handshake fragmentation not supported").
mfl_ignored_caddy|SUCCESS|none|0|server:encrypted;client:encrypted|none|caddy|server_name=lab.test ca_file=@PKI@/root.crt mfl=512|The client asks for max_fragment_length 512; Caddy (Go) ignores the extension and sends full-size records, which a 16384-byte input buffer still takes: no failure with this build (a 4096-byte build would fail).
ok_chain4_openssl|SUCCESS|none|0|server:encrypted;client:encrypted|none|openssl chain4|server_name=lab.test ca_file=@PKI@/chain4_root.crt|A 4-certificate RSA 4096 chain (about 5.4 KB Certificate message) fits the 16384-byte input buffer.
clientcert_required_openssl|CLIENT_CERT_REQUIRED|client-cert-required|1|server:2:40|mbedtls_ssl_handshake -0x7780 or mbedtls_ssl_handshake -0x50|openssl rsa -tls1_2 -Verify 1 -CAfile @PKI@/root.crt|server_name=lab.test ca_file=@PKI@/root.crt|openssl s_server (TLS 1.2) requires a client certificate; the client has none. openssl sends handshake_failure(40) and closes with the client's flight unread, so under load the client may see the reset (-0x50) before the alert (-0x7780).
clientcert_required_gnutls|CLIENT_CERT_REQUIRED|client-cert-required|1|server:2:50|mbedtls_ssl_handshake -0x7780 or mbedtls_ssl_handshake -0x50|gnutls rsa --require-client-cert --x509cafile @PKI@/root.crt|server_name=lab.test ca_file=@PKI@/root.crt|gnutls-serv requires a client certificate; Mbed TLS 2.28 sends an empty Certificate and gets decode_error(50); gnutls closes with the client's flight unread, so the client sees either the alert (-0x7780) or the reset while still writing its flight (-0x50).
clientcert_required_nginx|CLIENT_CERT_REQUIRED|client-cert-required|5|server:encrypted;client:encrypted|none|nginx verify|server_name=lab.test ca_file=@PKI@/root.crt|nginx ssl_verify_client on; the handshake completes and nginx answers HTTP 400 without any TLS alert.
net_close_after_hello|NETWORK_IO|peer-closed|1|none|mbedtls_ssl_handshake -0x7280|listener close|server_name=lab.test ca_file=@PKI@/root.crt|A TCP listener reads the ClientHello and closes (FIN).
net_reset|NETWORK_IO|connection-reset|1|none|mbedtls_ssl_handshake -0x50|listener reset|server_name=lab.test ca_file=@PKI@/root.crt|A TCP listener reads the ClientHello and resets the connection (RST).
net_timeout|NETWORK_IO|timeout|1|none|mbedtls_ssl_handshake -0x6800|listener silent|server_name=lab.test ca_file=@PKI@/root.crt read_timeout_ms=1000|A TCP listener reads the ClientHello and never answers; the client's read timeout is 1 s.
net_refused|NETWORK_IO|connection-refused|3|none|mbedtls_net_connect -0x44|none|server_name=lab.test ca_file=@PKI@/root.crt|Nothing listens on the port.
TABLE
}

die() { echo "gen-cases: $*" >&2; exit 2; }

# start_server SPEC PORT: starts the peer a case names. SPEC is KIND [VARIANT] [EXTRA ARGS...].
start_server() {
    local kind=$1 port=$3 v crt key ints=int
    read -r -a v <<<"$2"
    local variant=${v[0]:-} extra=("${v[@]:1}")
    case $variant in
    rsa | "") crt=srv_rsa_chain key=srv_rsa ;;
    ec) crt=srv_ec_chain key=srv_ec ;;
    expired) crt=srv_expired_chain key=srv_expired ;;
    notyet) crt=srv_notyet_chain key=srv_notyet ;;
    wrongname) crt=srv_wrongname_chain key=srv_wrongname ;;
    huge) crt=srv_huge_chain key=srv_huge ints=chain4_ints ;;
    chain4) crt=chain4_chain key=chain4_leaf ints=chain4_ints ;;
    *) crt=srv_rsa_chain key=srv_rsa ;;
    esac
    case $kind in
    openssl)
        peer_openssl "$port" -cert "$PKI/$key.crt" -key "$PKI/$key.key" -cert_chain "$PKI/$ints.crt" \
            -www -quiet "${extra[@]}" ;;
    gnutls)
        peer_gnutls "$port" --x509certfile "$PKI/$crt.crt" --x509keyfile "$PKI/$key.key" --http \
            "${extra[@]}" ;;
    caddy)
        if [ "$variant" = ip ]; then
            peer_caddy "$port" lab.test "$PKI/srv_rsa_ip_chain.crt" "$PKI/srv_rsa_ip.key"
        else
            peer_caddy "$port" lab.test "$PKI/srv_rsa_chain.crt" "$PKI/srv_rsa.key"
        fi ;;
    nginx)
        case $variant in
        reject) peer_nginx "$port" "$(nginx_snippet_reject lab.test "$PKI/srv_rsa_chain.crt" "$PKI/srv_rsa.key")" ;;
        verify) peer_nginx "$port" "$(nginx_snippet_verify_client lab.test "$PKI/srv_rsa_chain.crt" "$PKI/srv_rsa.key" "$PKI/root.crt")" ;;
        *) peer_nginx "$port" "$(nginx_snippet_site lab.test "$PKI/srv_rsa_chain.crt" "$PKI/srv_rsa.key")" ;;
        esac ;;
    listener) peer_listener "$port" "$variant" ;;
    none) PEER_PID= PEER_LOG= PEER_CMD= PEER_CONF= ;;
    *) die "unknown server kind $kind" ;;
    esac
}

# The "  ! FUNC returned -0xNNNN" line the client printed, as "FUNC -0xNNNN", or none.
observed_error() {
    local e
    e=$(sed -n 's/^  ! \([a-z_0-9]*\) returned \(-0x[0-9a-f]*\)$/\1 \2/p' "$1" | head -n 1)
    echo "${e:-none}"
}

copy_certs() { # CASEDIR SERVERSPEC CLIENTARGS
    mkdir -p "$1/certs"
    local f
    for f in $(grep -oE "$PKI/[a-z0-9_]+\.crt" <<<"$3"); do cp "$f" "$1/certs/"; done
    case $2 in
    "caddy ip") cp "$PKI/srv_rsa_ip_chain.crt" "$1/certs/server_chain.crt" ;;
    *ec*) cp "$PKI/srv_ec_chain.crt" "$1/certs/server_chain.crt" ;;
    *expired*) cp "$PKI/srv_expired_chain.crt" "$1/certs/server_chain.crt" ;;
    *notyet*) cp "$PKI/srv_notyet_chain.crt" "$1/certs/server_chain.crt" ;;
    *wrongname*) cp "$PKI/srv_wrongname_chain.crt" "$1/certs/server_chain.crt" ;;
    *huge*) cp "$PKI/srv_huge_chain.crt" "$1/certs/server_chain.crt" ;;
    *chain4*) cp "$PKI/chain4_chain.crt" "$1/certs/server_chain.crt" ;;
    listener* | none) ;;
    *) cp "$PKI/srv_rsa_chain.crt" "$1/certs/server_chain.crt" ;;
    esac
}

# run_case INDEX LINE: runs one case into $OUT/ID (client.log, capture.pcap, server.txt, .run).
# Runs in a background subshell; its own EXIT trap stops what it started.
run_case() {
    local idx=$1 id cat lead want_exit want_alerts want_error server cargs desc
    IFS='|' read -r id cat lead want_exit want_alerts want_error server cargs desc <<<"$2"
    local port=$((PORT_BASE + idx)) dir="$OUT/$id" kind rest args rc
    [ "$port" -lt 14400 ] || die "port $port outside 14300-14399"
    rm -rf "$dir" && mkdir -p "$dir"
    kind=${server%% *}
    rest=${server#"$kind"}
    rest=${rest# }
    rest=${rest//@PKI@/$PKI}
    cargs=${cargs//@PKI@/$PKI}
    start_server "$kind" "$rest" "$port" || { echo "FAIL $id: server did not start" >&2; return 1; }
    read -r -a args <<<"server_addr=127.0.0.1 server_port=$port debug_level=4 $cargs"
    capture_start lo "$port" "$dir/capture.pcap" || return 1
    timeout 60 "$CLIENT" "${args[@]}" >"$dir/client.log" 2>&1
    rc=$?
    capture_stop
    [ -n "$PEER_PID" ] && peer_stop "$PEER_PID"
    {
        echo "server: $kind"
        echo "listen: 127.0.0.1:$port"
        echo "command: ${PEER_CMD:-none (nothing listens)}"
        if [ -n "$PEER_CONF" ] && [ -f "$PEER_CONF" ]; then
            echo "--- config file ---"
            cat "$PEER_CONF"
        fi
        echo "--- server output ---"
        [ -n "$PEER_LOG" ] && [ -f "$PEER_LOG" ] && cat "$PEER_LOG"
    } | sed -e "s|$PKI|pki|g" -e "s|$TD_PEERS_TMP|tmp|g" -e "s|$TD_BUILD/tests/fixtures|fixtures|g" >"$dir/server.txt"
    copy_certs "$dir" "$server" "$cargs"
    {
        echo "port=$port"
        echo "client_exit=$rc"
        echo "client_command=td_mbedclient ${args[*]//$PKI/pki}"
    } >"$dir/.run"
}

# all_alerts: alerts in every case's capture, one tshark run: "PORT<TAB>SENDER:LEVEL:DESC".
all_alerts() {
    local caps=("$OUT"/*/capture.pcap)
    [ -e "${caps[0]}" ] || return 0
    mergecap -w "$TD_PEERS_TMP/all.pcap" "${caps[@]}" || return 1
    tshark -r "$TD_PEERS_TMP/all.pcap" -d "tcp.port==$PORT_BASE-14399,tls" -Y tls.record.content_type==21 \
        -T fields -e tcp.srcport -e tcp.dstport -e tls.alert_message.level -e tls.alert_message.desc 2>/dev/null |
        awk -F'\t' -v lo="$PORT_BASE" '{
            if ($1 >= lo && $1 < 14400) { port = $1; who = "server" } else { port = $2; who = "client" }
            n = split($3, lv, ","); split($4, ds, ",")
            if (n == 0) print port "\t" who ":encrypted"
            for (i = 1; i <= n; i++) print port "\t" who ":" lv[i] ":" ds[i] }'
}

# finish_case LINE ALERTFILE: writes expected.txt from what was observed; 1 when unexpected.
finish_case() {
    local id cat lead want_exit want_alerts want_error server cargs desc
    IFS='|' read -r id cat lead want_exit want_alerts want_error server cargs desc <<<"$1"
    local dir="$OUT/$id" port rc alerts err dbg status=ok cmd
    [ -f "$dir/.run" ] || { echo "FAIL $id: did not run" >&2; return 1; }
    port=$(sed -n 's/^port=//p' "$dir/.run")
    rc=$(sed -n 's/^client_exit=//p' "$dir/.run")
    cmd=$(sed -n 's/^client_command=//p' "$dir/.run")
    alerts=$(awk -F'\t' -v p="$port" '$1 == p {print $2}' "$2" | paste -sd ';')
    alerts=${alerts:-none}
    err=$(observed_error "$dir/client.log")
    if [ "$rc" != "$want_exit" ] || ! matches "$alerts" "$want_alerts" || ! matches "$err" "$want_error"; then
        status=unexpected
        echo "UNEXPECTED $id: exit $rc (want $want_exit), alerts $alerts (want $want_alerts), error $err (want $want_error)" >&2
    fi
    dbg=$(grep -oE 'debug_level=[0-4]' <<<"$cmd" | tail -n 1)
    {
        echo "case_id=$id"
        echo "status=$status"
        echo "cause_category=$cat"
        echo "expect_leading=$lead"
        echo "client=td_mbedclient ($(sed -n '1s/^td_mbedclient (\(.*\))$/\1/p' "$dir/client.log"), Debian libmbedtls, MBEDTLS_SSL_IN_CONTENT_LEN 16384)"
        echo "client_command=$cmd"
        echo "client_debug_level=${dbg#debug_level=}"
        echo "server=${server%% *}"
        echo "server_command=$(sed -n 's/^command: //p' "$dir/server.txt")"
        echo "port=$port"
        echo "client_exit=$rc"
        echo "alerts_in_capture=$alerts"
        echo "mbedtls_error=$err"
        echo "description=$desc"
    } >"$dir/expected.txt"
    rm -f "$dir/.run"
    [ "$status" = ok ]
}

# INDEX.tsv over every case folder in $OUT, like the lab corpus' index.
write_index() {
    local f
    {
        printf 'case_id\tstatus\tserver\tcause_category\texpect_leading\tclient_exit\talerts_in_capture\tmbedtls_error\n'
        for f in "$OUT"/*/expected.txt; do
            [ -f "$f" ] || continue
            awk -F= '{ k = $1; sub(/^[^=]*=/, ""); v[k] = $0 }
                END { print v["case_id"] "\t" v["status"] "\t" v["server"] "\t" v["cause_category"] "\t" \
                      v["expect_leading"] "\t" v["client_exit"] "\t" v["alerts_in_capture"] "\t" v["mbedtls_error"] }' "$f"
        done
    } >"$OUT/INDEX.tsv"
}

_gen_exit() {
    local rc=$? j
    for j in $(jobs -p); do kill -TERM "$j" 2>/dev/null; done
    wait
    _peers_exit
    return $rc
}

# replay_one INDEX LOG OUTDIR BIN SERVERSPEC DIAGNOSE-ARGS...: the server (a start_server spec,
# @PKI@ expanded) on port 14900 + INDEX, then `tlsdoctor diagnose` on LOG against it:
# OUTDIR/replay.json (and .txt, .err, .exit).
replay_one() {
    local idx=$1 log=$2 dir=$3 bin=$4 server=$5 kind rest
    shift 5
    local port=$((14900 + idx)) dargs=("$@")
    [ "$port" -lt 14980 ] || die "port $port outside 14900-14979"
    kind=${server%% *}
    rest=${server#"$kind"}
    rest=${rest# }
    rest=${rest//@PKI@/$PKI}
    dargs=("${dargs[@]//@PKI@/$PKI}")
    start_server "$kind" "$rest" "$port" || { echo "FAIL $dir: server did not start for the replay" >&2; return 1; }
    mkdir -p "$dir"
    timeout 120 "$bin" diagnose --log "$log" --server "127.0.0.1:$port" --json "${dargs[@]}" \
        >"$dir/replay.json" 2>"$dir/replay.err"
    echo $? >"$dir/replay.exit"
    timeout 120 "$bin" diagnose --log "$log" --server "127.0.0.1:$port" "${dargs[@]}" >"$dir/replay.txt" 2>&1
    [ -n "$PEER_PID" ] && peer_stop "$PEER_PID"
    return 0
}

# replay_case INDEX LINE BIN: a generated case's own server again, the case's trust anchor as --ca.
replay_case() {
    local idx=$1 bin=$3 id cat lead want_exit want_alerts want_error server cargs desc ca dargs=()
    IFS='|' read -r id cat lead want_exit want_alerts want_error server cargs desc <<<"$2"
    ca=$(grep -oE 'ca_file=[^ ]+' <<<"$cargs" | tail -n 1)
    ca=${ca#ca_file=}
    [ -n "$ca" ] && [ "$ca" != none ] && dargs+=(--ca "$ca")
    replay_one "$idx" "$OUT/$id/client.log" "$OUT/$id" "$bin" "$server" "${dargs[@]}" --sni lab.test
}

# Runs FUNC ARGS... in a background subshell with its own peers, at most TD_CASES_JOBS (4) at once.
replay_bg() {
    while [ "$(jobs -rp | wc -l)" -ge "${TD_CASES_JOBS:-4}" ]; do wait -n; done
    (
        _TD_PEERS_OWN_TMP=0 _TD_PEER_PIDS=() _TD_CAPTURE_PID=
        trap '_peers_exit' EXIT
        trap 'exit 143' TERM
        "$@"
    ) &
}

replay_setup() {
    source "$LIB/pki.sh"
    source "$LIB/peers.sh"
    peers_init
    trap '_gen_exit' EXIT
    PKI=${TD_PKI_DIR:-$TD_BUILD/tests/pki}
    pki_make "$PKI" || die "pki_make failed"
    peers_lock_ports "14900-14979" || exit 2
}

# --replay OUTDIR BIN: replays every generated case in OUTDIR (status ok) against its own server.
replay_main() {
    OUT=$(cd "$1" && pwd) || die "no case folder $1"
    local bin=$2 idx=0 line id
    [ -x "$bin" ] || die "no tlsdoctor binary at $bin"
    replay_setup
    while IFS= read -r line; do
        id=${line%%|*}
        idx=$((idx + 1))
        grep -qx 'status=ok' "$OUT/$id/expected.txt" 2>/dev/null || continue
        replay_bg replay_case "$idx" "$line" "$bin"
    done < <(cases_table)
    wait
}

# --replay-lab TABLE LABDIR OUTDIR BIN: each lab case the table lists (case, server spec,
# diagnose arguments; tests/data/lab-replay.tsv), its server recreated, its log replayed:
# OUTDIR/CASE/replay.*.
replay_lab_main() {
    local table=$1 lab=$2 out=$3 bin=$4 idx=0 id server args
    [ -x "$bin" ] || die "no tlsdoctor binary at $bin"
    [ -f "$table" ] || die "no table $table"
    mkdir -p "$out" || die "cannot create $out"
    replay_setup
    while IFS=$'\t' read -r id server args; do
        case $id in '#'* | '') continue ;; esac
        idx=$((idx + 1))
        [ -f "$lab/$id/client.log" ] || { echo "FAIL $id: no $lab/$id/client.log" >&2; continue; }
        read -r -a dargs <<<"$args"
        replay_bg replay_one "$((idx + 40))" "$lab/$id/client.log" "$out/$id" "$bin" "$server" "${dargs[@]}"
    done <"$table"
    wait
}

main() {
    OUT=$(cd "$1" && pwd) || die "no case folder $1"
    local bin=$2 idx=0 line id
    [ -x "$bin" ] || die "no tlsdoctor binary at $bin"
    source "$LIB/pki.sh"
    source "$LIB/peers.sh"
    peers_init
    trap '_gen_exit' EXIT
    PKI=${TD_PKI_DIR:-$TD_BUILD/tests/pki}
    pki_make "$PKI" || die "pki_make failed"
    REPLAY_PORT_BASE=14900
    peers_lock_ports "14900-14979" || exit 2
    while IFS= read -r line; do
        id=${line%%|*}
        idx=$((idx + 1))
        grep -qx 'status=ok' "$OUT/$id/expected.txt" 2>/dev/null || continue
        while [ "$(jobs -rp | wc -l)" -ge "${TD_CASES_JOBS:-4}" ]; do wait -n; done
        (
            _TD_PEERS_OWN_TMP=0 _TD_PEER_PIDS=() _TD_CAPTURE_PID=
            trap '_peers_exit' EXIT
            trap 'exit 143' TERM
            replay_case "$idx" "$line" "$bin"
        ) &
    done < <(cases_table)
    wait
}

main() {
    [ "${1:-}" = "--list" ] && { cases_table | cut -d'|' -f1-6; exit 0; }
    [ "${1:-}" = "--replay" ] && { [ $# -eq 3 ] || die "usage: gen-cases.sh --replay OUTDIR TLSDOCTOR"; replay_main "$2" "$3"; exit $?; }
    [ "${1:-}" = "--replay-lab" ] && { [ $# -eq 5 ] || die "usage: gen-cases.sh --replay-lab TABLE LABDIR OUTDIR TLSDOCTOR"; replay_lab_main "$2" "$3" "$4" "$5"; exit $?; }
    [ $# -ge 1 ] || die "usage: gen-cases.sh OUTDIR [CASE_ID...] | --list"
    OUT=$1
    shift
    mkdir -p "$OUT" || die "cannot create $OUT"
    OUT=$(cd "$OUT" && pwd)
    source "$LIB/pki.sh"
    source "$LIB/peers.sh"
    source "$LIB/check.sh"   # matches
    peers_init
    trap '_gen_exit' EXIT
    CLIENT=$(peers_fixture td_mbedclient) || exit 2
    PKI=${TD_PKI_DIR:-$TD_BUILD/tests/pki}
    pki_make "$PKI" || die "pki_make failed"
    # One generator at a time on this machine: the ports and the lo capture are shared.
    peers_lock_ports "$PORT_BASE-14399" || exit 2
    local idx=0 line id bad=0 want lines=()
    while IFS= read -r line; do
        id=${line%%|*}
        idx=$((idx + 1))
        if [ $# -gt 0 ]; then
            for want in "$@"; do [ "$want" = "$id" ] && break; want=; done
            [ -n "$want" ] || continue
        fi
        lines+=("$line")
        while [ "$(jobs -rp | wc -l)" -ge "${TD_CASES_JOBS:-8}" ]; do wait -n; done
        (
            _TD_PEERS_OWN_TMP=0 _TD_PEER_PIDS=() _TD_CAPTURE_PID=
            trap '_peers_exit' EXIT
            trap 'exit 143' TERM
            run_case "$idx" "$line"
        ) &
    done < <(cases_table)
    wait
    all_alerts >"$TD_PEERS_TMP/alerts.tsv" || die "tshark over the captures failed"
    for line in "${lines[@]}"; do finish_case "$line" "$TD_PEERS_TMP/alerts.tsv" || bad=$((bad + 1)); done
    write_index
    echo "gen-cases: ${#lines[@]} case(s) in $OUT, $bad unexpected"
    [ "$bad" -eq 0 ]
}

main "$@"
