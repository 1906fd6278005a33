/* tool_pcap.c -- `tlsdoctor pcap FILE`: the TLS connections in a packet capture, each with its
 * record timeline. The library reads and renders; this file handles arguments, files and exit. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include <stdlib.h>
#include "tlsdoctor/capture.h"
#include "tlsdoctor/diag.h"
#include "tlsdoctor/report.h"
#include "tool.h"

#define PCAP_MAX_FILE ((size_t)1 << 30)


static void help(FILE *out)
{
    fprintf(out,
            "usage: tlsdoctor pcap FILE [--json] [--filter BPF] [--no-diagnosis]\n\n"
            "Lists the TLS connections in a pcap or pcapng capture (Ethernet, Linux cooked v1/v2,\n"
            "loopback or raw IP; IPv4 and IPv6; VLAN tags) with each one's records, handshake\n"
            "messages and alerts, then diagnoses them as logs are diagnosed. TCP streams are\n"
            "reassembled; TLS is found by content on any port.\n\n"
            "  --json          one JSON object: {\"capture\": listing, \"report\": diagnosis}\n"
            "  --filter BPF    only packets matching this capture filter (e.g. 'port 4433')\n"
            "  --no-diagnosis  the listing only\n"
            "  FILE            the capture, or - for standard input\n\n"
            "Exit: 0 TLS found and no failure, 1 a failure was diagnosed, 2 usage,\n"
            "3 no TLS or not a capture, 4 I/O error.\n");
}

/* Diagnoses every connection; d must hold c->set.n entries. Returns the index to lead with. */
static enum td_err diagnose_all(const struct td_capture *c, struct td_diagnosis *d,
                                struct td_report_item *items, size_t *lead)
{
    for (size_t i = 0; i < c->set.n; i++) {
        enum td_err e = td_diag_run(&c->set.t[i], NULL, &d[i]);
        if (e != TD_OK)
            return e;
        items[i].t = &c->set.t[i];
        items[i].d = &d[i];
    }
    *lead = td_report_pick(items, c->set.n);
    return TD_OK;
}

/* The JSON document: the listing and the report side by side. */
static enum td_err render_json(const struct td_capture *c, const struct td_report_item *items,
                               size_t lead, const char *path, struct td_buf *out)
{
    struct td_buf a, b;
    td_buf_init(&a, 0);
    td_buf_init(&b, 0);
    enum td_err e = td_capture_render_json(c, &a);
    if (e == TD_OK && items)
        e = td_report_json(items, c->set.n, lead, path, 0, &b);
    cJSON *root = cJSON_CreateObject(), *cap = e == TD_OK ? cJSON_Parse(a.p) : NULL;
    cJSON *rep = e == TD_OK && items ? cJSON_Parse(b.p) : NULL;
    td_buf_free(&a);
    td_buf_free(&b);
    if (e == TD_OK && (!root || !cap || (items && !rep)))
        e = TD_ERR_NOMEM;
    if (e == TD_OK) {
        cJSON_AddItemToObject(root, "capture", cap);
        cap = NULL;
        if (rep)
            cJSON_AddItemToObject(root, "report", rep);
        else
            cJSON_AddNullToObject(root, "report");
        rep = NULL;
        char *s = cJSON_PrintUnformatted(root);
        if (!s)
            e = TD_ERR_NOMEM;
        else {
            td_buf_puts(out, s);
            td_buf_putc(out, '\n');
            free(s);
            e = out->err;
        }
    }
    cJSON_Delete(cap);
    cJSON_Delete(rep);
    cJSON_Delete(root);
    return e;
}

