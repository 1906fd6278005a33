/* decode.c -- a whole stream of records from one side into a cJSON tree: records, handshake
 * messages (joined across records), alerts, and every hello field and extension, with names from
 * the registry. The tree is the one structure both the text and the JSON output render. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "tlsdoctor/reg.h"
#include "tlsdoctor/x509.h"
#include "wire/wire_int.h"

struct dctx {
    cJSON *errors;
    enum td_err first;
    int dtls;
    uint16_t version;          /* negotiated, once known */
    uint16_t suite;
    int ccs_seen;
    int certs;
};

static void add_error(struct dctx *c, const struct td_wire_err *e, const char *where)
{
    if (e->code == TD_OK)
        return;
    if (c->first == TD_OK)
        c->first = e->code;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "offset", (double)e->off);
    cJSON_AddStringToObject(o, "error", td_strerror(e->code));
    cJSON_AddStringToObject(o, "expected", e->expected ? e->expected : "");
    cJSON_AddStringToObject(o, "in", where);
    cJSON_AddItemToArray(c->errors, o);
}

/* {"id": n, "name": "...", "grease": true?} */
static cJSON *named(unsigned id, const char *name, int grease)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", id);
    cJSON_AddStringToObject(o, "name", name ? name : "unknown");
    if (grease)
        cJSON_AddTrueToObject(o, "grease");
    return o;
}

static cJSON *n_version(uint16_t v) { return named(v, td_reg_version_name(v), td_reg_is_grease(v)); }
static cJSON *n_suite(uint16_t v) { return named(v, td_reg_suite_name(v), td_reg_is_grease(v)); }
static cJSON *n_group(uint16_t v) { return named(v, td_reg_group_name(v), td_reg_is_grease(v)); }
static cJSON *n_sigalg(uint16_t v) { return named(v, td_reg_sigalg_name(v), td_reg_is_grease(v)); }
static cJSON *n_ext(uint16_t v) { return named(v, td_reg_ext_name(v), td_reg_is_grease(v)); }

static void add_hex(cJSON *o, const char *key, struct td_bytes b)
{
    static const char digits[] = "0123456789abcdef";
    char *s = malloc(b.len * 2 + 1);
    if (!s)
        return;
    for (size_t i = 0; i < b.len; i++) {
        s[2 * i] = digits[b.p[i] >> 4];
        s[2 * i + 1] = digits[b.p[i] & 15];
    }
    s[b.len * 2] = '\0';
    cJSON_AddStringToObject(o, key, s);
    free(s);
}

/* Untrusted bytes as a printable string (anything outside ASCII printables becomes '?'). */
static void add_text(cJSON *o, const char *key, const uint8_t *p, size_t n)
{
    char *s = malloc(n + 1);
    if (!s)
        return;
    for (size_t i = 0; i < n; i++)
        s[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '?';
    s[n] = '\0';
    cJSON_AddStringToObject(o, key, s);
    free(s);
}

static cJSON *list_of(struct td_u16_list l, cJSON *(*fn)(uint16_t))
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < l.n; i++)
        cJSON_AddItemToArray(a, fn(td_u16_at(l, i)));
    return a;
}

static cJSON *bytes_list(struct td_bytes b)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < b.len; i++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber(b.p[i]));
    return a;
}

static void alpn_list(cJSON *o, struct td_bytes b)
{
    cJSON *a = cJSON_AddArrayToObject(o, "protocols");
    size_t i = 0;
    while (i < b.len) {
        size_t n = b.p[i++];
        if (n > b.len - i)
            break;
        cJSON *tmp = cJSON_CreateObject();
        add_text(tmp, "p", b.p + i, n);
        cJSON_AddItemToArray(a, cJSON_DetachItemFromObject(tmp, "p"));
        cJSON_Delete(tmp);
        i += n;
    }
}

