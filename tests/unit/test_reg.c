/* test_reg.c -- the IANA tables: sorted and unique (bsearch relies on it), complete, and lookups. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "td_test.h"
#include "tlsdoctor/reg.h"

static const uint16_t suite_ids[] = {
#define TD_SUITE(id, name, mbed, kx, auth, cipher, mac, lo, hi) id,
#include "reg/data/suites.def"
#undef TD_SUITE
};
static const uint16_t group_ids[] = {
#define TD_GROUP(id, name, mbed) id,
#include "reg/data/groups.def"
#undef TD_GROUP
};
static const uint16_t sigalg_ids[] = {
#define TD_SIGALG(id, name, pair) id,
#include "reg/data/sigalgs.def"
#undef TD_SIGALG
};
static const uint16_t ext_ids[] = {
#define TD_EXT(id, name, note) id,
#include "reg/data/extensions.def"
#undef TD_EXT
};
static const uint16_t version_ids[] = {
#define TD_VERSION(id, name) id,
#include "reg/data/versions.def"
#undef TD_VERSION
};
static const uint16_t hs_ids[] = {
#define TD_HS_TYPE(id, name) id,
#include "reg/data/hs_types.def"
#undef TD_HS_TYPE
};
static const uint16_t ct_ids[] = {
#define TD_CONTENT_TYPE(id, name) id,
#include "reg/data/hs_types.def"
#undef TD_CONTENT_TYPE
};
static const uint16_t alert_ids[] = {
#define TD_ALERT(v, name, meaning, causes, next) v,
#include "reg/data/alerts.def"
#undef TD_ALERT
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void assert_strictly_sorted(const uint16_t *ids, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        if (ids[i - 1] >= ids[i])
            fail_msg("row %zu (0x%04x) not after 0x%04x", i, ids[i], ids[i - 1]);
    }
}

static void tables_are_sorted_and_unique(void **state)
{
    (void)state;
    assert_strictly_sorted(suite_ids, COUNT(suite_ids));
    assert_strictly_sorted(group_ids, COUNT(group_ids));
    assert_strictly_sorted(sigalg_ids, COUNT(sigalg_ids));
    assert_strictly_sorted(ext_ids, COUNT(ext_ids));
    assert_strictly_sorted(version_ids, COUNT(version_ids));
    assert_strictly_sorted(hs_ids, COUNT(hs_ids));
    assert_strictly_sorted(ct_ids, COUNT(ct_ids));
    assert_strictly_sorted(alert_ids, COUNT(alert_ids));
}

static void every_suite_row_is_complete_and_found(void **state)
{
    (void)state;
    /* IANA had 352 assigned suites when checked; plus EC J-PAKE and 16 GREASE rows. */
    assert_true(COUNT(suite_ids) >= 352 + 16);
    size_t grease = 0, tls13 = 0;
    for (size_t i = 0; i < COUNT(suite_ids); i++) {
        const struct td_suite *s = td_reg_suite(suite_ids[i]);
        assert_non_null(s);
        assert_int_equal(s->id, suite_ids[i]);
        assert_non_null(s->name);
        assert_non_null(s->kx);
        assert_non_null(s->auth);
        assert_non_null(s->cipher);
        assert_non_null(s->mac);
        assert_true(s->min_version <= s->max_version);
        assert_ptr_equal(td_reg_suite_by_name(s->name), td_reg_is_grease(s->id) ? td_reg_suite(0x0a0a) : s);
        if (s->mbedtls_name)
            assert_ptr_equal(td_reg_suite_by_name(s->mbedtls_name), s);
        grease += td_reg_is_grease(s->id) != 0;
        tls13 += s->min_version == 0x0304;
    }
    assert_int_equal(grease, 16);
    assert_true(tls13 >= 5);
}

