/* stream.c -- from a TCP flow's segments to a Transcript: per-direction reassembly (out of order,
 * retransmitted, overlapping, missing), TLS record boundaries (found again after gaps), the
 * client/server roles, and the events in frame order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "capture_int.h"
#include "tlsdoctor/wire.h"
#include "util/rd.h"

#define TLS_MAX_RECORD (16384u + 2048u)

/* A run of stream bytes that arrived in one frame. */
struct chunk {
    size_t off, len;
    uint32_t frame;
};

/* A contiguous span of the stream; gap_before = bytes missing just before it (0 for the first
 * piece when the start is known). */
struct piece {
    size_t off, len;
    uint64_t gap_before;
};

/* One reassembled direction. */
struct stream {
    uint8_t *buf;
    size_t len;
    struct chunk *ch;
    size_t n_ch;
    struct piece *pc;
    size_t n_pc;
    int start_known;   /* the SYN was seen, so byte 0 is the stream's first byte */
    uint64_t missing;
};

/* One record found in a stream. */
struct rec {
    size_t off, len;       /* bytes present (header included) */
    uint32_t frame, frame_end;
    int truncated;
    int side;
};

struct recs {
    struct rec *r;
    size_t n, cap;
    int resynced;
};

int td_cap_plausible_header(const uint8_t *p)
{
    unsigned len = (unsigned)p[3] << 8 | p[4];
    return p[0] >= 20 && p[0] <= 24 && p[1] == 3 && p[2] <= 4 && len >= 1 && len <= TLS_MAX_RECORD;
}

static int seg_cmp(const void *a, const void *b)
{
    const struct td_cap_seg *x = a, *y = b;
    if (x->rel != y->rel)
        return x->rel < y->rel ? -1 : 1;
    if (x->frame != y->frame)
        return x->frame < y->frame ? -1 : 1;
    return 0;
}

static void stream_free(struct stream *s)
{
    free(s->buf);
    free(s->ch);
    free(s->pc);
    s->buf = NULL;
    s->ch = NULL;
    s->pc = NULL;
    s->len = s->n_ch = s->n_pc = 0;
}

/* Orders the segments and lays their bytes out once each; holes become piece boundaries.
 * s must be zeroed by the caller; stream_free() releases it, also after a failure. */
static enum td_err assemble(const struct td_cap_dir *d, struct stream *s)
{
    if (d->n_seg == 0)
        return TD_OK;
    struct td_cap_seg *seg = malloc(d->n_seg * sizeof *seg);
    uint8_t *buf = malloc(d->pool_len ? d->pool_len : 1);
    struct chunk *ch = calloc(d->n_seg, sizeof *ch);
    struct piece *pc = calloc(d->n_seg, sizeof *pc);
    if (!seg || !buf || !ch || !pc) {
        free(seg);
        free(buf);
        free(ch);
        free(pc);
        return TD_ERR_NOMEM;
    }
    s->buf = buf;
    s->ch = ch;
    s->pc = pc;
    memcpy(seg, d->seg, d->n_seg * sizeof *seg);
    qsort(seg, d->n_seg, sizeof *seg, seg_cmp);
    s->start_known = d->syn;
    int64_t cursor = d->syn ? d->syn_rel + 1 : seg[0].rel;
    int first = 1;
    for (size_t i = 0; i < d->n_seg; i++) {
        int64_t a = seg[i].rel, b = seg[i].rel + seg[i].len;
        if (b <= cursor)
            continue; /* retransmitted, or before the SYN */
        if (a > cursor || first) {
            uint64_t gap = a > cursor ? (uint64_t)(a - cursor) : 0;
            s->missing += gap;
            s->pc[s->n_pc++] = (struct piece){.off = s->len, .len = 0, .gap_before = gap};
            if (a > cursor)
                cursor = a;
            first = 0;
        }
        size_t skip = (size_t)(cursor - a), n = (size_t)(b - cursor);
        memcpy(s->buf + s->len, d->pool + seg[i].pool_off + skip, n);
        s->ch[s->n_ch++] = (struct chunk){.off = s->len, .len = n, .frame = seg[i].frame};
        s->len += n;
        s->pc[s->n_pc - 1].len += n;
        cursor = b;
    }
    free(seg);
    return TD_OK;
}

