/* fuzz_explain.c -- libFuzzer harness for tlsdoctor explain: the first byte picks the kind (and
 * JSON or text), the rest is the pasted value; every kind's parser and renderer must take any
 * bytes without crashing, leaking or writing out of bounds, and a failure must leave out empty. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tlsdoctor/explain.h"
#include "explain/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    enum td_explain_kind kind = (enum td_explain_kind)(data[0] % 9);
    unsigned flags = (data[0] & 0x80) ? TD_EXPLAIN_JSON : 0;
    char *s = malloc(size);
    if (!s)
        return 0;
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';   /* the value stops at the first NUL, as a C string would */

    struct td_buf out;
    char msg[256];
    td_buf_init(&out, 1 << 16);
    enum td_err e = td_explain(kind, s, flags, &out, msg, sizeof msg);
    if (e != TD_OK && out.len != 0)
        abort();
    if (e != TD_OK && !memchr(msg, '\0', sizeof msg))
        abort();
    td_buf_free(&out);

    struct td_num n;
    int code;
    if (td_num_parse(s, &n) == TD_OK)
        (void)td_num_to_mbedtls_code(&n, &code);
    unsigned l, d;
    (void)td_find_alert_pair(s, &l, &d);
    free(s);
    return 0;
}
