/* test_explain.c -- number and alert parsing, and td_explain on every input form of the issue. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include "tlsdoctor/explain.h"
#include "explain/parse.h"

static void numbers_in_every_pasted_form(void **state)
{
    (void)state;
    static const char *forms[] = {"-0x7780", "0x7780", "-30592", "30592", "0xffff8880", "ffff8880",
                                  "0XFFFF8880", "  -0x7780 ", "0xffffffffffff8880", "+30592"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        struct td_num n;
        int code = 1;
        assert_int_equal(td_num_parse(forms[i], &n), TD_OK);
        assert_true(td_num_to_mbedtls_code(&n, &code));
        if (code != -0x7780)
            fail_msg("'%s' gave %d", forms[i], code);
    }
    struct td_num n;
    assert_int_equal(td_num_parse("7780", &n), TD_OK);
    assert_true(n.bare_digits);
    assert_int_equal(n.mag, 7780);
    assert_int_equal(n.as_hex, 0x7780);
    assert_int_equal(td_num_parse("c02c", &n), TD_OK);
    assert_true(n.hex);
    assert_int_equal(n.mag, 0xc02c);
    /* malformed */
    static const char *bad[] = {"", " ", "-", "0x", "0xg1", "12z", "--5", "1 2", "0x 12"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (td_num_parse(bad[i], &n) == TD_OK)
            fail_msg("'%s' parsed", bad[i]);
    assert_int_equal(td_num_parse("99999999999999999999999", &n), TD_ERR_TOO_LARGE);
    assert_int_equal(td_num_parse("0x10000000000000000", &n), TD_ERR_TOO_LARGE);
    /* out of the Mbed TLS range */
    int code;
    assert_int_equal(td_num_parse("0x1ffffffff", &n), TD_OK);
    assert_false(td_num_to_mbedtls_code(&n, &code));
    assert_int_equal(td_num_parse("-0x10000", &n), TD_OK);
    assert_false(td_num_to_mbedtls_code(&n, &code));
    assert_int_equal(td_num_parse("0xffff0000", &n), TD_OK);
    assert_false(td_num_to_mbedtls_code(&n, &code));
    assert_int_equal(td_num_parse("0xffffffff", &n), TD_OK);
    assert_true(td_num_to_mbedtls_code(&n, &code));
    assert_int_equal(code, -1);
}

static void alert_pairs(void **state)
{
    (void)state;
    unsigned l, d;
    assert_true(td_find_alert_pair("ssl_msg.c:4901: |1| got an alert message, type: [2:80]", &l, &d));
    assert_int_equal(l, 2);
    assert_int_equal(d, 80);
    assert_true(td_find_alert_pair("[x] [1:0]", &l, &d));
    assert_int_equal(l, 1);
    assert_int_equal(d, 0);
    assert_false(td_find_alert_pair("[2:]", &l, &d));
    assert_false(td_find_alert_pair("[2:8000]", &l, &d));
    assert_false(td_find_alert_pair("[", &l, &d));
    assert_false(td_find_alert_pair(NULL, &l, &d));
}

/* Runs td_explain and returns the text (static buffer) or NULL with *err set. */
static const char *run(enum td_explain_kind k, const char *v, unsigned flags, enum td_err *err)
{
    static char text[16384];
    struct td_buf b;
    char msg[256];
    td_buf_init(&b, 0);
    *err = td_explain(k, v, flags, &b, msg, sizeof msg);
    if (*err != TD_OK) {
        assert_int_equal(b.len, 0);     /* nothing appended on failure */
        assert_true(strlen(msg) > 5);   /* and a reason */
        assert_null(strchr(msg, '\n'));
        td_buf_free(&b);
        return NULL;
    }
    assert_true(b.len < sizeof text);
    memcpy(text, b.p, b.len + 1);
    td_buf_free(&b);
    return text;
}

static void expect(enum td_explain_kind k, const char *v, const char *const *phrases)
{
    enum td_err e;
    const char *t = run(k, v, 0, &e);
    if (!t)
        fail_msg("'%s' failed with %d", v, e);
    for (; *phrases; phrases++)
        if (!strstr(t, *phrases))
            fail_msg("'%s': no \"%s\" in:\n%s", v, *phrases, t);
}

