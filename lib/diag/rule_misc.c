/* rule_misc.c -- the remaining rules: client-cert-required, out-of-memory, bad-config, and the ones
 * that run last and look at what the others found: local-failure, unknown, insufficient-evidence
 * and handshake-ok. */
#include <stdio.h>
#include <string.h>
#include "diag_int.h"
#include "rules_int.h"
#include "tlsdoctor/reg.h"

static int has_error_finding(const struct dx *dx)
{
    for (size_t i = 0; i < dx->out->n; i++)
        if (dx->out->f[i].sev == TD_SEV_ERROR)
            return 1;
    return 0;
}

/* TLS 1.3 on the wire: the client's first encrypted record is the size of an empty Certificate,
 * and the server answered its flight with one alert-sized record and closed the connection. */
static void cert_required_tls13_sizes(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    unsigned tag = dx_tls13_tag_len(fx->chosen_suite);
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, 75);
    if (!f)
        return;
    dx_ev(dx, f, fx->tls13_empty_cert, "the client's first encrypted handshake record holds %zu bytes "
          "(%u of them the tag): the size of a Certificate message with no certificate in it, which a "
          "client sends only in answer to a CertificateRequest", fx->tls13_empty_cert->len - 5, tag);
    dx_ev(dx, f, fx->tls13_cli_fin, "then its Finished");
    dx_ev(dx, f, fx->tls13_refusal, "the server answered with a single %zu-byte record, the size of an "
          "encrypted alert", fx->tls13_refusal->len - 5);
    dx_ev(dx, f, fx->srv_close_ev, "and closed the connection");
    dx_set(dx, &f->summary, "The server requires a client certificate and your client sent none. Fix: "
           "load a client certificate and key signed by a CA the server trusts with "
           "mbedtls_ssl_conf_own_cert() before the handshake.");
    dx_set(dx, &f->explanation, "In TLS 1.3 everything after the ServerHello is encrypted, but record "
           "sizes still show: the client's Certificate message was empty (8 bytes before encryption), and "
           "the server's answer to it was one alert and a close, where a server that accepts sends "
           "session tickets and data. That alert is most likely 116 (certificate_required), which "
           "Mbed TLS reports as -0x7780 from the first mbedtls_ssl_read(), after "
           "mbedtls_ssl_handshake() has already returned 0.");
    dx_set(dx, &f->reason, "encrypted record sizes: an empty client Certificate, then an alert-sized "
           "answer and a close");
}

/* TLS 1.2 on the wire: the handshake completed although the client answered the CertificateRequest
 * with an empty Certificate; the server then closed after its first answer. A server that makes
 * the certificate optional in TLS and required in the application (nginx: ssl_verify_client on)
 * refuses inside the encrypted data, where a capture cannot look; a server for which the
 * certificate is optional looks the same. When the request names the CAs the server accepts, the
 * server is set up to verify client certificates, and the missing one is the likely cause (55);
 * without CA names (gnutls-serv asks everyone by default) it is a warning. */
