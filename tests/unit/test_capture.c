/* test_capture.c -- the capture reader on captures built here (libpcap's dump API into memory):
 * reordered, retransmitted, overlapping and missing segments, a ClientHello split over three
 * segments, mid-stream starts, IPv6, VLAN, Linux cooked v1/v2, loopback and raw IP links, snaplen
 * cuts, truncated files, non-TCP and non-capture input, BPF filters, and the pcap writer. */
#define _DEFAULT_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <pcap/pcap.h>
#include "td_test.h"
#include "tlsdoctor/capture.h"

#define TF_FIN 0x01
#define TF_SYN 0x02
#define TF_RST 0x04
#define TF_PSH 0x08
#define TF_ACK 0x10

/* A capture under construction. */
struct gen {
    pcap_t *dead;
    pcap_dumper_t *d;
    FILE *mem;
    char *buf;
    size_t len;
    int dlt;
    int v6;
    int vlan;
    uint32_t snaplen;  /* cut frames to this many bytes (0: no cut) */
};

static void gen_open(struct gen *g, int dlt)
{
    memset(g, 0, sizeof *g);
    g->dlt = dlt;
    g->dead = pcap_open_dead(dlt, 65535);
    assert_non_null(g->dead);
    g->mem = open_memstream(&g->buf, &g->len);
    assert_non_null(g->mem);
    g->d = pcap_dump_fopen(g->dead, g->mem);
    assert_non_null(g->d);
}

static void gen_close(struct gen *g)
{
    pcap_dump_close(g->d); /* closes the memstream: buf/len are final */
    pcap_close(g->dead);
}

static size_t put_link(const struct gen *g, uint8_t *p)
{
    unsigned et = g->v6 ? 0x86dd : 0x0800;
    switch (g->dlt) {
    case DLT_EN10MB: {
        memset(p, 0x02, 12);
        size_t n = 12;
        if (g->vlan) {
            p[n++] = 0x81; p[n++] = 0x00; p[n++] = 0x00; p[n++] = 0x2a;
        }
        p[n++] = (uint8_t)(et >> 8); p[n++] = (uint8_t)et;
        return n;
    }
    case DLT_LINUX_SLL:
        memset(p, 0, 16);
        p[14] = (uint8_t)(et >> 8); p[15] = (uint8_t)et;
        return 16;
    case DLT_LINUX_SLL2:
        memset(p, 0, 20);
        p[0] = (uint8_t)(et >> 8); p[1] = (uint8_t)et;
        return 20;
    case DLT_NULL: { /* host byte order, as BSD writes it */
        uint32_t fam = g->v6 ? 30 : 2;
        memcpy(p, &fam, 4);
        return 4;
    }
    default: /* DLT_RAW */
        return 0;
    }
}

/* Writes one TCP segment from the client (side 0: 10.0.0.1 / fd00::1 port 40000) or the server
 * (side 1: 10.0.0.2 / fd00::2 port 8443). */
static void seg(struct gen *g, int side, uint32_t seq, unsigned flags, const uint8_t *data, size_t len)
{
    uint8_t pkt[4096];
    size_t n = put_link(g, pkt);
    uint8_t *ip = pkt + n;
    size_t iphl = g->v6 ? 40 : 20;
    memset(ip, 0, iphl + 20);
    if (g->v6) {
        ip[0] = 0x60;
        ip[4] = (uint8_t)((20 + len) >> 8); ip[5] = (uint8_t)(20 + len);
        ip[6] = 6; ip[7] = 64;
        ip[8] = 0xfd; ip[23] = (uint8_t)(side ? 2 : 1);
        ip[24] = 0xfd; ip[39] = (uint8_t)(side ? 1 : 2);
    } else {
        ip[0] = 0x45;
        ip[2] = (uint8_t)((40 + len) >> 8); ip[3] = (uint8_t)(40 + len);
        ip[8] = 64; ip[9] = 6;
        ip[12] = 10; ip[15] = (uint8_t)(side ? 2 : 1);
        ip[16] = 10; ip[19] = (uint8_t)(side ? 1 : 2);
    }
    uint8_t *tcp = ip + iphl;
    unsigned sp = side ? 8443 : 40000, dp = side ? 40000 : 8443;
    tcp[0] = (uint8_t)(sp >> 8); tcp[1] = (uint8_t)sp;
    tcp[2] = (uint8_t)(dp >> 8); tcp[3] = (uint8_t)dp;
    tcp[4] = (uint8_t)(seq >> 24); tcp[5] = (uint8_t)(seq >> 16);
    tcp[6] = (uint8_t)(seq >> 8); tcp[7] = (uint8_t)seq;
    tcp[12] = 0x50;
    tcp[13] = (uint8_t)flags;
    if (len)
        memcpy(tcp + 20, data, len);
    struct pcap_pkthdr h;
    memset(&h, 0, sizeof h);
    h.len = (bpf_u_int32)(n + iphl + 20 + len);
    h.caplen = g->snaplen && g->snaplen < h.len ? g->snaplen : h.len;
    pcap_dump((u_char *)g->d, &h, pkt);
}

