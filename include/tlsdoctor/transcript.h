/* transcript.h -- the Transcript: the ordered events of one handshake attempt, whatever the source.
 *
 * Producers: the Mbed TLS log reader (lib/mbedlog), the capture reader (lib/capture) and the prober
 * (lib/probe). Consumer: the diagnosis (lib/diag) and the renderers (lib/report).
 *
 * Every event keeps its provenance: `line`..`line_end` are 1-based line numbers in the log (or frame
 * numbers in a capture, or probe steps), so a finding can point at its evidence.
 *
 * Ownership: a struct td_transcript owns its events, and each event owns its `text` and `data`
 * (heap copies). td_transcript_free() releases everything. Nothing in here borrows the input. */
#ifndef TLSDOCTOR_TRANSCRIPT_H
#define TLSDOCTOR_TRANSCRIPT_H

#include <stddef.h>
#include <stdint.h>
#include "tlsdoctor/err.h"

/* Who did something: sent a record or alert, or printed the log. */
enum td_actor { TD_ACTOR_UNKNOWN = 0, TD_ACTOR_CLIENT, TD_ACTOR_SERVER };

/* Where a transcript came from. */
enum td_origin {
    TD_ORIGIN_DEBUG_LOG = 0,  /* Mbed TLS debug output (MBEDTLS_DEBUG_C) */
    TD_ORIGIN_APP_OUTPUT,     /* only application/SDK lines (e.g. "mbedtls_ssl_handshake returned -0x7200") */
    TD_ORIGIN_CAPTURE,        /* a packet capture */
    TD_ORIGIN_PROBE           /* a live probe or replay */
};

enum td_ev_kind {
    TD_EV_RECORD = 0, /* a TLS record's bytes (header included): data/len, `from` sent it.
                         flags TD_EVF_TRUNCATED when the bytes stop short of the record length.
                         a = content type (data[0]) or -1; code = the header's length field. */
    TD_EV_ALERT,      /* an alert: a = level (1 warning, 2 fatal), b = description, `from` sent it */
    TD_EV_RETURN,     /* a library/app call failed: text = function name, code = return value (< 0) */
    TD_EV_STATE,      /* handshake state: code = state number or -1, text = state name or NULL */
    TD_EV_STEP,       /* "=> step" (a = 1) or "<= step" (a = 0): text = step ("write client hello") */
    TD_EV_FACT,       /* a fact stated in text: fact = which, code/text = its value */
    TD_EV_VERIFY,     /* certificate verification: code = MBEDTLS_X509_BADCERT_* flags (or 0), text = message */
    TD_EV_IO,         /* transport call: `from` = who sent (CLIENT for f_send), code = bytes or error */
    TD_EV_MESSAGE     /* other library or application text worth keeping: text */
};

