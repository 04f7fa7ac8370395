/* telnetd's parts: the listener that starts one session process per
 * connection (main.c), a session carrying a shell over the connection
 * (session.c); the telnet protocol is lib/telnet. */
#ifndef TELNETD_H
#define TELNETD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "telnet/telnet.h"

#define TELNETD_PORT 2323      /* as in the seed */
#define TELNETD_SESSIONS 8     /* at once; more connections wait in the backlog */

int session_main(int conn);

#endif
