/* rule_x509.c -- what a certificate or a key exchange parameter is refused for, beyond its issuer,
 * dates and name (rule_cert.c): a DH prime below the client's minimum (dhm-prime-too-small), a chain
 * longer than MBEDTLS_X509_MAX_INTERMEDIATE_CA (chain-too-long), a keyUsage or extendedKeyUsage
 * that does not allow the use (cert-key-usage, cert-ext-key-usage), a hash or key the verification
 * profile refuses (weak-cert-crypto), and a DTLS server that cannot write its HelloVerifyRequest
 * cookie (dtls-cookie-failed). The client's log is read by the rows of rules.c; a server's log by
 * dx_server_x509_rules() (called by rule_server.c), said of the remote client's certificate or of
 * this server's own.
 *
 * Where Mbed TLS decides these (2.28.3 from Debian's `apt-get source mbedtls`, the same in 3.6):
 * ssl_cli.c / ssl_tls12_client.c ssl_parse_server_dh_params() compares the prime's size with
 * conf->dhm_min_bitlen; x509_crt.c x509_crt_verify_chain() returns MBEDTLS_ERR_X509_FATAL_ERROR
 * when the chain needs more than MBEDTLS_X509_MAX_INTERMEDIATE_CA intermediates (and
 * mbedtls_x509_crt_verify_restartable() then sets every flag, so ssl_tls.c sends access_denied);
 * ssl_tls.c mbedtls_ssl_check_cert_usage() sets BADCERT_KEY_USAGE / BADCERT_EXT_KEY_USAGE and
 * mbedtls_ssl_parse_certificate() answers them with unsupported_certificate; x509_crt.c
 * x509_profile_check_*() set BADCERT_BAD_MD / BAD_PK / BAD_KEY; ssl_srv.c /
 * ssl_tls12_server.c ssl_write_hello_verify_request() fails with what f_cookie_write returns, and
 * the default callback (no mbedtls_ssl_conf_dtls_cookies()) returns FEATURE_UNAVAILABLE. */
#include <stdio.h>
#include <string.h>
#include "diag_int.h"
#include "rules_int.h"
#include "tlsdoctor/mbedtls.h"
#include "tlsdoctor/reg.h"
#include "tlsdoctor/tls_ids.h"

/* MBEDTLS_X509_KU_* bits (x509.h) the key exchange needs. */
enum { KU_DIGITAL_SIGNATURE = 0x80, KU_KEY_ENCIPHERMENT = 0x20, KU_KEY_AGREEMENT = 0x08 };


/* The event that shows the handshake failed with the code of that name, or NULL. */
static const struct td_event *failed_with(const struct dx_facts *fx, const char *name)
{
    return dx_failed_ev(fx, dx_err_code(name));
}

/* The peer's alert that ended it (a client's log: the server's; a server's: the client's). */
static const struct td_event *peer_alert(const struct dx_facts *fx)
{
    return fx->t->logged_by == TD_ACTOR_SERVER ? fx->cli_alert : fx->srv_alert;
}

/* ---- dhm-prime-too-small ------------------------------------------------------------------- */

void dx_rule_dhm_prime_too_small(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *e = dx_find_fact(fx, TD_FACT_DHM_SHORT);
    if (!e)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, 95);
    if (!f)
        return;
    dx_ev(dx, f, e, "the server's DH prime has %lld bits, below the client's minimum of %d", (long long)e->code,
          e->a);
    dx_ev_alert(dx, f, fx->cli_alert);
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "Your client refused the server's Diffie-Hellman parameters: its prime has %lld "
           "bits, fewer than the %d the client accepts (a DHE suite was chosen). Fix: give the server a DH "
           "group of 2048 bits or more, or prefer ECDHE suites; lowering the client's minimum "
           "(mbedtls_ssl_conf_dhm_min_bitlen()) accepts a weak key exchange.", (long long)e->code, e->a);
    dx_set(dx, &f->explanation, "With a DHE suite the server sends its DH prime in the ServerKeyExchange. "
           "Mbed TLS refuses a prime shorter than mbedtls_ssl_conf_dhm_min_bitlen() (1024 bits by default), "
           "answers illegal_parameter (47) and fails with MBEDTLS_ERR_SSL_BAD_HS_SERVER_KEY_EXCHANGE.");
    dx_set(dx, &f->reason, "Mbed TLS says the DH prime is too short");
}

/* ---- chain-too-long -------------------------------------------------------------------------- */

/* The verification's fatal error, or (from the peer) access_denied, which Mbed TLS sends when the
 * verification ended in a fatal error (every flag set, BADCERT_OTHER among them). */
static int chain_evidence(const struct dx_facts *fx, const struct td_event **ret, const struct td_event **alert)
{
    *ret = failed_with(fx, "X509_FATAL_ERROR");
    const struct td_event *a = peer_alert(fx);
    *alert = a && a->b == TD_ALERT_ACCESS_DENIED ? a : NULL;
    return *ret || *alert;
}

