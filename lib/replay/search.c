/* search.c -- the replay and the search for the smallest change: replay the device's ClientHello
 * unchanged, then each candidate change alone (in an order the server's answer suggests), then
 * all together; a list change that works is narrowed to one value, by the value the server chose
 * when its answer shows it, else by halving. Every handshake is one step of the result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tlsdoctor/reg.h"
#include "replay/replay_int.h"

struct search {
    const struct td_replay_hello *base;
    const struct td_replay_opts *o;
    const struct td_replay_io *io;
    struct td_replay_result *res;
    unsigned max;
    struct td_replay_cand *cands;  /* applicable candidates */
    size_t n_cands;
};

static int accepted(const struct td_probe_answer *a)
{
    return a->outcome == TD_PO_SERVER_HELLO || a->outcome == TD_PO_HRR;
}

/* One handshake with base + the given changes. Returns 1 on a ServerHello, 0 otherwise, -1 when
 * the budget is spent or on an error (*err). The answer of a ServerHello is kept in res->final. */
static int try_set(struct search *s, const struct td_replay_cand *const *set, size_t n, enum td_err *err)
{
    struct td_replay_result *res = s->res;
    if (res->handshakes >= s->max || res->n_steps >= TD_REPLAY_MAX_STEPS)
        return -1;
    struct td_replay_hello *h = malloc(sizeof *h);
    if (!h) {
        *err = TD_ERR_NOMEM;
        return -1;
    }
    enum td_err e = td_replay_hello_copy(h, s->base);
    if (e != TD_OK) {
        free(h);
        *err = e;
        return -1;
    }
    struct td_replay_step *st = &res->steps[res->n_steps];
    memset(st, 0, sizeof *st);
    struct td_buf label;
    td_buf_init(&label, sizeof st->change - 1);
    for (size_t i = 0; i < n && e == TD_OK; i++) {
        e = td_replay_apply(h, set[i]);
        td_buf_puts(&label, i ? " and " : "+ ");
        td_replay_cand_describe(set[i], &label);
    }
    snprintf(st->change, sizeof st->change, "%s",
             n ? (label.p ? label.p : "") : "the device's ClientHello, unchanged");
    td_buf_free(&label);
    struct td_probe_req req;
    memset(&req, 0, sizeof req);
    td_buf_init(&req.hello, 0);
    td_probe_keys_init(&req.keys);
    req.want = TD_WANT_CERT;
    if (e == TD_OK)
        e = td_replay_hello_prepare(h, &req.keys, &req.hello);
    td_replay_hello_free(h);
    free(h);
    if (e != TD_OK) {
        td_buf_free(&req.hello);
        td_probe_keys_free(&req.keys);
        *err = e;
        return -1;
    }
    s->io->exchange(s->io->ctx, &req);
    res->handshakes++;
    res->n_steps++;
    st->outcome = req.ans.outcome;
    st->alert = req.ans.alert_desc;
    st->version = req.ans.version;
    st->suite = req.ans.suite;
    st->group = req.ans.group;
    struct td_buf d;
    td_buf_init(&d, sizeof st->result - 1);
    td_probe_answer_describe(&req.ans, &d);
    snprintf(st->result, sizeof st->result, "%s", d.p ? d.p : td_probe_outcome_name(req.ans.outcome));
    td_buf_free(&d);
    int ok = accepted(&req.ans);
    if (ok) {
        td_probe_answer_free(&res->final);
        res->final = req.ans;
        res->have_final = 1;
    } else {
        td_probe_answer_free(&req.ans);
    }
    td_buf_free(&req.hello);
    td_probe_keys_free(&req.keys);
    return ok;
}

/* The value the server's answer shows it chose for this kind of change, or 0. */
static uint16_t chosen(const struct td_probe_answer *a, enum td_replay_change k)
{
    switch (k) {
    case TD_RC_SUITES: return a->suite;
    case TD_RC_GROUPS: return a->group;
    case TD_RC_SIGALGS: return a->ske_sigalg ? a->ske_sigalg : a->cv_sigalg;
    case TD_RC_SNI: case TD_RC_TLS13: case TD_RC_TLS12: case TD_RC_DROP_EXT: case TD_RC_COUNT: break;
    }
    return 0;
}

