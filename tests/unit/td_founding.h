/* td_founding.h -- the founding case's two ClientHello records (record header included), as hex,
 * for the tests that diagnose or replay them. */
#ifndef TD_FOUNDING_H
#define TD_FOUNDING_H

/* First log, second attempt: 'output record sent to network' (86 bytes). ECDSA suites and ECDSA
 * signature algorithms only, no SNI. */
static const char *const ch_log1 =
    "16 03 01 00 51 01 00 00 4d 03 03 00 00 00 00 11 0f 97 2f f9 d5 13 21 14 1a 34 a1 a7 a3 94 6e e3"
    " 14 ab 22 98 15 53 98 b8 89 49 92 00 00 06 c0 2c c0 2b 00 ff 01 00 00 1e 00 0d 00 0a 00 08 06 03"
    " 05 03 04 03 03 03 00 0a 00 06 00 04 00 18 00 17 00 0b 00 02 01 00";
/* Second log (Mbed TLS 2.27), second attempt: 105 bytes, with max_fragment_length 2048. */
static const char *const ch_log2 =
    "16 03 01 00 64 01 00 00 60 03 03 ff ff ff ff 18 17 df 62 b9 33 b0 1d 2e 5f 37 06 a8 ad d6 e4 1b"
    " a7 1b 73 42 65 a4 9d 77 d8 27 4d 00 00 0a c0 2c c0 2b c0 2f c0 30 00 ff 01 00 00 2d 00 0d 00 12"
    " 00 10 06 03 06 01 05 03 05 01 04 03 04 01 03 03 03 01 00 0a 00 08 00 06 00 18 00 17 00 1e 00 0b"
    " 00 02 01 00 00 01 00 01 03";

#endif
