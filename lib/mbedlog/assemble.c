/* assemble.c -- the transcript assembly: classified lines in, one Transcript per handshake attempt
 * out. A debug line is a hex-dump header or row, a step ("=> x" / "<= x"), a state, an alert, a
 * return code or a text fact; an application line may be a return code, a verification result, a
 * version or a certificate printout. Dumps are reassembled into record bytes; an incoming record's
 * header dump and full dump are joined into one event. One attempt is one handshake, by Mbed TLS's
 * own state (attempt.h): a "=> handshake" that resumes a paused call or makes a post-handshake call
 * stays in the attempt; everything up to the next attempt (alerts during mbedtls_ssl_read, the
 * application's own error lines) belongs to it. Lines before the first "=> handshake" join the
 * first attempt; a log without any is one attempt. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tlsdoctor/tls_ids.h"
#include "tlsdoctor/reg.h"
#include "tlsdoctor/mbedtls.h"
#include "reader_int.h"
#include "side.h"
#include "renego.h"
#include "attempt.h"
#include "peerline.h"
#include "certmsg.h"
#include "vocab.h"

/* ---- events ---------------------------------------------------------------------------------- */

/* td_transcript_add() copies text and data, so events may point at const text while being built. */
static char *unconst(const char *s)
{
    union {
        const char *c;
        char *m;
    } u = {s};
    return u.m;
}

static uint8_t *unconst_bytes(const uint8_t *p)
{
    union {
        const uint8_t *c;
        uint8_t *m;
    } u = {p};
    return u.m;
}


static int dtls_version(int64_t v)
{
    return v == TD_VERSION_DTLS_1_0 || v == TD_VERSION_DTLS_1_2 || v == TD_VERSION_DTLS_1_3;
}

#define VERIFY_RESERVE 32   /* verification events an attempt keeps past max_events */

static struct td_event *add_event(struct td_mbedlog *ml, struct td_event *ev)
{
    struct td_transcript *t = &ml->cur;
    size_t max = ml->o.max_events;
    /* what the certificate verification says is kept past the cap, in a small reserve: it is
     * often the failure's cause, printed at the very end of a long log (ssl-opt's DTLS proxy runs) */
    int reserve = ev->kind == TD_EV_VERIFY && t->n_ev + 1 < max + VERIFY_RESERVE;
    if (t->n_ev + 1 >= max && !reserve) {
        if (!ml->a.capped) {
            ml->a.capped = 1;
            ml->st.capped++;
            struct td_event cap = {.kind = TD_EV_MESSAGE, .line = ev->line, .line_end = ev->line,
                                   .text = unconst("event cap reached: later events of this attempt are not kept")};
            if (!td_transcript_add(t, &cap))
                ml->err = TD_ERR_NOMEM;
        }
        return NULL;
    }
    if (ev->data && ev->len) {
        if (ml->a.bytes + ev->len > ml->o.max_bytes) {
            if (!ml->a.capped) {
                ml->a.capped = 1;
                ml->st.capped++;
            }
            ev->data = NULL;
            ev->len = 0;
            ev->flags |= TD_EVF_TRUNCATED;
        } else {
            ml->a.bytes += ev->len;
        }
    }
    if (ev->line_end < ev->line)
        ev->line_end = ev->line;
    if (ev->kind == TD_EV_VERIFY && ev->code > 0)
        ml->a.verify_flags |= (unsigned)ev->code;
    if (ev->kind == TD_EV_RETURN && ev->code == -0x2700)
        ml->a.verify_failed = 1;
    struct td_event *e = td_transcript_add(t, ev);
    if (!e)
        ml->err = TD_ERR_NOMEM;
    if (ev->kind != TD_EV_STEP && ev->kind != TD_EV_STATE && ev->kind != TD_EV_IO &&
        !(ev->kind == TD_EV_FACT && ev->fact == TD_FACT_LIB_VERSION))
        ml->a.key_events++;
    return e;
}

static void add_simple(struct td_mbedlog *ml, enum td_ev_kind kind, enum td_fact fact, int64_t code,
                       const char *text, unsigned flags)
{
    struct td_event ev = {.kind = kind, .fact = fact, .code = code, .line = ml->lineno,
                          .line_end = ml->lineno, .flags = flags, .text = unconst(text)};
    add_event(ml, &ev);
}

/* ---- attempts -------------------------------------------------------------------------------- */

static void close_dump(struct td_mbedlog *ml);
static void close_cert(struct td_mbedlog *ml);
static int alert_for_verify_flags(unsigned f);
static void decide_reentry(struct td_mbedlog *ml, int fresh);
static void soft_confirmed(struct td_mbedlog *ml, const char *t);

static void start_attempt(struct td_mbedlog *ml)
{
    td_transcript_init(&ml->cur, TD_ORIGIN_DEBUG_LOG);
    memset(&ml->a, 0, sizeof ml->a);
    ml->a.active = 1;
    ml->a.in_hdr_ev = -1;
    ml->a.last_alert_ev = -1;
    ml->a.decrypt_type = -1;
    ml->a.last_in_type = -1;
    ml->a.soft_ev = ml->a.last_err_ev = -1;
    if (ml->version[0])
        add_simple(ml, TD_EV_FACT, TD_FACT_LIB_VERSION, 0, ml->version, TD_EVF_FROM_APP);
}

static void ensure_attempt(struct td_mbedlog *ml)
{
    if (!ml->a.active)
        start_attempt(ml);
}

/* The log's writer is `side`, as the current line shows. A server's log says so with a
 * TD_FACT_LOG_SIDE fact at the first line that told (a client's log reads as it always did). */
static void set_side(struct td_mbedlog *ml, enum td_actor side)
{
    if (side == TD_ACTOR_UNKNOWN || ml->a.side == side)
        return;
    ml->a.side = side;
    if (side == TD_ACTOR_SERVER)
        add_simple(ml, TD_EV_FACT, TD_FACT_LOG_SIDE, side, NULL, 0);
}

static void set_version_from_text(struct td_transcript *t, const char *v)
{
    const char *p = v;
    while (*p && !isdigit((unsigned char)*p))
        p++;
    char *end;
    long major = strtol(p, &end, 10);
    if (end == p || major < 0 || major >= 10)
        return;
    t->mbedtls_major = (int)major;
    t->mbedtls_minor = -1;
    if (*end == '.' && isdigit((unsigned char)end[1]))
        t->mbedtls_minor = (int)strtol(end + 1, NULL, 10);
}

static enum td_stop compute_stop(const struct attempt_state *a, const struct td_transcript *t)
{
    if (a->left_handshake || t->handshake_ret_known)
        return TD_STOP_COMPLETE;
    if (!a->wrote_ch && !a->sent_ch)
        return a->heard_peer ? TD_STOP_MID_HANDSHAKE : TD_STOP_BEFORE_HELLO;
    if (!a->sent_ch)
        return TD_STOP_MID_CLIENT_HELLO;
    if (!a->heard_peer)
        return TD_STOP_BEFORE_SERVER_ANSWER;
    return TD_STOP_MID_HANDSHAKE;
}

/* The platform and peer seen so far, as facts of the finished attempt (after its line span is
 * set, so that a context line far from the attempt does not stretch it). */
static void add_context(struct td_mbedlog *ml, struct td_transcript *t)
{
    const struct ml_context *c = &ml->ctx;
    if (c->server_side && t->logged_by == TD_ACTOR_UNKNOWN && t->origin == TD_ORIGIN_APP_OUTPUT)
        t->logged_by = TD_ACTOR_SERVER;   /* only the application's lines: they said whose they are */
    for (int p = TD_PLATFORM_ESP_IDF; p <= TD_PLATFORM_AZURE_IOT; p++) {
        if (!(c->platforms & (1u << p)))
            continue;
        struct td_event ev = {.kind = TD_EV_FACT, .fact = TD_FACT_PLATFORM, .code = p,
                              .line = c->platform_line[p], .line_end = c->platform_line[p],
                              .text = unconst(ml_platform_name((enum td_platform)p))};
        if (!td_transcript_add(t, &ev))
            ml->err = TD_ERR_NOMEM;
    }
    if (c->host[0] || c->port) {
        char peer[sizeof c->scheme + 3 + sizeof c->host];
        snprintf(peer, sizeof peer, "%s%s%s", c->scheme, c->scheme[0] ? "://" : "", c->host);
        struct td_event ev = {.kind = TD_EV_FACT, .fact = TD_FACT_PEER, .code = c->port,
                              .line = c->peer_line, .line_end = c->peer_line, .text = peer};
        if (!td_transcript_add(t, &ev))
            ml->err = TD_ERR_NOMEM;
    }
}

/* A DTLS server goes back to waiting after a connection; UDP has no connection, so the next datagram
 * from anyone starts the next "handshake". When that datagram is a late record of the connection
 * just finished (the client's close_notify, a retransmission: epoch above 0), Mbed TLS 2.x fails it
 * with BAD_HS_CLIENT_HELLO at once. Mark such an attempt: it is not a client that failed. */
static void stray_datagram(struct td_mbedlog *ml, struct td_transcript *t)
{
    int ok = t->handshake_ret_known && t->handshake_ret == 0;
    int dtls = ml->dtls_seen;   /* one program, one transport: a renegotiation need not say it again */
    int server = t->logged_by == TD_ACTOR_SERVER;
    if (server && ml->last_dtls_ok && t->handshake_ret_known && t->handshake_ret == ML_ERR_BAD_HS_CLIENT_HELLO &&
        (ml->a.old_epoch_first || !ml->a.debug_lines)) {
        t->stray_datagram = 1;
        return;   /* the connection before stays the last real one */
    }
    ml->last_dtls_ok = server && ok && dtls;
}

