/* tool_diagnose.c -- `tlsdoctor diagnose`: the log's (or capture's, or pasted ClientHello's)
 * diagnosis, and with --server the proof: the device's own ClientHello replayed against the
 * server, the smallest change that gets a ServerHello, and what the device meets after it.
 * The library builds and judges every byte; this file reads inputs, owns the sockets, prints. */
#define _GNU_SOURCE /* strptime, timegm */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "tlsdoctor/capture.h"
#include "tlsdoctor/diag.h"
#include "tlsdoctor/hex.h"
#include "tlsdoctor/mbedlog.h"
#include "tlsdoctor/replay.h"
#include "tlsdoctor/report.h"
#include "tool.h"
#include "tool_net.h"

#define DIAG_MAX_FILE ((size_t)1 << 30)

struct diag_opts {
    const char *log, *pcap, *hello, *server, *sni, *ca;
    size_t in_buf;
    int has_time;
    int64_t time;
    int json;
    int major;
    unsigned timeout_ms;
};

static void help(FILE *out)
{
    fprintf(out,
            "usage: tlsdoctor diagnose --log FILE | --pcap FILE | --hello HEX\n"
            "                          [--server HOST[:PORT]] [--sni NAME] [--ca FILE] [--in-buf N]\n"
            "                          [--time DATE] [--mbedtls 2|3] [--timeout SECONDS] [--json]\n\n"
            "Without --server: the diagnosis of the log, capture or ClientHello (what it shows).\n"
            "With --server: replays the device's own ClientHello (from the log's hex dump, or rebuilt\n"
            "from its text), says whether the failure reproduces, searches for the smallest change\n"
            "that gets a ServerHello (server_name, suites, groups, signature algorithms, TLS 1.3,\n"
            "extensions), then checks what the device meets after it: trust against --ca, validity\n"
            "against the device's clock, host name, Certificate and record sizes against its input\n"
            "buffer, a client certificate request. Only the server named is contacted.\n\n"
            "  --log FILE        an Mbed TLS debug log (- for standard input)\n"
            "  --pcap FILE       a packet capture\n"
            "  --hello HEX       a ClientHello in hex (a record or a handshake message), or @FILE\n"
            "  --server H[:P]    replay against this server (port 443 by default)\n"
            "  --sni NAME        the name to try as server_name (default: the log's, else the host)\n"
            "  --ca FILE         the device's CA file (PEM), to check trust\n"
            "  --in-buf N        the device's input buffer (default: max_fragment_length, else 16384)\n"
            "  --time DATE       the device's clock: YYYY-MM-DD[THH:MM:SSZ] or @EPOCH\n"
            "  --mbedtls 2|3     the device's Mbed TLS major version (default: from the log)\n"
            "  --timeout S       per handshake, 1..60 seconds (default 5)\n"
            "  --json            JSON instead of text\n\n"
            "Exit: 0 the handshake works, 1 a failure was diagnosed, 2 usage, 3 nothing found in the\n"
            "input, 4 I/O or network error.\n");
}

static int parse_time(const char *s, int64_t *out)
{
    char *end;
    if (s[0] == '@') {
        errno = 0;
        long long v = strtoll(s + 1, &end, 10);
        if (errno || *end || end == s + 1)
            return -1;
        *out = v;
        return 0;
    }
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (!end || *end) {
        memset(&tm, 0, sizeof tm);
        end = strptime(s, "%Y-%m-%d", &tm);
    }
    if (!end || *end)
        return -1;
    *out = (int64_t)timegm(&tm);
    return 0;
}

static int need(int argc, char **argv, int *i, const char **out)
{
    if (*i + 1 >= argc) {
        tool_error("diagnose", "%s needs a value (try --help)", argv[*i]);
        return -1;
    }
    *out = argv[++*i];
    return 0;
}

static int parse_num(const char *opt, const char *v, unsigned long lo, unsigned long hi,
                     unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (errno || *end || end == v || n < lo || n > hi || v[0] == '-') {
        tool_error("diagnose", "%s %s: expected a number from %lu to %lu", opt, v, lo, hi);
        return -1;
    }
    *out = n;
    return 0;
}