static const char *psk_mode_name(uint8_t m)
{
    return m == 0 ? "psk_ke" : m == 1 ? "psk_dhe_ke" : "unknown";
}

/* The decoded meaning of one extension, from a hello_exts holding only it. */
static void ext_fields(cJSON *o, uint16_t type, const struct td_hello_exts *x, int is_server)
{
    switch (type) {
    case 0:
        if (x->has_sni)
            add_text(o, "host_name", x->sni.p, x->sni.len);
        break;
    case 1:
        if (x->has_mfl) {
            cJSON_AddNumberToObject(o, "value", x->mfl);
            if (x->mfl >= 1 && x->mfl <= 4)
                cJSON_AddNumberToObject(o, "bytes", 256 << x->mfl);
        }
        break;
    case 5: if (!is_server) cJSON_AddNumberToObject(o, "status_type", x->status_type); break;
    case 10: if (x->has_groups) cJSON_AddItemToObject(o, "groups", list_of(x->groups, n_group)); break;
    case 11:
        if (x->has_point_formats)
            cJSON_AddItemToObject(o, "formats", bytes_list(x->point_formats));
        break;
    case 13: if (x->has_sigalgs) cJSON_AddItemToObject(o, "algorithms", list_of(x->sigalgs, n_sigalg)); break;
    case 50:
        if (x->has_sigalgs_cert)
            cJSON_AddItemToObject(o, "algorithms", list_of(x->sigalgs_cert, n_sigalg));
        break;
    case 16: if (x->has_alpn) alpn_list(o, x->alpn); break;
    case 21: cJSON_AddNumberToObject(o, "padding_length", (double)x->padding_len); break;
    case 28:
        if (x->has_record_size_limit)
            cJSON_AddNumberToObject(o, "limit", x->record_size_limit);
        break;
    case 41:
        if (is_server)
            cJSON_AddNumberToObject(o, "selected_identity", x->psk_identity);
        else
            cJSON_AddNumberToObject(o, "identities", (double)x->n_psk_identities);
        break;
    case 43:
        if (is_server && x->selected_version)
            cJSON_AddItemToObject(o, "selected_version", n_version(x->selected_version));
        else if (x->has_versions)
            cJSON_AddItemToObject(o, "versions", list_of(x->versions, n_version));
        break;
    case 44: if (x->has_cookie) cJSON_AddNumberToObject(o, "cookie_length", (double)x->cookie.len); break;
    case 45:
        if (x->has_psk_modes) {
            cJSON *a = cJSON_AddArrayToObject(o, "modes");
            for (size_t i = 0; i < x->psk_modes.len; i++)
                cJSON_AddItemToArray(a, named(x->psk_modes.p[i], psk_mode_name(x->psk_modes.p[i]), 0));
        }
        break;
    case 51:
        if (x->has_hrr_group)
            cJSON_AddItemToObject(o, "selected_group", n_group(x->hrr_group));
        else if (x->has_key_share) {
            cJSON *a = cJSON_AddArrayToObject(o, "groups");
            for (size_t i = 0; i < x->n_key_share; i++)
                cJSON_AddItemToArray(a, n_group(x->key_share_group[i]));
        }
        break;
    default: break;
    }
}

static void exts_json(struct dctx *c, cJSON *parent, const struct td_hello_exts *all, int is_server,
                      const char *where)
{
    cJSON *a = cJSON_AddArrayToObject(parent, "extensions");
    struct td_hello_exts *one = malloc(sizeof *one);
    if (!one)
        return;
    for (size_t i = 0; i < all->n_ext; i++) {
        const struct td_ext *x = &all->ext[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "type", n_ext(x->type));
        cJSON_AddNumberToObject(o, "offset", (double)x->off);
        cJSON_AddNumberToObject(o, "length", (double)x->body.len);
        memset(one, 0, sizeof *one);
        struct td_wire_err e = {TD_OK, 0, NULL};
        td_wire_ext_body(x->type, x->body.p, x->body.len, x->off + 4, is_server, one, &e);
        ext_fields(o, x->type, one, is_server);
        if (e.code != TD_OK) {
            cJSON_AddStringToObject(o, "malformed", e.expected ? e.expected : "");
            (void)c; (void)where;     /* the message-level error already lists it */
        }
        cJSON_AddItemToArray(a, o);
    }
    free(one);
    if (all->n_ext_total > all->n_ext)
        cJSON_AddNumberToObject(parent, "extensions_not_kept", (double)(all->n_ext_total - all->n_ext));
    if (all->n_dup)
        cJSON_AddNumberToObject(parent, "duplicate_extensions", all->n_dup);
}

