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
#include "tlsdoctor/tls_ids.h"

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
    struct td_u16_list key_share_groups; /* groups of the client's shares, or the one the server picked.
                                            NOTE: p points at key_share_be[] inside this struct
                                            (shares are not contiguous on the wire); after copying
                                            the struct use key_share_group[]/n_key_share instead. */
    int has_ems, has_etm, has_session_ticket, has_reneg_info, has_status_request;
    int has_sct, has_padding, has_psk, has_psk_modes, has_early_data, has_cookie;
    /* Added by wire: */
    int has_sni_ext;                     /* server_name present (a server's is empty) */
    size_t n_key_share;                  /* key shares kept in key_share_group (<= 8) */
    uint16_t key_share_group[8];         /* every share's group, host order */
    uint8_t key_share_be[16];            /* the same, big-endian, for key_share_groups */
    struct td_bytes psk_modes;           /* psk_key_exchange_modes list */
    int has_hrr_group;                   /* HelloRetryRequest key_share: the group asked for */
    uint16_t hrr_group;
    uint16_t psk_identity;               /* ServerHello pre_shared_key: selected identity */
    size_t n_psk_identities;             /* ClientHello pre_shared_key identities */
    struct td_bytes cookie;              /* cookie extension contents */
    uint8_t status_type;                 /* ClientHello status_request type (1 = ocsp) */
    size_t padding_len;
    int n_dup;                           /* extensions seen more than once (a protocol error) */
};

