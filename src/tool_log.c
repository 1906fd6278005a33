/* tool_log.c -- `tlsdoctor log FILE|-`: reads an Mbed TLS debug log (streaming, any size),
 * diagnoses each handshake attempt and prints the answer first (text, or JSON with --json), then
 * each attempt's timeline with --timeline; --transcripts prints the Transcripts as JSON instead.
 *
 * Each attempt is diagnosed as soon as the reader completes it (report_attempt()); only its
 * diagnosis, its header (no events) and its rendered timeline are kept for the final report. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "tool.h"
#include "tlsdoctor/capture.h"
#include "tlsdoctor/diag.h"
#include "tlsdoctor/mbedlog.h"
#include "tlsdoctor/report.h"

struct log_opts {
    int json;
    int transcripts;
    int timeline;
    int all;
    int ascii;
    int events;
    const char *path;
    const char *pcap_out;  /* --pcap-out: write the logged records as a synthetic capture */
};

struct log_run {
    const struct log_opts *o;
    size_t n;              /* attempts reported */
    int failed;            /* some attempt failed */
    int io_err;
    struct td_buf out;
    struct td_capture_writer *pcap;
    /* text report: the attempt it leads with (header without events, whole diagnosis) and a tally
     * of every attempt, so memory does not grow with the number of attempts */
    struct td_transcript lead_hdr;
    struct td_diagnosis lead_diag;
    size_t lead;
    int cause;             /* some attempt's leading finding names a cause */
    struct td_report_tally tally;
    /* JSON report: every attempt's header and diagnosis (the document lists them all) */
    struct td_transcript *hdr;
    struct td_diagnosis *diag;
    size_t cap;
    /* --timeline: every attempt's rendered timeline (printed after the report) */
    struct td_buf *tl;
    size_t cap_tl;
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: tlsdoctor log [--json] [--timeline] [--all] [--ascii] [--events] [--transcripts]\n"
            "                     [--pcap-out OUT.pcap] FILE|-\n\n"
            "Reads an Mbed TLS debug log (or application output that mentions Mbed TLS errors),\n"
            "however it was decorated, and says why the handshake failed: the answer in one sentence,\n"
            "the evidence with log line numbers, the fix for your Mbed TLS version, then secondary\n"
            "observations. A log usually holds several attempts; the most telling one leads.\n\n"
            "  --json         the diagnosis as JSON (schema tlsdoctor.report/1, see docs/json.md)\n"
            "  --timeline     also print each attempt's timeline: records sent and received, decoded,\n"
            "                 alerts with their sender, return codes\n"
            "  --all          every event in the timeline, not only the key ones\n"
            "  --ascii        -> and <- instead of arrows\n"
            "  --events       only compact key-event lines per attempt (what the tests compare)\n"
            "  --transcripts  only the Transcripts as JSON\n"
            "  --pcap-out OUT.pcap  also write the records dumped in the log as a synthetic TCP\n"
            "               conversation per attempt that Wireshark/tshark dissect as TLS\n"
            "               (records the log only describes in text are not written)\n\n"
            "Colour only on a terminal and never with NO_COLOR set.\n"
            "Exit: 0 the handshake succeeded, 1 a failure was diagnosed, 2 usage, 3 nothing recognised\n"
            "(no Mbed TLS output, or a failure no rule explains), 4 I/O error.\n");
}

static int attempt_failed(const struct td_transcript *t)
{
    if (t->handshake_ret_known && t->handshake_ret != 0)
        return 1;
    for (size_t i = 0; i < t->n_ev; i++) {
        const struct td_event *e = &t->ev[i];
        if ((e->kind == TD_EV_ALERT && e->a == 2) || (e->kind == TD_EV_RETURN && e->code < 0))
            return 1;
    }
    return 0;
}

static void emit(struct log_run *r)
{
    if (r->out.len && fwrite(r->out.p, 1, r->out.len, stdout) != r->out.len)
        r->io_err = 1;
    td_buf_reset(&r->out);
}

/* --timeline: room for r->n timelines. */
static int grow_tl(struct log_run *r)
{
    if (r->n <= r->cap_tl)
        return 1;
    size_t c = r->cap_tl ? r->cap_tl * 2 : 8;
    struct td_buf *b = realloc(r->tl, c * sizeof *b);
    if (!b)
        return 0;
    r->tl = b;
    r->cap_tl = c;
    return 1;
}

/* JSON report: room for r->n headers and diagnoses (both arrays share r->cap). */
static int grow_all(struct log_run *r)
{
    if (r->n <= r->cap)
        return 1;
    size_t c = r->cap ? r->cap * 2 : 8;
    struct td_transcript *h = realloc(r->hdr, c * sizeof *h);
    if (!h)
        return 0;
    r->hdr = h;
    struct td_diagnosis *d = realloc(r->diag, c * sizeof *d);
    if (!d)
        return 0;
    r->diag = d;
    r->cap = c;
    return 1;
}

/* Text report: attempt i becomes the lead if it outranks the current one (td_report_pick's
 * order); the other is freed. Every attempt goes into the tally first. */