/* 0 ok, 1 --help shown, -1 usage error (message printed). */
static int parse_args(int argc, char **argv, struct diag_opts *o)
{
    memset(o, 0, sizeof *o);
    o->timeout_ms = 5000;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        unsigned long n;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            help(stdout);
            return 1;
        } else if (!strcmp(a, "--json")) {
            o->json = 1;
        } else if (!strcmp(a, "--log") || !strcmp(a, "--pcap") || !strcmp(a, "--hello") ||
                   !strcmp(a, "--server") || !strcmp(a, "--sni") || !strcmp(a, "--ca") ||
                   !strcmp(a, "--in-buf") || !strcmp(a, "--time") || !strcmp(a, "--mbedtls") ||
                   !strcmp(a, "--timeout")) {
            if (need(argc, argv, &i, &v))
                return -1;
            if (!strcmp(a, "--log")) o->log = v;
            else if (!strcmp(a, "--pcap")) o->pcap = v;
            else if (!strcmp(a, "--hello")) o->hello = v;
            else if (!strcmp(a, "--server")) o->server = v;
            else if (!strcmp(a, "--sni")) o->sni = v;
            else if (!strcmp(a, "--ca")) o->ca = v;
            else if (!strcmp(a, "--in-buf")) {
                if (parse_num(a, v, 256, 1u << 20, &n))
                    return -1;
                o->in_buf = n;
            } else if (!strcmp(a, "--mbedtls")) {
                if (parse_num(a, v, 2, 3, &n))
                    return -1;
                o->major = (int)n;
            } else if (!strcmp(a, "--timeout")) {
                if (parse_num(a, v, 1, 60, &n))
                    return -1;
                o->timeout_ms = (unsigned)n * 1000;
            } else if (parse_time(v, &o->time)) {
                tool_error("diagnose", "--time %s: expected YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or @EPOCH", v);
                return -1;
            } else {
                o->has_time = 1;
            }
        } else if (a[0] == '-' && a[1]) {
            tool_error("diagnose", "unknown option '%s' (try --help)", a);
            return -1;
        } else if (!o->log) {
            o->log = a;
        } else {
            tool_error("diagnose", "one input at a time ('%s' and '%s')", o->log, a);
            return -1;
        }
    }
    if (!!o->log + !!o->pcap + !!o->hello != 1) {
        tool_error("diagnose", "give exactly one of --log FILE, --pcap FILE, --hello HEX (try --help)");
        return -1;
    }
    if (o->ca && access(o->ca, R_OK) != 0) {
        tool_error("diagnose", "--ca %s: %s", o->ca, strerror(errno));
        return -1;
    }
    if (o->sni && (!o->sni[0] || strlen(o->sni) > 250)) {
        tool_error("diagnose", "--sni: a host name of 1 to 250 characters is needed");
        return -1;
    }
    return 0;
}

/* A lone ClientHello becomes a one-record transcript. */
static int hello_transcript(const char *arg, struct td_transcript_set *set)
{
    struct td_buf text, bytes;
    td_buf_init(&text, DIAG_MAX_FILE);
    td_buf_init(&bytes, 1u << 20);
    int rc = 0;
    if (arg[0] == '@') {
        if (tool_read_input(arg + 1, DIAG_MAX_FILE, &text))
            rc = TD_EXIT_ERROR;
    } else {
        td_buf_puts(&text, arg);
    }
    uint32_t line = 0;
    if (!rc && td_hex_parse_text(text.p ? text.p : "", text.len, &bytes, NULL, 0, NULL, &line) != TD_OK) {
        if (line)
            tool_error("diagnose", "--hello: malformed hex on line %u", line);
        else
            tool_error("diagnose", "--hello: no hex ClientHello found");
        rc = TD_EXIT_NOTHING;
    }
    const uint8_t *b = (const uint8_t *)bytes.p;
    struct td_replay_hello h;
    if (!rc && td_replay_hello_parse(b, bytes.len, &h) != TD_OK) {
        tool_error("diagnose", "--hello: the bytes are not a complete ClientHello");
        rc = TD_EXIT_NOTHING;
    }
    if (!rc) {
        struct td_buf rec;
        td_buf_init(&rec, 0);
        td_replay_hello_write(&h, &rec);
        td_replay_hello_free(&h);
        struct td_transcript *t = td_transcript_set_add(set, TD_ORIGIN_CAPTURE);
        struct td_event ev = {.kind = TD_EV_RECORD, .from = TD_ACTOR_CLIENT, .line = 1, .line_end = 1,
                              .a = 22, .code = (int64_t)rec.len - 5, .data = (uint8_t *)rec.p,
                              .len = rec.len};
        if (!t || rec.err != TD_OK || !td_transcript_add(t, &ev)) {
            tool_error("diagnose", "out of memory");
            rc = TD_EXIT_ERROR;
        } else {
            t->logged_by = TD_ACTOR_CLIENT;
            t->stop = TD_STOP_BEFORE_SERVER_ANSWER;
        }
        td_buf_free(&rec);
    }
    td_buf_free(&text);
    td_buf_free(&bytes);
    return rc;
}

