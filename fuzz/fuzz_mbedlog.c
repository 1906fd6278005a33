/* fuzz_mbedlog.c -- libFuzzer harness for the Mbed TLS log reader: the input is fed in chunks whose
 * sizes come from the input's first bytes (so every split of a line, a dump row or a CRLF is
 * tried), with small caps so the cap paths run too; every completed attempt is rendered as a
 * timeline, key events and JSON, so the renderers see whatever the reader builds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cjson/cJSON.h>
#include "tlsdoctor/mbedlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void render(const struct td_transcript *t, size_t i)
{
    struct td_buf b;
    td_buf_init(&b, 1 << 20);
    td_mbedlog_render_timeline(t, i, 0, TD_TIMELINE_ASCII, &b);
    td_buf_reset(&b);
    td_mbedlog_render_timeline(t, i, 0, TD_TIMELINE_ALL, &b);
    td_buf_reset(&b);
    td_mbedlog_key_events(t, 0, &b);
    td_buf_free(&b);
    cJSON *j = td_transcript_to_json(t);
    char *s = j ? cJSON_PrintUnformatted(j) : NULL;
    free(s);
    cJSON_Delete(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t step = (size_t)data[0] * 7 + 1;
    struct td_mbedlog_opts o = {.max_line = 64 + (size_t)data[1] * 16, .max_events = 400,
                                .max_bytes = 1 << 16};
    data += 2;
    size -= 2;
    struct td_mbedlog *ml = td_mbedlog_new(&o);
    if (!ml)
        return 0;
    size_t n = 0;
    for (size_t off = 0; off < size; off += step) {
        size_t len = off + step > size ? size - off : step;
        if (td_mbedlog_feed(ml, data + off, len) != TD_OK)
            break;
        struct td_transcript t;
        while (td_mbedlog_next(ml, &t)) {
            render(&t, ++n);
            td_transcript_free(&t);
        }
    }
    td_mbedlog_finish(ml);
    struct td_transcript t;
    while (td_mbedlog_next(ml, &t)) {
        render(&t, ++n);
        td_transcript_free(&t);
    }
    td_mbedlog_free(ml);
    return 0;
}
