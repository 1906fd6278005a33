/* rule_cert.c -- certificate trust rules: ca-untrusted, cert-expired, cert-not-yet-valid,
 * hostname-mismatch, and the secondary clock-unset. They read the verification flags
 * (MBEDTLS_X509_BADCERT_*), Mbed TLS's verify messages, the alert the client sent, and the
 * certificate text the log prints. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "diag_int.h"
#include "rules_int.h"
#include "tlsdoctor/tls_ids.h"

#define CLOCK_SANE_FROM 1451606400u   /* 2016-01-01: a client clock before this is not set */

/* Under MBEDTLS_SSL_VERIFY_OPTIONAL the handshake went on: the finding says so. */
static void optional_note(struct dx *dx, struct td_finding *f)
{
    if (f->sev == TD_SEV_WARNING && f->summary)
        dx_add(dx, &f->summary, " The handshake went on all the same: verification is optional "
               "(MBEDTLS_SSL_VERIFY_OPTIONAL), and the application reads mbedtls_ssl_get_verify_result().");
}

/* The flag, from the flags or from the words Mbed TLS prints for it. */
static const struct td_event *flag_seen(const struct dx_facts *fx, unsigned flag, const char *words)
{
    if (fx->verify_flags & flag)
        return fx->verify_ev;
    return words ? dx_find_text(fx, words) : NULL;
}

static void ev_verify(struct dx *dx, struct td_finding *f, const struct td_event *e)
{
    const struct dx_facts *fx = &dx->fx;
    if (e && e == fx->verify_ev)
        dx_ev(dx, f, e, "certificate verification flags 0x%08x%s%s", fx->verify_flags,
              e->text ? ": " : "", e->text ? e->text : "");
    else if (e)
        dx_ev(dx, f, e, "%s", e->text ? e->text : "certificate verification failed");
}

/* Copies the value of "label : value" from the certificate text the log printed (leaf first). */
static const struct td_event *cert_field(const struct dx_facts *fx, const char *label, char *out, size_t cap)
{
    out[0] = '\0';
    for (size_t i = 0; i < fx->t->n_ev; i++) {
        const struct td_event *e = &fx->t->ev[i];
        if (e->kind != TD_EV_FACT || e->fact != TD_FACT_CERT || !e->text || (e->code > 0))
            continue;
        const char *p = strstr(e->text, label);
        if (!p)
            continue;
        p = strchr(p, ':');
        if (!p)
            continue;
        p++;
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, "\r\n");
        if (n >= cap)
            n = cap - 1;
        memcpy(out, p, n);
        out[n] = '\0';
        return e;
    }
    return NULL;
}

/* Whether the ClientHello random's first four bytes are the client's clock: Mbed TLS 2.x puts
 * gmt_unix_time there; 3.x, TLS 1.3 clients and most other libraries fill them at random (a quarter
 * of random values would read as a date before 2016). In a capture the client must look like
 * Mbed TLS 2.x (facts.c: the order of its extensions). */
static int random_is_clock(const struct dx_facts *fx)
{
    if (fx->t->origin == TD_ORIGIN_CAPTURE)
        return fx->client_lib == 2 && !fx->offers_tls13;
    return fx->major != 3 && !fx->offers_tls13;
}

/* Whether the client's alert can be read as Mbed TLS sends it: a log is Mbed TLS's own; a
 * capture's client must look like Mbed TLS. */
static int mbedtls_alerts(const struct dx_facts *fx)
{
    return fx->t->origin != TD_ORIGIN_CAPTURE || fx->client_lib != 0;
}

int dx_clock_unset(const struct dx_facts *fx)
{
    if (!fx->has_time)
        return 0;
    if (fx->time_from_random && !random_is_clock(fx))
        return fx->gmt_time == 0 || fx->gmt_time == 0xffffffffu;
    return fx->gmt_time < CLOCK_SANE_FROM || fx->gmt_time == 0xffffffffu;
}

static void describe_time(uint32_t t, char *out, size_t cap)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm))
        strftime(out, cap, "%Y-%m-%d %H:%M:%S UTC", &tm);
    else
        snprintf(out, cap, "%u", t);
}

