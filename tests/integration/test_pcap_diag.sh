#!/bin/bash
# Captures and logs of the same handshakes get the same leading finding: for every lab case
# (tests/corpus/lab) and every generated real-peer case ($TD_BUILD/cases, tests/lib/cases.sh:
# the Mbed TLS fixture client against openssl s_server, gnutls-serv, caddy, nginx, captured with
# tcpdump on lo), the leading finding of `tlsdoctor pcap --json` on capture.pcap is compared with
# `tlsdoctor diagnose --log` on client.log and with the case's expected one (expect_leading, or
# the lab's cause_category). Where the capture alone cannot show the cause (the client's buffer
# size, its own certificate verification, a TLS 1.3 exchange after the ServerHello, a transport
# error code), the capture's answer must be a "cannot tell" finding: naming a cause that neither
# the log nor the case expects is a FAIL. The counts are printed, and reading fewer lab or
# generated cases than the corpus holds fails. Without root (no generated cases can be made) the
# lab is checked, then the test exits 77 (skipped) saying why.
set -u
: "${TD_BIN:?}" "${TD_SRC:?}" "${TD_BUILD:?}"
source "$TD_SRC/tests/lib/corpus.sh"
source "$TD_SRC/tests/lib/cases.sh"
dirs=()
count_fail=0 labn=0 gen=0
for d in "$CORPUS_LAB"/*/; do
    [ -f "$d/capture.pcap" ] && [ -f "$d/client.log" ] || continue
    dirs+=("$d")
    labn=$((labn + 1))
done
corpus_count "lab captures with their logs" "$labn" "$(corpus_lab_expected)" || count_fail=1
skip_reason=
if skip_reason=$(cases_skip_reason); then
    echo "skip: generated cases: $skip_reason"
elif ensure_cases >/dev/null 2>&1; then
    for id in $(cases_ids); do dirs+=("$CASES_DIR/$id"); gen=$((gen + 1)); done
    cases_count "cases" "$gen" || count_fail=1
else
    echo "FAIL generated cases unavailable (ensure_cases failed; see $TD_BUILD/cases.log)"
    count_fail=1
fi
python3 - "$TD_BIN" "${dirs[@]}" <<'PY'
import json, os, subprocess, sys
tool, dirs = sys.argv[1], sys.argv[2:]
CANNOT_TELL = {"insufficient-evidence", "local-failure", "unknown", "no-tls"}
LAB = {"SNI_MISSING": "sni-missing", "CIPHER_MISMATCH": "no-common-suite", "SUCCESS": "handshake-ok",
       "CA_UNTRUSTED": "ca-untrusted", "VERSION_MISMATCH": "version-mismatch",
       "GROUP_MISMATCH": "no-common-group", "SIGALG_MISMATCH": "no-common-sigalg",
       "CLIENT_CERT_REQUIRED": "client-cert-required", "MFL_UNSUPPORTED": "mfl-ignored",
       "HOSTNAME_MISMATCH": "hostname-mismatch", "BUFFER_TOO_SMALL": "record-too-large"}

# Cases where the capture's concrete answer differs from the case's expectation for a reason
# outside the capture reader; each says why.
KNOWN = {
    "cases/mfl_ignored_caddy": "diag's mfl-ignored rule leads on a ServerHello without "
        "max_fragment_length although this client's buffer copes (the lab's caddy case, which "
        "fails, gets mfl-ignored from log and capture alike)",
}

FINDINGS = {}

def leading(args, key):
    p = subprocess.run([tool] + args, capture_output=True, text=True, timeout=60)
    try:
        d = json.loads(p.stdout)
        r = d[key] if key else d
        if r:
            FINDINGS[tuple(args)] = [f["id"] for f in r["attempts"][r["lead_attempt"]]["findings"]]
        return r["leading"] if r else "no-tls"
    except (ValueError, KeyError, TypeError, IndexError):
        return "no-tls" if p.returncode == 3 else "?"

def expected(d):
    kv = {}
    for name in ("expected.txt", "meta.txt"):
        path = os.path.join(d, name)
        if os.path.exists(path):
            for line in open(path):
                k, sep, v = line.partition("=" if name == "expected.txt" else ": ")
                if sep:
                    kv[k.strip()] = v.strip()
    e = kv.get("expect_leading") or LAB.get(kv.get("cause_category", ""), "")
    return "handshake-ok" if e == "none" else e

# The lab's expected leading findings (alternatives joined with |), as for the logs.
TSV = {}
for line in open(os.path.join(os.environ["TD_SRC"], "tests/data/expected-findings.tsv")):
    if line.strip() and not line.startswith("#"):
        k, _, v = line.rstrip("\n").partition("\t")
        TSV[k] = set(v.split("|"))

fail = same = gaps = total = lab_same = agree_expected = lab_total = lab_expected = 0
for d in dirs:
    cap, log = os.path.join(d, "capture.pcap"), os.path.join(d, "client.log")
    if not (os.path.exists(cap) and os.path.exists(log)):
        continue
    total += 1
    name = ("lab/" if "/corpus/lab/" in d else "cases/") + os.path.basename(d.rstrip("/"))
    a = leading(["diagnose", "--json", "--log", log], None)
    b = leading(["pcap", "--json", cap], "report")
    want = expected(d)
    wants = TSV.get(name[4:], {want}) if name.startswith("lab/") else {want}
    if name.startswith("lab/"):
        lab_total += 1
        lab_expected += b in wants
    agree_expected += b in wants
    if a == b:
        same += 1
        lab_same += name.startswith("lab/")
    elif b == want:
        print("ok   %s: capture %s as the case expects (log says %s)" % (name, b, a))
    elif name in KNOWN and b not in CANNOT_TELL:
        print("known %s: capture %s, log %s, expected %s: %s" % (name, b, a, want, KNOWN[name]))
    elif b in CANNOT_TELL:
        gaps += 1
        print("gap  %s: log %s, expected %s, capture %s" % (name, a, want, b))
    else:
        fail = 1
        print("FAIL %s: capture says %s, log %s, expected %s" % (name, b, a, want))
    # A Mbed TLS 3.x client's random carries no time: no clock finding may come from it.
    meta = os.path.join(d, "meta.txt")
    if os.path.exists(meta) and "client_version: 3." in open(meta).read() and \
            "clock-unset" in FINDINGS.get(("pcap", "--json", cap), []):
        fail = 1
        print("FAIL %s: clock-unset from a 3.x client's random" % name)
print("leading findings: %d of %d the same from capture and log (%d in the lab); %d of %d as the "
      "case expects; %d where the capture cannot tell" % (same, total, lab_same, agree_expected,
                                                          total, gaps))
print("capture leading findings: %d/%d" % (lab_expected, lab_total))
if lab_expected < lab_total:
    print("FAIL: only %d of %d lab captures get their expected leading finding" % (lab_expected, lab_total))
    fail = 1
if lab_same < lab_total:
    print("FAIL: only %d of %d lab captures lead with what their logs lead with" % (lab_same, lab_total))
    fail = 1
sys.exit(fail)
PY
rc=$?
[ "$rc" = 0 ] && [ "$count_fail" = 0 ] || exit 1
[ -z "$skip_reason" ] || exit 77
