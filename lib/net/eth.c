/* Ethernet II framing: accept frames for our MAC or broadcast, dispatch on
 * the EtherType; build the header of outgoing frames. */
#include "net_int.h"

#define ETH_MIN_FRAME 60   /* without FCS; shorter frames are padded */

const uint8_t net_bcast_mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

void eth_input(struct net_stack *s, const uint8_t *f, size_t len)
{
	if (len < NET_ETH_HDR) {
		s->stats.eth_short++;
		return;
	}
	/* A NIC may hand over the 4-byte FCS; anything longer is not ours. */
	if (len > NET_FRAME_MAX + 4) {
		s->stats.eth_oversize++;
		return;
	}
	if (memcmp(f, s->mac, 6) != 0 && memcmp(f, net_bcast_mac, 6) != 0) {
		s->stats.eth_not_for_us++;
		return;
	}
	switch (get16(f + 12)) {
	case ETH_TYPE_IPV4:
		ipv4_input(s, f + NET_ETH_HDR, len - NET_ETH_HDR);
		break;
	case ETH_TYPE_ARP:
		arp_input(s, f + NET_ETH_HDR, len - NET_ETH_HDR);
		break;
	default:
		s->stats.eth_unknown_type++;
		break;
	}
}

/* Sends a frame buffer (NET_FRAME_MAX bytes) whose payload the caller has
 * written after the header. */
void eth_send(struct net_stack *s, uint8_t *frame, const uint8_t dst[6], uint16_t type,
              size_t payload_len)
{
	size_t len = NET_ETH_HDR + payload_len;

	memcpy(frame, dst, 6);
	memcpy(frame + 6, s->mac, 6);
	put16(frame + 12, type);
	if (len < ETH_MIN_FRAME) {
		memset(frame + len, 0, ETH_MIN_FRAME - len);
		len = ETH_MIN_FRAME;
	}
	s->stats.tx_frames++;
	s->tx(s->tx_ctx, frame, len);
}
