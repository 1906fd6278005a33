/* rule_notes.c -- "seen on the way": after a handshake that completed, the returns Mbed TLS carried
 * on after (a ticket the server could not use, a HelloVerifyRequest round, a DTLS record dropped or
 * buffered, a PSK identity skipped...) are worth a line, but they are not a cause. They come from
 * the soft-return table (lib/reg/data/mbedtls_soft_rets.def, generated from Mbed TLS's sources);
 * the routine ones of non-blocking I/O (WANT_READ, WANT_WRITE, an operation in progress) are left
 * out. The finding is informational and ranks below handshake-ok. */
#include <stdio.h>
#include <string.h>
#include "diag_int.h"
#include "rules_int.h"
#include "tlsdoctor/mbedtls.h"

#define NOTE_MAX_KINDS 4

static int routine(int64_t code)
{
    return code == DX_ERR_SSL_WANT_READ || code == DX_ERR_SSL_WANT_WRITE ||
           code == DX_ERR_SSL_ASYNC_IN_PROGRESS || code == DX_ERR_SSL_CRYPTO_IN_PROGRESS;
}

static const struct td_mbedtls_soft *soft_row(const struct dx_facts *fx, const struct td_event *e)
{
    if (e->kind != TD_EV_RETURN || !(e->flags & TD_EVF_SOFT) || e->code >= 0 || e->code < -0xFFFF ||
        routine(e->code))
        return NULL;
    unsigned line = fx->major == 3 ? TD_MBEDTLS_3X : fx->major == 2 ? TD_MBEDTLS_2X : 0;
    return td_mbedtls_soft_ret((int)e->code, e->text, line);
}

/* Distinct rows seen, each with its first event and how often it came. */
struct note_kinds {
    const struct td_mbedtls_soft *row[NOTE_MAX_KINDS];
    const struct td_event *first[NOTE_MAX_KINDS];
    size_t count[NOTE_MAX_KINDS];
    size_t n, total;
};

static void collect(const struct dx_facts *fx, struct note_kinds *k)
{
    memset(k, 0, sizeof *k);
    for (size_t i = 0; i < fx->t->n_ev; i++) {
        const struct td_event *e = &fx->t->ev[i];
        const struct td_mbedtls_soft *s = soft_row(fx, e);
        if (!s)
            continue;
        k->total++;
        size_t j = 0;
        while (j < k->n && k->row[j] != s)
            j++;
        if (j == k->n) {
            if (k->n == NOTE_MAX_KINDS)
                continue;
            k->row[k->n] = s;
            k->first[k->n++] = e;
        }
        k->count[j]++;
    }
}

void dx_rule_noted(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    if (!fx->hs_done || fx->hs_failed || fx->failed_after_hs)
        return;
    struct note_kinds k;
    collect(fx, &k);
    if (!k.n)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_INFO, 50);
    if (!f)
        return;
    for (size_t j = 0; j < k.n; j++) {
        const struct td_event *e = k.first[j];
        const char *name = k.row[j]->name;
        dx_ev(dx, f, e, "%s returned -0x%04X%s%s%s (%zu time%s): %s", e->text ? e->text : "a call",
              (unsigned)-e->code, name ? " (" : "", name ? name : "", name ? ")" : "", k.count[j],
              k.count[j] == 1 ? "" : "s", k.row[j]->what);
    }
    dx_set(dx, &f->summary, "Seen on the way, not a cause: %zu return%s Mbed TLS carries on after.",
           k.total, k.total == 1 ? "" : "s");
    dx_set(dx, &f->explanation, "The handshake completed. On the way Mbed TLS returned codes that are "
           "part of a working handshake at that point; they are listed so that nobody mistakes them "
           "for the failure.");
    dx_set(dx, &f->reason, "soft returns (Mbed TLS's sources: it carries on after them) before a "
           "handshake that completed");
}

/* A DTLS server's "handshake" that was only a late datagram of the connection before it (the
 * transcript's stray_datagram, set by the reader). */
void dx_rule_stray_datagram(struct dx *dx, const struct dx_rule *r)
{
    const struct dx_facts *fx = &dx->fx;
    if (!fx->t->stray_datagram)
        return;
    struct td_finding *f = dx_emit(dx, r, TD_SEV_INFO, fx->t->debug_level ? 85 : 60);
    if (!f)
        return;
    if (fx->hs_ret_ev)
        dx_ev(dx, f, fx->hs_ret_ev, "the handshake returned -0x%04X at once",
              (unsigned)-fx->hs_ret);
    else if (fx->hs_end_ev)
        dx_ev(dx, f, fx->hs_end_ev, "the handshake returned -0x%04X at once", (unsigned)-fx->hs_ret);
    dx_set(dx, &f->summary, "Not a connection: after a completed DTLS connection, the next datagram "
           "this server read was a late record of that connection, not a ClientHello.");
    dx_set(dx, &f->explanation, "A DTLS server waits for the next client after a connection ends; UDP "
           "has no connections, so the first datagram from anyone starts a handshake. Here it was %s, "
           "and Mbed TLS ended that handshake at once. The connection before completed; nothing failed.",
           fx->t->debug_level ? "a record of a later epoch (the client's close_notify or a retransmission)"
                              : "not a ClientHello (most likely the client's close_notify; a log with debug "
                                "lines shows its epoch)");
    dx_set(dx, &f->reason, "%s", fx->t->debug_level
           ? "a record of an epoch above 0 while the server waited for a ClientHello, after a completed "
             "DTLS connection"
           : "a failure on the first message right after a completed DTLS connection, with no debug "
             "lines to show the record");
}
