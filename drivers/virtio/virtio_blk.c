/* virtio-blk (virtio 1.x section 5.2): each request is a chain of a header,
 * the data split into physically contiguous segments, and a status byte.
 * Requests from many threads can be in flight; each caller sleeps until the
 * interrupt handler sees its request in the used ring.
 *
 * The device reads and writes the caller's memory directly, so a request
 * may not simply be abandoned when it times out: the caller would free or
 * reuse its buffer while the device still owns it, and a late completion
 * would land in (or write to disk from) someone else's memory. A timeout
 * therefore resets the device, after which it touches none of the rings
 * and buffers; every request still queued fails with -EIO (the timed-out
 * one with -ETIMEDOUT), and the device is set up again for the next. */
#include <string.h>

#include "arch.h"
#include "fmt/fmt.h"
#include "kernel/blockdev.h"
#include "kernel/heap.h"
#include "kernel/klog.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/vm.h"
#include "tsubame/errno.h"
#include "virtio.h"
#include "virtqueue.h"

#define VIRTIO_BLK_F_SIZE_MAX (1ull << 1)
#define VIRTIO_BLK_F_SEG_MAX (1ull << 2)
#define VIRTIO_BLK_F_RO (1ull << 5)
#define VIRTIO_BLK_F_BLK_SIZE (1ull << 6)
#define VIRTIO_BLK_F_FLUSH (1ull << 9)

/* Device configuration offsets (virtio 1.x, 5.2.4 struct virtio_blk_config). */
#define BLK_CFG_CAPACITY 0  /* le64, in 512-byte sectors */
#define BLK_CFG_SEG_MAX 12  /* le32, with VIRTIO_BLK_F_SEG_MAX */
#define BLK_CFG_BLK_SIZE 20 /* le32, with VIRTIO_BLK_F_BLK_SIZE */

#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_T_GET_ID 8

#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2

#define SECTOR 512u
#define MAX_REQUEST_BYTES (256u * 1024)   /* per device request */
#define MAX_CALL_BYTES (8u * 1024 * 1024) /* per read/write call: several requests in flight */
#define MAX_SEGMENTS (MAX_REQUEST_BYTES / PAGE_SIZE + 1)
#define QUEUE_SIZE 128
/* A device that has not answered in this long is stuck, not slow: even a
 * busy host completes a 256 KiB request in far less. */
#define REQUEST_TIMEOUT_NS (30ull * 1000000000ull)
#define STATUS_RESET 0xfe /* req->status of a request dropped by a device reset */

struct vblk {
	struct virtio_device *vdev;
	struct virtqueue *vq;
	struct waitq wq;       /* completions and free descriptors */
	struct blockdev bd;
	char name[48];
	bool read_only;
	bool dead;             /* a reset failed: every request is -EIO */
	uint32_t seg_max;
	uint32_t req_sectors;  /* per device request: fits seg_max even page by page */
};

struct vblk_req {
	struct {
		uint32_t type;
		uint32_t reserved;
		uint64_t sector;
	} hdr;
	uint8_t status;
	volatile bool done;
};

/* Splits [buf, buf+len) into physically contiguous pieces. Returns the
 * number of segments, or -EFAULT / -E2BIG. */
static int segments(const void *buf, size_t len, bool device_writes, struct virtq_buf *out, int max)
{
	int n = 0;
	uintptr_t va = (uintptr_t)buf;

	if (in_direct_map(buf) && len && len <= UINT32_MAX) { /* one piece, no walks */
		out[0] = (struct virtq_buf){ virt_to_phys(buf), (uint32_t)len, device_writes };
		return 1;
	}
	while (len) {
		size_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
		if (chunk > len)
			chunk = len;
		uint64_t pa = virtq_pa((const void *)va);
		if (!pa)
			return -EFAULT;
		if (n > 0 && out[n - 1].pa + out[n - 1].len == pa) {
			out[n - 1].len += (uint32_t)chunk;
		} else {
			if (n == max)
				return -E2BIG;
			out[n++] = (struct virtq_buf){ pa, (uint32_t)chunk, device_writes };
		}
		va += chunk;
		len -= chunk;
	}
	return n;
}

/* Queues one request and rings the doorbell; NULL and *err on failure.
 * Waits (up to its deadline) only for free descriptors. */
