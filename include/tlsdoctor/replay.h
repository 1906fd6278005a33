/* replay.h -- `tlsdoctor diagnose --server`: replay the device's own ClientHello against the
 * server, search for the smallest change that turns the failure into a ServerHello, then check
 * what the device would meet after the ServerHello (chain, clock, name, sizes, client
 * certificate). The answer is proven by handshakes, not guessed.
 *
 * Four parts:
 *   1. struct td_replay_hello: a ClientHello as editable parts, parsed from the device's bytes and
 *      written back byte-identical except for what an edit changes (and a fresh random and fresh
 *      key shares), or reconstructed from an Mbed TLS log's text facts when it has no dumps.
 *   2. The candidate changes (add server_name, suites, groups, signature algorithms, TLS 1.3, cap
 *      at TLS 1.2, drop extensions), each with its Mbed TLS 2.x / 3.x fix, in one table.
 *   3. td_replay_run(): the search. The library never touches a socket: the caller's exchange
 *      callback sends each ClientHello record and fills the answer (src/tool_net.c does it for the
 *      CLI; unit tests simulate servers).
 *   4. Renderers: text (proven first, then what the log alone suggests) and JSON (cJSON).
 *
 * Ownership: a struct td_replay_hello owns its extension bodies (td_replay_hello_free). A struct
 * td_replay_result owns its final answer and its checks (td_replay_result_free). Nothing here
 * prints, exits or keeps global state. */
#ifndef TLSDOCTOR_REPLAY_H
#define TLSDOCTOR_REPLAY_H

#include <stddef.h>
#include <stdint.h>
#include "tlsdoctor/buf.h"
#include "tlsdoctor/diag.h"
#include "tlsdoctor/err.h"
#include "tlsdoctor/probe.h"
#include "tlsdoctor/report.h"
#include "tlsdoctor/transcript.h"

#define TD_REPLAY_MAX_EXTS 64
#define TD_REPLAY_MAX_SUITES 512
#define TD_REPLAY_MAX_STEPS 40

/* ---- 1. the editable ClientHello ---- */

struct td_replay_ext {
    uint16_t type;
    uint8_t *body;      /* owned (NULL when len == 0) */
    size_t len;
};

struct td_replay_hello {
    uint16_t record_version;
    uint16_t legacy_version;
    uint8_t random[32];
    uint8_t sid[32];
    size_t sid_len;
    uint16_t suites[TD_REPLAY_MAX_SUITES];
    size_t n_suites;
    uint8_t comp[16];
    size_t n_comp;
    int has_ext_block;  /* the hello carried an extensions block (even an empty one) */
    struct td_replay_ext ext[TD_REPLAY_MAX_EXTS];
    size_t n_ext;
    int reconstructed;  /* built from log text, not from the bytes the device sent */
    int assumed;        /* the default ClientHello of the log's Mbed TLS generation: the log shows
                           neither the record nor the lists the device offered (debug level 1-2) */
};

/* Parses a ClientHello from one or more handshake records (0x16 ...) or a bare handshake message
 * (0x01 ...). Errors: TD_ERR_TRUNCATED, TD_ERR_BAD_LENGTH, TD_ERR_BAD_VALUE (not a ClientHello),
 * TD_ERR_TOO_LARGE (more suites or extensions than kept), TD_ERR_NOMEM. h is initialised here. */
enum td_err td_replay_hello_parse(const uint8_t *p, size_t len, struct td_replay_hello *h);
/* The ClientHello of an attempt: its bytes when the source has them complete, else rebuilt from
 * the log's text facts (h->reconstructed = 1), else the default ClientHello of the Mbed TLS
 * generation the log names (h->assumed = 1; lib/replay/default_hellos.inc, taken from real
 * ssl_client2 runs at the default configuration, with the log's host name as server_name when it
 * states one). TD_ERR_NOTHING_FOUND when not even the generation can be told. */
enum td_err td_replay_hello_from_transcript(const struct td_transcript *t,
                                            struct td_replay_hello *h);
void td_replay_hello_free(struct td_replay_hello *h);
enum td_err td_replay_hello_copy(struct td_replay_hello *dst, const struct td_replay_hello *src);
/* Appends the hello as one TLS record. */
enum td_err td_replay_hello_write(const struct td_replay_hello *h, struct td_buf *out);
/* The extension of that type, or NULL. */
const struct td_replay_ext *td_replay_hello_ext(const struct td_replay_hello *h, uint16_t type);
/* Replaces the body of extension `type`, or appends it (before padding, if any). */
enum td_err td_replay_hello_set_ext(struct td_replay_hello *h, uint16_t type, const uint8_t *body,
                                    size_t len);
/* Removes extension `type`; returns 1 if it was there. */
int td_replay_hello_drop_ext(struct td_replay_hello *h, uint16_t type);
/* A ready-to-send record: h with the random's last 28 bytes fresh and every key share replaced by
 * a fresh one of the same group (keys receive the private keys; initialised by the caller). */
enum td_err td_replay_hello_prepare(const struct td_replay_hello *h, struct td_probe_keys *keys,
                                    struct td_buf *out);

/* ---- 2. candidate changes ---- */

