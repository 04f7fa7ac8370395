/* fswalk: reads everything under a directory and tries a write there, for
 * the corrupt-disk campaign (docs/RELIABILITY.md): on a damaged file system
 * every bad entry must give an error, never a crash or a hang.
 *
 *   fswalk DIR     prints one line per error and a summary; exit 0 once
 *                  the walk completed (errors are expected on bad disks)
 *
 * Bounded so that a loop a file system failed to detect shows as a count,
 * not a hang: 16 levels, 4000 entries, 8 MiB read per file. */
#include <stdio.h>
#include <string.h>

#include "tsubame.h"

#define MAX_DEPTH 16
#define MAX_ENTRIES 4000
#define MAX_FILE_BYTES (8u << 20)

static unsigned long entries, dirs, files, bytes, errors;
static char buf[16384];

static void error(const char *what, const char *path, long err)
{
	errors++;
	if (errors <= 20)
		printf("fswalk: %s %s: %s\n", what, path, strerror((int)err));
}

static void read_file(const char *path)
{
	int fd = open(path, TSB_O_READ);
	if (fd < 0) {
		error("open", path, fd);
		return;
	}
	unsigned long got = 0;
	long n;
	while (got < MAX_FILE_BYTES && (n = read(fd, buf, sizeof buf)) > 0)
		got += (unsigned long)n;
	if (got < MAX_FILE_BYTES && n < 0)
		error("read", path, n);
	bytes += got;
	files++;
	close(fd);
}

static void walk(const char *dir, int depth)
{
	char path[TSB_PATH_MAX];
	struct tsb_dirent d;
	struct tsb_stat st;

	dirs++;
	int fd = open(dir, TSB_O_READ | TSB_O_DIR);
	if (fd < 0) {
		error("opendir", dir, fd);
		return;
	}
	long r;
	while (entries < MAX_ENTRIES && (r = readdir(fd, &d)) == 1) {
		entries++;
		if (strcmp(d.name, ".") == 0 || strcmp(d.name, "..") == 0)
			continue;
		if (snprintf(path, sizeof path, "%s/%s", dir, d.name) >= (int)sizeof path)
			continue;
		long s = stat(path, &st);
		if (s != 0) {
			error("stat", path, s);
			continue;
		}
		if (st.is_dir) {
			if (depth < MAX_DEPTH)
				walk(path, depth + 1);
		} else {
			read_file(path);
		}
	}
	if (r < 0)
		error("readdir", dir, r);
	close(fd);
}

/* Create, write, read back, delete: an error is fine, a wrong answer not. */
static void try_write(const char *dir)
{
	char path[TSB_PATH_MAX], sub[TSB_PATH_MAX];
	snprintf(path, sizeof path, "%s/PROBE.TXT", dir);
	snprintf(sub, sizeof sub, "%s/PROBEDIR", dir);
	int fd = open(path, TSB_O_RDWR | TSB_O_CREATE | TSB_O_TRUNC);
	if (fd < 0) {
		error("create", path, fd);
	} else {
		memset(buf, 'p', 1000);
		long w = write(fd, buf, 1000);
		if (w != 1000)
			error("write", path, w);
		close(fd);
		fd = open(path, TSB_O_READ);
		long n = fd >= 0 ? read(fd, buf, sizeof buf) : fd;
		if (fd >= 0)
			close(fd);
		if (w == 1000 && n != 1000) {
			printf("fswalk: WRONG: wrote 1000 bytes to %s, read back %ld\n", path, n);
			errors++;
		}
		long u = unlink(path);
		if (u != 0)
			error("unlink", path, u);
	}
	long m = mkdir(sub);
	if (m != 0)
		error("mkdir", sub, m);
	else if ((m = rmdir(sub)) != 0)
		error("rmdir", sub, m);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		printf("usage: fswalk DIR\n");
		return 2;
	}
	walk(argv[1], 0);
	try_write(argv[1]);
	printf("fswalk: %s: %lu directories, %lu files, %lu entries, %lu bytes read, %lu errors\n", argv[1], dirs,
	       files, entries, bytes, errors);
	return 0;
}
