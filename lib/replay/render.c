/* render.c -- the diagnose report: the proven answer first (the replay, each handshake, the fix in
 * Mbed TLS terms, what the device meets after the ServerHello), then what the log alone suggests.
 * Text for people, JSON (cJSON) for programs. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cjson/cJSON.h>
#include "tlsdoctor/reg.h"
#include "replay/replay_int.h"
#include "util/json.h"

/* The finding id a proven change answers. */
static const char *change_finding(const struct td_replay_cand *c)
{
    switch (c->kind) {
    case TD_RC_SNI: return "sni-missing";
    case TD_RC_SUITES: return "no-common-suite";
    case TD_RC_GROUPS: return "no-common-group";
    case TD_RC_SIGALGS: return "no-common-sigalg";
    case TD_RC_TLS13: case TD_RC_TLS12: return "version-mismatch";
    case TD_RC_DROP_EXT: return c->n == 1 && c->v[0] == 1 ? "mfl-rejected" : "extension-rejected";
    case TD_RC_COUNT: break;
    }
    return "unknown";
}

static const struct td_finding *first_error(const struct td_replay_result *res)
{
    const struct td_finding *f = td_diag_leading(&res->checks);
    return f && f->sev == TD_SEV_ERROR ? f : NULL;
}

struct lead {
    const char *id;
    int proven;
    const char *basis;        /* "replay", "log" or "both": what the lead rests on */
    const char *other_id;     /* what the other source (log or replay) says when it differs, or NULL */
    const char *head;         /* the report's first word: "Proven", "On the device's side", "Not proven" */
    int assumed;              /* the replayed hello was the generation's default */
    struct td_buf summary, fix;
};

/* The server's answer to the unchanged hello, as a noun phrase ("alert 80 (internal_error)"). */
static void first_answer(const struct td_replay_result *res, struct td_buf *b)
{
    if (!res->n_steps)
        return;
    const struct td_replay_step *s = &res->steps[0];
    const char *nm = td_reg_alert_name(s->alert);
    switch (s->outcome) {
    case TD_PO_ALERT: td_buf_printf(b, "alert %u (%s)", s->alert, nm ? nm : "unknown"); break;
    case TD_PO_CLOSED: td_buf_puts(b, "a closed connection"); break;
    case TD_PO_RESET: td_buf_puts(b, "a reset connection"); break;
    case TD_PO_TIMEOUT: td_buf_puts(b, "silence (no answer in time)"); break;
    case TD_PO_NONE: case TD_PO_SERVER_HELLO: case TD_PO_HRR: case TD_PO_GARBAGE:
    case TD_PO_OVERSIZED: case TD_PO_TOO_MUCH: case TD_PO_VIOLATION: case TD_PO_CONNECT_FAILED:
        td_buf_printf(b, "this: %s", s->result);
        break;
    }
}

/* The log's leading finding when it names a failure cause, else NULL. */
static const struct td_finding *log_cause(const struct td_report_item *items, size_t n, size_t lead)
{
    if (!items || lead >= n || !items[lead].d || !td_diag_has_cause(items[lead].d))
        return NULL;
    return td_diag_leading(items[lead].d);
}

/* Appends a finding's summary as the continuation of a sentence: first letter lowered when it is
 * a capital word, the final full stop dropped. */
static void put_clause(struct td_buf *b, const char *summary)
{
    size_t k = summary ? strlen(summary) : 0;
    if (!k)
        return;
    if (k >= 2 && summary[0] >= 'A' && summary[0] <= 'Z' && summary[1] >= 'a' && summary[1] <= 'z')
        td_buf_putc(b, (char)(summary[0] - 'A' + 'a'));
    else
        td_buf_putc(b, summary[0]);
    if (k > 1)
        td_buf_append(b, summary + 1, k - 1 - (summary[k - 1] == '.'));
}

/* What the replay proved on its own: a change, a problem after the ServerHello, acceptance, or
 * nothing (proven = 0). */
