#!/usr/bin/env python3
"""make_subset.py -- the fixed subset of an ssl-opt.sh run kept in tests/corpus/sslopt/.

Usage: make_subset.py --logs LOGDIR --results SCOREDIR/results.tsv --causes causes.tsv --out DIR

Takes, from a full run scored by score.py:
  - every Mbed TLS log of every test in causes.tsv of kind 'intentional' (both sides; a side
    whose handshake completed only when it reads as success now, see below);
  - a sample of the 'machine' rows: the first log for each distinct (side, expected id);
  - successes, up to PER_CLASS per class (DTLS, non-blocking I/O, event-driven I/O,
    renegotiation, resumption, DTLS proxy/packet loss, fragmentation, DTLS server logs with a
    stray record, DTLS server logs with a HelloVerifyRequest round), the smallest logs first, and a few plain TLS ones; failures, half as many per
    class, whatever tlsdoctor says of them; every success the program followed with another
    failure (success-then-failure);
Successes that do not read as success now are left out and listed in PENDING.tsv (every one of
the run: rerun this when the reader reads them right); the index records every log's ground
truth and expected id.
What DIR/INDEX.tsv already lists is kept (the subset only grows), and so is every success the
last PENDING.tsv listed that reads as success now (it guards the fix that made it so). Writes DIR/o-*.log,
DIR/INDEX.tsv, DIR/PENDING.tsv. The levels (DIR/LEVELS) are kept by hand.
"""
import argparse
import csv
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from score import load_causes  # noqa: E402
from truth import truth  # noqa: E402

