/* explain.c -- builds the explanation of one pasted value (see include/tlsdoctor/explain.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cjson/cJSON.h>
#include "tlsdoctor/explain.h"
#include "tlsdoctor/mbedtls.h"
#include "tlsdoctor/reg.h"
#include "parse.h"
#include "render.h"

/* One explanation being built. */
struct ctx {
    const char *input;
    cJSON *root, *notes, *items, *facts;
    char *msg;
    size_t msglen;
};

static enum td_err fail(struct ctx *c, enum td_err e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum td_err fail(struct ctx *c, enum td_err e, const char *fmt, ...)
{
    if (c->msg && c->msglen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->msg, c->msglen, fmt, ap);
        va_end(ap);
    }
    return e;
}

static void set_title(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_title(struct ctx *c, const char *fmt, ...)
{
    char t[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t, sizeof t, fmt, ap);
    va_end(ap);
    cJSON_DeleteItemFromObjectCaseSensitive(c->root, "title");
    cJSON_AddStringToObject(c->root, "title", t);
}

static void note(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct ctx *c, const char *fmt, ...)
{
    char t[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t, sizeof t, fmt, ap);
    va_end(ap);
    cJSON_AddItemToArray(c->notes, cJSON_CreateString(t));
}

static void fact(struct ctx *c, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(c->facts, key, value);
}

/* Adds an item; any string may be NULL (then the field is left out). */
static cJSON *item(struct ctx *c, const char *name, const char *code, const char *role,
                   const char *meaning, const char *causes, const char *next)
{
    cJSON *it = cJSON_CreateObject();
    const char *keys[] = {"name", "code", "role", "meaning", "causes", "next"};
    const char *vals[] = {name, code, role, meaning, causes, next};
    for (size_t i = 0; i < 6; i++)
        if (vals[i])
            cJSON_AddStringToObject(it, keys[i], vals[i]);
    cJSON_AddItemToArray(c->items, it);
    return it;
}

static int is_name_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '-' || ch == '.' || ch == ' ';
}

/* 1 if s could be a registry name at all: letters, digits, _ - . and spaces, with a letter. */
static int name_shaped(const char *s)
{
    int letter = 0;
    for (; *s; s++) {
        if (!is_name_char(*s))
            return 0;
        letter |= (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z');
    }
    return letter;
}

/* Parses a number for a 16-bit registry; bare decimal digits that name nothing may be retried as
 * hex by the caller through n->as_hex. */
static enum td_err parse_u16(struct ctx *c, const char *s, const char *what, struct td_num *n)
{
    enum td_err e = td_num_parse(s, n);
    if (e != TD_OK || n->neg || n->mag > 0xFFFF)
        return fail(c, TD_ERR_SYNTAX, "'%s' is not a %s (a number from 0 to 0xffff, or a name)", s, what);
    return TD_OK;
}

/* ---- Mbed TLS error codes ------------------------------------------------------------------ */

static const char *lines_text(unsigned lines)
{
    switch (lines) {
    case TD_MBEDTLS_2X:
        return "Mbed TLS 2.x only";
    case TD_MBEDTLS_3X:
        return "Mbed TLS 3.x only";
    default:
        return "Mbed TLS 2.28 and 3.6";
    }
}

/* part: "high" or "low" for the halves of a combined code, else NULL. */
static void add_err_item(struct ctx *c, const struct td_mbedtls_err *e, const char *part)
{
    const char *role_prefix = !part ? NULL : !strcmp(part, "high") ? "high-level part, "
                                                                    : "low-level part underneath, ";
    char code[16], role[128];
    snprintf(code, sizeof code, "-0x%04X", (unsigned)-e->code);
    snprintf(role, sizeof role, "%s%s module, %s", role_prefix ? role_prefix : "", e->module,
             lines_text(e->lines));
    cJSON *it = item(c, e->name, code, role, e->desc, e->causes, e->next);
    cJSON *l = cJSON_AddArrayToObject(it, "lines");
    if (e->lines & TD_MBEDTLS_2X)
        cJSON_AddItemToArray(l, cJSON_CreateString("2.28"));
    if (e->lines & TD_MBEDTLS_3X)
        cJSON_AddItemToArray(l, cJSON_CreateString("3.6"));
    cJSON_AddStringToObject(it, "module", e->module);
    if (part)
        cJSON_AddStringToObject(it, "part", part);
}

static void code_facts(struct ctx *c, int code)
{
    char b[32];
    snprintf(b, sizeof b, "-0x%04X", (unsigned)-code);
    fact(c, "code", b);
    snprintf(b, sizeof b, "%d", code);
    fact(c, "decimal", b);
    snprintf(b, sizeof b, "0x%08x", (unsigned)code);
    fact(c, "u32", b);
    cJSON_AddNumberToObject(c->root, "value", code);
}

#define MAX_ROWS 4   /* rows one value can have: a 2.x name, a deprecated alias, a 3.x name */

/* Rows for exactly code into rows[0..MAX_ROWS); returns how many were stored. */
static size_t err_rows(int code, const struct td_mbedtls_err **rows)
{
    size_t n = code ? td_mbedtls_err_find(code, rows, MAX_ROWS) : 0;
    return n < MAX_ROWS ? n : MAX_ROWS;
}

/* The first of rows[0..n) present in line, or NULL. */
static const struct td_mbedtls_err *row_in(const struct td_mbedtls_err **rows, size_t n, unsigned line)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i]->lines & line)
            return rows[i];
    return NULL;
}