static void replay_lead(const struct td_replay_result *res, struct lead *l)
{
    const struct td_finding *err = first_error(res);
    l->proven = 1;
    if (res->found) {
        l->id = change_finding(&res->fix[0]);
        td_buf_puts(&l->summary, "the server answers your ClientHello with ");
        first_answer(res, &l->summary);
        td_buf_puts(&l->summary, "; the same ClientHello with ");
        for (size_t i = 0; i < res->n_fix; i++) {
            if (i)
                td_buf_puts(&l->summary, " and ");
            td_replay_cand_describe(&res->fix[i], &l->summary);
        }
        td_buf_puts(&l->summary, " gets a ServerHello");
        td_replay_fix_text(res, &l->fix);
    } else if (res->accepted_unchanged && err) {
        l->id = err->id;
        td_buf_puts(&l->summary, "the server accepts your ClientHello, then: ");
        put_clause(&l->summary, err->summary);
        if (err->fix)
            td_buf_puts(&l->fix, err->fix);
    } else if (res->n_steps && res->steps[0].outcome == TD_PO_CONNECT_FAILED) {
        l->id = "connection-refused";
        td_buf_printf(&l->summary, "the server cannot be reached now either (%s)", res->steps[0].result);
        td_buf_puts(&l->fix, "check the address and port, and that the server is running and reachable "
                             "(firewall)");
    } else if (res->accepted_unchanged) {
        l->id = "handshake-ok";
        td_buf_puts(&l->summary, "the server accepts your ClientHello and nothing after its ServerHello "
                                 "stands in the device's way");
    } else {
        l->id = "unknown";
        l->proven = 0;
        td_buf_puts(&l->summary, "no change tried turned the server's answer (");
        first_answer(res, &l->summary);
        td_buf_puts(&l->summary, ") into a ServerHello");
    }
}

/* Replaces the lead with the log's own finding f, after the lead-in `intro`. */
static void take_log(struct lead *l, const struct td_finding *f, const char *intro)
{
    td_buf_reset(&l->summary);
    td_buf_reset(&l->fix);
    l->id = f->id;
    td_buf_puts(&l->summary, intro);
    put_clause(&l->summary, f->summary);
    if (f->fix)
        td_buf_puts(&l->fix, f->fix);
}

/* The log's leading finding when it says the handshake succeeded and names no cause (a refusal
 * after a completed handshake, such as nginx's HTTP 400, is a cause), else NULL. */
static const struct td_finding *log_success(const struct td_report_item *items, size_t n, size_t lead)
{
    if (!items || lead >= n || !items[lead].d || items[lead].d->handshake != TD_HS_SUCCEEDED ||
        td_diag_has_cause(items[lead].d))
        return NULL;
    return td_diag_leading(items[lead].d);
}

/* 1 when the replay's check rests on a device setting given on the command line (--in-buf,
 * --time) rather than on the device the log shows: it then models another device than the one
 * whose handshake the log shows succeeding, and stands. */
static int told_otherwise(const struct td_replay_result *res, const char *id)
{
    if (!strcmp(id, "record-too-large"))
        return res->in_buf_source && !strcmp(res->in_buf_source, "--in-buf");
    if (!strcmp(id, "cert-expired") || !strcmp(id, "cert-not-yet-valid"))
        return res->time_source && !strcmp(res->time_source, "--time");
    return 0;
}

/* The verdict when the replayed hello was the generation's default, not the device's own: the
 * replay then supports or questions the log, it proves nothing about the device. */
static void assumed_verdict(struct lead *l, const struct td_finding *lf)
{
    l->proven = 0;
    l->head = "Not proven";
    if (!lf) {
        td_buf_puts(&l->summary, " (replayed with the default ClientHello of this Mbed TLS version: the log "
                                 "does not show what the device sent)");
        return;
    }
    const char *rid = l->id;
    int agree = !strcmp(rid, lf->id) || !strcmp(rid, "handshake-ok");
    l->basis = agree ? "both" : "log";
    if (!agree)
        l->other_id = rid;
    take_log(l, lf, !strcmp(rid, "handshake-ok")
                        ? "the server accepts this Mbed TLS version's default ClientHello (assumed: the log does "
                          "not show what the device sent), so what failed is in how the device differs from it "
                          "or after the ServerHello; the log shows "
                        : "the log shows ");
}

/* The one verdict: the replay's proof combined with the log's own cause. A proven change or a
 * proven problem after the ServerHello leads (basis "both" when the log names the same cause;
 * the log's differing cause is kept to be shown beside it). When the server accepts the device's
 * ClientHello and nothing the replay can check stands in the way, a failure the log shows is on
 * the device's side: the log's cause leads, confirmed by the replay. When nothing was proven, the
 * log's cause leads on the log's word. handshake-ok leads only when the log shows no failure; a
 * log that shows the handshake succeeding outweighs a problem the replay's checks rate. */