static void client_hello(struct dctx *c, cJSON *m, const struct td_hs_msg *h)
{
    struct td_client_hello *ch = malloc(sizeof *ch);
    if (!ch)
        return;
    struct td_wire_err e = {TD_OK, 0, NULL};
    td_wire_parse_client_hello_ex(h->body.p, h->body.len, h->off + (c->dtls ? 12 : 4), ch, &e);
    cJSON *o = cJSON_AddObjectToObject(m, "client_hello");
    cJSON_AddItemToObject(o, "version", n_version(ch->legacy_version));
    if (ch->random.p)
        add_hex(o, "random", ch->random);
    add_hex(o, "session_id", ch->session_id);
    if (ch->dtls_cookie.p)
        add_hex(o, "cookie", ch->dtls_cookie);
    cJSON_AddItemToObject(o, "cipher_suites", list_of(ch->suites, n_suite));
    cJSON_AddItemToObject(o, "compression_methods", bytes_list(ch->compression));
    exts_json(c, o, &ch->x, 0, "client_hello");
    cJSON_AddBoolToObject(o, "has_server_name", ch->x.has_sni);
    add_error(c, &e, "client_hello");
    free(ch);
}

static void server_hello(struct dctx *c, cJSON *m, const struct td_hs_msg *h)
{
    struct td_server_hello *sh = malloc(sizeof *sh);
    if (!sh)
        return;
    struct td_wire_err e = {TD_OK, 0, NULL};
    td_wire_parse_server_hello_ex(h->body.p, h->body.len, h->off + (c->dtls ? 12 : 4), sh, &e);
    cJSON *o = cJSON_AddObjectToObject(m, "server_hello");
    cJSON_AddItemToObject(o, "version", n_version(sh->legacy_version));
    if (sh->random.p)
        add_hex(o, "random", sh->random);
    cJSON_AddBoolToObject(o, "hello_retry_request", sh->is_hrr);
    add_hex(o, "session_id", sh->session_id);
    cJSON_AddItemToObject(o, "cipher_suite", n_suite(sh->suite));
    cJSON_AddNumberToObject(o, "compression_method", sh->compression);
    exts_json(c, o, &sh->x, 1, "server_hello");
    cJSON_AddItemToObject(o, "negotiated_version", n_version(sh->version));
    if (sh->random.p) {
        c->version = sh->version;
        c->suite = sh->suite;
    }
    add_error(c, &e, "server_hello");
    free(sh);
}

static void add_cert_summary(cJSON *o, const struct td_bytes der)
{
    struct td_x509_summary s;
    enum td_err rc = td_x509_summarise(der.p, der.len, &s);
    if (rc != TD_OK && rc != TD_ERR_TRAILING) {
        cJSON_AddStringToObject(o, "x509_error", "OpenSSL cannot parse this certificate");
        return;
    }
    cJSON_AddStringToObject(o, "subject", s.subject);
    cJSON_AddStringToObject(o, "issuer", s.issuer);
    cJSON_AddStringToObject(o, "subject_alt_names", s.san);
    cJSON_AddStringToObject(o, "not_before", s.not_before);
    cJSON_AddStringToObject(o, "not_after", s.not_after);
    cJSON_AddStringToObject(o, "key_type", s.key_type);
    cJSON_AddNumberToObject(o, "key_bits", s.key_bits);
    if (s.key_curve[0])
        cJSON_AddStringToObject(o, "key_curve", s.key_curve);
    cJSON_AddStringToObject(o, "signature_algorithm", s.sig_alg);
    cJSON_AddBoolToObject(o, "ca", s.is_ca);
    cJSON_AddBoolToObject(o, "self_issued", s.self_issued);
}