/* 2 if code is in the table, 1 if only its split parts are, 0 if neither. */
static int code_known(int code)
{
    const struct td_mbedtls_err *rows[MAX_ROWS];
    if (err_rows(code, rows))
        return 2;
    int hi, lo;
    td_mbedtls_err_split(code, &hi, &lo);
    return (hi && err_rows(hi, rows)) || (lo && err_rows(lo, rows));
}

static enum td_err explain_code(struct ctx *c, int code)
{
    cJSON_AddStringToObject(c->root, "kind", "mbedtls_error");
    if (code == 0) {
        set_title(c, "0 is not an error: Mbed TLS functions return 0 on success");
        cJSON_AddNumberToObject(c->root, "value", 0);
        return TD_OK;
    }
    const struct td_mbedtls_err *rows[MAX_ROWS];
    size_t n = err_rows(code, rows);
    code_facts(c, code);
    if (n) {
        const struct td_mbedtls_err *r2 = row_in(rows, n, TD_MBEDTLS_2X), *r3 = row_in(rows, n, TD_MBEDTLS_3X);
        int differs = r2 && r3 && r2 != r3;
        if (differs)
            set_title(c, "-0x%04X = %s (2.x) / %s (3.x)", (unsigned)-code, r2->name, r3->name);
        else
            set_title(c, "-0x%04X = %s", (unsigned)-code, rows[0]->name);
        for (size_t i = 0; i < n; i++)
            add_err_item(c, rows[i], NULL);
        if (differs)
            note(c, "This value means different things in Mbed TLS 2.x and 3.x: check which version "
                    "the device runs (MBEDTLS_VERSION_STRING, or the first lines of its debug log).");
        return TD_OK;
    }
    if (code <= -0x80 && code >= -0xFF)
        return fail(c, TD_ERR_UNKNOWN_NAME, "%d (-0x%04X) is in the range of PSA Crypto status codes "
                    "but not one Mbed TLS defines", code, (unsigned)-code);
    int hi, lo;
    td_mbedtls_err_split(code, &hi, &lo);
    if (hi == -0x7780 && lo) {
        /* mbedtls_strerror() prints a fatal alert alone, whatever low bits come with it */
        note(c, "Mbed TLS reports a received fatal alert without a low-level part; the extra "
                "-0x%04X is not an Mbed TLS cause.", (unsigned)-lo);
        code = hi;
        if (!err_rows(code, rows))
            return fail(c, TD_ERR_UNKNOWN_NAME, "-0x%04X is not in the table", (unsigned)-code);
        set_title(c, "-0x%04X = %s", (unsigned)-code, rows[0]->name);
        add_err_item(c, rows[0], NULL);
        return TD_OK;
    }
    const struct td_mbedtls_err *hrows[MAX_ROWS], *lrows[MAX_ROWS];
    size_t hn = hi ? err_rows(hi, hrows) : 0, ln = lo ? err_rows(lo, lrows) : 0;
    if (!hn && !ln)
        return fail(c, TD_ERR_UNKNOWN_NAME, "-0x%04X is not an Mbed TLS 2.28 or 3.6 error code", (unsigned)-code);
    set_title(c, "-0x%04X combines two Mbed TLS codes: a high-level -0x%04X and a low-level -0x%04X "
                 "underneath it (Mbed TLS adds them)", (unsigned)-code, (unsigned)-hi, (unsigned)-lo);
    for (size_t i = 0; i < hn; i++)
        add_err_item(c, hrows[i], "high");
    if (!hn)
        item(c, "unknown high-level part", NULL, NULL, "No Mbed TLS module defines this high-level code.", NULL, NULL);
    for (size_t i = 0; i < ln; i++)
        add_err_item(c, lrows[i], "low");
    if (!ln)
        item(c, "unknown low-level part", NULL, NULL, "No Mbed TLS module defines this low-level code.", NULL, NULL);
    return TD_OK;
}

static enum td_err explain_error(struct ctx *c, const char *s)
{
    const struct td_mbedtls_err *e = td_mbedtls_err_by_name(s);
    if (e)
        return explain_code(c, e->code);
    if (!td_num_looks_numeric(s) && td_num_parse(s, &(struct td_num){0}) != TD_OK) {
        if (name_shaped(s))
            return fail(c, TD_ERR_UNKNOWN_NAME, "'%s' is not an Mbed TLS error name", s);
        return fail(c, TD_ERR_SYNTAX, "'%s' is not an Mbed TLS error code or name", s);
    }
    struct td_num n;
    enum td_err pe = td_num_parse(s, &n);
    if (pe == TD_ERR_TOO_LARGE)
        return fail(c, TD_ERR_SYNTAX, "'%s' is too large to be an error code", s);
    if (pe != TD_OK)
        return fail(c, TD_ERR_SYNTAX, "'%s' is not a number (try -0x7780, 30592 or 0xffff8880)", s);
    int code;
    if (!td_num_to_mbedtls_code(&n, &code))
        return fail(c, TD_ERR_UNKNOWN_NAME,
                    "'%s' is outside the range of Mbed TLS error codes (-0x0001 to -0xFFFF)", s);
    /* "7780" is almost always meant as hex: prefer an exact hex match over a decimal reading
     * that is unknown or only a combination of parts */
    if (code && n.bare_digits && n.as_hex && n.as_hex <= 0xFFFF && code != -(int)n.as_hex) {
        int dec = code_known(code), hex = code_known(-(int)n.as_hex);
        if (hex > dec || (hex == 1 && dec == 1)) {
            note(c, "Read as hexadecimal -0x%04X: %s as a decimal number (-0x%04X) is %s.",
                 (unsigned)n.as_hex, s, (unsigned)-code,
                 dec ? "only a combination of unrelated codes" : "not an Mbed TLS code");
            code = -(int)n.as_hex;
        }
    }
    return explain_code(c, code);
}

