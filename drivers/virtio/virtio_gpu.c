/* virtio-gpu in 2D mode (virtio 1.x section 5.7): one resource in
 * B8G8R8X8 format (a 32-bit pixel reads 0x00RRGGBB), backed by physically
 * contiguous frames from the frame allocator (a few MiB: not the kernel
 * heap), scanned out on scanout 0. A flush transfers only the given
 * rectangle to the host and flushes only it. One command is in flight at a
 * time; the interrupt handler marks it done. */
#include <string.h>

#include "arch.h"
#include "fmt/fmt.h"
#include "kernel/display.h"
#include "kernel/frame.h"
#include "kernel/heap.h"
#include "kernel/mutex.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "tsubame/errno.h"
#include "virtio.h"
#include "virtqueue.h"

#define CONTROLQ 0
#define CMD_TIMEOUT_NS 1000000000ull
#define DEFAULT_W 1024
#define DEFAULT_H 768
#define MAX_W 2560
#define MAX_H 1600
#define RESOURCE_ID 1

enum {
	CMD_GET_DISPLAY_INFO = 0x0100, CMD_RESOURCE_CREATE_2D, CMD_RESOURCE_UNREF, CMD_SET_SCANOUT,
	CMD_RESOURCE_FLUSH, CMD_TRANSFER_TO_HOST_2D, CMD_RESOURCE_ATTACH_BACKING,
	RESP_OK_NODATA = 0x1100, RESP_OK_DISPLAY_INFO,
	FORMAT_B8G8R8X8_UNORM = 2,
};

struct ctrl_hdr {
	uint32_t type, flags;
	uint64_t fence_id;
	uint32_t ctx_id;
	uint8_t ring_idx, pad[3];
};
struct rect { uint32_t x, y, w, h; };
struct resp_display_info {
	struct ctrl_hdr hdr;
	struct { struct rect r; uint32_t enabled, flags; } pmodes[16];
};
struct cmd_create_2d { struct ctrl_hdr hdr; uint32_t resource_id, format, width, height; };
struct cmd_attach_backing {
	struct ctrl_hdr hdr;
	uint32_t resource_id, nr_entries;
	struct { uint64_t addr; uint32_t length, pad; } entry; /* one contiguous range */
};
struct cmd_set_scanout { struct ctrl_hdr hdr; struct rect r; uint32_t scanout_id, resource_id; };
struct cmd_flush { struct ctrl_hdr hdr; struct rect r; uint32_t resource_id, pad; };
struct cmd_transfer { struct ctrl_hdr hdr; struct rect r; uint64_t offset; uint32_t resource_id, pad; };

struct vgpu {
	struct virtio_device *vdev;
	struct virtqueue *ctrl;
	struct mutex lock;           /* one command at a time */
	struct waitq done_wait;
	bool done, broken;
	uint64_t buf_pa;             /* one frame: command at 0, response at CMD_MAX */
	uint8_t *buf;
	struct display disp;
	char name[48];
};
#define CMD_MAX 2048

static void vgpu_interrupt(struct virtio_device *d, uint32_t cause)
{
	struct vgpu *g = d->driver_data;

	(void)cause;
	while (virtq_get_used(g->ctrl, NULL) != NULL)
		g->done = true;
	waitq_wake_all(&g->done_wait);
}

/* Sends one command and waits for its response; 0 if the device answered
 * with `want`, else -EIO (or -ETIMEDOUT; the device is then not used again,
 * since it may still write the response buffer). */
static int command(struct vgpu *g, const void *cmd, size_t clen, size_t rlen, uint32_t want)
{
	int err = 0;

	mutex_lock(&g->lock);
	if (g->broken) {
		mutex_unlock(&g->lock);
		return -EIO;
	}
	memcpy(g->buf, cmd, clen);
	memset(g->buf + CMD_MAX, 0, rlen);
	struct virtq_buf b[2] = { { g->buf_pa, (uint32_t)clen, false },
				  { g->buf_pa + CMD_MAX, (uint32_t)rlen, true } };
	uint64_t deadline = arch_timer_ns() + CMD_TIMEOUT_NS;
	irq_flags_t f = arch_irq_save();
	g->done = false;
	err = virtq_add(g->ctrl, b, 2, g);
	if (!err) {
		virtq_kick(g->ctrl);
		while (!g->done && waitq_wait(&g->done_wait, deadline))
			;
		if (!g->done) {
			g->broken = true;
			err = -ETIMEDOUT;
		}
	}
	arch_irq_restore(f);
	if (!err && ((struct ctrl_hdr *)(g->buf + CMD_MAX))->type != want)
		err = -EIO;
	mutex_unlock(&g->lock);
	return err;
}