/* Which fact a TD_EV_FACT states. Add new ones at the end. */
enum td_fact {
    TD_FACT_NONE = 0,
    TD_FACT_OFFERED_SUITE,    /* code = suite id offered in the ClientHello */
    TD_FACT_CHOSEN_SUITE,     /* code = suite id the server chose */
    TD_FACT_MAX_VERSION,      /* code = 0x0303 style: highest version offered */
    TD_FACT_MIN_VERSION,      /* code = lowest version the client accepts */
    TD_FACT_CHOSEN_VERSION,   /* code = negotiated version */
    TD_FACT_EXT_ADDED,        /* code = extension type or -1, text = extension name as logged */
    TD_FACT_HOSTNAME,         /* text = host name the client set (SNI / verification name) */
    TD_FACT_CLIENT_TIME,      /* code = gmt_unix_time in the ClientHello random, or as logged */
    TD_FACT_MFL,              /* code = max fragment length in bytes the client asked for */
    TD_FACT_IN_BUFFER,        /* code = client's input buffer size (MBEDTLS_SSL_IN_CONTENT_LEN) */
    TD_FACT_LIB_VERSION,      /* text = "Mbed TLS 3.6.6" etc. */
    TD_FACT_CERT,             /* text = one certificate as Mbed TLS printed it; code = depth or -1 */
    TD_FACT_GROUP,            /* code = group offered (supported_groups / key share) */
    TD_FACT_SIGALG,           /* code = signature algorithm offered */
    TD_FACT_CHOSEN_GROUP,     /* code = group the server picked */
    TD_FACT_RECORD_LEN,       /* code = length of an incoming record as the log reports it */
    TD_FACT_OFFERED_VERSION,  /* code = one version in the client's supported_versions (0x0304) */
    TD_FACT_SOURCE_TIME,      /* code = when the source was recorded, seconds since the epoch (a
                                 capture's first packet of the connection) */
    TD_FACT_LOG_SIDE,         /* code = enum td_actor: the log's writer is that side, as this line
                                 shows (a server's step, state or file); emitted for server logs,
                                 where it also sets td_transcript.logged_by */
    TD_FACT_REFUSAL,          /* code = enum td_refusal: the log's writer (a server) refused what the
                                 peer offered, in the words of this line */
    TD_FACT_PLATFORM,         /* code = enum td_platform the log's lines reveal, text = its name */
    TD_FACT_PEER,             /* text = host the application printed it connects to, code = port
                                 (0 if not printed) */
    TD_FACT_PEER_ERROR        /* a line another program printed about the handshake (nginx, Go,
                                 OpenSSL, GnuTLS, Mosquitto...): code = enum td_peer_cause, text =
                                 the line, a = the side that printed it (enum td_actor, UNKNOWN when
                                 the line does not say), b = 1 when the line reports an alert the
                                 printer received (so its peer raised the complaint), else 0;
                                 `from` = the side that raised it when known, else UNKNOWN */,
    TD_FACT_MFL_NOT_ECHOED,   /* the server's answer (TLS 1.3: its ServerHello or EncryptedExtensions)
                                 has no max_fragment_length: the client's request was not taken */
    TD_FACT_DHM_SHORT,        /* the client refused the server's DH prime as too short: code = the
                                 prime's bits, a = the client's minimum (mbedtls_ssl_conf_dhm_min_bitlen) */
    TD_FACT_CERT_USAGE,       /* the usage a certificate the log printed allows: code = its depth (as
                                 TD_FACT_CERT), a = its keyUsage bits (MBEDTLS_X509_KU_*) or -1 without
                                 the extension, b = its extendedKeyUsage purposes (TD_EKU_*) or -1
                                 without the extension */
    TD_FACT_USAGE_REFUSED,    /* Mbed TLS refused a certificate for its (extended) key usage: code 0 the
                                 peer's certificate (the handshake fails), 1 the writer's own
                                 certificate, skipped for a suite (a server picking its certificate) */
    TD_FACT_CURVE_REFUSED     /* Mbed TLS refused the peer's certificate: its EC key is on a curve this
                                 side does not allow ("bad certificate (EC key curve)"; BADCERT_BAD_KEY) */,
    TD_FACT_WRITE_TOO_LARGE   /* DTLS: mbedtls_ssl_write() got more than one record can carry and
                                 refused it: code = the bytes asked, a = the most one record takes
                                 (the negotiated maximum fragment length or MTU) */,
    TD_FACT_RENEGO            /* what the writer's Mbed TLS said of a renegotiation or of secure
                                 renegotiation (RFC 5746): code = enum td_renego, text = the line */,
    TD_FACT_PSK_IDENTITY      /* a PSK identity the writer (a server) has no key for, as its level-3
                                 dump shows it: text = the identity (printable bytes, others as
                                 \xNN), code = its length in bytes */
};

/* extendedKeyUsage purposes of TD_FACT_CERT_USAGE. */
#define TD_EKU_SERVER_AUTH  0x01  /* id-kp-serverAuth */
#define TD_EKU_CLIENT_AUTH  0x02  /* id-kp-clientAuth */
#define TD_EKU_OTHER        0x04  /* another purpose Mbed TLS names (code signing, e-mail, ...) */
#define TD_EKU_UNNAMED      0x08  /* a purpose Mbed TLS does not name ("???": anyExtendedKeyUsage in 2.x) */
#define TD_EKU_ANY          0x10  /* anyExtendedKeyUsage, named (3.x) */

/* Why a server refused its client, as its own log says (TD_FACT_REFUSAL). Add new ones at the end. */
enum td_refusal {
    TD_REFUSAL_NONE = 0,
    TD_REFUSAL_NO_SUITE,        /* no cipher suite in common ("got no ciphersuites in common") */
    TD_REFUSAL_NO_GROUP,        /* no ECDHE curve in common ("no matching curve for ECDHE") */
    TD_REFUSAL_VERSION_LOW,     /* the client's highest version is below the server's minimum */
    TD_REFUSAL_VERSION_HIGH,    /* the client's lowest version is above the server's maximum */
    TD_REFUSAL_NO_CLIENT_CERT,  /* a required client certificate was not sent */
    TD_REFUSAL_SNI_UNKNOWN,     /* the SNI callback refused the requested name */
    TD_REFUSAL_FALLBACK         /* TLS_FALLBACK_SCSV with a version below the server's highest
                                   ("inapropriate fallback", sic: 2.x ssl_srv.c) */
};

