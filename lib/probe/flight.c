/* flight.c -- the server-flight reader: bytes in, a classified answer out (no I/O).
 *
 * It checks every byte as it arrives, so a hostile server is recognised early: a first byte that
 * is no TLS content type is garbage at once, a record header announcing more than TLS allows is
 * "oversized" before its body comes, and the total is capped. Handshake messages are reassembled
 * across records; the first must be a ServerHello, whose suite and version must be ones the
 * ClientHello offered. For TLS <= 1.2 it reads on to ServerHelloDone (Certificate,
 * CertificateStatus, ServerKeyExchange); for TLS 1.3 with TD_WANT_CERT it derives the handshake
 * keys (tls13.c) and decrypts EncryptedExtensions, Certificate and CertificateVerify. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tlsdoctor/probe.h"
#include "tlsdoctor/reg.h"
#include "tlsdoctor/wire.h"
#include "util/rd.h"
#include "probe/probe_int.h"

#define FLIGHT_DEFAULT_CAP ((size_t)256 * 1024)
#define MAX_RECORD 18432u          /* 2^14 + 2048 */
#define MAX_HS_MSG ((size_t)128 * 1024)  /* largest handshake message we accept */

enum phase { PH_HELLO = 0, PH_PLAIN, PH_ENCRYPTED, PH_DONE };

struct td_flight_priv {
    uint8_t *hello;            /* the ClientHello record (copy) */
    size_t hello_len;
    struct td_client_hello ch; /* parsed from hello */
    const struct td_probe_keys *keys;
    struct td_buf in;          /* raw bytes received */
    size_t pos;                /* first unparsed record byte in `in` */
    struct td_buf hs;          /* handshake bytes (plaintext) awaiting parse */
    size_t hs_pos;
    enum phase phase;
    struct td_tls13 t13;
    uint8_t rec_plain[MAX_RECORD];
};

const char *td_probe_outcome_name(enum td_probe_outcome o)
{
    switch (o) {
    case TD_PO_NONE: return "none";
    case TD_PO_SERVER_HELLO: return "server_hello";
    case TD_PO_HRR: return "hello_retry_request";
    case TD_PO_ALERT: return "alert";
    case TD_PO_CLOSED: return "closed";
    case TD_PO_RESET: return "reset";
    case TD_PO_TIMEOUT: return "timeout";
    case TD_PO_GARBAGE: return "garbage";
    case TD_PO_OVERSIZED: return "oversized";
    case TD_PO_TOO_MUCH: return "too_much";
    case TD_PO_VIOLATION: return "violation";
    case TD_PO_CONNECT_FAILED: return "connect_failed";
    }
    return "none";
}

void td_probe_answer_free(struct td_probe_answer *a)
{
    for (size_t i = 0; i < a->n_certs; i++)
        free(a->certs[i].der);
    memset(a, 0, sizeof *a);
}

int td_probe_answer_has_ext(const struct td_probe_answer *a, uint16_t type)
{
    for (size_t i = 0; i < a->n_exts; i++)
        if (a->exts[i] == type)
            return 1;
    return 0;
}

/* see probe.h */
enum td_err td_flight_init(struct td_flight *f, const uint8_t *hello, size_t hello_len,
                           const struct td_probe_keys *keys, enum td_flight_want want)
{
    memset(f, 0, sizeof *f);
    f->want = want;
    f->cap = FLIGHT_DEFAULT_CAP;
    if (hello_len < 9 || hello[0] != 22 || hello[5] != 1)
        return TD_ERR_ARG;
    struct td_flight_priv *p = calloc(1, sizeof *p);
    if (!p)
        return TD_ERR_NOMEM;
    p->hello = malloc(hello_len);
    if (!p->hello) {
        free(p);
        return TD_ERR_NOMEM;
    }
    memcpy(p->hello, hello, hello_len);
    p->hello_len = hello_len;
    size_t off = 0;
    if (td_wire_parse_client_hello(p->hello + 9, hello_len - 9, &p->ch, &off) != TD_OK) {
        free(p->hello);
        free(p);
        return TD_ERR_ARG;
    }
    p->keys = keys;
    td_buf_init(&p->in, f->cap + MAX_RECORD);
    td_buf_init(&p->hs, MAX_HS_MSG * (size_t)4);
    f->priv = p;
    return TD_OK;
}

