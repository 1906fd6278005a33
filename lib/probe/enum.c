/* enum.c -- what a server supports, found with few connections (no I/O: rounds of requests).
 *
 * Phases, each a series of rounds whose requests are independent of each other:
 *   versions  one ClientHello per version (SSL 3.0 .. TLS 1.2 by legacy_version, TLS 1.3 by
 *             supported_versions), everything else offered; the answer also names the server's
 *             first-choice suite at that version.
 *   lists     elimination, one task per list: offer every value still unknown, record the one the
 *             server picks, take it out, repeat until the server refuses. Suites per version, TLS
 *             1.3 groups (no key share offered: the HelloRetryRequest names the group), then TLS
 *             1.2 ECDHE groups (ServerKeyExchange curve) and signature algorithms (ServerKeyExchange
 *             with supported_groups present: a Go server refuses every ECDSA algorithm without it)
 *             and TLS 1.3 CertificateVerify algorithms (decrypted).
 *   order     one ClientHello per version with the found suites reversed: server or client order.
 *   final     SNI with the given name, without, with a wrong one; the TLS 1.2 extensions; the
 *             chain over TLS 1.2 and over TLS 1.3. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include "tlsdoctor/probe.h"
#include "tlsdoctor/reg.h"
#include "probe/probe_int.h"

#define MAX_REQS 16
#define MAX_TASKS 12
#define WRONG_SNI "tlsdoctor-wrong-name.invalid"

static const uint16_t ver_ids[5] = {0x0300, 0x0301, 0x0302, 0x0303, 0x0304};

/* Which list a task eliminates over, and where the answer names the server's pick. */
enum elim_kind { EK_SUITE = 0, EK_GROUP13, EK_GROUP12, EK_SIGALG12, EK_SIGALG13 };

struct elim {
    int active;
    enum elim_kind kind;
    struct td_hello_spec tmpl;       /* the ClientHello, whose list of `kind` is replaced */
    uint16_t rem[TD_PROBE_MAX_SUITES];
    size_t n_rem;
    uint16_t *found;                 /* into the result */
    size_t *n_found;
    size_t max_found;
    char *end;                       /* into the result: how the last probe ended */
    size_t end_size;
};

enum phase { P_VERSIONS = 0, P_LISTS1, P_LISTS2, P_ORDER, P_FINAL, P_DONE };

enum final_slot { FS_SNI0 = 0, FS_SNI1, FS_SNI2, FS_EXT12 };

struct td_probe_enum_priv {
    enum phase phase;
    struct td_probe_req reqs[MAX_REQS];
    size_t n_reqs;
    int slot[MAX_REQS];              /* what each request is for, per phase */
    struct elim tasks[MAX_TASKS];
    size_t n_tasks;
    int ver_round;                   /* versions rounds done */
    int ver_next;                    /* next "up to" version index to probe, or -1 */
    int seeded[5];                   /* suite elimination started for this version */
    int best13;                      /* TLS 1.3 supported */
    uint16_t best12;                 /* highest version <= TLS 1.2 supported, or 0 */
};

static void clear_reqs(struct td_probe_enum_priv *p)
{
    for (size_t i = 0; i < p->n_reqs; i++) {
        td_buf_free(&p->reqs[i].hello);
        td_probe_keys_free(&p->reqs[i].keys);
        td_probe_answer_free(&p->reqs[i].ans);
    }
    p->n_reqs = 0;
}

/* see probe.h */
enum td_err td_probe_enum_init(struct td_probe_enum *e, const char *sni)
{
    memset(e, 0, sizeof *e);
    e->priv = calloc(1, sizeof *e->priv);
    if (!e->priv)
        return TD_ERR_NOMEM;
    if (sni && strlen(sni) >= sizeof e->res.sni)
        return TD_ERR_ARG;
    if (sni)
        snprintf(e->res.sni, sizeof e->res.sni, "%s", sni);
    return TD_OK;
}

