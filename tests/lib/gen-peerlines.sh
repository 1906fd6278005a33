#!/usr/bin/env bash
# gen-peerlines.sh: capture the error lines real servers (and openssl s_client) print when a TLS
# handshake fails, one failure built on purpose per scenario, so that the reader's table of "the
# other side's lines" (lib/mbedlog/peerline.def) holds strings the programs really print.
#
#   gen-peerlines.sh OUT.tsv [SCENARIO_ID...]   run the scenarios, write the captured lines
#   gen-peerlines.sh --list                     print the scenario table
#
# OUT.tsv columns: scenario, cause (what the scenario builds), program (with its version), the
# peer that failed against it (the Mbed TLS 2.28 fixture client, openssl s_client, or raw bytes),
# the line exactly as printed (only the temp paths are replaced), and with TD_BIN set (a tlsdoctor
# binary) what the reader recognises in the line (td_peer_cause name, or "-"). The client's own "  ! ... returned"
# line goes in a second file, OUT.tsv.client (scenario, line), for the test logs.
# Needs openssl, gnutls-serv, caddy, nginx, mosquitto, haproxy, TD_BUILD with the fixtures.
# Ports: TD_PEERLINES_PORT_BASE (default 15300) + scenario index, below 15380.
set -u

TD_SRC=${TD_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TD_BUILD=${TD_BUILD:-$TD_SRC/build}
PORT_BASE=${TD_PEERLINES_PORT_BASE:-15300}
LIB="$TD_SRC/tests/lib"

# id | cause | server | client
# server: openssl ARGS | gnutls ARGS | nginx [DIRECTIVES] | caddy [TLS-BLOCK] | mosquitto [CONF;CONF] |
#   haproxy [BIND-OPTIONS]
#   (the RSA lab chain for lab.test unless the arguments say otherwise; @PKI@ is the lab PKI)
# client: mbed ARGS (td_mbedclient; server_name=lab.test ca_file=root added unless given) |
#   sclient ARGS (openssl s_client -connect) | gcli ARGS (gnutls-cli) |
#   raw http|partial|garbage (bytes, then close)
scenarios() {
    cat <<'TABLE'
cipher_openssl|no_shared_cipher|openssl|mbed force_ciphersuite=TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256
cipher_nginx|no_shared_cipher|nginx|mbed force_ciphersuite=TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256
cipher_gnutls|no_shared_cipher|gnutls ec|mbed force_ciphersuite=TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256
cipher_caddy|no_shared_cipher|caddy|mbed force_ciphersuite=TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256
cipher_mosquitto|no_shared_cipher|mosquitto|mbed force_ciphersuite=TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256
cipher_sclient_openssl|no_shared_cipher|openssl|sclient -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256
cipher_gcli_openssl|no_shared_cipher|openssl|gcli --priority NORMAL:-KX-ALL:+ECDHE-ECDSA:-VERS-TLS1.3
cipher_haproxy|no_shared_cipher|haproxy|mbed force_ciphersuite=TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256
version_openssl|unsupported_version|openssl -tls1_3|mbed
version_haproxy|unsupported_version|haproxy ssl-min-ver TLSv1.3|mbed
version_nginx|unsupported_version|nginx ssl_protocols TLSv1.3;|mbed
version_gnutls|unsupported_version|gnutls rsa --priority NORMAL:-VERS-ALL:+VERS-TLS1.3|mbed
version_caddy|unsupported_version|caddy protocols tls1.3|mbed
version_caddy_tls10|unsupported_version|caddy|mbed min_version=tls1_0 max_version=tls1_0
version_mosquitto|unsupported_version|mosquitto tls_version tlsv1.3|mbed
version_sclient_openssl|unsupported_version|openssl -tls1_3|sclient -tls1_2
version_gcli_openssl|unsupported_version|openssl -tls1_3|gcli --priority NORMAL:-VERS-ALL:+VERS-TLS1.2
group_openssl|no_shared_group|openssl -tls1_2 -groups X25519|mbed force_ciphersuite=TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256 curves=secp256r1
group_nginx|no_shared_group|nginx ssl_ecdh_curve X25519;|mbed force_ciphersuite=TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256 curves=secp256r1
group_gnutls|no_shared_group|gnutls rsa --priority NORMAL:-GROUP-ALL:+GROUP-X25519|mbed force_ciphersuite=TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256 curves=secp256r1
group_caddy|no_shared_group|caddy curves x25519|mbed force_ciphersuite=TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256 curves=secp256r1
group_sclient_openssl|no_shared_group|openssl -groups X25519|sclient -groups P-256
unknownca_openssl|unknown_ca|openssl|mbed ca_file=@PKI@/other_root.crt
unknownca_nginx|unknown_ca|nginx|mbed ca_file=@PKI@/other_root.crt
unknownca_gnutls|unknown_ca|gnutls rsa|mbed ca_file=@PKI@/other_root.crt
unknownca_caddy|unknown_ca|caddy|mbed ca_file=@PKI@/other_root.crt
unknownca_mosquitto|unknown_ca|mosquitto|mbed ca_file=@PKI@/other_root.crt
unknownca_sclient_openssl|unknown_ca|openssl|sclient -CAfile @PKI@/other_root.crt -verify_return_error
unknownca_gcli_openssl|unknown_ca|openssl|gcli --x509cafile @PKI@/other_root.crt
clientca_openssl|client_cert_untrusted|openssl -Verify 1 -CAfile @PKI@/other_root.crt|mbed crt_file=@PKI@/client_chain.crt key_file=@PKI@/client.key
clientca_nginx|client_cert_untrusted|nginx ssl_client_certificate @PKI@/other_root.crt; ssl_verify_client on;|mbed crt_file=@PKI@/client_chain.crt key_file=@PKI@/client.key request=yes
clientca_gnutls|client_cert_untrusted|gnutls rsa --require-client-cert --verify-client-cert --x509cafile @PKI@/other_root.crt|mbed crt_file=@PKI@/client_chain.crt key_file=@PKI@/client.key
clientca_caddy|client_cert_untrusted|caddy client_auth {;mode require_and_verify;trusted_ca_cert_file @PKI@/other_root.crt;}|mbed crt_file=@PKI@/client_chain.crt key_file=@PKI@/client.key
clientca_mosquitto|client_cert_untrusted|mosquitto require_certificate true;cafile @PKI@/other_root.crt|mbed crt_file=@PKI@/client_chain.crt key_file=@PKI@/client.key
certreq_openssl|cert_required|openssl -Verify 1 -CAfile @PKI@/root.crt|mbed
certreq_nginx|cert_required|nginx ssl_client_certificate @PKI@/root.crt; ssl_verify_client on;|mbed request=yes
certreq_gnutls|cert_required|gnutls rsa --require-client-cert --x509cafile @PKI@/root.crt|mbed
certreq_caddy|cert_required|caddy client_auth {;mode require_and_verify;trusted_ca_cert_file @PKI@/root.crt;}|mbed
certreq_mosquitto|cert_required|mosquitto require_certificate true;cafile @PKI@/root.crt|mbed
certreq_haproxy|cert_required|haproxy ca-file @PKI@/root.crt verify required|mbed
certreq_sclient_openssl|cert_required|openssl -tls1_2 -Verify 1 -CAfile @PKI@/root.crt|sclient
nosni_caddy|no_sni|caddy|mbed set_hostname=no
sni_openssl|unrecognized_name|openssl -servername lab.test -cert2 @PKI@/srv_rsa.crt -key2 @PKI@/srv_rsa.key -servername_fatal|mbed server_name=other.test
closed_openssl|peer_closed|openssl|raw partial
closed_nginx|peer_closed|nginx|raw partial
closed_gnutls|peer_closed|gnutls rsa|raw partial
closed_caddy|peer_closed|caddy|raw partial
closed_mosquitto|peer_closed|mosquitto|raw partial
http_openssl|not_tls|openssl|raw http
http_nginx|not_tls|nginx|raw http
http_gnutls|not_tls|gnutls rsa|raw http
http_caddy|not_tls|caddy|raw http
http_mosquitto|not_tls|mosquitto|raw http
plain_sclient_nginx|not_tls|nginx plain|sclient
garbage_openssl|decode_error|openssl|raw garbage
garbage_caddy|decode_error|caddy|raw garbage
garbage_gnutls|decode_error|gnutls rsa|raw garbage
TABLE
}

die() { echo "gen-peerlines: $*" >&2; exit 2; }

# start_caddy PORT [TLS-BLOCK]: Caddy for lab.test with debug logging (its TLS handshake errors
# are debug-level lines of the http.stdlib logger).
start_caddy() {
    local port=$1 block=${2:-} dir="$TD_PEERS_TMP/caddy-$1"
    mkdir -p "$dir/home"
    cat >"$dir/Caddyfile" <<CADDY
{
	debug
	admin off
	auto_https disable_redirects
	skip_install_trust
	storage file_system $dir/data
}
https://lab.test:$port {
	bind 127.0.0.1
	tls $PKI/srv_rsa_chain.crt $PKI/srv_rsa.key {
		$(tr ';' '\n' <<<"$block")
	}
	respond "hello\n"
}
CADDY
    PEER_CONF="$dir/Caddyfile"
    _peer_spawn caddy "$port" env HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config" \
        XDG_DATA_HOME="$dir/home/.local/share" caddy run --config "$dir/Caddyfile" --adapter caddyfile
}