void td_flight_free(struct td_flight *f)
{
    if (f->priv) {
        td_buf_free(&f->priv->in);
        td_buf_free(&f->priv->hs);
        free(f->priv->hello);
        free(f->priv);
    }
    td_probe_answer_free(&f->ans);
    memset(f, 0, sizeof *f);
}

void td_flight_take(struct td_flight *f, struct td_probe_answer *out)
{
    *out = f->ans;
    memset(&f->ans, 0, sizeof f->ans);
    td_flight_free(f);
}

static enum td_flight_status finish(struct td_flight *f, enum td_probe_outcome o)
{
    if (o != TD_PO_NONE && !(o != TD_PO_SERVER_HELLO && f->ans.outcome == TD_PO_SERVER_HELLO &&
                             o != TD_PO_VIOLATION))
        f->ans.outcome = o;
    f->priv->phase = PH_DONE;
    return TD_FLIGHT_DONE;
}

static enum td_flight_status violation(struct td_flight *f, const char *msg)
{
    snprintf(f->ans.detail, sizeof f->ans.detail, "%s", msg);
    f->ans.outcome = TD_PO_VIOLATION;
    f->priv->phase = PH_DONE;
    return TD_FLIGHT_DONE;
}

static int offered(struct td_u16_list l, uint16_t v)
{
    for (size_t i = 0; i < l.n; i++)
        if (td_u16_at(l, i) == v)
            return 1;
    return 0;
}

static void note_exts(struct td_probe_answer *a, const struct td_hello_exts *x)
{
    for (size_t i = 0; i < x->n_ext && a->n_exts < sizeof a->exts / sizeof a->exts[0]; i++)
        if (!td_probe_answer_has_ext(a, x->ext[i].type))
            a->exts[a->n_exts++] = x->ext[i].type;
    if (x->has_alpn && x->alpn.len >= 3) {
        size_t n = x->alpn.p[2];
        if (n + 3 <= x->alpn.len && n < sizeof a->alpn) {
            memcpy(a->alpn, x->alpn.p + 3, n);
            a->alpn[n] = '\0';
        }
    }
}

static const struct td_ext *find_ext(const struct td_hello_exts *x, uint16_t type)
{
    for (size_t i = 0; i < x->n_ext; i++)
        if (x->ext[i].type == type)
            return &x->ext[i];
    return NULL;
}

/* TLS 1.3 ServerHello: derive the keys to decrypt the rest (when asked to read the chain). */
static enum td_flight_status start_tls13(struct td_flight *f, const struct td_server_hello *sh,
                                         const uint8_t *msg, size_t msg_len)
{
    struct td_flight_priv *p = f->priv;
    const struct td_ext *ks = find_ext(&sh->x, 0x0033);
    if (!ks || ks->body.len < 4)
        return violation(f, "its TLS 1.3 ServerHello has no key_share");
    uint16_t len = (uint16_t)(ks->body.p[2] << 8 | ks->body.p[3]);
    if ((size_t)len + 4 != ks->body.len)
        return violation(f, "its key_share extension is malformed");
    if (f->want != TD_WANT_CERT || !p->keys || !td_tls13_suite_ok(sh->suite))
        return finish(f, TD_PO_SERVER_HELLO);
    uint8_t shared[256];
    size_t shared_len = sizeof shared;
    if (td_tls13_shared(p->keys, f->ans.group, ks->body.p + 4, len, shared, &shared_len) != TD_OK)
        return violation(f, "its key share could not be used (not a valid public key for the group)");
    struct td_buf tr;
    td_buf_init(&tr, 0);
    td_buf_append(&tr, p->hello + 5, p->hello_len - 5);
    td_buf_append(&tr, msg, msg_len);
    enum td_err e = tr.err != TD_OK ? tr.err
                                    : td_tls13_server_hs_keys(&p->t13, sh->suite, shared,
                                                              shared_len, (uint8_t *)tr.p, tr.len);
    td_buf_free(&tr);
    if (e != TD_OK)
        return violation(f, "the TLS 1.3 handshake keys could not be derived");
    p->phase = PH_ENCRYPTED;
    return TD_FLIGHT_MORE;
}

