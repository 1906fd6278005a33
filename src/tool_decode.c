/* tool_decode.c -- `tlsdoctor decode FILE|-`: records and handshake messages from raw bytes, hex
 * text or Mbed TLS hexdump lines, as a readable tree or JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "tlsdoctor/wire.h"
#include "tlsdoctor/hex.h"
#include "tool.h"

#define DECODE_MAX_INPUT ((size_t)64 << 20)
#define DECODE_MAX_BLOCKS 1024

struct decode_args {
    const char *path;
    int json, no_certs, dtls;
};

static void decode_usage(FILE *out)
{
    fprintf(out,
        "usage: tlsdoctor decode [--json] [--dtls] [--no-certs] FILE|-\n\n"
        "Decodes TLS (or DTLS) records and handshake messages sent by one side: every hello field and\n"
        "extension, certificates (through OpenSSL), key exchange, alerts; encrypted records are\n"
        "marked as such. Input: raw bytes, or hex text in any usual shape (plain, spaced, colon-\n"
        "separated, 0x-prefixed, C array) or Mbed TLS hexdump lines as they stand in a debug log\n"
        "(other log lines are skipped; each dump is decoded on its own).\n\n"
        "  --json      print the same tree as JSON\n"
        "  --dtls      treat the input as DTLS records (default: guessed from the first header)\n"
        "  --no-certs  do not summarise certificates\n\n"
        "Exit status: 0 decoded cleanly, 1 decoded with errors (truncated or malformed input,\n"
        "listed with their byte offsets), 2 bad usage, 3 nothing recognisable, 4 I/O error.\n");
}

static int parse_args(int argc, char **argv, struct decode_args *a)
{
    memset(a, 0, sizeof *a);
    a->dtls = -1;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
            decode_usage(stdout);
            return 1;
        } else if (!strcmp(s, "--json")) {
            a->json = 1;
        } else if (!strcmp(s, "--dtls")) {
            a->dtls = 1;
        } else if (!strcmp(s, "--no-certs")) {
            a->no_certs = 1;
        } else if (s[0] == '-' && s[1]) {
            tool_error("decode", "unknown option '%s' (try 'tlsdoctor decode --help')", s);
            return -1;
        } else if (a->path) {
            tool_error("decode", "one input only (got '%s' and '%s')", a->path, s);
            return -1;
        } else {
            a->path = s;
        }
    }
    if (!a->path) {
        tool_error("decode", "no input given (a file, or - for stdin; try --help)");
        return -1;
    }
    return 0;
}

/* Raw bytes when the input starts like a record or holds a NUL; hex text otherwise. */
static int looks_binary(const struct td_buf *in)
{
    const uint8_t *p = (const uint8_t *)in->p;
    if (in->len && p[0] >= 0x14 && p[0] <= 0x18)
        return 1;
    return memchr(p, 0, in->len) != NULL;
}

/* pcap (either byte order, micro/nanosecond) or pcapng section header */
static int is_capture(const struct td_buf *in)
{
    static const uint8_t magic[][4] = {
        {0xd4, 0xc3, 0xb2, 0xa1}, {0xa1, 0xb2, 0xc3, 0xd4}, {0x4d, 0x3c, 0xb2, 0xa1},
        {0xa1, 0xb2, 0x3c, 0x4d}, {0x0a, 0x0d, 0x0d, 0x0a}};
    if (in->len < 4)
        return 0;
    for (size_t i = 0; i < sizeof magic / sizeof magic[0]; i++)
        if (!memcmp(in->p, magic[i], 4))
            return 1;
    return 0;
}

static int decode_blocks(const uint8_t *p, const struct td_hex_block *blocks, size_t n,
                         const struct decode_args *a, cJSON *arr)
{
    struct td_wire_decode_opts opts = {a->dtls, 0, 0, !a->no_certs};
    int any_record = 0, any_error = 0;
    for (size_t i = 0; i < n; i++) {
        enum td_err first = TD_OK;
        const char *label = blocks[i].label;
        if (label[0] && (!strstr(label, "record") || strstr(label, "record header"))) {
            /* an Mbed TLS dump of something else (random bytes, a lone header): not decoded */
            cJSON *s = cJSON_CreateObject();
            cJSON_AddNumberToObject(s, "line", blocks[i].line);
            cJSON_AddStringToObject(s, "label", label);
            cJSON_AddNumberToObject(s, "length", (double)blocks[i].len);
            cJSON_AddStringToObject(s, "skipped", "an Mbed TLS dump of something other than whole records");
            cJSON_AddItemToArray(arr, s);
            continue;
        }
        cJSON *t = td_wire_decode_tree(p + blocks[i].off, blocks[i].len, &opts, &first);
        if (!t)
            return -1;
        cJSON *b = cJSON_CreateObject();
        if (blocks[i].line)
            cJSON_AddNumberToObject(b, "line", blocks[i].line);
        if (blocks[i].label[0])
            cJSON_AddStringToObject(b, "label", blocks[i].label);
        while (t->child) {                     /* the block's place first, then the tree */
            cJSON *item = cJSON_DetachItemViaPointer(t, t->child);
            cJSON_AddItemToObject(b, item->string, item);
        }
        cJSON_Delete(t);
        t = b;
        if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(t, "records")) > 0)
            any_record = 1;
        if (first != TD_OK)
            any_error = 1;
        cJSON_AddItemToArray(arr, t);
    }
    return any_record ? (any_error ? 1 : 0) : 3;
}

