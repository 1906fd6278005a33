/* reader.c -- the streaming Mbed TLS log reader's front: bytes in, lines out to the transcript
 * assembly (assemble.c), one Transcript per handshake attempt queued for the caller.
 *
 * A line goes through three stages. Decoration (line.c): colour codes and HTML entities out, then
 * Mbed TLS's own `file:line: |L|` found and taken apart, whatever a logger put before it. Message
 * recognition (recog.c over the catalogue msgcat.c): a line without file:line is read by its text,
 * a known message found behind any decoration, which is then learned and carries the hex rows and
 * certificate lines after it; lines a terminal cut at its width are joined back. Assembly
 * (assemble.c): the debug or application line, classified, builds the Transcript. */
#include <stdlib.h>
#include <string.h>
#include "reader_int.h"
#include "peerline.h"

/* Keeps a file:line decoration (the bytes before the text) for ml_line_reuse(). */
static void remember_prefix(struct td_mbedlog *ml, const char *s, const struct ml_line *l)
{
    size_t pl = l->is_debug && l->file_len && l->len ? (size_t)(l->text - s) : 0;
    if (pl > sizeof ml->prev_prefix)
        pl = 0;
    ml->prev_prefix_len = pl;
    if (pl) {
        memcpy(ml->prev_prefix, s, pl);
        ml->prev_line = *l;
    }
}

/* Makes l the debug line whose message starts at t (its end is l's). */
static void as_debug(struct ml_line *l, const char *t, const struct ml_msg *m)
{
    const char *end = l->text + l->len;
    while (t < end && (*t == ' ' || *t == '\t'))
        t++;
    l->len = (size_t)(end - t);
    l->text = t;
    l->is_debug = 1;
    l->msg = m;
}

/* " 43 74 3e ...": a row of a big number's value (after "value of 'X' (N bits) is:"). */
static int number_row(const char *t)
{
    static const char hex[] = "0123456789abcdefABCDEF";
    return t[0] && t[1] && strchr(hex, t[0]) && strchr(hex, t[1]) && (t[2] == ' ' || !t[2]);
}

/* A line without Mbed TLS's file:line, read by its text: a catalogue message behind the decoration
 * learned from the lines before, or anywhere in it (and then its decoration is learned); a hex row
 * or an unknown message behind that decoration is a debug line too. s[0..) is the whole line and
 * l its parse (text trimmed, NUL-terminated). Returns 1 if l is now a debug line. */
static int read_by_text(struct td_mbedlog *ml, const char *s, struct ml_line *l)
{
    /* the application's own printout of a certificate goes on as such */
    if (ml->cert.active && ml->cert.from_app && ml_cert_text_line(s))
        return 0;
    const char *end = l->text + l->len;
    /* a certificate's description is printed by applications too: it is the debug hook's only
     * after the hook's "peer certificate #1:", or with a decoration only the hook puts */
    int debug_cert = ml->cert.active && !ml->cert.from_app;
    long k = ml_deco_match(&ml->deco, s, (size_t)(end - s));
    if (k >= 0) {
        const char *t = s + k;
        while (t < end && (*t == ' ' || *t == '\t'))
            t++;
        const struct ml_msg *m = ml_recog_at(t, (size_t)(end - t), 1);
        uint8_t row[16];
        unsigned long off;
        if (m && m->kind == ML_K_CERTLINE && !debug_cert && !ml->deco.strong)
            return 0;
        /* behind the hook's own decoration, a line that is no message may still be the rest of
         * one: a certificate's description or a big number's row. Anything else is the
         * application's, printed through the same logger ("00>   ! mbedtls_ssl_handshake ...") */
        int rest = ml->deco.strong && (debug_cert || number_row(t));
        if (m || (ml->d.active && ml_parse_row(t, &off, row)) || rest) {
            as_debug(l, t, m);
            return 1;
        }
    }
    size_t start;
    const struct ml_msg *m = ml_recog_find(l->text, l->len, &start);
    struct ml_peer_hit hit;
    /* another program's error line may hold words Mbed TLS prints too: it stays that program's */
    if (!m || (m->kind == ML_K_CERTLINE && !debug_cert) || ml_peer_line(s, &hit))
        return 0;
    ml_deco_learn(&ml->deco, s, (size_t)(l->text + start - s));
    as_debug(l, l->text + start, m);
    return 1;
}

