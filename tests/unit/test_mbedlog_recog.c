/* test_mbedlog_recog.c -- the message catalogue (lib/mbedlog/msgcat.c, generated from the Mbed TLS
 * sources) and the recogniser over it: every message a real Mbed TLS 2.28 / 3.6 client or server
 * printed in the lab, success and server corpora (tests/corpus/) is in the catalogue; a message is found
 * behind any decoration and not inside ordinary text; decorations are learned; terminal and web
 * residue is cleaned off. */
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
#include "mbedlog/recog.h"
#include "mbedlog/certmsg.h"
#include "tlsdoctor/transcript.h"

/* 1 if t is a row of numbers (a hex dump's or a big number's): these are continuations, not
 * messages, and are read by the dump and value states. */
static int number_row(const char *t)
{
    return (t[0] && t[1] && t[2] == ':') ||
           (strspn(t, "0123456789abcdef") == 4 && t[4] == ':') ||
           (strspn(t, "0123456789abcdef") == 2 && (t[2] == ' ' || !t[2]));
}

/* Checks every "file:line: |L| text" line of one log; returns lines checked, counts misses. */
static size_t check_log(const char *path, size_t *miss)
{
    size_t n;
    char *text = td_test_read_file(path, &n);
    if (!text)
        return 0;
    size_t checked = 0;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        size_t len = strlen(line);
        while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
            line[--len] = '\0';
        char *t = strstr(line, ": |");
        if (!t || !t[3] || t[4] != '|')
            continue;
        t += 6;
        while (*t == ' ')
            t++;
        /* a threading build's context pointer ("0x7ffd03b098d8: "), which the reader strips */
        if (t[0] == '0' && t[1] == 'x' && strstr(t, ": "))
            t = strstr(t, ": ") + 2;
        while (*t == ' ')
            t++;
        if (!*t || number_row(t))
            continue;
        checked++;
        if (!ml_recog_at(t, strlen(t), 1)) {
            (*miss)++;
            print_message("not in the catalogue (%s): %s\n", path, t);
        }
    }
    free(text);
    return checked;
}

static size_t check_dir(const char *dir, const char *file, size_t *logs, size_t *miss)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t checked = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t nl = strlen(e->d_name);
        if (e->d_name[0] == '.' || (!file && (nl < 4 || strcmp(e->d_name + nl - 4, ".log") != 0)))
            continue;
        char path[1024];
        if (file)
            snprintf(path, sizeof path, "%s/%s/%s", dir, e->d_name, file);
        else
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t c = check_log(path, miss);
        if (c)
            (*logs)++;
        checked += c;
    }
    closedir(d);
    return checked;
}

static void every_corpus_message_known(void **state)
{
    (void)state;
    const char *src = getenv("TD_SRC");
    char dir[1024];
    size_t logs = 0, miss = 0, checked = 0;
    snprintf(dir, sizeof dir, "%s/tests/corpus/lab", src ? src : ".");
    checked += check_dir(dir, "client.log", &logs, &miss);
    snprintf(dir, sizeof dir, "%s/tests/corpus/success36", src ? src : ".");
    checked += check_dir(dir, NULL, &logs, &miss);
    snprintf(dir, sizeof dir, "%s/tests/corpus/server28", src ? src : ".");
    checked += check_dir(dir, NULL, &logs, &miss);
    print_message("catalogue: %zu messages; %zu debug lines of %zu logs checked, %zu unknown\n",
                  ml_msgcat_n, checked, logs, miss);
    /* 27 lab cases, 11 success logs, 15 server logs (tests/corpus/README.md): fewer means the data
     * is missing */
    assert_true(logs >= 53);
    assert_true(checked > 5000);
    assert_int_equal(miss, 0);
}

static const struct ml_msg *find(const char *line, size_t *start)
{
    return ml_recog_find(line, strlen(line), start);
}

static void found_behind_any_decoration(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        size_t start;
        const char *pat;
    } cases[] = {
        {"=> handshake", 0, "=> handshake"},
        {"0x20020a80: => handshake", 12, "=> handshake"},
        {"  . Performing the SSL/TLS handshake...=> handshake", 39, "=> handshake"},
        {"[T: 3871 M: httpclient C: info F: tls_debug L: 63]: [HTTPClient]: 0x20020a80: client state: 2",
         78, "client state: %d"},
        {"I (1234) mbedtls: ssl_tls.c:3161 <= handshake", 33, "<= handshake"},
        {"mbedtls_ssl_handshake() returned -30592 (-0x7780)", 0, "mbedtls_ssl_handshake() returned %d (-0x%04x)"},
        {"x: mbedtls_ssl_fetch_input() returned -29312 (-0x7280)", 3, NULL},
        {"00> got an alert message, type: [2:40]", 4, NULL},
        {"dumping 'input record header' (5 bytes)", 0, "dumping 'input record header' (%u bytes)"},
        {"client hello, add ciphersuite: 0xc02f (TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256)", 0,
         "client hello, add ciphersuite: %#04x (%s)"},
        {"client hello, current time: ld", 0, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t start = 999;
        const struct ml_msg *m = find(cases[i].line, &start);
        if (!m)
            fail_msg("not found: %s", cases[i].line);
        assert_int_equal(start, cases[i].start);
        if (cases[i].pat)
            assert_string_equal(m->pat, cases[i].pat);
    }
    /* ordinary text holds no message */
    static const char *const none[] = {
        "  . Seeding the random number generator... ok",
        "Hello, my device does not connect. Any idea?",
        "  ! mbedtls_ssl_handshake returned -0x7780",
        "=> handshake please",
        "",
    };
    for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
        size_t start;
        if (find(none[i], &start))
            fail_msg("found a message in: %s", none[i]);
    }
}

