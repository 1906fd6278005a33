#!/bin/sh
# probe.sh -- tlsdoctor probe vs sslscan, testssl.sh and nmap's ssl-enum-ciphers, one after another
# against the same local servers (openssl s_server, gnutls-serv, caddy, nginx on 127.0.0.1, ports
# 14650-14659): wall time, TCP connections opened (SYNs counted from a tcpdump capture, so it needs
# root) and whether each tool found the configured versions and suites per version. Not a timed
# test: `make bench` runs it. Usage: bench/probe.sh BUILD_DIR
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
BUILD=$(cd "${1:-build}" && pwd)
TD_SRC=$(cd "$(dirname "$0")/.." && pwd)
TD_BUILD=$BUILD
export TD_SRC TD_BUILD
BIN=$BUILD/src/tlsdoctor
for t in sslscan testssl nmap tcpdump; do
    command -v $t >/dev/null || { echo "probe bench: $t is not installed (apt-get install sslscan testssl.sh nmap tcpdump)"; exit 0; }
done
[ "$(id -u)" -eq 0 ] || { echo "probe bench: counting connections needs tcpdump as root; skipped"; exit 0; }
source "$TD_SRC/tests/lib/pki.sh"
source "$TD_SRC/tests/lib/peers.sh"
peers_init
peers_lock_ports 14650-14659 || exit 1
PKI="$BUILD/tests/pki"
pki_make "$PKI" >/dev/null || exit 1
T=$TD_PEERS_TMP
openssl ciphers -V 'ALL:COMPLEMENTOFALL:@SECLEVEL=0' >"$T/ciphers.txt"

peer_openssl 14650 -cert "$PKI/srv_rsa.crt" -key "$PKI/srv_rsa.key" -cert_chain "$PKI/int.crt" \
    -quiet -www -no_ssl3 -no_tls1 -no_tls1_1 -serverpref \
    -cipher 'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA' \
    -ciphersuites 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256' -groups 'X25519:P-384' || exit 1
peer_gnutls 14651 --x509certfile="$PKI/srv_ec_chain.crt" --x509keyfile="$PKI/srv_ec.key" --http -q \
    --priority='NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM:+CHACHA20-POLY1305:-GROUP-ALL:+GROUP-SECP256R1:+GROUP-SECP384R1:%SERVER_PRECEDENCE' || exit 1
peer_caddy 14652 lab.test "$PKI/srv_ec_chain.crt" "$PKI/srv_ec.key" || exit 1
peer_nginx 14653 "$(nginx_snippet_reject lab.test "$PKI/srv_rsa_chain.crt" "$PKI/srv_rsa.key")" || exit 1

# expected versions and suites (IANA ids) of each server, as configured
cat >"$T/expect.json" <<'JSON'
{"14650": {"TLS 1.2": ["0xc030", "0xc02f", "0x002f"], "TLS 1.3": ["0x1302", "0x1303"]},
 "14651": {"TLS 1.2": ["0xc02b", "0xcca9"], "TLS 1.3": ["0x1301", "0x1303"]},
 "14652": {"TLS 1.2": ["0xcca9", "0xc02b", "0xc02c"], "TLS 1.3": ["0x1301", "0x1302", "0x1303"]},
 "14653": null}
JSON

run_tool() { # TOOL PORT -> $T/TOOL-PORT.out, prints "seconds connections"
    local tool=$1 port=$2 out="$T/$1-$2.out" cap="$T/$1-$2.pcap" t0 t1
    capture_start lo "$port" "$cap" || return 1
    t0=$(date +%s%N)
    case $tool in
    tlsdoctor) "$BIN" probe "127.0.0.1:$port" --sni lab.test --json >"$out" 2>/dev/null ;;
    sslscan) sslscan --no-colour --show-sigs --sni-name=lab.test "127.0.0.1:$port" >"$out" 2>&1 ;;
    testssl) timeout 900 testssl --quiet --color 0 --warnings off --nodns none --ip 127.0.0.1 \
                 --connect-timeout 5 --openssl-timeout 5 \
                 -p -E -f -P --jsonfile "$out" "lab.test:$port" >/dev/null 2>&1 ;;
    nmap) timeout 900 nmap -Pn -sT -p "$port" --script ssl-enum-ciphers \
              --script-args tls.servername=lab.test 127.0.0.1 >"$out" 2>&1 ;;
    esac
    t1=$(date +%s%N)
    sleep 0.3
    capture_stop
    local syns
    syns=$(tcpdump -nr "$cap" 'tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn' 2>/dev/null | wc -l)
    echo "$(( (t1 - t0) / 1000000 )) $syns"
}

printf '%-10s %-6s %9s %12s  %s\n' tool port "wall ms" connections "versions+suites right?"
for port in 14650 14651 14652 14653; do
    for tool in tlsdoctor sslscan testssl nmap; do
        read -r ms conns < <(run_tool $tool $port)
        echo "$tool $port $ms $conns" >>"$T/results.txt"
    done
    # verdicts after every tool ran: for nginx the reference is sslscan's own finding
    for tool in tlsdoctor sslscan testssl nmap; do
        read -r _ _ ms conns < <(grep "^$tool $port " "$T/results.txt")
        verdict=$(python3 "$TD_SRC/bench/probe_verdict.py" "$tool" "$T/$tool-$port.out" \
                  "$T/expect.json" "$port" "$T/ciphers.txt" "$T/sslscan-$port.out")
        printf '%-10s %-6s %9s %12s  %s\n' "$tool" "$port" "$ms" "$conns" "$verdict"
    done
done
echo
awk '{ms[$1]+=$3; c[$1]+=$4} END { for (t in ms) printf "total %-10s %8d ms %6d connections\n", t, ms[t], c[t] }' "$T/results.txt" | sort
