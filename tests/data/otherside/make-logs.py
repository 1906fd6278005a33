#!/usr/bin/env python3
"""make-logs.py: writes the test logs of tests/data/otherside/ from what the real programs printed
(captured.tsv and captured.tsv.client, made by tests/lib/gen-peerlines.sh): for each scenario below,
the device's own error lines (the Mbed TLS fixture client's "  ! ..." lines in that scenario) and then
the first line of the other program that the reader recognises, as people paste them next to each
other. expected.tsv lists each log with the leading finding it must get.

    tests/data/otherside/make-logs.py        (from the repository root or anywhere)
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# scenario -> leading finding. Left out on purpose, because the program names another cause than
# the one the scenario built (what the real program says is kept in captured.tsv):
#   version_gnutls, group_gnutls: GnuTLS 3.7.9 says "No supported cipher suites have been found."
#   group_openssl, group_nginx, group_caddy: OpenSSL and Go say "no shared cipher" for a TLS 1.2
#     curve mismatch (the finding's explanation says to check the curves too).
SCENARIOS = {
    "cipher_openssl": "no-common-suite",
    "cipher_nginx": "no-common-suite",
    "cipher_gnutls": "no-common-suite",
    "cipher_caddy": "no-common-suite",
    "cipher_mosquitto": "no-common-suite",
    "version_openssl": "version-mismatch",
    "version_nginx": "version-mismatch",
    "version_caddy": "version-mismatch",
    "version_caddy_tls10": "version-mismatch",
    "version_mosquitto": "version-mismatch",
    "unknownca_openssl": "ca-untrusted",
    "unknownca_nginx": "ca-untrusted",
    "unknownca_caddy": "ca-untrusted",
    "unknownca_mosquitto": "ca-untrusted",
    "clientca_caddy": "client-cert-untrusted",
    "clientca_mosquitto": "client-cert-untrusted",
    "clientca_gnutls": "client-cert-untrusted",
    "clientca_nginx": "client-cert-untrusted",
    "certreq_openssl": "client-cert-required",
    "certreq_nginx": "client-cert-required",
    "certreq_gnutls": "client-cert-required",
    "certreq_caddy": "client-cert-required",
    "certreq_mosquitto": "client-cert-required",
    "nosni_caddy": "sni-missing",
    "sni_openssl": "sni-rejected",
}


# Logs whose line comes from a program's source, not from a run here: name -> (lines, leading, source).
FROM_SOURCE = {
    "esptls_noverify": (
        ["\x1b[0;31mE (5123) esp-tls-mbedtls: No server verification option set in esp_tls_cfg_t "
         "structure. Check esp_tls API reference\x1b[0m"],
        "bad-config",
        "ESP-IDF components/esp-tls/esp_tls_mbedtls.c set_client_config(), ESP_LOGE with its colour",
    ),
}


def main():
    lines = {}
    with open(os.path.join(HERE, "captured.tsv"), newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row.get("recognised", "-") != "-" and row["scenario"] not in lines:
                lines[row["scenario"]] = row["line"]
    device = {}
    with open(os.path.join(HERE, "captured.tsv.client")) as f:
        for raw in f:
            sc, _, text = raw.rstrip("\n").partition("\t")
            device.setdefault(sc, []).append(text)
    missing = [s for s in SCENARIOS if s not in lines or s not in device]
    if missing:
        sys.exit("make-logs: no captured line for " + ", ".join(missing))
    with open(os.path.join(HERE, "expected.tsv"), "w") as out:
        out.write("log\tleading\n")
        for sc, lead in SCENARIOS.items():
            with open(os.path.join(HERE, sc + ".log"), "w") as f:
                f.write("\n".join(device[sc]) + "\n" + lines[sc] + "\n")
            out.write(f"{sc}.log\t{lead}\n")
        for name, (text, lead, _src) in FROM_SOURCE.items():
            with open(os.path.join(HERE, name + ".log"), "w") as f:
                f.write("\n".join(text) + "\n")
            out.write(f"{name}.log\t{lead}\n")
    print(f"make-logs: {len(SCENARIOS) + len(FROM_SOURCE)} logs")


if __name__ == "__main__":
    main()