/* ---- alerts -------------------------------------------------------------------------------- */

static enum td_err explain_alert(struct ctx *c, const char *s)
{
    unsigned level = 0, desc = 0;
    int v = -1;
    if (td_find_alert_pair(s, &level, &desc)) {
        if (level != 1 && level != 2)
            return fail(c, TD_ERR_SYNTAX, "alert level %u in '%s' is not 1 (warning) or 2 (fatal)", level, s);
        if (desc > 255)
            return fail(c, TD_ERR_SYNTAX, "alert %u in '%s' is not an alert description (0 to 255)", desc, s);
        v = (int)desc;
    } else if ((v = td_reg_alert_by_name(s)) < 0) {
        struct td_num n;
        if (td_num_parse(s, &n) != TD_OK) {
            if (name_shaped(s) && !td_num_looks_numeric(s))
                return fail(c, TD_ERR_UNKNOWN_NAME, "'%s' is not a TLS alert name", s);
            return fail(c, TD_ERR_SYNTAX, "'%s' is not an alert (a number from 0 to 255, a name, or [2:80])", s);
        }
        if (n.neg || n.mag > 255)
            return fail(c, TD_ERR_SYNTAX, "'%s' is not an alert description (0 to 255)", s);
        v = (int)n.mag;
    }
    const struct td_alert_info *a = td_reg_alert((uint8_t)v);
    if (!a)
        return fail(c, TD_ERR_UNKNOWN_NAME, "alert %d is not a registered TLS alert description", v);
    cJSON_AddStringToObject(c->root, "kind", "alert");
    cJSON_AddNumberToObject(c->root, "value", v);
    set_title(c, "alert %d = %s%s", v, a->name, level == 2 ? " (fatal)" : level == 1 ? " (warning)" : "");
    char code[16];
    snprintf(code, sizeof code, "%d", v);
    item(c, a->name, code, "TLS alert description", a->meaning, a->causes, a->next);
    if (level) {
        char l[32];
        snprintf(l, sizeof l, "%u (%s)", level, level == 2 ? "fatal" : "warning");
        fact(c, "level", l);
        cJSON_AddNumberToObject(c->root, "level", level);
    }
    if (level != 1 && v != 0)
        note(c, "When a fatal alert arrives, Mbed TLS returns MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE "
                "(-0x7780); its debug log shows it as \"got an alert message, type: [2:%d]\".", v);
    return TD_OK;
}

/* ---- X.509 verify flags -------------------------------------------------------------------- */

static const struct td_x509_flag *flag_by_name(const char *s)
{
    const char *pfx = "MBEDTLS_X509_";
    if (!strncasecmp(s, pfx, strlen(pfx)))
        s += strlen(pfx);
    for (size_t i = 0; td_x509_flag_at(i); i++)
        if (!strcasecmp(td_x509_flag_at(i)->name + strlen(pfx), s))
            return td_x509_flag_at(i);
    return NULL;
}

static enum td_err explain_flags(struct ctx *c, const char *s)
{
    uint64_t v;
    const struct td_x509_flag *byname = flag_by_name(s);
    struct td_num n;
    if (byname) {
        v = byname->bit;
    } else {
        enum td_err pe = td_num_parse(s, &n);
        if (pe != TD_OK || n.neg)
            return fail(c, TD_ERR_SYNTAX, "'%s' is not a verify-flags value (hex, e.g. 0x0208, or a flag name)", s);
        /* Mbed TLS prints verify flags in hex, so bare digits are hex too */
        v = n.bare_digits ? n.as_hex : n.mag;
        if (n.bare_digits && (v > 0xFFFFFFFFu || strlen(s) > 8))
            return fail(c, TD_ERR_SYNTAX, "'%s' is too large for 32-bit verify flags", s);
        if (v > 0xFFFFFFFFu)
            return fail(c, TD_ERR_SYNTAX, "'%s' is too large for 32-bit verify flags", s);
    }
    cJSON_AddStringToObject(c->root, "kind", "x509_flags");
    cJSON_AddNumberToObject(c->root, "value", (double)v);
    if (v == 0) {
        set_title(c, "x509 verify flags 0x00000000: no flag set, the certificate chain verified");
        return TD_OK;
    }
    const struct td_x509_flag *set[32];
    uint32_t unknown;
    size_t k = td_x509_flags_decode((uint32_t)v, set, 32, &unknown);
    if (!k)
        return fail(c, TD_ERR_UNKNOWN_NAME, "0x%08x holds no X.509 verify flag Mbed TLS defines", (unsigned)v);
    set_title(c, "x509 verify flags 0x%08x: %zu problem%s with the certificate chain", (unsigned)v, k,
              k == 1 ? "" : "s");
    if (!byname && n.bare_digits)
        note(c, "Read as hexadecimal, as Mbed TLS prints verify flags.");
    for (size_t i = 0; i < k && i < 32; i++) {
        char code[16];
        snprintf(code, sizeof code, "0x%08x", set[i]->bit);
        item(c, set[i]->name, code, NULL, set[i]->desc, NULL, set[i]->next);
    }
    if (unknown) {
        char b[16];
        snprintf(b, sizeof b, "0x%08x", unknown);
        fact(c, "unknown_bits", b);
        note(c, "Bits 0x%08x are not verify flags Mbed TLS defines.", unknown);
    }
    note(c, "mbedtls_ssl_get_verify_result() returns these flags; mbedtls_x509_crt_verify_info() "
            "prints them on the device.");
    return TD_OK;
}

