/* rd.c -- bounded reader (see rd.h). */
#include "util/rd.h"

void td_rd_init(struct td_rd *r, const uint8_t *p, size_t len, size_t base_off)
{
    r->p = p;
    r->left = p ? len : 0;
    r->off = base_off;
    r->err = TD_OK;
}

static int rd_need(struct td_rd *r, size_t n)
{
    if (r->err != TD_OK)
        return 0;
    if (r->left < n) {
        r->err = TD_ERR_TRUNCATED;
        return 0;
    }
    return 1;
}

static void rd_advance(struct td_rd *r, size_t n)
{
    if (n == 0)
        return;               /* p may be NULL for an empty reader: NULL + 0 is undefined in C */
    r->p += n;
    r->left -= n;
    r->off += n;
}

uint8_t td_rd_u8(struct td_rd *r)
{
    if (!rd_need(r, 1))
        return 0;
    uint8_t v = r->p[0];
    rd_advance(r, 1);
    return v;
}

uint16_t td_rd_u16(struct td_rd *r)
{
    if (!rd_need(r, 2))
        return 0;
    uint16_t v = (uint16_t)((unsigned)r->p[0] << 8 | r->p[1]);
    rd_advance(r, 2);
    return v;
}

uint32_t td_rd_u24(struct td_rd *r)
{
    if (!rd_need(r, 3))
        return 0;
    uint32_t v = (uint32_t)r->p[0] << 16 | (uint32_t)r->p[1] << 8 | r->p[2];
    rd_advance(r, 3);
    return v;
}

uint32_t td_rd_u32(struct td_rd *r)
{
    if (!rd_need(r, 4))
        return 0;
    uint32_t v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 | (uint32_t)r->p[2] << 8 | r->p[3];
    rd_advance(r, 4);
    return v;
}

const uint8_t *td_rd_bytes(struct td_rd *r, size_t n)
{
    if (!rd_need(r, n))
        return NULL;
    const uint8_t *p = r->p;
    rd_advance(r, n);
    return p;
}

void td_rd_skip(struct td_rd *r, size_t n)
{
    if (rd_need(r, n))
        rd_advance(r, n);
}

enum td_err td_rd_sub(struct td_rd *r, size_t n, struct td_rd *out)
{
    td_rd_init(out, NULL, 0, r->off);
    if (!rd_need(r, n))
        return r->err;
    td_rd_init(out, r->p, n, r->off);
    rd_advance(r, n);
    return TD_OK;
}

enum td_err td_rd_vec(struct td_rd *r, unsigned len_bytes, size_t min, size_t max,
                      struct td_rd *out)
{
    size_t n;
    td_rd_init(out, NULL, 0, r->off);
    switch (len_bytes) {
    case 1: n = td_rd_u8(r); break;
    case 2: n = td_rd_u16(r); break;
    case 3: n = td_rd_u24(r); break;
    default: return TD_ERR_ARG;
    }
    if (r->err != TD_OK)
        return r->err;
    if (n < min || n > max) {
        r->err = TD_ERR_BAD_LENGTH;
        return r->err;
    }
    return td_rd_sub(r, n, out);
}
