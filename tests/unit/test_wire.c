/* test_wire.c -- records, reassembly and hello parsing on the founding case's dumps and on
 * hand-built malformed inputs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "tlsdoctor/wire.h"

/* The founding case's two ClientHello records (seeds/000_df399537d9f9fe90.txt) and the alert. */
static const uint8_t ch1[] = {
    0x16, 0x03, 0x01, 0x00, 0x51, 0x01, 0x00, 0x00, 0x4d, 0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x11,
    0x0f, 0x97, 0x2f, 0xf9, 0xd5, 0x13, 0x21, 0x14, 0x1a, 0x34, 0xa1, 0xa7, 0xa3, 0x94, 0x6e, 0xe3,
    0x14, 0xab, 0x22, 0x98, 0x15, 0x53, 0x98, 0xb8, 0x89, 0x49, 0x92, 0x00, 0x00, 0x06, 0xc0, 0x2c,
    0xc0, 0x2b, 0x00, 0xff, 0x01, 0x00, 0x00, 0x1e, 0x00, 0x0d, 0x00, 0x0a, 0x00, 0x08, 0x06, 0x03,
    0x05, 0x03, 0x04, 0x03, 0x03, 0x03, 0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00, 0x18, 0x00, 0x17,
    0x00, 0x0b, 0x00, 0x02, 0x01, 0x00};
static const uint8_t ch2[] = {
    0x16, 0x03, 0x01, 0x00, 0x64, 0x01, 0x00, 0x00, 0x60, 0x03, 0x03, 0xff, 0xff, 0xff, 0xff, 0x9a,
    0x60, 0x1a, 0x59, 0x9b, 0xb4, 0x88, 0xa0, 0x66, 0x04, 0xe0, 0xad, 0x88, 0xe3, 0x65, 0xb0, 0x4d,
    0xde, 0x7a, 0x92, 0xe1, 0xdf, 0xb6, 0x95, 0x6b, 0x9a, 0xcb, 0x01, 0x00, 0x00, 0x0a, 0xc0, 0x2c,
    0xc0, 0x2b, 0xc0, 0x2f, 0xc0, 0x30, 0x00, 0xff, 0x01, 0x00, 0x00, 0x2d, 0x00, 0x0d, 0x00, 0x12,
    0x00, 0x10, 0x06, 0x03, 0x06, 0x01, 0x05, 0x03, 0x05, 0x01, 0x04, 0x03, 0x04, 0x01, 0x03, 0x03,
    0x03, 0x01, 0x00, 0x0a, 0x00, 0x08, 0x00, 0x06, 0x00, 0x18, 0x00, 0x17, 0x00, 0x1e, 0x00, 0x0b,
    0x00, 0x02, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x03};
static const uint8_t alert80[] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50};

static void record_of(const uint8_t *in, size_t n, struct td_record *rec)
{
    size_t pos = 0;
    struct td_wire_err e = {TD_OK, 0, NULL};
    assert_int_equal(td_wire_record_next(in, n, &pos, 0, rec, &e), TD_OK);
    assert_int_equal(e.code, TD_OK);
    assert_int_equal(pos, n);
}

static void founding_first_client_hello(void **state)
{
    (void)state;
    struct td_record rec;
    record_of(ch1, sizeof ch1, &rec);
    assert_int_equal(rec.type, 22);
    assert_int_equal(rec.version, 0x0301);
    assert_int_equal(rec.body.p[0], TD_HS_CLIENT_HELLO);
    struct td_client_hello ch;
    size_t off = 99;
    assert_int_equal(td_wire_parse_client_hello(rec.body.p + 4, rec.body.len - 4, &ch, &off), TD_OK);
    assert_int_equal(ch.legacy_version, 0x0303);
    assert_int_equal(ch.session_id.len, 0);
    assert_int_equal(ch.suites.n, 3);
    assert_int_equal(td_u16_at(ch.suites, 0), 0xc02c);
    assert_int_equal(td_u16_at(ch.suites, 1), 0xc02b);
    assert_int_equal(td_u16_at(ch.suites, 2), 0x00ff);
    assert_int_equal(ch.x.n_ext, 3);
    assert_int_equal(ch.x.ext[0].type, 13);
    assert_int_equal(ch.x.ext[1].type, 10);
    assert_int_equal(ch.x.ext[2].type, 11);
    assert_false(ch.x.has_sni);
    assert_false(ch.x.has_sni_ext);
    assert_false(ch.x.has_mfl);
    assert_int_equal(ch.x.groups.n, 2);
    assert_int_equal(td_u16_at(ch.x.groups, 0), 0x0018);
    assert_int_equal(td_u16_at(ch.x.groups, 1), 0x0017);
    assert_int_equal(ch.x.sigalgs.n, 4);
    assert_int_equal(td_u16_at(ch.x.sigalgs, 0), 0x0603);
    assert_int_equal(ch.x.point_formats.len, 1);
    assert_int_equal(ch.x.point_formats.p[0], 0);
}

