#!/bin/sh
# wire.sh -- ClientHello decode throughput in messages per second: the parser alone, and the
# whole `decode --json` path (tree with names + JSON text). Usage: bench/wire.sh BUILD_DIR
set -eu
build=${1:-build}
"$build/bench/bench_wire" 2000000
