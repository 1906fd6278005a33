/* diag.c -- the diagnosis engine: derives the facts, runs every rule of the table, ranks the
 * findings, and owns their memory. Rules live in rule_*.c; the table in rules.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag_int.h"
#include "rules_int.h"
#include "tlsdoctor/reg.h"

const char *td_severity_name(enum td_severity s)
{
    switch (s) {
    case TD_SEV_INFO: return "info";
    case TD_SEV_WARNING: return "warning";
    case TD_SEV_ERROR: return "error";
    }
    return "info";
}

const char *td_hs_result_name(enum td_hs_result r)
{
    switch (r) {
    case TD_HS_UNKNOWN: return "unknown";
    case TD_HS_SUCCEEDED: return "succeeded";
    case TD_HS_FAILED: return "failed";
    }
    return "unknown";
}

static const struct dx_rule *rule_at(size_t i)
{
    if (i < dx_n_rules)
        return &dx_rules[i];
    i -= dx_n_rules;
    return i < dx_n_likely_rules ? &dx_likely_rules[i] : NULL;
}

const char *td_diag_rule_id(size_t i)
{
    const struct dx_rule *r = rule_at(i);
    return r ? r->id : NULL;
}

const char *td_diag_rule_title(size_t i)
{
    const struct dx_rule *r = rule_at(i);
    return r ? r->title : NULL;
}

const char *dx_alert_name(int desc)
{
    const char *n = desc >= 0 && desc <= 255 ? td_reg_alert_name((uint8_t)desc) : NULL;
    return n ? n : "unknown alert";
}

__attribute__((format(printf, 1, 0)))
static char *vfmt(const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

/* vfmt() that records an allocation failure in dx (the diagnosis keeps going without the text). */
static char *dx_vfmt(struct dx *dx, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
static char *dx_vfmt(struct dx *dx, const char *fmt, va_list ap)
{
    char *s = vfmt(fmt, ap);
    if (!s)
        dx->err = TD_ERR_NOMEM;
    return s;
}

void dx_set(struct dx *dx, char **field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = dx_vfmt(dx, fmt, ap);
    va_end(ap);
    if (!s)
        return;
    free(*field);
    *field = s;
}

void dx_add(struct dx *dx, char **field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = dx_vfmt(dx, fmt, ap);
    va_end(ap);
    if (!s)
        return;
    if (!*field) {
        *field = s;
        return;
    }
    size_t a = strlen(*field), b = strlen(s);
    char *j = realloc(*field, a + b + 1);
    if (!j) {
        free(s);
        dx->err = TD_ERR_NOMEM;
        return;
    }
    memcpy(j + a, s, b + 1);
    *field = j;
    free(s);
}

void dx_ev(struct dx *dx, struct td_finding *f, const struct td_event *ev, const char *fmt, ...)
{
    if (!f || f->n_ev == TD_FINDING_MAX_EVIDENCE)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *s = vfmt(fmt, ap);
    va_end(ap);
    if (!s) {
        dx->err = TD_ERR_NOMEM;
        return;
    }
    struct td_evidence *e = &f->ev[f->n_ev++];
    e->text = s;
    e->line = ev ? ev->line : 0;
    e->line_end = ev ? ev->line_end : 0;
}

void dx_ev_alert(struct dx *dx, struct td_finding *f, const struct td_event *a)
{
    if (a)
        dx_ev(dx, f, a, "%s alert %d (%s) sent by the %s", a->a == 2 ? "fatal" : "warning", a->b,
              dx_alert_name(a->b), td_actor_name(a->from));
}

void dx_ev_ret(struct dx *dx, struct td_finding *f, const struct td_event *r)
{
    if (r)
        dx_ev(dx, f, r, "%s returned -0x%04llX", r->text ? r->text : "a call",
              (unsigned long long)-r->code);
}

void dx_ev_final(struct dx *dx, struct td_finding *f)
{
    const struct dx_facts *fx = &dx->fx;
    if (fx->hs_ret_ev && fx->hs_ret_ev != fx->fail_ret)
        dx_ev_ret(dx, f, fx->hs_ret_ev);
    else if (!fx->hs_ret_ev && fx->hs_failed)
        dx_ev(dx, f, NULL, "the handshake returned -0x%04llX", (unsigned long long)-fx->hs_ret);
}

void dx_suites_text(const struct dx_list *l, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < l->n && used + 1 < cap; i++) {
        const struct td_suite *s = td_reg_suite(l->v[i]);
        const char *name = s ? (s->mbedtls_name ? s->mbedtls_name : s->name) : NULL;
        int n = name ? snprintf(out + used, cap - used, "%s%s (0x%04x)", i ? ", " : "", name, l->v[i])
                     : snprintf(out + used, cap - used, "%s0x%04x", i ? ", " : "", l->v[i]);
        if (n < 0 || (size_t)n >= cap - used)
            break;
        used += (size_t)n;
    }
}

