#!/usr/bin/env python3
"""rewrite-log.py -- a canonical Mbed TLS debug log ("file:line: |L| msg", as ssl_client2 prints it)
rewritten the way other debug callbacks, loggers, terminals and web pages print it.

Usage: rewrite-log.py FORM SEED < canonical.log > rewritten.log      (FORM list: --forms)
       rewrite-log.py --batch OUTDIR SEED LOG...   writes OUTDIR/N.FORM.log for the N-th LOG (from 1)
                                                   in every form, with seed SEED + N

Application lines (no "file:line: |L|") are kept, in the same decoration style where a logger would
add one; an application text glued before a debug line ("...handshake...ssl_tls.c:5922: |2| =>
handshake") stays glued. SEED drives the random forms (the unseen decoration, interleaved lines):
the same seed gives the same output.
"""
import random
import re
import sys

DEBUG = re.compile(r"^(.*?)((?:[A-Za-z0-9_.-]+[/\\])*)([A-Za-z0-9_-]+\.[ch]):(\d+): \|(\d)\| ?(.*)$")


def parse(text):
    """Lines as (app_text, file, lineno, level, msg) for debug lines or (app_text,) otherwise."""
    out = []
    for raw in text.split("\n"):
        raw = raw.rstrip("\r")
        m = DEBUG.match(raw)
        if m:
            out.append((m.group(1), m.group(3), int(m.group(4)), int(m.group(5)), m.group(6)))
        else:
            out.append((raw,))
    return out


def simple(deco):
    """A form where each debug line is app + deco(file, line, level) + msg; app lines as they are."""
    def rw(lines, rnd):
        res = []
        for i, l in enumerate(lines):
            if len(l) == 1:
                res.append(l[0])
            else:
                res.append(l[0] + deco(l, i, rnd) + l[4])
        return res
    return rw


def espidf(lines, rnd):
    res, ms = [], 1000
    letter = {1: "E", 2: "D", 3: "V", 4: "V"}
    colour = {"E": "\x1b[0;31m", "D": "", "V": "", "I": "\x1b[0;32m"}
    for l in lines:
        ms += rnd.randint(0, 3)
        if len(l) == 1:
            if l[0].strip():
                res.append(f"\x1b[0;32mI ({ms}) app: {l[0].strip()}\x1b[0m")
            continue
        if l[0].strip():
            res.append(f"\x1b[0;32mI ({ms}) app: {l[0].strip()}\x1b[0m")
        c = letter.get(l[3], "V")
        res.append(f"{colour[c]}{c} ({ms}) mbedtls: {l[1]}:{l[2]} {l[4]}\x1b[0m")
    return res


def zephyr(lines, rnd):
    res, us = [], 1234567
    for l in lines:
        us += rnd.randint(10, 900)
        ts = f"[{us // 3600000000:02d}:{us // 60000000 % 60:02d}:{us // 1000000 % 60:02d}.{us // 1000 % 1000:03d},{us % 1000:03d}]"
        if len(l) == 1:
            if l[0].strip():
                res.append(f"{ts} <inf> app: {l[0].strip()}")
            continue
        if l[0].strip():
            res.append(f"{ts} <inf> app: {l[0].strip()}")
        res.append(f"{ts} <dbg> net_sock_tls: tls_debug: {l[1]}:{l[2]:04d}: {l[4]}")
    return res


def tagged(lines, rnd):
    res, s = [], 0.0
    for l in lines:
        s += rnd.random() / 100
        ts = f"2024-05-01 12:{int(s // 60) % 60:02d}:{s % 60:06.3f}"
        if len(l) == 1:
            if l[0].strip():
                res.append(f"{ts} [app] {l[0].strip()}")
            continue
        if l[0].strip():
            res.append(f"{ts} [app] {l[0].strip()}")
        res.append(f"{ts} [mbedtls] {l[1]}:{l[2]:04d}: |{l[3]}| {l[4]}")
    return res


OTHER_TASKS = [
    "[wifi] rssi=-67 channel 6 state: run", "I (8123) heap: free 41236 min 30112",
    "[sensor] temp=23.5 humidity=41", "[mqtt] keepalive 60 s, reconnect in 5000 ms",
    "W (9001) wifi: bcn_timeout,ap_probe_send_start", "[app] tick 1042",
    "[ota] 0000: nothing to do", "[net] dhcp lease 192.0.2.15 for 86400 s",
]


def interleaved(lines, rnd):
    res = []
    for l in lines:
        if rnd.random() < 0.15:
            res.append(rnd.choice(OTHER_TASKS))
        res.append(l[0] if len(l) == 1 else f"{l[0]}{l[1]}:{l[2]:04d}: |{l[3]}| {l[4]}")
    return res


