/* test_mbedlog_lab.c -- every lab case's client log (real Mbed TLS 2.28 and 3.6 clients against real
 * servers) reads without error, its key events match the expected file kept in
 * tests/data/logs/lab-expected/<case>.txt, and the transcript agrees with what the case's meta.txt
 * says happened: each observed alert with its sender, and the failing call with its code. The
 * records themselves are checked against each case's capture by tests/integration/test_log_lab.sh. */
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
#include "tlsdoctor/mbedlog.h"

/* Value of "key: value" in meta.txt (to the end of its line), copied into out. */
static int meta_value(const char *meta, const char *key, char *out, size_t n)
{
    size_t kl = strlen(key);
    for (const char *p = meta; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (!strncmp(p, key, kl) && p[kl] == ':') {
            const char *v = p + kl + 1;
            while (*v == ' ')
                v++;
            size_t len = strcspn(v, "\n");
            snprintf(out, n, "%.*s", (int)len, v);
            return 1;
        }
    }
    return 0;
}

static int has_alert(const struct td_transcript_set *s, enum td_actor from, int level, int desc)
{
    for (size_t k = 0; k < s->n; k++)
        for (size_t i = 0; i < s->t[k].n_ev; i++) {
            const struct td_event *e = &s->t[k].ev[i];
            if (e->kind == TD_EV_ALERT && e->from == from && e->a == level && e->b == desc)
                return 1;
        }
    return 0;
}

/* "server->client fatal 80 internal_error; client->server warning 0 close_notify" */
static void check_alerts(const char *name, const char *alerts, const struct td_transcript_set *s)
{
    if (!strcmp(alerts, "none"))
        return;
    for (const char *p = alerts; p && *p;) {
        char who[32], level[16];
        int desc;
        if (sscanf(p, " %31s %15s %d", who, level, &desc) != 3)
            fail_msg("%s: cannot read observed_alerts '%s'", name, p);
        enum td_actor from = !strcmp(who, "server->client") ? TD_ACTOR_SERVER : TD_ACTOR_CLIENT;
        int lv = !strcmp(level, "fatal") ? 2 : 1;
        if (!has_alert(s, from, lv, desc))
            fail_msg("%s: alert %s %s %d (meta.txt) not in the transcript", name, who, level, desc);
        p = strchr(p, ';');
        if (p)
            p++;
    }
}

/* "mbedtls_ssl_handshake -0x7780; -0x7780 SSL - ..." or "none" */
static void check_error(const char *name, const char *err, const struct td_transcript_set *s)
{
    const struct td_transcript *last = &s->t[s->n - 1];
    if (!strncmp(err, "none", 4)) {
        assert_int_equal(last->handshake_ret_known, 1);
        assert_int_equal(last->handshake_ret, 0);
        return;
    }
    char fn[64];
    unsigned code;
    if (sscanf(err, "%63s -0x%x", fn, &code) != 2)
        fail_msg("%s: cannot read observed_mbedtls_error '%s'", name, err);
    int found = 0;
    for (size_t i = 0; i < last->n_ev; i++) {
        const struct td_event *e = &last->ev[i];
        if (e->kind == TD_EV_RETURN && e->code == -(int64_t)code && e->text && !strcmp(e->text, fn))
            found = 1;
    }
    if (!found)
        fail_msg("%s: %s returned -0x%x (meta.txt) not in the transcript", name, fn, code);
    assert_int_equal(last->handshake_ret_known, 1);
    if (!strcmp(fn, "mbedtls_ssl_handshake"))
        assert_int_equal(last->handshake_ret, -(int64_t)code);
    else
        assert_int_equal(last->handshake_ret, 0);   /* it failed after the handshake */
}

static void check_case(const char *dir, const char *name)
{
    char path[2400];
    size_t n;
    snprintf(path, sizeof path, "%s/%s/client.log", dir, name);
    char *log = td_test_read_file(path, &n);
    assert_non_null(log);
    snprintf(path, sizeof path, "%s/%s/meta.txt", dir, name);
    char *meta = td_test_read_file(path, NULL);
    assert_non_null(meta);

    struct td_transcript_set set;
    td_transcript_set_init(&set);
    struct td_mbedlog_stats st;
    assert_int_equal(td_mbedlog_read(log, n, NULL, &set, &st), TD_OK);
    assert_int_equal(set.n, 1);                  /* each lab case is one connection */
    assert_int_equal(st.capped, 0);
    assert_int_equal(set.t[0].origin, TD_ORIGIN_DEBUG_LOG);
    assert_int_equal(set.t[0].logged_by, TD_ACTOR_CLIENT);
    char v[512];
    assert_true(meta_value(meta, "client_version", v, sizeof v));
    assert_int_equal(set.t[0].mbedtls_major, v[0] - '0');
    assert_true(meta_value(meta, "client_debug_level", v, sizeof v));
    assert_int_equal(set.t[0].debug_level, atoi(v));
    assert_int_equal(set.t[0].stop, TD_STOP_COMPLETE);
    assert_true(meta_value(meta, "observed_alerts", v, sizeof v));
    check_alerts(name, v, &set);
    assert_true(meta_value(meta, "observed_mbedtls_error", v, sizeof v));
    check_error(name, v, &set);

    struct td_buf got;
    td_buf_init(&got, 0);
    for (size_t i = 0; i < set.n; i++)
        assert_int_equal(td_mbedlog_key_events(&set.t[i], 0, &got), TD_OK);
    snprintf(path, sizeof path, "%s/tests/data/logs/lab-expected/%s.txt", td_test_src(), name);
    char *want = td_test_read_file(path, NULL);
    if (!want)
        fail_msg("%s: no expected events file %s", name, path);
    if (strcmp(got.p, want))
        fail_msg("%s: key events differ from %s:\n--- got\n%s--- want\n%s", name, path, got.p, want);
    free(want);
    td_buf_free(&got);
    td_transcript_set_free(&set);
    free(meta);
    free(log);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void every_lab_case(void **state)
{
    (void)state;
    char dir[1024];
    DIR *d = opendir(td_test_corpus(dir, sizeof dir, "lab"));
    if (!d)
        fail_msg("no lab corpus at %s", dir);
    char *names[256];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && n < 256) {
        if (de->d_name[0] == '.')
            continue;
        char p[1400];
        snprintf(p, sizeof p, "%s/%s/client.log", dir, de->d_name);
        FILE *f = fopen(p, "rb");
        if (!f)
            continue;
        fclose(f);
        names[n] = strdup(de->d_name);
        assert_non_null(names[n]);
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    td_test_lab_count("client logs", n);
    for (size_t i = 0; i < n; i++) {
        check_case(dir, names[i]);
        free(names[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_lab_case),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
