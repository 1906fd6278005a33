/* td_test.h -- small helpers the unit tests share: reading a whole file and parsing spaced hex.
 * Include after <cmocka.h> (the helpers assert). */
#ifndef TD_TEST_H
#define TD_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The whole file, NUL-terminated (caller frees), or NULL if it cannot be opened; *n gets its
 * length (0 if it cannot be opened) when n is not NULL. */
static inline char *td_test_read_file(const char *path, size_t *n)
{
    if (n)
        *n = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)len + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)len, f), (size_t)len);
    p[len] = '\0';
    fclose(f);
    if (n)
        *n = (size_t)len;
    return p;
}

/* td_test_read_file of rel below the directory named by the environment variable env (or dflt
 * when it is not set). */
static inline char *td_test_read_under(const char *env, const char *dflt, const char *rel, size_t *n)
{
    const char *dir = getenv(env);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : dflt, rel);
    return td_test_read_file(path, n);
}

/* Parses hex bytes separated by blanks ("16 03 01 ...") into out, at most cap; returns the count. */
static inline size_t td_test_unhex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = 0;
    unsigned v;
    int k;
    while (n < cap && sscanf(s, " %2x%n", &v, &k) == 1) {
        out[n++] = (uint8_t)v;
        s += k;
    }
    return n;
}

#endif