/* Renegotiation as the writer's Mbed TLS reports it (TD_FACT_RENEGO). Add new ones at the end. */
enum td_renego {
    TD_RENEGO_NONE = 0,
    TD_RENEGO_NOT_HONORED,    /* the writer asked to renegotiate and the peer went on without it
                                 ("renegotiation requested, but not honored by client/server") */
    TD_RENEGO_LEGACY_BREAK,   /* the peer has no secure renegotiation and the writer is set to break
                                 off (MBEDTLS_SSL_LEGACY_BREAK_HANDSHAKE): "legacy renegotiation,
                                 breaking off handshake" */
    TD_RENEGO_LEGACY_REFUSED, /* the peer renegotiates without secure renegotiation and the writer
                                 does not allow it: "legacy renegotiation not allowed" */
    TD_RENEGO_BAD_INFO        /* the peer's renegotiation_info does not match ("non-matching
                                 renegotiation info", "non-zero length renegotiation info",
                                 "received RENEGOTIATION SCSV during renegotiation") */
};

/* Platforms and SDKs a log's decoration or tags reveal (TD_FACT_PLATFORM). */
enum td_platform {
    TD_PLATFORM_NONE = 0,
    TD_PLATFORM_ESP_IDF,      /* "esp-tls", "esp-tls-mbedtls", ESP-IDF's "E (123) tag:" lines */
    TD_PLATFORM_AWS_IOT,      /* AWS IoT Device SDK ("aws_iot:", "iot_tls_connect") */
    TD_PLATFORM_ZEPHYR,       /* Zephyr ("<err> net_sock_tls:", "*** Booting Zephyr") */
    TD_PLATFORM_STM32CUBE,    /* STM32Cube ("Middlewares/Third_Party/mbedTLS") */
    TD_PLATFORM_MBED_OS,      /* Mbed OS ("mbed-os", "TLSSocket") */
    TD_PLATFORM_AZURE_IOT     /* Azure IoT SDK ("azure-devices.net", "azure_iot") */
};

/* What another program's error line names (TD_FACT_PEER_ERROR). Add new ones at the end. */
enum td_peer_cause {
    TD_PEER_NONE = 0,
    TD_PEER_NO_SHARED_CIPHER,  /* no cipher suite in common (TLS 1.2 servers also say so when no
                                  ECDHE curve is common) */
    TD_PEER_VERSION,           /* no protocol version in common */
    TD_PEER_NO_SHARED_GROUP,   /* no key exchange group in common */
    TD_PEER_NO_SHARED_SIGALG,  /* no signature algorithm in common */
    TD_PEER_UNKNOWN_CA,        /* a certificate was refused: issuer not trusted (alert 48) */
    TD_PEER_BAD_CERT,          /* a certificate was refused: bad/unsupported/revoked/unknown */
    TD_PEER_CERT_EXPIRED,      /* a certificate was refused: expired */
    TD_PEER_CERT_VERIFY,       /* the printer's own certificate verification failed */
    TD_PEER_CERT_REQUIRED,     /* the server wanted a client certificate and got none */
    TD_PEER_UNRECOGNIZED_NAME, /* the server has nothing for the requested name (alert 112) */
    TD_PEER_NO_CERT_FOR_NAME,  /* the server found no certificate for the name (or for no SNI) */
    TD_PEER_HANDSHAKE_FAILURE, /* a generic handshake failure or internal error */
    TD_PEER_DECODE_ERROR,      /* a message could not be parsed or came out of order */
    TD_PEER_NOT_TLS,           /* what arrived was not TLS (HTTP on a TLS port, wrong version number) */
    TD_PEER_PEER_CLOSED,       /* the printer's peer closed the connection mid-handshake */
    TD_PEER_RECORD_TOO_LARGE,  /* a record longer than allowed */
    TD_PEER_NO_VERIFY_OPTION,  /* the device's TLS layer (ESP-IDF esp-tls) has no way to verify the
                                  server configured (no CA, no bundle) and did not even start */
    TD_PEER_UNSUPPORTED_CERT   /* a certificate was refused as unsupported (alert 43): Mbed TLS sends
                                  it for a key usage, extended key usage, key type or curve */
};

#define TD_EVF_TRUNCATED      0x01u  /* bytes stop short (dump cut, log ends) */
#define TD_EVF_RECONSTRUCTED  0x02u  /* built from text facts, not seen as bytes */
#define TD_EVF_FROM_APP       0x04u  /* from application output, not Mbed TLS's debug lines */
#define TD_EVF_DECRYPTED      0x08u  /* RECORD: plaintext of an encrypted record as the log dumped it
                                        after decryption; the 5-byte header is rebuilt (content type
                                        from the log, version 0x0303, length = plaintext length), so
                                        the RECONSTRUCTED flag is set too */
#define TD_EVF_TCP_FIN        0x10u  /* MESSAGE from a capture: `from` closed its side (TCP FIN) */
#define TD_EVF_TCP_RST        0x20u  /* MESSAGE from a capture: `from` reset the connection (TCP RST) */
#define TD_EVF_TCP_REFUSED    0x40u  /* with TD_EVF_TCP_RST: the RST answered the client's SYN, so no
                                        connection was made (nothing listens there) */
