/* diag.h -- the diagnosis: rules over a Transcript, giving ranked findings with evidence and fixes.
 *
 * td_diag_run() runs every rule (the table in lib/diag/rules.c; each rule documented in
 * docs/rules.md) over one Transcript and ranks what they found: failures (TD_SEV_ERROR) before
 * secondary observations (TD_SEV_WARNING) before notes (TD_SEV_INFO), then by confidence. The first
 * finding is the root cause ("leading finding").
 *
 * A server's log (td_transcript.logged_by == TD_ACTOR_SERVER) is diagnosed from the server's side
 * (lib/diag/rule_server.c): the same finding ids, said of the remote client and this server, with
 * the fix on whichever side it belongs (`fix`) and the client's alternative (`client_fix`).
 *
 * Ownership: a struct td_diagnosis owns its findings and every string in them except the `id`,
 * `title`, `fix_mbedtls2`, `fix_mbedtls3`, `server_fix` and `client_fix` pointers, which are static. It does not
 * borrow the Transcript: the Transcript may be freed first. td_diagnosis_free() releases it. */
#ifndef TLSDOCTOR_DIAG_H
#define TLSDOCTOR_DIAG_H

#include <stddef.h>
#include <stdint.h>
#include "tlsdoctor/err.h"
#include "tlsdoctor/transcript.h"

enum td_severity {
    TD_SEV_INFO = 0,    /* a note: what was negotiated, what the log shows */
    TD_SEV_WARNING,     /* a secondary observation: wrong, but not what failed */
    TD_SEV_ERROR        /* a cause of the failure */
};

#define TD_FINDING_MAX_EVIDENCE 12

/* One piece of evidence: where it is in the source and what it says, decoded. */
struct td_evidence {
    uint32_t line, line_end;  /* source lines (log) or frames (capture); 0 if not tied to one */
    char *text;               /* owned: e.g. "fatal alert 80 (internal_error) sent by the server" */
};

struct td_finding {
    const char *id;           /* static, stable: "sni-missing" (docs/rules.md) */
    const char *title;        /* static: a short name for people */
    enum td_severity sev;
    int confidence;           /* 0..100: how sure a log alone lets us be */
    char *reason;             /* owned: why that confidence */
    char *summary;            /* owned: the answer, one sentence, fix included where short */
    char *explanation;        /* owned: plain words */
    char *fix;                /* owned: the fix for the Mbed TLS major version at hand */
    const char *fix_mbedtls2; /* static: the fix in Mbed TLS 2.x terms (function / macro) */
    const char *fix_mbedtls3; /* static: the same for 3.x */
    const char *server_fix;   /* static: what the server side can change instead, or NULL */
    const char *client_fix;   /* static: in a server's log, what the client side can change instead,
                                 or NULL (then fix_mbedtls2/3 are the server's own fix) */
    const char *next_step;    /* static or NULL: the one thing to add (a debug line and its level, a
                                 call, `tlsdoctor probe`) that confirms this cause against the others */
    int likely;               /* 1: confidence is this cause's likelihood among the causes of the
                                 error code (lib/diag/likely.def), not evidence of this cause */
    struct td_evidence ev[TD_FINDING_MAX_EVIDENCE];
    size_t n_ev;
};

enum td_hs_result { TD_HS_UNKNOWN = 0, TD_HS_SUCCEEDED, TD_HS_FAILED };

/* What a diagnosis rests on. */
enum td_basis {
    TD_BASIS_DEBUG_LOG = 0,   /* "debug-log": Mbed TLS debug lines that hold the handshake's end */
    TD_BASIS_ERROR_CODE,      /* "error-code-only": only the error code(s) an application printed */
    TD_BASIS_FRAGMENT,        /* "fragment": a log cut before the handshake's result */
    TD_BASIS_CAPTURE,         /* "capture": a packet capture */
    TD_BASIS_PROBE,           /* "probe": a live probe */
    TD_BASIS_REPLAY           /* "replay-proven": handshakes against the server proved it (set by the
                                 replay, never by td_diag_run) */
};

