/* virtio-blk through the blockdev layer, on the two disks QEMU gives us.
 * The image script put known patterns before the FAT partition
 * (tsubame/disklayout.h); a host-side check reads back what we write. */
#include <string.h>

#include "arch.h"
#include "kernel/blockdev.h"
#include "kernel/heap.h"
#include "kernel/sched.h"
#include "kernel/selftest.h"
#include "tsubame/disklayout.h"
#include "tsubame/errno.h"

#define PATTERN_BYTES (DISK_PATTERN_SECTORS * 512u)

static int check_pattern(const uint8_t *buf, uint32_t bytes, uint32_t seed, uint32_t start)
{
	for (uint32_t i = 0; i < bytes; i++)
		if (buf[i] != disk_pattern_byte(start + i, seed))
			return (int)i;
	return -1;
}

SELFTEST(blk_two_disks_in_role_order)
{
	uint8_t *buf = kmalloc(512);
	CHECK(buf);
	for (unsigned dev = 0; dev < 2; dev++) {
		struct blockdev *bd = blockdev_get(dev);
		CHECKF(bd != NULL, "no block device %u", dev);
		CHECK(bd->sector_size == 512 && bd->sector_count == 64u * 2048);
		CHECK(blockdev_read(bd, 0, 1, buf) == 0);
		CHECKF(buf[510] == 0x55 && buf[511] == 0xaa, "dev %u: no MBR signature", dev);
	}
	kfree(buf);
}

SELFTEST(blk_read_multi_sector_pattern)
{
	uint8_t *buf = kmalloc(PATTERN_BYTES);
	CHECK(buf);
	for (unsigned dev = 0; dev < 2; dev++) {
		struct blockdev *bd = blockdev_get(dev);
		unsigned long reqs = bd->requests;
		memset(buf, 0, PATTERN_BYTES);
		/* 128 KiB in one device request. */
		CHECK(blockdev_read(bd, DISK_PATTERN_LBA, DISK_PATTERN_SECTORS, buf) == 0);
		CHECKF(bd->requests == reqs + 1, "%lu requests for 128 KiB", bd->requests - reqs);
		int bad = check_pattern(buf, PATTERN_BYTES, dev ? DISK_SEED_DEV1 : DISK_SEED_DEV0, 0);
		CHECKF(bad < 0, "dev %u: pattern differs at byte %d", dev, bad);
	}
	/* 2 MiB in one call: 8 device requests, several in flight at once. */
	uint8_t *big = kmalloc(2u << 20);
	struct blockdev *bd0 = blockdev_get(0);
	if (big) {
		unsigned long reqs = bd0->requests;
		bd0->max_in_flight = 0;
		CHECK(blockdev_read(bd0, 0, (2u << 20) / 512, big) == 0);
		CHECKF(bd0->requests - reqs >= 8 && bd0->max_in_flight >= 2,
		       "%lu requests, at most %lu in flight", bd0->requests - reqs, bd0->max_in_flight);
		kfree(big);
	}
	/* A buffer on the (virtually contiguous, physically scattered) stack. */
	uint8_t stackbuf[3 * 512];
	CHECK(blockdev_read(blockdev_get(0), DISK_PATTERN_LBA + 5, 3, stackbuf) == 0);
	CHECK(check_pattern(stackbuf, sizeof stackbuf, DISK_SEED_DEV0, 5 * 512) < 0);
	kfree(buf);
}

SELFTEST(blk_write_read_back_scratch)
{
	struct blockdev *bd = blockdev_get(0);
	const uint32_t sectors = 256;
	uint8_t *w = kmalloc(sectors * 512), *rbuf = kmalloc(sectors * 512);
	CHECK(w && rbuf);
	for (uint32_t i = 0; i < sectors * 512; i++)
		w[i] = disk_pattern_byte(i, DISK_SEED_SCRATCH);
	CHECK(blockdev_write(bd, DISK_SCRATCH_LBA, sectors, w) == 0);
	CHECK(blockdev_flush(bd) == 0);
	memset(rbuf, 0, sectors * 512);
	CHECK(blockdev_read(bd, DISK_SCRATCH_LBA, sectors, rbuf) == 0);
	CHECK(memcmp(w, rbuf, sectors * 512) == 0);
	kfree(w);
	kfree(rbuf);
}

