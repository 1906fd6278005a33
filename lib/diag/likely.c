/* likely.c -- from little evidence to the likely cause (issue 14). When the source shows an error
 * code but no rule found the cause in it, the table in likely.def ranks the causes that code has
 * in practice, moved by the context (Mbed TLS version, platform, host and port, whether the server
 * had answered); the most likely leads at its likelihood, the others follow in order, each with
 * the one thing to add that tells them apart. Also here: what a diagnosis rests on (its basis),
 * the context bits, and the rows of the causes only this table emits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "diag_int.h"
#include "rules_int.h"
#include "tlsdoctor/mbedtls.h"

struct lk_row {
    int64_t code;
    const char *cause;
    int pct;
    const char *next;
    const char *sources;
};

struct lk_mod {
    int64_t code;
    const char *cause;
    unsigned ctx;
    int points;
    const char *source;
};

#define DX_CTX_V2 TD_CTX_V2
#define DX_CTX_V3 TD_CTX_V3
#define DX_CTX_ESP TD_CTX_ESP
#define DX_CTX_AWS TD_CTX_AWS
#define DX_CTX_AZURE TD_CTX_AZURE
#define DX_CTX_ZEPHYR TD_CTX_ZEPHYR
#define DX_CTX_STM32 TD_CTX_STM32
#define DX_CTX_MBEDOS TD_CTX_MBEDOS
#define DX_CTX_MQTT TD_CTX_MQTT
#define DX_CTX_CLOUD_IOT TD_CTX_CLOUD_IOT
#define DX_CTX_BEFORE_ANSWER TD_CTX_BEFORE_ANSWER
#define DX_CTX_AFTER_ANSWER TD_CTX_AFTER_ANSWER
#define DX_CTX_PLAIN_PORT TD_CTX_PLAIN_PORT
#define DX_CTX_SERVER_SIDE TD_CTX_SERVER_SIDE
#define DX_CTX_PSA_CALL TD_CTX_PSA_CALL

static const struct lk_row lk_rows[] = {
#define TD_LIKELY(code, cause, pct, next, src) {code, cause, pct, next, src},
#define TD_LIKELY_CTX(code, cause, ctx, points, src)
#include "likely.def"
#undef TD_LIKELY
#undef TD_LIKELY_CTX
};

static const struct lk_mod lk_mods[] = {
#define TD_LIKELY(code, cause, pct, next, src)
#define TD_LIKELY_CTX(code, cause, ctx, points, src) {code, cause, ctx, points, src},
#include "likely.def"
#undef TD_LIKELY
#undef TD_LIKELY_CTX
};

#define N_ROWS (sizeof lk_rows / sizeof lk_rows[0])
#define N_MODS (sizeof lk_mods / sizeof lk_mods[0])
#define LK_MAX 8   /* causes of one code */

/* The causes only the likelihood table emits: they name what a code alone points at, with no rule
 * of their own (docs/rules.md, "Causes named by the likelihood table"). */
