/* hello.c -- ClientHello and ServerHello (TLS 1.0-1.3, DTLS) from untrusted bytes. */
#include <string.h>
#include "wire/wire_int.h"

/* Optional extensions block at the end of a hello. */
static void hello_exts(struct td_rd *r, int is_server, struct td_hello_exts *x,
                       struct td_wire_err *e)
{
    if (r->err != TD_OK || r->left == 0)
        return;
    struct td_rd block;
    if (!td_wire_vec(r, 2, 0, 0xffff, &block, e, "extensions block length"))
        return;
    td_wire_parse_exts(block.p, block.left, block.off, is_server, x, e);
    td_wire_end(r, e, "end of the hello after its extensions");
}

enum td_err td_wire_parse_client_hello_ex(const uint8_t *body, size_t len, size_t base_off,
                                          struct td_client_hello *out, struct td_wire_err *err)
{
    struct td_wire_err local;
    struct td_wire_err *e = td_wire_err_or(err, &local);
    struct td_rd r, v;
    memset(out, 0, sizeof *out);
    td_rd_init(&r, body, len, base_off);
    out->legacy_version = td_rd_u16(&r);
    if (!td_wire_ok(&r, e, "client_version"))
        return e->code;
    out->random.len = 32;
    out->random.p = td_rd_bytes(&r, 32);
    if (!td_wire_ok(&r, e, "32-byte random")) {
        out->random.len = 0;
        return e->code;
    }
    if (!td_wire_bytes(&r, 1, 0, 32, &out->session_id, e, "session_id length (0..32)"))
        return e->code;
    if ((out->legacy_version >> 8) == 0xfe) {
        if (!td_wire_bytes(&r, 1, 0, 255, &out->dtls_cookie, e, "DTLS cookie length"))
            return e->code;
    }
    if (!td_wire_vec(&r, 2, 2, 0xfffe, &v, e, "cipher_suites length (2..65534)"))
        return e->code;
    if (!td_wire_u16_list(&v, &out->suites, e, "cipher_suites (an even length)"))
        return e->code;
    if (!td_wire_bytes(&r, 1, 1, 255, &out->compression, e, "compression_methods length (1..255)"))
        return e->code;
    hello_exts(&r, 0, &out->x, e);
    return e->code;
}

enum td_err td_wire_parse_server_hello_ex(const uint8_t *body, size_t len, size_t base_off,
                                          struct td_server_hello *out, struct td_wire_err *err)
{
    struct td_wire_err local;
    struct td_wire_err *e = td_wire_err_or(err, &local);
    struct td_rd r;
    memset(out, 0, sizeof *out);
    td_rd_init(&r, body, len, base_off);
    out->legacy_version = td_rd_u16(&r);
    out->version = out->legacy_version;
    if (!td_wire_ok(&r, e, "server_version"))
        return e->code;
    out->random.p = td_rd_bytes(&r, 32);
    if (!td_wire_ok(&r, e, "32-byte random"))
        return e->code;
    out->random.len = 32;
    out->is_hrr = td_wire_is_hrr_random(out->random.p);
    if (!td_wire_bytes(&r, 1, 0, 32, &out->session_id, e, "session_id length (0..32)"))
        return e->code;
    out->suite = td_rd_u16(&r);
    if (!td_wire_ok(&r, e, "cipher_suite"))
        return e->code;
    out->compression = td_rd_u8(&r);
    if (!td_wire_ok(&r, e, "compression_method"))
        return e->code;
    hello_exts(&r, 1, &out->x, e);
    if (out->x.selected_version)
        out->version = out->x.selected_version;
    return e->code;
}

enum td_err td_wire_parse_client_hello(const uint8_t *body, size_t len,
                                       struct td_client_hello *out, size_t *err_off)
{
    struct td_wire_err e = {TD_OK, 0, NULL};
    enum td_err rc = td_wire_parse_client_hello_ex(body, len, 0, out, &e);
    if (err_off)
        *err_off = e.off;
    return rc;
}

enum td_err td_wire_parse_server_hello(const uint8_t *body, size_t len,
                                       struct td_server_hello *out, size_t *err_off)
{
    struct td_wire_err e = {TD_OK, 0, NULL};
    enum td_err rc = td_wire_parse_server_hello_ex(body, len, 0, out, &e);
    if (err_off)
        *err_off = e.off;
    return rc;
}
