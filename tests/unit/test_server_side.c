/* test_server_side.c -- whose log it is (issue 13, "either side"): the reader marks a server's log
 * (logged_by, a log_side fact at the line that told) from its file names, its states, the messages
 * only a server prints (message-only logs too) and a server program's own lines, and keeps the
 * server's refusals as typed facts; a client's log gets none of that. The diagnosis then reads each
 * refusal fact the reader emits from the server's side: every TD_REFUSAL_* a server rule uses is
 * produced here from a real message and diagnosed (the lines are from tests/corpus/server28, the
 * fixture server's logs, and from the 3.6.6 sources' format strings). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "tlsdoctor/diag.h"
#include "tlsdoctor/mbedlog.h"

static struct td_transcript_set read_str(const char *text)
{
    struct td_transcript_set s;
    td_transcript_set_init(&s);
    assert_int_equal(td_mbedlog_read(text, strlen(text), NULL, &s, NULL), TD_OK);
    return s;
}

static const struct td_event *fact(const struct td_transcript *t, enum td_fact f)
{
    for (size_t i = 0; i < t->n_ev; i++)
        if (t->ev[i].kind == TD_EV_FACT && t->ev[i].fact == f)
            return &t->ev[i];
    return NULL;
}

/* The server's failing tail, after `head` (the lines that tell the side, or not). */
static char *server_log(const char *head, const char *msg, const char *ret)
{
    static char buf[4096];
    snprintf(buf, sizeof buf,
             "%s"
             "ssl_tls.c:5804: |2| => handshake\n"
             "%s\n"
             "  ! mbedtls_ssl_handshake returned %s\n",
             head, msg, ret);
    return buf;
}

static void check_server(const char *text, enum td_refusal why, const char *lead)
{
    struct td_transcript_set s = read_str(text);
    assert_true(s.n >= 1);
    const struct td_transcript *t = &s.t[s.n - 1];
    assert_int_equal(t->logged_by, TD_ACTOR_SERVER);
    const struct td_event *side = fact(t, TD_FACT_LOG_SIDE);
    assert_non_null(side);
    assert_int_equal(side->code, TD_ACTOR_SERVER);
    if (why != TD_REFUSAL_NONE) {
        const struct td_event *r = fact(t, TD_FACT_REFUSAL);
        assert_non_null(r);
        assert_int_equal(r->code, why);
    }
    struct td_diagnosis d;
    assert_int_equal(td_diag_run(t, NULL, &d), TD_OK);
    assert_int_equal(d.logged_by, TD_ACTOR_SERVER);
    const struct td_finding *f = td_diag_leading(&d);
    assert_non_null(f);
    if (strcmp(f->id, lead) != 0)
        fail_msg("leading %s, want %s: %s", f->id, lead, f->summary ? f->summary : "");
    assert_non_null(f->summary);
    assert_null(strstr(f->summary, "your client"));
    assert_null(strstr(f->summary, "Your client"));
    td_diagnosis_free(&d);
    td_transcript_set_free(&s);
}