void ml_finish_attempt(struct td_mbedlog *ml)
{
    if (!ml->a.active)
        return;
    close_dump(ml);
    close_cert(ml);
    struct td_transcript *t = &ml->cur;
    struct attempt_state *a = &ml->a;
    a->active = 0;
    if (!a->key_events && !a->started) {
        td_transcript_free(t);
        return;
    }
    t->origin = a->debug_lines ? TD_ORIGIN_DEBUG_LOG : TD_ORIGIN_APP_OUTPUT;
    t->logged_by = a->side;
    if (a->side == TD_ACTOR_SERVER) {
        for (size_t i = 0; i < t->n_ev; i++) {
            struct td_event *e = &t->ev[i];
            if (e->from == TD_ACTOR_CLIENT)
                e->from = TD_ACTOR_SERVER;
            else if (e->from == TD_ACTOR_SERVER)
                e->from = TD_ACTOR_CLIENT;
        }
    }
    for (size_t i = 0; i < t->n_ev; i++)
        if (t->ev[i].kind == TD_EV_FACT && t->ev[i].fact == TD_FACT_LIB_VERSION && t->ev[i].text)
            set_version_from_text(t, t->ev[i].text);
    if (!t->mbedtls_major) {
        if (a->major_seen[3])
            t->mbedtls_major = 3;
        else if (a->major_seen[1] || a->polarssl_names)
            t->mbedtls_major = 1;
        else if (a->major_seen[2])
            t->mbedtls_major = 2;
    }
    t->stop = compute_stop(a, t);
    /* an alert whose description the log did not print, sent after a verification failure whose
     * flags were printed later (by the application): infer it now */
    for (size_t i = 0; i < t->n_ev && a->verify_flags; i++) {
        struct td_event *e = &t->ev[i];
        if (e->kind == TD_EV_ALERT && (e->flags & TD_EVF_RECONSTRUCTED) && e->b < 0 && a->verify_failed)
            e->b = alert_for_verify_flags(a->verify_flags);
    }
    if (t->n_ev) {
        t->first_line = t->ev[0].line;
        for (size_t i = 0; i < t->n_ev; i++)
            if (t->ev[i].line_end > t->last_line)
                t->last_line = t->ev[i].line_end;
    }
    if (ml->qn == ml->qcap) {
        size_t cap = ml->qcap ? ml->qcap * 2 : 4;
        /* compact first: consumed entries at the head are dead */
        if (ml->qhead) {
            memmove(ml->q, ml->q + ml->qhead, (ml->qn - ml->qhead) * sizeof *ml->q);
            ml->qn -= ml->qhead;
            ml->qhead = 0;
        }
        if (ml->qn == ml->qcap) {
            struct td_transcript *nq = realloc(ml->q, cap * sizeof *nq);
            if (!nq) {
                ml->err = TD_ERR_NOMEM;
                td_transcript_free(t);
                return;
            }
            ml->q = nq;
            ml->qcap = cap;
        }
    }
    add_context(ml, t);
    stray_datagram(ml, t);
    ml->q[ml->qn++] = *t;
    ml->st.attempts++;
    td_transcript_init(t, TD_ORIGIN_DEBUG_LOG);
}

/* ---- hex dumps ------------------------------------------------------------------------------- */

static enum dump_kind dump_kind_of(const char *label, size_t n)
{
    static const struct {
        const char *label;
        enum dump_kind kind;
    } labels[] = {
        {"output record sent to network", DK_OUT_RECORD},
        {"input record header", DK_IN_HEADER},
        {"input record from network", DK_IN_RECORD},
        {"input payload after decrypt", DK_IN_DECRYPTED},
        /* a 2.28 server reads the ClientHello itself: its header, then the record's body */
        {"record header", DK_IN_HEADER},
        {"record contents", DK_IN_CONTENTS},
        /* a server's PSK callback found no key for the client's identity (2.x ssl_srv.c, 3.x
         * ssl_tls12_server.c, level 3): the identity's bytes */
        {"Unknown PSK identity", DK_PSK_IDENTITY},
        {NULL, DK_OTHER}
    };
    for (size_t i = 0; labels[i].label; i++)
        if (strlen(labels[i].label) == n && !strncmp(labels[i].label, label, n))
            return labels[i].kind;
    return DK_OTHER;
}

static void open_dump(struct td_mbedlog *ml, const char *text)
{
    const char *q1 = strchr(text, '\'');
    const char *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;
    if (!q2)
        return;
    /* keys, randoms and the like (DK_OTHER): their rows are read and dropped */
    enum dump_kind kind = dump_kind_of(q1 + 1, (size_t)(q2 - q1 - 1));
    struct dump *d = &ml->d;
    d->active = 1;
    d->kind = kind;
    d->declared = -1;
    d->next_off = 0;
    d->gap = 0;
    d->len = 0;
    d->last_row_n = 16;
    d->line = d->line_end = ml->lineno;
    const char *p = strchr(q2, '(');
    if (p) {
        p++;
        int64_t v;
        if (ml_parse_num(&p, 0, &v) && v >= 0 && ml_starts(p, " bytes"))
            d->declared = (long)v;
    }
}

void ml_dump_row(struct td_mbedlog *ml, unsigned long off, const uint8_t *b, size_t n)
{
    struct dump *d = &ml->d;
    d->line_end = ml->lineno;
    if (d->kind == DK_OTHER)
        return;
    if (off < d->next_off)
        return;               /* a repeated row */
    if (off > d->next_off)
        d->gap = 1;           /* rows missing: keep what we have contiguous only */
    if (d->gap)
        return;
    if (d->len + n > MAX_DUMP) {
        d->gap = 1;
        return;
    }
    if (d->len + n > d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 1024;
        while (cap < d->len + n)
            cap *= 2;
        uint8_t *nb = realloc(d->buf, cap);
        if (!nb) {
            ml->err = TD_ERR_NOMEM;
            return;
        }
        d->buf = nb;
        d->cap = cap;
    }
    memcpy(d->buf + d->len, b, n);
    d->len += n;
    d->next_off = off + n;
    d->last_row_n = n;
    d->line_end = ml->lineno;
}

static size_t record_len_from_header(const uint8_t *p, size_t n)
{
    return n >= 5 ? 5 + (((size_t)p[3] << 8) | p[4]) : 0;
}

static void emit_record(struct td_mbedlog *ml, enum td_actor from, const uint8_t *p, size_t n,
                        unsigned flags, uint32_t line, uint32_t line_end)
{
    size_t want = record_len_from_header(p, n);
    if (n < 5 || n < want)
        flags |= TD_EVF_TRUNCATED;
    struct td_event ev = {.kind = TD_EV_RECORD, .from = from, .line = line, .line_end = line_end,
                          .flags = flags, .data = unconst_bytes(p), .len = n, .a = n ? p[0] : -1};
    if (n >= 5)
        ev.code = (int64_t)want - 5;
    add_event(ml, &ev);
    if (from == PEER)
        ml->a.heard_peer = 1;
    else if (n >= 6 && p[0] == 22 && p[5] == 1 && !(flags & TD_EVF_TRUNCATED))
        ml->a.sent_ch = 1;
}

static int header_matches(const struct td_event *e, const uint8_t *p, size_t n)
{
    return e->kind == TD_EV_RECORD && e->data && e->len >= 5 && n >= 5 && !memcmp(e->data, p, 5);
}

/* A 2.28 server's "record contents" dump: the body of the record whose header it dumped just
 * before ("record header"); the two make the client's ClientHello record. */
static void append_contents(struct td_mbedlog *ml, const uint8_t *p, size_t n, unsigned flags)
{
    long hi = ml->a.in_hdr_ev;
    ml->a.in_hdr_ev = -1;
    if (hi < 0 || (size_t)hi >= ml->cur.n_ev)
        return;
    struct td_event *e = &ml->cur.ev[hi];
    if (e->kind != TD_EV_RECORD || !e->data || e->len != 5 || n > 0xffff)
        return;
    uint8_t *rec = realloc(e->data, 5 + (n ? n : 1));
    if (!rec) {
        ml->err = TD_ERR_NOMEM;
        return;
    }
    memcpy(rec + 5, p, n);
    e->data = rec;
    e->len = 5 + n;
    ml->a.bytes += n;
    e->line_end = ml->d.line_end;
    e->flags = flags | ((e->len < record_len_from_header(rec, e->len)) ? TD_EVF_TRUNCATED : 0);
}

