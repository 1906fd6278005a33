/* vocab.c -- the words Mbed TLS prints, as tables: certificate verification messages and their
 * MBEDTLS_X509_BADCERT_* flags, extension names as its debug lines spell them, group names. */
#include <string.h>
#include "vocab.h"

/* mbedtls_x509_crt_verify_info() strings (x509_crt.c) with their flag bits (x509.h). */
static const struct ml_verify_msg verify_msgs[] = {
    {0x01, "The certificate validity has expired"},
    {0x02, "The certificate has been revoked (is on a CRL)"},
    {0x04, "The certificate Common Name (CN) does not match with the expected CN"},
    {0x08, "The certificate is not correctly signed by the trusted CA"},
    {0x10, "The CRL is not correctly signed by the trusted CA"},
    {0x20, "The CRL is expired"},
    {0x40, "Certificate was missing"},
    {0x80, "Certificate verification was skipped"},
    {0x100, "Other reason (can be used by verify callback)"},
    {0x200, "The certificate validity starts in the future"},
    {0x400, "The CRL is from the future"},
    {0x800, "Usage does not match the keyUsage extension"},
    {0x1000, "Usage does not match the extendedKeyUsage extension"},
    {0x2000, "Usage does not match the nsCertType extension"},
    {0x4000, "The certificate is signed with an unacceptable hash"},
    {0x8000, "The certificate is signed with an unacceptable PK alg"},
    {0x10000, "The certificate is signed with an unacceptable key"},
    {0x20000, "The CRL is signed with an unacceptable hash"},
    {0x40000, "The CRL is signed with an unacceptable PK alg"},
    {0x80000, "The CRL is signed with an unacceptable key"},
    {0, NULL}
};

#define VERIFY_TOLERANT_MAX 512

/* Does text hold msg with blanks ignored on both sides ("Common Nam e (CN)": a paste or a wrap
 * broke a word)? */
static int holds_unspaced(const char *text, const char *msg)
{
    for (const char *start = text; *start; start++) {
        if (*start != *msg)
            continue;
        const char *a = start, *b = msg;
        while (*a && *b) {
            if (*a == ' ') {
                a++;
                continue;
            }
            if (*b == ' ') {
                b++;
                continue;
            }
            if (*a != *b)
                break;
            a++;
            b++;
        }
        while (*b == ' ')
            b++;
        if (!*b)
            return 1;
    }
    return 0;
}

const struct ml_verify_msg *ml_verify_find(const char *text)
{
    if (!strstr(text, "ertificate") && !strstr(text, "CRL") && !strstr(text, "Usage"))
        return NULL;
    for (const struct ml_verify_msg *m = verify_msgs; m->text; m++)
        if (strstr(text, m->text))
            return m;
    if (strlen(text) > VERIFY_TOLERANT_MAX)
        return NULL;   /* the tolerant pass is quadratic: only for lines of a verify message's size */
    for (const struct ml_verify_msg *m = verify_msgs; m->text; m++)
        if (holds_unspaced(text, m->text))
            return m;
    return NULL;
}

/* Extension names in "adding X extension" / "X(N) extension exists" lines, to their numbers. */
static const struct {
    const char *name;
    int id;
} ext_names[] = {
    {"server_name", 0}, {"server name", 0}, {"hostname", 0},
    {"max_fragment_length", 1}, {"truncated_hmac", 4}, {"status_request", 5},
    {"supported_elliptic_curves", 10}, {"supported_groups", 10}, {"elliptic_curves", 10},
    {"supported_point_formats", 11}, {"signature_algorithms", 13}, {"use_srtp", 14},
    {"alpn", 16}, {"application_layer_protocol_negotiation", 16}, {"padding", 21},
    {"encrypt_then_mac", 22}, {"extended_master_secret", 23}, {"record_size_limit", 28},
    {"session ticket", 35}, {"session_ticket", 35}, {"pre_shared_key", 41}, {"early_data", 42},
    {"supported versions", 43}, {"supported_versions", 43}, {"cookie", 44},
    {"psk_key_exchange_modes", 45}, {"post_handshake_auth", 49}, {"signature_algorithms_cert", 50},
    {"key share", 51}, {"key_share", 51}, {"CID", 54}, {"connection id", 54},
    {"renegotiation", 0xff01}, {"renegotiation_info", 0xff01}, {"ecjpake_kkpp", 256},
    {NULL, 0}
};

int ml_ext_id(const char *name, size_t n)
{
    for (size_t i = 0; ext_names[i].name; i++)
        if (strlen(ext_names[i].name) == n && !strncmp(ext_names[i].name, name, n))
            return ext_names[i].id;
    return -1;
}

static const struct {
    const char *name;
    int id;
} group_names[] = {
    {"secp192r1", 19}, {"secp224r1", 21}, {"secp256r1", 23}, {"secp384r1", 24}, {"secp521r1", 25},
    {"x25519", 29}, {"x448", 30}, {"bp256r1", 26}, {"bp384r1", 27}, {"bp512r1", 28},
    {"brainpoolP256r1", 26}, {"brainpoolP384r1", 27}, {"brainpoolP512r1", 28},
    {"secp192k1", 18}, {"secp224k1", 20}, {"secp256k1", 22},
    {"ffdhe2048", 256}, {"ffdhe3072", 257}, {"ffdhe4096", 258}, {"ffdhe6144", 259}, {"ffdhe8192", 260},
    {NULL, 0}
};

int ml_group_id(const char *name)
{
    for (size_t i = 0; group_names[i].name; i++)
        if (!strcmp(group_names[i].name, name))
            return group_names[i].id;
    return -1;
}
