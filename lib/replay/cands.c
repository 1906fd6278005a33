/* cands.c -- the candidate changes to a ClientHello: which apply to a given hello, how each is
 * applied (with what Mbed TLS brings along with it), and the fix each means in Mbed TLS terms. */
#include <stdio.h>
#include <string.h>
#include "tlsdoctor/reg.h"
#include "replay/replay_int.h"

/* The table: one row per kind of change, with its Mbed TLS 2.x and 3.x fixes. */
static const struct {
    enum td_replay_change kind;
    const char *id;
    const char *fix2, *fix3;
} table[TD_RC_COUNT] = {
    {TD_RC_SNI, "server_name",
     "mbedtls_ssl_set_hostname()", "mbedtls_ssl_set_hostname()"},
    {TD_RC_SUITES, "suites",
     "MBEDTLS_KEY_EXCHANGE_*_ENABLED, mbedtls_ssl_conf_ciphersuites()",
     "MBEDTLS_KEY_EXCHANGE_*_ENABLED, mbedtls_ssl_conf_ciphersuites()"},
    {TD_RC_GROUPS, "groups",
     "MBEDTLS_ECP_DP_*_ENABLED, mbedtls_ssl_conf_curves()",
     "MBEDTLS_ECP_DP_*_ENABLED, mbedtls_ssl_conf_groups()"},
    {TD_RC_SIGALGS, "signature_algorithms",
     "mbedtls_ssl_conf_sig_hashes()", "mbedtls_ssl_conf_sig_algs()"},
    {TD_RC_TLS13, "tls1.3",
     "TLS 1.3 needs Mbed TLS 3.x: upgrade, enable MBEDTLS_SSL_PROTO_TLS1_3 and "
     "mbedtls_ssl_conf_max_tls_version(&conf, MBEDTLS_SSL_VERSION_TLS1_3)",
     "enable MBEDTLS_SSL_PROTO_TLS1_3 (with MBEDTLS_SSL_TLS1_3_COMPATIBILITY_MODE) and "
     "mbedtls_ssl_conf_max_tls_version(&conf, MBEDTLS_SSL_VERSION_TLS1_3)"},
    {TD_RC_TLS12, "tls1.2-max",
     "mbedtls_ssl_conf_max_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3)",
     "mbedtls_ssl_conf_max_tls_version(&conf, MBEDTLS_SSL_VERSION_TLS1_2)"},
    {TD_RC_DROP_EXT, "drop-extensions", "mbedtls_ssl_conf_*()", "mbedtls_ssl_conf_*()"},
};

const char *td_replay_change_id(enum td_replay_change k)
{
    return (unsigned)k < TD_RC_COUNT ? table[k].id : "unknown";
}

/* ---- lists inside extension bodies ---- */

size_t td_replay_ext_list(const struct td_replay_hello *h, uint16_t type, uint16_t *out, size_t max)
{
    const struct td_replay_ext *e = td_replay_hello_ext(h, type);
    if (!e || e->len < 1)
        return 0;
    size_t hdr = type == 43 ? 1 : 2;
    size_t n = 0;
    for (size_t i = hdr; i + 1 < e->len && n < max; i += 2)
        out[n++] = (uint16_t)(e->body[i] << 8 | e->body[i + 1]);
    return n;
}

static int has(const uint16_t *v, size_t n, uint16_t x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return 1;
    return 0;
}

/* see replay_int.h */
enum td_err td_replay_set_list_ext(struct td_replay_hello *h, uint16_t type, const uint16_t *v,
                                   size_t n)
{
    uint8_t b[2 + 2 * TD_REPLAY_MAX_SUITES];
    size_t k = 0;
    if (n > TD_REPLAY_MAX_SUITES)
        n = TD_REPLAY_MAX_SUITES;
    if (type == 43)
        b[k++] = (uint8_t)(2 * n);
    else {
        b[k++] = (uint8_t)((2 * n) >> 8);
        b[k++] = (uint8_t)(2 * n);
    }
    for (size_t i = 0; i < n; i++) {
        b[k++] = (uint8_t)(v[i] >> 8);
        b[k++] = (uint8_t)v[i];
    }
    return td_replay_hello_set_ext(h, type, b, k);
}

