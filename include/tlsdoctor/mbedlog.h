/* mbedlog.h -- the Mbed TLS debug-log reader: text in (pushed in chunks), Transcripts out.
 *
 * The reader is streaming: feed it any number of chunks with td_mbedlog_feed() and end with
 * td_mbedlog_finish(). It cuts the input into lines (capped at max_line bytes; longer lines are
 * cut and counted), strips whatever decoration a logger put around Mbed TLS's `file.c:NNNN: |L| text`
 * (timestamps, thread names, ESP-IDF/Zephyr/RTT prefixes, Windows or absolute paths, the older
 * `file.c(NNNN): ` shape, CRLF, blank lines), reassembles hex dumps into record bytes and splits
 * the log into handshake attempts, one Transcript per attempt.
 *
 * Completed attempts are queued inside the reader; the caller takes them with td_mbedlog_next()
 * after each feed, so memory stays bounded by one attempt (itself capped by max_events and
 * max_bytes; an attempt that hits a cap says so with a TD_EV_MESSAGE event and keeps counting).
 *
 * Ownership: the reader owns its queue; td_mbedlog_next() moves a Transcript to the caller, who
 * frees it with td_transcript_free(). td_mbedlog_free() releases everything still queued. */
#ifndef TLSDOCTOR_MBEDLOG_H
#define TLSDOCTOR_MBEDLOG_H

#include <stddef.h>
#include <stdint.h>
#include "tlsdoctor/buf.h"
#include "tlsdoctor/err.h"
#include "tlsdoctor/transcript.h"

struct td_mbedlog_opts {
    size_t max_line;    /* bytes kept per line; 0 = 64 KiB */
    size_t max_events;  /* events kept per attempt (past it, up to 32 more certificate verification
                           events: often the cause, printed last); 0 = 50000 */
    size_t max_bytes;   /* record bytes kept per attempt; 0 = 16 MiB */
};

/* What the reader saw in the whole input (all attempts together). */
struct td_mbedlog_stats {
    uint64_t lines;          /* lines read */
    uint64_t debug_lines;    /* lines carrying Mbed TLS debug output */
    uint64_t app_lines;      /* application/SDK lines that said something about Mbed TLS */
    uint64_t long_lines;     /* lines longer than max_line (cut) */
    uint64_t attempts;       /* transcripts produced */
    uint64_t capped;         /* attempts that hit max_events or max_bytes */
};

struct td_mbedlog;  /* opaque */

/* Creates a reader; opts may be NULL for the defaults. Returns NULL on allocation failure. */
struct td_mbedlog *td_mbedlog_new(const struct td_mbedlog_opts *opts);
void td_mbedlog_free(struct td_mbedlog *ml);

/* Pushes n bytes of log text (any split, even mid-line). TD_ERR_NOMEM on allocation failure, after
 * which the reader only accepts td_mbedlog_free(). */
enum td_err td_mbedlog_feed(struct td_mbedlog *ml, const void *bytes, size_t n);
/* Ends the input: the last line and the last attempt are completed and queued. */
enum td_err td_mbedlog_finish(struct td_mbedlog *ml);
/* Moves the oldest completed attempt into *out (which must not hold a live transcript) and returns
 * 1, or returns 0 when none is queued. */
int td_mbedlog_next(struct td_mbedlog *ml, struct td_transcript *out);
const struct td_mbedlog_stats *td_mbedlog_stats(const struct td_mbedlog *ml);

/* Reads a whole text at once into set (appending). TD_ERR_NOTHING_FOUND if it held nothing Mbed TLS
 * printed (set unchanged then). stats may be NULL. */
enum td_err td_mbedlog_read(const void *text, size_t n, const struct td_mbedlog_opts *opts,
                            struct td_transcript_set *set, struct td_mbedlog_stats *stats);

/* Renders one attempt's timeline as text: a heading, then one line per key event in order with the
 * log lines it came from ("[L96-L97] <- Alert fatal internal_error(80)"), then where the log stops.
 * index/count number the attempt ("attempt 2 of 4"); flags TD_TIMELINE_*. */
#define TD_TIMELINE_ALL    0x01u   /* every event, not only the key ones */
#define TD_TIMELINE_ASCII  0x02u   /* "->" and "<-" instead of arrows */
enum td_err td_mbedlog_render_timeline(const struct td_transcript *t, size_t index, size_t count,
                                       unsigned flags, struct td_buf *out);

/* One attempt's key events as compact lines ("L94-100 -> record 22 client_hello suites=3 sni=no",
 * "L127-128 <- alert fatal 80", "return mbedtls_ssl_read_record -0x7780", "result -0x7780",
 * "stop complete"): records with their direction and handshake types, alerts with their sender,
 * return chains (the outermost function), verification flags, end of file on the socket, the
 * chosen suite, certificates, and the handshake's start, end and result. Tests compare these. */
#define TD_KEYEV_NOLINES 0x01u  /* leave out the line numbers */
enum td_err td_mbedlog_key_events(const struct td_transcript *t, unsigned flags, struct td_buf *out);

/* The sentence and hint printed when an input holds nothing Mbed TLS printed. Static storage. */
const char *td_mbedlog_nothing_hint(void);

#endif
