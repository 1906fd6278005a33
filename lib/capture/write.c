/* write.c -- Transcripts out as a synthetic pcap: one TCP conversation per Transcript (three-way
 * handshake, then its complete records with correct sequence numbers and checksums), written
 * through libpcap's dump API so Wireshark and tshark dissect it as TLS. */
#define _DEFAULT_SOURCE /* u_int and friends in pcap.h */
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include "capture_int.h"

#define MSS 1460u
#define SERVER_PORT 443u
#define CLIENT_PORT0 49152u
#define TS_EPOCH 946684800 /* 2000-01-01 00:00:00 UTC: a synthetic capture's time (before
                               TD_CAP_SANE_TIME, so it is never taken for the real one) */
#define TCP_FIN 0x01u
#define TCP_SYN 0x02u
#define TCP_PSH 0x08u
#define TCP_ACK 0x10u

static const uint8_t client_ip[4] = {192, 0, 2, 10};
static const uint8_t server_ip[4] = {192, 0, 2, 1};
static const uint8_t client_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0a};
static const uint8_t server_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};

/* One conversation's TCP state. */
struct conv {
    pcap_dumper_t *out;
    uint16_t cport;
    uint32_t seq[2];      /* next sequence number: [0] client, [1] server */
    uint32_t frame;       /* packets written, for timestamps */
    uint16_t ip_id;
    struct td_capture_write_stats *st;
};

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xffffu);
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)p[i] << 8 | p[i + 1];
    if (n & 1u)
        s += (uint32_t)p[n - 1] << 8;
    return s;
}

static uint16_t fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xffffu) + (s >> 16);
    return (uint16_t)~s;
}

/* Writes one Ethernet/IPv4/TCP packet from side (0 client, 1 server). */
static void packet(struct conv *cv, int side, unsigned flags, const uint8_t *data, size_t len)
{
    static const size_t hdr = 14 + 20 + 20;
    uint8_t pkt[14 + 20 + 20 + MSS];
    memset(pkt, 0, hdr);
    memcpy(pkt, side ? client_mac : server_mac, 6);
    memcpy(pkt + 6, side ? server_mac : client_mac, 6);
    put16(pkt + 12, 0x0800);
    uint8_t *ip = pkt + 14, *tcp = ip + 20;
    ip[0] = 0x45;
    put16(ip + 2, (unsigned)(20 + 20 + len));
    put16(ip + 4, cv->ip_id++);
    put16(ip + 6, 0x4000); /* don't fragment */
    ip[8] = 64;
    ip[9] = 6;
    memcpy(ip + 12, side ? server_ip : client_ip, 4);
    memcpy(ip + 16, side ? client_ip : server_ip, 4);
    put16(ip + 10, fold(sum16(ip, 20, 0)));
    put16(tcp, side ? SERVER_PORT : cv->cport);
    put16(tcp + 2, side ? cv->cport : SERVER_PORT);
    put32(tcp + 4, cv->seq[side]);
    put32(tcp + 8, (flags & TCP_ACK) ? cv->seq[!side] : 0);
    tcp[12] = 5u << 4;
    tcp[13] = (uint8_t)flags;
    put16(tcp + 14, 65535);
    if (len)
        memcpy(tcp + 20, data, len);
    /* TCP checksum over the pseudo-header, header and data. */
    uint8_t pseudo[12];
    memcpy(pseudo, ip + 12, 8);
    pseudo[8] = 0;
    pseudo[9] = 6;
    put16(pseudo + 10, (unsigned)(20 + len));
    put16(tcp + 16, fold(sum16(tcp, 20 + len, sum16(pseudo, 12, 0))));
    struct pcap_pkthdr h;
    memset(&h, 0, sizeof h);
    h.ts.tv_sec = TS_EPOCH + (time_t)(cv->frame / 1000u);
    h.ts.tv_usec = (suseconds_t)((cv->frame % 1000u) * 1000u);
    h.caplen = h.len = (bpf_u_int32)(hdr + len);
    pcap_dump((u_char *)cv->out, &h, pkt);
    cv->frame++;
    cv->st->frames++;
    cv->seq[side] += (uint32_t)len + ((flags & (TCP_SYN | TCP_FIN)) ? 1u : 0u);
}