enum td_replay_change {
    TD_RC_SNI = 0,      /* add server_name */
    TD_RC_SUITES,       /* add cipher suites (with the signature algorithms they bring) */
    TD_RC_GROUPS,       /* add supported groups */
    TD_RC_SIGALGS,      /* add signature algorithms */
    TD_RC_TLS13,        /* offer TLS 1.3 (Mbed TLS 3.x) */
    TD_RC_TLS12,        /* offer TLS 1.2 at most (drop TLS 1.3) */
    TD_RC_DROP_EXT,     /* leave extensions out */
    TD_RC_COUNT
};
const char *td_replay_change_id(enum td_replay_change k);   /* "server_name", "suites", ... */

/* One change: its kind and the values it adds or drops (suites, groups, sigalgs, extension types). */
struct td_replay_cand {
    enum td_replay_change kind;
    uint16_t v[TD_REPLAY_MAX_SUITES];
    size_t n;
    char name[256];     /* TD_RC_SNI: the name added */
};

/* ---- 3. the search ---- */

/* Sends req->hello (a record) on a fresh connection to the server and fills req->ans, reading
 * with a flight reader built from req->hello, &req->keys and req->want. */
struct td_replay_io {
    void *ctx;
    void (*exchange)(void *ctx, struct td_probe_req *req);
};

struct td_replay_opts {
    const char *sni;          /* the name to add as server_name; NULL = none known */
    const char *ca_file;      /* the device's CA file, or NULL (trust then not checked) */
    size_t in_buf;            /* the device's input buffer; 0 = max_fragment_length asked, else 16384 */
    int has_time;             /* device_time given (--time) */
    int64_t device_time;
    int64_t now;              /* the caller's clock (used when the hello's time is implausible) */
    int mbedtls_major;        /* 2 or 3; 0 = unknown (both fixes are given) */
    unsigned max_handshakes;  /* 0 = 40 */
};

struct td_replay_step {
    char change[320];          /* "the device's ClientHello, unchanged" / "+ server_name=..." */
    enum td_probe_outcome outcome;
    uint8_t alert;
    uint16_t version, suite, group;
    char result[200];          /* what the server did, one phrase */
};

struct td_replay_result {
    int reconstructed;         /* the replayed hello was rebuilt from log text */
    int assumed;               /* the replayed hello is the generation's default (see above) */
    char log_failure[200];     /* what the source shows the server did, or "" */
    int reproduced;            /* 1 same as the log, 0 different, -1 nothing to compare with */
    int accepted_unchanged;    /* the server answered the unchanged hello with a ServerHello */
    int found;                 /* a change set that gets a ServerHello was found */
    struct td_replay_cand fix[TD_RC_COUNT]; /* the proven changes (found) */
    size_t n_fix;
    struct td_replay_step steps[TD_REPLAY_MAX_STEPS];
    size_t n_steps;
    size_t handshakes;
    size_t n_candidates;       /* candidate values searched over (for the 2*log2(n)+2 bound) */
    size_t bound;              /* 2*ceil(log2(n_candidates))+2 */
    struct td_probe_answer final; /* the ServerHello flight the device would get (owned) */
    int have_final;
    int64_t device_time;
    const char *time_source;   /* static: "--time", "the ClientHello's gmt_unix_time", "now" */
    size_t in_buf;
    const char *in_buf_source; /* static */
    int mbedtls_major;
    struct td_diagnosis checks;/* what the device meets after the ServerHello (owned) */
};

/* Runs the search for h. t (may be NULL) is the attempt the hello came from: its failure is what
 * the replay must reproduce and its log tells what the device has. res is initialised here (free
 * it with td_replay_result_free even on failure). Errors: TD_ERR_NOMEM, TD_ERR_CRYPTO, TD_ERR_ARG. */
enum td_err td_replay_run(const struct td_replay_hello *h, const struct td_transcript *t,
                          const struct td_replay_opts *o, const struct td_replay_io *io,
                          struct td_replay_result *res);
void td_replay_result_free(struct td_replay_result *res);

/* The proven fix as one line in the device's terms ("mbedtls_ssl_set_hostname(&ssl, \"x\")"). */
enum td_err td_replay_fix_text(const struct td_replay_result *res, struct td_buf *out);

/* ---- 4. reports ---- */

/* Text: the proven answer, each handshake, the post-ServerHello checks, then the log's own
 * diagnosis (items/lead as for td_report_text; n may be 0). server names the server. */
enum td_err td_replay_render_text(const struct td_replay_result *res, const char *server,
                                  const struct td_report_item *items, size_t n, size_t lead,
                                  const char *source, unsigned flags, struct td_buf *out);
/* The one verdict the reports lead with: the leading finding id (static) from the replay and the
 * log's diagnosis together (items/n/lead as for the renderers; n may be 0), and in *basis (static,
 * may be NULL) what it rests on: "replay", "log" or "both". "handshake-ok" only when neither the
 * replay nor the log shows a failure. */
const char *td_replay_verdict(const struct td_replay_result *res, const struct td_report_item *items, size_t n,
                              size_t lead, const char **basis);
/* JSON document (schema "tlsdoctor.diagnose/1", one line, then "\n"). */
enum td_err td_replay_render_json(const struct td_replay_result *res, const char *server,
                                  const struct td_report_item *items, size_t n, size_t lead,
                                  const char *source, struct td_buf *out);

#endif
