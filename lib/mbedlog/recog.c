/* recog.c -- Mbed TLS's debug messages found by their text: the catalogue's format strings matched
 * as patterns (literal text and printf holes), looked up by a hash of their first four bytes; the
 * decoration before them learned as a skeleton; and the clean-up of terminal and web residue. */
#include <string.h>
#include "recog.h"

/* Steps one pattern match may take: %s holes backtrack, and a hostile line must stay cheap. */
#define MATCH_BUDGET 2048

static int is_dig(char c)
{
    return (unsigned char)(c - '0') < 10;
}

static int is_hex(char c)
{
    return is_dig(c) || (unsigned char)((c | 0x20) - 'a') < 6;
}

/* Reads a printf conversion at p (just after '%'): returns the byte after it and sets *conv, and
 * *mod / *modlen to its length modifier ("z", "ll"). NULL if malformed. */
static const char *parse_spec(const char *p, const char *pe, char *conv, const char **mod, size_t *modlen,
                              int *alt)
{
    *alt = 0;
    while (p < pe && (*p == '-' || *p == '+' || *p == ' ' || *p == '#' || *p == '0')) {
        if (*p == '#')
            *alt = 1;
        p++;
    }
    while (p < pe && is_dig(*p))
        p++;
    if (p < pe && *p == '.') {
        p++;
        while (p < pe && is_dig(*p))
            p++;
    }
    *mod = p;
    while (p < pe && (*p == 'h' || *p == 'l' || *p == 'z' || *p == 'j' || *p == 't' || *p == 'L'))
        p++;
    *modlen = (size_t)(p - *mod);
    if (p >= pe)
        return NULL;
    *conv = *p;
    return p + 1;
}

/* Where a number hole's text ends (s itself if there is none). */
static const char *number_end(char conv, int alt, const char *s, const char *se)
{
    const char *t = s;
    if (alt && (conv == 'x' || conv == 'X') && se - t >= 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))
        t += 2;   /* "%#04x" prints 0x... (and nothing for 0) */
    switch (conv) {
    case 'd':
    case 'i':
        if (t < se && *t == '-')
            t++;
        /* fall through */
    case 'u': {
        const char *d = t;
        while (t < se && is_dig(*t))
            t++;
        return t > d ? t : s;
    }
    case 'x':
    case 'X':
        while (t < se && is_hex(*t))
            t++;
        return t;
    case 'p':
        if (se - t >= 5 && !memcmp(t, "(nil)", 5))
            return t + 5;
        if (se - t >= 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))
            t += 2;
        while (t < se && is_hex(*t))
            t++;
        return t;
    case 'c':
        return t < se ? t + 1 : s;
    default:
        return s;
    }
}

/* 1 if the pattern p[0..pe) matches s[0..se) whole. */
static int match(const char *p, const char *pe, const char *s, const char *se, int *budget)
{
    while (p < pe) {
        if (--*budget < 0)
            return 0;
        if (*p != '%') {
            if (s == se || *s != *p)
                return 0;
            p++;
            s++;
            continue;
        }
        if (p + 1 < pe && p[1] == '%') {
            if (s == se || *s != '%')
                return 0;
            p += 2;
            s++;
            continue;
        }
        char conv;
        const char *mod;
        size_t modlen;
        int alt;
        const char *q = parse_spec(p + 1, pe, &conv, &mod, &modlen, &alt);
        if (!q)
            return 0;
        /* a small printf without %zu / %lld support prints the letters: "returned zu" */
        for (size_t k = 0; k < modlen; k++) {   /* "%lld" printed "lld", or "ld" by newlib-nano */
            size_t ml = modlen - k;
            if ((size_t)(se - s) > ml && !memcmp(s, mod + k, ml) && s[ml] == conv &&
                match(q, pe, s + ml + 1, se, budget))
                return 1;
        }
        if (conv == 's') {
            /* shortest first; jump to the next place the literal after the hole can start */
            char next = q < pe && *q != '%' ? *q : 0;
            for (const char *t = s; t <= se; t++) {
                if (next) {
                    t = memchr(t, next, (size_t)(se - t));
                    if (!t)
                        return 0;
                }
                if (match(q, pe, t, se, budget))
                    return 1;
                if (*budget < 0)
                    return 0;
            }
            return 0;
        }
        const char *t = number_end(conv, alt, s, se);
        if (t == s)
            return 0;
        s = t;
        p = q;
    }
    return s == se;
}

static int row_matches(const struct ml_msg *m, const char *s, size_t len)
{
    /* rows of one bucket mostly share their first bytes: the fifth tells them apart at once */
    if (m->lit > len || (m->lit > 4 && m->pat[4] != s[4]) || memcmp(m->pat, s, m->lit) != 0)
        return 0;
    int budget = MATCH_BUDGET;
    return match(m->pat + m->lit, m->pat + m->len, s + m->lit, s + len, &budget);
}

/* 1 if s[0..len) contains the NUL-terminated needle. */
static int contains(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    if (!n)
        return 1;
    for (const char *p = s, *se = s + len; (size_t)(se - p) >= n; p++) {
        p = memchr(p, needle[0], (size_t)(se - p) - n + 1);
        if (!p)
            return 0;
        if (!memcmp(p, needle, n))
            return 1;
    }
    return 0;
}