const struct dx_rule dx_likely_rules[] = {
    {"not-tls", "The port does not speak TLS", NULL,
     "Connect to the server's TLS port (443, 8883 for MQTT over TLS), or use the plain scheme (ws://, "
     "http://, mqtt://) for a plain port.",
     "Connect to the server's TLS port (443, 8883 for MQTT over TLS), or use the plain scheme (ws://, "
     "http://, mqtt://) for a plain port.",
     "Serve TLS on the port the device uses."},
    {"transport-bug", "The application's send/receive callbacks break the stream", NULL,
     "Call mbedtls_ssl_set_bio() before the handshake; make the receive callback return the bytes "
     "read, MBEDTLS_ERR_SSL_WANT_READ when none are there yet, and never more than asked for.",
     "Call mbedtls_ssl_set_bio() before the handshake; make the receive callback return the bytes "
     "read, MBEDTLS_ERR_SSL_WANT_READ when none are there yet, and never more than asked for.", NULL},
    {"psa-not-initialised", "PSA Crypto was not initialised", NULL,
     "Mbed TLS 2.x has no PSA Crypto: look at the lower-level call that failed.",
     "Call psa_crypto_init() once at start-up, before the first handshake or key operation (TLS 1.3 "
     "and MBEDTLS_USE_PSA_CRYPTO need it).", NULL},
    {"network-down", "The network path is not there", NULL,
     "Start the handshake only once the link is up (IP address obtained, DNS set); try another "
     "network to rule out a firewall blocking the port.",
     "Start the handshake only once the link is up (IP address obtained, DNS set); try another "
     "network to rule out a firewall blocking the port.",
     "Open the port in the firewall between the device and the server."},
    {"feature-disabled", "The build lacks a feature the handshake needs", NULL,
     "Enable the missing feature in config.h (the failing line names it: a suite, curve, key type, "
     "extension or version).",
     "Enable the missing feature in mbedtls_config.h (or its PSA_WANT_* option; the failing line "
     "names it: a suite, curve, key type, extension or version).", NULL},
    {"context-leak", "Memory is not freed between connections", NULL,
     "Free every connection's objects (mbedtls_ssl_free, mbedtls_ssl_config_free, mbedtls_x509_crt_free, "
     "mbedtls_pk_free, mbedtls_net_free) before the next one.",
     "Free every connection's objects (mbedtls_ssl_free, mbedtls_ssl_config_free, mbedtls_x509_crt_free, "
     "mbedtls_pk_free, mbedtls_net_free, psa_destroy_key) before the next one.", NULL},
    {"out-buffer-too-small", "The client's output buffer is too small", NULL,
     "Raise MBEDTLS_SSL_OUT_CONTENT_LEN (config.h) to fit the ClientHello and the client's certificate "
     "chain, or send a shorter chain.",
     "Raise MBEDTLS_SSL_OUT_CONTENT_LEN (mbedtls_config.h) to fit the ClientHello and the client's "
     "certificate chain, or send a shorter chain.", NULL},
    {"key-format", "The client's key or certificate does not load", NULL,
     "Check every mbedtls_pk_parse_key()/mbedtls_x509_crt_parse() return; pass PEM with its "
     "terminating NUL counted (sizeof or strlen + 1); convert the key with `openssl pkey`.",
     "Check every mbedtls_pk_parse_key()/mbedtls_x509_crt_parse() return; pass PEM with its "
     "terminating NUL counted (sizeof or strlen + 1); convert the key with `openssl pkey`.", NULL},
    {"key-password", "The client's key is encrypted", NULL,
     "Pass the key's password to mbedtls_pk_parse_key() or store it unencrypted (`openssl pkey -in KEY -out PLAIN`).",
     "Pass the key's password to mbedtls_pk_parse_key() or store it unencrypted (`openssl pkey -in KEY -out PLAIN`).",
     NULL},
    {"client-key-mismatch", "The client's key does not match its certificate", NULL,
     "Load the private key that belongs to the client certificate (same public key, same type).",
     "Load the private key that belongs to the client certificate (same public key, same type).", NULL},
    {"ticket-as-error", "A TLS 1.3 session ticket is treated as an error", NULL,
     "Mbed TLS 2.x does not return this code for tickets: see the 2.x meaning.",
     "Treat MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET like MBEDTLS_ERR_SSL_WANT_READ (call "
     "mbedtls_ssl_read() again), or disable tickets with mbedtls_ssl_conf_session_tickets().", NULL},
    {"dns-failure", "The server's host name does not resolve", NULL,
     "Check the host name (no scheme, no path, no trailing dot) and the device's DNS server.",
     "Check the host name (no scheme, no path, no trailing dot) and the device's DNS server.", NULL},
    {"want-read-fatal", "WANT_READ/WANT_WRITE is treated as a failure", NULL,
     "Call the function again while it returns MBEDTLS_ERR_SSL_WANT_READ or MBEDTLS_ERR_SSL_WANT_WRITE "
     "(after waiting for the socket), with a deadline.",
     "Call the function again while it returns MBEDTLS_ERR_SSL_WANT_READ or MBEDTLS_ERR_SSL_WANT_WRITE "
     "(after waiting for the socket), with a deadline.", NULL},
    {"no-entropy", "No entropy source", NULL,
     "Provide an entropy source: mbedtls_entropy_add_source() or MBEDTLS_ENTROPY_HARDWARE_ALT with "
     "mbedtls_hardware_poll().",
     "Provide an entropy source: MBEDTLS_ENTROPY_HARDWARE_ALT with mbedtls_hardware_poll(), or "
     "MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG.", NULL},
};
const size_t dx_n_likely_rules = sizeof dx_likely_rules / sizeof dx_likely_rules[0];

const struct dx_rule *dx_rule_by_id(const char *id)
{
    for (size_t i = 0; i < dx_n_rules; i++)
        if (!strcmp(dx_rules[i].id, id))
            return &dx_rules[i];
    for (size_t i = 0; i < dx_n_likely_rules; i++)
        if (!strcmp(dx_likely_rules[i].id, id))
            return &dx_likely_rules[i];
    return NULL;
}

/* ---- basis and context ------------------------------------------------------------------------ */

const char *td_basis_name(enum td_basis b)
{
    switch (b) {
    case TD_BASIS_DEBUG_LOG: return "debug-log";
    case TD_BASIS_ERROR_CODE: return "error-code-only";
    case TD_BASIS_FRAGMENT: return "fragment";
    case TD_BASIS_CAPTURE: return "capture";
    case TD_BASIS_PROBE: return "probe";
    case TD_BASIS_REPLAY: return "replay-proven";
    }
    return "debug-log";
}