static void chain_text(struct dx *dx, struct td_finding *f, const struct td_event *ret, int own, int server_log)
{
    const char *whose = own ? (server_log ? "this server's" : "your client's")
                            : (server_log ? "the client's" : "the server's");
    const char *who = own ? (server_log ? "The client" : "The server") : (server_log ? "This server" : "Your client");
    if (ret)
        dx_set(dx, &f->summary, "%s stopped verifying %s certificate chain with a fatal error "
               "(MBEDTLS_ERR_X509_FATAL_ERROR): the chain needs more intermediate CAs than "
               "MBEDTLS_X509_MAX_INTERMEDIATE_CA allows (8 by default). Fix: send a shorter chain, or raise "
               "MBEDTLS_X509_MAX_INTERMEDIATE_CA in the verifying side's config.", who, whose);
    else
        dx_set(dx, &f->summary, "%s refused %s certificate chain with access_denied (49), which Mbed TLS "
               "sends when the verification ends in a fatal error: most often a chain with more intermediate "
               "CAs than MBEDTLS_X509_MAX_INTERMEDIATE_CA (8 by default). Fix: send a shorter chain, or raise "
               "that limit on the verifying side; its log says which.", who, whose);
    dx_set(dx, &f->explanation, "Mbed TLS keeps at most MBEDTLS_X509_MAX_INTERMEDIATE_CA intermediates in a "
           "verification chain; a longer path ends the verification with MBEDTLS_ERR_X509_FATAL_ERROR "
           "(-0x3000) even under MBEDTLS_SSL_VERIFY_OPTIONAL. The same error comes from a verify callback "
           "(mbedtls_ssl_conf_verify()) that returns non-zero, or a trusted-CA callback that fails.");
    dx_set(dx, &f->reason, "%s", ret ? "the verification returned MBEDTLS_ERR_X509_FATAL_ERROR"
                                     : "the peer's access_denied (49) after the certificate, as Mbed TLS sends for a "
                                       "fatal verification error");
}

void dx_rule_chain_too_long(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *ret, *alert;
    if (!chain_evidence(fx, &ret, &alert))
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, ret ? 85 : 60);
    if (!f)
        return;
    dx_ev_ret(dx, f, ret);
    dx_ev_alert(dx, f, alert);
    dx_ev_final(dx, f);
    chain_text(dx, f, ret, alert && !ret, 0);
}

/* ---- cert-key-usage, cert-ext-key-usage ------------------------------------------------------ */

/* The usage the peer's leaf lists: the first TD_FACT_CERT_USAGE of depth 0 (a client's log: the
 * server's certificate; in a server's log the only certificate printed at depth 0 is the client's). */
static const struct td_event *leaf_usage(const struct dx_facts *fx, int64_t depth)
{
    for (size_t i = 0; i < fx->t->n_ev; i++) {
        const struct td_event *e = &fx->t->ev[i];
        if (e->kind == TD_EV_FACT && e->fact == TD_FACT_CERT_USAGE && e->code == depth)
            return e;
    }
    return NULL;
}

/* A refusal fact of that kind (0 the peer's certificate, 1 this server's own), or NULL. */
static const struct td_event *usage_refused(const struct dx_facts *fx, int64_t own)
{
    for (size_t i = 0; i < fx->t->n_ev; i++) {
        const struct td_event *e = &fx->t->ev[i];
        if (e->kind == TD_EV_FACT && e->fact == TD_FACT_USAGE_REFUSED && e->code == own)
            return e;
    }
    return NULL;
}

/* Whether the extendedKeyUsage listed (TD_EKU_*, -1 none) allows the purpose. */
static int eku_allows(int eku, int purpose)
{
    return eku < 0 || (eku & (purpose | TD_EKU_ANY | TD_EKU_UNNAMED));
}

/* Which of the two a refusal is: from the flags, else from what the certificate lists (the EKU is
 * the one when it lacks the purpose; else the keyUsage). 1 = keyUsage, 2 = extendedKeyUsage. */
static unsigned usage_kinds(const struct dx_facts *fx, const struct td_event *refused, const struct td_event *u,
                            int purpose)
{
    unsigned k = (fx->verify_flags & DX_BADCERT_KEY_USAGE ? 1u : 0u) |
                 (fx->verify_flags & DX_BADCERT_EXT_KEY_USAGE ? 2u : 0u);
    if (k || !refused)
        return k;
    return u && !eku_allows(u->b, purpose) ? 2u : 1u;
}

static const char *ku_text(int ku, char *out, size_t cap)
{
    static const struct {
        int bit;
        const char *name;
    } names[] = {{KU_DIGITAL_SIGNATURE, "digitalSignature"}, {0x40, "nonRepudiation"},
                 {KU_KEY_ENCIPHERMENT, "keyEncipherment"}, {0x10, "dataEncipherment"},
                 {KU_KEY_AGREEMENT, "keyAgreement"}, {0x04, "keyCertSign"}, {0x02, "cRLSign"}};
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if ((ku & names[i].bit) && used + 1 < cap) {
            int k = snprintf(out + used, cap - used, "%s%s", used ? ", " : "", names[i].name);
            if (k < 0 || (size_t)k >= cap - used)
                break;
            used += (size_t)k;
        }
    return out[0] ? out : "none";
}

static const char *eku_text(int eku)
{
    if (eku & (TD_EKU_ANY | TD_EKU_UNNAMED))
        return "anyExtendedKeyUsage or a purpose Mbed TLS does not name";
    if ((eku & TD_EKU_SERVER_AUTH) && (eku & TD_EKU_CLIENT_AUTH))
        return "serverAuth, clientAuth";
    return eku & TD_EKU_SERVER_AUTH ? "serverAuth" : eku & TD_EKU_CLIENT_AUTH ? "clientAuth"
                                                                                : "other purposes (not TLS)";
}

