/* timeline.c -- one attempt's Transcript as a readable timeline: what was sent and received, in
 * order, decoded with the wire layer, each step with the log lines it came from. Works on any
 * Transcript (a capture's too); the diagnosis prints its findings above it. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "tlsdoctor/mbedlog.h"
#include "tlsdoctor/mbedtls.h"
#include "tlsdoctor/reg.h"
#include "tlsdoctor/wire.h"
#include "mbedlog_int.h"

struct tl {
    const struct td_transcript *t;
    struct td_buf *out;
    unsigned flags;
    int ccs_seen[3];        /* by actor: ChangeCipherSpec sent, later handshake records are encrypted */
    int tls13;              /* a TLS 1.3 ServerHello was seen */
};

static const char *arrow(const struct tl *tl, enum td_actor from)
{
    int ascii = (tl->flags & TD_TIMELINE_ASCII) != 0;
    if (from == TD_ACTOR_CLIENT)
        return ascii ? "->" : "\xe2\x86\x92";
    if (from == TD_ACTOR_SERVER)
        return ascii ? "<-" : "\xe2\x86\x90";
    return ascii ? "  " : " ";
}

static void lines(struct tl *tl, const struct td_event *e)
{
    char b[32];
    if (!e->line)
        snprintf(b, sizeof b, "[-]");
    else if (e->line_end > e->line)
        snprintf(b, sizeof b, "[L%u-%u]", (unsigned)e->line, (unsigned)e->line_end);
    else
        snprintf(b, sizeof b, "[L%u]", (unsigned)e->line);
    td_buf_printf(tl->out, "  %-13s ", b);
}

static void put_code(struct td_buf *out, int64_t code)
{
    if (code < 0)
        td_buf_printf(out, "-0x%04llx", (unsigned long long)-code);
    else
        td_buf_printf(out, "%lld", (long long)code);
}

/* "-0x7780 (MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE)" */
static void put_err(struct td_buf *out, int64_t code, int major)
{
    put_code(out, code);
    if (code >= 0 || code < -0xffff)
        return;
    unsigned line = major == 2 ? TD_MBEDTLS_2X : major == 3 ? TD_MBEDTLS_3X : 0;
    const struct td_mbedtls_err *e = td_mbedtls_err_lookup((int)code, line);
    if (e && e->name)
        td_buf_printf(out, " (%s)", e->name);
}

static const char *ext_name(uint16_t id)
{
    const char *n = td_reg_ext_name(id);
    return n ? n : "unknown";
}

static void put_exts(struct td_buf *out, const struct td_hello_exts *x)
{
    td_buf_puts(out, "extensions [");
    for (size_t i = 0; i < x->n_ext; i++)
        td_buf_printf(out, "%s%s", i ? ", " : "", ext_name(x->ext[i].type));
    if (x->n_ext_total > x->n_ext)
        td_buf_printf(out, ", ... (%zu in all)", x->n_ext_total);
    td_buf_puts(out, "]");
}