/* A fake ClientHello record of n bytes (header included): handshake type 1, then a counter. */
static void client_hello(uint8_t *p, size_t n)
{
    p[0] = 22; p[1] = 3; p[2] = 1;
    p[3] = (uint8_t)((n - 5) >> 8); p[4] = (uint8_t)(n - 5);
    p[5] = 1; p[6] = 0;
    p[7] = (uint8_t)((n - 9) >> 8); p[8] = (uint8_t)(n - 9);
    for (size_t i = 9; i < n; i++)
        p[i] = (uint8_t)(i * 7);
}

static const uint8_t alert80[7] = {21, 3, 3, 0, 2, 2, 80};

static void read_gen(struct gen *g, const char *filter, struct td_capture *c)
{
    td_capture_init(c);
    struct td_capture_opts o = {.filter = filter};
    assert_int_equal(td_capture_read((const uint8_t *)g->buf, g->len, &o, c, NULL), TD_OK);
}

static void handshake(struct gen *g, uint32_t cisn, uint32_t sisn)
{
    seg(g, 0, cisn, TF_SYN, NULL, 0);
    seg(g, 1, sisn, TF_SYN | TF_ACK, NULL, 0);
    seg(g, 0, cisn + 1, TF_ACK, NULL, 0);
}

/* The connection every link test uses: handshake, a 300-byte ClientHello, the server's alert. */
static void simple_conn(struct gen *g, uint8_t *ch)
{
    client_hello(ch, 300);
    handshake(g, 1000, 5000);
    seg(g, 0, 1001, TF_ACK | TF_PSH, ch, 300);
    seg(g, 1, 5001, TF_ACK | TF_PSH, alert80, 7);
    seg(g, 1, 5008, TF_ACK | TF_FIN, NULL, 0);
}

/* A whole capture file of link type dlt holding simple_conn. */
static void simple_file(struct gen *g, int dlt, uint8_t *ch)
{
    gen_open(g, dlt);
    simple_conn(g, ch);
    gen_close(g);
}

static void check_simple(const struct td_capture *c, const uint8_t *ch)
{
    assert_int_equal(c->set.n, 1);
    const struct td_transcript *t = &c->set.t[0];
    assert_int_equal(t->origin, TD_ORIGIN_CAPTURE);
    assert_true(t->n_ev >= 3);
    assert_int_equal(t->ev[0].kind, TD_EV_RECORD);
    assert_int_equal(t->ev[0].from, TD_ACTOR_CLIENT);
    assert_int_equal(t->ev[0].line, 4);
    assert_int_equal(t->ev[0].len, 300);
    assert_memory_equal(t->ev[0].data, ch, 300);
    assert_int_equal(t->ev[1].kind, TD_EV_RECORD);
    assert_int_equal(t->ev[1].from, TD_ACTOR_SERVER);
    assert_int_equal(t->ev[2].kind, TD_EV_ALERT);
    assert_int_equal(t->ev[2].from, TD_ACTOR_SERVER);
    assert_int_equal(t->ev[2].a, 2);
    assert_int_equal(t->ev[2].b, 80);
    assert_int_equal(t->ev[2].line, 5);
    assert_int_equal(c->conn[0].server_port, 8443);
    assert_int_equal(c->conn[0].client_port, 40000);
    assert_true(c->conn[0].client_known);
    assert_int_equal(t->stop, TD_STOP_COMPLETE);
}

