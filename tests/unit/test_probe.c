/* test_probe.c -- the probe without sockets: ClientHellos read back by the wire layer, the flight
 * reader fed synthesised server bytes (whole and byte by byte), and the enumeration driven by a
 * simulated server whose configuration the result must reproduce exactly. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "tlsdoctor/probe.h"
#include "tlsdoctor/wire.h"

static const uint8_t hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

/* ---- small writers for server bytes ---- */

struct out {
    uint8_t p[8192];
    size_t n;
};

static void o8(struct out *o, unsigned v) { o->p[o->n++] = (uint8_t)v; }
static void o16(struct out *o, unsigned v) { o8(o, v >> 8); o8(o, v & 0xff); }
static void o24(struct out *o, unsigned v) { o8(o, v >> 16); o16(o, v & 0xffff); }
static void obytes(struct out *o, const void *p, size_t n) { memcpy(o->p + o->n, p, n); o->n += n; }

/* Wraps o's bytes from `from` into a handshake record in place (prepends the record header). */
static void wrap_record(struct out *o, size_t from, uint8_t type)
{
    size_t len = o->n - from;
    memmove(o->p + from + 5, o->p + from, len);
    o->p[from] = type;
    o->p[from + 1] = 3;
    o->p[from + 2] = 3;
    o->p[from + 3] = (uint8_t)(len >> 8);
    o->p[from + 4] = (uint8_t)len;
    o->n += 5;
}

/* ServerHello (or HRR) handshake message; share_len 0 with tls13 = HRR-style key_share. */
static void server_hello(struct out *o, uint16_t version, uint16_t suite, int hrr, uint16_t group)
{
    size_t start = o->n;
    o8(o, 2);
    o24(o, 0);
    o16(o, 0x0303);
    if (hrr)
        obytes(o, hrr_random, 32);
    else
        for (int i = 0; i < 32; i++)
            o8(o, (unsigned)i);
    o8(o, 0);
    o16(o, suite);
    o8(o, 0);
    size_t ext = o->n;
    o16(o, 0);
    if (version == 0x0304) {
        o16(o, 0x002b); o16(o, 2); o16(o, 0x0304);
        o16(o, 0x0033);
        if (hrr) {
            o16(o, 2); o16(o, group);
        } else {
            o16(o, 36); o16(o, group); o16(o, 32);
            for (int i = 0; i < 32; i++)
                o8(o, 9);
        }
    } else {
        o16(o, 0x0017); o16(o, 0); /* extended_master_secret */
    }
    size_t el = o->n - ext - 2;
    o->p[ext] = (uint8_t)(el >> 8);
    o->p[ext + 1] = (uint8_t)el;
    size_t ml = o->n - start - 4;
    o->p[start + 1] = (uint8_t)(ml >> 16);
    o->p[start + 2] = (uint8_t)(ml >> 8);
    o->p[start + 3] = (uint8_t)ml;
    if (version < 0x0304) {
        o->p[start + 4] = (uint8_t)(version >> 8);
        o->p[start + 5] = (uint8_t)version;
    }
}

/* TLS 1.2 rest of flight: a 1-certificate Certificate, ECDHE ServerKeyExchange, ServerHelloDone. */
static void tls12_rest(struct out *o, uint16_t group, uint16_t sigalg)
{
    o8(o, 11); o24(o, 3 + 3 + 4); o24(o, 3 + 4); o24(o, 4); o16(o, 0x3082); o16(o, 0x0000);
    o8(o, 12); o24(o, 1 + 2 + 2 + 2 + 2); o8(o, 3); o16(o, group); o8(o, 1); o8(o, 4);
    o16(o, sigalg); o16(o, 0);
    o8(o, 14); o24(o, 0);
}

static void build_hello(struct td_hello_spec *s, struct td_buf *hello, struct td_probe_keys *k)
{
    td_buf_init(hello, 65536);
    td_probe_keys_init(k);
    assert_int_equal(td_probe_hello_build(s, k, hello), TD_OK);
}

