/* text.c -- the text report: the answer in one sentence first, then the evidence with line
 * numbers, the explanation, the fix per Mbed TLS version and the server-side alternative, then
 * secondary observations and the other attempts. Colour only when the caller asks for it. */
#include <stdio.h>
#include <string.h>
#include "tlsdoctor/report.h"
#include "tlsdoctor/reg.h"

#define WIDTH 96

struct tx {
    struct td_buf *out;
    int colour;
    int frames;     /* the source is a capture: evidence points at frames, not lines */
};

static void col(struct tx *x, const char *code)
{
    if (x->colour)
        td_buf_printf(x->out, "\x1b[%sm", code);
}

static void reset(struct tx *x)
{
    col(x, "0");
}

/* Writes text wrapped at WIDTH; the cursor is at column first_col, and continuation lines are
 * indented by indent spaces. Ends the line. */
static void wrap(struct tx *x, const char *s, size_t indent, size_t first_col)
{
    size_t colno = first_col;
    int first = 1;
    while (*s) {
        while (*s == ' ' || *s == '\n')
            s++;
        size_t w = strcspn(s, " \n");
        if (!w)
            break;
        if (!first && colno + 1 + w > WIDTH) {
            td_buf_putc(x->out, '\n');
            for (size_t i = 0; i < indent; i++)
                td_buf_putc(x->out, ' ');
            colno = indent;
        } else if (!first) {
            td_buf_putc(x->out, ' ');
            colno++;
        }
        td_buf_append(x->out, s, w);
        colno += w;
        s += w;
        first = 0;
    }
    td_buf_putc(x->out, '\n');
}

static const char *sev_colour(enum td_severity s)
{
    return s == TD_SEV_ERROR ? "1;31" : s == TD_SEV_WARNING ? "1;33" : "1;32";
}

static void lines_ref(struct tx *x, const struct td_evidence *e)
{
    char tmp[32] = "";
    if (e->line && e->line_end > e->line)
        snprintf(tmp, sizeof tmp, x->frames ? "#%u-%u" : "L%u-%u", e->line, e->line_end);
    else if (e->line)
        snprintf(tmp, sizeof tmp, x->frames ? "#%u" : "L%u", e->line);
    td_buf_printf(x->out, "%-11s", tmp);
}

static void evidence(struct tx *x, const struct td_finding *f, const char *indent)
{
    for (size_t i = 0; i < f->n_ev; i++) {
        td_buf_printf(x->out, "%s", indent);
        lines_ref(x, &f->ev[i]);
        wrap(x, f->ev[i].text, strlen(indent) + 11, strlen(indent) + 11);
    }
}

static void fixes(struct tx *x, const struct td_finding *f, int major)
{
    col(x, "1");
    td_buf_puts(x->out, "Fix: ");
    reset(x);
    wrap(x, f->fix ? f->fix : "", 5, 5);
    if (major != 2 && major != 1 && major < 3)
        return;
    const char *other = major >= 3 ? f->fix_mbedtls2 : f->fix_mbedtls3;
    const char *mine = major >= 3 ? f->fix_mbedtls3 : f->fix_mbedtls2;
    if (other && mine && strcmp(other, mine) != 0) {
        td_buf_printf(x->out, "     Mbed TLS %s: ", major >= 3 ? "2.x" : "3.x");
        wrap(x, other, 5, 19);
    }
}

static void lead_finding(struct tx *x, const struct td_finding *f, int major)
{
    col(x, sev_colour(f->sev));
    td_buf_printf(x->out, "%s", f->id);
    reset(x);
    td_buf_printf(x->out, " (%s, confidence %d%%): ", td_severity_name(f->sev), f->confidence);
    wrap(x, f->reason ? f->reason : "", 4, strlen(f->id) + 28);
    if (f->n_ev) {
        td_buf_puts(x->out, "\nEvidence:\n");
        evidence(x, f, "  ");
    }
    if (f->explanation) {
        td_buf_puts(x->out, "\nWhy: ");
        wrap(x, f->explanation, 5, 5);
    }
    if (f->next_step) {
        td_buf_puts(x->out, "\nTo confirm: ");
        wrap(x, f->next_step, 5, 12);
    }
    td_buf_putc(x->out, '\n');
    fixes(x, f, major);
    if (f->server_fix) {
        td_buf_puts(x->out, "Server side: ");
        wrap(x, f->server_fix, 5, 13);
    }
    if (f->client_fix) {
        td_buf_puts(x->out, "Client side: ");
        wrap(x, f->client_fix, 5, 13);
    }
}