static void link_case(int dlt, int v6, int vlan)
{
    struct gen g;
    uint8_t ch[300];
    gen_open(&g, dlt);
    g.v6 = v6;
    g.vlan = vlan;
    simple_conn(&g, ch);
    gen_close(&g);
    struct td_capture c;
    read_gen(&g, NULL, &c);
    assert_int_equal(c.linktype, dlt);
    check_simple(&c, ch);
    assert_int_equal(c.conn[0].family, v6 ? 6 : 4);
    td_capture_free(&c);
    free(g.buf);
}

static void links_ethernet_v4_v6_vlan(void **state)
{
    (void)state;
    link_case(DLT_EN10MB, 0, 0);
    link_case(DLT_EN10MB, 1, 0);
    link_case(DLT_EN10MB, 0, 1);
    link_case(DLT_EN10MB, 1, 1);
}

static void links_cooked_loopback_raw(void **state)
{
    (void)state;
    link_case(DLT_LINUX_SLL, 0, 0);
    link_case(DLT_LINUX_SLL2, 0, 0);
    link_case(DLT_LINUX_SLL2, 1, 0);
    link_case(DLT_NULL, 0, 0);
    link_case(DLT_NULL, 1, 0);
    link_case(DLT_RAW, 0, 0);
    link_case(DLT_RAW, 1, 0);
}

/* The ClientHello in three segments sent 3, 1, 2, then 1 again (retransmitted), plus an
 * overlapping segment covering the end of 1 and the start of 2. */
static void hello_split_reordered_retransmitted(void **state)
{
    (void)state;
    struct gen g;
    uint8_t ch[600];
    client_hello(ch, sizeof ch);
    gen_open(&g, DLT_EN10MB);
    handshake(&g, 0xfffffff0u, 77); /* sequence numbers wrap inside the hello */
    uint32_t s0 = 0xfffffff1u;
    seg(&g, 0, s0 + 400, TF_ACK | TF_PSH, ch + 400, 200);  /* frame 4: third part */
    seg(&g, 0, s0, TF_ACK, ch, 200);                         /* frame 5: first part */
    seg(&g, 0, s0 + 150, TF_ACK, ch + 150, 100);             /* frame 6: overlap */
    seg(&g, 0, s0 + 200, TF_ACK, ch + 200, 200);             /* frame 7: second part */
    seg(&g, 0, s0, TF_ACK, ch, 200);                         /* frame 8: retransmission */
    seg(&g, 1, 78, TF_ACK | TF_PSH, alert80, 7);             /* frame 9 */
    gen_close(&g);
    struct td_capture c;
    read_gen(&g, NULL, &c);
    assert_int_equal(c.set.n, 1);
    const struct td_transcript *t = &c.set.t[0];
    assert_int_equal(t->ev[0].kind, TD_EV_RECORD);
    assert_int_equal(t->ev[0].from, TD_ACTOR_CLIENT);
    assert_int_equal(t->ev[0].len, sizeof ch);
    assert_memory_equal(t->ev[0].data, ch, sizeof ch);
    assert_int_equal(t->ev[0].flags & TD_EVF_TRUNCATED, 0);
    assert_int_equal(t->ev[0].line, 5);
    assert_int_equal(t->ev[0].line_end, 7);
    assert_int_equal(c.conn[0].missing[0], 0);
    assert_int_equal(c.conn[0].flags & TD_CAPF_GAP, 0);
    assert_int_equal(t->ev[2].kind, TD_EV_ALERT);
    assert_int_equal(t->ev[2].b, 80);
    td_capture_free(&c);
    free(g.buf);
}

/* A segment of the server's flight is missing: the cut record is marked truncated, the bytes are
 * not invented, and the record after the gap is still found (its start is known). */