#define TD_EVF_SOFT           0x80u  /* RETURN: a code Mbed TLS carries on after at that point
                                        (WANT_READ, a dropped DTLS record, a declined ticket...:
                                        td_mbedtls_soft_ret()); not a failure */

struct td_event {
    enum td_ev_kind kind;
    enum td_actor from;   /* sender of a record/alert/IO; TD_ACTOR_UNKNOWN where it does not apply */
    enum td_fact fact;    /* TD_EV_FACT only */
    uint32_t line;        /* first source line (1-based); 0 if unknown */
    uint32_t line_end;    /* last source line (>= line) */
    int64_t code;
    int a, b;
    unsigned flags;       /* TD_EVF_* */
    char *text;           /* owned, NUL-terminated, or NULL */
    uint8_t *data;        /* owned, or NULL */
    size_t len;
};

/* Where the source stops, relative to the handshake: says what we can and cannot know. */
enum td_stop {
    TD_STOP_UNKNOWN = 0,
    TD_STOP_COMPLETE,          /* the attempt's end is in the source (handshake returned) */
    TD_STOP_BEFORE_HELLO,      /* source ends before the ClientHello was sent */
    TD_STOP_MID_CLIENT_HELLO,  /* ClientHello being written when the source ends */
    TD_STOP_BEFORE_SERVER_ANSWER, /* ClientHello sent, nothing from the server yet */
    TD_STOP_MID_HANDSHAKE      /* some server messages seen, then the source ends */
};

struct td_transcript {
    enum td_origin origin;
    enum td_actor logged_by;   /* whose log this is: client or server side */
    int mbedtls_major;         /* 1 (PolarSSL), 2, 3, or 0 if unknown */
    int mbedtls_minor;         /* -1 if unknown */
    int debug_level;           /* highest debug level seen (0 if none) */
    enum td_stop stop;
    uint32_t first_line, last_line;
    int handshake_ret_known;   /* 1 if the handshake's final return is in the source */
    int64_t handshake_ret;     /* that return (0 = success) */
    uint32_t handshake_ret_line; /* the source line that shows it (0 if none does) */
    int stray_datagram;        /* server (DTLS): this attempt is no connection at all: after a completed
                                  DTLS connection, the next datagram the server took for a new client
                                  was a record of that connection (epoch above 0; or, in a log
                                  without debug lines, the attempt failed at once on a ClientHello
                                  that was not one), so the handshake "failed" on it */
    struct td_event *ev;       /* owned array */
    size_t n_ev, cap_ev;
};

/* A source usually holds several attempts. Owns its transcripts. */
struct td_transcript_set {
    struct td_transcript *t;   /* owned array of n */
    size_t n, cap;
};

void td_transcript_init(struct td_transcript *t, enum td_origin origin);
void td_transcript_free(struct td_transcript *t);
/* Appends a copy of *ev (text and data are copied; ev keeps its own). Returns the new event or NULL
 * on allocation failure. */
struct td_event *td_transcript_add(struct td_transcript *t, const struct td_event *ev);

void td_transcript_set_init(struct td_transcript_set *s);
void td_transcript_set_free(struct td_transcript_set *s);
/* Adds an empty transcript and returns it (owned by the set), or NULL on allocation failure.
 * Pointers returned earlier may move: use indices across calls. */
struct td_transcript *td_transcript_set_add(struct td_transcript_set *s, enum td_origin origin);

const char *td_actor_name(enum td_actor a);       /* "client", "server", "unknown" */
const char *td_ev_kind_name(enum td_ev_kind k);   /* stable lower-case ids used in JSON */
const char *td_fact_name(enum td_fact f);         /* stable lower-case ids used in JSON */
const char *td_peer_cause_name(enum td_peer_cause c);  /* stable lower-case ids: "no_shared_cipher" */
const char *td_stop_describe(enum td_stop s);     /* a phrase: "before the server's answer" */
const char *td_stop_name(enum td_stop s);         /* stable lower-case ids used in JSON */
const char *td_origin_name(enum td_origin o);     /* stable lower-case ids used in JSON */

/* The transcript as a cJSON object (caller owns it: cJSON_Delete()), or NULL on allocation
 * failure. Shape: {origin, logged_by, mbedtls_major, mbedtls_minor, debug_level, stop,
 * first_line, last_line, handshake_ret (null if unknown), events: [{kind, from, fact, line,
 * line_end, code, a, b, flags: ["truncated", ...], text, data (hex)}]}; absent values are left
 * out of each event. A peer_error fact also has cause (td_peer_cause_name()), printed_by (when
 * known) and received. */
struct cJSON;
struct cJSON *td_transcript_to_json(const struct td_transcript *t);

#endif
