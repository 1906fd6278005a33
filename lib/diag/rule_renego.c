/* rule_renego.c -- a renegotiation refused, or a handshake broken off over secure renegotiation
 * (renegotiation-refused), read from the client's log and the server's. The evidence is typed by
 * the log reader: TD_FACT_RENEGO (lib/mbedlog/renego.c: Mbed TLS's level-1 messages) and the
 * peer's no_renegotiation alert (100), which Mbed TLS sends as a warning when it declines a
 * renegotiation (mbedtls_ssl_conf_renegotiation(MBEDTLS_SSL_RENEGOTIATION_DISABLED), 2.28
 * ssl_msg.c mbedtls_ssl_read(): "refusing renegotiation, sending alert"). ssl-opt.sh: "Renegotiation: client-initiated,
 * server-rejected", "... server-initiated, client-rejected, delay 0", "Renego ext: ... break
 * legacy". */
#include <stdio.h>
#include <string.h>
#include "diag_int.h"
#include "rules_int.h"
#include "tlsdoctor/mbedtls.h"
#include "tlsdoctor/tls_ids.h"

/* The first TD_FACT_RENEGO event, or NULL. */
static const struct td_event *renego_fact(const struct dx_facts *fx)
{
    return dx_find_fact(fx, TD_FACT_RENEGO);
}

/* The peer's no_renegotiation alert (any level), when a handshake failed or the log's writer was
 * renegotiating; NULL otherwise. */
static const struct td_event *peer_no_renego(const struct dx_facts *fx, enum td_actor peer)
{
    for (size_t i = 0; i < fx->t->n_ev; i++) {
        const struct td_event *e = &fx->t->ev[i];
        if (e->kind == TD_EV_ALERT && e->from == peer && e->b == TD_ALERT_NO_RENEGOTIATION)
            return fx->hs_failed ? e : NULL;
    }
    return NULL;
}

struct renego_case {
    int confidence;
    const char *summary;      /* the device's (client's) log */
    const char *srv_summary;  /* the server's log */
    const char *reason;
};

static const struct renego_case cases[] = {
    [TD_RENEGO_NOT_HONORED] = {90,
        "The server did not honour the renegotiation your client asked for: it carried on without "
        "it. Fix: do not renegotiate with this server (open a new connection instead), or enable "
        "renegotiation on the server (mbedtls_ssl_conf_renegotiation(MBEDTLS_SSL_RENEGOTIATION_ENABLED)).",
        "This server asked the client to renegotiate (a HelloRequest) and the client did not: its "
        "renegotiation is off. Fix: do not require it (leave mbedtls_ssl_conf_renegotiation_enforced() "
        "at its default, or renegotiate only clients that allow it), or enable renegotiation on the "
        "client.",
        "Mbed TLS says the renegotiation it asked for was not honoured"},
    [TD_RENEGO_LEGACY_BREAK] = {90,
        "The server does not support secure renegotiation (RFC 5746: no renegotiation_info in its "
        "ServerHello) and your client is set to break off with such servers "
        "(MBEDTLS_SSL_LEGACY_BREAK_HANDSHAKE). Fix: leave mbedtls_ssl_conf_legacy_renegotiation() at "
        "MBEDTLS_SSL_LEGACY_NO_RENEGOTIATION (the default: connect, never renegotiate), or update the "
        "server.",
        "The client does not support secure renegotiation (RFC 5746: no renegotiation_info and no "
        "TLS_EMPTY_RENEGOTIATION_INFO_SCSV in its ClientHello) and this server is set to break off "
        "with such clients (MBEDTLS_SSL_LEGACY_BREAK_HANDSHAKE). Fix: leave "
        "mbedtls_ssl_conf_legacy_renegotiation() at MBEDTLS_SSL_LEGACY_NO_RENEGOTIATION (the default), "
        "or update the client.",
        "Mbed TLS says the peer has no secure renegotiation and it breaks off the handshake"},
    [TD_RENEGO_LEGACY_REFUSED] = {85,
        "The peer tried to renegotiate without secure renegotiation (RFC 5746), which your side "
        "refuses (MBEDTLS_SSL_LEGACY_NO_RENEGOTIATION, the default). Fix: update the peer to support "
        "secure renegotiation, or do not renegotiate; MBEDTLS_SSL_LEGACY_ALLOW_RENEGOTIATION allows "
        "it but is insecure (CVE-2009-3555).",
        NULL,
        "Mbed TLS says the peer's insecure (legacy) renegotiation is not allowed"},
    [TD_RENEGO_BAD_INFO] = {85,
        "The peer's renegotiation_info does not match the connection's Finished messages: a peer "
        "that implements secure renegotiation wrongly, or a man-in-the-middle. Fix: update the peer; "
        "do not allow legacy renegotiation to work around it.",
        NULL,
        "Mbed TLS found the peer's renegotiation_info wrong"},
};

