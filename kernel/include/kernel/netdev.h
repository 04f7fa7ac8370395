/* The network device: raw Ethernet frames in and out. The kernel only
 * moves frames; the TCP/IP stack is the user-space netd's (lib/net). */
#ifndef KERNEL_NETDEV_H
#define KERNEL_NETDEV_H

#include <stddef.h>
#include <stdint.h>

#define NETDEV_MTU_FRAME 1514 /* Ethernet header + 1500 */

struct netdev {
	const char *name;
	uint8_t mac[6];
	int (*send)(struct netdev *nd, const void *frame, size_t len);
	/* Next received frame into buf; waits up to timeout_ms (0: don't,
	 * TSB_FOREVER). Returns its length, -EAGAIN (nothing, or woken early
	 * by thread_wake), -ETIMEDOUT, -EINTR, or -EMSGSIZE if buf is too
	 * small (the frame is dropped). */
	long (*recv)(struct netdev *nd, void *buf, size_t len, long timeout_ms);
	unsigned long rx_frames, tx_frames, rx_dropped;
	void *priv;
};

int netdev_register(struct netdev *nd);
struct netdev *netdev_get(void); /* the first network device, or NULL */

#endif
