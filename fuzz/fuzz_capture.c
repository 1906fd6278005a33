/* fuzz_capture.c -- libFuzzer harness for the capture path: any bytes go through libpcap
 * (pcap_fopen_offline on fmemopen'd memory), link/IP/TCP decoding, reassembly and record finding,
 * then through both renderers and the diagnosis of every connection found. Invariants: records
 * never hold more bytes than their header announces plus 5, line_end >= line, and on failure
 * nothing is kept. */
#include <stdint.h>
#include <stdlib.h>
#include "tlsdoctor/capture.h"
#include "tlsdoctor/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct td_capture *c)
{
    if (c->n_conn != c->set.n)
        abort();
    for (size_t i = 0; i < c->set.n; i++) {
        const struct td_transcript *t = &c->set.t[i];
        for (size_t j = 0; j < t->n_ev; j++) {
            const struct td_event *e = &t->ev[j];
            if (e->line_end < e->line)
                abort();
            if (e->kind == TD_EV_RECORD && e->len >= 5 &&
                e->len > 5u + ((size_t)e->data[3] << 8 | e->data[4]))
                abort();
        }
        struct td_diagnosis d;
        td_diag_run(t, NULL, &d);
        td_diagnosis_free(&d);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct td_capture c;
    struct td_buf out, msg;
    td_capture_init(&c);
    td_buf_init(&out, 1 << 22);
    td_buf_init(&msg, 4096);
    struct td_capture_opts o = {.max_stream_bytes = 1 << 16, .max_conns = 64};
    enum td_err e = td_capture_read(data, size, &o, &c, &msg);
    if (e == TD_OK) {
        check(&c);
        td_capture_render_text(&c, 1, &out);
        td_buf_reset(&out);
        td_capture_render_json(&c, &out);
    } else if (c.set.n != 0) {
        abort();
    }
    td_capture_free(&c);
    td_buf_free(&out);
    td_buf_free(&msg);
    return 0;
}
