/* line.c -- takes one log line apart: whatever decoration a logger added, Mbed TLS's `file:line`,
 * the `|L|` level, and the message text; plus the number and hex-row parsing the reader shares. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "mbedlog_int.h"

/* Source files whose name alone (without a |L| field) is enough to call a line Mbed TLS's. */
static const char *const mbedtls_file_prefixes[] = {
    "ssl_", "x509", "debug.", "pk", "ecp", "ecdh", "ecdsa", "rsa", "bignum", "net_sockets",
    "net.", "dhm", "cipher", "md.", "ctr_drbg", "hmac_drbg", "entropy", "psa_", "mbedtls", "aes",
    "gcm", "ccm", "chacha", "oid", "asn1", "pem", "base64", "timing", "constant_time", "mps_",
    "havege", "certs", NULL
};

/* File name -> generation and side. Names not listed imply nothing. */
struct file_hint {
    const char *name;
    size_t len;
    int major;
    int msg_split;
    enum td_actor side;
};
#define HINT(name, major, split, side) {(name), sizeof(name) - 1, (major), (split), (side)}
static const struct file_hint file_hints[] = {
    HINT("ssl_cli.c", 2, 0, TD_ACTOR_CLIENT),
    HINT("ssl_srv.c", 2, 0, TD_ACTOR_SERVER),
    HINT("ssl_msg.c", 2, 1, TD_ACTOR_UNKNOWN),
    HINT("ssl_client.c", 3, 1, TD_ACTOR_CLIENT),
    HINT("ssl_tls12_client.c", 3, 1, TD_ACTOR_CLIENT),
    HINT("ssl_tls12_server.c", 3, 1, TD_ACTOR_SERVER),
    HINT("ssl_tls13_client.c", 3, 1, TD_ACTOR_CLIENT),
    HINT("ssl_tls13_server.c", 3, 1, TD_ACTOR_SERVER),
    HINT("ssl_tls13_generic.c", 3, 1, TD_ACTOR_UNKNOWN),
    HINT("ssl_tls13_keys.c", 3, 1, TD_ACTOR_UNKNOWN),
    HINT("ssl_misc.h", 3, 1, TD_ACTOR_UNKNOWN),
    HINT("ssl_debug_helpers_generated.c", 3, 1, TD_ACTOR_UNKNOWN),
    {NULL, 0, 0, 0, TD_ACTOR_UNKNOWN}
};
#undef HINT

/* The hint for a file name of n bytes, or NULL: the length and the byte after "ssl_" first, so
 * most names cost no compare at all. */
static const struct file_hint *file_hint_of(const char *name, size_t n)
{
    if (n < 5)
        return NULL;
    for (const struct file_hint *h = file_hints; h->name; h++) {
        if (h->len != n || h->name[4] != name[4])
            continue;
        size_t i = 0;   /* names are short: a loop beats a call to memcmp */
        while (i < n && h->name[i] == name[i])
            i++;
        if (i == n)
            return h;
    }
    return NULL;
}

const char *ml_find(const char *hay, const char *needle)
{
    return strstr(hay, needle);
}

/* [A-Za-z0-9_-]: the bytes of a source file's name (a table: it runs for every byte of it) */
static int is_name_char(char c)
{
    static const unsigned char tab[256] = {
        ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1,
        ['9'] = 1, ['_'] = 1, ['-'] = 1,
        ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
        ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
        ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
        ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1,
        ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
        ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
    };
    return tab[(unsigned char)c];
}

static int known_mbedtls_file(const char *name)
{
    for (const char *const *p = mbedtls_file_prefixes; *p; p++)
        if (ml_starts(name, *p))
            return 1;
    return 0;
}

void ml_line_file_info(const struct ml_line *l, struct ml_file_info *out)
{
    const struct file_hint *h = file_hint_of(l->file, l->file_len);
    out->major = l->major == 1 || !h ? l->major : h->major;
    out->msg_split = h ? h->msg_split : 0;
    out->side = h ? h->side : TD_ACTOR_UNKNOWN;
}