/* ---- cipher suites ------------------------------------------------------------------------- */

static const char *kx_config(const struct td_suite *s)
{
    static const struct {
        const char *kx, *auth, *macro;
    } map[] = {
        {"ECDHE", "ECDSA", "MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED"},
        {"ECDHE", "RSA", "MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED"},
        {"DHE", "RSA", "MBEDTLS_KEY_EXCHANGE_DHE_RSA_ENABLED"},
        {"RSA", "RSA", "MBEDTLS_KEY_EXCHANGE_RSA_ENABLED"},
        {"PSK", "PSK", "MBEDTLS_KEY_EXCHANGE_PSK_ENABLED"},
        {"DHE_PSK", "PSK", "MBEDTLS_KEY_EXCHANGE_DHE_PSK_ENABLED"},
        {"ECDHE_PSK", "PSK", "MBEDTLS_KEY_EXCHANGE_ECDHE_PSK_ENABLED"},
        {"RSA_PSK", "RSA", "MBEDTLS_KEY_EXCHANGE_RSA_PSK_ENABLED"},
        {"ECDH", "ECDSA", "MBEDTLS_KEY_EXCHANGE_ECDH_ECDSA_ENABLED"},
        {"ECDH", "RSA", "MBEDTLS_KEY_EXCHANGE_ECDH_RSA_ENABLED"},
        {"ECJPAKE", "ECJPAKE", "MBEDTLS_KEY_EXCHANGE_ECJPAKE_ENABLED"},
        {"any", "any", "MBEDTLS_SSL_PROTO_TLS1_3 (Mbed TLS 3.x)"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i].kx, s->kx) && !strcmp(map[i].auth, s->auth))
            return map[i].macro;
    return NULL;
}

static const char *auth_needs(const struct td_suite *s)
{
    if (!strcmp(s->auth, "ECDSA"))
        return "It needs an ECDSA server certificate (an EC key such as P-256): a server that only has "
               "an RSA certificate cannot choose it.";
    if (!strcmp(s->auth, "RSA"))
        return "It needs an RSA server certificate: a server that only has an ECDSA certificate cannot "
               "choose it.";
    if (!strcmp(s->auth, "DSS"))
        return "It needs a DSA server certificate; DSA is obsolete and Mbed TLS does not support it.";
    if (!strcmp(s->auth, "PSK"))
        return "It needs a pre-shared key on both sides (mbedtls_ssl_conf_psk()) and no certificate.";
    if (!strcmp(s->auth, "anon"))
        return "It has no authentication at all: anyone in the path can impersonate the server.";
    if (!strcmp(s->auth, "any"))
        return "A TLS 1.3 suite: the certificate type and the key-exchange group are negotiated "
               "separately (signature_algorithms, supported_groups / key_share).";
    if (!strcmp(s->auth, "SCSV"))
        return "Not a real cipher suite: a signal a client puts in its suite list (RFC 5746, RFC 7507).";
    if (!strcmp(s->auth, "GREASE"))
        return "A GREASE value (RFC 8701): reserved and meaningless; clients send it so that servers "
               "keep ignoring values they do not know.";
    return NULL;
}

static const char *kx_says(const struct td_suite *s)
{
    if (!strcmp(s->kx, "ECDHE"))
        return "Forward secrecy through ephemeral ECDH: client and server need a curve in common "
               "(supported_groups).";
    if (!strcmp(s->kx, "DHE"))
        return "Forward secrecy through ephemeral finite-field DH: slow on small microcontrollers, and "
               "the server picks the group size.";
    if (!strcmp(s->kx, "RSA"))
        return "RSA key transport: no forward secrecy; many current servers no longer enable these suites.";
    if (!strcmp(s->kx, "ECDH"))
        return "Static ECDH with the certificate key: rare, and Mbed TLS 3.x dropped it.";
    return NULL;
}

static const char *version_span(const struct td_suite *s, char *b, size_t cap)
{
    const char *lo = td_reg_version_name(s->min_version), *hi = td_reg_version_name(s->max_version);
    if (s->min_version == s->max_version)
        snprintf(b, cap, "%s only", lo ? lo : "?");
    else
        snprintf(b, cap, "%s to %s", lo ? lo : "?", hi ? hi : "?");
    return b;
}

