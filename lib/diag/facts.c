/* facts.c -- derives, once per Transcript, the facts the rules reason from: the ClientHello (from
 * its bytes and from level-3 text), the server's answer, alerts, returns, verification flags and
 * record sizes. Records are read through struct td_rd and decoded with the wire layer. */
#include <string.h>
#include <strings.h>
#include <ctype.h>
#include "diag_int.h"
#include "tlsdoctor/mbedtls.h"
#include "util/rd.h"

int dx_list_has(const struct dx_list *l, uint16_t v)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i] == v)
            return 1;
    return 0;
}

static void list_add(struct dx_list *l, uint16_t v, const struct td_event *ev)
{
    if (dx_list_has(l, v) || l->n == DX_MAX_LIST)
        return;
    if (!l->ev)
        l->ev = ev;
    l->v[l->n++] = v;
}

static void list_from_u16(struct dx_list *l, struct td_u16_list src, const struct td_event *ev)
{
    for (size_t i = 0; i < src.n; i++)
        list_add(l, td_u16_at(src, i), ev);
}

static const char *ci_strstr(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!n)
        return hay;
    /* strncasecmp only where the first letter matches: most positions are rejected by one compare */
    char lo = (char)tolower((unsigned char)needle[0]), up = (char)toupper((unsigned char)needle[0]);
    for (; *hay; hay++)
        if ((*hay == lo || *hay == up) && !strncasecmp(hay, needle, n))
            return hay;
    return NULL;
}

const struct td_event *dx_find_text(const struct dx_facts *fx, const char *needle)
{
    for (size_t i = 0; i < fx->t->n_ev; i++) {
        const struct td_event *e = &fx->t->ev[i];
        if (e->text && ci_strstr(e->text, needle))
            return e;
    }
    return NULL;
}

const struct td_event *dx_find_fact(const struct dx_facts *fx, enum td_fact fact)
{
    for (size_t i = 0; i < fx->t->n_ev; i++) {
        const struct td_event *e = &fx->t->ev[i];
        if (e->kind == TD_EV_FACT && e->fact == fact)
            return e;
    }
    return NULL;
}

const struct td_event *dx_find_ret(const struct dx_facts *fx, int64_t code)
{
    for (size_t i = 0; i < fx->t->n_ev; i++) {
        const struct td_event *e = &fx->t->ev[i];
        if (e->kind == TD_EV_RETURN && e->code == code && !(e->flags & TD_EVF_SOFT))
            return e;
    }
    return NULL;
}

int dx_failed_with(const struct dx_facts *fx, int64_t code)
{
    if (fx->hs_failed && fx->hs_ret == code)
        return 1;
    return dx_find_ret(fx, code) != NULL;
}

const struct td_event *dx_failed_ev(const struct dx_facts *fx, int64_t code)
{
    if (!code)
        return NULL;
    const struct td_event *e = dx_find_ret(fx, code);
    if (e)
        return e;
    return fx->hs_failed && fx->hs_ret == code ? (fx->hs_ret_ev ? fx->hs_ret_ev : fx->fail_ret) : NULL;
}

const struct td_event *dx_find_refusal(const struct dx_facts *fx, enum td_refusal why)
{
    for (size_t i = 0; i < fx->t->n_ev; i++) {
        const struct td_event *e = &fx->t->ev[i];
        if (e->kind == TD_EV_FACT && e->fact == TD_FACT_REFUSAL && e->code == why)
            return e;
    }
    return NULL;
}

int64_t dx_err_code(const char *name)
{
    const struct td_mbedtls_err *e = td_mbedtls_err_by_name(name);
    return e ? e->code : 0;
}

enum td_severity dx_refusal_sev(const struct dx_facts *fx)
{
    return fx->hs_done && !fx->hs_failed ? TD_SEV_WARNING : TD_SEV_ERROR;
}

int dx_answer_before(const struct dx_facts *fx, const struct td_event *ev)
{
    return fx->server_answered && (!ev || fx->answer_ev <= ev);
}

/* A handshake record: its content type, and the first handshake message's type and body. */
struct hs_view {
    uint8_t ct;
    uint16_t rec_len;
    int has_msg;
    uint8_t hs_type;
    uint32_t msg_len;         /* the handshake header's length field */
    const uint8_t *body;
    size_t body_len;
};