static void client_hello(struct tl *tl, const uint8_t *body, size_t len)
{
    struct td_client_hello ch;
    struct td_wire_err err = {TD_OK, 0, NULL};
    memset(&ch, 0, sizeof ch);
    enum td_err e = td_wire_parse_client_hello_ex(body, len, 0, &ch, &err);
    uint16_t maxv = ch.legacy_version;
    for (size_t i = 0; ch.x.has_versions && i < ch.x.versions.n; i++) {
        uint16_t v = td_u16_at(ch.x.versions, i);
        if (!td_reg_is_grease(v) && v > maxv)
            maxv = v;
    }
    const char *vn = td_reg_version_name(maxv);
    size_t scsv = 0;
    for (size_t i = 0; i < ch.suites.n; i++)
        if (td_u16_at(ch.suites, i) == 0x00ff || td_u16_at(ch.suites, i) == 0x5600)
            scsv++;
    td_buf_printf(tl->out, "ClientHello %s, %zu suites", vn ? vn : "?", ch.suites.n - scsv);
    if (scsv)
        td_buf_puts(tl->out, " (+SCSV)");
    td_buf_puts(tl->out, " [");
    size_t shown = 0;
    for (size_t i = 0; i < ch.suites.n && shown < 8; i++) {
        uint16_t s = td_u16_at(ch.suites, i);
        if (s == 0x00ff || s == 0x5600)
            continue;
        td_buf_printf(tl->out, "%s%04x", shown++ ? " " : "", s);
    }
    if (ch.suites.n - scsv > shown)
        td_buf_puts(tl->out, " ...");
    td_buf_puts(tl->out, "], ");
    put_exts(tl->out, &ch.x);
    if (ch.x.has_sni) {
        td_buf_puts(tl->out, ", SNI \"");
        for (size_t i = 0; i < ch.x.sni.len && i < 255; i++) {
            uint8_t c = ch.x.sni.p[i];
            td_buf_putc(tl->out, c >= 0x20 && c < 0x7f && c != '"' ? (char)c : '?');
        }
        td_buf_putc(tl->out, '"');
    } else {
        td_buf_puts(tl->out, ", no SNI");
    }
    if (ch.x.has_mfl && ch.x.mfl >= 1 && ch.x.mfl <= 4)
        td_buf_printf(tl->out, ", max_fragment_length %u", 256u << ch.x.mfl);
    else if (ch.x.has_mfl)
        td_buf_printf(tl->out, ", max_fragment_length code %u (invalid)", ch.x.mfl);
    if (e != TD_OK)
        td_buf_printf(tl->out, " (decoding stopped at byte %zu: %s)", err.off,
                      err.expected ? err.expected : td_strerror(e));
}

static void server_hello(struct tl *tl, const uint8_t *body, size_t len)
{
    struct td_server_hello sh;
    struct td_wire_err err = {TD_OK, 0, NULL};
    memset(&sh, 0, sizeof sh);
    enum td_err e = td_wire_parse_server_hello_ex(body, len, 0, &sh, &err);
    const char *vn = td_reg_version_name(sh.version);
    const char *sn = td_reg_suite_name(sh.suite);
    if (sh.version == 0x0304)
        tl->tls13 = 1;
    td_buf_printf(tl->out, "%s %s, suite %s (0x%04x), ", sh.is_hrr ? "HelloRetryRequest" : "ServerHello",
                  vn ? vn : "?", sn ? sn : "unknown", sh.suite);
    put_exts(tl->out, &sh.x);
    if (sh.x.has_key_share && sh.x.key_share_groups.n) {
        const char *g = td_reg_group_name(td_u16_at(sh.x.key_share_groups, 0));
        td_buf_printf(tl->out, ", key share %s", g ? g : "?");
    }
    if (e != TD_OK)
        td_buf_printf(tl->out, " (decoding stopped at byte %zu: %s)", err.off,
                      err.expected ? err.expected : td_strerror(e));
}

static void hs_message(struct tl *tl, const struct td_hs_msg *m)
{
    const char *n = td_reg_hs_type_name(m->type);
    switch (m->type) {
    case TD_HS_CLIENT_HELLO:
        client_hello(tl, m->body.p, m->body.len);
        return;
    case TD_HS_SERVER_HELLO:
        server_hello(tl, m->body.p, m->body.len);
        return;
    case TD_HS_CERTIFICATE: {
        struct td_certificate c;
        memset(&c, 0, sizeof c);
        if (td_wire_parse_certificate(m->body.p, m->body.len, 0, tl->tls13 ? 1 : -1, &c, NULL) == TD_OK ||
            c.n_cert_total)
            td_buf_printf(tl->out, "Certificate (%zu certificate%s, %u bytes)", c.n_cert_total,
                          c.n_cert_total == 1 ? "" : "s", (unsigned)m->length);
        else
            td_buf_printf(tl->out, "Certificate (%u bytes)", (unsigned)m->length);
        return;
    }
    case TD_HS_CERTIFICATE_REQUEST:
        td_buf_printf(tl->out, "CertificateRequest (%u bytes)", (unsigned)m->length);
        return;
    default:
        if (n)
            td_buf_printf(tl->out, "%s (%u bytes)", n, (unsigned)m->length);
        else
            td_buf_printf(tl->out, "handshake message type %u (%u bytes)", m->type, (unsigned)m->length);
        return;
    }
}

