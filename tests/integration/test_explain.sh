#!/bin/bash
# test_explain.sh -- `tlsdoctor explain` on every Done-when example of issue 2 and every input form,
# bad input (one line on stderr, the documented exit code, no crash), and the error table and its
# high/low split checked against Mbed TLS 2.28's own mbedtls_strerror() (fixture td_strerror).
set -uo pipefail
: "${TD_BIN:?}" "${TD_SRC:?}" "${TD_BUILD:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# expect RC PHRASE... -- ARGS: runs explain ARGS, checks the exit code and that stdout has each phrase
expect() {
    local want=$1; shift
    local phrases=()
    while [ "$1" != "--" ]; do phrases+=("$1"); shift; done
    shift
    "$TD_BIN" explain "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    [ "$rc" = "$want" ] || { fail "explain $* exited $rc, want $want: $(cat "$tmp/err")"; return; }
    [ -s "$tmp/err" ] && fail "explain $* wrote to stderr: $(cat "$tmp/err")"
    for p in "${phrases[@]}"; do
        grep -qF -- "$p" "$tmp/out" || fail "explain $*: no \"$p\" in output"
    done
}

# bad VALUE... -- RC: explain exits RC with exactly one line on stderr and nothing on stdout
bad() {
    local want=$1; shift
    "$TD_BIN" explain "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    [ "$rc" = "$want" ] || fail "explain $* exited $rc, want $want"
    [ "$(wc -l <"$tmp/err")" = 1 ] || fail "explain $*: stderr is not one line: $(cat "$tmp/err")"
    grep -q '^tlsdoctor explain: ' "$tmp/err" || fail "explain $*: stderr lacks the prefix"
    [ -s "$tmp/out" ] && fail "explain $*: wrote to stdout"
}

# Done when 1: -0x7780 and its other forms
for v in -0x7780 0x7780 30592 -30592 0xffff8880 ffff8880 MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE; do
    expect 0 MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE "fatal" "got an alert message, type: [2:N]" -- "$v"
    expect 0 MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE -- error "$v"
done
# Done when 2: both parts of a combined code
expect 0 MBEDTLS_ERR_RSA_PUBLIC_FAILED "RSA public-key operation failed" \
    MBEDTLS_ERR_MPI_ALLOC_FAILED "bignum allocation failed" underneath -- -0x4290
# Done when 3: alert 80 in its three spellings, and a pasted log line
for v in "alert 80" "alert internal_error" "alert [2:80]" "[2:80]"; do
    # shellcheck disable=SC2086
    expect 0 internal_error "selects its certificate by SNI" "without server_name" "crypto/tls" Caddy \
        "mbedtls_ssl_set_hostname" -- $v
done
expect 0 internal_error -- "ssl_msg.c:4901: |1| got an alert message, type: [2:80]"
# Done when 4: verify flags
expect 0 "not trusted by the CA chain" "validity starts in the future (is the device clock set?)" \
    MBEDTLS_X509_BADCERT_NOT_TRUSTED MBEDTLS_X509_BADCERT_FUTURE -- x509-flags 0x0208
# Done when 5: a suite by number and by both names
for v in 0xc02c TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 TLS-ECDHE-ECDSA-WITH-AES-256-GCM-SHA384; do
    expect 0 TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 "needs an ECDSA server certificate" \
        TLS-ECDHE-ECDSA-WITH-AES-256-GCM-SHA384 -- suite "$v"
done
expect 0 TLS_AES_128_GCM_SHA256 TLS1-3-AES-128-GCM-SHA256 -- suite TLS1-3-AES-128-GCM-SHA256
# the remaining forms of the issue
expect 0 x25519 MBEDTLS_ECP_DP_CURVE25519_ENABLED -- group 29
expect 0 rsa_pss_rsae_sha256 -- sigalg 0x0804
expect 0 server_name mbedtls_ssl_set_hostname -- ext 0
expect 0 "TLS 1.2" -- version 0x0303
expect 0 MBEDTLS_ERR_SSL_INVALID_VERIFY_HASH MBEDTLS_ERR_SSL_ILLEGAL_PARAMETER "2.x and 3.x" -- -0x6600
expect 0 MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET "3.x" -- -0x7B00

