/* test_wire_hex.c -- hex text in the shapes people paste, and Mbed TLS dump lines from logs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "tlsdoctor/hex.h"

static const uint8_t alert[] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50};

static void expect_alert(const char *text)
{
    struct td_buf b;
    td_buf_init(&b, 0);
    size_t nb = 0;
    struct td_hex_block blk[4];
    assert_int_equal(td_hex_parse_text(text, strlen(text), &b, blk, 4, &nb, NULL), TD_OK);
    assert_int_equal(nb, 1);
    assert_int_equal(b.len, sizeof alert);
    assert_memory_equal(b.p, alert, sizeof alert);
    td_buf_free(&b);
}

static void shapes(void **state)
{
    (void)state;
    expect_alert("15030300020250\n");
    expect_alert("15 03 03 00 02 02 50");
    expect_alert("15:03:03:00:02:02:50\n");
    expect_alert("0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50");
    expect_alert("static const unsigned char rec[] = {\n  0x15, 0x03, 0x03,\n  0x00, 0x02, 0x02, 0x50\n};\n");
    expect_alert("\\x15\\x03\\x03\\x00\\x02\\x02\\x50");
    expect_alert("1503 0300 0202 50\r\n");
    expect_alert("0000:  15 03 03 00 02 02 50                             ......P\n");
    expect_alert("ssl_msg.c:3878: |4| 0000:  15 03 03 00 02 02 50                             ......P\n");
    expect_alert("I (12428) mbedtls: ssl_msg.c:3878: |4| 0000:  15 03 03 00 02 02 50   ......P\n");
    expect_alert("ssl_msg.c:3878: |4| 0000:  15 03 03 00 02 02 50\n");
    expect_alert("ssl_msg.c:3878: |4| dumping 'input record from network' (7 bytes)\n"
                 "ssl_msg.c:3878: |4| 0000:  15 03 03 00 02 02 50                             ......P\n"
                 "ssl_msg.c:4981: |2| got an alert message, type: [2:80]\n");
}

static void ascii_column_that_looks_like_hex(void **state)
{
    (void)state;
    /* 16 bytes whose ASCII column is "ab cd ef ..." text: only the 16 bytes count */
    const char *row = "0000:  61 62 20 63 64 20 65 66 61 62 20 63 64 20 65 66  ab cd efab cd ef\n"
                      "0010:  01 02                                            ..\n";
    struct td_buf b;
    td_buf_init(&b, 0);
    size_t nb;
    struct td_hex_block blk[2];
    assert_int_equal(td_hex_parse_text(row, strlen(row), &b, blk, 2, &nb, NULL), TD_OK);
    assert_int_equal(b.len, 18);
    assert_int_equal((uint8_t)b.p[16], 1);
    td_buf_free(&b);
}

static void blocks_and_labels(void **state)
{
    (void)state;
    const char *log =
        "ssl_msg.c:2950: |4| dumping 'output record sent to network' (9 bytes)\n"
        "ssl_msg.c:2950: |4| 0000:  16 03 01 00 04 0e 00 00 00                       .........\n"
        "ssl_msg.c:2951: |2| message length: 9, out_left: 9\n"
        "ssl_msg.c:3878: |4| dumping 'input record from network' (7 bytes)\n"
        "ssl_msg.c:3878: |4| 0000:  15 03 03 00 02 02 50                             ......P\n"
        "0000:  15 03 03 00 02 02 50\n";
    struct td_buf b;
    td_buf_init(&b, 0);
    size_t nb;
    struct td_hex_block blk[4];
    assert_int_equal(td_hex_parse_text(log, strlen(log), &b, blk, 4, &nb, NULL), TD_OK);
    assert_int_equal(nb, 3);                       /* the offset restarting at 0 splits */
    assert_string_equal(blk[0].label, "output record sent to network");
    assert_int_equal(blk[0].len, 9);
    assert_int_equal(blk[0].line, 2);
    assert_string_equal(blk[1].label, "input record from network");
    assert_int_equal(blk[1].off, 9);
    assert_int_equal(blk[2].len, 7);
    td_buf_free(&b);
}

static void text_and_errors(void **state)
{
    (void)state;
    struct td_buf b;
    td_buf_init(&b, 0);
    size_t nb;
    uint32_t line = 0;
    const char *text = "client hello, add ciphersuite: c02c\nssl_tls.c:2910: |3| output record: msgtype = 22\n";
    assert_int_equal(td_hex_parse_text(text, strlen(text), &b, NULL, 0, &nb, NULL), TD_ERR_NOTHING_FOUND);
    const char *odd = "15 03\n150303000202500\n";
    assert_int_equal(td_hex_parse_text(odd, strlen(odd), &b, NULL, 0, &nb, &line), TD_ERR_SYNTAX);
    assert_int_equal(line, 2);
    td_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shapes),
        cmocka_unit_test(ascii_column_that_looks_like_hex),
        cmocka_unit_test(blocks_and_labels),
        cmocka_unit_test(text_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
