/* render.c -- the capture listing: each TLS connection with its timeline of records, handshake
 * messages and alerts, as text or as JSON (cJSON). */
#define _DEFAULT_SOURCE /* u_int and friends in pcap.h */
#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "capture_int.h"
#include "tlsdoctor/reg.h"
#include "util/rd.h"
#include "util/json.h"

#define MAX_HS_PER_RECORD 16

/* What one record holds, as far as its plaintext shows. */
struct rec_info {
    uint8_t type;
    uint16_t version;
    size_t body_len;        /* announced */
    int encrypted;          /* handshake bytes after the sender's ChangeCipherSpec */
    uint8_t hs[MAX_HS_PER_RECORD];
    size_t n_hs;
    int continued;          /* begins inside a handshake message from an earlier record */
};

/* Handshake message framing carried across records, per sender. */
struct hs_state {
    size_t remaining;       /* bytes of the current message still to come */
    int after_ccs;
};

static void address(const struct td_capture_conn *k, int client, char *out, size_t n)
{
    char a[INET6_ADDRSTRLEN] = "?";
    const uint8_t *ad = client ? k->client_addr : k->server_addr;
    inet_ntop(k->family == 6 ? AF_INET6 : AF_INET, ad, a, sizeof a);
    snprintf(out, n, k->family == 6 ? "[%s]:%u" : "%s:%u", a,
             (unsigned)(client ? k->client_port : k->server_port));
}

static void inspect(const struct td_event *e, struct hs_state *hs, struct rec_info *ri)
{
    memset(ri, 0, sizeof *ri);
    struct td_rd r;
    td_rd_init(&r, e->data, e->len, 0);
    ri->type = td_rd_u8(&r);
    ri->version = td_rd_u16(&r);
    ri->body_len = td_rd_u16(&r);
    if (r.err)
        return;
    if (ri->type == 20) {
        hs->after_ccs = 1;
        return;
    }
    if (ri->type != 22)
        return;
    if (hs->after_ccs) {
        ri->encrypted = 1;
        return;
    }
    if (hs->remaining) {
        size_t skip = hs->remaining < r.left ? hs->remaining : r.left;
        ri->continued = 1;
        td_rd_skip(&r, skip);
        hs->remaining -= skip;
    }
    while (r.left >= 4) {
        uint8_t t = td_rd_u8(&r);
        size_t len = td_rd_u24(&r);
        if (ri->n_hs < MAX_HS_PER_RECORD)
            ri->hs[ri->n_hs++] = t;
        size_t skip = len < r.left ? len : r.left;
        td_rd_skip(&r, skip);
        hs->remaining = len - skip;
    }
}

static const char *link_name(int dlt)
{
    switch (dlt) {
    case DLT_EN10MB: return "Ethernet";
    case DLT_LINUX_SLL: return "Linux cooked";
    case DLT_LINUX_SLL2: return "Linux cooked v2";
    case DLT_NULL: case DLT_LOOP: return "loopback";
    case DLT_RAW: case DLT_IPV4: case DLT_IPV6: return "raw IP";
    default: return "unsupported link type";
    }
}

static const char *name_or(const char *n, const char *dflt)
{
    return n ? n : dflt;
}

static void text_record(struct td_buf *out, const struct td_event *e, const struct rec_info *ri)
{
    if (e->len < 5) {
        td_buf_printf(out, "record header cut short (%zu bytes)", e->len);
        return;
    }
    td_buf_printf(out, "%s", name_or(td_reg_content_type_name(ri->type), "unknown"));
    if (ri->type == 22 && ri->encrypted)
        td_buf_puts(out, " (encrypted)");
    for (size_t i = 0; i < ri->n_hs; i++)
        td_buf_printf(out, "%s%s", i ? ", " : " ", name_or(td_reg_hs_type_name(ri->hs[i]), "?"));
    if (ri->continued)
        td_buf_puts(out, ri->n_hs ? " (after a continued message)" : " (continued message)");
    td_buf_printf(out, ", %zu bytes", ri->body_len);
    if (e->flags & TD_EVF_TRUNCATED)
        td_buf_printf(out, " [only %zu captured]", e->len > 5 ? e->len - 5 : 0);
}

