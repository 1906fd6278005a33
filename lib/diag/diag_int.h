/* diag_int.h -- what the diagnosis engine and its rules share: the facts derived once from a
 * Transcript, the rule table's row type, and helpers to emit findings. Internal to lib/diag. */
#ifndef TD_DIAG_INT_H
#define TD_DIAG_INT_H

#include <stddef.h>
#include <stdint.h>
#include "tlsdoctor/diag.h"
#include "tlsdoctor/transcript.h"
#include "tlsdoctor/wire.h"
#include "tlsdoctor/x509.h"

#define DX_MAX_LIST 128

/* A list of 16-bit values offered by the client, with the event that showed the first one. */
struct dx_list {
    uint16_t v[DX_MAX_LIST];
    size_t n;
    const struct td_event *ev;
};

/* Facts about one handshake attempt, derived once from the Transcript (facts.c). Event pointers
 * borrow the Transcript. */
struct dx_facts {
    const struct td_transcript *t;
    int major;                          /* Mbed TLS major version, 0 if unknown */

    /* The ClientHello: decoded from its record when the log has the bytes... */
    int has_ch;
    struct td_client_hello ch;          /* borrows ch_ev->data */
    const struct td_event *ch_ev;
    /* ...and, either way, merged with what level-3 text says. */
    int exts_known;                     /* the list of extensions sent is known */
    int sni_sent;                       /* server_name was in the ClientHello */
    const struct td_event *sni_ev;      /* where (the record, a fact or the host name line) */
    const char *hostname;               /* from a HOSTNAME fact, or NULL */
    const struct td_event *hostname_ev;
    struct dx_list suites, groups, sigalgs;
    uint16_t max_version, min_version;
    int offers_tls13;
    int has_time;
    uint32_t gmt_time;                  /* first four bytes of the client random, or logged time */
    const struct td_event *time_ev;
    int time_from_random;
    int mfl_asked;
    unsigned mfl_bytes;
    const struct td_event *mfl_ev;
    const struct td_event *ch_sent_ev;  /* the ClientHello record or "write client hello" step */

    /* The server's answer. */
    int has_sh;
    struct td_server_hello sh;          /* borrows sh_ev->data */
    const struct td_event *sh_ev;
    int server_answered;                /* any sign of a ServerHello (bytes, facts or steps) */
    const struct td_event *answer_ev;
    int has_chosen_suite, has_chosen_version, has_chosen_group;
    uint16_t chosen_suite, chosen_version, chosen_group;

    /* Alerts, returns, verification. */
    const struct td_event *srv_alert;   /* first fatal alert the server sent */
    const struct td_event *srv_warn;    /* first warning alert the server sent */
    const struct td_event *cli_alert;   /* first fatal alert the client sent */
    int cli_closed;                     /* the client sent any alert (close_notify included) */
    const struct td_event *fail_ret;    /* first failing return (not WANT_READ/WRITE) */
    const struct td_event *last_ret;    /* last failing return */
    int hs_done;                        /* handshake known to have returned 0 */
    int hs_failed;                      /* handshake known to have failed */
    int64_t hs_ret;
    const struct td_event *hs_ret_ev;   /* the event carrying it, if any */
    const struct td_event *hs_end_ev;   /* else an event on the line that shows the result (the
                                           handshake's end, the application's report), if any */
    int failed_after_hs;                /* failure came in mbedtls_ssl_read/write after success */
    unsigned verify_flags;
    const struct td_event *verify_ev;
    const struct td_event *verify_fatal_ev; /* flags 0xffffffff: the verification ended in a fatal
                                               error (not counted in verify_flags) */
    size_t n_want_read;                 /* WANT_READ returns seen */
    uint32_t max_srv_record;            /* longest record the server sent (header length) */
    const struct td_event *max_srv_record_ev;
    long in_buffer;                     /* client input buffer, -1 if unknown */
    const struct td_event *in_buffer_ev;
    int cert_request;                   /* the server asked for a client certificate */
    const struct td_event *cert_request_ev;
    size_t cert_request_cas;            /* TLS 1.2: bytes of CA names the request lists (0: none) */
    const struct td_event *empty_cert_ev;   /* the client's Certificate message, empty */
    const struct td_event *http_refusal_ev; /* server application data refusing a missing cert */
    uint32_t max_srv_hs_msg;            /* longest handshake message the server started (header) */
    uint8_t max_srv_hs_type;
    const struct td_event *max_srv_hs_ev;
    /* Transport events a capture shows (TD_EVF_TCP_FIN / TD_EVF_TCP_RST), first of each. */
    const struct td_event *srv_fin_ev, *srv_rst_ev, *cli_fin_ev, *cli_rst_ev;
    const struct td_event *refused_ev;  /* the RST that answered the client's SYN */
    const struct td_event *srv_first_rec;   /* the server's first TLS record, any type */
    const struct td_event *srv_first_enc;   /* the server's first application_data record */
    int has_ske_sigalg;                 /* a plaintext ECDHE ServerKeyExchange was decoded */
    uint16_t ske_sigalg;                /* the signature algorithm it names (TLS 1.2) */
    const struct td_event *ske_ev;
    const struct td_event *hs_done_seen;    /* capture, TLS 1.3: the server's encrypted answer to
                                               the client's data after its Finished (hs_done set) */