static const struct {
    const char *msg;
    const char *ret;
    enum td_refusal why;
    const char *lead;
} refusals[] = {
    {"ssl_srv.c:2185: |1| got no ciphersuites in common", "-0x7380", TD_REFUSAL_NO_SUITE, "no-common-suite"},
    {"ssl_srv.c:3349: |1| no matching curve for ECDHE", "-0x7380", TD_REFUSAL_NO_GROUP, "no-common-group"},
    {"ssl_srv.c:1663: |1| client only supports ssl smaller than minimum [3:2] < [3:3]", "-0x6e80",
     TD_REFUSAL_VERSION_LOW, "version-mismatch"},
    {"ssl_tls.c:2489: |1| TLSv1 client has no certificate", "-0x7480", TD_REFUSAL_NO_CLIENT_CERT,
     "client-cert-required"},
    {"ssl_srv.c:0116: |1| ssl_sni_wrapper() returned -1 (-0x0001)", "-0x7900", TD_REFUSAL_SNI_UNKNOWN,
     "sni-rejected"},
    {"ssl_tls12_server.c:1517: |1| got no ciphersuites in common", "-0x7380", TD_REFUSAL_NO_SUITE,
     "no-common-suite"},
    {"ssl_tls13_server.c:0814: |1| No supported version found.", "-0x6e80", TD_REFUSAL_VERSION_LOW,
     "version-mismatch"},
    {"ssl_tls13_server.c:1305: |1| Unsupported version of TLS.", "-0x5f00", TD_REFUSAL_VERSION_LOW,
     "version-mismatch"},
    {"ssl_tls13_server.c:2230: |1| no matching named group found", "-0x6e00", TD_REFUSAL_NO_GROUP,
     "no-common-group"},
    {"ssl_tls.c:7915: |1| peer has no certificate", "-0x7480", TD_REFUSAL_NO_CLIENT_CERT,
     "client-cert-required"},
};

/* Every refusal fact, told by the file name (ssl_srv.c / ssl_tls1x_server.c). */
static void refusals_by_file(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++)
        check_server(server_log("ssl_srv.c:4511: |2| server state: 0\n", refusals[i].msg, refusals[i].ret),
                     refusals[i].why, refusals[i].lead);
}

/* The same with file:line cut away (a debug hook that prints only the message): the messages only a
 * server prints tell the side, here "=> parse client hello". */
static void message_only(void **state)
{
    (void)state;
    struct td_transcript_set s = read_str("=> handshake\n"
                                          "=> parse client hello\n"
                                          "got no ciphersuites in common\n"
                                          "mbedtls_ssl_handshake returned -0x7380\n");
    assert_true(s.n >= 1);
    assert_int_equal(s.t[s.n - 1].logged_by, TD_ACTOR_SERVER);
    struct td_diagnosis d;
    assert_int_equal(td_diag_run(&s.t[s.n - 1], NULL, &d), TD_OK);
    assert_string_equal(td_diag_leading(&d)->id, "no-common-suite");
    td_diagnosis_free(&d);
    td_transcript_set_free(&s);
}

/* An application-only server log: ssl_server2's own lines. */
static void app_lines_only(void **state)
{
    (void)state;
    check_server("  . Bind on tcp://127.0.0.1:4433/ ... ok\n"
                 "  . Waiting for a remote connection ... ok\n"
                 "  . Performing the SSL/TLS handshake... failed\n"
                 "  ! mbedtls_ssl_handshake returned -0x7280\n",
                 TD_REFUSAL_NONE, "peer-closed");
}

/* A client's log stays a client's: no log_side fact, and the refusal messages mean nothing there. */
static void client_log_unchanged(void **state)
{
    (void)state;
    struct td_transcript_set s = read_str("ssl_cli.c:0994: |2| => write client hello\n"
                                          "ssl_tls.c:5804: |2| => handshake\n"
                                          "ssl_cli.c:3900: |2| client state: 1\n"
                                          "ssl_tls.c:2489: |1| TLSv1 client has no certificate\n"
                                          "  ! mbedtls_ssl_handshake returned -0x7780\n");
    assert_true(s.n >= 1);
    const struct td_transcript *t = &s.t[s.n - 1];
    assert_int_equal(t->logged_by, TD_ACTOR_CLIENT);
    assert_null(fact(t, TD_FACT_LOG_SIDE));
    assert_null(fact(t, TD_FACT_REFUSAL));
    struct td_diagnosis d;
    assert_int_equal(td_diag_run(t, NULL, &d), TD_OK);
    assert_int_equal(d.logged_by, TD_ACTOR_CLIENT);
    td_diagnosis_free(&d);
    td_transcript_set_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(refusals_by_file),
        cmocka_unit_test(message_only),
        cmocka_unit_test(app_lines_only),
        cmocka_unit_test(client_log_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