static void hello_reads_back(void **state)
{
    (void)state;
    struct td_hello_spec s;
    td_probe_spec_default(&s);
    strcpy(s.sni, "lab.test");
    strcpy(s.alpn, "h2,http/1.1");
    s.mfl = 1;
    s.flags |= TD_HELLO_ETM | TD_HELLO_STATUS_REQUEST;
    struct td_buf h;
    struct td_probe_keys k;
    build_hello(&s, &h, &k);
    const uint8_t *p = (const uint8_t *)h.p;
    assert_int_equal(p[0], 22);
    assert_int_equal((size_t)(p[3] << 8 | p[4]) + 5, h.len);
    struct td_client_hello ch;
    size_t off = 0;
    assert_int_equal(td_wire_parse_client_hello(p + 9, h.len - 9, &ch, &off), TD_OK);
    assert_int_equal(ch.suites.n, s.n_suites);
    assert_true(ch.x.has_sni);
    assert_int_equal(ch.x.sni.len, 8);
    assert_memory_equal(ch.x.sni.p, "lab.test", 8);
    assert_int_equal(ch.x.groups.n, s.n_groups);
    assert_int_equal(ch.x.sigalgs.n, s.n_sigalgs);
    assert_int_equal(ch.x.versions.n, 4);
    assert_int_equal(td_u16_at(ch.x.versions, 0), 0x0304);
    assert_int_equal(ch.x.key_share_groups.n, 2);
    assert_int_equal(td_u16_at(ch.x.key_share_groups, 0), 0x001d);
    assert_int_equal(k.n, 2);
    assert_true(ch.x.has_mfl);
    assert_int_equal(ch.x.mfl, 1);
    assert_true(ch.x.has_alpn);
    assert_true(ch.x.has_ems && ch.x.has_etm && ch.x.has_reneg_info && ch.x.has_status_request);
    td_probe_keys_free(&k);
    td_buf_free(&h);
}

/* Feeds bytes to a fresh flight (whole or one at a time) and returns its answer. */
static void run_flight(const uint8_t *b, size_t n, int bytewise, enum td_probe_outcome end,
                       struct td_probe_answer *a)
{
    struct td_hello_spec s;
    td_probe_spec_default(&s);
    s.n_shares = 0;
    struct td_buf h;
    struct td_probe_keys k;
    build_hello(&s, &h, &k);
    struct td_flight f;
    assert_int_equal(td_flight_init(&f, (const uint8_t *)h.p, h.len, &k, TD_WANT_CERT), TD_OK);
    enum td_flight_status st = TD_FLIGHT_MORE;
    for (size_t i = 0; i < n && st == TD_FLIGHT_MORE; i += bytewise ? 1 : n)
        st = td_flight_push(&f, b + i, bytewise ? 1 : n);
    if (st == TD_FLIGHT_MORE)
        td_flight_end(&f, end, TD_ERR_TIMEOUT, "2.0 s");
    td_flight_take(&f, a);
    td_probe_keys_free(&k);
    td_buf_free(&h);
}

static void expect_sentence(const struct td_probe_answer *a, const char *want)
{
    struct td_buf b;
    td_buf_init(&b, 0);
    td_probe_answer_describe(a, &b);
    assert_string_equal(b.p, want);
    td_buf_free(&b);
}

