/* tool.h -- what the CLI's parts share: subcommand entry points, exit codes, small I/O helpers.
 * The CLI is thin: it parses arguments, reads files, prints what the library rendered, and exits. */
#ifndef TD_TOOL_H
#define TD_TOOL_H

#include <stddef.h>
#include <stdint.h>
#include "tlsdoctor/buf.h"
#include "tlsdoctor/diag.h"   /* enum td_exit: the exit codes, and td_diag_exit_code() */

/* One subcommand: name, one-line summary, entry point (argv[0] is the subcommand name). */
struct tool_cmd {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
};

/* Subcommand entry points (src/tool_<name>.c). */
int tool_decode_main(int argc, char **argv);
int tool_log_main(int argc, char **argv);
int tool_pcap_main(int argc, char **argv);
int tool_probe_main(int argc, char **argv);
int tool_diagnose_main(int argc, char **argv);
int tool_explain_main(int argc, char **argv);

/* Reads a whole file ("-" for stdin) into out, up to max bytes. On failure prints one line to
 * stderr ("tlsdoctor: FILE: reason") and returns non-zero. */
int tool_read_input(const char *path, size_t max, struct td_buf *out);

/* 1 if colour should be used on this stream: a TTY and NO_COLOR unset. */
int tool_use_colour(int fd);

/* Prints "tlsdoctor CMD: msg" to stderr. */
void tool_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
