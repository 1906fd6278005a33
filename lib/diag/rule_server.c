/* rule_server.c -- the diagnosis of a server's log: what the remote client offered (its ClientHello
 * as the server read it), what this server refused and why (TD_FACT_REFUSAL, its returns, its
 * alerts, what the client sent or did not), said from the server's side. The finding ids are the
 * client-side rules' (docs/rules.md); the fix names the side it belongs to, and both when either
 * works: `fix` (and fix_mbedtls2/3) for this server, `client_fix` for the client. */
#include <stdio.h>
#include <string.h>
#include "diag_int.h"
#include "rules_int.h"
#include "tlsdoctor/reg.h"
#include "tlsdoctor/tls_ids.h"

struct srv_rule {
    struct dx_rule r;          /* id, title, (fn unused), the server's fix for 2.x and 3.x */
    const char *client_fix;    /* what the client can change instead, or NULL */
};

enum {
    SR_SNI, SR_SUITE, SR_VERSION, SR_GROUP, SR_NO_CERT, SR_UNTRUSTED, SR_TOO_LARGE, SR_CLOSED,
    SR_RESET, SR_TIMEOUT, SR_PEER_ALERT, SR_UNKNOWN, SR_NOTHING, SR_OK, SR_FRAG, SR_MFL, SR_OVERFLOW
};

