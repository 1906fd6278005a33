/* json.c -- a cJSON document into a td_buf (see json.h). */
#include <cjson/cJSON.h>
#include "util/json.h"

enum td_err td_json_put_line(struct td_buf *out, struct cJSON *root)
{
    char *s = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!s)
        return TD_ERR_NOMEM;
    td_buf_puts(out, s);
    td_buf_putc(out, '\n');
    cJSON_free(s);
    return out->err;
}