static int record_view(const struct td_event *e, struct hs_view *v)
{
    memset(v, 0, sizeof *v);
    if (!e->data || e->len < 5)
        return 0;
    struct td_rd r;
    td_rd_init(&r, e->data, e->len, 0);
    v->ct = td_rd_u8(&r);
    (void)td_rd_u16(&r);
    v->rec_len = td_rd_u16(&r);
    if (r.err || v->ct < 20 || v->ct > 24)
        return 0;
    if (v->ct == 22 && r.left >= 4) {
        v->hs_type = td_rd_u8(&r);
        size_t hlen = td_rd_u24(&r);
        v->msg_len = (uint32_t)hlen;
        v->has_msg = 1;
        v->body = r.p;
        v->body_len = hlen < r.left ? hlen : r.left;  /* a truncated dump gives what is there */
    }
    return 1;
}

static void from_client_hello(struct dx_facts *fx, const struct td_event *e, const struct hs_view *v)
{
    size_t off = 0;
    memset(&fx->ch, 0, sizeof fx->ch);
    enum td_err err = td_wire_parse_client_hello(v->body, v->body_len, &fx->ch, &off);
    /* What was decoded before an error stays usable; a ClientHello cut short still has its suites. */
    if (err != TD_OK && fx->ch.suites.n == 0)
        return;
    fx->has_ch = 1;
    fx->ch_ev = e;
    fx->ch_sent_ev = e;
    list_from_u16(&fx->suites, fx->ch.suites, e);
    if (err == TD_OK) {
        fx->exts_known = 1;
        if (fx->ch.x.has_sni) {
            fx->sni_sent = 1;
            fx->sni_ev = e;
        }
    }
    if (fx->ch.x.has_groups)
        list_from_u16(&fx->groups, fx->ch.x.groups, e);
    if (fx->ch.x.has_sigalgs)
        list_from_u16(&fx->sigalgs, fx->ch.x.sigalgs, e);
    if (fx->ch.x.has_versions) {
        for (size_t i = 0; i < fx->ch.x.versions.n; i++) {
            uint16_t ver = td_u16_at(fx->ch.x.versions, i);
            if (ver == 0x0304)
                fx->offers_tls13 = 1;
            if ((ver >> 8) == 3 && ver > fx->max_version)
                fx->max_version = ver;
        }
    } else if (fx->ch.legacy_version > fx->max_version) {
        fx->max_version = fx->ch.legacy_version;
    }
    if (fx->ch.x.has_mfl && fx->ch.x.mfl >= 1 && fx->ch.x.mfl <= 4) {
        fx->mfl_asked = 1;
        fx->mfl_bytes = 256u << fx->ch.x.mfl;
        fx->mfl_ev = e;
    }
    if (fx->ch.random.p && fx->ch.random.len >= 4 && !fx->time_from_random) {
        const uint8_t *p = fx->ch.random.p;
        fx->has_time = 1;
        fx->time_from_random = 1;
        fx->gmt_time = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        fx->time_ev = e;
    }
}

static void from_server_hello(struct dx_facts *fx, const struct td_event *e, const struct hs_view *v)
{
    size_t off = 0;
    memset(&fx->sh, 0, sizeof fx->sh);
    if (td_wire_parse_server_hello(v->body, v->body_len, &fx->sh, &off) != TD_OK)
        return;
    fx->has_sh = 1;
    fx->sh_ev = e;
    if (!fx->has_chosen_suite) {
        fx->has_chosen_suite = 1;
        fx->chosen_suite = fx->sh.suite;
    }
    if (!fx->has_chosen_version && !fx->sh.is_hrr) {
        fx->has_chosen_version = 1;
        fx->chosen_version = fx->sh.version;
    }
    if (fx->sh.x.has_key_share && fx->sh.x.key_share_groups.n && !fx->sh.is_hrr) {
        fx->has_chosen_group = 1;
        fx->chosen_group = td_u16_at(fx->sh.x.key_share_groups, 0);
    }
}

static void mark_answer(struct dx_facts *fx, const struct td_event *e)
{
    if (!fx->server_answered) {
        fx->server_answered = 1;
        fx->answer_ev = e;
    }
}

