/* fuzz_probe_enum.c -- libFuzzer harness for `tlsdoctor probe` without a network: the enumeration
 * (versions, suites, groups, signature algorithms, SNI cases, extensions, chains) with the server
 * played by the input, then both renderers of the result. Input: the server's answers, each a
 * 2-byte big-endian length and the bytes sent on one connection, in the order the rounds ask for
 * them; a connection past the last answer is closed by the server. Each answer goes through the
 * flight reader as the CLI's transport feeds it. Seeds (fuzz/seeds.py probe_enum): each lab
 * server's real flight as the answer to every connection. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tlsdoctor/probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void answer(const uint8_t **p, size_t *n, struct td_probe_req *req)
{
    struct td_flight f;
    if (td_flight_init(&f, (const uint8_t *)req->hello.p, req->hello.len, &req->keys, req->want) != TD_OK) {
        memset(&req->ans, 0, sizeof req->ans);
        req->ans.outcome = TD_PO_CONNECT_FAILED;
        return;
    }
    size_t len = 0;
    const uint8_t *b = NULL;
    if (*n >= 2) {
        len = (size_t)(*p)[0] << 8 | (*p)[1];
        if (len > *n - 2)
            len = *n - 2;
        b = *p + 2;
        *p += 2 + len;
        *n -= 2 + len;
    }
    enum td_flight_status st = TD_FLIGHT_MORE;
    for (size_t i = 0; b && i < len && st == TD_FLIGHT_MORE; i += 1024)
        st = td_flight_push(&f, b + i, len - i < 1024 ? len - i : 1024);
    if (st == TD_FLIGHT_MORE)
        td_flight_end(&f, TD_PO_CLOSED, TD_ERR_PEER_CLOSED, "closed by the fuzzer");
    td_flight_take(&f, &req->ans);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct td_probe_enum *e = malloc(sizeof *e);
    if (!e)
        return 0;
    if (td_probe_enum_init(e, size & 1 ? "lab.test" : NULL) == TD_OK) {
        for (int round = 0; round < 400; round++) {
            struct td_probe_req *reqs;
            size_t n = 0;
            const char *phase = "";
            if (td_probe_enum_next(e, &reqs, &n, &phase) != TD_OK || n == 0)
                break;
            for (size_t i = 0; i < n; i++)
                answer(&data, &size, &reqs[i]);
            td_probe_enum_feed(e);
        }
        struct td_buf b;
        td_buf_init(&b, 1 << 20);
        td_probe_render_text(&e->res, &b);
        td_buf_reset(&b);
        td_probe_render_json(&e->res, "lab.test", 443, "/dev/null", &b);
        td_buf_free(&b);
    }
    td_probe_enum_free(e);
    free(e);
    return 0;
}