struct td_finding *dx_found(struct dx *dx, const char *id)
{
    for (size_t i = 0; i < dx->out->n; i++)
        if (!strcmp(dx->out->f[i].id, id))
            return &dx->out->f[i];
    return NULL;
}

struct td_finding *dx_emit(struct dx *dx, const struct dx_rule *r, enum td_severity sev,
                           int confidence)
{
    struct td_diagnosis *d = dx->out;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        struct td_finding *p = realloc(d->f, cap * sizeof *p);
        if (!p) {
            dx->err = TD_ERR_NOMEM;
            return NULL;
        }
        d->f = p;
        d->cap = cap;
    }
    struct td_finding *f = &d->f[d->n++];
    memset(f, 0, sizeof *f);
    f->id = r->id;
    f->title = r->title;
    f->sev = sev;
    f->confidence = confidence < 0 ? 0 : confidence > 100 ? 100 : confidence;
    f->fix_mbedtls2 = r->fix_mbedtls2;
    f->fix_mbedtls3 = r->fix_mbedtls3;
    f->server_fix = r->server_fix;
    int major = dx->fx.major;
    int same = strcmp(r->fix_mbedtls2, r->fix_mbedtls3) == 0;
    if (major == 1 || major == 2 || (major == 0 && same))
        dx_set(dx, &f->fix, "%s", r->fix_mbedtls2);
    else if (major >= 3)
        dx_set(dx, &f->fix, "%s", r->fix_mbedtls3);
    else
        dx_set(dx, &f->fix, "Mbed TLS 2.x: %s Mbed TLS 3.x: %s", r->fix_mbedtls2, r->fix_mbedtls3);
    return f;
}

static void finding_free(struct td_finding *f)
{
    free(f->reason);
    free(f->summary);
    free(f->explanation);
    free(f->fix);
    for (size_t i = 0; i < f->n_ev; i++)
        free(f->ev[i].text);
}

void td_diagnosis_free(struct td_diagnosis *d)
{
    for (size_t i = 0; i < d->n; i++)
        finding_free(&d->f[i]);
    free(d->f);
    memset(d, 0, sizeof *d);
}

void td_diagnosis_keep_leading(struct td_diagnosis *d)
{
    if (!d->n)
        return;
    for (size_t i = 1; i < d->n; i++)
        finding_free(&d->f[i]);
    struct td_finding lead = d->f[0];
    finding_free(&d->f[0]);
    memset(&d->f[0], 0, sizeof d->f[0]);
    d->f[0].id = lead.id;
    d->f[0].title = lead.title;
    d->f[0].sev = lead.sev;
    d->f[0].confidence = lead.confidence;
    d->n = 1;
    struct td_finding *one = realloc(d->f, sizeof *one);
    if (one) {
        d->f = one;
        d->cap = 1;
    }
}

const char *dx_source(const struct dx_facts *fx)
{
    return fx->t->origin == TD_ORIGIN_CAPTURE ? "capture" : fx->t->origin == TD_ORIGIN_PROBE ? "probe" : "log";
}

const struct td_finding *td_diag_leading(const struct td_diagnosis *d)
{
    return d->n ? &d->f[0] : NULL;
}

int td_diag_has_cause(const struct td_diagnosis *d)
{
    const struct td_finding *f = td_diag_leading(d);
    return f && f->sev == TD_SEV_ERROR && strcmp(f->id, "unknown") != 0 &&
           strcmp(f->id, "insufficient-evidence") != 0;
}

int td_diag_exit_code(const struct td_diagnosis *d, int any_cause)
{
    if (any_cause || (d && td_diag_has_cause(d)))
        return TD_EXIT_FINDING;
    if (!d || d->handshake == TD_HS_SUCCEEDED)
        return d ? TD_EXIT_OK : TD_EXIT_NOTHING;
    const struct td_finding *f = td_diag_leading(d);
    if (d->handshake == TD_HS_FAILED || !f || f->sev == TD_SEV_ERROR)
        return TD_EXIT_NOTHING;   /* a failure without a cause, or nothing to go on */
    return TD_EXIT_OK;
}

int td_finding_rank(const struct td_finding *f)
{
    if (f->sev == TD_SEV_ERROR)
        return 3;
    if (!strcmp(f->id, "handshake-ok"))
        return 2;
    return f->sev == TD_SEV_WARNING ? 1 : 0;
}

/* Rank key, then confidence; rule-table order (kept by a stable insertion sort) breaks ties. */
static int ranks_before(const struct td_finding *a, const struct td_finding *b)
{
    int ra = td_finding_rank(a), rb = td_finding_rank(b);
    if (ra != rb)
        return ra > rb;
    return a->confidence > b->confidence;
}

static void rank(struct td_diagnosis *d)
{
    for (size_t i = 1; i < d->n; i++) {
        struct td_finding cur = d->f[i];
        size_t j = i;
        while (j > 0 && ranks_before(&cur, &d->f[j - 1])) {
            d->f[j] = d->f[j - 1];
            j--;
        }
        d->f[j] = cur;
    }
}