static const struct srv_rule srv_rules[] = {
    [SR_SNI] = {{"sni-rejected", "The client asked for a name this server does not serve", NULL,
                 "Serve the name: return its certificate from the SNI callback (mbedtls_ssl_conf_sni(), "
                 "mbedtls_ssl_set_hs_own_cert()), or fall back to a default certificate for unknown names.",
                 "Serve the name: return its certificate from the SNI callback (mbedtls_ssl_conf_sni(), "
                 "mbedtls_ssl_set_hs_own_cert()), or fall back to a default certificate for unknown names.",
                 NULL},
                "Ask for a name the server serves: mbedtls_ssl_set_hostname() (openssl s_client: -servername)."},
    [SR_SUITE] = {{"no-common-suite", "No cipher suite in common with the client", NULL,
                   "Enable one of the client's suites on the server: the key exchange in config.h "
                   "(MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED, ..._ECDHE_ECDSA_ENABLED), in "
                   "mbedtls_ssl_conf_ciphersuites() if it restricts them, and a certificate of the key "
                   "type the suite needs (mbedtls_ssl_conf_own_cert()).",
                   "Enable one of the client's suites on the server: the key exchange in mbedtls_config.h "
                   "(MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED, ..._ECDHE_ECDSA_ENABLED), in "
                   "mbedtls_ssl_conf_ciphersuites() if it restricts them, and a certificate of the key "
                   "type the suite needs (mbedtls_ssl_conf_own_cert()).",
                   NULL},
                  "Offer a suite the server has (Mbed TLS: mbedtls_ssl_conf_ciphersuites(); openssl: -cipher)."},
    [SR_VERSION] = {{"version-mismatch", "No TLS version in common with the client", NULL,
                     "Let the server accept the client's version: mbedtls_ssl_conf_min_version() / "
                     "mbedtls_ssl_conf_max_version() and the MBEDTLS_SSL_PROTO_* options (TLS 1.3 needs "
                     "Mbed TLS 3.x).",
                     "Let the server accept the client's version: mbedtls_ssl_conf_min_tls_version() / "
                     "mbedtls_ssl_conf_max_tls_version() and MBEDTLS_SSL_PROTO_TLS1_2 / _TLS1_3 (3.x has "
                     "no TLS 1.0/1.1).",
                     NULL},
                    "Offer TLS 1.2 (or what the server accepts) on the client: mbedtls_ssl_conf_max_version() / "
                    "MBEDTLS_SSL_PROTO_TLS1_2."},
    [SR_GROUP] = {{"no-common-group", "No key exchange group in common with the client", NULL,
                   "Enable one of the client's groups on the server: its MBEDTLS_ECP_DP_*_ENABLED and "
                   "mbedtls_ssl_conf_curves() if it restricts them.",
                   "Enable one of the client's groups on the server: its MBEDTLS_ECP_DP_*_ENABLED (or "
                   "PSA_WANT_ECC_*) and mbedtls_ssl_conf_groups() if it restricts them.",
                   NULL},
                  "Offer a group the server has on the client (Mbed TLS: mbedtls_ssl_conf_curves() / "
                  "mbedtls_ssl_conf_groups(); openssl: -groups)."},
    [SR_NO_CERT] = {{"client-cert-required", "The client sent no certificate, which this server requires", NULL,
                     "If clients may come without one, make it optional on the server: "
                     "mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_OPTIONAL).",
                     "If clients may come without one, make it optional on the server: "
                     "mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_OPTIONAL).",
                     NULL},
                    "Give the client a certificate and key the server trusts: mbedtls_ssl_conf_own_cert() "
                    "(openssl s_client: -cert and -key)."},
    [SR_UNTRUSTED] = {{"ca-untrusted", "The client's certificate is not issued by a CA this server trusts", NULL,
                       "Add the CA that issued the client certificates to the server's trust list: "
                       "mbedtls_x509_crt_parse_file() into the chain given to mbedtls_ssl_conf_ca_chain().",
                       "Add the CA that issued the client certificates to the server's trust list: "
                       "mbedtls_x509_crt_parse_file() into the chain given to mbedtls_ssl_conf_ca_chain().",
                       NULL},
                      "Use a client certificate issued by a CA the server trusts, and send its chain "
                      "(leaf and intermediates)."},
    [SR_TOO_LARGE] = {{"record-too-large", "A client message larger than this server can read", NULL,
                       "Mbed TLS 2.x reads a handshake message only whole in one record of at most "
                       "MBEDTLS_SSL_IN_CONTENT_LEN bytes: update the server to Mbed TLS 3.6.4 or later, "
                       "which reassembles them, and keep MBEDTLS_SSL_IN_CONTENT_LEN 16384.",
                       "Update to Mbed TLS 3.6.4 or later, which reassembles handshake messages over "
                       "records, and keep MBEDTLS_SSL_IN_CONTENT_LEN at 16384.",
                       NULL},
                      "Send a shorter client certificate chain (fewer intermediates, ECDSA keys)."},
    [SR_CLOSED] = {{"peer-closed", "The client closed the connection", NULL,
                    "Nothing on the server says why: read the client's log (a client that does not trust "
                    "the server's certificate often closes without an alert).",
                    "Nothing on the server says why: read the client's log (a client that does not trust "
                    "the server's certificate often closes without an alert).",
                    NULL},
                   "Look at the client's log or output for why it gave up."},
    [SR_RESET] = {{"connection-reset", "The client reset the connection", NULL,
                   "Nothing on the server says why: read the client's log, and any proxy or firewall's.",
                   "Nothing on the server says why: read the client's log, and any proxy or firewall's.",
                   NULL},
                  "Look at the client's log or output for why it reset the connection."},
    [SR_TIMEOUT] = {{"timeout", "No answer from the client", NULL,
                     "mbedtls_ssl_conf_read_timeout() sets how long the server waits; check the client "
                     "still runs and reaches the server.",
                     "mbedtls_ssl_conf_read_timeout() sets how long the server waits; check the client "
                     "still runs and reaches the server.",
                     NULL},
                    NULL},
    [SR_PEER_ALERT] = {{"peer-alert", "The client refused the handshake with an alert", NULL,
                        "Read the alert: it names what the client refused of this server.",
                        "Read the alert: it names what the client refused of this server.",
                        NULL},
                       NULL},
    [SR_UNKNOWN] = {{"unknown", "Failure not recognised (server log)", NULL,
                     "Raise the server's debug level to 4 (mbedtls_debug_set_threshold(4)) and read the "
                     "first failing call.",
                     "Raise the server's debug level to 4 (mbedtls_debug_set_threshold(4)) and read the "
                     "first failing call.",
                     NULL},
                    "Check the client's log for the reason it gives."},
    [SR_NOTHING] = {{"insufficient-evidence", "Not enough in the server's log", NULL,
                     "Capture the server's debug log: MBEDTLS_DEBUG_C, mbedtls_debug_set_threshold(4), "
                     "mbedtls_ssl_conf_dbg(), from before mbedtls_ssl_handshake() to its return.",
                     "Capture the server's debug log: MBEDTLS_DEBUG_C, mbedtls_debug_set_threshold(4), "
                     "mbedtls_ssl_conf_dbg(), from before mbedtls_ssl_handshake() to its return.",
                     NULL},
                    NULL},
    [SR_FRAG] = {{"handshake-fragmentation", "A client handshake message split over records", NULL,
                   "Mbed TLS 2.x cannot reassemble a handshake message split over records: update the "
                   "server to Mbed TLS 3.6.4 or later, or do not agree to max_fragment_length (leave "
                   "MBEDTLS_SSL_MAX_FRAGMENT_LENGTH out of the server's build).",
                   "Update the server to Mbed TLS 3.6.4 or later, which reassembles handshake messages "
                   "split over records.",
                   NULL},
                  "Send whole handshake messages: do not ask for a small max_fragment_length on the client "
                  "(openssl: no -maxfraglen)."},
    [SR_MFL] = {{"mfl-ignored", "This server sent records longer than the client's max_fragment_length", NULL,
                 "Mbed TLS 2.x agrees to max_fragment_length but does not split its TLS handshake messages "
                 "to it: leave MBEDTLS_SSL_MAX_FRAGMENT_LENGTH out of the server's build (it then ignores "
                 "the request and the client keeps full-size records), or send a chain that fits.",
                 "Keep the server's handshake messages within the client's max_fragment_length (a shorter "
                 "chain, ECDSA keys), or build the server without MBEDTLS_SSL_MAX_FRAGMENT_LENGTH.",
                 NULL},
                "Do not ask for max_fragment_length on the client (a 16384-byte input buffer), or use "
                "record_size_limit where both sides have it."},
    [SR_OVERFLOW] = {{"record-too-large", "A record from this server larger than the client reads", NULL,
                      "Send smaller records: a shorter certificate chain; or give the client a larger input "
                      "buffer.",
                      "Send smaller records: a shorter certificate chain; or give the client a larger input "
                      "buffer.",
                      NULL},
                     "Build the client with MBEDTLS_SSL_IN_CONTENT_LEN 16384 (or its TLS library's default)."},
    [SR_OK] = {{"handshake-ok", "Handshake succeeded", NULL, "Nothing to fix.", "Nothing to fix.", NULL}, NULL},
};