static int is_tls13(uint16_t v)
{
    return v == 0x0304 || (v >> 8) == 0x7f;
}

static void certificate(struct dctx *c, cJSON *m, const struct td_hs_msg *h, size_t body_off)
{
    struct td_certificate *ct = malloc(sizeof *ct);
    if (!ct)
        return;
    struct td_wire_err e = {TD_OK, 0, NULL};
    int form = c->version ? is_tls13(c->version) : -1;
    td_wire_parse_certificate(h->body.p, h->body.len, body_off, form, ct, &e);
    cJSON *o = cJSON_AddObjectToObject(m, "certificate");
    cJSON_AddBoolToObject(o, "tls13_form", ct->tls13);
    cJSON_AddNumberToObject(o, "count", (double)ct->n_cert_total);
    cJSON *a = cJSON_AddArrayToObject(o, "certificates");
    for (size_t i = 0; i < ct->n_cert; i++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "offset", (double)ct->cert[i].off);
        cJSON_AddNumberToObject(x, "der_length", (double)ct->cert[i].der.len);
        if (c->certs)
            add_cert_summary(x, ct->cert[i].der);
        cJSON_AddItemToArray(a, x);
    }
    add_error(c, &e, "certificate");
    free(ct);
}

static enum td_ske_kind ske_kind(uint16_t suite)
{
    const struct td_suite *s = suite ? td_reg_suite(suite) : NULL;
    if (!s || !s->kx)
        return TD_SKE_UNKNOWN;
    if (!strncmp(s->kx, "ECDHE", 5))
        return TD_SKE_ECDHE;
    if (!strncmp(s->kx, "DHE", 3))
        return TD_SKE_DHE;
    return TD_SKE_UNKNOWN;
}

static void server_key_exchange(struct dctx *c, cJSON *m, const struct td_hs_msg *h, size_t body_off)
{
    struct td_server_key_exchange k;
    struct td_wire_err e = {TD_OK, 0, NULL};
    int tls12 = c->version ? c->version >= 0x0303 : -1;
    td_wire_parse_server_key_exchange(h->body.p, h->body.len, body_off, ske_kind(c->suite), tls12, &k, &e);
    cJSON *o = cJSON_AddObjectToObject(m, "server_key_exchange");
    cJSON_AddStringToObject(o, "kind", k.kind == TD_SKE_ECDHE ? "ECDHE" : "DHE");
    if (k.kind == TD_SKE_ECDHE) {
        cJSON_AddNumberToObject(o, "curve_type", k.curve_type);
        cJSON_AddItemToObject(o, "group", n_group(k.group));
        cJSON_AddNumberToObject(o, "public_length", (double)k.point.len);
    } else {
        cJSON_AddNumberToObject(o, "dh_p_bits", (double)k.dh_p.len * 8);
        cJSON_AddNumberToObject(o, "dh_g_length", (double)k.dh_g.len);
        cJSON_AddNumberToObject(o, "dh_ys_length", (double)k.dh_ys.len);
    }
    if (k.has_sigalg)
        cJSON_AddItemToObject(o, "signature_algorithm", n_sigalg(k.sigalg));
    cJSON_AddNumberToObject(o, "signature_length", (double)k.signature.len);
    add_error(c, &e, "server_key_exchange");
}

