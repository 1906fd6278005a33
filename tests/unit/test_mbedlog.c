/* test_mbedlog.c -- the Mbed TLS log reader on the founding case's two logs (as found in the forum
 * thread and split out), on decorated copies of them, chunked input, application-only output,
 * truncated logs and the line shapes users' loggers produce. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "td_test.h"
#include "tlsdoctor/mbedlog.h"
#include "tlsdoctor/wire.h"

/* A file of the source tree. */
static char *slurp(const char *rel, size_t *n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", td_test_src(), rel);
    return td_test_read_file(path, n);
}

static void read_text(const char *text, size_t n, struct td_transcript_set *set)
{
    td_transcript_set_init(set);
    assert_int_equal(td_mbedlog_read(text, n, NULL, set, NULL), TD_OK);
}

static const struct td_event *find(const struct td_transcript *t, enum td_ev_kind k, enum td_actor from,
                                   size_t nth)
{
    for (size_t i = 0; i < t->n_ev; i++)
        if (t->ev[i].kind == k && (from == TD_ACTOR_UNKNOWN || t->ev[i].from == from) && nth-- == 0)
            return &t->ev[i];
    return NULL;
}

static size_t count_fact(const struct td_transcript *t, enum td_fact f, int64_t code)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n_ev; i++)
        if (t->ev[i].kind == TD_EV_FACT && t->ev[i].fact == f && (code < 0 || t->ev[i].code == code))
            n++;
    return n;
}

/* The ClientHello record from the client: decoded with the wire layer. */
static void check_ch_record(const struct td_transcript *t, uint32_t line, uint32_t line_end, size_t len,
                            size_t suites, int mfl)
{
    const struct td_event *r = find(t, TD_EV_RECORD, TD_ACTOR_CLIENT, 0);
    assert_non_null(r);
    assert_int_equal(r->line, line);
    assert_int_equal(r->line_end, line_end);
    assert_int_equal(r->len, len);
    assert_int_equal(r->flags & TD_EVF_TRUNCATED, 0);
    assert_int_equal(r->data[0], 22);
    assert_int_equal(r->data[5], 1);
    struct td_client_hello ch;
    size_t off = 0;
    assert_int_equal(td_wire_parse_client_hello(r->data + 9, r->len - 9, &ch, &off), TD_OK);
    assert_int_equal(ch.suites.n, suites);          /* includes EMPTY_RENEGOTIATION_INFO_SCSV */
    assert_int_equal(td_u16_at(ch.suites, 0), 0xc02c);
    assert_int_equal(td_u16_at(ch.suites, 1), 0xc02b);
    assert_false(ch.x.has_sni);
    assert_int_equal(ch.x.has_sigalgs, 1);
    assert_int_equal(ch.x.has_groups, 1);
    assert_int_equal(ch.x.has_mfl, mfl);
}

static void check_alert80(const struct td_transcript *t, uint32_t line, uint32_t line_end)
{
    const struct td_event *a = find(t, TD_EV_ALERT, TD_ACTOR_UNKNOWN, 0);
    assert_non_null(a);
    assert_int_equal(a->from, TD_ACTOR_SERVER);
    assert_int_equal(a->a, 2);
    assert_int_equal(a->b, 80);
    assert_int_equal(a->line, line);
    assert_int_equal(a->line_end, line_end);
    assert_null(find(t, TD_EV_ALERT, TD_ACTOR_UNKNOWN, 1));
    assert_int_equal(t->handshake_ret_known, 1);
    assert_int_equal(t->handshake_ret, -0x7780);
    assert_int_equal(t->stop, TD_STOP_COMPLETE);
    assert_int_equal(t->logged_by, TD_ACTOR_CLIENT);
    assert_int_equal(t->mbedtls_major, 2);
}

