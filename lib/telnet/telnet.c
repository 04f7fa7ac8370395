/* The telnet protocol (RFC 854, 855, 857, 858): option negotiation with
 * the loop-free rule of RFC 1143 (answer only a request that changes an
 * option's state), subnegotiations skipped, CR NUL and CR LF turned into
 * the CR the shell's line editor takes as Enter, IAC IP into Ctrl-C. */
#include <string.h>

#include "telnet/telnet.h"

enum { S_DATA, S_CR, S_IAC, S_OPT, S_SB, S_SB_IAC };

static size_t put3(uint8_t *out, uint8_t verb, uint8_t opt)
{
	out[0] = TN_IAC, out[1] = verb, out[2] = opt;
	return 3;
}

size_t telnet_start(struct telnet *t, uint8_t *out)
{
	memset(t, 0, sizeof *t);
	t->us[TN_OPT_ECHO] = t->us[TN_OPT_SGA] = true;
	return put3(out, TN_WILL, TN_OPT_ECHO) + put3(out + 3, TN_WILL, TN_OPT_SGA);
}

/* The answer to one negotiation, or 0 bytes when none is due. */
static size_t negotiate(struct telnet *t, uint8_t verb, uint8_t opt, uint8_t *out)
{
	bool wanted = opt == TN_OPT_ECHO || opt == TN_OPT_SGA;
	switch (verb) {
	case TN_DO: /* the client asks us to enable opt */
		if (t->us[opt])
			return 0;
		if (!wanted)
			return put3(out, TN_WONT, opt);
		t->us[opt] = true;
		return put3(out, TN_WILL, opt);
	case TN_DONT:
		if (!t->us[opt])
			return 0;
		t->us[opt] = false;
		return put3(out, TN_WONT, opt);
	case TN_WILL: /* the client offers to enable opt on its side */
		if (t->him[opt])
			return 0;
		if (opt != TN_OPT_SGA)
			return put3(out, TN_DONT, opt);
		t->him[opt] = true;
		return put3(out, TN_DO, opt);
	default: /* TN_WONT */
		if (!t->him[opt])
			return 0;
		t->him[opt] = false;
		return put3(out, TN_DONT, opt);
	}
}

void telnet_input(struct telnet *t, const uint8_t *in, size_t n, uint8_t *data, size_t *dn,
		  uint8_t *answers, size_t *an)
{
	*dn = *an = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = in[i];
		switch (t->state) {
		case S_CR:
			t->state = S_DATA;
			if (c == 0 || c == '\n')
				break; /* CR NUL, CR LF: the CR already went to the shell */
			/* fall through */
		case S_DATA:
			if (c == TN_IAC)
				t->state = S_IAC;
			else {
				data[(*dn)++] = c;
				if (c == '\r')
					t->state = S_CR;
			}
			break;
		case S_IAC:
			t->state = S_DATA;
			if (c == TN_IAC)
				data[(*dn)++] = c;
			else if (c >= TN_WILL) {
				t->verb = c;
				t->state = S_OPT;
			} else if (c == TN_SB)
				t->state = S_SB;
			else if (c == TN_IP)
				data[(*dn)++] = 0x03;
			/* NOP, GA, AYT and the rest: nothing to do */
			break;
		case S_OPT:
			*an += negotiate(t, t->verb, c, answers + *an);
			t->state = S_DATA;
			break;
		case S_SB:
			if (c == TN_IAC)
				t->state = S_SB_IAC;
			break;
		default: /* S_SB_IAC */
			t->state = c == TN_SE ? S_DATA : S_SB;
			break;
		}
	}
}

size_t telnet_output(const char *in, size_t n, uint8_t *out, bool *after_cr)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)in[i];
		if (c == '\n' && !*after_cr)
			out[o++] = '\r';
		if (c == TN_IAC)
			out[o++] = TN_IAC;
		out[o++] = c;
		*after_cr = c == '\r';
	}
	return o;
}