static void close_dump(struct td_mbedlog *ml)
{
    struct dump *d = &ml->d;
    if (!d->active)
        return;
    d->active = 0;
    unsigned flags = 0;
    if (d->gap || (d->declared >= 0 && d->len < (size_t)d->declared))
        flags |= TD_EVF_TRUNCATED;
    size_t n = d->len;
    if (d->declared >= 0 && n > (size_t)d->declared)
        n = (size_t)d->declared;
    switch (d->kind) {
    case DK_OUT_RECORD: {
        emit_record(ml, SELF, d->buf, n, flags, d->line, d->line_end);
        /* "send alert level=2 message=48" came first: the alert ends with its record */
        long li = ml->a.last_alert_ev;
        if (n == 7 && d->buf[0] == 21 && li >= 0 && (size_t)li < ml->cur.n_ev) {
            struct td_event *al = &ml->cur.ev[li];
            if (al->from == SELF && al->b == d->buf[6] && d->line - al->line_end < 8)
                al->line_end = d->line_end;
        }
        break;
    }
    case DK_IN_HEADER:
        emit_record(ml, PEER, d->buf, n, flags, d->line, d->line_end);
        ml->a.in_hdr_ev = (long)ml->cur.n_ev - 1;
        if (n >= 1)
            ml->a.last_in_type = d->buf[0];
        break;
    case DK_IN_RECORD: {
        long hi = ml->a.in_hdr_ev;
        ml->a.in_hdr_ev = -1;
        if (hi >= 0 && (size_t)hi < ml->cur.n_ev && header_matches(&ml->cur.ev[hi], d->buf, n)) {
            struct td_event *e = &ml->cur.ev[hi];
            uint8_t *copy = malloc(n ? n : 1);
            if (!copy) {
                ml->err = TD_ERR_NOMEM;
                break;
            }
            memcpy(copy, d->buf, n);
            ml->a.bytes += n - e->len;
            free(e->data);
            e->data = copy;
            e->len = n;
            e->line_end = d->line_end;
            e->flags = flags | ((n < record_len_from_header(copy, n)) ? TD_EVF_TRUNCATED : 0);
        } else {
            emit_record(ml, PEER, d->buf, n, flags, d->line, d->line_end);
        }
        if (n >= 1)
            ml->a.last_in_type = d->buf[0];
        break;
    }
    case DK_IN_CONTENTS:
        append_contents(ml, d->buf, n, flags);
        break;
    case DK_IN_DECRYPTED: {
        /* Plaintext of an encrypted record: rebuild a header so the bytes decode as a record. */
        int type = ml->a.decrypt_type >= 0 ? ml->a.decrypt_type : ml->a.last_in_type;
        ml->a.decrypt_type = -1;
        if (type < 0 || n > 0xffff)
            break;
        uint8_t *rec = malloc(n + 5);
        if (!rec) {
            ml->err = TD_ERR_NOMEM;
            break;
        }
        rec[0] = (uint8_t)type;
        rec[1] = 3;
        rec[2] = 3;
        rec[3] = (uint8_t)(n >> 8);
        rec[4] = (uint8_t)n;
        if (n)
            memcpy(rec + 5, d->buf, n);
        emit_record(ml, PEER, rec, n + 5, flags | TD_EVF_DECRYPTED | TD_EVF_RECONSTRUCTED, d->line,
                    d->line_end);
        free(rec);
        break;
    }
    case DK_PSK_IDENTITY: {
        /* the identity as text: printable bytes kept, the others as \xNN (at most 64 bytes) */
        char txt[64 * 4 + 1];
        size_t k = 0;
        for (size_t i = 0; i < n && i < 64; i++) {
            uint8_t c = d->buf[i];
            if (c >= 0x20 && c < 0x7f && c != '\\')
                txt[k++] = (char)c;
            else
                k += (size_t)snprintf(txt + k, sizeof txt - k, "\\x%02x", c);
        }
        txt[k] = '\0';
        struct td_event ev = {.kind = TD_EV_FACT, .fact = TD_FACT_PSK_IDENTITY, .code = (int64_t)n,
                              .line = d->line, .line_end = d->line_end, .text = txt, .flags = flags};
        add_event(ml, &ev);
        break;
    }
    case DK_OTHER:
        break;
    }
}

/* ---- certificates as text -------------------------------------------------------------------- */

static void open_cert(struct td_mbedlog *ml, const struct ml_line *l, int depth, int from_app)
{
    close_cert(ml);
    struct cert_acc *c = &ml->cert;
    c->active = 1;
    c->from_app = from_app;
    c->depth = depth;
    snprintf(c->file, sizeof c->file, "%s", l ? l->file : "");
    c->srcline = l ? l->srcline : 0;
    c->line = c->line_end = ml->lineno;
    td_buf_reset(&c->text);
}

static void cert_append(struct td_mbedlog *ml, const char *raw)
{
    struct cert_acc *c = &ml->cert;
    if (c->text.len + strlen(raw) + 1 < MAX_CERT_TEXT) {
        td_buf_puts(&c->text, raw);
        td_buf_putc(&c->text, '\n');
    }
    c->line_end = ml->lineno;
}

static void close_cert(struct td_mbedlog *ml)
{
    struct cert_acc *c = &ml->cert;
    if (!c->active)
        return;
    c->active = 0;
    if (!c->text.len)
        return;
    struct td_event ev = {.kind = TD_EV_FACT, .fact = TD_FACT_CERT, .code = c->depth,
                          .line = c->line, .line_end = c->line_end, .text = c->text.p,
                          .flags = c->from_app ? TD_EVF_FROM_APP : 0};
    add_event(ml, &ev);
    /* the usage it lists, for the rules that judge a usage refusal (certmsg.c) */
    int ku, eku;
    if (ml_cert_usage(c->text.p, &ku, &eku)) {
        struct td_event u = {.kind = TD_EV_FACT, .fact = TD_FACT_CERT_USAGE, .code = c->depth, .a = ku,
                             .b = eku, .line = c->line, .line_end = c->line_end, .flags = ev.flags};
        add_event(ml, &u);
    }
}

/* A refusal of the peer's key exchange parameters or of a certificate's usage (certmsg.c) as a
 * typed fact; the line stays a message too. */
static void certmsg_line(struct td_mbedlog *ml, const char *t)
{
    int64_t a, b;
    enum ml_certmsg k = ml_certmsg_of(t, &a, &b);
    if (k == ML_CM_DHM_SHORT) {
        struct td_event ev = {.kind = TD_EV_FACT, .fact = TD_FACT_DHM_SHORT, .code = a, .a = (int)b,
                              .line = ml->lineno, .line_end = ml->lineno, .text = unconst(t)};
        add_event(ml, &ev);
    } else if (k == ML_CM_USAGE_PEER || k == ML_CM_USAGE_OWN) {
        add_simple(ml, TD_EV_FACT, TD_FACT_USAGE_REFUSED, k == ML_CM_USAGE_OWN, t, 0);
    } else if (k == ML_CM_CURVE) {
        add_simple(ml, TD_EV_FACT, TD_FACT_CURVE_REFUSED, 1, t, 0);
    }
}

/* ---- text facts ------------------------------------------------------------------------------ */

/* "[3:3]" or "[0x303]" -> 0x0303 */
static int parse_version(const char *p, int64_t *v)
{
    p = strchr(p, '[');
    if (!p)
        return 0;
    p++;
    int64_t a, b;
    if (ml_starts(p, "0x"))
        return ml_parse_num(&p, 1, v);
    if (!ml_parse_num(&p, 0, &a) || *p != ':')
        return 0;
    p++;
    if (!ml_parse_num(&p, 0, &b))
        return 0;
    *v = (a << 8) | b;
    return 1;
}

/* A suite id as printed: "c02c", "0xc02c (NAME)", "c02c, NAME", decimal "49196" (PolarSSL 1.x, or
 * users' own code). */
static int parse_suite(const char *p, int decimal_hint, int64_t *v)
{
    while (*p == ' ')
        p++;
    if (ml_starts(p, "0x"))
        return ml_parse_num(&p, 1, v);
    size_t digits = 0, hexdigits = 0;
    while (isxdigit((unsigned char)p[hexdigits])) {
        if (isdigit((unsigned char)p[hexdigits]))
            digits++;
        hexdigits++;
    }
    if (!hexdigits)
        return 0;
    int hex = hexdigits > digits || (hexdigits == 4 && !decimal_hint);
    return ml_parse_num(&p, hex, v);
}

static void ext_fact(struct td_mbedlog *ml, const char *name, size_t n, int64_t id)
{
    if (id < 0)
        id = ml_ext_id(name, n);
    /* the same extension named twice (3.x says "adding X" and "X(n) exists"): keep one */
    if (id >= 0) {
        struct td_transcript *t = &ml->cur;
        for (size_t i = t->n_ev, k = 0; i > 0 && k < 400; i--, k++) {
            const struct td_event *e = &t->ev[i - 1];
            if (e->kind == TD_EV_FACT && e->fact == TD_FACT_EXT_ADDED && e->code == id)
                return;
            if (e->kind == TD_EV_STEP && e->text && !strcmp(e->text, "write client hello"))
                break;
        }
    }
    char buf[64];
    snprintf(buf, sizeof buf, "%.*s", (int)(n < 63 ? n : 63), name);
    add_simple(ml, TD_EV_FACT, TD_FACT_EXT_ADDED, id, buf, 0);
}

/* "NAME(N) extension exists." (3.x, ClientHello) */
static int ext_exists_line(struct td_mbedlog *ml, const char *t)
{
    if (!ml_starts(t, "ClientHello: "))
        return 0;
    const char *e = ml_find(t, " extension exists");
    if (!e)
        return 1;
    const char *name = t + 13;
    const char *paren = strchr(name, '(');
    int64_t id = -1;
    if (paren && paren < e) {
        const char *p = paren + 1;
        ml_parse_num(&p, 0, &id);
    }
    ext_fact(ml, name, paren && paren < e ? (size_t)(paren - name) : (size_t)(e - name), id);
    return 1;
}

/* "... adding X extension" and "adding server name extension: host" */
static int ext_adding_line(struct td_mbedlog *ml, const char *t)
{
    const char *a = ml_find(t, "adding ");
    if (!a || (a != t && !ml_starts(t, "client hello")))
        return 0;
    const char *name = a + 7;
    const char *e = ml_find(name, " extension");
    if (!e)
        return 0;
    ext_fact(ml, name, (size_t)(e - name), -1);
    const char *colon = ml_find(e, "extension: ");
    if (colon && ml_ext_id(name, (size_t)(e - name)) == 0)
        add_simple(ml, TD_EV_FACT, TD_FACT_HOSTNAME, 0, colon + 11, 0);
    return 1;
}

