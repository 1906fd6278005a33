#!/usr/bin/env python3
"""seeds.py -- fuzz seeds from the real logs and captures, and in the shapes users paste logs in (issue 15).

Rewrites a few real lab logs (tests/corpus/lab/*/client.log) the way they reach us in forum posts,
issue comments and serial consoles ("paste forms"), and writes them with the real logs and
captures as seeds.

usage: fuzz/seeds.py HARNESS OUTDIR (scripts/run-fuzzers calls it for every harness). Per harness:
  mbedlog        every real log and paste form, behind 2 control bytes (chunk size, line cap)
  diag           every real log and paste form as it is, the lab captures and their cuts
  capture        the lab captures, each also cut at a packet boundary, inside a packet, and with
                 one packet's captured length shortened (snaplen-style truncation)
  wire           each lab capture's TCP stream per direction, behind mode byte 0
  explain        real log lines naming an error code, verify flags or an alert, behind kind byte 0
  replay_hello   each lab client's ClientHello record
  replay         each lab client's ClientHello, its server's flight as the answer to each connection
  probe_flight   each lab server's flight, behind a chunk/mode byte
  probe_enum     each lab server's flight as the answer to the probe's first connections
The real logs: tests/corpus/lab/*/client.log, examples/, tests/corpus/seeds, success36, realworld
and server28.

Forms: msgonly (the file:line: |level| prefix gone), ctxptr (the ssl context pointer instead,
"0x20020a80: => handshake"), espidf (ESP-IDF "D (1234) mbedtls: ssl_tls.c:1234 msg" with ANSI
colour codes), zephyr ("[00:00:01.234,567] <dbg> net_sock_tls: tls_debug: ssl_tls.c:0123: msg"),
winpath (Windows source paths), rtt (SEGGER RTT "00> " with CRLF), html (HTML entities, as copied
from a rendered web page), wrap80 (hard-wrapped at 80 columns), and cut (the log cut after a
random line and inside a random line, e.g. right after "expires on"). Deterministic (fixed seed);
extend FORMS or CASES to add more.
"""
import html
import os
import random
import re
import struct
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAB = os.path.join(TOP, "tests", "corpus", "lab")
MAXLEN = 60000  # the fuzzers run with -max_len=65536; longer seeds would be cut anyway
CASES = [
    "ca_none_openssl_m228",
    "cert_expired_openssl_m228",
    "clientcert_required_openssl_tls13_m366",
    "hostname_mismatch_openssl_m366",
    "sni_missing_nginx_m228",
    "version_tls12client_vs_tls13only_openssl_m228",
]
DBG = re.compile(r"^(?P<pre>.*?)(?P<file>[\w]+\.c):(?P<line>\d+): \|(?P<lvl>\d)\| (?P<msg>.*)$")


def lines_of(text):
    return text.split("\n")


def sub_debug(text, fn):
    out = []
    for i, ln in enumerate(lines_of(text)):
        m = DBG.match(ln)
        out.append(fn(i, m) if m else ln)
    return "\n".join(out)


def msgonly(text, rnd):
    return sub_debug(text, lambda i, m: m["pre"] + m["msg"])


def ctxptr(text, rnd):
    return sub_debug(text, lambda i, m: m["pre"] + "0x20020a80: " + m["msg"])


def espidf(text, rnd):
    colours = {"E": "\x1b[0;31m", "W": "\x1b[0;33m", "I": "\x1b[0;32m", "D": "", "V": ""}

    def f(i, m):
        lv = "D" if m["lvl"] in "34" else "I"
        if "error" in m["msg"].lower() or "alert" in m["msg"].lower():
            lv = "E"
        c = colours[lv]
        return "%s%s%s (%d) mbedtls: %s:%s %s%s" % (m["pre"], c, lv, 1234 + i * 3, m["file"],
                                                   m["line"].lstrip("0"), m["msg"],
                                                   "\x1b[0m" if c else "")
    return sub_debug(text, f)


def zephyr(text, rnd):
    def f(i, m):
        us = 1234567 + i * 911
        return "%s[%02d:%02d:%02d.%03d,%03d] <dbg> net_sock_tls: tls_debug: %s:%04d: %s" % (
            m["pre"], us // 3600000000, us // 60000000 % 60, us // 1000000 % 60, us // 1000 % 1000,
            us % 1000, m["file"], int(m["line"]), m["msg"])
    return sub_debug(text, f)


def winpath(text, rnd):
    return sub_debug(text, lambda i, m: "%sC:\\esp\\esp-idf\\components\\mbedtls\\mbedtls\\library\\"
                     "%s:%s: |%s| %s" % (m["pre"], m["file"], m["line"], m["lvl"], m["msg"]))


def rtt(text, rnd):
    return "\r\n".join("00> " + ln for ln in lines_of(text))


def htmlent(text, rnd):
    return html.escape(text, quote=True).replace("&#x27;", "&#39;")


