/* parse.h -- reading numbers and alert notations as people paste them (private to lib/explain). */
#ifndef TD_EXPLAIN_PARSE_H
#define TD_EXPLAIN_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include "tlsdoctor/err.h"

struct td_num {
    int neg;           /* a leading '-' */
    uint64_t mag;      /* magnitude */
    int hex;           /* read as hexadecimal (0x prefix or a-f digits) */
    int bare_digits;   /* only decimal digits, no sign and no prefix: may have been meant as hex */
    uint64_t as_hex;   /* the same digits read as hexadecimal, when bare_digits (0 if too long) */
};

/* Parses the whole of s (surrounding blanks allowed) as a number: [+-] then 0x-prefixed hex,
 * hex with at least one a-f digit, or decimal. TD_ERR_SYNTAX if s is not one, TD_ERR_TOO_LARGE
 * past 64 bits. */
enum td_err td_num_parse(const char *s, struct td_num *n);

/* 1 if s looks like an attempt at a number (first non-blank is a digit, or a sign then one). */
int td_num_looks_numeric(const char *s);

/* Finds an Mbed TLS alert notation "[L:D]" anywhere in s (as in "got an alert message, type:
 * [2:80]"). Returns 1 and sets level/desc (each 0..999) when found, 0 otherwise. */
int td_find_alert_pair(const char *s, unsigned *level, unsigned *desc);

/* Normalises a number to an Mbed TLS error code: negative 16-bit magnitudes, positive ones (taken
 * as their negation), and 32- or 64-bit two's complement forms (0xffff8880). Returns 1 and sets
 * *code (negative, or 0) when the result is in 0..-0xFFFF, 0 otherwise. */
int td_num_to_mbedtls_code(const struct td_num *n, int *code);

#endif
