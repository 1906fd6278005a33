/* td_cutall.c -- "cut everything everywhere" (issue 15): cuts every input it is given the way a
 * paste, a full disk or a capture stopped early cuts it, and runs each cut through every output
 * mode of the CLI, in this process, through the CLI's own entry points (src/tool_*.c, linked in:
 * the same argument handling, library calls and exit codes as `tlsdoctor`, without an exec per
 * run). Built with the sanitizers in the ASan build, so a crash, an out-of-bounds access or UB
 * stops it there; leaks are checked after each input file.
 *
 * Cuts of a text (log) input: after a sample of lines, and inside a sample of lines (at a random
 * byte and right after the line's first ':'). Cuts of a classic pcap: inside the file header, at
 * every packet boundary, inside every packet, and every packet's captured length shortened in
 * place (the TCP payload truncated as by a small snaplen, the file going on: at every TLS record
 * boundary and inside every record of the packet, else at a random byte). Other binary input
 * (pcapng): a sample of byte offsets. Each check: the exit code is one the contract allows for a
 * well-formed command line (0, 1 or 3: README "Exit codes", tlsdoctor(1)), diagnose exits as
 * log/pcap do on the same input, JSON output parses, no output prints "(null)" (a NULL string
 * handed to printf), and what `log --pcap-out` wrote reads back as a capture with TLS in it.
 *
 * usage: td_cutall [-s SEED] [-n LINES] WORKDIR FILE...
 *   -s SEED   the sampling seed (default: from the clock); printed, and given on every failure
 *   -n LINES  text inputs: how many line ends and how many in-line points to cut at (default 24)
 * WORKDIR receives the current cut (cut.in), the mode running (state: kept if a sanitizer stops
 * the process) and each run's stdout/stderr. Exit: 0 clean, 1 failures (listed), 2 usage. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "tool.h"
#include "tlsdoctor/capture.h"

/* LeakSanitizer's check between files, when the sanitizers are linked in. */
int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

#define MAX_FAILURES 10
#define CUT "@CUT@"
#define PCAP_OUT "@PCAPOUT@"

struct mode {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *argv[6];
    int json;  /* stdout must parse as JSON (when the exit code is 0 or 1) */
};

static const struct mode modes[] = {
    {"log", tool_log_main, {"log", CUT}, 0},
    {"log --json", tool_log_main, {"log", "--json", CUT}, 1},
    {"log --timeline", tool_log_main, {"log", "--timeline", CUT}, 0},
    {"log --timeline --all --ascii", tool_log_main, {"log", "--timeline", "--all", "--ascii", CUT}, 0},
    {"log --events", tool_log_main, {"log", "--events", CUT}, 0},
    {"log --transcripts", tool_log_main, {"log", "--transcripts", CUT}, 1},
    {"log --pcap-out", tool_log_main, {"log", "--pcap-out", PCAP_OUT, CUT}, 0},
    {"diagnose --log", tool_diagnose_main, {"diagnose", "--log", CUT}, 0},
    {"diagnose --pcap", tool_diagnose_main, {"diagnose", "--pcap", CUT}, 0},
    {"pcap", tool_pcap_main, {"pcap", CUT}, 0},
    {"pcap --json", tool_pcap_main, {"pcap", "--json", CUT}, 1},
    {"decode", tool_decode_main, {"decode", CUT}, 0},
};
#define N_MODES (sizeof modes / sizeof modes[0])
/* modes that must exit alike on the same input: diagnose --log as log, diagnose --pcap as pcap */
static const size_t same_exit[][2] = {{7, 0}, {8, 9}};
#define N_MODES_MAX 16
_Static_assert(sizeof modes / sizeof modes[0] <= N_MODES_MAX, "raise N_MODES_MAX");

struct run {
    const char *dir;
    char cut_path[4096], out_path[4096], err_path[4096], state_path[4096], pcap_path[4096];
    int out_fd, err_fd, state_fd, saved_out, saved_err;
    unsigned long long seed;
    uint64_t rng;
    size_t lines;            /* -n */
    size_t cuts, runs, failures;
    size_t pcaps_read;       /* --pcap-out captures with records, read back */
    size_t rc_count[N_MODES_MAX][4];  /* per mode: runs that exited 0, 1, 3, other */
    char *buf;               /* a run's stdout, read back */
    size_t buf_cap;
};