static void suite_lookups(void **state)
{
    (void)state;
    const struct td_suite *s = td_reg_suite(0xc02c);
    assert_non_null(s);
    assert_string_equal(s->name, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
    assert_string_equal(s->mbedtls_name, "TLS-ECDHE-ECDSA-WITH-AES-256-GCM-SHA384");
    assert_string_equal(s->kx, "ECDHE");
    assert_string_equal(s->auth, "ECDSA");
    assert_string_equal(s->cipher, "AES_256_GCM");
    assert_string_equal(s->mac, "SHA384");
    assert_int_equal(s->min_version, 0x0303);
    assert_ptr_equal(td_reg_suite_by_name("tls-ecdhe-ecdsa-with-aes-256-gcm-sha384"), s);
    assert_ptr_equal(td_reg_suite_by_name("MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"), s);

    s = td_reg_suite(0x1301);
    assert_string_equal(s->name, "TLS_AES_128_GCM_SHA256");
    assert_string_equal(s->mbedtls_name, "TLS1-3-AES-128-GCM-SHA256");
    assert_string_equal(s->kx, "any");
    assert_int_equal(s->min_version, 0x0304);
    assert_ptr_equal(td_reg_suite_by_name("MBEDTLS_TLS1_3_AES_128_GCM_SHA256"), s);

    assert_string_equal(td_reg_suite(0x00ff)->auth, "SCSV");
    assert_string_equal(td_reg_suite_name(0x5600), "TLS_FALLBACK_SCSV");
    assert_string_equal(td_reg_suite_name(0x0003), "TLS_RSA_EXPORT_WITH_RC4_40_MD5");
    assert_int_equal(td_reg_suite(0x0003)->max_version, 0x0301);
    assert_string_equal(td_reg_suite_name(0xcca9), "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
    assert_string_equal(td_reg_suite(0x009c)->kx, "RSA");
    assert_string_equal(td_reg_suite(0xc0a8)->auth, "PSK");
    assert_string_equal(td_reg_suite_name(0xdada), "GREASE");
    assert_null(td_reg_suite(0x0047));
    assert_null(td_reg_suite(0xff00));
    assert_null(td_reg_suite_by_name("TLS_NOT_A_SUITE"));
    assert_null(td_reg_suite_by_name(""));
}

static void small_tables(void **state)
{
    (void)state;
    assert_string_equal(td_reg_version_name(0x0303), "TLS 1.2");
    assert_string_equal(td_reg_version_name(0x0300), "SSL 3.0");
    assert_string_equal(td_reg_version_name(0x7f1c), "TLS 1.3 draft 28");
    assert_string_equal(td_reg_version_name(0xfefd), "DTLS 1.2");
    assert_string_equal(td_reg_version_name(0xfeff), "DTLS 1.0");
    assert_string_equal(td_reg_version_name(0xfefc), "DTLS 1.3");
    assert_string_equal(td_reg_version_name(0x3a3a), "GREASE");
    assert_null(td_reg_version_name(0x0305));

    assert_string_equal(td_reg_group_name(29), "x25519");
    assert_string_equal(td_reg_group_name(23), "secp256r1");
    assert_string_equal(td_reg_group_name(0x0100), "ffdhe2048");
    assert_string_equal(td_reg_group_name(0x11ec), "X25519MLKEM768");
    assert_string_equal(td_reg_group_name(0xfafa), "GREASE");
    assert_null(td_reg_group_name(0x0a0b));
    assert_int_equal(td_reg_group_by_name("X25519"), 29);
    assert_int_equal(td_reg_group_by_name("nope"), -1);

    assert_string_equal(td_reg_sigalg_name(0x0804), "rsa_pss_rsae_sha256");
    assert_string_equal(td_reg_sigalg_name(0x0403), "ecdsa_secp256r1_sha256");
    assert_string_equal(td_reg_sigalg_name(0x0301), "rsa_sha224");
    assert_true(td_reg_sigalg_is_tls12_pair(0x0301));
    assert_false(td_reg_sigalg_is_tls12_pair(0x0804));
    assert_int_equal(td_reg_sigalg_by_name("ed25519"), 0x0807);

    assert_string_equal(td_reg_ext_name(0), "server_name");
    assert_string_equal(td_reg_ext_name(43), "supported_versions");
    assert_string_equal(td_reg_ext_name(0xff01), "renegotiation_info");
    assert_string_equal(td_reg_ext_name(0x2a2a), "GREASE");
    assert_int_equal(td_reg_ext_by_name("key_share"), 51);

    assert_string_equal(td_reg_alert_name(80), "internal_error");
    assert_string_equal(td_reg_alert_name(112), "unrecognized_name");
    assert_null(td_reg_alert_name(255));
    assert_int_equal(td_reg_alert_by_name("Internal_Error"), 80);
    assert_non_null(strstr(td_reg_alert(80)->causes, "SNI"));

    assert_string_equal(td_reg_hs_type_name(1), "client_hello");
    assert_string_equal(td_reg_hs_type_name(254), "message_hash");
    assert_null(td_reg_hs_type_name(7));
    assert_string_equal(td_reg_content_type_name(22), "handshake");
    assert_null(td_reg_content_type_name(0));
}

/* Every MBEDTLS_TLS_* suite of Debian's Mbed TLS 2.28 headers is in the table under its id, with
 * the Mbed TLS name that the macro name gives ("_" -> "-"). */
static void suites_match_debian_mbedtls_headers(void **state)
{
    (void)state;
    const char *dir = getenv("TD_MBEDTLS_INCLUDE");
    char path[512];
    snprintf(path, sizeof path, "%s/ssl_ciphersuites.h", dir && *dir ? dir : "/usr/include/mbedtls");
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("%s is missing: install libmbedtls-dev", path);
    char line[512], macro[128];
    unsigned id;
    int seen = 0;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "#define MBEDTLS_%127s 0x%x", macro, &id) != 2 || strncmp(macro, "TLS_", 4))
            continue;
        const struct td_suite *s = td_reg_suite((uint16_t)id);
        if (!s)
            fail_msg("%s (0x%04x) is not in the table", macro, id);
        if (!s->mbedtls_name)
            fail_msg("0x%04x has no Mbed TLS name", id);
        for (char *p = macro; *p; p++)
            if (*p == '_')
                *p = '-';
        if (strcmp(s->mbedtls_name, macro))
            fail_msg("0x%04x: table says %s, header gives %s", id, s->mbedtls_name, macro);
        seen++;
    }
    fclose(f);
    assert_true(seen >= 150);
}

