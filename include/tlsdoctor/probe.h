/* probe.h -- probing a live TLS server without owning a socket.
 *
 * Three layers, each usable on its own:
 *   1. td_probe_hello_build(): a ClientHello from a struct td_hello_spec (the wire layer in reverse).
 *   2. struct td_flight: the server-flight reader. Fed the bytes the server sent, it says when it
 *      has seen enough and classifies the answer (ServerHello, HelloRetryRequest, alert, garbage,
 *      an oversized record, a protocol violation); the transport adds closed / reset / timeout.
 *      For TLS 1.3 it runs the key schedule (OpenSSL libcrypto) to read the encrypted Certificate.
 *   3. td_probe_enum_*(): the enumeration (versions, suites, groups, signature algorithms, SNI,
 *      extensions) as rounds of independent requests; the caller performs each round's exchanges
 *      (side by side if it likes) and feeds the answers back. No I/O in here, so tests can drive
 *      it with recorded or synthesised bytes.
 *
 * Ownership: a struct td_probe_answer owns its `flight` and `cert_msg` copies (td_probe_answer_free).
 * A struct td_flight owns everything it allocates (td_flight_free). A struct td_probe_keys owns the
 * private keys it generated (td_probe_keys_free). The enumeration owns its results
 * (td_probe_enum_free). Nothing here prints, exits, or keeps global state. */
#ifndef TLSDOCTOR_PROBE_H
#define TLSDOCTOR_PROBE_H

#include <stddef.h>
#include <stdint.h>
#include "tlsdoctor/buf.h"
#include "tlsdoctor/err.h"

#define TD_PROBE_MAX_SUITES 512
#define TD_PROBE_MAX_GROUPS 32
#define TD_PROBE_MAX_SIGALGS 48
#define TD_PROBE_MAX_SHARES 4
#define TD_PROBE_MAX_CERTS 16

/* Optional extensions of a ClientHello (struct td_hello_spec.flags). */
#define TD_HELLO_EMS            0x0001u /* extended_master_secret */
#define TD_HELLO_ETM            0x0002u /* encrypt_then_mac */
#define TD_HELLO_RENEG          0x0004u /* renegotiation_info (empty) */
#define TD_HELLO_TICKET         0x0008u /* session_ticket (empty) */
#define TD_HELLO_STATUS_REQUEST 0x0010u /* status_request (OCSP) */
#define TD_HELLO_POINT_FORMATS  0x0020u /* ec_point_formats (uncompressed) */
#define TD_HELLO_PSK_MODES      0x0040u /* psk_key_exchange_modes (psk_dhe_ke) */
#define TD_HELLO_SCSV           0x0080u /* TLS_EMPTY_RENEGOTIATION_INFO_SCSV in the suite list */
#define TD_HELLO_SCT            0x0100u /* signed_certificate_timestamp */

/* What to put in a ClientHello. Lists with n == 0 leave the extension out. */
struct td_hello_spec {
    uint16_t record_version;     /* record layer version, usually 0x0301 */
    uint16_t legacy_version;     /* ClientHello.legacy_version (the max version for TLS <= 1.2) */
    uint16_t versions[8];        /* supported_versions, in order */
    size_t n_versions;
    uint16_t suites[TD_PROBE_MAX_SUITES];
    size_t n_suites;
    uint16_t groups[TD_PROBE_MAX_GROUPS];        /* supported_groups */
    size_t n_groups;
    uint16_t share_groups[TD_PROBE_MAX_SHARES];  /* key_share entries to generate (TLS 1.3) */
    size_t n_shares;
    int key_share_ext;           /* send key_share even when n_shares == 0 (an empty list) */
    uint16_t sigalgs[TD_PROBE_MAX_SIGALGS];      /* signature_algorithms */
    size_t n_sigalgs;
    char sni[256];               /* server_name host_name; empty = leave out */
    char alpn[64];               /* comma-separated protocols ("h2,http/1.1"); empty = leave out */
    uint8_t mfl;                 /* max_fragment_length code 1..4 (512..4096); 0 = leave out */
    uint16_t record_size_limit;  /* 0 = leave out */
    unsigned flags;              /* TD_HELLO_* */
};

/* Fills spec with a broad default: TLS 1.0-1.3, every suite, group and signature algorithm the
 * registry knows that real servers use, X25519 + P-256 key shares, and the usual extensions. */
void td_probe_spec_default(struct td_hello_spec *spec);

/* Key shares generated for one ClientHello; needed to read a TLS 1.3 server's encrypted flight. */
struct evp_pkey_st;
struct td_probe_keys {
    uint16_t group[TD_PROBE_MAX_SHARES];
    struct evp_pkey_st *pkey[TD_PROBE_MAX_SHARES];  /* owned */
    size_t n;
};
void td_probe_keys_init(struct td_probe_keys *k);
void td_probe_keys_free(struct td_probe_keys *k);