/* Alerts a client sends about the server's certificate or offer, and the finding each means. */
static const struct {
    int desc;
    const char *id;
    const char *what;
    const char *fix;
} client_alerts[] = {
    {48, "ca-untrusted", "the client does not trust the CA that issued this server's certificate",
     "Send the full chain (mbedtls_ssl_conf_own_cert() with leaf and intermediates), issued by a CA the "
     "client trusts; or add that CA to the client's trust list (mbedtls_ssl_conf_ca_chain())."},
    {45, "cert-expired", "the client finds this server's certificate expired (or its clock is ahead)",
     "Renew the server's certificate; if it is valid, set the client's clock."},
    {70, "version-mismatch", "the client does not accept the TLS version this server chose",
     "Let the server speak the client's version (mbedtls_ssl_conf_max_version(); TLS 1.3 needs 3.x), or "
     "let the client accept TLS 1.2."},
};

static struct td_finding *emit(struct dx *dx, int which, int confidence)
{
    const struct srv_rule *sr = &srv_rules[which];
    struct td_finding *f = dx_emit(dx, &sr->r, TD_SEV_ERROR, confidence);
    if (f)
        f->client_fix = sr->client_fix;
    return f;
}

static const struct td_event *side_fact(const struct dx_facts *fx)
{
    for (size_t i = 0; i < fx->t->n_ev; i++)
        if (fx->t->ev[i].kind == TD_EV_FACT && fx->t->ev[i].fact == TD_FACT_LOG_SIDE)
            return &fx->t->ev[i];
    return NULL;
}

/* "a, b, c" of a list's values by name (groups, versions), or their numbers. */
static void names(const struct dx_list *l, const char *(*name)(uint16_t), char *out, size_t cap)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < l->n && used + 1 < cap; i++) {
        const char *n = name(l->v[i]);
        int k = n ? snprintf(out + used, cap - used, "%s%s", i ? ", " : "", n)
                  : snprintf(out + used, cap - used, "%s0x%04x", i ? ", " : "", l->v[i]);
        if (k < 0 || (size_t)k >= cap - used)
            break;
        used += (size_t)k;
    }
}

static void common_evidence(struct dx *dx, struct td_finding *f, const struct td_event *why)
{
    const struct dx_facts *fx = &dx->fx;
    if (why && why->text)
        dx_ev(dx, f, why, "this server: %s", why->text);
    if (fx->srv_alert)
        dx_ev_alert(dx, f, fx->srv_alert);
    dx_ev_final(dx, f);
}

