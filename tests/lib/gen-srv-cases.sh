#!/usr/bin/env bash
# gen-srv-cases.sh: generate real server-side failure (and success) cases: the Mbed TLS 2.28 fixture
# server (tests/fixtures/td_mbedserver.c) on 127.0.0.1 failing against real clients (openssl
# s_client, the fixture client td_mbedclient, a client that sends its ClientHello and hangs up),
# each case's cause built on purpose, its outcome observed.
#
#   gen-srv-cases.sh OUTDIR [CASE_ID...]   generate (all cases, or the named ones) into OUTDIR/CASE_ID/
#   gen-srv-cases.sh --list                print the case table: id|leading|exit|error
#
# Each case folder: server.log (the fixture server's stdout+stderr at debug_level=4: its application
# lines and its debug lines), client.txt (the client's command and output), expected.txt (key=value:
# what was built and what was observed). OUTDIR/INDEX.tsv lists the cases. When what happened
# differs from what the case was built to show (the server's exit code, its "  ! FUNC returned"
# line), the case is written with status=unexpected and the script exits 1.
# Needs openssl, python3 and TD_BUILD with the fixtures. Ports: TD_SRV_CASES_PORT_BASE (default
# 15100) + case index, below 15120. TD_SRV_CASES_JOBS cases run at once (default 4).
set -u