/* Appends one TLS record holding the ClientHello described by spec to out. Key shares are
 * generated with OpenSSL (X25519, X448, P-256/384/521, ffdhe*) and their private keys stored in
 * keys (which must be initialised; may be NULL when spec->n_shares == 0). Errors: TD_ERR_ARG
 * (a list too long or a name too long), TD_ERR_CRYPTO, TD_ERR_UNSUPPORTED (a share group we
 * cannot generate), TD_ERR_TOO_LARGE / TD_ERR_NOMEM from out. */
enum td_err td_probe_hello_build(const struct td_hello_spec *spec, struct td_probe_keys *keys,
                                 struct td_buf *out);

/* How a server answered one ClientHello. */
enum td_probe_outcome {
    TD_PO_NONE = 0,         /* not run yet */
    TD_PO_SERVER_HELLO,     /* a ServerHello (and, as asked, more of the flight) */
    TD_PO_HRR,              /* a HelloRetryRequest */
    TD_PO_ALERT,            /* an alert before any ServerHello */
    TD_PO_CLOSED,           /* the connection was closed (FIN) */
    TD_PO_RESET,            /* the connection was reset (RST) */
    TD_PO_TIMEOUT,          /* the answer did not complete in time */
    TD_PO_GARBAGE,          /* bytes that are not TLS records */
    TD_PO_OVERSIZED,        /* a record or handshake message longer than TLS allows or we accept */
    TD_PO_TOO_MUCH,         /* more bytes than the reader's cap without a complete answer */
    TD_PO_VIOLATION,        /* a TLS answer that breaks the protocol (unoffered suite, bad hello) */
    TD_PO_CONNECT_FAILED    /* no connection */
};
const char *td_probe_outcome_name(enum td_probe_outcome o);  /* stable id: "server_hello", ... */

/* One certificate as the client received it (DER, owned). */
struct td_probe_cert {
    uint8_t *der;
    size_t len;
};

struct td_probe_answer {
    enum td_probe_outcome outcome;
    enum td_err net_err;         /* transport error for CLOSED/RESET/TIMEOUT/CONNECT_FAILED */
    char detail[160];            /* the violation, or the transport's reason */
    uint8_t alert_level, alert_desc;  /* TD_PO_ALERT, or an alert after the ServerHello */
    int alert_after_hello;       /* 1 if an alert followed the ServerHello */
    size_t bytes;                /* bytes received in all */
    size_t records;              /* records received */
    size_t max_record;           /* largest record length field seen */
    uint8_t first_bytes[8];      /* the first bytes received (for garbage) */
    size_t n_first;
    uint32_t oversized_len;      /* TD_PO_OVERSIZED: the length announced */
    /* ServerHello / HRR facts */
    uint16_t version;            /* negotiated version */
    uint16_t suite;
    uint16_t group;              /* key_share group (TLS 1.3), HRR selected group, or SKE curve */
    uint16_t ske_sigalg;         /* TLS 1.2 ServerKeyExchange signature algorithm, 0 if none */
    uint16_t cv_sigalg;          /* TLS 1.3 CertificateVerify algorithm, 0 if not read */
    uint16_t ske_dh_bits;        /* TLS 1.2 DHE prime size in bits */
    uint16_t exts[32];           /* extension types in ServerHello (+ EncryptedExtensions) */
    size_t n_exts;
    char alpn[32];               /* protocol the server picked, if any */
    int ocsp_stapled;            /* CertificateStatus (1.2) or status_request in the cert entry (1.3) */
    /* Certificate message */
    int have_cert_msg;
    size_t cert_msg_len;         /* handshake body length of Certificate */
    int cert_encrypted;          /* 1 if read over TLS 1.3 */
    struct td_probe_cert certs[TD_PROBE_MAX_CERTS];
    size_t n_certs;
    size_t n_certs_total;        /* in the message (more than kept if > TD_PROBE_MAX_CERTS) */
    int cert_request;            /* the server sent a CertificateRequest (it asks for a client cert) */
};
void td_probe_answer_free(struct td_probe_answer *a);
int td_probe_answer_has_ext(const struct td_probe_answer *a, uint16_t type);
/* Appends one sentence saying what the server did ("the server sent a fatal alert 40
 * (handshake_failure)"), without a trailing full stop. */
enum td_err td_probe_answer_describe(const struct td_probe_answer *a, struct td_buf *out);

/* ---- the server-flight reader (I/O-free) ---- */

enum td_flight_want {
    TD_WANT_HELLO = 0,   /* stop after the ServerHello (TLS 1.3) or its flight (TLS 1.2) */
    TD_WANT_CERT         /* also read the Certificate (decrypting TLS 1.3) */
};

enum td_flight_status { TD_FLIGHT_MORE = 0, TD_FLIGHT_DONE };

struct td_flight_priv;
struct td_flight {
    enum td_flight_want want;
    size_t cap;                  /* byte cap (default 256 KiB) */
    struct td_probe_answer ans;
    struct td_flight_priv *priv; /* owned */
};

/* Sets up a reader for the answer to the ClientHello record `hello` (the record bytes
 * td_probe_hello_build wrote; copied). keys may be NULL (then TLS 1.3 flights are not decrypted);
 * they are borrowed and must outlive the flight. */