static int is_digit(char c)
{
    return (unsigned char)(c - '0') < 10;
}

static int contains_nocase(const char *s, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++) {
        size_t k = 0;
        while (k < m && tolower((unsigned char)s[i + k]) == needle[k])
            k++;
        if (k == m)
            return 1;
    }
    return 0;
}

/* Tries a `name.c:NNNN` / `name.c(NNNN)` at s[dot]; fills out and returns the text start, or NULL. */
static char *try_file_at(char *s, size_t len, size_t dot, struct ml_line *out)
{
    size_t j = dot;
    while (j > 0 && is_name_char(s[j - 1]))
        j--;
    if (j == dot || dot - j + 2 >= sizeof out->file)
        return NULL;
    size_t k = dot + 3;
    int paren = s[dot + 2] == '(';
    unsigned long num = 0;
    size_t digits = 0;
    while (k < len && is_digit(s[k]) && digits < 7) {
        num = num * 10 + (unsigned long)(s[k] - '0');
        k++;
        digits++;
    }
    if (!digits)
        return NULL;
    int has_colon = 0;
    if (paren) {
        if (k >= len || s[k] != ')')
            return NULL;
        k++;
        if (k < len && s[k] == ':') {
            k++;
            has_colon = 1;
        }
    } else if (k < len && s[k] == ':') {
        k++;
        has_colon = 1;
    } else if (k < len && s[k] != ' ') {
        return NULL;
    }
    int level = 0;
    size_t t = k;
    while (t < len && s[t] == ' ')
        t++;
    if (t + 2 < len && s[t] == '|' && is_digit(s[t + 1]) && s[t + 2] == '|') {
        level = s[t + 1] - '0';
        t += 3;
    }
    size_t n = dot - j + 2;
    memcpy(out->file, s + j, n);   /* straight into place: no temporary to copy again */
    out->file[n] = '\0';
    if (!level && (!known_mbedtls_file(out->file) || (!has_colon && !paren && k >= len))) {
        out->file[0] = '\0';
        return NULL;
    }
    out->srcline = (unsigned)num;
    out->level = level;
    out->file_len = n;
    if (contains_nocase(s, j, "polarssl") || paren)
        out->major = 1;   /* PolarSSL printed "file.c(NNNN): text" */
    return s + t;
}

/* ESP-IDF's level letter ("I (1234) mbedtls: ..."): the level its mbedtls debug hook maps to. */
static int espidf_level(const char *s, size_t len)
{
    if (len < 4 || s[1] != ' ' || s[2] != '(')
        return 0;
    static const char letters[] = "EWIDV";
    static const int levels[] = {1, 1, 1, 2, 3};
    const char *l = strchr(letters, s[0]);
    return l && *l ? levels[l - letters] : 0;
}

