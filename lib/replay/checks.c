/* checks.c -- what the device meets after the ServerHello it got in the replay: the chain against
 * its CA file and its clock (OpenSSL X509_STORE), the host name, the Certificate message and
 * record sizes against its input buffer, a CertificateRequest it cannot answer, and whether the
 * key exchange and signature are ones it offered. Findings reuse the diagnosis ids. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include "tlsdoctor/reg.h"
#include "replay/replay_int.h"

static char *dup_str(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* see replay_int.h */
struct td_finding *td_replay_finding_add(struct td_diagnosis *d, const char *id, const char *title,
                                         enum td_severity sev, const char *summary,
                                         const char *explanation, const char *fix)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        struct td_finding *f = realloc(d->f, cap * sizeof *f);
        if (!f)
            return NULL;
        d->f = f;
        d->cap = cap;
    }
    struct td_finding *f = &d->f[d->n];
    memset(f, 0, sizeof *f);
    f->id = id;
    f->title = title;
    f->sev = sev;
    f->confidence = 100;
    f->reason = dup_str("proven by a handshake with the server");
    f->summary = dup_str(summary);
    f->explanation = dup_str(explanation);
    f->fix = dup_str(fix);
    d->n++;
    if (!f->reason || !f->summary || (explanation && !f->explanation) || (fix && !f->fix))
        return NULL;
    return f;
}

static void name_of(const X509_NAME *nm, char *out, size_t n)
{
    out[0] = '\0';
    BIO *b = BIO_new(BIO_s_mem());
    if (!b)
        return;
    X509_NAME_print_ex(b, nm, 0, XN_FLAG_RFC2253);
    int len = BIO_read(b, out, (int)n - 1);
    out[len > 0 ? len : 0] = '\0';
    BIO_free(b);
}