static void client_hello_evidence(struct dx *dx, struct td_finding *f)
{
    const struct dx_facts *fx = &dx->fx;
    size_t suites = 0;
    for (size_t i = 0; i < fx->suites.n; i++)   /* the signalling values are not suites */
        suites += fx->suites.v[i] != 0x00ff && fx->suites.v[i] != 0x5600;
    if (fx->has_ch)
        dx_ev(dx, f, fx->ch_ev, "the client's ClientHello, as this server read it: %zu suite%s, %zu group%s, "
              "highest version %s%s%s", suites, suites == 1 ? "" : "s", fx->groups.n, fx->groups.n == 1 ? "" : "s",
              td_reg_version_name(fx->max_version) ? td_reg_version_name(fx->max_version) : "unknown",
              fx->sni_name[0] ? ", server_name " : ", no server_name", fx->sni_name);
}

static int rule_sni(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *why = dx_find_refusal(fx, TD_REFUSAL_SNI_UNKNOWN);
    if (!why)
        return 0;
    struct td_finding *f = emit(dx, SR_SNI, 90);
    if (!f)
        return 1;
    const char *name = fx->sni_name[0] ? fx->sni_name : NULL;
    dx_set(dx, &f->summary, "The client asked for %s%s%s, a name this server's SNI callback does not "
           "know, so the server refused the handshake. Fix: serve that name on the server, or have the "
           "client ask for a name the server serves.", name ? "\"" : "the server name", name ? name : "",
           name ? "\"" : "");
    dx_set(dx, &f->reason, "the server's SNI callback refused the client's server_name");
    dx_set(dx, &f->explanation, "A server with an SNI callback (mbedtls_ssl_conf_sni()) picks its "
           "certificate by the name the client asks for; when the callback fails, Mbed TLS sends "
           "unrecognized_name (112) and the handshake ends.");
    client_hello_evidence(dx, f);
    common_evidence(dx, f, why);
    return 1;
}

/* The client's suites as text, without the signalling values (which are not suites). */
static void real_suites_text(const struct dx_facts *fx, char *out, size_t cap)
{
    struct dx_list real = {.n = 0};
    for (size_t i = 0; i < fx->suites.n; i++)
        if (fx->suites.v[i] != 0x00ff && fx->suites.v[i] != 0x5600)
            real.v[real.n++] = fx->suites.v[i];
    dx_suites_text(&real, out, cap);
}

/* 1 if every suite the client offers is a TLS 1.3 suite (0x13XX). */
static int only_tls13_suites(const struct dx_facts *fx)
{
    size_t n = 0;
    for (size_t i = 0; i < fx->suites.n; i++) {
        if (fx->suites.v[i] == 0x00ff)
            continue;
        if ((fx->suites.v[i] >> 8) != 0x13)
            return 0;
        n++;
    }
    return n > 0;
}

static int rule_suite_group(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *grp = dx_find_refusal(fx, TD_REFUSAL_NO_GROUP);
    const struct td_event *why = grp ? grp : dx_find_refusal(fx, TD_REFUSAL_NO_SUITE);
    if (!why && !dx_failed_with(fx, DX_ERR_SSL_NO_CIPHER_CHOSEN_2))
        return 0;
    if (!grp && fx->major == 2 && only_tls13_suites(fx))
        return 0;   /* rule_tls13_only: a version, not a suite, is missing */
    struct td_finding *f = emit(dx, grp ? SR_GROUP : SR_SUITE, why ? 90 : 70);
    if (!f)
        return 1;
    char list[600];
    if (grp) {
        names(&fx->groups, td_reg_group_name, list, sizeof list);
        dx_set(dx, &f->summary, "The client offers only the groups %s, none of which this server has "
               "enabled for ECDHE. Fix: enable one of them on the server (mbedtls_ssl_conf_%s), or offer "
               "one the server has on the client.", list[0] ? list : "(none named)",
               fx->major >= 3 ? "groups" : "curves");
        dx_set(dx, &f->reason, "the server chose an ECDHE suite and found no curve in common");
    } else {
        real_suites_text(fx, list, sizeof list);
        if (list[0])
            dx_set(dx, &f->summary, "The client offers only %s, none of which this server has enabled. "
                   "Fix: enable one of them on the server (mbedtls_ssl_conf_ciphersuites(), config.h, a "
                   "certificate of the key type it needs), or offer one the server has on the client.", list);
        else
            dx_set(dx, &f->summary, "This server has no cipher suite it can use among the client's (the "
                   "log does not list them). Fix: enable one of the client's suites on the server "
                   "(mbedtls_ssl_conf_ciphersuites(), config.h, a certificate of the key type it needs), or "
                   "offer one the server has on the client.");
        dx_set(dx, &f->reason, why ? "the server says it got no cipher suites in common"
                                   : "the handshake failed with 'no cipher chosen'");
    }
    dx_set(dx, &f->explanation, "A server picks a suite (and, for ECDHE, a group) from what the client "
           "offers and what it has itself; with nothing in common it sends handshake_failure (40).");
    client_hello_evidence(dx, f);
    common_evidence(dx, f, why);
    return 1;
}