static void hs_message_joined(void *ctx, const struct td_hs_msg *m, int i)
{
    struct tl *tl = ctx;
    if (i)
        td_buf_puts(tl->out, " + ");
    hs_message(tl, m);
}

static void handshake_record(struct tl *tl, const uint8_t *body, size_t len)
{
    size_t pend;
    int n = ml_each_hs_msg(body, len, hs_message_joined, tl, &pend);
    if (pend)
        td_buf_printf(tl->out, "%s%zu bytes of a handshake message continued in the next record",
                      n ? " + " : "", pend);
}

static int has_alert_event(const struct td_transcript *t, enum td_actor from, int desc)
{
    for (size_t i = 0; i < t->n_ev; i++)
        if (t->ev[i].kind == TD_EV_ALERT && t->ev[i].from == from && t->ev[i].b == desc)
            return 1;
    return 0;
}

/* The log also dumped this encrypted record's plaintext: the next record from its sender. */
static int decrypted_follows(const struct td_transcript *t, const struct td_event *e)
{
    for (const struct td_event *n = e + 1; n < t->ev + t->n_ev; n++)
        if (n->kind == TD_EV_RECORD && n->from == e->from)
            return (n->flags & TD_EVF_DECRYPTED) != 0;
    return 0;
}

static void record(struct tl *tl, const struct td_event *e)
{
    const uint8_t *p = e->data;
    size_t n = e->len;
    int who = e->from == TD_ACTOR_CLIENT ? 1 : e->from == TD_ACTOR_SERVER ? 2 : 0;
    if (!p || n < 5) {
        lines(tl, e);
        td_buf_printf(tl->out, "%s record, %zu byte%s in the log (header incomplete)\n", arrow(tl, e->from),
                      n, n == 1 ? "" : "s");
        return;
    }
    unsigned type = p[0], ver = (unsigned)(p[1] << 8 | p[2]), rlen = (unsigned)(p[3] << 8 | p[4]);
    const uint8_t *body = p + 5;
    size_t blen = n - 5;
    int decrypted = (e->flags & TD_EVF_DECRYPTED) != 0;
    int encrypted = !decrypted && (tl->ccs_seen[who] || (tl->tls13 && type == 23));
    if (type == 21 && !encrypted && blen >= 2 && has_alert_event(tl->t, e->from, body[1]) &&
        !(tl->flags & TD_TIMELINE_ALL))
        return;   /* the alert line says it, with these lines folded in */
    if (type == 22 && blen == 0 && (e->flags & TD_EVF_TRUNCATED) && !(tl->flags & TD_TIMELINE_ALL))
        return;   /* a header whose body the log never dumped: the record length fact says enough */
    if (encrypted && !(tl->flags & TD_TIMELINE_ALL) && decrypted_follows(tl->t, e))
        return;
    lines(tl, e);
    td_buf_printf(tl->out, "%s ", arrow(tl, e->from));
    if (decrypted)
        td_buf_puts(tl->out, "(decrypted) ");
    if (type == 22 && !encrypted) {
        handshake_record(tl, body, blen);
    } else if (type == 22) {
        td_buf_printf(tl->out, "encrypted handshake message (%u bytes)", rlen);
    } else if (type == 20) {
        td_buf_puts(tl->out, "ChangeCipherSpec");
        tl->ccs_seen[who] = 1;
    } else if (type == 21 && !encrypted && blen >= 2) {
        const char *an = td_reg_alert_name(body[1]);
        td_buf_printf(tl->out, "Alert %s %s(%u)", body[0] == 2 ? "fatal" : body[0] == 1 ? "warning" : "?",
                      an ? an : "unknown", body[1]);
    } else if (type == 23) {
        td_buf_printf(tl->out, "%s (%u bytes)", encrypted ? "encrypted record" : "application data", rlen);
    } else {
        const char *cn = td_reg_content_type_name((uint8_t)type);
        td_buf_printf(tl->out, "record type %s(%u), %u bytes", cn ? cn : "unknown", type, rlen);
    }
    if (ver != 0x0303 && type == 22 && !decrypted) {
        const char *vn = td_reg_version_name((uint16_t)ver);
        td_buf_printf(tl->out, " [record version %s]", vn ? vn : "?");
    }
    if (e->flags & TD_EVF_TRUNCATED)
        td_buf_printf(tl->out, " (truncated: %zu of %u bytes in the log)", blen, rlen);
    td_buf_putc(tl->out, '\n');
}

