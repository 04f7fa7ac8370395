#define _GNU_SOURCE
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

/* ---- images ---- */

const struct image images[3] = {
	{"p512", true, 512},
	{"f4k", false, 4096},
	{"f32k", false, 32768},
};
const struct image small_image = {"small", false, 512};
const struct image small4k_image = {"small4k", false, 4096};
const struct image small32k_image = {"small32k", false, 32768};

const char *img_dir(void)
{
	const char *d = getenv("FAT32_IMG_DIR");

	return d ? d : "build/host/fat32/img";
}

char *img_copy(const char *name)
{
	static unsigned seq;
	char *path;

	if (asprintf(&path, "%s/../tmp/%s-%d-%u.img", img_dir(), name, (int)getpid(), seq++) < 0)
		abort();
	sh("mkdir -p '%s/../tmp'", img_dir());
	if (sh("cp --sparse=always '%s/%s.img' '%s'", img_dir(), name, path)) {
		free(path);
		return NULL;
	}
	return path;
}

const char *mspec(const struct image *im, const char *path)
{
	static char buf[4][1024];
	static int i;
	char *b = buf[i++ % 4];

	snprintf(b, sizeof(buf[0]), "%s%s", path, im->partitioned ? "@@1M" : "");
	return b;
}

int mount_file(const char *path, struct hostdev *dev, struct fat32 **fs, const struct fat32_config *cfg)
{
	if (hostdev_file(dev, path))
		return -9999;
	return fat32_mount(fs, &dev->bd, cfg);
}

void vol_open(struct vol *v, const struct image *im, const struct fat32_config *cfg)
{
	memset(v, 0, sizeof(*v));
	v->im = im;
	if (cfg)
		v->cfg = *cfg;
	v->path = img_copy(im->name);
	ck_assert_ptr_nonnull(v->path);
	vol_mount(v);
}

void vol_mount(struct vol *v)
{
	ck_assert_ptr_null(v->fs);
	ck_assert_int_eq(mount_file(v->path, &v->dev, &v->fs, &v->cfg), 0);
}

void vol_unmount(struct vol *v)
{
	ck_assert_ptr_nonnull(v->fs);
	ck_assert_int_eq(fat32_unmount(v->fs), 0);
	v->fs = NULL;
	hostdev_close(&v->dev);
}

void vol_close(struct vol *v)
{
	if (v->fs)
		vol_unmount(v);
	unlink(v->path);
	free(v->path);
	v->path = NULL;
}

bool vol_fsck(struct vol *v, uint32_t *used, uint32_t *total)
{
	char *report;
	bool ok = fsck_clean(v->im, v->path, &report, used, total);

	if (!ok)
		fprintf(stderr, "fsck.fat on %s:\n%s\n", v->path, report);
	free(report);
	return ok;
}

/* ---- raw image access ---- */

void patch(const char *path, uint64_t off, const void *bytes, size_t n)
{
	int fd = open(path, O_RDWR);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pwrite(fd, bytes, n, (off_t)off), (ssize_t)n);
	close(fd);
}

void peek(const char *path, uint64_t off, void *bytes, size_t n)
{
	int fd = open(path, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, bytes, n, (off_t)off), (ssize_t)n);
	close(fd);
}

void patch32(const char *path, uint64_t off, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};

	patch(path, off, b, 4);
}

void geo_read(const char *path, uint64_t base, struct geo *g)
{
	uint8_t s[512];

	peek(path, base, s, sizeof(s));
	uint32_t bps = s[11] | s[12] << 8, rsvd = s[14] | s[15] << 8;
	uint32_t fatsz = s[36] | s[37] << 8 | s[38] << 16 | (uint32_t)s[39] << 24;
	g->base = base;
	g->nfats = s[16];
	g->cs = bps * s[13];
	g->fat = base + (uint64_t)rsvd * bps;
	g->fat_bytes = (uint64_t)fatsz * bps;
	g->data = g->fat + g->nfats * g->fat_bytes;
}

/* Sets a FAT entry in every copy, as a consistent corruption. */
void put_fat(const char *path, const struct geo *g, uint32_t cl, uint32_t val)
{
	for (uint32_t k = 0; k < g->nfats; k++)
		patch32(path, g->fat + k * g->fat_bytes + 4ull * cl, val);
}