    /* The server's leaf certificate, where its Certificate message is readable (TLS 1.2 on the
     * wire, or a dump): the DER borrows leaf_ev->data. */
    int has_leaf;
    struct td_x509_summary leaf;
    const uint8_t *leaf_der;
    size_t leaf_der_len;
    const struct td_event *leaf_ev;
    const uint8_t *cert_msg;            /* the server's Certificate message body (borrowed), parsed */
    size_t cert_msg_len;                /* into leaf only when the client refused something */
    const struct td_event *cert_msg_ev;
    char sni_name[256];                 /* the ClientHello's host_name (printable), or "" */
    int client_lib;                     /* the client is Mbed TLS of this major version: from the
                                           log, or in a capture from the order of its ClientHello's
                                           extensions (2 or 3); 0 when it does not look like it */
    int64_t source_time;                /* when the source was recorded (a capture), 0 if unknown */
    const struct td_event *source_time_ev;

    size_t srv_hs_left;                 /* bytes of the server's current handshake message to come */
    int srv_ccs;                        /* the server sent ChangeCipherSpec: handshake is encrypted */
    const struct td_event *srv_cont;    /* the first server record that only continues a message */

    /* Read from a capture's record sizes and TCP closes (facts_capture.c). */
    const struct td_event *cut_record;  /* a server record still arriving when the client quit */
    const struct td_event *cli_quit_ev; /* the client's FIN/RST that cut it, no alert before */
    const struct td_event *continued_ev;    /* a server handshake message continued in a later
                                               record, then the client quit without an alert */
    const struct td_event *tls13_empty_cert;    /* TLS 1.3: the client's first encrypted record,
                                                   the size of a Certificate with no certificate */
    const struct td_event *tls13_cli_fin;       /* the record after it (its Finished) */
    const struct td_event *tls13_refusal;       /* the server's alert-sized answer, then a close */
    const struct td_event *srv_close_ev;        /* the FIN/RST that followed it */
};

struct dx;
struct dx_rule;
typedef void (*dx_rule_fn)(struct dx *dx, const struct dx_rule *r);

/* One row of the rule table (rules.c). */
struct dx_rule {
    const char *id;
    const char *title;
    dx_rule_fn fn;
    const char *fix_mbedtls2;
    const char *fix_mbedtls3;
    const char *server_fix;
};

struct dx {
    struct dx_facts fx;
    struct td_diagnosis *out;
    enum td_err err;                    /* sticky allocation failure */
};

extern const struct dx_rule dx_rules[];
extern const size_t dx_n_rules;
/* likely.c: the causes only the likelihood table emits (their fn is NULL), the lookup of a row by
 * id in both tables, what a diagnosis rests on, the context bits, and the likely-cause pass. */
