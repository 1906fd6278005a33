/* hex.h -- bytes from hex text in the shapes people paste: plain ("160301..."), spaced, colon-
 * separated, 0x-prefixed, C arrays, and Mbed TLS debug hexdumps as they stand in a log
 * ("ssl_msg.c:2950: |4| 0000:  16 03 01 00 64 ...  ....d..."), with or without the file:line
 * prefix, other prefixes before it (ESP-IDF "I (123) mbedtls: "), and the ASCII column.
 *
 * Lines that are not hex (log text, "dumping 'x' (86 bytes)") are skipped; they separate blocks.
 * A block is a run of hex lines; an offset column restarting at 0 also starts a new block. */
#ifndef TLSDOCTOR_HEX_H
#define TLSDOCTOR_HEX_H

#include <stddef.h>
#include <stdint.h>
#include "tlsdoctor/buf.h"

struct td_hex_block {
    size_t off;          /* where the block's bytes start in the output buffer */
    size_t len;
    uint32_t line;       /* first line of the block (1-based) */
    char label[64];      /* the Mbed TLS dump name ("output record sent to network"), or "" */
};

/* Parses one line (without its newline). Appends its bytes to out and returns how many, 0 if the
 * line holds no hex (text), or -1 on a line that looks like hex but is malformed (an odd number of
 * digits). *offset_col is set to the value of a leading offset column ("0010:") or -1. */
long td_hex_parse_line(const char *line, size_t n, struct td_buf *out, long *offset_col);

/* Parses a whole text. Appends bytes to out; fills up to max_blocks blocks (blocks may be NULL)
 * and sets *n_blocks (may be NULL) to the number found. Returns TD_OK, TD_ERR_NOTHING_FOUND when
 * no line held hex, TD_ERR_SYNTAX (with *err_line) on a malformed line, or a buffer error. */
enum td_err td_hex_parse_text(const char *s, size_t n, struct td_buf *out,
                              struct td_hex_block *blocks, size_t max_blocks, size_t *n_blocks,
                              uint32_t *err_line);

#endif