static void cert_request(struct dctx *c, cJSON *m, const struct td_hs_msg *h, size_t body_off)
{
    struct td_cert_request *r = malloc(sizeof *r);
    if (!r)
        return;
    struct td_wire_err e = {TD_OK, 0, NULL};
    int t13 = is_tls13(c->version);
    td_wire_parse_cert_request(h->body.p, h->body.len, body_off, t13, r, &e);
    cJSON *o = cJSON_AddObjectToObject(m, "certificate_request");
    if (t13) {
        cJSON_AddNumberToObject(o, "context_length", (double)r->context.len);
        exts_json(c, o, &r->x, 1, "certificate_request");
    } else {
        cJSON_AddItemToObject(o, "certificate_types", bytes_list(r->cert_types));
    }
    if (r->has_sigalgs)
        cJSON_AddItemToObject(o, "signature_algorithms", list_of(r->sigalgs, n_sigalg));
    cJSON_AddNumberToObject(o, "certificate_authorities", (double)r->n_ca);
    add_error(c, &e, "certificate_request");
    free(r);
}

static void other_message(struct dctx *c, cJSON *m, const struct td_hs_msg *h, size_t body_off)
{
    struct td_wire_err e = {TD_OK, 0, NULL};
    switch (h->type) {
    case TD_HS_NEW_SESSION_TICKET: {
        struct td_new_session_ticket t;
        td_wire_parse_new_session_ticket(h->body.p, h->body.len, body_off, is_tls13(c->version), &t, &e);
        cJSON *o = cJSON_AddObjectToObject(m, "new_session_ticket");
        cJSON_AddNumberToObject(o, "lifetime_hint", t.lifetime);
        cJSON_AddNumberToObject(o, "ticket_length", (double)t.ticket.len);
        add_error(c, &e, "new_session_ticket");
        break;
    }
    case TD_HS_ENCRYPTED_EXTENSIONS: {
        struct td_hello_exts *x = calloc(1, sizeof *x);
        struct td_rd r;
        struct td_rd v;
        if (!x)
            return;
        td_rd_init(&r, h->body.p, h->body.len, body_off);
        cJSON *o = cJSON_AddObjectToObject(m, "encrypted_extensions");
        if (td_wire_vec(&r, 2, 0, 0xffff, &v, &e, "extensions length")) {
            td_wire_parse_exts(v.p, v.left, v.off, 1, x, &e);
            td_wire_end(&r, &e, "end of EncryptedExtensions");
        }
        exts_json(c, o, x, 1, "encrypted_extensions");
        add_error(c, &e, "encrypted_extensions");
        free(x);
        break;
    }
    case TD_HS_CERTIFICATE_VERIFY: {
        struct td_cert_verify v;
        td_wire_parse_cert_verify(h->body.p, h->body.len, body_off, &v, &e);
        cJSON *o = cJSON_AddObjectToObject(m, "certificate_verify");
        cJSON_AddItemToObject(o, "signature_algorithm", n_sigalg(v.sigalg));
        cJSON_AddNumberToObject(o, "signature_length", (double)v.signature.len);
        add_error(c, &e, "certificate_verify");
        break;
    }
    case TD_HS_FINISHED: {
        cJSON *o = cJSON_AddObjectToObject(m, "finished");
        add_hex(o, "verify_data", h->body);
        break;
    }
    case TD_HS_SERVER_HELLO_DONE:
    case TD_HS_HELLO_REQUEST:
        if (h->body.len) {
            e.code = TD_ERR_TRAILING;
            e.off = body_off;
            e.expected = "an empty message body";
            add_error(c, &e, "handshake message");
        }
        break;
    case TD_HS_HELLO_VERIFY_REQUEST: {
        struct td_rd r, v;
        td_rd_init(&r, h->body.p, h->body.len, body_off);
        cJSON *o = cJSON_AddObjectToObject(m, "hello_verify_request");
        cJSON_AddItemToObject(o, "version", n_version(td_rd_u16(&r)));
        if (td_wire_vec(&r, 1, 0, 255, &v, &e, "cookie length"))
            cJSON_AddNumberToObject(o, "cookie_length", (double)v.left);
        add_error(c, &e, "hello_verify_request");
        break;
    }
    default: break;
    }
}

