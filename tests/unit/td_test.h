/* td_test.h -- small helpers the unit tests share: reading a whole file and parsing spaced hex.
 * Include after <cmocka.h> (the helpers assert). */
#ifndef TD_TEST_H
#define TD_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The source tree, $TD_SRC (CTest sets it; a test run by hand without it fails, it does not
 * guess a path). */
static inline const char *td_test_src(void)
{
    const char *src = getenv("TD_SRC");
    if (!src || !*src)
        fail_msg("TD_SRC is not set: run the tests through ctest (make check)");
    return src;
}

/* The corpus kept in the repository: $TD_SRC/tests/corpus/REL into buf. */
static inline const char *td_test_corpus(char *buf, size_t n, const char *rel)
{
    snprintf(buf, n, "%s/tests/corpus/%s", td_test_src(), rel);
    return buf;
}

/* How many lab cases the corpus holds: the data rows of tests/corpus/lab/INDEX.tsv (the header
 * "case_id\t...", blank and '#' lines are not rows). A test that reads the lab compares what it
 * read with this, so a case added to the corpus (folder plus INDEX.tsv row) needs no C. */
static inline size_t td_test_lab_expected(void)
{
    char path[1024];
    td_test_corpus(path, sizeof path, "lab/INDEX.tsv");
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("lab corpus index %s is missing", path);
    char line[4096];
    size_t rows = 0;
    while (fgets(line, sizeof line, f))
        if (line[0] != '\n' && line[0] != '#' && strncmp(line, "case_id\t", 8))
            rows++;
    fclose(f);
    if (rows == 0)
        fail_msg("lab corpus index %s lists no case", path);
    return rows;
}

/* Fails, naming both counts, when a test read fewer lab cases (what) than INDEX.tsv lists. */
static inline void td_test_lab_count(const char *what, size_t read)
{
    size_t want = td_test_lab_expected();
    if (read < want)
        fail_msg("lab corpus: read %zu %s of the %zu cases tests/corpus/lab/INDEX.tsv lists", read,
                 what, want);
    print_message("lab corpus: read %zu %s (INDEX.tsv lists %zu)\n", read, what, want);
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
