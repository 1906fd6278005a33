/* tool_probe.c -- `tlsdoctor probe HOST[:PORT]`: runs the library's enumeration rounds over
 * tool_net's sockets and prints what the server supports, as text or JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include "tool.h"
#include "tool_net.h"
#include "tlsdoctor/probe.h"

struct probe_opts {
    const char *target;
    const char *sni;
    const char *ca;
    int json;
    unsigned concurrency;
    unsigned timeout_ms;
};

static void probe_usage(FILE *f)
{
    fprintf(f,
            "usage: tlsdoctor probe HOST[:PORT] [--sni NAME] [--ca FILE] [--json]\n"
            "                       [--concurrency N] [--timeout SECONDS]\n\n"
            "Connects to HOST (default port 443) only, with hand-built ClientHellos, and reports\n"
            "the versions, cipher suites (in the server's order), groups, signature algorithms,\n"
            "SNI behaviour, extensions and certificate chain (over TLS 1.2 and TLS 1.3).\n\n"
            "  --sni NAME         server_name to send (default: HOST when it is a name)\n"
            "  --ca FILE          verify the chain against FILE (default: the system store)\n"
            "  --json             JSON output (schema tlsdoctor.probe/1)\n"
            "  --concurrency N    connections at once, 1..32 (default 6)\n"
            "  --timeout SECONDS  per connection, connect to last byte, 1..120 (default 5)\n\n"
            "Exit: 0 probed, 1 the server does not complete a TLS ServerHello (the reason is\n"
            "printed), 2 usage, 4 resolution or connection failure.\n");
}

static int parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* Returns -1 on a usage error (printed), 1 for --help, 0 to go on. */
static int parse_args(int argc, char **argv, struct probe_opts *o)
{
    memset(o, 0, sizeof *o);
    o->concurrency = 6;
    o->timeout_ms = 5000;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned u;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            probe_usage(stdout);
            return 1;
        } else if (!strcmp(a, "--json")) {
            o->json = 1;
        } else if (!strcmp(a, "--sni") || !strcmp(a, "--ca") || !strcmp(a, "--concurrency") ||
                   !strcmp(a, "--timeout")) {
            if (!val) {
                tool_error("probe", "%s needs a value", a);
                return -1;
            }
            i++;
            if (!strcmp(a, "--sni")) {
                o->sni = val;
                if (strlen(val) > 253 || !val[0]) {
                    tool_error("probe", "--sni: a name of 1 to 253 characters is needed");
                    return -1;
                }
            } else if (!strcmp(a, "--ca")) {
                o->ca = val;
            } else if (!strcmp(a, "--concurrency")) {
                if (parse_uint(val, 1, 32, &u)) {
                    tool_error("probe", "--concurrency: a number from 1 to 32 is needed");
                    return -1;
                }
                o->concurrency = u;
            } else {
                if (parse_uint(val, 1, 120, &u)) {
                    tool_error("probe", "--timeout: a number of seconds from 1 to 120 is needed");
                    return -1;
                }
                o->timeout_ms = u * 1000;
            }
        } else if (a[0] == '-' && a[1]) {
            tool_error("probe", "unknown option '%s' (try --help)", a);
            return -1;
        } else if (o->target) {
            tool_error("probe", "only one HOST[:PORT] can be probed");
            return -1;
        } else {
            o->target = a;
        }
    }
    if (!o->target) {
        tool_error("probe", "HOST[:PORT] is needed (try --help)");
        return -1;
    }
    if (o->ca && access(o->ca, R_OK) != 0) {
        tool_error("probe", "--ca %s: cannot be read", o->ca);
        return -1;
    }
    return 0;
}

static int is_address(const char *h)
{
    unsigned char b[16];
    return inet_pton(AF_INET, h, b) == 1 || inet_pton(AF_INET6, h, b) == 1;
}