/* One usage finding: kind 1 keyUsage, 2 extendedKeyUsage; `whose` names the certificate. */
static struct td_finding *usage_finding(struct dx *dx, const struct dx_rule *r, unsigned kind,
                                        const struct td_event *refused, const struct td_event *u,
                                        const char *whose, const char *purpose, int own)
{
    const struct dx_facts *fx = &dx->fx;
    /* the certificate judged is a client's: a server's log, about its peer's certificate */
    int client_cert = fx->t->logged_by == TD_ACTOR_SERVER && !own;
    int by_flag = (fx->verify_flags & (kind == 1 ? DX_BADCERT_KEY_USAGE : DX_BADCERT_EXT_KEY_USAGE)) != 0;
    struct td_finding *f = dx_emit(dx, r, dx_refusal_sev(fx), own ? 92 : by_flag ? 90 : u ? 85 : 70);
    if (!f)
        return NULL;
    if (by_flag)
        dx_ev(dx, f, fx->verify_ev, "certificate verification flags 0x%08x: %s", fx->verify_flags,
              kind == 1 ? "MBEDTLS_X509_BADCERT_KEY_USAGE" : "MBEDTLS_X509_BADCERT_EXT_KEY_USAGE");
    if (refused)
        dx_ev(dx, f, refused, "Mbed TLS: %s", refused->text ? refused->text : "bad certificate (usage extensions)");
    char ku[160];
    if (u && kind == 1 && u->a >= 0)
        dx_ev(dx, f, u, "%s keyUsage: %s", whose, ku_text(u->a, ku, sizeof ku));
    if (u && kind == 2 && u->b >= 0)
        dx_ev(dx, f, u, "%s extendedKeyUsage: %s", whose, eku_text(u->b));
    dx_ev_alert(dx, f, fx->t->logged_by == TD_ACTOR_SERVER ? fx->srv_alert : fx->cli_alert);
    dx_ev_final(dx, f);
    if (kind == 1)
        dx_set(dx, &f->explanation, "Mbed TLS checks the keyUsage of a certificate against the key exchange "
               "(mbedtls_ssl_check_cert_usage()): a server certificate needs digitalSignature for (EC)DHE "
               "suites, keyEncipherment for RSA key exchange, keyAgreement for static ECDH; a client "
               "certificate needs digitalSignature. A certificate whose keyUsage lacks it is refused "
               "(MBEDTLS_X509_BADCERT_KEY_USAGE, alert unsupported_certificate (43)) unless verification is "
               "optional.");
    else
        dx_set(dx, &f->explanation, "Mbed TLS checks a certificate's extendedKeyUsage "
               "(mbedtls_ssl_check_cert_usage()): a server's certificate must allow serverAuth, a client's "
               "clientAuth (or anyExtendedKeyUsage). One for other purposes only (code signing, e-mail) is "
               "refused (MBEDTLS_X509_BADCERT_EXT_KEY_USAGE, alert unsupported_certificate (43)) unless "
               "verification is optional.");
    dx_set(dx, &f->summary, "%s certificate does not allow %s: its %s does not fit. Fix: use a certificate "
           "issued with %s.", whose, purpose, kind == 1 ? "keyUsage" : "extendedKeyUsage",
           kind == 1 ? "the keyUsage its key exchange needs (digitalSignature for ECDHE/DHE and for client "
                       "authentication, keyEncipherment for RSA key exchange)"
                     : (client_cert ? "clientAuth in its extendedKeyUsage (or without the extension)"
                                    : "serverAuth in its extendedKeyUsage (or without the extension)"));
    if (dx_refusal_sev(fx) == TD_SEV_WARNING)
        dx_add(dx, &f->summary, " The handshake went on (verification is optional).");
    dx_set(dx, &f->reason, "%s", by_flag ? "the verification flags name it"
                                 : own ? "the server skipped its own certificate for every suite for its usage"
                                 : u ? "Mbed TLS refused the certificate for its usage, and the certificate's text "
                                       "shows which extension"
                                     : "Mbed TLS refused the certificate for its usage extensions");
    return f;
}

/* Client's log: the server's certificate. */
static void usage_rule(struct dx *dx, const struct dx_rule *r, unsigned want)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *refused = usage_refused(fx, 0);
    const struct td_event *u = leaf_usage(fx, 0);
    if (usage_kinds(fx, refused, u, TD_EKU_SERVER_AUTH) & want)
        usage_finding(dx, r, want, refused, u, "The server's", "its use as a TLS server certificate", 0);
}

void dx_rule_cert_key_usage(struct dx *dx, const struct dx_rule *r)
{
    usage_rule(dx, r, 1);
}

void dx_rule_cert_ext_key_usage(struct dx *dx, const struct dx_rule *r)
{
    usage_rule(dx, r, 2);
}

/* ---- weak-cert-crypto ------------------------------------------------------------------------ */

static int weak_flags(const struct dx_facts *fx)
{
    return (fx->verify_flags & (DX_BADCERT_BAD_MD | DX_BADCERT_BAD_PK | DX_BADCERT_BAD_KEY)) != 0 ||
           dx_find_fact(fx, TD_FACT_CURVE_REFUSED) != NULL;
}

