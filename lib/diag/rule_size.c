/* rule_size.c -- size rules: record-too-large (a server record or handshake message bigger than
 * the client's input buffer), mfl-ignored (the client asked for max_fragment_length and the
 * server did not agree), handshake-fragmentation (Mbed TLS 2.x cannot join a handshake message
 * split over records). */
#include <stdio.h>
#include <string.h>
#include "diag_int.h"
#include "rules_int.h"

/* Evidence that a record did not fit: the "requesting more data than fits" line, or a failing
 * -0x7100/-0x6A00 next to a record longer than the known buffer. */
static const struct td_event *too_large(const struct dx_facts *fx);

/* A handshake message split over records because it is bigger than the records the client allows:
 * its max_fragment_length, or its input buffer (16384 when not known). */
static const struct td_event *fragmented_too_large(const struct dx_facts *fx)
{
    const struct td_event *e = dx_find_text(fx, "handshake fragmentation not supported");
    if (!e)
        return NULL;
    long limit = fx->mfl_asked && fx->mfl_bytes ? (long)fx->mfl_bytes
                 : fx->in_buffer > 0 ? fx->in_buffer : 16384;
    if (fx->mfl_asked || (fx->max_srv_hs_msg && (long)fx->max_srv_hs_msg > limit))
        return e;
    return NULL;
}

static const struct td_event *too_large(const struct dx_facts *fx)
{
    const struct td_event *e = dx_find_text(fx, "requesting more data than fits");
    if (e)
        return e;
    e = fragmented_too_large(fx);
    if (e)
        return e;
    e = dx_find_text(fx, "record too large");
    if (e)
        return e;
    if (fx->in_buffer > 0 && fx->max_srv_record > (uint32_t)fx->in_buffer) {
        const struct td_event *r = dx_find_ret(fx, DX_ERR_SSL_BAD_INPUT_DATA);
        if (!r)
            r = dx_find_ret(fx, DX_ERR_SSL_BUFFER_TOO_SMALL);
        if (!r)
            r = dx_find_ret(fx, -0x7200);   /* INVALID_RECORD: "bad message length" */
        return r;
    }
    return NULL;
}

/* 1 if the server is known not to have accepted the client's max_fragment_length. */
static const struct td_event *mfl_refused(const struct dx_facts *fx)
{
    if (fx->has_sh && !fx->sh.x.has_mfl)
        return fx->sh_ev;
    return dx_find_fact(fx, TD_FACT_MFL_NOT_ECHOED);
}

static void ev_sizes(struct dx *dx, struct td_finding *f)
{
    const struct dx_facts *fx = &dx->fx;
    if (fx->max_srv_hs_msg > fx->max_srv_record && fx->max_srv_hs_ev)
        dx_ev(dx, f, fx->max_srv_hs_ev, "the server's handshake message (type %u) is %u bytes long",
              fx->max_srv_hs_type, fx->max_srv_hs_msg);
    if (fx->mfl_asked && fx->mfl_bytes)
        dx_ev(dx, f, fx->mfl_ev, "the client asked for records of at most %u bytes (max_fragment_length)",
              fx->mfl_bytes);
    if (fx->max_srv_record)
        dx_ev(dx, f, fx->max_srv_record_ev, "the server sent a record of %u bytes", fx->max_srv_record);
    if (fx->in_buffer > 0)
        dx_ev(dx, f, fx->in_buffer_ev, "the client's input buffer holds %ld bytes", fx->in_buffer);
}

/* A capture's signs that the client could not take a record: it hung up in the middle of one, or
 * after a handshake message too big for it arrived split over records. */
static const struct td_event *too_large_on_wire(const struct dx_facts *fx)
{
    if (fx->cut_record)
        return fx->cut_record;
    if (fx->continued_ev && (fx->mfl_asked || fx->max_srv_hs_msg > 16384))
        return fx->continued_ev;
    return NULL;
}

static void ev_on_wire(struct dx *dx, struct td_finding *f, const struct td_event *e)
{
    const struct dx_facts *fx = &dx->fx;
    if (e == fx->cut_record && e->len >= 5) {
        unsigned len = (unsigned)e->data[3] << 8 | e->data[4];
        if (e != fx->max_srv_record_ev)
            dx_ev(dx, f, e, "the server sent a record of %u bytes", len);
        dx_ev(dx, f, fx->cli_quit_ev, "%zu bytes of that record had arrived when the client closed the "
              "connection, without an alert", e->len - 5);
        return;
    }
    dx_ev(dx, f, e, "the server split a %u-byte handshake message over several records",
          fx->max_srv_hs_msg);
    dx_ev(dx, f, fx->cli_quit_ev, "the client closed the connection there, without an alert");
}