/* Context the source reveals, which moves the likely causes of an error code (TD_CTX_* bits). */
#define TD_CTX_V2            0x0001u  /* Mbed TLS 2.x (or PolarSSL) */
#define TD_CTX_V3            0x0002u  /* Mbed TLS 3.x */
#define TD_CTX_ESP           0x0004u  /* ESP-IDF / esp-tls / arduino-esp32 lines */
#define TD_CTX_AWS           0x0008u  /* AWS IoT SDK lines or an amazonaws.com host */
#define TD_CTX_AZURE         0x0010u  /* Azure IoT SDK lines or an azure-devices.net host */
#define TD_CTX_ZEPHYR        0x0020u  /* Zephyr lines */
#define TD_CTX_STM32         0x0040u  /* STM32Cube (Middlewares/Third_Party/mbedTLS) */
#define TD_CTX_MBEDOS        0x0080u  /* Mbed OS */
#define TD_CTX_MQTT          0x0100u  /* port 8883 (MQTT over TLS) or an mqtts:// URL */
#define TD_CTX_CLOUD_IOT     0x0200u  /* a cloud IoT endpoint (*.iot.*.amazonaws.com, *.azure-devices.net) */
#define TD_CTX_BEFORE_ANSWER 0x0400u  /* the failure came before the server answered the ClientHello */
#define TD_CTX_AFTER_ANSWER  0x0800u  /* the server had answered the ClientHello */
#define TD_CTX_PLAIN_PORT    0x1000u  /* a plain-text port or URL: 1883 (MQTT), 80, 8080, ws://, http://, mqtt:// */
#define TD_CTX_SERVER_SIDE   0x2000u  /* the log is a server's (its peer is the client) */
#define TD_CTX_PSA_CALL      0x4000u  /* a psa_*() call is the one that failed (3.x) */
#define TD_CTX_COUNT 15

/* What the handshake negotiated, as far as the source shows (has_* = known). */
struct td_negotiated {
    int has_version, has_suite, has_group;
    uint16_t version, suite, group;
};

struct td_diagnosis {
    enum td_hs_result handshake;
    enum td_actor logged_by;  /* whose log was diagnosed (the Transcript's logged_by) */
    enum td_basis basis;      /* what the findings rest on */
    unsigned context;         /* TD_CTX_* bits the source revealed */
    int64_t code;             /* the error code the likely causes were ranked for, 0 if none */
    int mbedtls_major;        /* the version the fixes were written for (0 = unknown: both given) */
    struct td_negotiated neg;
    struct td_finding *f;     /* owned, ranked: f[0] leads */
    size_t n, cap;
};

struct td_diag_opts {
    int mbedtls_major;        /* 2 or 3 to override what the Transcript says; 0 = use it */
};

/* Runs the rules over t and fills *out (initialised here; free it with td_diagnosis_free even on
 * failure). o may be NULL. Returns TD_OK or TD_ERR_NOMEM. */
enum td_err td_diag_run(const struct td_transcript *t, const struct td_diag_opts *o,
                        struct td_diagnosis *out);
void td_diagnosis_free(struct td_diagnosis *d);
/* Shrinks d to what a one-line mention of it needs: the outcome, what was negotiated, and the
 * leading finding's id, title, severity and confidence (its texts and evidence are freed, and every
 * other finding). For reports over many attempts, where only one is shown in full. */
void td_diagnosis_keep_leading(struct td_diagnosis *d);

/* The leading finding, or NULL when there are none. */
const struct td_finding *td_diag_leading(const struct td_diagnosis *d);
/* 1 if the leading finding names a failure cause (an error that is not "unknown" or
 * "insufficient-evidence"). */
int td_diag_has_cause(const struct td_diagnosis *d);

/* The rank key of a finding: causes (3), then "the handshake succeeded" (2), then secondary
 * observations (1), then notes (0); confidence breaks ties. A warning never leads over success. */
int td_finding_rank(const struct td_finding *f);

/* The exit code for a command's diagnosis (one contract for every command; docs/tlsdoctor.1,
 * "EXIT STATUS"): TD_EXIT_FINDING when a cause is named (td_diag_has_cause), else TD_EXIT_OK when the
 * handshake succeeded or nothing failed, else TD_EXIT_NOTHING (the input shows a failure or nothing,
 * and no cause). d is the leading attempt's diagnosis; any_cause is 1 if any other attempt named
 * a cause. */
enum td_exit {
    TD_EXIT_OK = 0,        /* success; for diagnoses: the handshake succeeded */
    TD_EXIT_FINDING = 1,   /* a failure was diagnosed (a cause named, likely causes included) */
    TD_EXIT_USAGE = 2,     /* bad command line */
    TD_EXIT_NOTHING = 3,   /* the input held nothing recognisable, no cause, or the value is unknown */
    TD_EXIT_ERROR = 4      /* I/O, network or internal error */
};
int td_diag_exit_code(const struct td_diagnosis *d, int any_cause);

const char *td_basis_name(enum td_basis b);         /* "debug-log", "error-code-only", ... (JSON) */
const char *td_basis_phrase(enum td_basis b);       /* "inferred from the error code alone", ... */
const char *td_context_name(unsigned bit);          /* "mbedtls-2", "esp-idf", "port-8883", ... */

const char *td_severity_name(enum td_severity s);   /* "error", "warning", "info" */
const char *td_hs_result_name(enum td_hs_result r); /* "succeeded", "failed", "unknown" */

/* The rule catalogue, for documentation and tests: id and title of rule i, NULL past the end. */
const char *td_diag_rule_id(size_t i);
const char *td_diag_rule_title(size_t i);

#endif
