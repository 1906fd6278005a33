/* exts.c -- hello extensions: splitting the block and decoding the contents that carry meaning.
 * A malformed extension body is reported (first error wins) and skipped; the next extension is
 * still decoded, since the block's own lengths say where it starts. */
#include <string.h>
#include "wire/wire_int.h"

static void ext_sni(struct td_rd *b, int is_server, struct td_hello_exts *x, struct td_wire_err *e)
{
    x->has_sni_ext = 1;
    if (is_server && b->left == 0)
        return;
    struct td_rd list;
    if (!td_wire_vec(b, 2, 1, 0xffff, &list, e, "server_name list length"))
        return;
    while (list.left && list.err == TD_OK) {
        uint8_t type = td_rd_u8(&list);
        struct td_rd name;
        if (!td_wire_vec(&list, 2, 1, 0xffff, &name, e, "server_name host_name length"))
            return;
        if (type == 0 && !x->has_sni) {
            x->has_sni = 1;
            x->sni.len = name.left;
            x->sni.p = td_rd_bytes(&name, name.left);
        }
    }
    td_wire_ok(&list, e, "server_name entry type");
}

static void ext_u16_vec(struct td_rd *b, size_t min, int *has, struct td_u16_list *out,
                        struct td_wire_err *e, const char *what)
{
    struct td_rd v;
    if (!td_wire_vec(b, 2, min, 0xfffe, &v, e, what))
        return;
    if (td_wire_u16_list(&v, out, e, what))
        *has = 1;
}

static void ext_u8_vec(struct td_rd *b, size_t min, int *has, struct td_bytes *out,
                       struct td_wire_err *e, const char *what)
{
    struct td_rd v;
    if (!td_wire_vec(b, 1, min, 0xff, &v, e, what))
        return;
    *has = 1;
    out->len = v.left;
    out->p = td_rd_bytes(&v, v.left);
}

static void ext_alpn(struct td_rd *b, struct td_hello_exts *x, struct td_wire_err *e)
{
    struct td_rd list;
    if (!td_wire_vec(b, 2, 2, 0xffff, &list, e, "ALPN protocol_name_list length"))
        return;
    x->has_alpn = 1;
    x->alpn.len = list.left;
    x->alpn.p = list.p;
    while (list.left) {
        struct td_rd name;
        if (!td_wire_vec(&list, 1, 1, 0xff, &name, e, "ALPN protocol name length"))
            return;
    }
}

static void share_add(struct td_hello_exts *x, uint16_t g)
{
    if (x->n_key_share >= sizeof x->key_share_group / sizeof x->key_share_group[0])
        return;
    x->key_share_group[x->n_key_share] = g;
    x->key_share_be[2 * x->n_key_share] = (uint8_t)(g >> 8);
    x->key_share_be[2 * x->n_key_share + 1] = (uint8_t)g;
    x->n_key_share++;
    x->key_share_groups.p = x->key_share_be;
    x->key_share_groups.n = x->n_key_share;
}

static void ext_key_share(struct td_rd *b, int is_server, struct td_hello_exts *x,
                          struct td_wire_err *e)
{
    if (is_server && b->left == 2) {          /* HelloRetryRequest: selected_group */
        x->has_key_share = 1;
        x->has_hrr_group = 1;
        x->hrr_group = td_rd_u16(b);
        share_add(x, x->hrr_group);
        return;
    }
    struct td_rd list = *b;
    if (!is_server && !td_wire_vec(b, 2, 0, 0xffff, &list, e, "key_share client_shares length"))
        return;
    x->has_key_share = 1;
    if (is_server)
        td_rd_skip(b, b->left);
    while (list.left) {
        uint16_t g = td_rd_u16(&list);
        struct td_rd key;
        if (!td_wire_ok(&list, e, "key_share group"))
            return;
        if (!td_wire_vec(&list, 2, 1, 0xffff, &key, e, "key_share key_exchange length"))
            return;
        share_add(x, g);
        if (is_server)
            break;
    }
    if (is_server)
        td_wire_end(&list, e, "end of the server key_share");
}

static void ext_psk(struct td_rd *b, int is_server, struct td_hello_exts *x, struct td_wire_err *e)
{
    x->has_psk = 1;
    if (is_server) {
        x->psk_identity = td_rd_u16(b);
        td_wire_ok(b, e, "pre_shared_key selected_identity");
        return;
    }
    struct td_rd ids, binders;
    if (!td_wire_vec(b, 2, 7, 0xffff, &ids, e, "pre_shared_key identities length"))
        return;
    while (ids.left) {
        struct td_rd id;
        if (!td_wire_vec(&ids, 2, 1, 0xffff, &id, e, "pre_shared_key identity length"))
            return;
        td_rd_u32(&ids);
        if (!td_wire_ok(&ids, e, "pre_shared_key obfuscated_ticket_age"))
            return;
        x->n_psk_identities++;
    }
    td_wire_vec(b, 2, 33, 0xffff, &binders, e, "pre_shared_key binders length");
}

static void ext_versions(struct td_rd *b, int is_server, struct td_hello_exts *x,
                         struct td_wire_err *e)
{
    if (is_server) {
        x->selected_version = td_rd_u16(b);
        td_wire_ok(b, e, "supported_versions selected_version");
        return;
    }
    struct td_rd v;
    if (!td_wire_vec(b, 1, 2, 254, &v, e, "supported_versions length"))
        return;
    if (td_wire_u16_list(&v, &x->versions, e, "supported_versions (an even length)"))
        x->has_versions = 1;
}

