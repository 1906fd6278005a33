/* test_diag.c -- the diagnosis rules and the reports over hand-built Transcripts: the founding
 * case's two logs (real record bytes from the forum thread), and one Transcript per rule family. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include "td_founding.h"
#include "td_test.h"
#include "tlsdoctor/diag.h"
#include "tlsdoctor/report.h"
#include "tlsdoctor/transcript.h"

static const char *const alert80 = "15 03 03 00 02 02 50";

static void add(struct td_transcript *t, enum td_ev_kind kind, enum td_actor from, uint32_t line,
                int64_t code, int a, int b, const char *text)
{
    struct td_event e;
    memset(&e, 0, sizeof e);
    e.kind = kind;
    e.from = from;
    e.line = e.line_end = line;
    e.code = code;
    e.a = a;
    e.b = b;
    e.text = (char *)(uintptr_t)text;
    assert_non_null(td_transcript_add(t, &e));
}

static void add_fact(struct td_transcript *t, enum td_fact fact, uint32_t line, int64_t code,
                     const char *text)
{
    struct td_event e;
    memset(&e, 0, sizeof e);
    e.kind = TD_EV_FACT;
    e.fact = fact;
    e.line = e.line_end = line;
    e.code = code;
    e.text = (char *)(uintptr_t)text;
    assert_non_null(td_transcript_add(t, &e));
}

static void add_record(struct td_transcript *t, enum td_actor from, uint32_t line, uint32_t end,
                       const char *hex)
{
    uint8_t buf[512];
    struct td_event e;
    memset(&e, 0, sizeof e);
    e.kind = TD_EV_RECORD;
    e.from = from;
    e.line = line;
    e.line_end = end;
    e.data = buf;
    e.len = td_test_unhex(hex, buf, sizeof buf);
    e.a = buf[0];
    e.code = buf[3] << 8 | buf[4];
    assert_non_null(td_transcript_add(t, &e));
}

static void finish(struct td_transcript *t, int64_t ret, int major)
{
    t->handshake_ret_known = 1;
    t->handshake_ret = ret;
    t->mbedtls_major = major;
    t->debug_level = 4;
    t->stop = TD_STOP_COMPLETE;
    t->first_line = 1;
    t->last_line = t->n_ev ? t->ev[t->n_ev - 1].line_end : 1;
}

/* The founding case's shape: facts, the ClientHello bytes, alert 80 from the server. */
static void founding(struct td_transcript *t, const char *ch, int64_t time_fact, int with_dump)
{
    td_transcript_init(t, TD_ORIGIN_DEBUG_LOG);
    add(t, TD_EV_STEP, TD_ACTOR_UNKNOWN, 9, 0, 1, 0, "write client hello");
    add_fact(t, TD_FACT_MAX_VERSION, 10, 0x0303, NULL);
    if (time_fact >= 0)
        add_fact(t, TD_FACT_CLIENT_TIME, 11, time_fact, NULL);
    add_fact(t, TD_FACT_OFFERED_SUITE, 17, 0xc02c, NULL);
    add_fact(t, TD_FACT_OFFERED_SUITE, 18, 0xc02b, NULL);
    add_fact(t, TD_FACT_EXT_ADDED, 23, 13, "signature_algorithms");
    add_fact(t, TD_FACT_EXT_ADDED, 24, 10, "supported_elliptic_curves");
    add_fact(t, TD_FACT_EXT_ADDED, 25, 11, "supported_point_formats");
    if (with_dump)
        add_record(t, TD_ACTOR_CLIENT, 29, 35, ch);
    add_record(t, TD_ACTOR_SERVER, 58, 59, alert80);
    add(t, TD_EV_ALERT, TD_ACTOR_SERVER, 60, 0, 2, 80, NULL);
    add(t, TD_EV_RETURN, TD_ACTOR_UNKNOWN, 62, -0x7780, 0, 0, "mbedtls_ssl_handle_message_type");
    add(t, TD_EV_RETURN, TD_ACTOR_UNKNOWN, 63, -0x7780, 0, 0, "mbedtls_ssl_read_record");
    finish(t, -0x7780, 2);
}