static int is_noise_step(const char *s)
{
    static const char *const noise[] = {
        "flush output", "fetch input", "read record", "write record", "encrypt buf", "decrypt buf",
        "send alert message", "write handshake message", "free", "calc finished", "calc verify",
        "derive keys", "derive application traffic keys", NULL
    };
    for (const char *const *n = noise; *n; n++)
        if (ml_starts(s, *n))
            return 1;
    return 0;
}

static void alert_event(struct td_mbedlog *ml, enum td_actor from, int level, int desc, unsigned flags);

/* The alert Mbed TLS sends after a failed certificate verification (ssl_tls.c,
 * ssl_parse_certificate_verify: the first matching flag wins). */
static int alert_for_verify_flags(unsigned f)
{
    if (f & 0x100)
        return 49;   /* BADCERT_OTHER: access_denied */
    if (f & 0x04)
        return 42;   /* CN_MISMATCH: bad_certificate */
    if (f & (0x800 | 0x1000 | 0x2000 | 0x8000 | 0x10000))
        return 43;   /* usage, PK or key: unsupported_certificate */
    if (f & 0x01)
        return 45;   /* EXPIRED: certificate_expired */
    if (f & 0x02)
        return 44;   /* REVOKED: certificate_revoked */
    if (f & 0x08)
        return 48;   /* NOT_TRUSTED: unknown_ca */
    return 46;       /* certificate_unknown */
}

/* Level 2 shows "=> send alert message" but not which alert: say what can be known. */
static void alert_block(struct td_mbedlog *ml, int enter)
{
    struct attempt_state *a = &ml->a;
    if (enter) {
        a->sending_alert = 1;
        a->alert_said = 0;
        a->alert_line = ml->lineno;
        return;
    }
    if (!a->sending_alert)
        return;
    a->sending_alert = 0;
    if (a->alert_said)
        return;
    int desc = -1;
    if (a->has_last_err && a->last_err == -0x2700 && a->verify_flags)
        desc = alert_for_verify_flags(a->verify_flags);
    alert_event(ml, SELF, 2, desc, TD_EVF_RECONSTRUCTED);
    long li = a->last_alert_ev;
    if (li >= 0 && (size_t)li < ml->cur.n_ev)
        ml->cur.ev[li].line = a->alert_line;
}

static void step_line(struct td_mbedlog *ml, const char *t)
{
    int enter = t[0] == '=';
    const char *s = t + 3;
    if (ml_starts(s, "send alert message"))
        alert_block(ml, enter);
    if (ml_starts(s, "write client hello")) {
        if (enter)
            ml->a.wrote_ch = 1;
        else
            ml->a.sent_ch = 1;
    }
    if (is_noise_step(s))
        return;
    if (!enter && (ml_find(s, "server hello") || ml_find(s, "ServerHello")))
        ml->a.heard_peer = 1;
    if (!enter && ml_starts(s, "handshake wrapup"))
        ml->a.hs_done = 1;
    struct td_event ev = {.kind = TD_EV_STEP, .a = enter, .line = ml->lineno, .line_end = ml->lineno,
                          .text = unconst(s)};
    add_event(ml, &ev);
}

static void state_line(struct td_mbedlog *ml, const char *t)
{
    int64_t code = -1;
    const char *name = NULL;
    char buf[80];
    const char *arrow = ml_find(t, "-> ");
    if (arrow) {
        /* "handshake state: 1 (MBEDTLS_SSL_CLIENT_HELLO) -> 2 (MBEDTLS_SSL_SERVER_HELLO)" */
        const char *p = arrow + 3;
        ml_parse_num(&p, 0, &code);
        const char *o = strchr(p, '('), *c = o ? strchr(o, ')') : NULL;
        if (c) {
            snprintf(buf, sizeof buf, "%.*s", (int)(c - o - 1), o + 1);
            name = buf;
        }
    } else {
        const char *p = strchr(t, ':') + 1;
        while (*p == ' ')
            p++;
        if (!ml_parse_num(&p, 0, &code)) {
            snprintf(buf, sizeof buf, "%s", p);
            name = buf;
        }
    }
    decide_reentry(ml, ml_state_is_fresh(code, name));
    /* 3.x says it twice ("handshake state: a -> b", then "client state: b"): keep one */
    const struct td_transcript *tr = &ml->cur;
    for (size_t i = tr->n_ev, k = 0; i > 0 && k < 64; i--, k++) {
        const struct td_event *e = &tr->ev[i - 1];
        if (e->kind != TD_EV_STATE)
            continue;
        if (name && e->text && !strcmp(e->text, name))
            return;
        break;
    }
    if (ml_starts(t, "client state"))
        set_side(ml, TD_ACTOR_CLIENT);
    else if (ml_starts(t, "server state"))
        set_side(ml, TD_ACTOR_SERVER);
    /* the wrapup step cannot fail (mbedtls_ssl_handshake_wrapup()): reaching it is the end, and a
     * resumed handshake goes there without "handshake: done" (15 in 2.28's and 3.6's numbering) */
    if (name ? !strcmp(name, "MBEDTLS_SSL_HANDSHAKE_OVER") || !strcmp(name, "MBEDTLS_SSL_HANDSHAKE_WRAPUP")
             : code == 15) {
        ml->a.heard_peer = ml->a.hs_done = 1;
        soft_confirmed(ml, "handshake: done");
    }
    add_simple(ml, TD_EV_STATE, TD_FACT_NONE, code, name, 0);
}

static void alert_event(struct td_mbedlog *ml, enum td_actor from, int level, int desc, unsigned flags)
{
    if (from == SELF)
        ml->a.alert_said = 1;
    long li = ml->a.last_alert_ev;
    if (li >= 0 && (size_t)li < ml->cur.n_ev) {
        struct td_event *e = &ml->cur.ev[li];
        /* "got an alert message, type: [2:80]" then "is a fatal alert message (msg 80)" */
        if (e->kind == TD_EV_ALERT && e->from == from && e->b == desc && ml->lineno - e->line_end <= 3) {
            e->line_end = ml->lineno;
            return;
        }
    }
    struct td_event ev = {.kind = TD_EV_ALERT, .from = from, .a = level, .b = desc,
                          .line = ml->lineno, .line_end = ml->lineno, .flags = flags};
    /* the received alert's record was dumped just before: the alert starts there */
    for (size_t i = ml->cur.n_ev, k = 0; i > 0 && k < 16; i--, k++) {
        const struct td_event *r = &ml->cur.ev[i - 1];
        if (r->kind == TD_EV_ALERT)
            break;
        if (r->kind == TD_EV_RECORD && r->from == from && r->len == 7 && r->data[0] == 21 &&
            r->data[6] == desc) {
            ev.line = r->line;
            break;
        }
    }
    if (add_event(ml, &ev))
        ml->a.last_alert_ev = (long)ml->cur.n_ev - 1;
    if (from == PEER)
        ml->a.heard_peer = 1;
}

static int alert_line(struct td_mbedlog *ml, const char *t)
{
    const char *p;
    int64_t a, b;
    if (t[0] != 'g' && t[0] != 'i' && t[0] != 's')
        return 0;
    if ((p = ml_find(t, "got an alert message, type: ["))) {
        p += 29;
        if (ml_parse_num(&p, 0, &a) && *p == ':' && (p++, ml_parse_num(&p, 0, &b)))
            alert_event(ml, PEER, (int)a, (int)b, 0);
        return 1;
    }
    if ((p = ml_find(t, "is a fatal alert message (msg "))) {
        p += 30;
        if (ml_parse_num(&p, 0, &b))
            alert_event(ml, PEER, 2, (int)b, 0);
        return 1;
    }
    if (ml_find(t, "is a close notify message")) {
        alert_event(ml, PEER, 1, 0, 0);
        return 1;
    }
    if ((p = ml_find(t, "send alert level="))) {
        p += 17;
        if (ml_parse_num(&p, 0, &a) && (p = ml_find(p, "message=")) && (p += 8, ml_parse_num(&p, 0, &b)))
            alert_event(ml, SELF, (int)a, (int)b, 0);
        return 1;
    }
    return 0;
}

/* The Mbed TLS generation the attempt shows so far (file names, or the version an application line
 * printed), 0 if none yet. */
static int cur_major(const struct td_mbedlog *ml)
{
    if (ml->a.major_seen[3])
        return 3;
    const char *v = ml->version;
    while (*v && (*v < '0' || *v > '9'))
        v++;
    if ((*v == '2' || *v == '3') && v[1] == '.')
        return *v - '0';
    return ml->a.major_seen[2] ? 2 : 0;
}

/* A soft return waiting for what shows Mbed TLS carried on after it: its confirming message within
 * 4 lines ("ignoring unexpected CID", which a level-1/2 log does not print), or the call it came from
 * completing anyway ("<= read", "<= write", "handshake: done", the handshake over). A call that
 * ends without either ("<= handshake") leaves it a failure. */
/* Is t one of the confirming messages (alternatives separated by '|', as the table writes them)? */
static int confirm_is(const char *confirm, const char *t)
{
    size_t n = strlen(t);
    for (const char *p = confirm; p && *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && !memcmp(p, t, n))
            return 1;
        p = bar ? bar + 1 : NULL;
    }
    return 0;
}

/* A return that, like the pending one, waits for a confirming message (a decryption failure on
 * its way up to "discarding invalid record (mac)"). */
static int waits_for_confirm(struct td_mbedlog *ml, const struct td_event *e, const char *t, int done)
{
    const char *c = NULL;
    return !(e->flags & TD_EVF_SOFT) && ml_soft_ret(e->code, e->text, cur_major(ml), &c) && c &&
           (done || confirm_is(c, t));
}