/* The key is on a curve this side's handshake does not allow (its curve list, not the profile). */
static void curve_text(struct dx *dx, struct td_finding *f, const struct td_event *curve, const char *whose)
{
    static const char fix2[] = "Enable the certificate's curve on the verifying side: its "
                               "MBEDTLS_ECP_DP_<curve>_ENABLED and mbedtls_ssl_conf_curves() if that restricts "
                               "them; or use a certificate on a curve that side allows (P-256).";
    static const char fix3[] = "Enable the certificate's curve on the verifying side: its "
                               "MBEDTLS_ECP_DP_<curve>_ENABLED (or PSA_WANT_ECC_*) and mbedtls_ssl_conf_groups() "
                               "if that restricts them; or use a certificate on a curve that side allows (P-256).";
    dx_ev(dx, f, curve, "Mbed TLS: %s", curve->text ? curve->text : "bad certificate (EC key curve)");
    f->fix_mbedtls2 = fix2;
    f->fix_mbedtls3 = fix3;
    dx_set(dx, &f->fix, "%s", dx->fx.major >= 3 ? fix3 : fix2);
    const char *verifier = dx->fx.t->logged_by == TD_ACTOR_SERVER ? "this server" : "your client";
    dx_set(dx, &f->summary, "%s certificate has an EC key on a curve %s does not allow in its handshake "
           "(BADCERT_BAD_KEY). Fix: enable that curve there (mbedtls_ssl_conf_%s(), "
           "MBEDTLS_ECP_DP_*_ENABLED), or use a certificate on a curve it allows.", whose, verifier,
           dx->fx.major >= 3 ? "groups" : "curves");
    dx_set(dx, &f->explanation, "Besides the verification profile, Mbed TLS checks that an EC certificate's "
           "curve is one of its own configured curves (mbedtls_ssl_check_curve()); one that is not is "
           "marked BADCERT_BAD_KEY, refused with unsupported_certificate (43), and with optional "
           "verification the ECDH key exchange fails later.");
    dx_set(dx, &f->reason, "Mbed TLS says the certificate's EC key curve is not allowed");
}

static void weak_text(struct dx *dx, struct td_finding *f, const char *whose)
{
    const struct dx_facts *fx = &dx->fx;
    unsigned fl = fx->verify_flags;
    const struct td_event *curve = dx_find_fact(fx, TD_FACT_CURVE_REFUSED);
    if (curve && !(fl & (DX_BADCERT_BAD_MD | DX_BADCERT_BAD_PK))) {
        if (fl & DX_BADCERT_BAD_KEY)
            dx_ev(dx, f, fx->verify_ev, "certificate verification flags 0x%08x: BAD_KEY", fl);
        dx_ev_final(dx, f);
        curve_text(dx, f, curve, whose);
        if (dx_refusal_sev(fx) == TD_SEV_WARNING)
            dx_add(dx, &f->summary, " The handshake went on (verification is optional).");
        return;
    }
    dx_ev(dx, f, fx->verify_ev, "certificate verification flags 0x%08x:%s%s%s", fl,
          fl & DX_BADCERT_BAD_MD ? " BAD_MD (a hash the profile refuses)" : "",
          fl & DX_BADCERT_BAD_PK ? " BAD_PK (a signature algorithm the profile refuses)" : "",
          fl & DX_BADCERT_BAD_KEY ? " BAD_KEY (a key too small, or a curve the profile refuses)" : "");
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "%s certificate chain is signed with %s the verification profile does not "
           "accept. Fix: reissue it with SHA-256 or better and a 2048-bit RSA or P-256 key, or relax the "
           "profile on the verifying side (mbedtls_ssl_conf_cert_profile()) if you must.", whose,
           fl & DX_BADCERT_BAD_KEY ? "a key" : fl & DX_BADCERT_BAD_MD ? "a hash (SHA-1 or MD5)" : "an algorithm");
    if (dx_refusal_sev(fx) == TD_SEV_WARNING)
        dx_add(dx, &f->summary, " The handshake went on (verification is optional).");
    dx_set(dx, &f->explanation, "The default profile (mbedtls_x509_crt_profile_default) accepts SHA-256 and "
           "better, RSA keys of 2048 bits or more and the curves enabled; SHA-1 signatures need a "
           "profile of your own (an mbedtls_x509_crt_profile given to mbedtls_ssl_conf_cert_profile()). "
           "Mbed TLS marks the certificate BADCERT_BAD_MD, BAD_PK or BAD_KEY and the verification fails.");
    dx_set(dx, &f->reason, "the verification flags say the profile refuses the chain's crypto");
}

void dx_rule_weak_cert_crypto(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    if (!weak_flags(fx))
        return;
    struct td_finding *f = dx_emit(dx, r, dx_refusal_sev(fx), 90);
    if (f)
        weak_text(dx, f, "The server's");
}

/* ---- dtls-cookie-failed ---------------------------------------------------------------------- */

