/* reader_int.h -- what the log reader's two halves share: the reader's state, and the transcript
 * assembly's entry points. reader.c takes lines in (decoration: line.c; message recognition:
 * recog.c over the catalogue msgcat.c) and hands each, classified, to assemble.c, which builds the
 * Transcripts. Not a public API. */
#ifndef TD_MBEDLOG_READER_INT_H
#define TD_MBEDLOG_READER_INT_H

#include <stddef.h>
#include <stdint.h>
#include "tlsdoctor/mbedlog.h"
#include "tlsdoctor/buf.h"
#include "mbedlog_int.h"
#include "recog.h"

#define DEF_MAX_LINE   ((size_t)64 << 10)
#define DEF_MAX_EVENTS ((size_t)50000)
#define DEF_MAX_BYTES  ((size_t)16 << 20)
#define MAX_DUMP       ((size_t)64 << 10)
#define MAX_CERT_TEXT  ((size_t)16 << 10)
#define ML_MAX_PIECES  8            /* pieces of one line cut at a terminal's width */

/* Actors are recorded relative to the log's writer and resolved when the attempt ends. */
#define SELF TD_ACTOR_CLIENT
#define PEER TD_ACTOR_SERVER

enum dump_kind { DK_OTHER = 0, DK_OUT_RECORD, DK_IN_HEADER, DK_IN_RECORD, DK_IN_DECRYPTED, DK_IN_CONTENTS,
                 DK_PSK_IDENTITY };

struct dump {
    int active;
    enum dump_kind kind;
    long declared;          /* bytes the header announced, -1 if not printed ("zu") */
    unsigned long next_off; /* offset the next row should have */
    int gap;                /* rows missing */
    uint8_t *buf;
    size_t len, cap;
    uint32_t line, line_end;
    size_t last_row_n;      /* bytes in the last row: fewer than 16 may mean a wrapped line */
};

struct cert_acc {
    int active;
    int from_app;
    int depth;
    char file[40];
    unsigned srcline;
    uint32_t line, line_end;
    struct td_buf text;
};

/* Error codes the assembly itself looks for (Mbed TLS 2.x include/mbedtls/ssl.h). */
enum { ML_ERR_BAD_HS_CLIENT_HELLO = -0x7900 };

struct attempt_state {
    int active;
    int started;            /* "=> handshake" seen */
    int left_handshake;     /* "<= handshake" seen */
    int app_hs_ret;         /* the application printed the handshake's return */
    int debug_lines;
    int key_events;         /* events that make an attempt worth reporting */
    int major_seen[4];
    int msg_split;
    int polarssl_names;
    enum td_actor side;
    int wrote_ch, sent_ch, heard_peer;
    int hs_done;            /* the handshake's own success lines ("handshake: done", wrapup) */
    int sending_alert;      /* inside "=> send alert message" */
    int alert_said;         /* ... and "send alert level=L message=D" was printed */
    uint32_t alert_line;    /* where "=> send alert message" was */
    unsigned verify_flags;  /* MBEDTLS_X509_BADCERT_* flags seen so far */
    int verify_failed;      /* a return of -0x2700 (X509 - Certificate verification failed) */
    int has_last_err;
    int64_t last_err;
    size_t bytes;
    int capped;
    long in_hdr_ev;         /* index of the header-only incoming record event, or -1 */
    long last_alert_ev;     /* index of the last alert event, or -1 */
    int decrypt_type;       /* "record type after decrypt" */
    int last_in_type;
    size_t hs_enter_ev;     /* index of the last "=> handshake" step event */
    int app_ret_soft;       /* the application's handshake return is a soft code */
    int pend_split;         /* re-entered after a completed handshake: the first state decides */
    long soft_ev;           /* the first of returns soft once soft_confirm follows (index), or -1 */
    int64_t soft_code;
    const char *soft_confirm;
    uint32_t soft_line;
    long last_err_ev;       /* the event that set last_err, or -1 */
    int renego_not_honored; /* "renegotiation requested, but not honored by ..." was printed */
    int old_epoch_first;    /* DTLS server: a record of an epoch above 0 came while it waited for a
                               ClientHello (a datagram of the connection before) */
};

/* A suite name looked up in the registry and what it gave ("" unused). */
#define SUITE_MEMO 4
struct suite_memo {
    char name[96];
    const struct td_suite *row;
};

struct td_mbedlog {
    struct td_mbedlog_opts o;
    enum td_err err;
    char *line;
    size_t line_len;
    int line_long;
    int line_nul;           /* the line so far holds a NUL byte */
    int line_dirty;         /* it may hold an escape sequence or an HTML entity */
    uint32_t lineno;
    struct td_mbedlog_stats st;

    struct td_transcript cur;
    struct attempt_state a;
    struct dump d;
    struct cert_acc cert;
    int pend_prefix;        /* a debug line with no text: its text is on the next line */
    struct ml_line pend;
    struct ml_deco deco;    /* the decoration of the last line read by its message's text */
    char prev_prefix[64];   /* the last file:line decoration read, and its parse */
    size_t prev_prefix_len; /* 0: none */
    struct ml_line prev_line;
    char memo_file[40];     /* the last source file name looked up, and what it implies */
    size_t memo_file_len;
    int memo_major;
    struct ml_file_info memo_fi;
    char *held;             /* a line cut at a terminal's width, waiting for its rest */
    size_t held_len;        /* 0: none held */
    uint32_t held_pieces;   /* physical lines joined into it so far */
    size_t held_off[ML_MAX_PIECES];   /* where each starts in held */
    char *scratch;          /* a copy to look at a line without changing it */
    char version[64];       /* last library version an application line printed */
    struct suite_memo memo[SUITE_MEMO];   /* the last suite names looked up */
    struct ml_context ctx;  /* platform and peer the lines revealed (context.c) */
    unsigned memo_next;

    int last_dtls_ok;       /* the last attempt finished was a server's DTLS handshake that
                               succeeded (a stray datagram of it may start the next attempt) */
    int dtls_seen;          /* an attempt of this source negotiated DTLS */
    struct td_transcript *q;
    size_t qhead, qn, qcap;
};

/* ---- assemble.c: one classified line at a time into the current attempt's Transcript ---------- */

/* A line Mbed TLS printed (l->is_debug): its text l->text, its decoration's file, line, level. */
void ml_debug_line(struct td_mbedlog *ml, const struct ml_line *l);
/* Any other line: raw as it came (decoration included), t its trimmed text. */
void ml_app_line(struct td_mbedlog *ml, const char *raw, const char *t);
/* One hex dump row (n bytes at offset off) of the open dump. */
void ml_dump_row(struct td_mbedlog *ml, unsigned long off, const uint8_t *b, size_t n);
/* The rest of a row a terminal wrapped onto the next line ("c0 2b 00 ff  .."): 1 if t was one. */
int ml_wrapped_row(struct td_mbedlog *ml, const char *t);
/* 1 if raw is a line of a certificate's description as an application prints it. */
int ml_cert_text_line(const char *raw);
/* Ends the current attempt and queues its Transcript (nothing if there is no attempt). */
void ml_finish_attempt(struct td_mbedlog *ml);

#endif