/* "MBEDTLS_SSL_SERVER_HELLO" -> "server hello"; 2.x client state numbers too. */
static void state_phrase(const struct td_event *st, char *b, size_t n)
{
    static const char *const client_states[] = {
        "hello request", "client hello", "server hello", "server certificate", "server key exchange",
        "certificate request", "server hello done", "client certificate", "client key exchange",
        "certificate verify", "client change cipher spec", "client finished",
        "server change cipher spec", "server finished", "flush buffers", "handshake wrapup",
        "handshake over"
    };
    if (st->text) {
        const char *s = st->text;
        if (!strncmp(s, "MBEDTLS_SSL_", 12))
            s += 12;
        size_t i = 0;
        for (; s[i] && i + 1 < n; i++)
            b[i] = s[i] == '_' ? ' ' : (char)tolower((unsigned char)s[i]);
        b[i] = '\0';
    } else if (st->code >= 0 && (size_t)st->code < sizeof client_states / sizeof *client_states) {
        snprintf(b, n, "%s", client_states[st->code]);
    } else {
        snprintf(b, n, "%lld", (long long)st->code);
    }
}

static const struct td_event *state_before(const struct td_transcript *t, size_t i)
{
    while (i > 0) {
        i--;
        if (t->ev[i].kind == TD_EV_STATE)
            return &t->ev[i];
    }
    return NULL;
}

/* Consecutive returns of one error code are one failure travelling up the call stack. */
static size_t returns(struct tl *tl, size_t i)
{
    const struct td_transcript *t = tl->t;
    const struct td_event *e = &t->ev[i];
    size_t j = i + 1;
    while (j < t->n_ev && t->ev[j].kind == TD_EV_RETURN && t->ev[j].code == e->code &&
           (t->ev[j].flags & TD_EVF_FROM_APP) == (e->flags & TD_EVF_FROM_APP))
        j++;
    struct td_event span = *e;
    span.line_end = t->ev[j - 1].line_end;
    lines(tl, &span);
    if (e->flags & TD_EVF_FROM_APP)
        td_buf_puts(tl->out, "application: ");
    /* the outermost call, then where the code came from */
    const struct td_event *outer = &t->ev[j - 1];
    td_buf_printf(tl->out, "%s%s returned ", outer->text ? outer->text : "?",
                  outer->text && strcmp(outer->text, "ret") != 0 ? "()" : "");
    put_err(tl->out, e->code, t->mbedtls_major);
    for (size_t k = j - 1; k > i; k--)
        td_buf_printf(tl->out, "%s%s()", k == j - 1 ? ", passed up from " : " <- ",
                      t->ev[k - 1].text ? t->ev[k - 1].text : "?");
    const struct td_event *st = state_before(t, i);
    if (st && !(e->flags & TD_EVF_FROM_APP)) {
        char b[64];
        state_phrase(st, b, sizeof b);
        td_buf_printf(tl->out, " in state \"%s\"", b);
    }
    td_buf_putc(tl->out, '\n');
    return j;
}