static void side_and_generation(void **state)
{
    (void)state;
    const struct ml_msg *m = ml_recog_at("<= parse server hello", 21, 0);
    assert_non_null(m);
    assert_int_equal(m->side, ML_SIDE_CLIENT);
    m = ml_recog_at("<= parse client hello", 21, 0);
    assert_non_null(m);
    assert_int_equal(m->side, ML_SIDE_SERVER);
    m = ml_recog_at("server state: 3", 15, 0);
    assert_non_null(m);
    assert_int_equal(m->side, ML_SIDE_SERVER);
    /* 3.x only: the state change with names */
    const char *hs = "handshake state: 1 (MBEDTLS_SSL_CLIENT_HELLO) -> 2 (MBEDTLS_SSL_SERVER_HELLO)";
    m = ml_recog_at(hs, strlen(hs), 0);
    assert_non_null(m);
    assert_int_equal(m->versions & ml_msgcat_major2, 0);
    assert_true(m->versions & ml_msgcat_major3);
    /* holes at the start are tried only where a message is known to start */
    const char *ext = "ClientHello: supported_versions(43) extension exists.";
    assert_null(ml_recog_at(ext, strlen(ext), 0));
    assert_non_null(ml_recog_at(ext, strlen(ext), 1));
    assert_true(ml_msgcat_nversions >= 10);
}

static void decoration_learned(void **state)
{
    (void)state;
    struct ml_deco d = {0};
    assert_int_equal(ml_deco_match(&d, "x", 1), -1);
    const char *a = "[00:00:01.234,567] <dbg> tls: 0x20020a80: ";
    ml_deco_learn(&d, a, strlen(a));
    assert_true(d.known && d.strong);
    const char *b = "[00:00:12.001,002] <dbg> tls: 0x20020a80: 0000:  16 03 01";
    assert_int_equal(ml_deco_match(&d, b, strlen(b)), (long)strlen(a));
    const char *c = "[00:00:12.001,002] <inf> app: hello";
    assert_int_equal(ml_deco_match(&d, c, strlen(c)), -1);
    ml_deco_learn(&d, "", 0);
    assert_true(d.known && !d.strong);
    assert_int_equal(ml_deco_match(&d, c, strlen(c)), 0);
}

static void residue_cleaned(void **state)
{
    (void)state;
    char a[] = "\x1b[0;32mD (1234) mbedtls: ssl_tls.c:1234 =&gt; handshake\x1b[0m";
    size_t n = ml_line_clean(a, strlen(a));
    assert_string_equal(a, "D (1234) mbedtls: ssl_tls.c:1234 => handshake");
    assert_int_equal(n, strlen(a));
    char b[] = "dumping &#39;x&#39; &amp; &lt;y&gt; &bogus; &";
    ml_line_clean(b, strlen(b));
    assert_string_equal(b, "dumping 'x' & <y> &bogus; &");
}

/* The messages certmsg.c turns into facts are rows of the catalogue (a re-generated catalogue that
 * lost one fails here), and they are read with their numbers; a certificate's usage is read from
 * its printed text. */
static void certificate_messages(void **state)
{
    (void)state;
    size_t n = 0;
    for (const char *const *p = ml_certmsg_patterns; *p; p++, n++) {
        int found = 0;
        for (size_t i = 0; i < ml_msgcat_n && !found; i++)
            found = !strcmp(ml_msgcat[i].pat, *p);
        if (!found)
            fail_msg("certmsg pattern \"%s\" is not in the catalogue", *p);
    }
    assert_int_equal(n, 8);
    int64_t a, b;
    assert_int_equal(ml_certmsg_of("DHM prime too short: 1000 < 1024", &a, &b), ML_CM_DHM_SHORT);
    assert_int_equal(a, 1000);
    assert_int_equal(b, 1024);
    assert_int_equal(ml_certmsg_of("bad certificate (usage extensions)", &a, &b), ML_CM_USAGE_PEER);
    assert_int_equal(ml_certmsg_of("certificate mismatch: (extended) key usage extension", &a, &b),
                     ML_CM_USAGE_OWN);
    assert_int_equal(ml_certmsg_of("bad certificate (EC key curve)", &a, &b), ML_CM_CURVE);
    assert_int_equal(ml_certmsg_of("bad certificate (other)", &a, &b), ML_CM_NONE);
    int ku, eku;
    assert_true(ml_cert_usage("cert. version     : 3\nkey usage         : Key Encipherment\n"
                              "ext key usage     : Code Signing, ???\n", &ku, &eku));
    assert_int_equal(ku, 0x20);
    assert_int_equal(eku, TD_EKU_OTHER | TD_EKU_UNNAMED);
    assert_true(ml_cert_usage("      ext key usage     : TLS Web Server Authentication, TLS Web Client "
                              "Authentication\r\n", &ku, &eku));
    assert_int_equal(ku, -1);
    assert_int_equal(eku, TD_EKU_SERVER_AUTH | TD_EKU_CLIENT_AUTH);
    assert_false(ml_cert_usage("subject name      : CN=localhost\n", &ku, &eku));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_corpus_message_known),
        cmocka_unit_test(found_behind_any_decoration),
        cmocka_unit_test(side_and_generation),
        cmocka_unit_test(decoration_learned),
        cmocka_unit_test(residue_cleaned),
        cmocka_unit_test(certificate_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
