/* x509.h -- one-line facts about a DER certificate, read through OpenSSL libcrypto.
 *
 * The summary OWNS nothing: every field is a fixed-size array or a number, filled from the
 * certificate (long names are cut at the array's size, always NUL-terminated). No ASN.1 is
 * parsed here by hand; OpenSSL's d2i_X509 does it. */
#ifndef TLSDOCTOR_X509_H
#define TLSDOCTOR_X509_H

#include <stddef.h>
#include <stdint.h>
#include "tlsdoctor/err.h"

struct td_x509_summary {
    char subject[256];        /* RFC 2253 one-line form: "CN=lab.test,O=..." */
    char issuer[256];
    char san[512];            /* "DNS:lab.test, IP:127.0.0.1" (empty when none) */
    size_t n_san;
    char not_before[32];      /* "2026-11-26T19:00:00Z" */
    char not_after[32];
    int64_t not_before_t;     /* seconds since the epoch */
    int64_t not_after_t;
    char key_type[16];        /* "RSA", "EC", "ED25519", "ED448", "DSA", "DH" or "unknown" */
    int key_bits;
    char key_curve[32];       /* EC: "prime256v1" etc., else empty */
    char sig_alg[64];         /* "sha256WithRSAEncryption", "ecdsa-with-SHA256" */
    size_t der_len;
    int is_ca;                /* basicConstraints cA = TRUE */
    int self_issued;          /* subject == issuer */
};

/* Fills out from a DER certificate. TD_ERR_BAD_VALUE if OpenSSL cannot parse it (out is zeroed),
 * TD_ERR_TRAILING if bytes follow the certificate (out is filled). */
enum td_err td_x509_summarise(const uint8_t *der, size_t len, struct td_x509_summary *out);

/* 1 if the DER certificate is issued for host, 0 if not, -1 if it cannot be parsed. A DNS name is
 * matched against the subjectAltName DNS names (the CN only when there are none; wildcards as
 * RFC 6125 allows), an IPv4/IPv6 literal against the IP addresses, by OpenSSL's X509_check_host
 * and X509_check_ip. */
int td_x509_names_host(const uint8_t *der, size_t len, const char *host);

#endif