static void founding_second_client_hello(void **state)
{
    (void)state;
    struct td_record rec;
    record_of(ch2, sizeof ch2, &rec);
    assert_int_equal(rec.version, 0x0301);
    struct td_client_hello ch;
    struct td_wire_err e = {TD_OK, 0, NULL};
    assert_int_equal(td_wire_parse_client_hello_ex(rec.body.p + 4, rec.body.len - 4, 9, &ch, &e), TD_OK);
    assert_int_equal(ch.legacy_version, 0x0303);
    static const uint16_t want[] = {0xc02c, 0xc02b, 0xc02f, 0xc030, 0x00ff};
    assert_int_equal(ch.suites.n, 5);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(td_u16_at(ch.suites, i), want[i]);
    assert_int_equal(ch.x.n_ext, 4);
    assert_int_equal(ch.x.ext[3].type, 1);
    assert_int_equal(ch.x.ext[3].off, 0x64);    /* offset in the record, via base_off = 9 */
    assert_true(ch.x.has_mfl);
    assert_int_equal(ch.x.mfl, 3);               /* 2048 */
    assert_int_equal(ch.x.groups.n, 3);
    assert_int_equal(td_u16_at(ch.x.groups, 2), 0x001e);   /* x448 */
    assert_false(ch.x.has_sni);
    assert_int_equal(ch.x.sigalgs.n, 8);
}

static void founding_alert(void **state)
{
    (void)state;
    struct td_record rec;
    record_of(alert80, sizeof alert80, &rec);
    assert_int_equal(rec.type, TD_CT_ALERT);
    struct td_alert a;
    assert_int_equal(td_wire_parse_alert(rec.body.p, rec.body.len, 5, &a, NULL), TD_OK);
    assert_int_equal(a.level, 2);
    assert_int_equal(a.desc, 80);
}

/* Every prefix of the ClientHello: an error with an offset inside the input, never a crash,
 * and the suites stay decoded once the input reaches past them. */
static void truncated_hello_keeps_what_it_decoded(void **state)
{
    (void)state;
    const uint8_t *body = ch2 + 9;
    size_t n = sizeof ch2 - 9;
    for (size_t cut = 0; cut < n; cut++) {
        uint8_t *copy = malloc(cut ? cut : 1);
        memcpy(copy, body, cut);
        struct td_client_hello ch;
        struct td_wire_err e = {TD_OK, 0, NULL};
        enum td_err rc = td_wire_parse_client_hello_ex(copy, cut, 0, &ch, &e);
        if (cut == 2 + 32 + 1 + 2 + 10 + 2) {   /* a complete hello without extensions */
            assert_int_equal(rc, TD_OK);
            free(copy);
            continue;
        }
        assert_int_not_equal(rc, TD_OK);
        assert_non_null(e.expected);
        assert_true(e.off <= cut);
        if (cut >= 2 + 32 + 1 + 2 + 10)
            assert_int_equal(ch.suites.n, 5);
        free(copy);
    }
}

static void lying_lengths_are_reported(void **state)
{
    (void)state;
    uint8_t bad[sizeof ch2];
    memcpy(bad, ch2, sizeof bad);
    bad[9 + 35 + 1] = 0x40;        /* cipher_suites length 0x0040: more than the message holds */
    struct td_client_hello ch;
    struct td_wire_err e = {TD_OK, 0, NULL};
    assert_int_equal(td_wire_parse_client_hello_ex(bad + 9, sizeof bad - 9, 9, &ch, &e), TD_ERR_TRUNCATED);
    assert_int_equal(e.off, 9 + 35);
    assert_string_equal(e.expected, "cipher_suites length (2..65534)");

    memcpy(bad, ch2, sizeof bad);
    bad[0x62] = 0x05;              /* ec_point_formats list length 5 inside a 2-byte extension */
    memset(&e, 0, sizeof e);
    assert_int_not_equal(td_wire_parse_client_hello_ex(bad + 9, sizeof bad - 9, 9, &ch, &e), TD_OK);
    assert_int_equal(e.off, 0x62);
    assert_true(ch.x.has_mfl);     /* the extension after the bad one is still decoded */
}

