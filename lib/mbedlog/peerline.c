/* peerline.c -- the other side's error lines (nginx, Go crypto/tls, OpenSSL, GnuTLS, Mosquitto):
 * recognises one line against peerline.def and peerline_openssl.def and says what it names. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "mbedlog_int.h"
#include "peerline.h"

enum { PL_U = 0, PL_S, PL_C };

struct pl_text {
    const char *needle, *also;
    enum td_peer_cause cause;
    int side, received;
};

static const struct pl_text pl_texts[] = {
#define PL_TEXT(n, a, c, s, r) {n, a, TD_PEER_##c, PL_##s, r},
#define PL_SIDE(n, s)
#define PL_LAST(n, c, s)
#include "peerline.def"
#undef PL_TEXT
#undef PL_SIDE
#undef PL_LAST
};

/* Lines that name no reason: tried last (PL_LAST). */
static const struct pl_text pl_lasts[] = {
#define PL_TEXT(n, a, c, s, r)
#define PL_SIDE(n, s)
#define PL_LAST(n, c, s) {n, "", TD_PEER_##c, PL_##s, 0},
#include "peerline.def"
#undef PL_TEXT
#undef PL_SIDE
#undef PL_LAST
};

struct pl_side {
    const char *needle;
    int side;
};

static const struct pl_side pl_sides[] = {
#define PL_TEXT(n, a, c, s, r)
#define PL_SIDE(n, s) {n, PL_##s},
#define PL_LAST(n, c, s)
#include "peerline.def"
#undef PL_TEXT
#undef PL_SIDE
#undef PL_LAST
};

struct pl_ossl {
    unsigned reason;
    const char *text;
    enum td_peer_cause cause;
    int received;
};

static const struct pl_ossl pl_ossl[] = {
#define PL_OSSL(n, t, c, r) {n, t, TD_PEER_##c, r},
#include "peerline_openssl.def"
#undef PL_OSSL
};

#define PL_N(a) (sizeof(a) / sizeof((a)[0]))

static enum td_actor actor_of(int side)
{
    return side == PL_S ? TD_ACTOR_SERVER : side == PL_C ? TD_ACTOR_CLIENT : TD_ACTOR_UNKNOWN;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* The libssl reason of the first "error:XXXXXXXX:" in t whose library is SSL (20): OpenSSL 3.x packs
 * lib << 23 | reason, 1.1 lib << 24 | func << 12 | reason. 0 when there is none. */
static unsigned ossl_reason(const char *t)
{
    for (const char *p = t; (p = ml_find(p, "error:")) != NULL; p += 6) {
        const char *h = p + 6;
        uint32_t v = 0;
        int i;
        for (i = 0; i < 8; i++) {
            int d = hexval(h[i]);
            if (d < 0)
                break;
            v = v << 4 | (uint32_t)d;
        }
        if (i != 8 || h[8] != ':')
            continue;
        if ((v >> 23) == 20)
            return v & 0x7FFFFFu;
        if ((v >> 24) == 20)
            return v & 0xFFFu;
    }
    return 0;
}

/* Cheap test first: every row's needle holds one of these, so most lines cost a few scans. */
static int worth_looking(const char *t)
{
    static const char *const keys[] = {"rror", "tls", "TLS", "SSL", "EOF", "HTTP", "certificate", "cipher",
                                       "callback", "verification", "alert", NULL};
    for (const char *const *k = keys; *k; k++)
        if (ml_find(t, *k))
            return 1;
    return 0;
}

static const struct pl_text *find_row(const char *t, const struct pl_text *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ml_find(t, rows[i].needle) && (!rows[i].also[0] || ml_find(t, rows[i].also)))
            return &rows[i];
    return NULL;
}

int ml_peer_line(const char *t, struct ml_peer_hit *hit)
{
    memset(hit, 0, sizeof *hit);
    if (!worth_looking(t))
        return 0;
    const struct pl_text *row = find_row(t, pl_texts, PL_N(pl_texts));
    int side = PL_U;
    if (!row) {
        unsigned r = ossl_reason(t);
        for (size_t i = 0; r && i < PL_N(pl_ossl) && !hit->cause; i++)
            if (pl_ossl[i].reason == r) {
                hit->cause = pl_ossl[i].cause;
                hit->received = pl_ossl[i].received;
            }
        if (!hit->cause)
            row = find_row(t, pl_lasts, PL_N(pl_lasts));
    }
    if (row) {
        hit->cause = row->cause;
        hit->received = row->received;
        side = row->side;
    } else if (!hit->cause) {
        return 0;
    }
    for (size_t i = 0; side == PL_U && i < PL_N(pl_sides); i++)
        if (ml_find(t, pl_sides[i].needle)) {
            side = pl_sides[i].side;
            break;
        }
    hit->printer = actor_of(side);
    if (hit->printer != TD_ACTOR_UNKNOWN)
        hit->raised_by = hit->received ? (hit->printer == TD_ACTOR_SERVER ? TD_ACTOR_CLIENT : TD_ACTOR_SERVER)
                                       : hit->printer;
    return 1;
}
