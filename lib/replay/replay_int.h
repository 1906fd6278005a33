/* replay_int.h -- what the replay module's files share: candidate changes and the checks. */
#ifndef TD_REPLAY_INT_H
#define TD_REPLAY_INT_H

#include <stddef.h>
#include <stdint.h>
#include "tlsdoctor/replay.h"
#include "tlsdoctor/tls_ids.h"

/* Sets list extension type to the n 16-bit values (at most TD_REPLAY_MAX_SUITES): a 2-byte list
 * length, or a 1-byte one for supported_versions (43). */
enum td_err td_replay_set_list_ext(struct td_replay_hello *h, uint16_t type, const uint16_t *v,
                                   size_t n);
/* Values of a list extension (supported_groups, signature_algorithms, supported_versions). */
size_t td_replay_ext_list(const struct td_replay_hello *h, uint16_t type, uint16_t *out, size_t max);
/* The candidate changes that apply to h, in the table's order; returns how many (<= max). */
size_t td_replay_candidates(const struct td_replay_hello *h, const struct td_replay_opts *o,
                            struct td_replay_cand *out, size_t max);
/* Applies one change to h (with what Mbed TLS brings along with it). */
enum td_err td_replay_apply(struct td_replay_hello *h, const struct td_replay_cand *c);
/* "server_name=x", "suites+=A,B" */
void td_replay_cand_describe(const struct td_replay_cand *c, struct td_buf *b);
/* The fix in Mbed TLS terms for major version 2 or 3 (0: 2.x wording). */
void td_replay_cand_fix(const struct td_replay_cand *c, int major, struct td_buf *b);

/* What the device meets after the ServerHello in res->final: fills res->checks. */
enum td_err td_replay_checks(const struct td_replay_hello *h, const struct td_transcript *t,
                             const struct td_replay_opts *o, struct td_replay_result *res);
/* Adds a finding (strings copied; id/title/fixes static). Returns NULL on allocation failure. */
struct td_finding *td_replay_finding_add(struct td_diagnosis *d, const char *id, const char *title,
                                         enum td_severity sev, const char *summary,
                                         const char *explanation, const char *fix);

#endif
