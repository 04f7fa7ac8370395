/* bench: measures the file paths of Tsubame side by side in one run, in the
 * guest with the monotonic clock. Started by the kernel instead of init
 * when the command line says "bench" (see `make bench`). Each figure is the
 * median of REPEAT runs, with the spread (min..max). It prints one table,
 * then a line "BENCH-JSON {...}" for scripts/bench.sh to store. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsubame.h"

#define MIB (1024u * 1024)
#define FILE_BYTES (16u * MIB)
#define CHUNK (4 * MIB) /* per read/write call: one fat32d request (FSP_MAX_DATA) */
#define REPEAT_MAX 21
static int repeat = REPEAT_MAX; /* 1 with the boot option benchquick */
#define DATA_FILE "/BENCH16.BIN"
#define WRITE_FILE "/benchw.bin"
#define BIG_ELF "/bin/bigelf.elf"

struct stat3 {
	uint64_t median, min, max;
};

static char *buf;
/* Where the raw read starts: the sectors of DATA_FILE (scripts/bench.sh
 * passes them as benchlba=N), so that raw and file reads cover the same
 * data; the disk's start is partly sparse in the image, which reads faster
 * and would flatter the device limit. */
static unsigned long raw_lba = 2048;

static struct stat3 summarize(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++) /* insertion sort: n is tiny */
		for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return (struct stat3){ v[n / 2], v[0], v[n - 1] };
}

static void die(const char *what, long err)
{
	printf("bench: %s: %s\n", what, strerror((int)err));
	exit(1);
}

static uint64_t time_raw_read(void)
{
	uint64_t t0 = clock_ns();
	for (uint32_t off = 0; off < FILE_BYTES; off += CHUNK) {
		int err = block_read(0, raw_lba + off / 512, CHUNK / 512, buf);
		if (err)
			die("block_read", err);
	}
	return clock_ns() - t0;
}

static const char *read_path = DATA_FILE;

static uint64_t time_file_read(void)
{
	uint64_t t0 = clock_ns();
	int fd = open(read_path, TSB_O_READ);
	if (fd < 0)
		die("open for reading", fd);
	uint64_t total = 0;
	long n;
	while ((n = read(fd, buf, CHUNK)) > 0)
		total += (uint64_t)n;
	close(fd);
	if (n < 0 || total != FILE_BYTES)
		die("read " DATA_FILE, n < 0 ? n : -EIO);
	return clock_ns() - t0;
}

static uint64_t time_file_write(void)
{
	uint64_t t0 = clock_ns();
	int fd = open(WRITE_FILE, TSB_O_WRITE | TSB_O_CREATE | TSB_O_TRUNC);
	if (fd < 0)
		die("create " WRITE_FILE, fd);
	for (uint32_t off = 0; off < FILE_BYTES; off += CHUNK) {
		long n = write(fd, buf, CHUNK);
		if (n != CHUNK)
			die("write", n < 0 ? n : -EIO);
	}
	int err = close(fd); /* flushes: the data is on the disk when we stop the clock */
	if (err)
		die("close", err);
	uint64_t t = clock_ns() - t0;
	unlink(WRITE_FILE);
	return t;
}

static uint64_t time_spawn(void)
{
	char *argv[] = { BIG_ELF, NULL };
	uint64_t t0 = clock_ns();
	int pid = spawn(BIG_ELF, argv, NULL), status;
	if (pid < 0)
		die("spawn " BIG_ELF, pid);
	waitpid(pid, &status, 0);
	if (status != 0)
		die("bigelf exit status", -EIO);
	return clock_ns() - t0;
}

/* The same file through the in-kernel FAT32 the kernel mounts read-only at
 * /kbench for the benchmark once fat32d serves /. */
static uint64_t time_kbench_read(void)
{
	read_path = "/kbench" DATA_FILE;
	uint64_t t = time_file_read();
	read_path = DATA_FILE;
	return t;
}

/* Two measurements taken turn about, so that a slow spell of the host
 * (its I/O threads share two cores with the emulator) hits both alike. */
