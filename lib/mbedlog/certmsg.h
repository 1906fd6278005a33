/* certmsg.h -- the messages Mbed TLS prints when it refuses a peer's key exchange parameters or a
 * certificate for what they are (a DH prime too short, a key usage that does not fit), and the
 * usage a certificate it printed lists (certmsg.c). Not a public API. Nothing here allocates. */
#ifndef TD_MBEDLOG_CERTMSG_H
#define TD_MBEDLOG_CERTMSG_H

#include <stdint.h>

enum ml_certmsg {
    ML_CM_NONE = 0,
    ML_CM_DHM_SHORT,     /* "DHM prime too short: %zu < %u": *a = the prime's bits, *b = the minimum */
    ML_CM_USAGE_PEER,    /* "bad certificate (usage extensions)": the peer's certificate refused */
    ML_CM_USAGE_OWN,     /* "certificate mismatch: (extended) key usage extension": a server's own
                            certificate skipped for a suite */
    ML_CM_CURVE          /* "bad certificate (EC key curve)": the peer's certificate's EC key is on a
                            curve this side does not allow */
};

/* Which of the messages above the debug message text t is (the catalogue's row for it, msgcat.c),
 * with its numbers; ML_CM_NONE for any other line. */
enum ml_certmsg ml_certmsg_of(const char *t, int64_t *a, int64_t *b);

/* The catalogue patterns ml_certmsg_of() knows, NULL-terminated (for the test that checks each is
 * a row of the catalogue). */
extern const char *const ml_certmsg_patterns[];

/* The usage a certificate's description (x509_crt_info() text, one "label : value" a line) lists:
 * *ku = its keyUsage bits (MBEDTLS_X509_KU_*) or -1 when it prints none, *eku = its
 * extendedKeyUsage purposes (TD_EKU_*) or -1 when it prints none. Returns 1 if it prints either. */
int ml_cert_usage(const char *text, int *ku, int *eku);

#endif
