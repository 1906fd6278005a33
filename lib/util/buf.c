/* buf.c -- growable capped buffer (see include/tlsdoctor/buf.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tlsdoctor/buf.h"

#define TD_BUF_DEFAULT_MAX ((size_t)64 << 20)

void td_buf_init(struct td_buf *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max ? max : TD_BUF_DEFAULT_MAX;
}

void td_buf_free(struct td_buf *b)
{
    free(b->p);
    size_t max = b->max;
    td_buf_init(b, max);
}

void td_buf_reset(struct td_buf *b)
{
    b->len = 0;
    b->err = TD_OK;
    if (b->p)
        b->p[0] = '\0';
}

static enum td_err buf_reserve(struct td_buf *b, size_t extra)
{
    if (b->err != TD_OK)
        return b->err;
    if (extra > b->max || b->len > b->max - extra)
        return b->err = TD_ERR_TOO_LARGE;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return TD_OK;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->p, cap);
    if (!p)
        return b->err = TD_ERR_NOMEM;
    b->p = p;
    b->cap = cap;
    return TD_OK;
}

enum td_err td_buf_append(struct td_buf *b, const void *data, size_t n)
{
    enum td_err e = buf_reserve(b, n);
    if (e != TD_OK)
        return e;
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
    return TD_OK;
}

enum td_err td_buf_putc(struct td_buf *b, char c)
{
    return td_buf_append(b, &c, 1);
}

enum td_err td_buf_puts(struct td_buf *b, const char *s)
{
    return td_buf_append(b, s, strlen(s));
}

enum td_err td_buf_printf(struct td_buf *b, const char *fmt, ...)
{
    if (b->err != TD_OK)
        return b->err;
    va_list ap;
    /* first straight into the room the buffer has: most texts fit, and then the format runs once
     * instead of twice (measuring, then printing) */
    size_t room = b->p && b->cap > b->len ? b->cap - b->len : 0;
    if (room) {
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, room, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < room && (size_t)n <= b->max && b->len <= b->max - (size_t)n) {
            b->len += (size_t)n;
            return TD_OK;
        }
        b->p[b->len] = '\0';   /* did not fit (or an error): undo, and take the measured path */
    }
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return b->err = TD_ERR_ARG;
    enum td_err e = buf_reserve(b, (size_t)n);
    if (e != TD_OK)
        return e;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return TD_OK;
}

char *td_buf_steal(struct td_buf *b, size_t *len)
{
    char *p = b->p;
    if (len)
        *len = b->len;
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}