/* The client's fatal alert, when it came after the server's certificate (if that is visible). */
static const struct td_event *refusal_alert(const struct dx_facts *fx)
{
    const struct td_event *a = fx->cli_alert;
    if (!a || (fx->leaf_ev && a < fx->leaf_ev))
        return NULL;
    return a;
}

/* The client's own clock as it shows it: a logged time, or the ClientHello random's first four
 * bytes where they are a time (Mbed TLS 2.x; a client offering TLS 1.3 fills them at random). */
static int client_clock(const struct dx_facts *fx, int64_t *when)
{
    if (!fx->has_time || (fx->time_from_random && !random_is_clock(fx)))
        return 0;
    *when = fx->gmt_time;
    return 1;
}

/* The certificate and the times it is judged against, as evidence. */
static void leaf_dates(struct dx *dx, struct td_finding *f)
{
    const struct dx_facts *fx = &dx->fx;
    if (!fx->has_leaf)
        return;
    dx_ev(dx, f, fx->leaf_ev, "the server's certificate (%s) is valid from %s to %s", fx->leaf.subject,
          fx->leaf.not_before, fx->leaf.not_after);
    char when[64];
    if (fx->source_time > 0 && fx->source_time <= UINT32_MAX) {
        describe_time((uint32_t)fx->source_time, when, sizeof when);
        dx_ev(dx, f, fx->source_time_ev, "the capture was taken at %s", when);
    }
}

/* An alert named by what Mbed TLS sends it for: the client is assumed to be Mbed TLS. */
static void alert_meaning(struct dx *dx, struct td_finding *f, const struct td_event *a, const char *what)
{
    dx_ev(dx, f, a, "fatal alert %d (%s) sent by the client: an Mbed TLS client sends it when %s",
          a->b, dx_alert_name(a->b), what);
}

static void add_clock_note(struct dx *dx, struct td_finding *f)
{
    const struct dx_facts *fx = &dx->fx;
    if (!dx_clock_unset(fx))
        return;
    char when[64];
    describe_time(fx->gmt_time, when, sizeof when);
    dx_ev(dx, f, fx->time_ev, "the client's clock reads %s (0x%08x)", when, fx->gmt_time);
    dx_add(dx, &f->explanation, " The client's clock is not set (it reads %s), so certificate dates "
           "are judged against a wrong time: set it (SNTP, RTC) before connecting.", when);
}

void dx_rule_ca_untrusted(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *flag = flag_seen(fx, DX_BADCERT_NOT_TRUSTED, "not correctly signed by the trusted CA");
    const struct td_event *noca = dx_find_text(fx, "got no CA chain");
    const struct td_event *code = dx_find_ret(fx, DX_ERR_SSL_CA_CHAIN_REQUIRED);
    const struct td_event *alert = fx->cli_alert && fx->cli_alert->b == 48 ? fx->cli_alert : NULL;
    if (!flag && !noca && !code && !alert)
        return;
    int none = noca || code;
    struct td_finding *f = dx_emit(dx, r, dx_refusal_sev(fx), flag || none ? 90 : 70);
    if (!f)
        return;
    ev_verify(dx, f, flag);
    if (noca)
        dx_ev(dx, f, noca, "Mbed TLS: got no CA chain (no trusted CA configured)");
    if (code)
        dx_ev_ret(dx, f, code);
    dx_ev_alert(dx, f, alert);
    dx_ev_final(dx, f);
    char issuer[256];
    const struct td_event *ie = cert_field(fx, "issuer name", issuer, sizeof issuer);
    if (ie)
        dx_ev(dx, f, ie, "the server certificate's issuer: %s", issuer);
    if (none) {
        dx_set(dx, &f->summary, "Your client rejected the server's certificate because it has no "
               "trusted CA configured at all. Fix: load the root CA that issued the server's "
               "certificate with mbedtls_x509_crt_parse() and mbedtls_ssl_conf_ca_chain().");
        dx_set(dx, &f->explanation, "Verification is required (MBEDTLS_SSL_VERIFY_REQUIRED) but the CA "
               "chain given to mbedtls_ssl_conf_ca_chain() is empty, so no certificate can be trusted.");
    } else {
        dx_set(dx, &f->summary, "Your client rejected the server's certificate because it is not "
               "issued by a CA the client trusts%s%s%s. Fix: load the issuing root CA with "
               "mbedtls_x509_crt_parse() and mbedtls_ssl_conf_ca_chain().", ie ? " (issuer: " : "",
               ie ? issuer : "", ie ? ")" : "");
        dx_set(dx, &f->explanation, "Certificate verification failed with MBEDTLS_X509_BADCERT_NOT_TRUSTED: "
               "the chain the server sent does not lead to any CA in the client's trust store, so the "
               "client aborted with alert 48 (unknown_ca). Either the wrong CA file is loaded or the "
               "server does not send its intermediate certificates.");
    }
    dx_set(dx, &f->reason, "%s", flag ? "the verification flags say the issuer is not trusted"
           : none ? "Mbed TLS says no CA chain is configured" : "the client sent unknown_ca (48)");
    optional_note(dx, f);
}

