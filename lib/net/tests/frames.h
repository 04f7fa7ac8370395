/* Frame building and dissecting for the tests: the test-side view of the
 * wire, independent of the stack's own code paths (only the checksum
 * routine is shared). */
#ifndef NET_TEST_FRAMES_H
#define NET_TEST_FRAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net.h"

extern const uint8_t fr_bcast[6];

/* Full frames; each returns the frame length. */
size_t fr_ipv4(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint32_t sip, uint32_t dip,
               uint8_t proto, const uint8_t *payload, size_t plen);
size_t fr_udp(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint32_t sip, uint32_t dip,
              uint16_t sport, uint16_t dport, const uint8_t *data, size_t len);
size_t fr_tcp(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint32_t sip, uint32_t dip,
              uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t wnd,
              const uint8_t *opts, size_t optlen, const uint8_t *data, size_t len);
size_t fr_icmp(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint32_t sip, uint32_t dip,
               uint8_t type, uint8_t code, uint16_t id, uint16_t seq, const uint8_t *data, size_t len);
size_t fr_arp(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint16_t op, uint32_t spa,
              const uint8_t tha[6], uint32_t tpa);

/* Recompute checksums after editing a frame built above. */
void fr_fix_ip(uint8_t *f);
void fr_fix_l4(uint8_t *f);

/* What a frame is, for filters and assertions. */
struct fr_info {
	uint16_t type;               /* EtherType */
	uint16_t arp_op;
	uint32_t sip, dip;           /* IPv4 or ARP addresses */
	uint8_t proto;
	uint16_t sport, dport;       /* UDP/TCP */
	uint8_t icmp_type, icmp_code;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t wnd;
	const uint8_t *data;         /* UDP/TCP/ICMP payload */
	size_t len;
};
bool fr_parse(const uint8_t *f, size_t len, struct fr_info *fi);

#endif
