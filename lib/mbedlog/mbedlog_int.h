/* mbedlog_int.h -- what the log reader's files share: one line with its decoration taken apart,
 * and the small text helpers. Not a public API. */
#ifndef TD_MBEDLOG_INT_H
#define TD_MBEDLOG_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "tlsdoctor/transcript.h"
#include "msgcat.h"

/* A rarely taken path kept out of its caller, so the common path stays small. */
#if defined(__GNUC__)
#define ML_COLD __attribute__((noinline, cold))
#else
#define ML_COLD
#endif

/* One input line after the decoration is stripped. `text` points into the caller's line buffer. */
struct ml_line {
    const char *text;     /* message text (NUL-terminated), leading blanks removed */
    size_t len;
    int is_debug;         /* 1: Mbed TLS printed it (file:line found, or ESP-IDF "Unexpected log level") */
    char file[40];        /* source file basename, "" if none */
    size_t file_len;
    unsigned srcline;     /* source line number, 0 if none */
    int level;            /* debug level 1..4, 0 if not printed */
    int level_letter;     /* ESP-IDF's level letter (E/W/I/D/V) mapped to 1..3 when no |L|, else 0 */
    int major;            /* 1 if the decoration says PolarSSL ("polarssl", "file.c(NNNN)"), else 0 */
    const struct ml_msg *msg;   /* the catalogue's message, for lines read by their text (no file) */
};

/* What a line's source file name implies; looked up only for the lines that need it (not for
 * the rows of a hex dump, which are most of a level-4 log). */
struct ml_file_info {
    int major;            /* generation: 1 (PolarSSL decoration), 2, 3, or 0 if nothing implied */
    int msg_split;        /* 1: the file name implies Mbed TLS >= 2.22 (ssl_msg.c) */
    enum td_actor side;   /* side the file name implies (ssl_srv.c -> server), or UNKNOWN */
};

/* Splits a raw line (CR already removed, NUL-terminated at len) into decoration and text. */
void ml_line_parse(char *s, size_t len, struct ml_line *out);
void ml_line_file_info(const struct ml_line *l, struct ml_file_info *out);
/* What ml_line_parse() gives for a line whose first `prefix` bytes (up to where the text starts)
 * are those of a line it parsed into prev: the same decoration, the text taken from s. */
void ml_line_reuse(const struct ml_line *prev, char *s, size_t len, size_t prefix, struct ml_line *out);

/* Reassembles the handshake messages in one record's payload and calls fn(ctx, msg, i) for each
 * whole one in order (i counts from 0). Returns how many there were; *pending is set to the
 * bytes of a message that continues beyond the record (0 if none). */
struct td_hs_msg;
int ml_each_hs_msg(const uint8_t *body, size_t len,
                   void (*fn)(void *ctx, const struct td_hs_msg *m, int i), void *ctx,
                   size_t *pending);

/* 1 if the Transcript holds a ClientHello record sent by the client (a dump of it was logged). */
int ml_has_ch_record(const struct td_transcript *t);

/* Parses a hex dump row "0000:  16 03 01 ..." into up to 16 bytes; returns the byte count (0 if the
 * text is not a row) and the row's offset. */
size_t ml_parse_row(const char *t, unsigned long *offset, uint8_t bytes[16]);

/* Number parsing that copes with what users' code prints: "-30592", "-0x7780", "0xffff8880" (an
 * int32 printed unsigned), "7780" is not accepted as hex unless hex is 1. Returns 1 and sets *v
 * when a number starts at *p (advancing *p past it). */
int ml_parse_num(const char **p, int hex, int64_t *v);

/* The context a log's lines reveal (context.c): platforms (bits 1 << enum td_platform) and the
 * host and port the application printed, with the lines that showed them. */
struct ml_context {
    unsigned platforms;
    uint32_t platform_line[8];
    char host[128];
    char scheme[8];         /* the URL scheme the host came with ("ws", "https"), or "" */
    int port;
    uint32_t peer_line;
    int server_side;        /* a line only a server prints ("Waiting for a remote connection") */
    int done;
};
/* Looks for platform tags and a printed host/port in one raw line (decoration included). */
void ml_context_scan(struct ml_context *c, const char *raw, uint32_t lineno);
/* "ESP-IDF", "AWS IoT SDK", ... ("" for none). */
const char *ml_platform_name(enum td_platform p);

/* Case-sensitive search for needle in the NUL-terminated hay. */
const char *ml_find(const char *hay, const char *needle);

/* 1 if s starts with prefix. Inline, so that a literal prefix's length is known at compile time
 * and a different first byte costs one comparison (it runs several times per line). */
static inline int ml_starts(const char *s, const char *prefix)
{
    return !prefix[0] || (s[0] == prefix[0] && strncmp(s, prefix, strlen(prefix)) == 0);
}

#endif
