/* events.c -- a Transcript's key events as compact lines, one per event: what tests compare
 * against expected files and against a capture ("L94-100 -> handshake client_hello suites=2
 * sni=no", "L127-128 <- alert fatal 80", "result -0x7780"). Stable: change the format only with
 * the expected files in tests/data. */
#include <stdio.h>
#include <string.h>
#include "tlsdoctor/mbedlog.h"
#include "tlsdoctor/reg.h"
#include "tlsdoctor/wire.h"
#include "mbedlog_int.h"

static void put_lines(struct td_buf *out, const struct td_event *e, unsigned flags)
{
    if (flags & TD_KEYEV_NOLINES)
        return;
    if (e->line_end > e->line)
        td_buf_printf(out, "L%u-%u ", (unsigned)e->line, (unsigned)e->line_end);
    else
        td_buf_printf(out, "L%u ", (unsigned)e->line);
}

static const char *dir(enum td_actor a)
{
    return a == TD_ACTOR_CLIENT ? "->" : a == TD_ACTOR_SERVER ? "<-" : "--";
}

static void put_code(struct td_buf *out, int64_t code)
{
    if (code < 0)
        td_buf_printf(out, "-0x%04llx", (unsigned long long)-code);
    else
        td_buf_printf(out, "0x%04llx", (unsigned long long)code);
}

static void ch_summary(struct td_buf *out, const uint8_t *body, size_t len)
{
    struct td_client_hello ch;
    struct td_wire_err err = {TD_OK, 0, NULL};
    if (td_wire_parse_client_hello_ex(body, len, 0, &ch, &err) != TD_OK) {
        td_buf_puts(out, " undecodable");
        return;
    }
    td_buf_printf(out, " suites=%zu sni=%s", ch.suites.n, ch.x.has_sni ? "yes" : "no");
}

/* see mbedlog_int.h */
int ml_each_hs_msg(const uint8_t *body, size_t len,
                   void (*fn)(void *ctx, const struct td_hs_msg *m, int i), void *ctx,
                   size_t *pending)
{
    struct td_hs_reasm h;
    td_hs_reasm_init(&h, 0, 0);
    td_hs_reasm_add(&h, body, len, 5);
    struct td_hs_msg m;
    struct td_wire_err err = {TD_OK, 0, NULL};
    int n = 0;
    while (td_hs_reasm_next(&h, &m, &err) == 1)
        fn(ctx, &m, n++);
    *pending = td_hs_reasm_pending(&h);
    td_hs_reasm_free(&h);
    return n;
}

static void hs_type(void *ctx, const struct td_hs_msg *m, int i)
{
    struct td_buf *out = ctx;
    const char *name = td_reg_hs_type_name(m->type);
    if (name)
        td_buf_printf(out, "%s%s", i ? "+" : " ", name);
    else
        td_buf_printf(out, "%s%u", i ? "+" : " ", m->type);
    if (m->type == TD_HS_CLIENT_HELLO)
        ch_summary(out, m->body.p, m->body.len);
}

static void hs_types(struct td_buf *out, const uint8_t *body, size_t len)
{
    size_t pend;
    int n = ml_each_hs_msg(body, len, hs_type, out, &pend);
    if (pend)
        td_buf_puts(out, n ? "+partial" : " partial");
}

static void record(struct td_buf *out, const struct td_event *e, int *ccs, unsigned flags)
{
    int who = e->from == TD_ACTOR_CLIENT ? 1 : e->from == TD_ACTOR_SERVER ? 2 : 0;
    if (!e->data || e->len < 5) {
        put_lines(out, e, flags);
        td_buf_printf(out, "%s record truncated\n", dir(e->from));
        return;
    }
    unsigned type = e->data[0];
    int dec = (e->flags & TD_EVF_DECRYPTED) != 0;
    int plain = dec || !ccs[who];
    if (type == 21 && plain)
        return;   /* the alert event says it */
    put_lines(out, e, flags);
    td_buf_printf(out, "%s %s %u", dir(e->from), dec ? "decrypted" : "record", type);
    if (type == 22 && plain)
        hs_types(out, e->data + 5, e->len - 5);
    if (type == 20 && !dec)
        ccs[who] = 1;
    if (e->flags & TD_EVF_TRUNCATED)
        td_buf_puts(out, " truncated");
    td_buf_putc(out, '\n');
}

static int is_ch_fact(const struct td_event *e)
{
    return e->kind == TD_EV_FACT && (e->fact == TD_FACT_OFFERED_SUITE || e->fact == TD_FACT_EXT_ADDED);
}

