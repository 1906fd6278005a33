/* fuzz_replay.c -- libFuzzer harness for `diagnose --server` without a network: the replay search
 * (td_replay_run), its post-ServerHello checks, and its renderers (fix line, verdict, text and JSON
 * reports), with the server played by the input. Input: a 2-byte big-endian length, the device's
 * ClientHello record, then the server's answers, each a 2-byte length and the bytes the server
 * sends on one connection, in the order the search opens them; a connection past the last answer
 * is closed by the server. Each answer goes through the same flight reader the CLI's transport
 * uses. Seeds (fuzz/seeds.py replay): each lab client's ClientHello with its server's real flight
 * as the answer to every connection. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tlsdoctor/replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct server {
    const uint8_t *p;
    size_t n;
};

static size_t u16(const uint8_t *p)
{
    return (size_t)p[0] << 8 | p[1];
}

/* The next answer: the bytes "sent" on this connection, fed to a flight reader as tool_net does. */
static void exchange(void *ctx, struct td_probe_req *req)
{
    struct server *s = ctx;
    struct td_flight f;
    if (td_flight_init(&f, (const uint8_t *)req->hello.p, req->hello.len, &req->keys, req->want) != TD_OK) {
        memset(&req->ans, 0, sizeof req->ans);
        req->ans.outcome = TD_PO_CONNECT_FAILED;
        return;
    }
    size_t len = s->n >= 2 ? u16(s->p) : 0;
    if (len > s->n - (s->n >= 2 ? 2 : 0))
        len = s->n - 2;
    const uint8_t *p = s->n >= 2 ? s->p + 2 : NULL;
    s->p += s->n >= 2 ? 2 + len : 0;
    s->n -= s->n >= 2 ? 2 + len : 0;
    enum td_flight_status st = TD_FLIGHT_MORE;
    for (size_t i = 0; p && i < len && st == TD_FLIGHT_MORE; i += 512)
        st = td_flight_push(&f, p + i, len - i < 512 ? len - i : 512);
    if (st == TD_FLIGHT_MORE)
        td_flight_end(&f, TD_PO_CLOSED, TD_ERR_PEER_CLOSED, "closed by the fuzzer");
    td_flight_take(&f, &req->ans);
}

static void render(const struct td_replay_result *res)
{
    struct td_buf b;
    td_buf_init(&b, 1 << 20);
    td_replay_fix_text(res, &b);
    td_buf_reset(&b);
    td_replay_render_text(res, "lab.test:443", NULL, 0, 0, "fuzz", 0, &b);
    td_buf_reset(&b);
    td_replay_render_json(res, "lab.test:443", NULL, 0, 0, "fuzz", &b);
    td_buf_free(&b);
    const char *basis = NULL;
    if (!td_replay_verdict(res, NULL, 0, 0, &basis))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || u16(data) > size - 2)
        return 0;
    size_t hl = u16(data);
    struct td_replay_hello *h = malloc(sizeof *h);
    if (!h || td_replay_hello_parse(data + 2, hl, h) != TD_OK) {
        free(h);
        return 0;
    }
    struct server s = {data + 2 + hl, size - 2 - hl};
    struct td_replay_io io = {&s, exchange};
    struct td_replay_opts o = {.sni = "lab.test", .now = 1764806400, .mbedtls_major = (int)(hl & 1) + 2,
                               .max_handshakes = 12};
    struct td_replay_result *res = malloc(sizeof *res);
    if (res) {
        if (td_replay_run(h, NULL, &o, &io, res) == TD_OK)
            render(res);
        td_replay_result_free(res);
    }
    free(res);
    td_replay_hello_free(h);
    free(h);
    return 0;
}
