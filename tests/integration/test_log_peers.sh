#!/usr/bin/env bash
# test_log_peers.sh -- fresh logs from a real Mbed TLS 2.28 client (tests/fixtures/td_mbedclient,
# whose debug callback prints the standard `file:line: |level| text`) against real servers on
# 127.0.0.1 (openssl s_server, caddy, a listener that closes), at debug levels 1 to 4, read back
# by `tlsdoctor log` with the outcome the test knows each had. Decorated copies of every log
# (ESP-IDF prefix, SEGGER RTT prefix, blank lines between lines, CRLF) read back to the same key
# events. A non-blocking client (nbio=1) re-enters the handshake and still makes one attempt.
# Ports 14100-14119.
set -u
TD_SRC=${TD_SRC:?} TD_BUILD=${TD_BUILD:?} TD_BIN=${TD_BIN:?}
source "$TD_SRC/tests/lib/pki.sh"
source "$TD_SRC/tests/lib/peers.sh"
peers_init
peers_lock_ports 14100-14119 || exit 1
pass=0
fail=0
check() { # DESC CONDITION...
    local desc=$1
    shift
    if "$@"; then pass=$((pass + 1)); else echo "FAIL $desc" >&2; fail=$((fail + 1)); fi
}

PKI="$TD_BUILD/tests/pki"
pki_make "$PKI" || { echo "FAIL pki_make"; exit 1; }
CLIENT=$(peers_fixture td_mbedclient) || exit 1
T=$TD_PEERS_TMP

# run_case NAME PORT ARGS... : runs the client at levels 1-4, keeps each log as $T/NAME-L.log
run_case() {
    local name=$1 port=$2 level
    shift 2
    for level in 1 2 3 4; do
        timeout 30 "$CLIENT" server_addr=127.0.0.1 server_port="$port" debug_level=$level "$@" \
            >"$T/$name-$level.log" 2>&1
        echo $? >"$T/$name-$level.rc"
    done
}

events() { # LOG -> key events without line numbers on stdout; exit code of tlsdoctor in $T/rc
    "$TD_BIN" log --events "$1" >"$T/ev.raw" 2>"$T/ev.err"
    echo $? >"$T/rc"
    sed -E 's/^L[0-9]+(-[0-9]+)? //' "$T/ev.raw"
}

# decorate LOG KIND > OUT
decorate() {
    case $2 in
    espidf) awk '{ printf "I (%d) mbedtls: %s\n", 1000 + NR, $0 }' "$1" ;;
    rtt) sed 's/^/00> /' "$1" ;;
    blank) sed 's/$/\n/' "$1" ;;
    crlf) sed 's/$/\r/' "$1" ;;
    esac
}

# expect NAME LEVEL PATTERN... : the log's key events hold every PATTERN (grep -E, whole line)
expect() {
    local name=$1 level=$2 p
    shift 2
    local log="$T/$name-$level.log"
    events "$log" >"$T/$name-$level.ev"
    for p in "$@"; do
        check "$name level $level: '$p' in $(tr '\n' '|' <"$T/$name-$level.ev")" grep -qxE -e "$p" "$T/$name-$level.ev"
    done
    check "$name level $level: one attempt" test "$(grep -c '^attempt' "$T/$name-$level.ev")" = 1
    local kind
    for kind in espidf rtt blank crlf; do
        decorate "$log" $kind >"$T/deco.log"
        events "$T/deco.log" >"$T/deco.ev"
        check "$name level $level: $kind copy reads back the same" cmp -s "$T/deco.ev" "$T/$name-$level.ev"
    done
}

# 1. openssl s_server, everything right: success at every level
peer_openssl 14100 -cert "$PKI/srv_rsa.crt" -key "$PKI/srv_rsa.key" -cert_chain "$PKI/int.crt" -www -quiet
run_case ok 14100 server_name=lab.test ca_file="$PKI/root.crt"
peer_stop "$PEER_PID"
for l in 1 2 3 4; do
    check "ok level $l: client exit 0" test "$(cat "$T/ok-$l.rc")" = 0
    expect ok $l 'result ok' 'stop complete'
done
expect ok 4 '-> record 22 client_hello suites=[0-9]+ sni=yes' '<- record 22 server_hello' \
    '<- record 22 certificate' 'attempt origin=debug_log side=client mbedtls=2 level=4'
expect ok 3 '-> text client_hello suites=[0-9]+ sni=yes' 'handshake start' 'handshake end'

# 2. caddy, no SNI: fatal alert 80 from the server, -0x7780
peer_caddy 14101 lab.test "$PKI/srv_rsa_chain.crt" "$PKI/srv_rsa.key"
run_case nosni 14101 server_name=lab.test ca_file="$PKI/root.crt" set_hostname=no
peer_stop_all
for l in 1 2 3 4; do
    check "nosni level $l: client exit 1" test "$(cat "$T/nosni-$l.rc")" = 1
    expect nosni $l '<- alert fatal 80' 'app-return mbedtls_ssl_handshake -0x7780' 'result -0x7780'