def html(lines, rnd):
    def esc(s):
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")
    return [esc(l[0] if len(l) == 1 else f"{l[0]}{l[1]}:{l[2]:04d}: |{l[3]}| {l[4]}") for l in lines]


def rtt(lines, rnd):
    return ["00> " + (l[0] if len(l) == 1 else f"{l[0]}{l[1]}:{l[2]:04d}: |{l[3]}| {l[4]}") + "\r"
            for l in lines]


def wrap80(lines, rnd):
    res = []
    for l in lines:
        s = l[0] if len(l) == 1 else f"{l[0]}{l[1]}:{l[2]:04d}: |{l[3]}| {l[4]}"
        while len(s) > 80:
            res.append(s[:80])
            s = s[80:]
        res.append(s)
    return res


def unseen(lines, rnd):
    """A decoration made up for this run: a random mix of what loggers print, then the message
    (with or without file:line), never the same twice across seeds."""
    words = ["tls", "sec", "net", "Task", "SSL", "dbg", "mbed", "conn", "W5500", "lwip", "core0", "CPU1"]
    opens = ["[", "<", "(", "{", "|", ""]
    closes = {"[": "]", "<": ">", "(": ")", "{": "}", "|": "|", "": ""}
    parts = []
    for _ in range(rnd.randint(1, 4)):
        kind = rnd.choice(["word", "count", "ptr", "time", "level"])
        o = rnd.choice(opens)
        parts.append((kind, o, closes[o], rnd.choice(words), rnd.choice("DIVT")))
    sep = rnd.choice([" ", ": ", " - ", "\t", " | ", ":"])
    with_file = rnd.random() < 0.3
    # half the runs: the application's lines go through the same logger, with the same decoration
    same_logger = rnd.random() < 0.5
    state = {"n": rnd.randint(0, 99999), "t": rnd.randint(0, 10 ** 6)}

    def deco(app_tag):
        out = []
        for kind, o, c, w, lv in parts:
            state["n"] += 1
            state["t"] += rnd.randint(1, 5000)
            v = {"word": w if not app_tag else w + "_app", "count": str(state["n"]),
                 "ptr": "0x%08x" % (0x20000000 + 0x40 * (state["n"] % 3)),
                 "time": "%d.%03d" % (state["t"] // 1000, state["t"] % 1000), "level": lv}[kind]
            out.append(o + v + c)
        return " ".join(out) + sep

    res = []
    for l in lines:
        app = (deco(False) if same_logger else "APP: ") + l[0].strip()
        if len(l) == 1:
            res.append(app if l[0].strip() else l[0])
            continue
        if l[0].strip():
            res.append(app)
        f = f"{l[1]}:{l[2]}: " if with_file else ""
        res.append(deco(False) + f + l[4])
    return res


def rttmsg(lines, rnd):
    """SEGGER RTT's "00> " on every line, the application's too, and a message-only hook."""
    return ["00> " + (l[0] if len(l) == 1 else l[0] + l[4]) + "\r" for l in lines]


FORMS = {
    "msgonly": simple(lambda l, i, r: ""),
    "pointer": simple(lambda l, i, r: "0x20020a80: "),
    "fileline": simple(lambda l, i, r: f"{l[1]}:{l[2]:04d}: "),
    "espidf": espidf,
    "zephyr": zephyr,
    "winpath": simple(lambda l, i, r: f"..\\Middlewares\\Third_Party\\mbedTLS\\library\\{l[1]}:{l[2]}: "),
    "rtt": rtt,
    "rttmsg": rttmsg,
    "tagged": tagged,
    "interleaved": interleaved,
    "html": html,
    "unseen": unseen,
    "wrap80": wrap80,
}


def rewrite(form, seed, data):
    rnd = random.Random(seed)
    lines = parse(data.decode("utf-8", "surrogateescape"))
    if lines and lines[-1] == ("",):
        lines.pop()
    out = FORMS[form](lines, rnd)
    return ("\n".join(out) + "\n").encode("utf-8", "surrogateescape")


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--forms":
        print(" ".join(FORMS))
        return
    if len(sys.argv) >= 4 and sys.argv[1] == "--batch":
        outdir, seed = sys.argv[2], int(sys.argv[3])
        for n, path in enumerate(sys.argv[4:], 1):
            with open(path, "rb") as f:
                data = f.read()
            for form in FORMS:
                with open(f"{outdir}/{n}.{form}.log", "wb") as f:
                    f.write(rewrite(form, seed + n, data))
        return
    if len(sys.argv) != 3 or sys.argv[1] not in FORMS:
        sys.exit(__doc__)
    sys.stdout.buffer.write(rewrite(sys.argv[1], int(sys.argv[2]), sys.stdin.buffer.read()))


if __name__ == "__main__":
    main()
