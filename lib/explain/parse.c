/* parse.c -- numbers and alert notations as people paste them (see parse.h). */
#include <string.h>
#include "parse.h"
#include "util/hex.h"

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Reads digits [p, end) in base 10 or 16 into *out; TD_ERR_TOO_LARGE past 64 bits. */
static enum td_err read_digits(const char *p, const char *end, unsigned base, uint64_t *out)
{
    uint64_t v = 0;
    for (; p < end; p++) {
        int d = td_hex_digit(*p);
        if (d < 0 || (unsigned)d >= base)
            return TD_ERR_SYNTAX;
        if (v > (UINT64_MAX - (uint64_t)d) / base)
            return TD_ERR_TOO_LARGE;
        v = v * base + (uint64_t)d;
    }
    *out = v;
    return TD_OK;
}

enum td_err td_num_parse(const char *s, struct td_num *n)
{
    memset(n, 0, sizeof *n);
    if (!s)
        return TD_ERR_SYNTAX;
    while (is_blank(*s))
        s++;
    const char *end = s + strlen(s);
    while (end > s && is_blank(end[-1]))
        end--;
    int sign = 0;
    if (s < end && (*s == '-' || *s == '+')) {
        n->neg = *s == '-';
        sign = 1;
        s++;
    }
    if (s == end)
        return TD_ERR_SYNTAX;
    if (end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        n->hex = 1;
        return read_digits(s + 2, end, 16, &n->mag);
    }
    int letters = 0;
    for (const char *p = s; p < end; p++) {
        if (td_hex_digit(*p) < 0)
            return TD_ERR_SYNTAX;
        letters |= td_hex_digit(*p) > 9;
    }
    if (letters) {
        n->hex = 1;
        return read_digits(s, end, 16, &n->mag);
    }
    enum td_err e = read_digits(s, end, 10, &n->mag);
    if (e == TD_OK && !sign) {
        n->bare_digits = 1;
        if (read_digits(s, end, 16, &n->as_hex) != TD_OK)
            n->as_hex = 0;
    }
    return e;
}

int td_num_looks_numeric(const char *s)
{
    while (s && is_blank(*s))
        s++;
    if (!s || !*s)
        return 0;
    if (*s == '-' || *s == '+')
        s++;
    return *s >= '0' && *s <= '9';
}

/* Reads 1..3 decimal digits at *p; advances *p. */
static int read_small(const char **p, unsigned *v)
{
    unsigned x = 0, k = 0;
    while (**p >= '0' && **p <= '9' && k < 4) {
        x = x * 10 + (unsigned)(**p - '0');
        (*p)++;
        k++;
    }
    *v = x;
    return k >= 1 && k <= 3;
}

int td_find_alert_pair(const char *s, unsigned *level, unsigned *desc)
{
    for (const char *p = s ? strchr(s, '[') : NULL; p; p = strchr(p + 1, '[')) {
        const char *q = p + 1;
        unsigned l, d;
        if (!read_small(&q, &l) || *q != ':')
            continue;
        q++;
        if (!read_small(&q, &d) || *q != ']')
            continue;
        *level = l;
        *desc = d;
        return 1;
    }
    return 0;
}

int td_num_to_mbedtls_code(const struct td_num *n, int *code)
{
    uint64_t m = n->mag;
    if (n->neg) {
        if (m > 0xFFFF)
            return 0;
        *code = -(int)m;
        return 1;
    }
    if (m <= 0xFFFF) {
        *code = -(int)m;
        return 1;
    }
    /* two's complement as printed by %x of a 32-bit or a 64-bit int */
    if (m > 0xFFFF0000u && m <= 0xFFFFFFFFu) {
        *code = -(int)(((uint64_t)1 << 32) - m);
        return 1;
    }
    if (m > 0xFFFFFFFFFFFF0000u) {
        *code = -(int)(UINT64_MAX - m + 1);
        return 1;
    }
    return 0;
}
