/* mbedtls.c -- lookups over the Mbed TLS error and X.509 flag tables (lib/reg/data/ .def files). */
#include <string.h>
#include <strings.h>
#include "tlsdoctor/mbedtls.h"

static const struct td_mbedtls_err errs[] = {
#define TD_MBEDTLS_ERR(code, name, module, lines, desc, causes, next) \
    {code, "MBEDTLS_ERR_" name, module, lines, desc, causes, next},
#define TD_PSA_ERR(code, name, module, lines, desc, causes, next) \
    {code, name, module, lines, desc, causes, next},
#include "data/mbedtls_errors.def"
#undef TD_MBEDTLS_ERR
#undef TD_PSA_ERR
};

static const struct td_x509_flag flags[] = {
#define TD_X509_FLAG(bit, name, desc, next) {bit, "MBEDTLS_X509_" name, desc, next},
#include "data/x509_flags.def"
#undef TD_X509_FLAG
};

static const struct td_mbedtls_soft softs[] = {
#define TD_MBEDTLS_SOFT(code, name, func, confirm, lines, what) \
    {code, name, func, confirm, lines, what},
#include "data/mbedtls_soft_rets.def"
#undef TD_MBEDTLS_SOFT
};

static const struct {
    const char *name;
    const char *text;
    int code;
    unsigned lines;
} strerrs[] = {
#define TD_MBEDTLS_STRERROR(code, name, text, lines) {name, text, code, lines},
#include "data/mbedtls_strerror.def"
#undef TD_MBEDTLS_STRERROR
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* How far a and b agree with runs of white space taken as one blank: the length of b matched, and
 * whether a ran out first (*a_ended). */
static size_t folded_common(const char *a, const char *b, int *a_ended)
{
    const char *b0 = b;
    for (;;) {
        int sa = *a == ' ' || *a == '\t', sb = *b == ' ' || *b == '\t';
        if (sa && sb) {
            while (*a == ' ' || *a == '\t')
                a++;
            while (*b == ' ' || *b == '\t')
                b++;
            continue;
        }
        if (!*a || !*b || *a != *b)
            break;
        a++;
        b++;
    }
    *a_ended = !*a;
    return (size_t)(b - b0);
}

int td_mbedtls_code_by_text(const char *text)
{
    int best = 0;
    size_t best_len = 0;
    for (size_t i = 0; i < COUNT(strerrs); i++) {
        int text_ended;
        size_t n = folded_common(text, strerrs[i].text, &text_ended);
        int whole = !strerrs[i].text[n];                   /* the text holds the whole string */
        int cut = text_ended && n >= TD_STRERROR_MIN_CUT;  /* the text stops inside it */
        if ((whole || cut) && n > best_len) {
            best = strerrs[i].code;
            best_len = n;
        }
    }
    return best;
}

const struct td_mbedtls_soft *td_mbedtls_soft_ret(int code, const char *func, unsigned line)
{
    const struct td_mbedtls_soft *any = NULL;
    if (code >= 0)
        return NULL;
    for (size_t i = 0; i < COUNT(softs); i++) {
        const struct td_mbedtls_soft *s = &softs[i];
        if ((line && !(s->lines & line)) || (s->code && s->code != code))
            continue;
        if (s->func && func && !strcmp(s->func, func))
            return s;
        if (!s->func && s->code && !any)
            any = s;
    }
    return any;
}

/* Index of the first row with |code| >= mag (rows are sorted by magnitude). */
static size_t lower_bound(int mag)
{
    size_t lo = 0, hi = COUNT(errs);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (-errs[mid].code < mag)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t td_mbedtls_err_find(int code, const struct td_mbedtls_err **out, size_t max)
{
    if (code >= 0 || code < -0xFFFF)
        return 0;
    size_t n = 0;
    for (size_t i = lower_bound(-code); i < COUNT(errs) && errs[i].code == code; i++) {
        if (n < max && out)
            out[n] = &errs[i];
        n++;
    }
    return n;
}

const struct td_mbedtls_err *td_mbedtls_err_lookup(int code, unsigned line)
{
    const struct td_mbedtls_err *rows[4];
    size_t n = td_mbedtls_err_find(code, rows, 4);
    const struct td_mbedtls_err *best = NULL;
    for (size_t i = 0; i < n && i < 4; i++) {
        if (line && !(rows[i]->lines & line))
            continue;
        if (!best || rows[i]->lines == (TD_MBEDTLS_2X | TD_MBEDTLS_3X) ||
            (best->lines != (TD_MBEDTLS_2X | TD_MBEDTLS_3X) && (rows[i]->lines & TD_MBEDTLS_3X)))
            best = rows[i];
    }
    return best;
}

const struct td_mbedtls_err *td_mbedtls_err_by_name(const char *name)
{
    if (!name)
        return NULL;
    const size_t plen = strlen("MBEDTLS_ERR_");
    for (size_t i = 0; i < COUNT(errs); i++) {
        const char *n = errs[i].name;
        int has_prefix = !strncmp(n, "MBEDTLS_ERR_", plen);
        if (!strcasecmp(name, n) || (has_prefix && !strcasecmp(name, n + plen)))
            return &errs[i];
    }
    return NULL;
}

const struct td_mbedtls_err *td_mbedtls_err_at(size_t i)
{
    return i < COUNT(errs) ? &errs[i] : NULL;
}

void td_mbedtls_err_split(int code, int *high, int *low)
{
    /* work on the magnitude as unsigned so that INT_MIN cannot overflow */
    unsigned mag = code < 0 ? 0u - (unsigned)code : (unsigned)code;
    if (high)
        *high = -(int)(mag & 0xFF80u);
    if (low)
        *low = -(int)(mag & ~0xFF80u & 0x7FFFFFFFu);
}

size_t td_x509_flags_decode(uint32_t f, const struct td_x509_flag **out, size_t max,
                            uint32_t *unknown)
{
    size_t n = 0;
    uint32_t left = f;
    for (size_t i = 0; i < COUNT(flags); i++) {
        if (!(f & flags[i].bit))
            continue;
        left &= ~flags[i].bit;
        if (n < max && out)
            out[n] = &flags[i];
        n++;
    }
    if (unknown)
        *unknown = left;
    return n;
}

const struct td_x509_flag *td_x509_flag_at(size_t i)
{
    return i < COUNT(flags) ? &flags[i] : NULL;
}
