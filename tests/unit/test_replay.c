/* test_replay.c -- the replay module against simulated servers: the editable ClientHello writes
 * the founding case's bytes back unchanged, edits change only what they say, and the search finds
 * the smallest change within 2*log2(candidates)+2 handshakes for single-cause servers (SNI, an
 * RSA-only server that needs RSA signature algorithms too, a server that only says yes or no,
 * a TLS 1.3-only server, a server that rejects max_fragment_length). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "td_founding.h"
#include "td_test.h"
#include "tlsdoctor/replay.h"
#include "tlsdoctor/wire.h"

static void load(const char *hex, struct td_replay_hello *h)
{
    uint8_t b[512];
    size_t n = td_test_unhex(hex, b, sizeof b);
    assert_int_equal(td_replay_hello_parse(b, n, h), TD_OK);
}

static void test_roundtrip(void **state)
{
    (void)state;
    const char *cases[] = {ch_log1, ch_log2};
    for (size_t i = 0; i < 2; i++) {
        uint8_t b[512];
        size_t n = td_test_unhex(cases[i], b, sizeof b);
        struct td_replay_hello h;
        assert_int_equal(td_replay_hello_parse(b, n, &h), TD_OK);
        struct td_buf out;
        td_buf_init(&out, 0);
        assert_int_equal(td_replay_hello_write(&h, &out), TD_OK);
        assert_int_equal(out.len, n);
        assert_memory_equal(out.p, b, n);
        /* a bare handshake message parses the same */
        struct td_replay_hello h2;
        assert_int_equal(td_replay_hello_parse(b + 5, n - 5, &h2), TD_OK);
        assert_int_equal(h2.n_suites, h.n_suites);
        assert_int_equal(h2.n_ext, h.n_ext);
        td_replay_hello_free(&h2);
        td_replay_hello_free(&h);
        td_buf_free(&out);
    }
    uint8_t bad[] = {0x16, 0x03, 0x01, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00};
    struct td_replay_hello h;
    assert_int_equal(td_replay_hello_parse(bad, sizeof bad, &h), TD_ERR_BAD_VALUE);
    assert_int_equal(td_replay_hello_parse(bad, 3, &h), TD_ERR_TRUNCATED);
}

static void test_prepare_keeps_all_but_random(void **state)
{
    (void)state;
    struct td_replay_hello h;
    load(ch_log2, &h);
    struct td_buf out;
    td_buf_init(&out, 0);
    struct td_probe_keys keys;
    td_probe_keys_init(&keys);
    assert_int_equal(td_replay_hello_prepare(&h, &keys, &out), TD_OK);
    uint8_t b[512];
    size_t n = td_test_unhex(ch_log2, b, sizeof b);
    assert_int_equal(out.len, n);
    /* header, version and gmt_unix_time identical; random bytes 15..42 fresh; rest identical */
    assert_memory_equal(out.p, b, 15);
    assert_memory_not_equal(out.p + 15, b + 15, 28);
    assert_memory_equal(out.p + 43, b + 43, n - 43);
    td_probe_keys_free(&keys);
    td_buf_free(&out);
    td_replay_hello_free(&h);
}

/* ---- simulated servers ---- */

enum sim_kind { SIM_NEEDS_SNI, SIM_RSA_ONLY, SIM_YES_NO_SUITE, SIM_TLS13_ONLY, SIM_NO_MFL, SIM_SNI_AND_RSA };

struct sim {
    enum sim_kind kind;
    uint16_t want;      /* SIM_YES_NO_SUITE: the one suite it takes */
    size_t calls;
};

static int list_has(struct td_u16_list l, uint16_t v)
{
    for (size_t i = 0; i < l.n; i++)
        if (td_u16_at(l, i) == v)
            return 1;
    return 0;
}