/* Adds values to a list extension (creating it), keeping what is there first. */
static enum td_err add_to_list(struct td_replay_hello *h, uint16_t type, const uint16_t *add, size_t n)
{
    uint16_t v[TD_REPLAY_MAX_SUITES];
    size_t k = td_replay_ext_list(h, type, v, TD_REPLAY_MAX_SUITES);
    int changed = !td_replay_hello_ext(h, type);
    for (size_t i = 0; i < n && k < TD_REPLAY_MAX_SUITES && k < 120; i++)
        if (!has(v, k, add[i])) {
            v[k++] = add[i];
            changed = 1;
        }
    return changed ? td_replay_set_list_ext(h, type, v, k) : TD_OK;
}

static int offers_tls13(const struct td_replay_hello *h)
{
    uint16_t v[16];
    size_t n = td_replay_ext_list(h, TD_EXT_SUPPORTED_VERSIONS, v, 16);
    return has(v, n, TD_VERSION_TLS_1_3);
}

/* ---- what Mbed TLS implements ---- */

static int mbedtls_can_enable(const struct td_suite *s, int tls13)
{
    if (!s || !s->mbedtls_name || !s->kx || !s->auth || !s->cipher)
        return 0;
    if (s->min_version == TD_VERSION_TLS_1_3)
        return tls13;
    if (s->max_version < TD_VERSION_TLS_1_2)
        return 0;
    if (strcmp(s->kx, "ECDHE") != 0 && strcmp(s->kx, "DHE") != 0 && strcmp(s->kx, "RSA") != 0)
        return 0;
    if (strcmp(s->auth, "RSA") != 0 && strcmp(s->auth, "ECDSA") != 0)
        return 0;
    static const char *const weak[] = {"NULL", "RC4", "3DES", "DES", "IDEA"};
    for (size_t i = 0; i < sizeof weak / sizeof weak[0]; i++)
        if (strstr(s->cipher, weak[i]))
            return 0;
    return 1;
}

static const uint16_t mbed_groups[] = {
    TD_GROUP_X25519, TD_GROUP_SECP256R1, TD_GROUP_SECP384R1, TD_GROUP_SECP521R1, TD_GROUP_X448,
    TD_GROUP_BRAINPOOLP256R1, TD_GROUP_BRAINPOOLP384R1, TD_GROUP_BRAINPOOLP512R1,
    TD_GROUP_SECP256K1, TD_GROUP_SECP224R1,
    TD_GROUP_SECP192R1,
};
static const uint16_t mbed_sigalgs12[] = {
    TD_SIGALG_ECDSA_SECP256R1_SHA256, TD_SIGALG_ECDSA_SECP384R1_SHA384,
    TD_SIGALG_ECDSA_SECP521R1_SHA512, TD_SIGALG_RSA_PKCS1_SHA256, TD_SIGALG_RSA_PKCS1_SHA384,
    TD_SIGALG_RSA_PKCS1_SHA512, TD_SIGALG_ECDSA_SHA224, TD_SIGALG_RSA_SHA224,
};
static const uint16_t mbed_sigalgs13[] = {
    TD_SIGALG_RSA_PSS_RSAE_SHA256, TD_SIGALG_RSA_PSS_RSAE_SHA384, TD_SIGALG_RSA_PSS_RSAE_SHA512,
};
static const uint16_t rsa_sigalgs[] = {
    TD_SIGALG_RSA_PKCS1_SHA512, TD_SIGALG_RSA_PKCS1_SHA384, TD_SIGALG_RSA_PKCS1_SHA256,
};
static const uint16_t ecdsa_sigalgs[] = {
    TD_SIGALG_ECDSA_SECP521R1_SHA512, TD_SIGALG_ECDSA_SECP384R1_SHA384,
    TD_SIGALG_ECDSA_SECP256R1_SHA256,
};
static const uint16_t tls13_suites[] = {0x1301, 0x1302, 0x1303};
/* extensions a ClientHello cannot do without for what it offers */
static const uint16_t essential_exts[] = {0, 10, 11, 13, 43, 45, 51, 41, 0xff01};

/* Mbed TLS's own preference: ECDHE before DHE before RSA key exchange, AEAD before CBC. A server
 * that follows the client's order then picks the suite a device would best enable. */
