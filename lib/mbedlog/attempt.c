/* attempt.c -- where one handshake attempt ends and the next begins (see attempt.h). */
#include <string.h>
#include "tlsdoctor/mbedtls.h"
#include "attempt.h"

/* A fatal alert, or the step "renegotiate", seen since event `from`. */
static int seen_since(const struct td_transcript *t, size_t from, int *fatal, int *reneg)
{
    *fatal = *reneg = 0;
    for (size_t i = from; i < t->n_ev; i++) {
        const struct td_event *e = &t->ev[i];
        if (e->kind == TD_EV_ALERT && e->a == 2)
            *fatal = 1;
        else if (e->kind == TD_EV_STEP && e->a == 1 && e->text && !strcmp(e->text, "renegotiate"))
            *reneg = 1;
    }
    return *fatal || *reneg;
}

enum ml_reentry ml_reentry_of(const struct td_transcript *t, const struct ml_hs_view *v)
{
    int fatal, reneg;
    if (!v->left)
        return ML_RE_NEW;        /* the last call never returned: the log lost it, start again */
    seen_since(t, v->since < t->n_ev ? v->since : t->n_ev, &fatal, &reneg);
    if (v->failed || fatal || (v->app_ret && !v->app_ret_soft))
        return ML_RE_NEW;        /* the last call failed: what follows is another try */
    if (!v->over)
        return ML_RE_SAME;       /* paused: WANT_READ/WANT_WRITE, DTLS resend, HelloVerifyRequest */
    if (reneg)
        return ML_RE_SAME;       /* a renegotiation belongs to the connection */
    return ML_RE_AT_STATE;       /* a post-handshake message, or a new connection */
}

int ml_state_is_fresh(int64_t code, const char *name)
{
    if (name)
        return !strcmp(name, "MBEDTLS_SSL_HELLO_REQUEST") || !strcmp(name, "MBEDTLS_SSL_CLIENT_HELLO");
    return code == 0 || code == 1;
}

int ml_soft_ret(int64_t code, const char *fn, int major, const char **confirm)
{
    *confirm = NULL;
    if (code >= 0)
        return 1;
    if (code < -0xFFFF)
        return 0;
    unsigned line = major == 3 ? TD_MBEDTLS_3X : major == 2 ? TD_MBEDTLS_2X : 0;
    const struct td_mbedtls_soft *s = td_mbedtls_soft_ret((int)code, fn, line);
    /* a log of unknown version: only a row that holds in both lines, or one tied to its function
     * (-0x7B00 is RECEIVED_NEW_SESSION_TICKET in 3.6 but BAD_HS_SERVER_KEY_EXCHANGE in 2.28) */
    if (!s || (!line && !s->func && s->lines != (TD_MBEDTLS_2X | TD_MBEDTLS_3X)))
        return 0;
    *confirm = s->confirm;
    return 1;
}