static void fill_outcome(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    struct td_diagnosis *d = dx->out;
    if (fx->hs_done)
        d->handshake = TD_HS_SUCCEEDED;
    else if (fx->hs_failed || fx->srv_alert || fx->cli_alert || fx->tls13_refusal || fx->cut_record ||
             (fx->continued_ev && fx->cli_quit_ev) || fx->refused_ev)
        d->handshake = TD_HS_FAILED;   /* a capture's signs count: a close instead of an alert */
    d->neg.has_version = fx->has_chosen_version;
    d->neg.version = fx->chosen_version;
    d->neg.has_suite = fx->has_chosen_suite;
    d->neg.suite = fx->chosen_suite;
    d->neg.has_group = fx->has_chosen_group;
    d->neg.group = fx->chosen_group;
}

/* The handshake completed and nothing failed after it: what an error rule saw on the way (a
 * certificate that did not verify under MBEDTLS_SSL_VERIFY_OPTIONAL, a client certificate a server
 * only asked for) did not stop it. It stays, as a warning below handshake-ok, said as such. */
static int failure_after_end(const struct dx_facts *fx)
{
    uint32_t end = fx->t->handshake_ret_line;
    for (size_t i = 0; i < fx->t->n_ev; i++) {
        const struct td_event *e = &fx->t->ev[i];
        if (e->line <= end)
            continue;
        if (e->kind == TD_EV_RETURN && e->code < 0 && !(e->flags & TD_EVF_SOFT) &&
            e->code != DX_ERR_SSL_WANT_READ && e->code != DX_ERR_SSL_WANT_WRITE)
            return 1;
        if (e->kind == TD_EV_ALERT && e->a == DX_ALERT_LEVEL_FATAL)
            return 1;
    }
    return 0;
}

/* Does the finding rest on something after the handshake ended (an HTTP 400 about a missing client
 * certificate, say)? Then it is no "seen on the way". */
static int evidence_after(const struct td_finding *f, uint32_t end)
{
    for (size_t j = 0; j < f->n_ev; j++)
        if (f->ev[j].line > end)
            return 1;
    return 0;
}

static void completed_anyway(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    uint32_t end = fx->t->handshake_ret_line;
    if (fx->t->origin == TD_ORIGIN_CAPTURE || !end || !fx->hs_done || fx->hs_failed ||
        failure_after_end(fx))
        return;
    for (size_t i = 0; i < dx->out->n; i++) {
        struct td_finding *f = &dx->out->f[i];
        if (f->sev != TD_SEV_ERROR || evidence_after(f, end))
            continue;
        f->sev = TD_SEV_WARNING;
        dx_set(dx, &f->summary, "The handshake completed anyway; seen on the way: %s.", f->title);
        dx_add(dx, &f->explanation, " It did not stop the handshake: with verification optional "
               "(MBEDTLS_SSL_VERIFY_OPTIONAL) Mbed TLS goes on and leaves the result to "
               "mbedtls_ssl_get_verify_result(); the application must check it.");
    }
}

/* Runs the rule-table row whose function is fn (a server's log runs its own rules, then these). */
static void run_one(struct dx *dx, void (*fn)(struct dx *, const struct dx_rule *))
{
    for (size_t i = 0; i < dx_n_rules; i++)
        if (dx_rules[i].fn == fn) {
            fn(dx, &dx_rules[i]);
            return;
        }
}

enum td_err td_diag_run(const struct td_transcript *t, const struct td_diag_opts *o,
                        struct td_diagnosis *out)
{
    memset(out, 0, sizeof *out);
    struct dx dx;
    memset(&dx, 0, sizeof dx);
    dx.out = out;
    int major = o && o->mbedtls_major ? o->mbedtls_major : t->mbedtls_major;
    dx_facts_build(&dx.fx, t, major);
    out->mbedtls_major = major;
    out->logged_by = t->logged_by;
    out->basis = dx_basis(&dx.fx);
    fill_outcome(&dx);
    if (t->logged_by == TD_ACTOR_SERVER && t->stray_datagram) {
        out->handshake = TD_HS_UNKNOWN;   /* no client was there: nothing succeeded or failed */
        run_one(&dx, dx_rule_stray_datagram);
        return dx.err;
    }
    if (t->logged_by == TD_ACTOR_SERVER) {
        dx_server_rules(&dx);
        dx_likely_run(&dx);   /* a server's error code alone still narrows the cause */
        completed_anyway(&dx);
        run_one(&dx, dx_rule_noted);
        rank(out);
        return dx.err;
    }
    for (size_t i = 0; i < dx_n_rules && dx.err == TD_OK; i++) {
        if (dx_rules[i].fn == dx_rule_local_failure)
            dx_likely_run(&dx);   /* after the evidence rules, before the fallbacks */
        dx_rules[i].fn(&dx, &dx_rules[i]);
    }
    completed_anyway(&dx);
    rank(out);
    return dx.err;
}
