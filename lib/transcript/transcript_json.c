/* transcript_json.c -- a Transcript as JSON (cJSON builds and escapes it). */
#include <stdio.h>
#include <stdlib.h>
#include <cjson/cJSON.h>
#include "tlsdoctor/transcript.h"

const char *td_stop_name(enum td_stop s)
{
    switch (s) {
    case TD_STOP_UNKNOWN: return "unknown";
    case TD_STOP_COMPLETE: return "complete";
    case TD_STOP_BEFORE_HELLO: return "before_client_hello";
    case TD_STOP_MID_CLIENT_HELLO: return "mid_client_hello";
    case TD_STOP_BEFORE_SERVER_ANSWER: return "before_server_answer";
    case TD_STOP_MID_HANDSHAKE: return "mid_handshake";
    }
    return "unknown";
}

const char *td_origin_name(enum td_origin o)
{
    switch (o) {
    case TD_ORIGIN_DEBUG_LOG: return "debug_log";
    case TD_ORIGIN_APP_OUTPUT: return "app_output";
    case TD_ORIGIN_CAPTURE: return "capture";
    case TD_ORIGIN_PROBE: return "probe";
    }
    return "unknown";
}

static int add_flags(cJSON *ev, unsigned f)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {
        {TD_EVF_TRUNCATED, "truncated"}, {TD_EVF_RECONSTRUCTED, "reconstructed"},
        {TD_EVF_FROM_APP, "from_app"}, {TD_EVF_DECRYPTED, "decrypted"},
        {TD_EVF_SOFT, "soft"}, {0, NULL}
    };
    if (!f)
        return 1;
    cJSON *arr = cJSON_AddArrayToObject(ev, "flags");
    if (!arr)
        return 0;
    for (size_t i = 0; names[i].name; i++)
        if ((f & names[i].bit) && !cJSON_AddItemToArray(arr, cJSON_CreateString(names[i].name)))
            return 0;
    return 1;
}

static int add_hex(cJSON *ev, const uint8_t *p, size_t n)
{
    char *s = malloc(n * 2 + 1);
    if (!s)
        return 0;
    for (size_t i = 0; i < n; i++)
        snprintf(s + 2 * i, 3, "%02x", p[i]);
    s[2 * n] = '\0';
    int ok = cJSON_AddStringToObject(ev, "data", s) != NULL;
    free(s);
    return ok;
}

static cJSON *event_json(const struct td_event *e)
{
    cJSON *ev = cJSON_CreateObject();
    if (!ev)
        return NULL;
    int ok = cJSON_AddStringToObject(ev, "kind", td_ev_kind_name(e->kind)) != NULL;
    if (e->from != TD_ACTOR_UNKNOWN)
        ok = ok && cJSON_AddStringToObject(ev, "from", td_actor_name(e->from));
    if (e->kind == TD_EV_FACT)
        ok = ok && cJSON_AddStringToObject(ev, "fact", td_fact_name(e->fact));
    ok = ok && cJSON_AddNumberToObject(ev, "line", e->line) && cJSON_AddNumberToObject(ev, "line_end", e->line_end);
    ok = ok && cJSON_AddNumberToObject(ev, "code", (double)e->code);
    if (e->kind == TD_EV_ALERT || e->kind == TD_EV_STEP || e->kind == TD_EV_RECORD)
        ok = ok && cJSON_AddNumberToObject(ev, "a", e->a);
    if (e->kind == TD_EV_ALERT)
        ok = ok && cJSON_AddNumberToObject(ev, "b", e->b);
    if (e->kind == TD_EV_FACT && e->fact == TD_FACT_PEER_ERROR) {
        ok = ok && cJSON_AddStringToObject(ev, "cause", td_peer_cause_name((enum td_peer_cause)e->code));
        if (e->a != TD_ACTOR_UNKNOWN)
            ok = ok && cJSON_AddStringToObject(ev, "printed_by", td_actor_name((enum td_actor)e->a));
        ok = ok && cJSON_AddBoolToObject(ev, "received", e->b != 0);
    }
    ok = ok && add_flags(ev, e->flags);
    if (e->text)
        ok = ok && cJSON_AddStringToObject(ev, "text", e->text);
    if (e->data && e->len)
        ok = ok && add_hex(ev, e->data, e->len);
    if (!ok) {
        cJSON_Delete(ev);
        return NULL;
    }
    return ev;
}

struct cJSON *td_transcript_to_json(const struct td_transcript *t)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    int ok = cJSON_AddStringToObject(o, "origin", td_origin_name(t->origin)) &&
             cJSON_AddStringToObject(o, "logged_by", td_actor_name(t->logged_by)) &&
             cJSON_AddNumberToObject(o, "mbedtls_major", t->mbedtls_major) &&
             cJSON_AddNumberToObject(o, "mbedtls_minor", t->mbedtls_minor) &&
             cJSON_AddNumberToObject(o, "debug_level", t->debug_level) &&
             cJSON_AddStringToObject(o, "stop", td_stop_name(t->stop)) &&
             cJSON_AddNumberToObject(o, "first_line", t->first_line) &&
             cJSON_AddNumberToObject(o, "last_line", t->last_line);
    if (ok && t->handshake_ret_known)
        ok = cJSON_AddNumberToObject(o, "handshake_ret", (double)t->handshake_ret) != NULL;
    else if (ok)
        ok = cJSON_AddNullToObject(o, "handshake_ret") != NULL;
    cJSON *evs = ok ? cJSON_AddArrayToObject(o, "events") : NULL;
    for (size_t i = 0; evs && i < t->n_ev; i++) {
        cJSON *ev = event_json(&t->ev[i]);
        if (!ev || !cJSON_AddItemToArray(evs, ev)) {
            cJSON_Delete(ev);
            evs = NULL;
        }
    }
    if (!evs) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}