static void flight_classifies_answers(void **state)
{
    (void)state;
    struct td_probe_answer a;
    const uint8_t alert[] = {21, 3, 3, 0, 2, 2, 112};
    for (int bw = 0; bw < 2; bw++) {
        run_flight(alert, sizeof alert, bw, TD_PO_CLOSED, &a);
        assert_int_equal(a.outcome, TD_PO_ALERT);
        assert_int_equal(a.alert_desc, 112);
        expect_sentence(&a, "the server sent a fatal alert 112 (unrecognized_name)");
        td_probe_answer_free(&a);
    }
    const uint8_t garbage[] = "SSH-2.0-OpenSSH";
    run_flight(garbage, 15, 1, TD_PO_CLOSED, &a);
    assert_int_equal(a.outcome, TD_PO_GARBAGE);
    assert_int_equal(a.bytes, 1); /* recognised at the first byte */
    td_probe_answer_free(&a);
    const uint8_t big[] = {22, 3, 3, 0x48, 0x01};
    run_flight(big, sizeof big, 0, TD_PO_CLOSED, &a);
    assert_int_equal(a.outcome, TD_PO_OVERSIZED);
    assert_int_equal(a.oversized_len, 0x4801);
    td_probe_answer_free(&a);
    run_flight(alert, 3, 0, TD_PO_TIMEOUT, &a);
    expect_sentence(&a, "the server sent only 3 bytes in 2.0 s and did not complete its answer");
    td_probe_answer_free(&a);
    run_flight(NULL, 0, 0, TD_PO_CLOSED, &a);
    expect_sentence(&a, "the server closed the connection without sending anything");
    td_probe_answer_free(&a);
}

static void flight_reads_tls12_flight(void **state)
{
    (void)state;
    struct out o = {.n = 0};
    server_hello(&o, 0x0303, 0xc02f, 0, 0);
    tls12_rest(&o, 0x0018, 0x0804);
    wrap_record(&o, 0, 22);
    for (int bw = 0; bw < 2; bw++) {
        struct td_probe_answer a;
        run_flight(o.p, o.n, bw, TD_PO_CLOSED, &a);
        assert_int_equal(a.outcome, TD_PO_SERVER_HELLO);
        assert_int_equal(a.version, 0x0303);
        assert_int_equal(a.suite, 0xc02f);
        assert_int_equal(a.group, 0x0018);
        assert_int_equal(a.ske_sigalg, 0x0804);
        assert_int_equal(a.n_certs, 1);
        assert_int_equal(a.certs[0].len, 4);
        assert_true(td_probe_answer_has_ext(&a, 0x0017));
        td_probe_answer_free(&a);
    }
    /* a suite the ClientHello did not offer */
    o.n = 0;
    server_hello(&o, 0x0303, 0x0000, 0, 0);
    wrap_record(&o, 0, 22);
    struct td_probe_answer a;
    run_flight(o.p, o.n, 0, TD_PO_CLOSED, &a);
    assert_int_equal(a.outcome, TD_PO_VIOLATION);
    expect_sentence(&a, "the server chose cipher suite 0x0000 (TLS_NULL_WITH_NULL_NULL), which the ClientHello did not offer");
    td_probe_answer_free(&a);
    /* HelloRetryRequest names the group */
    o.n = 0;
    server_hello(&o, 0x0304, 0x1301, 1, 0x0100);
    wrap_record(&o, 0, 22);
    run_flight(o.p, o.n, 0, TD_PO_CLOSED, &a);
    assert_int_equal(a.outcome, TD_PO_HRR);
    assert_int_equal(a.group, 0x0100);
    assert_int_equal(a.suite, 0x1301);
    td_probe_answer_free(&a);
}

/* ---- a simulated server for the enumeration ---- */

struct sim {
    uint16_t v12_min;            /* lowest version <= 1.2 it accepts (0: none) */
    int tls13;
    const uint16_t *suites;      /* server preference, all versions */
    const uint16_t *groups;      /* server preference */
    const uint16_t *sigalgs12;
    int require_sni;             /* alert 80 without SNI, like Go */
};

static int in_list(struct td_u16_list l, uint16_t v)
{
    for (size_t i = 0; i < l.n; i++)
        if (td_u16_at(l, i) == v)
            return 1;
    return 0;
}

static uint16_t pick(const uint16_t *pref, struct td_u16_list offered)
{
    for (size_t i = 0; pref[i]; i++)
        if (in_list(offered, pref[i]))
            return pref[i];
    return 0;
}

static void sim_alert(struct out *o, uint8_t desc)
{
    const uint8_t a[] = {21, 3, 3, 0, 2, 2, desc};
    obytes(o, a, sizeof a);
}

