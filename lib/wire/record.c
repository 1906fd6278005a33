/* record.c -- splitting a byte stream into TLS/DTLS records, and joining handshake messages that
 * span records (or splitting records that carry several). */
#include <stdlib.h>
#include <string.h>
#include "wire/wire_int.h"

static int known_type(uint8_t t)
{
    return t >= TD_CT_CHANGE_CIPHER_SPEC && t <= TD_CT_HEARTBEAT;
}

int td_wire_sniff_dtls(const uint8_t *stream, size_t len)
{
    return len >= 3 && known_type(stream[0]) && stream[1] == 0xfe;
}

enum td_err td_wire_record_next(const uint8_t *stream, size_t len, size_t *pos, int dtls,
                                struct td_record *rec, struct td_wire_err *err)
{
    size_t start = *pos;
    struct td_rd r;
    memset(rec, 0, sizeof *rec);
    rec->dtls = dtls;
    rec->off = start;
    if (start >= len) {
        td_wire_fail(err, TD_ERR_TRUNCATED, start, "a record header");
        return TD_ERR_TRUNCATED;
    }
    td_rd_init(&r, stream + start, len - start, start);
    rec->type = td_rd_u8(&r);
    if (!known_type(rec->type)) {
        td_wire_fail(err, TD_ERR_BAD_VALUE, start, "a record content type (20..24)");
        return TD_ERR_BAD_VALUE;
    }
    rec->version = td_rd_u16(&r);
    if (r.err == TD_OK && (rec->version >> 8) != (dtls ? 0xfeu : 0x03u)) {
        td_wire_fail(err, TD_ERR_BAD_VALUE, start + 1,
                     dtls ? "a DTLS record version (0xfeXX)" : "a TLS record version (3.x)");
        return TD_ERR_BAD_VALUE;
    }
    if (dtls) {
        rec->epoch = td_rd_u16(&r);
        rec->seq = (uint64_t)td_rd_u16(&r) << 32;
        rec->seq |= td_rd_u32(&r);
    }
    rec->length = td_rd_u16(&r);
    if (r.err != TD_OK) {
        rec->truncated = 1;
        td_wire_fail(err, TD_ERR_TRUNCATED, r.off,
                     dtls ? "a complete 13-byte DTLS record header" : "a complete 5-byte record header");
        return TD_ERR_TRUNCATED;
    }
    rec->body.p = r.p;
    if (r.left < rec->length) {
        rec->body.len = r.left;
        rec->truncated = 1;
        td_wire_fail(err, TD_ERR_TRUNCATED, r.off, "as many record body bytes as the record length says");
        return TD_ERR_TRUNCATED;
    }
    rec->body.len = rec->length;
    *pos = start + (dtls ? TD_WIRE_DTLS_HDR : TD_WIRE_TLS_HDR) + rec->length;
    if (rec->length > TD_WIRE_MAX_RECORD)
        td_wire_fail(err, TD_ERR_BAD_LENGTH, start + (dtls ? 11 : 3),
                     "a record length of at most 18432 (2^14 + 2048)");
    return TD_OK;
}

void td_hs_reasm_init(struct td_hs_reasm *h, int dtls, size_t max)
{
    memset(h, 0, sizeof *h);
    h->dtls = dtls;
    h->max = max ? max : (size_t)1 << 20;
}

void td_hs_reasm_free(struct td_hs_reasm *h)
{
    free(h->buf);
    free(h->dbuf);
    memset(h, 0, sizeof *h);
}

size_t td_hs_reasm_pending(const struct td_hs_reasm *h)
{
    return h->len - h->start + (h->dtls_active ? h->dtls_have : 0);
}

/* Drops consumed bytes and the segments that mapped them. */
static void reasm_compact(struct td_hs_reasm *h)
{
    size_t s = h->start, keep = 0;
    if (s == 0)
        return;
    for (size_t i = 0; i < h->n_seg; i++) {
        size_t end = i + 1 < h->n_seg ? h->seg[i + 1].pos : h->len;
        if (end <= s)
            continue;
        size_t from = h->seg[i].pos > s ? h->seg[i].pos : s;
        h->seg[keep].off = h->seg[i].off + (from - h->seg[i].pos);
        h->seg[keep].pos = from - s;
        keep++;
    }
    h->n_seg = keep;
    memmove(h->buf, h->buf + s, h->len - s);
    h->len -= s;
    h->start = 0;
}

enum td_err td_hs_reasm_add(struct td_hs_reasm *h, const uint8_t *p, size_t n, size_t stream_off)
{
    reasm_compact(h);
    if (n == 0)
        return TD_OK;
    if (n > h->max || h->len > h->max - n)
        return TD_ERR_TOO_LARGE;
    if (h->len + n > h->cap) {
        size_t cap = h->cap ? h->cap : 1024;
        while (cap < h->len + n)
            cap *= 2;
        uint8_t *nb = realloc(h->buf, cap);
        if (!nb)
            return TD_ERR_NOMEM;
        h->buf = nb;
        h->cap = cap;
    }
    memcpy(h->buf + h->len, p, n);
    if (h->n_seg == TD_HS_REASM_SEGS) {       /* keep the newest; offsets of old ones degrade */
        memmove(h->seg, h->seg + 1, sizeof h->seg[0] * (TD_HS_REASM_SEGS - 1));
        h->n_seg--;
    }
    h->seg[h->n_seg].pos = h->len;
    h->seg[h->n_seg].off = stream_off;
    h->n_seg++;
    h->len += n;
    return TD_OK;
}

