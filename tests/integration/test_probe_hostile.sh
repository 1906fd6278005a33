#!/bin/bash
# test_probe_hostile.sh -- `tlsdoctor probe` against broken or hostile servers (tests/lib/hostile.py
# on 127.0.0.1, ports 14700-14719): each must end within its timeout with one sentence saying what
# the server did and exit code 1, with no crash or hang.
set -u
BIN=${TD_BIN:?}
SRC=${TD_SRC:?}
PORT=14700
fail=0
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT

start() { # MODE
    python3 "$SRC/tests/lib/hostile.py" "$PORT" "$1" &
    pid=$!
    for _ in $(seq 50); do
        (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && return 0
        sleep 0.1
    done
    echo "hostile server $1 did not start"; exit 1
}

stop() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=; PORT=$((PORT + 1)); }

# MODE, expected sentence (grep -E), max seconds
check() {
    start "$1"
    local t0=$(date +%s%N)
    out=$(timeout 30 "$BIN" probe "127.0.0.1:$PORT" --timeout 2 2>/tmp/td-hostile-err.$$)
    rc=$?
    local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    if [ "$rc" -ne 1 ] || ! grep -Eq -- "$2" <<<"$out" || [ "$ms" -gt $(( $3 * 1000 )) ] \
       || [ "$(wc -l <<<"$out")" -ne 1 ]; then
        echo "FAIL $1: rc=$rc ${ms}ms out=[$out] err=[$(cat /tmp/td-hostile-err.$$)]"
        fail=1
    else
        echo "ok   $1 (${ms} ms): $out"
    fi
    stop
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
# every alert description the registry names, plus an unassigned one
for a in 0 10 20 21 22 40 41 42 43 44 45 46 47 48 49 50 51 60 70 71 80 86 90 100 109 110 111 112 113 114 115 116 120 121 255; do
    start "alert:$a"
    out=$(timeout 30 "$BIN" probe "127.0.0.1:$PORT" --timeout 2 2>/dev/null); rc=$?
    if [ "$rc" -ne 1 ] || ! grep -Eq "the server sent a fatal alert $a \([a-z_0-9]+\)\.$" <<<"$out"; then
        echo "FAIL alert:$a: rc=$rc out=[$out]"; fail=1
    fi
    stop
done
echo "alerts checked"
# connection refused: nothing listens on this port
out=$("$BIN" probe "127.0.0.1:$PORT" --timeout 2 2>&1); rc=$?
if [ "$rc" -ne 4 ] || ! grep -q "could not connect: Connection refused" <<<"$out"; then
    echo "FAIL refused: rc=$rc out=[$out]"; fail=1
fi
# a name that does not resolve
out=$("$BIN" probe "no-such-host.invalid:443" 2>&1); rc=$?
if [ "$rc" -ne 4 ] || ! grep -q "tlsdoctor probe: 'no-such-host.invalid' does not resolve" <<<"$out"; then
    echo "FAIL resolve: rc=$rc out=[$out]"; fail=1
fi
rm -f /tmp/td-hostile-err.$$
exit $fail
