/* hello_build.c -- ClientHello records from a struct td_hello_spec (see include/tlsdoctor/probe.h).
 *
 * Record:  type 22 | version(2) | length(2) | handshake: type 1 | length(3) | body
 * Body:    legacy_version(2) random(32) session_id<0..32> cipher_suites<2..2^16-2>
 *          compression_methods<1..2^8-1> extensions<0..2^16-1>
 * Vectors are written with their length prefix patched in afterwards (vec_open / vec_close). */
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include "tlsdoctor/probe.h"
#include "tlsdoctor/reg.h"
#include "probe/probe_int.h"

#define HELLO_MAX 16384u

struct wbuf {
    uint8_t p[HELLO_MAX];
    size_t len;
    int err;
};

static void put8(struct wbuf *w, unsigned v)
{
    if (w->len + 1 > sizeof w->p) {
        w->err = 1;
        return;
    }
    w->p[w->len++] = (uint8_t)v;
}

static void put16(struct wbuf *w, unsigned v)
{
    put8(w, (v >> 8) & 0xff);
    put8(w, v & 0xff);
}

static void put_bytes(struct wbuf *w, const void *p, size_t n)
{
    if (w->len + n > sizeof w->p) {
        w->err = 1;
        return;
    }
    memcpy(w->p + w->len, p, n);
    w->len += n;
}

/* Reserves a width-byte length prefix; vec_close fills it with the bytes written since. */
static size_t vec_open(struct wbuf *w, unsigned width)
{
    size_t at = w->len;
    for (unsigned i = 0; i < width; i++)
        put8(w, 0);
    return at;
}

static void vec_close(struct wbuf *w, size_t at, unsigned width)
{
    if (w->err)
        return;
    size_t n = w->len - at - width;
    for (unsigned i = 0; i < width; i++)
        w->p[at + i] = (uint8_t)(n >> (8 * (width - 1 - i)));
}

static void put_u16_list(struct wbuf *w, const uint16_t *v, size_t n, unsigned width)
{
    size_t at = vec_open(w, width);
    for (size_t i = 0; i < n; i++)
        put16(w, v[i]);
    vec_close(w, at, width);
}

/* An extension whose body is just a u16 list with a width-byte length (groups, sigalgs,
 * supported_versions). */
static void put_u16_list_ext(struct wbuf *w, uint16_t type, const uint16_t *v, size_t n,
                             unsigned width)
{
    put16(w, type);
    size_t ext = vec_open(w, 2);
    put_u16_list(w, v, n, width);
    vec_close(w, ext, 2);
}

void td_probe_keys_init(struct td_probe_keys *k)
{
    memset(k, 0, sizeof *k);
}

void td_probe_keys_free(struct td_probe_keys *k)
{
    for (size_t i = 0; i < k->n; i++)
        EVP_PKEY_free(k->pkey[i]);
    memset(k, 0, sizeof *k);
}

/* A fresh key pair for group; NULL when we cannot make one. */
static EVP_PKEY *keygen(uint16_t group)
{
    switch (group) {
    case 0x001d: return EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
    case 0x001e: return EVP_PKEY_Q_keygen(NULL, NULL, "X448");
    case 0x0017: return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    case 0x0018: return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    case 0x0019: return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-521");
    default: return NULL;
    }
}

static enum td_err put_key_shares(struct wbuf *w, const struct td_hello_spec *s,
                                  struct td_probe_keys *keys)
{
    size_t at = vec_open(w, 2);
    for (size_t i = 0; i < s->n_shares; i++) {
        if (!keys || keys->n >= TD_PROBE_MAX_SHARES)
            return TD_ERR_ARG;
        EVP_PKEY *k = keygen(s->share_groups[i]);
        if (!k)
            return TD_ERR_UNSUPPORTED;
        keys->group[keys->n] = s->share_groups[i];
        keys->pkey[keys->n++] = k;
        unsigned char *pub = NULL;
        size_t publen = EVP_PKEY_get1_encoded_public_key(k, &pub);
        if (!publen || !pub)
            return TD_ERR_CRYPTO;
        put16(w, s->share_groups[i]);
        put16(w, (unsigned)publen);
        put_bytes(w, pub, publen);
        OPENSSL_free(pub);
    }
    vec_close(w, at, 2);
    return TD_OK;
}

static void put_sni(struct wbuf *w, const char *name)
{
    size_t n = strlen(name);
    put16(w, 0x0000);
    size_t ext = vec_open(w, 2);
    size_t list = vec_open(w, 2);
    put8(w, 0); /* host_name */
    put16(w, (unsigned)n);
    put_bytes(w, name, n);
    vec_close(w, list, 2);
    vec_close(w, ext, 2);
}