void td_probe_enum_free(struct td_probe_enum *e)
{
    if (e->priv) {
        clear_reqs(e->priv);
        free(e->priv);
    }
    td_probe_answer_free(&e->res.ext12);
    td_probe_answer_free(&e->res.cert12);
    td_probe_answer_free(&e->res.cert13);
    memset(e, 0, sizeof *e);
}

/* A ClientHello for one version with everything else offered. */
static void spec_for_version(struct td_hello_spec *s, uint16_t v, const char *sni)
{
    td_probe_spec_default(s);
    snprintf(s->sni, sizeof s->sni, "%s", sni);
    s->n_suites = td_probe_suites_for(v, s->suites, TD_PROBE_MAX_SUITES);
    if (v >= 0x0304) {
        s->n_versions = 1;
        s->versions[0] = 0x0304;
        s->legacy_version = 0x0303;
        return;
    }
    s->n_versions = 0;
    s->n_shares = 0;
    s->legacy_version = v;
    s->record_version = v < 0x0301 ? v : 0x0301;
    s->flags &= ~TD_HELLO_PSK_MODES;
    s->flags |= TD_HELLO_SCSV;
    if (v < 0x0303)
        s->n_sigalgs = 0;
    if (v == 0x0300) {
        s->n_groups = 0;
        s->flags = TD_HELLO_SCSV;
    }
}

static struct td_probe_req *add_req(struct td_probe_enum_priv *p, const struct td_hello_spec *s,
                                    enum td_flight_want want, int slot, enum td_err *err)
{
    if (p->n_reqs >= MAX_REQS) {
        *err = TD_ERR_ARG;
        return NULL;
    }
    struct td_probe_req *r = &p->reqs[p->n_reqs];
    memset(r, 0, sizeof *r);
    td_buf_init(&r->hello, 65536);
    td_probe_keys_init(&r->keys);
    r->want = want;
    p->slot[p->n_reqs] = slot;
    p->n_reqs++;
    enum td_err e = td_probe_hello_build(s, &r->keys, &r->hello);
    if (e != TD_OK)
        *err = e;
    return r;
}

static void describe_into(const struct td_probe_answer *a, char *dst, size_t n)
{
    struct td_buf b;
    td_buf_init(&b, 1024);
    td_probe_answer_describe(a, &b);
    snprintf(dst, n, "%s", b.p ? b.p : "");
    td_buf_free(&b);
}

/* ---- elimination tasks ---- */

static struct elim *add_task(struct td_probe_enum_priv *p, enum elim_kind kind,
                             const struct td_hello_spec *tmpl, const uint16_t *vals, size_t n,
                             uint16_t *found, size_t *n_found, size_t max_found, char *end,
                             size_t end_size)
{
    if (p->n_tasks >= MAX_TASKS || n == 0)
        return NULL;
    struct elim *t = &p->tasks[p->n_tasks++];
    memset(t, 0, sizeof *t);
    t->active = 1;
    t->kind = kind;
    t->tmpl = *tmpl;
    n = n < TD_PROBE_MAX_SUITES ? n : TD_PROBE_MAX_SUITES;
    memcpy(t->rem, vals, n * sizeof *vals);
    t->n_rem = n;
    t->found = found;
    t->n_found = n_found;
    t->max_found = max_found;
    t->end = end;
    t->end_size = end_size;
    return t;
}

static void remove_val(struct elim *t, uint16_t v)
{
    for (size_t i = 0; i < t->n_rem; i++)
        if (t->rem[i] == v) {
            memmove(t->rem + i, t->rem + i + 1, (t->n_rem - i - 1) * sizeof *t->rem);
            t->n_rem--;
            return;
        }
}

static int has_val(const uint16_t *v, size_t n, uint16_t x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return 1;
    return 0;
}

/* Copies at most cap of the n values into dst; returns how many it copied. */
static size_t copy_capped(uint16_t *dst, size_t cap, const uint16_t *src, size_t n)
{
    n = n < cap ? n : cap;
    memcpy(dst, src, n * sizeof *src);
    return n;
}