static enum td_flight_status on_server_hello(struct td_flight *f, const uint8_t *msg, size_t len)
{
    struct td_flight_priv *p = f->priv;
    struct td_server_hello sh;
    size_t off = 0;
    char m[160];
    if (td_wire_parse_server_hello(msg + 4, len - 4, &sh, &off) != TD_OK) {
        snprintf(m, sizeof m, "its ServerHello is malformed at byte %zu", off);
        return violation(f, m);
    }
    struct td_probe_answer *a = &f->ans;
    a->version = sh.version;
    a->suite = sh.suite;
    note_exts(a, &sh.x);
    if (sh.x.has_key_share && sh.x.key_share_groups.n)
        a->group = td_u16_at(sh.x.key_share_groups, 0);
    if (!offered(p->ch.suites, sh.suite)) {
        const char *nm = td_reg_suite_name(sh.suite);
        snprintf(m, sizeof m, "the server chose cipher suite 0x%04x (%s), which the ClientHello did not offer",
                 sh.suite, nm ? nm : "unknown");
        return violation(f, m);
    }
    int ver_ok = p->ch.x.has_versions ? offered(p->ch.x.versions, sh.version)
                                      : sh.version <= p->ch.legacy_version;
    if (!ver_ok || sh.version < 0x0300) {
        snprintf(m, sizeof m, "the server chose version 0x%04x, which the ClientHello did not offer",
                 sh.version);
        return violation(f, m);
    }
    if (sh.compression != 0)
        return violation(f, "the server chose a compression method the ClientHello did not offer");
    if (sh.is_hrr) {
        const struct td_ext *ks = find_ext(&sh.x, 0x0033);
        if (ks && ks->body.len == 2)
            a->group = (uint16_t)(ks->body.p[0] << 8 | ks->body.p[1]);
        return finish(f, TD_PO_HRR);
    }
    a->outcome = TD_PO_SERVER_HELLO;
    if (sh.version >= 0x0304)
        return start_tls13(f, &sh, msg, len);
    p->phase = PH_PLAIN;
    return TD_FLIGHT_MORE;
}

/* Certificate: TLS 1.2  certs<3> { cert<3> }; TLS 1.3  context<1> certs<3> { cert<3> exts<2> }. */
static void on_certificate(struct td_flight *f, const uint8_t *body, size_t len, int tls13)
{
    struct td_probe_answer *a = &f->ans;
    struct td_rd r, list;
    td_rd_init(&r, body, len, 0);
    a->have_cert_msg = 1;
    a->cert_msg_len = len;
    a->cert_encrypted = tls13;
    if (tls13) {
        struct td_rd ctx;
        td_rd_vec(&r, 1, 0, 255, &ctx);
    }
    td_rd_vec(&r, 3, 0, 0xffffff, &list);
    while (list.left && list.err == TD_OK) {
        struct td_rd cert, exts;
        if (td_rd_vec(&list, 3, 1, 0xffffff, &cert) != TD_OK)
            break;
        if (tls13) {
            td_rd_vec(&list, 2, 0, 0xffff, &exts);
            struct td_rd ex = exts;
            while (ex.left >= 4 && ex.err == TD_OK) {
                uint16_t t = td_rd_u16(&ex);
                struct td_rd body_r;
                td_rd_vec(&ex, 2, 0, 0xffff, &body_r);
                if (t == 5 && a->n_certs_total == 0)
                    a->ocsp_stapled = 1;
            }
        }
        if (a->n_certs < TD_PROBE_MAX_CERTS) {
            uint8_t *der = malloc(cert.left);
            if (der) {
                memcpy(der, cert.p, cert.left);
                a->certs[a->n_certs].der = der;
                a->certs[a->n_certs++].len = cert.left;
            }
        }
        a->n_certs_total++;
    }
}

/* ServerKeyExchange (TLS 1.2): ECDHE  curve_type(3) group(2) point<1> sigalg(2) sig<2>;
 * DHE  p<2> g<2> Ys<2> sigalg(2) sig<2>. Chooses by the negotiated suite's key exchange. */
