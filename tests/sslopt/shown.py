"""What a failed log itself shows of its cause, for the rows of causes.tsv that ssl-opt.sh failed
for reasons of this machine (kind 'machine'). Read from the program's own lines: the verify flags
ssl_client2/ssl_server2 print ("  ! The certificate validity has expired"), the alerts at debug
level 2+ ("got an alert message, type: [2:45]", "send alert level=2 message=45"), the failing
code. side: 'client' or 'server', whose log it is. Returns (finding id(s) joined by '|', or '-',
and why)."""
import re

FLAG_IDS = [("The certificate validity has expired", "cert-expired"),
            ("The certificate validity starts in the future", "cert-not-yet-valid"),
            ("The certificate is signed with an unacceptable hash", "weak-cert-crypto"),
            ("The certificate is not correctly signed by the trusted CA", "ca-untrusted"),
            ("Usage does not match the keyUsage extension", "cert-key-usage"),
            ("Usage does not match the extendedKeyUsage extension", "cert-ext-key-usage")]
# a fatal alert received: on a server's log it is the client's verdict on the server's certificate,
# on a client's log the server's verdict on the client's certificate
ALERT_IDS = {"server": {45: "cert-expired", 48: "ca-untrusted"},
             "client": {45: "cert-expired|client-cert-untrusted", 48: "client-cert-untrusted"}}
FAIL = re.compile(r"^  ! mbedtls_ssl_(?:handshake|renegotiate) returned (-?(?:0x)?[0-9a-fA-F]+)", re.M)


def shown(text, side):
    codes = [c.lower() for c in FAIL.findall(text)]
    code = codes[0] if codes else None
    flags = [fid for msg, fid in FLAG_IDS if "  ! " + msg in text]
    got = [int(x) for x in re.findall(r"got an alert message, type: \[2:(\d+)\]", text)]
    sent = [int(x) for x in re.findall(r"send alert level=2 message=(\d+)", text)]
    if code == "-0x2700" and flags:
        # every flag printed names a cause the log shows: any of them may lead
        return "|".join(flags), f"{code} with the verify flags {', '.join(flags)} printed"
    for a in got:
        if ALERT_IDS[side].get(a):
            return ALERT_IDS[side][a], f"the peer's fatal alert {a}"
    if code == "-0x50":
        return "connection-reset", "-0x50 only: the peer reset the connection; its reason is in its own log"
    if code == "-0x7280":
        return "peer-closed", "-0x7280 only: the peer closed the connection"
    return "-", f"{code} {'flags ' + ','.join(flags) if flags else 'without verify flags'}, alerts got {got} sent {sent}: the cause is not in this log"
