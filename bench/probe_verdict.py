#!/usr/bin/env python3
"""probe_verdict.py -- did a scanner's output find a server's configured versions and suites?

usage: probe_verdict.py TOOL OUTPUT EXPECT.json PORT OPENSSL_CIPHERS SSLSCAN_OUTPUT
For nginx (expect null) the reference is sslscan's own finding on the same server (27 suites).
Prints "yes" or "no: <what differs>"."""
import json
import re
import sys

tool, out_path, exp_path, port, ciphers_path, sslscan_path = sys.argv[1:7]
ossl = {}
for line in open(ciphers_path):
    m = re.match(r"\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)\s+(\S+)", line)
    if m:
        ossl[m.group(3)] = int(m.group(1) + m.group(2), 16)
IANA13 = {"TLS_AES_128_GCM_SHA256": 0x1301, "TLS_AES_256_GCM_SHA384": 0x1302,
          "TLS_CHACHA20_POLY1305_SHA256": 0x1303, "TLS_AES_128_CCM_SHA256": 0x1304,
          "TLS_AES_128_CCM_8_SHA256": 0x1305,
          # nmap's names for the TLS 1.3 suites
          "TLS_AKE_WITH_AES_128_GCM_SHA256": 0x1301, "TLS_AKE_WITH_AES_256_GCM_SHA384": 0x1302,
          "TLS_AKE_WITH_CHACHA20_POLY1305_SHA256": 0x1303, "TLS_AKE_WITH_AES_128_CCM_SHA256": 0x1304,
          "TLS_AKE_WITH_AES_128_CCM_8_SHA256": 0x1305}
VER = {"SSLv3": "SSL 3.0", "TLSv1.0": "TLS 1.0", "TLSv1.1": "TLS 1.1", "TLSv1.2": "TLS 1.2",
       "TLSv1.3": "TLS 1.3"}


def sslscan(text):
    found = {}
    for m in re.finditer(r"^(?:Preferred|Accepted)\s+(TLSv1\.[0-3]|SSLv3)\s+\d+ bits\s+(\S+)", text, re.M):
        found.setdefault(VER[m.group(1)], set()).add(ossl.get(m.group(2), IANA13.get(m.group(2), -1)))
    return found


def tlsdoctor(text):
    d = json.loads(text)
    return {v["version"]: {int(s["id"], 16) for s in v["suites"]} for v in d["versions"] if v["supported"]}


def testssl(text):
    found = {}
    for e in json.loads(text):
        m = re.match(r"cipher-(tls1(?:_[0-3])?|ssl3)_x([0-9a-f]+)$", e.get("id", ""))
        if m and "not offered" not in e.get("finding", ""):
            ver = {"ssl3": "SSL 3.0", "tls1": "TLS 1.0", "tls1_1": "TLS 1.1", "tls1_2": "TLS 1.2",
                   "tls1_3": "TLS 1.3"}[m.group(1)]
            found.setdefault(ver, set()).add(int(m.group(2), 16))
    return found


def nmap(text):
    found, ver = {}, None
    for line in text.splitlines():
        m = re.match(r"\|\s+(TLSv1\.[0-3]|SSLv3):", line)
        if m:
            ver = VER[m.group(1)]
            continue
        m = re.match(r"\|\s+(TLS_\w+)", line)
        if m and ver:
            name = m.group(1)
            sid = IANA13.get(name)
            if sid is None:
                sid = IANA_BY_NAME.get(name, -1)
            found.setdefault(ver, set()).add(sid)
    return found


# IANA names for TLS <= 1.2 suites, from `openssl ciphers -stdname`-style lines when present
IANA_BY_NAME = {}
for line in open(ciphers_path):
    m = re.match(r"\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)", line)
    if m:
        IANA_BY_NAME[m.group(3)] = int(m.group(1) + m.group(2), 16)
try:
    import subprocess
    std = subprocess.run(["openssl", "ciphers", "-V", "-stdname", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"],
                         capture_output=True, text=True).stdout
    for line in std.splitlines():
        m = re.match(r"\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)", line)
        if m:
            IANA_BY_NAME[m.group(3)] = int(m.group(1) + m.group(2), 16)
except OSError:
    pass

try:
    text = open(out_path).read()
    got = {"tlsdoctor": tlsdoctor, "sslscan": sslscan, "testssl": testssl, "nmap": nmap}[tool](text)
except (OSError, ValueError, KeyError) as e:
    print("no: output unreadable (%s)" % e)
    sys.exit(0)
exp = json.load(open(exp_path))[port]
if exp is None:
    want = sslscan(open(sslscan_path).read())
else:
    want = {v: {int(x, 16) for x in ids} for v, ids in exp.items()}
diff = []
for v in sorted(set(want) | set(got)):
    a, b = got.get(v, set()), want.get(v, set())
    if a != b:
        diff.append("%s: missing %s extra %s" % (v, sorted(hex(x) for x in b - a), sorted(hex(x) for x in a - b)))
print("yes" if not diff else "no: " + "; ".join(diff))