/* First log (2.x, base = its first line's number in the file minus one). */
static void check_log_2x(const struct td_transcript *t, uint32_t base)
{
    /* attempt 1: level 3, no dumps: the ClientHello is known from text only */
    assert_int_equal(t[0].first_line, base + 1);
    assert_int_equal(t[0].debug_level, 3);
    assert_null(find(&t[0], TD_EV_RECORD, TD_ACTOR_UNKNOWN, 0));
    assert_int_equal(count_fact(&t[0], TD_FACT_OFFERED_SUITE, -1), 3);
    assert_int_equal(count_fact(&t[0], TD_FACT_OFFERED_SUITE, 0xc02c), 1);
    assert_int_equal(count_fact(&t[0], TD_FACT_OFFERED_SUITE, 0xc02b), 1);
    assert_int_equal(count_fact(&t[0], TD_FACT_MAX_VERSION, 0x0303), 1);
    assert_int_equal(count_fact(&t[0], TD_FACT_EXT_ADDED, 13), 1);
    assert_int_equal(count_fact(&t[0], TD_FACT_EXT_ADDED, 10), 1);
    assert_int_equal(count_fact(&t[0], TD_FACT_EXT_ADDED, 11), 1);
    assert_int_equal(count_fact(&t[0], TD_FACT_EXT_ADDED, 0), 0);
    check_alert80(&t[0], base + 50, base + 51);
    /* attempt 2: level 4, the records dumped */
    assert_int_equal(t[1].first_line, base + 57);
    check_ch_record(&t[1], base + 84, base + 90, 86, 3, 0);
    const struct td_event *in = find(&t[1], TD_EV_RECORD, TD_ACTOR_SERVER, 0);
    assert_non_null(in);
    assert_int_equal(in->len, 7);   /* header dump and full dump joined, not duplicated */
    assert_memory_equal(in->data, "\x15\x03\x03\x00\x02\x02\x50", 7);
    assert_int_equal(in->line, base + 107);
    assert_int_equal(in->line_end, base + 116);
    check_alert80(&t[1], base + 107, base + 118);
}

/* Second log (2.27: blank lines between lines, `zu` for numbers). */
static void check_log_227(const struct td_transcript *t, uint32_t base)
{
    assert_int_equal(t[0].first_line, base + 1);
    check_ch_record(&t[0], base + 61, base + 75, 105, 5, 1);
    assert_int_equal(count_fact(&t[0], TD_FACT_OFFERED_SUITE, 0xc030), 1);
    check_alert80(&t[0], base + 111, base + 133);
    assert_int_equal(t[1].first_line, base + 150);
    check_ch_record(&t[1], base + 210, base + 224, 105, 5, 1);
    check_alert80(&t[1], base + 260, base + 282);
}

static void seed_thread_has_four_attempts(void **state)
{
    (void)state;
    size_t n;
    char path[1024];
    char *text = td_test_read_file(td_test_corpus(path, sizeof path, "seeds/000_df399537d9f9fe90.txt"),
                                   &n);
    if (!text)
        fail_msg("the founding thread %s is missing", path);
    struct td_transcript_set set;
    read_text(text, n, &set);
    if (set.n < 4)
        fail_msg("corpus: read %zu attempts of the founding thread, expected 4", set.n);
    print_message("corpus: read %zu attempts of the founding thread (expected 4)\n", set.n);
    assert_int_equal(set.n, 4);
    check_log_2x(set.t, 10);
    check_log_227(set.t + 2, 159);
    td_transcript_set_free(&set);
    free(text);
}

static void seed_logs_split_out(void **state)
{
    (void)state;
    size_t n;
    char *text = slurp("tests/data/logs/seed_2x.log", &n);
    assert_non_null(text);
    struct td_transcript_set set;
    read_text(text, n, &set);
    assert_int_equal(set.n, 2);
    check_log_2x(set.t, 0);
    td_transcript_set_free(&set);
    free(text);
    text = slurp("tests/data/logs/seed_227.log", &n);
    assert_non_null(text);
    read_text(text, n, &set);
    assert_int_equal(set.n, 2);
    check_log_227(set.t, 0);
    td_transcript_set_free(&set);
    free(text);
}

/* ---- decorations: the same log with a logger's prefix reads back to the same events ---------- */

static char *key_events(const char *text, size_t n, size_t *attempts)
{
    struct td_transcript_set set;
    read_text(text, n, &set);
    struct td_buf b;
    td_buf_init(&b, 0);
    for (size_t i = 0; i < set.n; i++)
        assert_int_equal(td_mbedlog_key_events(&set.t[i], TD_KEYEV_NOLINES, &b), TD_OK);
    *attempts = set.n;
    td_transcript_set_free(&set);
    size_t len;
    char *s = td_buf_steal(&b, &len);
    return s ? s : calloc(1, 1);
}

