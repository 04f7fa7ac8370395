/* The Internet checksum (RFC 1071): one's-complement sum of 16-bit words. */
#include "net_int.h"

/* Adds bytes to a running sum. Only the last chunk of a checksum may have an
 * odd length, since a lone byte is padded as the high half of a word. */
uint32_t net_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	uint64_t acc = sum;

	while (len >= 2) {
		acc += get16(p);
		p += 2;
		len -= 2;
	}
	if (len)
		acc += (uint32_t)p[0] << 8;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint32_t)acc;
}

/* The checksum field value: the complement of the folded sum. Over data
 * that includes a correct checksum field it is 0. */
uint16_t net_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* TCP and UDP checksum with the IPv4 pseudo header (RFC 9293 3.1). */
uint16_t net_l4_csum(uint32_t src, uint32_t dst, uint8_t proto, const uint8_t *seg, size_t len)
{
	uint8_t ph[12];

	put32(ph, src);
	put32(ph + 4, dst);
	ph[8] = 0;
	ph[9] = proto;
	put16(ph + 10, (uint16_t)len);
	return net_csum_fold(net_csum_add(net_csum_add(0, ph, sizeof(ph)), seg, len));
}
