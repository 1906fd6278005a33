#!/usr/bin/env bash
# tests/sslopt/run.sh -- Mbed TLS's own ssl-opt.sh as a corpus (issue 17), `make sslopt`.
# Fetches Debian's Mbed TLS source (`apt-get source mbedtls`, 2.28.3 in bookworm; adds a deb-src
# entry for bookworm when apt has none), builds `make lib programs`, runs `tests/ssl-opt.sh -p -s`
# (every test's client and server log kept as o-cli-N.log / o-srv-N.log) and scores tlsdoctor on
# every log Mbed TLS's programs wrote (tests/sslopt/score.py; tests/sslopt/README.md says how).
# Nothing it fetches or builds is committed: it all lives under $SSLOPT_DIR.
#
# Environment:
#   SSLOPT_DIR        work folder (default build/sslopt in the repository)
#   SSLOPT_PORT       server port for ssl-opt.sh (--port; default: its own pick)
#   SSLOPT_PROXY_PORT proxy port (--proxy-port; default: its own pick)
#   SSLOPT_FILTER     only the tests whose names match this grep regex (ssl-opt.sh -f; basic
#                     regex: 'RC4\|ALPN'; the log numbers then count only these)
#   SSLOPT_LOGS       score the logs already in this folder: no fetch, build or run
#   TD_BIN            the tlsdoctor to score (default build/src/tlsdoctor; SSLOPT_ASAN=1:
#                     build-asan/src/tlsdoctor, the ASan+UBSan build, so a crash is caught)
#   JOBS              make -j (default 2)
# Output: $SSLOPT_DIR/score/{summary.txt,SCORE.txt,results.tsv}; the summary is printed.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
dir=${SSLOPT_DIR:-$repo/build/sslopt}
jobs=${JOBS:-2}
if [ -z "${TD_BIN:-}" ]; then
    if [ "${SSLOPT_ASAN:-0}" = 1 ]; then TD_BIN=$repo/build-asan/src/tlsdoctor; else TD_BIN=$repo/build/src/tlsdoctor; fi
fi
[ -x "$TD_BIN" ] || { echo "run.sh: no tlsdoctor at $TD_BIN (make build, or make check-asan for SSLOPT_ASAN=1)" >&2; exit 2; }
mkdir -p "$dir"

need() {  # need PROGRAM PACKAGE: install the Debian package when the program is missing
    command -v "$1" >/dev/null 2>&1 && return 0
    if [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null
    else
        echo "run.sh: $1 is missing: apt-get install $2 (as root)" >&2
        exit 2
    fi
}

fetch() {  # Debian's source package, unpacked with its patches, into $dir
    local src
    src=$(find "$dir" -maxdepth 1 -type d -name 'mbedtls-*' | sort | tail -n1)
    if [ -n "$src" ]; then
        echo "$src"
        return
    fi
    need dpkg-source dpkg-dev
    if ! grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
        [ "$(id -u)" = 0 ] || { echo "run.sh: apt has no deb-src entry; as root add one for bookworm" >&2; exit 2; }
        cat >/etc/apt/sources.list.d/tlsdoctor-src.sources <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
        apt-get update -q >/dev/null
    fi
    (cd "$dir" && apt-get source -q mbedtls >"$dir/apt-source.log" 2>&1) ||
        { echo "run.sh: apt-get source mbedtls failed (see $dir/apt-source.log)" >&2; exit 2; }
    find "$dir" -maxdepth 1 -type d -name 'mbedtls-*' | sort | tail -n1
}

if [ -n "${SSLOPT_LOGS:-}" ]; then
    logs=$SSLOPT_LOGS
else
    src=$(fetch)
    echo "Mbed TLS source: $src"
    if [ ! -x "$src/programs/ssl/ssl_client2" ] || [ ! -x "$src/programs/ssl/ssl_server2" ]; then
        echo "building: make lib programs (-j$jobs), log in $dir/build.log"
        nice -n 10 make -C "$src" -j"$jobs" lib programs >"$dir/build.log" 2>&1 ||
            { echo "run.sh: the build failed (see $dir/build.log)" >&2; exit 2; }
    fi
    # ssl-opt.sh runs the tests against openssl and gnutls too (it skips them when missing)
    need openssl openssl
    need gnutls-serv gnutls-bin
    logs=$src/tests
    rm -f "$logs"/o-cli-*.log "$logs"/o-srv-*.log "$logs"/o-pxy-*.log
    args=(-p -s)
    [ -n "${SSLOPT_PORT:-}" ] && args+=(--port "$SSLOPT_PORT")
    [ -n "${SSLOPT_PROXY_PORT:-}" ] && args+=(--proxy-port "$SSLOPT_PROXY_PORT")
    [ -n "${SSLOPT_FILTER:-}" ] && args+=(-f "$SSLOPT_FILTER")
    echo "running: ssl-opt.sh ${args[*]} (output in $dir/ssl-opt.out)"
    # its exit code is the number of tests that failed (on this machine some do: README.md)
    (cd "$logs" && nice -n 10 ./ssl-opt.sh "${args[@]}" >"$dir/ssl-opt.out" 2>&1) || true
    tail -n 2 "$dir/ssl-opt.out"
fi

python3 "$repo/tests/sslopt/score.py" --bin "$TD_BIN" --logs "$logs" \
    --causes "$repo/tests/sslopt/causes.tsv" --out "$dir/score" --jobs "$jobs" \
    --label "($(git -C "$repo" describe --always --dirty 2>/dev/null || echo '?'), $TD_BIN)"
echo "every miss and misread: $dir/score/SCORE.txt"