/* Rewrites every line of text with prefix/suffix; blank adds a blank line after each. */
static char *decorate(const char *text, const char *(*prefix)(size_t), const char *eol, int blank)
{
    struct td_buf b;
    td_buf_init(&b, 0);
    size_t lineno = 0;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        td_buf_puts(&b, prefix(lineno++));
        td_buf_append(&b, p, len);
        td_buf_puts(&b, eol);
        if (blank)
            td_buf_puts(&b, eol);
        p += len + (nl ? 1 : 0);
    }
    size_t n;
    return td_buf_steal(&b, &n);
}

static const char *no_prefix(size_t i) { (void)i; return ""; }
static const char *espidf_prefix(size_t i) { return i % 2 ? "I (12345) mbedtls: " : "D (99) mbedtls: "; }
static const char *rtt_prefix(size_t i) { (void)i; return "00> "; }
static const char *pointer_prefix(size_t i) { (void)i; return "0x2203d6bc: "; }
static const char *stamp_prefix(size_t i)
{
    (void)i;
    return "[00:00:01.234,000] <dbg> net_sock_tls: tls_debug: ";
}
static const char *thread_prefix(size_t i) { (void)i; return "2024-01-02 10:11:12.345 [tls-worker] DEBUG mbedtls - "; }

static void same_events(const char *plain, const char *(*prefix)(size_t), const char *eol, int blank)
{
    size_t na, nb;
    char *want = key_events(plain, strlen(plain), &na);
    char *deco = decorate(plain, prefix, eol, blank);
    char *got = key_events(deco, strlen(deco), &nb);
    assert_int_equal(na, nb);
    assert_string_equal(got, want);
    free(want);
    free(deco);
    free(got);
}

static void decorations_read_back_the_same(void **state)
{
    (void)state;
    size_t n;
    char *text = slurp("tests/data/logs/seed_2x.log", &n);
    assert_non_null(text);
    same_events(text, no_prefix, "\r\n", 0);
    same_events(text, no_prefix, "\n", 1);
    same_events(text, espidf_prefix, "\r\n", 1);
    same_events(text, rtt_prefix, "\n", 0);
    same_events(text, pointer_prefix, "\n", 0);
    same_events(text, stamp_prefix, "\n", 1);
    same_events(text, thread_prefix, "\n", 0);
    free(text);
}

/* Every dump row cut after its 7th byte, the rest on the next line (a narrow terminal). */
static char *wrap_rows(const char *text)
{
    struct td_buf b;
    td_buf_init(&b, 0);
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        const char *row = strstr(p, "0000:  ");
        for (int k = 1; !row && k < 16; k++) {
            char off[8];
            snprintf(off, sizeof off, "00%x0:  ", k);
            row = strstr(p, off);
        }
        if (row && row < p + len) {
            size_t cut = (size_t)(row - p) + 7 + 7 * 3;   /* offset, then 7 bytes */
            td_buf_append(&b, p, cut);
            td_buf_puts(&b, "\n");
            td_buf_append(&b, p + cut, len - cut);
        } else {
            td_buf_append(&b, p, len);
        }
        td_buf_puts(&b, "\n");
        p += len + (nl ? 1 : 0);
    }
    size_t n;
    return td_buf_steal(&b, &n);
}

static void wrapped_rows_rejoin(void **state)
{
    (void)state;
    size_t n, na, nb;
    char *text = slurp("tests/data/logs/seed_227.log", &n);
    assert_non_null(text);
    char *want = key_events(text, n, &na);
    char *wrapped = wrap_rows(text);
    assert_non_null(strstr(wrapped, "0000:  16 03 01 00 64 01 00 \n00 60 03 03"));
    char *got = key_events(wrapped, strlen(wrapped), &nb);
    assert_int_equal(na, nb);
    assert_string_equal(got, want);
    free(got);
    free(wrapped);
    free(want);
    free(text);
}