/* Index of the chunk holding stream byte off. */
static size_t chunk_at(const struct stream *s, size_t off)
{
    size_t lo = 0, hi = s->n_ch;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (s->ch[mid].off <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* The frame that carried stream byte off. */
static uint32_t frame_at(const struct stream *s, size_t off)
{
    return s->n_ch ? s->ch[chunk_at(s, off)].frame : 0;
}

/* The last frame among those that carried [off, off+len): when the record was complete. */
static uint32_t frame_done(const struct stream *s, size_t off, size_t len)
{
    uint32_t m = 0;
    if (!s->n_ch || !len)
        return 0;
    for (size_t i = chunk_at(s, off); i < s->n_ch && s->ch[i].off < off + len; i++)
        if (s->ch[i].frame > m)
            m = s->ch[i].frame;
    return m;
}

static int recs_add(struct recs *rs, const struct rec *r)
{
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 16;
        struct rec *p = realloc(rs->r, cap * sizeof *p);
        if (!p)
            return 0;
        rs->r = p;
        rs->cap = cap;
    }
    rs->r[rs->n++] = *r;
    return 1;
}

/* Where record boundaries start in [p, p+n): a plausible header followed by another one, or a
 * record that ends exactly at the end. Returns n if none. */
static size_t resync(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 5 <= n; i++) {
        if (!td_cap_plausible_header(p + i))
            continue;
        size_t next = i + 5 + ((size_t)p[i + 3] << 8 | p[i + 4]);
        if (next == n || (next + 5 <= n && td_cap_plausible_header(p + next)))
            return i;
    }
    return n;
}

/* Splits one piece into records, starting at pos (aligned: a record header is expected there;
 * otherwise boundaries are searched for). */
static int split_piece(const struct stream *s, const struct piece *pc, int side, size_t pos,
                       int aligned, struct recs *rs)
{
    const uint8_t *p = s->buf + pc->off;
    if (!aligned) {
        pos = resync(p, pc->len);
        if (pos == pc->len)
            return 1;
        rs->resynced = 1;
    }
    while (pos + 5 <= pc->len) {
        if (!td_cap_plausible_header(p + pos)) {
            size_t again = resync(p + pos, pc->len - pos);
            if (again == pc->len - pos)
                return 1;
            rs->resynced = 1;
            pos += again;
        }
        size_t want = 5 + ((size_t)p[pos + 3] << 8 | p[pos + 4]);
        size_t have = want <= pc->len - pos ? want : pc->len - pos;
        struct rec r = {.off = pc->off + pos, .len = have, .side = side, .truncated = have < want};
        r.frame = frame_at(s, r.off);
        r.frame_end = frame_done(s, r.off, have);
        if (!recs_add(rs, &r))
            return 0;
        pos += have;
    }
    if (pos < pc->len) { /* a header cut by a gap or the end */
        struct rec r = {.off = pc->off + pos, .len = pc->len - pos, .side = side, .truncated = 1};
        r.frame = frame_at(s, r.off);
        r.frame_end = frame_done(s, r.off, r.len);
        if (!recs_add(rs, &r))
            return 0;
    }
    return 1;
}

/* Splits a whole direction. Positions are compared in sequence space (stream offset plus the gaps
 * before it): after a gap, a piece is aligned when the record the gap cut says where the next one
 * starts and that point lies in the piece; otherwise boundaries are searched for. */
static int split_stream(const struct stream *s, int side, struct recs *rs)
{
    uint64_t gaps = 0, next_seq = 0;
    int next_known = 0;
    for (size_t i = 0; i < s->n_pc; i++) {
        const struct piece *pc = &s->pc[i];
        gaps += pc->gap_before;
        uint64_t seq0 = pc->off + gaps;
        size_t pos = 0;
        int aligned;
        if (i == 0)
            aligned = s->start_known && pc->gap_before == 0;
        else
            aligned = next_known && next_seq >= seq0 && next_seq < seq0 + pc->len;
        if (aligned)
            pos = i == 0 ? 0 : (size_t)(next_seq - seq0);
        size_t before = rs->n;
        if (!split_piece(s, pc, side, pos, aligned, rs))
            return 0;
        next_known = 0;
        if (rs->n > before && rs->r[rs->n - 1].len >= 5) {
            const struct rec *last = &rs->r[rs->n - 1];
            const uint8_t *h = s->buf + last->off;
            next_seq = last->off + gaps + 5 + ((size_t)h[3] << 8 | h[4]);
            next_known = 1;
        }
    }
    return 1;
}

/* ---- roles and events ---- */

static int is_client_hello(const struct stream *s, const struct recs *rs)
{
    if (!s->buf || rs->n == 0 || rs->r[0].len < 6)
        return 0;
    const uint8_t *h = s->buf + rs->r[0].off;
    return h[0] == 22 && h[5] == 1;
}