/* A server's failing f_cookie_write (its HelloVerifyRequest could not be written). */
static const struct td_event *cookie_write_failed(const struct dx_facts *fx)
{
    for (size_t i = 0; i < fx->t->n_ev; i++) {
        const struct td_event *e = &fx->t->ev[i];
        if (e->kind == TD_EV_RETURN && e->text && !(e->flags & TD_EVF_SOFT) && strstr(e->text, "f_cookie_write"))
            return e;
    }
    return NULL;
}

/* The first step event whose name starts with name ("=> mbedtls_ssl_resend"), or NULL. */
static const struct td_event *step(const struct dx_facts *fx, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < fx->t->n_ev; i++) {
        const struct td_event *e = &fx->t->ev[i];
        if (e->kind == TD_EV_STEP && e->text && !strncmp(e->text, name, n))
            return e;
    }
    return NULL;
}

/* A DTLS client (it retransmits its flight: level 2's "=> mbedtls_ssl_resend") whose handshake
 * timed out with no ServerHello: a server that cannot write or check its HelloVerifyRequest cookie
 * drops the ClientHello without a word. A secondary finding: the timeout leads, this says what to
 * look for in the server's log. */
void dx_rule_dtls_cookie_failed(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *resend = step(fx, "mbedtls_ssl_resend");
    const struct td_event *hvr = step(fx, "parse hello verify request");
    if (!resend || fx->server_answered || !failed_with(fx, "SSL_TIMEOUT"))
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_WARNING, hvr ? 60 : 40);
    if (!f)
        return;
    if (hvr)
        dx_ev(dx, f, hvr, "the server answered the first ClientHello with a HelloVerifyRequest");
    dx_ev(dx, f, resend, "the client resent its ClientHello (DTLS retransmission) and got no answer");
    dx_ev_final(dx, f);
    if (hvr)
        dx_set(dx, &f->summary, "The DTLS server sent a HelloVerifyRequest, then dropped the ClientHello that "
               "carried its cookie: its cookie check failed (the client's address or port changed between "
               "the two, the server's cookie secret changed, or it does not call "
               "mbedtls_ssl_set_client_transport_id() per client). Its log says 'cookie verification failed'.");
    else
        dx_set(dx, &f->summary, "The DTLS server never answered the ClientHello. Besides a server that is down "
               "or a blocked UDP port, a DTLS server that cannot write its HelloVerifyRequest cookie (no "
               "mbedtls_ssl_conf_dtls_cookies()) drops every ClientHello silently: its log says "
               "'f_cookie_write() returned'.");
    dx_set(dx, &f->explanation, "A DTLS server answers a ClientHello without a valid cookie with a "
           "HelloVerifyRequest and keeps no state; the client repeats its ClientHello with the cookie. When "
           "the server cannot make a cookie, or the cookie does not check, it drops the ClientHello without "
           "an alert and the client only times out.");
    dx_set(dx, &f->reason, "%s", hvr ? "a HelloVerifyRequest, then no answer to the ClientHello with the cookie"
                                     : "a DTLS client's ClientHello retransmitted and never answered");
}

/* ---- a server's log -------------------------------------------------------------------------- */

struct x_srv {
    struct dx_rule r;
    const char *client_fix;
};

enum { XS_DHM, XS_CHAIN, XS_KU, XS_EKU, XS_WEAK, XS_EXPIRED, XS_COOKIE };