static uint64_t rnd(struct run *r)
{
    uint64_t x = r->rng; /* xorshift64 */
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return r->rng = x;
}

static size_t rnd_below(struct run *r, size_t n)
{
    return n ? (size_t)(rnd(r) % n) : 0;
}

static int write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = n ? fwrite(p, 1, n, f) : 0;
    return fclose(f) == 0 && w == n ? 0 : -1;
}

/* What runs now, for when a sanitizer stops the process: one pwrite of a fixed-size record. */
static void set_state(struct run *r, const char *file, const char *what, const char *mode)
{
    char s[1024];
    memset(s, ' ', sizeof s);
    int n = snprintf(s, sizeof s - 1, "seed=%llu\nfile=%s\ncut=%s\nmode=%s\n", r->seed, file, what, mode);
    if (n > 0 && (size_t)n < sizeof s - 1)
        s[n] = ' ';
    s[sizeof s - 1] = '\n';
    if (pwrite(r->state_fd, s, sizeof s, 0) != (ssize_t)sizeof s)
        perror("td_cutall: writing the state");
}

/* Reads the run's stdout back into r->buf (NUL-terminated). */
static size_t read_output(struct run *r)
{
    off_t end = lseek(r->out_fd, 0, SEEK_END);
    size_t n = end > 0 ? (size_t)end : 0;
    if (n + 1 > r->buf_cap) {
        char *b = realloc(r->buf, n + 1);
        if (!b)
            return 0;
        r->buf = b;
        r->buf_cap = n + 1;
    }
    ssize_t got = n ? pread(r->out_fd, r->buf, n, 0) : 0;
    n = got > 0 ? (size_t)got : 0;
    r->buf[n] = '\0';
    return n;
}

static int has_null_string(const char *p, size_t n)
{
    for (const char *q = p; (q = memchr(q, '(', n - (size_t)(q - p))) != NULL; q++)
        if (n - (size_t)(q - p) >= 6 && !memcmp(q, "(null)", 6))
            return 1;
    return 0;
}

static void show_stderr(const struct run *r)
{
    char b[2048];
    ssize_t n = pread(r->err_fd, b, sizeof b - 1, 0);
    b[n > 0 ? n : 0] = '\0';
    fprintf(stderr, "%s", b);
}

static void fail(struct run *r, const char *file, const char *what, const struct mode *m, const char *why)
{
    r->failures++;
    fprintf(stderr, "FAIL: %s cut %s, mode '%s': %s (reproduce: TD_CUT_SEED=%llu)\n", file, what,
            m->name, why, r->seed);
    show_stderr(r);
    char keep[4200];
    snprintf(keep, sizeof keep, "%s/failure-%zu.in", r->dir, r->failures);
    if (rename(r->cut_path, keep) == 0)
        fprintf(stderr, "      the cut input is kept as %s\n", keep);
}

