/* fuzz_replay_hello.c -- the editable ClientHello on hostile bytes: parsing never reads out of
 * bounds, writing back what was parsed is stable (write, parse, write gives the same bytes), and
 * every candidate change applies to whatever parsed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tlsdoctor/replay.h"
#include "replay/replay_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void edits(const struct td_replay_hello *h)
{
    static struct td_replay_cand c[TD_RC_COUNT];
    struct td_replay_opts o = {.sni = "device.example", .mbedtls_major = 3};
    size_t n = td_replay_candidates(h, &o, c, TD_RC_COUNT);
    for (size_t i = 0; i < n; i++) {
        struct td_replay_hello *e = malloc(sizeof *e);
        if (!e || td_replay_hello_copy(e, h) != TD_OK) {
            free(e);
            return;
        }
        td_replay_apply(e, &c[i]);
        struct td_buf b;
        td_buf_init(&b, 0);
        td_replay_hello_write(e, &b);
        td_buf_free(&b);
        td_replay_hello_free(e);
        free(e);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct td_replay_hello *h = malloc(sizeof *h), *h2 = malloc(sizeof *h2);
    if (!h || !h2 || td_replay_hello_parse(data, size, h) != TD_OK) {
        free(h);
        free(h2);
        return 0;
    }
    struct td_buf a, b;
    td_buf_init(&a, 0);
    td_buf_init(&b, 0);
    if (td_replay_hello_write(h, &a) == TD_OK) {
        if (td_replay_hello_parse((const uint8_t *)a.p, a.len, h2) != TD_OK)
            __builtin_trap();
        if (td_replay_hello_write(h2, &b) != TD_OK || a.len != b.len || memcmp(a.p, b.p, a.len))
            __builtin_trap();
        td_replay_hello_free(h2);
    }
    edits(h);
    td_buf_free(&a);
    td_buf_free(&b);
    td_replay_hello_free(h);
    free(h);
    free(h2);
    return 0;
}