/* The other likely causes of the error code, in order, each with what tells it apart. */
static void alternatives(struct tx *x, const struct td_diagnosis *d)
{
    int any = 0;
    for (size_t i = 1; i < d->n; i++) {
        const struct td_finding *f = &d->f[i];
        if (!f->likely || f->sev != TD_SEV_ERROR)
            continue;
        if (!any++)
            td_buf_puts(x->out, "\nOther possible causes, most likely first:\n");
        td_buf_puts(x->out, "- ");
        col(x, sev_colour(f->sev));
        td_buf_puts(x->out, f->id);
        reset(x);
        td_buf_printf(x->out, " (%d%%): %s.", f->confidence, f->title);
        td_buf_putc(x->out, '\n');
        if (f->next_step) {
            td_buf_puts(x->out, "  To tell: ");
            wrap(x, f->next_step, 4, 11);
        }
    }
}

static void secondary(struct tx *x, const struct td_diagnosis *d)
{
    int others = 0;
    for (size_t i = 1; i < d->n; i++)
        others += !(d->f[i].likely && d->f[i].sev == TD_SEV_ERROR);
    if (!others)
        return;
    td_buf_puts(x->out, "\nAlso observed:\n");
    for (size_t i = 1; i < d->n; i++) {
        const struct td_finding *f = &d->f[i];
        if (f->likely && f->sev == TD_SEV_ERROR)
            continue;
        td_buf_puts(x->out, "- ");
        col(x, sev_colour(f->sev));
        td_buf_puts(x->out, f->id);
        reset(x);
        td_buf_printf(x->out, " (%s, %d%%): ", td_severity_name(f->sev), f->confidence);
        wrap(x, f->summary ? f->summary : "", 4, strlen(f->id) + 16);
        evidence(x, f, "    ");
    }
}

static void negotiated(struct tx *x, const struct td_diagnosis *d)
{
    if (d->handshake != TD_HS_SUCCEEDED || (!d->neg.has_version && !d->neg.has_suite))
        return;
    td_buf_puts(x->out, "Negotiated:");
    if (d->neg.has_version) {
        const char *v = td_reg_version_name(d->neg.version);
        td_buf_printf(x->out, " %s", v ? v : "unknown version");
    }
    if (d->neg.has_suite) {
        const char *s = td_reg_suite_name(d->neg.suite);
        td_buf_printf(x->out, " %s (0x%04x)", s ? s : "unknown suite", d->neg.suite);
    }
    if (d->neg.has_group) {
        const char *g = td_reg_group_name(d->neg.group);
        td_buf_printf(x->out, " %s", g ? g : "unknown group");
    }
    td_buf_putc(x->out, '\n');
}

/* What the diagnosis rests on when it is less than a whole debug log, and the context that moved
 * the likely causes. */
static void basis_line(struct tx *x, const struct td_diagnosis *d)
{
    if (d->basis == TD_BASIS_ERROR_CODE || d->basis == TD_BASIS_FRAGMENT)
        td_buf_printf(x->out, "Basis: %s\n", td_basis_phrase(d->basis));
    unsigned shown = d->context & ~(TD_CTX_BEFORE_ANSWER | TD_CTX_AFTER_ANSWER);
    if (!d->code || !shown)
        return;
    td_buf_puts(x->out, "Context:");
    for (unsigned b = 1; b < (1u << TD_CTX_COUNT); b <<= 1)
        if ((shown & b) && td_context_name(b))
            td_buf_printf(x->out, " %s", td_context_name(b));
    td_buf_putc(x->out, '\n');
}

static void id_word(struct tx *x, const char *id, enum td_severity sev)
{
    if (!id) {
        td_buf_puts(x->out, "nothing found");
        return;
    }
    col(x, sev_colour(sev));
    td_buf_puts(x->out, id);
    reset(x);
}

