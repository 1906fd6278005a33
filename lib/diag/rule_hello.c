/* rule_hello.c -- rules for a server that refuses the ClientHello: sni-missing, sni-rejected,
 * no-common-suite, version-mismatch, no-common-group, no-common-sigalg. They share one question:
 * did the server send a fatal alert before answering the ClientHello, and what does the
 * ClientHello (bytes or level-3 text) leave out or narrow down? */
#include <stdio.h>
#include <string.h>
#include "diag_int.h"
#include "rules_int.h"
#include "tlsdoctor/reg.h"

/* The server's fatal alert if it came before any answer to the ClientHello, else NULL. */
static const struct td_event *rejection(const struct dx_facts *fx)
{
    const struct td_event *a = fx->srv_alert;
    if (!a || dx_answer_before(fx, a))
        return NULL;
    return a;
}

/* Suite properties from the registry, ignoring signalling values. */
struct suite_mix {
    size_t n, ecdsa, rsa, psk, other_auth, tls13, modern, legacy;
};

static int is_scsv(uint16_t s)
{
    return s == 0x00ff || s == 0x5600;
}

static struct suite_mix suite_mix(const struct dx_list *l)
{
    struct suite_mix m;
    memset(&m, 0, sizeof m);
    for (size_t i = 0; i < l->n; i++) {
        if (is_scsv(l->v[i]))
            continue;
        m.n++;
        const struct td_suite *s = td_reg_suite(l->v[i]);
        if (!s) {
            m.other_auth++;
            continue;
        }
        if (s->min_version >= 0x0304) {
            m.tls13++;
            m.modern++;
            continue;
        }
        if (!strcmp(s->auth, "ECDSA"))
            m.ecdsa++;
        else if (!strcmp(s->auth, "RSA"))
            m.rsa++;
        else if (strstr(s->auth, "PSK") || strstr(s->kx, "PSK"))
            m.psk++;
        else
            m.other_auth++;
        int aead = strstr(s->cipher, "GCM") || strstr(s->cipher, "CHACHA") || strstr(s->cipher, "CCM");
        if (aead && strstr(s->kx, "ECDHE"))
            m.modern++;
        else
            m.legacy++;
    }
    return m;
}

static void ev_suites(struct dx *dx, struct td_finding *f)
{
    const struct dx_list *l = &dx->fx.suites;
    if (!l->n)
        return;
    char buf[1024];
    dx_suites_text(l, buf, sizeof buf);
    dx_ev(dx, f, l->ev, "the ClientHello offers %zu cipher suite%s: %s", l->n, l->n == 1 ? "" : "s", buf);
}

static void ev_hello_sent(struct dx *dx, struct td_finding *f)
{
    const struct dx_facts *fx = &dx->fx;
    if (fx->has_ch)
        dx_ev(dx, f, fx->ch_ev, "ClientHello sent (%zu bytes, %zu extensions%s)", fx->ch_ev->len,
              fx->ch.x.n_ext_total, fx->ch.x.has_sni ? "" : ", no server_name");
    else if (fx->ch_sent_ev)
        dx_ev(dx, f, fx->ch_sent_ev, "ClientHello written (no hex dump of it in the log)");
}

/* ---- sni-missing / sni-rejected ---- */

static void sni_suites_note(struct dx *dx, struct td_finding *f)
{
    struct suite_mix m = suite_mix(&dx->fx.suites);
    if (!m.n)
        return;
    if (m.modern == m.n) {
        const char *kinds = m.tls13 && !m.ecdsa && !m.rsa ? "TLS 1.3"
                            : m.ecdsa && m.rsa ? "ECDHE-ECDSA and ECDHE-RSA with AES-GCM"
                            : m.ecdsa ? "ECDHE-ECDSA with AES-GCM"
                            : m.rsa ? "ECDHE-RSA with AES-GCM" : "ECDHE with an AEAD cipher";
        dx_add(dx, &f->explanation,
               " The offered cipher suites were not the problem: %s (%zu suite%s) are what any current "
               "server takes, and a server that shares no suite answers handshake_failure (40), not "
               "this alert.", kinds, m.n, m.n == 1 ? "" : "s");
    } else {
        dx_add(dx, &f->explanation,
               " The offered cipher suites are not what this alert complains about: a server that "
               "shares no suite answers handshake_failure (40).");
    }
}

