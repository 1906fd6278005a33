/* vocab.h -- lookups over the words Mbed TLS prints (see vocab.c). Not a public API. */
#ifndef TD_MBEDLOG_VOCAB_H
#define TD_MBEDLOG_VOCAB_H

#include <stddef.h>

struct ml_verify_msg {
    unsigned flag;       /* MBEDTLS_X509_BADCERT_* / BADCRL_* bit */
    const char *text;    /* as mbedtls_x509_crt_verify_info() prints it (without the final dot) */
};

/* The verification message contained in text, or NULL. */
const struct ml_verify_msg *ml_verify_find(const char *text);
/* Extension number for a name as debug lines spell it (n bytes), or -1. */
int ml_ext_id(const char *name, size_t n);
/* Named group number for a debug-line group name ("x25519"), or -1. */
int ml_group_id(const char *name);

#endif
