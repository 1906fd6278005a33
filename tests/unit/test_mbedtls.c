/* test_mbedtls.c -- the Mbed TLS tables: the 2.28 table against Debian's libmbedtls-dev headers,
 * the 3.x differences, the split of combined codes and the X.509 flags. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <errno.h>
#include <cmocka.h>
#include "tlsdoctor/mbedtls.h"

static const char *include_dir(void)
{
    const char *d = getenv("TD_MBEDTLS_INCLUDE");
    return d && *d ? d : "/usr/include/mbedtls";
}

/* Parses "#define NAME VALUE" where VALUE is -0x..., 0x... or MBEDTLS_DEPRECATED_NUMERIC_CONSTANT(-0x...).
 * Returns 1 and fills name/value when the line defines a name starting with prefix. */
static int parse_define(const char *line, const char *prefix, char *name, size_t cap, long *value)
{
    const char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (strncmp(p, "#define", 7))
        return 0;
    p += 7;
    while (*p == ' ' || *p == '\t')
        p++;
    if (strncmp(p, prefix, strlen(prefix)))
        return 0;
    size_t n = strcspn(p, " \t(\r\n");
    if (n == 0 || n >= cap || p[n] == '(')
        return 0;           /* function-like macro */
    memcpy(name, p, n);
    name[n] = '\0';
    p += n;
    while (*p == ' ' || *p == '\t')
        p++;
    const char *dep = "MBEDTLS_DEPRECATED_NUMERIC_CONSTANT(";
    if (!strncmp(p, dep, strlen(dep)))
        p += strlen(dep);
    char *end;
    errno = 0;
    *value = strtol(p, &end, 16);
    return end != p;
}

struct scan {
    int errs, flags;
};

static void check_file(const char *path, struct scan *s)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[1024], name[128];
    long v;
    while (fgets(line, sizeof line, f)) {
        if (parse_define(line, "MBEDTLS_ERR_", name, sizeof name, &v)) {
            const struct td_mbedtls_err *e = td_mbedtls_err_by_name(name);
            if (!e)
                fail_msg("%s: %s (-0x%04lx) is not in the table", path, name, -v);
            if (e->code != v)
                fail_msg("%s: %s is %ld in the header, %d in the table", path, name, v, e->code);
            if (!(e->lines & TD_MBEDTLS_2X))
                fail_msg("%s: %s is not marked as present in 2.x", path, name);
            s->errs++;
        } else if (parse_define(line, "MBEDTLS_X509_BADCERT_", name, sizeof name, &v) ||
                   parse_define(line, "MBEDTLS_X509_BADCRL_", name, sizeof name, &v)) {
            const struct td_x509_flag *fl = NULL;
            for (size_t i = 0; td_x509_flag_at(i); i++)
                if (!strcmp(td_x509_flag_at(i)->name, name))
                    fl = td_x509_flag_at(i);
            if (!fl)
                fail_msg("%s: %s is not in the X.509 flag table", path, name);
            if (fl->bit != (uint32_t)v)
                fail_msg("%s: %s is 0x%lx in the header, 0x%x in the table", path, name, v, fl->bit);
            s->flags++;
        }
    }
    fclose(f);
}

static void table_matches_debian_headers(void **state)
{
    (void)state;
    DIR *d = opendir(include_dir());
    if (!d)
        fail_msg("%s is missing: install libmbedtls-dev (scripts/install-deps)", include_dir());
    struct scan s = {0, 0};
    const struct dirent *de;
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n < 3 || strcmp(de->d_name + n - 2, ".h"))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", include_dir(), de->d_name);
        check_file(path, &s);
    }
    closedir(d);
    /* 2.28.3 defines 257 error codes (3 of them deprecated aliases) and 20 verify flags */
    assert_true(s.errs >= 250);
    assert_true(s.flags >= 20);
}

/* Every PSA status define of the installed psa/crypto_values.h ("((psa_status_t)-N)") is in the
 * table with the same value; the deprecated ones of crypto_compat.h are not required. */
static void psa_codes_match_debian_headers(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/../psa/crypto_values.h", include_dir());
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("%s is missing: install libmbedtls-dev", path);
    char line[512], name[128];
    int seen = 0;
    while (fgets(line, sizeof line, f)) {
        long v;
        if (sscanf(line, "#define %127s ((psa_status_t)%ld)", name, &v) != 2 || v >= 0)
            continue;
        const struct td_mbedtls_err *e = td_mbedtls_err_by_name(name);
        if (!e)
            fail_msg("%s (%ld) is not in the table", name, v);
        if (e->code != v)
            fail_msg("%s is %ld in the header, %d in the table", name, v, e->code);
        seen++;
    }
    fclose(f);
    assert_true(seen >= 20);
    assert_string_equal(td_mbedtls_err_lookup(-134, 0)->name, "PSA_ERROR_NOT_SUPPORTED");
    assert_string_equal(td_mbedtls_err_lookup(-248, TD_MBEDTLS_3X)->name, "PSA_OPERATION_INCOMPLETE");
    assert_null(td_mbedtls_err_lookup(-248, TD_MBEDTLS_2X));
}