static void handshake(struct conv *cv)
{
    packet(cv, 0, TCP_SYN, NULL, 0);
    packet(cv, 1, TCP_SYN | TCP_ACK, NULL, 0);
    packet(cv, 0, TCP_ACK, NULL, 0);
}

static void send_bytes(struct conv *cv, int side, const uint8_t *p, size_t len)
{
    while (len) {
        size_t n = len < MSS ? len : MSS;
        packet(cv, side, TCP_ACK | TCP_PSH, p, n);
        p += n;
        len -= n;
    }
}

/* A record is written when its bytes are all there: the header's length matches. */
static int writable(const struct td_event *e)
{
    if (e->kind != TD_EV_RECORD || !e->data || e->len < 5)
        return 0;
    if (e->flags & (TD_EVF_TRUNCATED | TD_EVF_RECONSTRUCTED))
        return 0;
    if (e->from != TD_ACTOR_CLIENT && e->from != TD_ACTOR_SERVER)
        return 0;
    return e->len == 5u + ((size_t)e->data[3] << 8 | e->data[4]);
}

static void conversation(struct conv *cv, const struct td_transcript *t)
{
    int started = 0;
    for (size_t i = 0; i < t->n_ev; i++) {
        const struct td_event *e = &t->ev[i];
        if (e->kind != TD_EV_RECORD)
            continue;
        if (!writable(e)) {
            cv->st->skipped++;
            continue;
        }
        if (!started) {
            handshake(cv);
            started = 1;
            cv->st->conversations++;
        }
        send_bytes(cv, e->from == TD_ACTOR_SERVER, e->data, e->len);
        cv->st->records++;
    }
}

struct td_capture_writer {
    pcap_t *dead;
    struct conv cv;
    size_t n;                          /* conversations started (for ports and sequence numbers) */
    struct td_capture_write_stats st;
};

enum td_err td_capture_writer_open(const char *path, struct td_capture_writer **out,
                                   struct td_buf *errmsg)
{
    *out = NULL;
    if (!path)
        return TD_ERR_ARG;
    struct td_capture_writer *w = calloc(1, sizeof *w);
    if (!w)
        return TD_ERR_NOMEM;
    w->dead = pcap_open_dead(DLT_EN10MB, 65535);
    if (!w->dead) {
        free(w);
        return TD_ERR_NOMEM;
    }
    w->cv.out = pcap_dump_open(w->dead, path);
    if (!w->cv.out) {
        if (errmsg) {
            td_buf_reset(errmsg);
            td_buf_printf(errmsg, "%s", pcap_geterr(w->dead));
        }
        pcap_close(w->dead);
        free(w);
        return TD_ERR_IO;
    }
    w->cv.st = &w->st;
    *out = w;
    return TD_OK;
}

void td_capture_writer_add(struct td_capture_writer *w, const struct td_transcript *t)
{
    size_t i = w->st.conversations; /* numbered by conversations actually written */
    w->n++;
    w->cv.cport = (uint16_t)(CLIENT_PORT0 + i % 16000u);
    w->cv.seq[0] = 0x10000000u + (uint32_t)i * 0x01000000u;
    w->cv.seq[1] = 0x80000000u + (uint32_t)i * 0x01000000u;
    conversation(&w->cv, t);
}

enum td_err td_capture_writer_close(struct td_capture_writer *w,
                                    struct td_capture_write_stats *stats)
{
    if (!w)
        return TD_ERR_ARG;
    enum td_err e = pcap_dump_flush(w->cv.out) != 0 ? TD_ERR_IO : TD_OK;
    pcap_dump_close(w->cv.out);
    pcap_close(w->dead);
    if (stats)
        *stats = w->st;
    free(w);
    return e;
}

enum td_err td_capture_write_pcap(const struct td_transcript *t, size_t n, const char *path,
                                  struct td_capture_write_stats *stats, struct td_buf *errmsg)
{
    if (stats)
        memset(stats, 0, sizeof *stats);
    if (!t && n)
        return TD_ERR_ARG;
    struct td_capture_writer *w;
    enum td_err e = td_capture_writer_open(path, &w, errmsg);
    if (e != TD_OK)
        return e;
    for (size_t i = 0; i < n; i++)
        td_capture_writer_add(w, &t[i]);
    e = td_capture_writer_close(w, stats);
    if (e != TD_OK && errmsg) {
        td_buf_reset(errmsg);
        td_buf_printf(errmsg, "writing %s failed", path);
    }
    return e;
}