static void elim_spec(const struct elim *t, struct td_hello_spec *s)
{
    *s = t->tmpl;
    size_t n = t->n_rem;
    switch (t->kind) {
    case EK_SUITE:
        memcpy(s->suites, t->rem, n * sizeof *t->rem);
        s->n_suites = n;
        break;
    case EK_GROUP13:
    case EK_GROUP12:
        s->n_groups = copy_capped(s->groups, TD_PROBE_MAX_GROUPS, t->rem, n);
        break;
    case EK_SIGALG12:
    case EK_SIGALG13:
        s->n_sigalgs = copy_capped(s->sigalgs, TD_PROBE_MAX_SIGALGS, t->rem, n);
        break;
    }
}

/* The value the server picked, or 0 if the answer is a refusal (or says nothing). */
static uint16_t elim_pick(const struct elim *t, const struct td_probe_answer *a)
{
    int hello = a->outcome == TD_PO_SERVER_HELLO && !a->alert_after_hello;
    switch (t->kind) {
    case EK_SUITE:
        return (a->outcome == TD_PO_SERVER_HELLO || a->outcome == TD_PO_HRR) ? a->suite : 0;
    case EK_GROUP13:
        return (a->outcome == TD_PO_HRR || a->outcome == TD_PO_SERVER_HELLO) ? a->group : 0;
    case EK_GROUP12: return hello ? a->group : 0;
    case EK_SIGALG12: return hello ? a->ske_sigalg : 0;
    case EK_SIGALG13: return a->outcome == TD_PO_SERVER_HELLO ? a->cv_sigalg : 0;
    }
    return 0;
}

static void elim_feed(struct elim *t, const struct td_probe_answer *a)
{
    uint16_t v = elim_pick(t, a);
    if (v && has_val(t->rem, t->n_rem, v) && *t->n_found < t->max_found) {
        t->found[(*t->n_found)++] = v;
        remove_val(t, v);
        t->active = t->n_rem > 0;
        if (!t->active)
            snprintf(t->end, t->end_size, "every value offered was accepted");
        return;
    }
    t->active = 0;
    if (v)
        snprintf(t->end, t->end_size, "the server picked 0x%04x, which was not offered", v);
    else
        describe_into(a, t->end, t->end_size);
}

static enum td_err elim_round(struct td_probe_enum_priv *p)
{
    enum td_err err = TD_OK;
    for (size_t i = 0; i < p->n_tasks; i++) {
        struct elim *t = &p->tasks[i];
        if (!t->active)
            continue;
        struct td_hello_spec s;
        elim_spec(t, &s);
        enum td_flight_want w = t->kind == EK_SIGALG13 ? TD_WANT_CERT : TD_WANT_HELLO;
        struct td_probe_req *r = add_req(p, &s, w, (int)i, &err);
        if (!r)
            break;
        r->task = (int)i;
    }
    return err;
}

static int any_active(const struct td_probe_enum_priv *p)
{
    for (size_t i = 0; i < p->n_tasks; i++)
        if (p->tasks[i].active)
            return 1;
    return 0;
}

/* ---- phases ---- */

/* Round 1 asks for TLS 1.3, up to TLS 1.2 and up to TLS 1.1. A server picks the highest version
 * it shares with the ClientHello, so the "up to" probes also say which lower version it would
 * take; further rounds go down only as far as versions remain untested. */
static enum td_err versions_round(struct td_probe_enum *e)
{
    struct td_probe_enum_priv *p = e->priv;
    enum td_err err = TD_OK;
    for (int i = 4; i >= 0; i--) {
        if (p->ver_round == 0 ? i < 2 : i != p->ver_next)
            continue;
        struct td_hello_spec s;
        spec_for_version(&s, ver_ids[i], e->res.sni);
        /* TLS <= 1.2 flights are read to ServerHelloDone anyway; TLS 1.3 is decrypted so this
         * answer also gives the chain, the CertificateVerify algorithm and the SNI case */
        add_req(p, &s, i == 4 ? TD_WANT_CERT : TD_WANT_HELLO, i, &err);
    }
    return err;
}

