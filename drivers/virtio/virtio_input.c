/* virtio-input (virtio 1.x section 5.8): keyboards and tablets. Event
 * buffers are posted ahead on the event queue; the interrupt handler hands
 * each filled one to the kernel input queue and posts it again. Absolute
 * axes are rescaled from the device's range (read from its config space)
 * to 0..TSB_INPUT_ABS_MAX, so user space never sees device ranges. */
#include "arch.h"
#include "fmt/fmt.h"
#include "kernel/heap.h"
#include "kernel/input.h"
#include "kernel/printk.h"
#include "tsubame/errno.h"
#include "virtio.h"
#include "virtqueue.h"

#define EVENTQ 0
#define NBUF 64
#define CFG_SELECT 0
#define CFG_SUBSEL 1
#define CFG_SIZE 2
#define CFG_DATA 8
#define CFG_ID_NAME 0x01
#define CFG_ABS_INFO 0x12

struct vinput_event {
	uint16_t type, code;
	uint32_t value;
};

struct vinput {
	struct virtqueue *eventq;
	struct vinput_event *ev;     /* NBUF buffers */
	int32_t abs_min[2], abs_max[2];
	char name[40];
};

static void post(struct vinput *vi, int i)
{
	struct virtq_buf b = { virtq_pa(&vi->ev[i]), sizeof vi->ev[i], true };
	virtq_add(vi->eventq, &b, 1, (void *)(uintptr_t)(i + 1));
}

/* Reads config item (select, subsel) into buf; returns its size (0: none). */
static unsigned config_item(struct virtio_device *d, uint8_t select, uint8_t subsel, void *buf,
			    unsigned max)
{
	uint8_t size;

	d->transport->config_write(d, CFG_SELECT, &select, 1);
	d->transport->config_write(d, CFG_SUBSEL, &subsel, 1);
	d->transport->config_read(d, CFG_SIZE, &size, 1);
	if (size > max)
		size = (uint8_t)max;
	d->transport->config_read(d, CFG_DATA, buf, size);
	return size;
}

static int32_t scale_abs(const struct vinput *vi, unsigned axis, int32_t v)
{
	int64_t lo = vi->abs_min[axis], span = (int64_t)vi->abs_max[axis] - lo;

	if (span <= 0)
		return 0;
	if (v < lo)
		v = (int32_t)lo;
	if (v > vi->abs_max[axis])
		v = vi->abs_max[axis];
	return (int32_t)(((int64_t)v - lo) * TSB_INPUT_ABS_MAX / span);
}

static void vinput_interrupt(struct virtio_device *d, uint32_t cause)
{
	struct vinput *vi = d->driver_data;
	void *cookie;
	uint32_t len;

	(void)cause;
	while ((cookie = virtq_get_used(vi->eventq, &len)) != NULL) {
		int i = (int)(uintptr_t)cookie - 1;
		struct vinput_event e = vi->ev[i];
		if (len >= sizeof e) {
			int32_t v = (int32_t)e.value;
			if (e.type == TSB_EV_ABS && e.code <= TSB_ABS_Y)
				v = scale_abs(vi, e.code, v);
			if (e.type <= TSB_EV_ABS)
				input_push(e.type, e.code, v);
		}
		post(vi, i);
	}
	virtq_kick(vi->eventq);
}

static int vinput_probe(struct virtio_device *d)
{
	struct vinput *vi = kzalloc(sizeof *vi);

	if (!vi)
		return -ENOMEM;
	d->driver_data = vi;
	vi->ev = kzalloc(sizeof *vi->ev * NBUF);
	if (!vi->ev)
		return -ENOMEM;
	int err = virtq_create(d, EVENTQ, NBUF, &vi->eventq);
	if (err)
		return err;
	unsigned n = config_item(d, CFG_ID_NAME, 0, vi->name, sizeof vi->name - 1);
	vi->name[n] = '\0';
	for (unsigned axis = 0; axis < 2; axis++) {
		int32_t info[5] = { 0 }; /* min, max, fuzz, flat, res */
		if (config_item(d, CFG_ABS_INFO, (uint8_t)axis, info, sizeof info) >= 8) {
			vi->abs_min[axis] = info[0];
			vi->abs_max[axis] = info[1];
		}
	}
	for (int i = 0; i < NBUF && virtq_free_descriptors(vi->eventq); i++)
		post(vi, i);
	return 0;
}

static int vinput_start(struct virtio_device *d)
{
	struct vinput *vi = d->driver_data;

	virtq_kick(vi->eventq);
	kprintf("input: %s (%s)\n", vi->name[0] ? vi->name : "virtio-input", d->name);
	return 0;
}

const struct virtio_driver virtio_input_driver = {
	.name = "virtio-input",
	.device_id = VIRTIO_ID_INPUT,
	.probe = vinput_probe,
	.start = vinput_start,
	.interrupt = vinput_interrupt,
};