static int suite_rank(uint16_t id)
{
    const struct td_suite *s = td_reg_suite(id);
    if (!s || !s->kx || !s->cipher)
        return 99;
    int kx = !strcmp(s->kx, "ECDHE") ? 0 : !strcmp(s->kx, "DHE") ? 1 : 2;
    int ci = strstr(s->cipher, "GCM") || strstr(s->cipher, "CHACHA") ? 0 : strstr(s->cipher, "CCM") ? 1 : 2;
    int aes = strstr(s->cipher, "AES") || strstr(s->cipher, "CHACHA") ? 0 : 1;
    return kx * 8 + ci * 2 + aes;
}

static void sort_by_preference(uint16_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && suite_rank(v[j]) < suite_rank(v[j - 1]); j--) {
            uint16_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

/* see replay_int.h */
size_t td_replay_candidates(const struct td_replay_hello *h, const struct td_replay_opts *o,
                            struct td_replay_cand *out, size_t max)
{
    size_t n = 0;
    int t13 = offers_tls13(h);
    int major = o->mbedtls_major;
    if (n < max && !td_replay_hello_ext(h, TD_EXT_SERVER_NAME) && o->sni && o->sni[0]) {
        memset(&out[n], 0, sizeof out[n]);
        out[n].kind = TD_RC_SNI;
        snprintf(out[n].name, sizeof out[n].name, "%s", o->sni);
        out[n].n = 1;
        n++;
    }
    if (n < max) {
        struct td_replay_cand *c = &out[n];
        memset(c, 0, sizeof *c);
        c->kind = TD_RC_SUITES;
        /* the code point blocks where Mbed TLS's suites live */
        static const uint16_t blocks[] = {0x0000, 0x1300, 0xc000, 0xc100, 0xcc00, 0xd000};
        for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++)
            for (uint32_t id = blocks[b]; id < blocks[b] + 0x100u && c->n < TD_REPLAY_MAX_SUITES - h->n_suites; id++)
                if (!has(h->suites, h->n_suites, (uint16_t)id) &&
                    mbedtls_can_enable(td_reg_suite((uint16_t)id), t13))
                    c->v[c->n++] = (uint16_t)id;
        sort_by_preference(c->v, c->n);
        if (c->n)
            n++;
    }
    uint16_t cur[TD_REPLAY_MAX_SUITES];
    size_t k = td_replay_ext_list(h, TD_EXT_SUPPORTED_GROUPS, cur, TD_REPLAY_MAX_SUITES);
    if (n < max && td_replay_hello_ext(h, TD_EXT_SUPPORTED_GROUPS)) {
        struct td_replay_cand *c = &out[n];
        memset(c, 0, sizeof *c);
        c->kind = TD_RC_GROUPS;
        for (size_t i = 0; i < sizeof mbed_groups / 2; i++)
            if (!has(cur, k, mbed_groups[i]))
                c->v[c->n++] = mbed_groups[i];
        if (c->n)
            n++;
    }
    k = td_replay_ext_list(h, TD_EXT_SIGNATURE_ALGORITHMS, cur, TD_REPLAY_MAX_SUITES);
    if (n < max && td_replay_hello_ext(h, TD_EXT_SIGNATURE_ALGORITHMS)) {
        struct td_replay_cand *c = &out[n];
        memset(c, 0, sizeof *c);
        c->kind = TD_RC_SIGALGS;
        for (size_t i = 0; i < sizeof mbed_sigalgs12 / 2; i++)
            if (!has(cur, k, mbed_sigalgs12[i]))
                c->v[c->n++] = mbed_sigalgs12[i];
        for (size_t i = 0; (t13 || major == 3) && i < sizeof mbed_sigalgs13 / 2; i++)
            if (!has(cur, k, mbed_sigalgs13[i]))
                c->v[c->n++] = mbed_sigalgs13[i];
        if (c->n)
            n++;
    }
    if (n < max) {
        memset(&out[n], 0, sizeof out[n]);
        out[n].kind = t13 ? TD_RC_TLS12 : TD_RC_TLS13;
        out[n].v[0] = t13 ? TD_VERSION_TLS_1_2 : TD_VERSION_TLS_1_3;
        out[n].n = 1;
        n++;
    }
    if (n < max) {
        struct td_replay_cand *c = &out[n];
        memset(c, 0, sizeof *c);
        c->kind = TD_RC_DROP_EXT;
        for (size_t i = 0; i < h->n_ext; i++)
            if (!has(essential_exts, sizeof essential_exts / 2, h->ext[i].type))
                c->v[c->n++] = h->ext[i].type;
        if (c->n)
            n++;
    }
    return n;
}