/* The value after a certificate-info label ("subject name      : CN=x"): past the ':' and the
 * blanks after it, or NULL when the line was cut before the ':' or right after it (a paste that
 * ends mid-line). */
static const char *cert_value(const char *label)
{
    const char *c = label ? strchr(label, ':') : NULL;
    if (!c)
        return NULL;
    c++;
    while (*c == ' ' || *c == '\t')
        c++;
    return *c && *c != '\n' ? c : NULL;
}

static int is_ch_fact(const struct td_event *e)
{
    if (e->kind != TD_EV_FACT)
        return 0;
    switch (e->fact) {
    case TD_FACT_OFFERED_SUITE: case TD_FACT_MAX_VERSION: case TD_FACT_MIN_VERSION:
    case TD_FACT_EXT_ADDED: case TD_FACT_GROUP: case TD_FACT_SIGALG: case TD_FACT_OFFERED_VERSION:
    case TD_FACT_CLIENT_TIME: case TD_FACT_HOSTNAME:
        return 1;
    case TD_FACT_NONE: case TD_FACT_CHOSEN_SUITE: case TD_FACT_CHOSEN_VERSION: case TD_FACT_MFL:
    case TD_FACT_IN_BUFFER: case TD_FACT_LIB_VERSION: case TD_FACT_CERT: case TD_FACT_CHOSEN_GROUP:
    case TD_FACT_RECORD_LEN: case TD_FACT_SOURCE_TIME: case TD_FACT_LOG_SIDE: case TD_FACT_REFUSAL:
    case TD_FACT_PLATFORM: case TD_FACT_PEER:
    case TD_FACT_PEER_ERROR: case TD_FACT_MFL_NOT_ECHOED: case TD_FACT_DHM_SHORT:
    case TD_FACT_CERT_USAGE: case TD_FACT_USAGE_REFUSED: case TD_FACT_CURVE_REFUSED:
    case TD_FACT_WRITE_TOO_LARGE: case TD_FACT_RENEGO: case TD_FACT_PSK_IDENTITY:
        return 0;
    }
    return 0;
}

/* The ClientHello as text lines describe it, when no dump of it is in the log. Returns the index
 * after the facts it used. */
static size_t ch_from_facts(struct tl *tl, size_t i)
{
    const struct td_transcript *t = tl->t;
    size_t j = i, suites = 0, shown = 0;
    int64_t maxv = -1;
    int sni = 0;
    const char *host = NULL;
    while (j < t->n_ev && (is_ch_fact(&t->ev[j]) || t->ev[j].kind == TD_EV_STEP ||
                           t->ev[j].kind == TD_EV_MESSAGE || t->ev[j].kind == TD_EV_STATE)) {
        const struct td_event *e = &t->ev[j];
        if (e->kind == TD_EV_STEP && e->text && !strcmp(e->text, "write client hello") && !e->a) {
            j++;
            break;
        }
        if (e->kind == TD_EV_STEP && e->text && strcmp(e->text, "write client hello") != 0)
            break;
        if (e->kind == TD_EV_FACT && e->fact == TD_FACT_OFFERED_SUITE && e->code != 0xff)
            suites++;
        if (e->kind == TD_EV_FACT && (e->fact == TD_FACT_MAX_VERSION || e->fact == TD_FACT_OFFERED_VERSION) &&
            e->code > maxv)
            maxv = e->code;
        if (e->kind == TD_EV_FACT && e->fact == TD_FACT_EXT_ADDED && e->code == 0)
            sni = 1;
        if (e->kind == TD_EV_FACT && e->fact == TD_FACT_HOSTNAME)
            host = e->text;
        j++;
    }
    struct td_event span = t->ev[i];
    span.line_end = t->ev[j - 1].line_end;
    lines(tl, &span);
    const char *vn = maxv >= 0 ? td_reg_version_name((uint16_t)maxv) : NULL;
    td_buf_printf(tl->out, "%s ClientHello (from text lines, no dump)%s%s, %zu suites [", arrow(tl, TD_ACTOR_CLIENT),
                  vn ? " " : "", vn ? vn : "", suites);
    for (size_t k = i; k < j && shown < 8; k++)
        if (t->ev[k].kind == TD_EV_FACT && t->ev[k].fact == TD_FACT_OFFERED_SUITE && t->ev[k].code != 0xff)
            td_buf_printf(tl->out, "%s%04llx", shown++ ? " " : "", (unsigned long long)t->ev[k].code);
    if (suites > shown)
        td_buf_puts(tl->out, " ...");
    td_buf_puts(tl->out, "], extensions added [");
    size_t ne = 0;
    for (size_t k = i; k < j; k++) {
        const struct td_event *e = &t->ev[k];
        if (e->kind == TD_EV_FACT && e->fact == TD_FACT_EXT_ADDED) {
            const char *n = e->code >= 0 ? td_reg_ext_name((uint16_t)e->code) : NULL;
            td_buf_printf(tl->out, "%s%s", ne++ ? ", " : "", n ? n : (e->text ? e->text : "?"));
        }
    }
    td_buf_puts(tl->out, "]");
    if (host)
        td_buf_printf(tl->out, ", SNI \"%s\"", host);
    else if (!sni)
        td_buf_puts(tl->out, ", no SNI");
    td_buf_putc(tl->out, '\n');
    return j;
}

