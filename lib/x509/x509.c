/* x509.c -- certificate summaries via OpenSSL (see include/tlsdoctor/x509.h). */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include "tlsdoctor/x509.h"

static void name_line(const X509_NAME *name, char *out, size_t cap)
{
    out[0] = '\0';
    BIO *b = BIO_new(BIO_s_mem());
    if (!b)
        return;
    if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        int n = BIO_read(b, out, (int)(cap - 1));
        out[n > 0 ? n : 0] = '\0';
    }
    BIO_free(b);
}

static void time_of(const ASN1_TIME *t, char *out, size_t cap, int64_t *secs)
{
    struct tm tm;
    out[0] = '\0';
    *secs = 0;
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
        return;
    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
    /* days/seconds from the epoch, without timegm() */
    ASN1_TIME *epoch = ASN1_TIME_set(NULL, 0);
    int days = 0, sec = 0;
    if (epoch && ASN1_TIME_diff(&days, &sec, epoch, t))
        *secs = (int64_t)days * 86400 + sec;
    ASN1_TIME_free(epoch);
}

static void append(char *out, size_t cap, const char *s)
{
    size_t have = strlen(out);
    if (have + 1 >= cap)
        return;
    snprintf(out + have, cap - have, "%s", s);
}

static void sans(X509 *x, struct td_x509_summary *out)
{
    GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    if (!gens)
        return;
    for (int i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
        char item[300];
        item[0] = '\0';
        if (g->type == GEN_DNS || g->type == GEN_EMAIL || g->type == GEN_URI) {
            const ASN1_IA5STRING *s = g->d.ia5;
            const char *kind = g->type == GEN_DNS ? "DNS" : g->type == GEN_EMAIL ? "email" : "URI";
            snprintf(item, sizeof item, "%s:%.*s", kind, s->length > 255 ? 255 : s->length,
                     (const char *)s->data);
        } else if (g->type == GEN_IPADD && g->d.ip->length == 4) {
            const unsigned char *a = g->d.ip->data;
            snprintf(item, sizeof item, "IP:%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
        } else if (g->type == GEN_IPADD) {
            snprintf(item, sizeof item, "IP:(%d bytes)", g->d.ip->length);
        } else {
            snprintf(item, sizeof item, "other:%d", g->type);
        }
        if (out->n_san)
            append(out->san, sizeof out->san, ", ");
        append(out->san, sizeof out->san, item);
        out->n_san++;
    }
    GENERAL_NAMES_free(gens);
}

static void key_of(X509 *x, struct td_x509_summary *out)
{
    snprintf(out->key_type, sizeof out->key_type, "unknown");
    EVP_PKEY *k = X509_get0_pubkey(x);
    if (!k)
        return;
    out->key_bits = EVP_PKEY_get_bits(k);
    switch (EVP_PKEY_get_base_id(k)) {
    case EVP_PKEY_RSA: case EVP_PKEY_RSA_PSS: snprintf(out->key_type, sizeof out->key_type, "RSA"); break;
    case EVP_PKEY_EC: snprintf(out->key_type, sizeof out->key_type, "EC"); break;
    case EVP_PKEY_ED25519: snprintf(out->key_type, sizeof out->key_type, "ED25519"); break;
    case EVP_PKEY_ED448: snprintf(out->key_type, sizeof out->key_type, "ED448"); break;
    case EVP_PKEY_DSA: snprintf(out->key_type, sizeof out->key_type, "DSA"); break;
    case EVP_PKEY_DH: snprintf(out->key_type, sizeof out->key_type, "DH"); break;
    default: break;
    }
    size_t n = 0;
    if (EVP_PKEY_get_base_id(k) == EVP_PKEY_EC &&
        EVP_PKEY_get_utf8_string_param(k, "group", out->key_curve, sizeof out->key_curve, &n) != 1)
        out->key_curve[0] = '\0';
}

enum td_err td_x509_summarise(const uint8_t *der, size_t len, struct td_x509_summary *out)
{
    memset(out, 0, sizeof *out);
    if (!der || len == 0 || len > INT_MAX)
        return TD_ERR_BAD_VALUE;
    const unsigned char *p = der;
    X509 *x = d2i_X509(NULL, &p, (long)len);
    if (!x)
        return TD_ERR_BAD_VALUE;
    out->der_len = (size_t)(p - der);
    name_line(X509_get_subject_name(x), out->subject, sizeof out->subject);
    name_line(X509_get_issuer_name(x), out->issuer, sizeof out->issuer);
    out->self_issued = X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0;
    time_of(X509_get0_notBefore(x), out->not_before, sizeof out->not_before, &out->not_before_t);
    time_of(X509_get0_notAfter(x), out->not_after, sizeof out->not_after, &out->not_after_t);
    sans(x, out);
    key_of(x, out);
    int nid = X509_get_signature_nid(x);
    snprintf(out->sig_alg, sizeof out->sig_alg, "%s", nid != NID_undef ? OBJ_nid2ln(nid) : "unknown");
    out->is_ca = X509_check_ca(x) != 0 && (X509_get_extension_flags(x) & EXFLAG_CA) != 0;
    X509_free(x);
    return out->der_len == len ? TD_OK : TD_ERR_TRAILING;
}

int td_x509_names_host(const uint8_t *der, size_t len, const char *host)
{
    if (!der || !host || !host[0] || len > LONG_MAX)
        return -1;
    const unsigned char *p = der;
    X509 *x = d2i_X509(NULL, &p, (long)len);
    if (!x)
        return -1;
    int ok;
    ASN1_OCTET_STRING *ip = a2i_IPADDRESS(host);
    if (ip) {
        ok = X509_check_ip(x, ASN1_STRING_get0_data(ip), (size_t)ASN1_STRING_length(ip), 0);
        ASN1_OCTET_STRING_free(ip);
    } else {
        ok = X509_check_host(x, host, 0, 0, NULL);
    }
    X509_free(x);
    return ok == 1 ? 1 : ok == 0 ? 0 : -1;
}