static void every_row_is_sane_and_sorted(void **state)
{
    (void)state;
    size_t n2 = 0, n3 = 0;
    int prev = 0;
    for (size_t i = 0; td_mbedtls_err_at(i); i++) {
        const struct td_mbedtls_err *e = td_mbedtls_err_at(i);
        assert_true(e->code < 0 && e->code >= -0x7FFF);
        assert_true(-e->code >= -prev);
        prev = e->code;
        assert_non_null(e->name);
        assert_true(!strncmp(e->name, "MBEDTLS_ERR_", 12) || !strncmp(e->name, "PSA_", 4));
        assert_true(e->lines >= 1 && e->lines <= 3);
        assert_true(strlen(e->desc) > 10);
        assert_ptr_equal(td_mbedtls_err_by_name(e->name), e);
        n2 += (e->lines & TD_MBEDTLS_2X) != 0;
        n3 += (e->lines & TD_MBEDTLS_3X) != 0;
    }
    assert_true(n2 >= 250);
    assert_true(n3 >= 225);
}

static void lookups_and_line_differences(void **state)
{
    (void)state;
    const struct td_mbedtls_err *e = td_mbedtls_err_lookup(-0x7780, 0);
    assert_string_equal(e->name, "MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE");
    assert_int_equal(e->lines, TD_MBEDTLS_2X | TD_MBEDTLS_3X);
    assert_non_null(strstr(e->next, "[2:N]"));
    assert_ptr_equal(td_mbedtls_err_by_name("ssl_fatal_alert_message"), e);

    /* same value, other meaning */
    assert_string_equal(td_mbedtls_err_lookup(-0x6600, TD_MBEDTLS_2X)->name,
                        "MBEDTLS_ERR_SSL_INVALID_VERIFY_HASH");
    assert_string_equal(td_mbedtls_err_lookup(-0x6600, TD_MBEDTLS_3X)->name,
                        "MBEDTLS_ERR_SSL_ILLEGAL_PARAMETER");
    assert_string_equal(td_mbedtls_err_lookup(-0x7B00, TD_MBEDTLS_3X)->name,
                        "MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET");
    assert_string_equal(td_mbedtls_err_lookup(-0x7B00, TD_MBEDTLS_2X)->name,
                        "MBEDTLS_ERR_SSL_BAD_HS_SERVER_KEY_EXCHANGE");
    const struct td_mbedtls_err *rows[4];
    assert_int_equal(td_mbedtls_err_find(-0x7800, rows, 4), 2);
    assert_int_equal(td_mbedtls_err_find(-0x7780, rows, 4), 1);
    /* only in one line */
    assert_null(td_mbedtls_err_lookup(-0x7380, TD_MBEDTLS_3X));
    assert_non_null(td_mbedtls_err_lookup(-0x7380, TD_MBEDTLS_2X));
    assert_null(td_mbedtls_err_lookup(-0x5D80, TD_MBEDTLS_2X));
    assert_string_equal(td_mbedtls_err_lookup(-0x5D80, 0)->name,
                        "MBEDTLS_ERR_SSL_CERTIFICATE_VERIFICATION_WITHOUT_HOSTNAME");
    /* unknown and out of range */
    assert_null(td_mbedtls_err_lookup(-0x7781, 0));
    assert_null(td_mbedtls_err_lookup(0, 0));
    assert_null(td_mbedtls_err_lookup(0x7780, 0));
    assert_null(td_mbedtls_err_lookup(-0x10000, 0));
    assert_null(td_mbedtls_err_by_name("MBEDTLS_ERR_NOPE"));
    assert_null(td_mbedtls_err_by_name(NULL));
    /* the codes the lab corpus and the founding case show all have causes and next steps */
    static const int common[] = {-0x7780, -0x7100, -0x7200, -0x7F00, -0x6800, -0x7280,
                                 -0x0050, -0x0044, -0x2700, -0x7680, -0x6600};
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++) {
        const struct td_mbedtls_err *c = td_mbedtls_err_lookup(common[i], 0);
        assert_non_null(c);
        assert_non_null(c->causes);
        assert_non_null(c->next);
    }
}