const char *td_basis_phrase(enum td_basis b)
{
    switch (b) {
    case TD_BASIS_DEBUG_LOG: return "from the debug log";
    case TD_BASIS_ERROR_CODE: return "inferred from the error code alone";
    case TD_BASIS_FRAGMENT: return "inferred from a fragment of the log (it stops before the handshake's result)";
    case TD_BASIS_CAPTURE: return "from the capture";
    case TD_BASIS_PROBE: return "from the probe";
    case TD_BASIS_REPLAY: return "proven by replay";
    }
    return "from the debug log";
}

const char *td_context_name(unsigned bit)
{
    switch (bit) {
    case TD_CTX_V2: return "mbedtls-2";
    case TD_CTX_V3: return "mbedtls-3";
    case TD_CTX_ESP: return "esp-idf";
    case TD_CTX_AWS: return "aws-iot";
    case TD_CTX_AZURE: return "azure-iot";
    case TD_CTX_ZEPHYR: return "zephyr";
    case TD_CTX_STM32: return "stm32cube";
    case TD_CTX_MBEDOS: return "mbed-os";
    case TD_CTX_MQTT: return "port-8883";
    case TD_CTX_CLOUD_IOT: return "cloud-iot-endpoint";
    case TD_CTX_BEFORE_ANSWER: return "before-server-answer";
    case TD_CTX_AFTER_ANSWER: return "after-server-answer";
    case TD_CTX_PLAIN_PORT: return "plain-port";
    case TD_CTX_SERVER_SIDE: return "server-side";
    case TD_CTX_PSA_CALL: return "psa-call";
    default: return NULL;
    }
}

/* 1 if the source holds the handshake's own lines (records, alerts, steps, states, verification,
 * transport calls), not only what the application printed. */
static int has_protocol_events(const struct td_transcript *t)
{
    for (size_t i = 0; i < t->n_ev; i++) {
        enum td_ev_kind k = t->ev[i].kind;
        if (k == TD_EV_RECORD || k == TD_EV_ALERT || k == TD_EV_STEP || k == TD_EV_STATE ||
            k == TD_EV_IO || k == TD_EV_VERIFY)
            return 1;
        if (k == TD_EV_FACT && t->ev[i].fact != TD_FACT_LIB_VERSION && t->ev[i].fact != TD_FACT_PLATFORM &&
            t->ev[i].fact != TD_FACT_PEER && t->ev[i].fact != TD_FACT_HOSTNAME)
            return 1;
    }
    return 0;
}

/* A failing return: not one Mbed TLS carries on after (TD_EVF_SOFT), unless the application itself
 * printed it as its failure (WANT_READ, a 3.x session ticket reported as an error: the cause is
 * then that very handling) and the handshake did not succeed. */
static int counts_as_failure(const struct dx_facts *fx, const struct td_event *e)
{
    if (e->kind != TD_EV_RETURN || e->code >= 0)
        return 0;
    return !(e->flags & TD_EVF_SOFT) || ((e->flags & TD_EVF_FROM_APP) && !fx->hs_done);
}

static int app_failure(const struct dx_facts *fx)
{
    for (size_t i = 0; i < fx->t->n_ev; i++)
        if (counts_as_failure(fx, &fx->t->ev[i]))
            return 1;
    return 0;
}

enum td_basis dx_basis(const struct dx_facts *fx)
{
    const struct td_transcript *t = fx->t;
    if (t->origin == TD_ORIGIN_CAPTURE)
        return TD_BASIS_CAPTURE;
    if (t->origin == TD_ORIGIN_PROBE)
        return TD_BASIS_PROBE;
    /* only returns and messages (level-1 debug lines print no more): the codes are all there is */
    if (t->debug_level < 2 && !has_protocol_events(t))
        return fx->hs_failed || fx->fail_ret || app_failure(fx) ? TD_BASIS_ERROR_CODE : TD_BASIS_FRAGMENT;
    if (!fx->hs_done && !fx->hs_failed && !fx->failed_after_hs && !fx->fail_ret && !fx->srv_alert &&
        t->stop != TD_STOP_COMPLETE)   /* a client alert alone: the log stops before its reason */
        return TD_BASIS_FRAGMENT;
    return TD_BASIS_DEBUG_LOG;
}

static int ci_has(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; hay && *hay; hay++)
        if (!strncasecmp(hay, needle, n))
            return 1;
    return 0;
}

static unsigned host_context(const char *host, int port)
{
    unsigned c = 0;
    if (port == 8883)
        c |= TD_CTX_MQTT;
    if (port == 1883 || port == 80 || port == 8080)
        c |= TD_CTX_PLAIN_PORT;
    if (!host)
        return c;
    if (!strncasecmp(host, "ws://", 5) || !strncasecmp(host, "http://", 7) || !strncasecmp(host, "mqtt://", 7))
        c |= TD_CTX_PLAIN_PORT;
    if (ci_has(host, ".amazonaws.com") && ci_has(host, ".iot."))
        c |= TD_CTX_CLOUD_IOT | TD_CTX_AWS;
    if (ci_has(host, "azure-devices.net"))
        c |= TD_CTX_CLOUD_IOT | TD_CTX_AZURE;
    if (ci_has(host, "iot-as-mqtt") || ci_has(host, "mqtt.googleapis.com"))
        c |= TD_CTX_CLOUD_IOT;
    return c;
}

