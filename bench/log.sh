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
lab=$top/tests/corpus/lab
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

# best of three runs: "wall cpu" seconds (cpu = user + system), each the minimum over the runs
best() {
    bw=; bc_=
    for i in 1 2 3; do
        /usr/bin/time -f '%e %U %S' -o "$tmp/t" "$@" >/dev/null 2>&1 || true
        set -- "$@"
        w=$(awk '{print $1}' "$tmp/t" | tail -1)
        c=$(awk '{print $2 + $3}' "$tmp/t" | tail -1)
        if [ -z "$bw" ] || [ "$(echo "$w < $bw" | bc -l)" = 1 ]; then bw=$w; fi
        if [ -z "$bc_" ] || [ "$(echo "$c < $bc_" | bc -l)" = 1 ]; then bc_=$c; fi
    done
    echo "$bw $bc_"
}
cat "$tmp/big.log" >/dev/null   # into the page cache for both
set -- $(best wc -l "$tmp/big.log"); w_wc=$1; c_wc=$2
set -- $(best "$bin" log --events "$tmp/big.log"); w_ev=$1; c_ev=$2
set -- $(best "$bin" log "$tmp/big.log"); w_tl=$1; c_tl=$2
/usr/bin/time -f '%M' -o "$tmp/rss" "$bin" log "$tmp/big.log" >/dev/null 2>&1 || true
rss=$(tail -1 "$tmp/rss")
/usr/bin/time -f '%M' -o "$tmp/rss" "$bin" log --events "$tmp/big.log" >/dev/null 2>&1 || true
rss_ev=$(tail -1 "$tmp/rss")
attempts=$("$bin" log --events "$tmp/big.log" | grep -c '^attempt' || true)
load=$(cut -d' ' -f1 /proc/loadavg)

# MB/s from seconds (a time of 0 -- below /usr/bin/time's resolution -- is shown as ">")
mbs() { if [ "$(echo "$1 > 0" | bc -l)" = 1 ]; then echo "scale=0; $size / 1048576 / $1" | bc -l; else echo ">$(echo "scale=0; $size / 1048576 / 0.01" | bc -l)"; fi; }
ratio() { if [ "$(echo "$2 > 0" | bc -l)" = 1 ]; then echo "scale=2; $1 / $2" | bc -l; else echo "?"; fi; }
echo "log.sh: $(echo "scale=1; $size / 1048576" | bc -l) MB, $lines lines, $attempts attempts (load average $load on $(nproc) cores)"
echo "                           wall-clock MB/s   CPU-time MB/s"
echo "  wc -l                    $(mbs "$w_wc")               $(mbs "$c_wc")"
echo "  tlsdoctor log --events   $(mbs "$w_ev") ($(ratio "$w_wc" "$w_ev") of wc)   $(mbs "$c_ev")"
echo "  tlsdoctor log            $(mbs "$w_tl") ($(ratio "$w_wc" "$w_tl") of wc)   $(mbs "$c_tl")"
echo "  peak RSS of tlsdoctor log --events: $((rss_ev / 1024)) MB, of tlsdoctor log: $((rss / 1024)) MB"