static void sim_exchange(void *ctx, struct td_probe_req *req)
{
    struct sim *s = ctx;
    s->calls++;
    struct td_client_hello ch;
    size_t off;
    const uint8_t *p = (const uint8_t *)req->hello.p;
    memset(&req->ans, 0, sizeof req->ans);
    assert_true(req->hello.len > 9);
    assert_int_equal(td_wire_parse_client_hello(p + 9, req->hello.len - 9, &ch, &off), TD_OK);
    uint16_t pick = 0;
    int ok = 0;
    uint8_t alert = 40;
    switch (s->kind) {
    case SIM_NEEDS_SNI:
        ok = ch.x.has_sni;
        alert = 80;
        pick = 0xc02b;
        break;
    case SIM_RSA_ONLY:
        for (size_t i = 0; i < ch.suites.n && !pick; i++) {
            uint16_t v = td_u16_at(ch.suites, i);
            if (v == 0xc02f || v == 0xc030)
                pick = v;
        }
        ok = pick && ch.x.has_sigalgs && list_has(ch.x.sigalgs, 0x0401);
        break;
    case SIM_YES_NO_SUITE:
        ok = list_has(ch.suites, s->want);
        pick = 0; /* does not say which */
        break;
    case SIM_TLS13_ONLY:
        ok = ch.x.has_versions && list_has(ch.x.versions, 0x0304) && ch.x.has_key_share;
        alert = 70;
        pick = 0x1301;
        break;
    case SIM_SNI_AND_RSA:
        pick = list_has(ch.suites, 0xc02f) ? 0xc02f : 0;
        ok = ch.x.has_sni && pick && list_has(ch.x.sigalgs, 0x0401);
        alert = ch.x.has_sni ? 40 : 80;
        break;
    case SIM_NO_MFL:
        ok = !ch.x.has_mfl;
        alert = 47;
        pick = 0xc02b;
        break;
    }
    if (ok) {
        req->ans.outcome = TD_PO_SERVER_HELLO;
        req->ans.suite = pick;
        req->ans.version = s->kind == SIM_TLS13_ONLY ? 0x0304 : 0x0303;
    } else {
        req->ans.outcome = TD_PO_ALERT;
        req->ans.alert_level = 2;
        req->ans.alert_desc = alert;
    }
}

static void run(const char *hex, struct sim *s, const char *sni, struct td_replay_result *res)
{
    struct td_replay_hello h;
    load(hex, &h);
    struct td_replay_opts o = {.sni = sni, .now = 1790000000, .mbedtls_major = 2};
    struct td_replay_io io = {.ctx = s, .exchange = sim_exchange};
    assert_int_equal(td_replay_run(&h, NULL, &o, &io, res), TD_OK);
    assert_int_equal(res->handshakes, s->calls);
    assert_true(res->handshakes <= res->bound);
    td_replay_hello_free(&h);
}

static void test_sni(void **state)
{
    (void)state;
    struct sim s = {.kind = SIM_NEEDS_SNI};
    struct td_replay_result res;
    run(ch_log2, &s, "device.example", &res);
    assert_true(res.found);
    assert_int_equal(res.handshakes, 2);
    assert_int_equal(res.n_fix, 1);
    assert_int_equal(res.fix[0].kind, TD_RC_SNI);
    assert_string_equal(res.fix[0].name, "device.example");
    assert_int_equal(res.steps[0].outcome, TD_PO_ALERT);
    assert_int_equal(res.steps[0].alert, 80);
    struct td_buf b;
    td_buf_init(&b, 0);
    td_replay_render_text(&res, "srv:443", NULL, 0, 0, NULL, 0, &b);
    assert_non_null(strstr(b.p, "Proven: the server answers your ClientHello with alert 80 (internal_error); "
                                "the same ClientHello with server_name=device.example gets a ServerHello."));
    assert_non_null(strstr(b.p, "Fix: mbedtls_ssl_set_hostname(&ssl, \"device.example\")"));
    assert_non_null(strstr(b.p, "2 handshakes"));
    td_buf_reset(&b);
    td_replay_render_json(&res, "srv:443", NULL, 0, 0, NULL, &b);
    assert_non_null(strstr(b.p, "\"lead\":{\"id\":\"sni-missing\",\"proven\":true"));
    td_buf_free(&b);
    td_replay_result_free(&res);
}

/* The first founding hello offers ECDSA signature algorithms only: adding an RSA suite must bring
 * the RSA signature algorithms with it, as enabling ECDHE-RSA does in Mbed TLS. */