static void cert_required_after_handshake(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    int cas = fx->cert_request_cas > 0;
    struct td_finding *f = dx_emit(dx, r, cas ? TD_SEV_ERROR : TD_SEV_WARNING, cas ? 55 : 60);
    if (!f)
        return;
    if (cas)
        dx_ev(dx, f, fx->cert_request_ev, "the server sent a CertificateRequest naming the CAs it accepts "
              "(%zu bytes of names): it is set up to verify client certificates", fx->cert_request_cas);
    else if (fx->cert_request_ev)
        dx_ev(dx, f, fx->cert_request_ev, "the server sent a CertificateRequest (naming no CA)");
    if (fx->empty_cert_ev)
        dx_ev(dx, f, fx->empty_cert_ev, "the client's Certificate message is empty: it had no certificate "
              "to send");
    else
        dx_ev(dx, f, fx->tls13_empty_cert, "the client's first encrypted handshake record holds %zu bytes: "
              "the size of a Certificate message with no certificate, sent in answer to a "
              "CertificateRequest", fx->tls13_empty_cert->len - 5);
    if (fx->hs_done_seen)
        dx_ev(dx, f, fx->hs_done_seen, "the handshake completed: the server answered with more than an alert");
    else
        dx_ev(dx, f, fx->srv_fin_ev ? fx->srv_fin_ev : fx->srv_rst_ev, "the handshake completed, and the "
              "server closed the connection after its first answer");
    if (cas)
        dx_set(dx, &f->summary, "The server verifies client certificates and your client sent none. The "
               "TLS handshake completed, but a server set up this way most likely refused the request "
               "itself (nginx answers HTTP 400 \"No required SSL certificate was sent\"). Fix: load a "
               "client certificate and key signed by one of the CAs it names with "
               "mbedtls_ssl_conf_own_cert() before the handshake.");
    else
        dx_set(dx, &f->summary, "The server asked for a client certificate and your client sent none. The "
               "TLS handshake still completed; if the server then refused your request (nginx answers "
               "HTTP 400 \"No required SSL certificate was sent\"), this is why. Fix: load a client "
               "certificate and key with mbedtls_ssl_conf_own_cert() before the handshake.");
    dx_set(dx, &f->explanation, "The server sent a CertificateRequest and the client answered with an "
           "empty Certificate message. The server let the handshake finish, which it does when the "
           "certificate is optional, and also when the application checks it instead of TLS: nginx with "
           "ssl_verify_client on completes the handshake, answers HTTP 400 and closes. The answer is "
           "encrypted, so a capture cannot tell the two apart; the client's output (the HTTP status) or "
           "a debug log at level 4 (which dumps the decrypted answer) can.");
    dx_set(dx, &f->reason, "%s", cas ? "a CertificateRequest naming CAs, an empty client Certificate, and "
           "a handshake the server closed after one answer (a refusal there is encrypted)"
           : "CertificateRequest, an empty client Certificate, a completed handshake: the certificate "
             "may be optional");
}

void dx_rule_client_cert_required(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    if (fx->tls13_empty_cert && fx->tls13_refusal && !fx->srv_alert && !fx->cli_alert) {
        cert_required_tls13_sizes(dx, r);
        return;
    }
    if (fx->tls13_empty_cert && fx->hs_done_seen) {
        cert_required_after_handshake(dx, r);   /* TLS 1.3: the request and its CAs are encrypted */
        return;
    }
    if (!fx->cert_request)
        return;
    const struct td_event *a = fx->srv_alert;
    int alert_fits = a && a >= fx->cert_request_ev &&
                     (a->b == 116 || a->b == 40 || a->b == 50 || a->b == 42 || a->b == 49);
    const struct td_event *http = fx->http_refusal_ev;
    if (!http)
        http = dx_find_text(fx, "No required SSL certificate");
    const struct td_event *none = fx->empty_cert_ev;
    if (!none)
        none = dx_find_text(fx, "got no certificate to send");
    if (!none)
        none = dx_find_text(fx, "skip write certificate verify");   /* level 2-3: no record dumps */
    /* Some servers (gnutls, Mbed TLS's ssl_server2) close or reset right after the empty
     * Certificate instead of alerting. */
    const struct td_event *cut = dx_find_ret(fx, DX_ERR_NET_CONN_RESET);
    if (!cut)
        cut = dx_find_ret(fx, DX_ERR_SSL_CONN_EOF);
    if (cut && (!none || cut < none))
        cut = NULL;
    if (!alert_fits && !http && !cut) {
        if (fx->t->origin == TD_ORIGIN_CAPTURE && fx->hs_done && fx->empty_cert_ev &&
            (fx->srv_fin_ev || fx->srv_rst_ev))
            cert_required_after_handshake(dx, r);
        return;
    }
    int explicit_refusal = (alert_fits && a->b == 116) || http;   /* certificate_required, HTTP 400 */
    int conf = explicit_refusal ? 90 : cut ? 88 : none ? 75 : 60;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, conf);
    if (!f)
        return;
    dx_ev(dx, f, fx->cert_request_ev, "the server sent a CertificateRequest");
    if (none)
        dx_ev(dx, f, none, "the client's Certificate message is empty: it had no certificate to send");
    if (alert_fits)
        dx_ev_alert(dx, f, a);
    if (cut && !alert_fits)
        dx_ev(dx, f, cut, "the server then ended the connection (%s returned -0x%04llX)",
              cut->text ? cut->text : "a read", (unsigned long long)-cut->code);
    if (http)
        dx_ev(dx, f, http, "the server's application data says \"No required SSL certificate was sent\" "
              "(HTTP 400)");
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "The server requires a client certificate and your client sent none. Fix: "
           "load a client certificate and key signed by a CA the server trusts with "
           "mbedtls_ssl_conf_own_cert() before the handshake.");
    dx_set(dx, &f->explanation, "The server asked for a certificate (CertificateRequest) and the client "
           "answered with an empty Certificate message. %s",
           http ? "This server still completed the TLS handshake and refused the request at the "
                  "application layer (nginx answers HTTP 400 \"No required SSL certificate was sent\")."
           : a && a->b == 116 ? "In TLS 1.3 the server's alert 116 (certificate_required) arrives after "
                                "the client's handshake has already returned success, so it surfaces in "
                                "the first mbedtls_ssl_read()."
           : cut && !alert_fits ? "The server then ended the connection without an alert in this log "
                                  "(a reset or a close, as Mbed TLS's own server does when it sends its "
                                  "alert and closes at once)."
           : "The server then aborted with an alert (openssl: 40 handshake_failure, gnutls: 50 "
             "decode_error).");
    dx_set(dx, &f->reason, "%s", explicit_refusal ? "CertificateRequest, then the server's refusal naming the "
           "missing certificate" : none && cut && !alert_fits ? "CertificateRequest, no client certificate, "
           "then the server ended the connection"
           : none ? "CertificateRequest, no client certificate, then the server's alert"
           : "CertificateRequest then the server's alert; the log does not show the client's Certificate");
}