static void lead_of(const struct td_replay_result *res, const struct td_report_item *items, size_t n,
                    size_t lead, struct lead *l)
{
    td_buf_init(&l->summary, 0);
    td_buf_init(&l->fix, 0);
    l->other_id = NULL;
    l->basis = "replay";
    l->assumed = res->assumed;
    replay_lead(res, l);
    l->head = l->proven ? "Proven" : "Not proven";
    const struct td_finding *lf = log_cause(items, n, lead), *ls = log_success(items, n, lead);
    if (res->assumed) {
        assumed_verdict(l, lf);
        return;
    }
    if (ls && !res->found && strcmp(l->id, "handshake-ok") != 0 && !told_otherwise(res, l->id)) {
        l->other_id = l->id;
        l->basis = "log";
        l->proven = 0;
        l->head = "The handshake works";
        take_log(l, ls, "the log shows the handshake completing; ");
        return;
    }
    if (!lf)
        return;
    int replay_ok = !strcmp(l->id, "handshake-ok");
    if (!replay_ok && l->proven) {
        if (!strcmp(lf->id, l->id))
            l->basis = "both";
        else
            l->other_id = lf->id;
        return;
    }
    if (replay_ok) {
        l->basis = "both";
        l->head = "On the device's side";
        take_log(l, lf, "the server accepts this ClientHello (the replay confirms it), so what failed is on the "
                        "device: ");
    } else {
        l->proven = 0;
        l->basis = "log";
        l->head = "Not proven";
        take_log(l, lf, res->reproduced == 1 ? "the replay reproduces the failure, but no change tried turns it "
                                               "into a ServerHello; the log shows "
                                             : "the replay did not prove a cause; the log shows ");
    }
}

static void lead_free(struct lead *l)
{
    td_buf_free(&l->summary);
    td_buf_free(&l->fix);
}

/* see replay.h */
const char *td_replay_verdict(const struct td_replay_result *res, const struct td_report_item *items, size_t n,
                              size_t lead, const char **basis)
{
    struct lead l;
    lead_of(res, items, n, lead, &l);
    lead_free(&l);
    if (basis)
        *basis = l.basis;
    return l.id;
}

/* How the text report names what the lead rests on. */
static const char *basis_text(const struct lead *l)
{
    if (l->assumed)
        return !strcmp(l->basis, "both") ? "from the log; a replay of the default ClientHello agrees"
                                         : "not proven: the replayed ClientHello was assumed";
    if (!strcmp(l->basis, "both"))
        return l->proven && strcmp(l->id, "handshake-ok") != 0 ? "proven, and the log agrees"
                                                               : "from the log, confirmed by the replay";
    return l->proven ? "proven" : "from the log, not proven";
}

static const char *sev_tag(enum td_severity s)
{
    return s == TD_SEV_ERROR ? "error" : s == TD_SEV_WARNING ? "warning" : "note";
}

