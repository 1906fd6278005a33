/* err.h -- tlsdoctor's one error type.
 *
 * Every library function that can fail returns an enum td_err. Ranges carry meaning:
 *   0          success
 *   1..99      decoding untrusted bytes (wire layer)
 *   100..199   input text (hex, logs, numbers on a command line)
 *   200..299   resources and the environment (memory, files)
 *   300..399   network (probe, replay)
 * Numbers are never reused; a retired one stays as TD_ERR_OBSOLETE_nnn. */
#ifndef TLSDOCTOR_ERR_H
#define TLSDOCTOR_ERR_H

enum td_err {
    TD_OK = 0,

    TD_ERR_TRUNCATED = 1,      /* input ended before a field it announced */
    TD_ERR_BAD_LENGTH = 2,     /* a length field disagrees with what encloses it */
    TD_ERR_BAD_VALUE = 3,      /* a field holds a value the protocol does not allow */
    TD_ERR_TRAILING = 4,       /* bytes left over after a complete structure */
    TD_ERR_UNSUPPORTED = 5,    /* well-formed but not something we decode */

    TD_ERR_SYNTAX = 100,       /* text that does not have the expected shape */
    TD_ERR_UNKNOWN_NAME = 101, /* a name or number that no registry knows */
    TD_ERR_NOTHING_FOUND = 102,/* input held nothing we recognise */

    TD_ERR_NOMEM = 200,        /* allocation failed */
    TD_ERR_TOO_LARGE = 201,    /* input exceeds a documented cap */
    TD_ERR_IO = 202,           /* reading or writing a file failed */
    TD_ERR_ARG = 203,          /* an argument to a library function is invalid */
    TD_ERR_CRYPTO = 204,       /* OpenSSL libcrypto reported an error */

    TD_ERR_RESOLVE = 300,      /* host name did not resolve */
    TD_ERR_CONNECT = 301,      /* connection refused or unreachable */
    TD_ERR_TIMEOUT = 302,      /* the peer did not answer in time */
    TD_ERR_PEER_CLOSED = 303,  /* the peer closed the connection */
    TD_ERR_PEER_RESET = 304,   /* the peer reset the connection */
    TD_ERR_SOCKET = 305        /* another socket error */
};

/* A short fixed English description of e; never NULL, "unknown error (N)" style for values not
 * listed is impossible here because the switch covers every enumerator. Static storage. */
const char *td_strerror(enum td_err e);

#endif