/* Every suite name a real Mbed TLS 2.28 or 3.6 client printed in the lab corpus logs
 * ("TLS-ECDHE-...", "TLS1-3-...") resolves through td_reg_suite_by_name(). */
static void lab_log_suite_names_resolve(void **state)
{
    (void)state;
    char dir[512];
    DIR *d = opendir(td_test_corpus(dir, sizeof dir, "lab"));
    if (!d)
        fail_msg("no lab corpus at %s", dir);
    int names = 0;
    size_t logs = 0;
    const struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s/client.log", dir, de->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        logs++;
        char line[2048];
        while (fgets(line, sizeof line, f)) {
            for (char *p = strstr(line, "TLS"); p; p = strstr(p + 1, "TLS")) {
                if (strncmp(p, "TLS-", 4) && strncmp(p, "TLS1-3-", 7))
                    continue;
                char name[96];
                size_t n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
                if (n < 12 || n >= sizeof name || p[n - 1] == '-')
                    continue;
                memcpy(name, p, n);
                name[n] = '\0';
                const struct td_suite *s = td_reg_suite_by_name(name);
                if (!s || !s->mbedtls_name || strcmp(s->mbedtls_name, name))
                    fail_msg("%s: Mbed TLS printed %s, which the table does not know", path, name);
                names++;
            }
        }
        fclose(f);
    }
    closedir(d);
    td_test_lab_count("client logs", logs);
    assert_true(names >= 100);
}

static void grease_rule(void **state)
{
    (void)state;
    for (unsigned g = 0; g < 16; g++)
        assert_true(td_reg_is_grease((uint16_t)(g << 12 | 0x0a00 | g << 4 | 0x0a)));
    assert_false(td_reg_is_grease(0x0a1a));
    assert_false(td_reg_is_grease(0x0b0b));
    assert_false(td_reg_is_grease(0x0000));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tables_are_sorted_and_unique),
        cmocka_unit_test(every_suite_row_is_complete_and_found),
        cmocka_unit_test(suite_lookups),
        cmocka_unit_test(small_tables),
        cmocka_unit_test(suites_match_debian_mbedtls_headers),
        cmocka_unit_test(lab_log_suite_names_resolve),
        cmocka_unit_test(grease_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
