/* Randomness for everything an off-path attacker must not guess: initial
 * sequence numbers, ephemeral ports, DNS ids, the DHCP xid. It is only as
 * good as the seed the host passes to net_init. */
#include "net_int.h"

/* splitmix64: a small generator with a full 2^64 period. */
uint32_t net_rand32(struct net_stack *s)
{
	uint64_t z = (s->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

static uint64_t rotl(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

#define SIPROUND                                                            \
	do {                                                                \
		v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);   \
		v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;                      \
		v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;                      \
		v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);   \
	} while (0)

/* SipHash-2-4 of two 64-bit words under the stack's secret key. */
static uint64_t siphash2(const uint64_t key[2], uint64_t m0, uint64_t m1)
{
	uint64_t v0 = key[0] ^ 0x736f6d6570736575ull, v1 = key[1] ^ 0x646f72616e646f6dull;
	uint64_t v2 = key[0] ^ 0x6c7967656e657261ull, v3 = key[1] ^ 0x7465646279746573ull;
	const uint64_t m[3] = {m0, m1, (uint64_t)16 << 56};

	for (int i = 0; i < 3; i++) {
		v3 ^= m[i];
		SIPROUND;
		SIPROUND;
		v0 ^= m[i];
	}
	v2 ^= 0xff;
	for (int i = 0; i < 4; i++)
		SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

/* RFC 6528: ISN = M + F(4-tuple, secret), M a clock ticking every 4 us, so
 * that a new incarnation of a connection starts above the old one's
 * sequence numbers while an outsider cannot predict it. */
uint32_t net_iss(const struct net_stack *s, uint32_t rip, uint16_t lport, uint16_t rport)
{
	uint64_t m0 = ((uint64_t)s->ifc.ip << 32) | rip;
	uint64_t m1 = ((uint64_t)lport << 16) | rport;

	return (uint32_t)(s->now * 250) + (uint32_t)siphash2(s->iss_key, m0, m1);
}

/* A random free port in the dynamic range 49152-65535 (RFC 6056): random
 * ports make blind spoofing harder. 0 if every port is taken. */
uint16_t net_pick_port(struct net_stack *s, bool (*in_use)(const struct net_stack *, uint16_t))
{
	uint32_t span = 65536u - 49152u, start = net_rand32(s) % span;

	for (uint32_t k = 0; k < span; k++) {
		uint16_t port = (uint16_t)(49152u + (start + k) % span);
		if (!in_use(s, port))
			return port;
	}
	return 0;
}
