/* tool_net.c -- sockets for the probe: getaddrinfo, non-blocking connect, send, and reads fed to
 * the library's flight reader, all under one poll() loop with a deadline per connection. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include "tool_net.h"

enum cstate { CS_IDLE = 0, CS_CONNECTING, CS_SENDING, CS_READING, CS_DONE };

struct conn {
    enum cstate st;
    int fd;
    long long deadline;
    size_t sent;
    struct td_flight fl;
    struct td_probe_req *req;
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* see tool_net.h */
int tool_net_split(const char *arg, unsigned default_port, char *host, size_t host_len,
                   unsigned *port, char *err, size_t err_len)
{
    const char *h = arg, *p = NULL;
    size_t hl;
    if (arg[0] == '[') {
        const char *close = strchr(arg, ']');
        if (!close) {
            snprintf(err, err_len, "'%s': missing ']'", arg);
            return -1;
        }
        h = arg + 1;
        hl = (size_t)(close - h);
        if (close[1] == ':')
            p = close + 2;
        else if (close[1]) {
            snprintf(err, err_len, "'%s': expected ':PORT' after ']'", arg);
            return -1;
        }
    } else {
        const char *c = strchr(arg, ':');
        if (c && strchr(c + 1, ':'))
            c = NULL; /* a bare IPv6 address */
        hl = c ? (size_t)(c - arg) : strlen(arg);
        p = c ? c + 1 : NULL;
    }
    if (hl == 0 || hl >= host_len) {
        snprintf(err, err_len, "'%s': no host name or address", arg);
        return -1;
    }
    memcpy(host, h, hl);
    host[hl] = '\0';
    *port = default_port;
    if (p) {
        char *end;
        unsigned long v = strtoul(p, &end, 10);
        if (!*p || *end || v == 0 || v > 65535) {
            snprintf(err, err_len, "'%s': the port must be a number from 1 to 65535", arg);
            return -1;
        }
        *port = (unsigned)v;
    }
    return 0;
}

/* see tool_net.h */
int tool_net_resolve(const char *host, unsigned port, struct tool_net_target *t, char *err,
                     size_t err_len)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    char ps[8];
    snprintf(ps, sizeof ps, "%u", port);
    int rc = getaddrinfo(host, ps, &hints, &res);
    if (rc != 0 || !res) {
        snprintf(err, err_len, "'%s' does not resolve: %s", host, gai_strerror(rc));
        return -1;
    }
    memset(t, 0, sizeof *t);
    memcpy(&t->addr, res->ai_addr, res->ai_addrlen);
    t->addr_len = res->ai_addrlen;
    char ip[INET6_ADDRSTRLEN] = "?";
    if (res->ai_family == AF_INET6) {
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)(void *)res->ai_addr)->sin6_addr, ip, sizeof ip);
        snprintf(t->shown, sizeof t->shown, "[%s]:%u", ip, port);
    } else {
        inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)res->ai_addr)->sin_addr, ip, sizeof ip);
        snprintf(t->shown, sizeof t->shown, "%s:%u", ip, port);
    }
    freeaddrinfo(res);
    return 0;
}

static void conn_end(struct conn *c, enum td_probe_outcome why, enum td_err e, const char *detail)
{
    td_flight_end(&c->fl, why, e, detail);
    td_flight_take(&c->fl, &c->req->ans);
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->st = CS_DONE;
}

static void conn_start(struct conn *c, const struct tool_net_target *t, unsigned timeout_ms)
{
    c->fd = -1;
    c->sent = 0;
    c->deadline = now_ms() + timeout_ms;
    const struct td_probe_req *r = c->req;
    if (td_flight_init(&c->fl, (const uint8_t *)r->hello.p, r->hello.len, &r->keys, r->want) !=
        TD_OK) {
        memset(&c->req->ans, 0, sizeof c->req->ans);
        c->req->ans.outcome = TD_PO_CONNECT_FAILED;
        snprintf(c->req->ans.detail, sizeof c->req->ans.detail, "no ClientHello could be built");
        c->st = CS_DONE;
        return;
    }
    c->fd = socket(t->addr.ss_family, SOCK_STREAM, 0);
    if (c->fd < 0 || fcntl(c->fd, F_SETFL, O_NONBLOCK) != 0) {
        conn_end(c, TD_PO_CONNECT_FAILED, TD_ERR_SOCKET, strerror(errno));
        return;
    }
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (const struct sockaddr *)&t->addr, t->addr_len) == 0)
        c->st = CS_SENDING;
    else if (errno == EINPROGRESS)
        c->st = CS_CONNECTING;
    else
        conn_end(c, TD_PO_CONNECT_FAILED, TD_ERR_CONNECT, strerror(errno));
}