static void time_text(const ASN1_TIME *t, char *out, size_t n)
{
    struct tm tm;
    out[0] = '\0';
    if (t && ASN1_TIME_to_tm(t, &tm) == 1)
        strftime(out, n, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

static void epoch_text(int64_t v, char *out, size_t n)
{
    time_t tt = (time_t)v;
    struct tm tm;
    if (gmtime_r(&tt, &tm))
        strftime(out, n, "%Y-%m-%d %H:%M:%S UTC", &tm);
    else
        snprintf(out, n, "%lld", (long long)v);
}

struct verify_seen {
    int untrusted, expired, notyet;
    char need_issuer[256];
    char bad_cert[256];
    char when[40];
};

static int verify_cb(int ok, X509_STORE_CTX *ctx)
{
    if (ok)
        return 1;
    struct verify_seen *v = X509_STORE_CTX_get_app_data(ctx);
    X509 *cur = X509_STORE_CTX_get_current_cert(ctx);
    switch (X509_STORE_CTX_get_error(ctx)) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        if (!v->untrusted && cur)
            name_of(X509_get_issuer_name(cur), v->need_issuer, sizeof v->need_issuer);
        v->untrusted = 1;
        break;
    case X509_V_ERR_CERT_HAS_EXPIRED:
        if (!v->expired && cur) {
            name_of(X509_get_subject_name(cur), v->bad_cert, sizeof v->bad_cert);
            time_text(X509_get0_notAfter(cur), v->when, sizeof v->when);
        }
        v->expired = 1;
        break;
    case X509_V_ERR_CERT_NOT_YET_VALID:
        if (!v->notyet && cur) {
            name_of(X509_get_subject_name(cur), v->bad_cert, sizeof v->bad_cert);
            time_text(X509_get0_notBefore(cur), v->when, sizeof v->when);
        }
        v->notyet = 1;
        break;
    default:
        break;
    }
    return 1; /* keep going: report every problem */
}

static int chain_checks(const struct td_replay_opts *o, struct td_replay_result *res,
                        const char *host)
{
    const struct td_probe_answer *a = &res->final;
    struct td_diagnosis *d = &res->checks;
    char s[768], when[40];
    if (!a->n_certs) {
        if (a->outcome == TD_PO_SERVER_HELLO && a->version >= TD_VERSION_TLS_1_3 && !a->have_cert_msg)
            td_replay_finding_add(d, "chain-unread", "Chain not read", TD_SEV_INFO,
                                  "The server's TLS 1.3 Certificate could not be read, so the chain was not checked.",
                                  NULL, NULL);
        return 0;
    }
    const uint8_t *p = a->certs[0].der;
    X509 *leaf = d2i_X509(NULL, &p, (long)a->certs[0].len);
    if (!leaf)
        return 0;
    STACK_OF(X509) *rest = sk_X509_new_null();
    for (size_t i = 1; rest && i < a->n_certs; i++) {
        p = a->certs[i].der;
        X509 *x = d2i_X509(NULL, &p, (long)a->certs[i].len);
        if (x && !sk_X509_push(rest, x))
            X509_free(x);
    }
    epoch_text(res->device_time, when, sizeof when);
    if (o->ca_file) {
        X509_STORE *st = X509_STORE_new();
        X509_STORE_CTX *ctx = X509_STORE_CTX_new();
        struct verify_seen v;
        memset(&v, 0, sizeof v);
        if (st && ctx && X509_STORE_load_file(st, o->ca_file) == 1 &&
            X509_STORE_CTX_init(ctx, st, leaf, rest) == 1) {
            X509_STORE_CTX_set_app_data(ctx, &v);
            X509_STORE_CTX_set_verify_cb(ctx, verify_cb);
            X509_STORE_CTX_set_time(ctx, 0, (time_t)res->device_time);
            X509_verify_cert(ctx);
            if (v.untrusted) {
                snprintf(s, sizeof s,
                         "The device's CA file (%s) does not hold the issuer of the server's chain: the device needs the CA certificate \"%s\".",
                         o->ca_file, v.need_issuer);
                td_replay_finding_add(d, "ca-untrusted", "CA not trusted", TD_SEV_ERROR, s,
                                      "Mbed TLS verifies the chain against the CA list given with mbedtls_ssl_conf_ca_chain(); the chain the server sends ends at an issuer that is not in it.",
                                      "add that CA certificate (PEM or DER) to the list passed to mbedtls_x509_crt_parse() / mbedtls_ssl_conf_ca_chain()");
            }
            if (v.expired || v.notyet) {
                snprintf(s, sizeof s, "By the device's clock (%s, from %s) the certificate \"%s\" is %s %s.",
                         when, res->time_source, v.bad_cert, v.expired ? "expired since" : "not valid until",
                         v.when);
                td_replay_finding_add(d, v.expired ? "cert-expired" : "cert-not-yet-valid",
                                      v.expired ? "Certificate expired" : "Certificate not yet valid",
                                      TD_SEV_ERROR, s, NULL,
                                      "set the device's clock (SNTP) before the handshake, or renew the server's certificate");
            }
        } else {
            snprintf(s, sizeof s, "The CA file %s could not be read, so trust was not checked.", o->ca_file);
            td_replay_finding_add(d, "ca-unread", "CA file unreadable", TD_SEV_WARNING, s, NULL, NULL);
        }
        X509_STORE_CTX_free(ctx);
        X509_STORE_free(st);
    } else {
        time_t dev = (time_t)res->device_time;
        int expired = X509_cmp_time(X509_get0_notAfter(leaf), &dev) < 0;
        int notyet = X509_cmp_time(X509_get0_notBefore(leaf), &dev) > 0;
        if (expired || notyet) {
            char subj[256], t2[40];
            name_of(X509_get_subject_name(leaf), subj, sizeof subj);
            time_text(expired ? X509_get0_notAfter(leaf) : X509_get0_notBefore(leaf), t2, sizeof t2);
            snprintf(s, sizeof s, "By the device's clock (%s, from %s) the server's certificate \"%s\" is %s %s.",
                     when, res->time_source, subj, expired ? "expired since" : "not valid until", t2);
            td_replay_finding_add(d, expired ? "cert-expired" : "cert-not-yet-valid",
                                  expired ? "Certificate expired" : "Certificate not yet valid",
                                  TD_SEV_ERROR, s, NULL,
                                  "set the device's clock (SNTP) before the handshake, or renew the server's certificate");
        }
        td_replay_finding_add(d, "trust-unchecked", "Trust not checked", TD_SEV_INFO,
                              "Trust was not checked: give the device's CA file with --ca.", NULL, NULL);
    }
    if (host && host[0]) {
        unsigned char ip[16];
        int is_ip = inet_pton(AF_INET, host, ip) == 1 || inet_pton(AF_INET6, host, ip) == 1;
        int ok = is_ip ? X509_check_ip_asc(leaf, host, 0) == 1
                       : X509_check_host(leaf, host, 0, 0, NULL) == 1;
        if (!ok) {
            char subj[256];
            name_of(X509_get_subject_name(leaf), subj, sizeof subj);
            snprintf(s, sizeof s, "The server's certificate (\"%s\") is not valid for the name \"%s\".", subj, host);
            td_replay_finding_add(d, "hostname-mismatch", "Host name mismatch", TD_SEV_ERROR, s,
                                  "Mbed TLS checks the name given to mbedtls_ssl_set_hostname() against the certificate's subjectAltName (and CN).",
                                  "call mbedtls_ssl_set_hostname() with a name the certificate holds, or get a certificate for this name");
        }
    }
    sk_X509_pop_free(rest, X509_free);
    X509_free(leaf);
    return 0;
}

static void size_checks(const struct td_replay_hello *h, const struct td_replay_opts *o,
                        struct td_replay_result *res)
{
    const struct td_probe_answer *a = &res->final;
    const struct td_replay_ext *mfl = td_replay_hello_ext(h, TD_EXT_MAX_FRAGMENT_LENGTH);
    size_t mfl_len = mfl && mfl->len == 1 && mfl->body[0] >= 1 && mfl->body[0] <= 4
                         ? (size_t)256 << mfl->body[0] : 0;
    if (o->in_buf) {
        res->in_buf = o->in_buf;
        res->in_buf_source = "--in-buf";
    } else if (mfl_len) {
        res->in_buf = mfl_len;
        res->in_buf_source = "the max_fragment_length the device asked for";
    } else {
        res->in_buf = 16384;
        res->in_buf_source = "the Mbed TLS default MBEDTLS_SSL_IN_CONTENT_LEN";
    }
    size_t cert = a->have_cert_msg ? a->cert_msg_len + 4 : 0;
    int echoed = td_probe_answer_has_ext(a, TD_EXT_MAX_FRAGMENT_LENGTH);
    char s[600];
    if (mfl_len && !echoed) {
        snprintf(s, sizeof s,
                 "The server ignored max_fragment_length=%zu: its records may be up to 16384 bytes (the largest here was %zu).",
                 mfl_len, a->max_record);
        td_replay_finding_add(&res->checks, "mfl-ignored", "max_fragment_length ignored",
                              a->max_record > mfl_len ? TD_SEV_WARNING : TD_SEV_INFO, s,
                              "Many servers (Go, nginx, OpenSSL before 1.1.1 without configuration) do not implement max_fragment_length; a device that relies on it for a small input buffer fails on the first full-size record.",
                              "size MBEDTLS_SSL_IN_CONTENT_LEN for the server's largest record, or use a server that honours the extension (or record_size_limit)");
    }
    if (a->max_record > res->in_buf || cert > res->in_buf) {
        snprintf(s, sizeof s,
                 "The server's Certificate message is %zu bytes and its largest record %zu bytes; the device's input buffer holds %zu (%s)%s.",
                 cert, a->max_record, res->in_buf, res->in_buf_source,
                 mfl_len && !echoed ? ", and the server ignored max_fragment_length" : "");
        td_replay_finding_add(&res->checks, "record-too-large", "Record too large",
                              o->in_buf ? TD_SEV_ERROR : TD_SEV_WARNING, s,
                              "Mbed TLS needs each record, and each handshake message, to fit its input buffer (MBEDTLS_SSL_IN_CONTENT_LEN); a larger one fails the handshake.",
                              "raise MBEDTLS_SSL_IN_CONTENT_LEN above the size shown, or have the server send a shorter chain (leave out the root, use ECDSA certificates)");
    }
}

/* 1 if the log shows the device sent an empty Certificate (or said it had none to send). */
static int device_sent_no_cert(const struct td_transcript *t)
{
    for (size_t i = 0; t && i < t->n_ev; i++) {
        const struct td_event *e = &t->ev[i];
        if (e->kind == TD_EV_RECORD && e->from == TD_ACTOR_CLIENT && e->data && e->len >= 12 &&
            e->data[0] == 22 && e->data[5] == 11 && !(e->flags & TD_EVF_DECRYPTED))
            return e->data[9] == 0 && e->data[10] == 0 && e->data[11] == 0;
        if ((e->kind == TD_EV_MESSAGE || e->kind == TD_EV_STEP) && e->text &&
            (strstr(e->text, "no certificate to send") || strstr(e->text, "got no certificate")))
            return 1;
    }
    return 0;
}

static void client_cert_check(const struct td_transcript *t, struct td_replay_result *res)
{
    if (!res->final.cert_request)
        return;
    int none = device_sent_no_cert(t);
    td_replay_finding_add(&res->checks, "client-cert-required", "Client certificate required",
                          none ? TD_SEV_ERROR : TD_SEV_WARNING,
                          none ? "The server asks for a client certificate (CertificateRequest) and the device's log shows it sends none."
                               : "The server asks for a client certificate (CertificateRequest); the handshake fails unless the device has one configured.",
                          "A server that requires client authentication ends the handshake when the client's Certificate message is empty.",
                          "give the device a certificate and key the server accepts: mbedtls_ssl_conf_own_cert(&conf, &crt, &key)");
}

static void negotiated(const struct td_replay_hello *h, struct td_replay_result *res)
{
    const struct td_probe_answer *a = &res->final;
    char s[400];
    const char *v = td_reg_version_name(a->version);
    const char *su = td_reg_suite_name(a->suite);
    const char *g = a->group ? td_reg_group_name(a->group) : NULL;
    uint16_t sig = a->ske_sigalg ? a->ske_sigalg : a->cv_sigalg;
    const char *sg = sig ? td_reg_sigalg_name(sig) : NULL;
    snprintf(s, sizeof s, "The server negotiates %s with %s%s%s%s%s.", v ? v : "?", su ? su : "?",
             g ? ", group " : "", g ? g : "", sg ? ", signature " : "", sg ? sg : "");
    td_replay_finding_add(&res->checks, "negotiated", "Negotiated", TD_SEV_INFO, s, NULL, NULL);
    uint16_t list[TD_REPLAY_MAX_SUITES];
    size_t n = td_replay_ext_list(h, TD_EXT_SIGNATURE_ALGORITHMS, list, TD_REPLAY_MAX_SUITES);
    int offered = !n || !a->ske_sigalg;
    for (size_t i = 0; i < n && !offered; i++)
        offered = list[i] == a->ske_sigalg;
    if (!offered) {
        snprintf(s, sizeof s, "The server signs its key exchange with %s, which the ClientHello did not offer.",
                 sg ? sg : "an algorithm");
        td_replay_finding_add(&res->checks, "no-common-sigalg", "Signature algorithm not offered",
                              TD_SEV_ERROR, s, NULL, NULL);
    }
    n = td_replay_ext_list(h, TD_EXT_SUPPORTED_GROUPS, list, TD_REPLAY_MAX_SUITES);
    offered = !n || !a->group || a->version >= TD_VERSION_TLS_1_3;
    for (size_t i = 0; i < n && !offered; i++)
        offered = list[i] == a->group;
    if (!offered) {
        snprintf(s, sizeof s, "The server's key exchange uses the group %s, which the ClientHello did not offer.",
                 g ? g : "?");
        td_replay_finding_add(&res->checks, "no-common-group", "Group not offered", TD_SEV_ERROR, s,
                              NULL, NULL);
    }
}

static int64_t hello_time(const struct td_replay_hello *h)
{
    return (int64_t)((uint32_t)h->random[0] << 24 | (uint32_t)h->random[1] << 16 |
                     (uint32_t)h->random[2] << 8 | h->random[3]);
}

static void rank(struct td_diagnosis *d)
{
    for (size_t i = 1; i < d->n; i++)
        for (size_t j = i; j > 0 && d->f[j].sev > d->f[j - 1].sev; j--) {
            struct td_finding tmp = d->f[j];
            d->f[j] = d->f[j - 1];
            d->f[j - 1] = tmp;
        }
}

static const char *host_name(const struct td_replay_hello *h, const struct td_replay_opts *o,
                             char *buf, size_t n)
{
    const struct td_replay_ext *sni = td_replay_hello_ext(h, TD_EXT_SERVER_NAME);
    if (sni && sni->len > 5 && sni->body[2] == 0) {
        size_t l = (size_t)sni->body[3] << 8 | sni->body[4];
        if (l + 5 <= sni->len && l < n) {
            memcpy(buf, sni->body + 5, l);
            buf[l] = '\0';
            return buf;
        }
    }
    return o->sni;
}

/* see replay_int.h */
enum td_err td_replay_checks(const struct td_replay_hello *h, const struct td_transcript *t,
                             const struct td_replay_opts *o, struct td_replay_result *res)
{
    int64_t ht = hello_time(h);
    uint16_t vers[8];
    size_t nv = td_replay_ext_list(h, TD_EXT_SUPPORTED_VERSIONS, vers, 8);
    for (size_t i = 0; i < nv; i++)
        if (vers[i] == TD_VERSION_TLS_1_3)
            ht = 0; /* a TLS 1.3 ClientHello's random is all random: no clock in it */
    if (o->has_time) {
        res->device_time = o->device_time;
        res->time_source = "--time";
    } else if (ht > 1420070400 && ht < o->now + (int64_t)366 * 86400) {
        res->device_time = ht;
        res->time_source = "the ClientHello's gmt_unix_time";
    } else {
        res->device_time = o->now;
        res->time_source = "now (the ClientHello's gmt_unix_time is not a plausible date)";
    }
    res->checks.handshake = TD_HS_UNKNOWN;
    res->checks.mbedtls_major = res->mbedtls_major;
    client_cert_check(t, res);
    char name[256];
    /* the name the device verifies: the one in its (fixed) ClientHello */
    const char *host = host_name(h, o, name, sizeof name);
    for (size_t i = 0; i < res->n_fix; i++)
        if (res->fix[i].kind == TD_RC_SNI)
            host = res->fix[i].name;
    chain_checks(o, res, host);
    size_checks(h, o, res);
    negotiated(h, res);
    rank(&res->checks);
    for (size_t i = 0; i < res->checks.n; i++)
        if (!res->checks.f[i].summary)
            return TD_ERR_NOMEM;
    return TD_OK;
}