static volatile int readers_done, readers_ok;

static void reader(void *arg)
{
	unsigned id = (unsigned)(uintptr_t)arg;
	uint8_t *buf = kmalloc(8 * 512);
	int ok = buf != NULL;

	for (unsigned i = 0; ok && i < 16; i++) {
		uint32_t first = (id * 16 + i) % (DISK_PATTERN_SECTORS - 8);
		ok = blockdev_read(blockdev_get(id % 2), DISK_PATTERN_LBA + first, 8, buf) == 0 &&
		     check_pattern(buf, 8 * 512, id % 2 ? DISK_SEED_DEV1 : DISK_SEED_DEV0,
				   first * 512) < 0;
	}
	kfree(buf);
	irq_flags_t f = arch_irq_save();
	readers_ok += ok;
	readers_done++;
	arch_irq_restore(f);
}

SELFTEST(blk_many_requests_in_flight)
{
	const int n = 8;
	struct blockdev *d0 = blockdev_get(0), *d1 = blockdev_get(1);
	d0->max_in_flight = d1->max_in_flight = 0;
	readers_done = readers_ok = 0;
	for (int i = 0; i < n; i++)
		CHECK(thread_create("blkreader", reader, (void *)(uintptr_t)i) != NULL);
	uint64_t start = arch_timer_ns();
	while (readers_done < n && arch_timer_ns() - start < 10000000000ull)
		thread_sleep_ns(1000000);
	CHECKF(readers_done == n && readers_ok == n, "%d of %d readers finished, %d ok",
	       readers_done, n, readers_ok);
	CHECKF(d0->max_in_flight + d1->max_in_flight > 2, "at most %lu+%lu in flight",
	       d0->max_in_flight, d1->max_in_flight);
}

SELFTEST(blk_out_of_range_is_an_error)
{
	struct blockdev *bd = blockdev_get(0);
	uint8_t buf[512];

	CHECK(blockdev_read(bd, bd->sector_count, 1, buf) == -ERANGE);
	CHECK(blockdev_read(bd, bd->sector_count - 1, 2, buf) == -ERANGE);
	CHECK(blockdev_read(NULL, 0, 1, buf) == -ENODEV);
	CHECK(blockdev_get(7) == NULL);
	/* Past the end at the device itself: an error status, not a hang. */
	uint64_t t0 = arch_timer_ns();
	int err = bd->read(bd, bd->sector_count + 10, 1, buf);
	CHECKF(err == -EIO, "device said %d", err);
	CHECK(arch_timer_ns() - t0 < 10000000000ull); /* far below the 30 s request timeout */
}

SELFTEST(blk_pci_transport_disk)
{
	struct blockdev *bd = blockdev_get(2);
	const uint32_t sectors = 128;

	CHECKF(bd != NULL, "no dev 2 (the virtio-pci test disk)");
	CHECK(strstr(bd->name, "virtio-pci") != NULL);
	CHECK(bd->sector_count == 2048);
	uint8_t *w = kmalloc(sectors * 512), *rbuf = kzalloc(sectors * 512);
	CHECK(w && rbuf);
	for (uint32_t i = 0; i < sectors * 512; i++)
		w[i] = disk_pattern_byte(i, 0x77);
	CHECK(blockdev_write(bd, 100, sectors, w) == 0);
	CHECK(blockdev_flush(bd) == 0);
	CHECK(blockdev_read(bd, 100, sectors, rbuf) == 0);
	CHECK(memcmp(w, rbuf, sectors * 512) == 0);
	CHECK(blockdev_read(bd, 2048, 1, rbuf) == -ERANGE);
	kfree(w);
	kfree(rbuf);
}

