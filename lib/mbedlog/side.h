/* side.h -- which side wrote a log, from its lines, and a server's refusals (side.c). Internal to
 * lib/mbedlog. All functions read a NUL-terminated text they do not keep. */
#ifndef TD_MBEDLOG_SIDE_H
#define TD_MBEDLOG_SIDE_H

#include "mbedlog_int.h"

/* The side whose code prints this debug message (the whole message text, "=> parse client
 * hello"), as the message catalogue says, or UNKNOWN (unknown message, or both sides print it). */
enum td_actor ml_side_of_msg(const char *text);
/* The side a sample program's application line belongs to ("  . Waiting for a remote
 * connection ..." -> server), or UNKNOWN. */
enum td_actor ml_side_of_app_line(const char *text);
/* Why a server refused its client, from one of its debug messages, or TD_REFUSAL_NONE. Only
 * meaningful in a server's log ("peer has no certificate" is printed by both sides in 3.x). */
enum td_refusal ml_server_refusal(const char *text);

#endif