/* Decodes one extension's body; b is bounded to it. */
static void ext_body(uint16_t type, struct td_rd *b, int is_server, struct td_hello_exts *x,
                     struct td_wire_err *e)
{
    switch (type) {
    case 0: ext_sni(b, is_server, x, e); break;
    case 1:
        x->mfl = td_rd_u8(b);
        if (td_wire_ok(b, e, "max_fragment_length value"))
            x->has_mfl = 1;
        if (x->has_mfl && (x->mfl < 1 || x->mfl > 4))
            td_wire_fail(e, TD_ERR_BAD_VALUE, b->off - 1, "max_fragment_length 1..4");
        break;
    case 5:
        x->has_status_request = 1;
        if (!is_server && b->left) {
            x->status_type = td_rd_u8(b);
            td_rd_skip(b, b->left);
        }
        break;
    case 10: ext_u16_vec(b, 2, &x->has_groups, &x->groups, e, "supported_groups length"); break;
    case 11: ext_u8_vec(b, 1, &x->has_point_formats, &x->point_formats, e, "ec_point_formats length"); break;
    case 13: ext_u16_vec(b, 2, &x->has_sigalgs, &x->sigalgs, e, "signature_algorithms length"); break;
    case 16: ext_alpn(b, x, e); break;
    case 18: x->has_sct = 1; td_rd_skip(b, b->left); break;
    case 21:
        x->has_padding = 1;
        x->padding_len = b->left;
        td_rd_skip(b, b->left);
        break;
    case 22: x->has_etm = 1; break;
    case 23: x->has_ems = 1; break;
    case 28:
        x->record_size_limit = td_rd_u16(b);
        if (td_wire_ok(b, e, "record_size_limit value"))
            x->has_record_size_limit = 1;
        break;
    case 35: x->has_session_ticket = 1; td_rd_skip(b, b->left); break;
    case 41: ext_psk(b, is_server, x, e); break;
    case 42: x->has_early_data = 1; td_rd_skip(b, b->left); break;
    case 43: ext_versions(b, is_server, x, e); break;
    case 44: {
        struct td_rd c;
        if (td_wire_vec(b, 2, 1, 0xffff, &c, e, "cookie length")) {
            x->has_cookie = 1;
            x->cookie.len = c.left;
            x->cookie.p = c.p;
        }
        break;
    }
    case 45: ext_u8_vec(b, 1, &x->has_psk_modes, &x->psk_modes, e, "psk_key_exchange_modes length"); break;
    case 50: ext_u16_vec(b, 2, &x->has_sigalgs_cert, &x->sigalgs_cert, e, "signature_algorithms_cert length"); break;
    case 51: ext_key_share(b, is_server, x, e); break;
    case 0xff01: {
        struct td_rd ri;
        if (td_wire_vec(b, 1, 0, 0xff, &ri, e, "renegotiation_info length"))
            x->has_reneg_info = 1;
        break;
    }
    default: td_rd_skip(b, b->left); break;
    }
    if (b->err == TD_OK && b->left)
        td_wire_fail(e, TD_ERR_TRAILING, b->off, "end of the extension (its length is longer than its contents)");
}

void td_wire_ext_body(uint16_t type, const uint8_t *p, size_t len, size_t off, int is_server,
                      struct td_hello_exts *x, struct td_wire_err *e)
{
    struct td_rd b;
    td_rd_init(&b, p, len, off);
    ext_body(type, &b, is_server, x, e);
    if (b.err != TD_OK)
        td_wire_ok(&b, e, "extension contents as long as its length says");
}

static int ext_seen(const struct td_hello_exts *x, uint16_t type)
{
    for (size_t i = 0; i < x->n_ext; i++)
        if (x->ext[i].type == type)
            return 1;
    return 0;
}

enum td_err td_wire_parse_exts(const uint8_t *p, size_t len, size_t base_off, int is_server,
                               struct td_hello_exts *out, struct td_wire_err *err)
{
    struct td_wire_err local;
    struct td_wire_err *e = td_wire_err_or(err, &local);
    struct td_rd r;
    memset(out, 0, sizeof *out);
    td_rd_init(&r, p, len, base_off);
    while (r.left && r.err == TD_OK) {
        size_t at = r.off;
        uint16_t type = td_rd_u16(&r);
        if (!td_wire_ok(&r, e, "extension type"))
            break;
        struct td_rd body;
        if (!td_wire_vec(&r, 2, 0, 0xffff, &body, e, "extension length within the extensions block"))
            break;
        if (ext_seen(out, type))
            out->n_dup++;
        out->n_ext_total++;
        if (out->n_ext < TD_WIRE_MAX_EXTS) {
            struct td_ext *x = &out->ext[out->n_ext++];
            x->type = type;
            x->body.len = body.left;
            x->body.p = body.left ? body.p : NULL;
            x->off = at;
        }
        ext_body(type, &body, is_server, out, e);
        if (body.err != TD_OK)
            td_wire_ok(&body, e, "extension contents as long as its length says");
    }
    return e->code;
}