unsigned dx_context(const struct dx_facts *fx)
{
    unsigned c = 0;
    if (fx->major == 1 || fx->major == 2)
        c |= TD_CTX_V2;
    else if (fx->major >= 3)
        c |= TD_CTX_V3;
    static const unsigned plat[] = {0, TD_CTX_ESP, TD_CTX_AWS, TD_CTX_ZEPHYR, TD_CTX_STM32, TD_CTX_MBEDOS,
                                    TD_CTX_AZURE};
    for (size_t i = 0; i < fx->t->n_ev; i++) {
        const struct td_event *e = &fx->t->ev[i];
        if (e->kind == TD_EV_RETURN && e->code < 0 && e->text && !strncmp(e->text, "psa_", 4))
            c |= TD_CTX_PSA_CALL;
        if (e->kind != TD_EV_FACT)
            continue;
        if (e->fact == TD_FACT_PLATFORM && e->code > 0 && e->code < (int64_t)(sizeof plat / sizeof plat[0]))
            c |= plat[e->code];
        else if (e->fact == TD_FACT_PEER)
            c |= host_context(e->text, (int)e->code);
        else if (e->fact == TD_FACT_HOSTNAME)
            c |= host_context(e->text, 0);
    }
    if (fx->t->logged_by == TD_ACTOR_SERVER)
        c |= TD_CTX_SERVER_SIDE;
    if (fx->server_answered)
        c |= TD_CTX_AFTER_ANSWER;
    else if (fx->ch_sent_ev || fx->t->stop == TD_STOP_BEFORE_SERVER_ANSWER)
        c |= TD_CTX_BEFORE_ANSWER;
    return c;
}

/* ---- ranking ---------------------------------------------------------------------------------- */

struct lk_cause {
    const struct lk_row *row;
    int pct;
    unsigned moved;     /* context bits that moved it */
};

static int code_in_table(int64_t code)
{
    for (size_t i = 0; i < N_ROWS; i++)
        if (lk_rows[i].code == code)
            return 1;
    return 0;
}

/* The table's code for a failing return: the code itself, else the part of a combined code the
 * table knows (the low-level part first: -0x4290's -0x0010, allocation failed, is the cause of
 * the RSA operation's failure), else 0. */
static int64_t table_code(int64_t code)
{
    if (code_in_table(code))
        return code;
    if (code >= 0 || code < -0xFFFF)
        return 0;
    int high, low;
    td_mbedtls_err_split((int)code, &high, &low);
    if (high && low && code_in_table(low))
        return low;
    if (high && low && code_in_table(high))
        return high;
    return 0;
}

/* The code to rank for: the handshake's, else the first failing return the table knows. */
static const struct td_event *pick_code(const struct dx_facts *fx, int64_t *code)
{
    if (fx->hs_failed && table_code(fx->hs_ret)) {
        *code = table_code(fx->hs_ret);
        return fx->hs_ret_ev ? fx->hs_ret_ev : dx_find_ret(fx, fx->hs_ret);
    }
    for (size_t i = 0; i < fx->t->n_ev; i++) {
        const struct td_event *e = &fx->t->ev[i];
        if (counts_as_failure(fx, e) && table_code(e->code)) {
            *code = table_code(e->code);
            return e;
        }
    }
    return NULL;
}

/* The causes of code, moved by the context and scaled back to the table's total, sorted. */
static size_t rank_causes(int64_t code, unsigned ctx, struct lk_cause *out)
{
    size_t n = 0;
    int total = 0;
    for (size_t i = 0; i < N_ROWS && n < LK_MAX; i++)
        if (lk_rows[i].code == code) {
            out[n++] = (struct lk_cause){&lk_rows[i], lk_rows[i].pct, 0};
            total += lk_rows[i].pct;
        }
    int moved_total = 0;
    for (size_t j = 0; j < n; j++) {
        for (size_t m = 0; m < N_MODS; m++)
            if (lk_mods[m].code == code && (lk_mods[m].ctx & ctx) && !strcmp(lk_mods[m].cause, out[j].row->cause)) {
                out[j].pct += lk_mods[m].points;
                out[j].moved |= lk_mods[m].ctx;
            }
        if (out[j].pct < 0)
            out[j].pct = 0;
        moved_total += out[j].pct;
    }
    for (size_t j = 0; j < n && moved_total > 0; j++)
        out[j].pct = (out[j].pct * total + moved_total / 2) / moved_total;
    for (size_t j = 1; j < n; j++) {   /* stable: table order breaks ties */
        struct lk_cause cur = out[j];
        size_t k = j;
        while (k > 0 && out[k - 1].pct < cur.pct) {
            out[k] = out[k - 1];
            k--;
        }
        out[k] = cur;
    }
    while (n && out[n - 1].pct == 0)
        n--;
    return n;
}