# start_mosquitto PORT [CONF;CONF...]: mosquitto with its own config, TLS on PORT, logging all.
start_mosquitto() {
    local port=$1 extra=${2:-} dir="$TD_PEERS_TMP/mosquitto-$1"
    mkdir -p "$dir"
    {
        echo "per_listener_settings true"
        echo "persistence false"
        echo "log_dest stderr"
        echo "log_type all"
        echo "user root"
        echo "listener $port 127.0.0.1"
        echo "allow_anonymous true"
        echo "certfile $PKI/srv_rsa_chain.crt"
        echo "keyfile $PKI/srv_rsa.key"
        [ -n "$extra" ] && tr ';' '\n' <<<"$extra"
    } >"$dir/mosquitto.conf"
    PEER_CONF="$dir/mosquitto.conf"
    _peer_spawn mosquitto "$port" mosquitto -c "$dir/mosquitto.conf"
}

# start_haproxy PORT [BIND-OPTIONS]: HAProxy terminating TLS on PORT, logging to stdout.
start_haproxy() {
    local port=$1 opts=${2:-} dir="$TD_PEERS_TMP/haproxy-$1"
    mkdir -p "$dir"
    cat "$PKI/srv_rsa_chain.crt" "$PKI/srv_rsa.key" >"$dir/site.pem"
    cat >"$dir/haproxy.cfg" <<HAP
global
    log stdout format raw local0 debug
defaults
    mode http
    log global
    option httplog
    timeout connect 5s
    timeout client 5s
    timeout server 5s
frontend fe
    bind 127.0.0.1:$port ssl crt $dir/site.pem $opts
    http-request return status 200 content-type text/plain string hello
HAP
    PEER_CONF="$dir/haproxy.cfg"
    _peer_spawn haproxy "$port" haproxy -db -f "$dir/haproxy.cfg"
}