void dx_rule_sni_missing(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    if (fx->major != 2 && dx_failed_with(fx, DX_ERR_SSL_NO_HOSTNAME_3)) {
        struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, 90);
        if (!f)
            return;
        dx_ev_ret(dx, f, dx_find_ret(fx, DX_ERR_SSL_NO_HOSTNAME_3));
        dx_ev_final(dx, f);
        dx_set(dx, &f->summary, "The handshake stopped because no server name was set: Mbed TLS 3.x "
               "refuses to verify a certificate without one. Fix: call mbedtls_ssl_set_hostname(&ssl, "
               "\"your.server\") before mbedtls_ssl_handshake().");
        dx_set(dx, &f->explanation, "Error -0x5D80 (MBEDTLS_ERR_SSL_CERTIFICATE_VERIFICATION_WITHOUT_HOSTNAME) "
               "means certificate verification is on but mbedtls_ssl_set_hostname() was never called, "
               "so there is no name to check the certificate against, and no SNI was sent either.");
        dx_set(dx, &f->reason, "the error code names this exact cause");
        return;
    }
    const struct td_event *a = rejection(fx);
    if (!a || fx->sni_sent || (a->b != 80 && a->b != 112 && a->b != 40))
        return;
    int conf;
    if (fx->exts_known)
        conf = a->b == 112 ? 95 : a->b == 80 ? 90 : 40;
    else
        conf = a->b == 112 ? 50 : a->b == 80 ? 55 : 0;   /* 112 without SNI known: sni-rejected leads */
    if (!conf)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, conf);
    if (!f)
        return;
    ev_hello_sent(dx, f);
    if (fx->exts_known)
        dx_ev(dx, f, fx->ch_ev ? fx->ch_ev : fx->ch_sent_ev,
              "the ClientHello carries no server_name (SNI) extension");
    dx_ev_alert(dx, f, a);
    ev_suites(dx, f);
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "The server rejected your ClientHello because it carries no server name "
           "(SNI). Fix: call mbedtls_ssl_set_hostname(&ssl, \"your.server\") before mbedtls_ssl_handshake().");
    dx_set(dx, &f->explanation, "The server answered the ClientHello with fatal alert %d (%s) before "
           "sending anything else, and the ClientHello %s.", a->b, dx_alert_name(a->b),
           fx->exts_known ? "has no server_name extension"
                          : "as logged does not show its extensions, so the missing server name is inferred");
    if (a->b == 80)
        dx_add(dx, &f->explanation, " Alert 80 (internal_error) right after a ClientHello without SNI is "
               "the signature of a Go crypto/tls server (Caddy, Traefik, many cloud front ends): it picks "
               "its certificate by the requested name and, given none, fails with internal_error.");
    else if (a->b == 112)
        dx_add(dx, &f->explanation, " Alert 112 (unrecognized_name) says it outright: the server (for "
               "example nginx with ssl_reject_handshake on) serves only the names it knows.");
    else
        dx_add(dx, &f->explanation, " Some servers answer a missing server name with handshake_failure "
               "(40), but so does a server that shares no cipher suite, group or signature algorithm "
               "with the client, so this is one candidate among several.");
    sni_suites_note(dx, f);
    if (fx->exts_known)
        dx_set(dx, &f->reason, "%s", a->b == 40 ? "no SNI and alert 40, which many causes produce"
               : "no SNI in the ClientHello and the alert servers send for exactly that");
    else
        dx_set(dx, &f->reason, "the alert is the one servers send for a missing name, but the log does "
               "not show the ClientHello's extensions (debug level 3 or 4 would)");
}

void dx_rule_sni_rejected(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *a = rejection(fx);
    /* unrecognized_name answers a name (RFC 6066): when the log does not show the ClientHello's
     * extensions (debug level below 3) it is still the likelier reading, ahead of sni-missing (nginx's
     * ssl_reject_handshake sends 112 to clients without a name too) */
    int unknown = !fx->sni_sent && !fx->exts_known;
    if (!a || (!fx->sni_sent && !unknown) || a->b != 112)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, unknown ? 60 : 85);
    if (!f)
        return;
    if (fx->hostname)
        dx_ev(dx, f, fx->hostname_ev, "the client asked for the name \"%s\"", fx->hostname);
    else if (!unknown)
        dx_ev(dx, f, fx->sni_ev, "the ClientHello carries a server_name extension");
    dx_ev_alert(dx, f, a);
    dx_set(dx, &f->summary, "The server does not serve the name your client asked for%s%s%s. Fix: pass "
           "the server's real host name to mbedtls_ssl_set_hostname().", fx->hostname ? " (\"" : "",
           fx->hostname ? fx->hostname : "", fx->hostname ? "\")" : "");
    dx_set(dx, &f->explanation, "The ClientHello names a server (SNI), and the server answered with "
           "fatal alert 112 (unrecognized_name): it has no certificate or site for that name.");
    dx_set(dx, &f->reason, "%s", unknown ? "alert 112 answers a name the server does not know; the log does "
           "not show whether the ClientHello named one (debug level 3 would)"
           : "alert 112 is the server's explicit answer to an unknown name");
}

