# cases.sh: generated real cases (tests/lib/gen-cases.sh) for any test to use, whatever the CTest
# order: `source "$TD_SRC/tests/lib/cases.sh"; ensure_cases || exit 1`, then read $CASES_DIR/ID/.
#
#   ensure_cases [DIR]      generate the cases into DIR (default $TD_BUILD/cases) unless they are
#                           there and their inputs (scripts, fixture binaries) are unchanged. Holds
#                           an flock on DIR.lock, so parallel tests wait for one generator. Sets
#                           CASES_DIR. Returns 1 when generation failed to run.
#   cases_ids [STATUS]      case ids in $CASES_DIR whose expected.txt has status=STATUS (default ok)
#   case_get ID KEY         a value from $CASES_DIR/ID/expected.txt
#
# Each case folder holds client.log, capture.pcap, server.txt, expected.txt, certs/ (see
# docs/testing.md). Cases whose real outcome differed from what they were built to show are kept
# with status=unexpected; consumers should use cases_ids (status=ok only).

_cases_inputs_hash() {
    local lib="$TD_SRC/tests/lib" fx="${TD_BUILD}/tests/fixtures"
    cat "$lib/gen-cases.sh" "$lib/peers.sh" "$lib/pki.sh" "$lib/listener.py" "$lib/cases.sh" \
        "$fx/td_mbedclient" "$fx/libtd_bindlo.so" 2>/dev/null | sha256sum | cut -d' ' -f1
}

ensure_cases() {
    : "${TD_SRC:?}" "${TD_BUILD:?}"
    local dir=${1:-$TD_BUILD/cases} fd rc=0 want have
    mkdir -p "$dir" || return 1
    dir=$(cd "$dir" && pwd)
    exec {fd}>"$dir.lock"
    flock "$fd"
    want=$(_cases_inputs_hash)
    have=$(sed -n 's/^inputs=//p' "$dir/.stamp" 2>/dev/null)
    if [ "$want" != "$have" ]; then
        rm -f "$dir/.stamp"
        echo "cases: generating real cases into $dir (log: $dir.log)" >&2
        bash "$TD_SRC/tests/lib/gen-cases.sh" "$dir" >"$dir.log" 2>&1
        rc=$?
        if [ "$rc" -le 1 ]; then
            printf 'inputs=%s\ngen_exit=%s\n' "$want" "$rc" >"$dir/.stamp"
        fi
        tail -n 20 "$dir.log" >&2
    fi
    flock -u "$fd"
    exec {fd}>&-
    CASES_DIR=$dir
    [ -f "$dir/.stamp" ]
}

cases_ids() {
    local want=${1:-ok} f
    for f in "$CASES_DIR"/*/expected.txt; do
        [ -f "$f" ] || continue
        grep -qx "status=$want" "$f" && basename "$(dirname "$f")"
    done
    return 0
}

case_get() {
    sed -n "s/^$2=//p" "$CASES_DIR/$1/expected.txt" | head -n 1
}