static void chunk_splits_do_not_matter(void **state)
{
    (void)state;
    size_t n, na;
    char *text = slurp("tests/data/logs/seed_227.log", &n);
    assert_non_null(text);
    char *want = key_events(text, n, &na);
    size_t steps[] = {1, 2, 3, 7, 64, 4096};
    for (size_t s = 0; s < sizeof steps / sizeof *steps; s++) {
        struct td_mbedlog *ml = td_mbedlog_new(NULL);
        assert_non_null(ml);
        for (size_t off = 0; off < n; off += steps[s])
            assert_int_equal(td_mbedlog_feed(ml, text + off, off + steps[s] > n ? n - off : steps[s]), TD_OK);
        assert_int_equal(td_mbedlog_finish(ml), TD_OK);
        struct td_buf b;
        td_buf_init(&b, 0);
        struct td_transcript t;
        size_t k = 0;
        while (td_mbedlog_next(ml, &t)) {
            td_mbedlog_key_events(&t, TD_KEYEV_NOLINES, &b);
            td_transcript_free(&t);
            k++;
        }
        assert_int_equal(k, na);
        assert_string_equal(b.p, want);
        td_buf_free(&b);
        td_mbedlog_free(ml);
    }
    free(want);
    free(text);
}

/* ---- line shapes and numbers ----------------------------------------------------------------- */

static struct td_transcript_set read_str(const char *s)
{
    struct td_transcript_set set;
    td_transcript_set_init(&set);
    enum td_err e = td_mbedlog_read(s, strlen(s), NULL, &set, NULL);
    assert_true(e == TD_OK || e == TD_ERR_NOTHING_FOUND);
    return set;
}

static void shapes_and_numbers(void **state)
{
    (void)state;
    /* Windows path, old "file(line):" shape (PolarSSL), decimal suite ids */
    struct td_transcript_set s = read_str(
        "..\\PolarSSL\\src\\ssl_tls.c:4095: => handshake\n"
        "ssl_cli.c(0560): client hello, add ciphersuite: 49196\n"
        "ssl_cli.c(0560): client hello, add ciphersuite: 47\n"
        "ssl_tls.c(2011): got an alert message, type: [2:40]\n"
        "ssl_cli.c(1250): ssl_read_record() returned -30592 (-0x7780)\n"
        "ssl_tls.c(4109): <= handshake\n");
    assert_int_equal(s.n, 1);
    assert_int_equal(s.t[0].mbedtls_major, 1);
    assert_int_equal(count_fact(&s.t[0], TD_FACT_OFFERED_SUITE, 0xc02c), 1);
    assert_int_equal(count_fact(&s.t[0], TD_FACT_OFFERED_SUITE, 0x2f), 1);
    assert_int_equal(s.t[0].handshake_ret, -0x7780);
    td_transcript_set_free(&s);

    /* ESP-IDF native hook (no |L|), "Unexpected log level" for level 4, prefix and text on two lines */
    s = read_str("I (100) mbedtls: C:\\esp\\components\\mbedtls\\library\\ssl_tls.c:4670 => handshake\n"
                 "E (101) mbedtls: Unexpected log level 4: dumping 'input record from network' (7 bytes)\n"
                 "E (102) mbedtls: Unexpected log level 4: 0000:  15 03 03 00 02 02 28                             ......(\n"
                 "ssl_msg.c:5274: |2|\n"
                 "got an alert message, type: [2:40]\n"
                 "I (104) mbedtls: ssl_tls.c:4681 <= handshake\n"
                 "E (105) esp-tls-mbedtls: mbedtls_ssl_handshake returned -0x7780\n");
    assert_int_equal(s.n, 1);
    const struct td_event *r = find(&s.t[0], TD_EV_RECORD, TD_ACTOR_SERVER, 0);
    assert_non_null(r);
    assert_int_equal(r->len, 7);
    const struct td_event *a = find(&s.t[0], TD_EV_ALERT, TD_ACTOR_SERVER, 0);
    assert_non_null(a);
    assert_int_equal(a->b, 40);
    assert_int_equal(s.t[0].handshake_ret, -0x7780);
    td_transcript_set_free(&s);

    /* the client sends an alert: its own record is not one it received */
    s = read_str("ssl_tls.c:100: |2| => handshake\n"
                 "ssl_msg.c:4787: |3| send alert level=2 message=80\n"
                 "ssl_msg.c:2708: |4| dumping 'output record sent to network' (7 bytes)\n"
                 "ssl_msg.c:2708: |4| 0000:  15 03 03 00 02 02 50                             ......P\n"
                 "ssl_tls.c:101: |2| <= handshake\n");
    a = find(&s.t[0], TD_EV_ALERT, TD_ACTOR_UNKNOWN, 0);
    assert_non_null(a);
    assert_int_equal(a->from, TD_ACTOR_CLIENT);
    assert_int_equal(a->line, 2);
    assert_int_equal(a->line_end, 4);
    assert_null(find(&s.t[0], TD_EV_RECORD, TD_ACTOR_SERVER, 0));
    td_transcript_set_free(&s);

    /* a server's log: what it sends goes from the server */
    s = read_str("ssl_tls.c:6754: |2| => handshake\n"
                 "ssl_srv.c:4200: |2| server state: 1\n"
                 "ssl_srv.c:1300: |2| => parse client hello\n"
                 "ssl_msg.c:4981: |2| got an alert message, type: [2:48]\n"
                 "ssl_msg.c:2708: |4| dumping 'output record sent to network' (7 bytes)\n"
                 "ssl_msg.c:2708: |4| 0000:  15 03 03 00 02 02 28                             ......(\n"
                 "ssl_tls.c:6764: |2| <= handshake\n");
    assert_int_equal(s.n, 1);
    assert_int_equal(s.t[0].logged_by, TD_ACTOR_SERVER);
    a = find(&s.t[0], TD_EV_ALERT, TD_ACTOR_UNKNOWN, 0);
    assert_non_null(a);
    assert_int_equal(a->from, TD_ACTOR_CLIENT);   /* received by the server: the client sent it */
    r = find(&s.t[0], TD_EV_RECORD, TD_ACTOR_UNKNOWN, 0);
    assert_non_null(r);
    assert_int_equal(r->from, TD_ACTOR_SERVER);
    td_transcript_set_free(&s);

    /* return codes as users print them */
    s = read_str("connect failed, ret = 0xffff8880\n");
    assert_int_equal(s.n, 1);
    assert_int_equal(s.t[0].origin, TD_ORIGIN_APP_OUTPUT);
    const struct td_event *ret = find(&s.t[0], TD_EV_RETURN, TD_ACTOR_UNKNOWN, 0);
    assert_non_null(ret);
    assert_int_equal(ret->code, -0x7780);
    assert_true(ret->flags & TD_EVF_FROM_APP);
    td_transcript_set_free(&s);
}

