/* render.h -- text rendering of an explanation object (private to lib/explain).
 *
 * The object has: "title" (string), "notes" (array of strings), "items" (array of objects with
 * "name", "code", "role", "meaning", "needs", "causes", "next", all optional strings) and "facts" (an
 * object of strings, printed in insertion order with a label per key). */
#ifndef TD_EXPLAIN_RENDER_H
#define TD_EXPLAIN_RENDER_H

#include <cjson/cJSON.h>
#include "tlsdoctor/buf.h"

void td_explain_render_text(const cJSON *root, struct td_buf *out);

#endif