def wrap80(text, rnd):
    out = []
    for ln in lines_of(text):
        while len(ln) > 80:
            out.append(ln[:80])
            ln = ln[80:]
        out.append(ln)
    return "\n".join(out)


def cut(text, rnd):
    ls = lines_of(text)
    hit = [i for i, ln in enumerate(ls) if "expires on" in ln]
    if hit and rnd.random() < 0.5:
        i = hit[0]
        return "\n".join(ls[:i]) + "\n" + ls[i][:ls[i].index("expires on") + len("expires on")]
    i = rnd.randrange(1, len(ls))
    return "\n".join(ls[:i]) + "\n" + ls[i][:rnd.randrange(0, max(1, len(ls[i])))]


FORMS = [("msgonly", msgonly), ("ctxptr", ctxptr), ("espidf", espidf), ("zephyr", zephyr),
         ("winpath", winpath), ("rtt", rtt), ("html", htmlent), ("wrap80", wrap80), ("cut", cut)]



def head(b):
    """The first MAXLEN bytes, ending at a line end when there is one."""
    if len(b) <= MAXLEN:
        return b
    b = b[:MAXLEN]
    nl = b.rfind(b"\n")
    return b[:nl + 1] if nl > 0 else b


def read(path):
    with open(path, "rb") as f:
        return f.read()


def corpus_logs():
    """Every real log the repository holds: lab, founding thread, seeds, 3.6 successes, and the
    real-world corpus when it is there."""
    out = []
    for d in sorted(os.listdir(LAB)):
        p = os.path.join(LAB, d, "client.log")
        if os.path.isfile(p):
            out.append(("lab_" + d, p))
    for sub in ("examples", "tests/corpus/seeds", "tests/corpus/success36", "tests/corpus/realworld",
                "tests/corpus/server28"):
        base = os.path.join(TOP, sub)
        for root, _, files in os.walk(base):
            for fn in sorted(files):
                if fn.endswith((".log", ".txt")) and fn != "README.md":
                    rel = os.path.relpath(os.path.join(root, fn), TOP)
                    out.append((re.sub(r"[^\w.-]", "_", rel), os.path.join(root, fn)))
    return out


def lab_captures():
    out = []
    for d in sorted(os.listdir(LAB)):
        p = os.path.join(LAB, d, "capture.pcap")
        if os.path.isfile(p):
            out.append((d, p))
    return out


def pcap_packets(b):
    """(offset, incl_len) of each packet record of a classic little- or big-endian pcap, or []."""
    if len(b) < 24:
        return []
    magic = struct.unpack("<I", b[:4])[0]
    if magic in (0xa1b2c3d4, 0xa1b23c4d):
        e = "<"
    elif magic in (0xd4c3b2a1, 0x4d3cb2a1):
        e = ">"
    else:
        return []
    out, off = [], 24
    while off + 16 <= len(b):
        incl = struct.unpack(e + "I", b[off + 8:off + 12])[0]
        if off + 16 + incl > len(b):
            break
        out.append((off, incl, e))
        off += 16 + incl
    return out


def capture_cuts(b, rnd):
    """A capture cut at a packet boundary, inside a packet, and one with a packet's captured
    length shortened (the TCP payload truncated as by a small snaplen, the file going on)."""
    pk = pcap_packets(b)
    if len(pk) < 3:
        return []
    i = rnd.randrange(1, len(pk))
    off, incl, e = pk[i]
    j = rnd.randrange(1, len(pk))
    joff, jincl, _ = pk[j]
    k = max(range(len(pk)), key=lambda n: pk[n][1] * (n % 7 + 1))
    koff, kincl, _ = pk[k]
    keep = 54 + (kincl - 54) // 3 if kincl > 60 else kincl // 2
    snap = (b[:koff + 8] + struct.pack(e + "I", keep) + b[koff + 12:koff + 16 + keep] +
            b[koff + 16 + kincl:])
    return [("atpkt%d" % i, b[:off]), ("inpkt%d" % j, b[:joff + 16 + rnd.randrange(0, jincl)]),
            ("snap%d" % k, snap)]


def tcp_streams(b):
    """The TCP payload of a capture's first connection, per direction (client first), in
    sequence order; Ethernet/IPv4/IPv6 only, enough for the lab captures."""
    flows = {}
    order = []
    for off, incl, e in pcap_packets(b):
        p = b[off + 16:off + 16 + incl]
        if len(p) < 14:
            continue
        et = struct.unpack(">H", p[12:14])[0]
        if et == 0x0800 and len(p) >= 34 and p[23] == 6:
            ihl = (p[14] & 15) * 4
            src, dst, t = p[26:30], p[30:34], 14 + ihl
            end = 14 + struct.unpack(">H", p[16:18])[0]
        elif et == 0x86dd and len(p) >= 54 and p[20] == 6:
            src, dst, t = p[22:38], p[38:54], 54
            end = 54 + struct.unpack(">H", p[18:20])[0]
        else:
            continue
        if len(p) < t + 20:
            continue
        sport, dport, seq = struct.unpack(">HHI", p[t:t + 8])
        pay = p[t + (p[t + 12] >> 4) * 4:min(end, len(p))]
        key = (src, sport, dst, dport)
        if key not in flows:
            flows[key] = {}
            order.append(key)
        if pay:
            flows[key].setdefault(seq, pay)
    out = []
    for key in order[:2]:
        segs = flows[key]
        out.append(b"".join(segs[s] for s in sorted(segs)))
    return out