/* ---- no-common-suite ---- */

void dx_rule_no_common_suite(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *a = rejection(fx);
    if (!a || (a->b != 40 && a->b != 71))
        return;
    struct suite_mix m = suite_mix(&fx->suites);
    int tls12_only = m.tls13 == 0;
    int conf = 35;
    const char *why = "a handshake_failure before any server message most often means the server "
                      "shares no cipher suite with the client";
    struct td_finding *f;
    if (m.n && tls12_only && m.ecdsa == m.n) {
        conf = 70;
        why = "only ECDSA-authenticated suites are offered: a server with an RSA certificate can use none";
    } else if (m.n && tls12_only && m.rsa == m.n) {
        conf = 70;
        why = "only RSA-authenticated suites are offered: a server with an ECDSA certificate can use none";
    } else if (m.n && tls12_only && m.psk == m.n) {
        conf = 70;
        why = "only PSK suites are offered: a server without a PSK configured can use none";
    } else if (m.n && m.modern == 0) {
        conf = 60;
        why = "every offered suite is a legacy one (no ECDHE with AES-GCM/ChaCha20), which current "
              "servers have disabled";
    } else if (m.n && m.n <= 2) {
        conf = 45;
    } else if (m.n) {
        conf = 25;
    }
    f = dx_emit(dx, r, TD_SEV_ERROR, conf);
    if (!f)
        return;
    ev_suites(dx, f);
    dx_ev_alert(dx, f, a);
    dx_ev_final(dx, f);
    dx_set(dx, &f->reason, "%s%s", why, m.n ? "" : "; the log does not show the offered suites "
           "(debug level 3 prints them)");
    if (conf >= 70) {
        const char *have = m.ecdsa == m.n ? "ECDSA" : m.rsa == m.n ? "RSA" : "PSK";
        const char *need = m.ecdsa == m.n ? "RSA" : "ECDSA";
        dx_set(dx, &f->summary, "The server rejected your ClientHello because it shares no cipher suite "
               "with it: you offer only %s suites. Fix: also enable ECDHE-%s suites (e.g. "
               "TLS-ECDHE-%s-WITH-AES-128-GCM-SHA256).", have, need, need);
        dx_set(dx, &f->explanation, "The server answered the ClientHello with fatal alert %d (%s) before "
               "sending anything else. In TLS 1.2 the suite fixes the kind of key the server's "
               "certificate must have, and every suite you offer needs %s: the key type trap. A "
               "server whose certificate has another key type has nothing to choose.", a->b,
               dx_alert_name(a->b), have);
    } else {
        dx_set(dx, &f->summary, "The server refused the handshake right after your ClientHello "
               "(alert %d, %s), most likely because it shares no cipher suite with it. Fix: offer the "
               "suites current servers use (ECDHE-ECDSA and ECDHE-RSA with AES-GCM).",
               a->b, dx_alert_name(a->b));
        dx_set(dx, &f->explanation, "The server answered the ClientHello with fatal alert %d (%s) "
               "before sending anything else. That is what a server sends when no offered cipher "
               "suite fits its configuration and certificate; a missing shared group, signature "
               "algorithm or server name can produce the same alert.", a->b, dx_alert_name(a->b));
    }
}

/* ---- version-mismatch ---- */