/* "2026-11-26T19:00:01Z", or "" when the capture has no usable timestamp. */
static void start_time(const struct td_capture_conn *k, char *out, size_t cap)
{
    time_t tt = (time_t)k->start_time;
    struct tm tm;
    out[0] = '\0';
    if (k->start_time > 0 && gmtime_r(&tt, &tm))
        strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void text_conn(const struct td_capture *c, size_t i, int colour, struct td_buf *out)
{
    const struct td_capture_conn *k = &c->conn[i];
    const struct td_transcript *t = &c->set.t[k->transcript];
    char ca[64], sa[64];
    address(k, 1, ca, sizeof ca);
    address(k, 0, sa, sizeof sa);
    char when[32];
    start_time(k, when, sizeof when);
    td_buf_printf(out, "%sconnection %zu%s: client %s -> server %s, frames %u-%u (%zu TCP segments)%s%s\n",
                  colour ? "\033[1m" : "", i + 1, colour ? "\033[0m" : "", ca, sa, k->first_frame,
                  k->last_frame, k->frames, when[0] ? ", from " : "", when);
    if (!k->client_known)
        td_buf_puts(out, "  (no SYN or hello seen: the client side is a guess from the ports)\n");
    if (k->flags & TD_CAPF_MIDSTREAM)
        td_buf_puts(out, "  (the capture starts inside this connection)\n");
    struct hs_state hs[3];
    memset(hs, 0, sizeof hs);
    for (size_t j = 0; j < t->n_ev; j++) {
        const struct td_event *e = &t->ev[j];
        const char *who = td_actor_name(e->from);
        if (e->kind == TD_EV_RECORD) {
            struct rec_info ri;
            inspect(e, &hs[e->from], &ri);
            if (j + 1 < t->n_ev && t->ev[j + 1].kind == TD_EV_ALERT && t->ev[j + 1].line == e->line)
                continue; /* the alert line that follows says it all */
            td_buf_printf(out, "  frame %-5u %-6s ", e->line, who);
            text_record(out, e, &ri);
            td_buf_putc(out, '\n');
        } else if (e->kind == TD_EV_ALERT) {
            td_buf_printf(out, "  frame %-5u %-6s %salert %s %d %s%s\n", e->line, who,
                          colour && e->a == 2 ? "\033[31m" : "", e->a == 2 ? "fatal" : "warning",
                          e->b, name_or(td_reg_alert_name((uint8_t)e->b), "unknown"),
                          colour && e->a == 2 ? "\033[0m" : "");
        } else if (e->kind == TD_EV_MESSAGE && e->text) {
            td_buf_printf(out, "  frame %-5u %-6s %s\n", e->line, who, e->text);
        }
    }
}

enum td_err td_capture_render_text(const struct td_capture *c, int colour, struct td_buf *out)
{
    const char *ln = link_name(c->linktype);
    td_buf_printf(out, "%u frames (%s), %u TCP, %zu TCP connection%s, %zu with TLS", c->frames,
                  ln, c->tcp_frames, c->tcp_conns, c->tcp_conns == 1 ? "" : "s", c->set.n - c->n_refused);
    if (c->n_refused)
        td_buf_printf(out, ", %zu refused", c->n_refused);
    td_buf_putc(out, '\n');
    if (c->filtered)
        td_buf_printf(out, "%u frames left out by the filter\n", c->filtered);
    for (size_t i = 0; i < c->n_notes; i++)
        td_buf_printf(out, "note: %s\n", c->notes[i]);
    for (size_t i = 0; i < c->n_conn; i++) {
        td_buf_putc(out, '\n');
        text_conn(c, i, colour, out);
    }
    return out->err;
}

/* ---- JSON ---- */

static int json_event(cJSON *arr, const struct td_event *e, struct hs_state *hs)
{
    if (e->kind == TD_EV_FACT)
        return 1;   /* the connection's start time is listed with the connection */
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(arr, o))
        return 0;
    cJSON_AddNumberToObject(o, "frame", e->line);
    cJSON_AddStringToObject(o, "from", td_actor_name(e->from));
    if (e->kind == TD_EV_RECORD) {
        struct rec_info ri;
        inspect(e, hs, &ri);
        cJSON_AddStringToObject(o, "kind", "record");
        cJSON_AddNumberToObject(o, "frame_end", e->line_end);
        if (e->len >= 5) {
            cJSON_AddStringToObject(o, "content_type",
                                    name_or(td_reg_content_type_name(ri.type), "unknown"));
            cJSON_AddNumberToObject(o, "content_type_id", ri.type);
            cJSON_AddNumberToObject(o, "version", ri.version);
            cJSON_AddNumberToObject(o, "length", (double)ri.body_len);
        }
        cJSON_AddNumberToObject(o, "captured", (double)e->len);
        cJSON_AddBoolToObject(o, "truncated", (e->flags & TD_EVF_TRUNCATED) != 0);
        cJSON_AddBoolToObject(o, "encrypted", ri.encrypted);
        cJSON *hsa = cJSON_AddArrayToObject(o, "handshake");
        for (size_t i = 0; hsa && i < ri.n_hs; i++)
            cJSON_AddItemToArray(hsa, cJSON_CreateString(name_or(td_reg_hs_type_name(ri.hs[i]), "unknown")));
    } else if (e->kind == TD_EV_ALERT) {
        cJSON_AddStringToObject(o, "kind", "alert");
        cJSON_AddStringToObject(o, "level", e->a == 2 ? "fatal" : "warning");
        cJSON_AddNumberToObject(o, "description", e->b);
        cJSON_AddStringToObject(o, "name", name_or(td_reg_alert_name((uint8_t)e->b), "unknown"));
    } else {
        cJSON_AddStringToObject(o, "kind", td_ev_kind_name(e->kind));
        if (e->text)
            cJSON_AddStringToObject(o, "text", e->text);
    }
    return 1;
}

