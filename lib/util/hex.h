/* hex.h -- the hex text parser lives in lib/util/hex.c; its API is public (the CLI uses it). */
#include "tlsdoctor/hex.h"