/* see replay.h */
enum td_err td_replay_render_text(const struct td_replay_result *res, const char *server,
                                  const struct td_report_item *items, size_t n, size_t lead,
                                  const char *source, unsigned flags, struct td_buf *out)
{
    struct lead l;
    lead_of(res, items, n, lead, &l);
    const char *b = (flags & TD_REPORT_COLOUR) ? "\033[1m" : "";
    const char *r = (flags & TD_REPORT_COLOUR) ? "\033[0m" : "";
    td_buf_printf(out, "%s%s: %s.%s\n", b, l.head, l.summary.p ? l.summary.p : "", r);
    if (l.fix.len)
        td_buf_printf(out, "%sFix:%s %s\n", b, r, l.fix.p);
    td_buf_printf(out, "Leading finding: %s (%s)\n", l.id, basis_text(&l));
    if (l.other_id)
        td_buf_printf(out, "The %s says %s instead (both are shown below).\n",
                      strcmp(l.basis, "replay") ? "replay" : "log alone", l.other_id);
    lead_free(&l);
    td_buf_printf(out, "\nReplay against %s: %zu handshake%s (bound 2*log2(%zu candidates)+2 = %zu)\n",
                  server ? server : "the server", res->handshakes, res->handshakes == 1 ? "" : "s",
                  res->n_candidates, res->bound);
    td_buf_printf(out, "  ClientHello: %s\n",
                  res->assumed ? "assumed: the default ClientHello of this Mbed TLS version (the log shows neither the "
                                 "record nor the lists the device offered)"
                  : res->reconstructed ? "reconstructed from the log's text (it has no hex dump of the record)"
                                       : "the device's own bytes (fresh random and key shares)");
    if (res->log_failure[0])
        td_buf_printf(out, "  The log shows: %s\n", res->log_failure);
    for (size_t i = 0; i < res->n_steps; i++) {
        const struct td_replay_step *s = &res->steps[i];
        td_buf_printf(out, "  %zu. %s -> %s", i + 1, s->change, s->result);
        if (i == 0 && res->reproduced >= 0)
            td_buf_printf(out, " (%s)", res->reproduced ? "reproduces the log" : "differs from the log");
        td_buf_putc(out, '\n');
    }
    if (res->have_final && (res->found || res->accepted_unchanged)) {
        char when[40];
        time_t tt = (time_t)res->device_time;
        struct tm tm;
        if (!gmtime_r(&tt, &tm) || !strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm))
            snprintf(when, sizeof when, "%lld", (long long)res->device_time);
        td_buf_printf(out, "\nAfter the ServerHello (device clock %s from %s; input buffer %zu bytes from %s):\n",
                      when, res->time_source ? res->time_source : "?", res->in_buf,
                      res->in_buf_source ? res->in_buf_source : "?");
        for (size_t i = 0; i < res->checks.n; i++) {
            const struct td_finding *f = &res->checks.f[i];
            td_buf_printf(out, "  [%s] %s: %s\n", sev_tag(f->sev), f->id, f->summary);
            if (f->fix && f->sev != TD_SEV_INFO)
                td_buf_printf(out, "      fix: %s\n", f->fix);
        }
    }
    if (n) {
        td_buf_puts(out, "\nInferred from the log alone (not replayed):\n");
        td_report_text(items, n, lead, source, flags & ~TD_REPORT_COLOUR, out);
    }
    return out->err;
}

static cJSON *names(const struct td_replay_cand *c)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < c->n; i++) {
        const char *nm = NULL;
        char hex[8];
        switch (c->kind) {
        case TD_RC_SUITES: nm = td_reg_suite_name(c->v[i]); break;
        case TD_RC_GROUPS: nm = td_reg_group_name(c->v[i]); break;
        case TD_RC_SIGALGS: nm = td_reg_sigalg_name(c->v[i]); break;
        case TD_RC_DROP_EXT: nm = td_reg_ext_name(c->v[i]); break;
        case TD_RC_SNI: nm = c->name; break;
        case TD_RC_TLS13: case TD_RC_TLS12: nm = td_reg_version_name(c->v[i]); break;
        case TD_RC_COUNT: break;
        }
        snprintf(hex, sizeof hex, "0x%04x", c->v[i]);
        cJSON_AddItemToArray(a, cJSON_CreateString(nm ? nm : hex));
    }
    return a;
}

static void add_steps(cJSON *o, const struct td_replay_result *res)
{
    cJSON *steps = cJSON_AddArrayToObject(o, "steps");
    for (size_t i = 0; steps && i < res->n_steps; i++) {
        const struct td_replay_step *s = &res->steps[i];
        cJSON *j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "n", (double)(i + 1));
        cJSON_AddStringToObject(j, "change", s->change);
        cJSON_AddStringToObject(j, "outcome", td_probe_outcome_name(s->outcome));
        if (s->outcome == TD_PO_ALERT)
            cJSON_AddNumberToObject(j, "alert", s->alert);
        if (s->outcome == TD_PO_SERVER_HELLO) {
            const char *v = td_reg_version_name(s->version), *su = td_reg_suite_name(s->suite);
            cJSON_AddStringToObject(j, "version", v ? v : "unknown");
            cJSON_AddStringToObject(j, "suite", su ? su : "unknown");
        }
        cJSON_AddStringToObject(j, "result", s->result);
        cJSON_AddItemToArray(steps, j);
    }
}