static int ver_index(uint16_t v)
{
    return v >= 0x0300 && v <= 0x0304 ? v - 0x0300 : -1;
}

/* Records what one versions probe (offering up to ver_ids[top]) says about each version. */
static void versions_note(struct td_probe_enum *e, int top, const struct td_probe_answer *a)
{
    struct td_probe_enum_priv *p = e->priv;
    int got = (a->outcome == TD_PO_SERVER_HELLO || a->outcome == TD_PO_HRR) ? ver_index(a->version)
                                                                              : -1;
    if (got > top)
        got = -1;
    /* a refusal of an "up to TLS 1.1" probe also covers the lower versions it offered */
    int lo = got >= 0 ? got : (top <= 2 ? 0 : top);
    for (int k = top; k >= lo; k--) {
        struct td_probe_version_result *v = &e->res.ver[k];
        if (v->tested)
            continue;
        v->version = ver_ids[k];
        v->tested = 1;
        v->server_order = -1;
        v->supported = k == got;
        if (v->supported)
            continue;
        describe_into(a, v->refusal, sizeof v->refusal);
        if (k != top) {
            size_t n = strlen(v->refusal);
            snprintf(v->refusal + n, sizeof v->refusal - n, " (to a ClientHello offering up to %s)",
                     top == 3 ? "TLS 1.2" : top == 2 ? "TLS 1.1" : "TLS 1.0");
        }
    }
    if (got == 4)
        p->best13 = 1;
    else if (got >= 0 && ver_ids[got] > p->best12)
        p->best12 = ver_ids[got];
    if (got >= 0 && got <= 2 && got > 0 && !e->res.ver[got - 1].tested)
        p->ver_next = got - 1 > p->ver_next ? got - 1 : p->ver_next;
}

static void versions_feed(struct td_probe_enum *e)
{
    struct td_probe_enum_priv *p = e->priv;
    p->ver_next = -1;
    for (size_t i = 0; i < p->n_reqs; i++)
        versions_note(e, p->slot[i], &p->reqs[i].ans);
    p->ver_round++;
    /* the answers at the best versions already hold the chain: keep them */
    for (size_t i = 0; i < p->n_reqs; i++) {
        struct td_probe_answer *a = &p->reqs[i].ans;
        if (a->outcome != TD_PO_SERVER_HELLO)
            continue;
        if (a->version == 0x0304 && !e->res.cert13.outcome) {
            e->res.cert13 = *a;
            memset(a, 0, sizeof *a);
        } else if (a->version == p->best12 && !e->res.cert12.outcome) {
            e->res.cert12 = *a;
            memset(a, 0, sizeof *a);
        }
    }
    /* seed each supported version's suite elimination with the first choice already seen */
    for (size_t i = 0; i < p->n_reqs; i++) {
        const struct td_probe_answer *a = &p->reqs[i].ans;
        if (a->outcome == TD_PO_NONE)
            a = p->slot[i] == 4 ? &e->res.cert13 : &e->res.cert12;
        int k = (a->outcome == TD_PO_SERVER_HELLO || a->outcome == TD_PO_HRR) ? ver_index(a->version)
                                                                                : -1;
        if (k < 0 || k > p->slot[i] || !e->res.ver[k].supported || p->seeded[k])
            continue;
        struct td_probe_version_result *v = &e->res.ver[k];
        p->seeded[k] = 1;
        struct td_hello_spec s;
        spec_for_version(&s, v->version, e->res.sni);
        if (v->version == 0x0304) {
            s.n_shares = 0;
            s.key_share_ext = 1; /* an HRR names the suite too; no keys needed */
        }
        struct elim *t = add_task(p, EK_SUITE, &s, s.suites, s.n_suites, v->suites, &v->n_suites,
                                  TD_PROBE_MAX_SUITES, v->suites_end, sizeof v->suites_end);
        if (t)
            elim_feed(t, a);
    }
    if (p->ver_round > 1)
        return;
    if (p->best13) {
        struct td_hello_spec s;
        spec_for_version(&s, 0x0304, e->res.sni);
        s.n_shares = 0;
        s.key_share_ext = 1;
        add_task(p, EK_GROUP13, &s, s.groups, s.n_groups, e->res.groups13, &e->res.n_groups13,
                 TD_PROBE_MAX_GROUPS, e->res.groups13_end, sizeof e->res.groups13_end);
    }
}