static void records_sharing_and_splitting_reads(void **state)
{
    (void)state;
    uint8_t stream[sizeof ch1 + sizeof alert80];
    memcpy(stream, ch1, sizeof ch1);
    memcpy(stream + sizeof ch1, alert80, sizeof alert80);
    size_t pos = 0;
    struct td_record rec;
    assert_int_equal(td_wire_record_next(stream, sizeof stream, &pos, 0, &rec, NULL), TD_OK);
    assert_int_equal(rec.type, 22);
    assert_int_equal(td_wire_record_next(stream, sizeof stream, &pos, 0, &rec, NULL), TD_OK);
    assert_int_equal(rec.type, 21);
    assert_int_equal(rec.off, sizeof ch1);
    assert_int_equal(pos, sizeof stream);
    /* only part of a record */
    pos = 0;
    struct td_wire_err e = {TD_OK, 0, NULL};
    assert_int_equal(td_wire_record_next(alert80, 6, &pos, 0, &rec, &e), TD_ERR_TRUNCATED);
    assert_true(rec.truncated);
    assert_int_equal(rec.body.len, 1);
    assert_int_equal(e.off, 5);
    assert_int_equal(pos, 0);      /* unchanged: the caller may append and retry */
    /* not a record */
    pos = 0;
    memset(&e, 0, sizeof e);
    assert_int_equal(td_wire_record_next(ch1 + 1, 10, &pos, 0, &rec, &e), TD_ERR_BAD_VALUE);
    assert_int_equal(pos, 0);
}

static void handshake_split_over_records(void **state)
{
    (void)state;
    /* The ClientHello message split into 3 records, then a ServerHelloDone and a second message
     * sharing one record. */
    const uint8_t *msg = ch2 + 5;
    size_t n = sizeof ch2 - 5;
    struct td_hs_reasm h;
    struct td_hs_msg m;
    td_hs_reasm_init(&h, 0, 0);
    assert_int_equal(td_hs_reasm_add(&h, msg, 3, 100), TD_OK);
    assert_int_equal(td_hs_reasm_next(&h, &m, NULL), 0);
    assert_int_equal(td_hs_reasm_add(&h, msg + 3, 40, 200), TD_OK);
    assert_int_equal(td_hs_reasm_next(&h, &m, NULL), 0);
    assert_int_equal(td_hs_reasm_add(&h, msg + 43, n - 43, 300), TD_OK);
    assert_int_equal(td_hs_reasm_next(&h, &m, NULL), 1);
    assert_int_equal(m.type, TD_HS_CLIENT_HELLO);
    assert_int_equal(m.length, n - 4);
    assert_int_equal(m.off, 100);
    assert_int_equal(m.n_records, 3);
    struct td_client_hello ch;
    assert_int_equal(td_wire_parse_client_hello(m.body.p, m.body.len, &ch, NULL), TD_OK);
    assert_int_equal(ch.suites.n, 5);
    assert_int_equal(td_hs_reasm_next(&h, &m, NULL), 0);
    const uint8_t two[] = {14, 0, 0, 0, 20, 0, 0, 2, 0xaa, 0xbb};
    assert_int_equal(td_hs_reasm_add(&h, two, sizeof two, 500), TD_OK);
    assert_int_equal(td_hs_reasm_next(&h, &m, NULL), 1);
    assert_int_equal(m.type, TD_HS_SERVER_HELLO_DONE);
    assert_int_equal(m.off, 500);
    assert_int_equal(td_hs_reasm_next(&h, &m, NULL), 1);
    assert_int_equal(m.type, TD_HS_FINISHED);
    assert_int_equal(m.off, 504);
    assert_int_equal(m.body.len, 2);
    assert_int_equal(td_hs_reasm_pending(&h), 0);
    td_hs_reasm_free(&h);
}

static void server_hello_tls13_and_hrr(void **state)
{
    (void)state;
    uint8_t sh[2 + 32 + 1 + 2 + 1 + 2 + 6 + 8];
    size_t i = 0;
    sh[i++] = 3; sh[i++] = 3;
    static const uint8_t hrr[32] = {
        0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
        0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};
    memcpy(sh + i, hrr, 32); i += 32;
    sh[i++] = 0;                                 /* session id */
    sh[i++] = 0x13; sh[i++] = 0x01;              /* suite */
    sh[i++] = 0;                                 /* compression */
    sh[i++] = 0; sh[i++] = 12;                   /* extensions */
    const uint8_t ext[] = {0x00, 0x2b, 0x00, 0x02, 0x03, 0x04, 0x00, 0x33, 0x00, 0x02, 0x00, 0x17};
    memcpy(sh + i, ext, sizeof ext); i += sizeof ext;
    struct td_server_hello s;
    assert_int_equal(td_wire_parse_server_hello(sh, i, &s, NULL), TD_OK);
    assert_true(s.is_hrr);
    assert_int_equal(s.version, 0x0304);
    assert_int_equal(s.suite, 0x1301);
    assert_true(s.x.has_hrr_group);
    assert_int_equal(s.x.hrr_group, 0x17);
    assert_int_equal(td_u16_at(s.x.key_share_groups, 0), 0x17);
}

