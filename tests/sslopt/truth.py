"""Ground truth for a log that Mbed TLS's ssl_client2 or ssl_server2 wrote under ssl-opt.sh,
read from the programs' own result lines, never from tlsdoctor. See tests/sslopt/README.md.

A log is o-cli-N.log or o-srv-N.log: line 1 "# <test name>", line 2 the command, then what the
program printed (its debug lines interleaved at any debug level); ssl-opt.sh appends
"EXIT: <code>" to a client's log.

What the programs print (programs/ssl/ssl_client2.c and ssl_server2.c of 2.28.3):
  start of a handshake  "  . Performing the SSL/TLS handshake..."   (client, server)
                        "  . Performing renegotiation..."           (client)
                        "  . Requestion renegotiation..."           (server)
                        "  . Restarting connection from same port..." (client)
                        "  . Reconnecting with saved session..."    (client)
  completed             " ok" after the start (with debug lines in between); the first
                        handshake's ok is followed by "    [ Protocol is ... ]"
  failed                "  ! mbedtls_ssl_handshake returned -0x..."
                        "  ! mbedtls_ssl_renegotiate returned ..."
  DTLS cookie round     " hello verification requested" (server): no result, the client
                        comes again; not a handshake of its own
  stray record          a DTLS server (dtls=1) whose connection completed and closed takes the
                        next datagram of that client (its close_notify, a retransmission the
                        proxy delayed or duplicated) as a new connection and fails it with
                        -0x7900 (bad ClientHello; at debug level 1 "bad client hello message"
                        after "record from another epoch" or a non-handshake record): no peer
                        started a handshake, so such an attempt is counted as 'stray', not as a
                        failed handshake, when a completed handshake precedes it
  renegotiation refused the server asked for one ("Requestion renegotiation... ok" only says
                        its HelloRequest was sent) and a later read fails:
                        " mbedtls_ssl_read returned -0x..." other than a close (-0x7880)
                        or EOF (-0x7280, -0x50) -- the renegotiation the server asked for failed
"""
import re

START = re.compile(r"  \. (Performing the SSL/TLS handshake|Performing renegotiation|"
                   r"Requestion renegotiation|Restarting connection from same port|"
                   r"Reconnecting with saved session)\.\.\.")
FAIL = re.compile(r"^  ! mbedtls_ssl_(handshake|renegotiate) returned (-?(?:0x)?[0-9a-fA-F]+)")
OK_LINE = re.compile(r"^ ?ok$")
PROTO = re.compile(r"^    \[ Protocol is ")
HVR = re.compile(r" hello verification requested$")
READ_ERR = re.compile(r" mbedtls_ssl_read returned (-0x[0-9a-fA-F]+)")
CLOSE_CODES = {"-0x7880", "-0x7280", "-0x50", "-0x6800"}
# after the handshakes: a read that ends otherwise than by a close or a client's reconnection
# from the same port (-0x6780, which ssl_server2 answers with a new handshake)
AFTER_OK_CODES = {"-0x7880", "-0x7280", "-0x6780"}
WRITE_ERR = re.compile(r"^  ! mbedtls_ssl_write returned (-?(?:0x)?[0-9a-fA-F]+)")
PROGRAM = re.compile(r"(^|\s)\S*programs/ssl/ssl_(client2|server2)(\s|$)")
PEERS = ("openssl", "gnutls-cli", "gnutls-serv", "echo", "perl", "(")


def program(cmd):
    """'client' or 'server' if the command is Mbed TLS's ssl_client2/ssl_server2, else None
    (openssl, gnutls or a script as the peer: not Mbed TLS's log)."""
    w = cmd.split()
    if not w or w[0] in PEERS or w[0].startswith("("):
        return None
    m = PROGRAM.search(cmd)
    if not m:
        return None
    return "client" if m.group(2) == "client2" else "server"


def truth(text):
    """Reads one log. Returns a dict:
      name, cmd, program ('client'/'server'/None), exit (client exit code or None),
      started, ok, failed (counts of handshakes), unfinished (started without a result),
      codes (the failing codes), renego_refused (bool), verdict:
        'success'  every handshake it started completed, none failed
        'success-then-failure'  the same, and then the program failed otherwise (a read or write
                   error that is no close, or a client's exit code not 0): its handshakes are a
                   success, the log as a whole is not
        'failure'  at least one failed (mixed: some completed too, see 'mixed')
        'unfinished' a handshake started and never ended (killed by ssl-opt.sh), none failed
                     or completed
        'none'     no handshake started (the program stopped before, or no client came)
    """
    lines = text.split("\n")
    r = {"name": lines[0][2:].strip() if lines and lines[0].startswith("# ") else "",
         "cmd": lines[1] if len(lines) > 1 else "", "exit": None,
         "started": 0, "ok": 0, "failed": 0, "unfinished": 0, "codes": [],
         "renego_refused": False, "hvr": 0, "stray": 0, "after": []}
    r["program"] = program(r["cmd"])
    dtls_srv = r["program"] == "server" and re.search(r"(^|\s)dtls=1(\s|$)", r["cmd"]) is not None
    pending = None          # the kind of handshake started and not yet ended
    renego_asked = False    # the server sent a HelloRequest
    for line in lines[2:]:
        if line.startswith("EXIT: "):
            try:
                r["exit"] = int(line[6:].strip())
            except ValueError:
                pass
            continue
        m = START.search(line)
        if m:
            if pending:
                r["unfinished"] += 1
            pending = m.group(1)
            r["started"] += 1
            if pending == "Requestion renegotiation":
                renego_asked = True
            rest = line[m.end():].rstrip()
            if rest == " ok" or rest.startswith(" ok "):
                r["ok"] += 1
                pending = None
            continue
        m = FAIL.match(line)
        if m:
            code = m.group(2).lower()
            if dtls_srv and code == "-0x7900" and r["ok"] and m.group(1) == "handshake":
                r["stray"] += 1
            else:
                r["failed"] += 1
                r["codes"].append(m.group(2))
            pending = None
            continue
        if pending and HVR.search(line):
            r["started"] -= 1
            r["hvr"] += 1
            pending = None
            continue
        if pending and (PROTO.match(line) or OK_LINE.match(line.rstrip())):
            r["ok"] += 1
            pending = None
            continue
        m = READ_ERR.search(line)
        if m and renego_asked and m.group(1).lower() not in CLOSE_CODES:
            r["renego_refused"] = True
            r["failed"] += 1
            r["codes"].append(m.group(1))
            renego_asked = False
            continue
        if m and not pending and m.group(1).lower() not in AFTER_OK_CODES:
            r["after"].append("read " + m.group(1))
            continue
        m = WRITE_ERR.match(line)
        if m and not pending:
            r["after"].append("write " + m.group(1))
            continue
        if "Waiting for a remote connection" in line:
            renego_asked = False
    if pending:
        r["unfinished"] += 1
    if r["failed"]:
        v = "failure"
    elif r["ok"]:
        v = "success"
    elif r["unfinished"]:
        v = "unfinished"
    else:
        v = "none"
    if v == "success" and r["exit"] not in (None, 0) and not r["after"]:
        r["after"].append(f"exit {r['exit']}")
    if v == "success" and r["after"]:
        v = "success-then-failure"
    r["verdict"] = v
    r["mixed"] = bool(r["failed"] and r["ok"])
    return r