static enum td_err add_suites(struct td_replay_hello *h, const uint16_t *v, size_t n, int front)
{
    uint16_t out[TD_REPLAY_MAX_SUITES];
    size_t k = 0;
    for (size_t i = 0; front && i < n; i++)
        if (!has(h->suites, h->n_suites, v[i]))
            out[k++] = v[i];
    int scsv_last = h->n_suites && h->suites[h->n_suites - 1] == 0x00ff;
    for (size_t i = 0; i < h->n_suites - (size_t)scsv_last && k < TD_REPLAY_MAX_SUITES; i++)
        out[k++] = h->suites[i];
    for (size_t i = 0; !front && i < n && k < TD_REPLAY_MAX_SUITES; i++)
        if (!has(h->suites, h->n_suites, v[i]))
            out[k++] = v[i];
    if (scsv_last && k < TD_REPLAY_MAX_SUITES)
        out[k++] = 0x00ff;
    memcpy(h->suites, out, k * 2);
    h->n_suites = k;
    return TD_OK;
}

/* What Mbed TLS puts in the ClientHello along with the suites: the signature algorithms their
 * authentication needs, and the ECDHE extensions. */
static enum td_err suite_bundle(struct td_replay_hello *h, const struct td_replay_cand *c)
{
    int rsa = 0, ecdsa = 0, ecdhe = 0;
    for (size_t i = 0; i < c->n; i++) {
        const struct td_suite *s = td_reg_suite(c->v[i]);
        if (!s || !s->auth || !s->kx)
            continue;
        rsa |= !strcmp(s->auth, "RSA");
        ecdsa |= !strcmp(s->auth, "ECDSA");
        ecdhe |= !strcmp(s->kx, "ECDHE");
    }
    enum td_err e = TD_OK;
    if (td_replay_hello_ext(h, TD_EXT_SIGNATURE_ALGORITHMS) && rsa)
        e = add_to_list(h, TD_EXT_SIGNATURE_ALGORITHMS, rsa_sigalgs, 3);
    if (e == TD_OK && td_replay_hello_ext(h, TD_EXT_SIGNATURE_ALGORITHMS) && ecdsa)
        e = add_to_list(h, TD_EXT_SIGNATURE_ALGORITHMS, ecdsa_sigalgs, 3);
    if (e == TD_OK && ecdhe && !td_replay_hello_ext(h, TD_EXT_SUPPORTED_GROUPS)) {
        static const uint16_t g[] = {TD_GROUP_SECP256R1, TD_GROUP_SECP384R1};
        static const uint8_t pf[] = {1, 0};
        e = add_to_list(h, TD_EXT_SUPPORTED_GROUPS, g, 2);
        if (e == TD_OK && !td_replay_hello_ext(h, TD_EXT_EC_POINT_FORMATS))
            e = td_replay_hello_set_ext(h, TD_EXT_EC_POINT_FORMATS, pf, 2);
    }
    return e;
}

static enum td_err to_tls13(struct td_replay_hello *h)
{
    static const uint16_t vers[] = {TD_VERSION_TLS_1_3, TD_VERSION_TLS_1_2};
    static const uint16_t groups[] = {TD_GROUP_X25519, TD_GROUP_SECP256R1};
    static const uint16_t sig13[] = {0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806};
    enum td_err e = td_replay_set_list_ext(h, TD_EXT_SUPPORTED_VERSIONS, vers, 2);
    if (e == TD_OK)
        e = add_suites(h, tls13_suites, 3, 1);
    if (e == TD_OK)
        e = add_to_list(h, TD_EXT_SUPPORTED_GROUPS, groups, 2);
    if (e == TD_OK)
        e = add_to_list(h, TD_EXT_SIGNATURE_ALGORITHMS, sig13, 6);
    uint16_t g[64];
    size_t n = td_replay_ext_list(h, TD_EXT_SUPPORTED_GROUPS, g, 64);
    uint16_t share = has(g, n, TD_GROUP_X25519) ? TD_GROUP_X25519 : TD_GROUP_SECP256R1;
    /* a placeholder of the right group: td_replay_hello_prepare puts a fresh key there */
    uint8_t ks[6] = {0, 4, (uint8_t)(share >> 8), (uint8_t)share, 0, 0};
    if (e == TD_OK)
        e = td_replay_hello_set_ext(h, TD_EXT_KEY_SHARE, ks, sizeof ks);
    return e;
}

