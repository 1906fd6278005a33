/* wire.h -- decoding TLS records and handshake messages from untrusted bytes.
 *
 * Parsed structures BORROW the caller's input: every pointer in them points into the bytes given
 * to the parse call, which must outlive the structure. Lists of 16-bit values are kept as
 * struct td_u16_list (a pointer to n big-endian pairs), read with td_u16_at().
 *
 * Parse calls return TD_OK, or an error with *err_off set to the byte offset (relative to the
 * start of the given input) where decoding stopped; what was decoded before that stays filled in. */
#ifndef TLSDOCTOR_WIRE_H
#define TLSDOCTOR_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include "tlsdoctor/err.h"

#define TD_WIRE_MAX_EXTS 64   /* extensions kept per hello; more are counted, not kept */

struct td_u16_list {
    const uint8_t *p;   /* n big-endian 16-bit values (borrowed), or NULL */
    size_t n;
};
uint16_t td_u16_at(struct td_u16_list l, size_t i);

struct td_bytes {
    const uint8_t *p;   /* borrowed, or NULL when absent */
    size_t len;
};

struct td_ext {
    uint16_t type;
    struct td_bytes body;
    size_t off;         /* offset of the extension's type field in the input */
};

/* Extension contents both hellos may carry, decoded; has_* say whether the extension was present. */
struct td_hello_exts {
    struct td_ext ext[TD_WIRE_MAX_EXTS];
    size_t n_ext;               /* kept (<= TD_WIRE_MAX_EXTS) */
    size_t n_ext_total;         /* present in the message */
    int has_sni;
    struct td_bytes sni;        /* first host_name entry */
    int has_groups;
    struct td_u16_list groups;           /* supported_groups */
    int has_sigalgs;
    struct td_u16_list sigalgs;          /* signature_algorithms */
    int has_sigalgs_cert;
    struct td_u16_list sigalgs_cert;
    int has_versions;
    struct td_u16_list versions;         /* supported_versions (ClientHello list) */
    uint16_t selected_version;           /* supported_versions in ServerHello, 0 if absent */
    int has_point_formats;
    struct td_bytes point_formats;
    int has_alpn;
    struct td_bytes alpn;                /* raw ProtocolNameList */
    int has_mfl;
    uint8_t mfl;                         /* 1..4 = 512, 1024, 2048, 4096 */
    int has_record_size_limit;
    uint16_t record_size_limit;
    int has_key_share;
    struct td_u16_list key_share_groups; /* groups of the client's shares, or the one the server picked */
    int has_ems, has_etm, has_session_ticket, has_reneg_info, has_status_request;
    int has_sct, has_padding, has_psk, has_psk_modes, has_early_data, has_cookie;
};

struct td_client_hello {
    uint16_t legacy_version;
    struct td_bytes random;       /* 32 bytes */
    struct td_bytes session_id;
    struct td_u16_list suites;
    struct td_bytes compression;
    struct td_hello_exts x;
};

struct td_server_hello {
    uint16_t legacy_version;
    struct td_bytes random;
    struct td_bytes session_id;
    uint16_t suite;
    uint8_t compression;
    int is_hrr;                   /* HelloRetryRequest (RFC 8446 special random) */
    uint16_t version;             /* negotiated: x.selected_version if present, else legacy_version */
    struct td_hello_exts x;
};

/* Body = the handshake message body, without the 4-byte handshake header. */
enum td_err td_wire_parse_client_hello(const uint8_t *body, size_t len,
                                       struct td_client_hello *out, size_t *err_off);
enum td_err td_wire_parse_server_hello(const uint8_t *body, size_t len,
                                       struct td_server_hello *out, size_t *err_off);

#endif