/* A client that speaks only TLS 1.3 meets a 2.x server: the server sees no suite it knows. */
static int rule_tls13_only(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *why = dx_find_refusal(fx, TD_REFUSAL_NO_SUITE);
    if (fx->major != 2 || !only_tls13_suites(fx) ||
        (!why && !dx_failed_with(fx, DX_ERR_SSL_NO_CIPHER_CHOSEN_2)))
        return 0;
    struct td_finding *f = emit(dx, SR_VERSION, 85);
    if (!f)
        return 1;
    char list[400];
    real_suites_text(fx, list, sizeof list);
    dx_set(dx, &f->summary, "The client speaks only TLS 1.3 (it offers only TLS 1.3 suites: %s); this "
           "server, Mbed TLS 2.x, speaks at most TLS 1.2. Fix: move the server to Mbed TLS 3.x with "
           "MBEDTLS_SSL_PROTO_TLS1_3, or let the client offer TLS 1.2.", list);
    dx_set(dx, &f->reason, "only TLS 1.3 suites offered to a 2.x server, which found none in common");
    dx_set(dx, &f->explanation, "Mbed TLS 2.x has no TLS 1.3: it reads a TLS 1.3 ClientHello as a TLS 1.2 "
           "one and finds none of its suites in the client's list.");
    client_hello_evidence(dx, f);
    common_evidence(dx, f, why);
    return 1;
}

static int rule_version(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *why = dx_find_refusal(fx, TD_REFUSAL_VERSION_LOW);
    if (!why)
        why = dx_find_refusal(fx, TD_REFUSAL_VERSION_HIGH);
    if (!why && !dx_failed_with(fx, DX_ERR_SSL_BAD_PROTOCOL_VERSION) &&
        !dx_failed_with(fx, DX_ERR_SSL_VERSION_MISMATCH))
        return 0;
    struct td_finding *f = emit(dx, SR_VERSION, why ? 90 : 75);
    if (!f)
        return 1;
    const char *v = fx->max_version ? td_reg_version_name(fx->max_version) : NULL;
    dx_set(dx, &f->summary, "The client offers at most %s, below what this server accepts. Fix: let the "
           "server accept it (mbedtls_ssl_conf_min_version()), or offer TLS 1.2 on the client.",
           v ? v : "an older TLS version");
    dx_set(dx, &f->reason, "the server says the client's versions are outside its min/max");
    dx_set(dx, &f->explanation, "The server compares the client's highest version with its own minimum "
           "and answers protocol_version (70) when it is lower.");
    client_hello_evidence(dx, f);
    common_evidence(dx, f, why);
    return 1;
}

static int rule_client_cert(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *why = dx_find_refusal(fx, TD_REFUSAL_NO_CLIENT_CERT);
    if (!why && !dx_failed_with(fx, -0x7480))
        return 0;
    struct td_finding *f = emit(dx, SR_NO_CERT, why ? 90 : 75);
    if (!f)
        return 1;
    dx_set(dx, &f->summary, "This server requires a client certificate and the client sent none (an "
           "empty Certificate message). Fix: give the client a certificate and key, or make the client "
           "certificate optional on the server (MBEDTLS_SSL_VERIFY_OPTIONAL).");
    dx_set(dx, &f->reason, "the server's authmode is required and the client's Certificate was empty");
    dx_set(dx, &f->explanation, "With mbedtls_ssl_conf_authmode(MBEDTLS_SSL_VERIFY_REQUIRED) the server "
           "sends a CertificateRequest; a client without a certificate answers with an empty Certificate "
           "and the server ends the handshake.");
    if (fx->cert_request_ev)
        dx_ev(dx, f, fx->cert_request_ev, "this server asked for a client certificate");
    if (fx->empty_cert_ev)
        dx_ev(dx, f, fx->empty_cert_ev, "the client's Certificate message is empty");
    common_evidence(dx, f, why);
    return 1;
}