static void sim_answer(const struct sim *sv, const struct td_probe_req *r, struct out *o)
{
    struct td_client_hello ch;
    size_t off;
    const uint8_t *p = (const uint8_t *)r->hello.p;
    o->n = 0;
    assert_int_equal(td_wire_parse_client_hello(p + 9, r->hello.len - 9, &ch, &off), TD_OK);
    if (sv->require_sni && !ch.x.has_sni)
        return sim_alert(o, 80);
    if (ch.x.has_versions && in_list(ch.x.versions, 0x0304) && sv->tls13) {
        uint16_t s = 0, g = pick(sv->groups, ch.x.groups);
        for (size_t i = 0; sv->suites[i]; i++)
            if (sv->suites[i] >> 8 == 0x13 && in_list(ch.suites, sv->suites[i])) {
                s = sv->suites[i];
                break;
            }
        if (!s || !g)
            return sim_alert(o, 40);
        server_hello(o, 0x0304, s, !in_list(ch.x.key_share_groups, g), g);
        return wrap_record(o, 0, 22);
    }
    uint16_t v = ch.legacy_version > 0x0303 ? 0x0303 : ch.legacy_version;
    if (!sv->v12_min || v < sv->v12_min)
        return sim_alert(o, 70);
    uint16_t s = 0;
    for (size_t i = 0; sv->suites[i]; i++)
        if (sv->suites[i] >> 8 != 0x13 && in_list(ch.suites, sv->suites[i])) {
            s = sv->suites[i];
            break;
        }
    uint16_t g = pick(sv->groups, ch.x.groups), sa = pick(sv->sigalgs12, ch.x.sigalgs);
    if (!s || !g || (v == 0x0303 && !sa))
        return sim_alert(o, 40);
    server_hello(o, v, s, 0, 0);
    tls12_rest(o, g, sa);
    wrap_record(o, 0, 22);
}

static size_t run_enum(const struct sim *sv, const char *sni, struct td_probe_enum *e)
{
    assert_int_equal(td_probe_enum_init(e, sni), TD_OK);
    size_t rounds = 0;
    for (;;) {
        struct td_probe_req *reqs;
        size_t n;
        const char *phase;
        assert_int_equal(td_probe_enum_next(e, &reqs, &n, &phase), TD_OK);
        if (!n)
            break;
        assert_true(++rounds < 100);
        for (size_t i = 0; i < n; i++) {
            struct out o;
            sim_answer(sv, &reqs[i], &o);
            struct td_flight f;
            assert_int_equal(td_flight_init(&f, (const uint8_t *)reqs[i].hello.p,
                                            reqs[i].hello.len, &reqs[i].keys, reqs[i].want),
                             TD_OK);
            if (td_flight_push(&f, o.p, o.n) == TD_FLIGHT_MORE)
                td_flight_end(&f, TD_PO_CLOSED, TD_ERR_PEER_CLOSED, NULL);
            td_flight_take(&f, &reqs[i].ans);
        }
        td_probe_enum_feed(e);
    }
    return rounds;
}

