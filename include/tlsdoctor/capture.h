/* capture.h -- packet captures in (pcap/pcapng through libpcap -> Transcripts) and out
 * (Transcripts -> a synthetic pcap that Wireshark/tshark dissect as TLS).
 *
 * Reading: the caller hands the capture's bytes (td_capture_read); libpcap parses the file format
 * (pcap and pcapng), the link, IP and TCP headers are decoded with the bounded reader, each TCP
 * connection is reassembled per direction (out of order, retransmitted, overlapping and missing
 * segments, captures starting mid-stream; gaps are marked, never filled) and a connection whose
 * bytes look like TLS records, on any port, becomes one Transcript of origin TD_ORIGIN_CAPTURE:
 * TD_EV_RECORD events (record bytes with header, `from` = client/server, `line`..`line_end` = the
 * frames that carried the record's first and last bytes), TD_EV_ALERT for each plaintext alert,
 * and TD_EV_MESSAGE for transport events (FIN, RST, gaps).
 *
 * Ownership: struct td_capture owns its transcripts and connection table; td_capture_free()
 * releases both. Nothing borrows the input bytes after td_capture_read() returns. */
#ifndef TLSDOCTOR_CAPTURE_H
#define TLSDOCTOR_CAPTURE_H

#include <stddef.h>
#include <stdint.h>
#include "tlsdoctor/buf.h"
#include "tlsdoctor/err.h"
#include "tlsdoctor/transcript.h"

/* Caps: a capture is untrusted input; past these, data is dropped and a note says so. */
#define TD_CAPTURE_MAX_STREAM_BYTES ((size_t)16 * 1024 * 1024) /* per direction of one connection */
#define TD_CAPTURE_MAX_CONNS        4096u                 /* TCP connections tracked per file */
#define TD_CAPTURE_MAX_NOTES        32u

struct td_capture_opts {
    const char *filter;      /* BPF expression picking packets (pcap_compile syntax), or NULL */
    size_t max_stream_bytes; /* 0 = TD_CAPTURE_MAX_STREAM_BYTES */
    size_t max_conns;        /* 0 = TD_CAPTURE_MAX_CONNS */
};

/* Conditions seen on a connection (struct td_capture_conn.flags). */
#define TD_CAPF_SYN_SEEN   0x01u  /* the client's SYN is in the capture */
#define TD_CAPF_MIDSTREAM  0x02u  /* no SYN: the capture starts inside the connection */
#define TD_CAPF_GAP        0x04u  /* bytes are missing in at least one direction */
#define TD_CAPF_SNAPLEN    0x08u  /* some packets were cut by the capture's snaplen */
#define TD_CAPF_FIN        0x10u  /* a FIN was seen */
#define TD_CAPF_RST        0x20u  /* a RST was seen */
#define TD_CAPF_CAPPED     0x40u  /* a direction exceeded max_stream_bytes */
#define TD_CAPF_RESYNC     0x80u  /* record boundaries were found again after a gap or mid-stream */
#define TD_CAPF_REFUSED    0x100u /* no TLS: the SYN was answered by RST (kept to diagnose that) */

/* One TCP connection that carried TLS, or a connection attempt refused (TD_CAPF_REFUSED: the
 * SYN answered by RST, no data). Addresses are in network byte order; family is 4 or 6. */
struct td_capture_conn {
    int family;
    uint8_t client_addr[16], server_addr[16];
    uint16_t client_port, server_port;
    int client_known;          /* 1 if the client side is certain (SYN or ClientHello), 0 if guessed */
    uint32_t first_frame, last_frame;
    int64_t start_time;        /* the first frame's timestamp, seconds since the epoch */
    size_t frames;             /* TCP segments of this connection in the capture */
    uint64_t bytes[2];         /* reassembled payload bytes: [0] client->server, [1] server->client */
    uint64_t missing[2];       /* bytes known to be missing (gaps) per direction */
    unsigned flags;            /* TD_CAPF_* */
    size_t transcript;         /* index into td_capture.set */
};