# --json gives the same as an object, before or after the value
"$TD_BIN" explain --json -0x4290 >"$tmp/j1" || fail "--json -0x4290 exited $?"
"$TD_BIN" explain -0x4290 --json >"$tmp/j2" || fail "-0x4290 --json exited $?"
cmp -s "$tmp/j1" "$tmp/j2" || fail "--json before and after the value differ"
python3 - "$tmp/j1" <<'PY' || fail "JSON of -0x4290 is not what it should be"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "tlsdoctor.explain/1" and d["kind"] == "mbedtls_error" and d["value"] == -0x4290
names = [i["name"] for i in d["items"]]
assert names == ["MBEDTLS_ERR_RSA_PUBLIC_FAILED", "MBEDTLS_ERR_MPI_ALLOC_FAILED"], names
assert "bignum allocation failed" in d["items"][1]["meaning"]
PY
"$TD_BIN" explain --json alert 80 | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["kind"]=="alert" and d["items"][0]["name"]=="internal_error"' \
    || fail "JSON of alert 80"

# bad and unknown input: one line, documented exit code, never a crash
bad 2 ""
bad 2 "%%%"
bad 2 -
bad 2 0x
bad 2 99999999999999999999999999
bad 2 alert 999
bad 2 alert "[7:80]"
bad 2 x509-flags 0x100000000
bad 2 suite 70000
bad 2 --no-such-option
bad 2 alert
bad 2 "$(head -c 3000 /dev/zero | tr '\0' 7)"
bad 3 garbage
bad 3 0x1ffffffff
bad 3 alert 200
bad 3 suite 0x0047
bad 3 group nope
bad 3 MBEDTLS_ERR_NOT_A_CODE
"$TD_BIN" explain >/dev/null 2>"$tmp/err"; [ $? = 2 ] || fail "explain without a value"
"$TD_BIN" explain --help >"$tmp/help" || fail "--help exited $?"
grep -q 'usage: tlsdoctor explain' "$tmp/help" || fail "--help"

# colour only on a terminal, never with NO_COLOR (script(1) gives the command a pty)
"$TD_BIN" explain alert 80 >"$tmp/piped"
grep -q $'\033' "$tmp/piped" && fail "colour escape codes in piped output"
if command -v script >/dev/null; then
    script -qc "'$TD_BIN' explain alert 80" /dev/null >"$tmp/tty" 2>&1
    grep -q $'\033\\[1m' "$tmp/tty" || fail "no bold title on a terminal"
    NO_COLOR=1 script -qc "'$TD_BIN' explain alert 80" /dev/null >"$tmp/tty" 2>&1
    grep -q $'\033' "$tmp/tty" && fail "colour despite NO_COLOR"
fi

# pasted log lines
expect 0 MBEDTLS_X509_BADCERT_FUTURE "is the device clock set?" -- "ssl_tls.c:10054: |3| ! Certificate verification flags 00000200"
expect 0 MBEDTLS_ERR_X509_CERT_VERIFY_FAILED -- "ssl_tls.c:9954: |1| x509_verify_cert() returned -9984 (-0x2700)"

# the lab corpus: real Mbed TLS 2.28 and 3.6 clients. The error text each printed (its own
# mbedtls_strerror()) must name the module tlsdoctor gives for that line, each alert must get its
# registry name, and every verify-flags line in a client log must be explained.
source "$TD_SRC/tests/lib/corpus.sh"
lab=$CORPUS_LAB
if [ -f "$lab/INDEX.tsv" ]; then
    python3 - "$TD_BIN" "$lab" <<'PY' || fail "the lab corpus disagrees with explain"
import json, os, re, subprocess, sys
tdbin, lab = sys.argv[1], sys.argv[2]
def explain(*args):
    r = subprocess.run([tdbin, "explain", "--json", *args], capture_output=True, text=True)
    assert r.returncode == 0, (args, r.returncode, r.stderr)
    return json.loads(r.stdout)
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(lab, "INDEX.tsv"))][1:]
codes = alerts = flags = logs = 0
for case, client, _server, _cat, alert, err in rows:
    line = "3.6" if client.startswith("mbedtls-3") else "2.28"
    for m in re.finditer(r"(-0x[0-9A-Fa-f]{4}) ([A-Z0-9_]+) - ", err):
        d = explain("error", m.group(1))
        mods = [i["module"] for i in d["items"] if line in i.get("lines", [])]
        assert mods == [m.group(2)], (case, m.group(1), mods, m.group(2))
        codes += 1
    for m in re.finditer(r"(?:fatal|warning) (\d+) ([a-z_]+)", alert):
        d = explain("alert", m.group(1))
        assert d["items"][0]["name"] == m.group(2), (case, m.group(0))
        alerts += 1
    log = os.path.join(lab, case, "client.log")
    if os.path.exists(log):
        logs += 1
        for l in open(log, errors="replace"):
            if "Certificate verification flags" in l and not l.rstrip().endswith("00000000"):
                d = explain(l.strip())
                assert d["kind"] == "x509_flags" and d["items"], (case, l)
                flags += 1