static enum td_err explain_suite_row(struct ctx *c, const struct td_suite *s)
{
    char code[8], vers[64], mean[512], macro[128];
    snprintf(code, sizeof code, "0x%04x", s->id);
    cJSON_AddStringToObject(c->root, "kind", "suite");
    cJSON_AddNumberToObject(c->root, "value", s->id);
    set_title(c, "suite %s = %s", code, s->name);
    version_span(s, vers, sizeof vers);
    snprintf(mean, sizeof mean, "Key exchange %s, authentication %s, cipher %s, MAC/PRF hash %s; %s.",
             s->kx, s->auth, s->cipher, s->mac, vers);
    const char *needs = auth_needs(s), *kx = kx_says(s);
    char causes[768];
    snprintf(causes, sizeof causes, "%s%s%s", needs ? needs : "", needs && kx ? " " : "", kx ? kx : "");
    char next[512];
    if (s->mbedtls_name)
        snprintf(next, sizeof next, "In Mbed TLS it needs %s%s%s.", kx_config(s) ? kx_config(s) : "its key exchange",
                 strstr(s->cipher, "GCM") ? " and MBEDTLS_GCM_C" :
                 strstr(s->cipher, "CCM") ? " and MBEDTLS_CCM_C" :
                 strstr(s->cipher, "CHACHA20") ? " and MBEDTLS_CHACHAPOLY_C" :
                 strstr(s->cipher, "CBC") ? " and MBEDTLS_CIPHER_MODE_CBC" : "",
                 strncmp(s->cipher, "AES", 3) ? "" : " (AES: MBEDTLS_AES_C)");
    else
        snprintf(next, sizeof next, "Mbed TLS does not implement this suite.");
    cJSON *it = item(c, s->name, code, "cipher suite", mean, NULL, next);
    if (causes[0])
        cJSON_AddStringToObject(it, "needs", causes);
    fact(c, "iana_name", s->name);
    fact(c, "mbedtls_name", s->mbedtls_name);
    if (s->mbedtls_name) {
        if (s->min_version == 0x0304)
            snprintf(macro, sizeof macro, "MBEDTLS_TLS1_3_%s", s->name + 4);
        else
            snprintf(macro, sizeof macro, "MBEDTLS_%s", s->name);
        fact(c, "mbedtls_macro", macro);
    }
    fact(c, "kx", s->kx);
    fact(c, "auth", s->auth);
    fact(c, "cipher", s->cipher);
    fact(c, "mac", s->mac);
    fact(c, "versions", vers);
    return TD_OK;
}

static enum td_err explain_suite(struct ctx *c, const char *s)
{
    const struct td_suite *row = td_reg_suite_by_name(s);
    if (row)
        return explain_suite_row(c, row);
    if (!td_num_looks_numeric(s) && name_shaped(s) && td_num_parse(s, &(struct td_num){0}) != TD_OK)
        return fail(c, TD_ERR_UNKNOWN_NAME, "'%s' is not a cipher suite name tlsdoctor knows", s);
    struct td_num n;
    enum td_err e = parse_u16(c, s, "cipher suite", &n);
    if (e != TD_OK)
        return e;
    row = td_reg_suite((uint16_t)n.mag);
    if (!row && n.bare_digits && n.as_hex && n.as_hex <= 0xFFFF && (row = td_reg_suite((uint16_t)n.as_hex)))
        note(c, "Read as hexadecimal (as Mbed TLS logs print suites): %s as a decimal number is not a suite.", s);
    if (!row)
        return fail(c, TD_ERR_UNKNOWN_NAME, "0x%04x is not a registered cipher suite", (unsigned)n.mag);
    return explain_suite_row(c, row);
}

/* ---- groups, signature algorithms, extensions, versions ------------------------------------ */

/* Looks a 16-bit value up by name or number; bare decimal digits fall back to hex. */
static enum td_err lookup_u16(struct ctx *c, const char *s, const char *what,
                              int (*by_name)(const char *), const char *(*by_id)(uint16_t),
                              uint16_t *out)
{
    int v = by_name ? by_name(s) : -1;
    if (v >= 0) {
        *out = (uint16_t)v;
        return TD_OK;
    }
    if (!td_num_looks_numeric(s) && name_shaped(s) && td_num_parse(s, &(struct td_num){0}) != TD_OK)
        return fail(c, TD_ERR_UNKNOWN_NAME, "'%s' is not a %s name tlsdoctor knows", s, what);
    struct td_num n;
    enum td_err e = parse_u16(c, s, what, &n);
    if (e != TD_OK)
        return e;
    if (!by_id((uint16_t)n.mag) && n.bare_digits && n.as_hex && n.as_hex <= 0xFFFF &&
        by_id((uint16_t)n.as_hex)) {
        note(c, "Read as hexadecimal: %s as a decimal number is not a %s.", s, what);
        n.mag = n.as_hex;
    }
    if (!by_id((uint16_t)n.mag))
        return fail(c, TD_ERR_UNKNOWN_NAME, "%u (0x%04x) is not a registered %s", (unsigned)n.mag,
                    (unsigned)n.mag, what);
    *out = (uint16_t)n.mag;
    return TD_OK;
}