static void handle_line(struct td_mbedlog *ml, char *s, size_t len)
{
    ml->lineno++;
    ml->st.lines++;
    if (len && s[len - 1] == '\r')
        s[--len] = '\0';
    if (ml->lineno <= 400 || !ml->a.debug_lines)
        ml_context_scan(&ml->ctx, s, ml->lineno);   /* before parsing: it needs the decoration */
    if (ml->line_dirty)
        len = ml_line_clean(s, len);
    struct ml_line l;
    /* the rows of a dump (most of a level-4 log) repeat the line before's decoration: when this
     * line starts with it, the parse is the same and only the text is new */
    size_t pl = ml->prev_prefix_len;
    if (pl && len > pl && s[pl - 1] == ml->prev_prefix[pl - 1] && !memcmp(s, ml->prev_prefix, pl)) {
        ml_line_reuse(&ml->prev_line, s, len, pl, &l);
    } else {
        ml_line_parse(s, len, &l);
        remember_prefix(ml, s, &l);
    }
    if (!l.len && !l.is_debug)
        return;   /* blank line: forum pasting puts one between every line */
    if (l.is_debug && !l.len) {
        ml->pend = l;
        ml->pend_prefix = 1;
        return;
    }
    if (!l.is_debug && ml->pend_prefix) {
        /* a logger that put the prefix and the message on separate lines */
        struct ml_line joined = ml->pend;
        joined.text = l.text;
        joined.len = l.len;
        ml->pend_prefix = 0;
        ml_debug_line(ml, &joined);
        return;
    }
    ml->pend_prefix = 0;
    if (l.is_debug || read_by_text(ml, s, &l)) {
        ml_debug_line(ml, &l);
        return;
    }
    if (ml->d.active) {
        /* a row whose prefix the logger dropped, or an unrelated line in between: rows go on */
        uint8_t row[16];
        unsigned long off;
        size_t n = ml_parse_row(l.text, &off, row);
        if (n) {
            ml_dump_row(ml, off, row, n);
            return;
        }
        if (ml_wrapped_row(ml, l.text))
            return;
    }
    ml_app_line(ml, s, l.text);
}

/* ---- lines cut at a terminal's width --------------------------------------------------------- */

/* 1 if a line of n printed bytes may have been cut by a terminal at its width. */
static int at_wrap_width(size_t n)
{
    return n >= 80 && n % 80 == 0;   /* a terminal's classic width; wider ones cut rarely */
}

/* Parses a copy of s[0..len) (the line itself stays as it is). */
static const char *look(struct td_mbedlog *ml, const char *s, size_t len, struct ml_line *l)
{
    memcpy(ml->scratch, s, len);
    ml->scratch[len] = '\0';
    if (len && ml->scratch[len - 1] == '\r')
        ml->scratch[--len] = '\0';
    len = ml_line_clean(ml->scratch, len);
    ml_line_parse(ml->scratch, len, l);
    return ml->scratch;
}

/* 1 if the line reads whole: a debug line whose text is a known message or a dump row, or a line
 * with no debug text at all that is not cut inside a file:line. */
static int reads_whole(struct td_mbedlog *ml, const char *s, size_t len)
{
    struct ml_line l;
    look(ml, s, len, &l);
    uint8_t row[16];
    unsigned long off;
    if (l.is_debug)
        return ml_parse_row(l.text, &off, row) > 0 || ml_recog_at(l.text, l.len, 1) != NULL;
    return 0;
}

/* 1 if the line starts a line of its own (so it is not the rest of a cut one): a debug line, a
 * blank one, or one that carries the learned decoration or starts with a known message. */
static int starts_line(struct td_mbedlog *ml, const char *s, size_t len)
{
    struct ml_line l;
    const char *c = look(ml, s, len, &l);
    if (l.is_debug || !l.len)
        return 1;
    long k = ml_deco_match(&ml->deco, c, strlen(c));
    return (k > 0 && ml->deco.strong) || ml_recog_at(l.text, l.len, 0) != NULL;
}

/* Reads the held pieces: as one line if together they read whole (a known message, a row), else
 * each as it was. */
