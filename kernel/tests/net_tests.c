/* virtio-net through the netdev layer: QEMU's user network (slirp) must
 * answer an ARP request for the gateway 10.0.2.2 with its MAC. */
#include <string.h>

#include "arch.h"
#include "kernel/netdev.h"
#include "kernel/selftest.h"
#include "tsubame/errno.h"

SELFTEST(net_arp_reply_from_gateway)
{
	struct netdev *nd = netdev_get();
	uint8_t f[64] = { 0 }, in[NETDEV_MTU_FRAME];

	CHECKF(nd != NULL, "no network device");
	memset(f, 0xff, 6);                             /* broadcast */
	memcpy(f + 6, nd->mac, 6);
	f[12] = 0x08, f[13] = 0x06;                     /* ARP */
	static const uint8_t arp_head[] = { 0, 1, 8, 0, 6, 4, 0, 1 }; /* Ethernet/IPv4 request */
	memcpy(f + 14, arp_head, sizeof arp_head);
	memcpy(f + 22, nd->mac, 6);
	memcpy(f + 28, "\x0a\x00\x02\x0f", 4);          /* we are 10.0.2.15 */
	memcpy(f + 38, "\x0a\x00\x02\x02", 4);          /* who has 10.0.2.2? */
	unsigned long tx0 = nd->tx_frames;
	CHECK(nd->send(nd, f, 60) == 0);
	CHECK(nd->send(nd, f, 10) == -EINVAL);          /* shorter than a header */
	uint64_t deadline = arch_timer_ns() + 3000000000ull;
	bool answered = false;
	while (!answered && arch_timer_ns() < deadline) {
		long n = nd->recv(nd, in, sizeof in, 500);
		if (n < 0)
			continue;
		answered = n >= 42 && in[12] == 0x08 && in[13] == 0x06 && in[21] == 2 &&
			   memcmp(in + 28, "\x0a\x00\x02\x02", 4) == 0 && memcmp(in + 32, nd->mac, 6) == 0;
	}
	CHECK(answered);
	CHECK(nd->tx_frames == tx0 + 1);
	CHECK(nd->recv(nd, in, sizeof in, 0) == -EAGAIN || nd->rx_frames > 0);
}