static void on_ske(struct td_flight *f, const uint8_t *body, size_t len)
{
    struct td_probe_answer *a = &f->ans;
    const struct td_suite *s = td_reg_suite(a->suite);
    struct td_rd r, v;
    td_rd_init(&r, body, len, 0);
    if (s && s->kx && !strncmp(s->kx, "ECDHE", 5)) {
        if (td_rd_u8(&r) != 3)
            return;
        a->group = td_rd_u16(&r);
        td_rd_vec(&r, 1, 1, 255, &v);
    } else if (s && s->kx && !strncmp(s->kx, "DHE", 3)) {
        struct td_rd prime;
        td_rd_vec(&r, 2, 1, 0xffff, &prime);
        size_t bytes = prime.left;
        while (bytes && prime.left && prime.p[0] == 0) {
            td_rd_skip(&prime, 1);
            bytes--;
        }
        a->ske_dh_bits = (uint16_t)(bytes * 8);
        td_rd_vec(&r, 2, 1, 0xffff, &v);
        td_rd_vec(&r, 2, 1, 0xffff, &v);
    } else {
        return;
    }
    if (a->version >= 0x0303 && r.left >= 2) {
        uint16_t alg = td_rd_u16(&r);
        if (r.err == TD_OK)
            a->ske_sigalg = alg;
    }
}

static enum td_flight_status on_message(struct td_flight *f, const uint8_t *msg, size_t len)
{
    struct td_flight_priv *p = f->priv;
    uint8_t type = msg[0];
    if (type == 0)
        return TD_FLIGHT_MORE; /* HelloRequest: ignored during a handshake (RFC 5246 7.4.1.1) */
    if (p->phase == PH_HELLO) {
        if (type != 2) {
            char m[120];
            const char *nm = td_reg_hs_type_name(type);
            snprintf(m, sizeof m, "the server sent a handshake message of type %u (%s) instead of a ServerHello",
                     type, nm ? nm : "unknown");
            return violation(f, m);
        }
        return on_server_hello(f, msg, len);
    }
    int tls13 = p->phase == PH_ENCRYPTED;
    switch (type) {
    case 11: on_certificate(f, msg + 4, len - 4, tls13); break;
    case 12: on_ske(f, msg + 4, len - 4); break;
    case 13: f->ans.cert_request = 1; break;
    case 22: f->ans.ocsp_stapled = 1; break;
    case 8: {
        struct td_hello_exts x;
        struct td_wire_err we;
        memset(&x, 0, sizeof x); /* td_wire_parse_exts adds to what is there */
        if (len >= 6 && td_wire_parse_exts(msg + 6, len - 6, 0, 1, &x, &we) == TD_OK)
            note_exts(&f->ans, &x);
        break;
    }
    case 15:
        if (len >= 6)
            f->ans.cv_sigalg = (uint16_t)(msg[4] << 8 | msg[5]);
        return finish(f, TD_PO_NONE);
    case 14:
    case 20:
        return finish(f, TD_PO_NONE);
    default: break;
    }
    return TD_FLIGHT_MORE;
}

/* Takes every complete handshake message out of hs. */
static enum td_flight_status drain_handshake(struct td_flight *f)
{
    struct td_flight_priv *p = f->priv;
    while (p->phase != PH_DONE && p->hs.len - p->hs_pos >= 4) {
        const uint8_t *m = (const uint8_t *)p->hs.p + p->hs_pos;
        uint32_t mlen = (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];
        if (mlen > MAX_HS_MSG) {
            f->ans.oversized_len = mlen;
            if (f->ans.outcome == TD_PO_SERVER_HELLO) {
                char why[120];
                snprintf(why, sizeof why,
                         "after its ServerHello the server announced a handshake message of %u bytes",
                         mlen);
                return violation(f, why);
            }
            snprintf(f->ans.detail, sizeof f->ans.detail, "handshake message");
            return finish(f, TD_PO_OVERSIZED);
        }
        if (p->hs.len - p->hs_pos < 4 + (size_t)mlen)
            break;
        p->hs_pos += 4 + mlen;
        if (on_message(f, m, 4 + mlen) == TD_FLIGHT_DONE)
            return TD_FLIGHT_DONE;
    }
    if (p->hs_pos == p->hs.len) {
        td_buf_reset(&p->hs);
        p->hs_pos = 0;
    }
    return p->phase == PH_DONE ? TD_FLIGHT_DONE : TD_FLIGHT_MORE;
}

