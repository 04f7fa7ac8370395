/* Reading volumes that mkfs.fat and mtools wrote: every file must match its
 * host source byte for byte, directory listings must match the host tree,
 * and contiguous data must move in one device request. */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "tests.h"
#include "tsubame/errno.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Compares directory `rel` (relative to the volume root and host `src`)
 * and recurses; counts the files checked. */
static void check_dir(struct fat32 *fs, const char *src, const char *rel, int *files)
{
	char hpath[1024], *hnames[512], *fnames[512];
	int nh = 0, nf = 0;
	struct fat32_node dir;
	struct fat32_dirent de;
	uint32_t cookie = 0;
	DIR *d;
	struct dirent *e;

	snprintf(hpath, sizeof(hpath), "%s/%s", src, rel);
	d = opendir(hpath);
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			hnames[nh++] = strdup(e->d_name);
	closedir(d);

	ck_assert_int_eq(fat32_lookup(fs, rel, &dir), 0);
	ck_assert(dir.attr & FAT32_ATTR_DIR);
	int rc;
	while ((rc = fat32_readdir(fs, &dir, &cookie, &de)) == 1) {
		ck_assert_int_lt(nf, 512);
		fnames[nf++] = strdup(de.name);
		/* The node readdir gives must work like a looked-up one. */
		if (!(de.node.attr & FAT32_ATTR_DIR)) {
			char fp[1024];
			size_t hs;
			snprintf(fp, sizeof(fp), "%s/%s/%s", src, rel, de.name);
			uint8_t *want = read_host(fp, &hs);
			ck_assert_msg(want != NULL, "%s on the volume but not on the host", fp);
			ck_assert_uint_eq(de.node.size, hs);
			uint8_t *got = malloc(hs + 1);
			ck_assert_int_eq(fat32_read(fs, &de.node, 0, got, hs), (int64_t)hs);
			ck_assert_msg(memcmp(got, want, hs) == 0, "%s differs", fp);
			free(got);
			free(want);
			(*files)++;
		}
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(nf, nh);
	qsort(hnames, (size_t)nh, sizeof(char *), cmp_str);
	qsort(fnames, (size_t)nf, sizeof(char *), cmp_str);
	for (int i = 0; i < nh; i++)
		ck_assert_str_eq(fnames[i], hnames[i]);

	for (int i = 0; i < nh; i++) {
		char sub[1024], hp[1024];
		struct stat st;
		snprintf(sub, sizeof(sub), "%s/%s", rel, hnames[i]);
		snprintf(hp, sizeof(hp), "%s/%s", src, sub);
		ck_assert_int_eq(stat(hp, &st), 0);
		if (S_ISDIR(st.st_mode))
			check_dir(fs, src, sub, files);
		free(hnames[i]);
		free(fnames[i]);
	}
}

START_TEST(read_whole_tree)
{
	struct vol c;
	char src[1024];
	int files = 0;

	vol_open(&c, &images[_i], NULL);
	snprintf(src, sizeof(src), "%s/src-%s", img_dir(), c.im->name);
	check_dir(c.fs, src, "", &files);
	ck_assert_int_ge(files, 170);  /* the tree mkimages.sh makes */
	vol_close(&c);
}
END_TEST

/* Odd-sized chunks at odd offsets, crossing sector and cluster borders. */
START_TEST(read_chunks)
{
	struct vol c;
	char src[1024];
	size_t hs;
	const char *files[] = {"big.bin", "frag/D.bin", "Docs/nested/deeper/deepest/file.dat", "exact.bin"};

	vol_open(&c, &images[_i], NULL);
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		struct fat32_node n;
		snprintf(src, sizeof(src), "%s/src-%s/%s", img_dir(), c.im->name, files[f]);
		uint8_t *want = read_host(src, &hs);
		uint8_t *got = calloc(1, hs + 8192);
		ck_assert_int_eq(fat32_lookup(c.fs, files[f], &n), 0);
		size_t chunks[] = {1, 511, 512, 513, 4095, 4097, 65537};
		for (size_t k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
			size_t step = chunks[k], off = k * 3;
			if (step == 1 && hs > 20000)
				off = hs - 3000;  /* byte reads only near the end of big files */
			memset(got, 0xAA, hs);
			for (size_t o = off; o < hs; o += step) {
				int64_t r = fat32_read(c.fs, &n, o, got + o, step);
				ck_assert_int_eq(r, (int64_t)(hs - o < step ? hs - o : step));
			}
			ck_assert_msg(memcmp(got + off, want + off, hs - off) == 0, "%s step %zu", files[f], step);
		}
		ck_assert_int_eq(fat32_read(c.fs, &n, hs, got, 10), 0);
		ck_assert_int_eq(fat32_read(c.fs, &n, hs + 100000, got, 10), 0);
		free(got);
		free(want);
	}
	vol_close(&c);
}
END_TEST