static void measure2(uint64_t (*fa)(void), uint64_t (*fb)(void), struct stat3 *a, struct stat3 *b)
{
	uint64_t va[REPEAT_MAX], vb[REPEAT_MAX];
	if (repeat > 1) {
		fa();
		fb();
	}
	for (int i = 0; i < repeat; i++) {
		va[i] = fa();
		vb[i] = fb();
	}
	*a = summarize(va, repeat);
	*b = summarize(vb, repeat);
}

static struct stat3 measure(uint64_t (*fn)(void))
{
	uint64_t v[REPEAT_MAX];
	if (repeat > 1)
		fn(); /* warm-up: caches and first-touch costs out of the figures */
	for (int i = 0; i < repeat; i++)
		v[i] = fn();
	return summarize(v, repeat);
}

/* IPC round trips with an echo process. */
static int echo_pid;
static size_t ipc_size;

static uint64_t time_ipc(void)
{
	const int rounds = 200;
	uint64_t t0 = clock_ns();
	for (int i = 0; i < rounds; i++) {
		if (ipc_call(echo_pid, buf, ipc_size, buf, ipc_size, 5000) != (long)ipc_size)
			die("ipc round trip", -EIO);
	}
	return (clock_ns() - t0) / rounds;
}

/* Prints value * 100 as a fixed-point number (user code has no FPU). */
static void print_ratio(const char *name, uint64_t num, uint64_t den, const char *target)
{
	uint64_t r = den ? num * 1000 / den : 0;
	printf("  %-34s %llu.%03llu   (target %s)\n", name, (unsigned long long)(r / 1000),
	       (unsigned long long)(r % 1000), target);
}

static void row(const char *name, struct stat3 s, bool throughput)
{
	if (throughput) {
		uint64_t us = s.median / 1000 ? s.median / 1000 : 1;
		uint64_t kibps = (uint64_t)(FILE_BYTES / 1024) * 1000000 / us;
		printf("  %-30s %8llu KiB/s   %6llu ms  (%llu..%llu ms)\n", name,
		       (unsigned long long)kibps, (unsigned long long)(s.median / 1000000),
		       (unsigned long long)(s.min / 1000000), (unsigned long long)(s.max / 1000000));
	} else {
		printf("  %-30s %8llu us  (%llu..%llu us)\n", name, (unsigned long long)(s.median / 1000),
		       (unsigned long long)(s.min / 1000), (unsigned long long)(s.max / 1000));
	}
}