/* A stream arriving one byte per read: records come out whole once their last byte is there. */
static void records_from_a_trickle(void **state)
{
    (void)state;
    uint8_t stream[sizeof ch2 + sizeof alert80];
    memcpy(stream, ch2, sizeof ch2);
    memcpy(stream + sizeof ch2, alert80, sizeof alert80);
    size_t have = 0, pos = 0, got = 0;
    uint8_t types[2] = {0, 0};
    while (have < sizeof stream) {
        have++;
        struct td_record rec;
        while (td_wire_record_next(stream, have, &pos, 0, &rec, NULL) == TD_OK) {
            assert_true(got < 2);
            assert_int_equal(pos, have);
            types[got++] = rec.type;
        }
    }
    assert_int_equal(got, 2);
    assert_int_equal(types[0], TD_CT_HANDSHAKE);
    assert_int_equal(types[1], TD_CT_ALERT);
}

/* DTLS 1.2: 13-byte record headers, 12-byte handshake headers, a ClientHello with a cookie sent
 * in two fragments (two records), joined back. */
static void dtls_fragments_joined(void **state)
{
    (void)state;
    uint8_t body[2 + 32 + 1 + 1 + 4 + 2 + 2 + 1 + 1];
    size_t i = 0;
    body[i++] = 0xfe; body[i++] = 0xfd;
    memset(body + i, 0xab, 32); i += 32;
    body[i++] = 0;                                  /* session id */
    body[i++] = 4;                                  /* cookie */
    memset(body + i, 0xcc, 4); i += 4;
    body[i++] = 0; body[i++] = 2; body[i++] = 0xc0; body[i++] = 0x2b;
    body[i++] = 1; body[i++] = 0;
    assert_int_equal(i, sizeof body);
    size_t blen = i, cut = 20;
    uint8_t stream[2 * (13 + 12) + sizeof body];
    size_t s = 0;
    for (int frag = 0; frag < 2; frag++) {
        size_t foff = frag ? cut : 0, flen = frag ? blen - cut : cut;
        const uint8_t rh[13] = {22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, (uint8_t)frag, 0, (uint8_t)(12 + flen)};
        memcpy(stream + s, rh, 13); s += 13;
        const uint8_t hh[12] = {1, 0, 0, (uint8_t)blen, 0, 0, 0, 0, (uint8_t)foff, 0, 0, (uint8_t)flen};
        memcpy(stream + s, hh, 12); s += 12;
        memcpy(stream + s, body + foff, flen); s += flen;
    }
    assert_true(td_wire_sniff_dtls(stream, s));
    struct td_hs_reasm h;
    struct td_hs_msg m;
    td_hs_reasm_init(&h, 1, 0);
    size_t pos = 0;
    struct td_record rec;
    int msgs = 0;
    while (pos < s) {
        assert_int_equal(td_wire_record_next(stream, s, &pos, 1, &rec, NULL), TD_OK);
        assert_int_equal(rec.version, 0xfefd);
        assert_int_equal(td_hs_reasm_add(&h, rec.body.p, rec.body.len, rec.off + 13), TD_OK);
        while (td_hs_reasm_next(&h, &m, NULL) == 1) {
            msgs++;
            assert_int_equal(m.type, TD_HS_CLIENT_HELLO);
            assert_int_equal(m.body.len, blen);
            struct td_client_hello ch;
            assert_int_equal(td_wire_parse_client_hello(m.body.p, m.body.len, &ch, NULL), TD_OK);
            assert_int_equal(ch.dtls_cookie.len, 4);
            assert_int_equal(td_u16_at(ch.suites, 0), 0xc02b);
        }
    }
    assert_int_equal(rec.seq, 1);
    assert_int_equal(msgs, 1);
    td_hs_reasm_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(founding_first_client_hello),
        cmocka_unit_test(founding_second_client_hello),
        cmocka_unit_test(founding_alert),
        cmocka_unit_test(truncated_hello_keeps_what_it_decoded),
        cmocka_unit_test(lying_lengths_are_reported),
        cmocka_unit_test(records_sharing_and_splitting_reads),
        cmocka_unit_test(handshake_split_over_records),
        cmocka_unit_test(server_hello_tls13_and_hrr),
        cmocka_unit_test(records_from_a_trickle),
        cmocka_unit_test(dtls_fragments_joined),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