enum td_err td_flight_init(struct td_flight *f, const uint8_t *hello, size_t hello_len,
                           const struct td_probe_keys *keys, enum td_flight_want want);
/* Feeds bytes the server sent. Returns TD_FLIGHT_DONE once the answer is classified. */
enum td_flight_status td_flight_push(struct td_flight *f, const uint8_t *p, size_t n);
/* The transport ended before DONE: outcome is one of CLOSED, RESET, TIMEOUT, CONNECT_FAILED, with
 * detail text from the transport (may be NULL). A flight that already got a ServerHello keeps it. */
void td_flight_end(struct td_flight *f, enum td_probe_outcome why, enum td_err err,
                   const char *detail);
/* Moves the answer out (caller frees with td_probe_answer_free) and releases the reader. */
void td_flight_take(struct td_flight *f, struct td_probe_answer *out);
void td_flight_free(struct td_flight *f);

/* ---- enumeration ---- */

/* One request: send `hello` (a record), read with a flight reader built from it. */
struct td_probe_req {
    struct td_buf hello;             /* owned */
    struct td_probe_keys keys;       /* owned */
    enum td_flight_want want;
    struct td_probe_answer ans;      /* filled by the caller */
    int task;                        /* which task asked (internal) */
};

/* What the server does in one SNI case. */
struct td_probe_sni_case {
    char name[256];                  /* name sent, "" for none */
    enum td_probe_outcome outcome;
    uint8_t alert_desc;
    uint16_t version;
    char detail[200];                /* the answer described */
    uint8_t cert_sha256[32];         /* leaf certificate, if one was read */
    int have_cert;
};

struct td_probe_version_result {
    uint16_t version;
    int tested;
    int supported;
    char refusal[200];                    /* how the server refused, if it did */
    uint16_t suites[TD_PROBE_MAX_SUITES]; /* accepted, in the server's order of choice */
    size_t n_suites;
    char suites_end[200];                 /* how the last suite probe ended */
    int server_order;                     /* 1 server preference, 0 client's, 2 neither (the
                                             server's pick depends on the client's list), -1 not tested */
};

struct td_probe_result {
    char sni[256];
    struct td_probe_version_result ver[5]; /* SSL 3.0, TLS 1.0, 1.1, 1.2, 1.3 */
    uint16_t groups13[TD_PROBE_MAX_GROUPS];  /* TLS 1.3 groups in the server's order */
    size_t n_groups13;
    char groups13_end[200];                  /* how the last probe of each list ended */
    uint16_t groups12[TD_PROBE_MAX_GROUPS];  /* TLS 1.2 ECDHE groups in the server's order */
    size_t n_groups12;
    char groups12_end[200];
    uint16_t sigalgs12[TD_PROBE_MAX_SIGALGS];/* TLS 1.2 ServerKeyExchange algorithms */
    size_t n_sigalgs12;
    char sigalgs12_end[200];
    uint16_t sigalgs13[TD_PROBE_MAX_SIGALGS];/* TLS 1.3 CertificateVerify algorithms */
    size_t n_sigalgs13;
    char sigalgs13_end[200];
    struct td_probe_sni_case sni_cases[3];   /* given name, none, wrong name */
    size_t n_sni_cases;
    struct td_probe_answer ext12;            /* the TLS 1.2 extensions probe */
    struct td_probe_answer cert12;           /* chain over TLS 1.2 */
    struct td_probe_answer cert13;           /* chain over TLS 1.3 */
    size_t connections;                      /* exchanges made */
};

struct td_probe_enum_priv;
struct td_probe_enum {
    struct td_probe_result res;
    struct td_probe_enum_priv *priv;         /* owned */
};

/* sni: the name to send (NULL or "" for none). */
enum td_err td_probe_enum_init(struct td_probe_enum *e, const char *sni);
void td_probe_enum_free(struct td_probe_enum *e);
/* The next round: sets *reqs to an array of *n requests (owned by e, valid until the next call
 * of td_probe_enum_next), to be exchanged in any order; *n == 0 means the enumeration is done.
 * After exchanging, call td_probe_enum_feed() once. phase gets a short label ("versions"). */
enum td_err td_probe_enum_next(struct td_probe_enum *e, struct td_probe_req **reqs, size_t *n,
                               const char **phase);
enum td_err td_probe_enum_feed(struct td_probe_enum *e);

/* Renders the result as text (one fact a line) or as a cJSON-built JSON object. */
enum td_err td_probe_render_text(const struct td_probe_result *r, struct td_buf *out);
enum td_err td_probe_render_json(const struct td_probe_result *r, const char *host, unsigned port,
                                 const char *ca_file, struct td_buf *out);

/* Facts about a certificate chain as received, verified against ca_file (NULL = the system
 * store). Appends text or fills a cJSON object (passed as void * to keep cJSON out of this header). */
enum td_err td_probe_chain_text(const struct td_probe_answer *a, const char *name,
                                const char *ca_file, struct td_buf *out);
enum td_err td_probe_chain_json(const struct td_probe_answer *a, const char *name,
                                const char *ca_file, void *cjson_obj);

#endif