static void handshake_message(struct dctx *c, cJSON *msgs, const struct td_hs_msg *h)
{
    cJSON *m = cJSON_CreateObject();
    size_t body_off = h->off + (c->dtls ? 12 : 4);
    cJSON_AddItemToObject(m, "type", named(h->type, td_reg_hs_type_name(h->type), 0));
    cJSON_AddNumberToObject(m, "offset", (double)h->off);
    cJSON_AddNumberToObject(m, "length", h->length);
    if (h->n_records > 1)
        cJSON_AddNumberToObject(m, "records", (double)h->n_records);
    switch (h->type) {
    case TD_HS_CLIENT_HELLO: client_hello(c, m, h); break;
    case TD_HS_SERVER_HELLO: server_hello(c, m, h); break;
    case TD_HS_CERTIFICATE: certificate(c, m, h, body_off); break;
    case TD_HS_SERVER_KEY_EXCHANGE: server_key_exchange(c, m, h, body_off); break;
    case TD_HS_CERTIFICATE_REQUEST: cert_request(c, m, h, body_off); break;
    default: other_message(c, m, h, body_off); break;
    }
    cJSON_AddItemToArray(msgs, m);
}

/* After a ChangeCipherSpec (TLS 1.2 and earlier) handshake records are encrypted. A record that
 * still parses as exactly one handshake message of a known type is taken as plaintext (TLS 1.3
 * middlebox-compatibility CCS before a second ClientHello). */
