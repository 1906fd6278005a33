/* render.c -- a probe result as text (one fact a line) or as JSON (schema "tlsdoctor.probe/1",
 * built with cJSON). */
#include <stdio.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "tlsdoctor/probe.h"
#include "tlsdoctor/reg.h"

/* Extensions the TLS 1.2 extension probe asks about, with what an echo means. */
static const struct {
    uint16_t type;
    const char *name;
} probed_exts[] = {
    {0x0001, "max_fragment_length"}, {0x0017, "extended_master_secret"},
    {0x0016, "encrypt_then_mac"},    {0xff01, "renegotiation_info"},
    {0x0023, "session_ticket"},      {0x0010, "alpn"},
    {0x0005, "status_request"},      {0x001c, "record_size_limit"},
};
#define N_PROBED_EXTS (sizeof probed_exts / sizeof probed_exts[0])

static const char *vname(uint16_t v)
{
    const char *n = td_reg_version_name(v);
    return n ? n : "unknown";
}

static void put_list(struct td_buf *out, const uint16_t *v, size_t n,
                     const char *(*name)(uint16_t))
{
    for (size_t i = 0; i < n; i++) {
        const char *nm = name(v[i]);
        if (nm)
            td_buf_printf(out, "%s%s", i ? ", " : "", nm);
        else
            td_buf_printf(out, "%sunknown (0x%04x)", i ? ", " : "", v[i]);
    }
    if (!n)
        td_buf_puts(out, "none found");
    td_buf_putc(out, '\n');
}

static const char *sni_label(const struct td_probe_sni_case *c, char *buf, size_t n)
{
    if (!c->name[0])
        snprintf(buf, n, "without SNI");
    else
        snprintf(buf, n, "with \"%s\"", c->name);
    return buf;
}

static void text_versions(const struct td_probe_result *r, struct td_buf *out)
{
    td_buf_puts(out, "Versions:\n");
    for (int i = 4; i >= 0; i--) {
        const struct td_probe_version_result *v = &r->ver[i];
        if (!v->tested)
            continue;
        if (v->supported)
            td_buf_printf(out, "  %-8s yes\n", vname(v->version));
        else
            td_buf_printf(out, "  %-8s no: %s\n", vname(v->version), v->refusal);
    }
    td_buf_puts(out, "Cipher suites (in the order the server picks them):\n");
    for (int i = 4; i >= 0; i--) {
        const struct td_probe_version_result *v = &r->ver[i];
        if (!v->supported)
            continue;
        td_buf_printf(out, "  %s (%s):\n", vname(v->version),
                      v->server_order == 1   ? "server's order"
                      : v->server_order == 0 ? "the server follows the client's order"
                      : v->server_order == 2 ? "the server's pick depends on the client's order"
                                             : "one suite, order not tested");
        for (size_t k = 0; k < v->n_suites; k++) {
            const char *nm = td_reg_suite_name(v->suites[k]);
            td_buf_printf(out, "    0x%04x %s\n", v->suites[k], nm ? nm : "unknown");
        }
    }
}

static void text_exts(const struct td_probe_answer *a, struct td_buf *out)
{
    if (a->outcome != TD_PO_SERVER_HELLO) {
        td_buf_puts(out, "Extensions (TLS 1.2): not tested: ");
        td_probe_answer_describe(a, out);
        td_buf_putc(out, '\n');
        return;
    }
    td_buf_puts(out, "Extensions (TLS 1.2, all offered at once):\n");
    for (size_t i = 0; i < N_PROBED_EXTS; i++) {
        int has = td_probe_answer_has_ext(a, probed_exts[i].type);
        td_buf_printf(out, "  %-23s %s", probed_exts[i].name,
                      has ? "answered" : "not answered (ignored or unsupported)");
        if (probed_exts[i].type == 0x0001)
            td_buf_printf(out, "%s", has ? " (512 honoured)" : "");
        if (probed_exts[i].type == 0x0010 && a->alpn[0])
            td_buf_printf(out, " (%s)", a->alpn);
        if (probed_exts[i].type == 0x0005 && a->ocsp_stapled)
            td_buf_puts(out, " (OCSP response stapled)");
        td_buf_putc(out, '\n');
    }
    if (a->max_record)
        td_buf_printf(out, "  largest record with max_fragment_length 512: %zu bytes\n",
                      a->max_record);
}