static int is_server_hello(const struct stream *s, const struct recs *rs)
{
    if (!s->buf || rs->n == 0 || rs->r[0].len < 6)
        return 0;
    const uint8_t *h = s->buf + rs->r[0].off;
    return h[0] == 22 && h[5] == 2;
}

/* Which side (0 or 1) is the client, and whether that is certain. */
static int pick_client(const struct td_cap_flow *f, const struct stream st[2],
                       const struct recs rs[2], int *known)
{
    *known = 1;
    if (f->syn_from >= 0)
        return f->syn_from;
    if (f->synack_from >= 0)
        return !f->synack_from;
    for (int s = 0; s < 2; s++)
        if (is_client_hello(&st[s], &rs[s]))
            return s;
    for (int s = 0; s < 2; s++)
        if (is_server_hello(&st[s], &rs[s]))
            return !s;
    *known = 0;
    return f->port[0] < f->port[1] ? 1 : 0; /* the lower port is more likely the server's */
}

static int add_msg(struct td_transcript *t, enum td_actor from, uint32_t frame, const char *text,
                   unsigned flags)
{
    struct td_event ev = {.kind = TD_EV_MESSAGE, .from = from, .line = frame, .line_end = frame,
                          .flags = flags};
    ev.text = (char *)(uintptr_t)text; /* copied by td_transcript_add */
    return td_transcript_add(t, &ev) != NULL;
}

static int add_record(struct td_transcript *t, const struct stream *s, const struct rec *r,
                      enum td_actor from)
{
    struct td_event ev = {.kind = TD_EV_RECORD, .from = from, .line = r->frame,
                          .line_end = r->frame_end};
    ev.data = (uint8_t *)(uintptr_t)(s->buf + r->off);
    ev.len = r->len;
    ev.flags = r->truncated ? TD_EVF_TRUNCATED : 0;
    if (!td_transcript_add(t, &ev))
        return 0;
    const uint8_t *h = s->buf + r->off;
    /* A plaintext alert is exactly two bytes; encrypted ones are longer. */
    if (!r->truncated && r->len == 7 && h[0] == 21 && (h[5] == 1 || h[5] == 2)) {
        struct td_event al = {.kind = TD_EV_ALERT, .from = from, .line = r->frame,
                              .line_end = r->frame_end, .a = h[5], .b = h[6], .code = h[6]};
        if (!td_transcript_add(t, &al))
            return 0;
    }
    return 1;
}

/* Transport events (FIN, RST, gaps) as messages, each with its frame; FIN and RST carry
 * TD_EVF_TCP_FIN / TD_EVF_TCP_RST so the diagnosis need not read the text. */
struct tev {
    uint32_t frame;
    int side;
    unsigned flags;
    char text[128];
};

static size_t transport_events(const struct td_cap_flow *f, const struct stream st[2],
                               struct tev out[8])
{
    size_t n = 0;
    for (int s = 0; s < 2; s++) {
        const struct td_cap_dir *d = &f->d[s];
        if (d->fin_frame) {
            out[n].frame = d->fin_frame;
            out[n].side = s;
            out[n].flags = TD_EVF_TCP_FIN;
            strcpy(out[n].text, "closed its side of the connection (TCP FIN)");
            n++;
        }
        if (d->rst_frame) {
            out[n].frame = d->rst_frame;
            out[n].side = s;
            out[n].flags = TD_EVF_TCP_RST;
            strcpy(out[n].text, "reset the connection (TCP RST)");
            n++;
        }
        if (st[s].missing) {
            out[n].frame = 0;
            out[n].side = s;
            out[n].flags = 0;
            snprintf(out[n].text, sizeof out[n].text,
                     "%llu bytes it sent are missing from the capture",
                     (unsigned long long)st[s].missing);
            n++;
        }
    }
    return n;
}

/* The negotiated version from a plaintext ServerHello record, or 0. */
static uint16_t server_hello_version(const struct td_event *e)
{
    if (e->len < 9 || e->data[0] != 22 || e->data[5] != 2)
        return 0;
    size_t body = (size_t)e->data[6] << 16 | (size_t)e->data[7] << 8 | e->data[8];
    if (body > e->len - 9)
        return 0;
    struct td_server_hello sh;
    size_t off;
    if (td_wire_parse_server_hello(e->data + 9, body, &sh, &off) != TD_OK)
        return 0;
    return sh.version;
}

