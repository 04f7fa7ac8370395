/* Dotted-quad IPv4 addresses (host byte order) to and from text. */
#include <stdio.h>

#include "tsubame.h"

int ip_parse(const char *s, uint32_t *ip)
{
	uint32_t v = 0;
	for (int part = 0; part < 4; part++) {
		unsigned n = 0, digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			n = n * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (!digits || n > 255 || (part < 3 && *s++ != '.'))
			return -EINVAL;
		v = v << 8 | n;
	}
	if (*s)
		return -EINVAL;
	*ip = v;
	return 0;
}

const char *ip_format(uint32_t ip, char out[16])
{
	snprintf(out, 16, "%u.%u.%u.%u", ip >> 24, ip >> 16 & 255, ip >> 8 & 255, ip & 255);
	return out;
}

int resolve_host(const char *name, uint32_t *ip)
{
	if (ip_parse(name, ip) == 0)
		return 0;
	return dns_lookup(name, 0, 0, ip, 8000);
}
