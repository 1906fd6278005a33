/* tool_main.c -- the tlsdoctor command: picks the subcommand and hands it the arguments. */
#include <stdio.h>
#include <string.h>
#include "tool.h"

/* Subcommand entry points live in src/tool_<name>.c; add a row here for each. */
static const struct tool_cmd commands[] = {
    {"diagnose", "why the handshake failed; with --server, replay the ClientHello and prove the fix", tool_diagnose_main},
    {"explain", "explain an Mbed TLS error code, alert, X.509 verify flags, suite, group, sigalg or extension", tool_explain_main},
    {"decode", "decode TLS records and handshake messages (raw bytes, hex, Mbed TLS dumps)", tool_decode_main},
    {"log", "read an Mbed TLS debug log: why the handshake failed and the fix", tool_log_main},
    {"pcap", "list the TLS connections in a packet capture with their records and alerts", tool_pcap_main},
    {"probe", "probe a live server: versions, suites, groups, SNI, chain", tool_probe_main},
    {NULL, NULL, NULL}
};

static void usage(FILE *out)
{
    fprintf(out, "usage: tlsdoctor COMMAND [ARGS]\n\n"
                 "Tells why a TLS handshake failed and what to change.\n\nCommands:\n");
    for (const struct tool_cmd *c = commands; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fprintf(out, "\n'tlsdoctor COMMAND --help' describes each command. See also tlsdoctor(1).\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return TD_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
        usage(stdout);
        return TD_EXIT_OK;
    }
    if (!strcmp(name, "--version") || !strcmp(name, "version")) {
        printf("tlsdoctor %s\n", TD_VERSION);
        return TD_EXIT_OK;
    }
    for (const struct tool_cmd *c = commands; c->name; c++)
        if (!strcmp(name, c->name))
            return c->run(argc - 1, argv + 1);
    fprintf(stderr, "tlsdoctor: unknown command '%s' (try 'tlsdoctor --help')\n", name);
    return TD_EXIT_USAGE;
}
