/* util.c -- the wire decoder's error bookkeeping and small shared readers (see wire_int.h). */
#include "wire/wire_int.h"

uint16_t td_u16_at(struct td_u16_list l, size_t i)
{
    if (!l.p || i >= l.n)
        return 0;
    return (uint16_t)((unsigned)l.p[2 * i] << 8 | l.p[2 * i + 1]);
}

struct td_wire_err *td_wire_err_or(struct td_wire_err *err, struct td_wire_err *local)
{
    local->code = TD_OK;
    local->off = 0;
    local->expected = NULL;
    return err ? err : local;
}

void td_wire_fail(struct td_wire_err *e, enum td_err code, size_t off, const char *what)
{
    if (!e || e->code != TD_OK)
        return;
    e->code = code;
    e->off = off;
    e->expected = what;
}

int td_wire_ok(struct td_rd *r, struct td_wire_err *e, const char *what)
{
    if (r->err == TD_OK)
        return 1;
    td_wire_fail(e, r->err, r->off, what);
    return 0;
}

int td_wire_vec(struct td_rd *r, unsigned len_bytes, size_t min, size_t max, struct td_rd *out,
                struct td_wire_err *e, const char *what)
{
    size_t at = r->off;
    if (td_rd_vec(r, len_bytes, min, max, out) == TD_OK)
        return 1;
    td_wire_fail(e, r->err, at, what);
    return 0;
}

void td_wire_take(const struct td_rd *v, struct td_bytes *out)
{
    out->len = v->left;
    out->p = v->left ? v->p : NULL;
}

int td_wire_bytes(struct td_rd *r, unsigned len_bytes, size_t min, size_t max,
                  struct td_bytes *out, struct td_wire_err *e, const char *what)
{
    struct td_rd v;
    if (!td_wire_vec(r, len_bytes, min, max, &v, e, what))
        return 0;
    td_wire_take(&v, out);
    return 1;
}

int td_wire_end(struct td_rd *r, struct td_wire_err *e, const char *what)
{
    if (r->err != TD_OK)
        return 0;
    if (r->left == 0)
        return 1;
    td_wire_fail(e, TD_ERR_TRAILING, r->off, what);
    return 0;
}

int td_wire_u16_list(struct td_rd *r, struct td_u16_list *out, struct td_wire_err *e,
                     const char *what)
{
    out->p = NULL;
    out->n = 0;
    if (r->left % 2) {
        td_wire_fail(e, TD_ERR_BAD_LENGTH, r->off, what);
        return 0;
    }
    out->n = r->left / 2;
    out->p = td_rd_bytes(r, r->left);
    return 1;
}

int td_wire_is_hrr_random(const uint8_t *random32)
{
    static const uint8_t hrr[32] = {
        0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
        0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};
    for (size_t i = 0; i < sizeof hrr; i++)
        if (random32[i] != hrr[i])
            return 0;
    return 1;
}
