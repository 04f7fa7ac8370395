/* ping [-c COUNT] HOST: ICMP echo requests through netd, one a second,
 * with each round trip; exit status 0 if any reply came. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsubame.h"

#define TIMEOUT_MS 2000

int main(int argc, char **argv)
{
	int count = 4, arg = 1;
	if (argc >= 3 && strcmp(argv[1], "-c") == 0) {
		count = atoi(argv[2]);
		arg = 3;
	}
	if (argc != arg + 1 || count < 1) {
		printf("usage: ping [-c COUNT] HOST\n");
		return 2;
	}
	uint32_t ip;
	char text[16];
	int err = resolve_host(argv[arg], &ip);
	if (err < 0) {
		printf("ping: %s: %s\n", argv[arg], strerror(err));
		return 2;
	}
	int received = 0;
	for (int i = 0; i < count; i++) {
		int rtt = ping(ip, 56, TIMEOUT_MS);
		if (rtt >= 0) {
			received++;
			printf("reply from %s: seq=%d time=%d ms\n", ip_format(ip, text), i + 1, rtt);
		} else {
			printf("no reply from %s: seq=%d: %s\n", ip_format(ip, text), i + 1, strerror(rtt));
		}
		if (i + 1 < count)
			sleep_ms(rtt >= 0 && rtt < 1000 ? (uint64_t)(1000 - rtt) : 0);
	}
	printf("%d sent, %d received\n", count, received);
	return received ? 0 : 1;
}
