/* describe.c -- one plain sentence for what a server did with one ClientHello. */
#include <ctype.h>
#include <stdio.h>
#include "tlsdoctor/probe.h"
#include "tlsdoctor/reg.h"

static void put_alert(struct td_buf *out, uint8_t level, uint8_t desc)
{
    const char *nm = td_reg_alert_name(desc);
    const char *lv = level == 2 ? "fatal alert" : level == 1 ? "warning alert" : "alert";
    if (level == 1 || level == 2)
        td_buf_printf(out, "a %s %u (%s)", lv, desc, nm ? nm : "unknown");
    else
        td_buf_printf(out, "an alert %u (%s) with invalid level %u", desc, nm ? nm : "unknown",
                      level);
}

static void put_first_bytes(struct td_buf *out, const struct td_probe_answer *a)
{
    for (size_t i = 0; i < a->n_first; i++)
        td_buf_printf(out, "%s%02x", i ? " " : "", a->first_bytes[i]);
    td_buf_puts(out, " (\"");
    for (size_t i = 0; i < a->n_first; i++)
        td_buf_putc(out, isprint(a->first_bytes[i]) ? (char)a->first_bytes[i] : '.');
    td_buf_puts(out, "\")");
}

static void put_hello(struct td_buf *out, const struct td_probe_answer *a)
{
    const char *v = td_reg_version_name(a->version);
    const char *s = td_reg_suite_name(a->suite);
    td_buf_printf(out, "the server answered with a ServerHello for %s", v ? v : "an unknown version");
    if (!v)
        td_buf_printf(out, " (0x%04x)", a->version);
    td_buf_printf(out, " and %s", s ? s : "an unknown cipher suite");
    if (!s)
        td_buf_printf(out, " (0x%04x)", a->suite);
    if (a->alert_after_hello) {
        td_buf_puts(out, ", then ");
        put_alert(out, a->alert_level, a->alert_desc);
    }
}

/* see probe.h */
enum td_err td_probe_answer_describe(const struct td_probe_answer *a, struct td_buf *out)
{
    switch (a->outcome) {
    case TD_PO_NONE: td_buf_puts(out, "no ClientHello was sent"); break;
    case TD_PO_SERVER_HELLO: put_hello(out, a); break;
    case TD_PO_HRR: {
        const char *g = td_reg_group_name(a->group);
        td_buf_printf(out, "the server asked for a key share for %s (HelloRetryRequest)",
                      g ? g : "an unknown group");
        break;
    }
    case TD_PO_ALERT:
        td_buf_puts(out, "the server sent ");
        put_alert(out, a->alert_level, a->alert_desc);
        break;
    case TD_PO_CLOSED:
        if (a->bytes)
            td_buf_printf(out, "the server closed the connection after %zu bytes, before its answer was complete",
                          a->bytes);
        else
            td_buf_puts(out, "the server closed the connection without sending anything");
        break;
    case TD_PO_RESET:
        td_buf_puts(out, "the server reset the connection (TCP RST)");
        if (a->bytes)
            td_buf_printf(out, " after %zu bytes", a->bytes);
        break;
    case TD_PO_TIMEOUT:
        if (a->bytes)
            td_buf_printf(out, "the server sent only %zu bytes in %s and did not complete its answer",
                          a->bytes, a->detail[0] ? a->detail : "the time allowed");
        else
            td_buf_printf(out, "the server sent nothing in %s",
                          a->detail[0] ? a->detail : "the time allowed");
        break;
    case TD_PO_GARBAGE:
        td_buf_puts(out, "the server answered with bytes that are not TLS: ");
        put_first_bytes(out, a);
        break;
    case TD_PO_OVERSIZED:
        if (a->detail[0] == 'r')
            td_buf_printf(out, "the server announced a record of %u bytes, more than TLS allows (18432)",
                          a->oversized_len);
        else
            td_buf_printf(out, "the server announced a handshake message of %u bytes, more than tlsdoctor accepts (131072)",
                          a->oversized_len);
        break;
    case TD_PO_TOO_MUCH:
        td_buf_printf(out, "the server sent %zu bytes without completing its answer, more than tlsdoctor reads",
                      a->bytes);
        break;
    case TD_PO_VIOLATION: td_buf_puts(out, a->detail); break;
    case TD_PO_CONNECT_FAILED:
        td_buf_printf(out, "could not connect: %s", a->detail[0] ? a->detail : "unknown reason");
        break;
    }
    return out->err;
}