/* An empty client Certificate: TLS 1.2 body 00 00 00, TLS 1.3 body 00 00 00 00. */
static int empty_certificate(const struct hs_view *v)
{
    static const uint8_t zero[4] = {0, 0, 0, 0};
    return (v->body_len == 3 || v->body_len == 4) && !memcmp(v->body, zero, v->body_len);
}

static const uint8_t *find_bytes(const uint8_t *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; k && i + k <= n; i++)
        if (!memcmp(hay + i, needle, k))
            return hay + i;
    return NULL;
}

/* The signature algorithm of a TLS 1.2 ECDHE ServerKeyExchange (named curve form):
 * curve_type 3, group, point<1..255>, then SignatureAndHashAlgorithm. Other forms are skipped. */
static void ske_sigalg(struct dx_facts *fx, const struct td_event *e, const struct hs_view *v)
{
    if (!v->body || !fx->has_chosen_version || fx->chosen_version != 0x0303)
        return;
    struct td_rd r;
    td_rd_init(&r, v->body, v->body_len, 0);
    if (td_rd_u8(&r) != 3)
        return;
    (void)td_rd_u16(&r);
    td_rd_skip(&r, td_rd_u8(&r));
    uint16_t alg = td_rd_u16(&r);
    if (r.err)
        return;
    fx->has_ske_sigalg = 1;
    fx->ske_sigalg = alg;
    fx->ske_ev = e;
}

/* The first certificate of the server's Certificate message (a TLS 1.2 list, or TLS 1.3 with
 * its request context first), when the whole of it is in this record. */
static void leaf_certificate(struct dx_facts *fx)
{
    struct td_rd r;
    td_rd_init(&r, fx->cert_msg, fx->cert_msg_len, 0);
    if (fx->has_chosen_version && fx->chosen_version == 0x0304)
        td_rd_skip(&r, td_rd_u8(&r));
    (void)td_rd_u24(&r);    /* the list's length: the record may hold only its start */
    uint32_t n = td_rd_u24(&r);
    const uint8_t *der = td_rd_bytes(&r, n);
    if (r.err || !der || n == 0 || td_x509_summarise(der, n, &fx->leaf) != TD_OK)
        return;
    fx->has_leaf = 1;
    fx->leaf_der = der;
    fx->leaf_der_len = n;
    fx->leaf_ev = fx->cert_msg_ev;
}

/* Follows the server's handshake messages across its plaintext records: 1 if this record begins
 * inside a message that an earlier record began. */
static int continues_message(struct dx_facts *fx, const struct td_event *e, const struct hs_view *v)
{
    size_t body = v->rec_len, pos = 0;
    int cont = 0;
    if (fx->srv_hs_left) {
        pos = fx->srv_hs_left < body ? fx->srv_hs_left : body;
        fx->srv_hs_left -= pos;
        cont = 1;
    }
    struct td_rd r;
    td_rd_init(&r, e->data + 5, e->len - 5 < body ? e->len - 5 : body, 0);
    td_rd_skip(&r, pos);
    while (r.left >= 4 && !r.err) {
        (void)td_rd_u8(&r);
        size_t n = td_rd_u24(&r);
        pos += 4;
        size_t here = body - pos < n ? body - pos : n;
        pos += here;
        td_rd_skip(&r, here < r.left ? here : r.left);
        fx->srv_hs_left = n - here;
    }
    if (cont && !fx->srv_cont)
        fx->srv_cont = e;
    return cont;
}

/* A TLS 1.2 CertificateRequest: certificate_types<1..255>, supported_signature_algorithms
 * <2..2^16-2>, certificate_authorities<0..2^16-1>. A server that lists CAs is set up to verify
 * client certificates. */
static void request_cas(struct dx_facts *fx, const struct hs_view *v)
{
    if (!fx->has_chosen_version || fx->chosen_version != 0x0303)
        return;
    struct td_rd r;
    td_rd_init(&r, v->body, v->body_len, 0);
    td_rd_skip(&r, td_rd_u8(&r));
    td_rd_skip(&r, td_rd_u16(&r));
    uint16_t cas = td_rd_u16(&r);
    if (!r.err)
        fx->cert_request_cas = cas;
}