static void soft_confirmed(struct td_mbedlog *ml, const char *t)
{
    struct attempt_state *a = &ml->a;
    if (a->soft_ev < 0)
        return;
    int done = !strcmp(t, "<= read") || !strcmp(t, "<= write") || !strcmp(t, "handshake: done") ||
               !strcmp(t, "<= handshake wrapup");
    if (done || (ml->lineno - a->soft_line <= 4 && confirm_is(a->soft_confirm, t))) {
        for (size_t i = (size_t)a->soft_ev; i < ml->cur.n_ev; i++)
            if (ml->cur.ev[i].kind == TD_EV_RETURN &&
                (ml->cur.ev[i].code == a->soft_code || waits_for_confirm(ml, &ml->cur.ev[i], t, done)))
                ml->cur.ev[i].flags |= TD_EVF_SOFT;
        /* the last error is this return (an attempt past max_events keeps no event for it) */
        if ((a->last_err_ev >= 0 && (size_t)a->last_err_ev < ml->cur.n_ev &&
             (ml->cur.ev[a->last_err_ev].flags & TD_EVF_SOFT)) ||
            (a->has_last_err && a->last_err == a->soft_code))
            a->has_last_err = 0;
        a->soft_ev = -1;
    } else if (!strcmp(t, "<= handshake")) {
        a->soft_ev = -1;
    }
}

/* "f() returned -30592 (-0x7780)", "ssl->f_send() returned 86 (-0xffffffaa)" */
static int returned_line(struct td_mbedlog *ml, const char *t, unsigned flags)
{
    const char *r = ml_find(t, " returned ");
    if (!r)
        return 0;
    const char *p = r + 10;
    int64_t code;
    if (!ml_parse_num(&p, 0, &code)) {
        /* "returned zu (-0x7780)": the number is missing, the hex may not be */
        const char *h = strchr(p, '(');
        if (!h || (h++, !ml_parse_num(&h, 0, &code)))
            return 1;
    }
    /* the function: the word before " returned" */
    const char *f = r;
    while (f > t && !isspace((unsigned char)f[-1]) && f[-1] != ':')
        f--;
    char fn[80];
    size_t fl = (size_t)(r - f);
    if (fl >= 2 && f[fl - 2] == '(' && f[fl - 1] == ')')
        fl -= 2;
    snprintf(fn, sizeof fn, "%.*s", (int)(fl < 79 ? fl : 79), f);
    if (ml_starts(fn, "ssl->f_send") || ml_starts(fn, "ssl->f_recv")) {
        enum td_actor from = fn[7] == 's' ? SELF : PEER;
        if (from == PEER && code > 0)
            ml->a.heard_peer = 1;
        struct td_event ev = {.kind = TD_EV_IO, .from = from, .code = code, .line = ml->lineno,
                              .line_end = ml->lineno, .text = fn, .flags = flags};
        add_event(ml, &ev);
        return 1;
    }
    if (code >= 0)
        return 1;
    if (ml_starts(fn, "ssl_") && (!strcmp(fn, "ssl_read_record") || !strcmp(fn, "ssl_handshake") ||
                                  !strcmp(fn, "ssl_fetch_input") || !strcmp(fn, "ssl_write_record")))
        ml->a.polarssl_names = 1;
    const char *confirm;
    int soft = ml_soft_ret(code, fn, cur_major(ml), &confirm);
    add_simple(ml, TD_EV_RETURN, TD_FACT_NONE, code, fn, flags | (soft && !confirm ? TD_EVF_SOFT : 0));
    if (soft && confirm) {
        /* a run of the same code on its way up ("fetch_input", "read_record") waits as one */
        if (ml->a.soft_ev < 0)
            ml->a.soft_ev = (long)ml->cur.n_ev - 1;
        ml->a.soft_code = code;
        ml->a.soft_confirm = confirm;
        ml->a.soft_line = ml->lineno;
    }
    if (!(flags & TD_EVF_FROM_APP) && !(soft && !confirm)) {
        ml->a.has_last_err = 1;
        ml->a.last_err = code;
        ml->a.last_err_ev = (long)ml->cur.n_ev - 1;
    }
    /* a renegotiation's failure is the connection's handshake failing: the application's
     * mbedtls_ssl_renegotiate() return, or its next failing call once Mbed TLS said the peer did
     * not honour the renegotiation it asked for */
    if ((flags & TD_EVF_FROM_APP) &&
        (ml_find(fn, "handshake") || ml_find(fn, "renegotiate") || (ml->a.renego_not_honored && !soft))) {
        ml->cur.handshake_ret_known = 1;
        ml->cur.handshake_ret_line = ml->lineno;
        ml->cur.handshake_ret = code;
        ml->a.app_hs_ret = 1;
        ml->a.app_ret_soft = soft && !confirm;
    }
    return 1;
}

static int64_t hex_after(const char *t, const char *needle, int hex)
{
    const char *p = ml_find(t, needle);
    int64_t v;
    if (!p)
        return -1;
    p += strlen(needle);
    while (*p == ' ')
        p++;
    return ml_parse_num(&p, hex, &v) ? v : -1;
}

/* td_reg_suite_by_name() with a small memo: the registry lookup compares the name with every
 * suite's two spellings, and a long log names the same few suites in attempt after attempt. */
static const struct td_suite *suite_by_name(struct td_mbedlog *ml, const char *name)
{
    size_t n = strlen(name);
    int keep = n > 0 && n < sizeof ml->memo[0].name;
    for (size_t i = 0; keep && i < SUITE_MEMO; i++)
        if (!strcmp(ml->memo[i].name, name))
            return ml->memo[i].row;
    const struct td_suite *s = td_reg_suite_by_name(name);
    if (keep) {
        struct suite_memo *m = &ml->memo[ml->memo_next++ % SUITE_MEMO];
        memcpy(m->name, name, n + 1);
        m->row = s;
    }
    return s;
}

/* "cca8", "0xc02f", "( 1303 ) - TLS1-3-CHACHA20-POLY1305-SHA256", "TLS-ECDHE-RSA-WITH-..." */
static void chosen_suite(struct td_mbedlog *ml, const char *p)
{
    while (*p == ' ' || *p == '(')
        p++;
    int64_t id = -1;
    const char *q = p;
    size_t hx = strspn(p, "0123456789abcdefABCDEF");
    const char *name = NULL;
    if (ml_starts(p, "0x") || (hx == 4 && (p[4] == '\0' || p[4] == ' ' || p[4] == ')' || p[4] == ','))) {
        ml_parse_num(&q, 1, &id);
        name = strchr(q, '-');
        name = name && name[1] == ' ' ? name + 2 : NULL;
    } else {
        name = p;
        const struct td_suite *s = suite_by_name(ml, p);
        if (s)
            id = s->id;
    }
    const struct td_transcript *t = &ml->cur;
    for (size_t i = 0; i < t->n_ev; i++)
        if (t->ev[i].kind == TD_EV_FACT && t->ev[i].fact == TD_FACT_CHOSEN_SUITE && t->ev[i].code == id)
            return;   /* said twice (2.x: id, then name) */
    add_simple(ml, TD_EV_FACT, TD_FACT_CHOSEN_SUITE, id, name, 0);
}

static int fact_line(struct td_mbedlog *ml, const struct ml_line *l)
{
    const char *t = l->text;
    const char *p;
    int64_t v;
    /* every phrase below starts with one of these: most lines are ruled out at once */
    if (!strchr("casCgDEirf!", t[0]) || !t[0])
        return 0;
    if ((p = ml_find(t, "add ciphersuite: "))) {
        if (parse_suite(p + 17, ml->a.major_seen[1] || ml->a.polarssl_names, &v))
            add_simple(ml, TD_EV_FACT, TD_FACT_OFFERED_SUITE, v, NULL, 0);
        return 1;
    }
    if (ml_starts(t, "adding EMPTY_RENEGOTIATION_INFO_SCSV")) {
        add_simple(ml, TD_EV_FACT, TD_FACT_OFFERED_SUITE, 0xff, NULL, 0);
        return 1;
    }
    if (ml_find(t, "max version: [") || ml_find(t, "min version: [")) {
        if (parse_version(t, &v))
            add_simple(ml, TD_EV_FACT, ml_find(t, "max") ? TD_FACT_MAX_VERSION : TD_FACT_MIN_VERSION, v, NULL, 0);
        return 1;
    }
    if (ml_starts(t, "supported version: [")) {
        if (parse_version(t, &v))
            add_simple(ml, TD_EV_FACT, TD_FACT_OFFERED_VERSION, v, NULL, 0);
        return 1;
    }
    if (ml_find(t, "chosen version: [") || ml_find(t, "negotiated version: [")) {
        if (parse_version(t, &v)) {
            add_simple(ml, TD_EV_FACT, TD_FACT_CHOSEN_VERSION, v, NULL, 0);
            ml->dtls_seen |= dtls_version(v);   /* kept even when the attempt's events are capped */
        }
        return 1;
    }
    if ((p = ml_find(t, "client hello, current time: "))) {
        p += 28;
        if (ml_parse_num(&p, 0, &v))
            add_simple(ml, TD_EV_FACT, TD_FACT_CLIENT_TIME, v, NULL, 0);
        return 1;
    }
    if (ext_exists_line(ml, t) || ext_adding_line(ml, t))
        return 1;
    if ((v = hex_after(t, "got supported group(", 1)) >= 0) {
        add_simple(ml, TD_EV_FACT, TD_FACT_GROUP, v, NULL, 0);
        return 1;
    }
    if ((v = hex_after(t, "sent signature scheme [", 1)) >= 0) {
        add_simple(ml, TD_EV_FACT, TD_FACT_SIGALG, v, NULL, 0);
        return 1;
    }
    if ((p = ml_find(t, "chosen ciphersuite: ")) || (p = ml_find(t, "ciphersuite = "))) {
        chosen_suite(ml, strchr(p, ':') ? strchr(p, ':') + 1 : strchr(p, '=') + 1);
        return 1;
    }
    if ((p = ml_find(t, "DHE group name: ")) || (p = ml_find(t, "ECDH curve: "))) {
        p = strchr(p, ':') + 2;
        add_simple(ml, TD_EV_FACT, TD_FACT_CHOSEN_GROUP, ml_group_id(p), p, 0);
        return 1;
    }
    if ((p = ml_find(t, "fragment larger than the (negotiated) maximum fragment length: "))) {
        const char *q = p + 63;
        int64_t max;
        if (ml_parse_num(&q, 0, &v) && (q = ml_find(q, " > ")) && (q += 3, ml_parse_num(&q, 0, &max))) {
            struct td_event ev = {.kind = TD_EV_FACT, .fact = TD_FACT_WRITE_TOO_LARGE, .code = v,
                                  .a = max > INT32_MAX ? INT32_MAX : (int)max, .line = ml->lineno,
                                  .line_end = ml->lineno};
            add_event(ml, &ev);
        }
        return 1;
    }
    if (ml_find(t, "record from another epoch: expected 0, received "))
        ml->a.old_epoch_first = 1;
    if ((p = ml_find(t, "input record: msgtype = "))) {
        const char *q = p + 24;
        if (ml_parse_num(&q, 0, &v))
            ml->a.last_in_type = (int)v;
        if ((v = hex_after(t, "msglen = ", 0)) >= 0)
            add_simple(ml, TD_EV_FACT, TD_FACT_RECORD_LEN, v, NULL, 0);
        return 1;
    }
    if ((p = ml_find(t, "record type after decrypt"))) {
        p = strchr(p, ')');
        if (p && p[1] == ':') {
            p += 2;
            while (*p == ' ')
                p++;
            if (ml_parse_num(&p, 0, &v))
                ml->a.decrypt_type = (int)v;
        }
        return 1;
    }
    if ((p = ml_find(t, "Certificate verification flags"))) {
        p += 30;
        while (*p == ' ')
            p++;
        v = 0;
        if (!ml_starts(p, "clear"))
            ml_parse_num(&p, 1, &v);
        add_simple(ml, TD_EV_VERIFY, TD_FACT_NONE, v, t, 0);
        return 1;
    }
    return 0;
}

