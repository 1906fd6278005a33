/* rule_peer.c -- the other side's error line (TD_FACT_PEER_ERROR: nginx, Go, OpenSSL, GnuTLS,
 * Mosquitto...) names the cause outright. Two rows: client-cert-untrusted (the server refused the
 * device's certificate) and peer-reported (everything else: it leads with the rule the named cause
 * belongs to, e.g. no-common-suite for "no shared cipher", or says what the line names when no rule
 * fits). Facts only: the reader decided what the line names (lib/mbedlog/peerline.def). */
#include <stdio.h>
#include <string.h>
#include "diag_int.h"
#include "rules_int.h"

/* The line to go by: the first one naming a specific cause; else the first bare handshake failure
 * (gnutls-cli's "A TLS fatal alert has been received." comes before the line naming the alert);
 * else the first closed connection. */
static const struct td_event *peer_event(const struct dx_facts *fx)
{
    const struct td_event *closed = NULL, *failed = NULL;
    for (size_t i = 0; i < fx->t->n_ev; i++) {
        const struct td_event *e = &fx->t->ev[i];
        if (e->kind != TD_EV_FACT || e->fact != TD_FACT_PEER_ERROR)
            continue;
        if (e->code == TD_PEER_PEER_CLOSED) {
            if (!closed)
                closed = e;
        } else if (e->code == TD_PEER_HANDSHAKE_FAILURE) {
            if (!failed)
                failed = e;
        } else {
            return e;
        }
    }
    return failed ? failed : closed;
}

/* The side of the handshake the device is on (this log's writer), and the one that complained. */
static enum td_actor device_side(const struct dx_facts *fx)
{
    return fx->t->logged_by == TD_ACTOR_SERVER ? TD_ACTOR_SERVER : TD_ACTOR_CLIENT;
}

static enum td_actor other(enum td_actor a)
{
    return a == TD_ACTOR_SERVER ? TD_ACTOR_CLIENT : TD_ACTOR_SERVER;
}

/* Who raised the complaint: the line says, or else the line is the other side's (the device's own
 * lines are Mbed TLS's), so its own error is the other side's and an alert it received is the
 * device's. */
static enum td_actor raised_by(const struct dx_facts *fx, const struct td_event *e)
{
    if (e->from != TD_ACTOR_UNKNOWN)
        return e->from;
    return e->b ? device_side(fx) : other(device_side(fx));
}

struct target {
    const char *id;    /* rule the cause belongs to */
    int conf;
    const char *what;  /* the cause in words, for sentences */
};

/* The device is the client (rows above return for a server's log). */
static struct target target_of(const struct dx_facts *fx, enum td_peer_cause c, int remote_raised)
{
    struct target t = {"peer-reported", 60, "a handshake failure"};
    if (remote_raised) {
        switch (c) {
        case TD_PEER_NO_SHARED_CIPHER: return (struct target){"no-common-suite", 90, "no cipher suite in common"};
        case TD_PEER_VERSION: return (struct target){"version-mismatch", 90, "no TLS version in common"};
        case TD_PEER_NO_SHARED_GROUP: return (struct target){"no-common-group", 90, "no key exchange group in common"};
        case TD_PEER_NO_SHARED_SIGALG: return (struct target){"no-common-sigalg", 90, "no signature algorithm in common"};
        case TD_PEER_CERT_REQUIRED: return (struct target){"client-cert-required", 90, "no client certificate sent"};
        case TD_PEER_UNKNOWN_CA: case TD_PEER_BAD_CERT: case TD_PEER_CERT_EXPIRED: case TD_PEER_CERT_VERIFY:
        case TD_PEER_UNSUPPORTED_CERT:
            return (struct target){"client-cert-untrusted", 85, "the client certificate was refused"};
        case TD_PEER_UNRECOGNIZED_NAME:
            return (struct target){fx->exts_known && !fx->sni_sent ? "sni-missing" : "sni-rejected", 85,
                                   "no site for the requested name"};
        case TD_PEER_NO_CERT_FOR_NAME:
            return (struct target){fx->sni_sent ? "sni-rejected" : "sni-missing", 85,
                                   "no certificate for the requested name"};
        case TD_PEER_NOT_TLS: return (struct target){"peer-reported", 70, "what arrived was not TLS"};
        case TD_PEER_DECODE_ERROR: return (struct target){"peer-reported", 60, "a message it could not parse"};
        case TD_PEER_RECORD_TOO_LARGE: return (struct target){"peer-reported", 60, "a record too large"};
        case TD_PEER_PEER_CLOSED: return (struct target){"peer-reported", 40, "the connection closed mid-handshake"};
        case TD_PEER_NO_VERIFY_OPTION: return (struct target){"bad-config", 90, "no way to verify the peer"};
        case TD_PEER_HANDSHAKE_FAILURE: case TD_PEER_NONE:
            /* a failure without a reason (HAProxy's "SSL handshake failure"): evidence, not a cause */
            return (struct target){"peer-reported", 35, "a handshake failure, without saying why"};
        }
        return t;
    }
    switch (c) {
    case TD_PEER_UNKNOWN_CA: return (struct target){"ca-untrusted", 85, "the server's certificate is not trusted"};
    case TD_PEER_CERT_EXPIRED: return (struct target){"cert-expired", 80, "the server's certificate is expired"};
    case TD_PEER_BAD_CERT:
        return (struct target){"hostname-mismatch", 65, "the server's certificate was refused (bad_certificate)"};
    case TD_PEER_UNSUPPORTED_CERT:
        /* Mbed TLS's unsupported_certificate: a key usage, extended key usage, key type or curve it
         * refuses (ssl_tls.c's alert choice); the device's own log names which */
        return (struct target){"peer-reported", 55, "the server's certificate was refused as unsupported (its "
                               "key usage, extended key usage, key type or curve)"};
    case TD_PEER_NO_VERIFY_OPTION:
        return (struct target){"bad-config", 90, "esp-tls has no CA or certificate bundle to verify the server with"};
    case TD_PEER_VERSION: return (struct target){"version-mismatch", 80, "no TLS version in common"};
    case TD_PEER_NO_SHARED_CIPHER: return (struct target){"no-common-suite", 80, "no cipher suite in common"};
    case TD_PEER_NO_SHARED_GROUP: case TD_PEER_NO_SHARED_SIGALG: case TD_PEER_CERT_VERIFY:
    case TD_PEER_CERT_REQUIRED: case TD_PEER_UNRECOGNIZED_NAME: case TD_PEER_NO_CERT_FOR_NAME:
    case TD_PEER_HANDSHAKE_FAILURE: case TD_PEER_DECODE_ERROR: case TD_PEER_NOT_TLS:
    case TD_PEER_PEER_CLOSED: case TD_PEER_RECORD_TOO_LARGE: case TD_PEER_NONE:
        return (struct target){"peer-reported", 50, "the device aborted the handshake"};
    }
    return t;
}

