/* render.c -- a decoded tree (see decode.c) as indented text or as JSON, into a td_buf.
 * The text is the same structure as the JSON: one line per field, lists one item per line,
 * {id, name} pairs shown as "name (id)". */
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "tlsdoctor/buf.h"
#include "tlsdoctor/wire.h"

static int is_named(const cJSON *o)
{
    return cJSON_IsObject(o) && cJSON_GetObjectItemCaseSensitive(o, "id") &&
           cJSON_GetObjectItemCaseSensitive(o, "name") &&
           (!o->child->next->next || !strcmp(o->child->next->next->string, "grease"));
}

static void scalar(struct td_buf *b, const cJSON *v)
{
    if (is_named(v)) {
        double id = cJSON_GetObjectItemCaseSensitive(v, "id")->valuedouble;
        const char *name = cJSON_GetObjectItemCaseSensitive(v, "name")->valuestring;
        if (id >= 256)
            td_buf_printf(b, "%s (0x%04x)", name, (unsigned)id);
        else
            td_buf_printf(b, "%s (%u)", name, (unsigned)id);
    } else if (cJSON_IsString(v)) {
        td_buf_puts(b, v->valuestring[0] ? v->valuestring : "\"\"");
    } else if (cJSON_IsNumber(v)) {
        td_buf_printf(b, "%.0f", v->valuedouble);
    } else if (cJSON_IsBool(v)) {
        td_buf_puts(b, cJSON_IsTrue(v) ? "yes" : "no");
    }
}

static int is_scalar(const cJSON *v)
{
    return is_named(v) || cJSON_IsString(v) || cJSON_IsNumber(v) || cJSON_IsBool(v);
}

static void indent(struct td_buf *b, int d)
{
    for (int i = 0; i < d; i++)
        td_buf_puts(b, "  ");
}

static void object(struct td_buf *b, const cJSON *o, int d, const cJSON *skip);

static void array(struct td_buf *b, const cJSON *a, int d)
{
    int n = cJSON_GetArraySize(a);
    const cJSON *v;
    if (n == 0) {
        td_buf_puts(b, " (none)\n");
        return;
    }
    int numbers = 1;
    cJSON_ArrayForEach(v, a)
        if (!cJSON_IsNumber(v) && !cJSON_IsString(v))
            numbers = 0;
    if (numbers) {
        td_buf_putc(b, ' ');
        int first = 1;
        cJSON_ArrayForEach(v, a) {
            if (!first)
                td_buf_puts(b, ", ");
            scalar(b, v);
            first = 0;
        }
        td_buf_putc(b, '\n');
        return;
    }
    td_buf_printf(b, " (%d)\n", n);
    cJSON_ArrayForEach(v, a) {
        indent(b, d + 1);
        td_buf_puts(b, "- ");
        if (is_scalar(v)) {
            scalar(b, v);
            td_buf_putc(b, '\n');
        } else if (cJSON_IsObject(v) && v->child && is_scalar(v->child)) {
            td_buf_printf(b, "%s: ", v->child->string);
            scalar(b, v->child);
            td_buf_putc(b, '\n');
            object(b, v, d + 2, v->child);
        } else {
            td_buf_putc(b, '\n');
            object(b, v, d + 2, NULL);
        }
    }
}

static void object(struct td_buf *b, const cJSON *o, int d, const cJSON *skip)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, o) {
        if (v == skip)
            continue;
        indent(b, d);
        td_buf_printf(b, "%s:", v->string);
        if (is_scalar(v)) {
            td_buf_putc(b, ' ');
            scalar(b, v);
            td_buf_putc(b, '\n');
        } else if (cJSON_IsArray(v)) {
            array(b, v, d);
        } else {
            td_buf_putc(b, '\n');
            object(b, v, d + 1, NULL);
        }
    }
}

enum td_err td_wire_render_text(const struct cJSON *tree, struct td_buf *out)
{
    if (!tree)
        return TD_ERR_ARG;
    object(out, tree, 0, NULL);
    return out->err;
}

enum td_err td_wire_render_json(const struct cJSON *tree, struct td_buf *out)
{
    if (!tree)
        return TD_ERR_ARG;
    char *s = cJSON_Print(tree);
    if (!s)
        return TD_ERR_NOMEM;
    td_buf_puts(out, s);
    td_buf_putc(out, '\n');
    free(s);
    return out->err;
}