/* 1 if a TLS 1.2 (or older) handshake visibly completed: a ServerHello below TLS 1.3, each side's
 * ChangeCipherSpec followed by its encrypted Finished, application data after both, and no
 * plaintext fatal alert. TLS 1.3 hides its handshake in application_data records, so nothing is
 * concluded there. */
static int tls12_completed(const struct td_transcript *t)
{
    uint16_t version = 0;
    int ccs[3] = {0, 0, 0}, fin[3] = {0, 0, 0}, app_after = 0;
    for (size_t i = 0; i < t->n_ev; i++) {
        const struct td_event *e = &t->ev[i];
        if (e->kind == TD_EV_ALERT && e->a == 2)
            return 0;
        if (e->kind != TD_EV_RECORD || e->len < 5 || (e->flags & TD_EVF_TRUNCATED) ||
            e->from == TD_ACTOR_UNKNOWN)
            continue;
        if (e->from == TD_ACTOR_SERVER && !version)
            version = server_hello_version(e);
        if (e->data[0] == 20)
            ccs[e->from] = 1;
        else if (e->data[0] == 22 && ccs[e->from])
            fin[e->from] = 1;
        else if (e->data[0] == 23 && fin[TD_ACTOR_CLIENT] && fin[TD_ACTOR_SERVER])
            app_after = 1;
    }
    return version && version < 0x0304 && app_after;
}

/* Transport events in frame order; those without a frame (gap notes) last. */
static int tev_cmp(const void *a, const void *b)
{
    const struct tev *x = a, *y = b;
    uint32_t fx = x->frame ? x->frame : UINT32_MAX, fy = y->frame ? y->frame : UINT32_MAX;
    return fx < fy ? -1 : fx > fy;
}

static enum td_stop pick_stop(const struct td_transcript *t, const struct td_cap_flow *f)
{
    int client_hello = 0, server_recs = 0, fatal = 0, ch_cut = 0;
    for (size_t i = 0; i < t->n_ev; i++) {
        const struct td_event *e = &t->ev[i];
        if (e->kind == TD_EV_RECORD && e->from == TD_ACTOR_CLIENT && e->len >= 6 &&
            e->data[0] == 22 && e->data[5] == 1) {
            client_hello = 1;
            ch_cut = (e->flags & TD_EVF_TRUNCATED) != 0;
        }
        if (e->kind == TD_EV_RECORD && e->from == TD_ACTOR_SERVER)
            server_recs = 1;
        if (e->kind == TD_EV_ALERT && e->a == 2)
            fatal = 1;
    }
    int closed = f->d[0].fin_frame || f->d[1].fin_frame || f->d[0].rst_frame || f->d[1].rst_frame;
    if (!client_hello && !server_recs)
        return TD_STOP_BEFORE_HELLO;
    if (ch_cut && !server_recs)
        return TD_STOP_MID_CLIENT_HELLO;
    if (fatal || closed)
        return TD_STOP_COMPLETE;
    return server_recs ? TD_STOP_MID_HANDSHAKE : TD_STOP_BEFORE_SERVER_ANSWER;
}

/* A connection attempt answered by RST instead of SYN+ACK, with no data either way. */
static int refused(const struct td_cap_flow *f)
{
    return f->syn_from >= 0 && f->synack_from < 0 && f->d[!f->syn_from].rst_frame &&
           f->d[0].n_seg == 0 && f->d[1].n_seg == 0;
}

