/* recon.c -- the ClientHello of one attempt: the bytes the device sent when the source has them,
 * else a reconstruction from the facts an Mbed TLS log states at debug level 2-3 (suites, maximum
 * version, extensions added, host name, groups and signature algorithms when printed), with Mbed
 * TLS's default lists where the log does not print them. */
#include <string.h>
#include "tlsdoctor/replay.h"
#include "replay/replay_int.h"

/* Mbed TLS 2.28 / 3.x defaults, used only when the log does not list the values. */
static const uint16_t default_groups[] = {
    TD_GROUP_X25519, TD_GROUP_SECP256R1, TD_GROUP_SECP384R1, TD_GROUP_SECP521R1, TD_GROUP_X448,
};
static const uint16_t default_sigalgs[] = {
    TD_SIGALG_ECDSA_SECP521R1_SHA512, TD_SIGALG_RSA_PKCS1_SHA512, TD_SIGALG_ECDSA_SECP384R1_SHA384,
    TD_SIGALG_RSA_PKCS1_SHA384, TD_SIGALG_ECDSA_SECP256R1_SHA256, TD_SIGALG_RSA_PKCS1_SHA256,
};

/* The complete ClientHello bytes from the client's records, or TD_ERR_NOTHING_FOUND. */
static enum td_err from_records(const struct td_transcript *t, struct td_replay_hello *h)
{
    struct td_buf b;
    td_buf_init(&b, 1u << 20);
    int started = 0;
    enum td_err e = TD_ERR_NOTHING_FOUND;
    for (size_t i = 0; i < t->n_ev; i++) {
        const struct td_event *ev = &t->ev[i];
        if (ev->kind != TD_EV_RECORD || ev->from != TD_ACTOR_CLIENT || !ev->data || ev->len < 6 ||
            ev->data[0] != 22 || (ev->flags & (TD_EVF_TRUNCATED | TD_EVF_RECONSTRUCTED)))
            continue;
        if (!started && ev->data[5] != 1)
            continue;
        started = 1;
        td_buf_append(&b, ev->data, ev->len);
        struct td_replay_hello tmp;
        e = td_replay_hello_parse((const uint8_t *)b.p, b.len, &tmp);
        if (e == TD_OK) {
            *h = tmp;
            break;
        }
        if (e != TD_ERR_TRUNCATED)
            break;
    }
    td_buf_free(&b);
    return e == TD_ERR_TRUNCATED ? TD_ERR_NOTHING_FOUND : e;
}

static size_t facts(const struct td_transcript *t, enum td_fact f, uint16_t *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n_ev && n < max; i++)
        if (t->ev[i].kind == TD_EV_FACT && t->ev[i].fact == f)
            out[n++] = (uint16_t)t->ev[i].code;
    return n;
}

static const char *fact_text(const struct td_transcript *t, enum td_fact f)
{
    for (size_t i = 0; i < t->n_ev; i++)
        if (t->ev[i].kind == TD_EV_FACT && t->ev[i].fact == f && t->ev[i].text)
            return t->ev[i].text;
    return NULL;
}

static enum td_err add_fact_ext(const struct td_transcript *t, struct td_replay_hello *h, int type)
{
    uint16_t v[64];
    size_t n;
    switch (type) {
    case 0: {
        const char *name = fact_text(t, TD_FACT_HOSTNAME);
        size_t l = name ? strlen(name) : 0;
        if (!l || l > 250)
            return TD_OK;
        uint8_t b[260];
        b[0] = (uint8_t)((l + 3) >> 8);
        b[1] = (uint8_t)(l + 3);
        b[2] = 0;
        b[3] = (uint8_t)(l >> 8);
        b[4] = (uint8_t)l;
        memcpy(b + 5, name, l);
        return td_replay_hello_set_ext(h, TD_EXT_SERVER_NAME, b, l + 5);
    }
    case 10:
        n = facts(t, TD_FACT_GROUP, v, 64);
        return n ? td_replay_set_list_ext(h, TD_EXT_SUPPORTED_GROUPS, v, n)
                 : td_replay_set_list_ext(h, TD_EXT_SUPPORTED_GROUPS, default_groups, sizeof default_groups / 2);
    case 13:
        n = facts(t, TD_FACT_SIGALG, v, 64);
        return n ? td_replay_set_list_ext(h, TD_EXT_SIGNATURE_ALGORITHMS, v, n)
                 : td_replay_set_list_ext(h, TD_EXT_SIGNATURE_ALGORITHMS, default_sigalgs, sizeof default_sigalgs / 2);
    case 11: {
        static const uint8_t pf[] = {1, 0};
        return td_replay_hello_set_ext(h, TD_EXT_EC_POINT_FORMATS, pf, sizeof pf);
    }
    case 1: {
        uint16_t mfl[1];
        uint8_t code = 0;
        if (facts(t, TD_FACT_MFL, mfl, 1))
            code = mfl[0] == 512 ? 1 : mfl[0] == 1024 ? 2 : mfl[0] == 2048 ? 3 : mfl[0] == 4096 ? 4 : 0;
        return code ? td_replay_hello_set_ext(h, TD_EXT_MAX_FRAGMENT_LENGTH, &code, 1) : TD_OK;
    }
    case 43:
        n = facts(t, TD_FACT_OFFERED_VERSION, v, 8);
        return n ? td_replay_set_list_ext(h, TD_EXT_SUPPORTED_VERSIONS, v, n) : TD_OK;
    case 51: {
        /* a placeholder share of the first group; replaced by a fresh one before sending */
        uint8_t b[2 + 4 + 32] = {0, 36, 0, 0x1d, 0, 32};
        return td_replay_hello_set_ext(h, TD_EXT_KEY_SHARE, b, sizeof b);
    }
    case 0xff01: {
        static const uint8_t ri[] = {0};
        return td_replay_hello_set_ext(h, TD_EXT_RENEGOTIATION_INFO, ri, 1);
    }
    case 16: /* ALPN: the protocols are not in the log */
        return TD_OK;
    case 45: {
        static const uint8_t modes[] = {1, 1};
        return td_replay_hello_set_ext(h, TD_EXT_PSK_KEY_EXCHANGE_MODES, modes, 2);
    }
    default:
        if (type == 22 || type == 23 || type == 35 || type == 4)
            return td_replay_hello_set_ext(h, (uint16_t)type, NULL, 0);
        return TD_OK;
    }
}