int main(void)
{
	buf = malloc(CHUNK);
	if (!buf)
		die("malloc", -ENOMEM);
	memset(buf, 0x42, CHUNK);
	const char *args = getenv("BOOTARGS");
	if (args && strstr(args, "benchquick"))
		repeat = 1;
	const char *lba = args ? strstr(args, "benchlba=") : NULL;
	if (lba)
		raw_lba = (unsigned long)strtol(lba + 9, NULL, 10);
	printf("bench: %u MiB file, %u KiB requests, median of %d runs\n", FILE_BYTES / MIB, CHUNK / 1024, repeat);

	struct stat3 raw, k_read;
	measure2(time_raw_read, time_file_read, &raw, &k_read);
	struct stat3 k_write = measure(time_file_write);
	struct stat3 k_spawn = measure(time_spawn);

	char *eargv[] = { "/bin/utest.elf", "echo", NULL };
	echo_pid = spawn(eargv[0], eargv, NULL);
	/* Calls are refused until the echo server has opened its mailbox. */
	for (int i = 0; i < 1000 && ipc_call(echo_pid, buf, 1, buf, 1, 1000) == -ECONNREFUSED; i++)
		sleep_ms(2);
	ipc_size = 16;
	struct stat3 ipc_small = measure(time_ipc);
	ipc_size = 64 * 1024;
	struct stat3 ipc_big = measure(time_ipc);
	ipc_send(echo_pid, "quit", 4, TSB_FOREVER);

	/* Hand / over to fat32d and measure the same again. */
	char *fargv[] = { "/bin/fat32d.elf", NULL };
	int fsd = spawn_with(fargv[0], fargv, NULL, TSB_AUTH_BLOCK | TSB_AUTH_FS);
	struct tsb_fsinfo fi = { 0 };
	for (int i = 0; i < 500 && fi.server_pid != fsd; i++) {
		sleep_ms(10);
		fs_info(&fi);
	}
	if (fi.server_pid != fsd)
		die("fat32d did not register", -ETIMEDOUT);
	/* The kernel names the new server before it has finished the handoff
	 * and mounted /kbench; until then /kbench/... is a path on fat32d's
	 * / and does not exist. */
	struct tsb_stat st;
	int err = -ENOENT;
	for (int i = 0; i < 500 && err; i++) {
		err = stat("/kbench" DATA_FILE, &st);
		if (err)
			sleep_ms(10);
	}
	if (err)
		die("/kbench" DATA_FILE, err);
	uint64_t served0 = fi.requests_served;
	struct stat3 k_read_beside, d_read;
	measure2(time_kbench_read, time_file_read, &k_read_beside, &d_read);
	struct stat3 d_write = measure(time_file_write);
	struct stat3 d_spawn = measure(time_spawn);
	fs_info(&fi);
	struct tsb_meminfo mi;
	mem_info(&mi);

	printf("\n%-32s %s\n", "measurement", "median (min..max)");
	row("raw block read 16 MiB", raw, true);
	row("in-kernel FAT32 read 16 MiB", k_read, true);
	row("fat32d read 16 MiB", d_read, true);
	row("in-kernel read beside fat32d", k_read_beside, true);
	row("in-kernel FAT32 write 16 MiB", k_write, true);
	row("fat32d write 16 MiB", d_write, true);
	row("spawn 2 MiB ELF, in-kernel", k_spawn, false);
	row("spawn 2 MiB ELF, fat32d", d_spawn, false);
	row("IPC round trip, 16 B", ipc_small, false);
	row("IPC round trip, 64 KiB", ipc_big, false);
	printf("  %-30s %8llu KiB of %llu KiB\n", "kernel heap peak", (unsigned long long)(mi.heap_peak / 1024),
	       (unsigned long long)(mi.heap_limit / 1024));
	printf("  %-30s %8llu\n", "requests served by fat32d", (unsigned long long)(fi.requests_served - served0));
	printf("\nratios (time ratios inverted where higher is better):\n");
	print_ratio("read  fat32d / in-kernel", k_read_beside.median, d_read.median, ">= 0.8");
	print_ratio("read  in-kernel / raw", raw.median, k_read.median, ">= 0.8");
	print_ratio("write fat32d / in-kernel", k_write.median, d_write.median, ">= 0.8");
	print_ratio("spawn fat32d / in-kernel (time)", d_spawn.median, k_spawn.median, "<= 1.25");
	printf("BENCH-JSON {\"raw_read_ns\":%llu,\"kernel_read_ns\":%llu,\"fat32d_read_ns\":%llu,"
	       "\"kernel_write_ns\":%llu,\"fat32d_write_ns\":%llu,\"kernel_spawn_ns\":%llu,"
	       "\"fat32d_spawn_ns\":%llu,\"ipc_small_ns\":%llu,\"ipc_64k_ns\":%llu,\"heap_peak\":%llu,"
	       "\"kernel_read_beside_fat32d_ns\":%llu}\n",
	       (unsigned long long)raw.median, (unsigned long long)k_read.median,
	       (unsigned long long)d_read.median, (unsigned long long)k_write.median,
	       (unsigned long long)d_write.median, (unsigned long long)k_spawn.median,
	       (unsigned long long)d_spawn.median, (unsigned long long)ipc_small.median,
	       (unsigned long long)ipc_big.median, (unsigned long long)mi.heap_peak,
	       (unsigned long long)k_read_beside.median);
	shutdown(0);
	return 0;
}