static void validity_evidence(struct dx *dx, struct td_finding *f)
{
    char from[64], to[64];
    const struct td_event *e1 = cert_field(&dx->fx, "issued  on", from, sizeof from);
    const struct td_event *e2 = cert_field(&dx->fx, "expires on", to, sizeof to);
    if (e1 || e2)
        dx_ev(dx, f, e1 ? e1 : e2, "the server certificate is valid from %s to %s",
              e1 ? from : "?", e2 ? to : "?");
}

/* The server refused the client's own certificate as expired: its alert 45 (ssl-opt.sh's "client
 * badcert" with the 2.28.3 test certificates, expired since 2024, reads so at debug level 1). */
static void client_cert_expired(struct dx *dx, const struct dx_rule *r)
{
    static const char fix[] = "Renew the device's client certificate (the one given to "
                              "mbedtls_ssl_conf_own_cert()); if it is valid, the server's clock is wrong.";
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *a = fx->srv_alert;
    if (!a || a->b != TD_ALERT_CERTIFICATE_EXPIRED || fx->cli_alert)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, fx->cert_request ? 85 : 75);
    if (!f)
        return;
    if (fx->cert_request_ev)
        dx_ev(dx, f, fx->cert_request_ev, "the server asked for a client certificate");
    dx_ev_alert(dx, f, a);
    dx_ev_final(dx, f);
    f->fix_mbedtls2 = f->fix_mbedtls3 = fix;
    dx_set(dx, &f->fix, "%s", fix);
    f->server_fix = "Nothing, unless the server's clock is wrong: the client's certificate has expired.";
    dx_set(dx, &f->summary, "The server refused your client certificate as expired (alert 45, "
           "certificate_expired). Fix: renew the device's client certificate, or set the server's clock "
           "if that is what is wrong.");
    dx_set(dx, &f->explanation, "A server that verifies client certificates sends certificate_expired (45) "
           "when the client's certificate is past its notAfter date by the server's clock; the device's "
           "own verification of the server is not involved.");
    dx_set(dx, &f->reason, "the server's fatal alert 45 %s", fx->cert_request ? "after it asked for the "
           "client's certificate" : "(the log does not show the certificate request)");
}

