# cases.sh: generated real cases (tests/lib/gen-cases.sh) for any test to use, whatever the CTest
# order: `source "$TD_SRC/tests/lib/cases.sh"; ensure_cases || exit 1`, then read $CASES_DIR/ID/.
#
#   ensure_cases [DIR]      generate the cases into DIR (default $TD_BUILD/cases) unless they are
#                           there and their inputs (the scripts here, the fixture sources) are
#                           unchanged; a generation in which every case came out as built is
#                           kept in $TD_CASES_CACHE (/tmp/tlsdoctor-cases-cache/HASH) and copied
#                           from there by other build dirs and worktrees at the same sources
#                           (TD_CASES_NO_CACHE=1: neither the cache nor an earlier copy from it
#                           counts; the cases are generated here unless they already were). Holds an flock on
#                           DIR.lock, so parallel tests wait for one generator. Sets CASES_DIR.
#                           Returns 1 when generation failed to run.
#   cases_ids [STATUS]      case ids in $CASES_DIR whose expected.txt has status=STATUS (default ok)
#   case_get ID KEY         a value from $CASES_DIR/ID/expected.txt
#   cases_expected          how many cases gen-cases.sh's table builds (the generated corpus' index)
#   cases_count WHAT READ   prints "corpus: read READ generated WHAT (expected N)"; a FAIL line and
#                           status 1 when READ < cases_expected (a case missing or status=unexpected)
#   cases_skip_reason       prints why this machine cannot generate cases and returns 0 (not root:
#                           tcpdump cannot capture on lo); returns 1 when it can. The one reason a
#                           test may skip (exit 77) the generated cases; missing cases otherwise fail.
#
# Each case folder holds client.log, capture.pcap, server.txt, expected.txt, certs/ (see
# docs/testing.md). Cases whose real outcome differed from what they were built to show are kept
# with status=unexpected; consumers should use cases_ids (status=ok only).

# The cases depend on these sources only (the fixture is built from tests/fixtures), so every
# worktree and build dir at the same sources can share one generation.
_cases_inputs_hash() {
    local lib="$TD_SRC/tests/lib" fx="$TD_SRC/tests/fixtures"
    cat "$lib/gen-cases.sh" "$lib/peers.sh" "$lib/pki.sh" "$lib/check.sh" "$lib/listener.py" \
        "$fx/td_mbedclient.c" "$fx/td_fixture.h" "$fx/preload/td_bindlo.c" 2>/dev/null | sha256sum | cut -d' ' -f1
}

# Machine-wide cache of complete, fully expected generations, keyed by the inputs hash.
TD_CASES_CACHE=${TD_CASES_CACHE:-/tmp/tlsdoctor-cases-cache}

_cases_from_cache() { # DIR HASH
    local src="$TD_CASES_CACHE/$2"
    [ -f "$src/.stamp" ] || return 1
    find "$1" -mindepth 1 -maxdepth 1 -exec rm -rf {} + && cp -a "$src/." "$1/"
}

_cases_to_cache() { # DIR HASH
    local tmp="$TD_CASES_CACHE/.tmp.$$"
    mkdir -p "$TD_CASES_CACHE" && rm -rf "$tmp" && cp -a "$1" "$tmp" &&
        { mv -T "$tmp" "$TD_CASES_CACHE/$2" 2>/dev/null || rm -rf "$tmp"; }
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
    # TD_CASES_NO_CACHE=1: only cases generated here by real peers count, not copies.
    if [ "${TD_CASES_NO_CACHE:-0}" = 1 ] && ! grep -qx 'origin=generated' "$dir/.stamp" 2>/dev/null; then
        have=
    fi
    if [ "$want" != "$have" ] && [ "${TD_CASES_NO_CACHE:-0}" != 1 ] && _cases_from_cache "$dir" "$want"; then
        echo "cases: copied from $TD_CASES_CACHE/$want" >&2
        sed -i 's/^origin=.*/origin=cache/' "$dir/.stamp"
        have=$want
    fi
    if [ "$want" != "$have" ]; then
        rm -f "$dir/.stamp"
        echo "cases: generating real cases into $dir (log: $dir.log)" >&2
        bash "$TD_SRC/tests/lib/gen-cases.sh" "$dir" >"$dir.log" 2>&1
        rc=$?
        if [ "$rc" -le 1 ]; then
            printf 'inputs=%s\ngen_exit=%s\norigin=generated\n' "$want" "$rc" >"$dir/.stamp"
        fi
        [ "$rc" -eq 0 ] && _cases_to_cache "$dir" "$want"
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

cases_expected() {
    bash "$TD_SRC/tests/lib/gen-cases.sh" --list | grep -c .
}

cases_count() {
    local want
    want=$(cases_expected)
    if [ "$2" -lt "$want" ]; then
        echo "FAIL corpus: read $2 generated $1, expected $want (gen-cases.sh --list; see $CASES_DIR.log and INDEX.tsv)"
        return 1
    fi
    echo "corpus: read $2 generated $1 (expected $want)"
}

cases_skip_reason() {
    if [ "$(id -u)" != 0 ]; then
        echo "not root: tcpdump cannot capture on lo, so no generated real-peer cases"
        return 0
    fi
    return 1
}

case_get() {
    sed -n "s/^$2=//p" "$CASES_DIR/$1/expected.txt" | head -n 1
}