static const struct x_srv x_srv_rules[] = {
    [XS_DHM] = {{"dhm-prime-too-small", "The client refused this server's DH prime as too short", NULL,
                 "Give the server DH parameters of 2048 bits or more (mbedtls_ssl_conf_dh_param_bin(), e.g. with "
                 "MBEDTLS_DHM_RFC3526_MODP_2048_P_BIN/_G_BIN), or prefer ECDHE suites "
                 "(mbedtls_ssl_conf_ciphersuites()).",
                 "Give the server DH parameters of 2048 bits or more (mbedtls_ssl_conf_dh_param_bin(), e.g. with "
                 "MBEDTLS_DHM_RFC3526_MODP_2048_P_BIN/_G_BIN), or prefer ECDHE suites "
                 "(mbedtls_ssl_conf_ciphersuites()).", NULL},
                "Lower the client's minimum only if a weak key exchange is acceptable: "
                "mbedtls_ssl_conf_dhm_min_bitlen() (1024 by default)."},
    [XS_CHAIN] = {{"chain-too-long", "A certificate chain longer than the verifier allows", NULL,
                   "Raise MBEDTLS_X509_MAX_INTERMEDIATE_CA in the server's config.h (8 by default) to the client "
                   "chain's number of intermediates; a verify callback (mbedtls_ssl_conf_verify()) must return 0 "
                   "and report through the flags.",
                   "Raise MBEDTLS_X509_MAX_INTERMEDIATE_CA in the server's mbedtls_config.h (8 by default) to the "
                   "client chain's number of intermediates; a verify callback (mbedtls_ssl_conf_verify()) must "
                   "return 0 and report through the flags.", NULL},
                  "Send a shorter client chain (fewer intermediates), or have it issued closer to the root."},
    [XS_KU] = {{"cert-key-usage", "The certificate's keyUsage does not allow its use", NULL,
                "Give the server a certificate whose keyUsage allows the suites it offers (digitalSignature for "
                "ECDHE/DHE, keyEncipherment for RSA key exchange), or accept the client's as it is only with "
                "MBEDTLS_SSL_VERIFY_OPTIONAL.",
                "Give the server a certificate whose keyUsage allows the suites it offers (digitalSignature for "
                "ECDHE/DHE, keyEncipherment for RSA key exchange), or accept the client's as it is only with "
                "MBEDTLS_SSL_VERIFY_OPTIONAL.", NULL},
               "Use a client certificate whose keyUsage has digitalSignature (or no keyUsage extension)."},
    [XS_EKU] = {{"cert-ext-key-usage", "The certificate's extendedKeyUsage does not allow its use", NULL,
                 "Give the server a certificate whose extendedKeyUsage has serverAuth (or none); a client "
                 "certificate without clientAuth is accepted only with MBEDTLS_SSL_VERIFY_OPTIONAL.",
                 "Give the server a certificate whose extendedKeyUsage has serverAuth (or none); a client "
                 "certificate without clientAuth is accepted only with MBEDTLS_SSL_VERIFY_OPTIONAL.", NULL},
                "Use a client certificate whose extendedKeyUsage has clientAuth (or no extendedKeyUsage)."},
    [XS_WEAK] = {{"weak-cert-crypto", "The chain uses a hash or key the verification profile refuses", NULL,
                  "Accept the client's chain only if you must: a profile of your own with "
                  "mbedtls_ssl_conf_cert_profile().",
                  "Accept the client's chain only if you must: a profile of your own with "
                  "mbedtls_ssl_conf_cert_profile().", NULL},
                 "Reissue the client certificate with SHA-256 and a 2048-bit RSA or P-256 key."},
    [XS_EXPIRED] = {{"cert-expired", "The client's certificate has expired", NULL,
                     "Nothing on the server, unless its clock is wrong: set it (MBEDTLS_HAVE_TIME_DATE uses it).",
                     "Nothing on the server, unless its clock is wrong: set it (MBEDTLS_HAVE_TIME_DATE uses it).",
                     NULL},
                    "Renew the client's certificate (or set the client's clock if it issued it from a wrong one)."},
    [XS_COOKIE] = {{"dtls-cookie-failed", "The DTLS server cannot write its HelloVerifyRequest cookie", NULL,
                    "Set up cookies on the DTLS server: mbedtls_ssl_cookie_setup() and "
                    "mbedtls_ssl_conf_dtls_cookies(&conf, mbedtls_ssl_cookie_write, mbedtls_ssl_cookie_check, "
                    "&cookie_ctx), and mbedtls_ssl_set_client_transport_id() per client; or turn the "
                    "HelloVerifyRequest off with mbedtls_ssl_conf_dtls_cookies(&conf, NULL, NULL, NULL) (or "
                    "without MBEDTLS_SSL_DTLS_HELLO_VERIFY).",
                    "Set up cookies on the DTLS server: mbedtls_ssl_cookie_setup() and "
                    "mbedtls_ssl_conf_dtls_cookies(&conf, mbedtls_ssl_cookie_write, mbedtls_ssl_cookie_check, "
                    "&cookie_ctx), and mbedtls_ssl_set_client_transport_id() per client; or turn the "
                    "HelloVerifyRequest off with mbedtls_ssl_conf_dtls_cookies(&conf, NULL, NULL, NULL) (or "
                    "without MBEDTLS_SSL_DTLS_HELLO_VERIFY).", NULL},
                   NULL},
};

static struct td_finding *x_emit(struct dx *dx, int which, enum td_severity sev, int confidence)
{
    struct td_finding *f = dx_emit(dx, &x_srv_rules[which].r, sev, confidence);
    if (f)
        f->client_fix = x_srv_rules[which].client_fix;
    return f;
}

static void srv_chain(struct dx *dx)
{
    const struct td_event *ret, *alert;
    if (!chain_evidence(&dx->fx, &ret, &alert))
        return;
    struct td_finding *f = x_emit(dx, XS_CHAIN, TD_SEV_ERROR, ret ? 85 : 60);
    if (!f)
        return;
    if (!ret)
        f->client_fix = "Raise MBEDTLS_X509_MAX_INTERMEDIATE_CA on the client, or let the server send a "
                        "shorter chain.";
    dx_ev_ret(dx, f, ret);
    dx_ev_alert(dx, f, alert);
    dx_ev_final(dx, f);
    chain_text(dx, f, ret, !ret, 1);
}

