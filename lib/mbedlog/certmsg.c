/* certmsg.c -- the messages Mbed TLS prints when it refuses a peer's key exchange parameters or a
 * certificate for what they are, and the usage a printed certificate lists.
 *
 * The messages are rows of the catalogue (msgcat.c, generated from the sources): a line is one of
 * them when the recogniser names its row and the row's pattern is in the table below
 * (test_mbedlog checks that each still is a row). Sources, 2.28.3 (Debian's `apt-get source
 * mbedtls`) and 3.6: ssl_cli.c / ssl_tls12_client.c ssl_parse_server_dh_params() ("DHM prime too
 * short"), ssl_tls.c mbedtls_ssl_parse_certificate() / ssl_tls13_generic.c ("bad certificate
 * (usage extensions)", after mbedtls_ssl_check_cert_usage()), ssl_srv.c / ssl_tls12_server.c
 * ssl_pick_cert() ("certificate mismatch: (extended) key usage extension"); ssl_tls.c
 * mbedtls_ssl_parse_certificate() after mbedtls_ssl_check_curve() ("bad certificate (EC key curve)"). The certificate
 * labels and names are x509_crt.c's x509_info_key_usage() and mbedtls_x509_crt_info(), and the
 * extendedKeyUsage descriptions oid.c's oid_ext_key_usage[]; 2.x has no description for
 * anyExtendedKeyUsage and prints "???". */
#include <string.h>
#include "certmsg.h"
#include "mbedlog_int.h"
#include "recog.h"
#include "tlsdoctor/transcript.h"

static const struct {
    const char *pat;
    enum ml_certmsg kind;
} msgs[] = {
    {"DHM prime too short: %d < %d", ML_CM_DHM_SHORT},
    {"DHM prime too short: %u < %u", ML_CM_DHM_SHORT},
    {"DHM prime too short: %zu < %u", ML_CM_DHM_SHORT},
    {"bad certificate (usage extensions)", ML_CM_USAGE_PEER},
    {"bad certificate ( usage extensions )", ML_CM_USAGE_PEER},
    {"certificate mismatch: (extended) key usage extension", ML_CM_USAGE_OWN},
    {"bad certificate (EC key curve)", ML_CM_CURVE},
    {"bad certificate ( EC key curve )", ML_CM_CURVE},
};

const char *const ml_certmsg_patterns[] = {
    "DHM prime too short: %d < %d", "DHM prime too short: %u < %u", "DHM prime too short: %zu < %u",
    "bad certificate (usage extensions)", "bad certificate ( usage extensions )",
    "certificate mismatch: (extended) key usage extension", "bad certificate (EC key curve)",
    "bad certificate ( EC key curve )", NULL,
};

enum ml_certmsg ml_certmsg_of(const char *t, int64_t *a, int64_t *b)
{
    *a = *b = 0;
    if (t[0] != 'D' && t[0] != 'b' && t[0] != 'c')   /* the rows' first letters: most lines stop here */
        return ML_CM_NONE;
    const struct ml_msg *m = ml_recog_at(t, strlen(t), 0);
    if (!m)
        return ML_CM_NONE;
    for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
        if (strcmp(m->pat, msgs[i].pat) != 0)
            continue;
        if (msgs[i].kind == ML_CM_DHM_SHORT) {
            const char *p = t + m->lit;   /* the first hole: "%zu < %u" */
            if (!ml_parse_num(&p, 0, a))
                return ML_CM_NONE;
            while (*p == ' ' || *p == '<')
                p++;
            if (!ml_parse_num(&p, 0, b))
                return ML_CM_NONE;
        }
        return msgs[i].kind;
    }
    return ML_CM_NONE;
}

/* x509_info_key_usage()'s names and their MBEDTLS_X509_KU_* bits (x509.h). */
struct usage_name {
    const char *name;
    int bit;
};

static const struct usage_name ku_names[] = {
    {"Digital Signature", 0x80}, {"Non Repudiation", 0x40}, {"Key Encipherment", 0x20},
    {"Data Encipherment", 0x10}, {"Key Agreement", 0x08}, {"Key Cert Sign", 0x04},
    {"CRL Sign", 0x02}, {"Encipher Only", 0x01}, {"Decipher Only", 0x8000},
};

/* oid.c's extendedKeyUsage descriptions. */
static const struct usage_name eku_names[] = {
    {"TLS Web Server Authentication", TD_EKU_SERVER_AUTH}, {"TLS Web Client Authentication", TD_EKU_CLIENT_AUTH},
    {"Any Extended Key Usage", TD_EKU_ANY}, {"???", TD_EKU_UNNAMED},
};

/* The value after "label :" on the line of text that starts with the label (after blanks), as a
 * pointer and a length, or NULL. */
static const char *field(const char *text, const char *label, size_t *n)
{
    size_t ll = strlen(label);
    for (const char *line = text; line && *line;) {
        const char *s = line;
        while (*s == ' ')
            s++;
        const char *end = strchr(s, '\n');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        if (len > ll && !strncmp(s, label, ll) && (s[ll] == ' ' || s[ll] == ':')) {
            const char *c = memchr(s, ':', len);
            if (c) {
                c++;
                while (*c == ' ')
                    c++;
                const char *e = s + len;
                while (e > c && (e[-1] == ' ' || e[-1] == '\r'))
                    e--;
                *n = (size_t)(e - c);
                return c;
            }
        }
        line = end ? end + 1 : NULL;
    }
    return NULL;
}

/* The bits of the names in the ", "-separated list v[0..n); `other` for an item not in the table. */
static int list_bits(const char *v, size_t n, const struct usage_name *names, size_t nn, int other)
{
    int bits = 0;
    for (const char *p = v, *end = v + n; p < end;) {
        const char *c = memchr(p, ',', (size_t)(end - p));
        size_t len = c ? (size_t)(c - p) : (size_t)(end - p);
        int hit = 0;
        for (size_t i = 0; i < nn && !hit; i++)
            if (strlen(names[i].name) == len && !strncmp(p, names[i].name, len)) {
                bits |= names[i].bit;
                hit = 1;
            }
        if (!hit)
            bits |= other;
        p += len;
        while (p < end && (*p == ',' || *p == ' '))
            p++;
    }
    return bits;
}

int ml_cert_usage(const char *text, int *ku, int *eku)
{
    size_t n = 0;
    const char *v = field(text, "key usage", &n);
    *ku = v ? list_bits(v, n, ku_names, sizeof ku_names / sizeof ku_names[0], 0) : -1;
    v = field(text, "ext key usage", &n);
    *eku = v ? list_bits(v, n, eku_names, sizeof eku_names / sizeof eku_names[0], TD_EKU_OTHER) : -1;
    return *ku >= 0 || *eku >= 0;
}