static struct vblk_req *start(struct vblk *vb, uint32_t type, uint64_t sector, void *data, size_t len,
			      uint64_t deadline, int *err)
{
	struct virtq_buf bufs[MAX_SEGMENTS + 2];
	struct vblk_req *req = kzalloc(sizeof *req);

	if (!req) {
		*err = -ENOMEM;
		return NULL;
	}
	req->hdr.type = type;
	req->hdr.sector = sector;
	req->status = 0xff;
	bool dev_writes = type == VIRTIO_BLK_T_IN || type == VIRTIO_BLK_T_GET_ID;
	int nseg = len ? segments(data, len, dev_writes, bufs + 1, (int)vb->seg_max) : 0;
	if (nseg < 0) {
		kfree(req);
		*err = nseg;
		return NULL;
	}
	bufs[0] = (struct virtq_buf){ virtq_pa(&req->hdr), sizeof req->hdr, false };
	bufs[nseg + 1] = (struct virtq_buf){ virtq_pa(&req->status), 1, true };

	irq_flags_t f = arch_irq_save();
	while ((*err = vb->dead ? -EIO : virtq_add(vb->vq, bufs, (unsigned)nseg + 2, req)) == -ENOSPC)
		if (!waitq_wait(&vb->wq, deadline))
			break;
	if (*err == 0) {
		vb->bd.requests++;
		if (++vb->bd.in_flight > vb->bd.max_in_flight)
			vb->bd.max_in_flight = vb->bd.in_flight;
		if (vb->bd.test_stall)
			vb->bd.test_stall--; /* the selftest's stuck device: it never hears of it */
		else
			virtq_kick(vb->vq);
	}
	arch_irq_restore(f);
	if (*err) {
		kfree(req);
		*err = *err == -ENOSPC ? -ETIMEDOUT : *err;
		return NULL;
	}
	return req;
}

static void drop_request(void *cookie, void *arg)
{
	struct vblk_req *req = cookie;

	(void)arg;
	req->status = STATUS_RESET;
	req->done = true;
}

/* Takes every request back from the device (interrupts off): a reset, then
 * the queue anew. Their callers see them done with STATUS_RESET. */
static void recover(struct vblk *vb)
{
	int err = virtio_reset(vb->vdev);

	if (!err)
		err = virtq_reset(vb->vq, drop_request, NULL);
	if (!err)
		virtio_driver_ok(vb->vdev);
	vb->bd.resets++;
	if (err) {
		/* A device that ignores a reset may still use what it was
		 * given: its requests stay allocated, and it gets no more. */
		vb->dead = true;
		kprintf(KERN_ERR "%s: the device did not come back from a reset (error %d); no more requests\n",
			vb->name, err);
	}
	waitq_wake_all(&vb->wq);
}

/* Waits for a started request and frees it; its status as an error. */
static int finish(struct vblk *vb, struct vblk_req *req, uint64_t deadline)
{
	irq_flags_t f = arch_irq_save();
	while (!req->done && waitq_wait(&vb->wq, deadline))
		;
	bool timed_out = !req->done;
	if (timed_out) {
		kprintf(KERN_ERR "%s: request timed out (type %u, sector %llu); resetting the device\n", vb->name,
			req->hdr.type, (unsigned long long)req->hdr.sector);
		recover(vb);
	}
	vb->bd.in_flight--; /* counted until its caller has taken it back */
	arch_irq_restore(f);
	if (!req->done)
		return -ETIMEDOUT; /* the reset failed: the device may still own req */
	int err = timed_out ? -ETIMEDOUT
		  : req->status == VIRTIO_BLK_S_OK ? 0
		  : req->status == VIRTIO_BLK_S_UNSUPP ? -ENOTSUP : -EIO;
	kfree(req);
	return err;
}

static uint64_t request_deadline(struct vblk *vb)
{
	return arch_timer_ns() + (vb->bd.test_timeout_ns ? vb->bd.test_timeout_ns : REQUEST_TIMEOUT_NS);
}

static int submit(struct vblk *vb, uint32_t type, uint64_t sector, void *data, size_t len)
{
	uint64_t deadline = request_deadline(vb);
	int err;
	struct vblk_req *req = start(vb, type, sector, data, len, deadline, &err);
	return req ? finish(vb, req, deadline) : err;
}

/* A read or write of any size: split into device requests of up to
 * MAX_REQUEST_BYTES, up to IN_FLIGHT of them queued at once (one doorbell
 * each, but the device works on them together and we sleep once per
 * completion burst instead of once per request). Every started request is
 * waited for before returning, even after an error: the device may still
 * be writing into buf. */
#define IN_FLIGHT 8
static int transfer(struct vblk *vb, uint32_t type, uint64_t lba, uint32_t count, void *buf)
{
	struct vblk_req *q[IN_FLIGHT];
	uint64_t deadline = request_deadline(vb);
	int n = 0, first = 0, err = 0;

	while (count && !err) {
		if (n == IN_FLIGHT) {
			err = finish(vb, q[first], deadline);
			first = (first + 1) % IN_FLIGHT;
			n--;
			if (err)
				break;
		}
		uint32_t chunk = count < vb->req_sectors ? count : vb->req_sectors;
		struct vblk_req *req = start(vb, type, lba, buf, (size_t)chunk * SECTOR, deadline, &err);
		if (!req)
			break;
		q[(first + n++) % IN_FLIGHT] = req;
		lba += chunk;
		count -= chunk;
		buf = (char *)buf + (size_t)chunk * SECTOR;
	}
	for (; n > 0; n--, first = (first + 1) % IN_FLIGHT) {
		int e = finish(vb, q[first], deadline);
		err = err ? err : e;
	}
	return err;
}

