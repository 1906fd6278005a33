/* rule_net.c -- transport rules: connection-refused, connection-reset, peer-closed, timeout
 * (including an application spinning on WANT_READ). These say the TLS negotiation itself never
 * got an answer, so the fix is in the network, the port or the server process. */
#include <stdio.h>
#include <string.h>
#include "diag_int.h"
#include "rules_int.h"

static const char *where(const struct dx_facts *fx, const struct td_event *e)
{
    if (fx->hs_done && fx->t->handshake_ret_line && e && e->line > fx->t->handshake_ret_line)
        return "after the handshake";
    if (!fx->ch_sent_ev)
        return "before the ClientHello was sent";
    if (!dx_answer_before(fx, e))
        return "right after the ClientHello, before any answer from the server";
    return fx->hs_done ? "after the handshake" : "in the middle of the handshake";
}

/* From a capture: did ev come before the server sent any TLS record, and with no alert before it? */
static int before_any_answer(const struct dx_facts *fx, const struct td_event *ev)
{
    return ev && fx->ch_sent_ev && fx->ch_sent_ev < ev && !fx->srv_alert
           && (!fx->srv_first_rec || fx->srv_first_rec > ev) && (!fx->cli_alert || fx->cli_alert > ev);
}

/* The server reset the connection in a capture before it sent anything encrypted (which may be a
 * finished TLS 1.3 handshake) and before closing on its own (a RST after the server's FIN answers
 * data that came too late), with no alert from either side before the RST. */
static void reset_from_capture(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *e = fx->srv_rst_ev;
    if (!e || e == fx->refused_ev || fx->srv_alert || fx->hs_done || (fx->cli_alert && fx->cli_alert < e)
        || (fx->srv_first_enc && fx->srv_first_enc < e) || (fx->srv_fin_ev && fx->srv_fin_ev < e)
        || (fx->cli_fin_ev && fx->cli_fin_ev < e) || (fx->cli_rst_ev && fx->cli_rst_ev < e))
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, 80);
    if (!f)
        return;
    dx_ev(dx, f, e, "the server reset the connection (TCP RST, frame %u) without a TLS alert",
          (unsigned)e->line);
    dx_set(dx, &f->summary, "The server (or something on the way) reset the TCP connection %s, without a "
           "TLS alert. Fix: look at the server's or firewall's log; check that the port speaks TLS.",
           before_any_answer(fx, e) ? "right after the ClientHello, before any answer from the server"
                                    : "in the middle of the handshake");
    dx_set(dx, &f->explanation, "The capture shows a TCP RST from the server's side. Servers and "
           "middleboxes do this when the port is not a TLS port, when a firewall or IPS drops the flow, "
           "or when the server process crashes or refuses the client without a TLS alert. A capture "
           "taken on the device cannot tell the server from a middlebox that sent the RST.");
    dx_set(dx, &f->reason, "the capture shows the server's RST and no alert before it");
}

/* A capture: the client's SYN was answered by a RST, so no TCP connection was made. */
static void refused_from_capture(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, 90);
    if (!f)
        return;
    dx_ev(dx, f, fx->refused_ev, "the server's side answered the client's SYN with a RST");
    dx_set(dx, &f->summary, "The TCP connection was refused: the client's SYN was answered with a RST, "
           "so TLS never started. Fix: check the address and port given to mbedtls_net_connect(), and "
           "that the server is running and reachable (firewall).");
    dx_set(dx, &f->explanation, "Nothing listens on that address and port, or a firewall rejects the "
           "connection. On the device mbedtls_net_connect() returns MBEDTLS_ERR_NET_CONNECT_FAILED "
           "(-0x0044).");
    dx_set(dx, &f->reason, "the capture shows the SYN answered by a RST, and no data");
}