/* ---- emitting --------------------------------------------------------------------------------- */

/* Findings that only restate what the code means ("the server closed the connection" for
 * -0x7280): on an error-code-only source they are not a cause, the ranked causes are. */
static int restates_code(const char *id)
{
    static const char *const ids[] = {"peer-closed", "connection-reset", "connection-refused", "bad-config",
                                      "out-of-memory", "timeout", "local-failure"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (!strcmp(ids[i], id))
            return 1;
    return 0;
}

static void ctx_text(unsigned bits, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = '\0';
    for (unsigned b = 1; b && b < (1u << TD_CTX_COUNT); b <<= 1) {
        const char *n = (bits & b) ? td_context_name(b) : NULL;
        if (!n)
            continue;
        int k = snprintf(out + used, cap - used, "%s%s", used ? ", " : "", n);
        if (k < 0 || (size_t)k >= cap - used)
            return;
        used += (size_t)k;
    }
}

/* The registry's row for the code, in the meaning of the version at hand when it has two. */
static const struct td_mbedtls_err *code_row(int64_t code, int major)
{
    unsigned line = major == 1 || major == 2 ? TD_MBEDTLS_2X : major >= 3 ? TD_MBEDTLS_3X : 0u;
    const struct td_mbedtls_err *e = td_mbedtls_err_lookup((int)code, line);
    return e ? e : td_mbedtls_err_lookup((int)code, 0);
}

static void code_name(int64_t code, int major, char *out, size_t cap)
{
    const struct td_mbedtls_err *e = code_row(code, major);
    if (e && e->name)
        snprintf(out, cap, "-0x%04llX (%s)", (unsigned long long)-code, e->name);
    else
        snprintf(out, cap, "-0x%04llX", (unsigned long long)-code);
}

static void alternatives_text(const struct lk_cause *c, size_t n, size_t skip, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i == skip)
            continue;
        int k = snprintf(out + used, cap - used, "%s%s %d%%", used ? ", " : "", c[i].row->cause, c[i].pct);
        if (k < 0 || (size_t)k >= cap - used)
            return;
        used += (size_t)k;
    }
}

static void describe(struct dx *dx, struct td_finding *f, const struct lk_cause *c, size_t n, size_t i,
                     const char *name, unsigned ctx, const struct td_event *ret)
{
    enum td_basis basis = dx->out->basis;
    char alts[400], moved[200];
    alternatives_text(c, n, i, alts, sizeof alts);
    ctx_text(c[i].moved & ctx, moved, sizeof moved);
    char *old = f->summary;
    f->summary = NULL;
    if (i == 0)
        dx_set(dx, &f->summary, "%s most likely means: %s (%d%%, %s).%s%s%s", name, f->title, c[i].pct,
               td_basis_phrase(basis), alts[0] ? " Alternatives: " : "", alts, alts[0] ? "." : "");
    else
        dx_set(dx, &f->summary, "%s can also mean: %s (%d%%).", name, f->title, c[i].pct);
    if (old) {
        dx_add(dx, &f->explanation, "%s%s", f->explanation ? " " : "", old);
        free(old);
    } else {
        const struct td_mbedtls_err *e = code_row(dx->out->code, dx->fx.major);
        dx_set(dx, &f->explanation, "%s: %s It ends handshakes for several reasons; in the threads behind "
               "tlsdoctor's table (docs/rules.md) this one is the answer about %d%% of the time%s%s.",
               name, e && e->desc ? e->desc : "", c[i].pct, moved[0] ? " given " : "", moved);
    }
    dx_set(dx, &f->reason, "%s: the likelihood of this cause among those of %s%s%s", td_basis_phrase(basis),
           name, moved[0] ? ", moved by " : "", moved);
    if (!f->n_ev && ret)
        dx_ev_ret(dx, f, ret);
    f->next_step = c[i].row->next;
    f->likely = 1;
}

static int has_cause(const struct td_diagnosis *d)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->f[i].sev == TD_SEV_ERROR && strcmp(d->f[i].id, "unknown") != 0 &&
            strcmp(d->f[i].id, "insufficient-evidence") != 0)
            return 1;
    return 0;
}

/* ---- fragments -------------------------------------------------------------------------------- */

/* The value of a "name : value" line of the certificate text Mbed TLS printed, into out. */
static int cert_field(const char *text, const char *name, char *out, size_t cap)
{
    const char *p = text ? strstr(text, name) : NULL;
    if (!p)
        return 0;
    p = strchr(p, ':');
    if (!p)
        return 0;
    p++;
    while (*p == ' ')
        p++;
    size_t n = strcspn(p, "\n");
    while (n && p[n - 1] == ' ')
        n--;
    snprintf(out, cap, "%.*s", (int)n, p);
    return n > 0;
}