/* Lines worth keeping as messages: every level-1 line, and level 2+ lines that report trouble. */
static int message_worthy(const struct ml_line *l)
{
    /* Mbed TLS reports trouble at level 1; from the higher levels only these are kept */
    static const char *const words_verbose[] = {
        "bad ", "fail", "certificate request", "handshake: done", "SSL configuration", "fragment length",
        "no CA chain", NULL
    };
    static const char *const words[] = {
        "bad ", "fail", "unsupported", "mismatch", "requesting more data", "too ", "invalid",
        "fragment length", "buffer", "certificate request", "handshake: done", "not supported",
        "no matching", "not allowed", "expected", "SSL configuration", "no CA chain", "unknown",
        "!", "error", "wrong", "peer not", "got no", NULL
    };
    static const char *const quiet[] = {
        "Perform PSA-based", "Perform mbedtls-based", "Switch to ", "skip ", NULL
    };
    if (ml_find(l->text, "does not exist") || ml_starts(l->text, "dumping"))
        return 0;
    for (const char *const *q = quiet; *q; q++)
        if (ml_starts(l->text, *q))
            return 0;
    if (l->level == 1)
        return 1;
    for (const char *const *w = l->level ? words_verbose : words; *w; w++)
        if (ml_find(l->text, *w))
            return 1;
    return 0;
}

/* Frequent lines that say nothing a Transcript keeps (buffer bookkeeping, key material, the 3.x
 * per-message extension lists other than the ClientHello's, big-number rows). */
static int is_noise_line(const char *t)
{
    static const char *const noise[] = {
        "in_left:", "message length:", "set_timer", "value of '", "NamedGroup:", "got signature scheme",
        "output record:", "handshake message:", "sole handshake fragment", "decrypted handshake message",
        "keylen:", "ServerHello: ", "EncryptedExtensions: ", "CertificateRequest: ", "Certificate: ",
        "before encrypt:", "Supported Signature Algorithm", "reuse previously read", NULL
    };
    if (isxdigit((unsigned char)t[0]) && isxdigit((unsigned char)t[1]) && (t[2] == ' ' || t[2] == '\0'))
        return 1;   /* a big number's rows: " 43 74 3e ..." */
    for (const char *const *n = noise; *n; n++)
        if (t[0] == (*n)[0] && ml_starts(t, *n))
            return 1;
    return 0;
}

/* What a message read by its text says of its writer: the side whose code prints it, and the
 * generation when only one has it. Its lowest debug level stands in for the missing |L|. */
static void note_msg(struct td_mbedlog *ml, const struct ml_msg *m)
{
    set_side(ml, m->side == ML_SIDE_CLIENT ? TD_ACTOR_CLIENT
                 : m->side == ML_SIDE_SERVER ? TD_ACTOR_SERVER : TD_ACTOR_UNKNOWN);
    if (m->versions && !(m->versions & ml_msgcat_major3))
        ml->a.major_seen[2] = 1;
    else if (m->versions && !(m->versions & ml_msgcat_major2))
        ml->a.major_seen[3] = 1;
    int level = 0;
    while (level < 8 && m->levels && !(m->levels & (1u << level)))
        level++;
    if (m->levels && level > ml->cur.debug_level)
        ml->cur.debug_level = level;
}

static void note_file(struct td_mbedlog *ml, const struct ml_line *l)
{
    if (!l->file_len && l->msg) {
        note_msg(ml, l->msg);
        return;
    }
    /* a log names the same few files over and over: the last one's hint is kept */
    struct ml_file_info fi;
    if (l->file_len == ml->memo_file_len && l->major == ml->memo_major &&
        !memcmp(l->file, ml->memo_file, l->file_len)) {
        fi = ml->memo_fi;
    } else {
        ml_line_file_info(l, &fi);
        memcpy(ml->memo_file, l->file, l->file_len);
        ml->memo_file_len = l->file_len;
        ml->memo_major = l->major;
        ml->memo_fi = fi;
    }
    if (fi.major >= 1 && fi.major <= 3)
        ml->a.major_seen[fi.major] = 1;
    if (fi.msg_split)
        ml->a.msg_split = 1;
    set_side(ml, fi.side);
    /* ESP-IDF's level letter stands in for |L| when the hook drops it */
    int level = l->level ? l->level : l->level_letter;
    if (level > ml->cur.debug_level)
        ml->cur.debug_level = level;
}

/* The events from index k on leave the current attempt and open the next one. */
static void split_attempt(struct td_mbedlog *ml, size_t k)
{
    struct td_transcript *t = &ml->cur;
    size_t n = k < t->n_ev ? t->n_ev - k : 0;
    struct td_event *tail = n ? malloc(n * sizeof *tail) : NULL;
    if (n && !tail) {
        ml->err = TD_ERR_NOMEM;
        return;
    }
    if (n)
        memcpy(tail, t->ev + k, n * sizeof *tail);
    t->n_ev -= n;
    ml_finish_attempt(ml);
    start_attempt(ml);
    ml->a.started = 1;
    ml->a.key_events++;
    for (size_t i = 0; i < n; i++) {
        if (ml->a.hs_enter_ev == 0 && tail[i].kind == TD_EV_STEP && tail[i].a == 1 && tail[i].text &&
            !strcmp(tail[i].text, "handshake"))
            ml->a.hs_enter_ev = ml->cur.n_ev;
        add_event(ml, &tail[i]);
        free(tail[i].text);
        free(tail[i].data);
    }
    free(tail);
}

/* The same attempt goes on: its result is the one this call ends with (a handshake seen complete
 * stays complete: hs_done is kept). */
static void resume_attempt(struct td_mbedlog *ml)
{
    ml->a.left_handshake = 0;
    ml->a.app_hs_ret = ml->a.app_ret_soft = 0;
    ml->cur.handshake_ret_known = 0;
    ml->cur.handshake_ret_line = 0;
}

/* A re-entry after a completed handshake waits for its first state: a fresh handshake is a new
 * attempt (a new connection), anything else a post-handshake call of the same connection. */
static void decide_reentry(struct td_mbedlog *ml, int fresh)
{
    if (!ml->a.pend_split)
        return;
    ml->a.pend_split = 0;
    if (fresh)
        split_attempt(ml, ml->a.hs_enter_ev);
    else
        resume_attempt(ml);
}