static const struct td_finding *find(const struct td_diagnosis *d, const char *id)
{
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(d->f[i].id, id))
            return &d->f[i];
    return NULL;
}

static int evidence_has(const struct td_finding *f, const char *needle)
{
    for (size_t i = 0; i < f->n_ev; i++)
        if (strstr(f->ev[i].text, needle))
            return 1;
    return 0;
}

static void check_founding(const char *ch, int64_t time_fact, const char *random_prefix)
{
    struct td_transcript t;
    struct td_diagnosis d;
    founding(&t, ch, time_fact, 1);
    assert_int_equal(td_diag_run(&t, NULL, &d), TD_OK);
    const struct td_finding *f = td_diag_leading(&d);
    assert_non_null(f);
    assert_string_equal(f->id, "sni-missing");
    assert_int_equal(f->sev, TD_SEV_ERROR);
    assert_true(f->confidence >= 85);
    assert_true(td_diag_has_cause(&d));
    assert_int_equal(d.handshake, TD_HS_FAILED);
    /* the answer names the fix; the explanation names alert 80 as Go's and clears the suites */
    assert_non_null(strstr(f->summary, "mbedtls_ssl_set_hostname("));
    assert_non_null(strstr(f->explanation, "Go crypto/tls"));
    assert_non_null(strstr(f->explanation, "internal_error"));
    assert_non_null(strstr(f->explanation, "suites were not the problem"));
    assert_non_null(strstr(f->fix, "MBEDTLS_SSL_SERVER_NAME_INDICATION"));
    assert_true(evidence_has(f, "no server_name"));
    assert_true(evidence_has(f, "alert 80"));
    /* evidence carries line numbers: the ClientHello record and the alert */
    assert_int_equal(f->ev[0].line, 29);
    /* the unset clock is a secondary observation, not the cause */
    const struct td_finding *c = find(&d, "clock-unset");
    assert_non_null(c);
    assert_int_equal(c->sev, TD_SEV_WARNING);
    assert_true(evidence_has(c, random_prefix));
    assert_ptr_not_equal(c, f);
    td_diagnosis_free(&d);
    td_transcript_free(&t);
}

static void founding_log1_leads_with_sni_missing(void **state)
{
    (void)state;
    check_founding(ch_log1, 3, "00 00 00 00");
}

static void founding_log2_leads_with_sni_missing(void **state)
{
    (void)state;
    check_founding(ch_log2, -1, "ff ff ff ff");
}

/* The first attempt of the first log has no hex dump: the level-3 lines must be enough. */
static void founding_without_dump_uses_text_facts(void **state)
{
    (void)state;
    struct td_transcript t;
    struct td_diagnosis d;
    founding(&t, ch_log1, 3, 0);
    assert_int_equal(td_diag_run(&t, NULL, &d), TD_OK);
    assert_string_equal(td_diag_leading(&d)->id, "sni-missing");
    const struct td_finding *c = find(&d, "clock-unset");
    assert_non_null(c);
    assert_true(evidence_has(c, "current time as 3"));
    td_diagnosis_free(&d);
    td_transcript_free(&t);
}

/* Same ClientHello but with a server name and alert 40: the key type trap, not SNI. */
static void ecdsa_only_suites_and_alert40_is_no_common_suite(void **state)
{
    (void)state;
    struct td_transcript t;
    struct td_diagnosis d;
    td_transcript_init(&t, TD_ORIGIN_DEBUG_LOG);
    add_fact(&t, TD_FACT_OFFERED_SUITE, 5, 0xc02c, NULL);
    add_fact(&t, TD_FACT_EXT_ADDED, 6, 0, "server_name");
    add_fact(&t, TD_FACT_HOSTNAME, 6, 0, "localhost");
    add(&t, TD_EV_ALERT, TD_ACTOR_SERVER, 20, 0, 2, 40, NULL);
    add(&t, TD_EV_RETURN, TD_ACTOR_UNKNOWN, 21, -0x7780, 0, 0, "mbedtls_ssl_read_record");
    finish(&t, -0x7780, 3);
    assert_int_equal(td_diag_run(&t, NULL, &d), TD_OK);
    const struct td_finding *f = td_diag_leading(&d);
    assert_string_equal(f->id, "no-common-suite");
    assert_true(f->confidence >= 70);
    assert_non_null(strstr(f->summary, "ECDSA"));
    assert_null(find(&d, "sni-missing"));
    td_diagnosis_free(&d);
    td_transcript_free(&t);
}