static void keep_lead(struct log_run *r, const struct td_transcript *hdr, struct td_diagnosis *d, size_t i)
{
    struct td_report_item it = {hdr, d};
    td_report_tally_add(&r->tally, &it);
    r->cause |= td_diag_has_cause(d);
    if (i) {
        struct td_report_item two[2] = {{&r->lead_hdr, &r->lead_diag}, it};
        if (td_report_pick(two, 2) == 0) {
            td_diagnosis_free(d);
            return;
        }
        td_diagnosis_free(&r->lead_diag);
    }
    r->lead_hdr = *hdr;
    r->lead_diag = *d;
    r->lead = i;
}

/* Keeps what the final report needs from attempt t: for the text report the lead and a tally;
 * for JSON every header and diagnosis; with --timeline every timeline. */
static void keep_attempt(struct log_run *r, const struct td_transcript *t)
{
    size_t i = r->n - 1;
    struct td_transcript hdr = *t;
    hdr.ev = NULL;
    hdr.n_ev = hdr.cap_ev = 0;
    struct td_diagnosis d;
    if (td_diag_run(t, NULL, &d) != TD_OK)
        r->io_err = 1;
    if (!r->o->json) {
        keep_lead(r, &hdr, &d, i);
    } else if (grow_all(r)) {
        r->hdr[i] = hdr;
        r->diag[i] = d;
    } else {
        td_diagnosis_free(&d);
        r->io_err = 1;
    }
    if (r->o->timeline) {
        if (!grow_tl(r)) {
            r->io_err = 1;
            return;
        }
        unsigned flags = (r->o->all ? TD_TIMELINE_ALL : 0) | (r->o->ascii ? TD_TIMELINE_ASCII : 0);
        td_buf_init(&r->tl[i], 0);
        td_mbedlog_render_timeline(t, r->n, 0, flags, &r->tl[i]);
    }
}

static void report_attempt(struct log_run *r, const struct td_transcript *t)
{
    r->n++;
    if (r->pcap)
        td_capture_writer_add(r->pcap, t);
    if (attempt_failed(t))
        r->failed = 1;
    if (r->o->transcripts) {
        cJSON *j = td_transcript_to_json(t);
        char *s = j ? cJSON_PrintUnformatted(j) : NULL;
        if (s)
            td_buf_printf(&r->out, "%s\n    %s", r->n > 1 ? "," : "", s);
        else
            r->io_err = 1;
        free(s);
        cJSON_Delete(j);
    } else if (r->o->events) {
        td_mbedlog_key_events(t, 0, &r->out);
    } else {
        keep_attempt(r, t);
    }
    emit(r);
}

/* The final report: the leading attempt's answer first, then the timelines on request. Returns
 * the exit code the diagnosis calls for. */
static int final_report(struct log_run *r)
{
    const char *src = strcmp(r->o->path, "-") ? r->o->path : "(standard input)";
    int cause = r->cause;
    const struct td_diagnosis *lead_d = NULL;
    if (r->o->json) {
        struct td_report_item *items = calloc(r->n ? r->n : 1, sizeof *items);
        if (!items) {
            r->io_err = 1;
            return TD_EXIT_ERROR;
        }
        for (size_t i = 0; i < r->n; i++) {
            items[i] = (struct td_report_item){&r->hdr[i], &r->diag[i]};
            cause |= td_diag_has_cause(&r->diag[i]);
        }
        size_t lead = td_report_pick(items, r->n);
        td_report_json(items, r->n, lead, src, 0, &r->out);
        lead_d = &r->diag[lead];
        free(items);
    } else {
        struct td_report_item it = {&r->lead_hdr, &r->lead_diag};
        td_report_text_tally(&it, r->lead, &r->tally, src, tool_use_colour(1) ? TD_REPORT_COLOUR : 0, &r->out);
        lead_d = &r->lead_diag;
    }
    for (size_t i = 0; r->o->timeline && r->tl && i < r->n; i++) {
        td_buf_puts(&r->out, i ? "\n" : "\nTimeline\n\n");
        td_buf_append(&r->out, r->tl[i].p ? r->tl[i].p : "", r->tl[i].len);
    }
    if (r->out.err)
        r->io_err = 1;
    emit(r);
    return td_diag_exit_code(lead_d, cause);
}

static void free_kept(struct log_run *r)
{
    if (r->o->json) {
        for (size_t i = 0; i < r->n && r->diag; i++)
            td_diagnosis_free(&r->diag[i]);
    } else if (r->n) {
        td_diagnosis_free(&r->lead_diag);
    }
    for (size_t i = 0; r->tl && i < r->n; i++)
        td_buf_free(&r->tl[i]);
    free(r->hdr);
    free(r->diag);
    free(r->tl);
}

static void drain(struct td_mbedlog *ml, struct log_run *r)
{
    struct td_transcript t;
    while (td_mbedlog_next(ml, &t)) {
        report_attempt(r, &t);
        td_transcript_free(&t);
    }
}

