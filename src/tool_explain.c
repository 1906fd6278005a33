/* tool_explain.c -- `tlsdoctor explain [--json] [KIND] VALUE`: what a pasted code or name means. */
#include <stdio.h>
#include <string.h>
#include "tlsdoctor/explain.h"
#include "tool.h"

#define EXPLAIN_MAX_INPUT 1000

static void explain_usage(FILE *out)
{
    fprintf(out,
        "usage: tlsdoctor explain [--json] VALUE\n"
        "       tlsdoctor explain [--json] KIND VALUE\n\n"
        "Says what a value from a log or an API return means, the usual causes on embedded clients and\n"
        "what to look at next. A bare number is an Mbed TLS error code, in any form people paste:\n"
        "-0x7780, 0x7780, -30592, 30592, 0xffff8880, ffff8880. A bare name is looked up everywhere:\n"
        "MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE, internal_error, TLS-ECDHE-ECDSA-WITH-AES-256-GCM-SHA384,\n"
        "x25519, ... A pasted log line with [2:80] explains that alert.\n\n"
        "KIND is one of:\n"
        "  error       Mbed TLS error code or MBEDTLS_ERR_ name; combined codes are split (-0x4290)\n"
        "  alert       TLS alert: 80, internal_error, [2:80]\n"
        "  x509-flags  X.509 verify flags in hex (0x0208) or a flag name (BADCERT_FUTURE)\n"
        "  suite       cipher suite: 0xc02c, its IANA name or its Mbed TLS name\n"
        "  group       supported group: 29, 0x001d, x25519\n"
        "  sigalg      signature algorithm: 0x0804, rsa_pss_rsae_sha256\n"
        "  ext         extension type: 0, server_name\n"
        "  version     protocol version: 0x0303, [3:3], TLS1.2\n\n"
        "  --json      print the explanation as a JSON object\n\n"
        "Exit status: 0 explained, 2 malformed value or bad usage, 3 unknown value, 4 internal error.\n");
}

/* Joins argv[from..argc) with single spaces into buf (so a pasted log line works unquoted). */
static int join_args(int argc, char **argv, int from, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = from; i < argc; i++) {
        size_t k = strlen(argv[i]);
        if (n + k + 2 > cap)
            return -1;
        if (n)
            buf[n++] = ' ';
        memcpy(buf + n, argv[i], k + 1);
        n += k;
    }
    return 0;
}

/* An argument is an option when it starts with "--", or is "-h"; "-0x7780" and "-30592" are values. */
static int is_option(const char *s)
{
    return (s[0] == '-' && s[1] == '-' && s[2]) || !strcmp(s, "-h");
}

static int exit_for(enum td_err e)
{
    if (e == TD_OK)
        return TD_EXIT_OK;
    if (e == TD_ERR_SYNTAX || e == TD_ERR_TOO_LARGE)
        return TD_EXIT_USAGE;
    if (e == TD_ERR_UNKNOWN_NAME)
        return TD_EXIT_NOTHING;
    return TD_EXIT_ERROR;
}

/* Prints what the library rendered; on a colour terminal the title line is bold. */
static void print_result(const struct td_buf *out, int colour)
{
    size_t title = colour ? strcspn(out->p, "\n") : 0;
    if (title) {
        fputs("\033[1m", stdout);
        fwrite(out->p, 1, title, stdout);
        fputs("\033[0m", stdout);
    }
    fwrite(out->p + title, 1, out->len - title, stdout);
}

int tool_explain_main(int argc, char **argv)
{
    int json = 0, first = argc;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            first = i + 1;
            break;
        }
        if (!is_option(argv[i])) {
            first = i;
            break;
        }
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            explain_usage(stdout);
            return TD_EXIT_OK;
        } else if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else {
            tool_error("explain", "unknown option '%s' (try 'tlsdoctor explain --help')", argv[i]);
            return TD_EXIT_USAGE;
        }
    }
    /* options may also follow the value: tlsdoctor explain -0x7780 --json */
    int last = argc;
    while (last > first && !strcmp(argv[last - 1], "--json")) {
        json = 1;
        last--;
    }
    if (first >= last) {
        tool_error("explain", "nothing to explain (try 'tlsdoctor explain -0x7780' or --help)");
        return TD_EXIT_USAGE;
    }
    enum td_explain_kind kind = TD_EXPLAIN_AUTO;
    if (last - first >= 2 && td_explain_kind_parse(argv[first], &kind) == 0)
        first++;
    else if (last - first == 1 && td_explain_kind_parse(argv[first], &kind) == 0) {
        tool_error("explain", "'%s' needs a value (e.g. 'tlsdoctor explain %s ...')", argv[first], argv[first]);
        return TD_EXIT_USAGE;
    }
    char value[EXPLAIN_MAX_INPUT + 1];
    if (join_args(last, argv, first, value, sizeof value) != 0) {
        tool_error("explain", "the value is too long (more than %d characters)", EXPLAIN_MAX_INPUT);
        return TD_EXIT_USAGE;
    }
    struct td_buf out;
    char msg[512];
    td_buf_init(&out, 1 << 20);
    enum td_err e = td_explain(kind, value, json ? TD_EXPLAIN_JSON : 0, &out, msg, sizeof msg);
    if (e == TD_OK)
        print_result(&out, !json && tool_use_colour(fileno(stdout)));
    else
        tool_error("explain", "%s", msg[0] ? msg : td_strerror(e));
    td_buf_free(&out);
    if (e == TD_OK && fflush(stdout) != 0)
        return TD_EXIT_ERROR;
    return exit_for(e);
}