static int render(cJSON *root, const struct decode_args *a)
{
    struct td_buf out;
    td_buf_init(&out, 0);
    enum td_err rc = TD_OK;
    if (a->json) {
        rc = td_wire_render_json(root, &out);
    } else {
        const cJSON *b;
        int i = 0;
        cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(root, "blocks")) {
            if (i++)
                td_buf_putc(&out, '\n');
            td_buf_printf(&out, "== block %d\n", i);
            rc = td_wire_render_text(b, &out);
        }
    }
    if (rc == TD_OK)
        fwrite(out.p, 1, out.len, stdout);
    td_buf_free(&out);
    if (rc != TD_OK) {
        tool_error("decode", "rendering failed: %s", td_strerror(rc));
        return TD_EXIT_ERROR;
    }
    return TD_EXIT_OK;
}

int tool_decode_main(int argc, char **argv)
{
    struct decode_args a;
    int pr = parse_args(argc, argv, &a);
    if (pr)
        return pr > 0 ? TD_EXIT_OK : TD_EXIT_USAGE;
    struct td_buf in, bytes;
    td_buf_init(&in, DECODE_MAX_INPUT);
    td_buf_init(&bytes, DECODE_MAX_INPUT);
    struct td_hex_block *blocks = calloc(DECODE_MAX_BLOCKS, sizeof *blocks);
    int rc = TD_EXIT_ERROR;
    cJSON *root = NULL;
    size_t nb = 0;
    if (!blocks || tool_read_input(a.path, DECODE_MAX_INPUT, &in))
        goto done;
    if (in.len == 0) {
        tool_error("decode", "%s: empty input", a.path);
        rc = TD_EXIT_NOTHING;
        goto done;
    }
    const uint8_t *data;
    if (is_capture(&in)) {
        tool_error("decode", "%s: a packet capture, not TLS bytes (use 'tlsdoctor pcap')", a.path);
        rc = TD_EXIT_NOTHING;
        goto done;
    }
    if (looks_binary(&in)) {
        data = (const uint8_t *)in.p;
        blocks[0].off = 0;
        blocks[0].len = in.len;
        nb = 1;
    } else {
        uint32_t bad_line = 0;
        enum td_err e = td_hex_parse_text(in.p, in.len, &bytes, blocks, DECODE_MAX_BLOCKS, &nb, &bad_line);
        if (e == TD_ERR_SYNTAX) {
            tool_error("decode", "%s:%u: malformed hex (an odd number of digits)", a.path, bad_line);
            rc = TD_EXIT_NOTHING;
            goto done;
        }
        if (e != TD_OK) {
            tool_error("decode", "%s: %s", a.path,
                       e == TD_ERR_NOTHING_FOUND ? "no hex bytes or TLS records found" : td_strerror(e));
            rc = e == TD_ERR_NOTHING_FOUND ? TD_EXIT_NOTHING : TD_EXIT_ERROR;
            goto done;
        }
        if (nb > DECODE_MAX_BLOCKS)
            nb = DECODE_MAX_BLOCKS;
        data = (const uint8_t *)bytes.p;
    }
    root = cJSON_CreateObject();
    cJSON *arr = root ? cJSON_AddArrayToObject(root, "blocks") : NULL;
    if (!arr)
        goto done;
    int st = decode_blocks(data, blocks, nb, &a, arr);
    if (st < 0)
        goto done;
    rc = render(root, &a);
    if (rc == TD_EXIT_OK && st == 3) {
        tool_error("decode", "%s: no TLS record found in the input", a.path);
        rc = TD_EXIT_NOTHING;
    } else if (rc == TD_EXIT_OK && st == 1) {
        tool_error("decode", "%s: decoded with errors (listed under errors)", a.path);
        rc = TD_EXIT_FINDING;
    }
done:
    cJSON_Delete(root);
    free(blocks);
    td_buf_free(&in);
    td_buf_free(&bytes);
    return rc;
}