/* c (applied with the other changes in fixed[0..nf)) got a ServerHello: narrow its values to one
 * when one alone does it. Returns -1 on error/budget, else 0. */
static int narrow(struct search *s, const struct td_replay_cand **fixed, size_t nf,
                  struct td_replay_cand *c, enum td_err *err)
{
    if (c->n <= 1 || c->kind == TD_RC_TLS13 || c->kind == TD_RC_TLS12 || c->kind == TD_RC_SNI)
        return 0;
    struct td_replay_cand *t = malloc(sizeof *t);
    if (!t) {
        *err = TD_ERR_NOMEM;
        return -1;
    }
    const struct td_replay_cand *set[TD_RC_COUNT + 1];
    for (size_t i = 0; i < nf; i++)
        set[i] = fixed[i];
    set[nf] = t;
    int rc = 0;
    uint16_t hint = chosen(&s->res->final, c->kind);
    int hint_in = 0;
    for (size_t i = 0; i < c->n; i++)
        hint_in |= c->v[i] == hint;
    *t = *c;
    if (hint && hint_in) {
        t->v[0] = hint;
        t->n = 1;
        rc = try_set(s, set, nf + 1, err);
        if (rc == 1) {
            *c = *t;
            free(t);
            return 0;
        }
        if (rc < 0) {
            free(t);
            return -1;
        }
    }
    /* halving: keep the half that works (the first if it does, else the second) */
    struct td_replay_cand *cur = malloc(sizeof *cur);
    if (!cur) {
        free(t);
        *err = TD_ERR_NOMEM;
        return -1;
    }
    *cur = *c;
    int untested = 0;
    while (cur->n > 1) {
        size_t half = cur->n / 2;
        *t = *cur;
        t->n = half;
        rc = try_set(s, set, nf + 1, err);
        if (rc < 0)
            break;
        if (rc == 1) {
            cur->n = half;
            untested = 0;
        } else {
            memmove(cur->v, cur->v + half, (cur->n - half) * 2);
            cur->n -= half;
            untested = 1;
        }
    }
    if (rc >= 0 && untested) {
        *t = *cur;
        rc = try_set(s, set, nf + 1, err);
    }
    if (rc == 1 || (rc >= 0 && !untested))
        *c = *cur;
    free(cur);
    free(t);
    return rc < 0 ? -1 : 0;
}

/* Order of the single changes: server_name first (when missing), then the least invasive list
 * additions (groups and signature algorithms keep the device's suites), then suites, versions and
 * dropped extensions; a protocol_version alert puts the version change first. */
static int priority(enum td_replay_change k, uint8_t alert, enum td_probe_outcome out)
{
    static const int by_default[TD_RC_COUNT] = {
        [TD_RC_SNI] = 0, [TD_RC_GROUPS] = 1, [TD_RC_SIGALGS] = 2, [TD_RC_SUITES] = 3,
        [TD_RC_TLS13] = 4, [TD_RC_TLS12] = 5, [TD_RC_DROP_EXT] = 6};
    if (out == TD_PO_ALERT && alert == 70)   /* protocol_version */
        return k == TD_RC_TLS13 || k == TD_RC_TLS12 ? -1 : by_default[k];
    return by_default[k];
}

static void order_cands(struct search *s, uint8_t alert, enum td_probe_outcome out)
{
    for (size_t i = 1; i < s->n_cands; i++)
        for (size_t j = i; j > 0 && priority(s->cands[j].kind, alert, out) <
                                        priority(s->cands[j - 1].kind, alert, out); j--) {
            struct td_replay_cand tmp = s->cands[j];
            s->cands[j] = s->cands[j - 1];
            s->cands[j - 1] = tmp;
        }
}

static size_t ceil_log2(size_t n)
{
    size_t k = 0;
    while (((size_t)1 << k) < n)
        k++;
    return k;
}