static const struct {
    int64_t code;
    const char *name;
} alloc_codes[] = {
    {-0x7F00, "MBEDTLS_ERR_SSL_ALLOC_FAILED"}, {-0x2880, "MBEDTLS_ERR_X509_ALLOC_FAILED"},
    {-0x3F80, "MBEDTLS_ERR_PK_ALLOC_FAILED"}, {-0x0010, "MBEDTLS_ERR_MPI_ALLOC_FAILED"},
    {-0x4D80, "MBEDTLS_ERR_ECP_ALLOC_FAILED"}, {-0x006A, "MBEDTLS_ERR_ASN1_ALLOC_FAILED"},
    {-0x5180, "MBEDTLS_ERR_MD_ALLOC_FAILED"}, {-0x6180, "MBEDTLS_ERR_CIPHER_ALLOC_FAILED"},
    {-0x1180, "MBEDTLS_ERR_PEM_ALLOC_FAILED"}, {-0x3400, "MBEDTLS_ERR_DHM_ALLOC_FAILED"},
};

void dx_rule_out_of_memory(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *e = NULL;
    const char *name = NULL;
    for (size_t i = 0; i < sizeof alloc_codes / sizeof alloc_codes[0] && !e; i++) {
        e = dx_find_ret(fx, alloc_codes[i].code);
        name = alloc_codes[i].name;
    }
    const struct td_event *txt = dx_find_text(fx, "alloc(");
    if (txt && !strstr(txt->text, "failed"))
        txt = NULL;
    if (!e && !txt)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, 90);
    if (!f)
        return;
    if (e)
        dx_ev(dx, f, e, "%s returned -0x%04llX (%s)", e->text ? e->text : "a call",
              (unsigned long long)-e->code, name);
    if (txt)
        dx_ev(dx, f, txt, "Mbed TLS: %s", txt->text);
    dx_ev_alert(dx, f, fx->cli_alert);
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "Your client ran out of memory during the handshake. Fix: give Mbed TLS "
           "more heap (mbedtls_memory_buffer_alloc_init with a bigger pool, or a bigger system heap), or "
           "shrink what it needs (MBEDTLS_SSL_IN_CONTENT_LEN/OUT_CONTENT_LEN, a shorter server chain).");
    dx_set(dx, &f->explanation, "An allocation failed inside Mbed TLS. A TLS handshake needs the two "
           "record buffers (MBEDTLS_SSL_IN_CONTENT_LEN + MBEDTLS_SSL_OUT_CONTENT_LEN plus overhead, about "
           "33 KB by default) and, while parsing the server's chain, memory for every certificate and "
           "public key: a long RSA chain can need tens of KB more.%s", fx->cli_alert
           ? " The alert the client sent is its reaction to the failed allocation, not a complaint about "
             "the server." : "");
    dx_set(dx, &f->reason, "an allocation-failure error code or message is in the log");
}