static void run_leading(struct td_transcript *t, const char *want)
{
    struct td_diagnosis d;
    assert_int_equal(td_diag_run(t, NULL, &d), TD_OK);
    const struct td_finding *f = td_diag_leading(&d);
    assert_non_null(f);
    if (strcmp(f->id, want))
        fail_msg("leading finding %s, expected %s", f->id, want);
    assert_non_null(f->summary);
    assert_non_null(f->fix);
    td_diagnosis_free(&d);
    td_transcript_free(t);
}

static void verify_flags_pick_the_certificate_rule(void **state)
{
    (void)state;
    static const struct {
        int64_t flags;
        int alert;
        const char *id;
    } cases[] = {
        {0x01, 45, "cert-expired"},
        {0x200, 46, "cert-not-yet-valid"},
        {0x04, 42, "hostname-mismatch"},
        {0x08, 48, "ca-untrusted"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct td_transcript t;
        td_transcript_init(&t, TD_ORIGIN_DEBUG_LOG);
        add_fact(&t, TD_FACT_HOSTNAME, 3, 0, "localhost");
        add_fact(&t, TD_FACT_CERT, 40, 0, "cert. version     : 3\nsubject name      : O=Lab, CN=wrong.example\n"
                                          "expires on        : 2023-01-01 00:00:00");
        add(&t, TD_EV_VERIFY, TD_ACTOR_CLIENT, 50, cases[i].flags, 0, 0, "certificate verification failed");
        add(&t, TD_EV_RETURN, TD_ACTOR_UNKNOWN, 51, -0x2700, 0, 0, "x509_verify_cert");
        add(&t, TD_EV_ALERT, TD_ACTOR_CLIENT, 52, 0, 2, cases[i].alert, NULL);
        finish(&t, -0x2700, 2);
        run_leading(&t, cases[i].id);
    }
}

static void no_ca_chain_is_ca_untrusted(void **state)
{
    (void)state;
    struct td_transcript t;
    td_transcript_init(&t, TD_ORIGIN_DEBUG_LOG);
    add(&t, TD_EV_RETURN, TD_ACTOR_UNKNOWN, 321, -0x2700, 0, 0, "x509_verify_cert");
    add(&t, TD_EV_MESSAGE, TD_ACTOR_UNKNOWN, 322, 0, 0, 0, "got no CA chain");
    add(&t, TD_EV_ALERT, TD_ACTOR_CLIENT, 324, 0, 2, 48, NULL);
    finish(&t, -0x7680, 2);
    run_leading(&t, "ca-untrusted");
}

static void transport_errors(void **state)
{
    (void)state;
    static const struct {
        int64_t code;
        const char *id;
    } cases[] = {
        {-0x7280, "peer-closed"}, {-0x50, "connection-reset"},
        {-0x6800, "timeout"}, {-0x44, "connection-refused"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct td_transcript t;
        td_transcript_init(&t, TD_ORIGIN_DEBUG_LOG);
        add(&t, TD_EV_STEP, TD_ACTOR_UNKNOWN, 5, 0, 1, 0, "write client hello");
        add(&t, TD_EV_RETURN, TD_ACTOR_UNKNOWN, 30, cases[i].code, 0, 0, "mbedtls_ssl_fetch_input");
        finish(&t, cases[i].code, 2);
        run_leading(&t, cases[i].id);
    }
}

static void big_record_is_too_large_not_bad_config(void **state)
{
    (void)state;
    struct td_transcript t;
    td_transcript_init(&t, TD_ORIGIN_DEBUG_LOG);
    add_record(&t, TD_ACTOR_SERVER, 200, 201, "16 03 03 1b 20");
    add(&t, TD_EV_MESSAGE, TD_ACTOR_UNKNOWN, 204, 0, 0, 0, "requesting more data than fits");
    add(&t, TD_EV_RETURN, TD_ACTOR_UNKNOWN, 205, -0x7100, 0, 0, "mbedtls_ssl_fetch_input");
    finish(&t, -0x7100, 2);
    struct td_diagnosis d;
    assert_int_equal(td_diag_run(&t, NULL, &d), TD_OK);
    assert_string_equal(td_diag_leading(&d)->id, "record-too-large");
    assert_true(evidence_has(td_diag_leading(&d), "6944 bytes"));
    assert_null(find(&d, "bad-config"));
    td_diagnosis_free(&d);
    td_transcript_free(&t);

    /* the same code with no sign of a big record is a configuration error */
    td_transcript_init(&t, TD_ORIGIN_DEBUG_LOG);
    add(&t, TD_EV_RETURN, TD_ACTOR_UNKNOWN, 10, -0x7100, 0, 0, "mbedtls_ssl_setup");
    finish(&t, -0x7100, 3);
    run_leading(&t, "bad-config");
}

static void tls13_certificate_required_after_handshake(void **state)
{
    (void)state;
    struct td_transcript t;
    td_transcript_init(&t, TD_ORIGIN_DEBUG_LOG);
    add(&t, TD_EV_MESSAGE, TD_ACTOR_UNKNOWN, 420, 0, 0, 0, "got a certificate request");
    add(&t, TD_EV_STEP, TD_ACTOR_UNKNOWN, 1264, 0, 1, 0, "skip write certificate verify");
    add(&t, TD_EV_ALERT, TD_ACTOR_SERVER, 1422, 0, 2, 116, NULL);
    add(&t, TD_EV_RETURN, TD_ACTOR_UNKNOWN, 1426, -0x7780, 0, 0, "mbedtls_ssl_read");
    finish(&t, 0, 3);
    run_leading(&t, "client-cert-required");
}

static void success_says_what_was_negotiated(void **state)
{
    (void)state;
    struct td_transcript t;
    struct td_diagnosis d;
    td_transcript_init(&t, TD_ORIGIN_DEBUG_LOG);
    add_fact(&t, TD_FACT_CHOSEN_VERSION, 40, 0x0303, NULL);
    add_fact(&t, TD_FACT_CHOSEN_SUITE, 41, 0xc02f, NULL);
    finish(&t, 0, 2);
    assert_int_equal(td_diag_run(&t, NULL, &d), TD_OK);
    assert_int_equal(d.handshake, TD_HS_SUCCEEDED);
    assert_false(td_diag_has_cause(&d));
    const struct td_finding *f = td_diag_leading(&d);
    assert_string_equal(f->id, "handshake-ok");
    assert_int_equal(f->sev, TD_SEV_INFO);
    assert_non_null(strstr(f->summary, "succeeded"));
    assert_non_null(strstr(f->summary, "TLS 1.2"));
    assert_non_null(strstr(f->summary, "ECDHE_RSA"));
    td_diagnosis_free(&d);
    td_transcript_free(&t);
}

static void empty_transcript_is_insufficient_evidence(void **state)
{
    (void)state;
    struct td_transcript t;
    struct td_diagnosis d;
    td_transcript_init(&t, TD_ORIGIN_DEBUG_LOG);
    t.stop = TD_STOP_BEFORE_SERVER_ANSWER;
    add(&t, TD_EV_STEP, TD_ACTOR_UNKNOWN, 5, 0, 1, 0, "write client hello");
    assert_int_equal(td_diag_run(&t, NULL, &d), TD_OK);
    const struct td_finding *f = td_diag_leading(&d);
    assert_string_equal(f->id, "insufficient-evidence");
    assert_false(td_diag_has_cause(&d));
    assert_non_null(strstr(f->explanation, "mbedtls_debug_set_threshold(4)"));
    assert_non_null(strstr(f->summary, "before the server's answer"));
    td_diagnosis_free(&d);
    td_transcript_free(&t);
}

static void unexplained_server_alert_is_unknown(void **state)
{
    (void)state;
    struct td_transcript t;
    td_transcript_init(&t, TD_ORIGIN_DEBUG_LOG);
    add_fact(&t, TD_FACT_CHOSEN_SUITE, 30, 0xc02f, NULL);
    add(&t, TD_EV_ALERT, TD_ACTOR_SERVER, 60, 0, 2, 51, NULL);
    finish(&t, -0x7780, 2);
    run_leading(&t, "unknown");
}

/* Garbage and truncated record bytes must not crash or mislead the rules. */
static void hostile_records_are_harmless(void **state)
{
    (void)state;
    static const char *const recs[] = {
        "16 03 01 00 51 01 00 00 4d 03 03", "16 03 01 ff ff 01 ff ff ff", "16", "15 03 03 00 02 02",
        "16 03 03 00 04 02 00 00 00", "16 03 03 00 06 0d 00 00 02 01", "ff ff ff ff ff ff ff",
    };
    for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++) {
        struct td_transcript t;
        struct td_diagnosis d;
        td_transcript_init(&t, TD_ORIGIN_DEBUG_LOG);
        add_record(&t, TD_ACTOR_CLIENT, 1, 1, recs[i]);
        add_record(&t, TD_ACTOR_SERVER, 2, 2, recs[i]);
        assert_int_equal(td_diag_run(&t, NULL, &d), TD_OK);
        assert_non_null(td_diag_leading(&d));
        td_diagnosis_free(&d);
        td_transcript_free(&t);
    }
}

static void reports_render_text_and_json(void **state)
{
    (void)state;
    struct td_transcript t;
    struct td_diagnosis d;
    founding(&t, ch_log1, 3, 1);
    assert_int_equal(td_diag_run(&t, NULL, &d), TD_OK);
    struct td_report_item it = {&t, &d};
    struct td_buf b;
    td_buf_init(&b, 0);
    assert_int_equal(td_report_text(&it, 1, 0, "founding.log", 0, &b), TD_OK);
    /* the answer comes first */
    assert_int_equal(strncmp(b.p, "The server rejected your ClientHello", 36), 0);
    assert_non_null(strstr(b.p, "Evidence:"));
    assert_non_null(strstr(b.p, "L29-35"));
    assert_non_null(strstr(b.p, "Also observed:"));
    assert_non_null(strstr(b.p, "clock-unset"));
    assert_null(strchr(b.p, '\x1b'));
    td_buf_reset(&b);
    assert_int_equal(td_report_text(&it, 1, 0, NULL, TD_REPORT_COLOUR, &b), TD_OK);
    assert_non_null(strchr(b.p, '\x1b'));
    td_buf_reset(&b);
    assert_int_equal(td_report_json(&it, 1, 0, "founding.log", 0, &b), TD_OK);
    cJSON *doc = cJSON_Parse(b.p);
    assert_non_null(doc);
    assert_string_equal(cJSON_GetObjectItem(doc, "schema")->valuestring, "tlsdoctor.report/1");
    assert_string_equal(cJSON_GetObjectItem(doc, "leading")->valuestring, "sni-missing");
    cJSON *att = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "attempts"), 0);
    cJSON *f0 = cJSON_GetArrayItem(cJSON_GetObjectItem(att, "findings"), 0);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(f0, "evidence"), 0),
                                         "line")->valueint, 29);
    cJSON_Delete(doc);
    td_buf_free(&b);
    td_diagnosis_free(&d);
    td_transcript_free(&t);
}

