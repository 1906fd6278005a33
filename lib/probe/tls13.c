/* tls13.c -- just enough of the TLS 1.3 key schedule (RFC 8446 section 7) to read the server's
 * encrypted handshake flight: ECDHE with our key share, HKDF-Extract/Expand-Label via OpenSSL's
 * EVP_KDF "HKDF", server handshake traffic key and iv, AEAD record decryption via EVP.
 *
 *   early   = HKDF-Extract(0, 0^H)         derived = Expand-Label(early, "derived", H(""), H)
 *   hs      = HKDF-Extract(derived, ECDHE) s_hs    = Expand-Label(hs, "s hs traffic", H(CH..SH), H)
 *   key     = Expand-Label(s_hs, "key", "", keylen)   iv = Expand-Label(s_hs, "iv", "", 12)
 * No Finished is checked or sent: the point is to see what the server sends. */
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include "probe/probe_int.h"

static const EVP_MD *suite_md(uint16_t suite)
{
    return suite == 0x1302 ? EVP_sha384() : EVP_sha256();
}

static const EVP_CIPHER *suite_cipher(uint16_t suite)
{
    switch (suite) {
    case 0x1301: return EVP_aes_128_gcm();
    case 0x1302: return EVP_aes_256_gcm();
    case 0x1303: return EVP_chacha20_poly1305();
    default: return NULL;
    }
}

int td_tls13_suite_ok(uint16_t suite)
{
    return suite_cipher(suite) != NULL;
}

/* HKDF in one of OpenSSL's modes; salt/key/info may be empty. */
static enum td_err hkdf(int mode, const EVP_MD *md, const uint8_t *salt, size_t salt_len,
                        const uint8_t *key, size_t key_len, const uint8_t *info, size_t info_len,
                        uint8_t *out, size_t out_len)
{
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
    EVP_KDF_free(kdf);
    if (!ctx)
        return TD_ERR_CRYPTO;
    static const uint8_t zero = 0;
    OSSL_PARAM params[6];
    size_t n = 0;
    params[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
    params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
                                                   (char *)(uintptr_t)EVP_MD_get0_name(md), 0);
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
                                                    (void *)(uintptr_t)(key_len ? key : &zero),
                                                    key_len);
    if (salt_len)
        params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
                                                        (void *)(uintptr_t)salt, salt_len);
    if (info_len)
        params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
                                                        (void *)(uintptr_t)info, info_len);
    params[n] = OSSL_PARAM_construct_end();
    int ok = EVP_KDF_derive(ctx, out, out_len, params) == 1;
    EVP_KDF_CTX_free(ctx);
    return ok ? TD_OK : TD_ERR_CRYPTO;
}

static enum td_err expand_label(const EVP_MD *md, const uint8_t *secret, size_t secret_len,
                                const char *label, const uint8_t *ctx, size_t ctx_len,
                                uint8_t *out, size_t out_len)
{
    uint8_t info[2 + 1 + 255 + 1 + 64];
    size_t ll = strlen(label);
    if (ll > 249 || ctx_len > 64)
        return TD_ERR_ARG;
    size_t n = 0;
    info[n++] = (uint8_t)(out_len >> 8);
    info[n++] = (uint8_t)out_len;
    info[n++] = (uint8_t)(6 + ll);
    static const uint8_t prefix[6] = {'t', 'l', 's', '1', '3', ' '};
    for (size_t i = 0; i < sizeof prefix; i++)
        info[n++] = prefix[i];
    for (size_t i = 0; i < ll; i++)
        info[n++] = (uint8_t)label[i];
    info[n++] = (uint8_t)ctx_len;
    if (ctx_len)
        memcpy(info + n, ctx, ctx_len);
    n += ctx_len;
    return hkdf(EVP_KDF_HKDF_MODE_EXPAND_ONLY, md, NULL, 0, secret, secret_len, info, n, out,
                out_len);
}

static EVP_PKEY *peer_key(EVP_PKEY *ours, uint16_t group, const uint8_t *peer, size_t len)
{
    if (group == 0x001d)
        return EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, peer, len);
    if (group == 0x001e)
        return EVP_PKEY_new_raw_public_key(EVP_PKEY_X448, NULL, peer, len);
    EVP_PKEY *k = EVP_PKEY_new();
    if (!k || EVP_PKEY_copy_parameters(k, ours) != 1 ||
        EVP_PKEY_set1_encoded_public_key(k, peer, len) != 1) {
        EVP_PKEY_free(k);
        return NULL;
    }
    return k;
}