static void flush_held(struct td_mbedlog *ml)
{
    if (!ml->held_len)
        return;
    size_t n = ml->held_len;
    uint32_t pieces = ml->held_pieces;
    ml->held_len = 0;
    int dirty = ml->line_dirty;
    ml->line_dirty = 1;
    if (pieces == 1 || reads_whole(ml, ml->held, n)) {
        handle_line(ml, ml->held, n);
        ml->lineno += pieces - 1;
        ml->st.lines += pieces - 1;
    } else {
        for (uint32_t i = 0; i < pieces; i++) {
            size_t a = ml->held_off[i], b = i + 1 < pieces ? ml->held_off[i + 1] : n;
            memcpy(ml->scratch, ml->held + a, b - a);
            ml->scratch[b - a] = '\0';
            handle_line(ml, ml->scratch, b - a);
        }
    }
    ml->line_dirty = dirty;
}

/* take_line()'s slow path, out of line so that the common one stays small. */
ML_COLD static void take_maybe_cut(struct td_mbedlog *ml, char *s, size_t len, size_t printed)
{
    if (ml->held_len) {
        if (ml->held_len + len <= ml->o.max_line && ml->held_pieces < ML_MAX_PIECES &&
            !starts_line(ml, s, len)) {
            ml->held_off[ml->held_pieces++] = ml->held_len;
            memcpy(ml->held + ml->held_len, s, printed);
            ml->held_len += printed;
            ml->held[ml->held_len] = '\0';
            if (!at_wrap_width(printed))
                flush_held(ml);
            return;
        }
        flush_held(ml);
    }
    if (at_wrap_width(printed) && !reads_whole(ml, s, len)) {
        memcpy(ml->held, s, printed);
        ml->held[printed] = '\0';
        ml->held_len = printed;
        ml->held_pieces = 1;
        ml->held_off[0] = 0;
        return;
    }
    handle_line(ml, s, len);
}

/* A whole physical line: held if it may be cut at a terminal's width and does not read whole,
 * joined to the held one if it is its rest, else read. */
static void take_line(struct td_mbedlog *ml, char *s, size_t len)
{
    size_t printed = len && s[len - 1] == '\r' ? len - 1 : len;
    if (ml->held_len || at_wrap_width(printed))
        take_maybe_cut(ml, s, len, printed);
    else
        handle_line(ml, s, len);
}

struct td_mbedlog *td_mbedlog_new(const struct td_mbedlog_opts *opts)
{
    struct td_mbedlog *ml = calloc(1, sizeof *ml);
    if (!ml)
        return NULL;
    if (opts)
        ml->o = *opts;
    if (!ml->o.max_line)
        ml->o.max_line = DEF_MAX_LINE;
    if (!ml->o.max_events)
        ml->o.max_events = DEF_MAX_EVENTS;
    if (!ml->o.max_bytes)
        ml->o.max_bytes = DEF_MAX_BYTES;
    if (ml->o.max_events < 8)
        ml->o.max_events = 8;
    ml->line = malloc(ml->o.max_line + 1);
    ml->held = malloc(ml->o.max_line + 1);
    ml->scratch = malloc(ml->o.max_line + 1);
    if (!ml->line || !ml->held || !ml->scratch) {
        free(ml->line);
        free(ml->held);
        free(ml->scratch);
        free(ml);
        return NULL;
    }
    td_buf_init(&ml->cert.text, MAX_CERT_TEXT * 2);
    td_transcript_init(&ml->cur, TD_ORIGIN_DEBUG_LOG);
    return ml;
}

void td_mbedlog_free(struct td_mbedlog *ml)
{
    if (!ml)
        return;
    td_transcript_free(&ml->cur);
    for (size_t i = ml->qhead; i < ml->qn; i++)
        td_transcript_free(&ml->q[i]);
    free(ml->q);
    free(ml->d.buf);
    td_buf_free(&ml->cert.text);
    free(ml->line);
    free(ml->held);
    free(ml->scratch);
    free(ml);
}

/* The earlier of two places that may be NULL. */
static const char *first_of(const char *a, const char *b)
{
    return !a ? b : !b ? a : a < b ? a : b;
}

