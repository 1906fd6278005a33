/* mbedtls.h -- Mbed TLS tables: the error codes of the 2.28 and 3.6 lines, the split of a combined
 * code into its high-level and low-level parts, and the X.509 verification flags.
 *
 * Everything returned points to static read-only data (never freed). The data lives in
 * lib/reg/data/mbedtls_errors.def and lib/reg/data/x509_flags.def, the one place to edit it. */
#ifndef TLSDOCTOR_MBEDTLS_H
#define TLSDOCTOR_MBEDTLS_H

#include <stddef.h>
#include <stdint.h>

/* Which Mbed TLS lines a code exists in (bit mask). */
enum {
    TD_MBEDTLS_2X = 1,   /* the 2.28 LTS line */
    TD_MBEDTLS_3X = 2    /* the 3.6 LTS line */
};

struct td_mbedtls_err {
    int code;             /* negative, as Mbed TLS returns it: -0x7780 */
    const char *name;     /* "MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE", or "PSA_ERROR_..." for the PSA
                           * Crypto status codes (-132 .. -153, -248) Mbed TLS passes up */
    const char *module;   /* "SSL", "X509", "BIGNUM", ... */
    unsigned lines;       /* TD_MBEDTLS_2X and/or TD_MBEDTLS_3X */
    const char *desc;     /* what it means, in plain words */
    const char *causes;   /* usual causes on embedded clients, or NULL */
    const char *next;     /* what to look at next, or NULL */
};

/* The row for exactly this code. line = TD_MBEDTLS_2X or TD_MBEDTLS_3X picks that line's meaning;
 * 0 = any line (a row valid in both is preferred, then the 3.x one). NULL if unknown. */
const struct td_mbedtls_err *td_mbedtls_err_lookup(int code, unsigned line);

/* Every row whose value is exactly code, in table order, into out[0..max); returns how many there
 * are, which may exceed max. At most 3 exist (-0x0016: a 2.x name, its deprecated alias in 2.x,
 * and the 3.x name). */
size_t td_mbedtls_err_find(int code, const struct td_mbedtls_err **out, size_t max);

/* By macro name, with or without the MBEDTLS_ERR_ prefix (PSA_ names in full), case-insensitive.
 * NULL if unknown. */
const struct td_mbedtls_err *td_mbedtls_err_by_name(const char *name);

/* Row i of the table (sorted by |code|), or NULL past the end: for tests and listings. */
const struct td_mbedtls_err *td_mbedtls_err_at(size_t i);

/* Splits a combined code the way mbedtls_strerror() does: high = -(|code| & 0xFF80) (SSL, X509,
 * PK, RSA, ... modules), low = -(|code| & ~0xFF80) (BIGNUM, AES, NET, ... modules). Either may be
 * 0. A positive code is taken as its negation. (mbedtls_strerror() itself prints
 * MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE alone, ignoring low bits; callers may do the same.) */
void td_mbedtls_err_split(int code, int *high, int *low);

struct td_x509_flag {
    uint32_t bit;
    const char *name;     /* "MBEDTLS_X509_BADCERT_NOT_TRUSTED" */
    const char *desc;     /* "not trusted by the CA chain: ..." */
    const char *next;     /* what to do about it, or NULL */
};

/* The flags set in flags, lowest bit first, into out[0..max); returns how many are set and known.
 * Bits no row knows are stored in *unknown (may be NULL). */
size_t td_x509_flags_decode(uint32_t flags, const struct td_x509_flag **out, size_t max,
                            uint32_t *unknown);

/* Row i of the flag table, or NULL past the end. */
const struct td_x509_flag *td_x509_flag_at(size_t i);

#endif
