/* read.c -- reading a capture through libpcap: link, IP and TCP headers (via the bounded reader),
 * the table of TCP flows and their segments. Reassembly and records are in stream.c. */
#define _GNU_SOURCE /* fmemopen */
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "capture_int.h"
#include "util/rd.h"

#define ETHERTYPE_IPV4 0x0800u
#define ETHERTYPE_IPV6 0x86ddu
#define ETHERTYPE_VLAN 0x8100u
#define ETHERTYPE_QINQ 0x88a8u
#define ETHERTYPE_VLAN9100 0x9100u
#define IPPROTO_TCP_ 6u
#define TCPF_FIN 0x01u
#define TCPF_SYN 0x02u
#define TCPF_RST 0x04u
#define TCPF_ACK 0x10u

/* What one packet's headers said. */
struct pkt {
    int family;
    uint8_t src[16], dst[16];
    uint16_t sport, dport;
    uint32_t seq;
    unsigned flags;
    const uint8_t *payload;
    uint32_t cap_len;   /* payload bytes captured */
    uint32_t wire_len;  /* payload bytes the IP header announces */
    int64_t time;       /* the packet's timestamp, seconds since the epoch */
};

struct reader {
    struct td_capture *c;
    size_t max_stream, max_conns;
    struct td_cap_flow **flow;   /* in order of first frame */
    size_t n_flow, cap_flow;
    size_t *slot;                /* hash table of flow index + 1 (0 = empty) */
    size_t n_slot;
    int conns_capped;
};

void td_capture_init(struct td_capture *c)
{
    memset(c, 0, sizeof *c);
    td_transcript_set_init(&c->set);
}

void td_capture_free(struct td_capture *c)
{
    td_transcript_set_free(&c->set);
    free(c->conn);
    for (size_t i = 0; i < c->n_notes; i++)
        free(c->notes[i]);
    td_capture_init(c);
}

void td_cap_note(struct td_capture *c, const char *fmt, ...)
{
    if (c->n_notes >= TD_CAPTURE_MAX_NOTES)
        return;
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    char *s = strdup(tmp);
    if (s)
        c->notes[c->n_notes++] = s;
}

void td_cap_flow_free(struct td_cap_flow *f)
{
    for (int i = 0; i < 2; i++) {
        free(f->d[i].seg);
        free(f->d[i].pool);
    }
    free(f);
}

/* ---- headers ---- */

static int decode_tcp(struct td_rd *r, uint32_t wire_ip_payload, struct pkt *k)
{
    size_t start_left = r->left;
    k->sport = td_rd_u16(r);
    k->dport = td_rd_u16(r);
    k->seq = td_rd_u32(r);
    td_rd_skip(r, 4); /* ack */
    uint8_t off = td_rd_u8(r);
    k->flags = td_rd_u8(r);
    td_rd_skip(r, 6); /* window, checksum, urgent */
    size_t hlen = (size_t)(off >> 4) * 4u;
    if (r->err || hlen < 20)
        return 0;
    td_rd_skip(r, hlen - 20);
    if (r->err)
        return 0;
    (void)start_left;
    k->payload = r->p;
    k->cap_len = (uint32_t)r->left;
    k->wire_len = wire_ip_payload >= hlen ? wire_ip_payload - (uint32_t)hlen : 0;
    if (k->cap_len > k->wire_len)  /* link-layer padding */
        k->cap_len = k->wire_len;
    return 1;
}

static int decode_ipv4(struct td_rd *r, struct pkt *k)
{
    size_t avail = r->left;
    uint8_t vihl = td_rd_u8(r);
    td_rd_skip(r, 1);
    uint16_t total = td_rd_u16(r);
    td_rd_skip(r, 2);
    uint16_t frag = td_rd_u16(r);
    td_rd_skip(r, 1);
    uint8_t proto = td_rd_u8(r);
    td_rd_skip(r, 2);
    const uint8_t *src = td_rd_bytes(r, 4), *dst = td_rd_bytes(r, 4);
    size_t ihl = (size_t)(vihl & 0x0fu) * 4u;
    if (r->err || (vihl >> 4) != 4 || ihl < 20 || proto != IPPROTO_TCP_)
        return 0;
    if ((frag & 0x1fffu) != 0 || (frag & 0x2000u) != 0)
        return 0; /* fragments are not reassembled */
    td_rd_skip(r, ihl - 20);
    if (r->err)
        return 0;
    if (total == 0) /* segmentation offload: the header's length is not filled in */
        total = (uint16_t)(avail > 0xffff ? 0xffff : avail);
    if (total < ihl)
        return 0;
    k->family = 4;
    memcpy(k->src, src, 4);
    memcpy(k->dst, dst, 4);
    if (r->left > (size_t)total - ihl)
        r->left = (size_t)total - ihl;
    return decode_tcp(r, (uint32_t)(total - ihl), k);
}

