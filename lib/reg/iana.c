/* iana.c -- lookups over the IANA TLS tables in lib/reg/data/ (.def files) (the one place to edit them). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "tlsdoctor/reg.h"

/* A value, its name and an optional extra text: the shape shared by the simple tables. */
struct named {
    const char *name;
    const char *extra;   /* groups: Mbed TLS config option; extensions: a note; else NULL */
    uint16_t id;
};

static const struct named groups[] = {
#define TD_GROUP(id, name, opt) {name, opt, id},
#include "data/groups.def"
#undef TD_GROUP
};

struct sigalg_row {
    const char *name;
    uint16_t id;
    uint8_t tls12_pair;
};

static const struct sigalg_row sigalgs[] = {
#define TD_SIGALG(id, name, pair) {name, id, pair},
#include "data/sigalgs.def"
#undef TD_SIGALG
};

static const struct named exts[] = {
#define TD_EXT(id, name, note) {name, note, id},
#include "data/extensions.def"
#undef TD_EXT
};

static const struct named versions[] = {
#define TD_VERSION(id, name) {name, NULL, id},
#include "data/versions.def"
#undef TD_VERSION
};

static const struct named hs_types[] = {
#define TD_HS_TYPE(id, name) {name, NULL, id},
#include "data/hs_types.def"
#undef TD_HS_TYPE
};

static const struct named content_types[] = {
#define TD_CONTENT_TYPE(id, name) {name, NULL, id},
#include "data/hs_types.def"
#undef TD_CONTENT_TYPE
};

static const struct td_alert_info alerts[] = {
#define TD_ALERT(v, name, meaning, causes, next) {v, name, meaning, causes, next},
#include "data/alerts.def"
#undef TD_ALERT
};

static const struct td_suite suites[] = {
#define TD_SUITE(id, name, mbed, kx, auth, cipher, mac, lo, hi) {id, name, mbed, kx, auth, cipher, mac, lo, hi},
#include "data/suites.def"
#undef TD_SUITE
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* bsearch comparators, one per row type; the key is a uint16_t. */
static int cmp_u16(uint16_t k, uint16_t r)
{
    return (k > r) - (k < r);
}

static int cmp_named(const void *key, const void *row)
{
    return cmp_u16(*(const uint16_t *)key, ((const struct named *)row)->id);
}

static int cmp_sigalg(const void *key, const void *row)
{
    return cmp_u16(*(const uint16_t *)key, ((const struct sigalg_row *)row)->id);
}

static int cmp_suite(const void *key, const void *row)
{
    return cmp_u16(*(const uint16_t *)key, ((const struct td_suite *)row)->id);
}

static const struct named *named_row(const struct named *t, size_t n, uint16_t id)
{
    return bsearch(&id, t, n, sizeof *t, cmp_named);
}

static const char *named_lookup(const struct named *t, size_t n, uint16_t id)
{
    const struct named *r = named_row(t, n, id);
    return r ? r->name : NULL;
}

static const struct sigalg_row *sigalg_row(uint16_t id)
{
    return bsearch(&id, sigalgs, COUNT(sigalgs), sizeof sigalgs[0], cmp_sigalg);
}

static int named_by_name(const struct named *t, size_t n, const char *name)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!strcasecmp(t[i].name, name))
            return t[i].id;
    return -1;
}

int td_reg_is_grease(uint16_t v)
{
    return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

const char *td_reg_version_name(uint16_t v)
{
    if (td_reg_is_grease(v))
        return "GREASE";
    return named_lookup(versions, COUNT(versions), v);
}

const struct td_suite *td_reg_suite(uint16_t id)
{
    return bsearch(&id, suites, COUNT(suites), sizeof suites[0], cmp_suite);
}

const char *td_reg_suite_name(uint16_t id)
{
    const struct td_suite *s = td_reg_suite(id);
    return s ? s->name : NULL;
}

/* Case-insensitive equality where '-' and '_' count as the same character. */
static int name_eq(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (*a == '-') ? '_' : (unsigned char)*a;
        int cb = (*b == '-') ? '_' : (unsigned char)*b;
        if (ca >= 'a' && ca <= 'z')
            ca -= 'a' - 'A';
        if (cb >= 'a' && cb <= 'z')
            cb -= 'a' - 'A';
        if (ca != cb)
            return 0;
        if (!ca)
            return 1;
    }
}

const struct td_suite *td_reg_suite_by_name(const char *name)
{
    if (!name)
        return NULL;
    if (!strncasecmp(name, "MBEDTLS_", 8))
        name += 8;
    for (size_t i = 0; i < COUNT(suites); i++) {
        const struct td_suite *s = &suites[i];
        if (name_eq(name, s->name) || (s->mbedtls_name && name_eq(name, s->mbedtls_name)))
            return s;
    }
    return NULL;
}

const char *td_reg_group_name(uint16_t id)
{
    if (td_reg_is_grease(id))
        return "GREASE";
    return named_lookup(groups, COUNT(groups), id);
}

const char *td_reg_sigalg_name(uint16_t id)
{
    if (td_reg_is_grease(id))
        return "GREASE";
    const struct sigalg_row *r = sigalg_row(id);
    return r ? r->name : NULL;
}

int td_reg_sigalg_is_tls12_pair(uint16_t id)
{
    const struct sigalg_row *r = sigalg_row(id);
    return r ? r->tls12_pair : 0;
}

const char *td_reg_ext_name(uint16_t id)
{
    if (td_reg_is_grease(id))
        return "GREASE";
    return named_lookup(exts, COUNT(exts), id);
}

const struct td_alert_info *td_reg_alert(uint8_t desc)
{
    for (size_t i = 0; i < COUNT(alerts); i++)
        if (alerts[i].value == desc)
            return &alerts[i];
    return NULL;
}

const char *td_reg_alert_name(uint8_t desc)
{
    const struct td_alert_info *a = td_reg_alert(desc);
    return a ? a->name : NULL;
}

const char *td_reg_hs_type_name(uint8_t t)
{
    return named_lookup(hs_types, COUNT(hs_types), t);
}

const char *td_reg_content_type_name(uint8_t t)
{
    return named_lookup(content_types, COUNT(content_types), t);
}

int td_reg_group_by_name(const char *name)
{
    return named_by_name(groups, COUNT(groups), name);
}

int td_reg_sigalg_by_name(const char *name)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < COUNT(sigalgs); i++)
        if (!strcasecmp(sigalgs[i].name, name))
            return sigalgs[i].id;
    return -1;
}

int td_reg_ext_by_name(const char *name)
{
    return named_by_name(exts, COUNT(exts), name);
}

int td_reg_alert_by_name(const char *name)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < COUNT(alerts); i++)
        if (!strcasecmp(alerts[i].name, name))
            return alerts[i].value;
    return -1;
}

const char *td_reg_group_mbedtls_option(uint16_t id)
{
    const struct named *r = named_row(groups, COUNT(groups), id);
    return r ? r->extra : NULL;
}

const char *td_reg_ext_note(uint16_t id)
{
    const struct named *r = named_row(exts, COUNT(exts), id);
    return r ? r->extra : NULL;
}