start_server() { # SPEC PORT
    local kind=${1%% *} rest=${1#* } port=$2
    [ "$rest" = "$1" ] && rest=
    case $kind in
    openssl)
        local a=()
        read -r -a a <<<"$rest"
        peer_openssl "$port" -cert "$PKI/srv_rsa.crt" -key "$PKI/srv_rsa.key" -cert_chain "$PKI/int.crt" \
            -www "${a[@]}" ;;
    gnutls)
        local a=() crt=srv_rsa
        read -r -a a <<<"$rest"
        [ "${a[0]:-}" = ec ] && crt=srv_ec
        peer_gnutls "$port" --x509certfile "$PKI/${crt}_chain.crt" --x509keyfile "$PKI/$crt.key" --http \
            "${a[@]:1}" ;;
    nginx)
        if [ "$rest" = plain ]; then
            peer_nginx "$port" "    server { listen 127.0.0.1:@PORT@; location / { return 200 \"plain\\n\"; } }"
        else
            peer_nginx "$port" "$(nginx_snippet_site lab.test "$PKI/srv_rsa_chain.crt" "$PKI/srv_rsa.key" "$rest")"
        fi ;;
    caddy) start_caddy "$port" "$rest" ;;
    mosquitto) start_mosquitto "$port" "$rest" ;;
    haproxy) start_haproxy "$port" "$rest" ;;
    *) die "unknown server $kind" ;;
    esac
}