static int decode_ipv6(struct td_rd *r, struct pkt *k)
{
    uint8_t v = td_rd_u8(r);
    td_rd_skip(r, 3);
    uint32_t plen = td_rd_u16(r);
    uint8_t next = td_rd_u8(r);
    td_rd_skip(r, 1);
    const uint8_t *src = td_rd_bytes(r, 16), *dst = td_rd_bytes(r, 16);
    if (r->err || (v >> 4) != 6)
        return 0;
    if (r->left > plen)
        r->left = plen;
    /* Extension headers: hop-by-hop, routing, destination options; fragments are skipped. */
    for (int guard = 0; guard < 8 && (next == 0 || next == 43 || next == 60); guard++) {
        uint8_t nn = td_rd_u8(r);
        uint8_t hl = td_rd_u8(r);
        size_t ext_len = ((size_t)hl + 1u) * 8u;
        td_rd_skip(r, ext_len - 2);
        if (r->err || plen < ext_len)
            return 0;
        plen -= (uint32_t)ext_len;
        next = nn;
    }
    if (next != IPPROTO_TCP_)
        return 0;
    k->family = 6;
    memcpy(k->src, src, 16);
    memcpy(k->dst, dst, 16);
    return decode_tcp(r, plen, k);
}

static int decode_ip_by_ethertype(struct td_rd *r, unsigned et, struct pkt *k)
{
    if (et == ETHERTYPE_IPV4)
        return decode_ipv4(r, k);
    if (et == ETHERTYPE_IPV6)
        return decode_ipv6(r, k);
    return 0;
}

static int decode_ip_by_version(struct td_rd *r, struct pkt *k)
{
    if (r->left < 1)
        return 0;
    unsigned v = r->p[0] >> 4;
    return v == 4 ? decode_ipv4(r, k) : v == 6 ? decode_ipv6(r, k) : 0;
}

/* An address family number as BSD/Linux loopback headers give it. */
static int null_family(uint32_t v)
{
    if (v == 2)
        return 4;
    if (v == 10 || v == 24 || v == 28 || v == 30)
        return 6;
    return 0;
}

