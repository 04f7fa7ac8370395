/* Block devices: fixed-size sectors, read and written many at a time.
 * Devices are numbered by role, not by discovery: dev 0 is the system disk
 * (disk.img), dev 1 the host share (hostfs.img). Drivers learn the role from
 * the device's serial ("tsubame-disk0", "tsubame-disk1"). */
#ifndef KERNEL_BLOCKDEV_H
#define KERNEL_BLOCKDEV_H

#include <stddef.h>
#include <stdint.h>

#define BLOCKDEV_MAX 8
#define BLOCKDEV_SERIAL_PREFIX "tsubame-disk"

struct blockdev {
	const char *name;
	uint32_t sector_size;
	uint64_t sector_count;
	uint32_t max_sectors_per_request; /* larger requests are split by blockdev_* */
	/* 0 or -errno; buf is any kernel address (need not be contiguous). */
	int (*read)(struct blockdev *bd, uint64_t lba, uint32_t count, void *buf);
	int (*write)(struct blockdev *bd, uint64_t lba, uint32_t count, const void *buf);
	int (*flush)(struct blockdev *bd);
	void *priv;
	/* Kept by the driver, shown by tests and statistics. in_flight counts
	 * requests from their start until their caller has taken them back;
	 * resets counts device resets after a request timed out. */
	unsigned long requests, in_flight, max_in_flight, resets;
	/* Fault injection for the selftest: requests time out after
	 * test_timeout_ns instead of the driver's own limit (0), and the
	 * device is not told of the next test_stall requests (it looks stuck
	 * until a later request rings its doorbell). */
	uint64_t test_timeout_ns;
	unsigned test_stall;
};

/* Registers bd at `index` (its role), or at the first free index >= 2 when
 * index < 0. Returns the index or -errno. */
int blockdev_register(struct blockdev *bd, int index);
struct blockdev *blockdev_get(unsigned index); /* NULL if none */

/* Bounds-checked, split into device-sized requests. -ERANGE past the end. */
int blockdev_read(struct blockdev *bd, uint64_t lba, uint32_t count, void *buf);
int blockdev_write(struct blockdev *bd, uint64_t lba, uint32_t count, const void *buf);
int blockdev_flush(struct blockdev *bd);

#endif