static void test_rsa_suite_brings_sigalgs(void **state)
{
    (void)state;
    struct sim s = {.kind = SIM_RSA_ONLY};
    struct td_replay_result res;
    run(ch_log1, &s, "device.example", &res);
    assert_true(res.found);
    assert_int_equal(res.n_fix, 1);
    assert_int_equal(res.fix[0].kind, TD_RC_SUITES);
    assert_int_equal(res.fix[0].n, 1);
    assert_true(res.fix[0].v[0] == 0xc02f || res.fix[0].v[0] == 0xc030);
    struct td_buf b;
    td_buf_init(&b, 0);
    td_replay_fix_text(&res, &b);
    assert_non_null(strstr(b.p, "MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED"));
    td_buf_free(&b);
    td_replay_result_free(&res);
}

/* A server that does not say which suite it took: halving finds it within the bound. */
static void test_halving(void **state)
{
    (void)state;
    const uint16_t wants[] = {0x009e, 0xc09c, 0xccaa, 0x003c};
    for (size_t i = 0; i < sizeof wants / sizeof wants[0]; i++) {
        struct sim s = {.kind = SIM_YES_NO_SUITE, .want = wants[i]};
        struct td_replay_result res;
        run(ch_log2, &s, NULL, &res);
        assert_true(res.found);
        assert_int_equal(res.fix[0].kind, TD_RC_SUITES);
        assert_int_equal(res.fix[0].n, 1);
        assert_int_equal(res.fix[0].v[0], wants[i]);
        assert_true(res.n_candidates > 32);
        td_replay_result_free(&res);
    }
}

static void test_tls13(void **state)
{
    (void)state;
    struct sim s = {.kind = SIM_TLS13_ONLY};
    struct td_replay_result res;
    run(ch_log2, &s, NULL, &res);
    assert_true(res.found);
    assert_int_equal(res.fix[0].kind, TD_RC_TLS13);
    assert_int_equal(res.handshakes, 2); /* protocol_version puts the version change first */
    td_replay_result_free(&res);
}

static void test_drop_mfl(void **state)
{
    (void)state;
    struct sim s = {.kind = SIM_NO_MFL};
    struct td_replay_result res;
    run(ch_log2, &s, NULL, &res);
    assert_true(res.found);
    assert_int_equal(res.fix[0].kind, TD_RC_DROP_EXT);
    assert_int_equal(res.fix[0].n, 1);
    assert_int_equal(res.fix[0].v[0], 1);
    td_replay_result_free(&res);
}

/* Two causes: no change alone works; all together does, then each unneeded one is left out. */
static void test_two_causes(void **state)
{
    (void)state;
    struct sim s = {.kind = SIM_SNI_AND_RSA};
    struct td_replay_result res;
    struct td_replay_hello h;
    load(ch_log1, &h);
    struct td_replay_opts o = {.sni = "device.example", .now = 1790000000, .mbedtls_major = 3};
    struct td_replay_io io = {.ctx = &s, .exchange = sim_exchange};
    assert_int_equal(td_replay_run(&h, NULL, &o, &io, &res), TD_OK);
    td_replay_hello_free(&h);
    assert_true(res.found);
    assert_int_equal(res.n_fix, 2);
    assert_int_equal(res.fix[0].kind, TD_RC_SNI);
    assert_int_equal(res.fix[1].kind, TD_RC_SUITES);
    assert_int_equal(res.fix[1].n, 1);
    assert_int_equal(res.fix[1].v[0], 0xc02f);
    assert_int_equal(res.handshakes, s.calls);
    assert_int_equal(res.final.suite, 0xc02f);
    struct td_buf b;
    td_buf_init(&b, 0);
    td_replay_fix_text(&res, &b);
    assert_non_null(strstr(b.p, "mbedtls_ssl_set_hostname"));
    assert_non_null(strstr(b.p, "mbedtls_config.h"));
    td_buf_free(&b);
    td_replay_result_free(&res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_prepare_keeps_all_but_random),
        cmocka_unit_test(test_sni),
        cmocka_unit_test(test_rsa_suite_brings_sigalgs),
        cmocka_unit_test(test_halving),
        cmocka_unit_test(test_tls13),
        cmocka_unit_test(test_drop_mfl),
        cmocka_unit_test(test_two_causes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