static void gap_marks_truncation(void **state)
{
    (void)state;
    struct gen g;
    uint8_t ch[200], cert[1000];
    client_hello(ch, sizeof ch);
    client_hello(cert, sizeof cert);
    cert[5] = 11;
    gen_open(&g, DLT_EN10MB);
    handshake(&g, 100, 900);
    seg(&g, 0, 101, TF_ACK | TF_PSH, ch, sizeof ch);
    seg(&g, 1, 901, TF_ACK, cert, 400);
    /* cert[400..700) never captured */
    uint8_t tail[300 + 7];
    memcpy(tail, cert + 700, 300);
    memcpy(tail + 300, alert80, 7);
    seg(&g, 1, 901 + 700, TF_ACK | TF_PSH, tail, sizeof tail);
    gen_close(&g);
    struct td_capture c;
    read_gen(&g, NULL, &c);
    assert_int_equal(c.set.n, 1);
    const struct td_transcript *t = &c.set.t[0];
    assert_int_equal(t->ev[1].kind, TD_EV_RECORD);
    assert_int_equal(t->ev[1].from, TD_ACTOR_SERVER);
    assert_int_equal(t->ev[1].len, 400);
    assert_true(t->ev[1].flags & TD_EVF_TRUNCATED);
    int alert = 0, gap_note = 0;
    for (size_t i = 0; i < t->n_ev; i++) {
        alert |= t->ev[i].kind == TD_EV_ALERT && t->ev[i].b == 80;
        gap_note |= t->ev[i].kind == TD_EV_MESSAGE && t->ev[i].text &&
                    strstr(t->ev[i].text, "300 bytes") != NULL;
    }
    assert_true(alert);
    assert_true(gap_note);
    assert_int_equal(c.conn[0].missing[1], 300);
    assert_true(c.conn[0].flags & TD_CAPF_GAP);
    td_capture_free(&c);
    free(g.buf);
}

/* The capture starts inside the server's flight: boundaries are found again, the client is the
 * side that later sends a... nothing: the roles come from the ports (lower = server). */
static void midstream_resync(void **state)
{
    (void)state;
    struct gen g;
    uint8_t rec[500], buf[120 + 7 + 7];
    client_hello(rec, sizeof rec);
    rec[5] = 11;
    gen_open(&g, DLT_EN10MB);
    memcpy(buf, rec + 380, 120);          /* the last 120 bytes of a record */
    memcpy(buf + 120, alert80, 7);        /* then two complete records */
    memcpy(buf + 127, alert80, 7);
    seg(&g, 1, 123456, TF_ACK | TF_PSH, buf, sizeof buf);
    gen_close(&g);
    struct td_capture c;
    read_gen(&g, NULL, &c);
    assert_int_equal(c.set.n, 1);
    assert_true(c.conn[0].flags & TD_CAPF_MIDSTREAM);
    assert_true(c.conn[0].flags & TD_CAPF_RESYNC);
    assert_false(c.conn[0].client_known);
    assert_int_equal(c.conn[0].server_port, 8443);
    const struct td_transcript *t = &c.set.t[0];
    assert_int_equal(t->ev[0].kind, TD_EV_RECORD);
    assert_int_equal(t->ev[0].len, 7);
    assert_int_equal(t->ev[0].from, TD_ACTOR_SERVER);
    assert_int_equal(t->ev[1].kind, TD_EV_ALERT);
    td_capture_free(&c);
    free(g.buf);
}

/* Packets cut by the snapshot length: what was captured is kept, the rest marked. */
static void snaplen_cut(void **state)
{
    (void)state;
    struct gen g;
    uint8_t ch[300];
    client_hello(ch, sizeof ch);
    gen_open(&g, DLT_EN10MB);
    g.snaplen = 14 + 20 + 20 + 100;
    handshake(&g, 1, 2);
    seg(&g, 0, 2, TF_ACK | TF_PSH, ch, sizeof ch);
    gen_close(&g);
    struct td_capture c;
    read_gen(&g, NULL, &c);
    assert_int_equal(c.snap_cut, 1);
    assert_int_equal(c.set.n, 1);
    const struct td_transcript *t = &c.set.t[0];
    assert_int_equal(t->ev[0].len, 100);
    assert_true(t->ev[0].flags & TD_EVF_TRUNCATED);
    assert_memory_equal(t->ev[0].data, ch, 100);
    assert_true(c.conn[0].flags & TD_CAPF_SNAPLEN);
    assert_true(c.n_notes >= 1);
    assert_int_equal(t->stop, TD_STOP_MID_CLIENT_HELLO);
    td_capture_free(&c);
    free(g.buf);
}

