/* renego.c -- Mbed TLS's level-1 messages about renegotiation, as typed TD_FACT_RENEGO values.
 * Each text is a message of the catalogue (msgcat.c, generated from the 2.7-3.6 sources), printed
 * by ssl_cli.c / ssl_srv.c / ssl_msg.c in 2.x and ssl_tls12_client.c / ssl_tls12_server.c /
 * ssl_msg.c in 3.x:
 *   "renegotiation requested, but not honored by client|server": the writer asked for a
 *     renegotiation and the peer carried on without it, past renego_max_records
 *     (mbedtls_ssl_conf_renegotiation_enforced()); the call then returns
 *     MBEDTLS_ERR_SSL_UNEXPECTED_MESSAGE;
 *   "legacy renegotiation, breaking off handshake": the peer sent no renegotiation_info (no RFC 5746
 *     secure renegotiation) and the writer is set to MBEDTLS_SSL_LEGACY_BREAK_HANDSHAKE;
 *   "legacy renegotiation not allowed": the peer renegotiates without it and the writer keeps the
 *     default MBEDTLS_SSL_LEGACY_NO_RENEGOTIATION;
 *   "non-matching renegotiation info", "non-zero length renegotiation info", "received
 *     RENEGOTIATION SCSV during renegotiation": the peer's renegotiation_info is wrong. */
#include "mbedlog_int.h"
#include "renego.h"

static const struct {
    const char *text;
    enum td_renego what;
} msgs[] = {
    {"renegotiation requested, but not honored by ", TD_RENEGO_NOT_HONORED},
    {"legacy renegotiation, breaking off handshake", TD_RENEGO_LEGACY_BREAK},
    {"legacy renegotiation not allowed", TD_RENEGO_LEGACY_REFUSED},
    {"non-matching renegotiation info", TD_RENEGO_BAD_INFO},
    {"non-zero length renegotiation info", TD_RENEGO_BAD_INFO},
    {"received RENEGOTIATION SCSV during renegotiation", TD_RENEGO_BAD_INFO},
};

enum td_renego ml_renego_of(const char *text)
{
    if (!text || (text[0] != 'r' && text[0] != 'l' && text[0] != 'n'))
        return TD_RENEGO_NONE;
    for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++)
        if (ml_starts(text, msgs[i].text))
            return msgs[i].what;
    return TD_RENEGO_NONE;
}
