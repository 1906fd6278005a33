/* buf.h -- a growable byte/text buffer with a hard cap, for output the library builds for its caller.
 *
 * The caller owns the struct td_buf; the library grows p with realloc up to max bytes and fails
 * with TD_ERR_TOO_LARGE past that (never silently truncates). p is always NUL-terminated when
 * non-NULL, so text can be used as a C string. td_buf_free() releases it. */
#ifndef TLSDOCTOR_BUF_H
#define TLSDOCTOR_BUF_H

#include <stddef.h>
#include <stdint.h>
#include "tlsdoctor/err.h"

struct td_buf {
    char *p;         /* owned by the buffer; NULL until the first append */
    size_t len;      /* bytes used, not counting the terminating NUL */
    size_t cap;      /* bytes allocated */
    size_t max;      /* hard cap on len; 0 means 64 MiB */
    enum td_err err; /* sticky: first failure of an append */
};

void td_buf_init(struct td_buf *b, size_t max);
void td_buf_free(struct td_buf *b);
void td_buf_reset(struct td_buf *b);           /* len = 0, keeps memory and clears err */
enum td_err td_buf_append(struct td_buf *b, const void *data, size_t n);
enum td_err td_buf_putc(struct td_buf *b, char c);
enum td_err td_buf_puts(struct td_buf *b, const char *s);
enum td_err td_buf_printf(struct td_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hands the memory to the caller (who must free() it) and leaves b empty. */
char *td_buf_steal(struct td_buf *b, size_t *len);

#endif