static void set_text(struct ml_line *out, char *t, char *end)
{
    while (t < end && (*t == ' ' || *t == '\t'))
        t++;
    /* Mbed TLS 2.x built with MBEDTLS_THREADING_C prints the context pointer: "0x7ffd03b098d8: " */
    if (out->is_debug && end - t > 4 && t[0] == '0' && t[1] == 'x') {
        char *p = t + 2;
        while (p < end && isxdigit((unsigned char)*p))
            p++;
        if (p - t > 3 && p + 1 < end && p[0] == ':' && p[1] == ' ')
            t = p + 2;
    }
    while (end > t && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    *end = '\0';
    out->text = t;
    out->len = (size_t)(end - t);
}

void ml_line_reuse(const struct ml_line *prev, char *s, size_t len, size_t prefix, struct ml_line *out)
{
    *out = *prev;
    out->msg = NULL;
    set_text(out, s + prefix, s + len);
}

void ml_line_parse(char *s, size_t len, struct ml_line *out)
{
    /* field by field: a memset of the whole struct (file[] included) costs more than the parse */
    out->text = NULL;
    out->len = 0;
    out->is_debug = 0;
    out->file[0] = '\0';
    out->file_len = 0;
    out->srcline = 0;
    out->level = 0;
    out->level_letter = 0;
    out->major = 0;
    out->msg = NULL;
    /* find "name.c:" or "name.c(NNNN):" by its colon: colons are rarer than dots (a hex dump's
     * ASCII column is full of dots) */
    for (char *p = s; (p = memchr(p, ':', len - (size_t)(p - s))) != NULL; p++) {
        size_t c = (size_t)(p - s), dot;
        if (c >= 2 && s[c - 2] == '.' && (s[c - 1] == 'c' || s[c - 1] == 'h')) {
            dot = c - 2;
        } else if (c >= 1 && s[c - 1] == ')') {
            size_t k = c - 1;
            while (k > 0 && is_digit(s[k - 1]))
                k--;
            if (k < 4 || s[k - 1] != '(' || s[k - 3] != '.' || (s[k - 2] != 'c' && s[k - 2] != 'h'))
                continue;
            dot = k - 3;
        } else {
            continue;
        }
        char *t = try_file_at(s, len, dot, out);
        if (t) {
            out->is_debug = 1;
            if (!out->level)
                out->level_letter = espidf_level(s, dot);
            set_text(out, t, s + len);
            return;
        }
    }
    const char *u = memchr(s, 'U', len) ? ml_find(s, "Unexpected log level ") : NULL;
    if (u && isdigit((unsigned char)u[21]) && u[22] == ':') {
        out->is_debug = 1;
        out->level = u[21] - '0';
        set_text(out, s + (u - s) + 23, s + len);
        return;
    }
    set_text(out, s, s + len);
}

static int hexval(char c)
{
    static const signed char tab[256] = {
        ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
        ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
        ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
    };
    return tab[(unsigned char)c] - 1;
}

/* One " xx" byte of a hex row at t (t[0] is the blank): the byte, or -1. */
static int row_byte(const char *t)
{
    if (t[0] != ' ')
        return -1;
    int hi = hexval(t[1]), lo = hi >= 0 ? hexval(t[2]) : -1;
    if (lo < 0 || (t[3] != ' ' && t[3] != '\0'))
        return -1;
    return hi * 16 + lo;
}

size_t ml_parse_row(const char *t, unsigned long *offset, uint8_t bytes[16])
{
    unsigned long off = 0;
    size_t i = 0;
    int d;
    while (i < 8 && (d = hexval(t[i])) >= 0) {
        off = off * 16 + (unsigned long)d;
        i++;
    }
    if (i < 4 || t[i] != ':')
        return 0;
    i++;
    if (t[i] != ' ')
        return 0;
    i++;
    size_t n = 0;
    int b;
    while (n < 16 && (b = row_byte(t + i)) >= 0) {
        bytes[n++] = (uint8_t)b;
        i += 3;
    }
    *offset = off;
    return n;
}

int ml_parse_num(const char **pp, int hex, int64_t *v)
{
    const char *p = *pp;
    int neg = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    int base = 10;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && hexval(p[2]) >= 0) {
        base = 16;
        p += 2;
    } else if (hex) {
        base = 16;
    }
    if (hexval(*p) < 0 || (base == 10 && !isdigit((unsigned char)*p)))
        return 0;
    uint64_t x = 0;
    int digits = 0;
    for (;;) {
        int d = hexval(*p);
        if (d < 0 || d >= base || digits > 16)
            break;
        x = x * (uint64_t)base + (uint64_t)d;
        p++;
        digits++;
    }
    int64_t r;
    if (base == 16 && !neg && digits == 8 && x >= 0x80000000u)
        r = (int64_t)(int32_t)(uint32_t)x;   /* an int printed as unsigned: 0xffff8880 */
    else
        r = (int64_t)(x & 0x7fffffffffffffffULL);
    *v = neg ? -r : r;
    *pp = p;
    return 1;
}