enum td_err td_mbedlog_feed(struct td_mbedlog *ml, const void *bytes, size_t n)
{
    const char *p = bytes;
    const char *end = p + n;
    /* one vectorised look for NUL bytes over the chunk instead of one per line: text has none */
    int chunk_nul = n && memchr(p, '\0', n) != NULL;
    /* the same for what ml_line_clean() takes out: most logs hold neither */
    const char *esc = n ? memchr(p, 0x1b, n) : NULL, *amp = n ? memchr(p, '&', n) : NULL;
    const char *special = first_of(esc, amp);
    while (p < end && !ml->err) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t take = (size_t)((nl ? nl : end) - p);
        size_t room = ml->o.max_line - ml->line_len;
        if (take > room) {
            ml->line_long = 1;
            take = room;
        }
        memcpy(ml->line + ml->line_len, p, take);
        if (chunk_nul && memchr(p, '\0', take))
            ml->line_nul = 1;
        /* the next escape or '&' of the chunk: found once, looked for again only past it */
        if (special && special < p + take) {
            ml->line_dirty = 1;
            if (esc && esc < p + take)
                esc = memchr(p + take, 0x1b, (size_t)(end - p - take));
            if (amp && amp < p + take)
                amp = memchr(p + take, '&', (size_t)(end - p - take));
            special = first_of(esc, amp);
        }
        ml->line_len += take;
        if (!nl)
            break;
        ml->line[ml->line_len] = '\0';
        if (ml->line_nul)
            ml->line_len = strlen(ml->line);   /* NUL bytes in text: keep what precedes */
        if (ml->line_long)
            ml->st.long_lines++;
        take_line(ml, ml->line, ml->line_len);
        ml->line_len = 0;
        ml->line_long = 0;
        ml->line_nul = 0;
        ml->line_dirty = 0;
        p = nl + 1;
    }
    return ml->err;
}

enum td_err td_mbedlog_finish(struct td_mbedlog *ml)
{
    if (ml->err)
        return ml->err;
    if (ml->line_len) {
        ml->line[ml->line_len] = '\0';
        ml->line_len = strlen(ml->line);
        if (ml->line_long)
            ml->st.long_lines++;
        take_line(ml, ml->line, ml->line_len);
        ml->line_len = 0;
        ml->line_nul = 0;
        ml->line_dirty = 0;
    }
    flush_held(ml);
    ml_finish_attempt(ml);
    return ml->err;
}

int td_mbedlog_next(struct td_mbedlog *ml, struct td_transcript *out)
{
    if (ml->qhead >= ml->qn)
        return 0;
    *out = ml->q[ml->qhead++];
    if (ml->qhead == ml->qn)
        ml->qhead = ml->qn = 0;
    return 1;
}

const struct td_mbedlog_stats *td_mbedlog_stats(const struct td_mbedlog *ml)
{
    return &ml->st;
}

enum td_err td_mbedlog_read(const void *text, size_t n, const struct td_mbedlog_opts *opts,
                            struct td_transcript_set *set, struct td_mbedlog_stats *stats)
{
    struct td_mbedlog *ml = td_mbedlog_new(opts);
    if (!ml)
        return TD_ERR_NOMEM;
    enum td_err e = td_mbedlog_feed(ml, text, n);
    if (e == TD_OK)
        e = td_mbedlog_finish(ml);
    size_t before = set->n;
    struct td_transcript t;
    while (td_mbedlog_next(ml, &t)) {
        struct td_transcript *slot = e == TD_OK ? td_transcript_set_add(set, t.origin) : NULL;
        if (!slot) {
            td_transcript_free(&t);
            if (e == TD_OK)
                e = TD_ERR_NOMEM;
            continue;
        }
        *slot = t;
    }
    if (stats)
        *stats = ml->st;
    td_mbedlog_free(ml);
    if (e == TD_OK && set->n == before)
        return TD_ERR_NOTHING_FOUND;
    return e;
}

const char *td_mbedlog_nothing_hint(void)
{
    return "The input holds nothing Mbed TLS printed: no debug lines (\"ssl_tls.c:1234: |2| => handshake\") "
           "and no error lines such as \"mbedtls_ssl_handshake returned -0x7780\". To get a debug log, build "
           "Mbed TLS with MBEDTLS_DEBUG_C, register a callback with mbedtls_ssl_conf_dbg() that prints "
           "\"file:line: |level| text\", and call mbedtls_debug_set_threshold(4) before the handshake.";
}