/* Truncated files keep what came before; non-captures and empty input are refused clearly. */
static void bad_inputs(void **state)
{
    (void)state;
    struct gen g;
    uint8_t ch[300];
    simple_file(&g, DLT_EN10MB, ch);
    struct td_capture c;
    td_capture_init(&c);
    /* cut inside the last packet (the FIN, 54 bytes + 16 header) */
    assert_int_equal(td_capture_read((const uint8_t *)g.buf, g.len - 30, NULL, &c, NULL), TD_OK);
    assert_true(c.file_truncated);
    assert_int_equal(c.set.n, 1);
    assert_int_equal(c.frames, 5);
    assert_true(c.n_notes >= 1);
    td_capture_free(&c);
    /* every shorter prefix reads without failing hard */
    for (size_t n = 0; n < g.len; n += 7) {
        td_capture_init(&c);
        enum td_err e = td_capture_read((const uint8_t *)g.buf, n, NULL, &c, NULL);
        assert_true(e == TD_OK || e == TD_ERR_NOTHING_FOUND);
        td_capture_free(&c);
    }
    struct td_buf msg;
    td_buf_init(&msg, 0);
    const char *text = "ssl_tls.c:1234: |2| => handshake\n";
    td_capture_init(&c);
    assert_int_equal(td_capture_read((const uint8_t *)text, strlen(text), NULL, &c, &msg),
                     TD_ERR_NOTHING_FOUND);
    assert_non_null(strstr(msg.p, "not a pcap or pcapng capture"));
    td_capture_free(&c);
    td_capture_init(&c);
    assert_int_equal(td_capture_read(NULL, 0, NULL, &c, &msg), TD_ERR_NOTHING_FOUND);
    td_capture_free(&c);
    /* a filter that does not compile */
    td_capture_init(&c);
    struct td_capture_opts o = {.filter = "port port"};
    assert_int_equal(td_capture_read((const uint8_t *)g.buf, g.len, &o, &c, &msg), TD_ERR_SYNTAX);
    td_capture_free(&c);
    td_buf_free(&msg);
    free(g.buf);
}

/* UDP only: read, nothing found, a note says why. */
static void non_tcp(void **state)
{
    (void)state;
    struct gen g;
    gen_open(&g, DLT_RAW);
    uint8_t pkt[28] = {0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
                       0x30, 0x39, 0x01, 0xbb, 0, 8, 0, 0};
    struct pcap_pkthdr h;
    memset(&h, 0, sizeof h);
    h.len = h.caplen = sizeof pkt;
    pcap_dump((u_char *)g.d, &h, pkt);
    gen_close(&g);
    struct td_capture c;
    read_gen(&g, NULL, &c);
    assert_int_equal(c.frames, 1);
    assert_int_equal(c.tcp_frames, 0);
    assert_int_equal(c.set.n, 0);
    assert_int_equal(c.n_notes, 1);
    assert_non_null(strstr(c.notes[0], "TCP"));
    td_capture_free(&c);
    free(g.buf);
}

/* A BPF filter picks packets; frame numbers stay those of the file. */
static void filter_picks_packets(void **state)
{
    (void)state;
    struct gen g;
    uint8_t ch[300];
    simple_file(&g, DLT_EN10MB, ch);
    struct td_capture c;
    read_gen(&g, "tcp port 8443", &c);
    check_simple(&c, ch);
    td_capture_free(&c);
    read_gen(&g, "tcp port 9999", &c);
    assert_int_equal(c.set.n, 0);
    assert_int_equal(c.filtered, 6);
    td_capture_free(&c);
    free(g.buf);
}

