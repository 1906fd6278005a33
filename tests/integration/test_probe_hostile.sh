#!/bin/bash
# test_probe_hostile.sh -- `tlsdoctor probe` against broken or hostile servers (tests/lib/hostile.py
# on 127.0.0.1, ports 14700-14759): each must end within its timeout with one sentence saying what
# the server did and exit code 1, with no crash or hang.
set -u
BIN=${TD_BIN:?}
SRC=${TD_SRC:?}
BASE=14700
fail=0
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT
# the same test may run from several worktrees at once: hold this port range's lock
source "$SRC/tests/lib/peers.sh"
peers_lock_ports 14700-14759 || exit 1

ALERTS="0 10 20 21 22 40 41 42 43 44 45 46 47 48 49 50 51 60 70 71 80 86 90 100 109 110 111 112 113 114 115 116 120 121 255"
MODES=(close reset garbage endless drip bigrecord bighs badsuite silent)
for a in $ALERTS; do MODES+=("alert:$a"); done
PY=$([ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3)
"$PY" "$SRC/tests/lib/hostile.py" "$BASE" "${MODES[@]}" &
pid=$!
last=$((BASE + ${#MODES[@]} - 1))
for _ in $(seq 100); do
    [ -n "$(ss -Htln "( sport = :$last )" 2>/dev/null)" ] && break
    sleep 0.1
done

port_of() { # MODE
    local i
    for i in "${!MODES[@]}"; do [ "${MODES[$i]}" = "$1" ] && echo $((BASE + i)) && return; done
}

# MODE, expected sentence (grep -E), max seconds
check() {
    local port t0 ms out rc err
    port=$(port_of "$1")
    t0=$(date +%s%N)
    err=$(mktemp)
    out=$(timeout 30 "$BIN" probe "127.0.0.1:$port" --timeout 2 2>"$err")
    rc=$?
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    if [ "$rc" -ne 1 ] || ! grep -Eq -- "$2" <<<"$out" || [ "$ms" -gt $(( $3 * 1000 )) ] \
       || [ "$(wc -l <<<"$out")" -ne 1 ]; then
        echo "FAIL $1: rc=$rc ${ms}ms out=[$out] err=[$(cat "$err")]"
        fail=1
    else
        echo "ok   $1 (${ms} ms): $out"
    fi
    rm -f "$err"
}

check close     "the server closed the connection without sending anything\.$" 5
check reset     "the server reset the connection \(TCP RST\)\.$" 5
check garbage   "bytes that are not TLS: 48 54 54 50 2f 31 2e 31 \(\"HTTP/1.1\"\)\.$" 5
check endless   "the server sent [0-9]+ bytes without completing its answer" 8
check drip      "the server sent only [0-9] bytes in 2.0 s and did not complete its answer\.$" 8
check bigrecord "announced a record of 65535 bytes, more than TLS allows" 5
check bighs     "announced a handshake message of 16777215 bytes" 5
check badsuite  "the server chose cipher suite 0x0000 \(TLS_NULL_WITH_NULL_NULL\), which the ClientHello did not offer\.$" 5
check silent    "the server sent nothing in 2.0 s\.$" 8
# every alert description the registry names, plus unassigned ones
for a in $ALERTS; do
    out=$(timeout 30 "$BIN" probe "127.0.0.1:$(port_of "alert:$a")" --timeout 2 2>/dev/null); rc=$?
    if [ "$rc" -ne 1 ] || ! grep -Eq "the server sent a fatal alert $a \([a-z_0-9]+\)\.$" <<<"$out"; then
        echo "FAIL alert:$a: rc=$rc out=[$out]"; fail=1
    fi
done
echo "alerts checked"
# the endless stream is read only up to the cap: bounded memory
if command -v /usr/bin/time >/dev/null; then
    kb=$(/usr/bin/time -f %M "$BIN" probe "127.0.0.1:$(port_of endless)" --timeout 2 2>&1 >/dev/null | tail -1)
    echo "endless: max RSS ${kb} KB"
fi
# connection refused: nothing listens on this port
out=$("$BIN" probe "127.0.0.1:$((last + 1))" --timeout 2 2>&1); rc=$?
if [ "$rc" -ne 4 ] || ! grep -q "could not connect: Connection refused" <<<"$out"; then
    echo "FAIL refused: rc=$rc out=[$out]"; fail=1
fi
# a name that does not resolve
out=$("$BIN" probe "no-such-host.invalid:443" 2>&1); rc=$?
if [ "$rc" -ne 4 ] || ! grep -q "tlsdoctor probe: 'no-such-host.invalid' does not resolve" <<<"$out"; then
    echo "FAIL resolve: rc=$rc out=[$out]"; fail=1
fi
# usage errors
for args in "" "--timeout 0 127.0.0.1" "--bogus 127.0.0.1" "127.0.0.1:99999" "[::1"; do
    # shellcheck disable=SC2086
    "$BIN" probe $args >/dev/null 2>&1; rc=$?
    [ "$rc" -eq 2 ] || { echo "FAIL usage '$args': rc=$rc"; fail=1; }
done
exit $fail
