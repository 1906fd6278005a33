/* chain.c -- the certificate chain as the probe received it: each certificate's facts, order,
 * completeness and verification (OpenSSL X509_STORE against a CA file or the system store), and
 * whether the leaf matches the name sent. */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/evp.h>
#include "tlsdoctor/probe.h"

struct cert_facts {
    char subject[256];
    char issuer[256];
    char key[48];
    char sig[64];
    char not_after[32];
    char sha256[65];
};

struct chain_facts {
    size_t n;
    struct cert_facts c[TD_PROBE_MAX_CERTS];
    int order_ok;          /* each certificate is issued by the next */
    int verified;
    char verify_err[160];
    int name_checked, name_ok;
};

static void name_line(const X509_NAME *nm, char *out, size_t n)
{
    BIO *b = BIO_new(BIO_s_mem());
    out[0] = '\0';
    if (!b)
        return;
    X509_NAME_print_ex(b, nm, 0, XN_FLAG_RFC2253);
    int len = BIO_read(b, out, (int)n - 1);
    out[len > 0 ? len : 0] = '\0';
    BIO_free(b);
}

static void facts_of(X509 *x, const uint8_t *der, size_t len, struct cert_facts *f)
{
    memset(f, 0, sizeof *f);
    name_line(X509_get_subject_name(x), f->subject, sizeof f->subject);
    name_line(X509_get_issuer_name(x), f->issuer, sizeof f->issuer);
    EVP_PKEY *k = X509_get0_pubkey(x);
    if (k)
        snprintf(f->key, sizeof f->key, "%s %d", EVP_PKEY_get0_type_name(k), EVP_PKEY_get_bits(k));
    int nid = X509_get_signature_nid(x);
    snprintf(f->sig, sizeof f->sig, "%s", nid != NID_undef ? OBJ_nid2ln(nid) : "unknown");
    const ASN1_TIME *na = X509_get0_notAfter(x);
    struct tm tm;
    if (na && ASN1_TIME_to_tm(na, &tm) == 1)
        strftime(f->not_after, sizeof f->not_after, "%Y-%m-%dT%H:%M:%SZ", &tm);
    uint8_t md[32];
    unsigned mdn = 0;
    if (EVP_Digest(der, len, md, &mdn, EVP_sha256(), NULL) == 1)
        for (unsigned i = 0; i < mdn && i < 32; i++)
            snprintf(f->sha256 + (size_t)2 * i, 3, "%02x", md[i]);
}

static int is_ip(const char *s)
{
    unsigned char b[16];
    return inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1;
}