static const char declined_cli[] =
    "The server refused to renegotiate: it answered your client's renegotiation with the "
    "no_renegotiation alert (100). Fix: do not renegotiate with this server (open a new connection "
    "instead), or enable renegotiation on the server "
    "(mbedtls_ssl_conf_renegotiation(MBEDTLS_SSL_RENEGOTIATION_ENABLED)).";
static const char declined_srv[] =
    "The client refused this server's renegotiation request with the no_renegotiation alert (100): "
    "its renegotiation is off. Fix: do not require renegotiation from clients, or enable it on the "
    "client (mbedtls_ssl_conf_renegotiation(MBEDTLS_SSL_RENEGOTIATION_ENABLED)).";

/* The case the log shows: *fact or *alert is set to its evidence. */
static const struct renego_case *which(const struct dx_facts *fx, enum td_actor peer,
                                       const struct td_event **fact, const struct td_event **alert)
{
    *fact = renego_fact(fx);
    *alert = peer_no_renego(fx, peer);
    if (*fact && (*fact)->code > TD_RENEGO_NONE && (*fact)->code <= TD_RENEGO_BAD_INFO)
        return &cases[(*fact)->code];
    *fact = NULL;
    return NULL;
}

static void evidence(struct dx *dx, struct td_finding *f, const struct td_event *fact,
                     const struct td_event *alert)
{
    if (fact)
        dx_ev(dx, f, fact, "Mbed TLS: \"%s\"", fact->text ? fact->text : "renegotiation");
    if (alert)
        dx_ev_alert(dx, f, alert);
    dx_ev_final(dx, f);
}

static const char explanation[] =
    "Renegotiation is a second handshake on an established TLS 1.2 connection; either side may "
    "decline it (no_renegotiation, 100) and Mbed TLS has it off by default. Secure renegotiation "
    "(RFC 5746, the renegotiation_info extension) binds it to the connection; "
    "mbedtls_ssl_conf_legacy_renegotiation() says what to do with a peer that lacks it.";

static const char no_server_hello[] =
    "The server did not answer your client's renegotiation with a ServerHello "
    "(MBEDTLS_ERR_SSL_WAITING_SERVER_HELLO_RENEGO from mbedtls_ssl_renegotiate()): it refused it (a "
    "no_renegotiation warning, which debug level 2 shows) or ignored it. Fix: do not renegotiate with "
    "this server (open a new connection instead), or enable renegotiation on the server.";

/* The handshake's result is 2.x's WAITING_SERVER_HELLO_RENEGO: Mbed TLS carries on after it inside
 * mbedtls_ssl_read(), so the reader makes it the result only when the application's
 * mbedtls_ssl_renegotiate() call returned it. */
static const struct td_event *renego_unanswered(const struct dx_facts *fx)
{
    int64_t code = dx_err_code("SSL_WAITING_SERVER_HELLO_RENEGO");
    if (!code || !fx->hs_failed || fx->hs_ret != code)
        return NULL;
    return fx->hs_ret_ev ? fx->hs_ret_ev : fx->t->n_ev ? &fx->t->ev[fx->t->n_ev - 1] : NULL;
}

/* The log's writer declined its peer's renegotiation (its own no_renegotiation alert) after a
 * handshake that completed, and the peer then ended the connection: the handshake is a success and
 * the close, reset or silence found after it (rule_net.c, rule_server.c) is the peer's answer to the
 * refusal, so those findings become warnings and this one says what happened (and the likelihood
 * pass, likely.c, ranks no cause for the close). Returns 1 if so. */
