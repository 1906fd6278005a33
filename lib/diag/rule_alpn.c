/* rule_alpn.c -- no application protocol in common (alpn-no-common), from the client's log and the
 * server's. What Mbed TLS does, from its sources: a 2.28 server (ssl_srv.c ssl_parse_alpn_ext())
 * that finds none of the client's ALPN protocols in its own list (mbedtls_ssl_conf_alpn_protocols())
 * sends no_application_protocol (120) and fails the ClientHello (-0x7900); 3.6 has an error code
 * for it, MBEDTLS_ERR_SSL_NO_APPLICATION_PROTOCOL (the generated table's row). ssl-opt.sh's "ALPN:
 * both, no common" is this. */
#include <stdio.h>
#include <string.h>
#include "diag_int.h"
#include "rules_int.h"
#include "tlsdoctor/mbedtls.h"
#include "tlsdoctor/tls_ids.h"
#include "util/rd.h"


/* The client's ALPN protocols from its decoded ClientHello, "a, b" (printable bytes only), into
 * out; 0 when the log has no ClientHello bytes or no ALPN in it. */
static int alpn_list(const struct dx_facts *fx, char *out, size_t cap)
{
    out[0] = '\0';
    if (!fx->has_ch || !fx->ch.x.has_alpn || !fx->ch.x.alpn.p || cap < 8)
        return 0;
    struct td_rd r;
    td_rd_init(&r, fx->ch.x.alpn.p, fx->ch.x.alpn.len, 0);
    size_t used = 0;
    int n = 0;
    while (r.left && r.err == TD_OK) {
        uint8_t len = td_rd_u8(&r);
        const uint8_t *p = td_rd_bytes(&r, len);
        if (!p || used + len + 3 >= cap)
            break;
        if (n++)
            used += (size_t)snprintf(out + used, cap - used, ", ");
        for (size_t i = 0; i < len; i++)
            out[used++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
        out[used] = '\0';
    }
    return n;
}

/* The alert 120 the server sent, or the 3.x return that means it, or NULL. */
static const struct td_event *no_alpn(const struct dx_facts *fx, const struct td_event **ret)
{
    *ret = NULL;
    if (fx->srv_alert && fx->srv_alert->b == TD_ALERT_NO_APPLICATION_PROTOCOL)
        return fx->srv_alert;
    /* the code is 3.x's; in 2.x its value means something else */
    int64_t code = fx->major >= 3 ? dx_err_code("SSL_NO_APPLICATION_PROTOCOL") : 0;
    *ret = code ? dx_find_ret(fx, code) : NULL;
    if (!*ret && code && fx->hs_failed && fx->hs_ret == code)
        *ret = fx->hs_ret_ev ? fx->hs_ret_ev : fx->fail_ret;
    return NULL;
}

static const char aws_note[] = " AWS IoT Core takes MQTT on port 443 only with the ALPN protocol "
                               "\"x-amzn-mqtt-ca\" (8883 needs none).";

void dx_rule_alpn_no_common(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *ret;
    const struct td_event *a = no_alpn(fx, &ret);
    if (!a && !ret)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, 95);
    if (!f)
        return;
    char list[256];
    if (alpn_list(fx, list, sizeof list))
        dx_ev(dx, f, fx->ch_ev, "the client offers the application protocols (ALPN) %s", list);
    else if (fx->hostname)
        dx_ev(dx, f, fx->hostname_ev, "the client connects to \"%s\"", fx->hostname);
    if (a)
        dx_ev_alert(dx, f, a);
    else
        dx_ev_ret(dx, f, ret);
    dx_ev_final(dx, f);
    int aws = (dx_context(fx) & TD_CTX_AWS) != 0;
    dx_set(dx, &f->summary, "The server supports none of the application protocols (ALPN) your client "
           "offers%s%s%s: it answered no_application_protocol (120). Fix: offer a protocol the server has "
           "with mbedtls_ssl_conf_alpn_protocols().%s", list[0] ? " (" : "", list, list[0] ? ")" : "",
           aws ? aws_note : "");
    dx_set(dx, &f->reason, "alert 120 is the server's answer to an ALPN list it shares nothing with");
    dx_set(dx, &f->explanation, "With ALPN the client lists the protocols it speaks over TLS (\"h2\", "
           "\"http/1.1\", \"mqtt\", \"x-amzn-mqtt-ca\"); a server that has its own list and finds none of "
           "the client's in it ends the handshake with no_application_protocol instead of choosing one.%s",
           aws ? "" : aws_note);
}

static const struct dx_rule srv_alpn = {
    "alpn-no-common", "No application protocol (ALPN) in common with the client", NULL,
    "Add the client's protocol to the server's list (mbedtls_ssl_conf_alpn_protocols()), or leave the "
    "list out so the server accepts clients without a match.",
    "Add the client's protocol to the server's list (mbedtls_ssl_conf_alpn_protocols()), or leave the "
    "list out so the server accepts clients without a match.",
    NULL};

int dx_server_alpn(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *ret;
    const struct td_event *a = no_alpn(fx, &ret);
    if (!a && !ret)
        return 0;
    struct td_finding *f = dx_emit(dx, &srv_alpn, TD_SEV_ERROR, 95);
    if (!f)
        return 1;
    f->client_fix = "Offer a protocol the server has: mbedtls_ssl_conf_alpn_protocols() on the client "
                    "(openssl s_client: -alpn).";
    char list[256];
    if (alpn_list(fx, list, sizeof list))
        dx_ev(dx, f, fx->ch_ev, "the client offers the application protocols (ALPN) %s", list);
    if (a)
        dx_ev_alert(dx, f, a);
    if (ret)
        dx_ev_ret(dx, f, ret);
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "None of the application protocols (ALPN) the client offers%s%s%s is in this "
           "server's list: it refused the ClientHello with no_application_protocol (120). Fix: add the "
           "client's protocol to mbedtls_ssl_conf_alpn_protocols() on the server, or offer one of the "
           "server's on the client.", list[0] ? " (" : "", list, list[0] ? ")" : "");
    dx_set(dx, &f->reason, "this server sent no_application_protocol: the ALPN lists share nothing");
    dx_set(dx, &f->explanation, "A server with an ALPN list (mbedtls_ssl_conf_alpn_protocols()) that "
           "finds none of the client's protocols in it ends the handshake rather than choosing one; "
           "without a list it ignores the client's ALPN.");
    return 1;
}