static void verify(X509 *leaf, STACK_OF(X509) *rest, const char *ca_file, const char *name,
                   struct chain_facts *cf)
{
    X509_STORE *st = X509_STORE_new();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    int loaded = st && (ca_file ? X509_STORE_load_file(st, ca_file) == 1
                                : X509_STORE_set_default_paths(st) == 1);
    if (!loaded) {
        snprintf(cf->verify_err, sizeof cf->verify_err, "the CA file could not be loaded");
    } else if (ctx && X509_STORE_CTX_init(ctx, st, leaf, rest) == 1) {
        cf->verified = X509_verify_cert(ctx) == 1;
        if (!cf->verified)
            snprintf(cf->verify_err, sizeof cf->verify_err, "%s",
                     X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
    }
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(st);
    if (name && name[0]) {
        cf->name_checked = 1;
        cf->name_ok = is_ip(name) ? X509_check_ip_asc(leaf, name, 0) == 1
                                  : X509_check_host(leaf, name, 0, 0, NULL) == 1;
    }
}

static int chain_facts_of(const struct td_probe_answer *a, const char *name, const char *ca_file,
                          struct chain_facts *cf)
{
    memset(cf, 0, sizeof *cf);
    X509 *xs[TD_PROBE_MAX_CERTS] = {0};
    STACK_OF(X509) *rest = sk_X509_new_null();
    size_t n = 0;
    for (size_t i = 0; i < a->n_certs; i++) {
        const unsigned char *p = a->certs[i].der;
        X509 *x = d2i_X509(NULL, &p, (long)a->certs[i].len);
        if (!x)
            break;
        xs[n] = x;
        facts_of(x, a->certs[i].der, a->certs[i].len, &cf->c[n]);
        if (n > 0 && rest)
            sk_X509_push(rest, x);
        n++;
    }
    cf->n = n;
    cf->order_ok = n > 0;
    for (size_t i = 0; i + 1 < n; i++)
        if (X509_check_issued(xs[i + 1], xs[i]) != X509_V_OK)
            cf->order_ok = 0;
    if (n)
        verify(xs[0], rest, ca_file, name, cf);
    sk_X509_free(rest);
    for (size_t i = 0; i < n; i++)
        X509_free(xs[i]);
    return n > 0;
}

/* see probe.h */
enum td_err td_probe_chain_text(const struct td_probe_answer *a, const char *name,
                                const char *ca_file, struct td_buf *out)
{
    struct chain_facts cf;
    if (!chain_facts_of(a, name, ca_file, &cf)) {
        td_buf_puts(out, "  no certificate could be read\n");
        return out->err;
    }
    td_buf_printf(out, "  %zu certificate%s, Certificate message %zu bytes, largest record %zu bytes%s\n",
                  a->n_certs_total, a->n_certs_total == 1 ? "" : "s", a->cert_msg_len,
                  a->max_record, a->ocsp_stapled ? ", OCSP response stapled" : "");
    for (size_t i = 0; i < cf.n; i++)
        td_buf_printf(out, "  %zu: %s\n     issuer %s; %s key, %s, valid until %s, %zu bytes\n", i,
                      cf.c[i].subject, cf.c[i].issuer, cf.c[i].key, cf.c[i].sig,
                      cf.c[i].not_after, a->certs[i].len);
    td_buf_printf(out, "  order: %s\n", cf.order_ok ? "each certificate is issued by the next"
                                                   : "NOT in issuing order");
    td_buf_printf(out, "  verification against %s: %s%s\n", ca_file ? ca_file : "the system store",
                  cf.verified ? "ok" : "FAILED: ", cf.verified ? "" : cf.verify_err);
    if (cf.name_checked)
        td_buf_printf(out, "  name \"%s\": %s\n", name, cf.name_ok ? "matches" : "does NOT match");
    return out->err;
}

/* see probe.h */
enum td_err td_probe_chain_json(const struct td_probe_answer *a, const char *name,
                                const char *ca_file, void *obj)
{
    cJSON *o = obj;
    struct chain_facts cf;
    int ok = chain_facts_of(a, name, ca_file, &cf);
    cJSON_AddBoolToObject(o, "read", ok);
    cJSON_AddBoolToObject(o, "encrypted", a->cert_encrypted);
    cJSON_AddNumberToObject(o, "certificate_message_bytes", (double)a->cert_msg_len);
    cJSON_AddNumberToObject(o, "largest_record_bytes", (double)a->max_record);
    cJSON_AddNumberToObject(o, "count", (double)a->n_certs_total);
    cJSON_AddBoolToObject(o, "ocsp_stapled", a->ocsp_stapled);
    cJSON *arr = cJSON_AddArrayToObject(o, "certificates");
    for (size_t i = 0; ok && i < cf.n; i++) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "subject", cf.c[i].subject);
        cJSON_AddStringToObject(c, "issuer", cf.c[i].issuer);
        cJSON_AddStringToObject(c, "key", cf.c[i].key);
        cJSON_AddStringToObject(c, "signature", cf.c[i].sig);
        cJSON_AddStringToObject(c, "not_after", cf.c[i].not_after);
        cJSON_AddStringToObject(c, "sha256", cf.c[i].sha256);
        cJSON_AddNumberToObject(c, "der_bytes", (double)a->certs[i].len);
        cJSON_AddItemToArray(arr, c);
    }
    if (!ok)
        return TD_OK;
    cJSON_AddBoolToObject(o, "in_order", cf.order_ok);
    cJSON_AddBoolToObject(o, "verified", cf.verified);
    cJSON_AddStringToObject(o, "verified_against", ca_file ? ca_file : "system store");
    if (!cf.verified)
        cJSON_AddStringToObject(o, "verify_error", cf.verify_err);
    if (cf.name_checked) {
        cJSON_AddStringToObject(o, "name", name);
        cJSON_AddBoolToObject(o, "name_matches", cf.name_ok);
    }
    return TD_OK;
}