/* see probe.h */
enum td_err td_probe_render_text(const struct td_probe_result *r, struct td_buf *out)
{
    text_versions(r, out);
    td_buf_puts(out, "Groups:\n  TLS 1.3: ");
    put_list(out, r->groups13, r->n_groups13, td_reg_group_name);
    td_buf_puts(out, "  TLS 1.2 (ECDHE): ");
    put_list(out, r->groups12, r->n_groups12, td_reg_group_name);
    td_buf_puts(out, "Signature algorithms:\n  TLS 1.2 (ServerKeyExchange): ");
    put_list(out, r->sigalgs12, r->n_sigalgs12, td_reg_sigalg_name);
    td_buf_puts(out, "  TLS 1.3 (CertificateVerify): ");
    put_list(out, r->sigalgs13, r->n_sigalgs13, td_reg_sigalg_name);
    td_buf_puts(out, "SNI:\n");
    for (size_t i = 0; i < r->n_sni_cases; i++) {
        char lb[300];
        const struct td_probe_sni_case *c = &r->sni_cases[i];
        td_buf_printf(out, "  %-30s %s", sni_label(c, lb, sizeof lb), c->detail);
        if (c->have_cert && i > 0 && r->sni_cases[0].have_cert &&
            memcmp(c->cert_sha256, r->sni_cases[0].cert_sha256, 32) != 0)
            td_buf_puts(out, " (a different certificate)");
        td_buf_putc(out, '\n');
    }
    text_exts(&r->ext12, out);
    return out->err;
}

static cJSON *id_list(const uint16_t *v, size_t n, const char *(*name)(uint16_t))
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        char id[8];
        snprintf(id, sizeof id, "0x%04x", v[i]);
        cJSON_AddStringToObject(o, "id", id);
        const char *nm = name(v[i]);
        if (nm)
            cJSON_AddStringToObject(o, "name", nm);
        else
            cJSON_AddNullToObject(o, "name");
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

static void json_versions(const struct td_probe_result *r, cJSON *root)
{
    cJSON *arr = cJSON_AddArrayToObject(root, "versions");
    for (int i = 4; i >= 0; i--) {
        const struct td_probe_version_result *v = &r->ver[i];
        if (!v->tested)
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "version", vname(v->version));
        cJSON_AddBoolToObject(o, "supported", v->supported);
        if (!v->supported) {
            cJSON_AddStringToObject(o, "refusal", v->refusal);
        } else {
            cJSON_AddItemToObject(o, "suites", id_list(v->suites, v->n_suites, td_reg_suite_name));
            static const char *orders[] = {"client", "server", "mixed"};
            cJSON_AddStringToObject(o, "order", v->server_order < 0 ? "untested"
                                                                    : orders[v->server_order]);
            cJSON_AddStringToObject(o, "suites_end", v->suites_end);
        }
        cJSON_AddItemToArray(arr, o);
    }
}

static void json_answer(cJSON *o, const struct td_probe_answer *a)
{
    struct td_buf b;
    td_buf_init(&b, 4096);
    td_probe_answer_describe(a, &b);
    cJSON_AddStringToObject(o, "outcome", td_probe_outcome_name(a->outcome));
    cJSON_AddStringToObject(o, "description", b.p ? b.p : "");
    td_buf_free(&b);
}