/* Many attempts: one line each up to TD_REPORT_TALLY_LIST, then a count per leading finding with
 * the first and last attempt of each; the tally is the same fixed size whatever the count. */
static void many_attempts_are_tallied_by_finding(void **state)
{
    (void)state;
    struct td_transcript t, ok;
    struct td_diagnosis d, dok;
    founding(&t, ch_log1, 3, 1);
    td_transcript_init(&ok, TD_ORIGIN_DEBUG_LOG);
    finish(&ok, 0, 2);
    assert_int_equal(td_diag_run(&t, NULL, &d), TD_OK);
    assert_int_equal(td_diag_run(&ok, NULL, &dok), TD_OK);
    struct td_report_item it = {&t, &d}, it_ok = {&ok, &dok};
    struct td_report_tally tally;
    td_report_tally_init(&tally);
    for (size_t i = 0; i < 1000; i++)
        td_report_tally_add(&tally, i % 4 == 3 ? &it_ok : &it);
    assert_int_equal(tally.n, 1000);
    assert_int_equal(tally.n_ids, 2);
    assert_int_equal(tally.ids[0].count, 750);
    assert_int_equal(tally.ids[1].count, 250);
    assert_int_equal(tally.ids[1].first, 3);
    assert_int_equal(tally.ids[1].last, 999);
    struct td_buf b;
    td_buf_init(&b, 0);
    assert_int_equal(td_report_text_tally(&it, 0, &tally, "many.log", 0, &b), TD_OK);
    assert_non_null(strstr(b.p, "All 1000 attempts in this source, by leading finding:\n- sni-missing: 750 attempts"));
    assert_null(strstr(b.p, "attempt 999 of 1000"));
    td_buf_reset(&b);
    /* few attempts: one line each, as td_report_text gives */
    struct td_report_item three[3] = {it, it_ok, it};
    assert_int_equal(td_report_text(three, 3, 0, "few.log", 0, &b), TD_OK);
    assert_non_null(strstr(b.p, "All attempts in this source:\n- attempt 1 of 3"));
    assert_non_null(strstr(b.p, "- attempt 3 of 3"));
    assert_int_equal(td_report_text_tally(&it, 5, &tally, NULL, 0, &b), TD_OK);
    td_report_tally_init(&tally);
    assert_int_equal(td_report_text_tally(&it, 0, &tally, NULL, 0, &b), TD_ERR_ARG);
    td_buf_free(&b);
    td_diagnosis_free(&d);
    td_diagnosis_free(&dok);
    td_transcript_free(&t);
    td_transcript_free(&ok);
}