static enum td_flight_status on_alert(struct td_flight *f, const uint8_t *b, size_t n)
{
    if (n < 2)
        return violation(f, "the server sent a truncated alert record");
    f->ans.alert_level = b[0];
    f->ans.alert_desc = b[1];
    if (f->ans.outcome == TD_PO_SERVER_HELLO) {
        f->ans.alert_after_hello = 1;
        return finish(f, TD_PO_NONE);
    }
    return finish(f, TD_PO_ALERT);
}

static enum td_flight_status on_record(struct td_flight *f, const uint8_t *rec, size_t len)
{
    struct td_flight_priv *p = f->priv;
    uint8_t type = rec[0];
    const uint8_t *body = rec + 5;
    size_t blen = len - 5;
    if (type == 23 && p->phase == PH_ENCRYPTED) {
        size_t n = 0;
        if (td_tls13_open(&p->t13, rec, len, p->rec_plain, sizeof p->rec_plain, &n, &type) != TD_OK)
            return violation(f, "an encrypted record could not be decrypted with the handshake keys");
        body = p->rec_plain;
        blen = n;
    }
    switch (type) {
    case 21: return on_alert(f, body, blen);
    case 22:
        if (td_buf_append(&p->hs, body, blen) != TD_OK)
            return finish(f, TD_PO_TOO_MUCH);
        return drain_handshake(f);
    case 20: return TD_FLIGHT_MORE;
    case 23:
        if (p->phase == PH_HELLO)
            return violation(f, "the server sent application data before its ServerHello");
        return finish(f, TD_PO_NONE);
    default:
        return violation(f, "the server sent a record of an unexpected content type");
    }
}

/* 1 if the header bytes seen so far (up to 3) can start a TLS record. */
static int plausible_header(const uint8_t *h, size_t n)
{
    if (n >= 1 && (h[0] < 20 || h[0] > 24))
        return 0;
    if (n >= 2 && h[1] != 3)
        return 0;
    if (n >= 3 && h[2] > 4)
        return 0;
    return 1;
}

/* see probe.h */
enum td_flight_status td_flight_push(struct td_flight *f, const uint8_t *data, size_t n)
{
    struct td_flight_priv *p = f->priv;
    if (!p || p->phase == PH_DONE)
        return TD_FLIGHT_DONE;
    for (size_t i = 0; i < n && f->ans.n_first < sizeof f->ans.first_bytes; i++)
        f->ans.first_bytes[f->ans.n_first++] = data[i];
    f->ans.bytes += n;
    if (f->ans.bytes > f->cap || td_buf_append(&p->in, data, n) != TD_OK)
        return finish(f, TD_PO_TOO_MUCH);
    while (p->phase != PH_DONE) {
        const uint8_t *h = (const uint8_t *)p->in.p + p->pos;
        size_t avail = p->in.len - p->pos;
        if (!plausible_header(h, avail < 3 ? avail : 3))
            return p->pos == 0 ? finish(f, TD_PO_GARBAGE)
                               : violation(f, "the server sent bytes that are not a TLS record after its first records");
        if (avail < 5)
            break;
        size_t rlen = (size_t)h[3] << 8 | h[4];
        if (rlen > f->ans.max_record)
            f->ans.max_record = rlen;
        if (rlen > MAX_RECORD) {
            f->ans.oversized_len = (uint32_t)rlen;
            snprintf(f->ans.detail, sizeof f->ans.detail, "record");
            return finish(f, TD_PO_OVERSIZED);
        }
        if (avail < 5 + rlen)
            break;
        p->pos += 5 + rlen;
        f->ans.records++;
        if (on_record(f, h, 5 + rlen) == TD_FLIGHT_DONE)
            return TD_FLIGHT_DONE;
    }
    if (p->phase != PH_DONE && p->pos == p->in.len) {
        td_buf_reset(&p->in);
        p->pos = 0;
    }
    return p->phase == PH_DONE ? TD_FLIGHT_DONE : TD_FLIGHT_MORE;
}

/* see probe.h */
void td_flight_end(struct td_flight *f, enum td_probe_outcome why, enum td_err err,
                   const char *detail)
{
    if (!f->priv || f->priv->phase == PH_DONE)
        return;
    f->ans.net_err = err;
    if (f->ans.outcome != TD_PO_SERVER_HELLO) {
        f->ans.outcome = why;
        if (detail)
            snprintf(f->ans.detail, sizeof f->ans.detail, "%s", detail);
    }
    f->priv->phase = PH_DONE;
}