static int is_kx(uint16_t suite, const char *prefix)
{
    const struct td_suite *s = td_reg_suite(suite);
    return s && s->kx && !strncmp(s->kx, prefix, strlen(prefix));
}

/* TLS 1.2 groups and signature algorithms, TLS 1.3 signature algorithms: need the suites. */
static void lists2_setup(struct td_probe_enum *e)
{
    struct td_probe_enum_priv *p = e->priv;
    p->n_tasks = 0;
    const struct td_probe_version_result *v12 = &e->res.ver[3];
    if (v12->supported) {
        struct td_hello_spec s;
        spec_for_version(&s, 0x0303, e->res.sni);
        s.n_suites = 0;
        for (size_t i = 0; i < v12->n_suites; i++)
            if (is_kx(v12->suites[i], "ECDHE"))
                s.suites[s.n_suites++] = v12->suites[i];
        struct elim *t = NULL;
        /* the versions probe offered every group and signature algorithm too: its pick seeds */
        int seed = p->best12 == 0x0303 && e->res.cert12.outcome == TD_PO_SERVER_HELLO;
        if (s.n_suites)
            t = add_task(p, EK_GROUP12, &s, s.groups, s.n_groups, e->res.groups12,
                         &e->res.n_groups12, TD_PROBE_MAX_GROUPS, e->res.groups12_end,
                         sizeof e->res.groups12_end);
        if (t && seed && is_kx(e->res.cert12.suite, "ECDHE"))
            elim_feed(t, &e->res.cert12);
        t = NULL;
        for (size_t i = 0; i < v12->n_suites; i++)
            if (is_kx(v12->suites[i], "DHE") && s.n_suites < TD_PROBE_MAX_SUITES)
                s.suites[s.n_suites++] = v12->suites[i];
        if (s.n_suites)
            t = add_task(p, EK_SIGALG12, &s, s.sigalgs, s.n_sigalgs, e->res.sigalgs12,
                         &e->res.n_sigalgs12, TD_PROBE_MAX_SIGALGS, e->res.sigalgs12_end,
                         sizeof e->res.sigalgs12_end);
        if (t && seed && e->res.cert12.ske_sigalg)
            elim_feed(t, &e->res.cert12);
    }
    if (p->best13 && e->res.n_groups13) {
        struct td_hello_spec s;
        spec_for_version(&s, 0x0304, e->res.sni);
        s.n_suites = 0;
        for (size_t i = 0; i < e->res.ver[4].n_suites; i++)
            if (td_tls13_suite_ok(e->res.ver[4].suites[i]))
                s.suites[s.n_suites++] = e->res.ver[4].suites[i];
        s.share_groups[0] = e->res.groups13[0];
        s.n_shares = 1;
        switch (s.share_groups[0]) {
        case 0x001d: case 0x001e: case 0x0017: case 0x0018: case 0x0019:
            if (s.n_suites) {
                struct elim *t = add_task(p, EK_SIGALG13, &s, s.sigalgs, s.n_sigalgs,
                                          e->res.sigalgs13, &e->res.n_sigalgs13,
                                          TD_PROBE_MAX_SIGALGS, e->res.sigalgs13_end,
                                          sizeof e->res.sigalgs13_end);
                if (t && e->res.cert13.cv_sigalg)
                    elim_feed(t, &e->res.cert13);
            }
            break;
        default: break;
        }
    }
}

