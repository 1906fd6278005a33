/* context.c -- the context a log's lines reveal around the handshake: the platform or SDK (from
 * its tags and decoration) and the host and port the application says it connects to. Both move
 * the likely causes of an error code (lib/diag/likely.def); they become TD_FACT_PLATFORM and
 * TD_FACT_PEER facts of every attempt. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "mbedlog_int.h"

static const struct {
    const char *needle;
    enum td_platform p;
} platform_tags[] = {
    {"esp-tls", TD_PLATFORM_ESP_IDF}, {"esp_tls", TD_PLATFORM_ESP_IDF},
    {"esp-x509-crt-bundle", TD_PLATFORM_ESP_IDF}, {"IDF/components/", TD_PLATFORM_ESP_IDF},
    {"IDF\\components\\", TD_PLATFORM_ESP_IDF}, {"ssl_client.cpp", TD_PLATFORM_ESP_IDF},
    {"TRANS_SSL", TD_PLATFORM_ESP_IDF}, {"MQTT_CLIENT", TD_PLATFORM_ESP_IDF},
    {"aws_iot", TD_PLATFORM_AWS_IOT}, {"AWS_IOT", TD_PLATFORM_AWS_IOT},
    {"iot_tls_connect", TD_PLATFORM_AWS_IOT}, {"amazonaws.com", TD_PLATFORM_AWS_IOT},
    {"azure-devices.net", TD_PLATFORM_AZURE_IOT}, {"azure_iot", TD_PLATFORM_AZURE_IOT},
    {"Booting Zephyr", TD_PLATFORM_ZEPHYR}, {"<err> net_", TD_PLATFORM_ZEPHYR},
    {"<dbg> net_", TD_PLATFORM_ZEPHYR}, {"<inf> net_", TD_PLATFORM_ZEPHYR},
    {"Third_Party/mbedTLS", TD_PLATFORM_STM32CUBE}, {"Third_Party\\mbedTLS", TD_PLATFORM_STM32CUBE},
    {"mbed-os", TD_PLATFORM_MBED_OS}, {"TLSSocket", TD_PLATFORM_MBED_OS},
};

const char *ml_platform_name(enum td_platform p)
{
    switch (p) {
    case TD_PLATFORM_ESP_IDF: return "ESP-IDF";
    case TD_PLATFORM_AWS_IOT: return "AWS IoT SDK";
    case TD_PLATFORM_ZEPHYR: return "Zephyr";
    case TD_PLATFORM_STM32CUBE: return "STM32Cube";
    case TD_PLATFORM_MBED_OS: return "Mbed OS";
    case TD_PLATFORM_AZURE_IOT: return "Azure IoT SDK";
    case TD_PLATFORM_NONE: break;
    }
    return "";
}

/* ESP-IDF's log decoration: "E (8123) tag: ..." (a level letter, a space, a tick count in
 * parentheses), possibly after an ANSI colour code. */
static int esp_decoration(const char *s)
{
    if (s[0] == '\x1b') {
        const char *m = strchr(s, 'm');
        if (!m || m - s > 8)
            return 0;
        s = m + 1;
    }
    /* s[0] first: strchr finds the terminator too, and an empty line (or one that is only a
       colour code) would then be read past its end */
    if (!s[0] || !strchr("EWIDV", s[0]) || s[1] != ' ' || s[2] != '(' || !isdigit((unsigned char)s[3]))
        return 0;
    const char *p = s + 3;
    while (isdigit((unsigned char)*p) || *p == ':' || *p == '.')
        p++;
    return p[0] == ')' && p[1] == ' ';
}

static int host_char(char c)
{
    return isalnum((unsigned char)c) || c == '.' || c == '-' || c == '_';
}

/* Reads "host[:port]" or "host/port" at p into c when the host looks like one (a dot in it). */
static int read_peer(struct ml_context *c, const char *p, uint32_t lineno)
{
    if (!strncmp(p, "tcp/", 4) || !strncmp(p, "udp/", 4))
        p += 4;
    while (*p == '/' || *p == ' ')
        p++;
    size_t n = 0;
    while (n < sizeof c->host - 1 && host_char(p[n]))
        n++;
    if (n < 4 || !memchr(p, '.', n) || p[n - 1] == '.')
        return 0;
    int port = 0;
    if ((p[n] == ':' || p[n] == '/') && isdigit((unsigned char)p[n + 1])) {
        const char *q = p + n + 1;
        while (isdigit((unsigned char)*q) && port < 70000)
            port = port * 10 + (*q++ - '0');
        if (port > 65535)
            port = 0;
    }
    if (c->host[0] && (!port || c->port))
        return 0;   /* keep the first host, unless this one adds the port */
    memcpy(c->host, p, n);
    c->host[n] = '\0';
    c->port = port;
    c->peer_line = lineno;
    return 1;
}

static void scan_peer(struct ml_context *c, const char *s, uint32_t lineno)
{
    static const char *const lead[] = {"://", "onnecting to ", "onnect to ", "onnected to ", "server_name=",
                                       "host: ", "Host: "};
    for (size_t i = 0; i < sizeof lead / sizeof lead[0]; i++) {
        const char *p = strstr(s, lead[i]);
        if (p && read_peer(c, p + strlen(lead[i]), lineno)) {
            if (i == 0) {   /* a URL: keep its scheme ("ws", "https", "mqtts") */
                const char *b = p;
                while (b > s && b - p > -8 && isalpha((unsigned char)b[-1]))
                    b--;
                snprintf(c->scheme, sizeof c->scheme, "%.*s", (int)(p - b), b);
            }
            if (c->port)
                return;
        }
    }
    const char *p = strstr(s, ":8883");
    if (p && !c->port) {
        const char *b = p;
        while (b > s && host_char(b[-1]))
            b--;
        if (!read_peer(c, b, lineno) && !c->port) {
            c->port = 8883;
            c->peer_line = lineno;
        }
    }
}

/* What only a server's output says: the example server's prints, ESP-IDF's HTTPS server. */
static const char *const server_tags[] = {
    "Waiting for a remote connection", "Bind on https://", "esp_https_server", "create_server_session",
    "ssl_server", "ssl_pm_handshake",
};

void ml_context_scan(struct ml_context *c, const char *raw, uint32_t lineno)
{
    if (c->done)
        return;
    for (size_t i = 0; !c->server_side && i < sizeof server_tags / sizeof server_tags[0]; i++)
        if (strstr(raw, server_tags[i]))
            c->server_side = 1;
    if (!c->platforms && esp_decoration(raw)) {
        c->platforms |= 1u << TD_PLATFORM_ESP_IDF;
        c->platform_line[TD_PLATFORM_ESP_IDF] = lineno;
    }
    for (size_t i = 0; i < sizeof platform_tags / sizeof platform_tags[0]; i++) {
        unsigned bit = 1u << platform_tags[i].p;
        if (!(c->platforms & bit) && strstr(raw, platform_tags[i].needle)) {
            c->platforms |= bit;
            c->platform_line[platform_tags[i].p] = lineno;
        }
    }
    if (!c->port)
        scan_peer(c, raw, lineno);
}