/* see probe_int.h */
enum td_err td_tls13_shared(const struct td_probe_keys *keys, uint16_t group, const uint8_t *peer,
                            size_t peer_len, uint8_t *out, size_t *out_len)
{
    EVP_PKEY *ours = NULL;
    for (size_t i = 0; keys && i < keys->n; i++)
        if (keys->group[i] == group)
            ours = keys->pkey[i];
    if (!ours)
        return TD_ERR_UNSUPPORTED;
    EVP_PKEY *theirs = peer_key(ours, group, peer, peer_len);
    EVP_PKEY_CTX *ctx = theirs ? EVP_PKEY_CTX_new(ours, NULL) : NULL;
    int ok = ctx && EVP_PKEY_derive_init(ctx) == 1 && EVP_PKEY_derive_set_peer(ctx, theirs) == 1 &&
             EVP_PKEY_derive(ctx, out, out_len) == 1;
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(theirs);
    return ok ? TD_OK : TD_ERR_CRYPTO;
}

/* see probe_int.h */
enum td_err td_tls13_server_hs_keys(struct td_tls13 *t, uint16_t suite, const uint8_t *shared,
                                    size_t shared_len, const uint8_t *transcript, size_t tlen)
{
    memset(t, 0, sizeof *t);
    const EVP_CIPHER *c = suite_cipher(suite);
    if (!c)
        return TD_ERR_UNSUPPORTED;
    const EVP_MD *md = suite_md(suite);
    size_t h = (size_t)EVP_MD_get_size(md);
    uint8_t zeros[64] = {0}, early[64], empty_hash[64], derived[64], hs[64], th[64], s_hs[64];
    unsigned hl = 0;
    enum td_err e = hkdf(EVP_KDF_HKDF_MODE_EXTRACT_ONLY, md, NULL, 0, zeros, h, NULL, 0, early, h);
    if (e == TD_OK && EVP_Digest("", 0, empty_hash, &hl, md, NULL) != 1)
        e = TD_ERR_CRYPTO;
    if (e == TD_OK)
        e = expand_label(md, early, h, "derived", empty_hash, h, derived, h);
    if (e == TD_OK)
        e = hkdf(EVP_KDF_HKDF_MODE_EXTRACT_ONLY, md, derived, h, shared, shared_len, NULL, 0, hs,
                 h);
    if (e == TD_OK && EVP_Digest(transcript, tlen, th, &hl, md, NULL) != 1)
        e = TD_ERR_CRYPTO;
    if (e == TD_OK)
        e = expand_label(md, hs, h, "s hs traffic", th, h, s_hs, h);
    t->key_len = (size_t)EVP_CIPHER_get_key_length(c);
    if (e == TD_OK)
        e = expand_label(md, s_hs, h, "key", NULL, 0, t->key, t->key_len);
    if (e == TD_OK)
        e = expand_label(md, s_hs, h, "iv", NULL, 0, t->iv, 12);
    t->suite = suite;
    t->ready = e == TD_OK;
    return e;
}

/* see probe_int.h */
enum td_err td_tls13_open(struct td_tls13 *t, const uint8_t *rec, size_t rec_len, uint8_t *out,
                          size_t out_cap, size_t *out_len, uint8_t *inner_type)
{
    if (!t->ready || rec_len < 5 + 17 || out_cap < rec_len - 5 - 16)
        return TD_ERR_ARG;
    size_t ct_len = rec_len - 5 - 16;
    uint8_t nonce[12];
    memcpy(nonce, t->iv, 12);
    for (int i = 0; i < 8; i++)
        nonce[11 - i] ^= (uint8_t)(t->seq >> (8 * i));
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int len = 0, len2 = 0;
    int ok = ctx && EVP_DecryptInit_ex(ctx, suite_cipher(t->suite), NULL, NULL, NULL) == 1 &&
             EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL) == 1 &&
             EVP_DecryptInit_ex(ctx, NULL, NULL, t->key, nonce) == 1 &&
             EVP_DecryptUpdate(ctx, NULL, &len, rec, 5) == 1 &&
             EVP_DecryptUpdate(ctx, out, &len, rec + 5, (int)ct_len) == 1 &&
             EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, 16,
                                 (void *)(uintptr_t)(rec + 5 + ct_len)) == 1 &&
             EVP_DecryptFinal_ex(ctx, out + len, &len2) == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok)
        return TD_ERR_CRYPTO;
    t->seq++;
    size_t n = (size_t)len + (size_t)len2;
    while (n > 0 && out[n - 1] == 0)
        n--;
    if (n == 0)
        return TD_ERR_BAD_VALUE;
    *inner_type = out[n - 1];
    *out_len = n - 1;
    return TD_OK;
}