static int read_source(const struct diag_opts *o, struct td_transcript_set *set, struct td_capture *cap)
{
    if (o->hello)
        return hello_transcript(o->hello, set);
    struct td_buf in;
    td_buf_init(&in, DIAG_MAX_FILE);
    const char *path = o->log ? o->log : o->pcap;
    if (tool_read_input(path, DIAG_MAX_FILE, &in)) {
        td_buf_free(&in);
        return TD_EXIT_ERROR;
    }
    int rc = 0;
    if (o->log) {
        enum td_err e = td_mbedlog_read(in.p ? in.p : "", in.len, NULL, set, NULL);
        if (e == TD_ERR_NOTHING_FOUND) {
            tool_error("diagnose", "%s: %s", path, td_mbedlog_nothing_hint());
            rc = TD_EXIT_NOTHING;
        } else if (e != TD_OK) {
            tool_error("diagnose", "%s: %s", path, td_strerror(e));
            rc = TD_EXIT_ERROR;
        }
    } else {
        struct td_buf msg;
        td_buf_init(&msg, 4096);
        enum td_err e = td_capture_read((const uint8_t *)in.p, in.len, NULL, cap, &msg);
        if (e != TD_OK) {
            tool_error("diagnose", "%s: %s", path, msg.p ? msg.p : td_strerror(e));
            rc = e == TD_ERR_NOTHING_FOUND ? TD_EXIT_NOTHING : TD_EXIT_ERROR;
        } else if (!cap->set.n) {
            tool_error("diagnose", "%s: no TLS connection in the capture", path);
            rc = TD_EXIT_NOTHING;
        }
        td_buf_free(&msg);
    }
    td_buf_free(&in);
    return rc;
}

struct net_ctx {
    const struct tool_net_target *t;
    unsigned timeout_ms;
    int progress;
    size_t n;
};

static void exchange(void *ctx, struct td_probe_req *req)
{
    struct net_ctx *c = ctx;
    c->n++;
    if (c->progress)
        fprintf(stderr, "\rreplaying against %s: handshake %zu", c->t->shown, c->n);
    tool_net_exchange(c->t, req, 1, 1, c->timeout_ms);
}

static int is_address(const char *h)
{
    unsigned char b[16];
    return inet_pton(AF_INET, h, b) == 1 || inet_pton(AF_INET6, h, b) == 1;
}

static const char *log_hostname(const struct td_transcript *t)
{
    for (size_t i = 0; t && i < t->n_ev; i++)
        if (t->ev[i].kind == TD_EV_FACT && t->ev[i].fact == TD_FACT_HOSTNAME && t->ev[i].text &&
            t->ev[i].text[0])
            return t->ev[i].text;
    return NULL;
}

/* 1 if the log's leading finding is `id`: a refused connection the replay meets again reproduces
 * the log rather than failing the replay. */
static int log_says(const struct td_report_item *items, size_t n, size_t lead, const char *id)
{
    const struct td_finding *f = lead < n && items[lead].d ? td_diag_leading(items[lead].d) : NULL;
    return f && !strcmp(f->id, id);
}

