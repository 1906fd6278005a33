/* side.c -- whose log this is (client or server), from what the log's lines say, and why a server
 * refused its client, from the server's own debug messages.
 *
 * A debug message's side is the message catalogue's (msgcat.c, generated from the sources: the side
 * of the files that print it). The refusal messages are format strings of MBEDTLS_SSL_DEBUG_MSG/RET
 * calls in library/ssl_srv.c, ssl_tls.c (2.28.3, Debian's `apt-get source mbedtls`) and
 * ssl_tls12_server.c, ssl_tls13_server.c, ssl_tls.c (3.6.6, the upstream tag); the application
 * lines are ssl_server2.c's and ssl_client2.c's mbedtls_printf()s in programs/ssl, and one of
 * ESP-IDF's server (as a real paste shows it). */
#include "side.h"
#include "recog.h"

enum td_actor ml_side_of_msg(const char *text)
{
    const struct ml_msg *m = ml_recog_at(text, strlen(text), 0);
    if (!m)
        return TD_ACTOR_UNKNOWN;
    return m->side == ML_SIDE_SERVER ? TD_ACTOR_SERVER : m->side == ML_SIDE_CLIENT ? TD_ACTOR_CLIENT
                                                                               : TD_ACTOR_UNKNOWN;
}

/* Application lines of the sample programs (and of code copied from them). */
static const struct {
    const char *text;
    enum td_actor side;
} app_lines[] = {
    {"Waiting for a remote connection", TD_ACTOR_SERVER},
    {"Bind on tcp://", TD_ACTOR_SERVER},
    {"Loading the server cert. and key", TD_ACTOR_SERVER},
    {"< Read from client:", TD_ACTOR_SERVER},
    {"> Write to client:", TD_ACTOR_SERVER},
    /* ESP-IDF's esp_https_server, as a real log prints it (tests/corpus/realworld/005) */
    {"esp_tls_create_server_session failed", TD_ACTOR_SERVER},
    {"Connecting to tcp/", TD_ACTOR_CLIENT},
    {"< Read from server:", TD_ACTOR_CLIENT},
    {"> Write to server:", TD_ACTOR_CLIENT},
};

enum td_actor ml_side_of_app_line(const char *text)
{
    for (size_t i = 0; i < sizeof app_lines / sizeof app_lines[0]; i++)
        if (ml_find(text, app_lines[i].text))
            return app_lines[i].side;
    return TD_ACTOR_UNKNOWN;
}

/* A server's level-1 messages that say why it refused its client. */
static const struct {
    const char *text;
    int prefix;   /* 1: the message starts so; 0: it holds it */
    enum td_refusal why;
} refusals[] = {
    {"got no ciphersuites in common", 1, TD_REFUSAL_NO_SUITE},
    {"got ciphersuites in common, but none", 1, TD_REFUSAL_NO_SUITE},   /* "... of them usable" */
    {"no matching curve for ECDHE", 1, TD_REFUSAL_NO_GROUP},
    {"no matching named group found", 1, TD_REFUSAL_NO_GROUP},
    {"client only supports ssl smaller than minimum", 1, TD_REFUSAL_VERSION_LOW},
    {"No supported version found.", 1, TD_REFUSAL_VERSION_LOW},
    {"Unsupported version of TLS.", 1, TD_REFUSAL_VERSION_LOW},
    {"client has no certificate", 0, TD_REFUSAL_NO_CLIENT_CERT},
    {"peer has no certificate", 1, TD_REFUSAL_NO_CLIENT_CERT},
    {"ssl_sni_wrapper() returned", 1, TD_REFUSAL_SNI_UNKNOWN},
    {"inapropriate fallback", 1, TD_REFUSAL_FALLBACK},   /* sic, 2.x ssl_srv.c */
};

enum td_refusal ml_server_refusal(const char *text)
{
    for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++)
        if (refusals[i].prefix ? ml_starts(text, refusals[i].text) : ml_find(text, refusals[i].text) != NULL)
            return refusals[i].why;
    return TD_REFUSAL_NONE;
}