static void json_exts(const struct td_probe_answer *a, cJSON *root)
{
    cJSON *o = cJSON_AddObjectToObject(root, "extensions_tls12");
    json_answer(o, a);
    if (a->outcome != TD_PO_SERVER_HELLO)
        return;
    for (size_t i = 0; i < N_PROBED_EXTS; i++)
        cJSON_AddBoolToObject(o, probed_exts[i].name,
                              td_probe_answer_has_ext(a, probed_exts[i].type));
    if (a->alpn[0])
        cJSON_AddStringToObject(o, "alpn_selected", a->alpn);
    cJSON_AddBoolToObject(o, "ocsp_stapled", a->ocsp_stapled);
    cJSON_AddNumberToObject(o, "largest_record_bytes", (double)a->max_record);
}

/* see probe.h */
enum td_err td_probe_render_json(const struct td_probe_result *r, const char *host, unsigned port,
                                 const char *ca_file, struct td_buf *out)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return TD_ERR_NOMEM;
    cJSON_AddStringToObject(root, "schema", "tlsdoctor.probe/1");
    cJSON_AddStringToObject(root, "host", host);
    cJSON_AddNumberToObject(root, "port", port);
    cJSON_AddStringToObject(root, "sni", r->sni);
    cJSON_AddNumberToObject(root, "connections", (double)r->connections);
    json_versions(r, root);
    cJSON *g = cJSON_AddObjectToObject(root, "groups");
    cJSON_AddItemToObject(g, "tls13", id_list(r->groups13, r->n_groups13, td_reg_group_name));
    cJSON_AddStringToObject(g, "tls13_end", r->groups13_end);
    cJSON_AddItemToObject(g, "tls12", id_list(r->groups12, r->n_groups12, td_reg_group_name));
    cJSON_AddStringToObject(g, "tls12_end", r->groups12_end);
    cJSON *s = cJSON_AddObjectToObject(root, "signature_algorithms");
    cJSON_AddItemToObject(s, "tls12", id_list(r->sigalgs12, r->n_sigalgs12, td_reg_sigalg_name));
    cJSON_AddStringToObject(s, "tls12_end", r->sigalgs12_end);
    cJSON_AddItemToObject(s, "tls13", id_list(r->sigalgs13, r->n_sigalgs13, td_reg_sigalg_name));
    cJSON_AddStringToObject(s, "tls13_end", r->sigalgs13_end);
    cJSON *sni = cJSON_AddArrayToObject(root, "sni");
    for (size_t i = 0; i < r->n_sni_cases; i++) {
        const struct td_probe_sni_case *c = &r->sni_cases[i];
        cJSON *o = cJSON_CreateObject();
        if (c->name[0])
            cJSON_AddStringToObject(o, "name", c->name);
        else
            cJSON_AddNullToObject(o, "name");
        cJSON_AddStringToObject(o, "outcome", td_probe_outcome_name(c->outcome));
        if (c->outcome == TD_PO_ALERT)
            cJSON_AddNumberToObject(o, "alert", c->alert_desc);
        cJSON_AddStringToObject(o, "description", c->detail);
        if (c->have_cert) {
            char hex[65];
            for (size_t k = 0; k < 32; k++)
                snprintf(hex + 2 * k, 3, "%02x", c->cert_sha256[k]);
            cJSON_AddStringToObject(o, "leaf_sha256", hex);
        }
        cJSON_AddItemToArray(sni, o);
    }
    json_exts(&r->ext12, root);
    cJSON *ch = cJSON_AddObjectToObject(root, "chain");
    const struct td_probe_answer *cs[2] = {&r->cert12, &r->cert13};
    const char *keys[2] = {"tls12", "tls13"};
    for (int i = 0; i < 2; i++) {
        if (cs[i]->outcome == TD_PO_NONE)
            continue;
        cJSON *o = cJSON_AddObjectToObject(ch, keys[i]);
        json_answer(o, cs[i]);
        td_probe_chain_json(cs[i], r->sni, ca_file, o);
    }
    char *txt = cJSON_Print(root);
    cJSON_Delete(root);
    if (!txt)
        return TD_ERR_NOMEM;
    enum td_err e = td_buf_puts(out, txt);
    td_buf_putc(out, '\n');
    cJSON_free(txt);
    return e;
}