print("lab corpus: %d error codes, %d alerts, %d verify-flags lines explained consistently" % (codes, alerts, flags))
print("corpus: read %d lab client logs (expected %d)" % (logs, len(rows)))
assert logs == len(rows), "read %d lab client logs, expected %d (INDEX.tsv rows)" % (logs, len(rows))
assert codes >= 20 and alerts >= 20, (codes, alerts)
PY
else
    fail "no lab corpus at $lab"
fi

# the table against Mbed TLS 2.28's own strerror: same module for every 2.28 code, same split
strerror="$TD_BUILD/tests/fixtures/td_strerror"
if [ ! -x "$strerror" ]; then
    fail "$strerror was not built (is libmbedtls-dev installed?)"
else
    def="$TD_SRC/lib/reg/data/mbedtls_errors.def"
    # rows present in 2.28 (lines 1 or 3): code and module
    grep -E '^TD_MBEDTLS_ERR\(' "$def" | sed -E 's/^TD_MBEDTLS_ERR\((-0x[0-9A-F]+), "[A-Z0-9_]+", "([A-Z0-9_]+)", ([0-9]),.*/\1 \2 \3/' |
        awk '$3 == 1 || $3 == 3 {print $1, $2}' | sort -u >"$tmp/rows"
    # shellcheck disable=SC2046
    "$strerror" $(cut -d' ' -f1 "$tmp/rows") >"$tmp/ref" || fail "td_strerror failed"
    python3 - "$tmp/rows" "$tmp/ref" <<'PY' || fail "the 2.28 table disagrees with mbedtls_strerror()"
import sys
rows = [l.split() for l in open(sys.argv[1])]
ref = [l.rstrip("\n").split("\t", 1)[1] for l in open(sys.argv[2])]
assert len(rows) == len(ref) and len(rows) >= 250, (len(rows), len(ref))
bad, unknown = [], []
for (code, mod), text in zip(rows, ref):
    if text.startswith("UNKNOWN ERROR CODE"):
        unknown.append(code)      # module not compiled into Debian's library
    elif not text.startswith(mod + " - "):
        bad.append((code, mod, text))
print("mbedtls_strerror agrees on %d of %d 2.28 codes; %d not compiled in: %s"
      % (len(rows) - len(bad) - len(unknown), len(rows), len(unknown), " ".join(unknown)))
assert not bad, bad
assert len(unknown) <= 10, unknown
PY
    # combined codes: every other high-level 2.28 code with one of a few low-level ones, compared
    # with the split tlsdoctor shows (one python process drives all the tlsdoctor runs; sampled so
    # that the sanitizer build stays quick on a shared machine)
    i=0
    while read -r h _; do
        mag=$(( ${h#-} ))
        [ "$mag" -ge $((0x80)) ] || continue
        i=$((i + 1))
        [ $((i % 2)) = 0 ] || continue
        lows=(0x0010 0x0050 0x0062 0x0004 0x0034)
        echo $(( -(mag + ${lows[i % 5]}) ))
    done <"$tmp/rows" >"$tmp/combos"
    # shellcheck disable=SC2046
    "$strerror" $(cat "$tmp/combos") >"$tmp/cref" || fail "td_strerror failed on combined codes"
    python3 - "$TD_BIN" "$tmp/cref" <<'PY' || fail "the high/low split disagrees with mbedtls_strerror()"
import json, subprocess, sys
tdbin, ref = sys.argv[1], sys.argv[2]
n, bad = 0, []
for line in open(ref):
    code, text = line.rstrip("\n").split("\t", 1)
    if " : " not in text or text.startswith("UNKNOWN"):
        continue          # a half Mbed TLS does not know (module not compiled in, or HKDF)
    hmod = text.split(" - ", 1)[0]
    lmod = text.split(" : ", 1)[1].split(" - ", 1)[0]
    r = subprocess.run([tdbin, "explain", "--json", "error", code], capture_output=True, text=True)
    if r.returncode != 0:
        bad.append((code, "exit %d" % r.returncode)); continue
    got = [i.get("module", "?") for i in json.loads(r.stdout)["items"] if "2.28" in i.get("lines", [])]
    if got != [hmod, lmod]:
        bad.append((code, got, [hmod, lmod]))
    n += 1
print("split agrees with mbedtls_strerror on %d combined codes" % (n - len(bad)))
assert not bad, bad[:10]
assert n >= 60, n
PY
fi

[ "$fails" = 0 ] || { echo "$fails failure(s)" >&2; exit 1; }
echo "test_explain: all passed"