START_TEST(lookup_rules)
{
	struct vol c;
	struct fat32_node n, d;
	char longname[300];

	vol_open(&c, &images[_i], NULL);
	/* Case-insensitive, by long name or by 8.3 alias, odd slashes. */
	ck_assert_int_eq(fat32_lookup(c.fs, "/docs/README.TXT", &n), 0);
	ck_assert_uint_eq(n.size, 1500);
	ck_assert_int_eq(fat32_lookup(c.fs, "ALIAS/LONGFI~2.TXT", &n), 0);
	ck_assert_uint_eq(n.size, 200);
	ck_assert_int_eq(fat32_lookup(c.fs, "alias/LongFileName3.TXT", &n), 0);
	ck_assert_uint_eq(n.size, 300);
	ck_assert_int_eq(fat32_lookup(c.fs, "//Docs///nested/./deeper//deepest/file.dat", &n), 0);
	ck_assert_uint_eq(n.size, c.im->cluster + 1);
	ck_assert_int_eq(fat32_lookup(c.fs, "mixed case dir/some mixed case name.txt", &n), 0);
	ck_assert_uint_eq(n.size, 2048);
	/* Trailing dots and spaces are not part of FAT names. */
	ck_assert_int_eq(fat32_lookup(c.fs, "Docs/ReadMe.txt. .", &n), 0);
	ck_assert_int_eq(fat32_lookup(c.fs, "", &n), 0);
	ck_assert(n.attr & FAT32_ATTR_DIR);
	ck_assert_int_eq(n.dir_cluster, 0);
	ck_assert_int_eq(fat32_lookup(c.fs, "/", &n), 0);
	ck_assert(n.attr & FAT32_ATTR_DIR);

	/* One error per cause. */
	ck_assert_int_eq(fat32_lookup(c.fs, "/nope", &n), -ENOENT);
	ck_assert_int_eq(fat32_lookup(c.fs, "/nope/x", &n), -ENOENT);
	ck_assert_int_eq(fat32_lookup(c.fs, "/one.bin/x", &n), -ENOTDIR);
	memset(longname, 'a', 256);
	longname[256] = 0;
	ck_assert_int_eq(fat32_lookup(c.fs, longname, &n), -ENAMETOOLONG);
	longname[255] = 0;
	ck_assert_int_eq(fat32_lookup(c.fs, longname, &n), -ENOENT);
	ck_assert_int_eq(fat32_lookup(c.fs, "a*b", &n), -EINVAL);
	ck_assert_int_eq(fat32_lookup(c.fs, "Docs/..", &n), -EINVAL);
	ck_assert_int_eq(fat32_lookup(c.fs, "Docs/\x80\x80", &n), -EINVAL);  /* bad UTF-8 */

	/* Node calls on the wrong kind. */
	uint32_t cookie = 0;
	struct fat32_dirent de;
	char buf[16];
	ck_assert_int_eq(fat32_lookup(c.fs, "one.bin", &n), 0);
	ck_assert_int_eq(fat32_readdir(c.fs, &n, &cookie, &de), -ENOTDIR);
	ck_assert_int_eq(fat32_lookup_at(c.fs, &n, "x", &d), -ENOTDIR);
	ck_assert_int_eq(fat32_lookup(c.fs, "Docs", &d), 0);
	ck_assert_int_eq(fat32_read(c.fs, &d, 0, buf, 1), -EISDIR);
	ck_assert_int_eq(fat32_write(c.fs, &d, 0, buf, 1), -EISDIR);
	ck_assert_int_eq(fat32_truncate(c.fs, &d, 0), -EISDIR);
	ck_assert_int_eq(fat32_lookup_at(c.fs, &d, "readme.txt", &n), 0);
	ck_assert_uint_eq(n.size, 1500);
	ck_assert_int_eq(fat32_lookup_at(c.fs, &d, ".", &n), 0);
	ck_assert_uint_eq(n.first_cluster, d.first_cluster);
	vol_close(&c);
}
END_TEST

/* readdir reports long names with their aliases, 8.3 names with their
 * NTRes case, and a cookie that resumes. */
