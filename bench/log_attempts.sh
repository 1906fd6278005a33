#!/bin/sh
# log_attempts.sh BUILD [MB] -- memory of `tlsdoctor log` on a log of many attempts: the founding
# log (examples/founding-case.log, 2 attempts) repeated up to MB megabytes (default 256, about
# 80,000 attempts). The text report keeps the attempt it leads with and a fixed-size tally of the
# others, so its peak RSS must not grow with the attempts: the target is 32 MB or less whatever
# the count. Printed beside `wc -l` on the same file in the same run (CPU MB/s, best of 3). Not a
# timed test: it prints figures and fails only when the RSS target is missed.
set -eu
build=$1
mb=${2:-256}
top=$(cd "$(dirname "$0")/.." && pwd)
bin="$build/src/tlsdoctor"
src="$top/examples/founding-case.log"
[ -x "$bin" ] || { echo "log_attempts.sh: no $bin (make build first)" >&2; exit 1; }
[ -f "$src" ] || { echo "log_attempts.sh: no $src" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "log_attempts.sh: needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat "$src" "$src" "$src" "$src" "$src" "$src" "$src" "$src" >"$tmp/unit"
: >"$tmp/big.log"
while [ "$(stat -c %s "$tmp/big.log")" -lt $((mb * 1048576)) ]; do
    cat "$tmp/unit" "$tmp/unit" "$tmp/unit" "$tmp/unit" >>"$tmp/big.log"
done
size=$(stat -c %s "$tmp/big.log")
cat "$tmp/big.log" >/dev/null

cpu() { # best CPU seconds (user + system) of 3 runs of the command
    b=
    for i in 1 2 3; do
        /usr/bin/time -f '%U %S' -o "$tmp/t" "$@" >/dev/null 2>&1 || true
        c=$(awk '{print $1 + $2}' "$tmp/t" | tail -1)
        if [ -z "$b" ] || [ "$(echo "$c < $b" | bc -l)" = 1 ]; then b=$c; fi
    done
    echo "$b"
}
mbs() { if [ "$(echo "$1 > 0" | bc -l)" = 1 ]; then echo "scale=0; $size / 1048576 / $1" | bc -l; else echo ">9999"; fi; }
c_wc=$(cpu wc -l "$tmp/big.log")
c_log=$(cpu "$bin" log "$tmp/big.log")
c_ev=$(cpu "$bin" log --events "$tmp/big.log")
/usr/bin/time -f '%M' -o "$tmp/rss" "$bin" log "$tmp/big.log" >"$tmp/out" 2>/dev/null || true
rss=$(tail -1 "$tmp/rss")
attempts=$(sed -n 's/^All \([0-9]*\) attempts.*/\1/p' "$tmp/out")
echo "log_attempts.sh: $(echo "scale=1; $size / 1048576" | bc -l) MB, ${attempts:-?} attempts (load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores)"
echo "  CPU MB/s: wc -l $(mbs "$c_wc"), tlsdoctor log $(mbs "$c_log"), tlsdoctor log --events $(mbs "$c_ev")"
echo "  peak RSS of tlsdoctor log: $((rss / 1024)) MB (target: 32 MB or less)"
[ "$rss" -le $((32 * 1024)) ]