static void srv_usage(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *refused = usage_refused(fx, 0);
    const struct td_event *u = leaf_usage(fx, 0);
    unsigned k = usage_kinds(fx, refused, u, TD_EKU_CLIENT_AUTH);
    for (unsigned kind = 1; kind <= 2; kind++) {
        int which = kind == 1 ? XS_KU : XS_EKU;
        struct td_finding *f = k & kind ? usage_finding(dx, &x_srv_rules[which].r, kind, refused, u, "The client's",
                                                        "its use as a TLS client certificate", 0)
                                        : NULL;
        if (f)
            f->client_fix = x_srv_rules[which].client_fix;
    }
    /* This server skipped its own certificate for every suite it shares with the client. */
    const struct td_event *own = usage_refused(fx, 1);
    if (!k && own && fx->hs_failed && (failed_with(fx, "SSL_NO_USABLE_CIPHERSUITE") ||
                                       failed_with(fx, "SSL_NO_CIPHER_CHOSEN") || fx->srv_alert)) {
        const struct td_event *ou = leaf_usage(fx, -1);
        unsigned kind = ou && !eku_allows(ou->b, TD_EKU_SERVER_AUTH) ? 2u : 1u;
        struct td_finding *f = usage_finding(dx, &x_srv_rules[kind == 1 ? XS_KU : XS_EKU].r, kind, own, ou,
                                             "This server's", "any suite the client offers", 1);
        if (f)
            f->client_fix = "Offer a suite this server's certificate allows (for a keyUsage of keyEncipherment "
                            "only: RSA key exchange; digitalSignature: ECDHE/DHE).";
        if (f && !ou) {   /* the log does not print this server's certificate: either extension */
            dx_set(dx, &f->summary, "This server's certificate does not allow any suite the client offers: "
                   "its keyUsage or extendedKeyUsage does not fit (Mbed TLS's message names both). Fix: a "
                   "certificate with the keyUsage the suites need (digitalSignature for ECDHE/DHE, "
                   "keyEncipherment for RSA key exchange) and serverAuth (or no extendedKeyUsage).");
            dx_set(dx, &f->reason, "the server skipped its own certificate for its (extended) key usage, and "
                   "no suite was left");
        }
    }
}

static void srv_weak_expired(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    if (weak_flags(fx)) {
        struct td_finding *f = x_emit(dx, XS_WEAK, dx_refusal_sev(fx), 90);
        if (f)
            weak_text(dx, f, "The client's");
    }
    if ((fx->verify_flags & DX_BADCERT_EXPIRED) && (fx->hs_failed || fx->hs_done)) {
        struct td_finding *f = x_emit(dx, XS_EXPIRED, dx_refusal_sev(fx), 90);
        if (f) {
            dx_ev(dx, f, fx->verify_ev, "verification of the client's certificate: flags 0x%08x "
                  "(MBEDTLS_X509_BADCERT_EXPIRED)", fx->verify_flags);
            dx_ev_final(dx, f);
            if (dx_refusal_sev(fx) == TD_SEV_WARNING)
                dx_set(dx, &f->summary, "This server found the client's certificate expired; the handshake went "
                       "on (verification is optional). Fix: renew the client's certificate (or set this "
                       "server's clock if it is wrong).");
            else
                dx_set(dx, &f->summary, "This server refused the client's certificate as expired. Fix: renew "
                       "the client's certificate (or set this server's clock if it is wrong).");
            dx_set(dx, &f->explanation, "The server verifies the client's certificate against its own clock; "
                   "past its notAfter date it is MBEDTLS_X509_BADCERT_EXPIRED.");
            dx_set(dx, &f->reason, "the verification flags of the client's certificate say it has expired");
        }
    }
}

static void srv_cookie(struct dx *dx)
{
    const struct td_event *e = cookie_write_failed(&dx->fx);
    if (!e)
        return;
    struct td_finding *f = x_emit(dx, XS_COOKIE, TD_SEV_ERROR, 90);
    if (!f)
        return;
    int unavailable = e->code == dx_err_code("SSL_FEATURE_UNAVAILABLE");
    dx_ev_ret(dx, f, e);
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "This DTLS server could not write the cookie of its HelloVerifyRequest%s, so it "
           "drops every ClientHello and clients time out. Fix: set up cookies "
           "(mbedtls_ssl_cookie_setup(), mbedtls_ssl_conf_dtls_cookies()) or turn the HelloVerifyRequest off.",
           unavailable ? " (no cookie callbacks are configured)" : "");
    dx_set(dx, &f->explanation, "A DTLS server answers a ClientHello without a valid cookie with a "
           "HelloVerifyRequest; the cookie comes from the f_cookie_write callback of "
           "mbedtls_ssl_conf_dtls_cookies(). Without it the default callback returns "
           "MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE and the handshake fails before any answer.");
    dx_set(dx, &f->reason, "the server's f_cookie_write() failed");
}

/* The client answered this server's DHE ServerKeyExchange with illegal_parameter (47): an Mbed TLS
 * client does so for a DH prime below its minimum (its own log says "DHM prime too short"). */
static void srv_dhm(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *a = fx->cli_alert;
    const struct td_suite *su = fx->has_chosen_suite ? td_reg_suite(fx->chosen_suite) : NULL;
    if (!a || a->b != TD_ALERT_ILLEGAL_PARAMETER || !su || !su->kx || strncmp(su->kx, "DHE", 3) != 0)
        return;
    struct td_finding *f = x_emit(dx, XS_DHM, TD_SEV_ERROR, 70);
    if (!f)
        return;
    dx_ev(dx, f, NULL, "this server chose %s, a DHE suite: its ServerKeyExchange carries its DH prime",
          su->name);
    dx_ev_alert(dx, f, a);
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "The client refused this server's key exchange parameters with illegal_parameter "
           "(47) after a DHE ServerKeyExchange: most likely the DH prime is shorter than the client accepts "
           "(an Mbed TLS client's mbedtls_ssl_conf_dhm_min_bitlen(), 1024 bits by default). Fix: DH "
           "parameters of 2048 bits or more, or ECDHE suites.");
    dx_set(dx, &f->explanation, "With a DHE suite the client checks the server's DH prime; Mbed TLS refuses one "
           "shorter than its minimum with illegal_parameter, and its own log says 'DHM prime too short'. A "
           "malformed ServerKeyExchange draws the same alert.");
    dx_set(dx, &f->reason, "the client's illegal_parameter (47) after this server's DHE key exchange");
}

