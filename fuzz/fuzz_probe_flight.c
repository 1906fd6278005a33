/* fuzz_probe_flight.c -- the probe's server-flight reader on arbitrary server bytes, fed in chunks
 * whose size the first input byte picks; with an X25519 key share so TLS 1.3 paths run too. What
 * it read goes through every renderer of an answer: the one-line description and the chain facts
 * as text and JSON (verified against an empty CA file, so no trust store is loaded per run). */
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "tlsdoctor/probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct td_buf hello;
static struct td_probe_keys keys;

static void setup(void)
{
    struct td_hello_spec s;
    td_probe_spec_default(&s);
    s.n_shares = 1;
    snprintf(s.sni, sizeof s.sni, "lab.test");
    td_buf_init(&hello, 65536);
    td_probe_keys_init(&keys);
    td_probe_hello_build(&s, &keys, &hello);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!hello.p)
        setup();
    if (size < 1)
        return 0;
    size_t chunk = (size_t)data[0] % 64 + 1;
    struct td_flight f;
    if (td_flight_init(&f, (const uint8_t *)hello.p, hello.len, &keys,
                       data[0] & 0x80 ? TD_WANT_CERT : TD_WANT_HELLO) != TD_OK)
        return 0;
    enum td_flight_status st = TD_FLIGHT_MORE;
    for (size_t i = 1; i < size && st == TD_FLIGHT_MORE; i += chunk)
        st = td_flight_push(&f, data + i, i + chunk <= size ? chunk : size - i);
    if (st == TD_FLIGHT_MORE)
        td_flight_end(&f, TD_PO_CLOSED, TD_ERR_PEER_CLOSED, NULL);
    struct td_probe_answer a;
    td_flight_take(&f, &a);
    struct td_buf b;
    td_buf_init(&b, 0);
    td_probe_answer_describe(&a, &b);
    td_buf_reset(&b);
    td_probe_chain_text(&a, "lab.test", "/dev/null", &b);
    td_buf_free(&b);
    cJSON *o = cJSON_CreateObject();
    if (o)
        td_probe_chain_json(&a, "lab.test", "/dev/null", o);
    cJSON_Delete(o);
    td_probe_answer_free(&a);
    return 0;
}