static int declined_by_writer(struct dx *dx, const struct dx_rule *r, enum td_actor writer)
{
    const struct dx_facts *fx = &dx->fx;
    if (!fx->hs_done || fx->hs_failed)
        return 0;
    const struct td_event *a = NULL;
    for (size_t i = 0; i < fx->t->n_ev && !a; i++) {
        const struct td_event *e = &fx->t->ev[i];
        if (e->kind == TD_EV_ALERT && e->from == writer && e->b == TD_ALERT_NO_RENEGOTIATION)
            a = e;
    }
    if (!a)
        return 0;
    static const char *const after[] = {"peer-closed", "connection-reset", "timeout"};
    for (size_t i = 0; i < dx->out->n; i++) {
        struct td_finding *g = &dx->out->f[i];
        for (size_t k = 0; k < sizeof after / sizeof after[0]; k++)
            if (g->sev == TD_SEV_ERROR && !strcmp(g->id, after[k])) {
                g->sev = TD_SEV_WARNING;
                dx_add(dx, &g->explanation, " Just before, this side had declined the peer's "
                       "renegotiation (no_renegotiation, 100): ending the connection is the peer's answer.");
            }
    }
    struct td_finding *f = dx_emit(dx, r, TD_SEV_WARNING, 85);
    if (!f)
        return 1;
    dx_ev_alert(dx, f, a);
    dx_set(dx, &f->summary, "The %s asked to renegotiate and this side declined (its renegotiation is off, "
           "the default); the handshake itself had succeeded. If the peer needs renegotiation, enable it: "
           "mbedtls_ssl_conf_renegotiation(MBEDTLS_SSL_RENEGOTIATION_ENABLED).",
           writer == TD_ACTOR_CLIENT ? "server" : "client");
    dx_set(dx, &f->reason, "this side's own no_renegotiation alert after the completed handshake");
    dx_set(dx, &f->explanation, "%s", explanation);
    return 1;
}

void dx_rule_renegotiation_refused(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *fact, *alert;
    const struct renego_case *c = which(fx, TD_ACTOR_SERVER, &fact, &alert);
    const struct td_event *ret = c || alert ? NULL : renego_unanswered(fx);
    if (!c && !alert && !ret)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, c ? c->confidence : alert ? 90 : 80);
    if (!f)
        return;
    evidence(dx, f, fact, alert);
    dx_set(dx, &f->summary, "%s", c ? c->summary : alert ? declined_cli : no_server_hello);
    dx_set(dx, &f->reason, "%s", c ? c->reason : alert ? "the server's no_renegotiation alert answered the "
                                                         "renegotiation"
                                                       : "the renegotiation got no ServerHello");
    dx_set(dx, &f->explanation, "%s", explanation);
}

/* A second row of the table, after the fallbacks (local-failure, unknown): the close it explains
 * has kept them from guessing. */
void dx_rule_renegotiation_declined(struct dx *dx, const struct dx_rule *r)
{
    declined_by_writer(dx, r, TD_ACTOR_CLIENT);
}

static const struct dx_rule srv_renego = {
    "renegotiation-refused", "A renegotiation refused, or broken off over secure renegotiation", NULL,
    "Renegotiate only with clients that allow it (do not enforce it: "
    "mbedtls_ssl_conf_renegotiation_enforced()), and leave mbedtls_ssl_conf_legacy_renegotiation() at "
    "MBEDTLS_SSL_LEGACY_NO_RENEGOTIATION (the default).",
    "Renegotiate only with clients that allow it (do not enforce it: "
    "mbedtls_ssl_conf_renegotiation_enforced()), and leave mbedtls_ssl_conf_legacy_renegotiation() at "
    "MBEDTLS_SSL_LEGACY_NO_RENEGOTIATION (the default).",
    NULL};

int dx_server_renego(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *fact, *alert;
    if (declined_by_writer(dx, &srv_renego, TD_ACTOR_SERVER))
        return 1;
    const struct renego_case *c = which(fx, TD_ACTOR_CLIENT, &fact, &alert);
    if (!c && !alert)
        return 0;
    struct td_finding *f = dx_emit(dx, &srv_renego, TD_SEV_ERROR, c ? c->confidence : 90);
    if (!f)
        return 1;
    f->client_fix = "Enable renegotiation on the client (mbedtls_ssl_conf_renegotiation()) and secure "
                    "renegotiation (RFC 5746, on by default in Mbed TLS, OpenSSL and GnuTLS).";
    evidence(dx, f, fact, alert);
    dx_set(dx, &f->summary, "%s", c ? (c->srv_summary ? c->srv_summary : c->summary) : declined_srv);
    dx_set(dx, &f->reason, "%s", c ? c->reason : "the client's no_renegotiation alert answered this server's request");
    dx_set(dx, &f->explanation, "%s", explanation);
    return 1;
}
