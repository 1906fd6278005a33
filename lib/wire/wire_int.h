/* wire_int.h -- helpers shared by the wire decoder's files: recording the first error with the
 * field that was expected, and reading length-prefixed vectors with that bookkeeping. */
#ifndef TD_WIRE_INT_H
#define TD_WIRE_INT_H

#include "tlsdoctor/wire.h"
#include "util/rd.h"

/* The error record a parser writes to: err, or else local (for callers that pass NULL); either way
 * the one returned is the one to use. local is reset to TD_OK. */
struct td_wire_err *td_wire_err_or(struct td_wire_err *err, struct td_wire_err *local);
/* Records code/off/what in e unless an earlier error is already there. */
void td_wire_fail(struct td_wire_err *e, enum td_err code, size_t off, const char *what);
/* After a block of reads on r: if r failed, records it (at r->off) and returns 0; else 1. */
int td_wire_ok(struct td_rd *r, struct td_wire_err *e, const char *what);
/* td_rd_vec with error bookkeeping (the offset reported is that of the length prefix). */
int td_wire_vec(struct td_rd *r, unsigned len_bytes, size_t min, size_t max, struct td_rd *out,
                struct td_wire_err *e, const char *what);
/* out borrows v's remaining bytes (NULL when there are none). */
void td_wire_take(const struct td_rd *v, struct td_bytes *out);
/* td_wire_vec, then td_wire_take of the vector into out (left alone on failure). */
int td_wire_bytes(struct td_rd *r, unsigned len_bytes, size_t min, size_t max,
                  struct td_bytes *out, struct td_wire_err *e, const char *what);
/* Records TD_ERR_TRAILING if r has bytes left; returns 1 if it was empty. */
int td_wire_end(struct td_rd *r, struct td_wire_err *e, const char *what);
/* A u16 list over the reader's remaining bytes (which must be even: else TD_ERR_BAD_LENGTH). */
int td_wire_u16_list(struct td_rd *r, struct td_u16_list *out, struct td_wire_err *e,
                     const char *what);

/* Decodes one extension body (off = its offset) into x, as td_wire_parse_exts does for each. */
void td_wire_ext_body(uint16_t type, const uint8_t *p, size_t len, size_t off, int is_server,
                      struct td_hello_exts *x, struct td_wire_err *e);

#endif