static void enum_finds_configuration(void **state)
{
    (void)state;
    static const uint16_t suites[] = {0x1302, 0xc030, 0x1301, 0xc02f, 0x009c, 0};
    static const uint16_t groups[] = {0x001d, 0x0017, 0x0101, 0};
    static const uint16_t sigalgs[] = {0x0804, 0x0401, 0x0403, 0};
    struct sim sv = {.v12_min = 0x0303, .tls13 = 1, .suites = suites, .groups = groups,
                     .sigalgs12 = sigalgs, .require_sni = 1};
    struct td_probe_enum e;
    run_enum(&sv, "lab.test", &e);
    const struct td_probe_result *r = &e.res;
    assert_true(r->ver[4].supported && r->ver[3].supported);
    assert_false(r->ver[2].supported || r->ver[1].supported || r->ver[0].supported);
    assert_string_equal(r->ver[2].refusal, "the server sent a fatal alert 70 (protocol_version)");
    assert_int_equal(r->ver[4].n_suites, 2);
    assert_int_equal(r->ver[4].suites[0], 0x1302);
    assert_int_equal(r->ver[4].suites[1], 0x1301);
    assert_int_equal(r->ver[4].server_order, 1);
    assert_int_equal(r->ver[3].n_suites, 3);
    assert_int_equal(r->ver[3].suites[0], 0xc030);
    assert_int_equal(r->ver[3].suites[2], 0x009c);
    assert_int_equal(r->n_groups13, 3);
    assert_int_equal(r->groups13[0], 0x001d);
    assert_int_equal(r->groups13[2], 0x0101);
    assert_int_equal(r->n_groups12, 3);
    assert_int_equal(r->n_sigalgs12, 3);
    assert_int_equal(r->sigalgs12[0], 0x0804);
    assert_int_equal(r->sigalgs12[2], 0x0403);
    assert_int_equal(r->n_sni_cases, 3);
    assert_int_equal(r->sni_cases[0].outcome, TD_PO_SERVER_HELLO);
    assert_int_equal(r->sni_cases[1].outcome, TD_PO_ALERT);
    assert_int_equal(r->sni_cases[1].alert_desc, 80);
    assert_int_equal(r->sni_cases[2].outcome, TD_PO_SERVER_HELLO);
    /* few connections: the elimination costs about one per value found */
    assert_true(r->connections <= 40);
    struct td_buf b;
    td_buf_init(&b, 0);
    assert_int_equal(td_probe_render_json(r, "127.0.0.1", 443, NULL, &b), TD_OK);
    assert_non_null(strstr(b.p, "\"schema\":\t\"tlsdoctor.probe/1\""));
    td_buf_free(&b);
    td_probe_enum_free(&e);
}

static void enum_stops_when_nothing_answers(void **state)
{
    (void)state;
    static const uint16_t none[] = {0};
    struct sim sv = {.suites = none, .groups = none, .sigalgs12 = none};
    struct td_probe_enum e;
    assert_int_equal(run_enum(&sv, NULL, &e), 1);
    /* TLS 1.3, up to 1.2 and up to 1.1 (which covers 1.0 and SSL 3.0 too) */
    assert_int_equal(e.res.connections, 3);
    for (int i = 0; i < 5; i++)
        assert_true(e.res.ver[i].tested && !e.res.ver[i].supported);
    assert_string_equal(e.res.ver[0].refusal,
                        "the server sent a fatal alert 70 (protocol_version) (to a ClientHello offering up to TLS 1.1)");
    td_probe_enum_free(&e);
}

static void enum_walks_down_old_versions(void **state)
{
    (void)state;
    static const uint16_t suites[] = {0xc013, 0x002f, 0};
    static const uint16_t groups[] = {0x0017, 0};
    static const uint16_t sigalgs[] = {0x0401, 0};
    struct sim sv = {.v12_min = 0x0301, .suites = suites, .groups = groups, .sigalgs12 = sigalgs};
    struct td_probe_enum e;
    run_enum(&sv, "lab.test", &e);
    const struct td_probe_result *r = &e.res;
    assert_false(r->ver[4].supported || r->ver[0].supported);
    assert_true(r->ver[3].supported && r->ver[2].supported && r->ver[1].supported);
    assert_int_equal(r->ver[1].n_suites, 2);
    assert_int_equal(r->ver[1].suites[0], 0xc013);
    assert_int_equal(r->ver[2].n_suites, 2);
    assert_int_equal(r->ver[3].n_suites, 2);
    td_probe_enum_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hello_reads_back),
        cmocka_unit_test(flight_classifies_answers),
        cmocka_unit_test(flight_reads_tls12_flight),
        cmocka_unit_test(enum_finds_configuration),
        cmocka_unit_test(enum_stops_when_nothing_answers),
        cmocka_unit_test(enum_walks_down_old_versions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