/* Runs every round; returns 0 or an exit code. */
static int run_rounds(struct td_probe_enum *e, const struct tool_net_target *t,
                      const struct probe_opts *o)
{
    int progress = isatty(2);
    for (;;) {
        struct td_probe_req *reqs;
        size_t n;
        const char *phase = "";
        enum td_err err = td_probe_enum_next(e, &reqs, &n, &phase);
        if (err != TD_OK) {
            tool_error("probe", "building a ClientHello failed: %s", td_strerror(err));
            return TD_EXIT_ERROR;
        }
        if (n == 0)
            break;
        if (progress)
            fprintf(stderr, "\rprobing %s: %-34s (%zu connections)", t->shown, phase,
                    e->res.connections);
        tool_net_exchange(t, reqs, n, o->concurrency, o->timeout_ms);
        td_probe_enum_feed(e);
    }
    if (progress)
        fprintf(stderr, "\r%-80s\r", "");
    return 0;
}

/* No version got a ServerHello: say what the server did, in one sentence. */
static int report_failure(const struct td_probe_result *r, const struct tool_net_target *t,
                          const struct probe_opts *o, const char *host, unsigned port)
{
    const struct td_probe_version_result *v = &r->ver[3];
    int connect_failed = strncmp(v->refusal, "could not connect", 17) == 0;
    if (o->json) {
        struct td_buf b;
        td_buf_init(&b, 0);
        td_probe_render_json(r, host, port, o->ca, &b);
        fputs(b.p ? b.p : "", stdout);
        td_buf_free(&b);
    } else {
        printf("%s: %s.\n", t->shown, v->refusal);
    }
    if (connect_failed) {
        tool_error("probe", "%s: %s", t->shown, v->refusal);
        return TD_EXIT_ERROR;
    }
    return TD_EXIT_FINDING;
}

static void print_text(const struct td_probe_result *r, const struct tool_net_target *t,
                       const struct probe_opts *o)
{
    struct td_buf b;
    td_buf_init(&b, 0);
    td_buf_printf(&b, "tlsdoctor probe %s, SNI %s%s%s, %zu connections\n", t->shown,
                  r->sni[0] ? "\"" : "", r->sni[0] ? r->sni : "none", r->sni[0] ? "\"" : "",
                  r->connections);
    td_probe_render_text(r, &b);
    if (r->cert12.outcome != TD_PO_NONE) {
        td_buf_puts(&b, "Certificate chain over TLS 1.2:\n");
        td_probe_chain_text(&r->cert12, r->sni, o->ca, &b);
    }
    if (r->cert13.outcome != TD_PO_NONE) {
        td_buf_puts(&b, "Certificate chain over TLS 1.3 (decrypted):\n");
        td_probe_chain_text(&r->cert13, r->sni, o->ca, &b);
    }
    fputs(b.p ? b.p : "", stdout);
    td_buf_free(&b);
}

int tool_probe_main(int argc, char **argv)
{
    struct probe_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc)
        return rc > 0 ? TD_EXIT_OK : TD_EXIT_USAGE;
    char host[256], err[300];
    unsigned port;
    if (tool_net_split(o.target, 443, host, sizeof host, &port, err, sizeof err)) {
        tool_error("probe", "%s", err);
        return TD_EXIT_USAGE;
    }
    struct tool_net_target t;
    if (tool_net_resolve(host, port, &t, err, sizeof err)) {
        tool_error("probe", "%s", err);
        return TD_EXIT_ERROR;
    }
    const char *sni = o.sni ? o.sni : (is_address(host) ? NULL : host);
    struct td_probe_enum e;
    if (td_probe_enum_init(&e, sni) != TD_OK) {
        tool_error("probe", "out of memory");
        td_probe_enum_free(&e);
        return TD_EXIT_ERROR;
    }
    rc = run_rounds(&e, &t, &o);
    const struct td_probe_result *r = &e.res;
    int any = 0;
    for (int i = 0; i < 5; i++)
        any |= r->ver[i].supported;
    if (rc == 0 && !any) {
        rc = report_failure(r, &t, &o, host, port);
    } else if (rc == 0 && o.json) {
        struct td_buf b;
        td_buf_init(&b, 0);
        td_probe_render_json(r, host, port, o.ca, &b);
        fputs(b.p ? b.p : "", stdout);
        td_buf_free(&b);
    } else if (rc == 0) {
        print_text(r, &t, &o);
    }
    td_probe_enum_free(&e);
    return rc;
}