struct td_capture {
    struct td_transcript_set set;  /* one Transcript per TLS connection or refused attempt, in
                                      order of first frame */
    size_t n_refused;              /* of them, refused attempts (no TLS) */
    struct td_capture_conn *conn;  /* owned array of set.n, conn[i].transcript == i */
    size_t n_conn;
    int linktype;                  /* DLT_* of the capture */
    uint32_t frames;               /* frames read */
    uint32_t tcp_frames;           /* frames that were TCP */
    uint32_t skipped;              /* frames that were not IP/TCP or could not be decoded */
    uint32_t filtered;             /* frames the BPF filter rejected */
    uint32_t snap_cut;             /* frames cut short by the snaplen */
    size_t tcp_conns;              /* TCP connections seen (TLS or not) */
    int file_truncated;            /* the file ended inside a packet: what came before was kept */
    char *notes[TD_CAPTURE_MAX_NOTES]; /* owned sentences about the capture's problems */
    size_t n_notes;
};

void td_capture_init(struct td_capture *c);
void td_capture_free(struct td_capture *c);

/* Reads a pcap or pcapng capture from bytes (borrowed during the call only). On TD_OK, *c holds
 * every TLS connection found (possibly none: c->set.n == 0). Problems that leave part of the
 * capture readable (truncated file, cut packets, gaps) are TD_OK with c->notes saying what. A
 * file libpcap does not recognise is TD_ERR_NOTHING_FOUND, a filter that does not compile
 * TD_ERR_SYNTAX; in both cases errmsg (if non-NULL) receives one sentence. */
enum td_err td_capture_read(const uint8_t *p, size_t len, const struct td_capture_opts *opts,
                            struct td_capture *c, struct td_buf *errmsg);

/* Renders a listing of the connections and their record timelines as text (colour: 1 for ANSI). */
enum td_err td_capture_render_text(const struct td_capture *c, int colour, struct td_buf *out);
/* Renders the same as one JSON object (cJSON); see docs/json.md "capture". */
enum td_err td_capture_render_json(const struct td_capture *c, struct td_buf *out);

/* What td_capture_write_pcap wrote. */
struct td_capture_write_stats {
    size_t conversations;  /* transcripts that had at least one record to write */
    size_t records;        /* records written */
    size_t skipped;        /* records not written: truncated, reconstructed or of unknown sender */
    size_t frames;         /* packets written */
};

/* Writes n transcripts as synthetic TCP conversations to a pcap file at path (created or
 * truncated through libpcap's pcap_dump_open; "-" is stdout). Each transcript is one conversation
 * 192.0.2.10:(49152+i) -> 192.0.2.1:443 with a three-way handshake, then its TD_EV_RECORD events
 * whose bytes are complete, in order, split into segments of at most 1460 bytes with correct
 * sequence/acknowledgement numbers and checksums. Records that are truncated, reconstructed from
 * text or of unknown sender are skipped (counted in stats), never invented. Timestamps are
 * synthetic (1 ms apart from 2020-01-01). errmsg (if non-NULL) receives libpcap's reason on
 * TD_ERR_IO. */
enum td_err td_capture_write_pcap(const struct td_transcript *t, size_t n, const char *path,
                                  struct td_capture_write_stats *stats, struct td_buf *errmsg);

/* The same, streaming: open, add transcripts one at a time (the writer does not keep them), close.
 * open creates or truncates path ("-" is stdout) through libpcap; close flushes, closes and frees
 * the writer and fills stats (may be NULL), returning TD_ERR_IO if writing failed. */
struct td_capture_writer;
enum td_err td_capture_writer_open(const char *path, struct td_capture_writer **out,
                                   struct td_buf *errmsg);
void td_capture_writer_add(struct td_capture_writer *w, const struct td_transcript *t);
enum td_err td_capture_writer_close(struct td_capture_writer *w,
                                    struct td_capture_write_stats *stats);

#endif
