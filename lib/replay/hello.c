/* hello.c -- the device's ClientHello as editable parts: parsed from its bytes, written back
 * byte-identical except for what an edit changed, with a fresh random and fresh key shares. */
#include <stdlib.h>
#include <string.h>
#include <openssl/rand.h>
#include "tlsdoctor/replay.h"
#include "tlsdoctor/tls_ids.h"
#include "util/rd.h"

static void put16(uint8_t *p, size_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

void td_replay_hello_free(struct td_replay_hello *h)
{
    for (size_t i = 0; i < h->n_ext; i++)
        free(h->ext[i].body);
    h->n_ext = 0;
}

static enum td_err add_ext(struct td_replay_hello *h, size_t at, uint16_t type, const uint8_t *b,
                           size_t len)
{
    if (h->n_ext >= TD_REPLAY_MAX_EXTS)
        return TD_ERR_TOO_LARGE;
    uint8_t *copy = NULL;
    if (len) {
        copy = malloc(len);
        if (!copy)
            return TD_ERR_NOMEM;
        memcpy(copy, b, len);
    }
    memmove(&h->ext[at + 1], &h->ext[at], (h->n_ext - at) * sizeof h->ext[0]);
    h->ext[at] = (struct td_replay_ext){type, copy, len};
    h->n_ext++;
    h->has_ext_block = 1;
    return TD_OK;
}

/* The ClientHello body (after the 4-byte handshake header). */
static enum td_err parse_body(const uint8_t *p, size_t len, struct td_replay_hello *h)
{
    struct td_rd r, v;
    td_rd_init(&r, p, len, 0);
    h->legacy_version = td_rd_u16(&r);
    const uint8_t *rnd = td_rd_bytes(&r, 32);
    if (rnd)
        memcpy(h->random, rnd, 32);
    if (td_rd_vec(&r, 1, 0, 32, &v) == TD_OK) {
        h->sid_len = v.left;
        memcpy(h->sid, v.p, v.left);
    }
    if (td_rd_vec(&r, 2, 2, 0xfffe, &v) == TD_OK) {
        if (v.left / 2 > TD_REPLAY_MAX_SUITES)
            return TD_ERR_TOO_LARGE;
        while (v.left >= 2)
            h->suites[h->n_suites++] = td_rd_u16(&v);
    }
    if (td_rd_vec(&r, 1, 1, sizeof h->comp, &v) == TD_OK) {
        h->n_comp = v.left;
        memcpy(h->comp, v.p, v.left);
    }
    if (r.err != TD_OK)
        return r.err;
    if (!r.left)
        return TD_OK;
    struct td_rd exts;
    if (td_rd_vec(&r, 2, 0, 0xffff, &exts) != TD_OK)
        return r.err;
    h->has_ext_block = 1;
    while (exts.left && exts.err == TD_OK) {
        uint16_t type = td_rd_u16(&exts);
        struct td_rd body;
        if (td_rd_vec(&exts, 2, 0, 0xffff, &body) != TD_OK)
            break;
        enum td_err e = add_ext(h, h->n_ext, type, body.p, body.left);
        if (e != TD_OK)
            return e;
    }
    if (exts.err != TD_OK)
        return exts.err;
    return r.left ? TD_ERR_TRAILING : TD_OK;
}

/* see replay.h */
enum td_err td_replay_hello_parse(const uint8_t *p, size_t len, struct td_replay_hello *h)
{
    memset(h, 0, sizeof *h);
    h->record_version = TD_VERSION_TLS_1_0;
    struct td_buf msg;
    td_buf_init(&msg, 1u << 20);
    if (len && p[0] == 22) {
        struct td_rd r;
        td_rd_init(&r, p, len, 0);
        int first = 1;
        while (r.left >= 5 && r.err == TD_OK) {
            uint8_t type = td_rd_u8(&r);
            uint16_t ver = td_rd_u16(&r);
            struct td_rd body;
            if (type != 22 || td_rd_vec(&r, 2, 1, 0x4800, &body) != TD_OK)
                break;
            if (first)
                h->record_version = ver;
            first = 0;
            td_buf_append(&msg, body.p, body.left);
            if (msg.len >= 4 && msg.len >= 4 + ((size_t)(uint8_t)msg.p[1] << 16 |
                                                (size_t)(uint8_t)msg.p[2] << 8 | (uint8_t)msg.p[3]))
                break;
        }
    } else {
        td_buf_append(&msg, p, len);
    }
    enum td_err e = msg.err;
    const uint8_t *m = (const uint8_t *)msg.p;
    if (e == TD_OK && (msg.len < 4 || m[0] != 1))
        e = msg.len < 4 ? TD_ERR_TRUNCATED : TD_ERR_BAD_VALUE;
    if (e == TD_OK) {
        size_t blen = (size_t)m[1] << 16 | (size_t)m[2] << 8 | m[3];
        e = blen > msg.len - 4 ? TD_ERR_TRUNCATED : parse_body(m + 4, blen, h);
    }
    td_buf_free(&msg);
    if (e != TD_OK)
        td_replay_hello_free(h);
    return e;
}

/* see replay.h */
enum td_err td_replay_hello_copy(struct td_replay_hello *dst, const struct td_replay_hello *src)
{
    memcpy(dst, src, sizeof *dst);
    dst->n_ext = 0;
    for (size_t i = 0; i < src->n_ext; i++) {
        enum td_err e = add_ext(dst, dst->n_ext, src->ext[i].type, src->ext[i].body, src->ext[i].len);
        if (e != TD_OK) {
            td_replay_hello_free(dst);
            return e;
        }
    }
    dst->has_ext_block = src->has_ext_block;
    return TD_OK;
}

/* see replay.h */
enum td_err td_replay_hello_write(const struct td_replay_hello *h, struct td_buf *out)
{
    size_t ext_len = 0;
    for (size_t i = 0; i < h->n_ext; i++)
        ext_len += 4 + h->ext[i].len;
    size_t body = 2 + 32 + 1 + h->sid_len + 2 + 2 * h->n_suites + 1 + h->n_comp +
                  (h->has_ext_block ? 2 + ext_len : 0);
    if (ext_len > 0xffff || body + 4 > 0x4000)
        return TD_ERR_TOO_LARGE;
    uint8_t hdr[9] = {22, 0, 0, 0, 0, 1, 0, 0, 0};
    put16(hdr + 1, h->record_version);
    put16(hdr + 3, body + 4);
    hdr[6] = (uint8_t)(body >> 16);
    put16(hdr + 7, body);
    td_buf_append(out, hdr, sizeof hdr);
    uint8_t b[4];
    put16(b, h->legacy_version);
    td_buf_append(out, b, 2);
    td_buf_append(out, h->random, 32);
    b[0] = (uint8_t)h->sid_len;
    td_buf_append(out, b, 1);
    td_buf_append(out, h->sid, h->sid_len);
    put16(b, 2 * h->n_suites);
    td_buf_append(out, b, 2);
    for (size_t i = 0; i < h->n_suites; i++) {
        put16(b, h->suites[i]);
        td_buf_append(out, b, 2);
    }
    b[0] = (uint8_t)h->n_comp;
    td_buf_append(out, b, 1);
    td_buf_append(out, h->comp, h->n_comp);
    if (h->has_ext_block) {
        put16(b, ext_len);
        td_buf_append(out, b, 2);
        for (size_t i = 0; i < h->n_ext; i++) {
            put16(b, h->ext[i].type);
            put16(b + 2, h->ext[i].len);
            td_buf_append(out, b, 4);
            td_buf_append(out, h->ext[i].body, h->ext[i].len);
        }
    }
    return out->err;
}

/* see replay.h */
const struct td_replay_ext *td_replay_hello_ext(const struct td_replay_hello *h, uint16_t type)
{
    for (size_t i = 0; i < h->n_ext; i++)
        if (h->ext[i].type == type)
            return &h->ext[i];
    return NULL;
}

/* see replay.h */
enum td_err td_replay_hello_set_ext(struct td_replay_hello *h, uint16_t type, const uint8_t *body,
                                    size_t len)
{
    for (size_t i = 0; i < h->n_ext; i++) {
        if (h->ext[i].type != type)
            continue;
        uint8_t *copy = NULL;
        if (len) {
            copy = malloc(len);
            if (!copy)
                return TD_ERR_NOMEM;
            memcpy(copy, body, len);
        }
        free(h->ext[i].body);
        h->ext[i].body = copy;
        h->ext[i].len = len;
        return TD_OK;
    }
    size_t at = h->n_ext;
    /* padding (21) and pre_shared_key (41) stay last */
    while (at > 0 && (h->ext[at - 1].type == 21 || h->ext[at - 1].type == 41))
        at--;
    if (type == 0)
        at = 0; /* Mbed TLS writes server_name first */
    return add_ext(h, at, type, body, len);
}

/* see replay.h */
int td_replay_hello_drop_ext(struct td_replay_hello *h, uint16_t type)
{
    for (size_t i = 0; i < h->n_ext; i++) {
        if (h->ext[i].type != type)
            continue;
        free(h->ext[i].body);
        memmove(&h->ext[i], &h->ext[i + 1], (h->n_ext - i - 1) * sizeof h->ext[0]);
        h->n_ext--;
        return 1;
    }
    return 0;
}

/* New key shares of the same groups, generated through the probe's builder, replace the device's
 * (whose private keys we do not have). */
static enum td_err fresh_key_shares(struct td_replay_hello *h, struct td_probe_keys *keys)
{
    const struct td_replay_ext *ks = td_replay_hello_ext(h, TD_EXT_KEY_SHARE);
    if (!ks)
        return TD_OK;
    struct td_hello_spec *spec = calloc(1, sizeof *spec);
    if (!spec)
        return TD_ERR_NOMEM;
    spec->record_version = TD_VERSION_TLS_1_0;
    spec->legacy_version = TD_VERSION_TLS_1_2;
    spec->versions[0] = TD_VERSION_TLS_1_3;
    spec->n_versions = 1;
    spec->suites[0] = 0x1301;
    spec->n_suites = 1;
    spec->key_share_ext = 1;
    struct td_rd r, list;
    td_rd_init(&r, ks->body, ks->len, 0);
    td_rd_vec(&r, 2, 0, 0xffff, &list);
    while (list.left >= 4 && list.err == TD_OK && spec->n_shares < TD_PROBE_MAX_SHARES) {
        uint16_t g = td_rd_u16(&list);
        struct td_rd kx;
        td_rd_vec(&list, 2, 0, 0xffff, &kx);
        spec->share_groups[spec->n_shares++] = g;
        spec->groups[spec->n_groups++] = g;
    }
    struct td_buf rec;
    td_buf_init(&rec, 0);
    enum td_err e = td_probe_hello_build(spec, keys, &rec);
    free(spec);
    struct td_replay_hello built;
    if (e == TD_OK)
        e = td_replay_hello_parse((const uint8_t *)rec.p, rec.len, &built);
    td_buf_free(&rec);
    if (e != TD_OK)
        return e;
    const struct td_replay_ext *nks = td_replay_hello_ext(&built, TD_EXT_KEY_SHARE);
    e = nks ? td_replay_hello_set_ext(h, TD_EXT_KEY_SHARE, nks->body, nks->len) : TD_ERR_UNSUPPORTED;
    td_replay_hello_free(&built);
    return e;
}

/* see replay.h */
enum td_err td_replay_hello_prepare(const struct td_replay_hello *h, struct td_probe_keys *keys,
                                    struct td_buf *out)
{
    struct td_replay_hello *c = malloc(sizeof *c);
    if (!c)
        return TD_ERR_NOMEM;
    enum td_err e = td_replay_hello_copy(c, h);
    if (e != TD_OK) {
        free(c);
        return e;
    }
    if (RAND_bytes(c->random + 4, 28) != 1)
        e = TD_ERR_CRYPTO;
    if (e == TD_OK)
        e = fresh_key_shares(c, keys);
    if (e == TD_OK)
        e = td_replay_hello_write(c, out);
    td_replay_hello_free(c);
    free(c);
    return e;
}
