/* bench_mbedlog.c -- the log reader alone: a log file read into memory once, then fed to the
 * reader in 64 KiB chunks (as `tlsdoctor log` feeds it) REPEAT times; every attempt is taken and
 * freed, nothing is printed. Prints the best CPU-time MB/s over the repeats; not a timed test. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "tlsdoctor/mbedlog.h"

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 20, len = 0;
    char *p = malloc(cap);
    size_t got;
    while (p && (got = fread(p + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            char *q = realloc(p, cap * 2);
            if (!q) {
                free(p);
                p = NULL;
                break;
            }
            p = q;
            cap *= 2;
        }
    }
    fclose(f);
    *n = len;
    return p;
}

/* One pass over the text; returns the attempts read, or -1 on error. */
static long one_pass(const char *text, size_t n)
{
    struct td_mbedlog *ml = td_mbedlog_new(NULL);
    if (!ml)
        return -1;
    long attempts = 0;
    struct td_transcript t;
    enum td_err e = TD_OK;
    for (size_t off = 0; off < n && e == TD_OK; off += 65536) {
        e = td_mbedlog_feed(ml, text + off, n - off < 65536 ? n - off : 65536);
        while (td_mbedlog_next(ml, &t)) {
            attempts++;
            td_transcript_free(&t);
        }
    }
    if (e == TD_OK)
        e = td_mbedlog_finish(ml);
    while (td_mbedlog_next(ml, &t)) {
        attempts++;
        td_transcript_free(&t);
    }
    td_mbedlog_free(ml);
    return e == TD_OK ? attempts : -1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_mbedlog LOG [REPEAT]\n");
        return 2;
    }
    int repeat = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 3;
    size_t n;
    char *text = slurp(argv[1], &n);
    if (!text) {
        fprintf(stderr, "bench_mbedlog: cannot read %s\n", argv[1]);
        return 1;
    }
    double best = 0;
    long attempts = 0;
    for (int i = 0; i < repeat; i++) {
        double t0 = cpu_now();
        attempts = one_pass(text, n);
        double dt = cpu_now() - t0;
        if (attempts < 0) {
            fprintf(stderr, "bench_mbedlog: reader error\n");
            free(text);
            return 1;
        }
        if (dt > 0 && (best == 0 || dt < best))
            best = dt;
    }
    printf("bench_mbedlog: %.1f MB, %ld attempts, reader %.0f MB/s CPU (best of %d)\n",
           (double)n / 1048576, attempts, best > 0 ? (double)n / 1048576 / best : 0.0, repeat);
    free(text);
    return 0;
}
