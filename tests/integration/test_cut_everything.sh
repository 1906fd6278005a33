#!/bin/bash
# Cut everything everywhere (issue 15): every lab log and capture (tests/corpus/lab), the founding
# logs (examples/), the seeds and 3.6 success logs (tests/corpus/seeds, success36), the real-world
# pastes (tests/corpus/realworld), the server-side logs (tests/corpus/server28) and the generated
# real-peer cases' logs and captures ($TD_BUILD/cases, tests/lib/cases.sh), each cut the way pastes
# and stopped captures are cut, and every cut run through every output mode (log, --json,
# --timeline, --events, --transcripts, --pcap-out, diagnose --log/--pcap, pcap, pcap --json, decode)
# by tests/cut/td_cutall, which runs the CLI's own entry points in-process under ASan+UBSan. Checks:
# no crash, no sanitizer report, no leak, an exit code of 0, 1 or 3, JSON that parses, no "(null)"
# in the output.
#
# Cut points inside text inputs are sampled: TD_CUT_LINES (default 16) line ends and as many
# in-line points per log; capture cuts are complete (every packet boundary, inside every packet,
# each packet snap-truncated at every TLS record boundary and inside every record). The seed is
# printed; TD_CUT_SEED=N reproduces a run.
set -u
: "${TD_SRC:?}" "${TD_BUILD:?}"
driver=$TD_BUILD/tests/cut/td_cutall
[ -x "$driver" ] || { echo "FAIL: $driver is not built"; exit 1; }
source "$TD_SRC/tests/lib/cases.sh"
source "$TD_SRC/tests/lib/corpus.sh"
seed=${TD_CUT_SEED:-$(( $(date +%s) % 1000000 * 1000 + RANDOM % 1000 ))}
lines=${TD_CUT_LINES:-16}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

inputs=()
count() { # LABEL MIN PATTERN... : adds the files that exist, fails below MIN of them
    local label=$1 min=$2 n=0 f; shift 2
    for f in "$@"; do [ -f "$f" ] && { inputs+=("$f"); n=$((n + 1)); }; done
    echo "inputs: $n $label"
    [ "$n" -ge "$min" ] || { echo "FAIL: $n $label, expected at least $min"; exit 1; }
}
lab_n=$(corpus_lab_expected)
count "lab logs" "$lab_n" "$CORPUS_LAB"/*/client.log
count "lab captures" "$lab_n" "$CORPUS_LAB"/*/capture.pcap
count "founding logs" 2 "$TD_SRC"/examples/*.log
count "seed and 3.6 success logs" 2 "$TD_SRC"/tests/corpus/seeds/* "$TD_SRC"/tests/corpus/success36/*.log
count "real-world pastes" 50 "$TD_SRC"/tests/corpus/realworld/*.log
count "server-side logs" 10 "$TD_SRC"/tests/corpus/server28/*.log
# Without root no case can be generated: the rest is cut, then the test exits 77 saying why.
skip_reason=
if skip_reason=$(cases_skip_reason); then
    echo "skip: generated cases: $skip_reason"
else
    ensure_cases || { echo "FAIL: the real cases could not be generated"; exit 1; }
    ids=$(cases_ids)
    case_files=()
    for id in $ids; do case_files+=("$CASES_DIR/$id/client.log" "$CASES_DIR/$id/capture.pcap"); done
    count "generated case logs and captures" $((2 * $(cases_expected))) "${case_files[@]}"
fi

start=$(date +%s)
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
    "$driver" -s "$seed" -n "$lines" "$work" "${inputs[@]}" > "$work/summary" 2> "$work/log"
rc=$?
cat "$work/summary"
times > "$work/times"   # not in $(...): a subshell counts no children
echo "time: $(( $(date +%s) - start )) s wall; CPU user and system: $(tail -n 1 "$work/times")"
if [ $rc -gt 1 ]; then
    # stopped by a sanitizer or a signal: say where, keep the input
    echo "FAIL: td_cutall stopped (exit $rc) at:"
    cat "$work/state" 2>/dev/null
    echo "--- its stderr:"; tail -n 40 "$work/stderr" 2>/dev/null; tail -n 20 "$work/log"
    keep=$TD_BUILD/cut-failure.in
    cp "$work/cut.in" "$keep" 2>/dev/null && echo "the cut input is kept as $keep (TD_CUT_SEED=$seed)"
    exit 1
fi
if [ $rc -ne 0 ]; then
    cat "$work/log"
    mkdir -p "$TD_BUILD/cut-failures" && cp "$work"/failure-*.in "$TD_BUILD/cut-failures/" 2>/dev/null &&
        echo "the failing cuts are kept in $TD_BUILD/cut-failures/"
    exit 1
fi
grep -q ' 0 failures' "$work/summary" || { echo "FAIL: no summary from td_cutall"; exit 1; }
[ -z "$skip_reason" ] || exit 77
echo "PASS"