static const struct dx_rule *rule_by_id(const char *id)
{
    for (size_t i = 0; i < dx_n_rules; i++)
        if (!strcmp(dx_rules[i].id, id))
            return &dx_rules[i];
    return NULL;
}

/* The summary's fix, in the device's (Mbed TLS) terms, for the causes a server names most. */
static const char *short_fix(const char *id)
{
    if (!strcmp(id, "no-common-suite"))
        return "enable a suite the server has (the key exchange and cipher in the Mbed TLS config, "
               "MBEDTLS_SSL_CIPHERSUITES if set, and any mbedtls_ssl_conf_ciphersuites() list); with "
               "TLS 1.2 an ECDHE suite also needs a curve in common";
    if (!strcmp(id, "version-mismatch"))
        return "let the device offer a version the server accepts (mbedtls_ssl_conf_min/max version, "
               "MBEDTLS_SSL_PROTO_TLS1_2 / _TLS1_3)";
    if (!strcmp(id, "no-common-group"))
        return "enable a curve the server accepts (MBEDTLS_ECP_DP_*_ENABLED and the curves/groups list)";
    if (!strcmp(id, "client-cert-required"))
        return "load a client certificate and key with mbedtls_ssl_conf_own_cert()";
    if (!strcmp(id, "client-cert-untrusted"))
        return "give the device a client certificate issued by a CA the server trusts, or add its "
               "issuer to the server's client CA list";
    if (!strcmp(id, "bad-config"))
        return "give esp-tls the server's root CA (cert_pem) or the certificate bundle (crt_bundle_attach = "
               "esp_crt_bundle_attach, CONFIG_MBEDTLS_CERTIFICATE_BUNDLE) in the configuration your "
               "esp_http_client / esp-mqtt / websocket client passes down; "
               "CONFIG_ESP_TLS_SKIP_SERVER_CERT_VERIFY turns verification off and is for tests only";
    if (!strcmp(id, "ca-untrusted"))
        return "load the CA that issued the server's certificate with mbedtls_ssl_conf_ca_chain()";
    return "see below";
}

/* A reset, a close or a silence is what the device saw of a refusal the other side's line explains:
 * the named cause leads over those symptoms (they stay, below it). */
static void demote_symptoms(struct dx *dx, int conf)
{
    static const char *const symptoms[] = {"connection-reset", "peer-closed", "timeout", NULL};
    for (const char *const *id = symptoms; *id; id++) {
        struct td_finding *s = dx_found(dx, *id);
        if (s && s->confidence >= conf) {
            s->confidence = conf - 5;
            dx_add(dx, &s->reason, "; what the device saw of a refusal the other side's log explains");
        }
    }
}