PER_CLASS = 6
MAX_BYTES = 400_000
CLASSES = [("dtls-stray", None), ("dtls-hvr", None), ("nbio", r"nbio|non-blocking"), ("event", r"Event-driven"),
           ("renegotiation", r"[Rr]enego"), ("resumption", r"[Rr]esum|ticket|reconnect|cache"),
           ("dtls-proxy", r"DTLS proxy|3d|reordering"), ("fragment", r"[Ff]ragment"),
           ("dtls", r"DTLS"), ("tls", r".")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--logs", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--causes", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    res = {}
    with open(a.results) as f:
        for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            res[r["file"]] = r
    causes = {r["test"]: r for r in load_causes(a.causes)}

    def reads_right(r):
        if r["truth"] == "success":
            return r["leading"] == "handshake-ok" and r["handshake"] == "succeeded" and r["exit"] == "0"
        if r["truth"] == "success-then-failure":
            return r["handshake"] == "succeeded"
        return r["handshake"] == "failed" and r["exit"] != "0"

    chosen, pending = {}, []
    # the subset is fixed: what the index already holds stays (a kept success that no longer
    # reads as success is a regression the test must catch), new picks are added to it
    kept = os.path.join(a.out, "INDEX.tsv")
    if os.path.exists(kept):
        with open(kept) as f:
            for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if row["file"] in res:
                    chosen[row["file"]] = (res[row["file"]], row["kind"])

    def take(r, why):
        if r["file"] in chosen:
            return
        if r["truth"].startswith("success") and not reads_right(r):
            pending.append((r, why))
            return
        chosen[r["file"]] = (r, why)

    by_test = {}
    for r in res.values():
        by_test.setdefault(r["test"], []).append(r)
    seen_machine = set()
    for name, c in causes.items():
        for r in sorted(by_test.get(name, []), key=lambda r: r["side"]):
            col = "cli" if r["side"] == "client" else "srv"
            if c["kind"] == "intentional":
                take(r, "intentional")
            elif c[col] != "-" and (r["side"], c[col]) not in seen_machine:
                seen_machine.add((r["side"], c[col]))
                take(r, "machine")
    # a success PENDING.tsv listed that reads right now is kept: it guards the fix that made it so
    was_pending = os.path.join(a.out, "PENDING.tsv")
    if os.path.exists(was_pending):
        with open(was_pending) as f:
            for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                r = res.get(row["file"])
                if r and r["truth"].startswith("success") and reads_right(r) and \
                        os.path.getsize(os.path.join(a.logs, r["file"])) <= MAX_BYTES:
                    take(r, row["why"] if row["why"].startswith("success:") else "success:" + row["why"])
    counts = {k: 0 for k, _ in CLASSES}
    fcounts = {k: 0 for k, _ in CLASSES}
    for _, why in chosen.values():
        kind, _, k = why.partition(":")
        if k in counts:
            (counts if kind == "success" else fcounts)[k] += 1
    for r in sorted(res.values(), key=lambda r: os.path.getsize(os.path.join(a.logs, r["file"]))):
        if r["truth"] not in ("success", "success-then-failure", "failure") or r["file"] in chosen:
            continue
        if os.path.getsize(os.path.join(a.logs, r["file"])) > MAX_BYTES:
            continue
        for k, rx in CLASSES:
            if k in ("dtls-stray", "dtls-hvr"):
                with open(os.path.join(a.logs, r["file"]), errors="replace") as f:
                    t = truth(f.read())
                hit = t["stray"] > 0 if k == "dtls-stray" else t["hvr"] > 0
            else:
                hit = re.search(rx, r["test"]) is not None
            if not hit:
                continue
            if r["truth"] == "failure":
                # failures are sampled whatever tlsdoctor says of them
                if fcounts[k] < PER_CLASS // 2:
                    fcounts[k] += 1
                    take(r, "failure:" + k)
            elif not reads_right(r):
                pending.append((r, "success:" + k))
            elif counts[k] < PER_CLASS:
                counts[k] += 1
                take(r, "success:" + k)
            break
    # every success the program followed with another failure (few: a write over the DTLS
    # max_fragment_length, badmac_limit, a read that timed out)
    for r in res.values():
        if r["truth"] == "success-then-failure" and r["file"] not in chosen and \
                os.path.getsize(os.path.join(a.logs, r["file"])) <= MAX_BYTES:
            take(r, "success:then-failure")
    # PENDING.tsv lists every success of the run not read right, sampled or not
    for r in sorted(res.values(), key=lambda r: (int(r["num"]), r["side"])):
        if r["truth"].startswith("success") and r["file"] not in chosen and not reads_right(r):
            pending.append((r, "success"))
    os.makedirs(a.out, exist_ok=True)
    for fn in os.listdir(a.out):
        if re.match(r"o-(cli|srv)-\d+\.log$", fn):
            os.remove(os.path.join(a.out, fn))

    def expected(r):
        c = causes.get(r["test"])
        if not c:
            return "-"
        return c["cli" if r["side"] == "client" else "srv"]

    rows = sorted(chosen.values(), key=lambda x: (int(x[0]["num"]), x[0]["side"]))
    with open(os.path.join(a.out, "INDEX.tsv"), "w") as f:
        f.write("file\tnum\tside\ttruth\texpect\tkind\ttest\n")
        for r, why in rows:
            shutil.copyfile(os.path.join(a.logs, r["file"]), os.path.join(a.out, r["file"]))
            f.write(f"{r['file']}\t{r['num']}\t{r['side']}\t{r['truth']}\t{expected(r)}\t{why}\t{r['test']}\n")
    with open(os.path.join(a.out, "PENDING.tsv"), "w") as f:
        f.write("file\tnum\tside\ttruth\twhy\treads now\ttest\n")
        pending = list({r["file"]: (r, why) for r, why in reversed(pending)}.values())[::-1]
        for r, why in pending:
            f.write(f"{r['file']}\t{r['num']}\t{r['side']}\t{r['truth']}\t{why}\t"
                    f"{r['leading']} / {r['handshake']} / exit {r['exit']}\t{r['test']}\n")
    size = sum(os.path.getsize(os.path.join(a.out, r["file"])) for r, _ in rows)
    print(f"{len(rows)} logs, {size / 1e6:.1f} MB; {len(pending)} pending; successes {counts}; "
          f"failures {fcounts}")


if __name__ == "__main__":
    main()