static void alert(struct tl *tl, const struct td_event *e)
{
    lines(tl, e);
    const char *an = td_reg_alert_name((uint8_t)e->b);
    td_buf_printf(tl->out, "%s Alert %s %s(%d), sent by the %s%s\n", arrow(tl, e->from),
                  e->a == 2 ? "fatal" : e->a == 1 ? "warning" : "?", an ? an : "unknown", e->b,
                  td_actor_name(e->from),
                  (e->flags & TD_EVF_RECONSTRUCTED) ? " (which alert is inferred: the log shows only that one was sent)" : "");
}

static void fact(struct tl *tl, const struct td_event *e)
{
    const char *n;
    switch (e->fact) {
    case TD_FACT_CHOSEN_SUITE:
        lines(tl, e);
        n = e->code >= 0 ? td_reg_suite_name((uint16_t)e->code) : NULL;
        td_buf_printf(tl->out, "server chose suite %s", n ? n : e->text ? e->text : "?");
        if (e->code >= 0)
            td_buf_printf(tl->out, " (0x%04llx)", (unsigned long long)e->code);
        td_buf_putc(tl->out, '\n');
        return;
    case TD_FACT_CHOSEN_VERSION:
        lines(tl, e);
        n = td_reg_version_name((uint16_t)e->code);
        td_buf_printf(tl->out, "negotiated version %s\n", n ? n : "?");
        return;
    case TD_FACT_CHOSEN_GROUP:
        lines(tl, e);
        td_buf_printf(tl->out, "key exchange group %s\n", e->text ? e->text : "?");
        return;
    case TD_FACT_CERT: {
        lines(tl, e);
        const char *s = e->text ? strstr(e->text, "subject name") : NULL;
        const char *x = e->text ? strstr(e->text, "expires on") : NULL;
        td_buf_printf(tl->out, "%scertificate", (e->flags & TD_EVF_FROM_APP) ? "verify callback: " : "");
        if (e->code >= 0)
            td_buf_printf(tl->out, " depth %lld", (long long)e->code);
        s = cert_value(s);
        x = cert_value(x);
        if (s)
            td_buf_printf(tl->out, ": %.*s", (int)strcspn(s, "\n"), s);
        if (x)
            td_buf_printf(tl->out, ", expires %.*s", (int)strcspn(x, "\n"), x);
        td_buf_putc(tl->out, '\n');
        return;
    }
    case TD_FACT_HOSTNAME:
        lines(tl, e);
        td_buf_printf(tl->out, "host name set: %s\n", e->text ? e->text : "?");
        return;
    case TD_FACT_RECORD_LEN:
        if (!(tl->flags & TD_TIMELINE_ALL))
            return;
        lines(tl, e);
        td_buf_printf(tl->out, "incoming record length %lld\n", (long long)e->code);
        return;
    case TD_FACT_WRITE_TOO_LARGE:
        lines(tl, e);
        td_buf_printf(tl->out, "the application wrote %lld bytes; one record takes at most %d\n",
                      (long long)e->code, e->a);
        return;
    case TD_FACT_PEER_ERROR:
        lines(tl, e);
        td_buf_printf(tl->out, "another program's log (%s): %s%s\n",
                      e->a ? td_actor_name((enum td_actor)e->a) : "side not stated",
                      td_peer_cause_name((enum td_peer_cause)e->code), e->b ? " (an alert it received)" : "");
        return;
    case TD_FACT_NONE: case TD_FACT_OFFERED_SUITE: case TD_FACT_MAX_VERSION: case TD_FACT_MIN_VERSION:
    case TD_FACT_EXT_ADDED: case TD_FACT_CLIENT_TIME: case TD_FACT_MFL: case TD_FACT_IN_BUFFER:
    case TD_FACT_LIB_VERSION: case TD_FACT_GROUP: case TD_FACT_SIGALG: case TD_FACT_OFFERED_VERSION:
    case TD_FACT_SOURCE_TIME: case TD_FACT_LOG_SIDE: case TD_FACT_REFUSAL: case TD_FACT_PLATFORM:
    case TD_FACT_PEER: case TD_FACT_MFL_NOT_ECHOED: case TD_FACT_DHM_SHORT: case TD_FACT_CERT_USAGE:
    case TD_FACT_USAGE_REFUSED: case TD_FACT_CURVE_REFUSED: case TD_FACT_RENEGO: case TD_FACT_PSK_IDENTITY:
        if (!(tl->flags & TD_TIMELINE_ALL))
            return;
        lines(tl, e);
        td_buf_printf(tl->out, "%s = %lld%s%s\n", td_fact_name(e->fact), (long long)e->code,
                      e->text ? " " : "", e->text ? e->text : "");
        return;
    }
}

