/* json.c -- the JSON report ("schema": "tlsdoctor.report/1"), built with cJSON. The shape is
 * documented in docs/json.md and docs/tlsdoctor-report.schema.json; change all three together and
 * bump the schema version for anything that is not a pure addition. */
#include <string.h>
#include <cjson/cJSON.h>
#include "tlsdoctor/report.h"
#include "tlsdoctor/reg.h"
#include "util/json.h"

/* Adds a string, or null for NULL. */
static void add_str(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static cJSON *evidence_json(const struct td_evidence *e)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    if (e->line) {
        cJSON_AddNumberToObject(o, "line", e->line);
        cJSON_AddNumberToObject(o, "line_end", e->line_end ? e->line_end : e->line);
    } else {
        cJSON_AddNullToObject(o, "line");
        cJSON_AddNullToObject(o, "line_end");
    }
    add_str(o, "text", e->text);
    return o;
}

static cJSON *finding_json(const struct td_finding *f)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "id", f->id);
    add_str(o, "title", f->title);
    cJSON_AddStringToObject(o, "severity", td_severity_name(f->sev));
    cJSON_AddNumberToObject(o, "confidence", f->confidence);
    add_str(o, "reason", f->reason);
    add_str(o, "summary", f->summary);
    add_str(o, "explanation", f->explanation);
    add_str(o, "next_step", f->next_step);
    cJSON_AddBoolToObject(o, "likely", f->likely != 0);
    cJSON *fix = cJSON_AddObjectToObject(o, "fix");
    if (fix) {
        add_str(fix, "text", f->fix);
        add_str(fix, "mbedtls2", f->fix_mbedtls2);
        add_str(fix, "mbedtls3", f->fix_mbedtls3);
        add_str(fix, "server", f->server_fix);
        if (f->client_fix)
            add_str(fix, "client", f->client_fix);
    }
    cJSON *ev = cJSON_AddArrayToObject(o, "evidence");
    for (size_t i = 0; ev && i < f->n_ev; i++) {
        cJSON *e = evidence_json(&f->ev[i]);
        if (e)
            cJSON_AddItemToArray(ev, e);
    }
    return o;
}

static void add_named(cJSON *o, const char *k, int has, uint16_t id, const char *name)
{
    if (!has) {
        cJSON_AddNullToObject(o, k);
        return;
    }
    cJSON *v = cJSON_AddObjectToObject(o, k);
    if (!v)
        return;
    cJSON_AddNumberToObject(v, "id", id);
    add_str(v, "name", name);
}

static cJSON *negotiated_json(const struct td_negotiated *n)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    add_named(o, "version", n->has_version, n->version, td_reg_version_name(n->version));
    add_named(o, "suite", n->has_suite, n->suite, td_reg_suite_name(n->suite));
    add_named(o, "group", n->has_group, n->group, td_reg_group_name(n->group));
    return o;
}

static const char *origin_id(enum td_origin o)
{
    switch (o) {
    case TD_ORIGIN_DEBUG_LOG: return "debug_log";
    case TD_ORIGIN_APP_OUTPUT: return "app_output";
    case TD_ORIGIN_CAPTURE: return "capture";
    case TD_ORIGIN_PROBE: return "probe";
    }
    return "debug_log";
}

/* "context": the TD_CTX_* names; "error_code": the code the likely causes were ranked for;
 * "alternatives": the other likely causes in order with their likelihood and next step. */