/* The server's leaf certificate as text (the first TD_FACT_CERT at depth 0 or of unknown depth). */
static const struct td_event *leaf_text(const struct dx_facts *fx)
{
    for (size_t i = 0; i < fx->t->n_ev; i++) {
        const struct td_event *e = &fx->t->ev[i];
        if (e->kind == TD_EV_FACT && e->fact == TD_FACT_CERT && e->text && e->code <= 0 &&
            e->from != TD_ACTOR_CLIENT)
            return e;
    }
    return NULL;
}

static void fragment_finding(struct dx *dx, const char *id, int conf, const struct td_event *ev,
                             const char *evtext, const char *why, const char *next)
{
    const struct dx_rule *r = dx_rule_by_id(id);
    struct td_finding *f = r ? dx_emit(dx, r, TD_SEV_ERROR, conf) : NULL;
    if (!f)
        return;
    dx_ev(dx, f, ev, "%s", evtext);
    dx_set(dx, &f->summary, "The log stops before the handshake's result; from what this fragment shows, "
           "the likely cause is: %s (%d%%). %s", f->title, conf, why);
    dx_set(dx, &f->explanation, "%s %s", why, "What the fragment cannot show is the failure itself: "
           "capture the log from before mbedtls_ssl_handshake() to its return (debug level 3 or 4) to "
           "confirm it.");
    dx_set(dx, &f->reason, "%s: %s", td_basis_phrase(TD_BASIS_FRAGMENT), evtext);
    f->next_step = next;
    f->likely = 1;
}

/* Size: a record or a Certificate message larger than the input buffer (known, or 16384), or
 * larger than the 4 KB many embedded builds give it. */
static void fragment_size(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    uint32_t big = fx->max_srv_hs_msg > fx->max_srv_record ? fx->max_srv_hs_msg : fx->max_srv_record;
    const struct td_event *ev = fx->max_srv_hs_msg > fx->max_srv_record ? fx->max_srv_hs_ev
                                                                         : fx->max_srv_record_ev;
    long limit = fx->in_buffer > 0 ? fx->in_buffer : 16384;
    char what[160];
    snprintf(what, sizeof what, "the server sent a %s of %u bytes%s", fx->max_srv_hs_msg > fx->max_srv_record &&
             fx->max_srv_hs_type == 11 ? "Certificate message" : "record", (unsigned)big,
             fx->in_buffer > 0 ? " (the input buffer holds less)" : "");
    if (big > (uint32_t)limit)
        fragment_finding(dx, "record-too-large", 80, ev, what, "It does not fit the client's input buffer "
                         "(MBEDTLS_SSL_IN_CONTENT_LEN), which ends the handshake with -0x7200 or -0x7100.",
                         "Debug level 1: 'requesting more data than fits' or 'bad message length' right after "
                         "it; check MBEDTLS_SSL_IN_CONTENT_LEN in the build's configuration.");
    else if (fx->in_buffer <= 0 && big > 4096)
        fragment_finding(dx, "record-too-large", 45, ev, what, "Embedded builds often shrink "
                         "MBEDTLS_SSL_IN_CONTENT_LEN to 4096 or less; a chain this long does not fit them.",
                         "Check MBEDTLS_SSL_IN_CONTENT_LEN in the build's configuration, and capture the log "
                         "past this record: 'requesting more data than fits' (level 1) confirms it.");
}

/* The leaf's issuer is its subject: a self-signed certificate no CA file vouches for. */
static void fragment_self_signed(struct dx *dx)
{
    const struct td_event *leaf = leaf_text(&dx->fx);
    char iss[160], sub[160];
    if (!leaf || !cert_field(leaf->text, "issuer name", iss, sizeof iss) ||
        !cert_field(leaf->text, "subject name", sub, sizeof sub) || strcmp(iss, sub) != 0)
        return;
    char what[400];
    snprintf(what, sizeof what, "the server's certificate is self-signed (issuer = subject = %s)", sub);
    fragment_finding(dx, "ca-untrusted", 55, leaf, what, "Unless that very certificate is loaded as the "
                     "trusted CA (mbedtls_ssl_conf_ca_chain()), verification fails with -0x2700.",
                     "Print mbedtls_x509_crt_verify_info() of mbedtls_ssl_get_verify_result() (or capture "
                     "level 3: '! Certificate verification flags 00000008').");
}