static void put_alpn(struct wbuf *w, const char *csv)
{
    put16(w, 0x0010);
    size_t ext = vec_open(w, 2);
    size_t list = vec_open(w, 2);
    const char *p = csv;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n) {
            put8(w, (unsigned)n);
            put_bytes(w, p, n);
        }
        p += n + (end ? 1 : 0);
    }
    vec_close(w, list, 2);
    vec_close(w, ext, 2);
}

static void put_empty_ext(struct wbuf *w, uint16_t type)
{
    put16(w, type);
    put16(w, 0);
}

static void put_simple_exts(struct wbuf *w, const struct td_hello_spec *s)
{
    if (s->flags & TD_HELLO_STATUS_REQUEST) {
        static const uint8_t ocsp[] = {0x00, 0x05, 0x00, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00};
        put_bytes(w, ocsp, sizeof ocsp);
    }
    if (s->n_groups) {
        put_u16_list_ext(w, 0x000a, s->groups, s->n_groups, 2);
    }
    if (s->flags & TD_HELLO_POINT_FORMATS) {
        static const uint8_t pf[] = {0x00, 0x0b, 0x00, 0x02, 0x01, 0x00};
        put_bytes(w, pf, sizeof pf);
    }
    if (s->n_sigalgs) {
        put_u16_list_ext(w, 0x000d, s->sigalgs, s->n_sigalgs, 2);
    }
    if (s->alpn[0])
        put_alpn(w, s->alpn);
    if (s->mfl) {
        put16(w, 0x0001);
        put16(w, 1);
        put8(w, s->mfl);
    }
    if (s->record_size_limit) {
        put16(w, 0x001c);
        put16(w, 2);
        put16(w, s->record_size_limit);
    }
    if (s->flags & TD_HELLO_SCT)
        put_empty_ext(w, 0x0012);
    if (s->flags & TD_HELLO_ETM)
        put_empty_ext(w, 0x0016);
    if (s->flags & TD_HELLO_EMS)
        put_empty_ext(w, 0x0017);
    if (s->flags & TD_HELLO_TICKET)
        put_empty_ext(w, 0x0023);
    if (s->flags & TD_HELLO_RENEG) {
        static const uint8_t rn[] = {0xff, 0x01, 0x00, 0x01, 0x00};
        put_bytes(w, rn, sizeof rn);
    }
}

static enum td_err put_extensions(struct wbuf *w, const struct td_hello_spec *s,
                                  struct td_probe_keys *keys)
{
    size_t exts = vec_open(w, 2);
    if (s->sni[0])
        put_sni(w, s->sni);
    put_simple_exts(w, s);
    if (s->n_versions) {
        put_u16_list_ext(w, 0x002b, s->versions, s->n_versions, 1);
    }
    if (s->flags & TD_HELLO_PSK_MODES) {
        static const uint8_t pm[] = {0x00, 0x2d, 0x00, 0x02, 0x01, 0x01};
        put_bytes(w, pm, sizeof pm);
    }
    if (s->n_shares || s->key_share_ext) {
        put16(w, 0x0033);
        size_t ext = vec_open(w, 2);
        enum td_err e = put_key_shares(w, s, keys);
        if (e != TD_OK)
            return e;
        vec_close(w, ext, 2);
    }
    vec_close(w, exts, 2);
    return TD_OK;
}

static enum td_err check_spec(const struct td_hello_spec *s)
{
    if (s->n_suites > TD_PROBE_MAX_SUITES || s->n_groups > TD_PROBE_MAX_GROUPS ||
        s->n_sigalgs > TD_PROBE_MAX_SIGALGS || s->n_shares > TD_PROBE_MAX_SHARES ||
        s->n_versions > 8 || !memchr(s->sni, 0, sizeof s->sni) || strlen(s->sni) > 253 ||
        !memchr(s->alpn, 0, sizeof s->alpn))
        return TD_ERR_ARG;
    return TD_OK;
}