/* ---- shell ---- */

static char *vfmt(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	return s;
}

int sh(const char *fmt, ...)
{
	va_list ap;
	char *cmd;
	int rc;

	va_start(ap, fmt);
	cmd = vfmt(fmt, ap);
	va_end(ap);
	setenv("MTOOLS_SKIP_CHECK", "1", 1);
	rc = system(cmd);
	free(cmd);
	return rc == -1 ? -1 : WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

char *sh_out(const char *fmt, ...)
{
	va_list ap;
	char *cmd, *full, *out = NULL;
	size_t len = 0;
	FILE *f;

	va_start(ap, fmt);
	cmd = vfmt(fmt, ap);
	va_end(ap);
	if (asprintf(&full, "(%s) 2>&1", cmd) < 0)
		abort();
	setenv("MTOOLS_SKIP_CHECK", "1", 1);
	f = popen(full, "r");
	if (f) {
		FILE *m = open_memstream(&out, &len);
		char buf[4096];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, n, m);
		fclose(m);
		pclose(f);
	}
	free(cmd);
	free(full);
	return out ? out : strdup("");
}

bool fsck_clean(const struct image *im, const char *path, char **report, uint32_t *used, uint32_t *total)
{
	char *out;
	int rc;
	const char *target = path;
	char *part = NULL;

	if (im->partitioned) {
		/* fsck.fat has no offset option: check a copy of the partition. */
		if (asprintf(&part, "%s.part", path) < 0)
			abort();
		if (sh("dd if='%s' of='%s' bs=1M skip=1 status=none", path, part))
			return false;
		target = part;
	}
	out = sh_out("fsck.fat -n '%s'; echo \"exit=$?\"", target);
	rc = strstr(out, "exit=0\n") ? 0 : 1;
	if (strstr(out, "differ") || strstr(out, "dirty") || strstr(out, "wrong") || strstr(out, "Free cluster"))
		rc = 1;
	if (used || total) {
		const char *p = strstr(out, " files, ");
		unsigned u = 0, t = 0;
		if (p)
			sscanf(p, " files, %u/%u clusters", &u, &t);
		if (used)
			*used = u;
		if (total)
			*total = t;
	}
	if (report)
		*report = out;
	else
		free(out);
	if (part) {
		unlink(part);
		free(part);
	}
	return rc == 0;
}

long minfo_free(const struct image *im, const char *path)
{
	char *out = sh_out("minfo -i '%s' ::", mspec(im, path));
	const char *p = strstr(out, "free clusters=");
	long v = -1;

	if (p)
		v = strtol(p + strlen("free clusters="), NULL, 10);
	free(out);
	return v;
}

uint8_t *mread(const struct image *im, const char *path, const char *file, size_t *size)
{
	char tmp[] = "/tmp/fat32-mread-XXXXXX";
	int fd = mkstemp(tmp);
	uint8_t *data = NULL;

	if (fd < 0)
		return NULL;
	close(fd);
	if (sh("mcopy -n -o -i '%s' '::%s' '%s' 2>/dev/null", mspec(im, path), file, tmp) == 0)
		data = read_host(tmp, size);
	unlink(tmp);
	return data;
}

/* ---- misc ---- */

uint8_t *read_host(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = (size_t)n;
	return buf;
}

void fill_pattern(uint8_t *buf, size_t n, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
}

uint8_t *fat_slurp(struct fat32 *fs, const char *path, size_t *size)
{
	struct fat32_node n;
	uint8_t *buf;

	if (fat32_lookup(fs, path, &n))
		return NULL;
	buf = malloc(n.size + 1);
	if (fat32_read(fs, &n, 0, buf, n.size) != (int64_t)n.size) {
		free(buf);
		return NULL;
	}
	*size = n.size;
	return buf;
}

int fat_put(struct fat32 *fs, const char *path, const void *data, size_t size)
{
	struct fat32_node n;
	int rc = fat32_create(fs, path, &n);
	int64_t w;

	if (rc)
		return rc;
	w = fat32_write(fs, &n, 0, data, size);
	return w < 0 ? (int)w : w == (int64_t)size ? 0 : -9999;
}