/* All changes together; if that works, leave out each one the server does not need. */
static int search_combined(struct search *s, enum td_err *err)
{
    const struct td_replay_cand *set[TD_RC_COUNT];
    size_t n = 0;
    for (size_t i = 0; i < s->n_cands && n < TD_RC_COUNT; i++)
        set[n++] = &s->cands[i];
    if (n < 2)
        return 0;
    int rc = try_set(s, set, n, err);
    if (rc != 1)
        return rc;
    for (size_t i = 0; i < n && n > 1;) {
        const struct td_replay_cand *without[TD_RC_COUNT];
        size_t k = 0;
        for (size_t j = 0; j < n; j++)
            if (j != i)
                without[k++] = set[j];
        rc = try_set(s, without, k, err);
        if (rc < 0)
            return -1;
        if (rc == 1) {
            for (size_t j = 0; j < k; j++)
                set[j] = without[j];
            n = k;
        } else {
            i++;
        }
    }
    struct td_replay_result *res = s->res;
    for (size_t i = 0; i < n; i++)
        res->fix[res->n_fix++] = *set[i];
    /* narrow each list change with the others applied */
    for (size_t i = 0; i < res->n_fix; i++) {
        const struct td_replay_cand *others[TD_RC_COUNT];
        size_t k = 0;
        for (size_t j = 0; j < res->n_fix; j++)
            if (j != i)
                others[k++] = &res->fix[j];
        if (narrow(s, others, k, &res->fix[i], err) < 0)
            return -1;
    }
    /* res->final must be the answer to exactly this set: the last handshake was, if accepted */
    const struct td_replay_step *last = &res->steps[res->n_steps - 1];
    if (last->outcome == TD_PO_SERVER_HELLO || last->outcome == TD_PO_HRR)
        return 1;
    const struct td_replay_cand *all[TD_RC_COUNT];
    for (size_t i = 0; i < res->n_fix; i++)
        all[i] = &res->fix[i];
    rc = try_set(s, all, res->n_fix, err);
    if (rc == 0)
        res->n_fix = 0;
    return rc;
}

/* What the source shows the server did (for "reproduces"): 'a' alert, 'h' ServerHello,
 * 'c' closed, 'r' reset, 't' timeout, 0 unknown. */
static char log_outcome(const struct td_transcript *t, uint8_t *alert, char *text, size_t n)
{
    text[0] = '\0';
    if (!t)
        return 0;
    for (size_t i = 0; i < t->n_ev; i++) {
        const struct td_event *e = &t->ev[i];
        if (e->kind == TD_EV_RECORD && e->from == TD_ACTOR_SERVER && e->data && e->len > 5 &&
            e->data[0] == 22 && e->data[5] == 2) {
            snprintf(text, n, "the server answered with a ServerHello (log line %u)", e->line);
            return 'h';
        }
        if (e->kind == TD_EV_ALERT && e->from == TD_ACTOR_SERVER && e->a == 2) {
            const char *nm = td_reg_alert_name((uint8_t)e->b);
            *alert = (uint8_t)e->b;
            snprintf(text, n, "the server sent fatal alert %d (%s) (log line %u)", e->b,
                     nm ? nm : "unknown", e->line);
            return 'a';
        }
        if (e->kind == TD_EV_RETURN && (e->code == -0x7280 || e->code == -0x50 || e->code == -0x6800 ||
                                        e->code == -0x4C || e->code == -0x52)) {
            char c = e->code == -0x7280 || e->code == -0x52 ? 'c' : e->code == -0x50 ? 'r' : 't';
            snprintf(text, n, "the %s (log line %u)",
                     c == 'c' ? "server closed the connection" : c == 'r' ? "connection was reset"
                                                                       : "server did not answer in time",
                     e->line);
            return c;
        }
    }
    return 0;
}

