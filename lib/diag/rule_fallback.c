/* rule_fallback.c -- a server's log that refused a client's downgraded retry: the ClientHello
 * carries TLS_FALLBACK_SCSV (RFC 7507) with a version below the server's highest, and a 2.x server
 * answers inappropriate_fallback (86) and fails the ClientHello (2.28 ssl_srv.c, level 1
 * "inapropriate fallback", sic: TD_REFUSAL_FALLBACK). Said as version-mismatch, the id the
 * client's side of the same refusal gets (its alert 86). ssl-opt.sh: "Fallback SCSV: enabled" and
 * the three like it. */
#include "diag_int.h"
#include "rules_int.h"
#include "tlsdoctor/reg.h"

static const struct dx_rule srv_fallback = {
    "version-mismatch", "The client retried with a lower TLS version than this server's (fallback)", NULL,
    "Nothing to change on the server: it refuses the downgrade as RFC 7507 asks. Find why the client's "
    "first attempt at its highest version failed.",
    "Nothing to change on the server: it refuses the downgrade as RFC 7507 asks. Find why the client's "
    "first attempt at its highest version failed.",
    NULL};

int dx_server_fallback(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *why = dx_find_refusal(fx, TD_REFUSAL_FALLBACK);
    if (!why)
        return 0;
    struct td_finding *f = dx_emit(dx, &srv_fallback, TD_SEV_ERROR, 90);
    if (!f)
        return 1;
    f->client_fix = "Do not fall back to a lower version (drop TLS_FALLBACK_SCSV retries, "
                    "mbedtls_ssl_conf_fallback()): fix what made the first attempt at TLS 1.2 fail.";
    const char *v = fx->max_version ? td_reg_version_name(fx->max_version) : NULL;
    dx_ev(dx, f, why, "this server: %s (the ClientHello carries TLS_FALLBACK_SCSV%s%s)",
          why->text ? why->text : "inappropriate fallback", v ? " with at most " : "", v ? v : "");
    if (fx->srv_alert)
        dx_ev_alert(dx, f, fx->srv_alert);
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "The client retried with a lower TLS version (%s) and marked it as a fallback "
           "(TLS_FALLBACK_SCSV); this server speaks a higher one, so it refused the downgrade with "
           "inappropriate_fallback (86). Fix: on the client, find why its first attempt failed instead of "
           "falling back.", v ? v : "below this server's highest");
    dx_set(dx, &f->reason, "the server's own message says the client's fallback is inappropriate");
    dx_set(dx, &f->explanation, "A client that retries a failed handshake with a lower version adds "
           "TLS_FALLBACK_SCSV (RFC 7507; Mbed TLS: mbedtls_ssl_conf_fallback(MBEDTLS_SSL_IS_FALLBACK)); a "
           "server that supports a higher version takes it as a downgrade attack and refuses.");
    return 1;
}
