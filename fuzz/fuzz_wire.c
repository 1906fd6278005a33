/* fuzz_wire.c -- libFuzzer harness for the record and handshake decoder and the hex text parser.
 * The first byte picks what the rest is fed to: the whole-stream decoder (TLS or DTLS, with or
 * without certificate summaries) and both renderers, every message parser directly, or the hex
 * parser. Seeds: fuzz/corpus/wire (real handshakes, mode byte 0). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cjson/cJSON.h>
#include "tlsdoctor/buf.h"
#include "tlsdoctor/hex.h"
#include "tlsdoctor/wire.h"
#include "tlsdoctor/x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void stream(const uint8_t *p, size_t n, int dtls, int certs)
{
    struct td_wire_decode_opts o = {dtls, 0, 0, certs};
    enum td_err first;
    cJSON *t = td_wire_decode_tree(p, n, &o, &first);
    struct td_buf b;
    td_buf_init(&b, 0);
    td_wire_render_text(t, &b);
    td_buf_reset(&b);
    td_wire_render_json(t, &b);
    td_buf_free(&b);
    cJSON_Delete(t);
}

static void messages(const uint8_t *p, size_t n)
{
    struct td_wire_err e = {TD_OK, 0, NULL};
    struct td_client_hello *ch = malloc(sizeof *ch);
    struct td_server_hello *sh = malloc(sizeof *sh);
    struct td_certificate *ct = malloc(sizeof *ct);
    struct td_cert_request *cr = malloc(sizeof *cr);
    if (ch && sh && ct && cr) {
        size_t off;
        td_wire_parse_client_hello(p, n, ch, &off);
        td_wire_parse_server_hello(p, n, sh, &off);
        td_wire_parse_certificate(p, n, 0, -1, ct, &e);
        td_wire_parse_cert_request(p, n, 0, 0, cr, &e);
        td_wire_parse_cert_request(p, n, 0, 1, cr, &e);
        struct td_server_key_exchange k;
        td_wire_parse_server_key_exchange(p, n, 0, TD_SKE_UNKNOWN, -1, &k, &e);
        td_wire_parse_server_key_exchange(p, n, 0, TD_SKE_DHE, 1, &k, &e);
        struct td_new_session_ticket t;
        td_wire_parse_new_session_ticket(p, n, 0, 1, &t, &e);
        struct td_cert_verify v;
        td_wire_parse_cert_verify(p, n, 0, &v, &e);
        struct td_hs_reasm h;
        struct td_hs_msg m;
        td_hs_reasm_init(&h, n & 1, 4096);
        for (size_t i = 0; i < n; i += 7) {
            td_hs_reasm_add(&h, p + i, n - i < 7 ? n - i : 7, i);
            while (td_hs_reasm_next(&h, &m, &e) != 0)
                ;
        }
        td_hs_reasm_free(&h);
    }
    free(ch);
    free(sh);
    free(ct);
    free(cr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    const uint8_t *p = data + 1;
    size_t n = size - 1;
    switch (mode & 3) {
    case 0: stream(p, n, 0, (mode & 4) != 0); break;
    case 1: stream(p, n, 1, (mode & 4) != 0); break;
    case 2: messages(p, n); break;
    default: {
        struct td_buf b;
        struct td_hex_block blk[8];
        size_t nb;
        uint32_t line;
        td_buf_init(&b, 0);
        td_hex_parse_text((const char *)p, n, &b, blk, 8, &nb, &line);
        if (b.len)
            stream((const uint8_t *)b.p, b.len, -1, 0);
        td_buf_free(&b);
        break;
    }
    }
    return 0;
}