static const char *group_type(uint16_t g)
{
    if (td_reg_is_grease(g))
        return "GREASE value (RFC 8701): meaningless, sent to keep servers tolerant";
    if (g >= 0x0100 && g <= 0x01FF)
        return "finite-field Diffie-Hellman group (RFC 7919)";
    if ((g >= 0x0200 && g <= 0x02FF) || (g >= 0x11EB && g <= 0x11ED) || g == 0x6399 || g == 0x639A)
        return "post-quantum or hybrid key exchange (ML-KEM / Kyber); Mbed TLS 2.28 and 3.6 do not support it";
    if (g >= 0xFF01)
        return "explicit curve parameters (deprecated, RFC 8422)";
    return "elliptic curve";
}

static enum td_err explain_group(struct ctx *c, const char *s)
{
    uint16_t g = 0;
    enum td_err e = lookup_u16(c, s, "group", td_reg_group_by_name, td_reg_group_name, &g);
    if (e != TD_OK)
        return e;
    const char *name = td_reg_group_name(g), *opt = td_reg_group_mbedtls_option(g);
    char code[8], mean[256], next[256];
    snprintf(code, sizeof code, "%u", g);
    cJSON_AddStringToObject(c->root, "kind", "group");
    cJSON_AddNumberToObject(c->root, "value", g);
    set_title(c, "group %u (0x%04x) = %s", g, g, name);
    snprintf(mean, sizeof mean, "A key-exchange group: %s. Both sides need one in common "
             "(supported_groups; in TLS 1.3 also a key_share on it).", group_type(g));
    if (opt)
        snprintf(next, sizeof next, "In Mbed TLS: %s.", opt);
    else
        snprintf(next, sizeof next, "Mbed TLS has no support for this group.");
    item(c, name, code, "supported group", mean, NULL, next);
    fact(c, "type", group_type(g));
    fact(c, "mbedtls_config", opt);
    return TD_OK;
}

static const char *sigalg_says(const char *name)
{
    if (!strncmp(name, "rsa_pss_rsae", 12))
        return "RSA-PSS with an ordinary RSA key. TLS 1.3 requires it for RSA certificates; Mbed TLS "
               "needs PKCS#1 v2.1 (MBEDTLS_PKCS1_V21) for it, and some Mbed TLS TLS 1.2 clients refuse "
               "a server that signs with it (illegal_parameter).";
    if (!strncmp(name, "rsa_pss_pss", 11))
        return "RSA-PSS with an RSA-PSS key (rare).";
    if (!strncmp(name, "rsa_pkcs1", 9))
        return "RSA PKCS#1 v1.5: fine for TLS 1.2 and for certificate signatures, not allowed for TLS 1.3 "
               "handshake signatures.";
    if (!strncmp(name, "ecdsa", 5))
        return "ECDSA; in TLS 1.3 the name also fixes the curve.";
    if (!strncmp(name, "ed", 2))
        return "EdDSA: Mbed TLS 2.28 and 3.6 do not support it.";
    return NULL;
}

static enum td_err explain_sigalg(struct ctx *c, const char *s)
{
    uint16_t v = 0;
    enum td_err e = lookup_u16(c, s, "signature algorithm", td_reg_sigalg_by_name, td_reg_sigalg_name, &v);
    if (e != TD_OK)
        return e;
    const char *name = td_reg_sigalg_name(v);
    char code[8], mean[512];
    snprintf(code, sizeof code, "0x%04x", v);
    cJSON_AddStringToObject(c->root, "kind", "sigalg");
    cJSON_AddNumberToObject(c->root, "value", v);
    set_title(c, "sigalg 0x%04x = %s", v, name);
    const char *says = td_reg_is_grease(v) ? "A GREASE value (RFC 8701): meaningless." : sigalg_says(name);
    int pair = td_reg_sigalg_is_tls12_pair(v);
    snprintf(mean, sizeof mean, "A signature algorithm a peer accepts (signature_algorithms)%s.%s%s",
             pair ? "; a TLS 1.2 hash/signature pair (hash byte, then signature byte)" : "",
             says ? " " : "", says ? says : "");
    if (strstr(name, "sha1") || strstr(name, "md5"))
        strncat(mean, " Its hash is weak: modern servers refuse it.", sizeof mean - strlen(mean) - 1);
    item(c, name, code, "signature scheme", mean, NULL, NULL);
    fact(c, "tls12_pair", pair ? "yes" : "no");
    return TD_OK;
}

static enum td_err explain_ext(struct ctx *c, const char *s)
{
    uint16_t v = 0;
    enum td_err e = lookup_u16(c, s, "extension type", td_reg_ext_by_name, td_reg_ext_name, &v);
    if (e != TD_OK)
        return e;
    const char *name = td_reg_ext_name(v), *n = td_reg_ext_note(v);
    char code[8];
    snprintf(code, sizeof code, "%u", v);
    cJSON_AddStringToObject(c->root, "kind", "ext");
    cJSON_AddNumberToObject(c->root, "value", v);
    set_title(c, "extension %u (0x%04x) = %s", v, v, name);
    item(c, name, code, "extension type",
         n ? n : td_reg_is_grease(v) ? "A GREASE value (RFC 8701): meaningless, sent to keep servers tolerant."
               : "A TLS extension type; tlsdoctor has no further note on it.", NULL, NULL);
    return TD_OK;
}

