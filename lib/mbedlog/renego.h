/* renego.h -- what Mbed TLS's debug messages say of renegotiation and secure renegotiation
 * (renego.c). Internal to lib/mbedlog. */
#ifndef TD_MBEDLOG_RENEGO_H
#define TD_MBEDLOG_RENEGO_H

#include "tlsdoctor/transcript.h"

/* The renegotiation event one debug message (its whole text, NUL-terminated, not kept) reports,
 * or TD_RENEGO_NONE. */
enum td_renego ml_renego_of(const char *text);

#endif