TD_SRC=${TD_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TD_BUILD=${TD_BUILD:-$TD_SRC/build}
PORT_BASE=${TD_SRV_CASES_PORT_BASE:-15100}
PORT_END=$((PORT_BASE + 20))
LIB="$TD_SRC/tests/lib"

# The case table. Fields separated by |:
#   id | expect_leading | server exit | server error | server args | client | description
# expect_leading: the leading finding the server's log must give (said from the server's side), none
# for a success. server exit: td_mbedserver's exit code (0 ok, 1 handshake failed). server error:
# "FUNC -0xNNNN" from the server's "  ! FUNC returned" line, or none; "A or B" for alternatives.
# server args are added to "server_addr=127.0.0.1 server_port=PORT debug_level=4 accept_timeout_s=20";
# @PKI@ is the lab PKI, @RSA@ its RSA server chain and key. client: "sclient ARGS" (openssl s_client
# -connect 127.0.0.1:PORT ARGS, an HTTP request on stdin, -ign_eof), "mbedclient ARGS"
# (td_mbedclient server_addr=127.0.0.1 server_port=PORT debug_level=1 ARGS) or "hello-close" (an
# OpenSSL ClientHello from Python's ssl module; the server's first flight read; then a close).
cases_table() {
    cat <<'TABLE'
srv_ok_sclient|none|0|none|@RSA@|sclient -servername lab.test -CAfile @PKI@/root.crt|openssl s_client completes a handshake (TLS 1.2, the most 2.28 speaks) and an HTTP request.
srv_no_common_suite|no-common-suite|1|mbedtls_ssl_handshake -0x7380|crt_file=@PKI@/srv_ec_chain.crt key_file=@PKI@/srv_ec.key force_ciphersuite=TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256|sclient -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256 -servername lab.test|The server allows only ECDHE-ECDSA-AES128-GCM; the client offers only ECDHE-RSA-AES128-GCM.
srv_version_mismatch|version-mismatch|1|mbedtls_ssl_handshake -0x6e80|@RSA@ min_version=tls1_2|mbedclient max_version=tls1_1 min_version=tls1_1 ca_file=@PKI@/root.crt server_name=lab.test|The server requires TLS 1.2; the client (td_mbedclient) is limited to TLS 1.1.
srv_no_common_group|no-common-group|1|mbedtls_ssl_handshake -0x7380|@RSA@ force_ciphersuite=TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256 curves=secp384r1|sclient -tls1_2 -groups P-256 -servername lab.test|The server allows only ECDHE with secp384r1; the client offers only P-256.
srv_clientcert_missing|client-cert-required|1|mbedtls_ssl_handshake -0x7480|@RSA@ auth_mode=required ca_file=@PKI@/root.crt|sclient -tls1_2 -servername lab.test|The server requires a client certificate; openssl s_client has none and sends an empty Certificate.
srv_clientcert_missing_mbed|client-cert-required|1|mbedtls_ssl_handshake -0x7480|@RSA@ auth_mode=required ca_file=@PKI@/root.crt|mbedclient ca_file=@PKI@/root.crt server_name=lab.test|The server requires a client certificate; td_mbedclient has none configured.
srv_clientcert_untrusted|ca-untrusted|1|mbedtls_ssl_handshake -0x2700|@RSA@ auth_mode=required ca_file=@PKI@/other_root.crt|sclient -tls1_2 -servername lab.test -cert @PKI@/client_chain.crt -key @PKI@/client.key|The server trusts only an unrelated CA; the client's certificate is issued by the lab CA.
srv_sni_unknown|sni-rejected|1|mbedtls_ssl_handshake -0x7900|sni=lab.test,@PKI@/srv_rsa_chain.crt,@PKI@/srv_rsa.key|sclient -tls1_2 -servername other.test|The server knows only lab.test (sni=); the client asks for other.test.
srv_record_too_large|record-too-large|1|mbedtls_ssl_handshake -0x7080|@RSA@ auth_mode=optional ca_file=@PKI@/root.crt|sclient -tls1_2 -servername lab.test -cert @PKI@/srv_huge_chain.crt -key @PKI@/srv_huge.key|The client sends a certificate chain of about 24 KB: its Certificate message is larger than one record and than the server's input buffer (MBEDTLS_SSL_IN_CONTENT_LEN 16384), which 2.28 cannot reassemble.
srv_version_tls13_client|version-mismatch|1|mbedtls_ssl_handshake -0x7380|@RSA@|sclient -tls1_3 -servername lab.test|openssl s_client offers TLS 1.3 only; Mbed TLS 2.28 speaks at most TLS 1.2 and finds none of the client's (TLS 1.3) suites.
srv_client_rejects_ca|ca-untrusted|1|mbedtls_ssl_handshake -0x7780|@RSA@|sclient -tls1_2 -servername lab.test -verify_return_error -CAfile @PKI@/other_root.crt|The client trusts only an unrelated CA and refuses this server's certificate with unknown_ca (48).
srv_client_rejects_expired|cert-expired|1|mbedtls_ssl_handshake -0x7780|crt_file=@PKI@/srv_expired_chain.crt key_file=@PKI@/srv_expired.key|sclient -tls1_2 -servername lab.test -verify_return_error -CAfile @PKI@/root.crt|This server's certificate expired in 2021; the client refuses it with certificate_expired (45).
srv_mfl_overflow|mfl-ignored|1|mbedtls_ssl_handshake -0x7780|@RSA@|sclient -tls1_2 -servername lab.test -maxfraglen 512|The client asks for max_fragment_length 512; Mbed TLS 2.28 agrees in its ServerHello but sends its Certificate in one record of about 1.7 KB, and OpenSSL refuses it with record_overflow (22).
srv_client_fragments|handshake-fragmentation|1|mbedtls_ssl_handshake -0x7080|@RSA@ auth_mode=required ca_file=@PKI@/root.crt|sclient -tls1_2 -servername lab.test -max_send_frag 512 -cert @PKI@/client_chain.crt -key @PKI@/client.key|The client sends records of at most 512 bytes, so its Certificate message (about 2.5 KB) is split over several, which Mbed TLS 2.28 cannot reassemble.
srv_peer_closed|peer-closed|1|mbedtls_ssl_handshake -0x7280|@RSA@|hello-close|The client sends its ClientHello, reads the server's first flight and closes the connection without an alert.
TABLE
}

die() { echo "gen-srv-cases: $*" >&2; exit 2; }

# The "  ! FUNC returned -0xNNNN" line the server printed, as "FUNC -0xNNNN", or none.
observed_error() {
    local e
    e=$(sed -n 's/^  ! \([a-z_0-9]*\) returned \(-0x[0-9a-f]*\)$/\1 \2/p' "$1" | head -n 1)
    echo "${e:-none}"
}

# A real ClientHello (Python's ssl module, OpenSSL underneath) sent to 127.0.0.1:PORT; the client
# reads the server's first flight, then closes the connection without a word (no alert), as a
# client that gives up mid-handshake does. (Closing before the answer arrives makes the server's
# writes meet a reset, -0x50, rather than the end of file.)
hello_close() {
    "$TD_PYTHON" - "$1" <<'PY'
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
obj = ctx.wrap_bio(inc, out, server_hostname="lab.test")
try:
    obj.do_handshake()
except ssl.SSLWantReadError:
    pass
hello = out.read()
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10) as s:
    s.sendall(hello)
    got = 0
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            got += len(b)
            s.settimeout(1.0)
    except socket.timeout:
        pass
print("sent a ClientHello of %d bytes, read %d bytes of the answer, then closed" % (len(hello), got))
PY
}

