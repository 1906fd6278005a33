/* test_x509.c -- certificate facts through OpenSSL: the summary's dates and names, and whether a
 * certificate is issued for a host (the check the capture-based hostname-mismatch rule makes).
 * The certificates are two of the lab's (tests/data/certs). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include "tlsdoctor/x509.h"

/* Reads tests/data/certs/NAME (PEM) into DER; the caller frees *der with OPENSSL_free. */
static size_t load_der(const char *name, unsigned char **der)
{
    const char *src = getenv("TD_SRC");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/certs/%s", src ? src : ".", name);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    assert_non_null(x);
    *der = NULL;
    int n = i2d_X509(x, der);
    X509_free(x);
    assert_true(n > 0);
    return (size_t)n;
}

static void names_host_follows_the_san(void **state)
{
    (void)state;
    unsigned char *der;
    size_t n = load_der("srv_wronghost.crt", &der);
    assert_int_equal(td_x509_names_host(der, n, "wrong.example"), 1);
    assert_int_equal(td_x509_names_host(der, n, "www.wrong.example"), 1);
    assert_int_equal(td_x509_names_host(der, n, "WRONG.example"), 1);
    assert_int_equal(td_x509_names_host(der, n, "localhost"), 0);
    assert_int_equal(td_x509_names_host(der, n, "evil.wrong.example"), 0);
    assert_int_equal(td_x509_names_host(der, n, "127.0.0.1"), 0);
    assert_int_equal(td_x509_names_host(der, n, ""), -1);
    assert_int_equal(td_x509_names_host(der, n, NULL), -1);
    assert_int_equal(td_x509_names_host(der, n / 2, "wrong.example"), -1);
    assert_int_equal(td_x509_names_host(NULL, 0, "wrong.example"), -1);
    struct td_x509_summary s;
    assert_int_equal(td_x509_summarise(der, n, &s), TD_OK);
    assert_non_null(strstr(s.subject, "CN=wrong.example"));
    assert_non_null(strstr(s.san, "DNS:www.wrong.example"));
    OPENSSL_free(der);
}

static void summary_dates_of_a_future_certificate(void **state)
{
    (void)state;
    unsigned char *der;
    size_t n = load_der("srv_future.crt", &der);
    struct td_x509_summary s;
    assert_int_equal(td_x509_summarise(der, n, &s), TD_OK);
    assert_int_equal(s.not_before_t, 2051222400);   /* 2035-01-01T00:00:00Z */
    assert_int_equal(s.not_after_t, 2082758400);    /* 2036-01-01T00:00:00Z */
    assert_string_equal(s.not_before, "2035-01-01T00:00:00Z");
    assert_int_equal(td_x509_names_host(der, n, "lab.test"), 1);
    OPENSSL_free(der);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_host_follows_the_san),
        cmocka_unit_test(summary_dates_of_a_future_certificate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