static void heading(struct tl *tl, size_t index, size_t count)
{
    const struct td_transcript *t = tl->t;
    td_buf_printf(tl->out, "Attempt %zu", index);
    if (count)
        td_buf_printf(tl->out, " of %zu", count);
    td_buf_printf(tl->out, " (log lines %u-%u): ", (unsigned)t->first_line, (unsigned)t->last_line);
    if (t->origin == TD_ORIGIN_APP_OUTPUT)
        td_buf_puts(tl->out, "application output only, no Mbed TLS debug lines");
    else if (t->origin == TD_ORIGIN_DEBUG_LOG)
        td_buf_puts(tl->out, "Mbed TLS debug log");
    else
        td_buf_puts(tl->out, "transcript");
    const char *ver = NULL;
    for (size_t i = 0; i < t->n_ev; i++)
        if (t->ev[i].kind == TD_EV_FACT && t->ev[i].fact == TD_FACT_LIB_VERSION)
            ver = t->ev[i].text;
    if (ver)
        td_buf_printf(tl->out, ", %s", ver);
    else if (t->mbedtls_major == 1)
        td_buf_puts(tl->out, ", PolarSSL / Mbed TLS 1.x");
    else if (t->mbedtls_major)
        td_buf_printf(tl->out, ", Mbed TLS %d.x", t->mbedtls_major);
    if (t->logged_by != TD_ACTOR_UNKNOWN)
        td_buf_printf(tl->out, ", %s side", td_actor_name(t->logged_by));
    if (t->debug_level)
        td_buf_printf(tl->out, ", debug level %d", t->debug_level);
    td_buf_putc(tl->out, '\n');
}