/* A ClientHello told only by text lines: its suites and whether server_name was added. */
static size_t ch_text(struct td_buf *out, const struct td_transcript *t, size_t i, unsigned flags)
{
    size_t j = i, suites = 0;
    int sni = 0;
    uint32_t last = t->ev[i].line;
    for (; j < t->n_ev && (is_ch_fact(&t->ev[j]) || t->ev[j].kind == TD_EV_FACT); j++) {
        const struct td_event *e = &t->ev[j];
        if (e->fact == TD_FACT_OFFERED_SUITE)
            suites++;
        if (e->fact == TD_FACT_EXT_ADDED && e->code == 0)
            sni = 1;
        if (is_ch_fact(e))
            last = e->line_end;
    }
    struct td_event span = t->ev[i];
    span.line_end = last;
    put_lines(out, &span, flags);
    td_buf_printf(out, "-> text client_hello suites=%zu sni=%s\n", suites, sni ? "yes" : "no");
    return j;
}

/* see mbedlog_int.h */
int ml_has_ch_record(const struct td_transcript *t)
{
    for (size_t i = 0; i < t->n_ev; i++) {
        const struct td_event *e = &t->ev[i];
        if (e->kind == TD_EV_RECORD && e->from == TD_ACTOR_CLIENT && e->len >= 6 && e->data[0] == 22 &&
            e->data[5] == 1)
            return 1;
    }
    return 0;
}

static size_t one(struct td_buf *out, const struct td_transcript *t, size_t i, int *ccs, int *ch_done,
                  unsigned flags)
{
    const struct td_event *e = &t->ev[i];
    if (!*ch_done && is_ch_fact(e)) {
        *ch_done = 1;
        return ch_text(out, t, i, flags);
    }
    switch (e->kind) {
    case TD_EV_RECORD:
        record(out, e, ccs, flags);
        break;
    case TD_EV_ALERT:
        put_lines(out, e, flags);
        td_buf_printf(out, "%s alert %s %d%s\n", dir(e->from), e->a == 2 ? "fatal" : "warning", e->b,
                      (e->flags & TD_EVF_RECONSTRUCTED) ? " inferred" : "");
        break;
    case TD_EV_RETURN: {
        size_t j = i + 1;
        while (j < t->n_ev && t->ev[j].kind == TD_EV_RETURN && t->ev[j].code == e->code &&
               (t->ev[j].flags & TD_EVF_FROM_APP) == (e->flags & TD_EVF_FROM_APP))
            j++;
        const struct td_event *last = &t->ev[j - 1];
        struct td_event span = *e;
        span.line_end = last->line_end;
        put_lines(out, &span, flags);
        td_buf_printf(out, "%s %s ", (e->flags & TD_EVF_FROM_APP) ? "app-return" : "return",
                      last->text ? last->text : "?");
        put_code(out, e->code);
        td_buf_putc(out, '\n');
        return j;
    }
    case TD_EV_VERIFY:
        if (e->code) {
            put_lines(out, e, flags);
            td_buf_printf(out, "verify%s 0x%llx\n", (e->flags & TD_EVF_FROM_APP) ? " app" : "",
                          (unsigned long long)e->code);
        }
        break;
    case TD_EV_IO:
        if (e->code <= 0) {
            put_lines(out, e, flags);
            if (e->code == 0)
                td_buf_printf(out, "%s eof\n", dir(e->from));
            else {
                td_buf_printf(out, "io %s ", e->text ? e->text : "?");
                put_code(out, e->code);
                td_buf_putc(out, '\n');
            }
        }
        break;
    case TD_EV_FACT:
        if (e->fact == TD_FACT_CHOSEN_SUITE && e->code >= 0) {
            put_lines(out, e, flags);
            td_buf_puts(out, "chosen_suite ");
            put_code(out, e->code);
            td_buf_putc(out, '\n');
        } else if (e->fact == TD_FACT_CERT && !(e->flags & TD_EVF_FROM_APP)) {
            put_lines(out, e, flags);
            td_buf_printf(out, "cert depth %lld\n", (long long)e->code);
        }
        break;
    case TD_EV_STEP:
        if (e->text && !strcmp(e->text, "handshake")) {
            put_lines(out, e, flags);
            td_buf_printf(out, "handshake %s\n", e->a ? "start" : "end");
        }
        break;
    case TD_EV_STATE:
    case TD_EV_MESSAGE:
        break;
    }
    return i + 1;
}

enum td_err td_mbedlog_key_events(const struct td_transcript *t, unsigned flags, struct td_buf *out)
{
    td_buf_printf(out, "attempt origin=%s side=%s mbedtls=%d level=%d\n", td_origin_name(t->origin),
                  td_actor_name(t->logged_by), t->mbedtls_major, t->debug_level);
    int ccs[3] = {0, 0, 0};
    int ch_done = ml_has_ch_record(t);
    for (size_t i = 0; i < t->n_ev;)
        i = one(out, t, i, ccs, &ch_done, flags);
    if (t->handshake_ret_known) {
        td_buf_puts(out, "result ");
        if (t->handshake_ret)
            put_code(out, t->handshake_ret);
        else
            td_buf_puts(out, "ok");
        td_buf_putc(out, '\n');
    }
    td_buf_printf(out, "stop %s\n", td_stop_name(t->stop));
    return out->err;
}