void dx_rule_connection_refused(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *e = dx_find_ret(fx, DX_ERR_NET_CONNECT_FAILED);
    const struct td_event *host = dx_find_ret(fx, DX_ERR_NET_UNKNOWN_HOST);
    if (!e && !host && fx->refused_ev) {
        refused_from_capture(dx, r);
        return;
    }
    if (!e && !host)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, 90);
    if (!f)
        return;
    dx_ev_ret(dx, f, e ? e : host);
    if (host) {
        dx_set(dx, &f->summary, "The server's host name did not resolve (-0x0052), so no connection was "
               "made. Fix: check the name and the device's DNS configuration.");
        dx_set(dx, &f->explanation, "MBEDTLS_ERR_NET_UNKNOWN_HOST: mbedtls_net_connect() could not turn "
               "the host name into an address. TLS never started.");
    } else {
        dx_set(dx, &f->summary, "The TCP connection was refused or could not be made (-0x0044), so TLS "
               "never started. Fix: check the address and port, and that the server is running and "
               "reachable (firewall).");
        dx_set(dx, &f->explanation, "MBEDTLS_ERR_NET_CONNECT_FAILED: mbedtls_net_connect() failed. Nothing "
               "is listening on that address and port, or a firewall rejects the connection.");
    }
    dx_set(dx, &f->reason, "the error code is the connect call's own");
}

void dx_rule_connection_reset(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *e = dx_find_ret(fx, DX_ERR_NET_CONN_RESET);
    int conf = 85;
    if (!e) {
        e = dx_find_ret(fx, DX_ERR_NET_RECV_FAILED);
        if (!e)
            e = dx_find_ret(fx, DX_ERR_NET_SEND_FAILED);
        conf = 60;
    }
    if (!e) {
        reset_from_capture(dx, r);
        return;
    }
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, conf);
    if (!f)
        return;
    dx_ev_ret(dx, f, e);
    dx_ev_alert(dx, f, fx->srv_alert);
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "The server (or something on the way) reset the TCP connection %s, without a "
           "TLS alert. Fix: look at the server's or firewall's log; check that the port speaks TLS.",
           where(fx, e));
    dx_set(dx, &f->explanation, "%s: the peer answered with a TCP RST. Servers and middleboxes do this "
           "when the port is not a TLS port, when a firewall or IPS drops the flow, or when the server "
           "process crashes or refuses the client without a TLS alert.",
           e->code == DX_ERR_NET_CONN_RESET ? "MBEDTLS_ERR_NET_CONN_RESET (-0x0050)"
                                            : "A failed socket read or write");
    dx_set(dx, &f->reason, "%s", conf == 85 ? "the error code says the connection was reset"
           : "the socket call failed; a reset is the usual reason");
}

/* The server closed (FIN) right after the ClientHello without sending any TLS record. */
static void closed_from_capture(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *e = fx->srv_fin_ev;
    if (!before_any_answer(fx, e) || (fx->cli_fin_ev && fx->cli_fin_ev < e)
        || (fx->cli_rst_ev && fx->cli_rst_ev < e) || (fx->srv_rst_ev && fx->srv_rst_ev < e))
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, 80);
    if (!f)
        return;
    dx_ev(dx, f, fx->ch_sent_ev, "the client sent its ClientHello (frame %u)",
          (unsigned)fx->ch_sent_ev->line);
    dx_ev(dx, f, e, "the server closed its side (TCP FIN, frame %u) without sending any TLS record",
          (unsigned)e->line);
    dx_set(dx, &f->summary, "The server closed the connection right after the ClientHello, before any "
           "answer and without a TLS alert. Fix: check that the port serves TLS and that no firewall, "
           "proxy or load balancer drops the connection; the server's log says why.");
    dx_set(dx, &f->explanation, "The capture shows the server's TCP FIN after the ClientHello and no TLS "
           "record from the server at all. That is what a plain TCP service, a proxy or firewall, or a "
           "server that rejects the client before TLS (IP filters, connection limits) does; on the "
           "device Mbed TLS reports MBEDTLS_ERR_SSL_CONN_EOF (-0x7280).%s",
           !fx->sni_sent && fx->exts_known
               ? " The ClientHello also carries no server name (SNI); some servers close silently "
                 "without one."
               : "");
    dx_set(dx, &f->reason, "the capture shows the server's FIN before any TLS record or alert from it");
}