START_TEST(readdir_names)
{
	struct vol c;
	struct fat32_node root, dir;
	struct fat32_dirent de;
	uint32_t cookie = 0, saved = 0;
	int seen = 0, rc;
	char first_after[300] = "";

	vol_open(&c, &images[_i], NULL);
	fat32_root(c.fs, &root);
	while ((rc = fat32_readdir(c.fs, &root, &cookie, &de)) == 1) {
		if (!strcmp(de.name, "lower.txt")) {
			ck_assert_str_eq(de.short_name, "lower.txt");  /* mtools used the NTRes flags */
			seen |= 1;
		}
		if (!strcmp(de.name, "Mixed Case Dir")) {
			ck_assert_str_eq(de.short_name, "MIXEDC~1");
			ck_assert(de.node.attr & FAT32_ATTR_DIR);
			seen |= 2;
		}
		ck_assert_str_ne(de.name, "TSUBAME");  /* the volume label is not a file */
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(seen, 3);

	/* Restart the listing from a saved cookie. */
	ck_assert_int_eq(fat32_lookup(c.fs, "many", &dir), 0);
	cookie = 0;
	for (int i = 0; i < 50; i++)
		ck_assert_int_eq(fat32_readdir(c.fs, &dir, &cookie, &de), 1);
	saved = cookie;
	ck_assert_int_eq(fat32_readdir(c.fs, &dir, &cookie, &de), 1);
	strcpy(first_after, de.name);
	int rest = 1;
	while (fat32_readdir(c.fs, &dir, &cookie, &de) == 1)
		rest++;
	ck_assert_int_eq(50 + rest, 160);
	struct fat32_node fresh;
	ck_assert_int_eq(fat32_lookup(c.fs, "many", &fresh), 0);
	ck_assert_int_eq(fat32_readdir(c.fs, &fresh, &saved, &de), 1);
	ck_assert_str_eq(de.name, first_after);
	vol_close(&c);
}
END_TEST

/* A contiguous file read in one call is ONE device request for all its
 * whole sectors; a fragmented one takes one request per run. The FAT is
 * read ahead: 8 sectors per request with the default 16-sector cache. */
START_TEST(read_one_request)
{
	struct vol c;
	struct fat32_node n;
	size_t hs;
	char src[1024];

	vol_open(&c, &images[_i], NULL);
	snprintf(src, sizeof(src), "%s/src-%s/big.bin", img_dir(), c.im->name);
	uint8_t *want = read_host(src, &hs);
	uint8_t *got = malloc(hs);
	ck_assert_int_eq(fat32_lookup(c.fs, "big.bin", &n), 0);
	hostdev_reset(&c.dev);
	ck_assert_int_eq(fat32_read(c.fs, &n, 0, got, hs), (int64_t)hs);
	ck_assert_mem_eq(got, want, hs);
	ck_assert_uint_eq(c.dev.max_read, hs / 512); /* all the data in one request */
	/* The rest: the FAT, 8 sectors at a time, and the partial last sector. */
	uint32_t fat_sectors = (uint32_t)(hs / c.im->cluster) / 128 + 1;
	ck_assert_uint_le(c.dev.reads, 1 + (fat_sectors + 7) / 8 + 1);
	ck_assert_uint_le(c.dev.read_sectors, hs / 512 + fat_sectors + 8 + 1);
	free(got);
	free(want);

	/* D filled B's 10-cluster gap, then continued after C. */
	snprintf(src, sizeof(src), "%s/src-%s/frag/D.bin", img_dir(), c.im->name);
	want = read_host(src, &hs);
	got = malloc(hs);
	ck_assert_int_eq(fat32_lookup(c.fs, "frag/D.bin", &n), 0);
	hostdev_reset(&c.dev);
	ck_assert_int_eq(fat32_read(c.fs, &n, 0, got, hs), (int64_t)hs);
	ck_assert_mem_eq(got, want, hs);
	ck_assert_uint_eq(c.dev.multi_reads, 2);
	ck_assert_uint_eq(c.dev.max_read, 20 * c.im->cluster / 512);
	free(got);
	free(want);
	vol_close(&c);
}
END_TEST

/* Sequential small reads reuse the node's chain position: reading a file
 * of N clusters in cluster-sized pieces costs O(N) FAT lookups, which shows
 * as few device reads even with a tiny FAT cache. */
START_TEST(sequential_hint)
{
	struct vol c;
	struct fat32_node n;
	struct fat32_config cfg = {4, 4};
	uint8_t *buf = malloc(512);

	vol_open(&c, &images[0], &cfg);
	ck_assert_int_eq(fat32_lookup(c.fs, "big.bin", &n), 0);
	hostdev_reset(&c.dev);
	for (uint32_t off = 0; off < n.size; off += 512)
		ck_assert_int_gt(fat32_read(c.fs, &n, off, buf, 512), 0);
	/* 6145 clusters: one data read each plus ~49 FAT sectors. Re-walking
	 * from the start would miss the 4-sector FAT cache constantly. */
	ck_assert_uint_le(c.dev.reads, 6145 + 60);
	free(buf);
	vol_close(&c);
}
END_TEST

START_TEST(stat_and_statfs)
{
	struct vol c;
	struct fat32_node n;
	struct fat32_stat st;
	struct fat32_statfs sf;
	uint32_t used, total;

	vol_open(&c, &images[_i], NULL);
	ck_assert_int_eq(fat32_lookup(c.fs, "Docs/A Long File Name With Spaces.text", &n), 0);
	ck_assert_int_eq(fat32_stat(c.fs, &n, &st), 0);
	ck_assert_uint_eq(st.size, 5000);
	ck_assert(!st.is_dir);
	ck_assert_uint_ne(st.modify_date, 0);
	ck_assert_uint_ne(st.create_date, 0);
	ck_assert_int_gt(fat32_unix_time(st.modify_date, st.modify_time), 1600000000);
	ck_assert_int_eq(fat32_lookup(c.fs, "Docs/nested", &n), 0);
	ck_assert_int_eq(fat32_stat(c.fs, &n, &st), 0);
	ck_assert(st.is_dir);
	ck_assert_uint_eq(st.size, 0);

	ck_assert_int_eq(fat32_statfs(c.fs, &sf), 0);
	vol_unmount(&c);
	ck_assert(vol_fsck(&c, &used, &total));
	ck_assert_uint_eq(sf.cluster_size, c.im->cluster);
	ck_assert_uint_eq(sf.total_clusters, total);
	ck_assert_uint_eq(sf.free_clusters, total - used);
	vol_close(&c);
}
END_TEST

/* Known FAT dates. */
START_TEST(unix_time)
{
	ck_assert_int_eq(fat32_unix_time(0x0021, 0), 315532800);  /* 1980-01-01 */
	ck_assert_int_eq(fat32_unix_time(0, 0), 0);               /* no date (the root) */
	/* 2024-02-29 13:45:58 */
	uint16_t d = (uint16_t)((2024 - 1980) << 9 | 2 << 5 | 29), t = (uint16_t)(13 << 11 | 45 << 5 | 29);
	ck_assert_int_eq(fat32_unix_time(d, t), 1709214358);
	/* And back: seconds to a FAT timestamp (2 s steps), bounded to the
	 * years FAT holds. */
	ck_assert_uint_eq(fat32_timestamp(1709214358), (uint32_t)d << 16 | t);
	ck_assert_uint_eq(fat32_timestamp(1709214359), (uint32_t)d << 16 | t);
	ck_assert_uint_eq(fat32_timestamp(315532800), 0x0021u << 16);
	ck_assert_uint_eq(fat32_timestamp(315532799), 0);                  /* 1979 */
	ck_assert_uint_eq(fat32_timestamp(4354819199), 0xFF9FBF7Du);       /* 2107-12-31 23:59:58 */
	ck_assert_uint_eq(fat32_timestamp(4354819200), 0);                 /* 2108 */
	for (int64_t s = 315532800; s < 4354819200; s += 86399 * 37 + 1) {
		uint32_t ts = fat32_timestamp(s);
		if (fat32_unix_time((uint16_t)(ts >> 16), (uint16_t)ts) != s - s % 2)
			ck_abort_msg("%lld does not come back", (long long)s);
	}
}
END_TEST

void add_read_tests(Suite *s)
{
	TCase *tc = tcase_create("read");
	tcase_add_loop_test(tc, read_whole_tree, 0, 3);
	tcase_add_loop_test(tc, read_chunks, 0, 3);
	tcase_add_loop_test(tc, lookup_rules, 0, 3);
	tcase_add_loop_test(tc, readdir_names, 0, 3);
	tcase_add_loop_test(tc, read_one_request, 0, 3);
	tcase_add_test(tc, sequential_hint);
	tcase_add_loop_test(tc, stat_and_statfs, 0, 3);
	tcase_add_test(tc, unix_time);
	suite_add_tcase(s, tc);
}
