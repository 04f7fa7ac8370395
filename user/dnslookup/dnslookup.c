/* dnslookup NAME [SERVER[:PORT]]: the A record of NAME, from the DNS
 * server netd got from DHCP or from the one given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsubame.h"

int main(int argc, char **argv)
{
	if (argc != 2 && argc != 3) {
		printf("usage: dnslookup NAME [SERVER[:PORT]]\n");
		return 2;
	}
	uint32_t server = 0, ip = 0;
	uint16_t port = 0;
	if (argc == 3) {
		char addr[32];
		strlcpy(addr, argv[2], sizeof addr);
		char *colon = strchr(addr, ':');
		if (colon) {
			*colon = '\0';
			port = (uint16_t)atoi(colon + 1);
		}
		if (ip_parse(addr, &server) < 0 || (colon && !port)) {
			printf("dnslookup: bad server '%s' (want A.B.C.D or A.B.C.D:PORT)\n", argv[2]);
			return 2;
		}
	}
	int err = dns_lookup(argv[1], server, port, &ip, 10000);
	if (err < 0) {
		printf("dnslookup: %s: %s\n", argv[1], err == -ENOENT ? "no such name (NXDOMAIN)" : strerror(err));
		return 1;
	}
	char text[16];
	printf("%s has address %s\n", argv[1], ip_format(ip, text));
	return 0;
}
