/* tool_net.h -- the probe's sockets: resolving the one host named, and exchanging ClientHellos
 * side by side with connect and read deadlines. The library only sees bytes (probe.h). */
#ifndef TD_TOOL_NET_H
#define TD_TOOL_NET_H

#include <stddef.h>
#include <sys/socket.h>
#include "tlsdoctor/probe.h"

struct tool_net_target {
    struct sockaddr_storage addr;
    socklen_t addr_len;
    char shown[320];       /* "127.0.0.1:443" or "[::1]:443" */
};

/* Splits "HOST", "HOST:PORT", "[V6]", "[V6]:PORT" or a bare IPv6 address into host and port
 * (default_port when none). Returns 0, or -1 with a reason in err. */
int tool_net_split(const char *arg, unsigned default_port, char *host, size_t host_len,
                   unsigned *port, char *err, size_t err_len);
/* Resolves host (first address getaddrinfo gives). Returns 0, or -1 with a reason in err. */
int tool_net_resolve(const char *host, unsigned port, struct tool_net_target *t, char *err,
                     size_t err_len);
/* Sends each request's hello on its own connection to t, at most `concurrency` at once, and fills
 * each request's answer. Every connection ends within timeout_ms of its start. */
void tool_net_exchange(const struct tool_net_target *t, struct td_probe_req *reqs, size_t n,
                       unsigned concurrency, unsigned timeout_ms);

#endif
