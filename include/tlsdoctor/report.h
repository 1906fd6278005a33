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

/* JSON document (one line, then "\n"). source may be NULL (then null in the output). */
enum td_err td_report_json(const struct td_report_item *items, size_t n, size_t lead,
                           const char *source, unsigned flags, struct td_buf *out);

#endif