/* One ClientHello per version with two or more suites, offering them in reverse. */
static enum td_err order_round(struct td_probe_enum *e)
{
    enum td_err err = TD_OK;
    for (int i = 0; i < 5; i++) {
        const struct td_probe_version_result *v = &e->res.ver[i];
        if (!v->supported || v->n_suites < 2 || v->version == e->priv->best12)
            continue; /* the best TLS <= 1.2 version's order is read from the extensions probe */
        struct td_hello_spec s;
        spec_for_version(&s, v->version, e->res.sni);
        for (size_t k = 0; k < v->n_suites; k++)
            s.suites[k] = v->suites[v->n_suites - 1 - k];
        s.n_suites = v->n_suites;
        if (v->version == 0x0304) {
            s.n_shares = 0;
            s.key_share_ext = 1;
        }
        add_req(e->priv, &s, TD_WANT_HELLO, i, &err);
    }
    return err;
}

static void order_feed(struct td_probe_enum *e)
{
    struct td_probe_enum_priv *p = e->priv;
    for (size_t i = 0; i < p->n_reqs; i++) {
        struct td_probe_version_result *v = &e->res.ver[p->slot[i]];
        const struct td_probe_answer *a = &p->reqs[i].ans;
        if (a->outcome != TD_PO_SERVER_HELLO && a->outcome != TD_PO_HRR)
            continue;
        if (a->suite == v->suites[0])
            v->server_order = 1;
        else if (a->suite == v->suites[v->n_suites - 1])
            v->server_order = 0;
        else
            v->server_order = 2;
    }
}

static void sha256_leaf(const struct td_probe_answer *a, struct td_probe_sni_case *c);

static void add_sni_case(struct td_probe_enum *e, const char *name, const struct td_probe_answer *a)
{
    if (e->res.n_sni_cases >= 3)
        return;
    struct td_probe_sni_case *c = &e->res.sni_cases[e->res.n_sni_cases++];
    snprintf(c->name, sizeof c->name, "%s", name);
    c->outcome = a->outcome;
    c->alert_desc = a->alert_desc;
    c->version = a->version;
    describe_into(a, c->detail, sizeof c->detail);
    sha256_leaf(a, c);
}

static uint16_t best_version(const struct td_probe_enum *e)
{
    return e->priv->best13 ? 0x0304 : e->priv->best12;
}

static enum td_err final_round(struct td_probe_enum *e)
{
    struct td_probe_enum_priv *p = e->priv;
    enum td_err err = TD_OK;
    uint16_t best = best_version(e);
    if (!best)
        return TD_OK;
    const char *names[3] = {e->res.sni, "", WRONG_SNI};
    const struct td_probe_answer *kept = best == 0x0304 ? &e->res.cert13 : &e->res.cert12;
    int first = e->res.sni[0] ? 0 : 1;
    if (kept->outcome == TD_PO_SERVER_HELLO) {
        add_sni_case(e, names[first], kept); /* the versions probe sent this name already */
        first++;
    }
    for (int i = first; i < 3; i++) {
        struct td_hello_spec s;
        spec_for_version(&s, best, names[i]);
        if (best == 0x0304 && e->res.n_groups13 && s.share_groups[0] != e->res.groups13[0]) {
            s.share_groups[1] = e->res.groups13[0]; /* avoid a HelloRetryRequest if we can */
            s.n_shares = 2;
        }
        add_req(p, &s, TD_WANT_CERT, FS_SNI0 + i, &err);
    }
    if (p->best12) {
        struct td_hello_spec s;
        spec_for_version(&s, p->best12, e->res.sni);
        const struct td_probe_version_result *v = &e->res.ver[p->best12 - 0x0300];
        if (v->n_suites >= 2) { /* found suites in reverse: the pick also says whose order */
            for (size_t k = 0; k < v->n_suites; k++)
                s.suites[k] = v->suites[v->n_suites - 1 - k];
            s.n_suites = v->n_suites;
        }
        s.flags |= TD_HELLO_EMS | TD_HELLO_ETM | TD_HELLO_RENEG | TD_HELLO_TICKET |
                   TD_HELLO_STATUS_REQUEST | TD_HELLO_SCT;
        s.mfl = 1;
        snprintf(s.alpn, sizeof s.alpn, "h2,http/1.1");
        add_req(p, &s, TD_WANT_CERT, FS_EXT12, &err);
    }
    return err;
}

