/* facts_capture.c -- facts a packet capture shows without any log: what the sizes of records and
 * the TCP closes say. A server record still arriving when the client hung up, a handshake message
 * continued over several records, and in TLS 1.3 (where everything after the ServerHello is
 * encrypted) the client's empty Certificate, the server's one-alert answer, or a finished
 * handshake, each told by the length of an encrypted record. Internal to lib/diag. */
#include <string.h>
#include "diag_int.h"

/* Inner plaintext sizes (content + the content type byte, before padding) in TLS 1.3. */
#define EMPTY_CERT_INNER 9u   /* Certificate: 4-byte header, empty context, empty list (3), type */
#define ALERT_INNER 3u        /* level, description, type */
#define PAD_GRANULARITY 16u   /* Mbed TLS 3.x pads inner plaintext to 16 bytes by default */

unsigned dx_tls13_tag_len(uint16_t suite)
{
    return suite == 0x1305 ? 8u : 16u;   /* TLS_AES_128_CCM_8_SHA256 */
}

/* An encrypted record's header length, or 0 for anything else. */
static unsigned enc_len(const struct td_event *e)
{
    if (e->kind != TD_EV_RECORD || e->len < 5 || e->data[0] != 23)
        return 0;
    return (unsigned)e->data[3] << 8 | e->data[4];
}

static int is_close(const struct td_event *e, enum td_actor who)
{
    return e->kind == TD_EV_MESSAGE && e->from == who && (e->flags & (TD_EVF_TCP_FIN | TD_EVF_TCP_RST));
}

/* The inner plaintext of an encrypted TLS 1.3 record fits between lo and hi bytes (padding
 * allowed up to the next multiple of PAD_GRANULARITY). */
static int inner_fits(const struct dx_facts *fx, unsigned rec_len, unsigned lo)
{
    unsigned tag = dx_tls13_tag_len(fx->chosen_suite);
    if (rec_len < tag + lo)
        return 0;
    unsigned inner = rec_len - tag;
    unsigned hi = (lo + PAD_GRANULARITY - 1) / PAD_GRANULARITY * PAD_GRANULARITY;
    return inner <= hi;
}

/* A TLS 1.3 capture shows no result, but the handshake finished when the client sent its Finished
 * and then data (two encrypted records at least), and the server answered with an encrypted record
 * too long to be an alert (2 bytes + content type + a 16-byte tag = 19; 32 leaves room for
 * padding) before any alert, FIN or RST of its own. A rejected client certificate shows instead as
 * an alert-sized record after the client's records (tls13_client_flight). */
static void tls13_done(struct dx_facts *fx)
{
    const struct td_transcript *t = fx->t;
    if (t->handshake_ret_known || fx->fail_ret || fx->srv_alert || fx->cli_alert)
        return;
    int cli_enc = 0;
    for (size_t i = 0; i < t->n_ev; i++) {
        const struct td_event *e = &t->ev[i];
        if (is_close(e, TD_ACTOR_SERVER))
            return;
        unsigned n = enc_len(e);
        if (!n)
            continue;
        if (e->from == TD_ACTOR_CLIENT)
            cli_enc++;
        else if (e->from == TD_ACTOR_SERVER && cli_enc >= 2 && n > 32) {
            fx->hs_done = 1;
            fx->hs_done_seen = e;
            return;
        }
    }
}

/* The client's second flight in TLS 1.3: its first encrypted records after the server's. When the
 * first is the size of a Certificate message with no certificate and another follows (an alert
 * would be the last thing sent), the server asked for a certificate and the client had none. When
 * the server then answers with one alert-sized record and closes, it refused the handshake. */
static void tls13_client_flight(struct dx_facts *fx)
{
    const struct td_transcript *t = fx->t;
    const struct td_event *first = NULL, *second = NULL, *answer = NULL;
    size_t i = 0;
    for (; i < t->n_ev; i++) {   /* the client's first encrypted records */
        const struct td_event *e = &t->ev[i];
        if (!enc_len(e))
            continue;
        if (e->from == TD_ACTOR_SERVER && first)
            break;
        if (e->from != TD_ACTOR_CLIENT)
            continue;
        if (!first)
            first = e;
        else if (!second)
            second = e;
    }
    if (!first || !second || !inner_fits(fx, enc_len(first), EMPTY_CERT_INNER))
        return;
    fx->tls13_empty_cert = first;
    fx->tls13_cli_fin = second;
    for (; i < t->n_ev; i++) {   /* the server's answer: one alert-sized record, then a close */
        const struct td_event *e = &t->ev[i];
        if (e->kind == TD_EV_RECORD && e->from == TD_ACTOR_SERVER) {
            if (answer || !enc_len(e) || !inner_fits(fx, enc_len(e), ALERT_INNER))
                return;
            answer = e;
        } else if (answer && is_close(e, TD_ACTOR_SERVER)) {
            fx->tls13_refusal = answer;
            fx->srv_close_ev = e;
            return;
        }
    }
}

/* A server record cut short because the client closed the connection (FIN or RST) before all of
 * it arrived, without an alert: the client gave up on it after reading its header. */
static void cut_by_client(struct dx_facts *fx)
{
    const struct td_transcript *t = fx->t;
    const struct td_event *cut = NULL;
    for (size_t i = 0; i < t->n_ev; i++) {
        const struct td_event *e = &t->ev[i];
        if (e->kind == TD_EV_RECORD && e->from == TD_ACTOR_SERVER)
            cut = (e->flags & TD_EVF_TRUNCATED) && e->len >= 5 ? e : NULL;   /* its header is there */
        else if (e->from == TD_ACTOR_CLIENT && (e->kind == TD_EV_ALERT || e->kind == TD_EV_RECORD))
            cut = NULL;
        else if (cut && is_close(e, TD_ACTOR_CLIENT)) {
            fx->cut_record = cut;
            fx->cli_quit_ev = e;
            return;
        }
    }
}

/* A handshake message continued in a later record, then the client closed without an alert and
 * without writing anything more. */
static void continued_then_quit(struct dx_facts *fx)
{
    const struct td_event *cont = fx->srv_cont;
    if (!cont)
        return;
    const struct td_transcript *t = fx->t;
    for (size_t i = (size_t)(cont - t->ev); i < t->n_ev; i++) {
        const struct td_event *e = &t->ev[i];
        if (e->from == TD_ACTOR_CLIENT && (e->kind == TD_EV_ALERT || e->kind == TD_EV_RECORD))
            return;
        if (is_close(e, TD_ACTOR_CLIENT)) {
            fx->continued_ev = cont;
            if (!fx->cli_quit_ev)
                fx->cli_quit_ev = e;
            return;
        }
    }
}

void dx_capture_facts(struct dx_facts *fx)
{
    if (fx->t->origin != TD_ORIGIN_CAPTURE)
        return;
    cut_by_client(fx);
    continued_then_quit(fx);
    if (fx->has_chosen_version && fx->chosen_version == 0x0304) {
        tls13_client_flight(fx);
        tls13_done(fx);
    }
}
