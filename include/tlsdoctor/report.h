/* report.h -- renderers for diagnoses: text for people, JSON for programs.
 *
 * A source (a log, a capture) usually holds several handshake attempts; each has its Transcript
 * and its diagnosis. The renderers take them all and the index of the one to lead with
 * (td_report_pick() chooses it). Text puts the answer first: one sentence, then the evidence with
 * line numbers, the explanation and the fix, then secondary observations, then one line per other
 * attempt. The JSON document follows docs/tlsdoctor-report.schema.json ("schema":
 * "tlsdoctor.report/1", documented in docs/json.md) and is built with cJSON.
 *
 * Both append to the caller's buffer and borrow everything they are given. */
#ifndef TLSDOCTOR_REPORT_H
#define TLSDOCTOR_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include "tlsdoctor/buf.h"
#include "tlsdoctor/diag.h"
#include "tlsdoctor/err.h"
#include "tlsdoctor/transcript.h"

#define TD_REPORT_SCHEMA "tlsdoctor.report/1"

#define TD_REPORT_COLOUR   0x01u  /* text: ANSI colours (the caller decides: TTY, NO_COLOR) */
#define TD_REPORT_BRIEF    0x02u  /* text: the leading finding's sentence and fix only */

struct td_report_item {
    const struct td_transcript *t;
    const struct td_diagnosis *d;
};

/* The attempt to lead with: the one whose leading finding ranks highest (a cause before a
 * secondary observation before a note, then confidence); the later attempt on a tie. 0 if n == 0. */
size_t td_report_pick(const struct td_report_item *items, size_t n);

/* Text report. source names the input ("client.log", "-") or is NULL. */
enum td_err td_report_text(const struct td_report_item *items, size_t n, size_t lead,
                           const char *source, unsigned flags, struct td_buf *out);

/* ---- reports over sources of any length, in bounded memory ----
 * A tally remembers every attempt of a source in a fixed size: the first TD_REPORT_TALLY_LIST
 * attempts one by one (their leading finding id and lines), and for all of them a count per
 * leading finding id (with the first and last attempt of each). A caller that streams a long log
 * keeps only the attempt it leads with and a tally: memory does not grow with the attempts.
 * Plain data, no heap: td_report_tally_init() then td_report_tally_add() per attempt in order. The
 * ids are the diagnosis's static ids, so the tally outlives the diagnoses it was given. */
#define TD_REPORT_TALLY_LIST 20
#define TD_REPORT_TALLY_IDS 64

struct td_report_tally_attempt {
    const char *id;            /* leading finding id, or NULL when nothing was found */
    enum td_severity sev;
    uint32_t first_line, last_line;
};

struct td_report_tally_id {
    const char *id;            /* NULL: attempts with nothing found */
    enum td_severity sev;
    size_t count;
    size_t first, last;        /* 0-based attempt indexes */
    uint32_t first_line, first_end, last_line, last_end;
};

struct td_report_tally {
    size_t n;                  /* attempts added */
    int frames;                /* the source is a capture (connections and frames, not lines) */
    struct td_report_tally_attempt list[TD_REPORT_TALLY_LIST]; /* the first min(n, LIST) */
    struct td_report_tally_id ids[TD_REPORT_TALLY_IDS];
    size_t n_ids;
    size_t untallied;          /* attempts whose id found no free row (more ids than rows) */
};

void td_report_tally_init(struct td_report_tally *t);
void td_report_tally_add(struct td_report_tally *t, const struct td_report_item *it);
/* The text report from the attempt to lead with (lead_item, its index lead among all) and the
 * tally of all of them (lead included): the same as td_report_text() over every attempt when they
 * are at most TD_REPORT_TALLY_LIST, else the list of attempts becomes a count per leading finding. */
enum td_err td_report_text_tally(const struct td_report_item *lead_item, size_t lead,
                                 const struct td_report_tally *t, const char *source, unsigned flags,
                                 struct td_buf *out);

/* JSON document (one line, then "\n"). source may be NULL (then null in the output). */
enum td_err td_report_json(const struct td_report_item *items, size_t n, size_t lead,
                           const char *source, unsigned flags, struct td_buf *out);

#endif