static size_t reasm_off(const struct td_hs_reasm *h, size_t pos)
{
    size_t off = 0;
    for (size_t i = 0; i < h->n_seg && h->seg[i].pos <= pos; i++)
        off = h->seg[i].off + (pos - h->seg[i].pos);
    return off;
}

static size_t reasm_records(const struct td_hs_reasm *h, size_t from, size_t to)
{
    size_t n = 1;
    for (size_t i = 0; i < h->n_seg; i++)
        if (h->seg[i].pos > from && h->seg[i].pos < to)
            n++;
    return n;
}

static int reasm_next_tls(struct td_hs_reasm *h, struct td_hs_msg *msg, struct td_wire_err *err)
{
    size_t avail = h->len - h->start;
    if (avail < 4)
        return 0;
    const uint8_t *p = h->buf + h->start;
    uint32_t len = (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    if (len > h->max) {
        td_wire_fail(err, TD_ERR_BAD_LENGTH, reasm_off(h, h->start) + 1,
                     "a handshake message length within tlsdoctor's cap");
        h->start = h->len;                     /* cannot resynchronise inside a handshake stream */
        return -1;
    }
    if (avail - 4 < len)
        return 0;
    memset(msg, 0, sizeof *msg);
    msg->type = p[0];
    msg->length = len;
    msg->body.p = p + 4;
    msg->body.len = len;
    msg->off = reasm_off(h, h->start);
    msg->n_records = reasm_records(h, h->start, h->start + 4 + len);
    h->start += 4 + len;
    return 1;
}

static int dtls_grow(struct td_hs_reasm *h, size_t need)
{
    if (need <= h->dcap)
        return 1;
    uint8_t *nb = realloc(h->dbuf, need);
    if (!nb)
        return 0;
    h->dbuf = nb;
    h->dcap = need;
    return 1;
}

static int reasm_next_dtls(struct td_hs_reasm *h, struct td_hs_msg *msg, struct td_wire_err *err)
{
    for (;;) {
        size_t avail = h->len - h->start;
        if (avail < 12)
            return 0;
        const uint8_t *p = h->buf + h->start;
        size_t at = reasm_off(h, h->start);
        uint32_t len = (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        uint16_t seq = (uint16_t)(p[4] << 8 | p[5]);
        uint32_t foff = (uint32_t)p[6] << 16 | (uint32_t)p[7] << 8 | p[8];
        uint32_t flen = (uint32_t)p[9] << 16 | (uint32_t)p[10] << 8 | p[11];
        if (avail - 12 < flen)
            return 0;
        h->start += 12 + flen;
        if (len > h->max || foff > len || flen > len - foff) {
            td_wire_fail(err, TD_ERR_BAD_LENGTH, at + 6,
                         "a DTLS fragment inside its message length");
            return -1;
        }
        if (foff == 0 && flen == len) {        /* unfragmented: borrow from buf */
            memset(msg, 0, sizeof *msg);
            msg->type = p[0];
            msg->length = len;
            msg->dtls_seq = seq;
            msg->body.p = p + 12;
            msg->body.len = len;
            msg->off = at;
            msg->n_records = 1;
            return 1;
        }
        if (foff == 0) {
            if (!dtls_grow(h, len ? len : 1)) {
                td_wire_fail(err, TD_ERR_NOMEM, at, "memory for a DTLS message");
                return -1;
            }
            h->dtls_active = 1;
            h->dtls_type = p[0];
            h->dtls_len = len;
            h->dtls_seq = seq;
            h->dtls_have = 0;
            h->dtls_off = at;
        } else if (!h->dtls_active || seq != h->dtls_seq || len != h->dtls_len) {
            td_wire_fail(err, TD_ERR_UNSUPPORTED, at + 6, "DTLS fragments in order");
            return -1;
        }
        if (foff > h->dtls_have) {
            td_wire_fail(err, TD_ERR_UNSUPPORTED, at + 6, "DTLS fragments in order without gaps");
            return -1;
        }
        if (foff + flen > h->dtls_have) {
            memcpy(h->dbuf + foff, p + 12, flen);
            h->dtls_have = foff + flen;
        }
        if (h->dtls_have == h->dtls_len) {
            memset(msg, 0, sizeof *msg);
            msg->type = h->dtls_type;
            msg->length = h->dtls_len;
            msg->dtls_seq = h->dtls_seq;
            msg->body.p = h->dbuf;
            msg->body.len = h->dtls_len;
            msg->off = h->dtls_off;
            msg->n_records = 2;
            h->dtls_active = 0;
            return 1;
        }
    }
}

int td_hs_reasm_next(struct td_hs_reasm *h, struct td_hs_msg *msg, struct td_wire_err *err)
{
    return h->dtls ? reasm_next_dtls(h, msg, err) : reasm_next_tls(h, msg, err);
}