# run_client PORT SPEC: runs the case's client; its output on stdout.
run_client() {
    local port=$1 kind=${2%% *} rest args
    rest=${2#"$kind"}
    read -r -a args <<<"$rest"
    case $kind in
    sclient)
        echo "command: openssl s_client -connect 127.0.0.1:$port ${args[*]//$PKI/pki} -ign_eof"
        printf 'GET / HTTP/1.0\r\n\r\n' |
            timeout 20 openssl s_client -connect "127.0.0.1:$port" "${args[@]}" -ign_eof 2>&1 ;;
    mbedclient)
        echo "command: td_mbedclient server_addr=127.0.0.1 server_port=$port debug_level=1 ${args[*]//$PKI/pki}"
        timeout 20 "$CLIENT" server_addr=127.0.0.1 "server_port=$port" debug_level=1 "${args[@]}" 2>&1 ;;
    hello-close)
        echo "command: hello-close (Python ssl ClientHello, then close)"
        hello_close "$port" 2>&1 ;;
    *) echo "unknown client $kind" ;;
    esac
    echo "client exit: $?"
}

# run_case INDEX LINE: one case into $OUT/ID; writes expected.txt; returns 1 when unexpected.
run_case() {
    local idx=$1 id lead want_exit want_error sargs client desc
    IFS='|' read -r id lead want_exit want_error sargs client desc <<<"$2"
    local port=$((PORT_BASE + idx)) dir="$OUT/$id" args rc err status=ok
    [ "$port" -lt "$PORT_END" ] || die "port $port outside $PORT_BASE-$((PORT_END - 1))"
    rm -rf "$dir" && mkdir -p "$dir"
    sargs=${sargs//@RSA@/crt_file=@PKI@/srv_rsa_chain.crt key_file=@PKI@/srv_rsa.key}
    sargs=${sargs//@PKI@/$PKI}
    client=${client//@PKI@/$PKI}
    read -r -a args <<<"server_addr=127.0.0.1 server_port=$port debug_level=4 accept_timeout_s=20 $sargs"
    _peer_spawn td_mbedserver "$port" "$SERVER" "${args[@]}" ||
        { echo "FAIL $id: server did not start" >&2; return 1; }
    local pid=$PEER_PID log=$PEER_LOG
    run_client "$port" "$client" >"$dir/client.txt"
    # the server exits by itself after its one connection (bounded by accept_timeout_s)
    local i
    for ((i = 0; i < 400; i++)); do kill -0 "$pid" 2>/dev/null || break; _td_sleep 0.05; done
    if kill -0 "$pid" 2>/dev/null; then
        echo "gen-srv-cases: $id: server still running, stopped" >&2
        peer_stop "$pid"
        rc=killed
    else
        wait "$pid"
        rc=$?
        peer_stop "$pid"
    fi
    sed -e "s|$PKI|pki|g" "$log" >"$dir/server.log"
    sed -i -e "s|$PKI|pki|g" "$dir/client.txt"
    err=$(observed_error "$dir/server.log")
    if [ "$rc" != "$want_exit" ] || ! matches "$err" "$want_error"; then
        status=unexpected
        echo "UNEXPECTED $id: server exit $rc (want $want_exit), error $err (want $want_error)" >&2
    fi
    {
        echo "case_id=$id"
        echo "status=$status"
        echo "expect_leading=$lead"
        echo "logged_by=server"
        echo "server=td_mbedserver ($(sed -n '1s/^td_mbedserver (\(.*\))$/\1/p' "$dir/server.log"), Debian libmbedtls, MBEDTLS_SSL_IN_CONTENT_LEN 16384)"
        echo "server_command=td_mbedserver ${args[*]//$PKI/pki}"
        echo "client_command=$(sed -n '1s/^command: //p' "$dir/client.txt")"
        echo "port=$port"
        echo "server_exit=$rc"
        echo "mbedtls_error=$err"
        echo "description=$desc"
    } >"$dir/expected.txt"
    [ "$status" = ok ]
}

write_index() {
    local f
    {
        printf 'case_id\tstatus\texpect_leading\tserver_exit\tmbedtls_error\n'
        for f in "$OUT"/*/expected.txt; do
            [ -f "$f" ] || continue
            awk -F= '{ k = $1; sub(/^[^=]*=/, ""); v[k] = $0 }
                END { print v["case_id"] "\t" v["status"] "\t" v["expect_leading"] "\t" \
                      v["server_exit"] "\t" v["mbedtls_error"] }' "$f"
        done
    } >"$OUT/INDEX.tsv"
}

# On exit: stop the cases still running (each stops its own server), then what this shell started.
_gen_exit() {
    local rc=$? j
    for j in $(jobs -p); do kill -TERM "$j" 2>/dev/null; done
    wait
    _peers_exit
    return $rc
}

main() {
    [ "${1:-}" = "--list" ] && { cases_table | cut -d'|' -f1-4; exit 0; }
    [ $# -ge 1 ] || die "usage: gen-srv-cases.sh OUTDIR [CASE_ID...] | --list"
    OUT=$1
    shift
    mkdir -p "$OUT" || die "cannot create $OUT"
    OUT=$(cd "$OUT" && pwd)
    source "$LIB/pki.sh"
    source "$LIB/peers.sh"
    source "$LIB/check.sh"   # matches
    peers_init
    trap '_gen_exit' EXIT
    SERVER=$(peers_fixture td_mbedserver) || exit 2
    CLIENT=$(peers_fixture td_mbedclient) || exit 2
    PKI=${TD_PKI_DIR:-$TD_BUILD/tests/pki}
    pki_make "$PKI" || die "pki_make failed"
    peers_lock_ports "$PORT_BASE-$((PORT_END - 1))" || exit 2
    local idx=0 line id bad=0 want n=0 ids=()
    while IFS= read -r line; do
        id=${line%%|*}
        if [ $# -gt 0 ]; then
            for want in "$@"; do [ "$want" = "$id" ] && break; want=; done
            [ -n "$want" ] || { idx=$((idx + 1)); continue; }
        fi
        n=$((n + 1))
        ids+=("$id")
        while [ "$(jobs -rp | wc -l)" -ge "${TD_SRV_CASES_JOBS:-4}" ]; do wait -n; done
        (
            _TD_PEERS_OWN_TMP=0 _TD_PEER_PIDS=()
            trap '_peers_exit' EXIT
            trap 'exit 143' TERM
            run_case "$idx" "$line"
        ) &
        idx=$((idx + 1))
    done < <(cases_table)
    wait
    for id in "${ids[@]}"; do grep -qx 'status=ok' "$OUT/$id/expected.txt" 2>/dev/null || bad=$((bad + 1)); done
    write_index
    echo "gen-srv-cases: $n case(s) in $OUT, $bad unexpected"
    [ "$bad" -eq 0 ]
}

main "$@"