static void done_when_examples(void **state)
{
    (void)state;
    static const char *const fatal[] = {"MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE", "fatal",
                                        "got an alert message, type: [2:N]", NULL};
    static const char *forms[] = {"-0x7780", "30592", "-30592", "0xffff8880", "ffff8880", "0x7780",
                                  "MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        expect(TD_EXPLAIN_AUTO, forms[i], fatal);
        expect(TD_EXPLAIN_ERROR, forms[i], fatal);
    }
    static const char *const split[] = {"MBEDTLS_ERR_RSA_PUBLIC_FAILED", "RSA public-key operation failed",
                                        "MBEDTLS_ERR_MPI_ALLOC_FAILED", "bignum allocation failed",
                                        "underneath", NULL};
    expect(TD_EXPLAIN_AUTO, "-0x4290", split);
    static const char *const a80[] = {"internal_error", "SNI", "Go", "crypto/tls", "Caddy",
                                      "mbedtls_ssl_set_hostname", NULL};
    expect(TD_EXPLAIN_ALERT, "80", a80);
    expect(TD_EXPLAIN_ALERT, "internal_error", a80);
    expect(TD_EXPLAIN_ALERT, "[2:80]", a80);
    expect(TD_EXPLAIN_AUTO, "got an alert message, type: [2:80]", a80);
    static const char *const flags[] = {"not trusted by the CA chain",
                                        "validity starts in the future (is the device clock set?)", NULL};
    expect(TD_EXPLAIN_X509_FLAGS, "0x0208", flags);
    expect(TD_EXPLAIN_X509_FLAGS, "0208", flags);
    static const char *const suite[] = {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                                        "needs an ECDSA server certificate", NULL};
    expect(TD_EXPLAIN_SUITE, "0xc02c", suite);
    expect(TD_EXPLAIN_SUITE, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", suite);
    expect(TD_EXPLAIN_SUITE, "TLS-ECDHE-ECDSA-WITH-AES-256-GCM-SHA384", suite);
    expect(TD_EXPLAIN_AUTO, "TLS-ECDHE-ECDSA-WITH-AES-256-GCM-SHA384", suite);
    static const char *const x25519[] = {"x25519", "MBEDTLS_ECP_DP_CURVE25519_ENABLED", NULL};
    expect(TD_EXPLAIN_GROUP, "29", x25519);
    expect(TD_EXPLAIN_GROUP, "x25519", x25519);
    static const char *const pss[] = {"rsa_pss_rsae_sha256", NULL};
    expect(TD_EXPLAIN_SIGALG, "0x0804", pss);
    static const char *const sni[] = {"server_name", "mbedtls_ssl_set_hostname", NULL};
    expect(TD_EXPLAIN_EXT, "0", sni);
    expect(TD_EXPLAIN_AUTO, "server_name", sni);
    static const char *const tls12[] = {"TLS 1.2", NULL};
    expect(TD_EXPLAIN_VERSION, "0x0303", tls12);
    expect(TD_EXPLAIN_VERSION, "[3:3]", tls12);
    static const char *const both[] = {"MBEDTLS_ERR_SSL_INVALID_VERIFY_HASH", "MBEDTLS_ERR_SSL_ILLEGAL_PARAMETER",
                                       "2.x and 3.x", NULL};
    expect(TD_EXPLAIN_ERROR, "-0x6600", both);
    static const char *const future[] = {"MBEDTLS_X509_BADCERT_FUTURE", "Found verify flags", NULL};
    expect(TD_EXPLAIN_AUTO, "ssl_tls.c:10054: |3| ! Certificate verification flags 00000200", future);
    static const char *const verify[] = {"MBEDTLS_ERR_X509_CERT_VERIFY_FAILED", NULL};
    expect(TD_EXPLAIN_AUTO, "x509_verify_cert() returned -9984 (-0x2700)", verify);
    static const char *const psa[] = {"PSA_ERROR_BAD_STATE", "psa_crypto_init()", NULL};
    expect(TD_EXPLAIN_AUTO, "-137", psa);
    expect(TD_EXPLAIN_AUTO, "PSA_ERROR_BAD_STATE", psa);
}

static void bad_and_unknown_values(void **state)
{
    (void)state;
    static const struct {
        enum td_explain_kind k;
        const char *v;
        enum td_err want;
    } cases[] = {
        {TD_EXPLAIN_AUTO, "", TD_ERR_SYNTAX},
        {TD_EXPLAIN_AUTO, "   ", TD_ERR_SYNTAX},
        {TD_EXPLAIN_AUTO, "%%%", TD_ERR_SYNTAX},
        {TD_EXPLAIN_AUTO, "-", TD_ERR_SYNTAX},
        {TD_EXPLAIN_AUTO, "0x", TD_ERR_SYNTAX},
        {TD_EXPLAIN_AUTO, "99999999999999999999999", TD_ERR_SYNTAX},
        {TD_EXPLAIN_AUTO, "garbage", TD_ERR_UNKNOWN_NAME},
        {TD_EXPLAIN_AUTO, "0x1ffffffff", TD_ERR_UNKNOWN_NAME},
        {TD_EXPLAIN_AUTO, "-0x0080", TD_ERR_UNKNOWN_NAME},
        {TD_EXPLAIN_AUTO, "-144", TD_ERR_UNKNOWN_NAME},
        {TD_EXPLAIN_ERROR, "MBEDTLS_ERR_NOPE", TD_ERR_UNKNOWN_NAME},
        {TD_EXPLAIN_ALERT, "999", TD_ERR_SYNTAX},
        {TD_EXPLAIN_ALERT, "-1", TD_ERR_SYNTAX},
        {TD_EXPLAIN_ALERT, "[3:80]", TD_ERR_SYNTAX},
        {TD_EXPLAIN_ALERT, "200", TD_ERR_UNKNOWN_NAME},
        {TD_EXPLAIN_ALERT, "no_such_alert", TD_ERR_UNKNOWN_NAME},
        {TD_EXPLAIN_X509_FLAGS, "zz!", TD_ERR_SYNTAX},
        {TD_EXPLAIN_X509_FLAGS, "0x100000000", TD_ERR_SYNTAX},
        {TD_EXPLAIN_X509_FLAGS, "0x80000000", TD_ERR_UNKNOWN_NAME},
        {TD_EXPLAIN_SUITE, "70000", TD_ERR_SYNTAX},
        {TD_EXPLAIN_SUITE, "0x0047", TD_ERR_UNKNOWN_NAME},
        {TD_EXPLAIN_GROUP, "foo", TD_ERR_UNKNOWN_NAME},
        {TD_EXPLAIN_SIGALG, "0xffff", TD_ERR_UNKNOWN_NAME},
        {TD_EXPLAIN_EXT, "-3", TD_ERR_SYNTAX},
        {TD_EXPLAIN_VERSION, "0x9999", TD_ERR_UNKNOWN_NAME},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum td_err e;
        const char *t = run(cases[i].k, cases[i].v, 0, &e);
        if (t || e != cases[i].want)
            fail_msg("'%s' (kind %d): got %d, want %d", cases[i].v, cases[i].k, e, cases[i].want);
    }
    /* flags 0 and code 0 are explained, not errors */
    enum td_err e;
    assert_non_null(run(TD_EXPLAIN_X509_FLAGS, "0", 0, &e));
    assert_non_null(run(TD_EXPLAIN_ERROR, "0", 0, &e));
}

static void json_is_the_same_object(void **state)
{
    (void)state;
    enum td_err e;
    const char *t = run(TD_EXPLAIN_AUTO, "-0x4290", TD_EXPLAIN_JSON, &e);
    assert_non_null(t);
    cJSON *j = cJSON_Parse(t);
    assert_non_null(j);
    assert_string_equal(cJSON_GetObjectItem(j, "kind")->valuestring, "mbedtls_error");
    assert_string_equal(cJSON_GetObjectItem(j, "schema")->valuestring, "tlsdoctor.explain/1");
    assert_int_equal(cJSON_GetObjectItem(j, "value")->valueint, -0x4290);
    cJSON *items = cJSON_GetObjectItem(j, "items");
    assert_int_equal(cJSON_GetArraySize(items), 2);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(items, 1), "name")->valuestring,
                        "MBEDTLS_ERR_MPI_ALLOC_FAILED");
    cJSON_Delete(j);

    t = run(TD_EXPLAIN_ALERT, "[2:80]", TD_EXPLAIN_JSON, &e);
    j = cJSON_Parse(t);
    assert_non_null(j);
    assert_int_equal(cJSON_GetObjectItem(j, "level")->valueint, 2);
    assert_int_equal(cJSON_GetObjectItem(j, "value")->valueint, 80);
    cJSON_Delete(j);
}

static void output_cap_is_respected(void **state)
{
    (void)state;
    struct td_buf b;
    char msg[128];
    td_buf_init(&b, 64);
    assert_int_equal(td_explain(TD_EXPLAIN_AUTO, "-0x7780", 0, &b, msg, sizeof msg), TD_ERR_TOO_LARGE);
    assert_int_equal(b.len, 0);
    td_buf_free(&b);
    assert_int_equal(td_explain(TD_EXPLAIN_AUTO, NULL, 0, &b, NULL, 0), TD_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers_in_every_pasted_form),
        cmocka_unit_test(alert_pairs),
        cmocka_unit_test(done_when_examples),
        cmocka_unit_test(bad_and_unknown_values),
        cmocka_unit_test(json_is_the_same_object),
        cmocka_unit_test(output_cap_is_respected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