extern const struct dx_rule dx_likely_rules[];
extern const size_t dx_n_likely_rules;
const struct dx_rule *dx_rule_by_id(const char *id);
enum td_basis dx_basis(const struct dx_facts *fx);
unsigned dx_context(const struct dx_facts *fx);
void dx_likely_run(struct dx *dx);

/* rule_server.c: the rules for a server's log (td_transcript.logged_by == TD_ACTOR_SERVER), run
 * instead of the table in rules.c: the same ids, said from the server's side. */
void dx_server_rules(struct dx *dx);
/* rule_x509.c: the same for a server's log (chain-too-long, cert-key-usage, cert-ext-key-usage,
 * weak-cert-crypto, cert-expired of the client's certificate, dtls-cookie-failed); returns how many
 * findings it made. */
int dx_server_x509_rules(struct dx *dx);

/* facts.c */
void dx_facts_build(struct dx_facts *fx, const struct td_transcript *t, int major);
/* facts_capture.c: the facts above that only record sizes and TCP closes show. */
void dx_capture_facts(struct dx_facts *fx);
/* The AEAD tag length of a TLS 1.3 suite (8 for CCM_8, else 16). */
unsigned dx_tls13_tag_len(uint16_t suite);
/* First event (in order) whose text contains needle (case-insensitive), or NULL. */
const struct td_event *dx_find_text(const struct dx_facts *fx, const char *needle);
/* First failing return with this code, or NULL. */
const struct td_event *dx_find_ret(const struct dx_facts *fx, int64_t code);
/* The first fact event of that kind, or NULL. */
const struct td_event *dx_find_fact(const struct dx_facts *fx, enum td_fact fact);
/* The first TD_FACT_REFUSAL event of that kind (a server's log), or NULL. */
const struct td_event *dx_find_refusal(const struct dx_facts *fx, enum td_refusal why);
int dx_list_has(const struct dx_list *l, uint16_t v);
/* Is this a (negative) code the handshake or a later read/write ended with? */
int dx_failed_with(const struct dx_facts *fx, int64_t code);
/* The event that shows it: the first failing return with that code, else the handshake's result
 * when it is that code; NULL when neither (or code is 0). */
const struct td_event *dx_failed_ev(const struct dx_facts *fx, int64_t code);
/* An Mbed TLS error code by its macro name ("SSL_UNKNOWN_IDENTITY", with or without MBEDTLS_ERR_),
 * from the registry (lib/reg/data/mbedtls_errors.def); 0 if the table lacks it. */
int64_t dx_err_code(const char *name);
/* A refusal the handshake went on after (MBEDTLS_SSL_VERIFY_OPTIONAL: the application reads the
 * flags afterwards) is a warning, not the cause: TD_SEV_WARNING once the handshake succeeded. */
enum td_severity dx_refusal_sev(const struct dx_facts *fx);
/* 1 if the server answered the ClientHello before ev (a ServerHello or later message). */
int dx_answer_before(const struct dx_facts *fx, const struct td_event *ev);

/* diag.c: emitting findings. All formatting helpers are sticky on allocation failure. */
struct td_finding *dx_emit(struct dx *dx, const struct dx_rule *r, enum td_severity sev,
                           int confidence);