static void on_record(struct dx_facts *fx, const struct td_event *e)
{
    struct hs_view v;
    if (!record_view(e, &v))
        return;
    if (e->from == TD_ACTOR_SERVER && v.ct == 20)
        fx->srv_ccs = 1;
    if (e->from == TD_ACTOR_SERVER && v.ct == 22 && !fx->srv_ccs && continues_message(fx, e, &v))
        v.has_msg = 0;   /* its first bytes are the middle of a message, not a header */
    if (e->from == TD_ACTOR_SERVER) {
        if (!fx->srv_first_rec)
            fx->srv_first_rec = e;
        if (v.ct == 23 && !fx->srv_first_enc)
            fx->srv_first_enc = e;
        if (v.rec_len > fx->max_srv_record) {
            fx->max_srv_record = v.rec_len;
            fx->max_srv_record_ev = e;
        }
        if (v.ct != 21)
            mark_answer(fx, e);
        if (v.has_msg && v.msg_len > fx->max_srv_hs_msg && v.hs_type <= 24) {
            fx->max_srv_hs_msg = v.msg_len;
            fx->max_srv_hs_type = v.hs_type;
            fx->max_srv_hs_ev = e;
        }
        if (v.has_msg && v.hs_type == 2 && !fx->has_sh)
            from_server_hello(fx, e, &v);
        if (v.has_msg && v.hs_type == 12 && !fx->has_ske_sigalg)
            ske_sigalg(fx, e, &v);
        if (v.has_msg && v.hs_type == 11 && !fx->cert_msg_ev) {
            fx->cert_msg = v.body;
            fx->cert_msg_len = v.body_len;
            fx->cert_msg_ev = e;
        }
        if (v.has_msg && v.hs_type == 13 && !fx->cert_request)
            request_cas(fx, &v);
        if (v.has_msg && v.hs_type == 13 && !fx->cert_request) {
            fx->cert_request = 1;
            fx->cert_request_ev = e;
        }
        /* Plaintext application data (a decrypted dump): nginx's answer to a missing certificate. */
        if (v.ct == 23 && !fx->http_refusal_ev && e->len > 5 &&
            find_bytes(e->data + 5, e->len - 5, "No required SSL certificate"))
            fx->http_refusal_ev = e;
    } else if (e->from == TD_ACTOR_CLIENT) {
        if (v.ct == 21)
            fx->cli_closed = 1;
        if (v.has_msg && v.hs_type == 1 && !fx->has_ch)
            from_client_hello(fx, e, &v);
        if (v.has_msg && v.hs_type == 11 && empty_certificate(&v) && !fx->empty_cert_ev)
            fx->empty_cert_ev = e;
    }
}

/* Level-3 extension lines name extensions in Mbed TLS's words; server_name is what matters. */
static void on_ext_fact(struct dx_facts *fx, const struct td_event *e)
{
    fx->exts_known = 1;
    if (e->code == 0 || (e->text && (ci_strstr(e->text, "server_name") ||
                                      ci_strstr(e->text, "server name")))) {
        fx->sni_sent = 1;
        if (!fx->sni_ev)
            fx->sni_ev = e;
    }
    if (e->code == 1 || (e->text && ci_strstr(e->text, "max_fragment_length"))) {
        fx->mfl_asked = 1;
        if (!fx->mfl_ev)
            fx->mfl_ev = e;
    }
    if (!fx->ch_sent_ev)
        fx->ch_sent_ev = e;
}