static int decode_link(int dlt, const uint8_t *p, size_t len, struct pkt *k)
{
    struct td_rd r;
    td_rd_init(&r, p, len, 0);
    switch (dlt) {
    case DLT_EN10MB: {
        td_rd_skip(&r, 12);
        unsigned et = td_rd_u16(&r);
        for (int i = 0; i < 4 && (et == ETHERTYPE_VLAN || et == ETHERTYPE_QINQ ||
                                  et == ETHERTYPE_VLAN9100); i++) {
            td_rd_skip(&r, 2);
            et = td_rd_u16(&r);
        }
        return !r.err && decode_ip_by_ethertype(&r, et, k);
    }
    case DLT_LINUX_SLL: {
        td_rd_skip(&r, 14);
        unsigned et = td_rd_u16(&r);
        return !r.err && decode_ip_by_ethertype(&r, et, k);
    }
    case DLT_LINUX_SLL2: {
        unsigned et = td_rd_u16(&r);
        td_rd_skip(&r, 18);
        return !r.err && decode_ip_by_ethertype(&r, et, k);
    }
    case DLT_NULL: {
        const uint8_t *h = td_rd_bytes(&r, 4);
        if (!h)
            return 0;
        uint32_t le = (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 24;
        uint32_t be = (uint32_t)h[3] | (uint32_t)h[2] << 8 | (uint32_t)h[1] << 16 | (uint32_t)h[0] << 24;
        int fam = null_family(le) ? null_family(le) : null_family(be);
        return fam == 4 ? decode_ipv4(&r, k) : fam == 6 ? decode_ipv6(&r, k) : 0;
    }
    case DLT_LOOP: {
        uint32_t fam = td_rd_u32(&r);
        int f = null_family(fam);
        return !r.err && (f == 4 ? decode_ipv4(&r, k) : f == 6 ? decode_ipv6(&r, k) : 0);
    }
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
        return decode_ip_by_version(&r, k);
    default:
        return 0;
    }
}

static int link_supported(int dlt)
{
    return dlt == DLT_EN10MB || dlt == DLT_LINUX_SLL || dlt == DLT_LINUX_SLL2 || dlt == DLT_NULL ||
           dlt == DLT_LOOP || dlt == DLT_RAW || dlt == DLT_IPV4 || dlt == DLT_IPV6;
}

/* ---- flows ---- */

static size_t hash_key(int family, const uint8_t *a, uint16_t pa, const uint8_t *b, uint16_t pb)
{
    /* Symmetric: the same for both directions. */
    size_t alen = family == 6 ? 16 : 4;
    uint64_t ha = 1469598103934665603ull, hb = ha;
    for (size_t i = 0; i < alen; i++) {
        ha = (ha ^ a[i]) * 1099511628211ull;
        hb = (hb ^ b[i]) * 1099511628211ull;
    }
    ha = (ha ^ pa) * 1099511628211ull;
    hb = (hb ^ pb) * 1099511628211ull;
    return (size_t)((ha ^ hb) ^ ((ha ^ hb) >> 29));
}

/* Which side of f sent k: 0 or 1, or -1 if k is not part of f. */
static int flow_side(const struct td_cap_flow *f, const struct pkt *k)
{
    size_t alen = k->family == 6 ? 16 : 4;
    if (f->family != k->family)
        return -1;
    for (int s = 0; s < 2; s++)
        if (f->port[s] == k->sport && f->port[!s] == k->dport &&
            !memcmp(f->addr[s], k->src, alen) && !memcmp(f->addr[!s], k->dst, alen))
            return s;
    return -1;
}

/* Finds the slot for k's connection: either holding it, or the empty slot where it goes. */
static size_t find_slot(const struct reader *rd, const struct pkt *k)
{
    size_t mask = rd->n_slot - 1;
    size_t i = hash_key(k->family, k->src, k->sport, k->dst, k->dport) & mask;
    while (rd->slot[i] && flow_side(rd->flow[rd->slot[i] - 1], k) < 0)
        i = (i + 1) & mask;
    return i;
}

static struct td_cap_flow *new_flow(struct reader *rd, const struct pkt *k, uint32_t frame)
{
    if (rd->n_flow >= rd->max_conns) {
        if (!rd->conns_capped)
            td_cap_note(rd->c, "more than %zu TCP connections: later ones were not read",
                        rd->max_conns);
        rd->conns_capped = 1;
        return NULL;
    }
    if (rd->n_flow == rd->cap_flow) {
        size_t cap = rd->cap_flow ? rd->cap_flow * 2 : 16;
        struct td_cap_flow **p = realloc(rd->flow, cap * sizeof(struct td_cap_flow *));
        if (!p)
            return NULL;
        rd->flow = p;
        rd->cap_flow = cap;
    }
    struct td_cap_flow *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->family = k->family;
    memcpy(f->addr[0], k->src, 16);
    memcpy(f->addr[1], k->dst, 16);
    f->port[0] = k->sport;
    f->port[1] = k->dport;
    f->syn_from = f->synack_from = -1;
    f->first_frame = frame;
    f->first_time = k->time;
    rd->flow[rd->n_flow++] = f;
    return f;
}

static int dir_add(struct reader *rd, struct td_cap_dir *d, const struct pkt *k, uint32_t frame)
{
    if (d->pool_len + k->cap_len > rd->max_stream) {
        d->capped = 1;
        return 1;
    }
    if (d->n_seg == d->cap_seg) {
        size_t cap = d->cap_seg ? d->cap_seg * 2 : 16;
        struct td_cap_seg *p = realloc(d->seg, cap * sizeof *p);
        if (!p)
            return 0;
        d->seg = p;
        d->cap_seg = cap;
    }
    if (d->pool_len + k->cap_len > d->pool_cap) {
        size_t cap = d->pool_cap ? d->pool_cap : 4096;
        while (cap < d->pool_len + k->cap_len)
            cap *= 2;
        uint8_t *p = realloc(d->pool, cap);
        if (!p)
            return 0;
        d->pool = p;
        d->pool_cap = cap;
    }
    uint32_t seq = k->seq + ((k->flags & TCPF_SYN) ? 1u : 0u);
    struct td_cap_seg *s = &d->seg[d->n_seg++];
    s->rel = (int64_t)(int32_t)(seq - d->anchor);
    s->len = k->cap_len;
    s->frame = frame;
    s->pool_off = d->pool_len;
    memcpy(d->pool + d->pool_len, k->payload, k->cap_len);
    d->pool_len += k->cap_len;
    return 1;
}

/* A SYN (no ACK) on a flow that already carried data or closed starts a new connection. */
static int is_reuse(const struct td_cap_flow *f, int side, const struct pkt *k)
{
    if ((k->flags & (TCPF_SYN | TCPF_ACK)) != TCPF_SYN)
        return 0;
    const struct td_cap_dir *d = &f->d[side];
    if (d->syn && (uint32_t)(d->anchor + (uint32_t)d->syn_rel) == k->seq)
        return 0; /* a retransmitted SYN */
    return d->n_seg > 0 || f->d[!side].n_seg > 0 || d->fin_frame || d->rst_frame ||
           f->d[!side].fin_frame || f->d[!side].rst_frame;
}

static int add_packet(struct reader *rd, const struct pkt *k, uint32_t frame)
{
    size_t slot = find_slot(rd, k);
    struct td_cap_flow *f = rd->slot[slot] ? rd->flow[rd->slot[slot] - 1] : NULL;
    int side = f ? flow_side(f, k) : 0;
    if (f && is_reuse(f, side, k))
        f = NULL;
    if (!f) {
        f = new_flow(rd, k, frame);
        if (!f)
            return !rd->conns_capped ? 0 : 1;
        rd->slot[slot] = rd->n_flow;
        side = 0;
    }
    f->last_frame = frame;
    f->frames++;
    struct td_cap_dir *d = &f->d[side];
    uint32_t seq = k->seq + ((k->flags & TCPF_SYN) ? 1u : 0u);
    if (!d->seen) {
        d->seen = 1;
        d->anchor = seq;
    }
    if (k->flags & TCPF_SYN) {
        d->syn = 1;
        d->syn_rel = (int64_t)(int32_t)(k->seq - d->anchor);
        if (k->flags & TCPF_ACK)
            f->synack_from = side;
        else
            f->syn_from = side;
    }
    if ((k->flags & TCPF_FIN) && !d->fin_frame)
        d->fin_frame = frame;
    if ((k->flags & TCPF_RST) && !d->rst_frame)
        d->rst_frame = frame;
    if (k->cap_len < k->wire_len)
        d->snap_cut = 1;
    if (k->cap_len == 0)
        return 1;
    return dir_add(rd, d, k, frame);
}

/* ---- the libpcap loop ---- */

/* errmsg = text + detail + ")" when detail is given: "... (libpcap: DETAIL)". */
static void set_err(struct td_buf *errmsg, const char *text, const char *detail)
{
    if (errmsg) {
        td_buf_reset(errmsg);
        td_buf_printf(errmsg, "%s%s%s", text, detail ? detail : "", detail ? ")" : "");
    }
}

static enum td_err open_capture(const uint8_t *p, size_t len, pcap_t **out, struct td_buf *errmsg)
{
    char eb[PCAP_ERRBUF_SIZE] = "";
    if (len == 0) {
        set_err(errmsg, "the file is empty, not a capture", NULL);
        return TD_ERR_NOTHING_FOUND;
    }
    /* fmemopen wants a non-const buffer even for reading; "r" never writes to it. */
    FILE *fp = fmemopen((void *)(uintptr_t)p, len, "r");
    if (!fp) {
        set_err(errmsg, "could not open the capture's bytes", NULL);
        return TD_ERR_NOMEM;
    }
    pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, eb);
    if (!pc) {
        fclose(fp);
        set_err(errmsg, "not a pcap or pcapng capture (libpcap: ", eb);
        return TD_ERR_NOTHING_FOUND;
    }
    *out = pc;
    return TD_OK;
}