void dx_rule_record_too_large(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *e = too_large(fx);
    const struct td_event *w = e ? NULL : too_large_on_wire(fx);
    if (!e && !w)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, e ? 85 : 75);
    if (!f)
        return;
    ev_sizes(dx, f);
    if (e)
        dx_ev(dx, f, e, "Mbed TLS: %s", e->text ? e->text : "the record does not fit");
    else
        ev_on_wire(dx, f, w);
    dx_ev_final(dx, f);
    char size[64] = "";
    if (fx->max_srv_record)
        snprintf(size, sizeof size, " (%u bytes)", fx->max_srv_record);
    int split = (e && fragmented_too_large(fx)) || (w && w == fx->continued_ev);
    if (split)
        dx_set(dx, &f->summary, "The server's handshake message (%u bytes) is longer than the records "
               "your client accepts (%u bytes%s), so the server split it over several records, and Mbed "
               "TLS before 3.6.4 cannot join a split handshake message. Fix: accept full-size records "
               "(MBEDTLS_SSL_IN_CONTENT_LEN 16384, no smaller max_fragment_length), shorten the server's "
               "chain, or update to Mbed TLS 3.6.4 or later.", fx->max_srv_hs_msg,
               fx->mfl_asked && fx->mfl_bytes ? fx->mfl_bytes : 16384u,
               fx->mfl_asked && fx->mfl_bytes ? ", its max_fragment_length" : ", the most TLS allows");
    else
        dx_set(dx, &f->summary, "A record from the server%s is larger than your client's input buffer%s. "
               "Fix: build with MBEDTLS_SSL_IN_CONTENT_LEN 16384 (or at least the size of the server's "
               "largest record).", size, fx->in_buffer > 0 ? "" : " (MBEDTLS_SSL_IN_CONTENT_LEN)");
    dx_set(dx, &f->explanation, "Mbed TLS reads each record whole into a buffer of "
           "MBEDTLS_SSL_IN_CONTENT_LEN bytes%s; a longer record cannot be read, and the call fails "
           "with -0x7100 (\"Bad input parameters to function\"), which hides the real cause. %s "
           "It is not a trust or negotiation problem.",
           fx->in_buffer > 0 ? "" : " (often reduced to 4096 or less on small devices)",
           fx->failed_after_hs ? "Here the handshake worked and an application data record was too "
                                 "long: the server writes records up to 16 KB."
                               : "During the handshake it is usually the server's Certificate message "
                                 "(a long chain or big RSA keys).");
    if (fragmented_too_large(fx))
        dx_add(dx, &f->explanation, " Here the server's handshake message did not fit in one record of the "
               "size the client allows%s, so the server split it over several records, and Mbed TLS 2.x "
               "(before 3.6.4) cannot put such a message back together (\"handshake fragmentation not "
               "supported\").", fx->mfl_asked ? " (it asked for a small max_fragment_length)" : "");
    if (w && w == fx->cut_record)
        dx_add(dx, &f->explanation, " The capture shows it from the outside: Mbed TLS reads a record's "
               "5-byte header first and, when the length announced is more than its buffer holds, gives "
               "up at once and closes the connection without an alert, in the middle of the record.");
    else if (w)
        dx_add(dx, &f->explanation, " The capture shows the server's message split over records%s and "
               "the client closing without an alert as soon as the split arrived: Mbed TLS 2.x (and 3.x "
               "before 3.6.4) cannot join such a message.", fx->mfl_asked ? " of the size the client "
               "asked for (max_fragment_length)" : "");
    dx_set(dx, &f->reason, "%s", e ? "Mbed TLS says the incoming record does not fit its buffer"
           : "the client hung up without an alert where a record too big for it arrived");
}