/* The client sent a fatal alert right after the server's certificate: its own check refused it. */
static void fragment_client_alert(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *a = fx->cli_alert, *leaf = leaf_text(fx);
    if (!a || !(leaf || fx->cert_msg_ev) || dx_found(dx, "ca-untrusted"))
        return;
    fragment_finding(dx, "ca-untrusted", 50, a, "the client sent a fatal alert right after reading the "
                     "server's certificate", "Its verification refused the certificate; an untrusted "
                     "issuer is the most common reason (then the clock, then the name).",
                     "Print mbedtls_x509_crt_verify_info() of mbedtls_ssl_get_verify_result(): its flags "
                     "name which check failed.");
}

/* The ClientHello carries no server name and the server has not answered yet. */
static void fragment_no_sni(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    if (!fx->exts_known || fx->sni_sent || fx->server_answered || !fx->ch_sent_ev)
        return;
    fragment_finding(dx, "sni-missing", 45, fx->ch_sent_ev, "the ClientHello carries no server_name (SNI)",
                     "Servers that choose their certificate by name (Caddy, cloud front ends, AWS IoT, "
                     "nginx with ssl_reject_handshake) refuse it with alert 80 or 112.",
                     "Capture the server's answer (debug level 2: 'got an alert message, type: [2:80]' or "
                     "[2:112]), or prove it with `tlsdoctor diagnose --log LOG --server HOST`.");
}

/* "YYYY-MM-DD HH:MM:SS" to seconds since the epoch (UTC), 0 when it is not one. */
static int digits(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

static int64_t cert_time(const char *v)
{
    if (strlen(v) < 19 || v[4] != '-' || v[7] != '-' || v[10] != ' ' || v[13] != ':' || v[16] != ':')
        return 0;
    int y = digits(v, 4), mo = digits(v + 5, 2), d = digits(v + 8, 2), h = digits(v + 11, 2),
        mi = digits(v + 14, 2), se = digits(v + 17, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || mi < 0 || se < 0)
        return 0;
    /* days from civil (Howard Hinnant's algorithm) */
    y -= mo <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 719468;
    return days * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + se;
}

/* The leaf's dates against the device's clock (the ClientHello's time). */
static void fragment_dates(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *leaf = leaf_text(fx);
    char from[40], to[40];
    int clock = !fx->time_from_random || (fx->major != 3 && !fx->offers_tls13);   /* as rule_cert.c */
    if (!leaf || !fx->has_time || !clock || dx_clock_unset(fx) || !cert_field(leaf->text, "issued  on", from, sizeof from) ||
        !cert_field(leaf->text, "expires on", to, sizeof to))
        return;
    int64_t now = fx->gmt_time, a = cert_time(from), b = cert_time(to);
    char what[200];
    if (b && now > b) {
        snprintf(what, sizeof what, "the server's certificate expired on %s, before the device's clock", to);
        fragment_finding(dx, "cert-expired", 70, leaf, what, "Verification refuses an expired certificate "
                         "(-0x2700, flag 0x01), unless the device's clock is wrong.",
                         "Print mbedtls_x509_crt_verify_info(): 'The certificate validity has expired'; "
                         "check the device's clock against the real time.");
    } else if (a && now < a) {
        snprintf(what, sizeof what, "the server's certificate is valid only from %s, after the device's clock", from);
        fragment_finding(dx, "cert-not-yet-valid", 70, leaf, what, "Verification refuses a certificate not "
                         "valid yet (-0x2700, flag 0x200): the device's clock is behind or the certificate "
                         "is brand new.",
                         "Print mbedtls_x509_crt_verify_info(): 'The certificate validity starts in the "
                         "future'; check the device's clock (SNTP) before the handshake.");
    }
}

/* 1 if host matches name (one leftmost '*.' label allowed), case-insensitively. */
static int name_matches(const char *name, const char *host)
{
    if (!strncmp(name, "*.", 2)) {
        const char *dot = strchr(host, '.');
        return dot && dot != host && !strcasecmp(name + 1, dot);
    }
    return !strcasecmp(name, host);
}

/* The leaf's names (subjectAltName dNSName, else the CN) against the host name the client set. */
static void fragment_names(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *leaf = leaf_text(fx);
    const char *host = fx->hostname ? fx->hostname : fx->sni_name[0] ? fx->sni_name : NULL;
    if (!leaf || !host || !strstr(leaf->text, "expires on"))
        return;   /* the text must be past its dates: a cut in the middle of the names says nothing */
    int any = 0, match = 0;
    char names[200] = "";
    for (const char *p = strstr(leaf->text, "dNSName"); p; p = strstr(p + 7, "dNSName")) {
        char n[128];
        if (!cert_field(p, "dNSName", n, sizeof n))
            continue;
        any = 1;
        match |= name_matches(n, host);
        size_t used = strlen(names);
        snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "", n);
    }
    if (!any) {
        char sub[160];
        const char *cn = cert_field(leaf->text, "subject name", sub, sizeof sub) ? strstr(sub, "CN=") : NULL;
        if (!cn)
            return;
        snprintf(names, sizeof names, "%.*s", (int)strcspn(cn + 3, ","), cn + 3);
        match = name_matches(names, host);
    }
    const char *san = strstr(leaf->text, "subject alt name");
    if (match || !san || !any || !strstr(san, "key usage"))
        return;   /* a name that matches, or a SAN list the cut may have shortened: no finding */
    char what[600];
    snprintf(what, sizeof what, "the server's certificate names %.200s, not %.255s (the host name the client set)",
             names, host);
    fragment_finding(dx, "hostname-mismatch", 70, leaf, what, "Verification checks the name given to "
                     "mbedtls_ssl_set_hostname() against these names (-0x2700, flag 0x04).",
                     "Print mbedtls_x509_crt_verify_info(): 'The certificate Common Name (CN) does not match "
                     "with the expected CN'.");
}

