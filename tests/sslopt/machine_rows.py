#!/usr/bin/env python3
"""machine_rows.py -- the 'machine' rows of causes.tsv: the tests an ssl-opt.sh run reported as
FAIL (on this machine: test certificates of 2.28.3 expired since, OpenSSL 3 / GnuTLS 3.7
differences), each side's expected id being what its own log shows (shown.py).
Usage: machine_rows.py LOGDIR SSLOPT_OUTPUT   (the output of `ssl-opt.sh -s`, with numbers)
Prints TSV rows: test, cli, srv, kind=machine, why."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shown import shown  # noqa: E402
from truth import truth  # noqa: E402


def statuses(path):
    res = {}
    for b in re.split(r"(?m)^(?=\d+ )", open(path, errors="replace").read()):
        m = re.match(r"(\d+) ", b)
        v = re.search(r"\b(PASS|FAIL|SKIP)\b", b)
        if m and v:
            res[int(m.group(1))] = v.group(1)
    return res


def cell(path, side):
    if not os.path.exists(path):
        return "-", f"{side}: no log"
    t = open(path, errors="replace").read()
    r = truth(t)
    if not r["program"]:
        return "-", f"{side}: the peer's log ({r['cmd'].split()[0] if r['cmd'] else '?'})"
    if r["verdict"] != "failure":
        return "-", f"{side}: {r['verdict']}"
    sid, why = shown(t, side)
    return sid, f"{side}: {why}"


def main():
    logdir, listing = sys.argv[1], sys.argv[2]
    st = statuses(listing)
    seen = set()
    for n in sorted(st):
        if st[n] != "FAIL":
            continue
        c = os.path.join(logdir, f"o-cli-{n}.log")
        s = os.path.join(logdir, f"o-srv-{n}.log")
        name = None
        for p in (c, s):
            if os.path.exists(p):
                name = open(p, errors="replace").readline()[2:].strip()
                break
        if not name or name in seen:
            continue
        seen.add(name)
        (ci, cw), (si, sw) = cell(c, "client"), cell(s, "server")
        if ci == "-" and si == "-" and "failure" not in cw + sw and "without" not in cw + sw:
            continue
        print(f"{name}\t{ci}\t{si}\tmachine\t{cw}; {sw}")


if __name__ == "__main__":
    main()