static int rule_untrusted(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    if (!dx_failed_with(fx, DX_ERR_X509_CERT_VERIFY_FAILED) || !(fx->verify_flags & DX_BADCERT_NOT_TRUSTED))
        return 0;
    struct td_finding *f = emit(dx, SR_UNTRUSTED, 90);
    if (!f)
        return 1;
    dx_set(dx, &f->summary, "This server rejected the client's certificate: it is not issued by a CA the "
           "server trusts. Fix: add the CA that issued it to the server's CA chain "
           "(mbedtls_ssl_conf_ca_chain()), or give the client a certificate from a CA the server trusts.");
    dx_set(dx, &f->reason, "the server's verification of the client's certificate says not trusted");
    dx_set(dx, &f->explanation, "A server that verifies client certificates checks them against its own "
           "CA chain, not the client's.");
    if (fx->verify_ev)
        dx_ev(dx, f, fx->verify_ev, "verification of the client's certificate: %s",
              fx->verify_ev->text ? fx->verify_ev->text : "not trusted");
    common_evidence(dx, f, NULL);
    return 1;
}

/* The client's longest record and the handshake message it starts (its declared length). */
static const struct td_event *client_big_record(const struct dx_facts *fx, uint32_t *msg_len)
{
    const struct td_event *best = NULL;
    *msg_len = 0;
    for (size_t i = 0; i < fx->t->n_ev; i++) {
        const struct td_event *e = &fx->t->ev[i];
        if (e->kind != TD_EV_RECORD || e->from != TD_ACTOR_CLIENT || (best && e->code <= best->code))
            continue;
        /* DTLS: a 13-byte record header, and Mbed TLS reassembles handshake fragments there */
        int v = e->data && e->len >= 3 ? (e->data[1] << 8) | e->data[2] : 0;
        if (v == TD_VERSION_DTLS_1_0 || v == TD_VERSION_DTLS_1_2 || v == TD_VERSION_DTLS_1_3)
            continue;
        best = e;
        if (e->data && e->len >= 9 && e->data[0] == 22)
            *msg_len = ((uint32_t)e->data[6] << 16) | ((uint32_t)e->data[7] << 8) | e->data[8];
    }
    return best;
}

/* A client handshake message that fits a record but came split over several (a small MFL). */
static int rule_fragmented(struct dx *dx, const struct td_event *rec, uint32_t msg)
{
    const struct dx_facts *fx = &dx->fx;
    struct td_finding *f = emit(dx, SR_FRAG, 85);
    if (!f)
        return 1;
    dx_set(dx, &f->summary, "The client split a handshake message of %u bytes over records of %lld bytes%s, "
           "which this server's Mbed TLS cannot reassemble. Fix: update the server to Mbed TLS 3.6.4 or "
           "later, or keep the client from fragmenting (no small max_fragment_length).", (unsigned)msg,
           (long long)rec->code, fx->mfl_asked ? " (it asked for max_fragment_length)" : "");
    dx_set(dx, &f->reason, "a client handshake message continued past its record, then 'feature unavailable'");
    dx_set(dx, &f->explanation, "Mbed TLS before 3.6.4 handles a TLS handshake message only whole in one "
           "record ('TLS handshake fragmentation not supported').");
    dx_ev(dx, f, rec, "the client's record of %lld bytes starts a handshake message of %u bytes",
          (long long)rec->code, (unsigned)msg);
    common_evidence(dx, f, NULL);
    return 1;
}

