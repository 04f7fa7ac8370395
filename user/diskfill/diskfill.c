/* diskfill: the disk-full campaign (docs/RELIABILITY.md).
 *
 *   diskfill DIR [CYCLES]
 *
 * Each cycle writes DIR/FILL.BIN in 64 KiB chunks until the file system
 * says -ENOSPC, then checks that a new file, a directory and one more byte
 * are refused with -ENOSPC too, reads back every byte that was reported
 * written (a pattern that depends on the offset and the cycle), deletes it
 * all and checks that the free space is exactly what it was. Prints one
 * line per cycle and "diskfill: passed" or "diskfill: FAILED". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsubame.h"

#define CHUNK 65536

static unsigned char buf[CHUNK], back[CHUNK];
static int failures;

static void fill_pattern(unsigned char *p, uint64_t off, size_t n, int cycle)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t o = off + i;
		p[i] = (unsigned char)((o * 31) ^ (o >> 9) ^ (uint64_t)(cycle * 77));
	}
}

static bool expect(bool ok, const char *what, long got)
{
	if (!ok) {
		printf("diskfill: FAIL %s (got %ld: %s)\n", what, got, got < 0 ? strerror((int)got) : "");
		failures++;
	}
	return ok;
}

static int cycle(const char *dir, int c)
{
	char path[256], path2[256], sub[256];
	struct tsb_statfs before, after;
	snprintf(path, sizeof path, "%s/FILL.BIN", dir);
	snprintf(path2, sizeof path2, "%s/MORE.TXT", dir);
	snprintf(sub, sizeof sub, "%s/FULLDIR", dir);
	long r = statfs(dir, &before);
	if (!expect(r == 0, "statfs before", r))
		return 1;
	int fd = open(path, TSB_O_WRITE | TSB_O_CREATE | TSB_O_TRUNC);
	if (!expect(fd >= 0, "create FILL.BIN", fd))
		return 1;
	uint64_t written = 0, t0 = clock_ns();
	long w = 0;
	/* 64 KiB writes until one is refused, then smaller ones down to a
	 * single byte: a write that does not fit may be refused whole (or
	 * written in part: the count says), and the space left taken too. */
	for (size_t len = CHUNK; len > 0;) {
		fill_pattern(buf, written, len, c);
		w = write(fd, buf, len);
		if (w > 0) {
			written += (uint64_t)w;
			continue;
		}
		if (!expect(w == -ENOSPC, "a write that does not fit is -ENOSPC", w))
			break;
		len /= 2;
	}
	close(fd);
	int fd2 = open(path2, TSB_O_WRITE | TSB_O_CREATE | TSB_O_TRUNC);
	if (fd2 >= 0) {
		long w2 = write(fd2, "x", 1);
		expect(w2 == -ENOSPC, "writing a new file is -ENOSPC", w2);
		close(fd2);
		unlink(path2);
	} else {
		expect(fd2 == -ENOSPC, "creating a new file is -ENOSPC (or works empty)", fd2);
	}
	long md = mkdir(sub);
	expect(md == -ENOSPC, "mkdir is -ENOSPC", md);
	if (md == 0)
		rmdir(sub);
	/* Every acknowledged byte is there, and nothing after it. */
	struct tsb_stat st;
	r = stat(path, &st);
	expect(r == 0 && st.size == written, "the file's size is what was acknowledged", (long)st.size);
	fd = open(path, TSB_O_READ);
	uint64_t off = 0;
	bool same = fd >= 0;
	while (same && off < written) {
		long n = read(fd, back, CHUNK);
		if (n <= 0)
			break;
		fill_pattern(buf, off, (size_t)n, c);
		same = memcmp(buf, back, (size_t)n) == 0;
		off += (uint64_t)n;
	}
	if (fd >= 0)
		close(fd);
	expect(same && off == written, "every acknowledged byte reads back", (long)off);
	r = unlink(path);
	expect(r == 0, "unlink FILL.BIN", r);
	r = statfs(dir, &after);
	expect(r == 0 && after.free_blocks == before.free_blocks, "free space is back to what it was",
	       (long)after.free_blocks - (long)before.free_blocks);
	/* Usable again. */
	fd = open(path2, TSB_O_WRITE | TSB_O_CREATE | TSB_O_TRUNC);
	long w3 = fd >= 0 ? write(fd, buf, CHUNK) : fd;
	expect(w3 == CHUNK, "a write after deleting", w3);
	if (fd >= 0)
		close(fd);
	unlink(path2);
	uint64_t ms = (clock_ns() - t0) / 1000000;
	printf("diskfill: %s cycle %d: %llu bytes written until full (%llu KiB/s), %llu blocks free before and after\n",
	       dir, c, (unsigned long long)written, (unsigned long long)(ms ? written / ms * 1000 / 1024 : 0),
	       (unsigned long long)before.free_blocks);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		printf("usage: diskfill DIR [CYCLES]\n");
		return 2;
	}
	int cycles = argc > 2 ? atoi(argv[2]) : 1;
	for (int c = 0; c < cycles && !failures; c++)
		cycle(argv[1], c);
	printf("diskfill: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
