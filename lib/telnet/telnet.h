/* The telnet protocol as a server speaks it (lib/telnet/telnet.c): used by
 * telnetd and tested on the host (lib/tests/test_telnet.c). Pure functions
 * over buffers: no I/O, no allocation. */
#ifndef LIB_TELNET_H
#define LIB_TELNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RFC 854 commands and the options we speak. */
enum {
	TN_SE = 240, TN_NOP = 241, TN_IP = 244, TN_AYT = 246, TN_GA = 249, TN_SB = 250,
	TN_WILL = 251, TN_WONT = 252, TN_DO = 253, TN_DONT = 254, TN_IAC = 255,
	TN_OPT_ECHO = 1, TN_OPT_SGA = 3,
};

struct telnet {
	uint8_t state;         /* where the parser is inside a command */
	uint8_t verb;          /* WILL/WONT/DO/DONT waiting for its option */
	bool us[256], him[256];/* options enabled on our side, on the client's */
};

/* The opening offer: WILL ECHO, WILL SUPPRESS-GO-AHEAD. Returns its length. */
size_t telnet_start(struct telnet *t, uint8_t *out);
/* Splits received bytes into data for the shell and answers for the
 * client. data needs n bytes, answers 3 * n. */
void telnet_input(struct telnet *t, const uint8_t *in, size_t n, uint8_t *data, size_t *dn,
		  uint8_t *answers, size_t *an);
/* The shell's output as NVT: LF becomes CR LF, IAC is doubled. out needs
 * 2 * n bytes; *after_cr carries a CR seen at the end of the last call. */
size_t telnet_output(const char *in, size_t n, uint8_t *out, bool *after_cr);

#endif
