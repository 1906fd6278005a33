/* err.c -- descriptions of enum td_err (see include/tlsdoctor/err.h).
 * A switch, not a table, so that -Wswitch-enum flags a new enumerator left undescribed. */
#include "tlsdoctor/err.h"

const char *td_strerror(enum td_err e)
{
    switch (e) {
    case TD_OK: return "success";
    case TD_ERR_TRUNCATED: return "input ends before the end of a field";
    case TD_ERR_BAD_LENGTH: return "a length field disagrees with its container";
    case TD_ERR_BAD_VALUE: return "a field holds a value the protocol does not allow";
    case TD_ERR_TRAILING: return "unexpected bytes after the end of a structure";
    case TD_ERR_UNSUPPORTED: return "not something tlsdoctor decodes";
    case TD_ERR_SYNTAX: return "input text does not have the expected shape";
    case TD_ERR_UNKNOWN_NAME: return "unknown name or number";
    case TD_ERR_NOTHING_FOUND: return "nothing recognisable in the input";
    case TD_ERR_NOMEM: return "out of memory";
    case TD_ERR_TOO_LARGE: return "input is larger than tlsdoctor accepts";
    case TD_ERR_IO: return "input/output error";
    case TD_ERR_ARG: return "invalid argument";
    case TD_ERR_CRYPTO: return "cryptographic library error";
    case TD_ERR_RESOLVE: return "host name does not resolve";
    case TD_ERR_CONNECT: return "could not connect";
    case TD_ERR_TIMEOUT: return "timed out waiting for the peer";
    case TD_ERR_PEER_CLOSED: return "the peer closed the connection";
    case TD_ERR_PEER_RESET: return "the peer reset the connection";
    case TD_ERR_SOCKET: return "socket error";
    }
    return "unknown error";
}
