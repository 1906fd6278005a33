/* transcript.c -- Transcript containers and names (see include/tlsdoctor/transcript.h). */
#include <stdlib.h>
#include <string.h>
#include "tlsdoctor/transcript.h"

void td_transcript_init(struct td_transcript *t, enum td_origin origin)
{
    memset(t, 0, sizeof *t);
    t->origin = origin;
    t->mbedtls_minor = -1;
}

void td_transcript_free(struct td_transcript *t)
{
    for (size_t i = 0; i < t->n_ev; i++) {
        free(t->ev[i].text);
        free(t->ev[i].data);
    }
    free(t->ev);
    td_transcript_init(t, t->origin);
}

struct td_event *td_transcript_add(struct td_transcript *t, const struct td_event *ev)
{
    if (t->n_ev == t->cap_ev) {
        size_t cap = t->cap_ev ? t->cap_ev * 2 : 32;
        struct td_event *p = realloc(t->ev, cap * sizeof *p);
        if (!p)
            return NULL;
        t->ev = p;
        t->cap_ev = cap;
    }
    struct td_event copy = *ev;
    copy.text = NULL;
    copy.data = NULL;
    if (ev->text && !(copy.text = strdup(ev->text)))
        return NULL;
    if (ev->data && ev->len) {
        copy.data = malloc(ev->len);
        if (!copy.data) {
            free(copy.text);
            return NULL;
        }
        memcpy(copy.data, ev->data, ev->len);
    } else {
        copy.len = 0;
    }
    if (copy.line_end < copy.line)
        copy.line_end = copy.line;
    t->ev[t->n_ev] = copy;
    return &t->ev[t->n_ev++];
}

void td_transcript_set_init(struct td_transcript_set *s)
{
    memset(s, 0, sizeof *s);
}

void td_transcript_set_free(struct td_transcript_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        td_transcript_free(&s->t[i]);
    free(s->t);
    td_transcript_set_init(s);
}

struct td_transcript *td_transcript_set_add(struct td_transcript_set *s, enum td_origin origin)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4;
        struct td_transcript *p = realloc(s->t, cap * sizeof *p);
        if (!p)
            return NULL;
        s->t = p;
        s->cap = cap;
    }
    td_transcript_init(&s->t[s->n], origin);
    return &s->t[s->n++];
}

const char *td_actor_name(enum td_actor a)
{
    switch (a) {
    case TD_ACTOR_CLIENT: return "client";
    case TD_ACTOR_SERVER: return "server";
    case TD_ACTOR_UNKNOWN: return "unknown";
    }
    return "unknown";
}

const char *td_ev_kind_name(enum td_ev_kind k)
{
    switch (k) {
    case TD_EV_RECORD: return "record";
    case TD_EV_ALERT: return "alert";
    case TD_EV_RETURN: return "return";
    case TD_EV_STATE: return "state";
    case TD_EV_STEP: return "step";
    case TD_EV_FACT: return "fact";
    case TD_EV_VERIFY: return "verify";
    case TD_EV_IO: return "io";
    case TD_EV_MESSAGE: return "message";
    }
    return "unknown";
}

const char *td_fact_name(enum td_fact f)
{
    switch (f) {
    case TD_FACT_NONE: return "none";
    case TD_FACT_OFFERED_SUITE: return "offered_suite";
    case TD_FACT_CHOSEN_SUITE: return "chosen_suite";
    case TD_FACT_MAX_VERSION: return "max_version";
    case TD_FACT_MIN_VERSION: return "min_version";
    case TD_FACT_CHOSEN_VERSION: return "chosen_version";
    case TD_FACT_EXT_ADDED: return "extension_added";
    case TD_FACT_HOSTNAME: return "hostname";
    case TD_FACT_CLIENT_TIME: return "client_time";
    case TD_FACT_MFL: return "max_fragment_length";
    case TD_FACT_IN_BUFFER: return "input_buffer";
    case TD_FACT_LIB_VERSION: return "library_version";
    case TD_FACT_CERT: return "certificate";
    case TD_FACT_GROUP: return "offered_group";
    case TD_FACT_SIGALG: return "offered_sigalg";
    case TD_FACT_CHOSEN_GROUP: return "chosen_group";
    case TD_FACT_RECORD_LEN: return "record_length";
    case TD_FACT_OFFERED_VERSION: return "offered_version";
    case TD_FACT_SOURCE_TIME: return "source_time";
    case TD_FACT_LOG_SIDE: return "log_side";
    case TD_FACT_REFUSAL: return "refusal";
    case TD_FACT_PLATFORM: return "platform";
    case TD_FACT_PEER: return "peer";
    case TD_FACT_PEER_ERROR: return "peer_error";
    case TD_FACT_MFL_NOT_ECHOED: return "mfl_not_echoed";
    case TD_FACT_DHM_SHORT: return "dhm_prime_short";
    case TD_FACT_CERT_USAGE: return "certificate_usage";
    case TD_FACT_USAGE_REFUSED: return "usage_refused";
    case TD_FACT_CURVE_REFUSED: return "curve_refused";
    case TD_FACT_WRITE_TOO_LARGE: return "write_too_large";
    case TD_FACT_RENEGO: return "renegotiation";
    case TD_FACT_PSK_IDENTITY: return "psk_identity";
    }
    return "unknown";
}

const char *td_peer_cause_name(enum td_peer_cause c)
{
    switch (c) {
    case TD_PEER_NONE: return "none";
    case TD_PEER_NO_SHARED_CIPHER: return "no_shared_cipher";
    case TD_PEER_VERSION: return "unsupported_version";
    case TD_PEER_NO_SHARED_GROUP: return "no_shared_group";
    case TD_PEER_NO_SHARED_SIGALG: return "no_shared_sigalg";
    case TD_PEER_UNKNOWN_CA: return "unknown_ca";
    case TD_PEER_BAD_CERT: return "bad_certificate";
    case TD_PEER_CERT_EXPIRED: return "certificate_expired";
    case TD_PEER_CERT_VERIFY: return "certificate_verify_failed";
    case TD_PEER_CERT_REQUIRED: return "certificate_required";
    case TD_PEER_UNRECOGNIZED_NAME: return "unrecognized_name";
    case TD_PEER_NO_CERT_FOR_NAME: return "no_certificate_for_name";
    case TD_PEER_HANDSHAKE_FAILURE: return "handshake_failure";
    case TD_PEER_DECODE_ERROR: return "decode_error";
    case TD_PEER_NOT_TLS: return "not_tls";
    case TD_PEER_PEER_CLOSED: return "peer_closed";
    case TD_PEER_RECORD_TOO_LARGE: return "record_too_large";
    case TD_PEER_NO_VERIFY_OPTION: return "no_verify_option";
    case TD_PEER_UNSUPPORTED_CERT: return "unsupported_certificate";
    }
    return "unknown";
}

const char *td_stop_describe(enum td_stop s)
{
    switch (s) {
    case TD_STOP_UNKNOWN: return "at an unknown point";
    case TD_STOP_COMPLETE: return "after the handshake's result";
    case TD_STOP_BEFORE_HELLO: return "before the ClientHello was sent";
    case TD_STOP_MID_CLIENT_HELLO: return "while the ClientHello was being written";
    case TD_STOP_BEFORE_SERVER_ANSWER: return "after the ClientHello, before the server's answer";
    case TD_STOP_MID_HANDSHAKE: return "in the middle of the handshake";
    }
    return "at an unknown point";
}
