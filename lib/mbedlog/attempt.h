/* attempt.h -- where one handshake attempt ends and the next begins, by Mbed TLS's own state rather
 * than by counting "=> handshake" lines: a call that left the handshake paused (WANT_READ /
 * WANT_WRITE under non-blocking I/O, a DTLS retransmission, a HelloVerifyRequest round) is resumed
 * by the next call; after a completed handshake, post-handshake calls (a TLS 1.3 NewSessionTicket,
 * a renegotiation announced by "=> renegotiate") belong to the same connection, and only a
 * handshake that starts afresh (state HELLO_REQUEST or CLIENT_HELLO) is a new attempt.
 * Not a public API. Functions read the transcript; nothing is kept. */
#ifndef TD_MBEDLOG_ATTEMPT_H
#define TD_MBEDLOG_ATTEMPT_H

#include <stddef.h>
#include <stdint.h>
#include "tlsdoctor/transcript.h"

/* What a "=> handshake" met while an attempt is open means. */
enum ml_reentry {
    ML_RE_NEW = 0,      /* a new attempt starts here */
    ML_RE_SAME,         /* the same attempt goes on (resumed, or a post-handshake call) */
    ML_RE_AT_STATE      /* decided by the first state the call prints (ml_state_is_fresh) */
};

/* The open attempt as the reader knows it when "=> handshake" comes. */
struct ml_hs_view {
    int left;             /* "<= handshake" was the last handshake step */
    int over;             /* the handshake completed (HANDSHAKE_OVER, "handshake: done", wrapup) */
    int failed;           /* a failure returned since the last "=> handshake" (not a soft code) */
    int app_ret;          /* the application printed the handshake's return ... */
    int app_ret_soft;     /* ... and it is one Mbed TLS carries on after */
    size_t since;         /* index of the last "=> handshake" step event in the transcript */
};

enum ml_reentry ml_reentry_of(const struct td_transcript *t, const struct ml_hs_view *v);

/* 1 if a handshake state (number as printed, or its name) is where a handshake starts. */
int ml_state_is_fresh(int64_t code, const char *name);

/* 1 if a code printed under function fn in a log of Mbed TLS `major` (0: unknown) is one the
 * library carries on after; *confirm is set to a message that must follow first (or NULL). */
int ml_soft_ret(int64_t code, const char *fn, int major, const char **confirm);

#endif