static void enter_handshake(struct td_mbedlog *ml)
{
    struct attempt_state *a = &ml->a;
    enum ml_reentry re = ML_RE_NEW;
    if (a->active && a->started) {
        int app_ok = a->app_hs_ret && ml->cur.handshake_ret == 0;
        struct ml_hs_view v = {.left = a->left_handshake, .over = a->hs_done || app_ok,
                               .failed = a->has_last_err, .app_ret = a->app_hs_ret,
                               .app_ret_soft = a->app_ret_soft || app_ok, .since = a->hs_enter_ev};
        re = a->pend_split ? ML_RE_SAME : ml_reentry_of(&ml->cur, &v);
        a->pend_split = 0;
        a->hs_done |= v.over;
        if (re == ML_RE_NEW)
            ml_finish_attempt(ml);
        else if (re == ML_RE_SAME)
            resume_attempt(ml);
    }
    ensure_attempt(ml);
    a->started = 1;
    a->has_last_err = 0;
    a->last_err_ev = -1;
    a->key_events++;
    a->hs_enter_ev = ml->cur.n_ev;
    a->pend_split = re == ML_RE_AT_STATE;
}
void ml_debug_line(struct td_mbedlog *ml, const struct ml_line *l)
{
    const char *t = l->text;
    uint8_t row[16];
    unsigned long off;
    size_t n;
    ml->st.debug_lines++;
    if (ml->d.active && (n = ml_parse_row(t, &off, row)) > 0) {
        ml_dump_row(ml, off, row, n);
        return;
    }
    close_dump(ml);
    if (ml->cert.active && !ml->cert.from_app && ml->cert.srcline == l->srcline &&
        !strcmp(ml->cert.file, l->file) && !ml_find(t, "certificate #") &&
        (l->file_len || !l->msg || l->msg->kind == ML_K_CERTLINE)) {
        cert_append(ml, t);
        return;
    }
    close_cert(ml);
    int hs_enter = t[0] == '=' && !strcmp(t, "=> handshake");
    if (hs_enter)
        enter_handshake(ml);
    ensure_attempt(ml);
    ml->a.debug_lines++;
    note_file(ml, l);
    if (hs_enter) {
        add_simple(ml, TD_EV_STEP, TD_FACT_NONE, 0, "handshake", 0);
        ml->cur.ev[ml->cur.n_ev - 1].a = 1;
        return;
    }
    if (t[0] == '<' && !strcmp(t, "<= handshake")) {
        soft_confirmed(ml, t);
        decide_reentry(ml, 0);
        ml->a.left_handshake = 1;
        /* the result: the last error returned on the way out, or success if the handshake said
         * it was done; a failure that printed no return code (an alert sent after a bad message)
         * leaves it unknown unless the application printed it */
        if (!ml->a.app_hs_ret && (ml->a.has_last_err || ml->a.hs_done)) {
            ml->cur.handshake_ret_known = 1;
            ml->cur.handshake_ret_line = ml->lineno;
            ml->cur.handshake_ret = ml->a.has_last_err ? ml->a.last_err : 0;
        }
        add_simple(ml, TD_EV_STEP, TD_FACT_NONE, 0, "handshake", 0);
        return;
    }
    if (ml_starts(t, "dumping '")) {
        open_dump(ml, t);
        return;
    }
    /* a message only a server prints ("=> parse client hello") tells a log whose file names and
     * states were cut away; looked up only until the side is known */
    if (ml->a.side == TD_ACTOR_UNKNOWN && ml_side_of_msg(t) == TD_ACTOR_SERVER)
        set_side(ml, TD_ACTOR_SERVER);
    soft_confirmed(ml, t);
    if (((t[0] == '=' && t[1] == '>') || (t[0] == '<' && t[1] == '=')) && t[2] == ' ') {
        if (ml->a.pend_split && (!strcmp(t, "=> write client hello") || !strcmp(t, "=> parse client hello")))
            decide_reentry(ml, 1);
        step_line(ml, t);
        return;
    }
    if (ml_starts(t, "client state:") || ml_starts(t, "server state:") || ml_starts(t, "handshake state:")) {
        state_line(ml, t);
        return;
    }
    if ((t[0] == 'S' || t[0] == 'E') && (ml_starts(t, "ServerHello: max_fragment_length(1) extension does not exist") ||
                                         ml_starts(t, "EncryptedExtensions: max_fragment_length(1) extension does not exist")))
        add_simple(ml, TD_EV_FACT, TD_FACT_MFL_NOT_ECHOED, 1, t, 0);
    if (is_noise_line(t))
        return;
    const char *p;
    /* a server's "candidate certificate chain, certificate #1:" (ssl_pick_cert(), level 3) is its own */
    if ((t[0] == 'p' || t[0] == 'o' || t[0] == 'c') &&
        (ml_starts(t, "peer certificate") || ml_starts(t, "own certificate") ||
         ml_starts(t, "candidate certificate chain, certificate #")) &&
        (p = ml_find(t, "certificate #"))) {
        int64_t idx = 1;
        p += 13;
        ml_parse_num(&p, 0, &idx);
        open_cert(ml, l, ml_starts(t, "peer") ? (int)idx - 1 : -1, 0);
        return;
    }
    enum td_refusal why = ml->a.side == TD_ACTOR_SERVER ? ml_server_refusal(t) : TD_REFUSAL_NONE;
    if (why != TD_REFUSAL_NONE)
        add_simple(ml, TD_EV_FACT, TD_FACT_REFUSAL, why, t, 0);
    enum td_renego rn = ml_renego_of(t);
    if (rn != TD_RENEGO_NONE) {
        add_simple(ml, TD_EV_FACT, TD_FACT_RENEGO, rn, t, 0);
        ml->a.renego_not_honored |= rn == TD_RENEGO_NOT_HONORED;
    }
    certmsg_line(ml, t);
    if (alert_line(ml, t) || returned_line(ml, t, 0) || fact_line(ml, l))
        return;
    if (t[0] == 'h' && !strcmp(t, "handshake: done"))
        ml->a.hs_done = 1;
    if (message_worthy(l))
        add_simple(ml, TD_EV_MESSAGE, TD_FACT_NONE, l->level, t, 0);
}

/* ---- application lines ----------------------------------------------------------------------- */

/* "ret = 0xffff8880", "ret=-0x7780", "error -0x7780", "err -30592" */
/* A value Mbed TLS returns: a known code, or a combined one whose high-level part is known. */
static int known_code(int64_t v)
{
    if (v >= 0 || v < -0xFFFF)
        return 0;
    if (td_mbedtls_err_lookup((int)v, 0))
        return 1;
    int high, low;
    td_mbedtls_err_split((int)v, &high, &low);
    return high && low && td_mbedtls_err_lookup(high, 0) && td_mbedtls_err_lookup(low, 0);
}

/* The number at *pp as an application printed a return code: "-0x7200", "-29184", or hex without
 * its 0x ("-7200", MicroPython's and older Zephyr's form: read as hex when only hex gives a code). */
static int app_code(const char **pp, int64_t *v)
{
    const char *p = *pp, *digits = p + (*p == '-');
    int has_x = digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X');
    const char *q = p;
    if (!ml_parse_num(&q, 0, v))
        return 0;
    if (!has_x && !known_code(*v)) {
        const char *h = p;
        int64_t hv;
        if (ml_parse_num(&h, 1, &hv) && h == q && known_code(hv))
            *v = hv;
    }
    *pp = q;
    return 1;
}