void dx_rule_version_mismatch(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *a = rejection(fx);
    const struct td_event *cli = fx->cli_alert && fx->cli_alert->b == 70 ? fx->cli_alert : NULL;
    const struct td_event *code = dx_find_ret(fx, DX_ERR_SSL_BAD_PROTOCOL_VERSION);
    int old_only = a && fx->max_version && fx->max_version < 0x0303 && !fx->offers_tls13;
    if (!(a && a->b == 70) && !cli && !code && !old_only)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, a && a->b == 70 ? 90 : old_only ? 80 : 85);
    if (!f)
        return;
    const char *maxv = fx->max_version ? td_reg_version_name(fx->max_version) : NULL;
    if (fx->has_ch && fx->ch.x.has_versions) {
        char buf[128] = "";
        size_t used = 0;
        for (size_t i = 0; i < fx->ch.x.versions.n && used < sizeof buf - 16; i++) {
            const char *n = td_reg_version_name(td_u16_at(fx->ch.x.versions, i));
            int k = snprintf(buf + used, sizeof buf - used, "%s%s", i ? ", " : "", n ? n : "?");
            if (k > 0)
                used += (size_t)k;
        }
        dx_ev(dx, f, fx->ch_ev, "the ClientHello's supported_versions lists %s", buf);
    } else if (maxv) {
        dx_ev(dx, f, fx->ch_ev ? fx->ch_ev : fx->ch_sent_ev, "the client offers versions up to %s", maxv);
    }
    if (a && (a->b == 70 || old_only))
        dx_ev_alert(dx, f, a);
    if (cli)
        dx_ev_alert(dx, f, cli);
    if (code)
        dx_ev_ret(dx, f, code);
    if (fx->has_chosen_version)
        dx_ev(dx, f, fx->sh_ev, "the server chose %s", td_reg_version_name(fx->chosen_version)
              ? td_reg_version_name(fx->chosen_version) : "an unknown version");
    dx_ev_final(dx, f);
    int server_newer = fx->max_version && fx->max_version < 0x0304 && !fx->offers_tls13 &&
                       !(fx->has_chosen_version && fx->chosen_version < fx->max_version);
    if (old_only) {
        dx_set(dx, &f->summary, "The server refused your ClientHello because your client offers at most %s, "
               "which current servers no longer accept. Fix: enable TLS 1.2 (MBEDTLS_SSL_PROTO_TLS1_2 and "
               "a maximum version of TLS 1.2).", maxv ? maxv : "TLS 1.1");
    } else if (a && a->b == 70 && server_newer) {
        dx_set(dx, &f->summary, "The server refused your ClientHello because it offers at most %s and "
               "the server wants a newer version (most likely TLS 1.3 only). Fix: enable TLS 1.3 "
               "(Mbed TLS 3.x with MBEDTLS_SSL_PROTO_TLS1_3) or allow TLS 1.2 on the server.",
               maxv ? maxv : "an older version");
    } else {
        dx_set(dx, &f->summary, "Client and server share no TLS version: %s. Fix: allow a version "
               "both support (on the server, or with mbedtls_ssl_conf_min_tls_version / "
               "mbedtls_ssl_conf_min_version on the client).",
               a && a->b == 70 ? "the server answered protocol_version (70) to the versions offered"
                               : "the client refused the version the server chose");
    }
    dx_set(dx, &f->explanation, "Alert 70 (protocol_version) or error -0x6E80 means the two sides "
           "have no TLS version in common. %s", fx->offers_tls13
           ? "Your client offers TLS 1.3 and 1.2; a server that only speaks TLS 1.0 or 1.1 answers "
             "this way, and Mbed TLS 3.x no longer supports those versions."
           : "Mbed TLS 2.x speaks at most TLS 1.2; a server configured for TLS 1.3 only answers this way.");
    dx_set(dx, &f->reason, "the alert or error code names a version disagreement");
}

/* The list's values by name ("x25519, 0x1234, ..."), into buf; stops adding once fewer than room
 * bytes are left. */
static void name_list(const struct dx_list *l, const char *(*name)(uint16_t), size_t room,
                      char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < l->n && used + room < cap; i++) {
        const char *n = name(l->v[i]);
        int k = n ? snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", n)
                  : snprintf(buf + used, cap - used, "%s0x%04x", i ? ", " : "", l->v[i]);
        if (k > 0)
            used += (size_t)k;
    }
}

static void sigalg_list(const struct dx_list *l, char *buf, size_t cap)
{
    name_list(l, td_reg_sigalg_name, 40, buf, cap);
}

/* ---- no-common-group ---- */

static int is_common_group(uint16_t g)
{
    return g == 0x001d || g == 0x0017;   /* x25519, secp256r1: what every current server has */
}