static enum td_err reconstruct(const struct td_transcript *t, struct td_replay_hello *h)
{
    memset(h, 0, sizeof *h);
    h->reconstructed = 1;
    h->record_version = TD_VERSION_TLS_1_0;
    h->n_suites = facts(t, TD_FACT_OFFERED_SUITE, h->suites, TD_REPLAY_MAX_SUITES);
    if (!h->n_suites)
        return TD_ERR_NOTHING_FOUND;
    uint16_t mv[1];
    h->legacy_version = facts(t, TD_FACT_MAX_VERSION, mv, 1) && mv[0] <= TD_VERSION_TLS_1_2 ? mv[0] : TD_VERSION_TLS_1_2;
    uint16_t tm[1];
    if (facts(t, TD_FACT_CLIENT_TIME, tm, 1)) {
        for (size_t i = 0; i < t->n_ev; i++)
            if (t->ev[i].kind == TD_EV_FACT && t->ev[i].fact == TD_FACT_CLIENT_TIME) {
                uint32_t v = (uint32_t)t->ev[i].code;
                h->random[0] = (uint8_t)(v >> 24);
                h->random[1] = (uint8_t)(v >> 16);
                h->random[2] = (uint8_t)(v >> 8);
                h->random[3] = (uint8_t)v;
                break;
            }
    }
    h->comp[0] = 0;
    h->n_comp = 1;
    h->has_ext_block = 1;
    if (fact_text(t, TD_FACT_HOSTNAME))
        add_fact_ext(t, h, 0);
    enum td_err e = TD_OK;
    for (size_t i = 0; i < t->n_ev && e == TD_OK; i++)
        if (t->ev[i].kind == TD_EV_FACT && t->ev[i].fact == TD_FACT_EXT_ADDED && t->ev[i].code >= 0 &&
            !td_replay_hello_ext(h, (uint16_t)t->ev[i].code))
            e = add_fact_ext(t, h, (int)t->ev[i].code);
    uint16_t mfl[1];
    if (e == TD_OK && facts(t, TD_FACT_MFL, mfl, 1) && !td_replay_hello_ext(h, TD_EXT_MAX_FRAGMENT_LENGTH))
        e = add_fact_ext(t, h, 1);
    if (e != TD_OK)
        td_replay_hello_free(h);
    return e;
}

#include "replay/default_hellos.inc"

/* The default ClientHello of the log's Mbed TLS generation, with the log's host name as
 * server_name when it states one. */
static enum td_err assumed(const struct td_transcript *t, struct td_replay_hello *h)
{
    const uint8_t *p = t->mbedtls_major == 2 ? default_hello_2 : t->mbedtls_major == 3 ? default_hello_3 : NULL;
    size_t n = t->mbedtls_major == 2 ? sizeof default_hello_2 : sizeof default_hello_3;
    if (!p)
        return TD_ERR_NOTHING_FOUND;
    enum td_err e = td_replay_hello_parse(p, n, h);
    if (e != TD_OK)
        return e;
    h->assumed = 1;
    if (fact_text(t, TD_FACT_HOSTNAME))
        e = add_fact_ext(t, h, 0);
    if (e != TD_OK)
        td_replay_hello_free(h);
    return e;
}

/* see replay.h */
enum td_err td_replay_hello_from_transcript(const struct td_transcript *t,
                                            struct td_replay_hello *h)
{
    enum td_err e = from_records(t, h);
    if (e == TD_ERR_NOTHING_FOUND)
        e = reconstruct(t, h);
    if (e == TD_ERR_NOTHING_FOUND)
        e = assumed(t, h);
    return e;
}
