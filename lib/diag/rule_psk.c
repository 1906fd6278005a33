/* rule_psk.c -- pre-shared keys: the server does not know the client's PSK identity
 * (psk-unknown-identity), or knows it with another key (psk-wrong-key), read from the client's log
 * and from the server's. What Mbed TLS 2.28 and 3.6 do, from their sources (ssl_srv.c /
 * ssl_tls12_server.c, ssl_parse_client_psk_identity()): a server whose PSK callback or static
 * identity does not match sends unknown_psk_identity (115) and returns
 * MBEDTLS_ERR_SSL_UNKNOWN_IDENTITY; with the identity known but another key both sides derive
 * different keys, and the server's check of the client's Finished fails
 * (MBEDTLS_ERR_SSL_INVALID_MAC, alert bad_record_mac 20). ssl-opt.sh's "PSK callback: no match",
 * "PSK callback: wrong key" and "DTLS wrong PSK: badmac alert" are these two. */
#include <stdio.h>
#include <string.h>
#include "diag_int.h"
#include "rules_int.h"
#include "tlsdoctor/mbedtls.h"
#include "tlsdoctor/reg.h"
#include "tlsdoctor/tls_ids.h"


static int is_psk_suite(uint16_t id)
{
    const struct td_suite *s = td_reg_suite(id);
    return s && s->min_version < TD_VERSION_TLS_1_3 && (strstr(s->kx, "PSK") || strstr(s->auth, "PSK"));
}

/* Does the log show a PSK key exchange? 1: the suite chosen is a PSK one, or every suite offered
 * is; -1: a suite is known and it is not; 0: the log does not say (debug level below 3). */
static int psk_known(const struct dx_facts *fx, const struct td_event **ev)
{
    *ev = NULL;
    if (fx->has_chosen_suite) {
        *ev = dx_find_fact(fx, TD_FACT_CHOSEN_SUITE);
        if (!*ev)
            *ev = fx->sh_ev ? fx->sh_ev : fx->answer_ev;
        return is_psk_suite(fx->chosen_suite) ? 1 : -1;
    }
    size_t n = 0, psk = 0;
    for (size_t i = 0; i < fx->suites.n; i++) {
        uint16_t s = fx->suites.v[i];
        if (s == 0x00ff || s == 0x5600)   /* the signalling values are not suites */
            continue;
        n++;
        psk += (size_t)is_psk_suite(s);
    }
    if (!n)
        return 0;
    *ev = fx->suites.ev;
    return psk == n ? 1 : psk ? 0 : -1;
}

static void ev_suite(struct dx *dx, struct td_finding *f, int known, const struct td_event *ev)
{
    const struct dx_facts *fx = &dx->fx;
    if (known <= 0)
        return;
    const char *name = fx->has_chosen_suite ? td_reg_suite_name(fx->chosen_suite) : NULL;
    if (name)
        dx_ev(dx, f, ev, "the suite is %s, a pre-shared key suite", name);
    else
        dx_ev(dx, f, ev, "every suite the client offers is a pre-shared key suite");
}

/* The handshake failed with this code before it completed. */
static const struct td_event *hs_failed_with(const struct dx_facts *fx, int64_t code)
{
    return fx->failed_after_hs || fx->hs_done ? NULL : dx_failed_ev(fx, code);
}

/* ---- client's log ---- */

void dx_rule_psk_unknown_identity(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *a = fx->srv_alert;
    if (!a || a->b != TD_ALERT_UNKNOWN_PSK_IDENTITY)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, 95);
    if (!f)
        return;
    const struct td_event *sev = NULL;
    int known = psk_known(fx, &sev);
    ev_suite(dx, f, known, sev);
    dx_ev_alert(dx, f, a);
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "The server does not know the PSK identity your client sent: it answered "
           "unknown_psk_identity (115). Fix: give the client an identity the server has "
           "(mbedtls_ssl_conf_psk(&conf, key, key_len, identity, identity_len)), or add it to the "
           "server's list.");
    dx_set(dx, &f->reason, "alert 115 is the server's answer to an identity it has no key for");
    dx_set(dx, &f->explanation, "In a PSK key exchange the client names its key by an identity in the "
           "ClientKeyExchange; a server that has no key under that name (its static identity or its PSK "
           "callback, mbedtls_ssl_conf_psk_cb()) refuses it with unknown_psk_identity. The identity is "
           "compared byte for byte: case, a trailing NUL or newline count.");
}

void dx_rule_psk_wrong_key(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *a = fx->srv_alert;
    const struct td_event *ret = hs_failed_with(fx, dx_err_code("SSL_INVALID_MAC"));
    if (fx->failed_after_hs || fx->hs_done)
        return;
    if (!(a && a->b == TD_ALERT_BAD_RECORD_MAC) && !ret)
        return;
    const struct td_event *sev = NULL;
    int known = psk_known(fx, &sev);
    if (known < 0)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, known ? 90 : 50);
    if (!f)
        return;
    ev_suite(dx, f, known, sev);
    if (a && a->b == TD_ALERT_BAD_RECORD_MAC)
        dx_ev_alert(dx, f, a);
    else
        dx_ev_ret(dx, f, ret);
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "The two sides' keys differ: the server could not verify the handshake's "
           "Finished message (bad_record_mac). %sFix: give the client the same key the server has "
           "for its identity (mbedtls_ssl_conf_psk(); the key as bytes, not as hex text).",
           known ? "With a pre-shared key suite that means the PSK is wrong. " :
                   "Most often that is a wrong pre-shared key. ");
    dx_set(dx, &f->reason, known ? "bad_record_mac at the end of a PSK handshake: the keys derived from "
                                   "the PSK differ"
                                 : "bad_record_mac at the end of the handshake; the log does not show "
                                   "the suite (debug level 3 does), so a PSK is the likely cause");
    dx_set(dx, &f->explanation, "Both sides derive the session keys from the pre-shared key; with the same "
           "identity but another key (a typo, hex text passed as bytes, a key of the wrong length) the "
           "first encrypted message, the client's Finished, fails the server's MAC check and it sends "
           "bad_record_mac (20). Outside PSK suites the same alert at that point means a broken cipher "
           "or hash (a hardware accelerator, an _ALT implementation) on either side.");
}