static enum td_err render(const struct td_capture *c, int json, int diagnose, const char *path,
                          struct td_buf *out, int *diag_rc)
{
    size_t n = c->set.n, lead = 0;
    struct td_diagnosis *d = diagnose && n ? calloc(n, sizeof *d) : NULL;
    struct td_report_item *items = diagnose && n ? calloc(n, sizeof *items) : NULL;
    enum td_err e = TD_OK;
    if (diagnose && n && (!d || !items))
        e = TD_ERR_NOMEM;
    if (e == TD_OK && d)
        e = diagnose_all(c, d, items, &lead);
    if (e == TD_OK && d) {
        int any = 0;
        for (size_t i = 0; i < n; i++)
            any |= td_diag_has_cause(&d[i]);
        *diag_rc = td_diag_exit_code(&d[lead], any);
    }
    if (e == TD_OK && json)
        e = render_json(c, d ? items : NULL, lead, path, out);
    else if (e == TD_OK) {
        int colour = tool_use_colour(STDOUT_FILENO);
        e = td_capture_render_text(c, colour, out);
        if (e == TD_OK && d) {
            td_buf_puts(out, "\n");
            e = td_report_text(items, n, lead, path, colour ? TD_REPORT_COLOUR : 0, out);
        }
    }
    for (size_t i = 0; d && i < n; i++)
        td_diagnosis_free(&d[i]);
    free(d);
    free(items);
    return e;
}

int tool_pcap_main(int argc, char **argv)
{
    const char *path = NULL, *filter = NULL;
    int json = 0, diagnose = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            help(stdout);
            return TD_EXIT_OK;
        } else if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if (!strcmp(argv[i], "--no-diagnosis")) {
            diagnose = 0;
        } else if (!strcmp(argv[i], "--filter")) {
            if (++i >= argc) {
                tool_error("pcap", "--filter needs a BPF expression");
                return TD_EXIT_USAGE;
            }
            filter = argv[i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            tool_error("pcap", "unknown option '%s' (try --help)", argv[i]);
            return TD_EXIT_USAGE;
        } else if (path) {
            tool_error("pcap", "one capture file at a time ('%s' and '%s')", path, argv[i]);
            return TD_EXIT_USAGE;
        } else {
            path = argv[i];
        }
    }
    if (!path) {
        tool_error("pcap", "which capture file? (usage: tlsdoctor pcap FILE [--json] [--filter BPF])");
        return TD_EXIT_USAGE;
    }
    struct td_buf in, out, msg;
    td_buf_init(&in, PCAP_MAX_FILE);
    td_buf_init(&out, 0);
    td_buf_init(&msg, 4096);
    if (tool_read_input(path, PCAP_MAX_FILE, &in)) {
        td_buf_free(&in);
        return TD_EXIT_ERROR;
    }
    struct td_capture c;
    td_capture_init(&c);
    struct td_capture_opts opts = {.filter = filter};
    enum td_err e = td_capture_read((const uint8_t *)in.p, in.len, &opts, &c, &msg);
    td_buf_free(&in);
    int rc = TD_EXIT_OK;
    if (e != TD_OK) {
        tool_error("pcap", "%s: %s", path, msg.p ? msg.p : td_strerror(e));
        rc = e == TD_ERR_SYNTAX ? TD_EXIT_USAGE : e == TD_ERR_NOTHING_FOUND ? TD_EXIT_NOTHING
                                                                             : TD_EXIT_ERROR;
    } else {
        int diag_rc = TD_EXIT_OK;
        e = render(&c, json, diagnose, path, &out, &diag_rc);
        rc = diag_rc;
        if (e != TD_OK) {
            tool_error("pcap", "%s: %s", path, td_strerror(e));
            rc = TD_EXIT_ERROR;
        } else {
            fwrite(out.p, 1, out.len, stdout);
            if (c.file_truncated)
                tool_error("pcap", "%s: the file is cut short; showing what could be read", path);
            if (c.set.n == 0) {
                tool_error("pcap", "%s: no TLS connection found (%s)", path,
                           c.n_notes ? c.notes[c.n_notes - 1] : "no TCP stream starts like TLS");
                rc = TD_EXIT_NOTHING;
            }
        }
    }
    td_capture_free(&c);
    td_buf_free(&out);
    td_buf_free(&msg);
    return rc;
}
