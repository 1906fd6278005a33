/* msgs.c -- the handshake messages other than the hellos, and alerts. */
#include <string.h>
#include "wire/wire_int.h"

enum td_err td_wire_parse_alert(const uint8_t *p, size_t len, size_t base_off,
                                struct td_alert *out, struct td_wire_err *err)
{
    struct td_wire_err local;
    struct td_wire_err *e = td_wire_err_or(err, &local);
    struct td_rd r;
    memset(out, 0, sizeof *out);
    td_rd_init(&r, p, len, base_off);
    out->level = td_rd_u8(&r);
    if (!td_wire_ok(&r, e, "alert level"))
        return e->code;
    out->desc = td_rd_u8(&r);
    if (!td_wire_ok(&r, e, "alert description"))
        return e->code;
    td_wire_end(&r, e, "end of the alert (2 bytes)");
    if (e->code == TD_OK && out->level != 1 && out->level != 2)
        td_wire_fail(e, TD_ERR_BAD_VALUE, base_off, "alert level 1 (warning) or 2 (fatal)");
    return e->code;
}

static enum td_err cert_parse(const uint8_t *body, size_t len, size_t base_off, int tls13,
                              struct td_certificate *out, struct td_wire_err *e)
{
    struct td_rd r, list;
    memset(out, 0, sizeof *out);
    out->tls13 = tls13;
    td_rd_init(&r, body, len, base_off);
    if (tls13 && !td_wire_bytes(&r, 1, 0, 255, &out->context, e,
                                "certificate_request_context length"))
        return e->code;
    if (!td_wire_vec(&r, 3, 0, 0xffffff, &list, e, "certificate_list length"))
        return e->code;
    while (list.left) {
        struct td_rd der, ext;
        if (!td_wire_vec(&list, 3, 1, 0xffffff, &der, e, "certificate length within the list"))
            return e->code;
        memset(&ext, 0, sizeof ext);
        if (tls13 && !td_wire_vec(&list, 2, 0, 0xffff, &ext, e, "certificate entry extensions length"))
            return e->code;
        out->n_cert_total++;
        if (out->n_cert < TD_WIRE_MAX_CERTS) {
            struct td_cert_entry *c = &out->cert[out->n_cert++];
            c->off = der.off;
            td_wire_take(&der, &c->der);
            if (tls13)
                td_wire_take(&ext, &c->exts);
        }
    }
    td_wire_end(&r, e, "end of the Certificate message");
    return e->code;
}

enum td_err td_wire_parse_certificate(const uint8_t *body, size_t len, size_t base_off, int tls13,
                                      struct td_certificate *out, struct td_wire_err *err)
{
    struct td_wire_err local;
    struct td_wire_err *e = td_wire_err_or(err, &local);
    if (tls13 >= 0)
        return cert_parse(body, len, base_off, tls13, out, e);
    struct td_wire_err e12 = {TD_OK, 0, NULL};
    if (cert_parse(body, len, base_off, 0, out, &e12) == TD_OK)
        return TD_OK;
    struct td_wire_err e13 = {TD_OK, 0, NULL};
    if (cert_parse(body, len, base_off, 1, out, &e13) == TD_OK)
        return TD_OK;
    cert_parse(body, len, base_off, 0, out, e);  /* report in the 1.2 form */
    return e->code;
}

/* The trailing signature: [SignatureAndHashAlgorithm] opaque signature<0..2^16-1>. */
static void ske_signature(struct td_rd *r, int tls12, struct td_server_key_exchange *out,
                          struct td_wire_err *e)
{
    if (r->err != TD_OK || r->left == 0)
        return;                              /* anonymous key exchange: no signature */
    if (tls12 < 0)                           /* guess: does "sigalg + vec" fit exactly? */
        tls12 = r->left >= 4 && (size_t)((r->p[2] << 8) | r->p[3]) == r->left - 4;
    if (tls12) {
        out->sigalg = td_rd_u16(r);
        if (!td_wire_ok(r, e, "signature algorithm"))
            return;
        out->has_sigalg = 1;
    }
    if (!td_wire_bytes(r, 2, 0, 0xffff, &out->signature, e, "signature length"))
        return;
    td_wire_end(r, e, "end of the ServerKeyExchange after its signature");
}

enum td_err td_wire_parse_server_key_exchange(const uint8_t *body, size_t len, size_t base_off,
                                              enum td_ske_kind kind, int tls12,
                                              struct td_server_key_exchange *out,
                                              struct td_wire_err *err)
{
    struct td_wire_err local;
    struct td_wire_err *e = td_wire_err_or(err, &local);
    struct td_rd r;
    memset(out, 0, sizeof *out);
    td_rd_init(&r, body, len, base_off);
    if (kind == TD_SKE_UNKNOWN) {
        /* named_curve (3), a 2-byte group, then a 1-byte point length that fits */
        int ec = len >= 4 && body[0] == 3 && (size_t)body[3] + 4 <= len;
        kind = ec ? TD_SKE_ECDHE : TD_SKE_DHE;
    }
    out->kind = kind;
    if (kind == TD_SKE_ECDHE) {
        out->curve_type = td_rd_u8(&r);
        if (!td_wire_ok(&r, e, "ECParameters curve_type"))
            return e->code;
        if (out->curve_type != 3) {
            td_wire_fail(e, TD_ERR_UNSUPPORTED, base_off, "curve_type named_curve (3)");
            return e->code;
        }
        out->group = td_rd_u16(&r);
        if (!td_wire_ok(&r, e, "named group"))
            return e->code;
        if (!td_wire_bytes(&r, 1, 1, 255, &out->point, e, "ECDH public point length"))
            return e->code;
    } else {
        if (!td_wire_bytes(&r, 2, 1, 0xffff, &out->dh_p, e, "DH prime p length"))
            return e->code;
        if (!td_wire_bytes(&r, 2, 1, 0xffff, &out->dh_g, e, "DH generator g length"))
            return e->code;
        if (!td_wire_bytes(&r, 2, 1, 0xffff, &out->dh_ys, e, "DH public value Ys length"))
            return e->code;
    }
    ske_signature(&r, tls12, out, e);
    return e->code;
}

