/* hex.c -- hex text (plain, spaced, colon, 0x, C arrays, Mbed TLS hexdumps) into bytes. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "util/hex.h"

/* see util/hex.h */
int td_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Skips an Mbed TLS debug prefix "...file.c:NNNN: |L| " if present: returns the index after it. */
static size_t skip_mbedtls_prefix(const char *s, size_t n)
{
    for (size_t i = 0; i + 3 < n; i++)
        if (s[i] == '|' && isdigit((unsigned char)s[i + 1]) && s[i + 2] == '|' && s[i + 3] == ' ') {
            /* require "NNNN: " just before: the file:line part */
            if (i >= 2 && s[i - 1] == ' ' && s[i - 2] == ':')
                return i + 4;
        }
    return 0;
}

/* A leading offset column: hex digits then ':' and at least one space. */
static size_t offset_column(const char *s, size_t n, long *val)
{
    size_t i = 0;
    long v = 0;
    while (i < n && i < 8 && td_hex_digit(s[i]) >= 0)
        v = v * 16 + (long)(unsigned)td_hex_digit(s[i++]);
    if (i >= 4 && i + 1 < n && s[i] == ':' && s[i + 1] == ' ') {
        *val = v;
        return i + 1;
    }
    return 0;
}

/* Mbed TLS / hexdump row: up to 16 pairs separated by single spaces (a double gap allowed once,
 * as hexdump -C has); ends at the ASCII column. */
static long parse_row(const char *s, size_t n, struct td_buf *out)
{
    size_t i = 0;
    long got = 0;
    while (i < n && got < 16) {
        size_t gap = 0;
        while (i < n && (s[i] == ' ' || s[i] == '\t')) {
            gap++;
            i++;
        }
        if (got > 0 && gap >= 3)
            break;
        if (i + 1 >= n || td_hex_digit(s[i]) < 0 || td_hex_digit(s[i + 1]) < 0)
            break;
        if (i + 2 < n && s[i + 2] != ' ' && s[i + 2] != '\t')
            break;
        uint8_t b = (uint8_t)((unsigned)td_hex_digit(s[i]) << 4 | (unsigned)td_hex_digit(s[i + 1]));
        if (td_buf_append(out, &b, 1) != TD_OK)
            return -1;
        got++;
        i += 2;
    }
    return got;
}

static int is_sep(char c)
{
    return c == ' ' || c == '\t' || c == ',' || c == ':' || c == ';' || c == '{' || c == '}' ||
           c == '\r' || c == '"' || c == '\'' || c == '-';
}

/* Free-form hex: tokens split by separators, each all hex digits after an optional 0x or \x.
 * Any other token makes the line text (returns 0). */
static long parse_free(const char *s, size_t n, struct td_buf *out)
{
    size_t start_len = out->len;
    long got = 0;
    size_t i = 0;
    /* C declaration before the initializer: "static const unsigned char x[] = {" */
    const char *brace = memchr(s, '{', n);
    if (brace)
        i = (size_t)(brace - s) + 1;
    while (i < n) {
        while (i < n && is_sep(s[i]))
            i++;
        if (i >= n)
            break;
        if (i + 1 < n && (s[i] == '0' || s[i] == '\\') && (s[i + 1] == 'x' || s[i + 1] == 'X'))
            i += 2;
        size_t j = i;
        while (j < n && td_hex_digit(s[j]) >= 0)
            j++;
        if (j < n && !is_sep(s[j]) && s[j] != '\\') {
            out->len = start_len;         /* not a hex line after all */
            if (out->p)
                out->p[start_len] = '\0';
            return 0;
        }
        size_t digits = j - i;
        if (digits == 0) {
            out->len = start_len;
            if (out->p)
                out->p[start_len] = '\0';
            return 0;
        }
        if (digits == 1) {                 /* 0x6 in a C array */
            uint8_t b = (uint8_t)td_hex_digit(s[i]);
            if (td_buf_append(out, &b, 1) != TD_OK)
                return -1;
            got++;
        } else if (digits % 2) {
            out->len = start_len;          /* long odd runs are broken hex; short ones are words */
            if (out->p)
                out->p[start_len] = '\0';
            return digits >= 8 ? -1 : 0;
        } else {
            for (size_t k = i; k < j; k += 2) {
                uint8_t b = (uint8_t)((unsigned)td_hex_digit(s[k]) << 4 | (unsigned)td_hex_digit(s[k + 1]));
                if (td_buf_append(out, &b, 1) != TD_OK)
                    return -1;
                got++;
            }
        }
        i = j;
    }
    return got;
}

long td_hex_parse_line(const char *line, size_t n, struct td_buf *out, long *offset_col)
{
    *offset_col = -1;
    while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
    size_t i = skip_mbedtls_prefix(line, n);
    while (i < n && (line[i] == ' ' || line[i] == '\t'))
        i++;
    size_t col = offset_column(line + i, n - i, offset_col);
    if (col)
        return parse_row(line + i + col, n - i - col, out);
    return parse_free(line + i, n - i, out);
}

/* "dumping 'NAME' (N bytes)" -> label */
static void dump_label(const char *s, size_t n, char *label, size_t cap)
{
    static const char key[] = "dumping '";
    for (size_t i = 0; i + sizeof key - 1 < n; i++) {
        if (memcmp(s + i, key, sizeof key - 1) != 0)
            continue;
        size_t a = i + sizeof key - 1, b = a;
        while (b < n && s[b] != '\'')
            b++;
        snprintf(label, cap, "%.*s", (int)(b - a), s + a);
        return;
    }
}

enum td_err td_hex_parse_text(const char *s, size_t n, struct td_buf *out,
                              struct td_hex_block *blocks, size_t max_blocks, size_t *n_blocks,
                              uint32_t *err_line)
{
    size_t nb = 0;
    int in_block = 0;
    char label[64] = "";
    uint32_t line_no = 0;
    size_t pos = 0;
    if (n_blocks)
        *n_blocks = 0;
    while (pos < n) {
        const char *nl = memchr(s + pos, '\n', n - pos);
        size_t len = nl ? (size_t)(nl - (s + pos)) : n - pos;
        const char *line = s + pos;
        pos += len + (nl ? 1 : 0);
        line_no++;
        size_t before = out->len;
        long col;
        long got = td_hex_parse_line(line, len, out, &col);
        if (got < 0) {
            if (out->err != TD_OK)
                return out->err;
            if (err_line)
                *err_line = line_no;
            return TD_ERR_SYNTAX;
        }
        if (got == 0) {
            int blank = 1;
            for (size_t k = 0; k < len; k++)
                if (!isspace((unsigned char)line[k]))
                    blank = 0;
            if (!blank) {                 /* text ends a block; a blank line does not */
                in_block = 0;
                label[0] = '\0';
                dump_label(line, len, label, sizeof label);
            }
            continue;
        }
        if (in_block && col == 0)
            in_block = 0;
        if (!in_block) {
            if (blocks && nb < max_blocks) {
                blocks[nb].off = before;
                blocks[nb].len = 0;
                blocks[nb].line = line_no;
                snprintf(blocks[nb].label, sizeof blocks[nb].label, "%s", label);
            }
            nb++;
            in_block = 1;
        }
        if (blocks && nb <= max_blocks)
            blocks[nb - 1].len += (size_t)got;
        else if (blocks && max_blocks)
            blocks[max_blocks - 1].len = out->len - blocks[max_blocks - 1].off;
    }
    if (n_blocks)
        *n_blocks = nb;
    return nb ? TD_OK : TD_ERR_NOTHING_FOUND;
}