/* Transcripts written with td_capture_write_pcap read back record for record. */
static void write_then_read(void **state)
{
    (void)state;
    struct gen g;
    uint8_t ch[300];
    simple_file(&g, DLT_LINUX_SLL2, ch);
    struct td_capture c, back;
    read_gen(&g, NULL, &c);
    char path[] = "/tmp/td_capture_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    struct td_capture_write_stats st;
    assert_int_equal(td_capture_write_pcap(c.set.t, c.set.n, path, &st, NULL), TD_OK);
    assert_int_equal(st.conversations, 1);
    assert_int_equal(st.records, 2);
    assert_int_equal(st.skipped, 0);
    assert_int_equal(st.frames, 5);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static uint8_t file[65536];
    size_t n = fread(file, 1, sizeof file, f);
    fclose(f);
    unlink(path);
    td_capture_init(&back);
    assert_int_equal(td_capture_read(file, n, NULL, &back, NULL), TD_OK);
    assert_int_equal(back.linktype, DLT_EN10MB);
    assert_int_equal(back.set.n, 1);
    assert_int_equal(back.conn[0].server_port, 443);
    const struct td_transcript *a = &c.set.t[0], *b = &back.set.t[0];
    size_t ra = 0, rb = 0;
    for (size_t i = 0; i < a->n_ev; i++)
        ra += a->ev[i].kind == TD_EV_RECORD;
    for (size_t i = 0; i < b->n_ev; i++) {
        if (b->ev[i].kind != TD_EV_RECORD)
            continue;
        const struct td_event *x = NULL;
        for (size_t j = 0, k = 0; j < a->n_ev; j++)
            if (a->ev[j].kind == TD_EV_RECORD && k++ == rb)
                x = &a->ev[j];
        assert_non_null(x);
        assert_int_equal(b->ev[i].from, x->from);
        assert_int_equal(b->ev[i].len, x->len);
        assert_memory_equal(b->ev[i].data, x->data, x->len);
        rb++;
    }
    assert_int_equal(ra, rb);
    assert_int_equal(td_capture_write_pcap(c.set.t, c.set.n, "/nonexistent/x.pcap", NULL, NULL),
                     TD_ERR_IO);
    td_capture_free(&back);
    td_capture_free(&c);
    free(g.buf);
}

/* The lab's founding-style capture reads with the expected roles and alert. */
static void lab_sni_missing(void **state)
{
    (void)state;
    char path[1024];
    td_test_corpus(path, sizeof path, "lab/sni_missing_caddy_m366/capture.pcap");
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("lab capture %s is missing", path);
    static uint8_t file[1 << 16];
    size_t n = fread(file, 1, sizeof file, f);
    fclose(f);
    struct td_capture c;
    td_capture_init(&c);
    assert_int_equal(td_capture_read(file, n, NULL, &c, NULL), TD_OK);
    assert_int_equal(c.set.n, 1);
    assert_int_equal(c.conn[0].server_port, 4400);
    const struct td_transcript *t = &c.set.t[0];
    /* First the connection's start time (the capture was taken on 2026-11-26), then the hello. */
    assert_true(t->n_ev >= 2);
    assert_int_equal(t->ev[0].kind, TD_EV_FACT);
    assert_int_equal(t->ev[0].fact, TD_FACT_SOURCE_TIME);
    assert_true(t->ev[0].code >= 1790000000 && t->ev[0].code < 1800000000);
    assert_int_equal(c.conn[0].start_time, t->ev[0].code);
    assert_int_equal(t->ev[1].from, TD_ACTOR_CLIENT);
    assert_int_equal(t->ev[1].data[5], 1);
    int found = 0;
    for (size_t i = 0; i < t->n_ev; i++)
        found |= t->ev[i].kind == TD_EV_ALERT && t->ev[i].from == TD_ACTOR_SERVER &&
                 t->ev[i].a == 2 && t->ev[i].b == 80;
    assert_true(found);
    td_capture_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(links_ethernet_v4_v6_vlan),
        cmocka_unit_test(links_cooked_loopback_raw),
        cmocka_unit_test(hello_split_reordered_retransmitted),
        cmocka_unit_test(gap_marks_truncation),
        cmocka_unit_test(midstream_resync),
        cmocka_unit_test(snaplen_cut),
        cmocka_unit_test(bad_inputs),
        cmocka_unit_test(non_tcp),
        cmocka_unit_test(filter_picks_packets),
        cmocka_unit_test(write_then_read),
        cmocka_unit_test(lab_sni_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