static enum td_err to_tls12(struct td_replay_hello *h)
{
    static const uint16_t drop[] = {43, 51, 45, 41, 42, 44};
    for (size_t i = 0; i < sizeof drop / 2; i++)
        td_replay_hello_drop_ext(h, drop[i]);
    size_t k = 0;
    for (size_t i = 0; i < h->n_suites; i++)
        if ((h->suites[i] >> 8) != 0x13)
            h->suites[k++] = h->suites[i];
    h->n_suites = k;
    h->legacy_version = TD_VERSION_TLS_1_2;
    return TD_OK;
}

/* see replay_int.h */
enum td_err td_replay_apply(struct td_replay_hello *h, const struct td_replay_cand *c)
{
    switch (c->kind) {
    case TD_RC_SNI: {
        size_t l = strlen(c->name);
        uint8_t b[5 + 256];
        if (!l || l > 250)
            return TD_ERR_ARG;
        b[0] = (uint8_t)((l + 3) >> 8);
        b[1] = (uint8_t)(l + 3);
        b[2] = 0;
        b[3] = (uint8_t)(l >> 8);
        b[4] = (uint8_t)l;
        memcpy(b + 5, c->name, l);
        return td_replay_hello_set_ext(h, TD_EXT_SERVER_NAME, b, l + 5);
    }
    case TD_RC_SUITES: {
        enum td_err e = add_suites(h, c->v, c->n, 0);
        return e == TD_OK ? suite_bundle(h, c) : e;
    }
    case TD_RC_GROUPS: return add_to_list(h, TD_EXT_SUPPORTED_GROUPS, c->v, c->n);
    case TD_RC_SIGALGS: return add_to_list(h, TD_EXT_SIGNATURE_ALGORITHMS, c->v, c->n);
    case TD_RC_TLS13: return to_tls13(h);
    case TD_RC_TLS12: return to_tls12(h);
    case TD_RC_DROP_EXT:
        for (size_t i = 0; i < c->n; i++)
            td_replay_hello_drop_ext(h, c->v[i]);
        return TD_OK;
    case TD_RC_COUNT: break;
    }
    return TD_ERR_ARG;
}

/* ---- describing a change and its fix ---- */

static void list_names(struct td_buf *b, const struct td_replay_cand *c, size_t max)
{
    for (size_t i = 0; i < c->n && i < max; i++) {
        const char *nm = NULL;
        switch (c->kind) {
        case TD_RC_SUITES: nm = td_reg_suite_name(c->v[i]); break;
        case TD_RC_GROUPS: nm = td_reg_group_name(c->v[i]); break;
        case TD_RC_SIGALGS: nm = td_reg_sigalg_name(c->v[i]); break;
        case TD_RC_DROP_EXT: nm = td_reg_ext_name(c->v[i]); break;
        case TD_RC_SNI: case TD_RC_TLS13: case TD_RC_TLS12: case TD_RC_COUNT: break;
        }
        if (nm)
            td_buf_printf(b, "%s%s", i ? "," : "", nm);
        else
            td_buf_printf(b, "%s0x%04x", i ? "," : "", c->v[i]);
    }
    if (c->n > max)
        td_buf_printf(b, ",... (%zu in all)", c->n);
}

/* see replay_int.h */
void td_replay_cand_describe(const struct td_replay_cand *c, struct td_buf *b)
{
    switch (c->kind) {
    case TD_RC_SNI: td_buf_printf(b, "server_name=%s", c->name); return;
    case TD_RC_SUITES: td_buf_puts(b, "suites+="); break;
    case TD_RC_GROUPS: td_buf_puts(b, "groups+="); break;
    case TD_RC_SIGALGS: td_buf_puts(b, "signature_algorithms+="); break;
    case TD_RC_TLS13: td_buf_puts(b, "TLS 1.3 offered"); return;
    case TD_RC_TLS12: td_buf_puts(b, "TLS 1.2 at most"); return;
    case TD_RC_DROP_EXT: td_buf_puts(b, "without "); break;
    case TD_RC_COUNT: return;
    }
    list_names(b, c, 4);
}