/* Every rule the catalogue runs is documented in docs/rules.md (as `id`). */
static void every_rule_is_documented(void **state)
{
    (void)state;
    size_t n = 0;
    char *doc = td_test_read_under("TD_SRC", "..", "docs/rules.md", &n);
    if (!doc)
        fail_msg("cannot read docs/rules.md under $TD_SRC");
    size_t rules = 0;
    for (size_t j = 0; td_diag_rule_id(j); j++, rules++) {
        char want[96];
        snprintf(want, sizeof want, "`%s`", td_diag_rule_id(j));
        if (!strstr(doc, want))
            fail_msg("rule %s is not in docs/rules.md", td_diag_rule_id(j));
    }
    assert_true(rules >= 22);
    free(doc);
}

static void rule_catalogue_has_the_issue_ids(void **state)
{
    (void)state;
    static const char *const want[] = {
        "sni-missing", "no-common-suite", "version-mismatch", "no-common-group", "no-common-sigalg",
        "ca-untrusted", "cert-expired", "cert-not-yet-valid", "hostname-mismatch", "record-too-large",
        "mfl-ignored", "client-cert-required", "out-of-memory", "peer-closed", "connection-reset",
        "connection-refused", "timeout", "bad-config", "handshake-fragmentation", "local-failure",
        "insufficient-evidence", "unknown",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int found = 0;
        for (size_t j = 0; td_diag_rule_id(j); j++)
            found |= !strcmp(td_diag_rule_id(j), want[i]);
        if (!found)
            fail_msg("rule %s missing", want[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(founding_log1_leads_with_sni_missing),
        cmocka_unit_test(founding_log2_leads_with_sni_missing),
        cmocka_unit_test(founding_without_dump_uses_text_facts),
        cmocka_unit_test(ecdsa_only_suites_and_alert40_is_no_common_suite),
        cmocka_unit_test(verify_flags_pick_the_certificate_rule),
        cmocka_unit_test(no_ca_chain_is_ca_untrusted),
        cmocka_unit_test(transport_errors),
        cmocka_unit_test(big_record_is_too_large_not_bad_config),
        cmocka_unit_test(tls13_certificate_required_after_handshake),
        cmocka_unit_test(success_says_what_was_negotiated),
        cmocka_unit_test(empty_transcript_is_insufficient_evidence),
        cmocka_unit_test(unexplained_server_alert_is_unknown),
        cmocka_unit_test(hostile_records_are_harmless),
        cmocka_unit_test(reports_render_text_and_json),
        cmocka_unit_test(many_attempts_are_tallied_by_finding),
        cmocka_unit_test(rule_catalogue_has_the_issue_ids),
        cmocka_unit_test(every_rule_is_documented),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
