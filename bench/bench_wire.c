/* bench_wire.c -- ClientHello decode throughput: the founding case's second ClientHello record,
 * split and parsed (record, handshake header, every field and extension) in a loop. Prints
 * messages per second; not a timed test. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <cjson/cJSON.h>
#include "tlsdoctor/buf.h"
#include "tlsdoctor/wire.h"

static const uint8_t ch2[] = {
    0x16, 0x03, 0x01, 0x00, 0x64, 0x01, 0x00, 0x00, 0x60, 0x03, 0x03, 0xff, 0xff, 0xff, 0xff, 0x9a,
    0x60, 0x1a, 0x59, 0x9b, 0xb4, 0x88, 0xa0, 0x66, 0x04, 0xe0, 0xad, 0x88, 0xe3, 0x65, 0xb0, 0x4d,
    0xde, 0x7a, 0x92, 0xe1, 0xdf, 0xb6, 0x95, 0x6b, 0x9a, 0xcb, 0x01, 0x00, 0x00, 0x0a, 0xc0, 0x2c,
    0xc0, 0x2b, 0xc0, 0x2f, 0xc0, 0x30, 0x00, 0xff, 0x01, 0x00, 0x00, 0x2d, 0x00, 0x0d, 0x00, 0x12,
    0x00, 0x10, 0x06, 0x03, 0x06, 0x01, 0x05, 0x03, 0x05, 0x01, 0x04, 0x03, 0x04, 0x01, 0x03, 0x03,
    0x03, 0x01, 0x00, 0x0a, 0x00, 0x08, 0x00, 0x06, 0x00, 0x18, 0x00, 0x17, 0x00, 0x1e, 0x00, 0x0b,
    0x00, 0x02, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x03};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    long iters = argc > 1 ? atol(argv[1]) : 2000000;
    struct td_client_hello *ch = malloc(sizeof *ch);
    if (!ch || iters <= 0)
        return 1;
    volatile size_t sink = 0;
    double t0 = now();
    for (long i = 0; i < iters; i++) {
        size_t pos = 0;
        struct td_record rec;
        if (td_wire_record_next(ch2, sizeof ch2, &pos, 0, &rec, NULL) != TD_OK || rec.body.len < 4)
            return 1;
        if (td_wire_parse_client_hello(rec.body.p + 4, rec.body.len - 4, ch, NULL) != TD_OK)
            return 1;
        sink += ch->suites.n + ch->x.n_ext;
    }
    double dt = now() - t0;
    printf("wire: %ld ClientHellos (%zu bytes each) in %.3f s: %.0f messages/s (%.1f MB/s)\n",
           iters, sizeof ch2, dt, (double)iters / dt, (double)iters * sizeof ch2 / dt / 1e6);
    /* the full path of `tlsdoctor decode --json`: tree with names, then JSON text */
    long tree_iters = iters / 20 > 0 ? iters / 20 : 1;
    struct td_buf out;
    td_buf_init(&out, 0);
    struct td_wire_decode_opts o = {0, 0, 0, 0};
    t0 = now();
    for (long i = 0; i < tree_iters; i++) {
        cJSON *t = td_wire_decode_tree(ch2, sizeof ch2, &o, NULL);
        td_buf_reset(&out);
        td_wire_render_json(t, &out);
        sink += out.len;
        cJSON_Delete(t);
    }
    dt = now() - t0;
    printf("wire: decode tree + JSON: %.0f messages/s\n", (double)tree_iters / dt);
    td_buf_free(&out);
    free(ch);
    return sink == 0;
}