static int app_ret(const char *t, int64_t *v)
{
    static const char *const keys[] = {"ret", "err", "error", "error code", "rc", "reason", "Reason", NULL};
    for (const char *const *k = keys; *k; k++) {
        size_t kl = strlen(*k);
        for (const char *p = t; (p = ml_find(p, *k)) != NULL; p += kl) {
            if (p > t && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
                continue;
            const char *q = p + kl;
            while (*q == ' ')
                q++;
            if (*q == '=' || *q == ':')
                q++;
            while (*q == ' ')
                q++;
            if (*q == '[' || *q == '(')
                q++;   /* "Reason:[-0x4310]" */
            if ((q[0] == '-' || (q[0] == '0' && q[1] == 'x')) && app_code(&q, v) && *v < 0)
                return 1;
        }
    }
    return 0;
}

static int lib_version_line(struct td_mbedlog *ml, const char *t)
{
    static const char *const names[] = {"Mbed TLS ", "mbed TLS ", "PolarSSL ", "MbedTLS ", NULL};
    for (const char *const *n = names; *n; n++) {
        const char *p = ml_find(t, *n);
        if (!p)
            continue;
        p += strlen(*n);
        if (*p == 'v')
            p++;
        if (!isdigit((unsigned char)p[0]) || p[1] != '.' || !isdigit((unsigned char)p[2]))
            continue;
        size_t len = strspn(p, "0123456789.");
        snprintf(ml->version, sizeof ml->version, "%s%.*s", *n, (int)len, p);
        return 1;
    }
    return 0;
}

int ml_cert_text_line(const char *raw)
{
    if (raw[0] == ' ' && raw[1] == ' ' && raw[2] != '!')
        return raw[2] != '\0' && strncmp(raw, "  This certificate", 18) != 0;
    const char *colon = strstr(raw, " : ");
    if (!colon || colon - raw > 24)
        return 0;
    for (const char *p = raw; p < colon; p++)
        if (!isalpha((unsigned char)*p) && *p != ' ' && *p != '.')
            return 0;
    return 1;
}

/* The handshake returned 0: every failing return Mbed TLS printed during it was one it carried on
 * after (a certificate that failed verification under MBEDTLS_SSL_VERIFY_OPTIONAL: ssl_tls.c clears
 * x509_verify_cert()'s error), so none is the failure. */
static void carried_on(struct td_mbedlog *ml)
{
    for (size_t i = ml->a.hs_enter_ev; i < ml->cur.n_ev; i++) {
        struct td_event *e = &ml->cur.ev[i];
        if (e->kind == TD_EV_RETURN && e->code < 0 && !(e->flags & TD_EVF_FROM_APP))
            e->flags |= TD_EVF_SOFT;
    }
}

/* Another program's error line (nginx, Go, OpenSSL, GnuTLS, Mosquitto: peerline.c), anywhere in
 * the raw line: a TD_FACT_PEER_ERROR whose text is the whole line. */
static int peer_line(struct td_mbedlog *ml, const char *raw)
{
    struct ml_peer_hit h;
    if (!ml_peer_line(raw, &h))
        return 0;
    ensure_attempt(ml);
    ml->st.app_lines++;
    struct td_event ev = {.kind = TD_EV_FACT, .fact = TD_FACT_PEER_ERROR, .code = h.cause,
                          .from = h.raised_by, .a = (int)h.printer, .b = h.received,
                          .line = ml->lineno, .line_end = ml->lineno, .flags = TD_EVF_FROM_APP,
                          .text = unconst(raw)};
    add_event(ml, &ev);
    return 1;
}

/* The last code printed in [t, end): a negative number, or a bare hex one that is a code negated. */
static int code_before(const char *t, const char *end, int64_t *out)
{
    int found = 0;
    for (const char *p = t; p < end && *p;) {
        int start = (*p == '-' && isdigit((unsigned char)p[1])) ||
                    (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && (p == t || !isalnum((unsigned char)p[-1])));
        if (!start || (p > t && isalnum((unsigned char)p[-1]))) {
            p++;
            continue;
        }
        const char *q = p;
        int64_t v;
        if (!app_code(&q, &v) || q == p) {
            p++;
            continue;
        }
        if (v > 0 && p[0] == '0')
            v = -v;   /* "[0x6980]": python-mbedtls prints the magnitude */
        if (known_code(v)) {
            *out = v;
            found = 1;
        }
        p = q;
    }
    return found;
}

static int has_return(const struct td_mbedlog *ml, int64_t code)
{
    for (size_t i = 0; i < ml->cur.n_ev; i++)
        if (ml->cur.ev[i].kind == TD_EV_RETURN && ml->cur.ev[i].code == code)
            return 1;
    return 0;
}

void ml_app_line(struct td_mbedlog *ml, const char *raw, const char *t)
{
    const char *p;
    int64_t v;
    if (ml->cert.active && ml->cert.from_app) {
        if (ml_cert_text_line(raw)) {
            cert_append(ml, raw);
            return;
        }
        close_cert(ml);
    }
    if (peer_line(ml, raw))
        return;
    /* the application read or wrote data after a soft return ("156 bytes read", ssl_client2's
     * words): the call carried on, as "<= read" says at level 2 */
    if (ml->a.soft_ev >= 0 && (p = ml_find(t, " bytes ")) && p > t && isdigit((unsigned char)p[-1]) &&
        (ml_starts(p + 7, "read") || ml_starts(p + 7, "written")))
        soft_confirmed(ml, "<= read");
    /* a server program's own lines ("Waiting for a remote connection") tell an application-only log,
     * and so do the messages only a server's Mbed TLS prints, where a debug hook dropped file:line */
    if ((!ml->a.active || ml->a.side == TD_ACTOR_UNKNOWN) &&
        (ml_side_of_app_line(t) == TD_ACTOR_SERVER || ml_side_of_msg(t) == TD_ACTOR_SERVER)) {
        ensure_attempt(ml);
        set_side(ml, TD_ACTOR_SERVER);
    }
    if ((p = ml_find(t, "Verify requested for (Depth "))) {
        p += 28;
        ensure_attempt(ml);
        ml->st.app_lines++;
        if (ml_parse_num(&p, 0, &v))
            open_cert(ml, NULL, (int)v, 1);
        return;
    }
    if (lib_version_line(ml, t)) {
        if (ml->a.active && !ml->a.left_handshake)
            add_simple(ml, TD_EV_FACT, TD_FACT_LIB_VERSION, 0, ml->version, TD_EVF_FROM_APP);
        ml->st.app_lines++;
        return;
    }
    if ((p = ml_find(t, "[ Protocol is ")) || (p = ml_find(t, "[ Ciphersuite is "))) {
        /* ssl_client2-style programs print these once the handshake returned 0 */
        int proto = p[2] == 'P';
        const char *v0 = p + (proto ? 14 : 17);
        char val[80];
        snprintf(val, sizeof val, "%.*s", (int)strcspn(v0, " ]"), v0);
        if (proto && ml->a.active && ml->a.app_hs_ret)
            ml_finish_attempt(ml);
        ensure_attempt(ml);
        ml->st.app_lines++;
        if (proto) {
            static const struct {
                const char *name;
                int v;
            } vers[] = {{"TLSv1.3", 0x0304}, {"TLSv1.2", 0x0303}, {"TLSv1.1", 0x0302}, {"TLSv1.0", 0x0301},
                        {"TLSv1", 0x0301}, {"SSLv3.0", 0x0300}, {"DTLSv1.2", 0xfefd}, {"DTLSv1.0", 0xfeff},
                        {NULL, 0}};
            int64_t code = -1;
            for (size_t i = 0; vers[i].name; i++)
                if (!strcmp(val, vers[i].name)) {
                    code = vers[i].v;
                    break;
                }
            add_simple(ml, TD_EV_FACT, TD_FACT_CHOSEN_VERSION, code, val, TD_EVF_FROM_APP);
            ml->dtls_seen |= dtls_version(code);
            if (!ml->a.app_hs_ret) {
                ml->cur.handshake_ret_known = 1;
            ml->cur.handshake_ret_line = ml->lineno;
                ml->cur.handshake_ret = 0;
                ml->a.app_hs_ret = 1;
                carried_on(ml);
            }
        } else {
            const struct td_suite *su = suite_by_name(ml, val);
            int64_t id = su ? su->id : -1;
            for (size_t i = 0; i < ml->cur.n_ev; i++)
                if (ml->cur.ev[i].kind == TD_EV_FACT && ml->cur.ev[i].fact == TD_FACT_CHOSEN_SUITE &&
                    ml->cur.ev[i].code == id)
                    return;
            add_simple(ml, TD_EV_FACT, TD_FACT_CHOSEN_SUITE, id, val, TD_EVF_FROM_APP);
        }
        return;
    }
    const struct ml_verify_msg *vm = ml_verify_find(t);
    if (vm) {
        ensure_attempt(ml);
        ml->st.app_lines++;
        add_simple(ml, TD_EV_VERIFY, TD_FACT_NONE, vm->flag, vm->text, TD_EVF_FROM_APP);
        return;
    }
    if (ml_find(t, "This certificate has no flags")) {
        ensure_attempt(ml);
        add_simple(ml, TD_EV_VERIFY, TD_FACT_NONE, 0, t, TD_EVF_FROM_APP);
        return;
    }
    const char *r = ml_find(t, " returned ");
    if (r && (ml_find(t, "mbedtls_") || ml_find(t, "ssl_") || ml_find(t, "x509_"))) {
        /* a new application-reported handshake result after one already seen: a new attempt */
        if (ml->a.active && ml->a.app_hs_ret && ml_find(t, "handshake"))
            ml_finish_attempt(ml);
        ensure_attempt(ml);
        size_t before = ml->cur.n_ev;
        returned_line(ml, t, TD_EVF_FROM_APP);
        if (ml->cur.n_ev > before) {
            ml->st.app_lines++;
            return;
        }
        /* "returned 'SSL - No client certification received ...'": the error string, no number */
    }
    if ((p = ml_find(t, "Last error was: "))) {
        ensure_attempt(ml);
        ml->st.app_lines++;
        const char *q = p + 16;
        v = 0;
        ml_parse_num(&q, 0, &v);
        add_simple(ml, TD_EV_MESSAGE, TD_FACT_NONE, v, t, TD_EVF_FROM_APP);
        return;
    }
    const char *mod = NULL;
    if ((mod = ml_find(t, "SSL - ")) || (mod = ml_find(t, "X509 - ")) || (mod = ml_find(t, "PK - ")) ||
        (mod = ml_find(t, "NET - ")) || ml_find(t, "Failed to verify peer certificate")) {
        ensure_attempt(ml);
        ml->st.app_lines++;
        add_simple(ml, TD_EV_MESSAGE, TD_FACT_NONE, 0, t, TD_EVF_FROM_APP);
        /* the code printed before the error string ("(-29184) SSL - ...", Arduino's esp32 core;
         * "TLSError([0x6980] 'SSL - ...", python-mbedtls) is the failing return */
        if (mod && !code_before(t, mod, &v)) {
            /* only the string (OpenVPN's "tls_read_plaintext error: SSL - ..."): its code */
            v = td_mbedtls_code_by_text(mod + strcspn(mod, "-") + 2);
        }
        if (mod && v < 0 && !has_return(ml, v))
            add_simple(ml, TD_EV_RETURN, TD_FACT_NONE, v, "ret", TD_EVF_FROM_APP);
        return;
    }
    if (app_ret(t, &v)) {
        ensure_attempt(ml);
        ml->st.app_lines++;
        add_simple(ml, TD_EV_RETURN, TD_FACT_NONE, v, "ret", TD_EVF_FROM_APP);
    }
}

/* ---- lines ----------------------------------------------------------------------------------- */

/* The rest of a hex row that a terminal or logger wrapped onto the next line: "c0 2b 00 ff  ..". */
int ml_wrapped_row(struct td_mbedlog *ml, const char *t)
{
    struct dump *d = &ml->d;
    if (d->last_row_n >= 16 || d->gap || (d->declared >= 0 && d->len >= (size_t)d->declared))
        return 0;
    uint8_t b[16];
    size_t n = 0, want = 16 - d->last_row_n;
    static const char hex[] = "0123456789abcdefABCDEF";
    while (n < want && t[0] && t[1] && strchr(hex, t[0]) && strchr(hex, t[1]) && (t[2] == ' ' || !t[2])) {
        char pair[3] = {t[0], t[1], 0};
        b[n++] = (uint8_t)strtoul(pair, NULL, 16);
        t += t[2] ? 3 : 2;
    }
    if (!n)
        return 0;
    size_t before = d->last_row_n;
    ml_dump_row(ml, d->next_off, b, n);
    d->last_row_n = before + n;
    return 1;
}