static cJSON *json_conn(const struct td_capture *c, size_t i)
{
    const struct td_capture_conn *k = &c->conn[i];
    const struct td_transcript *t = &c->set.t[k->transcript];
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    char ca[64], sa[64];
    address(k, 1, ca, sizeof ca);
    address(k, 0, sa, sizeof sa);
    cJSON_AddStringToObject(o, "client", ca);
    cJSON_AddStringToObject(o, "server", sa);
    cJSON_AddBoolToObject(o, "client_known", k->client_known);
    cJSON_AddNumberToObject(o, "first_frame", k->first_frame);
    cJSON_AddNumberToObject(o, "last_frame", k->last_frame);
    cJSON_AddNumberToObject(o, "segments", (double)k->frames);
    char when[32];
    start_time(k, when, sizeof when);
    if (when[0])
        cJSON_AddStringToObject(o, "start_time", when);
    cJSON_AddNumberToObject(o, "client_bytes", (double)k->bytes[0]);
    cJSON_AddNumberToObject(o, "server_bytes", (double)k->bytes[1]);
    cJSON_AddNumberToObject(o, "client_missing", (double)k->missing[0]);
    cJSON_AddNumberToObject(o, "server_missing", (double)k->missing[1]);
    cJSON_AddBoolToObject(o, "midstream", (k->flags & TD_CAPF_MIDSTREAM) != 0);
    cJSON_AddBoolToObject(o, "refused", (k->flags & TD_CAPF_REFUSED) != 0);
    cJSON_AddBoolToObject(o, "gap", (k->flags & TD_CAPF_GAP) != 0);
    cJSON_AddStringToObject(o, "stop", td_stop_describe(t->stop));
    cJSON *ev = cJSON_AddArrayToObject(o, "events");
    struct hs_state hs[3];
    memset(hs, 0, sizeof hs);
    for (size_t j = 0; ev && j < t->n_ev; j++)
        if (!json_event(ev, &t->ev[j], &hs[t->ev[j].from])) {
            cJSON_Delete(o);
            return NULL;
        }
    return o;
}

enum td_err td_capture_render_json(const struct td_capture *c, struct td_buf *out)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return TD_ERR_NOMEM;
    cJSON_AddStringToObject(root, "link", link_name(c->linktype));
    cJSON_AddNumberToObject(root, "frames", c->frames);
    cJSON_AddNumberToObject(root, "tcp_frames", c->tcp_frames);
    cJSON_AddNumberToObject(root, "filtered", c->filtered);
    cJSON_AddNumberToObject(root, "tcp_connections", (double)c->tcp_conns);
    cJSON_AddNumberToObject(root, "refused_connections", (double)c->n_refused);
    cJSON_AddBoolToObject(root, "file_truncated", c->file_truncated);
    cJSON *notes = cJSON_AddArrayToObject(root, "notes");
    for (size_t i = 0; notes && i < c->n_notes; i++)
        cJSON_AddItemToArray(notes, cJSON_CreateString(c->notes[i]));
    cJSON *conns = cJSON_AddArrayToObject(root, "connections");
    for (size_t i = 0; conns && i < c->n_conn; i++) {
        cJSON *o = json_conn(c, i);
        if (!o) {
            cJSON_Delete(root);
            return TD_ERR_NOMEM;
        }
        cJSON_AddItemToArray(conns, o);
    }
    return td_json_put_line(out, root);
}