/* The other attempts: one line each when they are few, else a count per leading finding. */
static void all_attempts(struct tx *x, const struct td_report_tally *t)
{
    const char *what = x->frames ? "connection" : "attempt", *where = x->frames ? "frames" : "lines";
    if (t->n <= TD_REPORT_TALLY_LIST) {
        td_buf_puts(x->out, "\nAll attempts in this source:\n");
        for (size_t i = 0; i < t->n; i++) {
            const struct td_report_tally_attempt *a = &t->list[i];
            td_buf_printf(x->out, "- %s %zu of %zu (%s %u-%u): ", what, i + 1, t->n, where, a->first_line,
                          a->last_line);
            id_word(x, a->id, a->sev);
            td_buf_putc(x->out, '\n');
        }
        return;
    }
    td_buf_printf(x->out, "\nAll %zu %ss in this source, by leading finding:\n", t->n, what);
    for (size_t i = 0; i < t->n_ids; i++) {
        const struct td_report_tally_id *r = &t->ids[i];
        td_buf_puts(x->out, "- ");
        id_word(x, r->id, r->sev);
        td_buf_printf(x->out, ": %zu %s%s (first: %s %zu, %s %u-%u", r->count, what, r->count == 1 ? "" : "s",
                      what, r->first + 1, where, r->first_line, r->first_end);
        if (r->count > 1)
            td_buf_printf(x->out, "; last: %s %zu, %s %u-%u", what, r->last + 1, where, r->last_line,
                          r->last_end);
        td_buf_puts(x->out, ")\n");
    }
    if (t->untallied)
        td_buf_printf(x->out, "- %zu more %ss with other findings\n", t->untallied, what);
}

enum td_err td_report_text_tally(const struct td_report_item *lead_item, size_t lead,
                                 const struct td_report_tally *t, const char *source, unsigned flags,
                                 struct td_buf *out)
{
    struct tx x = {out, (flags & TD_REPORT_COLOUR) != 0, 0};
    if (!lead_item || !t || lead >= t->n)
        return TD_ERR_ARG;
    size_t n = t->n;
    x.frames = lead_item->t->origin == TD_ORIGIN_CAPTURE;
    const struct td_report_item *it = lead_item;
    const struct td_finding *f = td_diag_leading(it->d);
    col(&x, "1");
    /* a server's log says so first: its findings speak of the remote client */
    if (it->d->logged_by == TD_ACTOR_SERVER)
        td_buf_puts(out, "Server log: ");
    wrap(&x, f && f->summary ? f->summary : "Nothing to report.", 0, it->d->logged_by == TD_ACTOR_SERVER ? 12 : 0);
    reset(&x);
    if (flags & TD_REPORT_BRIEF)
        return out->err;
    td_buf_putc(out, '\n');
    if (n > 1 || source)
        td_buf_printf(out, "%s%s%s %s %zu of %zu, %s %u-%u; handshake %s\n",
                      source ? "Source: " : "", source ? source : "", source ? "," : "Source:",
                      x.frames ? "connection" : "attempt", lead + 1, n, x.frames ? "frames" : "lines",
                      it->t->first_line, it->t->last_line,
                      td_hs_result_name(it->d->handshake));
    negotiated(&x, it->d);
    basis_line(&x, it->d);
    if (f) {
        td_buf_putc(out, '\n');
        lead_finding(&x, f, it->d->mbedtls_major);
    }
    alternatives(&x, it->d);
    secondary(&x, it->d);
    if (n > 1)
        all_attempts(&x, t);
    return out->err;
}

enum td_err td_report_text(const struct td_report_item *items, size_t n, size_t lead,
                           const char *source, unsigned flags, struct td_buf *out)
{
    if (!n || lead >= n)
        return TD_ERR_ARG;
    struct td_report_tally t;
    td_report_tally_init(&t);
    for (size_t i = 0; i < n; i++)
        td_report_tally_add(&t, &items[i]);
    return td_report_text_tally(&items[lead], lead, &t, source, flags, out);
}

static int outranks(const struct td_finding *a, const struct td_finding *b)
{
    if (!b)
        return 1;
    if (!a)
        return 0;
    int ra = td_finding_rank(a), rb = td_finding_rank(b);
    if (ra != rb)
        return ra > rb;
    return a->confidence >= b->confidence;
}

size_t td_report_pick(const struct td_report_item *items, size_t n)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (outranks(td_diag_leading(items[i].d), td_diag_leading(items[best].d)))
            best = i;
    return best;
}