static void ending(struct tl *tl)
{
    const struct td_transcript *t = tl->t;
    if (t->handshake_ret_known) {
        if (t->handshake_ret == 0) {
            td_buf_puts(tl->out, "  Result: the handshake succeeded");
        } else {
            td_buf_puts(tl->out, "  Result: the handshake returned ");
            put_err(tl->out, t->handshake_ret, t->mbedtls_major);
        }
        td_buf_puts(tl->out, ".\n");
    }
    td_buf_printf(tl->out, "  The log stops %s.\n", td_stop_describe(t->stop));
    if (t->origin == TD_ORIGIN_APP_OUTPUT)
        td_buf_puts(tl->out, "  Only application output was found for this attempt: turn on Mbed TLS debug "
                             "output (MBEDTLS_DEBUG_C, mbedtls_ssl_conf_dbg(), mbedtls_debug_set_threshold(4)) "
                             "to see the handshake itself.\n");
}

static size_t render_event(struct tl *tl, size_t i, int ch_text)
{
    const struct td_transcript *t = tl->t;
    const struct td_event *e = &t->ev[i];
    int all = (tl->flags & TD_TIMELINE_ALL) != 0;
    if (ch_text && is_ch_fact(e))
        return ch_from_facts(tl, i);
    switch (e->kind) {
    case TD_EV_RECORD:
        record(tl, e);
        break;
    case TD_EV_ALERT:
        alert(tl, e);
        break;
    case TD_EV_RETURN:
        return returns(tl, i);
    case TD_EV_STEP:
        if (e->text && !strcmp(e->text, "handshake")) {
            lines(tl, e);
            td_buf_printf(tl->out, "%s\n", e->a ? "handshake starts" : "handshake ends");
        } else if (all) {
            lines(tl, e);
            td_buf_printf(tl->out, "%s %s\n", e->a ? "=>" : "<=", e->text ? e->text : "");
        }
        break;
    case TD_EV_STATE:
        if (all) {
            char b[64];
            state_phrase(e, b, sizeof b);
            lines(tl, e);
            td_buf_printf(tl->out, "state: %s\n", b);
        }
        break;
    case TD_EV_FACT:
        fact(tl, e);
        break;
    case TD_EV_VERIFY:
        lines(tl, e);
        td_buf_printf(tl->out, "%scertificate verification: %s (flags 0x%llx)\n",
                      (e->flags & TD_EVF_FROM_APP) ? "application: " : "", e->text ? e->text : "",
                      (unsigned long long)e->code);
        break;
    case TD_EV_IO:
        if (all || e->code <= 0) {
            lines(tl, e);
            if (e->code == 0 && e->from == TD_ACTOR_SERVER)
                td_buf_printf(tl->out, "%s connection closed by the server (recv returned 0)\n", arrow(tl, e->from));
            else if (e->code == 0 && e->from == TD_ACTOR_CLIENT)
                td_buf_printf(tl->out, "%s connection closed by the client (recv returned 0)\n", arrow(tl, e->from));
            else {
                td_buf_printf(tl->out, "%s() returned ", e->text ? e->text : "io");
                put_code(tl->out, e->code);
                td_buf_putc(tl->out, '\n');
            }
        }
        break;
    case TD_EV_MESSAGE:
        lines(tl, e);
        td_buf_printf(tl->out, "%s%s\n", (e->flags & TD_EVF_FROM_APP) ? "application: " : "",
                      e->text ? e->text : "");
        break;
    }
    return i + 1;
}

enum td_err td_mbedlog_render_timeline(const struct td_transcript *t, size_t index, size_t count,
                                       unsigned flags, struct td_buf *out)
{
    struct tl tl = {.t = t, .out = out, .flags = flags};
    heading(&tl, index, count);
    int ch_text = !ml_has_ch_record(t) && !(flags & TD_TIMELINE_ALL);
    for (size_t i = 0; i < t->n_ev;) {
        size_t next = render_event(&tl, i, ch_text);
        if (ch_text && next > i + 1)
            ch_text = 0;   /* one ClientHello per attempt */
        i = next;
    }
    ending(&tl);
    return out->err;
}
