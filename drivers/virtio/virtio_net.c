/* virtio-net (virtio 1.x section 5.1): receive buffers are posted ahead and
 * refilled as frames arrive; each send copies the frame behind a zeroed
 * virtio-net header into a free transmit slot. Receivers sleep until the
 * interrupt handler has queued a frame. */
#include <string.h>

#include "arch.h"
#include "fmt/fmt.h"
#include "kernel/heap.h"
#include "kernel/netdev.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "tsubame/errno.h"
#include "tsubame/syscall.h"
#include "virtio.h"
#include "virtqueue.h"

#define VIRTIO_NET_F_MAC (1ull << 5)
#define NET_CFG_MAC 0 /* 6 bytes, with VIRTIO_NET_F_MAC (virtio 1.x, 5.1.4) */
#define RXQ 0
#define TXQ 1
#define NBUF 32
#define HDR 12                      /* struct virtio_net_hdr with VERSION_1 */
#define BUF (HDR + NETDEV_MTU_FRAME + 4)

struct vnet {
	struct virtio_device *vdev;
	struct virtqueue *rx, *tx;
	struct netdev nd;
	char name[48];
	uint8_t (*rxbuf)[BUF];
	uint8_t (*txbuf)[BUF];
	bool tx_busy[NBUF];
	/* Frames the device has filled, in arrival order, not yet read. */
	int ready[NBUF];
	uint32_t ready_len[NBUF];
	unsigned ready_head, ready_count;
	struct waitq rx_wait, tx_wait;
};

static void post_rx(struct vnet *vn, int i)
{
	struct virtq_buf b = { virtq_pa(vn->rxbuf[i]), BUF, true };
	virtq_add(vn->rx, &b, 1, (void *)(uintptr_t)(i + 1));
}

static void vnet_interrupt(struct virtio_device *d, uint32_t cause)
{
	struct vnet *vn = d->driver_data;
	void *cookie;
	uint32_t len;

	(void)cause;
	while ((cookie = virtq_get_used(vn->rx, &len)) != NULL) {
		int i = (int)(uintptr_t)cookie - 1;
		if (vn->ready_count == NBUF || len <= HDR) {
			vn->nd.rx_dropped++;
			post_rx(vn, i);
			continue;
		}
		unsigned slot = (vn->ready_head + vn->ready_count++) % NBUF;
		vn->ready[slot] = i;
		vn->ready_len[slot] = len - HDR;
	}
	while ((cookie = virtq_get_used(vn->tx, NULL)) != NULL)
		vn->tx_busy[(uintptr_t)cookie - 1] = false;
	virtq_kick(vn->rx);
	waitq_wake_all(&vn->rx_wait);
	waitq_wake_all(&vn->tx_wait);
}

static int vnet_send(struct netdev *nd, const void *frame, size_t len)
{
	struct vnet *vn = nd->priv;
	uint64_t deadline = arch_timer_ns() + 1000000000ull;

	if (len < 14 || len > NETDEV_MTU_FRAME)
		return -EINVAL;
	irq_flags_t f = arch_irq_save();
	int i;
	for (;;) {
		for (i = 0; i < NBUF && vn->tx_busy[i]; i++)
			;
		if (i < NBUF)
			break;
		if (!waitq_wait(&vn->tx_wait, deadline)) {
			arch_irq_restore(f);
			return -ETIMEDOUT;
		}
	}
	vn->tx_busy[i] = true;
	memset(vn->txbuf[i], 0, HDR);
	memcpy(vn->txbuf[i] + HDR, frame, len);
	struct virtq_buf b = { virtq_pa(vn->txbuf[i]), (uint32_t)(HDR + len), false };
	int err = virtq_add(vn->tx, &b, 1, (void *)(uintptr_t)(i + 1));
	if (err)
		vn->tx_busy[i] = false;
	else {
		virtq_kick(vn->tx);
		nd->tx_frames++;
	}
	arch_irq_restore(f);
	return err;
}

static long vnet_recv(struct netdev *nd, void *buf, size_t len, long timeout_ms)
{
	struct vnet *vn = nd->priv;
	uint64_t deadline = timeout_ms > 0 ? arch_timer_ns() + (uint64_t)timeout_ms * 1000000ull : 0;
	long r;

	irq_flags_t f = arch_irq_save();
	while (vn->ready_count == 0) {
		if (timeout_ms == TSB_NO_WAIT) {
			arch_irq_restore(f);
			return -EAGAIN;
		}
		if (!waitq_wait_interruptible(&vn->rx_wait, deadline)) {
			arch_irq_restore(f);
			if (thread_current()->interrupted)
				return -EINTR;
			/* Woken for something else (thread_wake): not a timeout. */
			return deadline && arch_timer_ns() >= deadline ? -ETIMEDOUT : -EAGAIN;
		}
	}
	unsigned slot = vn->ready_head;
	int i = vn->ready[slot];
	uint32_t n = vn->ready_len[slot];
	vn->ready_head = (vn->ready_head + 1) % NBUF;
	vn->ready_count--;
	if (n > len) {
		r = -EMSGSIZE;
		nd->rx_dropped++;
	} else {
		memcpy(buf, vn->rxbuf[i] + HDR, n);
		r = n;
		nd->rx_frames++;
	}
	post_rx(vn, i);
	virtq_kick(vn->rx);
	arch_irq_restore(f);
	return r;
}

static int vnet_probe(struct virtio_device *d)
{
	struct vnet *vn = kzalloc(sizeof *vn);

	if (!vn)
		return -ENOMEM;
	vn->vdev = d;
	d->driver_data = vn;
	waitq_init(&vn->rx_wait);
	waitq_init(&vn->tx_wait);
	vn->rxbuf = kmalloc(sizeof(*vn->rxbuf) * NBUF);
	vn->txbuf = kmalloc(sizeof(*vn->txbuf) * NBUF);
	if (!vn->rxbuf || !vn->txbuf)
		return -ENOMEM;
	int err = virtq_create(d, RXQ, NBUF, &vn->rx);
	if (!err)
		err = virtq_create(d, TXQ, NBUF, &vn->tx);
	if (err)
		return err;
	if (virtio_has_feature(d, VIRTIO_NET_F_MAC))
		d->transport->config_read(d, NET_CFG_MAC, vn->nd.mac, 6);
	else
		memcpy(vn->nd.mac, "\x52\x54\x00\x12\x34\x56", 6); /* QEMU's default */
	for (int i = 0; i < NBUF; i++)
		post_rx(vn, i);
	fmt_snprintf(vn->name, sizeof vn->name, "virtio-net (%s)", d->name);
	vn->nd.name = vn->name;
	vn->nd.send = vnet_send;
	vn->nd.recv = vnet_recv;
	vn->nd.priv = vn;
	return 0;
}

static int vnet_start(struct virtio_device *d)
{
	struct vnet *vn = d->driver_data;
	virtq_kick(vn->rx);
	return netdev_register(&vn->nd);
}

const struct virtio_driver virtio_net_driver = {
	.name = "virtio-net",
	.device_id = VIRTIO_ID_NET,
	.wanted_features = VIRTIO_NET_F_MAC,
	.probe = vnet_probe,
	.start = vnet_start,
	.interrupt = vnet_interrupt,
};