static void peer_rule(struct dx *dx, const struct dx_rule *self, int untrusted_only)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *e = peer_event(fx);
    /* a server's own log is diagnosed from its side by rule_server.c; these rows speak for a client */
    if (!e || fx->t->logged_by == TD_ACTOR_SERVER)
        return;
    enum td_actor who = raised_by(fx, e);
    int remote = who != device_side(fx);
    struct target tg = target_of(fx, (enum td_peer_cause)e->code, remote);
    /* an alert received by a program the line does not name could be a client's (openssl s_client
     * run by hand against the same server) as well as the server's: less sure who complained */
    if (e->b && e->a == TD_ACTOR_UNKNOWN && tg.conf > 70)
        tg.conf = 70;
    /* a client program on the device's side (openssl s_client, gnutls-cli run against the same
     * server) tells about the server, not about the device's own offer */
    if (e->a == (int)device_side(fx) && e->code != TD_PEER_NO_VERIFY_OPTION && tg.conf > 70)
        tg.conf = 70;
    if (untrusted_only != !strcmp(tg.id, "client-cert-untrusted"))
        return;
    const char *printer = e->code == TD_PEER_NO_VERIFY_OPTION ? "The device's TLS layer (esp-tls)"
                          : e->a == TD_ACTOR_SERVER               ? "The server's log"
                          : e->a == TD_ACTOR_CLIENT               ? "The client program's log"
                                                                  : "The other side's log";
    if (e->code != TD_PEER_PEER_CLOSED)
        demote_symptoms(dx, tg.conf);
    struct td_finding *f = dx_found(dx, tg.id);
    if (f && f->sev == TD_SEV_ERROR) {
        if (f->confidence < tg.conf)
            f->confidence = tg.conf;
        dx_ev(dx, f, e, "%s names the cause: %s", printer, td_peer_cause_name((enum td_peer_cause)e->code));
        dx_add(dx, &f->reason, "; the other side's log names it too");
        return;
    }
    const struct dx_rule *r = strcmp(tg.id, self->id) ? rule_by_id(tg.id) : self;
    if (!r)
        return;
    f = dx_emit(dx, r, TD_SEV_ERROR, tg.conf);
    if (!f)
        return;
    dx_ev(dx, f, e, "%s: %s (%s%s): %.200s", printer, td_peer_cause_name((enum td_peer_cause)e->code),
          e->b ? "an alert it received from the " : "raised by the ", td_actor_name(who), e->text ? e->text : "");
    dx_ev_ret(dx, f, fx->fail_ret);
    dx_ev_final(dx, f);
    if (!strcmp(r->id, "peer-reported"))
        dx_set(dx, &f->summary, "%s says the %s saw %s (%s). Fix: read the device's own error below with "
               "that in mind; the line says what the %s objected to.", printer, td_actor_name(who), tg.what,
               td_peer_cause_name((enum td_peer_cause)e->code), td_actor_name(who));
    else
        dx_set(dx, &f->summary, "%s names the cause: %s. Fix: %s.", printer, tg.what, short_fix(r->id));
    if (e->code == TD_PEER_NO_VERIFY_OPTION) {
        dx_set(dx, &f->explanation, "esp-tls checks its configuration before it starts Mbed TLS: with no "
               "cert_pem, no crt_bundle_attach, no use_global_ca_store and no PSK it refuses to set up "
               "the connection (ESP_ERR_MBEDTLS_SSL_SETUP_FAILED, line %u), so no handshake starts and "
               "the server is never asked.", e->line);
        dx_set(dx, &f->reason, "the device's TLS layer names this cause");
        return;
    }
    dx_set(dx, &f->explanation, "Line %u is not the device's: another TLS program printed it, and it "
           "states why the handshake failed (%s, raised by the %s%s). The device itself only sees the "
           "result (an alert or a closed connection), so this line is the better witness.", e->line,
           td_peer_cause_name((enum td_peer_cause)e->code), td_actor_name(who),
           e->b ? ", which sent it as an alert" : "");
    if (e->code == TD_PEER_NO_SHARED_CIPHER && remote)
        dx_add(dx, &f->explanation, " With TLS 1.2, OpenSSL, Go and GnuTLS say this too when the suites "
               "match but no ECDHE curve does, so check the curves as well if the suites look right.");
    dx_set(dx, &f->reason, "the other side's log names this cause");
}

void dx_rule_client_cert_untrusted(struct dx *dx, const struct dx_rule *r)
{
    peer_rule(dx, r, 1);
}

void dx_rule_peer_reported(struct dx *dx, const struct dx_rule *r)
{
    peer_rule(dx, r, 0);
}