static enum td_err compile_filter(pcap_t *pc, const char *filter, struct bpf_program *prog,
                                  struct td_buf *errmsg)
{
    if (pcap_compile(pc, prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
        set_err(errmsg, "the filter does not compile (libpcap: ", pcap_geterr(pc));
        return TD_ERR_SYNTAX;
    }
    return TD_OK;
}

static enum td_err read_loop(struct reader *rd, pcap_t *pc, const struct bpf_program *prog)
{
    struct td_capture *c = rd->c;
    struct pcap_pkthdr *h;
    const u_char *data;
    int rc;
    while ((rc = pcap_next_ex(pc, &h, &data)) == 1) {
        uint32_t frame = ++c->frames;
        if (prog && !pcap_offline_filter(prog, h, data)) {
            c->filtered++;
            continue;
        }
        if (h->caplen < h->len)
            c->snap_cut++;
        struct pkt k;
        memset(&k, 0, sizeof k);
        if (!decode_link(c->linktype, data, h->caplen, &k)) {
            c->skipped++;
            continue;
        }
        k.time = (int64_t)h->ts.tv_sec;
        c->tcp_frames++;
        if (!add_packet(rd, &k, frame))
            return TD_ERR_NOMEM;
    }
    if (rc == PCAP_ERROR) {
        c->file_truncated = 1;
        td_cap_note(c, "the capture file is cut short after frame %u (libpcap: %s); what came "
                       "before was read", c->frames, pcap_geterr(pc));
    }
    return TD_OK;
}

static enum td_err finish(struct reader *rd)
{
    struct td_capture *c = rd->c;
    c->tcp_conns = rd->n_flow;
    for (size_t i = 0; i < rd->n_flow; i++) {
        enum td_err e = td_cap_flow_to_transcript(rd->flow[i], c);
        if (e != TD_OK)
            return e;
    }
    if (c->snap_cut)
        td_cap_note(c, "%u packet%s cut short by the capture's snapshot length: the missing bytes "
                       "are marked, not guessed", c->snap_cut, c->snap_cut == 1 ? " was" : "s were");
    if (c->frames == 0 && !c->file_truncated)
        td_cap_note(c, "the capture holds no packets");
    else if (c->tcp_frames == 0 && c->frames > c->filtered)
        td_cap_note(c, "none of the %u packets is TCP over IPv4 or IPv6", c->frames - c->filtered);
    else if (c->set.n == c->n_refused && c->tcp_conns > c->n_refused)
        td_cap_note(c, "%zu TCP connection%s, none carrying TLS records", c->tcp_conns,
                    c->tcp_conns == 1 ? "" : "s");
    return TD_OK;
}

enum td_err td_capture_read(const uint8_t *p, size_t len, const struct td_capture_opts *opts,
                            struct td_capture *c, struct td_buf *errmsg)
{
    struct td_capture_opts none = {0};
    if (!opts)
        opts = &none;
    if (!c || (!p && len))
        return TD_ERR_ARG;
    pcap_t *pc = NULL;
    enum td_err e = open_capture(p, len, &pc, errmsg);
    if (e != TD_OK)
        return e;
    c->linktype = pcap_datalink(pc);
    struct bpf_program prog;
    int have_prog = 0;
    if (opts->filter) {
        e = compile_filter(pc, opts->filter, &prog, errmsg);
        if (e != TD_OK) {
            pcap_close(pc);
            return e;
        }
        have_prog = 1;
    }
    if (!link_supported(c->linktype)) {
        const char *name = pcap_datalink_val_to_name(c->linktype);
        td_cap_note(c, "link type %s (%d) is not one tlsdoctor decodes", name ? name : "unknown",
                    c->linktype);
    }
    struct reader rd = {.c = c};
    rd.max_stream = opts->max_stream_bytes ? opts->max_stream_bytes : TD_CAPTURE_MAX_STREAM_BYTES;
    rd.max_conns = opts->max_conns ? opts->max_conns : TD_CAPTURE_MAX_CONNS;
    rd.n_slot = 64;
    while (rd.n_slot < rd.max_conns * 2)
        rd.n_slot *= 2;
    rd.slot = calloc(rd.n_slot, sizeof *rd.slot);
    e = rd.slot ? read_loop(&rd, pc, have_prog ? &prog : NULL) : TD_ERR_NOMEM;
    if (e == TD_OK)
        e = finish(&rd);
    for (size_t i = 0; i < rd.n_flow; i++)
        td_cap_flow_free(rd.flow[i]);
    free(rd.flow);
    free(rd.slot);
    if (have_prog)
        pcap_freecode(&prog);
    pcap_close(pc);
    return e;
}
