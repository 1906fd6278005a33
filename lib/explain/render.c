/* render.c -- turns an explanation (a cJSON object built by explain.c) into wrapped plain text. */
#include <string.h>
#include <stdio.h>
#include <cjson/cJSON.h>
#include "render.h"

#define WIDTH 78

/* Text labels for the machine keys used in "facts"; keys not listed print as they are. */
static const struct {
    const char *key, *label;
} fact_labels[] = {
    {"code", "Code"},
    {"decimal", "Decimal"},
    {"u32", "As 32-bit"},
    {"level", "Level"},
    {"iana_name", "IANA name"},
    {"mbedtls_name", "Mbed TLS name"},
    {"mbedtls_macro", "Mbed TLS macro"},
    {"kx", "Key exchange"},
    {"auth", "Authentication"},
    {"cipher", "Cipher"},
    {"mac", "MAC / PRF hash"},
    {"versions", "Versions"},
    {"mbedtls_config", "Mbed TLS config"},
    {"type", "Type"},
    {"tls12_pair", "TLS 1.2 pair"},
    {"unknown_bits", "Unknown bits"},
};

static const char *label_for(const char *key)
{
    for (size_t i = 0; i < sizeof fact_labels / sizeof fact_labels[0]; i++)
        if (!strcmp(fact_labels[i].key, key))
            return fact_labels[i].label;
    return key;
}

/* Appends text wrapped at WIDTH; every line but the first starts with indent spaces; the first
 * line continues after col characters already written. */
static void put_wrapped(struct td_buf *out, const char *text, size_t col, size_t indent)
{
    const char *p = text;
    int line_start = 1;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t w = strcspn(p, " ");
        if (!w)
            break;
        if (!line_start && col + 1 + w > WIDTH) {
            td_buf_printf(out, "\n%*s", (int)indent, "");
            col = indent;
        } else if (!line_start) {
            td_buf_putc(out, ' ');
            col++;
        }
        td_buf_append(out, p, w);
        col += w;
        p += w;
        line_start = 0;
    }
    td_buf_putc(out, '\n');
}

/* "  Label:        text" with the text wrapped under itself. */
static void put_field(struct td_buf *out, const char *label, const char *text)
{
    if (!text || !*text)
        return;
    td_buf_printf(out, "  %-16s", label);
    put_wrapped(out, text, 18, 18);
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The first element of the array or object root[key], or NULL. */
static const cJSON *first_child(const cJSON *root, const char *key)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, key);
    return a ? a->child : NULL;
}

static void put_item(struct td_buf *out, const cJSON *it)
{
    const char *name = str(it, "name"), *code = str(it, "code"), *role = str(it, "role");
    td_buf_printf(out, "\n%s", name ? name : "?");
    if (code || role)
        td_buf_printf(out, "  (%s%s%s)", code ? code : "", code && role ? ", " : "", role ? role : "");
    td_buf_putc(out, '\n');
    put_field(out, "What it means:", str(it, "meaning"));
    put_field(out, "What it needs:", str(it, "needs"));
    put_field(out, "Usual causes:", str(it, "causes"));
    put_field(out, "Look next:", str(it, "next"));
}

void td_explain_render_text(const cJSON *root, struct td_buf *out)
{
    const char *title = str(root, "title");
    put_wrapped(out, title ? title : "", 0, 2);
    const cJSON *x;
    for (x = first_child(root, "notes"); x; x = x->next) {
        if (cJSON_IsString(x)) {
            td_buf_puts(out, "  ");
            put_wrapped(out, x->valuestring, 2, 2);
        }
    }
    for (x = first_child(root, "items"); x; x = x->next)
        put_item(out, x);
    const cJSON *facts = cJSON_GetObjectItemCaseSensitive(root, "facts");
    if (cJSON_GetArraySize(facts) > 0) {
        td_buf_putc(out, '\n');
        for (x = facts->child; x; x = x->next) {
            if (cJSON_IsString(x)) {
                char label[64];
                snprintf(label, sizeof label, "%s:", label_for(x->string));
                put_field(out, label, x->valuestring);
            }
        }
    }
}
