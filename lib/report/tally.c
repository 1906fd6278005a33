/* tally.c -- a bounded summary of every attempt in a source (report.h): the first attempts one by
 * one, and a count per leading finding id, so a report over a log of any length needs the attempt
 * it leads with and this fixed-size record, not every attempt's diagnosis. */
#include <string.h>
#include "tlsdoctor/report.h"

void td_report_tally_init(struct td_report_tally *t)
{
    memset(t, 0, sizeof *t);
}

static int same_id(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* The row for id, a new one when there is room, or NULL. */
static struct td_report_tally_id *row_for(struct td_report_tally *t, const char *id, enum td_severity sev,
                                          size_t index, const struct td_transcript *tr)
{
    for (size_t i = 0; i < t->n_ids; i++)
        if (same_id(t->ids[i].id, id))
            return &t->ids[i];
    if (t->n_ids == TD_REPORT_TALLY_IDS)
        return NULL;
    struct td_report_tally_id *r = &t->ids[t->n_ids++];
    memset(r, 0, sizeof *r);
    r->id = id;
    r->sev = sev;
    r->first = index;
    r->first_line = tr->first_line;
    r->first_end = tr->last_line;
    return r;
}

void td_report_tally_add(struct td_report_tally *t, const struct td_report_item *it)
{
    const struct td_finding *f = it->d ? td_diag_leading(it->d) : NULL;
    const char *id = f ? f->id : NULL;
    enum td_severity sev = f ? f->sev : TD_SEV_INFO;
    size_t index = t->n++;
    if (it->t->origin == TD_ORIGIN_CAPTURE)
        t->frames = 1;
    if (index < TD_REPORT_TALLY_LIST)
        t->list[index] = (struct td_report_tally_attempt){id, sev, it->t->first_line, it->t->last_line};
    struct td_report_tally_id *r = row_for(t, id, sev, index, it->t);
    if (!r) {
        t->untallied++;
        return;
    }
    r->count++;
    r->last = index;
    r->last_line = it->t->first_line;
    r->last_end = it->t->last_line;
}