/* A log cut before the handshake's result: what its facts make likely. Runs only when no rule found
 * a cause in the fragment and no error code ranks the causes. */
static void fragment_run(struct dx *dx)
{
    fragment_size(dx);
    fragment_dates(dx);
    fragment_names(dx);
    fragment_self_signed(dx);
    fragment_client_alert(dx);
    fragment_no_sni(dx);
}

/* Puts the ranked causes last and in the table's order, so that the (stable) ranking breaks ties
 * between equally likely causes the way the table does, whichever rule emitted them first. */
static void table_order(struct td_diagnosis *d, const struct lk_cause *c, size_t n)
{
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < d->n; i++)
            if (d->f[i].likely && !strcmp(d->f[i].id, c[j].row->cause)) {
                struct td_finding f = d->f[i];
                memmove(&d->f[i], &d->f[i + 1], (d->n - i - 1) * sizeof f);
                d->f[d->n - 1] = f;
                break;
            }
}

/* The ranked causes of the failing code become findings. Runs after the evidence rules and before
 * the fallbacks (local-failure, unknown, insufficient-evidence): when a rule found the cause in
 * the evidence, it stays alone; when only findings that restate the code exist (an error-code-only
 * source), they take their cause's likelihood or step back to notes. */
void dx_likely_run(struct dx *dx)
{
    const struct dx_facts *fx = &dx->fx;
    struct td_diagnosis *d = dx->out;
    d->context = dx_context(fx);
    int64_t code = 0;
    const struct td_event *ret = pick_code(fx, &code);
    /* a completed handshake whose connection the peer ended after this side declined its
     * renegotiation (rule_renego.c): the code is that end, explained, not a failure to rank */
    if (fx->hs_done && !fx->hs_failed && dx_found(dx, "renegotiation-refused"))
        return;
    if (!ret) {
        if (d->basis == TD_BASIS_FRAGMENT && !has_cause(d))
            fragment_run(dx);
        return;
    }
    for (size_t i = 0; i < d->n; i++) {
        const char *id = d->f[i].id;
        if (d->f[i].sev != TD_SEV_ERROR || !strcmp(id, "unknown") || !strcmp(id, "insufficient-evidence"))
            continue;   /* a fallback (a server's log runs them before this pass) names no cause */
        if (!(restates_code(id) && (d->basis == TD_BASIS_ERROR_CODE || (d->context & TD_CTX_PSA_CALL))))
            return;     /* a cause found in the evidence stands alone */
    }
    struct lk_cause c[LK_MAX];
    size_t n = rank_causes(code, d->context, c);
    if (!n)
        return;
    d->code = code;
    char name[200];
    code_name(code, fx->major, name, sizeof name);
    if (ret->code != code && ret->code < 0) {   /* a combined code: name the whole and the part */
        char part[120];
        code_name(code, fx->major, part, sizeof part);
        snprintf(name, sizeof name, "-0x%04llX (its low part %s)", (unsigned long long)-ret->code, part);
    }
    for (size_t i = 0; i < d->n; i++) {   /* restating findings that are not a ranked cause: notes */
        int ranked = 0;
        for (size_t j = 0; j < n; j++)
            ranked |= !strcmp(c[j].row->cause, d->f[i].id);
        if (!ranked && d->f[i].sev == TD_SEV_ERROR) {
            d->f[i].sev = TD_SEV_INFO;
            dx_add(dx, &d->f[i].reason, " (what %s says; not the cause by itself)", name);
        }
    }
    for (size_t j = 0; j < n && dx->err == TD_OK; j++) {
        struct td_finding *f = dx_found(dx, c[j].row->cause);
        if (!f) {
            const struct dx_rule *r = dx_rule_by_id(c[j].row->cause);
            if (!r)
                continue;
            f = dx_emit(dx, r, TD_SEV_ERROR, c[j].pct);
            if (!f)
                return;
        }
        f->sev = TD_SEV_ERROR;
        f->confidence = c[j].pct;
        describe(dx, f, c, n, j, name, d->context, ret);
    }
    table_order(d, c, n);
}