program_version() { # KIND
    case $1 in
    openssl) openssl version | awk '{print "OpenSSL " $2}' ;;
    gnutls) gnutls-serv --version | head -n 1 | awk '{print "GnuTLS " $2}' ;;
    nginx) nginx -v 2>&1 | sed 's|nginx version: nginx/|nginx |' ;;
    caddy) caddy version | awk '{print "Caddy " $1}' ;;
    mosquitto) mosquitto -h 2>&1 | sed -n 's/^mosquitto version /mosquitto /p' | head -n 1 ;;
    haproxy) haproxy -v | awk 'NR == 1 {print "HAProxy " $3}' ;;
    esac
}

run_client() { # SPEC PORT OUTFILE
    local kind=${1%% *} rest=${1#* } port=$2 out=$3 a=()
    [ "$rest" = "$1" ] && rest=
    case $kind in
    mbed)
        read -r -a a <<<"$rest"
        local base=(server_addr=127.0.0.1 "server_port=$port" debug_level=0 request=no)
        [[ " $rest " == *" server_name="* ]] || base+=(server_name=lab.test)
        [[ " $rest " == *" ca_file="* ]] || base+=("ca_file=$PKI/root.crt")
        timeout 20 "$CLIENT" "${base[@]}" "${a[@]}" >"$out" 2>&1 ;;
    sclient)
        read -r -a a <<<"$rest"
        [[ " $rest " == *" -CAfile "* ]] || a+=(-CAfile "$PKI/root.crt")
        timeout 20 openssl s_client -connect "127.0.0.1:$port" -servername lab.test "${a[@]}" \
            </dev/null >"$out" 2>&1 ;;
    gcli)
        read -r -a a <<<"$rest"
        [[ " $rest " == *" --x509cafile "* ]] || a+=(--x509cafile "$PKI/root.crt")
        timeout 20 gnutls-cli -p "$port" --sni-hostname=lab.test --verify-hostname=lab.test "${a[@]}" \
            127.0.0.1 </dev/null >"$out" 2>&1 ;;
    raw)
        case $rest in
        http) "$TD_PYTHON" - "$port" >"$out" 2>&1 <<'PY' ;;
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(b"GET / HTTP/1.1\r\nHost: lab.test\r\n\r\n")
try:
    print(s.recv(4096)[:200])
except OSError as e:
    print(e)
s.close()
PY
        partial) "$TD_PYTHON" - "$port" >"$out" 2>&1 <<'PY' ;;
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
# the first bytes of a ClientHello record (200 bytes announced), then a close
s.sendall(bytes.fromhex("16030100c8010000c40303") + bytes(20))
time.sleep(0.3)
s.close()
PY
        garbage) "$TD_PYTHON" - "$port" >"$out" 2>&1 <<'PY' ;;
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
# a handshake record holding a handshake message whose length runs past the record
s.sendall(bytes.fromhex("1603010008" "01ffffff" "03030000"))
try:
    s.recv(4096)
except OSError:
    pass
s.close()
PY
        esac ;;
    esac
}

# The lines of a program's output that say why a handshake failed.
error_lines() { # KIND FILE
    case $1 in
    caddy) grep -E 'handshake error|no certificate matching TLS ClientHello' "$2" ;;
    mosquitto) grep -E 'OpenSSL Error|SSL|error|Error|failed' "$2" | grep -v -E 'mosquitto version|disconnected: Protocol error' ;;
    nginx) grep -E '\] [0-9#]+: \*[0-9]+ ' "$2" ;;
    haproxy) grep -E 'SSL|ssl|handshake' "$2" ;;
    gcli) grep -E '^\*\*\*|NOT trusted|- Status' "$2" ;;
    *) grep -E -i 'error|fail|alert|unexpected|no shared|unsupported|closed|certificate' "$2" |
        grep -v -E '^(verify return|    Verify return code: 0|depth=|verify depth|-----|Certificate chain|Server certificate|Acceptable client|Client Certificate Types|No client certificate CA|no peer certificate available)' ;;
    esac
}