void dx_rule_no_common_group(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *a = rejection(fx);
    if (!a || (a->b != 40 && a->b != 71) || !fx->groups.n)
        return;
    size_t common = 0;
    for (size_t i = 0; i < fx->groups.n; i++)
        common += is_common_group(fx->groups.v[i]);
    int conf = 0;
    if (fx->groups.n == 1)
        conf = 72;
    else if (!common)
        conf = 65;
    else if (common < 2 && fx->groups.n <= 2)
        conf = 40;
    if (!conf)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, conf);
    if (!f)
        return;
    char buf[256];
    name_list(&fx->groups, td_reg_group_name, 32, buf, sizeof buf);
    dx_ev(dx, f, fx->groups.ev, "the ClientHello offers only these groups: %s", buf);
    dx_ev_alert(dx, f, a);
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "The server refused your ClientHello because it shares no key exchange "
           "group with it (you offer only %s). Fix: also offer x25519 and secp256r1.", buf);
    dx_set(dx, &f->explanation, "The server answered the ClientHello with fatal alert %d (%s) before "
           "sending anything else, and the client offers a narrow list of (EC)DHE groups. %s", a->b,
           dx_alert_name(a->b), fx->offers_tls13
           ? "In TLS 1.3 a server that supports any offered group asks for it with a "
             "HelloRetryRequest; refusing instead means it supports none of them."
           : "In TLS 1.2 a server without any offered curve cannot use ECDHE suites.");
    dx_set(dx, &f->reason, "alert right after the ClientHello and only %zu group%s offered", fx->groups.n,
           fx->groups.n == 1 ? "" : "s");
}

/* ---- no-common-sigalg ---- */

static int sigalg_is_rsa(uint16_t s)
{
    return (s & 0xff) == 0x01 || (s >= 0x0804 && s <= 0x0806) || (s >= 0x0809 && s <= 0x080b);
}

static int sigalg_is_ecdsa(uint16_t s)
{
    return (s & 0xff) == 0x03 || s == 0x0807 || s == 0x0808;
}

/* Only MD5, SHA-1 or SHA-224 signatures offered: current servers refuse to sign with them. */
static int weak_sigalgs_only(struct dx *dx, const struct dx_rule *r, const struct td_event *a)
{
    const struct dx_facts *fx = &dx->fx;
    for (size_t i = 0; i < fx->sigalgs.n; i++) {
        unsigned hash = fx->sigalgs.v[i] >> 8;
        if (hash < 1 || hash > 3)
            return 0;
    }
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, 75);
    if (!f)
        return 1;
    char buf[512];
    sigalg_list(&fx->sigalgs, buf, sizeof buf);
    dx_ev(dx, f, fx->sigalgs.ev, "the ClientHello accepts only these signatures: %s", buf);
    dx_ev_alert(dx, f, a);
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "The server refused your ClientHello because your client accepts only "
           "SHA-1 (or older) signatures, which current servers no longer make. Fix: enable SHA-256 "
           "signatures (MBEDTLS_SHA256_C, and list them in the signature algorithms).");
    dx_set(dx, &f->explanation, "The server answered the ClientHello with fatal alert %d (%s) before "
           "sending anything else. The signature_algorithms extension lists only hashes that OpenSSL 3 "
           "(security level 1 and up), and most servers, refuse, so the server cannot sign its key "
           "exchange in a way the client accepts.", a->b, dx_alert_name(a->b));
    dx_set(dx, &f->reason, "alert right after the ClientHello and only SHA-1/MD5/SHA-224 signatures offered");
    return 1;
}

/* Without the client's words (a capture): the server's TLS 1.2 ServerKeyExchange is signed with
 * rsa_pss_rsae_* that the client offered, and the client answered with illegal_parameter (47).
 * That is the Mbed TLS 3.6 behaviour; the capture cannot show the client's version or its log. */