static const struct {
    int64_t code;
    int major;            /* 0: the same in 2.x and 3.x */
    const char *what;
} config_codes[] = {
    {-0x7100, 0, "MBEDTLS_ERR_SSL_BAD_INPUT_DATA: a call got a bad parameter or a setting that does not fit"},
    {-0x7080, 0, "MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE: the configuration asks for something not compiled in"},
    {-0x5E80, 0, "MBEDTLS_ERR_SSL_BAD_CONFIG: the SSL configuration is invalid"},
    {-0x7400, 0, "MBEDTLS_ERR_SSL_NO_RNG: no random generator was set (mbedtls_ssl_conf_rng)"},
    {-0x7600, 0, "MBEDTLS_ERR_SSL_PRIVATE_KEY_REQUIRED: a certificate was set without its private key"},
    {-0x6C00, 0, "MBEDTLS_ERR_SSL_INTERNAL_ERROR: an internal error, usually from a configuration "
                 "combination that does not work"},
};

void dx_rule_bad_config(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    if (dx_found(dx, "record-too-large") || dx_found(dx, "mfl-ignored") || dx_found(dx, "write-too-large"))
        return;
    const struct td_event *e = NULL;
    const char *what = NULL;
    for (size_t i = 0; i < sizeof config_codes / sizeof config_codes[0] && !e; i++) {
        e = dx_find_ret(fx, config_codes[i].code);
        what = config_codes[i].what;
    }
    if (!e)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, 60);
    if (!f)
        return;
    dx_ev_ret(dx, f, e);
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "Your client's Mbed TLS configuration stopped the %s (-0x%04llX). "
           "Fix: check the mbedtls_ssl_conf_*() calls and config macros named below.",
           fx->hs_done ? "connection after the handshake" : "handshake", (unsigned long long)-e->code);
    dx_set(dx, &f->explanation, "%s. The error comes from the client itself, not from the server.", what);
    dx_set(dx, &f->reason, "a configuration error code with no sign of an oversized record");
}

void dx_rule_local_failure(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *a = fx->cli_alert;
    if (!a || has_error_finding(dx))
        return;
    /* After a successful handshake with nothing failing, an alert the client sent is its goodbye. */
    if (fx->hs_done && !fx->failed_after_hs)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, 50);
    if (!f)
        return;
    dx_ev_ret(dx, f, fx->fail_ret);
    dx_ev_alert(dx, f, a);
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "Your client itself aborted the handshake (it sent alert %d, %s)%s%s. Fix: "
           "see what the failing call below reports; the server is not the one complaining.", a->b,
           dx_alert_name(a->b), fx->fail_ret && fx->fail_ret->text ? " after " : "",
           fx->fail_ret && fx->fail_ret->text ? fx->fail_ret->text : "");
    dx_set(dx, &f->explanation, "The fatal alert was sent by the client, so the failure is local: "
           "something in the server's messages did not pass the client's checks, or the client ran out "
           "of a resource. The first failing call is the best lead.");
    dx_set(dx, &f->reason, "the client sent the alert; no more specific rule matched");
}

static void what_to_capture(struct dx *dx, struct td_finding *f)
{
    if (dx->fx.t->origin == TD_ORIGIN_CAPTURE)
        dx_add(dx, &f->explanation, " A debug log from the device shows what a capture cannot (its "
               "own checks, its buffer, the encrypted part): build with MBEDTLS_DEBUG_C, call "
               "mbedtls_debug_set_threshold(4) and mbedtls_ssl_conf_dbg(), and run "
               "`tlsdoctor diagnose --log` on it.");
    else
        dx_add(dx, &f->explanation, " To see more, build with MBEDTLS_DEBUG_C, call "
               "mbedtls_debug_set_threshold(4) and mbedtls_ssl_conf_dbg(), and capture the whole log from "
               "before mbedtls_ssl_handshake() to its return (a packet capture helps too).");
}

void dx_rule_unknown(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    if (has_error_finding(dx))
        return;
    const struct td_event *a = fx->srv_alert;
    if (!a && !fx->hs_failed && !fx->failed_after_hs)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, 20);
    if (!f)
        return;
    dx_ev_alert(dx, f, a);
    dx_ev_ret(dx, f, fx->fail_ret);
    dx_ev_final(dx, f);
    if (a)
        dx_set(dx, &f->summary, "The server aborted the handshake with alert %d (%s) %s; the %s does not "
               "show enough to say why.", a->b, dx_alert_name(a->b),
               dx_answer_before(fx, a) ? "in the middle of the handshake" : "right after the ClientHello",
               dx_source(fx));
    else
        dx_set(dx, &f->summary, "The handshake failed with -0x%04llX, and no rule recognises the cause "
               "from this %s.", (unsigned long long)-fx->hs_ret, dx_source(fx));
    dx_set(dx, &f->explanation, "What the %s shows: %s%s; it stops %s.", dx_source(fx),
           fx->has_ch || fx->ch_sent_ev ? "a ClientHello was sent" : "no ClientHello",
           fx->server_answered ? ", the server answered it" : ", no answer from the server",
           td_stop_describe(fx->t->stop));
    what_to_capture(dx, f);
    dx_set(dx, &f->reason, "a failure is visible but nothing in the %s names its cause", dx_source(fx));
}