static int vgpu_flush(struct display *d, uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
	struct vgpu *g = d->priv;
	struct rect r = { x, y, w, h };
	struct cmd_transfer t = { .hdr.type = CMD_TRANSFER_TO_HOST_2D, .r = r,
				  .offset = (uint64_t)y * d->stride + x * 4u, .resource_id = RESOURCE_ID };
	struct cmd_flush fl = { .hdr.type = CMD_RESOURCE_FLUSH, .r = r, .resource_id = RESOURCE_ID };
	int err = command(g, &t, sizeof t, sizeof(struct ctrl_hdr), RESP_OK_NODATA);

	return err ? err : command(g, &fl, sizeof fl, sizeof(struct ctrl_hdr), RESP_OK_NODATA);
}

/* The mode of scanout 0 as the device reports it, bounded; the default
 * when it reports none. */
static void get_mode(struct vgpu *g, uint32_t *w, uint32_t *h)
{
	struct ctrl_hdr q = { .type = CMD_GET_DISPLAY_INFO };

	*w = DEFAULT_W;
	*h = DEFAULT_H;
	if (command(g, &q, sizeof q, sizeof(struct resp_display_info), RESP_OK_DISPLAY_INFO) != 0)
		return;
	struct resp_display_info *di = (struct resp_display_info *)(g->buf + CMD_MAX);
	if (di->pmodes[0].enabled && di->pmodes[0].r.w >= 320 && di->pmodes[0].r.h >= 200) {
		*w = di->pmodes[0].r.w < MAX_W ? di->pmodes[0].r.w : MAX_W;
		*h = di->pmodes[0].r.h < MAX_H ? di->pmodes[0].r.h : MAX_H;
	}
}

static int vgpu_probe(struct virtio_device *d)
{
	struct vgpu *g = kzalloc(sizeof *g);

	if (!g)
		return -ENOMEM;
	g->vdev = d;
	d->driver_data = g;
	mutex_init(&g->lock);
	waitq_init(&g->done_wait);
	int err = frame_alloc(&g->buf_pa);
	if (err)
		return err;
	g->buf = phys_to_virt(g->buf_pa);
	return virtq_create(d, CONTROLQ, 16, &g->ctrl);
}

static int vgpu_start(struct virtio_device *d)
{
	struct vgpu *g = d->driver_data;
	struct display *disp = &g->disp;
	uint32_t w, h;

	get_mode(g, &w, &h);
	disp->width = w;
	disp->height = h;
	disp->stride = w * 4;
	disp->fb_bytes = ((size_t)disp->stride * h + PAGE_SIZE - 1) & ~(size_t)(PAGE_SIZE - 1);
	int err = frame_alloc_contig(disp->fb_bytes / PAGE_SIZE, &disp->fb_pa);
	if (err)
		return err;
	struct cmd_create_2d c = { .hdr.type = CMD_RESOURCE_CREATE_2D, .resource_id = RESOURCE_ID,
				   .format = FORMAT_B8G8R8X8_UNORM, .width = w, .height = h };
	struct cmd_attach_backing a = { .hdr.type = CMD_RESOURCE_ATTACH_BACKING,
					.resource_id = RESOURCE_ID, .nr_entries = 1,
					.entry = { disp->fb_pa, (uint32_t)disp->fb_bytes, 0 } };
	struct cmd_set_scanout s = { .hdr.type = CMD_SET_SCANOUT, .r = { 0, 0, w, h },
				     .scanout_id = 0, .resource_id = RESOURCE_ID };
	const uint32_t ok = RESP_OK_NODATA, rl = sizeof(struct ctrl_hdr);
	if ((err = command(g, &c, sizeof c, rl, ok)) != 0 ||
	    (err = command(g, &a, sizeof a, rl, ok)) != 0 ||
	    (err = command(g, &s, sizeof s, rl, ok)) != 0) {
		frame_free_contig(disp->fb_pa, disp->fb_bytes / PAGE_SIZE);
		return err;
	}
	fmt_snprintf(g->name, sizeof g->name, "virtio-gpu (%s)", d->name);
	disp->name = g->name;
	disp->flush = vgpu_flush;
	disp->priv = g;
	return display_register(disp);
}

const struct virtio_driver virtio_gpu_driver = {
	.name = "virtio-gpu",
	.device_id = VIRTIO_ID_GPU,
	.probe = vgpu_probe,
	.start = vgpu_start,
	.interrupt = vgpu_interrupt,
};