static int build_events(struct td_transcript *t, const struct td_cap_flow *f,
                        const struct stream st[2], const struct recs rs[2], int client)
{
    if (refused(f))
        return add_msg(t, TD_ACTOR_SERVER, f->d[!client].rst_frame, "refused the connection: its "
                       "answer to the SYN was a RST", TD_EVF_TCP_RST | TD_EVF_TCP_REFUSED);
    size_t i[2] = {0, 0};
    struct tev tv[8];
    size_t n_tv = transport_events(f, st, tv), j = 0;
    qsort(tv, n_tv, sizeof *tv, tev_cmp);
    /* When the connection began: certificate dates are judged against it. */
    struct td_event when = {.kind = TD_EV_FACT, .fact = TD_FACT_SOURCE_TIME, .line = f->first_frame,
                            .line_end = f->first_frame, .code = f->first_time};
    if (f->first_time >= TD_CAP_SANE_TIME && !td_transcript_add(t, &when))
        return 0;
    for (;;) {
        const struct rec *a = i[0] < rs[0].n ? &rs[0].r[i[0]] : NULL;
        const struct rec *b = i[1] < rs[1].n ? &rs[1].r[i[1]] : NULL;
        const struct rec *r = !a ? b : !b ? a : (b->frame < a->frame ? b : a);
        /* Transport events with a frame go in frame order; gap notes go last. */
        while (j < n_tv && tv[j].frame && (!r || tv[j].frame < r->frame)) {
            if (!add_msg(t, tv[j].side == client ? TD_ACTOR_CLIENT : TD_ACTOR_SERVER,
                         tv[j].frame, tv[j].text, tv[j].flags))
                return 0;
            j++;
        }
        if (!r)
            break;
        if (!add_record(t, &st[r->side], r, r->side == client ? TD_ACTOR_CLIENT : TD_ACTOR_SERVER))
            return 0;
        i[r->side]++;
    }
    for (; j < n_tv; j++)
        if (!add_msg(t, tv[j].side == client ? TD_ACTOR_CLIENT : TD_ACTOR_SERVER,
                     tv[j].frame ? tv[j].frame : f->last_frame, tv[j].text,
                     tv[j].flags))
            return 0;
    return 1;
}

static enum td_err emit(const struct td_cap_flow *f, struct stream st[2], struct recs rs[2],
                        struct td_capture *c)
{
    int known;
    int client = pick_client(f, st, rs, &known);
    struct td_capture_conn *cn = realloc(c->conn, (c->n_conn + 1) * sizeof *cn);
    if (!cn)
        return TD_ERR_NOMEM;
    c->conn = cn;
    struct td_transcript *t = td_transcript_set_add(&c->set, TD_ORIGIN_CAPTURE);
    if (!t)
        return TD_ERR_NOMEM;
    struct td_capture_conn *k = &c->conn[c->n_conn];
    memset(k, 0, sizeof *k);
    k->family = f->family;
    memcpy(k->client_addr, f->addr[client], 16);
    memcpy(k->server_addr, f->addr[!client], 16);
    k->client_port = f->port[client];
    k->server_port = f->port[!client];
    k->client_known = known;
    k->first_frame = f->first_frame;
    k->start_time = f->first_time;
    k->last_frame = f->last_frame;
    k->frames = f->frames;
    k->transcript = c->set.n - 1;
    for (int s = 0; s < 2; s++) {
        int dir = s == client ? 0 : 1;
        k->bytes[dir] = st[s].len;
        k->missing[dir] = st[s].missing;
        if (st[s].missing)
            k->flags |= TD_CAPF_GAP;
        if (f->d[s].snap_cut)
            k->flags |= TD_CAPF_SNAPLEN;
        if (f->d[s].fin_frame)
            k->flags |= TD_CAPF_FIN;
        if (f->d[s].rst_frame)
            k->flags |= TD_CAPF_RST;
        if (f->d[s].capped)
            k->flags |= TD_CAPF_CAPPED;
        if (rs[s].resynced)
            k->flags |= TD_CAPF_RESYNC;
    }
    k->flags |= f->syn_from >= 0 ? TD_CAPF_SYN_SEEN : TD_CAPF_MIDSTREAM;
    if (refused(f)) {
        k->flags |= TD_CAPF_REFUSED;
        c->n_refused++;
    }
    c->n_conn++;
    t->logged_by = TD_ACTOR_UNKNOWN;
    t->first_line = f->first_frame;
    t->last_line = f->last_frame;
    if (!build_events(t, f, st, rs, client))
        return TD_ERR_NOMEM;
    t->stop = pick_stop(t, f);
    if (tls12_completed(t)) {
        t->handshake_ret_known = 1;
        t->handshake_ret = 0;
    }
    return TD_OK;
}

enum td_err td_cap_flow_to_transcript(const struct td_cap_flow *f, struct td_capture *c)
{
    struct stream st[2] = {{0}, {0}};
    struct recs rs[2] = {{0}, {0}};
    enum td_err e = assemble(&f->d[0], &st[0]);
    if (e != TD_OK)
        return e;
    e = assemble(&f->d[1], &st[1]);
    if (e == TD_OK && (!split_stream(&st[0], 0, &rs[0]) || !split_stream(&st[1], 1, &rs[1])))
        e = TD_ERR_NOMEM;
    if (e == TD_OK && (rs[0].n || rs[1].n || refused(f)))
        e = emit(f, st, rs, c);
    for (int s = 0; s < 2; s++) {
        free(rs[s].r);
        stream_free(&st[s]);
    }
    return e;
}