static void count_cas(struct td_rd *r, struct td_cert_request *out, struct td_wire_err *e)
{
    struct td_rd cas;
    if (!td_wire_vec(r, 2, 0, 0xffff, &cas, e, "certificate_authorities length"))
        return;
    while (cas.left) {
        struct td_rd dn;
        if (!td_wire_vec(&cas, 2, 1, 0xffff, &dn, e, "distinguished name length"))
            return;
        out->n_ca++;
    }
}

enum td_err td_wire_parse_cert_request(const uint8_t *body, size_t len, size_t base_off,
                                       int tls13, struct td_cert_request *out,
                                       struct td_wire_err *err)
{
    struct td_wire_err local;
    struct td_wire_err *e = td_wire_err_or(err, &local);
    struct td_rd r, v;
    memset(out, 0, sizeof *out);
    out->tls13 = tls13;
    td_rd_init(&r, body, len, base_off);
    if (tls13) {
        if (!td_wire_bytes(&r, 1, 0, 255, &out->context, e, "certificate_request_context length"))
            return e->code;
        if (!td_wire_vec(&r, 2, 2, 0xffff, &v, e, "extensions length"))
            return e->code;
        td_wire_parse_exts(v.p, v.left, v.off, 1, &out->x, e);
        out->has_sigalgs = out->x.has_sigalgs;
        out->sigalgs = out->x.sigalgs;
        for (size_t i = 0; i < out->x.n_ext; i++)
            if (out->x.ext[i].type == 47) {   /* certificate_authorities */
                struct td_rd ca;
                td_rd_init(&ca, out->x.ext[i].body.p, out->x.ext[i].body.len, out->x.ext[i].off + 4);
                count_cas(&ca, out, e);
            }
    } else {
        if (!td_wire_bytes(&r, 1, 1, 255, &out->cert_types, e, "certificate_types length"))
            return e->code;
        if (!td_wire_vec(&r, 2, 2, 0xfffe, &v, e, "supported_signature_algorithms length"))
            return e->code;
        if (!td_wire_u16_list(&v, &out->sigalgs, e, "supported_signature_algorithms (even length)"))
            return e->code;
        out->has_sigalgs = 1;
        count_cas(&r, out, e);
    }
    td_wire_end(&r, e, "end of the CertificateRequest");
    return e->code;
}

enum td_err td_wire_parse_new_session_ticket(const uint8_t *body, size_t len, size_t base_off,
                                             int tls13, struct td_new_session_ticket *out,
                                             struct td_wire_err *err)
{
    struct td_wire_err local;
    struct td_wire_err *e = td_wire_err_or(err, &local);
    struct td_rd r;
    memset(out, 0, sizeof *out);
    out->tls13 = tls13;
    td_rd_init(&r, body, len, base_off);
    out->lifetime = td_rd_u32(&r);
    if (!td_wire_ok(&r, e, "ticket_lifetime_hint"))
        return e->code;
    if (tls13) {
        out->age_add = td_rd_u32(&r);
        if (!td_wire_ok(&r, e, "ticket_age_add"))
            return e->code;
        if (!td_wire_bytes(&r, 1, 0, 255, &out->nonce, e, "ticket_nonce length"))
            return e->code;
    }
    if (!td_wire_bytes(&r, 2, tls13 ? 1 : 0, 0xffff, &out->ticket, e, "ticket length"))
        return e->code;
    if (tls13) {
        if (!td_wire_bytes(&r, 2, 0, 0xfffe, &out->exts, e, "ticket extensions length"))
            return e->code;
    }
    td_wire_end(&r, e, "end of the NewSessionTicket");
    return e->code;
}

enum td_err td_wire_parse_cert_verify(const uint8_t *body, size_t len, size_t base_off,
                                      struct td_cert_verify *out, struct td_wire_err *err)
{
    struct td_wire_err local;
    struct td_wire_err *e = td_wire_err_or(err, &local);
    struct td_rd r;
    memset(out, 0, sizeof *out);
    td_rd_init(&r, body, len, base_off);
    out->sigalg = td_rd_u16(&r);
    if (!td_wire_ok(&r, e, "signature algorithm"))
        return e->code;
    if (!td_wire_bytes(&r, 2, 0, 0xffff, &out->signature, e, "signature length"))
        return e->code;
    td_wire_end(&r, e, "end of the CertificateVerify");
    return e->code;
}