static void add_context(cJSON *o, const struct td_diagnosis *d)
{
    cJSON *c = cJSON_AddArrayToObject(o, "context");
    for (unsigned b = 1; c && b < (1u << TD_CTX_COUNT); b <<= 1)
        if ((d->context & b) && td_context_name(b))
            cJSON_AddItemToArray(c, cJSON_CreateString(td_context_name(b)));
    if (d->code)
        cJSON_AddNumberToObject(o, "error_code", (double)d->code);
    else
        cJSON_AddNullToObject(o, "error_code");
    cJSON *alts = cJSON_AddArrayToObject(o, "alternatives");
    for (size_t i = 1; alts && i < d->n; i++) {
        const struct td_finding *f = &d->f[i];
        if (!f->likely || f->sev != TD_SEV_ERROR)
            continue;
        cJSON *a = cJSON_CreateObject();
        if (!a)
            return;
        cJSON_AddStringToObject(a, "id", f->id);
        cJSON_AddNumberToObject(a, "likelihood", f->confidence);
        add_str(a, "next_step", f->next_step);
        cJSON_AddItemToArray(alts, a);
    }
}

static cJSON *attempt_json(const struct td_report_item *it, size_t index)
{
    const struct td_transcript *t = it->t;
    const struct td_diagnosis *d = it->d;
    const struct td_finding *lead = td_diag_leading(d);
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddNumberToObject(o, "index", (double)index);
    cJSON_AddStringToObject(o, "origin", origin_id(t->origin));
    if (d->logged_by == TD_ACTOR_SERVER)
        cJSON_AddStringToObject(o, "logged_by", "server");
    cJSON_AddNumberToObject(o, "first_line", t->first_line);
    cJSON_AddNumberToObject(o, "last_line", t->last_line);
    if (d->mbedtls_major)
        cJSON_AddNumberToObject(o, "mbedtls_major", d->mbedtls_major);
    else
        cJSON_AddNullToObject(o, "mbedtls_major");
    cJSON_AddNumberToObject(o, "debug_level", t->debug_level);
    cJSON_AddStringToObject(o, "log_stops", td_stop_describe(t->stop));
    cJSON_AddStringToObject(o, "handshake", td_hs_result_name(d->handshake));
    cJSON_AddItemToObject(o, "negotiated", negotiated_json(&d->neg));
    add_str(o, "leading", lead ? lead->id : NULL);
    cJSON_AddStringToObject(o, "basis", td_basis_name(d->basis));
    add_context(o, d);
    cJSON *fs = cJSON_AddArrayToObject(o, "findings");
    for (size_t i = 0; fs && i < d->n; i++) {
        cJSON *f = finding_json(&d->f[i]);
        if (f)
            cJSON_AddItemToArray(fs, f);
    }
    return o;
}

enum td_err td_report_json(const struct td_report_item *items, size_t n, size_t lead,
                           const char *source, unsigned flags, struct td_buf *out)
{
    (void)flags;
    if (n && lead >= n)
        return TD_ERR_ARG;
    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return TD_ERR_NOMEM;
    const struct td_finding *f = n ? td_diag_leading(items[lead].d) : NULL;
    cJSON_AddStringToObject(doc, "schema", TD_REPORT_SCHEMA);
    add_str(doc, "source", source);
    cJSON_AddStringToObject(doc, "handshake", n ? td_hs_result_name(items[lead].d->handshake) : "unknown");
    add_str(doc, "leading", f ? f->id : NULL);
    if (n && items[lead].d->logged_by == TD_ACTOR_SERVER)
        cJSON_AddStringToObject(doc, "logged_by", "server");
    add_str(doc, "summary", f ? f->summary : NULL);
    cJSON_AddStringToObject(doc, "basis", n ? td_basis_name(items[lead].d->basis) : "debug-log");
    add_str(doc, "next_step", f ? f->next_step : NULL);
    if (n)
        cJSON_AddNumberToObject(doc, "lead_attempt", (double)lead);
    else
        cJSON_AddNullToObject(doc, "lead_attempt");
    cJSON *arr = cJSON_AddArrayToObject(doc, "attempts");
    for (size_t i = 0; arr && i < n; i++) {
        cJSON *a = attempt_json(&items[i], i);
        if (a)
            cJSON_AddItemToArray(arr, a);
    }
    return td_json_put_line(out, doc);
}
