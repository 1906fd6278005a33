/* json.h -- the last step every JSON renderer shares: a cJSON document into the caller's buffer.
 * Not a public API. */
#ifndef TD_UTIL_JSON_H
#define TD_UTIL_JSON_H

#include "tlsdoctor/buf.h"
#include "tlsdoctor/err.h"

struct cJSON;

/* Appends root printed unformatted (one line) and a newline to out, then deletes root (always;
 * root may be NULL). Returns TD_ERR_NOMEM if printing failed, else out's error. */
enum td_err td_json_put_line(struct td_buf *out, struct cJSON *root);

#endif