/* The keyUsage bit the suite's key exchange needs from a server certificate
 * (mbedtls_ssl_check_cert_usage()), or 0 when none or unknown. */
static int needed_ku(const struct td_suite *su)
{
    if (!su || !su->kx)
        return 0;
    if (!strcmp(su->kx, "RSA") || !strcmp(su->kx, "RSA_PSK"))
        return KU_KEY_ENCIPHERMENT;
    if (!strcmp(su->kx, "ECDH"))
        return KU_KEY_AGREEMENT;
    if (!strcmp(su->kx, "ECDHE") || !strcmp(su->kx, "DHE"))
        return KU_DIGITAL_SIGNATURE;
    return 0;
}

/* The client refused this server's certificate with unsupported_certificate (43): an Mbed TLS
 * client sends it for a keyUsage or extendedKeyUsage that does not fit, or a key or curve it does
 * not accept (ssl_tls.c's alert choice). This server's own certificate, where the log prints it,
 * tells which. */
static void srv_unsupported_cert(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *a = fx->cli_alert;
    if (!a || a->b != TD_ALERT_UNSUPPORTED_CERTIFICATE)
        return;
    const struct td_event *own = leaf_usage(fx, -1);
    int need = needed_ku(fx->has_chosen_suite ? td_reg_suite(fx->chosen_suite) : NULL);
    int eku_bad = own && !eku_allows(own->b, TD_EKU_SERVER_AUTH);
    int ku_bad = own && own->a >= 0 && need && !(own->a & need);
    int which = eku_bad ? XS_EKU : ku_bad ? XS_KU : XS_WEAK;
    struct td_finding *f = x_emit(dx, which, TD_SEV_ERROR, which == XS_WEAK ? 55 : 80);
    if (!f)
        return;
    if (which == XS_WEAK) {
        static const char fix[] = "Give the server a certificate whose key the client accepts: RSA of 2048 bits "
                                  "or more, or an EC key on a curve the client enables (P-256), signed with "
                                  "SHA-256; the client's log names what it refused.";
        f->fix_mbedtls2 = f->fix_mbedtls3 = fix;
        dx_set(dx, &f->fix, "%s", fix);
        f->client_fix = "Accept that key or curve on the client: its verification profile "
                        "(mbedtls_ssl_conf_cert_profile()) or its curve list (mbedtls_ssl_conf_curves(), 3.x "
                        "mbedtls_ssl_conf_groups()).";
    } else {
        f->client_fix = "Accept such a certificate only with MBEDTLS_SSL_VERIFY_OPTIONAL on the client.";
    }
    dx_ev_alert(dx, f, a);
    char ku[160];
    if (own && which == XS_EKU)
        dx_ev(dx, f, own, "this server's certificate's extendedKeyUsage: %s", eku_text(own->b));
    if (own && which == XS_KU)
        dx_ev(dx, f, own, "this server's certificate's keyUsage: %s", ku_text(own->a, ku, sizeof ku));
    dx_ev_final(dx, f);
    if (which == XS_WEAK)
        dx_set(dx, &f->summary, "The client refused this server's certificate as unsupported (alert 43): an "
               "Mbed TLS client sends it for a key or curve it does not accept (its profile, its curve list) "
               "or for a keyUsage / extendedKeyUsage that does not fit; %s. Fix: a certificate the client "
               "accepts (P-256 or RSA-2048, SHA-256, the usage its suites need); the client's log names the "
               "flag.", own ? "this server's certificate's usage fits, so most likely its key or curve"
                            : "this log does not print this server's certificate");
    else
        dx_set(dx, &f->summary, "The client refused this server's certificate as unsupported (alert 43): its "
               "%s does not allow the use. Fix: a certificate with %s.", which == XS_EKU ? "extendedKeyUsage"
               : "keyUsage", which == XS_EKU ? "serverAuth (or no extendedKeyUsage)"
               : "the keyUsage the chosen suite needs");
    dx_set(dx, &f->explanation, "Mbed TLS answers a peer certificate it refuses with unsupported_certificate "
           "(43) for BADCERT_KEY_USAGE, EXT_KEY_USAGE, NS_CERT_TYPE, BAD_PK and BAD_KEY (ssl_tls.c, "
           "mbedtls_ssl_parse_certificate()).");
    dx_set(dx, &f->reason, "the client's unsupported_certificate (43)%s", which == XS_WEAK ? ""
           : ", and this server's certificate's usage does not fit");
}

/* Returns how many causes (errors) it found: a refusal the handshake went on after (verification
 * optional) is a warning, and the server's other rules still say the handshake succeeded. */
int dx_server_x509_rules(struct dx *dx)
{
    size_t from = dx->out->n;
    srv_dhm(dx);
    srv_unsupported_cert(dx);
    srv_chain(dx);
    srv_weak_expired(dx);
    srv_usage(dx);
    srv_cookie(dx);
    int causes = 0;
    for (size_t i = from; i < dx->out->n; i++)
        causes += dx->out->f[i].sev == TD_SEV_ERROR;
    return causes;
}
