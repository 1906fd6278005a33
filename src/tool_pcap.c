/* tool_pcap.c -- `tlsdoctor pcap FILE`: the TLS connections in a packet capture, each with its
 * record timeline. The library reads and renders; this file handles arguments, files and exit. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "tlsdoctor/capture.h"
#include "tool.h"

#define PCAP_MAX_FILE ((size_t)1 << 30)


static void help(FILE *out)
{
    fprintf(out,
            "usage: tlsdoctor pcap FILE [--json] [--filter BPF]\n\n"
            "Lists the TLS connections in a pcap or pcapng capture (Ethernet, Linux cooked v1/v2,\n"
            "loopback or raw IP; IPv4 and IPv6; VLAN tags) with each one's records, handshake\n"
            "messages and alerts. TCP streams are reassembled; TLS is found by content on any port.\n\n"
            "  --json         one JSON object instead of text\n"
            "  --filter BPF   only packets matching this capture filter (e.g. 'port 4433')\n"
            "  FILE           the capture, or - for standard input\n\n"
            "Exit: 0 TLS found, 3 no TLS or not a capture, 2 usage, 4 I/O error.\n");
}

int tool_pcap_main(int argc, char **argv)
{
    const char *path = NULL, *filter = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            help(stdout);
            return TD_EXIT_OK;
        } else if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if (!strcmp(argv[i], "--filter")) {
            if (++i >= argc) {
                tool_error("pcap", "--filter needs a BPF expression");
                return TD_EXIT_USAGE;
            }
            filter = argv[i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            tool_error("pcap", "unknown option '%s' (try --help)", argv[i]);
            return TD_EXIT_USAGE;
        } else if (path) {
            tool_error("pcap", "one capture file at a time ('%s' and '%s')", path, argv[i]);
            return TD_EXIT_USAGE;
        } else {
            path = argv[i];
        }
    }
    if (!path) {
        tool_error("pcap", "which capture file? (usage: tlsdoctor pcap FILE [--json] [--filter BPF])");
        return TD_EXIT_USAGE;
    }
    struct td_buf in, out, msg;
    td_buf_init(&in, PCAP_MAX_FILE);
    td_buf_init(&out, 0);
    td_buf_init(&msg, 4096);
    if (tool_read_input(path, PCAP_MAX_FILE, &in)) {
        td_buf_free(&in);
        return TD_EXIT_ERROR;
    }
    struct td_capture c;
    td_capture_init(&c);
    struct td_capture_opts opts = {.filter = filter};
    enum td_err e = td_capture_read((const uint8_t *)in.p, in.len, &opts, &c, &msg);
    td_buf_free(&in);
    int rc = TD_EXIT_OK;
    if (e != TD_OK) {
        tool_error("pcap", "%s: %s", path, msg.p ? msg.p : td_strerror(e));
        rc = e == TD_ERR_SYNTAX ? TD_EXIT_USAGE : e == TD_ERR_NOTHING_FOUND ? TD_EXIT_NOTHING
                                                                             : TD_EXIT_ERROR;
    } else {
        e = json ? td_capture_render_json(&c, &out)
                 : td_capture_render_text(&c, tool_use_colour(STDOUT_FILENO), &out);
        if (e != TD_OK) {
            tool_error("pcap", "%s: %s", path, td_strerror(e));
            rc = TD_EXIT_ERROR;
        } else {
            fwrite(out.p, 1, out.len, stdout);
            if (c.file_truncated)
                tool_error("pcap", "%s: the file is cut short; showing what could be read", path);
            if (c.set.n == 0) {
                tool_error("pcap", "%s: no TLS connection found (%s)", path,
                           c.n_notes ? c.notes[c.n_notes - 1] : "no TCP stream starts like TLS");
                rc = TD_EXIT_NOTHING;
            }
        }
    }
    td_capture_free(&c);
    td_buf_free(&out);
    td_buf_free(&msg);
    return rc;
}
