/* Circular byte buffers, used by the TCP send/receive buffers and the UDP
 * receive queues: copies that may wrap around the end of the array. */
#include "net_int.h"

void net_ring_put(uint8_t *ring, uint32_t size, uint32_t pos, const uint8_t *src, uint32_t len)
{
	uint32_t first = min32(len, size - pos);

	memcpy(ring + pos, src, first);
	memcpy(ring, src + first, len - first);
}

void net_ring_get(const uint8_t *ring, uint32_t size, uint32_t pos, uint8_t *dst, uint32_t len)
{
	uint32_t first = min32(len, size - pos);

	memcpy(dst, ring + pos, first);
	memcpy(dst + first, ring, len - first);
}