void dx_rule_cert_expired(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *flag = flag_seen(fx, DX_BADCERT_EXPIRED, "validity has expired");
    const struct td_event *alert = fx->cli_alert && fx->cli_alert->b == 45 ? fx->cli_alert : NULL;
    /* The certificate on the wire had expired when the capture was taken; or it had not, but the
     * client's clock is past its notAfter. */
    int past = fx->has_leaf && fx->source_time > 0 && fx->leaf.not_after_t < fx->source_time;
    int64_t clock = 0;
    int ahead = alert && !past && fx->has_leaf && fx->source_time > 0 && client_clock(fx, &clock) &&
                clock > fx->leaf.not_after_t;
    if (!flag && !alert) {
        client_cert_expired(dx, r);
        return;
    }
    struct td_finding *f = dx_emit(dx, r, dx_refusal_sev(fx), flag ? 90 : past || ahead ? 88 : 75);
    if (!f)
        return;
    ev_verify(dx, f, flag);
    dx_ev_alert(dx, f, alert);
    validity_evidence(dx, f);
    leaf_dates(dx, f);
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "Your client rejected the server's certificate as expired. Fix: renew "
           "the server's certificate, or, if the device clock is wrong, set it before connecting.");
    dx_set(dx, &f->explanation, "Certificate verification failed with MBEDTLS_X509_BADCERT_EXPIRED "
           "(flag 0x01): by the client's clock the certificate's notAfter date has passed, and the "
           "client aborted with alert 45 (certificate_expired).");
    if (ahead) {
        char when[64];
        describe_time((uint32_t)clock, when, sizeof when);
        dx_ev(dx, f, fx->time_ev, "the client's clock read %s, after the certificate's notAfter, while "
              "the capture was taken before it", when);
        dx_add(dx, &f->explanation, " Here the certificate was still valid when the capture was taken: "
               "the device clock is ahead (it reads %s). Set it right (SNTP, RTC) rather than renewing "
               "the certificate.", when);
    }
    add_clock_note(dx, f);
    if (ahead)
        dx_set(dx, &f->summary, "Your client rejected the server's certificate as expired, but it was "
               "still valid when the capture was taken: the device clock is ahead. Fix: set the clock "
               "right (SNTP or RTC) before the handshake.");
    dx_set(dx, &f->reason, "%s", flag ? "the verification flags say the certificate has expired"
           : ahead ? "the client sent certificate_expired (45) and its clock is past the certificate's "
                     "notAfter, the capture's time is not"
           : past ? "the client sent certificate_expired (45), and the certificate had expired when the "
                    "capture was taken"
           : "the client sent certificate_expired (45)");
    optional_note(dx, f);
}

/* How a certificate not valid yet shows: the verification flags, or its notBefore after the
 * capture's time or after the client's own clock (with the client's alert 46, or 42 as OpenSSL
 * sends), or, with the certificate out of sight, Mbed TLS's alert 46 alone. */
