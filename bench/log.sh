#!/bin/sh
# log.sh BUILD [MB] -- throughput and memory of `tlsdoctor log` on a large Mbed TLS log, beside
# `wc -l` on the same file in the same run. The log is made by repeating real lab logs (3.6 level
# 4, 2.28 level 4, an ESP-IDF-decorated one with blank lines, a TLS 1.3 one) up to MB megabytes
# (default 200; 1024 checks the "under 32 MB of RSS on a 1 GB log" claim). Not a timed test: it
# prints figures (MB/s from wall-clock time, best of 3; peak RSS from /usr/bin/time).
set -eu
build=$1
mb=${2:-200}
top=$(cd "$(dirname "$0")/.." && pwd)
bin="$build/src/tlsdoctor"
lab="${TD_SHARED:-$top/../shared}/corpus/lab"
[ -x "$bin" ] || { echo "log.sh: no $bin (make build first)" >&2; exit 1; }
[ -d "$lab" ] || { echo "log.sh: no lab corpus at $lab" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "log.sh: needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat "$lab/sni_missing_caddy_m366/client.log" "$lab/ok_openssl_m228/client.log" \
    "$lab/sni_missing_caddy_m366_espidf/client.log" \
    "$lab/clientcert_required_openssl_tls13_m366/client.log" >"$tmp/unit"
: >"$tmp/big.log"
while [ "$(stat -c %s "$tmp/big.log")" -lt $((mb * 1048576)) ]; do
    cat "$tmp/unit" "$tmp/unit" "$tmp/unit" "$tmp/unit" >>"$tmp/big.log"
done
size=$(stat -c %s "$tmp/big.log")
lines=$(wc -l <"$tmp/big.log")

# best of three wall-clock runs: seconds as a decimal
best() {
    b=
    for i in 1 2 3; do
        s=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        e=$(date +%s.%N)
        t=$(echo "$e - $s" | bc -l)
        if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ]; then b=$t; fi
    done
    echo "$b"
}
cat "$tmp/big.log" >/dev/null   # into the page cache for both
t_wc=$(best wc -l "$tmp/big.log")
t_log=$(best "$bin" log --events "$tmp/big.log")
t_tl=$(best "$bin" log "$tmp/big.log")
/usr/bin/time -f '%M' -o "$tmp/rss" "$bin" log "$tmp/big.log" >/dev/null 2>&1 || true
rss=$(tail -1 "$tmp/rss")
attempts=$("$bin" log --events "$tmp/big.log" | grep -c '^attempt' || true)

mbs() { echo "scale=1; $size / 1048576 / $1" | bc -l; }
echo "log.sh: $(echo "scale=1; $size / 1048576" | bc -l) MB, $lines lines, $attempts attempts"
echo "  wc -l                   $(mbs "$t_wc") MB/s"
echo "  tlsdoctor log --events  $(mbs "$t_log") MB/s ($(echo "scale=2; $t_wc / $t_log" | bc -l) of wc -l)"
echo "  tlsdoctor log           $(mbs "$t_tl") MB/s ($(echo "scale=2; $t_wc / $t_tl" | bc -l) of wc -l)"
echo "  peak RSS of tlsdoctor log: $((rss / 1024)) MB"