static int pss_refused_in_tls12(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    uint16_t a = fx->ske_sigalg;
    if (!fx->has_ske_sigalg || a < 0x0804 || a > 0x0806 || !dx_list_has(&fx->sigalgs, a)
        || !fx->cli_alert || fx->cli_alert->b != 47 || fx->cli_alert < fx->ske_ev || fx->srv_alert)
        return 0;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, 70);
    if (!f)
        return 1;
    dx_ev(dx, f, fx->ske_ev, "the server signed its TLS 1.2 ServerKeyExchange with 0x%04x "
          "(rsa_pss_rsae_*), which the client offered", (unsigned)a);
    dx_ev_alert(dx, f, fx->cli_alert);
    dx_set(dx, &f->summary, "Your client refused the RSA-PSS signature on the server's TLS 1.2 key "
           "exchange although it offered it (alert 47). Fix: offer only signature algorithms your build "
           "accepts in TLS 1.2 (mbedtls_ssl_conf_sig_algs without rsa_pss_rsae_* when TLS 1.2 is "
           "negotiated), or negotiate TLS 1.3.");
    dx_set(dx, &f->explanation, "Mbed TLS 3.6 offering both TLS 1.2 and 1.3 advertises rsa_pss_rsae_* "
           "but rejects it under TLS 1.2 with illegal_parameter: an upstream bug. The capture shows the "
           "signature algorithm and the client's alert; it cannot show the client's version or its "
           "reason, which a debug log would (\"unsupported value in SigAlg\").");
    dx_set(dx, &f->reason, "the capture shows an offered RSA-PSS signature in TLS 1.2 answered by the "
           "client's illegal_parameter alert; the client's own words are not in a capture");
    return 1;
}

void dx_rule_no_common_sigalg(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *txt = dx_find_text(fx, "unsupported value in SigAlg");
    if (!txt)
        txt = dx_find_text(fx, "no suitable signature algorithm");
    if (txt) {
        struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, 85);
        if (!f)
            return;
        dx_ev(dx, f, txt, "the client says: %s", txt->text);
        dx_ev_alert(dx, f, fx->cli_alert);
        dx_ev_final(dx, f);
        dx_set(dx, &f->summary, "Your client rejected the signature algorithm the server used in its "
               "key exchange. Fix: offer only signature algorithms your build accepts in TLS 1.2 "
               "(mbedtls_ssl_conf_sig_algs without rsa_pss_rsae_* when TLS 1.2 is negotiated), or "
               "negotiate TLS 1.3.");
        dx_set(dx, &f->explanation, "The server signed its ServerKeyExchange with an algorithm the client "
               "itself advertised, and the client then refused it (alert 47, illegal_parameter). Mbed "
               "TLS 3.6 offering both TLS 1.2 and 1.3 advertises rsa_pss_rsae_* but rejects it under "
               "TLS 1.2: an upstream bug. Restricting the TLS 1.2 signature algorithms or using TLS 1.3 "
               "avoids it.");
        dx_set(dx, &f->reason, "the client's own log line names the refused signature algorithm");
        return;
    }
    if (pss_refused_in_tls12(dx, r))
        return;
    const struct td_event *a = rejection(fx);
    if (!a || (a->b != 40 && a->b != 71) || !fx->sigalgs.n)
        return;
    if (weak_sigalgs_only(dx, r, a))
        return;
    size_t rsa = 0, ec = 0;
    for (size_t i = 0; i < fx->sigalgs.n; i++) {
        rsa += sigalg_is_rsa(fx->sigalgs.v[i]);
        ec += sigalg_is_ecdsa(fx->sigalgs.v[i]);
    }
    if (rsa && ec)
        return;
    const char *only = rsa ? "RSA" : ec ? "ECDSA" : "unusual";
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, fx->offers_tls13 ? 70 : 50);
    if (!f)
        return;
    char buf[512];
    sigalg_list(&fx->sigalgs, buf, sizeof buf);
    dx_ev(dx, f, fx->sigalgs.ev, "the ClientHello accepts only %s signatures: %s", only, buf);
    dx_ev_alert(dx, f, a);
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "The server refused your ClientHello because your client accepts only %s "
           "signatures and the server's certificate cannot make one. Fix: also accept %s signature "
           "algorithms.", only, rsa ? "ECDSA" : "RSA (rsa_pss_rsae_sha256, rsa_pkcs1_sha256)");
    dx_set(dx, &f->explanation, "The server answered the ClientHello with fatal alert %d (%s) before "
           "sending anything else. The signature_algorithms extension lists only %s algorithms, so a "
           "server whose certificate has another key type cannot sign its handshake in a way the "
           "client accepts.", a->b, dx_alert_name(a->b), only);
    dx_set(dx, &f->reason, "alert right after the ClientHello and the signature algorithms cover one key type");
}