/* The client refused a record of this server's as too long (record_overflow, 22). */
static int rule_overflow(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *a = fx->cli_alert;
    if (!a || a->b != 22 || !fx->max_srv_record)
        return 0;
    int mfl = fx->mfl_asked && fx->max_srv_record > fx->mfl_bytes;
    struct td_finding *f = emit(dx, mfl ? SR_MFL : SR_OVERFLOW, 85);
    if (!f)
        return 1;
    if (mfl)
        dx_set(dx, &f->summary, "The client asked for max_fragment_length %u, but this server sent a record "
               "of %u bytes; the client refused it with record_overflow (22). Fix: build the "
               "server without MBEDTLS_SSL_MAX_FRAGMENT_LENGTH (it then ignores the request), or do not ask "
               "for it on the client.", fx->mfl_bytes, (unsigned)fx->max_srv_record);
    else
        dx_set(dx, &f->summary, "The client refused a record of %u bytes from this server as too long "
               "(record_overflow, 22): its input buffer is smaller. Fix: send a shorter chain, or give the "
               "client a larger input buffer.", (unsigned)fx->max_srv_record);
    dx_set(dx, &f->reason, "the client's record_overflow alert after a record of this server's longer "
           "than it takes");
    dx_set(dx, &f->explanation, "A client refuses a record longer than its input buffer, or than the "
           "max_fragment_length it negotiated; Mbed TLS 2.x agrees to max_fragment_length but does not "
           "split its TLS handshake messages to it.");
    if (fx->max_srv_record_ev)
        dx_ev(dx, f, fx->max_srv_record_ev, "this server's record of %u bytes", (unsigned)fx->max_srv_record);
    dx_ev_alert(dx, f, a);
    dx_ev_final(dx, f);
    return 1;
}

static int rule_too_large(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    uint32_t msg = 0;
    const struct td_event *rec = client_big_record(fx, &msg);
    if (!dx_failed_with(fx, DX_ERR_SSL_FEATURE_UNAVAILABLE) || !rec || msg + 4 <= (uint32_t)rec->code)
        return 0;
    if (msg + 4 <= 16384)
        return rule_fragmented(dx, rec, msg + 4);
    struct td_finding *f = emit(dx, SR_TOO_LARGE, 85);
    if (!f)
        return 1;
    dx_set(dx, &f->summary, "The client sent a handshake message of %u bytes, more than one record "
           "holds (%lld bytes) and than this server's Mbed TLS reads, which cannot reassemble it. Fix: "
           "send a shorter certificate chain from the client, or update the server to Mbed TLS 3.6.4 or "
           "later.", (unsigned)msg + 4, (long long)rec->code);
    dx_set(dx, &f->reason, "a client handshake message longer than its record, then 'feature unavailable'");
    dx_set(dx, &f->explanation, "Mbed TLS before 3.6.4 handles a handshake message only whole in one "
           "record, at most MBEDTLS_SSL_IN_CONTENT_LEN (16384 by default) bytes; a client certificate chain "
           "of several large certificates is the usual one that does not fit.");
    dx_ev(dx, f, rec, "the client's record of %lld bytes starts a handshake message of %u bytes",
          (long long)rec->code, (unsigned)msg + 4);
    common_evidence(dx, f, NULL);
    return 1;
}

/* The client closed, reset or went silent. */
static int rule_transport(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    int which = dx_failed_with(fx, DX_ERR_SSL_CONN_EOF) ? SR_CLOSED
                : dx_failed_with(fx, DX_ERR_NET_CONN_RESET) ? SR_RESET
                : dx_failed_with(fx, DX_ERR_SSL_TIMEOUT) ? SR_TIMEOUT : -1;
    if (which < 0)
        return 0;
    struct td_finding *f = emit(dx, which, 80);
    if (!f)
        return 1;
    const char *what = which == SR_CLOSED ? "closed the connection" : which == SR_RESET ? "reset the connection"
                                                                                    : "stopped answering";
    if (fx->hs_done) {
        int64_t code = which == SR_CLOSED ? DX_ERR_SSL_CONN_EOF : which == SR_RESET ? DX_ERR_NET_CONN_RESET
                                                                                 : DX_ERR_SSL_TIMEOUT;
        const struct td_event *e = dx_find_ret(fx, code);
        if (e)
            dx_ev_ret(dx, f, e);
        dx_set(dx, &f->summary, "The handshake succeeded; then the client %s without a TLS alert. Fix: "
               "read the client's log (its application ended the connection, or the network lost it).", what);
        dx_set(dx, &f->reason, "the server's read after the handshake ended: the client %s", what);
        dx_set(dx, &f->explanation, "The handshake completed; what ended the connection afterwards is "
               "in the client's log, not in the server's.");
        common_evidence(dx, f, NULL);
        return 1;
    }
    dx_set(dx, &f->summary, "The client %s %s, without a TLS alert; this server's log cannot say why. "
           "Fix: read the client's log (a client that does not trust this server's certificate, or does "
           "not speak TLS, often does this).", what,
           fx->has_ch ? "after this server answered its ClientHello" : "during the handshake");
    dx_set(dx, &f->reason, "the server's read ended: the client %s", what);
    dx_set(dx, &f->explanation, "The remote client ended the handshake itself; its reason is in its own "
           "log, not in the server's.");
    client_hello_evidence(dx, f);
    common_evidence(dx, f, NULL);
    return 1;
}