/* Runs mode m on the cut in r->cut_path and checks what it did. */
static int run_mode(struct run *r, size_t mi, const char *file, const char *what)
{
    const struct mode *m = &modes[mi];
    char *argv[8] = {0};
    int argc = 0;
    for (; argc < 6 && m->argv[argc]; argc++)
        argv[argc] = (char *)(uintptr_t)(!strcmp(m->argv[argc], CUT) ? r->cut_path
                                         : !strcmp(m->argv[argc], PCAP_OUT) ? r->pcap_path
                                                                            : m->argv[argc]);
    set_state(r, file, what, m->name);
    fflush(stdout);
    fflush(stderr);
    if (ftruncate(r->out_fd, 0) || ftruncate(r->err_fd, 0) || dup2(r->out_fd, STDOUT_FILENO) < 0 ||
        dup2(r->err_fd, STDERR_FILENO) < 0) {
        perror("td_cutall: redirecting the output");
        exit(2);
    }
    lseek(r->out_fd, 0, SEEK_SET);
    lseek(r->err_fd, 0, SEEK_SET);
    int rc = m->run(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(r->saved_out, STDOUT_FILENO);
    dup2(r->saved_err, STDERR_FILENO);
    r->runs++;
    r->rc_count[mi][rc == 0 ? 0 : rc == 1 ? 1 : rc == 3 ? 2 : 3]++;
    size_t n = read_output(r);
    char why[128];
    if (rc != TD_EXIT_OK && rc != TD_EXIT_FINDING && rc != TD_EXIT_NOTHING) {
        snprintf(why, sizeof why, "exit code %d, not 0, 1 or 3", rc);
        fail(r, file, what, m, why);
    } else if (has_null_string(r->buf, n)) {
        fail(r, file, what, m, "the output prints \"(null)\"");
    } else if (m->json && rc != TD_EXIT_NOTHING && n) {
        cJSON *j = cJSON_Parse(r->buf);
        if (!j)
            fail(r, file, what, m, "the JSON output does not parse");
        cJSON_Delete(j);
    }
    return rc;
}

/* What `log --pcap-out` wrote reads back as a capture with a TLS connection in it (a file of only
 * the 24-byte header holds no record: nothing to read back). */
static void check_pcap_out(struct run *r, const char *file, const char *what)
{
    FILE *f = fopen(r->pcap_path, "rb");
    if (!f)
        return;
    static uint8_t buf[1 << 22];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    if (n <= 24)
        return;
    struct td_capture c;
    td_capture_init(&c);
    enum td_err e = td_capture_read(buf, n, NULL, &c, NULL);
    if (e != TD_OK || c.set.n == 0)
        fail(r, file, what, &modes[6], "the capture it wrote does not read back as TLS");
    r->pcaps_read++;
    td_capture_free(&c);
}

static void run_cut(struct run *r, const char *file, const char *what, const void *p, size_t n)
{
    if (r->failures >= MAX_FAILURES)
        return;
    if (write_file(r->cut_path, p, n)) {
        fprintf(stderr, "td_cutall: %s: %s\n", r->cut_path, strerror(errno));
        exit(2);
    }
    r->cuts++;
    unlink(r->pcap_path);
    int rc[N_MODES_MAX];
    for (size_t i = 0; i < N_MODES_MAX; i++)
        rc[i] = -1;
    for (size_t i = 0; i < N_MODES && r->failures < MAX_FAILURES; i++)
        rc[i] = run_mode(r, i, file, what);
    /* diagnose says what the command of the same input says (README, tlsdoctor(1)) */
    for (size_t i = 0; i < sizeof same_exit / sizeof same_exit[0] && r->failures < MAX_FAILURES; i++) {
        size_t a = same_exit[i][0], b = same_exit[i][1];
        if (rc[a] >= 0 && rc[b] >= 0 && rc[a] != rc[b]) {
            char why[160];
            snprintf(why, sizeof why, "exit %d, but '%s' exits %d", rc[a], modes[b].name, rc[b]);
            fail(r, file, what, &modes[a], why);
        }
    }
    if (r->failures < MAX_FAILURES)
        check_pcap_out(r, file, what);
}

/* Text: after sampled lines, inside sampled lines (a random byte, right after the first ':'). */
static void cut_text(struct run *r, const char *file, const char *p, size_t n)
{
    size_t nl = 0;
    for (size_t i = 0; i < n; i++)
        nl += p[i] == '\n';
    size_t *ends = malloc((nl + 1) * sizeof *ends);
    if (!ends)
        exit(2);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] == '\n')
            ends[k++] = i + 1;
    char what[96];
    for (size_t i = 0; i < r->lines && k; i++) {
        size_t e = ends[nl <= r->lines ? i % k : rnd_below(r, k)];
        snprintf(what, sizeof what, "after the line ending at byte %zu", e);
        run_cut(r, file, what, p, e);
        if (nl <= r->lines && i + 1 >= k)
            break;
    }
    for (size_t i = 0; i < r->lines && k; i++) {
        size_t li = rnd_below(r, k), start = li ? ends[li - 1] : 0, len = ends[li] - start;
        if (len < 3)
            continue;
        size_t at = start + 1 + rnd_below(r, len - 2);
        snprintf(what, sizeof what, "inside a line at byte %zu", at);
        run_cut(r, file, what, p, at);
        const char *c = memchr(p + start, ':', len);
        if (c && (size_t)(c - p) + 1 < ends[li]) {
            snprintf(what, sizeof what, "right after the ':' at byte %zu", (size_t)(c - p));
            run_cut(r, file, what, p, (size_t)(c - p) + 1);
        }
    }
    free(ends);
}