void dx_rule_cert_not_yet_valid(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *flag = flag_seen(fx, DX_BADCERT_FUTURE, "validity starts in the future");
    const struct td_event *a = refusal_alert(fx);
    int fits = a && (a->b == 46 || a->b == 42);
    int64_t clock = 0;
    int future = fits && fx->has_leaf && fx->source_time > 0 && fx->leaf.not_before_t > fx->source_time;
    int behind = fits && !future && fx->has_leaf && client_clock(fx, &clock) &&
                 clock < fx->leaf.not_before_t;
    int by_alert = !flag && !fx->verify_flags && a && a->b == 46 && !future && !behind &&
                   mbedtls_alerts(fx);
    if (!flag && !future && !behind && !by_alert)
        return;
    /* A SHA-1 signature is the other common reason for 46 (not allowed by the default profile). */
    int sha1 = fx->has_leaf && strstr(fx->leaf.sig_alg, "sha1") != NULL;
    struct td_finding *f = dx_emit(dx, r, dx_refusal_sev(fx), flag ? 90 : future || behind ? 85
                                   : sha1 ? 40 : fx->has_leaf ? 65 : 60);
    if (!f)
        return;
    ev_verify(dx, f, flag);
    if (by_alert)
        alert_meaning(dx, f, a, "certificate verification fails for a reason without an alert of its "
                      "own: a certificate not valid yet (MBEDTLS_X509_BADCERT_FUTURE), a signature hash "
                      "its profile does not allow, or a CRL problem");
    else
        dx_ev_alert(dx, f, a ? a : fx->cli_alert);
    validity_evidence(dx, f);
    leaf_dates(dx, f);
    if (behind) {
        char when[64];
        describe_time((uint32_t)clock, when, sizeof when);
        dx_ev(dx, f, fx->time_ev, "the client's clock read %s, before the certificate's notBefore", when);
    }
    dx_ev_final(dx, f);
    if (future)
        dx_set(dx, &f->summary, "Your client rejected the server's certificate because it is not valid "
               "yet: it starts on %s. Fix: reissue the certificate with a notBefore in the past (or, if "
               "the capture machine's clock is the wrong one, set the device clock before the "
               "handshake).", fx->leaf.not_before);
    else
        dx_set(dx, &f->summary, "Your client rejected the server's certificate as not yet valid, which "
               "usually means the device clock is behind. Fix: set the clock (SNTP or RTC) before the "
               "handshake, or reissue the certificate with a correct notBefore.");
    dx_set(dx, &f->explanation, "%sertificate verification failed with MBEDTLS_X509_BADCERT_FUTURE "
           "(flag 0x200): by the client's clock the certificate's notBefore date is still to come. "
           "Embedded devices that boot at 1970 or 2000 hit this until they learn the time.",
           by_alert ? "Most likely, c" : "C");
    if (by_alert)
        dx_add(dx, &f->explanation, " %s Mbed TLS has its own alerts for an expired certificate "
               "(45), an untrusted issuer (48) and a wrong name (42), and sends 46 (certificate_unknown) "
               "for what is left, most often a date in the future.%s A debug log (level 3) shows the "
               "verification flags.", fx->has_leaf ? "The certificate is valid at the capture's time, "
               "so if the client judged it not valid yet, its clock is behind." : "The certificate "
               "itself is encrypted (TLS 1.3), so only the client's alert tells.", sha1 ? " Here the "
               "certificate is signed with SHA-1, which Mbed TLS's default profile does not accept "
               "(MBEDTLS_X509_BADCERT_BAD_MD): that is as likely." : "");
    add_clock_note(dx, f);
    dx_set(dx, &f->reason, "%s", flag ? "the verification flags say the certificate is not valid yet"
           : future ? "the certificate's notBefore is after the capture's time, and the client refused it"
           : behind ? "the client's clock is before the certificate's notBefore, and the client refused it"
           : "an Mbed TLS client's alert 46 with the certificate out of sight: most likely a date in "
             "the future");
    optional_note(dx, f);
}

/* The name the client asked for is not one the certificate lists. */
static int leaf_misses_name(const struct dx_facts *fx)
{
    return fx->has_leaf && fx->hostname &&
           td_x509_names_host(fx->leaf_der, fx->leaf_der_len, fx->hostname) == 0;
}

/* How a wrong name shows: the verification flags; or the certificate on the wire not naming the
 * host the client asked for (SNI), refused by the client; or, with the certificate out of sight,
 * Mbed TLS's alert 42 alone. */