static void app_output_only(void **state)
{
    (void)state;
    struct td_transcript_set s = read_str(
        "I (1000) wifi: connected\n"
        "E (2000) esp-tls-mbedtls: mbedtls_ssl_handshake returned -0x2700\n"
        "I (2001) esp-tls-mbedtls: verification info: The certificate validity starts in the future\n"
        "E (2002) esp-tls: Failed to open new connection\n"
        "E (5000) esp-tls-mbedtls: mbedtls_ssl_handshake returned -0x7200\n");
    assert_int_equal(s.n, 2);
    assert_int_equal(s.t[0].origin, TD_ORIGIN_APP_OUTPUT);
    assert_int_equal(s.t[0].handshake_ret, -0x2700);
    const struct td_event *v = find(&s.t[0], TD_EV_VERIFY, TD_ACTOR_UNKNOWN, 0);
    assert_non_null(v);
    assert_int_equal(v->code, 0x200);
    assert_int_equal(s.t[1].handshake_ret, -0x7200);
    td_transcript_set_free(&s);
}

static void nothing_found(void **state)
{
    (void)state;
    const char *prose = "Hello all! My handshake fails with error 0x7780 (30592). Any hint?\n\nThanks\n";
    struct td_transcript_set set;
    td_transcript_set_init(&set);
    assert_int_equal(td_mbedlog_read(prose, strlen(prose), NULL, &set, NULL), TD_ERR_NOTHING_FOUND);
    assert_int_equal(set.n, 0);
    assert_int_equal(td_mbedlog_read("", 0, NULL, &set, NULL), TD_ERR_NOTHING_FOUND);
    assert_non_null(strstr(td_mbedlog_nothing_hint(), "mbedtls_debug_set_threshold(4)"));
}

