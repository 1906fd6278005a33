/* capture_int.h -- what the capture reader's files share: TCP flows, their segments, and the step
 * that turns reassembled streams into Transcripts. Internal to lib/capture. */
#ifndef TD_CAPTURE_INT_H
#define TD_CAPTURE_INT_H

#include <stddef.h>
#include <stdint.h>
#include "tlsdoctor/capture.h"

/* A capture's timestamps count as the time it was taken only from here on (2016-01-01): a
 * capturing machine with its clock unset, or a synthetic capture (--pcap-out writes 2000-01-01),
 * must not make certificates look not yet valid. */
#define TD_CAP_SANE_TIME 1451606400

/* One TCP segment's payload as captured; data lives in the direction's pool. */
struct td_cap_seg {
    int64_t rel;        /* sequence number relative to the direction's anchor */
    uint32_t len;       /* captured payload bytes */
    uint32_t frame;
    size_t pool_off;
};

/* One direction of a TCP connection. */
struct td_cap_dir {
    int seen;           /* any segment seen */
    uint32_t anchor;    /* first sequence number seen: rel values are relative to it */
    int syn;            /* a SYN was seen: the stream starts at syn_rel + 1 */
    int64_t syn_rel;
    struct td_cap_seg *seg;
    size_t n_seg, cap_seg;
    uint8_t *pool;
    size_t pool_len, pool_cap;
    uint32_t fin_frame, rst_frame;   /* 0 if none */
    int capped;
    int snap_cut;
};

/* A TCP connection: side 0 is whoever sent the first packet seen, d[0] is side 0 -> side 1. */
struct td_cap_flow {
    int family;
    uint8_t addr[2][16];
    uint16_t port[2];
    struct td_cap_dir d[2];
    int syn_from;       /* side that sent a SYN without ACK, or -1 */
    int synack_from;    /* side that sent SYN+ACK, or -1 */
    uint32_t first_frame, last_frame;
    int64_t first_time;     /* timestamp of the first frame, seconds since the epoch */
    size_t frames;
};

void td_cap_flow_free(struct td_cap_flow *f);

/* Reassembles f's two directions, finds TLS records, and if there are any appends one Transcript
 * to c->set and one entry to c->conn. Returns TD_OK (also when f carries no TLS) or TD_ERR_NOMEM. */
enum td_err td_cap_flow_to_transcript(const struct td_cap_flow *f, struct td_capture *c);

/* Adds a note (printf-style) to c, up to TD_CAPTURE_MAX_NOTES. */
void td_cap_note(struct td_capture *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* 1 if the 5 bytes at p look like a TLS record header. */
int td_cap_plausible_header(const uint8_t *p);

#endif