static int parse_args(int argc, char **argv, struct log_opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return -1;
        } else if (!strcmp(a, "--json")) {
            o->json = 1;
        } else if (!strcmp(a, "--timeline")) {
            o->timeline = 1;
        } else if (!strcmp(a, "--transcripts")) {
            o->transcripts = 1;
        } else if (!strcmp(a, "--all")) {
            o->all = 1;
        } else if (!strcmp(a, "--events")) {
            o->events = 1;
        } else if (!strcmp(a, "--ascii")) {
            o->ascii = 1;
        } else if (!strcmp(a, "--pcap-out")) {
            if (++i >= argc) {
                tool_error("log", "--pcap-out needs a file name");
                return TD_EXIT_USAGE;
            }
            o->pcap_out = argv[i];
        } else if (a[0] == '-' && a[1]) {
            tool_error("log", "unknown option '%s' (try 'tlsdoctor log --help')", a);
            return TD_EXIT_USAGE;
        } else if (o->path) {
            tool_error("log", "one input at a time ('%s' and '%s')", o->path, a);
            return TD_EXIT_USAGE;
        } else {
            o->path = a;
        }
    }
    if (!o->path) {
        tool_error("log", "no input: give a file, or - for standard input (try 'tlsdoctor log --help')");
        return TD_EXIT_USAGE;
    }
    return 0;
}

int tool_log_main(int argc, char **argv)
{
    struct log_opts o = {0};
    int rc = parse_args(argc, argv, &o);
    if (rc)
        return rc < 0 ? TD_EXIT_OK : rc;
    int is_stdin = !strcmp(o.path, "-");
    FILE *f = is_stdin ? stdin : fopen(o.path, "rb");
    if (!f) {
        tool_error("log", "%s: %s", o.path, strerror(errno));
        return TD_EXIT_ERROR;
    }
    struct td_mbedlog *ml = td_mbedlog_new(NULL);
    struct log_run r = {.o = &o};
    td_report_tally_init(&r.tally);
    td_buf_init(&r.out, 0);
    if (!ml) {
        tool_error("log", "out of memory");
        if (!is_stdin)
            fclose(f);
        return TD_EXIT_ERROR;
    }
    if (o.pcap_out) {
        struct td_buf msg;
        td_buf_init(&msg, 1024);
        if (td_capture_writer_open(o.pcap_out, &r.pcap, &msg) != TD_OK) {
            tool_error("log", "%s: %s", o.pcap_out, msg.p ? msg.p : "cannot write");
            td_buf_free(&msg);
            td_mbedlog_free(ml);
            if (!is_stdin)
                fclose(f);
            return TD_EXIT_ERROR;
        }
        td_buf_free(&msg);
    }
    if (o.transcripts)
        printf("{\"attempts\": [");
    static char chunk[1 << 16];
    size_t n;
    enum td_err e = TD_OK;
    while (e == TD_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        e = td_mbedlog_feed(ml, chunk, n);
        drain(ml, &r);
    }
    int read_err = ferror(f);
    if (!is_stdin)
        fclose(f);
    if (e == TD_OK)
        e = td_mbedlog_finish(ml);
    drain(ml, &r);
    const struct td_mbedlog_stats *st = td_mbedlog_stats(ml);
    if (o.transcripts) {
        printf("%s], \"lines\": %llu, \"debug_lines\": %llu, \"app_lines\": %llu, \"long_lines\": %llu, "
               "\"capped_attempts\": %llu}\n",
               r.n ? "\n" : "", (unsigned long long)st->lines, (unsigned long long)st->debug_lines,
               (unsigned long long)st->app_lines, (unsigned long long)st->long_lines,
               (unsigned long long)st->capped);
    }
    td_mbedlog_free(ml);
    int diag_rc = -1;
    if (!o.transcripts && !o.events && r.n && e == TD_OK && !read_err)
        diag_rc = final_report(&r);
    free_kept(&r);
    td_buf_free(&r.out);
    if (r.pcap) {
        struct td_capture_write_stats ws;
        if (td_capture_writer_close(r.pcap, &ws) != TD_OK) {
            tool_error("log", "%s: writing the capture failed", o.pcap_out);
            return TD_EXIT_ERROR;
        }
        if (ws.records == 0)
            tool_error("log", "%s: the log holds no complete record dumps; the capture is empty",
                       o.pcap_out);
        else if (ws.skipped)
            tool_error("log", "%s: %zu records written, %zu left out (cut short or only described "
                       "in text)", o.pcap_out, ws.records, ws.skipped);
    }
    if (fflush(stdout) != 0)
        r.io_err = 1;
    if (read_err) {
        tool_error("log", "%s: read error", o.path);
        return TD_EXIT_ERROR;
    }
    if (e != TD_OK || r.io_err) {
        tool_error("log", "%s", e != TD_OK ? td_strerror(e) : "could not write the output");
        return TD_EXIT_ERROR;
    }
    if (!r.n) {
        tool_error("log", "%s: %s", o.path, td_mbedlog_nothing_hint());
        return TD_EXIT_NOTHING;
    }
    if (diag_rc >= 0)
        return diag_rc;
    return r.failed ? TD_EXIT_FINDING : TD_EXIT_OK;
}