static void on_fact_hello(struct dx_facts *fx, const struct td_event *e)
{
    uint16_t v = (uint16_t)e->code;
    if (e->fact == TD_FACT_OFFERED_SUITE) {
        list_add(&fx->suites, v, e);
    } else if (e->fact == TD_FACT_GROUP) {
        list_add(&fx->groups, v, e);
    } else if (e->fact == TD_FACT_SIGALG) {
        list_add(&fx->sigalgs, v, e);
    } else if (e->fact == TD_FACT_EXT_ADDED) {
        on_ext_fact(fx, e);
    } else if (e->fact == TD_FACT_MAX_VERSION) {
        if (v > fx->max_version)
            fx->max_version = v;
        if (v >= 0x0304)
            fx->offers_tls13 = 1;
    } else if (e->fact == TD_FACT_MIN_VERSION) {
        if (!fx->min_version || v < fx->min_version)
            fx->min_version = v;
    } else if (e->fact == TD_FACT_HOSTNAME) {
        if (!fx->hostname) {
            fx->hostname = e->text;
            fx->hostname_ev = e;
        }
    } else if (e->fact == TD_FACT_CLIENT_TIME) {
        if (!fx->has_time && e->code >= 0 && e->code <= 0xffffffffLL) {
            fx->has_time = 1;
            fx->gmt_time = (uint32_t)e->code;
            fx->time_ev = e;
        }
    } else if (e->fact == TD_FACT_MFL) {
        fx->mfl_asked = 1;
        fx->mfl_bytes = (unsigned)e->code;
        fx->mfl_ev = e;
    }
}

/* An if-chain, not a switch: facts are added to the enum over time and this reads only some. */
static void on_fact(struct dx_facts *fx, const struct td_event *e)
{
    uint16_t v = (uint16_t)e->code;
    on_fact_hello(fx, e);
    if (e->fact == TD_FACT_IN_BUFFER) {
        fx->in_buffer = (long)e->code;
        fx->in_buffer_ev = e;
    } else if (e->fact == TD_FACT_CHOSEN_SUITE) {
        fx->has_chosen_suite = 1;
        fx->chosen_suite = v;
        mark_answer(fx, e);
    } else if (e->fact == TD_FACT_CHOSEN_VERSION) {
        fx->has_chosen_version = 1;
        fx->chosen_version = v;
        mark_answer(fx, e);
    } else if (e->fact == TD_FACT_CHOSEN_GROUP) {
        fx->has_chosen_group = 1;
        fx->chosen_group = v;
    } else if (e->fact == TD_FACT_SOURCE_TIME) {
        if (!fx->source_time_ev && e->code > 0) {
            fx->source_time = e->code;
            fx->source_time_ev = e;
        }
    } else if (e->fact == TD_FACT_RECORD_LEN) {
        if (e->code > fx->max_srv_record) {
            fx->max_srv_record = (uint32_t)e->code;
            fx->max_srv_record_ev = e;
        }
    }
}

static int is_soft_ret(int64_t c)
{
    /* close_notify ends a connection normally; the peer-closed rule looks at it on its own */
    return c == DX_ERR_SSL_WANT_READ || c == DX_ERR_SSL_WANT_WRITE || c >= 0 ||
           c == DX_ERR_SSL_PEER_CLOSE_NOTIFY ||
           c == -0x6500 /* ASYNC_IN_PROGRESS */ || c == -0x7000 /* CRYPTO_IN_PROGRESS */;
}

static void on_return(struct dx_facts *fx, const struct td_event *e)
{
    if (e->code == DX_ERR_SSL_WANT_READ)
        fx->n_want_read++;
    /* the reader marks what Mbed TLS carries on after at that point (TD_EVF_SOFT) */
    if (is_soft_ret(e->code) || (e->flags & TD_EVF_SOFT))
        return;
    if (!fx->fail_ret)
        fx->fail_ret = e;
    fx->last_ret = e;
    if (e->text && (strstr(e->text, "ssl_read") || strstr(e->text, "ssl_write")) &&
        !strstr(e->text, "read_record"))
        fx->failed_after_hs = 1;
}