/* ---- server's log ---- */

static const struct dx_rule srv_unknown_identity = {
    "psk-unknown-identity", "The client's PSK identity is unknown to this server", NULL,
    "Add the client's identity and key on the server: mbedtls_ssl_conf_psk() for one, or the PSK "
    "callback (mbedtls_ssl_conf_psk_cb(), mbedtls_ssl_set_hs_psk()) for many.",
    "Add the client's identity and key on the server: mbedtls_ssl_conf_psk() for one, or the PSK "
    "callback (mbedtls_ssl_conf_psk_cb(), mbedtls_ssl_set_hs_psk()) for many.",
    NULL};

static const struct dx_rule srv_wrong_key = {
    "psk-wrong-key", "The client's pre-shared key differs from this server's", NULL,
    "Give both sides the same key for the identity: mbedtls_ssl_conf_psk() (or mbedtls_ssl_set_hs_psk() "
    "in the PSK callback), the key as raw bytes.",
    "Give both sides the same key for the identity: mbedtls_ssl_conf_psk() (or mbedtls_ssl_set_hs_psk() "
    "in the PSK callback), the key as raw bytes.",
    NULL};

static int server_unknown_identity(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *ret = hs_failed_with(fx, dx_err_code("SSL_UNKNOWN_IDENTITY"));
    const struct td_event *a = fx->srv_alert && fx->srv_alert->b == TD_ALERT_UNKNOWN_PSK_IDENTITY
                               ? fx->srv_alert : NULL;
    if (!ret && !a)
        return 0;
    struct td_finding *f = dx_emit(dx, &srv_unknown_identity, TD_SEV_ERROR, 95);
    if (!f)
        return 1;
    f->client_fix = "Send an identity the server knows: mbedtls_ssl_conf_psk(&conf, key, key_len, "
                    "identity, identity_len) on the client.";
    const struct td_event *sev = NULL;
    int known = psk_known(fx, &sev);
    ev_suite(dx, f, known, sev);
    const struct td_event *id = dx_find_fact(fx, TD_FACT_PSK_IDENTITY);
    if (id && id->text)
        dx_ev(dx, f, id, "the client's identity: \"%s\" (%lld bytes)", id->text, (long long)id->code);
    if (ret)
        dx_ev_ret(dx, f, ret);
    if (a)
        dx_ev_alert(dx, f, a);
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "The client named a PSK identity%s%s%s this server has no key for "
           "(MBEDTLS_ERR_SSL_UNKNOWN_IDENTITY; the server answers unknown_psk_identity, 115). Fix: add "
           "the identity and its key on the server (mbedtls_ssl_conf_psk() or the PSK callback), or "
           "configure the client with an identity the server knows.", id && id->text ? " (\"" : "",
           id && id->text ? id->text : "", id && id->text ? "\")" : "");
    dx_set(dx, &f->reason, "the server's own error says the identity is unknown");
    dx_set(dx, &f->explanation, "The server looks the client's identity up in its static PSK "
           "(mbedtls_ssl_conf_psk()) or asks its PSK callback (mbedtls_ssl_conf_psk_cb()); when neither "
           "has it, ssl_parse_client_psk_identity() refuses the handshake. Identities compare byte for byte.");
    return 1;
}

static int server_wrong_key(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *ret = hs_failed_with(fx, dx_err_code("SSL_INVALID_MAC"));
    if (!ret)
        return 0;
    const struct td_event *sev = NULL;
    int known = psk_known(fx, &sev);
    if (known < 0)
        return 0;
    struct td_finding *f = dx_emit(dx, &srv_wrong_key, TD_SEV_ERROR, known ? 90 : 60);
    if (!f)
        return 1;
    f->client_fix = "Give the client the key the server has for its identity: mbedtls_ssl_conf_psk() "
                    "with the raw key bytes.";
    ev_suite(dx, f, known, sev);
    dx_ev_ret(dx, f, ret);
    if (fx->srv_alert)
        dx_ev_alert(dx, f, fx->srv_alert);
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "The client's Finished message failed this server's MAC check "
           "(MBEDTLS_ERR_SSL_INVALID_MAC) during the handshake: %s. Fix: give both sides the same "
           "pre-shared key for the identity (mbedtls_ssl_conf_psk(), or mbedtls_ssl_set_hs_psk() in "
           "the PSK callback).",
           known ? "with a pre-shared key suite, the two sides' keys differ"
                 : "the two sides derived different keys, most often a pre-shared key that differs");
    dx_set(dx, &f->reason, known ? "a MAC failure on the first encrypted handshake message of a PSK suite"
                                 : "a MAC failure on the first encrypted handshake message; the log does "
                                   "not show the suite (debug level 3 does)");
    dx_set(dx, &f->explanation, "The server found the identity, derived the keys from its PSK and could "
           "not verify the client's Finished: the client used another key (a typo, hex text passed as "
           "bytes, a key of the wrong length). Outside PSK suites the same failure means a broken cipher "
           "or hash implementation on one side, or a record corrupted in transit.");
    return 1;
}

int dx_server_psk(struct dx *dx)
{
    return server_unknown_identity(dx) + server_wrong_key(dx);
}
