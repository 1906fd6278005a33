#!/bin/sh
# Capture throughput: `tlsdoctor pcap` (listing only, and with the diagnosis of every connection)
# beside `tshark -r FILE -Y tls.handshake -T fields -e tls.handshake.type` on the same file, a pcap
# built from the lab captures repeated with distinct client addresses (bench/capture_gen.py).
# Usage: bench/capture.sh BUILD_DIR [COPIES]   (COPIES default 140: ~3,800 connections, ~11 MB)
set -eu
build=$1; copies=${2:-140}
top=$(cd "$(dirname "$0")/.." && pwd)
bin=$build/src/tlsdoctor
lab=$top/tests/corpus/lab
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 "$top/bench/capture_gen.py" "$lab" "$copies" "$tmp/big.pcap" > "$tmp/gen.txt"
bytes=$(wc -c < "$tmp/big.pcap")
now() { date +%s.%N; }
t0=$(now); "$bin" pcap --no-diagnosis "$tmp/big.pcap" > "$tmp/ours.txt" || [ $? -le 1 ]; t1=$(now)
"$bin" pcap "$tmp/big.pcap" > "$tmp/diag.txt" || [ $? -le 1 ]; t2=$(now)
tshark -r "$tmp/big.pcap" -Y tls.handshake -T fields -e tls.handshake.type > "$tmp/tshark.txt" 2>/dev/null; t3=$(now)
conns=$(grep -c '^connection ' "$tmp/ours.txt" || true)
awk -v b="$bytes" -v a="$t0" -v m="$t1" -v d="$t2" -v z="$t3" -v c="$conns" -v g="$(cat "$tmp/gen.txt")" 'BEGIN {
    mb = b / 1048576; o = m - a; od = d - m; t = z - d;
    printf "capture: %.1f MB, %s (%d TLS connections found)\n", mb, g, c;
    printf "  tlsdoctor pcap --no-diagnosis  %6.2f s  %7.1f MB/s\n", o, mb / o;
    printf "  tlsdoctor pcap (diagnosis)     %6.2f s  %7.1f MB/s\n", od, mb / od;
    printf "  tshark -Y tls.handshake        %6.2f s  %7.1f MB/s\n", t, mb / t;
    printf "  ratio tshark/tlsdoctor: %.1fx (listing), %.1fx (with diagnosis)\n", t / o, t / od }'