static void conn_read(struct conn *c)
{
    uint8_t buf[16384];
    ssize_t n = recv(c->fd, buf, sizeof buf, 0);
    if (n > 0) {
        if (td_flight_push(&c->fl, buf, (size_t)n) == TD_FLIGHT_DONE)
            conn_end(c, TD_PO_NONE, TD_OK, NULL);
    } else if (n == 0) {
        conn_end(c, TD_PO_CLOSED, TD_ERR_PEER_CLOSED, NULL);
    } else if (errno == ECONNRESET) {
        conn_end(c, TD_PO_RESET, TD_ERR_PEER_RESET, NULL);
    } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        conn_end(c, TD_PO_RESET, TD_ERR_SOCKET, strerror(errno));
    }
}

static void conn_step(struct conn *c, short revents)
{
    if (c->st == CS_CONNECTING) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) {
            conn_end(c, TD_PO_CONNECT_FAILED, TD_ERR_CONNECT, strerror(err));
            return;
        }
        c->st = CS_SENDING;
    }
    if (c->st == CS_SENDING) {
        const struct td_buf *h = &c->req->hello;
        ssize_t n = send(c->fd, h->p + c->sent, h->len - c->sent, MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            conn_end(c, errno == ECONNRESET || errno == EPIPE ? TD_PO_RESET : TD_PO_CLOSED,
                     TD_ERR_PEER_RESET, NULL);
            return;
        }
        if (n > 0)
            c->sent += (size_t)n;
        if (c->sent == h->len)
            c->st = CS_READING;
        return;
    }
    if (c->st == CS_READING && (revents & (POLLIN | POLLHUP | POLLERR)))
        conn_read(c);
}

static short conn_events(const struct conn *c)
{
    return c->st == CS_READING ? POLLIN : POLLOUT;
}

/* see tool_net.h */
void tool_net_exchange(const struct tool_net_target *t, struct td_probe_req *reqs, size_t n,
                       unsigned concurrency, unsigned timeout_ms)
{
    if (concurrency == 0)
        concurrency = 1;
    struct conn *cs = calloc(concurrency, sizeof *cs);
    struct pollfd *pfd = calloc(concurrency, sizeof *pfd);
    if (!cs || !pfd) {
        free(cs);
        free(pfd);
        for (size_t i = 0; i < n; i++)
            reqs[i].ans.outcome = TD_PO_CONNECT_FAILED;
        return;
    }
    size_t next = 0, done = 0;
    char why[64];
    snprintf(why, sizeof why, "%u.%u s", timeout_ms / 1000, timeout_ms % 1000 / 100);
    while (done < n) {
        size_t np = 0;
        long long now = now_ms(), wait = 1000;
        for (unsigned i = 0; i < concurrency; i++) {
            struct conn *c = &cs[i];
            if ((c->st == CS_IDLE || c->st == CS_DONE) && c->req) {
                c->req = NULL;
                done++;
            }
            if (!c->req && next < n) {
                c->req = &reqs[next++];
                conn_start(c, t, timeout_ms);
                now = now_ms();
            }
            if (!c->req || c->st == CS_DONE)
                continue;
            if (now >= c->deadline) {
                conn_end(c, c->st == CS_CONNECTING ? TD_PO_CONNECT_FAILED : TD_PO_TIMEOUT,
                         TD_ERR_TIMEOUT, c->st == CS_CONNECTING ? "connection timed out" : why);
                continue;
            }
            if (c->deadline - now < wait)
                wait = c->deadline - now;
            pfd[np].fd = c->fd;
            pfd[np].events = conn_events(c);
            pfd[np].revents = 0;
            np++;
        }
        if (done >= n)
            break;
        if (np == 0)
            continue;
        int rc = poll(pfd, np, (int)wait);
        if (rc <= 0)
            continue;
        for (unsigned i = 0; i < concurrency; i++) {
            struct conn *c = &cs[i];
            if (!c->req || c->st == CS_DONE || c->fd < 0)
                continue;
            for (size_t k = 0; k < np; k++)
                if (pfd[k].fd == c->fd && pfd[k].revents)
                    conn_step(c, pfd[k].revents);
        }
    }
    free(cs);
    free(pfd);
}