static void final_feed(struct td_probe_enum *e)
{
    struct td_probe_enum_priv *p = e->priv;
    const char *names[3] = {e->res.sni, "", WRONG_SNI};
    for (size_t i = 0; i < p->n_reqs; i++) {
        struct td_probe_answer *a = &p->reqs[i].ans;
        int slot = p->slot[i];
        if (slot <= FS_SNI2) {
            add_sni_case(e, names[slot], a);
            if (slot == FS_SNI0 || (slot == FS_SNI1 && !e->res.sni[0])) {
                if (a->version == 0x0304 && !e->res.cert13.outcome) {
                    e->res.cert13 = *a;
                    memset(a, 0, sizeof *a);
                }
            }
        } else if (slot == FS_EXT12) {
            struct td_probe_version_result *v = &e->res.ver[p->best12 - 0x0300];
            if (v->n_suites >= 2 && a->outcome == TD_PO_SERVER_HELLO)
                v->server_order = a->suite == v->suites[0] ? 1
                                  : a->suite == v->suites[v->n_suites - 1] ? 0 : 2;
            e->res.ext12 = *a;
            memset(a, 0, sizeof *a);
        }
    }
}

/* see probe.h */
enum td_err td_probe_enum_next(struct td_probe_enum *e, struct td_probe_req **reqs, size_t *n,
                               const char **phase)
{
    struct td_probe_enum_priv *p = e->priv;
    enum td_err err = TD_OK;
    clear_reqs(p);
    *n = 0;
    *reqs = p->reqs;
    for (;;) {
        switch (p->phase) {
        case P_VERSIONS:
            *phase = "versions";
            err = versions_round(e);
            break;
        case P_LISTS1:
        case P_LISTS2:
            *phase = p->phase == P_LISTS1 ? "suites and groups" : "signature algorithms";
            if (any_active(p))
                err = elim_round(p);
            break;
        case P_ORDER:
            *phase = "suite order";
            err = order_round(e);
            break;
        case P_FINAL:
            *phase = "SNI, extensions and certificates";
            err = final_round(e);
            break;
        case P_DONE:
            return TD_OK;
        }
        if (err != TD_OK || p->n_reqs) {
            *n = p->n_reqs;
            e->res.connections += p->n_reqs;
            return err;
        }
        p->phase++;
        if (p->phase == P_LISTS2)
            lists2_setup(e);
    }
}

/* see probe.h */
enum td_err td_probe_enum_feed(struct td_probe_enum *e)
{
    struct td_probe_enum_priv *p = e->priv;
    switch (p->phase) {
    case P_VERSIONS:
        versions_feed(e);
        if (p->ver_next >= 0)
            break; /* another versions round */
        p->phase = (p->best13 || p->best12 || e->res.ver[0].supported) ? P_LISTS1 : P_DONE;
        break;
    case P_LISTS1:
    case P_LISTS2:
        for (size_t i = 0; i < p->n_reqs; i++)
            elim_feed(&p->tasks[p->reqs[i].task], &p->reqs[i].ans);
        break;
    case P_ORDER:
        order_feed(e);
        p->phase = P_FINAL;
        break;
    case P_FINAL:
        final_feed(e);
        p->phase = P_DONE;
        break;
    case P_DONE: break;
    }
    return TD_OK;
}

static void sha256_leaf(const struct td_probe_answer *a, struct td_probe_sni_case *c)
{
    unsigned n = 0;
    if (a->n_certs && EVP_Digest(a->certs[0].der, a->certs[0].len, c->cert_sha256, &n,
                                 EVP_sha256(), NULL) == 1)
        c->have_cert = 1;
}