static void split_like_mbedtls_strerror(void **state)
{
    (void)state;
    int hi, lo;
    td_mbedtls_err_split(-0x4290, &hi, &lo);
    assert_int_equal(hi, -0x4280);
    assert_int_equal(lo, -0x0010);
    assert_string_equal(td_mbedtls_err_lookup(hi, 0)->name, "MBEDTLS_ERR_RSA_PUBLIC_FAILED");
    assert_string_equal(td_mbedtls_err_lookup(lo, 0)->name, "MBEDTLS_ERR_MPI_ALLOC_FAILED");
    td_mbedtls_err_split(0x7780, &hi, &lo);
    assert_int_equal(hi, -0x7780);
    assert_int_equal(lo, 0);
    td_mbedtls_err_split(-0x0050, &hi, &lo);
    assert_int_equal(hi, 0);
    assert_int_equal(lo, -0x0050);
    td_mbedtls_err_split(-0x7FFFFFFF - 1, &hi, &lo);   /* INT_MIN must not overflow */
    assert_int_equal(hi, 0);
}

static void x509_flags(void **state)
{
    (void)state;
    const struct td_x509_flag *out[32];
    uint32_t unknown = 1;
    size_t n = td_x509_flags_decode(0x0208, out, 32, &unknown);
    assert_int_equal(n, 2);
    assert_int_equal(unknown, 0);
    assert_string_equal(out[0]->name, "MBEDTLS_X509_BADCERT_NOT_TRUSTED");
    assert_non_null(strstr(out[0]->desc, "not trusted by the CA chain"));
    assert_string_equal(out[1]->name, "MBEDTLS_X509_BADCERT_FUTURE");
    assert_non_null(strstr(out[1]->desc, "validity starts in the future (is the device clock set?)"));
    n = td_x509_flags_decode(0x80000004u, out, 32, &unknown);
    assert_int_equal(n, 1);
    assert_int_equal(unknown, 0x80000000u);
    assert_int_equal(td_x509_flags_decode(0, out, 32, &unknown), 0);
    assert_int_equal(td_x509_flags_decode(0xFFFFF, NULL, 0, NULL), 20);
}

/* The generated table of returns Mbed TLS carries on after (mbedtls_soft_rets.def): each named
 * code is the error table's code of that name, and the lookups keep what differs between lines. */
static void soft_returns(void **state)
{
    (void)state;
    const struct td_mbedtls_soft *s = td_mbedtls_soft_ret(-0x6900, NULL, 0);
    assert_non_null(s);
    assert_string_equal(s->name, "MBEDTLS_ERR_SSL_WANT_READ");
    const struct td_mbedtls_err *e = td_mbedtls_err_by_name(s->name);
    assert_non_null(e);
    assert_int_equal(e->code, s->code);
    assert_non_null(td_mbedtls_soft_ret(-0x6A80, "mbedtls_ssl_handshake", TD_MBEDTLS_2X));
    /* -0x7B00 is RECEIVED_NEW_SESSION_TICKET in 3.6, BAD_HS_SERVER_KEY_EXCHANGE in 2.28 */
    assert_non_null(td_mbedtls_soft_ret(-0x7B00, "mbedtls_ssl_handshake", TD_MBEDTLS_3X));
    assert_null(td_mbedtls_soft_ret(-0x7B00, "mbedtls_ssl_handshake", TD_MBEDTLS_2X));
    /* a declined ticket: any code of the server's ticket_parse */
    s = td_mbedtls_soft_ret(-0x7100, "ticket_parse", TD_MBEDTLS_3X);
    assert_non_null(s);
    assert_null(s->name);
    assert_null(td_mbedtls_soft_ret(-0x7100, "ssl_parse_client_hello", TD_MBEDTLS_3X));
    /* a bad MAC is soft only where the record layer says it dropped the record */
    s = td_mbedtls_soft_ret(-0x7180, "ssl_decrypt_buf", 0);
    assert_non_null(s);
    assert_string_equal(s->confirm, "discarding invalid record (mac)");
    assert_null(td_mbedtls_soft_ret(-0x7180, "mbedtls_ssl_read_record", 0));
    assert_null(td_mbedtls_soft_ret(-0x7780, NULL, 0));
    assert_null(td_mbedtls_soft_ret(0, NULL, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_matches_debian_headers),
        cmocka_unit_test(psa_codes_match_debian_headers),
        cmocka_unit_test(every_row_is_sane_and_sorted),
        cmocka_unit_test(lookups_and_line_differences),
        cmocka_unit_test(split_like_mbedtls_strerror),
        cmocka_unit_test(x509_flags),
        cmocka_unit_test(soft_returns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