/* The replay; returns an exit code. */
static int replay(const struct diag_opts *o, const struct td_transcript *t,
                  const struct td_report_item *items, size_t n, size_t lead)
{
    char host[256], err[300];
    unsigned port;
    if (tool_net_split(o->server, 443, host, sizeof host, &port, err, sizeof err)) {
        tool_error("diagnose", "--server: %s", err);
        return TD_EXIT_USAGE;
    }
    struct tool_net_target target;
    if (tool_net_resolve(host, port, &target, err, sizeof err)) {
        tool_error("diagnose", "--server: %s", err);
        return TD_EXIT_ERROR;
    }
    struct td_replay_hello *h = malloc(sizeof *h);
    if (!h) {
        tool_error("diagnose", "out of memory");
        return TD_EXIT_ERROR;
    }
    enum td_err e = td_replay_hello_from_transcript(t, h);
    if (e != TD_OK) {
        free(h);
        tool_error("diagnose", "the input has no ClientHello to replay (%s)", td_strerror(e));
        return TD_EXIT_NOTHING;
    }
    const char *sni = o->sni ? o->sni : log_hostname(t);
    if (!sni && !is_address(host))
        sni = host;
    struct td_replay_opts ro = {.sni = sni, .ca_file = o->ca, .in_buf = o->in_buf,
                                .has_time = o->has_time, .device_time = o->time,
                                .now = (int64_t)time(NULL), .mbedtls_major = o->major};
    struct net_ctx nc = {.t = &target, .timeout_ms = o->timeout_ms, .progress = !o->json && isatty(2)};
    struct td_replay_io io = {.ctx = &nc, .exchange = exchange};
    struct td_replay_result *res = malloc(sizeof *res);
    if (!res) {
        td_replay_hello_free(h);
        free(h);
        tool_error("diagnose", "out of memory");
        return TD_EXIT_ERROR;
    }
    e = td_replay_run(h, t, &ro, &io, res);
    if (nc.progress)
        fprintf(stderr, "\r%-70s\r", "");
    td_replay_hello_free(h);
    free(h);
    int rc = TD_EXIT_FINDING;
    if (e != TD_OK) {
        tool_error("diagnose", "replay failed: %s", td_strerror(e));
        rc = TD_EXIT_ERROR;
    } else if (res->n_steps && res->steps[0].outcome == TD_PO_CONNECT_FAILED && !log_says(items, n, lead, "connection-refused")) {
        tool_error("diagnose", "%s: %s", target.shown, res->steps[0].result);
        rc = TD_EXIT_ERROR;
    } else {
        struct td_buf out;
        td_buf_init(&out, 0);
        const char *src = o->log ? o->log : o->pcap ? o->pcap : "--hello";
        if (o->json)
            td_replay_render_json(res, target.shown, items, n, lead, src, &out);
        else
            td_replay_render_text(res, target.shown, items, n, lead, src,
                                  tool_use_colour(1) ? TD_REPORT_COLOUR : 0, &out);
        fputs(out.p ? out.p : "", stdout);
        td_buf_free(&out);
        if (!strcmp(td_replay_verdict(res, items, n, lead, NULL), "handshake-ok"))
            rc = TD_EXIT_OK;
    }
    td_replay_result_free(res);
    free(res);
    return rc;
}

int tool_diagnose_main(int argc, char **argv)
{
    struct diag_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc)
        return rc > 0 ? TD_EXIT_OK : TD_EXIT_USAGE;
    struct td_transcript_set set;
    struct td_capture cap;
    td_transcript_set_init(&set);
    td_capture_init(&cap);
    rc = read_source(&o, &set, &cap);
    const struct td_transcript_set *ts = o.pcap ? &cap.set : &set;
    struct td_diagnosis *d = rc ? NULL : calloc(ts->n ? ts->n : 1, sizeof *d);
    struct td_report_item *items = rc ? NULL : calloc(ts->n ? ts->n : 1, sizeof *items);
    if (!rc && (!d || !items)) {
        tool_error("diagnose", "out of memory");
        rc = TD_EXIT_ERROR;
    }
    struct td_diag_opts dopt = {.mbedtls_major = o.major};
    for (size_t i = 0; !rc && i < ts->n; i++) {
        if (td_diag_run(&ts->t[i], &dopt, &d[i]) != TD_OK) {
            tool_error("diagnose", "out of memory");
            rc = TD_EXIT_ERROR;
        }
        items[i] = (struct td_report_item){&ts->t[i], &d[i]};
    }
    if (!rc) {
        size_t lead = td_report_pick(items, ts->n);
        if (o.server) {
            rc = replay(&o, &ts->t[lead], items, ts->n, lead);
        } else {
            struct td_buf out;
            td_buf_init(&out, 0);
            const char *src = o.log ? o.log : o.pcap ? o.pcap : "--hello";
            if (o.json)
                td_report_json(items, ts->n, lead, src, 0, &out);
            else
                td_report_text(items, ts->n, lead, src, tool_use_colour(1) ? TD_REPORT_COLOUR : 0, &out);
            fputs(out.p ? out.p : "", stdout);
            td_buf_free(&out);
            /* the contract of every command (td_diag_exit_code): a log or capture whose
               handshake did not succeed and that no rule explains is 3, as `log` and `pcap`
               say; a lone --hello has no result to judge, so only a cause makes it 1 */
            int any = 0;
            for (size_t i = 0; i < ts->n; i++)
                any |= td_diag_has_cause(&d[i]);
            rc = o.hello ? (any ? TD_EXIT_FINDING : TD_EXIT_OK) : td_diag_exit_code(&d[lead], any);
        }
    }
    for (size_t i = 0; d && i < ts->n; i++)
        td_diagnosis_free(&d[i]);
    free(d);
    free(items);
    td_transcript_set_free(&set);
    td_capture_free(&cap);
    if (fflush(stdout) != 0 && !rc)
        rc = TD_EXIT_ERROR;
    return rc;
}