static int same_as_log(char lo, uint8_t alert, const struct td_probe_answer *a)
{
    switch (lo) {
    case 'a': return a->outcome == TD_PO_ALERT && a->alert_desc == alert;
    case 'h': return accepted(a);
    case 'c': return a->outcome == TD_PO_CLOSED;
    case 'r': return a->outcome == TD_PO_RESET;
    case 't': return a->outcome == TD_PO_TIMEOUT;
    default: return -1;
    }
}

static int search(struct search *s, const struct td_transcript *t, enum td_err *err)
{
    struct td_replay_result *res = s->res;
    uint8_t log_alert = 0;
    char lo = log_outcome(t, &log_alert, res->log_failure, sizeof res->log_failure);
    int rc = try_set(s, NULL, 0, err);
    if (rc < 0)
        return -1;
    const struct td_replay_step *first = &res->steps[0];
    if (lo) {
        struct td_probe_answer a = {.outcome = first->outcome, .alert_desc = first->alert};
        res->reproduced = same_as_log(lo, log_alert, &a);
    }
    if (rc == 1) {
        res->accepted_unchanged = 1;
        return 1;
    }
    order_cands(s, first->alert, first->outcome);
    for (size_t i = 0; i < s->n_cands; i++) {
        const struct td_replay_cand *set[1] = {&s->cands[i]};
        rc = try_set(s, set, 1, err);
        if (rc < 0)
            return -1;
        if (rc == 1) {
            struct td_replay_cand *c = &res->fix[res->n_fix++];
            *c = s->cands[i];
            if (narrow(s, NULL, 0, c, err) < 0)
                return -1;
            if (c->n < s->cands[i].n) {
                /* the answer kept must be the one to the narrowed change */
                const struct td_replay_cand *one[1] = {c};
                if (res->steps[res->n_steps - 1].outcome != TD_PO_SERVER_HELLO &&
                    try_set(s, one, 1, err) < 0)
                    return -1;
            }
            return 1;
        }
    }
    return search_combined(s, err);
}

/* see replay.h */
enum td_err td_replay_run(const struct td_replay_hello *h, const struct td_transcript *t,
                          const struct td_replay_opts *o, const struct td_replay_io *io,
                          struct td_replay_result *res)
{
    memset(res, 0, sizeof *res);
    res->reproduced = -1;
    if (!h || !o || !io || !io->exchange)
        return TD_ERR_ARG;
    res->reconstructed = h->reconstructed;
    res->assumed = h->assumed;
    res->mbedtls_major = o->mbedtls_major ? o->mbedtls_major : (t ? t->mbedtls_major : 0);
    struct td_replay_opts oo = *o;
    oo.mbedtls_major = res->mbedtls_major;
    struct search s = {.base = h, .o = &oo, .io = io, .res = res,
                       .max = o->max_handshakes ? o->max_handshakes : 40};
    s.cands = calloc(TD_RC_COUNT, sizeof *s.cands);
    if (!s.cands)
        return TD_ERR_NOMEM;
    s.n_cands = td_replay_candidates(h, &oo, s.cands, TD_RC_COUNT);
    for (size_t i = 0; i < s.n_cands; i++)
        res->n_candidates += s.cands[i].n;
    res->bound = 2 * ceil_log2(res->n_candidates ? res->n_candidates : 1) + 2;
    enum td_err err = TD_OK;
    int rc = search(&s, t, &err);
    free(s.cands);
    res->found = rc == 1 && !res->accepted_unchanged;
    if (err != TD_OK)
        return err;
    if (res->have_final && (res->accepted_unchanged || res->found))
        return td_replay_checks(h, t, &oo, res);
    return TD_OK;
}

/* see replay.h */
void td_replay_result_free(struct td_replay_result *res)
{
    td_probe_answer_free(&res->final);
    td_diagnosis_free(&res->checks);
    res->have_final = 0;
}

/* see replay.h */
enum td_err td_replay_fix_text(const struct td_replay_result *res, struct td_buf *out)
{
    for (size_t i = 0; i < res->n_fix; i++) {
        if (i)
            td_buf_puts(out, "; and ");
        td_replay_cand_fix(&res->fix[i], res->mbedtls_major, out);
    }
    return out->err;
}