/* Text that only some logs have, recognised wherever the reader put it. */
static void on_text(struct dx_facts *fx, const struct td_event *e)
{
    const char *s = e->text;
    if (ci_strstr(s, "ClientHello: server_name(0) extension exists")) {
        fx->sni_sent = 1;
        fx->exts_known = 1;
        fx->sni_ev = e;
    } else if (ci_strstr(s, "ClientHello: server_name(0) extension does not exist")) {
        fx->exts_known = 1;
    } else if (ci_strstr(s, "adding server name extension") ||
               ci_strstr(s, "adding server_name extension")) {
        fx->sni_sent = 1;
        fx->exts_known = 1;
        if (!fx->sni_ev)
            fx->sni_ev = e;
    }
    if (ci_strstr(s, "adding max_fragment_length extension") && !fx->mfl_asked) {
        fx->mfl_asked = 1;
        fx->mfl_ev = e;
    }
    if (ci_strstr(s, "got a certificate request") || ci_strstr(s, "parse certificate request")) {
        if (!fx->cert_request && (e->kind != TD_EV_STEP || e->a == 0) &&
            !ci_strstr(s, "skip parse")) {
            fx->cert_request = 1;
            fx->cert_request_ev = e;
        }
    }
    if (ci_strstr(s, "parse server hello") && e->kind == TD_EV_STEP && e->a == 0)
        mark_answer(fx, e);
    if (ci_strstr(s, "server hello, chosen ciphersuite") || ci_strstr(s, "server hello, version") ||
        ci_strstr(s, "dumping 'server hello, random bytes'"))
        mark_answer(fx, e);
    /* "[ Maximum incoming record payload length is 4096 ]" (3.x), "input fragment length" (2.x). */
    static const char *const in_len[] = {"Maximum incoming record payload length is ",
                                         "Maximum input fragment length is "};
    const char *m = NULL;
    for (size_t k = 0; !m && k < sizeof in_len / sizeof in_len[0]; k++)
        if ((m = ci_strstr(s, in_len[k])) != NULL)
            m += strlen(in_len[k]);   /* matched case-insensitively: skip by the length */
    if (m && fx->in_buffer < 0) {
        const char *d = m;
        long n = 0;
        while (isdigit((unsigned char)*d) && n < 1000000)
            n = n * 10 + (*d++ - '0');
        if (n > 0) {
            fx->in_buffer = n;
            fx->in_buffer_ev = e;
        }
    }
}

/* FIN and RST as a capture reports them (flags, not text). */
static void on_transport(struct dx_facts *fx, const struct td_event *e)
{
    int srv = e->from == TD_ACTOR_SERVER, cli = e->from == TD_ACTOR_CLIENT;
    const struct td_event **slot = NULL;
    if (e->flags & TD_EVF_TCP_FIN)
        slot = srv ? &fx->srv_fin_ev : cli ? &fx->cli_fin_ev : NULL;
    else if (e->flags & TD_EVF_TCP_RST)
        slot = srv ? &fx->srv_rst_ev : cli ? &fx->cli_rst_ev : NULL;
    if (slot && !*slot)
        *slot = e;
    if ((e->flags & TD_EVF_TCP_REFUSED) && !fx->refused_ev)
        fx->refused_ev = e;
}

static void on_event(struct dx_facts *fx, const struct td_event *e)
{
    switch (e->kind) {
    case TD_EV_RECORD: on_record(fx, e); break;
    case TD_EV_ALERT:
        if (e->from == TD_ACTOR_SERVER && e->a == DX_ALERT_LEVEL_FATAL && !fx->srv_alert)
            fx->srv_alert = e;
        if (e->from == TD_ACTOR_SERVER && e->a == 1 && !fx->srv_warn)
            fx->srv_warn = e;
        if (e->from == TD_ACTOR_CLIENT && e->a == DX_ALERT_LEVEL_FATAL && !fx->cli_alert)
            fx->cli_alert = e;
        if (e->from == TD_ACTOR_CLIENT)
            fx->cli_closed = 1;
        break;
    case TD_EV_RETURN: on_return(fx, e); break;
    case TD_EV_VERIFY:
        /* every flag set: the verification ended in a fatal error (x509_crt.c sets *flags to -1),
         * which says nothing of any one flag */
        if ((uint32_t)e->code == 0xffffffffu) {
            if (!fx->verify_fatal_ev)
                fx->verify_fatal_ev = e;
        } else if (e->code > 0) {
            fx->verify_flags |= (unsigned)e->code;
            if (!fx->verify_ev)
                fx->verify_ev = e;
        }
        break;
    case TD_EV_FACT: on_fact(fx, e); break;
    case TD_EV_STEP:
        if (e->text && e->a == 1 && strstr(e->text, "write client hello") && !fx->ch_sent_ev)
            fx->ch_sent_ev = e;
        break;
    case TD_EV_MESSAGE: on_transport(fx, e); break;
    case TD_EV_STATE: case TD_EV_IO:
        break;
    }
    if (e->text)
        on_text(fx, e);
}

