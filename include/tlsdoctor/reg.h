/* reg.h -- registries: IANA TLS values and Mbed TLS tables, each kept in one place.
 *
 * Every lookup returns static read-only data (never freed) or NULL when the value is not in the
 * registry; callers print unknown values with their raw number ("unknown (0x1a1a)"). GREASE
 * values (RFC 8701) are recognised by td_reg_is_grease() and named "GREASE" by the *_name calls. */
#ifndef TLSDOCTOR_REG_H
#define TLSDOCTOR_REG_H

#include <stddef.h>
#include <stdint.h>

/* TLS versions as on the wire: 0x0300 SSL 3.0 ... 0x0304 TLS 1.3, 0xfeff DTLS 1.0, 0x7f1c drafts. */
const char *td_reg_version_name(uint16_t v);             /* "TLS 1.2" */
int td_reg_is_grease(uint16_t v);

struct td_suite {
    uint16_t id;
    const char *name;          /* IANA name: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" */
    const char *mbedtls_name;  /* Mbed TLS's printed name ("TLS-ECDHE-ECDSA-WITH-AES-256-GCM-SHA384") or NULL */
    const char *kx;            /* key exchange: "ECDHE", "DHE", "RSA", "PSK", "ECDHE_PSK", ... "any" for TLS 1.3 */
    const char *auth;          /* authentication: "ECDSA", "RSA", "PSK", "anon", "any" for TLS 1.3, "SCSV" */
    const char *cipher;        /* "AES_256_GCM", "CHACHA20_POLY1305", "NULL", ... */
    const char *mac;           /* MAC or PRF hash: "SHA384", "AEAD"... */
    uint16_t min_version;      /* lowest version it can be used with (0x0304 for TLS 1.3 suites) */
    uint16_t max_version;      /* highest (0x0303 for TLS 1.2 suites, 0x0304 for TLS 1.3 ones) */
};
const struct td_suite *td_reg_suite(uint16_t id);
/* Accepts the IANA name, the Mbed TLS printed name, or MBEDTLS_TLS_... / MBEDTLS_TLS1_3_... macro
 * names, case-insensitively. */
const struct td_suite *td_reg_suite_by_name(const char *name);
const char *td_reg_suite_name(uint16_t id);

const char *td_reg_group_name(uint16_t id);              /* "secp256r1", "x25519", "ffdhe2048" */
const char *td_reg_sigalg_name(uint16_t id);             /* "ecdsa_secp256r1_sha256", TLS 1.2 pairs "rsa_sha224" */
const char *td_reg_ext_name(uint16_t id);                /* "server_name" */
const char *td_reg_alert_name(uint8_t desc);             /* "internal_error" */
const char *td_reg_hs_type_name(uint8_t t);              /* "client_hello" */
const char *td_reg_content_type_name(uint8_t t);         /* "handshake" */

/* Additions (reg owner): details behind the names, and lookups by name. */

/* An alert description with tlsdoctor's explanation of it. causes/next may be NULL. */
struct td_alert_info {
    uint8_t value;
    const char *name;     /* "internal_error" */
    const char *meaning;  /* what the alert says, in plain words */
    const char *causes;   /* the usual causes on embedded clients, or NULL */
    const char *next;     /* what to look at next, or NULL */
};
const struct td_alert_info *td_reg_alert(uint8_t desc);

/* 1 if id is a TLS 1.2 hash/signature pair that TLS 1.3 gave no name of its own ("rsa_sha224"). */
int td_reg_sigalg_is_tls12_pair(uint16_t id);

/* Reverse lookups, case-insensitive on the registry name ("x25519", "internal_error",
 * "server_name", "rsa_pss_rsae_sha256"); return the value, or -1 when no row has that name. */
int td_reg_group_by_name(const char *name);
int td_reg_sigalg_by_name(const char *name);
int td_reg_ext_by_name(const char *name);
int td_reg_alert_by_name(const char *name);

/* The Mbed TLS config option that enables a group ("MBEDTLS_ECP_DP_SECP256R1_ENABLED"), or NULL. */
const char *td_reg_group_mbedtls_option(uint16_t id);
/* A sentence on what an extension means for an Mbed TLS client, or NULL when there is none. */
const char *td_reg_ext_note(uint16_t id);

#endif