static int looks_plain_handshake(const struct td_record *rec)
{
    if (rec->body.len < 4)
        return 0;
    const uint8_t *p = rec->body.p;
    uint32_t len = (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    return td_reg_hs_type_name(p[0]) != NULL && len + 4 == rec->body.len;
}

static void record_handshake(struct dctx *c, cJSON *o, const struct td_record *rec,
                             struct td_hs_reasm *h)
{
    size_t hdr = c->dtls ? TD_WIRE_DTLS_HDR : TD_WIRE_TLS_HDR;
    if ((c->ccs_seen && !is_tls13(c->version) && !looks_plain_handshake(rec)) ||
        (c->dtls && rec->epoch > 0)) {
        cJSON_AddTrueToObject(o, "encrypted");
        return;
    }
    enum td_err rc = td_hs_reasm_add(h, rec->body.p, rec->body.len, rec->off + hdr);
    if (rc != TD_OK) {
        struct td_wire_err e = {rc, rec->off, "handshake messages within tlsdoctor's cap"};
        add_error(c, &e, "handshake reassembly");
        return;
    }
    cJSON *msgs = cJSON_AddArrayToObject(o, "messages");
    struct td_hs_msg m;
    struct td_wire_err e = {TD_OK, 0, NULL};
    int got;
    while ((got = td_hs_reasm_next(h, &m, &e)) != 0) {
        if (got < 0) {
            add_error(c, &e, "handshake reassembly");
            memset(&e, 0, sizeof e);
            continue;
        }
        handshake_message(c, msgs, &m);
    }
    if (td_hs_reasm_pending(h))
        cJSON_AddNumberToObject(o, "handshake_bytes_pending", (double)td_hs_reasm_pending(h));
}

static void record_alert(struct dctx *c, cJSON *o, const struct td_record *rec)
{
    if ((c->ccs_seen && !is_tls13(c->version) && rec->body.len != 2) || (c->dtls && rec->epoch > 0)) {
        cJSON_AddTrueToObject(o, "encrypted");
        return;
    }
    struct td_alert a;
    struct td_wire_err e = {TD_OK, 0, NULL};
    td_wire_parse_alert(rec->body.p, rec->body.len, rec->off + (c->dtls ? TD_WIRE_DTLS_HDR : TD_WIRE_TLS_HDR), &a, &e);
    if (rec->body.len >= 2) {
        cJSON *al = cJSON_AddObjectToObject(o, "alert");
        cJSON_AddItemToObject(al, "level", named(a.level, a.level == 2 ? "fatal" : a.level == 1 ? "warning" : NULL, 0));
        cJSON_AddItemToObject(al, "description", named(a.desc, td_reg_alert_name(a.desc), 0));
    }
    add_error(c, &e, "alert");
}

static void record_body(struct dctx *c, cJSON *o, const struct td_record *rec, struct td_hs_reasm *h)
{
    switch (rec->type) {
    case TD_CT_HANDSHAKE: record_handshake(c, o, rec, h); break;
    case TD_CT_ALERT: record_alert(c, o, rec); break;
    case TD_CT_CHANGE_CIPHER_SPEC:
        if (rec->body.len == 1)
            cJSON_AddNumberToObject(o, "change_cipher_spec", rec->body.p[0]);
        c->ccs_seen = 1;
        break;
    case TD_CT_APPLICATION_DATA: cJSON_AddTrueToObject(o, "encrypted"); break;
    default: break;
    }
}

struct cJSON *td_wire_decode_tree(const uint8_t *p, size_t len,
                                  const struct td_wire_decode_opts *opts, enum td_err *first_err)
{
    struct dctx c;
    memset(&c, 0, sizeof c);
    c.dtls = opts && opts->dtls >= 0 ? opts->dtls : td_wire_sniff_dtls(p, len);
    c.version = opts ? opts->version : 0;
    c.suite = opts ? opts->suite : 0;
    c.certs = opts ? opts->certs : 1;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    cJSON_AddStringToObject(root, "protocol", c.dtls ? "DTLS" : "TLS");
    cJSON_AddNumberToObject(root, "length", (double)len);
    cJSON *recs = cJSON_AddArrayToObject(root, "records");
    c.errors = cJSON_AddArrayToObject(root, "errors");
    struct td_hs_reasm h;
    td_hs_reasm_init(&h, c.dtls, 0);
    size_t pos = 0;
    while (pos < len) {
        struct td_record rec;
        struct td_wire_err e = {TD_OK, 0, NULL};
        enum td_err rc = td_wire_record_next(p, len, &pos, c.dtls, &rec, &e);
        if (rc == TD_ERR_BAD_VALUE) {
            add_error(&c, &e, "record header");
            break;
        }
        if (rc == TD_ERR_TRUNCATED)
            pos = len;                         /* the input ends inside this record */
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "content_type", named(rec.type, td_reg_content_type_name(rec.type), 0));
        cJSON_AddNumberToObject(o, "offset", (double)rec.off);
        cJSON_AddItemToObject(o, "version", n_version(rec.version));
        if (c.dtls) {
            cJSON_AddNumberToObject(o, "epoch", rec.epoch);
            cJSON_AddNumberToObject(o, "sequence", (double)rec.seq);
        }
        cJSON_AddNumberToObject(o, "length", rec.length);
        if (rec.truncated) {
            cJSON_AddTrueToObject(o, "truncated");
            cJSON_AddNumberToObject(o, "bytes_present", (double)rec.body.len);
        }
        cJSON_AddItemToArray(recs, o);
        add_error(&c, &e, "record");
        if (!rec.truncated || rec.type == TD_CT_HANDSHAKE)
            record_body(&c, o, &rec, &h);
    }
    if (td_hs_reasm_pending(&h)) {
        struct td_wire_err e = {TD_ERR_TRUNCATED, len, "the rest of a handshake message"};
        add_error(&c, &e, "handshake reassembly");
    }
    td_hs_reasm_free(&h);
    if (first_err)
        *first_err = c.first;
    return root;
}