/* A request the device leaves unanswered times out, and its buffer is the
 * caller's again: whatever the caller then puts there must never be
 * overwritten by a late read, nor written to the disk by a late write.
 * The device is made to look stuck by withholding its doorbell; the next
 * request rings it, and a driver that only gave up waiting would then see
 * the device carry out the stale request too. Both transports (dev 0 is
 * MMIO on riscv64, PCI on x86_64; dev 2 is PCI on both). */
static const char *late_dma(struct blockdev *bd, uint64_t lba)
{
	const uint32_t bytes = 8 * 512;
	uint8_t *buf = kmalloc(bytes), *other = kmalloc(bytes);
	const char *why = NULL;
	unsigned long resets = bd->resets;

	if (!buf || !other) {
		why = "no memory";
		goto out;
	}
	/* A read: known bytes first, then the stuck request. */
	for (uint32_t i = 0; i < bytes; i++)
		other[i] = disk_pattern_byte(i, 0x3c);
	if (blockdev_write(bd, lba, 8, other) != 0) {
		why = "cannot write the known bytes";
		goto out;
	}
	bd->test_timeout_ns = 200000000ull; /* 200 ms */
	bd->test_stall = 1;
	int err = blockdev_read(bd, lba, 8, buf);
	bd->test_timeout_ns = 0;
	bd->test_stall = 0;
	if (err != -ETIMEDOUT) {
		why = "the stuck read did not time out";
		goto out;
	}
	memset(buf, 0xa5, bytes); /* the caller reuses its buffer */
	if (blockdev_read(bd, lba + 8, 8, other) != 0) { /* rings the doorbell */
		why = "the device does not work after the timeout";
		goto out;
	}
	thread_sleep_ns(100000000ull);
	for (uint32_t i = 0; i < bytes && !why; i++)
		if (buf[i] != 0xa5)
			why = "a late read overwrote the reused buffer";
	if (why)
		goto out;

	/* A write: the reused buffer's new bytes must never reach the disk. */
	for (uint32_t i = 0; i < bytes; i++)
		buf[i] = disk_pattern_byte(i, 0x3d);
	bd->test_timeout_ns = 200000000ull;
	bd->test_stall = 1;
	err = blockdev_write(bd, lba, 8, buf);
	bd->test_timeout_ns = 0;
	bd->test_stall = 0;
	if (err != -ETIMEDOUT) {
		why = "the stuck write did not time out";
		goto out;
	}
	memset(buf, 0xa5, bytes);
	err = blockdev_read(bd, lba + 8, 8, other);
	thread_sleep_ns(100000000ull);
	if (err || blockdev_read(bd, lba, 8, other) != 0) {
		why = "the device does not work after the second timeout";
		goto out;
	}
	/* The old bytes, or the ones the write carried; never the reused ones. */
	bool old = true, carried = true;
	for (uint32_t i = 0; i < bytes; i++) {
		old &= other[i] == disk_pattern_byte(i, 0x3c);
		carried &= other[i] == disk_pattern_byte(i, 0x3d);
	}
	if (!old && !carried)
		why = "a late write put the reused buffer on the disk";
	else if (bd->resets != resets + 2)
		why = "the driver did not reset the device after each timeout";
out:
	kfree(buf);
	kfree(other);
	return why;
}

SELFTEST(blk_timeout_never_lets_a_late_dma_land)
{
	const unsigned devs[] = { 0, 2 };
	for (unsigned i = 0; i < 2; i++) {
		struct blockdev *bd = blockdev_get(devs[i]);
		CHECKF(bd != NULL, "no dev %u", devs[i]);
		/* dev 0: past the part of the scratch area the host checks. */
		const char *why = late_dma(bd, devs[i] ? 1000 : DISK_SCRATCH_LBA + 512);
		CHECKF(why == NULL, "dev %u (%s): %s", devs[i], bd->name, why);
	}
}
