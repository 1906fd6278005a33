/* tool_io.c -- reading input files and stdin, error lines, colour decisions for the CLI. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tool.h"

int tool_read_input(const char *path, size_t max, struct td_buf *out)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "tlsdoctor: %s: %s\n", path, strerror(errno));
        return 1;
    }
    char chunk[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (out->len + n > max) {
            fprintf(stderr, "tlsdoctor: %s: larger than %zu bytes\n", path, max);
            rc = 1;
            break;
        }
        if (td_buf_append(out, chunk, n) != TD_OK) {
            fprintf(stderr, "tlsdoctor: %s: out of memory\n", path);
            rc = 1;
            break;
        }
    }
    if (!rc && ferror(f)) {
        fprintf(stderr, "tlsdoctor: %s: %s\n", path, strerror(errno));
        rc = 1;
    }
    if (!is_stdin)
        fclose(f);
    return rc;
}

int tool_use_colour(int fd)
{
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc)
        return 0;
    return isatty(fd);
}

void tool_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "tlsdoctor %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
