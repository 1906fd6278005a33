/* test_peerline.c -- the other side's error lines (lib/mbedlog/peerline.def and
 * peerline_openssl.def) as the reader sees them: every row of both tables is found in a line of
 * its own, with the cause and side the row says; OpenSSL 1.1 and 3.x codes decode to the same
 * reason; the device's own lines are never taken for the other side's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "tlsdoctor/mbedlog.h"
#include "mbedlog/peerline.h"

enum { PL_U = 0, PL_S, PL_C };

struct row {
    const char *needle, *also;
    enum td_peer_cause cause;
    int side, received;
};

static const struct row rows[] = {
#define PL_TEXT(n, a, c, s, r) {n, a, TD_PEER_##c, PL_##s, r},
#define PL_SIDE(n, s)
#define PL_LAST(n, c, s) {n, "", TD_PEER_##c, PL_##s, 0},
#include "mbedlog/peerline.def"
#undef PL_TEXT
#undef PL_SIDE
#undef PL_LAST
};

struct orow {
    unsigned reason;
    const char *text;
    enum td_peer_cause cause;
    int received;
};

static const struct orow orows[] = {
#define PL_OSSL(n, t, c, r) {n, t, TD_PEER_##c, r},
#include "mbedlog/peerline_openssl.def"
#undef PL_OSSL
};

/* The first TD_FACT_PEER_ERROR the reader makes of text, or NULL (the set keeps it alive). */
static const struct td_event *peer_fact(const char *text, struct td_transcript_set *set)
{
    td_transcript_set_init(set);
    enum td_err err = td_mbedlog_read(text, strlen(text), NULL, set, NULL);
    if (err == TD_ERR_NOTHING_FOUND)
        return NULL;
    assert_int_equal(err, TD_OK);
    for (size_t i = 0; i < set->n; i++)
        for (size_t j = 0; j < set->t[i].n_ev; j++)
            if (set->t[i].ev[j].kind == TD_EV_FACT && set->t[i].ev[j].fact == TD_FACT_PEER_ERROR)
                return &set->t[i].ev[j];
    return NULL;
}

static void every_text_row_is_found(void **state)
{
    (void)state;
    size_t n = sizeof rows / sizeof rows[0];
    assert_true(n >= 30);
    for (size_t i = 0; i < n; i++) {
        char line[512];
        snprintf(line, sizeof line, "2026/01/02 03:04:05 [x] %s%s end\n", rows[i].needle, rows[i].also);
        struct td_transcript_set set;
        const struct td_event *e = peer_fact(line, &set);
        if (!e || e->code != (int64_t)rows[i].cause) {
            /* an earlier, more specific row may take a longer needle's line: only then is it allowed */
            print_error("row %zu (%s) read as %s\n", i, rows[i].needle,
                        e ? td_peer_cause_name((enum td_peer_cause)e->code) : "nothing");
            fail();
        }
        assert_int_equal(e->b, rows[i].received);
        assert_int_equal(e->line, 1);
        td_transcript_set_free(&set);
    }
}

static void every_openssl_reason_decodes_in_both_forms(void **state)
{
    (void)state;
    size_t n = sizeof orows / sizeof orows[0];
    assert_true(n >= 40);
    for (size_t i = 0; i < n; i++) {
        char l3[256], l11[256];
        /* 3.x: ERR_LIB_SSL (20) << 23 | reason; 1.1: 20 << 24 | function << 12 | reason */
        snprintf(l3, sizeof l3, "SSL_do_handshake() failed (SSL: error:%08X:SSL routines::%s)\n",
                 (20u << 23) | orows[i].reason, orows[i].text);
        snprintf(l11, sizeof l11, "OpenSSL Error: error:%08X:SSL routines:some_function:%s\n",
                 (20u << 24) | (0x08Au << 12) | (orows[i].reason & 0xFFFu), orows[i].text);
        struct td_transcript_set a, b;
        const struct td_event *e3 = peer_fact(l3, &a), *e11 = peer_fact(l11, &b);
        assert_non_null(e3);
        assert_non_null(e11);
        assert_int_equal(e3->code, orows[i].cause);
        assert_int_equal(e11->code, orows[i].cause);
        assert_int_equal(e3->b, orows[i].received);
        td_transcript_set_free(&a);
        td_transcript_set_free(&b);
    }
}