/* see probe.h */
enum td_err td_probe_hello_build(const struct td_hello_spec *s, struct td_probe_keys *keys,
                                 struct td_buf *out)
{
    enum td_err e = check_spec(s);
    if (e != TD_OK)
        return e;
    struct wbuf *w = calloc(1, sizeof *w);
    if (!w)
        return TD_ERR_NOMEM;
    put8(w, 22);
    put16(w, s->record_version ? s->record_version : 0x0301);
    size_t rec = vec_open(w, 2);
    put8(w, 1);
    size_t hs = vec_open(w, 3);
    put16(w, s->legacy_version);
    uint8_t rnd[64];
    if (RAND_bytes(rnd, sizeof rnd) != 1) {
        free(w);
        return TD_ERR_CRYPTO;
    }
    put_bytes(w, rnd, 32);
    put8(w, 32); /* a session id, as TLS 1.3 middlebox compatibility mode sends */
    put_bytes(w, rnd + 32, 32);
    size_t suites = vec_open(w, 2);
    for (size_t i = 0; i < s->n_suites; i++)
        put16(w, s->suites[i]);
    if (s->flags & TD_HELLO_SCSV)
        put16(w, 0x00ff);
    vec_close(w, suites, 2);
    put8(w, 1);
    put8(w, 0); /* null compression */
    e = put_extensions(w, s, keys);
    vec_close(w, hs, 3);
    vec_close(w, rec, 2);
    if (e == TD_OK && w->err)
        e = TD_ERR_ARG;
    if (e == TD_OK)
        e = td_buf_append(out, w->p, w->len);
    free(w);
    return e;
}

/* Groups offered by default, most common first. */
static const uint16_t default_groups[] = {
    0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104,
    0x001a, 0x001b, 0x001c, 0x001f, 0x0020, 0x0021, 0x0015, 0x0016, 0x0013, 0x0014,
    0x11ec, 0x11eb, 0x11ed, 0x6399
};

/* Signature algorithms offered by default. */
static const uint16_t default_sigalgs[] = {
    0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b,
    0x0401, 0x0501, 0x0601, 0x081a, 0x081b, 0x081c, 0x0203, 0x0201, 0x0303, 0x0301,
    0x0402, 0x0502, 0x0602, 0x0202, 0x0302
};

size_t td_probe_default_groups(uint16_t *out, size_t max)
{
    size_t n = sizeof default_groups / sizeof default_groups[0];
    n = n < max ? n : max;
    memcpy(out, default_groups, n * sizeof *out);
    return n;
}

size_t td_probe_default_sigalgs(uint16_t *out, size_t max)
{
    size_t n = sizeof default_sigalgs / sizeof default_sigalgs[0];
    n = n < max ? n : max;
    memcpy(out, default_sigalgs, n * sizeof *out);
    return n;
}

/* Every registry suite usable at version v (SCSVs left out). IANA assigns real suites only in
 * these blocks of 256, so only they are looked up. */
size_t td_probe_suites_for(uint16_t v, uint16_t *out, size_t max)
{
    static const uint8_t blocks[] = {0x00, 0x13, 0xc0, 0xc1, 0xcc, 0xd0};
    size_t n = 0;
    for (size_t b = 0; b < sizeof blocks; b++)
        for (unsigned lo = 0; lo <= 0xff && n < max; lo++) {
            uint16_t id = (uint16_t)(blocks[b] << 8 | lo);
            const struct td_suite *s = td_reg_suite(id);
            if (!s || id == 0x0000 || id == 0x00ff)
                continue; /* TLS_NULL_WITH_NULL_NULL is never negotiable; 0x00ff is the SCSV */
            int is13 = s->min_version >= 0x0304;
            if (v >= 0x0304 ? !is13 : (is13 || (s->min_version && s->min_version > v)))
                continue;
            out[n++] = id;
        }
    return n;
}

/* see probe.h */
void td_probe_spec_default(struct td_hello_spec *s)
{
    memset(s, 0, sizeof *s);
    s->record_version = 0x0301;
    s->legacy_version = 0x0303;
    s->versions[0] = 0x0304;
    s->versions[1] = 0x0303;
    s->versions[2] = 0x0302;
    s->versions[3] = 0x0301;
    s->n_versions = 4;
    s->n_suites = td_probe_suites_for(0x0304, s->suites, TD_PROBE_MAX_SUITES);
    s->n_suites += td_probe_suites_for(0x0303, s->suites + s->n_suites,
                                       TD_PROBE_MAX_SUITES - s->n_suites);
    s->n_groups = td_probe_default_groups(s->groups, TD_PROBE_MAX_GROUPS);
    s->n_sigalgs = td_probe_default_sigalgs(s->sigalgs, TD_PROBE_MAX_SIGALGS);
    s->share_groups[0] = 0x001d;
    s->share_groups[1] = 0x0017;
    s->n_shares = 2;
    s->flags = TD_HELLO_EMS | TD_HELLO_RENEG | TD_HELLO_POINT_FORMATS | TD_HELLO_PSK_MODES;
}
