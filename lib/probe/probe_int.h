/* probe_int.h -- what the probe module's files share: default lists and the TLS 1.3 key schedule. */
#ifndef TD_PROBE_INT_H
#define TD_PROBE_INT_H

#include <stddef.h>
#include <stdint.h>
#include "tlsdoctor/err.h"
#include "tlsdoctor/probe.h"

/* Copy the default groups / signature algorithms offered, up to max; return how many. */
size_t td_probe_default_groups(uint16_t *out, size_t max);
size_t td_probe_default_sigalgs(uint16_t *out, size_t max);
/* Every registry suite usable at version v (0x0304: the TLS 1.3 suites only). */
size_t td_probe_suites_for(uint16_t v, uint16_t *out, size_t max);

/* TLS 1.3 handshake-traffic decryption of the server's records (RFC 8446 section 7). */
struct td_tls13 {
    int ready;
    uint16_t suite;
    uint8_t key[32];
    size_t key_len;
    uint8_t iv[12];
    uint64_t seq;
};
/* 1 if we can decrypt suite (AES-GCM, ChaCha20-Poly1305). */
int td_tls13_suite_ok(uint16_t suite);
/* ECDHE shared secret between our key for group and the server's share. */
enum td_err td_tls13_shared(const struct td_probe_keys *keys, uint16_t group, const uint8_t *peer,
                            size_t peer_len, uint8_t *out, size_t *out_len);
/* Derives the server handshake traffic key/iv from the shared secret and the transcript
 * ClientHello..ServerHello (handshake messages with headers, concatenated). */
enum td_err td_tls13_server_hs_keys(struct td_tls13 *t, uint16_t suite, const uint8_t *shared,
                                    size_t shared_len, const uint8_t *transcript, size_t tlen);
/* Decrypts one application_data record (rec = 5-byte header + body). On success *out holds the
 * inner content (padding removed, out_cap >= body length) and *inner_type its real type. */
enum td_err td_tls13_open(struct td_tls13 *t, const uint8_t *rec, size_t rec_len, uint8_t *out,
                          size_t out_cap, size_t *out_len, uint8_t *inner_type);

#endif