static void sides_and_received_alerts(void **state)
{
    (void)state;
    struct td_transcript_set set;
    /* nginx as a server, an alert it received: the client raised it */
    const struct td_event *e = peer_fact("2026/12/04 20:48:26 [info] 26639#26639: *1 SSL_do_handshake() failed "
                                         "(SSL: error:0A000418:SSL routines::tlsv1 alert unknown ca:SSL alert "
                                         "number 48) while SSL handshaking, client: 127.0.0.1\n", &set);
    assert_non_null(e);
    assert_int_equal(e->code, TD_PEER_UNKNOWN_CA);
    assert_int_equal(e->a, TD_ACTOR_SERVER);
    assert_int_equal(e->from, TD_ACTOR_CLIENT);
    assert_int_equal(e->b, 1);
    td_transcript_set_free(&set);
    /* Go server, its own check */
    e = peer_fact("http: TLS handshake error from 192.0.2.10:50123: tls: client offered only unsupported "
                  "versions: [301]\n", &set);
    assert_non_null(e);
    assert_int_equal(e->code, TD_PEER_VERSION);
    assert_int_equal(e->a, TD_ACTOR_SERVER);
    assert_int_equal(e->from, TD_ACTOR_SERVER);
    td_transcript_set_free(&set);
    /* HAProxy: the generic line, and the same line with a code (newer HAProxy) read by the code */
    e = peer_fact("127.0.0.1:57636 [04/Dec/2026:21:24:39.441] fe/1: SSL handshake failure\n", &set);
    assert_non_null(e);
    assert_int_equal(e->code, TD_PEER_HANDSHAKE_FAILURE);
    td_transcript_set_free(&set);
    e = peer_fact("127.0.0.1:57636 [04/Dec/2026:21:24:39.441] fe/1: SSL handshake failure "
                  "(error:0A0000C1:SSL routines::no shared cipher)\n", &set);
    assert_non_null(e);
    assert_int_equal(e->code, TD_PEER_NO_SHARED_CIPHER);
    td_transcript_set_free(&set);
    /* ESP-IDF's esp-tls, the device's own layer: printed and raised by the client */
    e = peer_fact("\x1b[0;31mE (5123) esp-tls-mbedtls: No server verification option set in esp_tls_cfg_t "
                  "structure. Check esp_tls API reference\x1b[0m\n", &set);
    assert_non_null(e);
    assert_int_equal(e->code, TD_PEER_NO_VERIFY_OPTION);
    assert_int_equal(e->from, TD_ACTOR_CLIENT);
    td_transcript_set_free(&set);
    /* OpenSSL 1.1 as in countless pastes: the function name says server */
    e = peer_fact("140234:error:1408A0C1:SSL routines:ssl3_get_client_hello:no shared cipher:s3_srvr.c:1417:\n",
                  &set);
    assert_non_null(e);
    assert_int_equal(e->code, TD_PEER_NO_SHARED_CIPHER);
    assert_int_equal(e->a, TD_ACTOR_SERVER);
    td_transcript_set_free(&set);
}

static void device_lines_are_not_the_other_sides(void **state)
{
    (void)state;
    static const char *const mine[] = {
        "  ! mbedtls_ssl_handshake returned -0x7780\n",
        "Last error was: -0x7780 - SSL - A fatal alert message was received from our peer\n",
        "Last error was: -0x2700 - X509 - Certificate verification failed, e.g. CRL, CA or signature check failed\n",
        "  ! The certificate is not correctly signed by the trusted CA\n",
        "E (1234) esp-tls-mbedtls: mbedtls_ssl_handshake returned -0x7780\n",
        "ssl_tls.c:4404: |1| x509_verify_cert() returned -9984 (-0x2700)\n",
        "error:1234: something unrelated\n",
        "error:0B080074:x509 certificate routines:X509_check_private_key:key values mismatch\n",
    };
    for (size_t i = 0; i < sizeof mine / sizeof mine[0]; i++) {
        struct td_transcript_set set;
        assert_null(peer_fact(mine[i], &set));
        td_transcript_set_free(&set);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_text_row_is_found),
        cmocka_unit_test(every_openssl_reason_decodes_in_both_forms),
        cmocka_unit_test(sides_and_received_alerts),
        cmocka_unit_test(device_lines_are_not_the_other_sides),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