/* The rows whose literal start is s's first 8 bytes, then those whose is its first 4 to 7. */
static const struct ml_msg *bucket_match(const char *s, size_t len)
{
    if (len >= 8) {
        uint32_t h = ml_msg_hash8(s);
        for (uint16_t i = ml_msgcat_bucket8[h], e = ml_msgcat_bucket8[h + 1]; i < e; i++) {
            const struct ml_msg *m = &ml_msgcat[ml_msgcat_list8[i]];
            if (row_matches(m, s, len))
                return m;
        }
    }
    uint32_t h = ml_msg_hash4(s);
    for (uint16_t i = ml_msgcat_bucket[h], e = ml_msgcat_bucket[h + 1]; i < e; i++) {
        const struct ml_msg *m = &ml_msgcat[ml_msgcat_list[i]];
        if (row_matches(m, s, len))
            return m;
    }
    return NULL;
}

const struct ml_msg *ml_recog_at(const char *s, size_t len, int shorts)
{
    if (len >= 4) {
        const struct ml_msg *m = bucket_match(s, len);
        if (m)
            return m;
    }
    if (!shorts || !len)
        return NULL;
    /* a hole at the start stands for a name: it may not be blank or start with one */
    if (s[0] == ' ')
        return NULL;
    for (size_t i = 0; i < ml_msgcat_nshort; i++) {
        const struct ml_msg *m = &ml_msgcat[ml_msgcat_short[i]];
        if (contains(s, len, ml_msgcat_short_anchor[i]) && row_matches(m, s, len))
            return m;
    }
    return NULL;
}

const struct ml_msg *ml_recog_find(const char *s, size_t len, size_t *start)
{
    if (len < 4)
        return NULL;
    unsigned prev = 0;
    for (size_t i = 0; i + 4 <= len; i++) {
        /* a message starts a word: not inside one ("...handshake...=> handshake" is glued at a
         * '.', a decoration ends with a blank, a colon or a bracket) */
        unsigned c = ml_msgcat_first[(unsigned char)s[i]];
        unsigned inside = c & prev & 2;
        prev = c;
        if (!(c & 1) || inside)
            continue;
        const struct ml_msg *m = bucket_match(s + i, len - i);
        if (m) {
            *start = i;
            return m;
        }
    }
    return NULL;
}

void ml_deco_learn(struct ml_deco *d, const char *s, size_t n)
{
    size_t o = 0;
    d->known = 0;
    d->strong = 0;
    for (size_t i = 0; i < n; i++) {
        if (o + 1 >= sizeof d->skel)
            return;   /* too long to be a decoration worth learning */
        char c = s[i];
        if (is_dig(c)) {
            while (i + 1 < n && is_hex(s[i + 1]))
                i++;
            c = '#';
        }
        if (c != ' ' && c != '\t')
            d->strong = 1;
        d->skel[o++] = c;
    }
    d->skel[o] = '\0';
    d->n = o;
    d->known = 1;
}

long ml_deco_match(const struct ml_deco *d, const char *s, size_t len)
{
    if (!d->known)
        return -1;
    size_t i = 0;
    for (size_t k = 0; k < d->n; k++) {
        if (i >= len)
            return -1;
        if (d->skel[k] == '#') {
            if (!is_dig(s[i]))
                return -1;
            while (i < len && is_hex(s[i]))
                i++;
        } else if (s[i++] != d->skel[k]) {
            return -1;
        }
    }
    return (long)i;
}

/* The entity at s (s[0] == '&'): its character and length, or 0. */
static size_t entity(const char *s, const char *se, char *out)
{
    static const struct {
        const char *name;
        char c;
    } names[] = {{"&gt;", '>'}, {"&lt;", '<'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''},
                 {"&nbsp;", ' '}, {NULL, 0}};
    for (size_t i = 0; names[i].name; i++) {
        size_t n = strlen(names[i].name);
        if ((size_t)(se - s) >= n && !memcmp(s, names[i].name, n)) {
            *out = names[i].c;
            return n;
        }
    }
    if (se - s >= 4 && s[1] == '#') {
        unsigned v = 0;
        size_t k = 2;
        while (s + k < se && is_dig(s[k]) && k < 6)
            v = v * 10 + (unsigned)(s[k++] - '0');
        if (k > 2 && s + k < se && s[k] == ';' && v >= 32 && v < 127) {
            *out = (char)v;
            return k + 1;
        }
    }
    return 0;
}

/* The first byte of s[0..len) that ml_line_clean() changes, or NULL: an '&' is often just an '&'
 * (a hex dump's text column), and such lines are left as they are. */
static char *first_change(char *s, size_t len)
{
    char *esc = memchr(s, 0x1b, len);
    char c;
    for (char *a = s, *se = s + len; (a = memchr(a, '&', (size_t)(se - a))) != NULL; a++) {
        if (esc && esc < a)
            break;
        if (entity(a, se, &c))
            return a;
    }
    return esc;
}

size_t ml_line_clean(char *s, size_t len)
{
    char *first = first_change(s, len);
    if (!first)
        return len;
    const char *r = first, *se = s + len;
    char *w = first;
    while (r < se) {
        if (*r == 0x1b) {
            /* CSI: ESC [ parameters final-byte (0x40..0x7e); other escapes: two bytes */
            r++;
            if (r < se && *r == '[') {
                r++;
                while (r < se && !(*r >= 0x40 && *r <= 0x7e))
                    r++;
            }
            if (r < se)
                r++;
            continue;
        }
        char c;
        size_t n;
        if (*r == '&' && (n = entity(r, se, &c)) > 0) {
            *w++ = c;
            r += n;
            continue;
        }
        *w++ = *r++;
    }
    *w = '\0';
    return (size_t)(w - s);
}
