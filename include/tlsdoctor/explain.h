/* explain.h -- "what does this value mean?": Mbed TLS error codes, TLS alerts, X.509 verify flags,
 * cipher suites, groups, signature algorithms, extensions and versions, in plain words with the
 * usual causes on embedded clients and what to look at next.
 *
 * The explanation is built once as a JSON object (cJSON) and rendered either as that object or
 * as text; both carry the same facts. Input is text as people paste it: -0x7780, 0x7780, -30592,
 * 30592, 0xffff8880, ffff8880, MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE, [2:80], internal_error,
 * 0xc02c, TLS-ECDHE-ECDSA-WITH-AES-256-GCM-SHA384, x25519, ... */
#ifndef TLSDOCTOR_EXPLAIN_H
#define TLSDOCTOR_EXPLAIN_H

#include <stddef.h>
#include "tlsdoctor/buf.h"
#include "tlsdoctor/err.h"

enum td_explain_kind {
    TD_EXPLAIN_AUTO,       /* guess from the value's shape */
    TD_EXPLAIN_ERROR,      /* Mbed TLS error code or MBEDTLS_ERR_ name */
    TD_EXPLAIN_ALERT,      /* TLS alert description: 80, internal_error, [2:80] */
    TD_EXPLAIN_X509_FLAGS, /* MBEDTLS_X509_BADCERT_ / BADCRL_ bit mask or flag name */
    TD_EXPLAIN_SUITE,      /* cipher suite id or IANA / Mbed TLS name */
    TD_EXPLAIN_GROUP,      /* supported group id or name */
    TD_EXPLAIN_SIGALG,     /* signature scheme id or name */
    TD_EXPLAIN_EXT,        /* extension type id or name */
    TD_EXPLAIN_VERSION     /* protocol version: 0x0303, [3:3], TLS 1.2 */
};

/* The kind for a word on the command line ("alert", "x509-flags", "suite", "group", "sigalg",
 * "ext", "version", "error"; a few synonyms). Returns 0 and sets *kind, or -1 if not a kind. */
int td_explain_kind_parse(const char *word, enum td_explain_kind *kind);

#define TD_EXPLAIN_JSON 1u   /* render the JSON object instead of text */

/* Explains value (a NUL-terminated string, borrowed) as kind and appends the text, or the JSON
 * object followed by a newline, to out. Returns:
 *   TD_OK                 explained
 *   TD_ERR_SYNTAX         the value is malformed (empty, not a number where one is needed, too large)
 *   TD_ERR_UNKNOWN_NAME   well-formed, but no table knows it
 *   TD_ERR_NOMEM, TD_ERR_TOO_LARGE  from allocation or out's cap
 * On any error nothing is appended to out and, if msg is not NULL, msg (capacity msglen) gets
 * one line (no newline) saying what was wrong. The library keeps no state between calls. */
enum td_err td_explain(enum td_explain_kind kind, const char *value, unsigned flags,
                       struct td_buf *out, char *msg, size_t msglen);

#endif