static const char *suite_option(const struct td_suite *s)
{
    if (!s || !s->kx || !s->auth)
        return "the key exchange";
    if (!strcmp(s->kx, "ECDHE"))
        return !strcmp(s->auth, "RSA") ? "MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED"
                                       : "MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED";
    if (!strcmp(s->kx, "DHE"))
        return "MBEDTLS_KEY_EXCHANGE_DHE_RSA_ENABLED";
    if (!strcmp(s->kx, "RSA"))
        return "MBEDTLS_KEY_EXCHANGE_RSA_ENABLED";
    return "the key exchange";
}

static const char *drop_fix(uint16_t ext, int major)
{
    switch (ext) {
    case 1: return "leave out max_fragment_length: mbedtls_ssl_conf_max_frag_len(&conf, "
                   "MBEDTLS_SSL_MAX_FRAG_LEN_NONE) or undefine MBEDTLS_SSL_MAX_FRAGMENT_LENGTH";
    case 4: return "mbedtls_ssl_conf_truncated_hmac(&conf, MBEDTLS_SSL_TRUNC_HMAC_DISABLED)";
    case 16: return "do not call mbedtls_ssl_conf_alpn_protocols() (or offer a protocol the server has)";
    case 22: return major == 3 ? "undefine MBEDTLS_SSL_ENCRYPT_THEN_MAC"
                               : "mbedtls_ssl_conf_encrypt_then_mac(&conf, MBEDTLS_SSL_ETM_DISABLED)";
    case 23: return "mbedtls_ssl_conf_extended_master_secret(&conf, MBEDTLS_SSL_EXTENDED_MS_DISABLED)";
    case 35: return "mbedtls_ssl_conf_session_tickets(&conf, MBEDTLS_SSL_SESSION_TICKETS_DISABLED)";
    case 28: return "undefine MBEDTLS_SSL_RECORD_SIZE_LIMIT";
    case 54: return "mbedtls_ssl_conf_cid() / undefine MBEDTLS_SSL_DTLS_CONNECTION_ID";
    default: return "leave the extension out";
    }
}

/* see replay_int.h */
void td_replay_cand_fix(const struct td_replay_cand *c, int major, struct td_buf *b)
{
    const char *fix = major == 3 ? table[c->kind].fix3 : table[c->kind].fix2;
    switch (c->kind) {
    case TD_RC_SNI:
        td_buf_printf(b, "mbedtls_ssl_set_hostname(&ssl, \"%s\") (needs MBEDTLS_SSL_SERVER_NAME_INDICATION)",
                      c->name);
        return;
    case TD_RC_SUITES: {
        const struct td_suite *s = td_reg_suite(c->v[0]);
        int t13 = s && s->min_version == TD_VERSION_TLS_1_3;
        if (t13) {
            td_buf_puts(b, "enable MBEDTLS_SSL_PROTO_TLS1_3 (Mbed TLS 3.x)");
            return;
        }
        td_buf_printf(b, "enable %s in %s (and list MBEDTLS_%s in mbedtls_ssl_conf_ciphersuites() if you set a list)",
                      suite_option(s), major == 3 ? "mbedtls_config.h" : "config.h",
                      s && s->name ? s->name : "?");
        return;
    }
    case TD_RC_GROUPS: {
        const char *opt = td_reg_group_mbedtls_option(c->v[0]);
        const char *nm = td_reg_group_name(c->v[0]);
        td_buf_printf(b, "enable %s and list %s in %s if you set a list", opt ? opt : "the group",
                      nm ? nm : "it", major == 3 ? "mbedtls_ssl_conf_groups()" : "mbedtls_ssl_conf_curves()");
        return;
    }
    case TD_RC_SIGALGS: {
        const char *nm = td_reg_sigalg_name(c->v[0]);
        td_buf_printf(b, "offer %s: %s", nm ? nm : "the algorithm",
                      major == 3 ? "list it in mbedtls_ssl_conf_sig_algs()"
                                 : "list its hash in mbedtls_ssl_conf_sig_hashes() (MBEDTLS_MD_*)");
        return;
    }
    case TD_RC_TLS13:
    case TD_RC_TLS12:
        td_buf_puts(b, fix);
        return;
    case TD_RC_DROP_EXT:
        for (size_t i = 0; i < c->n; i++)
            td_buf_printf(b, "%s%s", i ? "; " : "", drop_fix(c->v[i], major));
        return;
    case TD_RC_COUNT: return;
    }
}
