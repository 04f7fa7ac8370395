/* ifconfig: netd's address configuration and counters. */
#include <stdio.h>

#include "tsubame.h"
#include "tsubame/netproto.h"

int main(void)
{
	static const char *sources[] = { "none yet", "static", "DHCP", "fallback (no DHCP answer)" };
	struct netp_info in;
	int err = net_info(&in);
	if (err < 0) {
		printf("ifconfig: %s\n", strerror(err));
		return 1;
	}
	char a[16], m[16], g[16], d[16];
	printf("address %s netmask %s gateway %s dns %s (%s)\n", ip_format(in.ip, a), ip_format(in.netmask, m),
	       ip_format(in.gateway, g), ip_format(in.dns, d), in.source < 4 ? sources[in.source] : "?");
	printf("frames: %u received, %u sent, %u malformed dropped\n", in.rx_frames, in.tx_frames, in.rx_dropped);
	printf("netd: %u requests, %u malformed, %u replies lost, %u clients with sockets\n", in.requests,
	       in.bad_requests, in.lost_replies, in.clients);
	return 0;
}