struct td_client_hello {
    uint16_t legacy_version;
    struct td_bytes random;       /* 32 bytes */
    struct td_bytes session_id;
    struct td_u16_list suites;
    struct td_bytes compression;
    struct td_hello_exts x;
    struct td_bytes dtls_cookie;  /* added: DTLS ClientHello cookie (legacy_version 0xfeXX) */
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

/* ---- Additions (wire engineer): errors with context, records, reassembly, other messages ---- */

/* Where and why decoding stopped: off is relative to the start of the input given to the call,
 * expected is a static English phrase naming the field that was expected there. */
struct td_wire_err {
    enum td_err code;       /* TD_OK when nothing went wrong */
    size_t off;
    const char *expected;   /* static string, or NULL when code == TD_OK */
};

/* Like the calls above, with the field that was expected; base_off is added to every offset
 * (pass the body's offset in a larger input to get offsets in that input). */
enum td_err td_wire_parse_client_hello_ex(const uint8_t *body, size_t len, size_t base_off,
                                          struct td_client_hello *out, struct td_wire_err *err);
enum td_err td_wire_parse_server_hello_ex(const uint8_t *body, size_t len, size_t base_off,
                                          struct td_server_hello *out, struct td_wire_err *err);
/* Extensions block contents (without the 2-byte block length), as in a hello; is_server selects
 * the server forms of supported_versions, key_share and pre_shared_key. Used for
 * EncryptedExtensions too. out is cleared first. */
enum td_err td_wire_parse_exts(const uint8_t *p, size_t len, size_t base_off, int is_server,
                               struct td_hello_exts *out, struct td_wire_err *err);

/* Record content types (TD_CT_*) and handshake types (TD_HS_*) as on the wire, with every other
 * protocol number, come from the registry tables: tlsdoctor/tls_ids.h (scripts/gen-tls-ids). */
#define TD_WIRE_TLS_HDR 5u           /* type, version, length */
#define TD_WIRE_DTLS_HDR 13u         /* type, version, epoch, 48-bit sequence, length */
#define TD_WIRE_MAX_RECORD 18432u    /* 2^14 + 2048: the largest record RFC 5246 allows */

/* One record split from a byte stream. body borrows the stream. */
struct td_record {
    uint8_t type;
    uint16_t version;
    int dtls;
    uint16_t epoch;           /* DTLS only */
    uint64_t seq;             /* DTLS only (48 bits) */
    uint16_t length;          /* the header's length field */
    struct td_bytes body;     /* the bytes present: length of them, or fewer if truncated */
    size_t off;               /* offset of the record header in the stream */
    int truncated;            /* the stream ends before length bytes of body */
};

/* Splits the record starting at stream[*pos]. Returns TD_OK and advances *pos past it, or:
 * TD_ERR_TRUNCATED (the stream ends inside the header or body; rec holds what is there and *pos
 * is left unchanged, so a caller reading a socket can append what arrives next and call again), TD_ERR_BAD_VALUE (the header does not look like a TLS/DTLS record: unknown content
 * type or version major not 3/0xfe; *pos unchanged). A record longer than TD_WIRE_MAX_RECORD is
 * returned (TD_OK) but err says TD_ERR_BAD_LENGTH so callers can report it. dtls selects 13-byte
 * headers; td_wire_sniff_dtls() guesses it from the first header. err may be NULL. */
enum td_err td_wire_record_next(const uint8_t *stream, size_t len, size_t *pos, int dtls,
                                struct td_record *rec, struct td_wire_err *err);
int td_wire_sniff_dtls(const uint8_t *stream, size_t len);

/* A handshake message. body borrows the reassembler's buffer (valid until its next call that
 * adds or takes) or the caller's bytes. */
struct td_hs_msg {
    uint8_t type;
    uint32_t length;          /* the header's length field */
    uint16_t dtls_seq;        /* DTLS message_seq */
    struct td_bytes body;     /* length bytes */
    size_t off;               /* stream offset of the first byte of the handshake header, when known */
    size_t n_records;         /* how many records carried it (1 unless split) */
};

/* Joins handshake messages split over records, and splits records carrying several. Owns a
 * buffer capped at max bytes (0: 1 MiB). Offsets: each add() gives the stream offset of its bytes
 * so messages can report where they started. DTLS fragments are accepted when they arrive in
 * order without gaps (the common case); others are reported as TD_ERR_UNSUPPORTED. */
#define TD_HS_REASM_SEGS 32
struct td_hs_reasm {
    uint8_t *buf;             /* owned: pending handshake bytes (record bodies joined) */
    size_t len, cap, max;     /* max: cap on pending bytes */
    size_t start;             /* consumed prefix of buf */
    struct { size_t pos, off; } seg[TD_HS_REASM_SEGS];  /* buf position -> stream offset */
    size_t n_seg;
    int dtls;
    uint8_t *dbuf;            /* owned: DTLS message being assembled from fragments */
    size_t dcap;
    uint8_t dtls_type;
    uint32_t dtls_len;
    uint16_t dtls_seq;
    size_t dtls_have;         /* contiguous bytes assembled */
    size_t dtls_off;          /* stream offset of the first fragment */
    int dtls_active;
};
void td_hs_reasm_init(struct td_hs_reasm *h, int dtls, size_t max);
void td_hs_reasm_free(struct td_hs_reasm *h);
/* Appends one handshake record's body (stream_off = offset of its first byte). */
enum td_err td_hs_reasm_add(struct td_hs_reasm *h, const uint8_t *p, size_t n, size_t stream_off);
/* Takes the next complete message: returns 1 and fills msg, 0 if none is complete yet, -1 on a
 * malformed DTLS fragment (err filled). */
int td_hs_reasm_next(struct td_hs_reasm *h, struct td_hs_msg *msg, struct td_wire_err *err);
/* Bytes held that do not (yet) form a complete message. */
size_t td_hs_reasm_pending(const struct td_hs_reasm *h);

/* Alert (RFC 8446 6). */
struct td_alert {
    uint8_t level;            /* 1 warning, 2 fatal */
    uint8_t desc;
};
enum td_err td_wire_parse_alert(const uint8_t *p, size_t len, size_t base_off,
                                struct td_alert *out, struct td_wire_err *err);

#define TD_WIRE_MAX_CERTS 16  /* certificates kept per Certificate message; more are counted */

struct td_cert_entry {
    struct td_bytes der;
    struct td_bytes exts;     /* TLS 1.3 per-certificate extensions */
    size_t off;               /* offset of the DER */
};
struct td_certificate {
    int tls13;                /* TLS 1.3 form (request context, per-entry extensions) */
    struct td_bytes context;
    struct td_cert_entry cert[TD_WIRE_MAX_CERTS];
    size_t n_cert;            /* kept */
    size_t n_cert_total;
};
/* tls13: 1 for the TLS 1.3 form, 0 for TLS 1.2, -1 to try the 1.2 form and then the 1.3 one. */
enum td_err td_wire_parse_certificate(const uint8_t *body, size_t len, size_t base_off, int tls13,
                                      struct td_certificate *out, struct td_wire_err *err);

enum td_ske_kind { TD_SKE_UNKNOWN = 0, TD_SKE_ECDHE, TD_SKE_DHE };
struct td_server_key_exchange {
    enum td_ske_kind kind;
    uint8_t curve_type;       /* ECDHE: 3 = named_curve */
    uint16_t group;           /* ECDHE named group */
    struct td_bytes point;    /* ECDHE public point */
    struct td_bytes dh_p, dh_g, dh_ys;
    int has_sigalg;           /* TLS 1.2 carries the SignatureAndHashAlgorithm */
    uint16_t sigalg;
    struct td_bytes signature;
};
/* kind: what the negotiated suite says, or TD_SKE_UNKNOWN to guess (ECDHE if the first byte is
 * named_curve and the rest fits, else DHE). tls12: whether a sigalg precedes the signature
 * (-1: guess from whether the remaining lengths fit). */
enum td_err td_wire_parse_server_key_exchange(const uint8_t *body, size_t len, size_t base_off,
                                              enum td_ske_kind kind, int tls12,
                                              struct td_server_key_exchange *out,
                                              struct td_wire_err *err);

struct td_cert_request {
    int tls13;
    struct td_bytes cert_types;   /* TLS 1.2 */
    struct td_bytes context;      /* TLS 1.3 */
    int has_sigalgs;
    struct td_u16_list sigalgs;
    size_t n_ca;                  /* certificate_authorities names */
    struct td_hello_exts x;       /* TLS 1.3 extensions */
};
enum td_err td_wire_parse_cert_request(const uint8_t *body, size_t len, size_t base_off,
                                       int tls13, struct td_cert_request *out,
                                       struct td_wire_err *err);

struct td_new_session_ticket {
    int tls13;
    uint32_t lifetime;
    uint32_t age_add;             /* TLS 1.3 */
    struct td_bytes nonce;        /* TLS 1.3 */
    struct td_bytes ticket;
    struct td_bytes exts;         /* TLS 1.3 */
};
enum td_err td_wire_parse_new_session_ticket(const uint8_t *body, size_t len, size_t base_off,
                                             int tls13, struct td_new_session_ticket *out,
                                             struct td_wire_err *err);

struct td_cert_verify {
    uint16_t sigalg;
    struct td_bytes signature;
};
enum td_err td_wire_parse_cert_verify(const uint8_t *body, size_t len, size_t base_off,
                                      struct td_cert_verify *out, struct td_wire_err *err);

/* 1 if random (32 bytes) is the HelloRetryRequest value of RFC 8446 4.1.3. */
int td_wire_is_hrr_random(const uint8_t *random32);

/* ---- Decoding a whole stream into a tree (used by `tlsdoctor decode`) ---- */

struct cJSON;
struct td_buf;

struct td_wire_decode_opts {
    int dtls;                 /* 1 DTLS, 0 TLS, -1 guess from the first header */
    uint16_t version;         /* negotiated version if known from elsewhere, else 0 */
    uint16_t suite;           /* negotiated suite if known from elsewhere, else 0 */
    int certs;                /* 1: summarise certificates through OpenSSL */
};

/* Decodes the records one side sent (p, len) into a new cJSON tree that the caller owns
 * (cJSON_Delete). The tree is {"records": [...], "errors": [...]} where each error has the byte
 * offset, the error and what was expected there; decoding keeps what it could decode before an
 * error. *first_err (may be NULL) gets the first error, TD_OK if none. NULL only when out of
 * memory. The JSON shape is documented in docs/json-decode.md. */
struct cJSON *td_wire_decode_tree(const uint8_t *p, size_t len,
                                  const struct td_wire_decode_opts *opts, enum td_err *first_err);

/* Renders a tree as indented text (readable, same structure) or as JSON into out. */
enum td_err td_wire_render_text(const struct cJSON *tree, struct td_buf *out);
enum td_err td_wire_render_json(const struct cJSON *tree, struct td_buf *out);

#endif
