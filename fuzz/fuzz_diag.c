/* fuzz_diag.c -- libFuzzer harness for the diagnosis and every renderer after it, as `log`,
 * `diagnose --log`, `diagnose --pcap` and `log --pcap-out` drive them: a capture (pcap/pcapng
 * magic) goes through td_capture_read, anything else through the log reader; every attempt found
 * is diagnosed, the leading one picked, and the report rendered as JSON and as text (in colour and
 * brief variants, then again with the other attempts shrunk to one line as `log` keeps them); log
 * attempts also go through the timeline renderer and the synthetic pcap writer (to /dev/null).
 * Seeds: raw logs and captures (fuzz/seeds.py diag: lab logs, paste forms, cut captures). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tlsdoctor/capture.h"
#include "tlsdoctor/diag.h"
#include "tlsdoctor/mbedlog.h"
#include "tlsdoctor/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int is_capture(const uint8_t *p, size_t n)
{
    static const uint8_t magics[][4] = {{0xd4, 0xc3, 0xb2, 0xa1}, {0xa1, 0xb2, 0xc3, 0xd4},
                                        {0x4d, 0x3c, 0xb2, 0xa1}, {0xa1, 0xb2, 0x3c, 0x4d},
                                        {0x0a, 0x0d, 0x0d, 0x0a}};
    for (size_t i = 0; n >= 4 && i < sizeof magics / sizeof magics[0]; i++)
        if (!memcmp(p, magics[i], 4))
            return 1;
    return 0;
}

static void report(const struct td_transcript_set *set, unsigned flags)
{
    size_t n = set->n;
    struct td_diagnosis *d = calloc(n ? n : 1, sizeof *d);
    struct td_report_item *items = calloc(n ? n : 1, sizeof *items);
    if (!d || !items) {
        free(d);
        free(items);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        td_diag_run(&set->t[i], NULL, &d[i]);
        items[i] = (struct td_report_item){&set->t[i], &d[i]};
        if (td_diag_leading(&d[i]) == NULL && d[i].n != 0)
            abort();
    }
    size_t lead = td_report_pick(items, n);
    if (n && lead >= n)
        abort();
    struct td_buf out;
    td_buf_init(&out, 1 << 22);
    td_report_json(items, n, lead, flags & 1 ? NULL : "fuzz.log", 0, &out);
    td_buf_reset(&out);
    td_report_text(items, n, lead, "fuzz.log", flags & (TD_REPORT_COLOUR | TD_REPORT_BRIEF), &out);
    /* as `log` keeps them: only the leading attempt in full */
    for (size_t i = 0; i < n; i++)
        if (i != lead)
            td_diagnosis_keep_leading(&d[i]);
    td_buf_reset(&out);
    td_report_text(items, n, lead, NULL, 0, &out);
    td_buf_reset(&out);
    td_report_json(items, n, lead, "-", 0, &out);
    td_buf_free(&out);
    for (size_t i = 0; i < n; i++)
        td_diagnosis_free(&d[i]);
    free(d);
    free(items);
}

static void log_renderers(const struct td_transcript_set *set)
{
    struct td_buf b;
    td_buf_init(&b, 1 << 22);
    for (size_t i = 0; i < set->n; i++) {
        td_mbedlog_render_timeline(&set->t[i], i + 1, set->n, 0, &b);
        td_buf_reset(&b);
    }
    td_buf_free(&b);
    struct td_capture_writer *w = NULL;
    if (td_capture_writer_open("/dev/null", &w, NULL) == TD_OK) {
        for (size_t i = 0; i < set->n; i++)
            td_capture_writer_add(w, &set->t[i]);
        td_capture_writer_close(w, NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned flags = size ? data[size - 1] : 0;
    if (is_capture(data, size)) {
        struct td_capture c;
        struct td_buf msg;
        td_capture_init(&c);
        td_buf_init(&msg, 4096);
        struct td_capture_opts o = {.max_stream_bytes = 1 << 16, .max_conns = 64};
        if (td_capture_read(data, size, &o, &c, &msg) == TD_OK)
            report(&c.set, flags);
        td_capture_free(&c);
        td_buf_free(&msg);
        return 0;
    }
    struct td_transcript_set set;
    td_transcript_set_init(&set);
    struct td_mbedlog_opts o = {.max_events = 2000, .max_bytes = 1 << 18};
    if (td_mbedlog_read(data, size, &o, &set, NULL) == TD_OK) {
        report(&set, flags);
        log_renderers(&set);
    } else if (set.n != 0) {
        abort();
    }
    td_transcript_set_free(&set);
    return 0;
}
