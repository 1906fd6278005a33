#!/bin/bash
# test_diagnose_cli.sh: `tlsdoctor log` as a diagnosis: the answer first, --json valid against
# docs/tlsdoctor-report.schema.json (every lab case and the founding logs), the exit codes, the
# success report, --timeline, standard input, no colour when not a TTY.
set -u
: "${TD_BIN:?}" "${TD_SRC:?}"
source "$TD_SRC/tests/lib/corpus.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
lab=$CORPUS_LAB
founding=$TD_SRC/examples/founding-case.log

# --- JSON validates against the schema, for every lab case and both founding logs
n=0 labn=0
for log in "$lab"/*/client.log "$founding" "$TD_SRC/examples/founding-case-2.27.log"; do
    [ -f "$log" ] || continue
    n=$((n + 1))
    [[ $log == "$lab"/* ]] && labn=$((labn + 1))
    "$TD_BIN" log --json "$log" >"$tmp/$n.json" 2>/dev/null
    rc=$?
    [ "$rc" -le 3 ] || fail "$log: exit $rc"
done
corpus_count "lab client logs" "$labn" "$(corpus_lab_expected)" || exit 1
[ "$n" -eq $((labn + 2)) ] || fail "the founding logs in examples/ are missing"
python3 - "$TD_SRC/docs/tlsdoctor-report.schema.json" "$tmp" "$n" <<'PY' || fail "schema validation"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(schema)
v = jsonschema.Draft7Validator(schema)
for i in range(1, int(sys.argv[3]) + 1):
    doc = json.load(open(f"{sys.argv[2]}/{i}.json"))
    errs = list(v.iter_errors(doc))
    if errs:
        print(f"document {i}: {errs[0].message} at {list(errs[0].path)}")
        sys.exit(1)
    # a wrong document must fail: the schema is not vacuous
    bad = dict(doc); bad["schema"] = "tlsdoctor.report/0"
    assert list(v.iter_errors(bad)), "schema accepts a wrong version"
print(f"schema: {sys.argv[3]} documents valid")
PY

# --- the answer first, evidence with line numbers, exit 1 for a diagnosed failure
"$TD_BIN" log "$founding" >"$tmp/f.txt" 2>"$tmp/f.err"
rc=$?
[ "$rc" -eq 1 ] || fail "founding log exit $rc, expected 1"
head -n 1 "$tmp/f.txt" | grep -q '^The server rejected your ClientHello because it carries no server name (SNI)' \
    || fail "first line is not the answer: $(head -n 1 "$tmp/f.txt")"
grep -q 'mbedtls_ssl_set_hostname(&ssl' "$tmp/f.txt" || fail "no fix in the text report"
grep -q '^Evidence:' "$tmp/f.txt" || fail "no evidence section"
grep -Eq '^  L[0-9]+-[0-9]+ +ClientHello sent' "$tmp/f.txt" || fail "evidence without line numbers"
grep -q '^Also observed:' "$tmp/f.txt" || fail "no secondary observations"
grep -q 'clock-unset' "$tmp/f.txt" || fail "clock not reported"
grep -q $'\x1b' "$tmp/f.txt" && fail "colour written to a pipe"
! grep -q 'Timeline' "$tmp/f.txt" || fail "timeline printed without --timeline"

# --- --timeline adds the timeline after the diagnosis
"$TD_BIN" log --timeline "$founding" >"$tmp/t.txt"
grep -q '^Timeline' "$tmp/t.txt" || fail "--timeline printed no timeline"
[ "$(grep -n '^Timeline' "$tmp/t.txt" | cut -d: -f1)" -gt "$(grep -n '^Evidence:' "$tmp/t.txt" | cut -d: -f1)" ] \
    || fail "timeline before the diagnosis"

# --- standard input gives the same diagnosis
"$TD_BIN" log --json - <"$founding" >"$tmp/stdin.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["leading"]=="sni-missing" and d["source"]=="(standard input)"' \
    "$tmp/stdin.json" || fail "stdin"

# --- a successful handshake: exit 0, says so and what was negotiated
"$TD_BIN" log "$lab/ok_openssl_m228/client.log" >"$tmp/ok.txt"
rc=$?
[ "$rc" -eq 0 ] || fail "successful handshake exit $rc"
head -n 1 "$tmp/ok.txt" | grep -q '^The handshake succeeded: TLS 1.2' || fail "success not said: $(head -n 1 "$tmp/ok.txt")"
grep -q '^Negotiated: TLS 1.2 TLS_' "$tmp/ok.txt" || fail "negotiated parameters missing"

# --- nothing recognisable: exit 3; usage: 2; missing file: 4
printf 'hello\nworld\n' >"$tmp/plain.txt"
"$TD_BIN" log "$tmp/plain.txt" >/dev/null 2>"$tmp/e3"; rc=$?
[ "$rc" -eq 3 ] || fail "plain text exit $rc, expected 3"
"$TD_BIN" log --bogus "$founding" >/dev/null 2>"$tmp/e2"; rc=$?
[ "$rc" -eq 2 ] || fail "bad option exit $rc, expected 2"
[ "$(wc -l <"$tmp/e2")" -eq 1 ] && grep -q '^tlsdoctor log: ' "$tmp/e2" || fail "bad option message: $(cat "$tmp/e2")"
"$TD_BIN" log "$tmp/does-not-exist" >/dev/null 2>"$tmp/e4"; rc=$?
[ "$rc" -eq 4 ] || fail "missing file exit $rc, expected 4"
"$TD_BIN" log --help | grep -q -- '--json' || fail "--help"

# --- a log that stops while the ClientHello is written: insufficient evidence, exit 3 (log and
#     diagnose --log alike)
head -n 20 "$founding" >"$tmp/cut.log"
"$TD_BIN" log --json "$tmp/cut.log" >"$tmp/cut.json"; rc=$?
[ "$rc" -eq 3 ] || fail "cut log exit $rc, expected 3"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["leading"]=="insufficient-evidence", d["leading"]' \
    "$tmp/cut.json" || fail "cut log not insufficient-evidence"
"$TD_BIN" diagnose --log "$tmp/cut.log" >/dev/null 2>&1; rc=$?
[ "$rc" -eq 3 ] || fail "diagnose --log on the cut log: exit $rc, expected 3 (as log)"
# --- cut after the ClientHello (no SNI), before the server's answer: the fragment's likely cause
#     (issue 14), said to be inferred from a fragment
head -n 40 "$founding" >"$tmp/cut2.log"
"$TD_BIN" log --json "$tmp/cut2.log" >"$tmp/cut2.json"; rc=$?
[ "$rc" -eq 1 ] || fail "fragment exit $rc, expected 1"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert (d["leading"], d["basis"]) == ("sni-missing", "fragment"), d["leading"]' \
    "$tmp/cut2.json" || fail "fragment not sni-missing from a fragment"
echo "diagnose cli: ok"