static uint32_t u32(const uint8_t *p, int be)
{
    return be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
              : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static void put_u32(uint8_t *p, uint32_t v, int be)
{
    for (int i = 0; i < 4; i++)
        p[be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

/* The packet at off (its record header at off, its data at off + 16) captured to keep bytes only,
 * the rest of the file as it is. */
static void snap_to(struct run *r, const char *file, const uint8_t *p, size_t n, size_t off, int be,
                    uint32_t keep)
{
    uint32_t incl = u32(p + off + 8, be);
    uint8_t *q = malloc(n);
    if (!q)
        exit(2);
    memcpy(q, p, off + 16 + keep);
    put_u32(q + off + 8, keep, be);
    memcpy(q + off + 16 + keep, p + off + 16 + incl, n - (off + 16 + incl));
    char what[96];
    snprintf(what, sizeof what, "packet at byte %zu captured to %u of %u bytes", off, keep, incl);
    run_cut(r, file, what, q, n - (incl - keep));
    free(q);
}

/* Where the TCP payload of an Ethernet/IPv4/IPv6 frame starts, or 0 (not TCP, or cut). */
static size_t tcp_payload(const uint8_t *f, size_t len)
{
    if (len < 14)
        return 0;
    unsigned et = (unsigned)f[12] << 8 | f[13];
    size_t t;
    if (et == 0x0800 && len >= 34 && f[23] == 6)
        t = 14 + (size_t)(f[14] & 15) * 4;
    else if (et == 0x86dd && len >= 54 && f[20] == 6)
        t = 54;
    else
        return 0;
    if (len < t + 20)
        return 0;
    size_t pay = t + (size_t)(f[t + 12] >> 4) * 4;
    return pay < len ? pay : 0;
}

/* The TCP payload truncated at each TLS record boundary in the packet and inside each record (when
 * the payload starts with a record header); else the packet captured to a random length. */
static void cut_snaps(struct run *r, const char *file, const uint8_t *p, size_t n, size_t off, int be,
                      int ethernet)
{
    uint32_t incl = u32(p + off + 8, be);
    const uint8_t *f = p + off + 16;
    size_t pay = ethernet ? tcp_payload(f, incl) : 0;
    if (!pay || f[pay] < 20 || f[pay] > 26) {
        if (incl >= 2)
            snap_to(r, file, p, n, off, be, (uint32_t)rnd_below(r, incl));
        return;
    }
    for (size_t at = pay; at < incl && r->failures < MAX_FAILURES;) {
        snap_to(r, file, p, n, off, be, (uint32_t)at);               /* at the record boundary */
        size_t rec = at + 5 <= incl ? 5 + ((size_t)f[at + 3] << 8 | f[at + 4]) : incl - at;
        size_t mid = at + 1 + rnd_below(r, rec - 1);                   /* inside the record */
        if (mid < incl)
            snap_to(r, file, p, n, off, be, (uint32_t)mid);
        at += rec;
    }
}

/* A classic pcap (either byte order, us or ns): the header, every packet boundary, inside every
 * packet, every packet snap-truncated. Returns 0 if p is no classic pcap. */
static int cut_pcap(struct run *r, const char *file, const uint8_t *p, size_t n)
{
    if (n < 24)
        return 0;
    uint32_t m = u32(p, 0);
    int be;
    if (m == 0xa1b2c3d4u || m == 0xa1b23c4du)
        be = 0;
    else if (m == 0xd4c3b2a1u || m == 0x4d3cb2a1u)
        be = 1;
    else
        return 0;
    int ethernet = u32(p + 20, be) == 1;
    char what[96];
    static const size_t in_header[] = {4, 16, 23};
    for (size_t i = 0; i < sizeof in_header / sizeof in_header[0]; i++) {
        snprintf(what, sizeof what, "inside the file header at byte %zu", in_header[i]);
        run_cut(r, file, what, p, in_header[i]);
    }
    size_t off = 24;
    while (off + 16 <= n && r->failures < MAX_FAILURES) {
        uint32_t incl = u32(p + off + 8, be);
        if (incl > n - off - 16)
            break;
        snprintf(what, sizeof what, "at the packet boundary at byte %zu", off);
        run_cut(r, file, what, p, off);
        size_t at = off + 1 + rnd_below(r, 16 + (size_t)incl - 1);
        snprintf(what, sizeof what, "inside the packet at byte %zu, at byte %zu", off, at);
        run_cut(r, file, what, p, at);
        cut_snaps(r, file, p, n, off, be, ethernet);
        off += 16 + incl;
    }
    return 1;
}

static int is_text(const uint8_t *p, size_t n)
{
    return memchr(p, '\0', n < 4096 ? n : 4096) == NULL;
}

static void cut_file(struct run *r, const char *file)
{
    FILE *f = fopen(file, "rb");
    uint8_t *p = NULL;
    size_t n = 0, cap = 0;
    if (f) {
        for (;;) {
            if (n == cap) {
                uint8_t *q = realloc(p, cap = cap ? cap * 2 : 65536);
                if (!q)
                    exit(2);
                p = q;
            }
            size_t got = fread(p + n, 1, cap - n, f);
            if (!got)
                break;
            n += got;
        }
        fclose(f);
    }
    if (!f || !n) {
        fprintf(stderr, "FAIL: %s: cannot read it, or it is empty\n", file);
        r->failures++;
    } else if (!cut_pcap(r, file, p, n)) {
        if (is_text(p, n)) {
            cut_text(r, file, (const char *)p, n);
        } else {
            for (size_t i = 0; i < 2 * r->lines; i++) {
                char what[64];
                size_t at = 1 + rnd_below(r, n - 1);
                snprintf(what, sizeof what, "at byte %zu", at);
                run_cut(r, file, what, p, at);
            }
        }
    }
    free(p);
    if (__lsan_do_recoverable_leak_check && __lsan_do_recoverable_leak_check()) {
        fprintf(stderr, "FAIL: %s: memory leaked by one of its cuts (TD_CUT_SEED=%llu)\n", file, r->seed);
        r->failures++;
    }
}

static int open_out(const char *path)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        fprintf(stderr, "td_cutall: %s: %s\n", path, strerror(errno));
        exit(2);
    }
    return fd;
}

int main(int argc, char **argv)
{
    struct run r = {.lines = 24, .seed = (unsigned long long)time(NULL)};
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (!strcmp(argv[i], "-s"))
            r.seed = strtoull(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "-n"))
            r.lines = strtoul(argv[i + 1], NULL, 10);
        else
            break;
    }
    if (argc - i < 2) {
        fprintf(stderr, "usage: td_cutall [-s SEED] [-n LINES] WORKDIR FILE...\n");
        return 2;
    }
    r.dir = argv[i++];
    r.rng = r.seed * 0x9E3779B97F4A7C15ull + 1;
    snprintf(r.cut_path, sizeof r.cut_path, "%s/cut.in", r.dir);
    snprintf(r.out_path, sizeof r.out_path, "%s/stdout", r.dir);
    snprintf(r.err_path, sizeof r.err_path, "%s/stderr", r.dir);
    snprintf(r.state_path, sizeof r.state_path, "%s/state", r.dir);
    snprintf(r.pcap_path, sizeof r.pcap_path, "%s/out.pcap", r.dir);
    r.out_fd = open_out(r.out_path);
    r.err_fd = open_out(r.err_path);
    r.state_fd = open_out(r.state_path);
    r.saved_out = dup(STDOUT_FILENO);
    r.saved_err = dup(STDERR_FILENO);
    fprintf(stderr, "td_cutall: seed %llu (TD_CUT_SEED=%llu reproduces), %d inputs\n", r.seed, r.seed,
            argc - i);
    run_cut(&r, "(any)", "at byte 0 (an empty file)", "", 0);
    for (; i < argc && r.failures < MAX_FAILURES; i++)
        cut_file(&r, argv[i]);
    printf("td_cutall: %zu cuts x %zu modes = %zu runs, %zu failures (seed %llu); %zu --pcap-out "
           "captures read back\n", r.cuts, (size_t)N_MODES, r.runs, r.failures, r.seed, r.pcaps_read);
    for (size_t m = 0; m < N_MODES; m++)
        printf("  %-30s exit 0: %6zu  1: %6zu  3: %6zu  other: %zu\n", modes[m].name, r.rc_count[m][0],
               r.rc_count[m][1], r.rc_count[m][2], r.rc_count[m][3]);
    free(r.buf);
    close(r.out_fd);
    close(r.err_fd);
    close(r.state_fd);
    unlink(r.state_path);
    return r.failures ? 1 : 0;
}