void dx_rule_insufficient_evidence(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    if (has_error_finding(dx) || fx->hs_done)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, 0);
    if (!f)
        return;
    if (fx->ch_sent_ev)
        dx_ev(dx, f, fx->ch_sent_ev, "a ClientHello was written");
    int cap = fx->t->origin == TD_ORIGIN_CAPTURE;
    if (fx->t->last_line)
        dx_ev(dx, f, NULL, "the %s ends at %s %u", dx_source(fx), cap ? "frame" : "line", fx->t->last_line);
    if (cap)
        dx_set(dx, &f->summary, "The capture shows no failure and no result: the connection ends without "
               "an alert or anything else that names a cause.");
    else
        dx_set(dx, &f->summary, "The log shows no failure and no result: it stops %s.",
               td_stop_describe(fx->t->stop));
    dx_set(dx, &f->explanation, "Neither an alert, nor an error code, nor the handshake's result is in "
           "the %s (%zu events read%s), so there is nothing to diagnose yet.", dx_source(fx), fx->t->n_ev,
           fx->t->debug_level || cap ? "" : ", no Mbed TLS debug lines");
    what_to_capture(dx, f);
    dx_set(dx, &f->reason, "no failure and no result in the source");
}

void dx_rule_handshake_ok(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    if (!fx->hs_done)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_INFO, fx->hs_done_seen ? 80 : 95);
    if (!f)
        return;
    if (fx->hs_done_seen) {
        dx_ev(dx, f, fx->hs_done_seen, "after the client's encrypted Finished and data, the server "
              "answered with %u bytes of encrypted data (more than an alert)",
              (unsigned)(fx->hs_done_seen->len));
        dx_set(dx, &f->reason, "a TLS 1.3 capture cannot show the handshake's result; the server "
               "answering the client's data with more than an alert is the sign it completed");
    }
    char what[256] = "";
    size_t used = 0;
    if (fx->has_chosen_version) {
        const char *v = td_reg_version_name(fx->chosen_version);
        used += (size_t)snprintf(what, sizeof what, "%s", v ? v : "an unknown version");
    }
    if (fx->has_chosen_suite && used < sizeof what) {
        const char *s = td_reg_suite_name(fx->chosen_suite);
        int k = s ? snprintf(what + used, sizeof what - used, "%s%s", used ? ", " : "", s)
                  : snprintf(what + used, sizeof what - used, "%ssuite 0x%04x", used ? ", " : "",
                             fx->chosen_suite);
        if (k > 0)
            used += (size_t)k;
    }
    if (fx->has_chosen_group && used < sizeof what) {
        const char *g = td_reg_group_name(fx->chosen_group);
        if (g)
            snprintf(what + used, sizeof what - used, "%sgroup %s", used ? ", " : "", g);
    }
    if (fx->sh_ev)
        dx_ev(dx, f, fx->sh_ev, "ServerHello");
    int cap = fx->t->origin == TD_ORIGIN_CAPTURE;
    if (fx->hs_ret_ev)
        dx_ev(dx, f, fx->hs_ret_ev, "the handshake returned 0");
    else if (fx->hs_end_ev && !cap)
        dx_ev(dx, f, fx->hs_end_ev, "the handshake returned 0");
    else if (cap && !fx->hs_done_seen)
        dx_ev(dx, f, NULL, "both sides sent ChangeCipherSpec and Finished, then application data");
    else if (!fx->hs_done_seen)
        dx_ev(dx, f, NULL, "the handshake returned 0");
    if (what[0])
        dx_set(dx, &f->summary, "The handshake succeeded: %s.", what);
    else
        dx_set(dx, &f->summary, "The handshake succeeded (the %s does not show what was negotiated).",
               dx_source(fx));
    if (what[0])
        dx_set(dx, &f->explanation, "mbedtls_ssl_handshake() completed and negotiated %s.", what);
    else
        dx_set(dx, &f->explanation, "mbedtls_ssl_handshake() completed.");
    if (!fx->hs_done_seen)
        dx_set(dx, &f->reason, "%s", cap ? "both sides finished the handshake and exchanged data"
               : "the handshake's result is in the log");
}