run_one() { # INDEX LINE
    local id cause server client port=$((PORT_BASE + $1))
    IFS='|' read -r id cause server client <<<"$2"
    [ "$port" -lt 15380 ] || die "port $port outside 15300-15379"
    server=${server//@PKI@/$PKI}
    client=${client//@PKI@/$PKI}
    local skind=${server%% *} ckind=${client%% *} cout="$TD_PEERS_TMP/$id.client"
    start_server "$server" "$port" || { echo "FAIL $id: server did not start" >&2; return 1; }
    run_client "$client" "$port" "$cout"
    _td_sleep 0.5
    peer_stop "$PEER_PID"
    local prog peer
    case $ckind in
    mbed) peer="td_mbedclient (Mbed TLS 2.28)" ;;
    sclient) peer="openssl s_client" ;;
    gcli) peer="gnutls-cli" ;;
    raw) peer="raw bytes (${client#raw })" ;;
    esac
    local src=$PEER_LOG
    if [ "$ckind" = gcli ]; then
        # the client's side again: gnutls-cli's own lines
        prog="gnutls-cli ($(program_version gnutls))"
        src=$cout
        skind=gcli
    elif [ "$ckind" = sclient ]; then
        # the interesting side is the client's: s_client's own error lines
        prog="openssl s_client ($(program_version openssl))"
        src=$cout
        skind=openssl
    else
        prog=$(program_version "$skind")
        [ "$skind" = openssl ] && prog="openssl s_server ($prog)"
        [ "$skind" = gnutls ] && prog="gnutls-serv ($prog)"
    fi
    error_lines "$skind" "$src" >"$TD_PEERS_TMP/$id.lines"
    sed -e "s|$PKI|pki|g" -e "s|$TD_PEERS_TMP|tmp|g" "$TD_PEERS_TMP/$id.lines" |
        awk -v id="$id" -v c="$cause" -v p="$prog" -v q="$peer" 'NF { print id "\t" c "\t" p "\t" q "\t" $0 }'
    if [ "$ckind" = mbed ]; then
        grep -E '^  ! ' "$cout" | awk -v id="$id" '{ print id "\t" $0 }' >>"$OUT.client"
    fi
    return 0
}

# annotate FILE: adds the column "recognised": what `tlsdoctor log --transcripts` makes of each line.
annotate() {
    local f=$1 sc ca pr pe line cause
    {
        printf 'scenario\tcause\tprogram\tpeer\tline\trecognised\n'
        tail -n +2 "$f" | while IFS=$'\t' read -r sc ca pr pe line; do
            cause=$(printf '%s\n' "$line" | "$TD_BIN" log --transcripts - 2>/dev/null | "$TD_PYTHON" -c '
import json, sys
try:
    d = json.load(sys.stdin)
except ValueError:
    d = {"attempts": []}
c = [e.get("cause") for a in d["attempts"] for e in a["events"] if e.get("fact") == "peer_error"]
print(c[0] if c else "-")')
            printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$sc" "$ca" "$pr" "$pe" "$line" "$cause"
        done
    } >"$f.ann" && mv "$f.ann" "$f"
}

main() {
    [ "${1:-}" = "--list" ] && { scenarios; exit 0; }
    [ $# -ge 1 ] || die "usage: gen-peerlines.sh OUT.tsv [SCENARIO_ID...] | --list"
    OUT=$1
    shift
    source "$LIB/pki.sh"
    source "$LIB/peers.sh"
    peers_init
    CLIENT=$(peers_fixture td_mbedclient) || exit 2
    PKI=${TD_PKI_DIR:-$TD_BUILD/tests/pki}
    pki_make "$PKI" || die "pki_make failed"
    peers_lock_ports "$PORT_BASE-15379" || exit 2
    : >"$OUT.client"
    local idx=0 line id want n=0
    {
        printf 'scenario\tcause\tprogram\tpeer\tline\n'
        while IFS= read -r line; do
            id=${line%%|*}
            idx=$((idx + 1))
            if [ $# -gt 0 ]; then
                for want in "$@"; do [ "$want" = "$id" ] && break; want=; done
                [ -n "$want" ] || continue
            fi
            run_one "$idx" "$line"
            n=$((n + 1))
        done < <(scenarios)
    } >"$OUT"
    [ -n "${TD_BIN:-}" ] && annotate "$OUT"
    echo "gen-peerlines: $(($(wc -l <"$OUT") - 1)) line(s) in $OUT"
}

main "$@"
