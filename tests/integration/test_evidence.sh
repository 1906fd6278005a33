#!/usr/bin/env bash
# test_evidence.sh -- from little evidence to the likely cause (issue 14). Every case in
# tests/data/evidence is a log (NAME.log: an application's error line or two, sometimes a context
# line) and what `tlsdoctor log` must say about it (NAME.expect, one expectation a line):
#   lead ID            the leading finding is ID
#   not-lead ID        ... is not ID
#   alt ID             ID is listed among the alternatives (JSON "alternatives")
#   before A B         A ranks above B among the findings
#   basis NAME         the report's basis ("error-code-only", "fragment", ...)
#   context NAME       NAME is in the attempt's context ("esp-idf", "port-8883", "mbedtls-3", ...)
#   next               the leading finding names its next step
#   exit N             the exit code
#   text STRING        the text report contains STRING
# Add a case by adding the two files; no C. Also: the fragment cases cut from lab logs
# (tests/lib/fragments.sh) and the exit-code contract shared by `log` and `diagnose --log`.
set -euo pipefail
: "${TD_BIN:?}" "${TD_SRC:?}"
DIR=$TD_SRC/tests/data/evidence
MIN_CASES=45
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
. "$TD_SRC/tests/lib/check.sh"

n=0
for log in "$DIR"/*.log; do
    [ -e "$log" ] || continue
    name=$(basename "$log" .log)
    exp=$DIR/$name.expect
    if [ ! -f "$exp" ]; then
        echo "FAIL $name: no $name.expect"
        fails=$((fails + 1))
        continue
    fi
    n=$((n + 1))
    set +e
    "$TD_BIN" log --json "$log" >"$tmp/$name.json" 2>"$tmp/$name.err"
    rc=$?
    "$TD_BIN" log "$log" >"$tmp/$name.txt" 2>/dev/null
    set -e
    if ! python3 - "$tmp/$name.json" "$exp" "$rc" "$tmp/$name.txt" "$name" <<'PY'; then fails=$((fails + 1)); fi
import json, sys
path, exp, rc, txt, name = sys.argv[1:6]
try:
    doc = json.load(open(path))
except ValueError:
    print(f"FAIL {name}: no JSON report")
    sys.exit(1)
a = doc["attempts"][doc["lead_attempt"]]
ids = [f["id"] for f in a["findings"] if f["severity"] == "error"]
alts = [x["id"] for x in a.get("alternatives", [])]
lead = a["findings"][0] if a["findings"] else {}
text = open(txt).read()
bad = []
for line in open(exp):
    w = line.split(None, 1)
    if not w:
        continue
    k, v = w[0], (w[1].strip() if len(w) > 1 else "")
    if k == "lead" and doc["leading"] != v:
        bad.append(f"leads with {doc['leading']}, want {v}")
    elif k == "not-lead" and doc["leading"] == v:
        bad.append(f"leads with {v}")
    elif k == "alt" and v not in alts:
        bad.append(f"{v} not among the alternatives {alts}")
    elif k == "before":
        x, y = v.split()
        if x not in ids or (y in ids and ids.index(x) > ids.index(y)):
            bad.append(f"{x} does not rank above {y}: {ids}")
    elif k == "basis" and a.get("basis") != v:
        bad.append(f"basis {a.get('basis')}, want {v}")
    elif k == "context" and v not in a.get("context", []):
        bad.append(f"context {a.get('context')} lacks {v}")
    elif k == "next" and not lead.get("next_step"):
        bad.append("the leading finding names no next step")
    elif k == "exit" and rc != v:
        bad.append(f"exit {rc}, want {v}")
    elif k == "text" and v not in text:
        bad.append(f"the text report lacks {v!r}")
    elif k not in ("lead", "not-lead", "alt", "before", "basis", "context", "next", "exit", "text"):
        bad.append(f"unknown expectation {k!r}")
if bad:
    print(f"FAIL {name}: " + "; ".join(bad))
    sys.exit(1)
print(f"ok   {name}: {doc['leading']} ({lead.get('confidence')}%), then {', '.join(alts[:3])}")
PY
done
if [ "$n" -lt "$MIN_CASES" ]; then
    echo "FAIL only $n evidence cases in $DIR (want at least $MIN_CASES): the data is missing"
    fails=$((fails + 1))
fi

# ---- fragments of real-peer logs (tests/data/evidence/fragments.tsv) -------------------------------
LAB=$TD_SRC/tests/corpus/lab
nf=0
while IFS=$'\t' read -r case cut want; do
    case $case in ''|'#'*) continue ;; esac
    log=$LAB/$case/client.log
    if [ ! -f "$log" ]; then
        echo "FAIL fragment $case: $log is missing"
        fails=$((fails + 1))
        continue
    fi
    text=${cut#*:}
    line=$(grep -n -m1 -F -- "$text" "$log" | cut -d: -f1 || true)
    if [ -z "$line" ]; then
        echo "FAIL fragment $case: no line holds '$text'"
        fails=$((fails + 1))
        continue
    fi
    case $cut in before:*) line=$((line - 1)) ;; esac
    nf=$((nf + 1))
    head -n "$line" "$log" >"$tmp/frag.log"
    set +e
    "$TD_BIN" log --json "$tmp/frag.log" >"$tmp/frag.json" 2>/dev/null
    "$TD_BIN" log "$tmp/frag.log" >"$tmp/frag.txt" 2>/dev/null
    set -e
    got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); a=d["attempts"][d["lead_attempt"]]; print(d["leading"], a["basis"])' "$tmp/frag.json" 2>/dev/null || echo "no-report none")
    check "fragment $case $cut (line $line): $got, want $want" [ "$got" = "$want fragment" ]
    check "fragment $case $cut says so" grep -q 'from a fragment' "$tmp/frag.txt"
done <"$DIR/fragments.tsv"
if [ "$nf" -lt 15 ]; then
    echo "FAIL only $nf fragment cases (want at least 15): the data is missing"
    fails=$((fails + 1))
fi

# ---- one exit-code contract: log and diagnose --log agree --------------------------------------
printf 'ssl_tls.c:6557: |2| => handshake\nssl_cli.c:0719: |2| => write client hello\n' >"$tmp/cut.log"
for f in "$tmp/cut.log" "$DIR/code_2700.log"; do
    set +e
    "$TD_BIN" log "$f" >/dev/null 2>&1; a=$?
    "$TD_BIN" diagnose --log "$f" >/dev/null 2>&1; b=$?
    set -e
    check "exit code of $(basename "$f"): log $a, diagnose --log $b" [ "$a" = "$b" ]
done

echo "evidence cases: $n, fragments: $nf"
[ "$fails" = 0 ]
