#!/usr/bin/env python3
"""probe_compare.py -- checks a `tlsdoctor probe --json` result against the server's known
configuration and against sslscan's report of the same server.

usage: probe_compare.py PROBE.json SSLSCAN.txt EXPECT.json OPENSSL_CIPHERS.txt
EXPECT keys (all optional): versions [names], suites {version: [ids in order or set]},
ordered [versions whose order must match], groups13 / groups12 [names, as a set],
groups13_contains [names], sigalgs12_contains [names], sni {"": outcome/alert, "wrong": ...},
chain13_count, chain13_verified, chain13_min_bytes, sslscan_misses_sigalgs12 (bool).
Prints one line per check; exits 1 if any failed."""
import json
import re
import sys

probe = json.load(open(sys.argv[1]))
scan = open(sys.argv[2]).read()
want = json.load(open(sys.argv[3]))
# OpenSSL cipher name -> IANA id, from `openssl ciphers -V`
ossl = {}
for line in open(sys.argv[4]):
    m = re.match(r"\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)", line)
    if m:
        ossl[m.group(3)] = int(m.group(1) + m.group(2), 16)
fails = 0


def check(cond, what):
    global fails
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        fails += 1


VER = {"SSLv3": "SSL 3.0", "TLSv1.0": "TLS 1.0", "TLSv1.1": "TLS 1.1", "TLSv1.2": "TLS 1.2",
       "TLSv1.3": "TLS 1.3"}
ours_versions = {v["version"] for v in probe["versions"] if v["supported"]}
scan_versions = {VER[m.group(1)] for m in re.finditer(r"^(SSLv3|TLSv1\.[0-3])\s+enabled", scan, re.M)}
ours_suites = {v["version"]: [int(s["id"], 16) for s in v["suites"]]
               for v in probe["versions"] if v["supported"]}
by_name = {s["name"]: int(s["id"], 16) for v in probe["versions"] if v["supported"]
           for s in v["suites"]}
scan_suites = {}
for m in re.finditer(r"^(?:Preferred|Accepted)\s+(TLSv1\.[0-3]|SSLv3)\s+\d+ bits\s+(\S+)", scan, re.M):
    name = m.group(2)
    sid = ossl.get(name, by_name.get(name, name))
    scan_suites.setdefault(VER[m.group(1)], set()).add(sid)
scan_groups = {}
for m in re.finditer(r"^(TLSv1\.[23])\s+\d+ bits\s+(\S+)", scan[scan.find("Key Exchange Group"):], re.M):
    scan_groups.setdefault(VER[m.group(1)], set()).add(m.group(2))
sig_part = scan[scan.find("Signature Algorithm(s)"):] if "Signature Algorithm(s)" in scan else ""
scan_sigs = {}
for m in re.finditer(r"^(TLSv1\.[23])\s+(\w+)\s*$", sig_part, re.M):
    # sslscan spells the TLS 1.2-only codepoints 0x0301/0x0303 as rsa_pkcs1_sha224/ecdsa_sha224
    alias = {"rsa_pkcs1_sha224": "rsa_sha224", "ecdsa_sha224": "ecdsa_sha224"}
    scan_sigs.setdefault(VER[m.group(1)], set()).add(alias.get(m.group(2), m.group(2)))
names = lambda lst: [x["name"] for x in lst]
g13, g12 = names(probe["groups"]["tls13"]), names(probe["groups"]["tls12"])
s12, s13 = names(probe["signature_algorithms"]["tls12"]), names(probe["signature_algorithms"]["tls13"])

# against the configuration
if "versions" in want:
    check(ours_versions == set(want["versions"]), "versions %s == configured %s" % (sorted(ours_versions), want["versions"]))
for ver, ids in want.get("suites", {}).items():
    ids = [int(x, 16) for x in ids]
    got = ours_suites.get(ver, [])
    if ver in want.get("ordered", []):
        check(got == ids, "%s suites in server order %s == configured %s" % (ver, [hex(x) for x in got], [hex(x) for x in ids]))
    else:
        check(sorted(got) == sorted(ids), "%s suites %s == configured %s" % (ver, [hex(x) for x in got], [hex(x) for x in ids]))
if "groups13" in want:
    check(sorted(g13) == sorted(want["groups13"]), "TLS 1.3 groups %s == configured %s" % (g13, want["groups13"]))
if "groups12" in want:
    check(sorted(g12) == sorted(want["groups12"]), "TLS 1.2 groups %s == configured %s" % (g12, want["groups12"]))
for g in want.get("groups13_contains", []):
    check(g in g13, "TLS 1.3 group %s found" % g)
for s in want.get("sigalgs12_contains", []):
    check(s in s12, "TLS 1.2 signature algorithm %s found" % s)
for name, expect in want.get("sni", {}).items():
    case = [c for c in probe["sni"] if (c["name"] or "") == name or (name == "wrong" and c["name"] and "wrong" in c["name"])]
    got = case[0]["outcome"] + (":%d" % case[0]["alert"] if "alert" in case[0] else "") if case else "missing"
    check(got == expect, "SNI %r: %s == %s" % (name or "none", got, expect))
ch = probe.get("chain", {}).get("tls13")
if "chain13_count" in want:
    check(ch is not None and ch["count"] == want["chain13_count"] and ch["encrypted"],
          "TLS 1.3 chain read (decrypted): %s certificates" % (ch and ch["count"]))
    check(ch is not None and ch.get("verified") is want["chain13_verified"] and ch.get("in_order") is True
          and ch.get("name_matches") is True, "TLS 1.3 chain verified against the test CA, in order, name matches")
    check(ch is not None and ch["certificate_message_bytes"] >= want.get("chain13_min_bytes", 1),
          "TLS 1.3 Certificate message size reported: %s bytes" % (ch and ch["certificate_message_bytes"]))

# against sslscan
check(ours_versions == scan_versions, "versions agree with sslscan %s" % sorted(scan_versions))
for ver in sorted(set(ours_suites) | set(scan_suites)):
    a, b = set(ours_suites.get(ver, [])), scan_suites.get(ver, set())
    check(a == b, "%s suites agree with sslscan (%d)%s" % (ver, len(b), "" if a == b else " ours-only %s sslscan-only %s" % (sorted(a - b), sorted(b - a))))
for ver, ours in (("TLS 1.3", g13), ("TLS 1.2", g12)):
    b = scan_groups.get(ver, set())
    check(set(ours) == b, "%s groups agree with sslscan %s" % (ver, sorted(b)))
check(set(s13) == scan_sigs.get("TLS 1.3", set()), "TLS 1.3 signature algorithms agree with sslscan %s" % sorted(scan_sigs.get("TLS 1.3", set())))
if want.get("sslscan_misses_sigalgs12"):
    check(not scan_sigs.get("TLS 1.2") and s12, "sslscan finds no TLS 1.2 signature algorithms, tlsdoctor finds %s" % s12)
else:
    check(set(s12) == scan_sigs.get("TLS 1.2", set()), "TLS 1.2 signature algorithms agree with sslscan %s" % sorted(scan_sigs.get("TLS 1.2", set())))
print("connections: %d" % probe["connections"])
sys.exit(1 if fails else 0)