void dx_rule_mfl_ignored(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    if (!fx->mfl_asked)
        return;
    const struct td_event *no = mfl_refused(fx);
    if (!no)
        return;
    const struct td_event *big = too_large(fx);
    /* Records longer than the client asked for (256 bytes of encryption overhead allowed), and
     * the client then vanished without any alert: it most likely could not read them. */
    int over = fx->mfl_bytes && fx->max_srv_record > fx->mfl_bytes + 256 && !fx->cli_closed;
    struct td_finding *f = dx_emit(dx, r, big || over ? TD_SEV_ERROR : TD_SEV_WARNING,
                                   big ? 90 : over ? 60 : 70);
    if (!f)
        return;
    if (fx->mfl_bytes)
        dx_ev(dx, f, fx->mfl_ev, "the client asked for max_fragment_length %u", fx->mfl_bytes);
    else
        dx_ev(dx, f, fx->mfl_ev, "the client sent the max_fragment_length extension");
    dx_ev(dx, f, no, "the server's answer has no max_fragment_length extension: it did not agree");
    if (big) {
        ev_sizes(dx, f);
        dx_ev(dx, f, big, "Mbed TLS: %s", big->text ? big->text : "the record does not fit");
        dx_ev_final(dx, f);
        dx_set(dx, &f->summary, "The server ignored your max_fragment_length request and sent a record "
               "larger than your input buffer. Fix: build with MBEDTLS_SSL_IN_CONTENT_LEN 16384, or use "
               "a server that honours max_fragment_length.");
    } else if (over) {
        ev_sizes(dx, f);
        dx_set(dx, &f->summary, "The server ignored your max_fragment_length request and sent records "
               "longer than you asked for; your client then stopped without closing the connection, "
               "most likely unable to read them. Fix: build with MBEDTLS_SSL_IN_CONTENT_LEN 16384.");
    } else {
        dx_set(dx, &f->summary, "The server ignored your max_fragment_length request: it may send records "
               "up to 16 KB, more than a reduced input buffer holds.");
    }
    dx_set(dx, &f->explanation, "max_fragment_length is only a request: a server that does not implement "
           "it (Go crypto/tls, so Caddy and Traefik, and many others) leaves it out of its ServerHello and "
           "keeps writing records of up to 16384 bytes. A client built with a smaller "
           "MBEDTLS_SSL_IN_CONTENT_LEN then fails on the first long record, often only once application "
           "data flows.");
    dx_set(dx, &f->reason, "%s", big ? "the server did not confirm max_fragment_length and a record did "
           "not fit" : over ? "longer records than asked for, then the client went silent (the failure "
           "itself is not in this source)" : "the server did not confirm max_fragment_length");
}

void dx_rule_handshake_fragmentation(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *e = dx_find_text(fx, "handshake fragmentation not supported");
    /* A capture: a message split over records, then the client quit without an alert. */
    const struct td_event *w = e ? NULL : fx->continued_ev;
    if (!e && !w)
        return;
    /* When the message was too big for the client's own limits, record-too-large leads. */
    int too_big = e ? fragmented_too_large(fx) != NULL : too_large_on_wire(fx) != NULL;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, e ? (too_big ? 80 : 95) : 70);
    if (!f)
        return;
    if (e)
        dx_ev(dx, f, e, "Mbed TLS: %s", e->text);
    else
        ev_on_wire(dx, f, w);
    dx_ev_final(dx, f);
    dx_set(dx, &f->summary, "The server split a handshake message over several records, which your Mbed "
           "TLS version cannot reassemble. Fix: update to Mbed TLS 3.6.4 or later, or stop the server from "
           "fragmenting (no max_fragment_length / record_size_limit, full-size records).");
    dx_set(dx, &f->explanation, "Mbed TLS before 3.x (and 3.x before 3.6.4) cannot take a handshake "
           "message that spans records: it reports \"TLS handshake fragmentation not supported\" and "
           "aborts. Servers fragment large messages (a long certificate chain) when they honour a small "
           "max_fragment_length or record_size_limit, or by their own choice.");
    dx_set(dx, &f->reason, "%s", e ? "Mbed TLS names the cause in its log" : "a handshake message split "
           "over records, then the client hung up without an alert");
}

/* DTLS: the application handed mbedtls_ssl_write() more than one record carries; Mbed TLS does not
 * split datagrams and refuses the call (ssl_msg.c, ssl_write_real(): -0x7100 after "fragment larger
 * than the (negotiated) maximum fragment length"). The handshake itself is not concerned. */
void dx_rule_write_too_large(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    const struct td_event *e = dx_find_fact(fx, TD_FACT_WRITE_TOO_LARGE);
    if (!e)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_ERROR, 90);
    if (!f)
        return;
    dx_ev(dx, f, e, "mbedtls_ssl_write() got %lld bytes; one record takes at most %d", (long long)e->code, e->a);
    const struct td_event *ret = dx_find_ret(fx, DX_ERR_SSL_BAD_INPUT_DATA);
    if (ret && ret->line >= e->line)
        dx_ev_ret(dx, f, ret);
    dx_set(dx, &f->summary, "Your application wrote %lld bytes in one mbedtls_ssl_write() call; in DTLS "
           "one call sends one record, at most %d bytes here, so Mbed TLS refused it (-0x7100)%s. Fix: "
           "write in pieces of at most mbedtls_ssl_get_max_out_record_payload() bytes.",
           (long long)e->code, e->a, fx->hs_done ? " after a handshake that succeeded" : "");
    dx_set(dx, &f->explanation, "Over TLS, mbedtls_ssl_write() takes what fits and returns how much it "
           "sent; over DTLS a datagram cannot be split, so a write larger than the maximum fragment "
           "length (negotiated with max_fragment_length, or the MTU) fails with "
           "MBEDTLS_ERR_SSL_BAD_INPUT_DATA.");
    dx_set(dx, &f->reason, "Mbed TLS's own message names both sizes");
}