static int version_by_name(const char *s)
{
    static const uint16_t cands[] = {0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0xFEFF, 0xFEFD, 0xFEFC};
    for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++) {
        const char *n = td_reg_version_name(cands[i]);
        char squeezed[32];
        size_t k = 0;
        for (const char *p = n; *p && k + 1 < sizeof squeezed; p++)
            if (*p != ' ')
                squeezed[k++] = *p;
        squeezed[k] = '\0';
        if (!strcasecmp(s, n) || !strcasecmp(s, squeezed))
            return cands[i];
    }
    return -1;
}

static enum td_err explain_version(struct ctx *c, const char *s)
{
    unsigned maj, min;
    uint16_t v = 0;
    if (td_find_alert_pair(s, &maj, &min)) {
        if (maj > 255 || min > 255)
            return fail(c, TD_ERR_SYNTAX, "'%s' is not a [major:minor] version", s);
        v = (uint16_t)(maj << 8 | min);
        if (!td_reg_version_name(v))
            return fail(c, TD_ERR_UNKNOWN_NAME, "%s is not a known protocol version", s);
    } else {
        enum td_err e = lookup_u16(c, s, "protocol version", version_by_name, td_reg_version_name, &v);
        if (e != TD_OK)
            return e;
    }
    const char *name = td_reg_version_name(v);
    char code[8], mean[256];
    snprintf(code, sizeof code, "0x%04x", v);
    cJSON_AddStringToObject(c->root, "kind", "version");
    cJSON_AddNumberToObject(c->root, "value", v);
    set_title(c, "version 0x%04x [%u:%u] = %s", v, (unsigned)v >> 8, (unsigned)v & 0xFFu, name);
    const char *next = v == 0x0304 ? "Mbed TLS 3.x: MBEDTLS_SSL_PROTO_TLS1_3 (2.28 has only an experimental TLS 1.3)."
                     : v == 0x0303 ? "Mbed TLS: MBEDTLS_SSL_PROTO_TLS1_2."
                     : (v == 0xFEFD || v == 0xFEFC || v == 0xFEFF) ? "Mbed TLS: MBEDTLS_SSL_PROTO_DTLS."
                     : (v >= 0x0300 && v <= 0x0302) ? "Obsolete: Mbed TLS 3.x removed it and current servers refuse it."
                     : "Not something a current peer speaks.";
    snprintf(mean, sizeof mean, "A protocol version as it appears on the wire (Mbed TLS logs write it as [%u:%u]).",
             (unsigned)v >> 8, (unsigned)v & 0xFFu);
    item(c, name, code, "protocol version", mean, NULL, next);
    return TD_OK;
}

/* ---- dispatch ------------------------------------------------------------------------------ */

