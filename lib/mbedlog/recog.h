/* recog.h -- recognising Mbed TLS's debug messages by their text (the catalogue, msgcat.h), wherever
 * they sit in a line, and the decoration a logger put before them, learned from the lines that
 * matched. Not a public API. Nothing here allocates; every pointer returned points into the
 * caller's text or into the static catalogue. */
#ifndef TD_MBEDLOG_RECOG_H
#define TD_MBEDLOG_RECOG_H

#include <stddef.h>
#include "msgcat.h"

/* The catalogue row that s[0..len) is, whole (the line's trailing blanks already removed), or
 * NULL. `shorts` also tries the rows that start with a hole ("%s() returned %d (-0x%04x)"): only
 * where a message is known to start (after file:line or a learned decoration). */
const struct ml_msg *ml_recog_at(const char *s, size_t len, int shorts);

/* The leftmost position of s[0..len) from which a catalogue row (one with a literal start of 4
 * bytes or more) runs to the end of the line; sets *start. NULL if there is none. */
const struct ml_msg *ml_recog_find(const char *s, size_t len, size_t *start);

/* A decoration: the text a logger put before the message, with every run of digits (and the hex
 * letters after them) folded to '#', so that timestamps, counters and pointers vary freely. */
#define ML_DECO_MAX 96
struct ml_deco {
    int known;            /* learned from a recognised line */
    int strong;           /* it has visible text: a line carrying it is the debug hook's */
    size_t n;
    char skel[ML_DECO_MAX];
};

/* Learns the decoration s[0..n) (the bytes before a recognised message). */
void ml_deco_learn(struct ml_deco *d, const char *s, size_t n);

/* The length of the learned decoration at the start of s[0..len), or -1 if s does not carry it. */
long ml_deco_match(const struct ml_deco *d, const char *s, size_t len);

/* Takes out what a terminal or a web page added to a line, in place: ANSI escape sequences
 * (ESP-IDF's colours) and HTML entities (&gt; &lt; &amp; &quot; &#39; &#NN;). Returns the new
 * length; s stays NUL-terminated. */
size_t ml_line_clean(char *s, size_t len);

#endif