void dx_set(struct dx *dx, char **field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Appends to *field (which may be NULL). */
void dx_add(struct dx *dx, char **field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Adds evidence tied to ev's lines (ev may be NULL: no line). */
void dx_ev(struct dx *dx, struct td_finding *f, const struct td_event *ev, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Common evidence: the alert / return / hello described in words. */
void dx_ev_alert(struct dx *dx, struct td_finding *f, const struct td_event *alert);
void dx_ev_ret(struct dx *dx, struct td_finding *f, const struct td_event *ret);
void dx_ev_final(struct dx *dx, struct td_finding *f);
/* "ECDHE-ECDSA-AES-256-GCM-SHA384, ..." style text of the offered suites, into a caller buffer. */
void dx_suites_text(const struct dx_list *l, char *out, size_t cap);
/* The first finding with this id so far, or NULL. */
struct td_finding *dx_found(struct dx *dx, const char *id);
/* What the source is, for sentences: "log", "capture" or "probe". */
const char *dx_source(const struct dx_facts *fx);
/* Name of an alert description: reg's name or "alert N". */
const char *dx_alert_name(int desc);

/* Mbed TLS error codes the rules reason about (2.x and 3.x; where they differ both are named). */
enum {
    DX_ERR_NET_CONNECT_FAILED = -0x0044, DX_ERR_NET_UNKNOWN_HOST = -0x0052,
    DX_ERR_NET_RECV_FAILED = -0x004C, DX_ERR_NET_SEND_FAILED = -0x004E,
    DX_ERR_NET_CONN_RESET = -0x0050, DX_ERR_NET_SOCKET_FAILED = -0x0042,
    DX_ERR_X509_CERT_VERIFY_FAILED = -0x2700,
    DX_ERR_SSL_FEATURE_UNAVAILABLE = -0x7080, DX_ERR_SSL_BAD_INPUT_DATA = -0x7100,
    DX_ERR_SSL_CONN_EOF = -0x7280, DX_ERR_SSL_NO_CIPHER_CHOSEN_2 = -0x7380,
    DX_ERR_SSL_NO_RNG = -0x7400, DX_ERR_SSL_CA_CHAIN_REQUIRED = -0x7680,
    DX_ERR_SSL_PRIVATE_KEY_REQUIRED = -0x7600,
    DX_ERR_SSL_FATAL_ALERT = -0x7780, DX_ERR_SSL_PEER_CLOSE_NOTIFY = -0x7880,
    DX_ERR_SSL_ALLOC_FAILED = -0x7F00, DX_ERR_SSL_BAD_PROTOCOL_VERSION = -0x6E80,
    DX_ERR_SSL_INTERNAL_ERROR = -0x6C00, DX_ERR_SSL_WANT_READ = -0x6900,
    DX_ERR_SSL_WANT_WRITE = -0x6880, DX_ERR_SSL_TIMEOUT = -0x6800,
    DX_ERR_SSL_NO_USABLE_CIPHERSUITE_2 = -0x6980, DX_ERR_SSL_BUFFER_TOO_SMALL = -0x6A00,
    DX_ERR_SSL_ILLEGAL_PARAMETER_3 = -0x6600, DX_ERR_SSL_VERSION_MISMATCH = -0x5F00,
    DX_ERR_SSL_BAD_CONFIG = -0x5E80, DX_ERR_SSL_NO_HOSTNAME_3 = -0x5D80,
    DX_ERR_SSL_HANDSHAKE_FAILURE_3 = -0x6E00,
    DX_ERR_SSL_ASYNC_IN_PROGRESS = -0x6500, DX_ERR_SSL_CRYPTO_IN_PROGRESS = -0x7000
};

/* AlertLevel (RFC 5246 7.2, RFC 8446 6): the level of a TD_EV_ALERT event (its `a`). */
enum { DX_ALERT_LEVEL_WARNING = 1, DX_ALERT_LEVEL_FATAL = 2 };

/* MBEDTLS_X509_BADCERT_* flags. */
enum {
    DX_BADCERT_EXPIRED = 0x01, DX_BADCERT_REVOKED = 0x02, DX_BADCERT_CN_MISMATCH = 0x04,
    DX_BADCERT_NOT_TRUSTED = 0x08, DX_BADCERT_MISSING = 0x40, DX_BADCERT_SKIP_VERIFY = 0x80,
    DX_BADCERT_OTHER = 0x0100, DX_BADCERT_FUTURE = 0x0200, DX_BADCERT_KEY_USAGE = 0x0800,
    DX_BADCERT_EXT_KEY_USAGE = 0x1000, DX_BADCERT_BAD_MD = 0x4000, DX_BADCERT_BAD_PK = 0x8000,
    DX_BADCERT_BAD_KEY = 0x010000
};

#endif