def paste_forms(rnd):
    for case in CASES:
        text = read(os.path.join(LAB, case, "client.log")).decode("utf-8", "surrogateescape")
        for name, form in FORMS:
            yield "paste_%s_%s" % (case, name), head(form(text, rnd).encode("utf-8",
                                                                           "surrogateescape"))


def seeds_for(harness, rnd):
    logs = [("log_" + n, head(read(p))) for n, p in corpus_logs()]
    caps = [("cap_" + n, read(p)) for n, p in lab_captures()]
    cuts = [("cap_%s_%s" % (n, c), body) for n, p in lab_captures()
            for c, body in capture_cuts(read(p), rnd)]
    if harness == "mbedlog":
        for n, body in logs + list(paste_forms(rnd)):
            yield n, bytes([rnd.choice([0, 3, 17, 255]), rnd.choice([4, 60, 255])]) + body
    elif harness == "diag":
        yield from logs
        yield from paste_forms(rnd)
        yield from caps
        yield from cuts
    elif harness == "capture":
        yield from caps
        yield from cuts
    elif harness == "wire":
        for n, p in lab_captures():
            for side, s in zip(("client", "server"), tcp_streams(read(p))):
                if s:
                    yield "stream_%s_%s" % (n, side), b"\0" + head(s)
    elif harness == "explain":
        # lines people paste into `explain`: real log lines naming a code, flags or an alert,
        # behind kind byte 0 (auto), text or JSON
        seen = set()
        for n, body in sorted(logs, key=lambda nb: "realworld" not in nb[0]):
            for ln in body.split(b"\n"):
                ln = ln.strip()
                if (re.search(rb"-0x[0-9a-fA-F]{2,4}|verification flags|alert|returned -?\d", ln)
                        and len(ln) < 300 and ln not in seen and len(seen) < 120):
                    seen.add(ln)
                    yield "line%03d_%s" % (len(seen), n[:40]), bytes([rnd.choice([0, 0x80])]) + ln
    elif harness == "replay_hello":
        # each lab client's first record: its ClientHello as the device sent it
        for n, p in lab_captures():
            st = tcp_streams(read(p))
            if st and len(st[0]) >= 5 and st[0][0] == 22:
                yield "hello_" + n, st[0][:5 + (st[0][3] << 8 | st[0][4])]
    elif harness == "replay":
        # each lab client's ClientHello, its server's real flight answering every connection
        for n, p in lab_captures():
            st = tcp_streams(read(p))
            if len(st) > 1 and len(st[0]) >= 5 and st[0][0] == 22 and st[1]:
                hello = st[0][:5 + (st[0][3] << 8 | st[0][4])]
                flight = st[1][:16000]
                ans = struct.pack(">H", len(flight)) + flight
                yield "replay_" + n, struct.pack(">H", len(hello)) + hello + ans * 3
    elif harness == "probe_enum":
        # each lab server's flight answering the first connections, then closed connections
        for n, p in lab_captures():
            st = tcp_streams(read(p))
            if len(st) > 1 and st[1]:
                flight = st[1][:8000]
                yield "enum_" + n, (struct.pack(">H", len(flight)) + flight) * rnd.choice([1, 4, 8])
    elif harness == "probe_flight":
        # each lab server's flight, in small chunks and in large ones, waiting for the hello or
        # for the certificate (the first byte; see fuzz_probe_flight.c)
        for n, p in lab_captures():
            st = tcp_streams(read(p))
            if len(st) > 1 and st[1]:
                yield "flight_%s" % n, bytes([rnd.choice([0x06, 0x3f, 0x86, 0xbf])]) + head(st[1])


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: fuzz/seeds.py HARNESS OUTDIR")
    harness, outdir = sys.argv[1], sys.argv[2]
    missing = [c for c in CASES if not os.path.isfile(os.path.join(LAB, c, "client.log"))]
    if missing:
        sys.exit("seeds.py: %d lab logs missing: %s" % (len(missing), " ".join(missing)))
    rnd = random.Random(15)
    os.makedirs(outdir, exist_ok=True)
    n = 0
    for name, body in seeds_for(harness, rnd):
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(body)
        n += 1
    print("seeds.py: %d seeds for %s" % (n, harness))


if __name__ == "__main__":
    main()