static cJSON *replay_json(const struct td_replay_result *res)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "hello", res->assumed ? "assumed" : res->reconstructed ? "reconstructed" : "device_bytes");
    if (res->reproduced < 0)
        cJSON_AddNullToObject(o, "reproduced");
    else
        cJSON_AddBoolToObject(o, "reproduced", res->reproduced);
    cJSON_AddStringToObject(o, "log_failure", res->log_failure);
    cJSON_AddBoolToObject(o, "accepted_unchanged", res->accepted_unchanged);
    cJSON_AddBoolToObject(o, "found", res->found);
    cJSON_AddNumberToObject(o, "handshakes", (double)res->handshakes);
    cJSON_AddNumberToObject(o, "candidates", (double)res->n_candidates);
    cJSON_AddNumberToObject(o, "bound", (double)res->bound);
    add_steps(o, res);
    cJSON *ch = cJSON_AddArrayToObject(o, "changes");
    for (size_t i = 0; ch && i < res->n_fix; i++) {
        cJSON *j = cJSON_CreateObject();
        struct td_buf fx;
        td_buf_init(&fx, 0);
        td_replay_cand_fix(&res->fix[i], res->mbedtls_major, &fx);
        cJSON_AddStringToObject(j, "kind", td_replay_change_id(res->fix[i].kind));
        cJSON_AddItemToObject(j, "values", names(&res->fix[i]));
        cJSON_AddStringToObject(j, "fix", fx.p ? fx.p : "");
        td_buf_free(&fx);
        cJSON_AddItemToArray(ch, j);
    }
    return o;
}

static cJSON *checks_json(const struct td_replay_result *res)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < res->checks.n; i++) {
        const struct td_finding *f = &res->checks.f[i];
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "id", f->id);
        cJSON_AddStringToObject(j, "severity", td_severity_name(f->sev));
        cJSON_AddBoolToObject(j, "proven", 1);
        cJSON_AddStringToObject(j, "summary", f->summary ? f->summary : "");
        if (f->fix)
            cJSON_AddStringToObject(j, "fix", f->fix);
        cJSON_AddItemToArray(a, j);
    }
    return a;
}

/* see replay.h */
enum td_err td_replay_render_json(const struct td_replay_result *res, const char *server,
                                  const struct td_report_item *items, size_t n, size_t lead,
                                  const char *source, struct td_buf *out)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return TD_ERR_NOMEM;
    cJSON_AddStringToObject(root, "schema", "tlsdoctor.diagnose/1");
    if (source)
        cJSON_AddStringToObject(root, "source", source);
    else
        cJSON_AddNullToObject(root, "source");
    cJSON_AddStringToObject(root, "server", server ? server : "");
    struct lead l;
    lead_of(res, items, n, lead, &l);
    cJSON *lj = cJSON_AddObjectToObject(root, "lead");
    cJSON_AddStringToObject(lj, "id", l.id);
    cJSON_AddBoolToObject(lj, "proven", l.proven);
    cJSON_AddStringToObject(lj, "basis", l.basis);
    if (l.other_id)
        cJSON_AddStringToObject(lj, strcmp(l.basis, "replay") ? "replay_id" : "log_id", l.other_id);
    cJSON_AddStringToObject(lj, "summary", l.summary.p ? l.summary.p : "");
    cJSON_AddStringToObject(lj, "fix", l.fix.p ? l.fix.p : "");
    lead_free(&l);
    cJSON_AddItemToObject(root, "replay", replay_json(res));
    cJSON *dev = cJSON_AddObjectToObject(root, "device");
    cJSON_AddNumberToObject(dev, "mbedtls_major", res->mbedtls_major);
    if (res->time_source) {
        cJSON_AddNumberToObject(dev, "time", (double)res->device_time);
        cJSON_AddStringToObject(dev, "time_source", res->time_source);
        cJSON_AddNumberToObject(dev, "in_buf", (double)res->in_buf);
        cJSON_AddStringToObject(dev, "in_buf_source", res->in_buf_source ? res->in_buf_source : "");
    }
    cJSON_AddItemToObject(root, "checks", checks_json(res));
    if (n) {
        struct td_buf inf;
        td_buf_init(&inf, 0);
        td_report_json(items, n, lead, source, 0, &inf);
        cJSON *ij = inf.p ? cJSON_Parse(inf.p) : NULL;
        td_buf_free(&inf);
        cJSON_AddItemToObject(root, "inferred", ij ? ij : cJSON_CreateNull());
    } else {
        cJSON_AddNullToObject(root, "inferred");
    }
    return td_json_put_line(out, root);
}