void dx_rule_peer_closed(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *e = dx_find_ret(fx, DX_ERR_SSL_CONN_EOF);
    const struct td_event *notify = NULL;
    if (!e && !fx->hs_done)
        notify = e = dx_find_ret(fx, DX_ERR_SSL_PEER_CLOSE_NOTIFY);
    if (!e && !fx->fail_ret && !fx->hs_ret_ev) {
        closed_from_capture(dx, r);
        return;
    }
    if (!e || fx->srv_alert)
        return;
    if (fx->hs_done && !fx->failed_after_hs)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, fx->hs_done ? 60 : 85);
    if (!f)
        return;
    dx_ev_ret(dx, f, e);
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "The server closed the connection %s without a TLS alert%s. Fix: check that "
           "the port serves TLS and that no firewall, proxy or load balancer drops the connection; the "
           "server's log says why.", where(fx, e), notify ? " (only close_notify)" : "");
    dx_set(dx, &f->explanation, "%s The peer ended the TCP connection (FIN) instead of answering. That "
           "is what a plain TCP service, a proxy or firewall, or a server that rejects the client before "
           "TLS (IP filters, connection limits) does.%s",
           notify ? "MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY (-0x7880): the server sent close_notify."
                  : "MBEDTLS_ERR_SSL_CONN_EOF (-0x7280): the read returned end of file.",
           !fx->sni_sent && fx->exts_known && !dx_answer_before(fx, e)
               ? " The ClientHello also carries no server name (SNI); some servers close silently "
                 "without one."
               : "");
    dx_set(dx, &f->reason, "the error code says the connection ended; no alert was received");
}

/* The client sent its ClientHello, the server sent nothing at all, and the client closed without
 * an alert: it gave up waiting. The capture cannot show the client's timeout setting. */
static void timeout_from_capture(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *e = fx->cli_fin_ev ? fx->cli_fin_ev : fx->cli_rst_ev;
    if (!before_any_answer(fx, e) || fx->srv_first_rec || fx->srv_fin_ev || fx->srv_rst_ev
        || fx->cli_alert)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, 55);
    if (!f)
        return;
    dx_ev(dx, f, fx->ch_sent_ev, "the client sent its ClientHello (frame %u)",
          (unsigned)fx->ch_sent_ev->line);
    dx_ev(dx, f, e, "nothing came back from the server; the client closed the connection (%s, frame %u) "
          "without an alert", e == fx->cli_fin_ev ? "TCP FIN" : "TCP RST", (unsigned)e->line);
    dx_set(dx, &f->summary, "The server never answered the ClientHello and the client gave up and closed "
           "the connection: most likely a read timeout. Fix: check that the server is up and that this "
           "port speaks TLS; raise the read timeout (mbedtls_ssl_conf_read_timeout) only if the link is "
           "that slow.");
    dx_set(dx, &f->explanation, "The capture shows the ClientHello, no byte from the server and then the "
           "client's own close without a TLS alert, which is how Mbed TLS ends on "
           "MBEDTLS_ERR_SSL_TIMEOUT (-0x6800). A TCP service that is not TLS, a proxy waiting for "
           "something else (HTTP CONNECT), or a firewall that swallows packets behaves like this.");
    dx_set(dx, &f->reason, "the capture shows silence from the server until the client closed; it cannot "
           "show the client's timeout or error code (a debug log would), so the application may also "
           "have closed for another reason");
}

void dx_rule_timeout(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *e = dx_find_ret(fx, DX_ERR_SSL_TIMEOUT);
    int spin = !e && !fx->hs_failed && !fx->hs_done && fx->n_want_read >= 20;
    if (!e && !spin) {
        if (!fx->fail_ret && !fx->hs_ret_ev)
            timeout_from_capture(dx, r);
        return;
    }
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, e ? 90 : 55);
    if (!f)
        return;
    if (e) {
        dx_ev_ret(dx, f, e);
        dx_ev_final(dx, f);
    } else {
        dx_ev(dx, f, NULL, "%zu reads returned WANT_READ (-0x6900) and the handshake never finished",
              fx->n_want_read);
    }
    dx_set(dx, &f->summary, "The server did not answer %s: the read timed out. Fix: check that the "
           "server is up and that this port speaks TLS; raise the read timeout "
           "(mbedtls_ssl_conf_read_timeout) only if the link is that slow.", where(fx, e));
    dx_set(dx, &f->explanation, "%s Nothing came back from the server. A TCP service that is not TLS, a "
           "proxy waiting for something else (HTTP CONNECT), or a firewall that swallows packets "
           "behaves like this.", e ? "MBEDTLS_ERR_SSL_TIMEOUT (-0x6800): no data arrived within the read "
           "timeout." : "The application kept polling and every read said WANT_READ: no data arrived.");
    dx_set(dx, &f->reason, "%s", e ? "the error code says the read timed out"
           : "many WANT_READ results and no progress; the log does not show the final result");
}