static int rule_peer_alert(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *a = fx->cli_alert;
    if (!a)
        return 0;
    for (size_t i = 0; i < sizeof client_alerts / sizeof client_alerts[0]; i++) {
        if (client_alerts[i].desc != a->b)
            continue;
        struct dx_rule r = srv_rules[SR_PEER_ALERT].r;
        r.id = client_alerts[i].id;
        struct td_finding *f = dx_emit(dx, &r, TD_SEV_ERROR, 80);
        if (!f)
            return 1;
        f->fix_mbedtls2 = f->fix_mbedtls3 = client_alerts[i].fix;
        dx_set(dx, &f->fix, "%s", client_alerts[i].fix);
        dx_set(dx, &f->summary, "The client refused this server with alert %d (%s): %s. Fix: %s", a->b,
               dx_alert_name(a->b), client_alerts[i].what, client_alerts[i].fix);
        dx_set(dx, &f->reason, "the client's fatal alert names it");
        dx_ev_alert(dx, f, a);
        dx_ev_final(dx, f);
        return 1;
    }
    return 0;
}

static void rule_fallback(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    if (fx->hs_done && !fx->hs_failed) {
        struct td_finding *f = emit(dx, SR_OK, 95);
        if (!f)
            return;
        f->sev = TD_SEV_INFO;
        dx_set(dx, &f->reason, "the server's handshake completed (its result is in the log)");
        const struct td_event *end = fx->hs_ret_ev ? fx->hs_ret_ev : fx->hs_end_ev;
        if (end)
            dx_ev(dx, f, end, "the handshake returned 0");
        dx_set(dx, &f->summary, "The handshake succeeded (this server's log)%s%s.",
               fx->has_chosen_suite ? ": " : "",
               fx->has_chosen_suite && td_reg_suite_name(fx->chosen_suite) ? td_reg_suite_name(fx->chosen_suite) : "");
        return;
    }
    if (!fx->hs_failed && !fx->srv_alert && !fx->cli_alert) {
        struct td_finding *f = emit(dx, SR_NOTHING, 0);
        if (!f)
            return;
        dx_set(dx, &f->summary, "This server's log shows no failure and no result: it stops %s.",
               td_stop_describe(fx->t->stop));
        dx_set(dx, &f->reason, "no failure and no result in the server's log");
        client_hello_evidence(dx, f);
        return;
    }
    struct td_finding *f = emit(dx, SR_UNKNOWN, 20);
    if (!f)
        return;
    if (fx->hs_failed && fx->hs_ret == DX_ERR_SSL_FATAL_ALERT && !fx->cli_alert)
        dx_set(dx, &f->summary, "The client ended the handshake with a fatal alert (-0x7780), and this "
               "server's log does not say which: at debug level 1 Mbed TLS prints it. It is the client "
               "refusing something of this server's (often its certificate); the client's side says what.");
    else if (fx->hs_failed)
        dx_set(dx, &f->summary, "This server's handshake failed with -0x%04llX, and no rule recognises the "
               "cause from the server's log.", (unsigned long long)-fx->hs_ret);
    else
        dx_set(dx, &f->summary, "This server's handshake failed; no rule recognises the cause from its log.");
    dx_set(dx, &f->reason, "a failure is visible but nothing in the server's log names its cause");
    client_hello_evidence(dx, f);
    common_evidence(dx, f, NULL);
}

void dx_server_rules(struct dx *dx)
{
    static int (*const rules[])(struct dx *) = {
        rule_sni, rule_version, rule_tls13_only, rule_suite_group, rule_client_cert, rule_untrusted,
        rule_too_large, rule_overflow, rule_peer_alert, rule_transport, dx_server_x509_rules,
        dx_server_psk, dx_server_alpn, dx_server_renego, dx_server_fallback,
    };
    size_t found = 0;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0] && dx->err == TD_OK; i++)
        found += (size_t)rules[i](dx);
    if (!found || (dx->fx.hs_done && !dx->fx.hs_failed))
        rule_fallback(dx);   /* a completed handshake is said even beside what was seen on the way */
    const struct td_event *side = side_fact(&dx->fx);
    for (size_t i = 0; i < dx->out->n; i++)
        dx_ev(dx, &dx->out->f[i], side, "this is the server's log%s", side ? " (its own lines say so)" : "");
}
