/* rd.h -- the bounded reader: the only way library code reads untrusted bytes.
 *
 * A struct td_rd borrows [p, p+left) and never reads outside it. Errors are sticky: once a read
 * fails, r->err stays set and every later read returns 0 without moving, so a block of reads
 * needs one check at the end. off() reports the position relative to the reader's origin
 * (base_off + consumed), so errors can name the byte offset in the caller's whole input. */
#ifndef TD_UTIL_RD_H
#define TD_UTIL_RD_H

#include <stddef.h>
#include <stdint.h>
#include "tlsdoctor/err.h"

struct td_rd {
    const uint8_t *p;    /* next unread byte (borrowed) */
    size_t left;         /* bytes remaining */
    size_t off;          /* offset of p within the outermost input */
    enum td_err err;     /* sticky: first error seen */
};

void td_rd_init(struct td_rd *r, const uint8_t *p, size_t len, size_t base_off);
uint8_t td_rd_u8(struct td_rd *r);
uint16_t td_rd_u16(struct td_rd *r);
uint32_t td_rd_u24(struct td_rd *r);
uint32_t td_rd_u32(struct td_rd *r);
/* Borrows n bytes: returns a pointer to them and advances, or NULL (err set) if fewer remain. */
const uint8_t *td_rd_bytes(struct td_rd *r, size_t n);
void td_rd_skip(struct td_rd *r, size_t n);
/* Reads a len_bytes-wide (1, 2 or 3) length prefix and gives a sub-reader bounded to that many
 * bytes; the parent advances past them. Lengths outside [min, max] set TD_ERR_BAD_LENGTH; a
 * length beyond what remains sets TD_ERR_TRUNCATED. On error *out is an empty reader. */
enum td_err td_rd_vec(struct td_rd *r, unsigned len_bytes, size_t min, size_t max,
                      struct td_rd *out);
/* A sub-reader over the next n bytes (parent advances); TD_ERR_TRUNCATED if fewer remain. */
enum td_err td_rd_sub(struct td_rd *r, size_t n, struct td_rd *out);

#endif