/* Where extension type sits in the ClientHello, or -1. */
static int ext_pos(const struct td_hello_exts *x, uint16_t type)
{
    for (size_t i = 0; i < x->n_ext; i++)
        if (x->ext[i].type == type)
            return (int)i;
    return -1;
}

/* Mbed TLS writes supported_groups (10) before ec_point_formats (11), and before supported_groups
 * either signature_algorithms (13, 2.x) or supported_versions (43, 3.x); OpenSSL, GnuTLS and Go
 * order them otherwise. The client's alert and its random mean what Mbed TLS makes them mean only
 * for such a client. */
static int looks_like_mbedtls(const struct dx_facts *fx)
{
    if (!fx->has_ch || fx->ch.x.n_ext != fx->ch.x.n_ext_total)
        return 0;
    const struct td_hello_exts *x = &fx->ch.x;
    int groups = ext_pos(x, 10), formats = ext_pos(x, 11), sigalgs = ext_pos(x, 13),
        versions = ext_pos(x, 43);
    if (groups < 0 || (formats >= 0 && formats < groups))
        return 0;
    if (versions >= 0)
        return versions < groups ? 3 : 0;
    return sigalgs >= 0 && sigalgs < groups ? 2 : 0;
}

/* The ClientHello's host_name as text: printable ASCII only, or "" when it has none. */
static void sni_text(struct dx_facts *fx)
{
    fx->sni_name[0] = '\0';
    if (!fx->has_ch || !fx->ch.x.has_sni || !fx->ch.x.sni.p)
        return;
    size_t n = fx->ch.x.sni.len;
    if (n == 0 || n >= sizeof fx->sni_name)
        return;
    for (size_t i = 0; i < n; i++)
        if (fx->ch.x.sni.p[i] <= ' ' || fx->ch.x.sni.p[i] > '~')
            return;
    memcpy(fx->sni_name, fx->ch.x.sni.p, n);
    fx->sni_name[n] = '\0';
}

void dx_facts_build(struct dx_facts *fx, const struct td_transcript *t, int major)
{
    memset(fx, 0, sizeof *fx);
    fx->t = t;
    fx->major = major;
    fx->in_buffer = -1;
    for (size_t i = 0; i < t->n_ev; i++)
        on_event(fx, &t->ev[i]);
    sni_text(fx);
    /* The certificate matters only to a refusal; parsing it (OpenSSL) for every attempt of a long
     * log would cost more than the rest of the facts together. */
    if (fx->cert_msg_ev && fx->cli_alert)
        leaf_certificate(fx);
    fx->client_lib = t->origin == TD_ORIGIN_CAPTURE ? looks_like_mbedtls(fx) : major;
    if (!fx->hostname && fx->sni_name[0]) {
        fx->hostname = fx->sni_name;
        fx->hostname_ev = fx->ch_ev;
    }
    if (fx->hostname && !fx->sni_sent && !fx->exts_known) {
        /* A host name was set; Mbed TLS sends it as SNI whenever SNI support is compiled in. */
        fx->sni_sent = 1;
        fx->sni_ev = fx->hostname_ev;
    }
    if (t->handshake_ret_known) {
        fx->hs_ret = t->handshake_ret;
        fx->hs_done = t->handshake_ret == 0;
        fx->hs_failed = t->handshake_ret != 0;
        for (size_t i = t->n_ev; i-- > 0;) {
            const struct td_event *e = &t->ev[i];
            if (e->kind == TD_EV_RETURN && e->code == t->handshake_ret) {
                fx->hs_ret_ev = e;
                break;
            }
        }
        for (size_t i = 0; !fx->hs_ret_ev && t->handshake_ret_line && i < t->n_ev; i++)
            if (t->ev[i].line == t->handshake_ret_line) {
                fx->hs_end_ev = &t->ev[i];
                break;
            }
    } else if (fx->fail_ret) {
        fx->hs_failed = 1;
        fx->hs_ret = fx->last_ret->code;
        fx->hs_ret_ev = fx->last_ret;
    }
    if (fx->hs_done && fx->fail_ret)
        fx->failed_after_hs = 1;
    dx_capture_facts(fx);
}