/* Issue 15: an empty line used to be read past its end when looking for ESP-IDF's "I (123) tag:"
 * decoration (strchr finds the terminator), so the bytes a previous longer line left in the line
 * buffer (" (123) app:" here) made the empty line 2 count as ESP-IDF output. */
static void empty_line_is_no_platform(void **state)
{
    (void)state;
    const char *text = "X (123) app: starting\n\n"
                       "ssl_tls.c:5922: |2| => handshake\n"
                       "ssl_cli.c:4261: |2| client state: 0\n"
                       "ssl_tls.c:5933: |2| <= handshake\n";
    struct td_transcript_set set;
    read_text(text, strlen(text), &set);
    assert_true(set.n >= 1);
    for (size_t i = 0; i < set.n; i++)
        assert_int_equal(count_fact(&set.t[i], TD_FACT_PLATFORM, -1), 0);
    td_transcript_set_free(&set);
}

static void truncation_is_reported(void **state)
{
    (void)state;
    size_t n;
    char *text = slurp("tests/data/logs/seed_2x.log", &n);
    assert_non_null(text);
    /* cut inside the second attempt's ClientHello dump (line 87 of 123) */
    size_t cut = 0;
    for (int line = 0; line < 87; line++)
        cut = (size_t)(strchr(text + cut, '\n') - text) + 1;
    struct td_transcript_set set;
    read_text(text, cut - 20, &set);   /* and mid-line */
    assert_int_equal(set.n, 2);
    const struct td_event *r = find(&set.t[1], TD_EV_RECORD, TD_ACTOR_CLIENT, 0);
    assert_non_null(r);
    assert_true(r->flags & TD_EVF_TRUNCATED);
    assert_true(r->len < 86);
    assert_int_equal(set.t[1].stop, TD_STOP_MID_CLIENT_HELLO);
    assert_int_equal(set.t[1].handshake_ret_known, 0);
    td_transcript_set_free(&set);
    /* cut after the ClientHello went out, before the server answered (line 100) */
    cut = 0;
    for (int line = 0; line < 100; line++)
        cut = (size_t)(strchr(text + cut, '\n') - text) + 1;
    read_text(text, cut, &set);
    assert_int_equal(set.t[1].stop, TD_STOP_BEFORE_SERVER_ANSWER);
    td_transcript_set_free(&set);
    free(text);
}

/* Reads b with at most max events an attempt; the log must make one attempt. */
static struct td_transcript_set read_capped(const struct td_buf *b, size_t max, struct td_mbedlog_stats *st)
{
    struct td_mbedlog_opts o = {.max_events = max};
    struct td_transcript_set set;
    td_transcript_set_init(&set);
    assert_int_equal(td_mbedlog_read(b->p, b->len, &o, &set, st), TD_OK);
    assert_int_equal(set.n, 1);
    return set;
}

static void caps_bound_an_attempt(void **state)
{
    (void)state;
    struct td_buf b;
    td_buf_init(&b, 0);
    td_buf_puts(&b, "ssl_tls.c:1: |2| => handshake\n");
    for (int i = 0; i < 500; i++)
        td_buf_puts(&b, "ssl_msg.c:2: |1| mbedtls_ssl_read_record() returned -30592 (-0x7780)\n");
    struct td_mbedlog_stats st;
    struct td_transcript_set set = read_capped(&b, 100, &st);
    assert_true(set.t[0].n_ev <= 100);
    assert_int_equal(st.capped, 1);
    td_transcript_set_free(&set);
    td_buf_free(&b);
}

/* Past the cap, what the certificate verification says is still kept, in a bounded reserve: it is
 * often the cause, printed at the end of a long log (ssl-opt 682, 188,000 lines). */
static void verification_kept_past_the_cap(void **state)
{
    (void)state;
    struct td_buf b;
    td_buf_init(&b, 0);
    td_buf_puts(&b, "ssl_tls.c:1: |2| => handshake\n");
    for (int i = 0; i < 500; i++)
        td_buf_puts(&b, "ssl_msg.c:2: |2| => read record\n");
    for (int i = 0; i < 100; i++)
        td_buf_puts(&b, "  ! The certificate validity has expired\n");
    struct td_mbedlog_stats st;
    struct td_transcript_set set = read_capped(&b, 100, &st);
    size_t verify = 0;
    for (size_t i = 0; i < set.t[0].n_ev; i++)
        verify += set.t[0].ev[i].kind == TD_EV_VERIFY && set.t[0].ev[i].code == 1;
    assert_true(verify > 0);
    assert_true(set.t[0].n_ev <= 100 + 32);
    td_transcript_set_free(&set);
    td_buf_free(&b);
}