done
expect nosni 4 '-> record 22 client_hello suites=[0-9]+ sni=no'
expect nosni 3 '-> text client_hello suites=[0-9]+ sni=no'
"$TD_BIN" log --timeline --ascii "$T/nosni-4.log" >"$T/nosni.txt"
check "nosni timeline names the alert and its sender" grep -q '<- Alert fatal internal_error(80), sent by the server' "$T/nosni.txt"
check "nosni timeline: no SNI in the decoded ClientHello" grep -q -- '-> ClientHello TLS 1.2, .*no SNI' "$T/nosni.txt"

# 3. openssl with a CA the client does not trust: the client sends unknown_ca(48), -0x2700
peer_openssl 14102 -cert "$PKI/srv_rsa.crt" -key "$PKI/srv_rsa.key" -cert_chain "$PKI/int.crt" -www -quiet
run_case badca 14102 server_name=lab.test ca_file="$PKI/other_root.crt"
peer_stop "$PEER_PID"
for l in 2 3 4; do
    expect badca $l '-> alert fatal 48( inferred)?' 'app-return mbedtls_ssl_handshake -0x2700' 'result -0x2700'
done
expect badca 1 'app-return mbedtls_ssl_handshake -0x2700' 'result -0x2700'

# 4. a listener that closes after the ClientHello: EOF, -0x7280
peer_listener 14103 close
run_case closed 14103 server_name=lab.test ca_file="$PKI/root.crt"
peer_stop_all
for l in 1 2 3 4; do
    expect closed $l 'app-return mbedtls_ssl_handshake -0x7280' 'result -0x7280'
done
expect closed 2 '<- eof'

# 5. non-blocking I/O (nbio=1): the handshake is called again after every WANT_READ/WANT_WRITE;
#    the re-entries are one attempt that succeeds, and a failure under nbio is still one failure
peer_openssl 14104 -cert "$PKI/srv_rsa.crt" -key "$PKI/srv_rsa.key" -cert_chain "$PKI/int.crt" -www -quiet
run_case nbio 14104 server_name=lab.test ca_file="$PKI/root.crt" nbio=1
run_case nbiobadca 14104 server_name=lab.test ca_file="$PKI/other_root.crt" nbio=1
peer_stop "$PEER_PID"
check "nbio level 2: the handshake was entered more than once ($(grep -c '=> handshake$' "$T/nbio-2.log"))" \
    test "$(grep -c '=> handshake$' "$T/nbio-2.log")" -gt 1
for l in 1 2 3 4; do
    check "nbio level $l: client exit 0" test "$(cat "$T/nbio-$l.rc")" = 0
    expect nbio $l 'result ok' 'stop complete'
    check "nbio level $l: leads handshake-ok" test "$("$TD_BIN" log --json "$T/nbio-$l.log" | jq -r .leading)" = handshake-ok
done
for l in 2 3 4; do
    expect nbiobadca $l 'app-return mbedtls_ssl_handshake -0x2700' 'result -0x2700'
done

# 6. both sides non-blocking: td_mbedserver nbio=1 (one connection, then it exits) and
#    td_mbedclient nbio=1; each side's log is one attempt that succeeded
SERVER=$(peers_fixture td_mbedserver) || exit 1
for l in 2 4; do
    port=$((14104 + l / 2))
    _peer_spawn td_mbedserver "$port" "$SERVER" server_addr=127.0.0.1 server_port="$port" \
        crt_file="$PKI/srv_rsa_chain.crt" key_file="$PKI/srv_rsa.key" debug_level=$l accept_timeout_s=20 nbio=1 ||
        { echo "FAIL nbio server did not start"; exit 1; }
    spid=$PEER_PID slog=$PEER_LOG
    timeout 30 "$CLIENT" server_addr=127.0.0.1 server_port="$port" server_name=lab.test ca_file="$PKI/root.crt" \
        debug_level=$l nbio=1 >"$T/nbio2-cli-$l.log" 2>&1
    check "nbio both sides level $l: client exit 0" test $? = 0
    for ((i = 0; i < 200; i++)); do kill -0 "$spid" 2>/dev/null || break; sleep 0.05; done
    peer_stop "$spid"
    cp "$slog" "$T/nbio2-srv-$l.log"
    for side in cli srv; do
        got=$("$TD_BIN" log --json "$T/nbio2-$side-$l.log" | jq -r '"\(.leading) \(.handshake) \(.attempts | length)"')
        check "nbio both sides level $l: the $side log is one attempt that succeeded (got $got)" \
            test "$got" = "handshake-ok succeeded 1"
    done
done

# the whole set as one file: every attempt found, in order
cat "$T"/ok-4.log "$T"/nosni-4.log "$T"/badca-4.log "$T"/closed-4.log >"$T/all.log"
"$TD_BIN" log --events "$T/all.log" >"$T/all.ev"
check "four logs in one file: four attempts" test "$(grep -c '^attempt' "$T/all.ev")" = 4
check "four logs in one file: their results in order" \
    test "$(grep '^result' "$T/all.ev" | tr '\n' ' ')" = "result ok result -0x7780 result -0x2700 result -0x7280 "

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