/* Copies the run of hex digits (after an optional "0x") at p into tok; returns its length. */
static size_t hex_token(const char *p, char *tok, size_t cap)
{
    size_t n = 0;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        p += 2;
    while (n + 1 < cap && ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F')))
        tok[n++] = *p++;
    tok[n] = '\0';
    return n;
}

/* A pasted log line: "! Certificate verification flags 00000200" explains the flags, a line
 * holding "-0x2700" (e.g. "x509_verify_cert() returned -9984 (-0x2700)") the code. Returns -1
 * when the line holds neither, else the result of explaining what it found. */
static int explain_log_line(struct ctx *c, const char *s, enum td_err *e)
{
    char tok[24];
    const char *f = strstr(s, "verification flags ");
    if (f && hex_token(f + strlen("verification flags "), tok, sizeof tok)) {
        note(c, "Found verify flags %s in the pasted line.", tok);
        *e = explain_flags(c, tok);
        return 0;
    }
    for (const char *p = strstr(s, "-0x"); p; p = strstr(p + 1, "-0x")) {
        if (hex_token(p + 1, tok, sizeof tok) && strlen(tok) <= 4) {
            char code[32];
            snprintf(code, sizeof code, "-0x%s", tok);
            note(c, "Found %s in the pasted line.", code);
            *e = explain_error(c, code);
            return 0;
        }
    }
    return -1;
}

static enum td_err explain_auto(struct ctx *c, const char *s)
{
    unsigned l, d;
    if (td_find_alert_pair(s, &l, &d))
        return explain_alert(c, s);
    enum td_err le;
    if (strchr(s, ' ') && explain_log_line(c, s, &le) == 0)
        return le;
    if (td_num_looks_numeric(s) || !strncasecmp(s, "MBEDTLS_ERR_", 12) || td_mbedtls_err_by_name(s))
        return explain_error(c, s);
    if (!strncasecmp(s, "MBEDTLS_X509_", 13))
        return explain_flags(c, s);
    if (td_reg_alert_by_name(s) >= 0)
        return explain_alert(c, s);
    if (td_reg_suite_by_name(s))
        return explain_suite(c, s);
    if (td_reg_group_by_name(s) >= 0)
        return explain_group(c, s);
    if (td_reg_sigalg_by_name(s) >= 0)
        return explain_sigalg(c, s);
    if (td_reg_ext_by_name(s) >= 0)
        return explain_ext(c, s);
    struct td_num n;
    if (td_num_parse(s, &n) == TD_OK)   /* hex without 0x, e.g. ffff8880 */
        return explain_error(c, s);
    if (name_shaped(s))
        return fail(c, TD_ERR_UNKNOWN_NAME, "'%s' is not a value or name tlsdoctor knows "
                    "(try 'tlsdoctor explain --help')", s);
    return fail(c, TD_ERR_SYNTAX, "'%s' is not a number or a name", s);
}

int td_explain_kind_parse(const char *w, enum td_explain_kind *kind)
{
    static const struct {
        const char *word;
        enum td_explain_kind kind;
    } words[] = {
        {"error", TD_EXPLAIN_ERROR}, {"err", TD_EXPLAIN_ERROR}, {"code", TD_EXPLAIN_ERROR},
        {"alert", TD_EXPLAIN_ALERT}, {"x509-flags", TD_EXPLAIN_X509_FLAGS},
        {"x509_flags", TD_EXPLAIN_X509_FLAGS}, {"flags", TD_EXPLAIN_X509_FLAGS},
        {"suite", TD_EXPLAIN_SUITE}, {"ciphersuite", TD_EXPLAIN_SUITE}, {"cipher", TD_EXPLAIN_SUITE},
        {"group", TD_EXPLAIN_GROUP}, {"curve", TD_EXPLAIN_GROUP}, {"sigalg", TD_EXPLAIN_SIGALG},
        {"ext", TD_EXPLAIN_EXT}, {"extension", TD_EXPLAIN_EXT}, {"version", TD_EXPLAIN_VERSION},
    };
    for (size_t i = 0; w && i < sizeof words / sizeof words[0]; i++) {
        if (!strcasecmp(w, words[i].word)) {
            *kind = words[i].kind;
            return 0;
        }
    }
    return -1;
}

static enum td_err dispatch(struct ctx *c, enum td_explain_kind kind, const char *s)
{
    switch (kind) {
    case TD_EXPLAIN_ERROR:
        return explain_error(c, s);
    case TD_EXPLAIN_ALERT:
        return explain_alert(c, s);
    case TD_EXPLAIN_X509_FLAGS:
        return explain_flags(c, s);
    case TD_EXPLAIN_SUITE:
        return explain_suite(c, s);
    case TD_EXPLAIN_GROUP:
        return explain_group(c, s);
    case TD_EXPLAIN_SIGALG:
        return explain_sigalg(c, s);
    case TD_EXPLAIN_EXT:
        return explain_ext(c, s);
    case TD_EXPLAIN_VERSION:
        return explain_version(c, s);
    case TD_EXPLAIN_AUTO:
        return explain_auto(c, s);
    }
    return fail(c, TD_ERR_ARG, "unknown kind");
}

/* Copies value without surrounding blanks into a bounded buffer. */
static enum td_err trimmed(const char *value, char *buf, size_t cap)
{
    while (*value == ' ' || *value == '\t' || *value == '\n' || *value == '\r')
        value++;
    size_t n = strlen(value);
    while (n && (value[n - 1] == ' ' || value[n - 1] == '\t' || value[n - 1] == '\n' || value[n - 1] == '\r'))
        n--;
    if (n >= cap)
        return TD_ERR_TOO_LARGE;
    memcpy(buf, value, n);
    buf[n] = '\0';
    return TD_OK;
}

enum td_err td_explain(enum td_explain_kind kind, const char *value, unsigned flags,
                       struct td_buf *out, char *msg, size_t msglen)
{
    struct ctx c = {.msg = msg, .msglen = msglen};
    if (msg && msglen)
        msg[0] = '\0';
    if (!value || !out)
        return fail(&c, TD_ERR_ARG, "nothing to explain");
    char s[1024];
    if (trimmed(value, s, sizeof s) != TD_OK)
        return fail(&c, TD_ERR_SYNTAX, "the value is too long (more than %zu characters)", sizeof s - 1);
    if (!*s)
        return fail(&c, TD_ERR_SYNTAX, "the value is empty");
    c.input = s;
    c.root = cJSON_CreateObject();
    if (!c.root)
        return fail(&c, TD_ERR_NOMEM, "out of memory");
    cJSON_AddStringToObject(c.root, "schema", "tlsdoctor.explain/1");
    cJSON_AddStringToObject(c.root, "input", s);
    c.notes = cJSON_AddArrayToObject(c.root, "notes");
    c.items = cJSON_AddArrayToObject(c.root, "items");
    c.facts = cJSON_AddObjectToObject(c.root, "facts");
    enum td_err e = c.notes && c.items && c.facts ? dispatch(&c, kind, s) : TD_ERR_NOMEM;
    if (e == TD_OK) {
        size_t before = out->len;
        if (flags & TD_EXPLAIN_JSON) {
            char *j = cJSON_Print(c.root);
            if (!j) {
                e = fail(&c, TD_ERR_NOMEM, "out of memory");
            } else {
                td_buf_puts(out, j);
                td_buf_putc(out, '\n');
                cJSON_free(j);
            }
        } else {
            td_explain_render_text(c.root, out);
        }
        if (e == TD_OK && out->err != TD_OK) {
            e = fail(&c, out->err, "the explanation does not fit the output buffer");
            out->len = before;
            if (out->p)
                out->p[before] = '\0';
        }
    }
    cJSON_Delete(c.root);
    return e;
}