/* Renegotiation messages are typed facts, and a renegotiation the application says failed makes
 * the connection's result a failure, though its code (-0x6B00) is one Mbed TLS carries on after
 * inside mbedtls_ssl_read() (lines from ssl-opt.sh 2.28.3 "Renegotiation: client-initiated,
 * server-rejected", debug level 1). */
static void renegotiation_is_a_fact(void **state)
{
    (void)state;
    struct td_transcript_set s = read_str(
        "  . Performing the SSL/TLS handshake... ok\n"
        "    [ Protocol is TLSv1.2 ]\n"
        "  . Performing renegotiation...ssl_cli.c:2062: |1| non-handshake message during renegotiation\n"
        "ssl_tls.c:5883: |1| mbedtls_ssl_handshake() returned -27392 (-0x6b00)\n"
        " failed\n"
        "  ! mbedtls_ssl_renegotiate returned -27392\n");
    assert_true(s.n >= 1);
    assert_true(s.t[s.n - 1].handshake_ret_known);
    assert_int_equal(s.t[s.n - 1].handshake_ret, -0x6B00);
    td_transcript_set_free(&s);
    s = read_str("ssl_srv.c:2102: |1| legacy renegotiation, breaking off handshake\n"
                 "ssl_msg.c:5385: |1| renegotiation requested, but not honored by client\n");
    assert_true(s.n >= 1);
    int codes = 0;
    for (size_t i = 0; i < s.t[0].n_ev; i++)
        if (s.t[0].ev[i].kind == TD_EV_FACT && s.t[0].ev[i].fact == TD_FACT_RENEGO)
            codes |= 1 << s.t[0].ev[i].code;
    assert_int_equal(codes, 1 << TD_RENEGO_LEGACY_BREAK | 1 << TD_RENEGO_NOT_HONORED);
    td_transcript_set_free(&s);
}

/* Mbed TLS 3.x's per-message extension lines are bookkeeping, except one: the server's answer
 * without the max_fragment_length the client asked for becomes a typed fact the rules use. */
static void mfl_not_echoed_is_a_fact(void **state)
{
    (void)state;
    struct td_transcript_set s = read_str(
        "ssl_tls.c:4512: |2| => handshake\n"
        "ssl_client.c:0271: |3| client hello, adding max_fragment_length extension\n"
        "ssl_tls13_client.c:2001: |3| ServerHello: supported_versions(43) extension exists.\n"
        "ssl_tls13_client.c:2110: |3| EncryptedExtensions: max_fragment_length(1) extension does not exist.\n"
        "ssl_tls13_client.c:2111: |3| ServerHello: max_fragment_length(1) extension does not exist.\n");
    assert_true(s.n >= 1);
    size_t facts = 0;
    for (size_t i = 0; i < s.t[0].n_ev; i++)
        if (s.t[0].ev[i].kind == TD_EV_FACT && s.t[0].ev[i].fact == TD_FACT_MFL_NOT_ECHOED) {
            facts++;
            assert_true(s.t[0].ev[i].line == 4 || s.t[0].ev[i].line == 5);
        }
    assert_int_equal(facts, 2);
    td_transcript_set_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seed_thread_has_four_attempts),
        cmocka_unit_test(mfl_not_echoed_is_a_fact),
        cmocka_unit_test(renegotiation_is_a_fact),
        cmocka_unit_test(seed_logs_split_out),
        cmocka_unit_test(decorations_read_back_the_same),
        cmocka_unit_test(chunk_splits_do_not_matter),
        cmocka_unit_test(wrapped_rows_rejoin),
        cmocka_unit_test(shapes_and_numbers),
        cmocka_unit_test(app_output_only),
        cmocka_unit_test(nothing_found),
        cmocka_unit_test(empty_line_is_no_platform),
        cmocka_unit_test(truncation_is_reported),
        cmocka_unit_test(caps_bound_an_attempt),
        cmocka_unit_test(verification_kept_past_the_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
