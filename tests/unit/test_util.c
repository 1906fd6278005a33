/* test_util.c -- the bounded reader and the capped buffer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "util/rd.h"
#include "tlsdoctor/buf.h"

static void rd_reads_big_endian_and_stops_at_end(void **state)
{
    (void)state;
    const uint8_t in[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06};
    struct td_rd r;
    td_rd_init(&r, in, sizeof in, 10);
    assert_int_equal(td_rd_u8(&r), 0x01);
    assert_int_equal(td_rd_u16(&r), 0x0203);
    assert_int_equal(td_rd_u24(&r), 0x040506);
    assert_int_equal(r.off, 16);
    assert_int_equal(r.err, TD_OK);
    assert_int_equal(td_rd_u8(&r), 0);
    assert_int_equal(r.err, TD_ERR_TRUNCATED);
    /* sticky: a later read that would fit still fails */
    assert_int_equal(td_rd_u16(&r), 0);
    assert_int_equal(r.err, TD_ERR_TRUNCATED);
}

static void rd_vec_checks_bounds(void **state)
{
    (void)state;
    const uint8_t in[] = {0x00, 0x04, 0xc0, 0x2c, 0xc0, 0x2b, 0xff};
    struct td_rd r, v;
    td_rd_init(&r, in, sizeof in, 0);
    assert_int_equal(td_rd_vec(&r, 2, 2, 0xfffe, &v), TD_OK);
    assert_int_equal(v.left, 4);
    assert_int_equal(td_rd_u16(&v), 0xc02c);
    assert_int_equal(r.left, 1);

    const uint8_t too_long[] = {0x00, 0x09, 0x01};
    td_rd_init(&r, too_long, sizeof too_long, 0);
    assert_int_equal(td_rd_vec(&r, 2, 0, 0xffff, &v), TD_ERR_TRUNCATED);
    assert_int_equal(v.left, 0);

    const uint8_t too_short[] = {0x01, 0x01};
    td_rd_init(&r, too_short, sizeof too_short, 0);
    assert_int_equal(td_rd_vec(&r, 1, 2, 255, &v), TD_ERR_BAD_LENGTH);
}

static void buf_caps_and_formats(void **state)
{
    (void)state;
    struct td_buf b;
    td_buf_init(&b, 8);
    assert_int_equal(td_buf_printf(&b, "%d-%s", 42, "ab"), TD_OK);
    assert_string_equal(b.p, "42-ab");
    assert_int_equal(td_buf_puts(&b, "toolong"), TD_ERR_TOO_LARGE);
    assert_int_equal(b.err, TD_ERR_TOO_LARGE);
    assert_string_equal(b.p, "42-ab");
    td_buf_free(&b);
    assert_null(b.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rd_reads_big_endian_and_stops_at_end),
        cmocka_unit_test(rd_vec_checks_bounds),
        cmocka_unit_test(buf_caps_and_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
