/* hex.h -- the hex text parser lives in lib/util/hex.c; its API is public (the CLI uses it). This
 * header adds the one digit helper the library's other text parsers share. */
#ifndef TD_UTIL_HEX_H
#define TD_UTIL_HEX_H

#include "tlsdoctor/hex.h"

/* The value of one hex digit (0-9, a-f, A-F), or -1 if c is not one. */
int td_hex_digit(char c);

#endif