static struct vblk *to_vblk(struct blockdev *bd) { return bd->priv; }

static int vblk_read(struct blockdev *bd, uint64_t lba, uint32_t count, void *buf)
{
	return transfer(to_vblk(bd), VIRTIO_BLK_T_IN, lba, count, buf);
}

static int vblk_write(struct blockdev *bd, uint64_t lba, uint32_t count, const void *buf)
{
	if (to_vblk(bd)->read_only)
		return -EROFS;
	return transfer(to_vblk(bd), VIRTIO_BLK_T_OUT, lba, count, (void *)buf);
}

static int vblk_flush(struct blockdev *bd)
{
	struct vblk *vb = to_vblk(bd);

	if (!virtio_has_feature(vb->vdev, VIRTIO_BLK_F_FLUSH))
		return 0; /* the device has no write cache to flush */
	return submit(vb, VIRTIO_BLK_T_FLUSH, 0, NULL, 0);
}

static void vblk_interrupt(struct virtio_device *d, uint32_t cause)
{
	struct vblk *vb = d->driver_data;
	struct vblk_req *req;

	(void)cause;
	while ((req = virtq_get_used(vb->vq, NULL)) != NULL)
		req->done = true;
	waitq_wake_all(&vb->wq);
}

/* The role comes from the serial QEMU was given: "tsubame-diskN" is dev N. */
static int role_from_serial(struct vblk *vb)
{
	char *id = kzalloc(32);
	int index = -1;

	if (id && submit(vb, VIRTIO_BLK_T_GET_ID, 0, id, 20) == 0) {
		size_t n = strlen(BLOCKDEV_SERIAL_PREFIX);
		if (strncmp(id, BLOCKDEV_SERIAL_PREFIX, n) == 0 && id[n] >= '0' && id[n] <= '9' &&
		    id[n + 1] == '\0')
			index = id[n] - '0';
	}
	kfree(id);
	return index;
}

static int vblk_probe(struct virtio_device *d)
{
	struct vblk *vb = kzalloc(sizeof *vb);
	uint64_t capacity;
	int err;

	if (!vb)
		return -ENOMEM;
	vb->vdev = d;
	d->driver_data = vb;
	waitq_init(&vb->wq);
	d->transport->config_read(d, BLK_CFG_CAPACITY, &capacity, sizeof capacity);
	vb->seg_max = MAX_SEGMENTS;
	if (virtio_has_feature(d, VIRTIO_BLK_F_SEG_MAX)) {
		uint32_t seg_max;
		d->transport->config_read(d, BLK_CFG_SEG_MAX, &seg_max, sizeof seg_max);
		if (seg_max && seg_max < vb->seg_max)
			vb->seg_max = seg_max;
	}
	vb->read_only = virtio_has_feature(d, VIRTIO_BLK_F_RO);
	if (virtio_has_feature(d, VIRTIO_BLK_F_BLK_SIZE)) {
		uint32_t blk_size;
		d->transport->config_read(d, BLK_CFG_BLK_SIZE, &blk_size, sizeof blk_size);
		if (blk_size != SECTOR) {
			/* Capacity is in 512-byte units regardless, but our file
			 * systems assume 512-byte logical blocks. */
			kprintf("virtio-blk %s: logical block size %u is not supported (need %u)\n",
				d->name, blk_size, SECTOR);
			return -ENOTSUP;
		}
	}
	err = virtq_create(d, 0, QUEUE_SIZE, &vb->vq);
	if (err)
		return err;
	fmt_snprintf(vb->name, sizeof vb->name, "virtio-blk (%s)", d->name);
	vb->req_sectors = (vb->seg_max - 1) * (PAGE_SIZE / SECTOR) < MAX_REQUEST_BYTES / SECTOR
				  ? (vb->seg_max - 1) * (uint32_t)(PAGE_SIZE / SECTOR)
				  : MAX_REQUEST_BYTES / SECTOR;
	vb->bd = (struct blockdev){ /* counters start at zero */
		.name = vb->name,
		.sector_size = SECTOR,
		.sector_count = capacity,
		.max_sectors_per_request = MAX_CALL_BYTES / SECTOR, /* transfer() splits further */
		.read = vblk_read,
		.write = vblk_write,
		.flush = vblk_flush,
		.priv = vb,
	};
	return 0;
}

static int vblk_start(struct virtio_device *d)
{
	struct vblk *vb = d->driver_data;
	int err = blockdev_register(&vb->bd, role_from_serial(vb));

	return err < 0 ? err : 0;
}

const struct virtio_driver virtio_blk_driver = {
	.name = "virtio-blk",
	.device_id = VIRTIO_ID_BLOCK,
	.wanted_features = VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_RO | VIRTIO_BLK_F_BLK_SIZE |
			   VIRTIO_BLK_F_FLUSH | VIRTIO_BLK_F_SIZE_MAX,
	.probe = vblk_probe,
	.start = vblk_start,
	.interrupt = vblk_interrupt,
};