void dx_rule_hostname_mismatch(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *flag = flag_seen(fx, DX_BADCERT_CN_MISMATCH, "Common Name (CN) does not match");
    const struct td_event *a = refusal_alert(fx);
    /* 45 and 48 name other causes that take precedence in every client's order of checks. */
    int by_leaf = !flag && a && a->b != 45 && a->b != 48 && leaf_misses_name(fx);
    int by_alert = !flag && !by_leaf && !fx->verify_flags && !fx->has_leaf && a && a->b == 42 &&
                   mbedtls_alerts(fx);
    if (!flag && !by_leaf && !by_alert)
        return;
    struct td_finding *f = dx_emit(dx, r, dx_refusal_sev(fx), flag ? 90 : by_leaf ? (a->b == 42 ? 90 : 85) : 60);
    if (!f)
        return;
    ev_verify(dx, f, flag);
    if (fx->hostname)
        dx_ev(dx, f, fx->hostname_ev, "the client expects the name \"%s\"", fx->hostname);
    char subj[256], san[256];
    const struct td_event *se = cert_field(fx, "subject name", subj, sizeof subj);
    const struct td_event *ae = cert_field(fx, "subject alt name", san, sizeof san);
    if (se)
        dx_ev(dx, f, se, "the server certificate's subject: %s", subj);
    if (ae)
        dx_ev(dx, f, ae, "its subject alternative names: %s", san);
    if (!se && !ae && fx->has_leaf)
        dx_ev(dx, f, fx->leaf_ev, "the server's certificate: %s, names: %s", fx->leaf.subject,
              fx->leaf.san[0] ? fx->leaf.san : "none (no subjectAltName)");
    if (by_alert)
        alert_meaning(dx, f, a, "the certificate's names do not match mbedtls_ssl_set_hostname() "
                      "(MBEDTLS_X509_BADCERT_CN_MISMATCH), or when it cannot parse the certificate");
    else
        dx_ev_alert(dx, f, fx->cli_alert);
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "Your client rejected the server's certificate because it is not issued "
           "for the name you connect to%s%s%s. Fix: pass a name the certificate lists to "
           "mbedtls_ssl_set_hostname(), or reissue the certificate with that name in its "
           "subjectAltName.", fx->hostname ? " (\"" : "", fx->hostname ? fx->hostname : "",
           fx->hostname ? "\")" : "");
    dx_set(dx, &f->explanation, "%sertificate verification failed with MBEDTLS_X509_BADCERT_CN_MISMATCH "
           "(flag 0x04): neither the certificate's subjectAltName DNS names nor its CN match the "
           "name given to mbedtls_ssl_set_hostname().", by_alert ? "Most likely, c" : "C");
    if (by_alert)
        dx_add(dx, &f->explanation, " The certificate itself is encrypted (TLS 1.3), so only the "
               "client's alert tells: Mbed TLS sends 42 (bad_certificate) for a wrong name, and also "
               "when it cannot parse the certificate at all (a key type or curve not compiled in). A "
               "debug log (level 3) shows which.");
    dx_set(dx, &f->reason, "%s", flag ? "the verification flags say the name does not match"
           : by_leaf ? "the certificate on the wire does not name the host in the client's SNI, and the "
                       "client refused it"
           : "an Mbed TLS client's alert 42 with the certificate out of sight: most likely a wrong name");
    optional_note(dx, f);
}

void dx_rule_clock_unset(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    if (!dx_clock_unset(fx))
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_WARNING, fx->time_from_random ? 80 : 90);
    if (!f)
        return;
    char when[64];
    describe_time(fx->gmt_time, when, sizeof when);
    if (fx->time_from_random) {
        const uint8_t *p = fx->ch.random.p;
        dx_ev(dx, f, fx->time_ev, "the ClientHello random begins %02x %02x %02x %02x: gmt_unix_time %s",
              p[0], p[1], p[2], p[3], when);
    } else {
        dx_ev(dx, f, fx->time_ev, "the client logs its current time as %u (%s)", fx->gmt_time, when);
    }
    for (size_t i = 0; i < fx->t->n_ev; i++) {
        const struct td_event *e = &fx->t->ev[i];
        if (e != fx->time_ev && e->kind == TD_EV_FACT && e->fact == TD_FACT_CLIENT_TIME) {
            dx_ev(dx, f, e, "the client logs its current time as %lld", (long long)e->code);
            break;
        }
    }
    dx_set(dx, &f->summary, "The device clock is not set (it reads %s). It did not cause this failure, "
           "but certificate verification will fail once the rest works. Fix: set the time (SNTP or an "
           "RTC) before the handshake and provide mbedtls_time()/mbedtls_platform_gmtime_r.", when);
    dx_set(dx, &f->explanation, "Mbed TLS 2.x puts the client's clock (gmt_unix_time) in the first four "
           "bytes of the ClientHello random. %s is not a real current time: the device has no time "
           "source, or MBEDTLS_HAVE_TIME is backed by an uninitialised clock. Certificate validity "
           "checks (MBEDTLS_HAVE_TIME_DATE) use that clock.", fx->gmt_time == 0xffffffffu
           ? "0xffffffff (the year 2106)" : when);
    dx_set(dx, &f->reason, "%s", fx->time_from_random ? "the random's first bytes are 00000000 / ffffffff "
           "or a date before 2016, which a set clock never gives" : "the logged time is before 2016");
}
