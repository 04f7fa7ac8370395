/* Writing through the library, then checking the result with mtools (data
 * and names) and fsck.fat -n (structure, FAT mirrors, FSInfo counts). */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "tests.h"
#include "tsubame/errno.h"

static uint32_t free_clusters(struct fat32 *fs)
{
	struct fat32_statfs sf;

	ck_assert_int_eq(fat32_statfs(fs, &sf), 0);
	return sf.free_clusters;
}

static void expect_file(struct fat32 *fs, const char *path, const uint8_t *want, size_t size)
{
	size_t got_size = 0;
	uint8_t *got = fat_slurp(fs, path, &got_size);

	ck_assert_msg(got != NULL, "%s unreadable", path);
	ck_assert_uint_eq(got_size, size);
	ck_assert_msg(memcmp(got, want, size) == 0, "%s differs (library)", path);
	free(got);
}

static void expect_mtools(struct vol *v, const char *path, const uint8_t *want, size_t size)
{
	size_t got_size = 0;
	uint8_t *got = mread(v->im, v->path, path, &got_size);

	ck_assert_msg(got != NULL, "mcopy could not read %s", path);
	ck_assert_uint_eq(got_size, size);
	ck_assert_msg(memcmp(got, want, size) == 0, "%s differs (mtools)", path);
	free(got);
}

/* mdir output for a directory of the volume. */
static char *mdir(struct vol *v, const char *dir)
{
	return sh_out("mdir -i '%s' '::%s'", mspec(v->im, v->path), dir);
}

START_TEST(create_files)
{
	struct vol v;
	const struct image *im = &images[_i];
	const size_t cs = im->cluster;
	const size_t sizes[] = {0, 1, cs - 1, cs, cs + 1, 3 * 1024 * 1024 + 5};
	const char *names[] = {"empty new.bin", "x", "Just Under A Cluster.dat", "EXACT2.BIN",
			       "cluster plus one.bin", "Big File With A Long Name.bin"};
	uint8_t *data[6];
	char path[256];

	vol_open(&v, im, NULL);
	ck_assert_int_eq(fat32_mkdir(v.fs, "New Dir", NULL), 0);
	for (int i = 0; i < 6; i++) {
		data[i] = malloc(sizes[i] + 1);
		fill_pattern(data[i], sizes[i], (uint32_t)i + 100);
		snprintf(path, sizeof(path), "New Dir/%s", names[i]);
		ck_assert_int_eq(fat_put(v.fs, path, data[i], sizes[i]), 0);
		expect_file(v.fs, path, data[i], sizes[i]);
	}
	ck_assert_int_eq(fat32_create(v.fs, "New Dir/x", NULL), -EEXIST);
	ck_assert_int_eq(fat32_create(v.fs, "New Dir/X", NULL), -EEXIST);
	ck_assert_int_eq(fat32_create(v.fs, "New Dir/a:b", NULL), -EINVAL);
	ck_assert_int_eq(fat32_create(v.fs, "nope/x", NULL), -ENOENT);
	vol_unmount(&v);

	char *listing = mdir(&v, "/New Dir");
	for (int i = 0; i < 6; i++) {
		snprintf(path, sizeof(path), "/New Dir/%s", names[i]);
		expect_mtools(&v, path, data[i], sizes[i]);
		if (strlen(names[i]) > 12)
			ck_assert_msg(strstr(listing, names[i]), "mdir lacks %s:\n%s", names[i], listing);
		free(data[i]);
	}
	free(listing);
	ck_assert(vol_fsck(&v, NULL, NULL));
	vol_close(&v);
}
END_TEST

/* Writes at offsets past the end (zero-filled gaps), overlapping writes and
 * many small appends, checked against a model buffer. */
START_TEST(offset_writes)
{
	struct vol v;
	const struct image *im = &images[_i];
	const size_t cap = 400000;
	uint8_t *model = calloc(1, cap), *chunk = malloc(65536);
	size_t size = 0;
	struct fat32_node n, other;

	vol_open(&v, im, NULL);
	ck_assert_int_eq(fat32_create(v.fs, "/ow.bin", &n), 0);
	ck_assert_int_eq(fat32_lookup(v.fs, "/ow.bin", &other), 0);

	struct {
		size_t off, len;
	} ops[] = {{5000, 1000}, {2000, 7000}, {im->cluster * 3 + 7, 100}, {0, 1}, {511, 2}, {20000, 65536}};
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		fill_pattern(chunk, ops[i].len, (uint32_t)i);
		ck_assert_int_eq(fat32_write(v.fs, &n, ops[i].off, chunk, ops[i].len), (int64_t)ops[i].len);
		memcpy(model + ops[i].off, chunk, ops[i].len);
		if (ops[i].off + ops[i].len > size)
			size = ops[i].off + ops[i].len;
		ck_assert_uint_eq(n.size, size);
		expect_file(v.fs, "/ow.bin", model, size);
	}
	for (int i = 0; i < 300; i++) {  /* appends of 333 bytes */
		fill_pattern(chunk, 333, (uint32_t)i + 1000);
		ck_assert_int_eq(fat32_write(v.fs, &n, n.size, chunk, 333), 333);
		memcpy(model + size, chunk, 333);
		size += 333;
	}
	/* A gap of two whole clusters, then one byte. */
	size_t far = size + 2 * im->cluster + 5;
	ck_assert_uint_lt(far + 1, cap);
	ck_assert_int_eq(fat32_write(v.fs, &n, far, "Z", 1), 1);
	model[far] = 'Z';
	size = far + 1;
	ck_assert_int_eq(fat32_write(v.fs, &n, 0, chunk, 0), 0);
	ck_assert_uint_eq(n.size, size);
	/* The other node sees the new size at its next call. */
	ck_assert_uint_eq(other.size, 0);
	struct fat32_stat st;
	ck_assert_int_eq(fat32_stat(v.fs, &other, &st), 0);
	ck_assert_uint_eq(other.size, size);
	expect_file(v.fs, "/ow.bin", model, size);

	vol_unmount(&v);
	vol_mount(&v);
	expect_file(v.fs, "/ow.bin", model, size);
	vol_unmount(&v);
	expect_mtools(&v, "/ow.bin", model, size);
	ck_assert(vol_fsck(&v, NULL, NULL));
	vol_close(&v);
	free(model);
	free(chunk);
}
END_TEST

START_TEST(truncate_sizes)
{
	struct vol v;
	const struct image *im = &images[_i];
	const size_t cs = im->cluster, big = 5 * cs + 100;
	uint8_t *data = malloc(big), *model = calloc(1, big);
	struct fat32_node n;
	uint32_t free0, used, total;

	vol_open(&v, im, NULL);
	free0 = free_clusters(v.fs);
	fill_pattern(data, big, 7);
	ck_assert_int_eq(fat_put(v.fs, "/tr.bin", data, big), 0);
	ck_assert_uint_eq(free_clusters(v.fs), free0 - 6);
	ck_assert_int_eq(fat32_lookup(v.fs, "/tr.bin", &n), 0);

	ck_assert_int_eq(fat32_truncate(v.fs, &n, cs + 3), 0);  /* shrink */
	ck_assert_uint_eq(n.size, cs + 3);
	ck_assert_uint_eq(free_clusters(v.fs), free0 - 2);
	expect_file(v.fs, "/tr.bin", data, cs + 3);

	/* Grow: the old data beyond cs + 3 must not reappear. */
	memcpy(model, data, cs + 3);
	ck_assert_int_eq(fat32_truncate(v.fs, &n, 4 * cs + 9), 0);
	ck_assert_uint_eq(free_clusters(v.fs), free0 - 5);
	expect_file(v.fs, "/tr.bin", model, 4 * cs + 9);
	ck_assert_int_eq(fat32_truncate(v.fs, &n, 4 * cs + 9), 0);  /* same size */

	ck_assert_int_eq(fat32_truncate(v.fs, &n, 0), 0);
	ck_assert_uint_eq(n.first_cluster, 0);
	ck_assert_uint_eq(free_clusters(v.fs), free0);
	ck_assert_int_eq(fat32_truncate(v.fs, &n, 10), 0);
	memset(model, 0, 10);
	expect_file(v.fs, "/tr.bin", model, 10);

	/* Shrink within one cluster keeps the chain. */
	ck_assert_int_eq(fat32_write(v.fs, &n, 0, data, 300), 300);
	ck_assert_int_eq(fat32_truncate(v.fs, &n, 200), 0);
	expect_file(v.fs, "/tr.bin", data, 200);
	uint32_t free_now = free_clusters(v.fs);
	ck_assert_uint_eq(free_now, free0 - 1);

	vol_unmount(&v);
	expect_mtools(&v, "/tr.bin", data, 200);
	ck_assert(vol_fsck(&v, &used, &total));
	ck_assert_uint_eq(total - used, free_now);
	ck_assert_int_eq(minfo_free(v.im, v.path), (long)free_now);
	vol_close(&v);
	free(data);
	free(model);
}
END_TEST

START_TEST(mkdir_rmdir)
{
	struct vol v;
	uint32_t free0;
	struct fat32_node d;
	char *listing;

	vol_open(&v, &images[_i], NULL);
	free0 = free_clusters(v.fs);
	ck_assert_int_eq(fat32_mkdir(v.fs, "a", NULL), 0);
	ck_assert_int_eq(fat32_mkdir(v.fs, "a/b", NULL), 0);
	ck_assert_int_eq(fat32_mkdir(v.fs, "a/b/c", &d), 0);
	ck_assert(d.attr & FAT32_ATTR_DIR);
	ck_assert_uint_eq(free_clusters(v.fs), free0 - 3);
	ck_assert_int_eq(fat32_mkdir(v.fs, "a", NULL), -EEXIST);
	ck_assert_int_eq(fat32_mkdir(v.fs, "A", NULL), -EEXIST);
	ck_assert_int_eq(fat32_mkdir(v.fs, "one.bin", NULL), -EEXIST);
	ck_assert_int_eq(fat32_mkdir(v.fs, "/", NULL), -EEXIST);
	ck_assert_int_eq(fat32_mkdir(v.fs, "nope/x", NULL), -ENOENT);
	ck_assert_int_eq(fat32_mkdir(v.fs, "one.bin/x", NULL), -ENOTDIR);
	ck_assert_int_eq(fat_put(v.fs, "a/b/c/f.txt", "hello", 5), 0);

	ck_assert_int_eq(fat32_rmdir(v.fs, "a/b/c"), -ENOTEMPTY);
	ck_assert_int_eq(fat32_rmdir(v.fs, "a"), -ENOTEMPTY);
	ck_assert_int_eq(fat32_rmdir(v.fs, "a/b/c/f.txt"), -ENOTDIR);
	ck_assert_int_eq(fat32_unlink(v.fs, "a/b"), -EISDIR);
	ck_assert_int_eq(fat32_rmdir(v.fs, "/"), -EBUSY);
	ck_assert_int_eq(fat32_unlink(v.fs, "/"), -EISDIR);
	ck_assert_int_eq(fat32_rmdir(v.fs, "a/nope"), -ENOENT);
	ck_assert_int_eq(fat32_unlink(v.fs, "a/b/c/f.txt"), 0);
	ck_assert_int_eq(fat32_unlink(v.fs, "a/b/c/f.txt"), -ENOENT);
	ck_assert_int_eq(fat32_rmdir(v.fs, "a/b/c"), 0);
	ck_assert_int_eq(fat32_lookup(v.fs, "a/b/c", &d), -ENOENT);
	ck_assert_int_eq(fat32_stat(v.fs, &d, &(struct fat32_stat){0}), -ENOENT);  /* stale node */
	ck_assert_uint_eq(free_clusters(v.fs), free0 - 2);

	ck_assert_int_eq(fat32_mkdir(v.fs, "a/Long Directory Name", NULL), 0);
	ck_assert_int_eq(fat_put(v.fs, "a/Long Directory Name/inside.txt", "12345678", 8), 0);
	ck_assert_int_eq(fat32_mkdir(v.fs, "Docs/nested/deeper/deepest/deeper still", NULL), 0);
	vol_unmount(&v);

	listing = mdir(&v, "/a");
	ck_assert_msg(strstr(listing, "Long Directory Name") && strstr(listing, "<DIR>"), "%s", listing);
	free(listing);
	listing = mdir(&v, "/a/b");  /* mtools shows the "." and ".." we wrote */
	ck_assert_msg(strstr(listing, ".            <DIR>") && strstr(listing, "..           <DIR>"), "%s", listing);
	free(listing);
	expect_mtools(&v, "/a/Long Directory Name/inside.txt", (const uint8_t *)"12345678", 8);
	/* What we removed is gone for mtools too. */
	ck_assert_int_ne(sh("mdir -i '%s' ::/a/b/c >/dev/null 2>&1", mspec(v.im, v.path)), 0);
	ck_assert_int_ne(sh("mtype -i '%s' ::/a/b/c/f.txt >/dev/null 2>&1", mspec(v.im, v.path)), 0);
	ck_assert(vol_fsck(&v, NULL, NULL));
	vol_close(&v);
}
END_TEST

START_TEST(rename_ops)
{
	struct vol v;
	char src[1024];
	size_t readme_size, deep_size, lower_size;
	uint32_t free_before;
	struct fat32_node n;
	struct fat32_dirent de;
	uint32_t cookie = 0;
	bool seen = false;

	vol_open(&v, &images[_i], NULL);
	snprintf(src, sizeof(src), "%s/src-%s/Docs/ReadMe.txt", img_dir(), v.im->name);
	uint8_t *readme = read_host(src, &readme_size);
	snprintf(src, sizeof(src), "%s/src-%s/Docs/nested/deeper/deepest/file.dat", img_dir(), v.im->name);
	uint8_t *deep = read_host(src, &deep_size);
	snprintf(src, sizeof(src), "%s/src-%s/lower.txt", img_dir(), v.im->name);
	uint8_t *lower = read_host(src, &lower_size);

	/* A file across directories, gaining a long name. */
	ck_assert_int_eq(fat32_rename(v.fs, "Docs/ReadMe.txt", "alias/Renamed With Long Name.txt"), 0);
	ck_assert_int_eq(fat32_lookup(v.fs, "Docs/ReadMe.txt", &n), -ENOENT);
	expect_file(v.fs, "alias/Renamed With Long Name.txt", readme, readme_size);

	/* A directory across directories: its ".." must follow. */
	ck_assert_int_eq(fat32_rename(v.fs, "Docs/nested", "Mixed Case Dir/Moved Nest"), 0);
	expect_file(v.fs, "Mixed Case Dir/Moved Nest/deeper/deepest/file.dat", deep, deep_size);
	ck_assert_int_eq(fat32_rename(v.fs, "Mixed Case Dir/Moved Nest/deeper", "deeper at root"), 0);

	/* Replacing a file frees the old target's clusters. */
	free_before = free_clusters(v.fs);
	ck_assert_int_eq(fat32_rename(v.fs, "one.bin", "UPPER.TXT"), 0);
	ck_assert_uint_eq(free_clusters(v.fs), free_before + (700 + v.im->cluster - 1) / v.im->cluster);
	ck_assert_int_eq(fat32_lookup(v.fs, "UPPER.TXT", &n), 0);
	ck_assert_uint_eq(n.size, 1);

	/* Refusals. */
	ck_assert_int_eq(fat32_rename(v.fs, "Docs", "Docs/sub"), -EINVAL);
	ck_assert_int_eq(fat32_rename(v.fs, "Mixed Case Dir", "Mixed Case Dir/Moved Nest/x"), -EINVAL);
	ck_assert_int_eq(fat32_rename(v.fs, "lower.txt", "alias"), -EISDIR);
	ck_assert_int_eq(fat32_rename(v.fs, "alias", "lower.txt"), -ENOTDIR);
	ck_assert_int_eq(fat32_rename(v.fs, "alias", "many"), -ENOTEMPTY);
	ck_assert_int_eq(fat32_rename(v.fs, "nope", "x"), -ENOENT);
	ck_assert_int_eq(fat32_rename(v.fs, "lower.txt", "nope/x"), -ENOENT);
	ck_assert_int_eq(fat32_rename(v.fs, "/", "x"), -EBUSY);
	ck_assert_int_eq(fat32_rename(v.fs, "lower.txt", "/"), -EBUSY);
	ck_assert_int_eq(fat32_rename(v.fs, "lower.txt", "bad|name"), -EINVAL);

	/* A directory over an empty directory. */
	ck_assert_int_eq(fat32_mkdir(v.fs, "emptyd", NULL), 0);
	ck_assert_int_eq(fat32_rename(v.fs, "frag", "emptyd"), 0);
	ck_assert_int_eq(fat32_lookup(v.fs, "frag", &n), -ENOENT);
	ck_assert_int_eq(fat32_lookup(v.fs, "emptyd/D.bin", &n), 0);

	/* Same name, and a case change. */
	ck_assert_int_eq(fat32_rename(v.fs, "lower.txt", "lower.txt"), 0);
	ck_assert_int_eq(fat32_rename(v.fs, "lower.txt", "Lower.TXT"), 0);
	struct fat32_node root;
	fat32_root(v.fs, &root);
	while (fat32_readdir(v.fs, &root, &cookie, &de) == 1) {
		ck_assert_str_ne(de.name, "lower.txt");
		if (!strcmp(de.name, "Lower.TXT")) {
			ck_assert_str_eq(de.short_name, "LOWER.TXT");
			seen = true;
		}
	}
	ck_assert(seen);
	vol_unmount(&v);

	expect_mtools(&v, "/alias/Renamed With Long Name.txt", readme, readme_size);
	expect_mtools(&v, "/deeper at root/deepest/file.dat", deep, deep_size);
	expect_mtools(&v, "/Lower.TXT", lower, lower_size);
	ck_assert_int_ne(sh("mtype -i '%s' ::/Docs/ReadMe.txt >/dev/null 2>&1", mspec(v.im, v.path)), 0);
	ck_assert_int_ne(sh("mdir -i '%s' ::/Docs/nested >/dev/null 2>&1", mspec(v.im, v.path)), 0);
	ck_assert_int_ne(sh("mdir -i '%s' ::/frag >/dev/null 2>&1", mspec(v.im, v.path)), 0);
	char *listing = mdir(&v, "/emptyd");
	ck_assert_msg(strstr(listing, "D        bin"), "%s", listing);
	free(listing);
	ck_assert(vol_fsck(&v, NULL, NULL));  /* checks every ".." */
	vol_close(&v);
	free(readme);
	free(deep);
	free(lower);
}
END_TEST

/* Nodes registered with fat32_hold follow renames and die with unlink;
 * plain nodes still see fresh sizes at every call. */
START_TEST(held_nodes)
{
	struct vol v;
	struct fat32_node a, b, c;
	uint8_t buf[256], want[256];

	vol_open(&v, &images[0], NULL);
	fill_pattern(want, sizeof(want), 3);
	ck_assert_int_eq(fat32_create(v.fs, "h.txt", &a), 0);
	fat32_hold(v.fs, &a);
	fat32_hold(v.fs, &a);  /* idempotent */
	ck_assert_int_eq(fat32_lookup(v.fs, "h.txt", &b), 0);
	ck_assert_int_eq(fat32_write(v.fs, &b, 0, want, 100), 100);
	ck_assert_uint_eq(a.size, 100);  /* pushed to the held node */
	ck_assert_int_eq(fat32_lookup(v.fs, "h.txt", &c), 0);

	ck_assert_int_eq(fat32_rename(v.fs, "h.txt", "Docs/h2 long name.txt"), 0);
	ck_assert_int_eq(fat32_read(v.fs, &a, 0, buf, sizeof(buf)), 100);
	ck_assert_mem_eq(buf, want, 100);
	ck_assert_int_eq(fat32_read(v.fs, &b, 0, buf, sizeof(buf)), -ENOENT);  /* plain node: stale */
	ck_assert_int_eq(fat32_write(v.fs, &a, 100, want + 100, 50), 50);
	ck_assert_int_eq(fat32_lookup(v.fs, "Docs/h2 long name.txt", &c), 0);
	ck_assert_uint_eq(c.size, 150);
	expect_file(v.fs, "Docs/h2 long name.txt", want, 150);

	ck_assert_int_eq(fat32_unlink(v.fs, "Docs/h2 long name.txt"), 0);
	ck_assert_int_eq(fat32_read(v.fs, &a, 0, buf, 1), -ENOENT);
	ck_assert_int_eq(fat32_write(v.fs, &a, 0, buf, 1), -ENOENT);
	fat32_release(v.fs, &a);
	fat32_release(v.fs, &a);
	vol_unmount(&v);
	ck_assert(vol_fsck(&v, NULL, NULL));
	vol_close(&v);
}
END_TEST

static bool has_short(struct fat32 *fs, const char *dir, const char *name, const char *alias)
{
	struct fat32_node d;
	struct fat32_dirent de;
	uint32_t cookie = 0;

	ck_assert_int_eq(fat32_lookup(fs, dir, &d), 0);
	while (fat32_readdir(fs, &d, &cookie, &de) == 1)
		if (!strcmp(de.name, name))
			return !strcmp(de.short_name, alias);
	return false;
}

/* Alias generation: numeric tails on collision, lowest free tail, case
 * flags for plain 8.3 names, replacement of characters 8.3 cannot hold. */
START_TEST(lfn_aliases)
{
	struct vol v;
	static const struct {
		const char *name, *alias;
	} cases[] = {
		{"longfilename1.txt", "LONGFI~1.TXT"},
		{"longfilename2.txt", "LONGFI~2.TXT"},
		{"longfilename3.txt", "LONGFI~3.TXT"},
		{"Foo.Txt", "FOO.TXT"},
		{"hello.txt", "hello.txt"},  /* 8.3 in lower case: NTRes flags, no LFN */
		{"HELLO2.TXT", "HELLO2.TXT"},
		{"MiXeD.txt", "MIXED.TXT"},
		{"name+with;bad=chars[1].txt", "NAME_W~1.TXT"},
		{".hidden", "HIDDEN~1"},
		{"a.b.c.d", "ABC~1.D"},
		{"x y.txt", "XY~1.TXT"},
		{"verylongextension.html", "VERYLO~1.HTM"},
		{"caf\xc3\xa9 ol\xc3\xa9.txt", "CAF_OL~1.TXT"},  /* UTF-8 long name */
	};
	const size_t ncases = sizeof(cases) / sizeof(cases[0]);
	char path[300];

	vol_open(&v, &images[_i], NULL);
	ck_assert_int_eq(fat32_mkdir(v.fs, "al", NULL), 0);
	for (size_t i = 0; i < ncases; i++) {
		snprintf(path, sizeof(path), "al/%s", cases[i].name);
		ck_assert_int_eq(fat_put(v.fs, path, cases[i].name, strlen(cases[i].name)), 0);
		ck_assert_msg(has_short(v.fs, "al", cases[i].name, cases[i].alias), "%s", cases[i].name);
	}
	/* mtools made ~1..~3 in /alias; ours continues at ~4. */
	ck_assert_int_eq(fat_put(v.fs, "alias/longfilename4.txt", "4", 1), 0);
	ck_assert(has_short(v.fs, "alias", "longfilename4.txt", "LONGFI~4.TXT"));
	/* The lowest free tail is reused. */
	ck_assert_int_eq(fat32_unlink(v.fs, "al/longfilename2.txt"), 0);
	ck_assert_int_eq(fat_put(v.fs, "al/longfilename9.txt", "9", 1), 0);
	ck_assert(has_short(v.fs, "al", "longfilename9.txt", "LONGFI~2.TXT"));
	/* Two-digit tails shorten the base. */
	for (int i = 0; i < 11; i++) {
		snprintf(path, sizeof(path), "al/collide long name %d.txt", i);
		ck_assert_int_eq(fat_put(v.fs, path, "c", 1), 0);
	}
	ck_assert(has_short(v.fs, "al", "collide long name 8.txt", "COLLID~9.TXT"));
	ck_assert(has_short(v.fs, "al", "collide long name 9.txt", "COLLI~10.TXT"));
	/* Lookups by alias. */
	struct fat32_node n;
	ck_assert_int_eq(fat32_lookup(v.fs, "al/COLLI~10.TXT", &n), 0);
	ck_assert_uint_eq(n.size, 1);
	/* A 255-byte name works; 256 does not. */
	memset(path, 'n', sizeof(path));
	memcpy(path, "al/", 3);
	path[3 + 255] = 0;
	ck_assert_int_eq(fat_put(v.fs, path, "L", 1), 0);
	path[3 + 255] = 'n';
	path[3 + 256] = 0;
	ck_assert_int_eq(fat32_create(v.fs, path, NULL), -ENAMETOOLONG);
	vol_unmount(&v);

	/* mtools agrees on long names, aliases and checksums. */
	char *listing = mdir(&v, "/al");
	ck_assert_msg(strstr(listing, "LONGFI~1 TXT") && strstr(listing, " longfilename1.txt"), "%s", listing);
	ck_assert_msg(strstr(listing, "LONGFI~2 TXT") && strstr(listing, " longfilename9.txt"), "%s", listing);
	ck_assert_msg(strstr(listing, "hello    txt"), "%s", listing);
	ck_assert_msg(strstr(listing, "COLLI~10 TXT") && strstr(listing, "collide long name 9.txt"), "%s", listing);
	ck_assert_msg(strstr(listing, "caf\xc3\xa9 ol\xc3\xa9.txt"), "%s", listing);
	ck_assert_msg(strstr(listing, "NAME_W~1 TXT") && strstr(listing, "name+with;bad=chars[1].txt"), "%s", listing);
	free(listing);
	for (size_t i = 0; i < ncases; i++) {
		if (!strcmp(cases[i].name, "longfilename2.txt") || strchr(cases[i].name, '['))
			continue;  /* deleted; or a name mtools reads as a wildcard */
		snprintf(path, sizeof(path), "/al/%s", cases[i].name);
		expect_mtools(&v, path, (const uint8_t *)cases[i].name, strlen(cases[i].name));
	}
	expect_mtools(&v, "/alias/longfilename4.txt", (const uint8_t *)"4", 1);
	ck_assert(vol_fsck(&v, NULL, NULL));
	vol_close(&v);
}
END_TEST

/* Directories growing over many clusters, slots freed and reused. */
START_TEST(many_entries)
{
	struct vol v;
	char path[128];
	struct fat32_node d;
	struct fat32_dirent de;
	uint32_t cookie = 0;
	int count = 0;

	vol_open(&v, &images[_i], NULL);
	ck_assert_int_eq(fat32_mkdir(v.fs, "big dir", NULL), 0);
	for (int i = 0; i < 300; i++) {
		snprintf(path, sizeof(path), "big dir/file number %03d with a long name.txt", i);
		ck_assert_int_eq(fat_put(v.fs, path, path, 8), 0);
	}
	for (int i = 0; i < 300; i += 2) {
		snprintf(path, sizeof(path), "big dir/file number %03d with a long name.txt", i);
		ck_assert_int_eq(fat32_unlink(v.fs, path), 0);
	}
	for (int i = 0; i < 100; i++) {
		snprintf(path, sizeof(path), "big dir/n%03d.txt", i);
		ck_assert_int_eq(fat_put(v.fs, path, path, 12), 0);
	}
	ck_assert_int_eq(fat32_lookup(v.fs, "big dir", &d), 0);
	while (fat32_readdir(v.fs, &d, &cookie, &de) == 1)
		count++;
	ck_assert_int_eq(count, 250);
	vol_unmount(&v);
	char *listing = mdir(&v, "/big dir");
	ck_assert_msg(strstr(listing, "      252 files"), "%s", listing);  /* + "." and ".." */
	free(listing);
	expect_mtools(&v, "/big dir/file number 299 with a long name.txt",
		      (const uint8_t *)"big dir/file number 299 with a long name.txt", 8);
	ck_assert(vol_fsck(&v, NULL, NULL));
	vol_close(&v);
}
END_TEST

/* Writing a contiguous run is one device request; the FAT sectors it
 * dirties go back in runs (one request per run and FAT copy), not one by
 * one; FAT copies stay mirrored and FSInfo matches reality after unmount. */
START_TEST(write_one_request)
{
	struct vol v;
	const size_t size = 1024 * 1024 + 100;
	uint8_t *data = malloc(size);
	struct fat32_node n;
	uint32_t used, total, free_now;

	vol_open(&v, &images[_i], NULL);
	fill_pattern(data, size, 77);
	ck_assert_int_eq(fat32_create(v.fs, "w.bin", &n), 0);
	hostdev_reset(&v.dev);
	ck_assert_int_eq(fat32_write(v.fs, &n, 0, data, size), (int64_t)size);
	ck_assert_uint_eq(v.dev.max_write, size / 512); /* all the data in one request */
	uint64_t during = v.dev.writes;
	free_now = free_clusters(v.fs);
	hostdev_reset(&v.dev);
	ck_assert_int_eq(fat32_flush(v.fs), 0);
	ck_assert_uint_eq(v.dev.flushes, 1);
	ck_assert_uint_gt(v.dev.writes, 0);
	/* 1 MiB at 512-byte clusters dirties 17 FAT sectors: one by one that
	 * was 34+ writes for the two copies. */
	ck_assert_uint_le(during + v.dev.writes, 16);
	vol_unmount(&v);
	expect_mtools(&v, "/w.bin", data, size);
	ck_assert(vol_fsck(&v, &used, &total));  /* fails on differing FATs or a wrong free count */
	ck_assert_uint_eq(total - used, free_now);
	ck_assert_int_eq(minfo_free(v.im, v.path), (long)free_now);
	/* FSInfo's next-free hint: the last cluster we allocated. */
	char *info = sh_out("minfo -i '%s' ::", mspec(v.im, v.path));
	const char *p = strstr(info, "last allocated cluster=");
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(strtoul(p + strlen("last allocated cluster="), NULL, 10),
			  n.first_cluster + (size + v.im->cluster - 1) / v.im->cluster - 1);
	free(info);
	vol_close(&v);
	free(data);
}
END_TEST

/* A full volume: all-or-nothing writes, exact free counts, clean fsck. */
START_TEST(no_space)
{
	struct vol v;
	const struct image *im = _i ? &small4k_image : &small_image;
	uint8_t *chunk = malloc(65536);
	struct fat32_node n;
	uint32_t free0, used, total;
	int64_t rc;

	vol_open(&v, im, NULL);
	free0 = free_clusters(v.fs);
	fill_pattern(chunk, 65536, 5);
	ck_assert_int_eq(fat32_create(v.fs, "fill.bin", &n), 0);
	while ((rc = fat32_write(v.fs, &n, n.size, chunk, 65536)) == 65536)
		;
	ck_assert_int_eq(rc, -ENOSPC);
	uint32_t size = n.size;
	ck_assert_uint_eq(size % 65536, 0);  /* the failed write changed nothing */
	ck_assert_uint_eq(free_clusters(v.fs), free0 - size / im->cluster);
	while ((rc = fat32_write(v.fs, &n, n.size, chunk, im->cluster)) == im->cluster)
		;
	ck_assert_int_eq(rc, -ENOSPC);
	ck_assert_uint_eq(free_clusters(v.fs), 0);
	ck_assert_int_eq(fat32_mkdir(v.fs, "nodir", NULL), -ENOSPC);
	ck_assert_int_eq(fat32_lookup(v.fs, "nodir", &n), -ENOENT);
	ck_assert_int_eq(fat32_lookup(v.fs, "fill.bin", &n), 0);
	ck_assert_int_eq(fat32_truncate(v.fs, &n, n.size + 1), -ENOSPC);
	vol_unmount(&v);
	ck_assert(vol_fsck(&v, &used, &total));
	ck_assert_uint_eq(used, total);
	vol_mount(&v);
	ck_assert_int_eq(fat32_unlink(v.fs, "fill.bin"), 0);
	ck_assert_uint_eq(free_clusters(v.fs), free0);
	vol_unmount(&v);
	ck_assert(vol_fsck(&v, &used, &total));
	ck_assert_uint_eq(total - used, free0);
	vol_close(&v);
	free(chunk);
}
END_TEST

START_TEST(limits_and_errors)
{
	struct vol v;
	struct fat32_node n;
	struct fat32 *fs;
	uint8_t buf[65536] = {1};

	vol_open(&v, &small_image, NULL);
	ck_assert_int_eq(fat32_create(v.fs, "f", &n), 0);
	ck_assert_int_eq(fat32_write(v.fs, &n, 0xFFFFFFFFull, buf, 1), -EFBIG);
	ck_assert_int_eq(fat32_write(v.fs, &n, 0xFFFFFFF0ull, buf, 100), -EFBIG);
	ck_assert_int_eq(fat32_write(v.fs, &n, 1ull << 40, buf, 1), -EFBIG);
	ck_assert_int_eq(fat32_truncate(v.fs, &n, 0x100000000ull), -EFBIG);
	ck_assert_uint_eq(n.size, 0);
	/* A file just under the limit cannot fit on the volume. */
	ck_assert_int_eq(fat32_truncate(v.fs, &n, 0xFFFFFFFFull), -ENOSPC);
	ck_assert_uint_eq(n.size, 0);

	/* Device errors come back unchanged. */
	v.dev.fail_writes_after = 0;
	ck_assert_int_eq(fat32_write(v.fs, &n, 0, buf, sizeof(buf)), -5);
	v.dev.fail_writes_after = -1;
	vol_unmount(&v);
	vol_mount(&v);
	v.dev.fail_reads_after = 0;
	ck_assert_int_eq(fat32_lookup(v.fs, "f", &n), -5);
	v.dev.fail_reads_after = -1;
	ck_assert_int_eq(fat32_lookup(v.fs, "f", &n), 0);
	v.dev.fail_writes_after = 0;
	ck_assert_int_eq(fat32_write(v.fs, &n, 0, buf, 10), 10);  /* cached */
	ck_assert_int_eq(fat32_flush(v.fs), -5);
	v.dev.fail_writes_after = -1;
	vol_unmount(&v);

	/* Allocation failures at mount. */
	struct hostdev d;
	for (long k = 0; k < 5; k++) {  /* volume, then data and slots of both caches */
		shim_alloc_fail_after = k;
		int rc = mount_file(v.path, &d, &fs, NULL);
		shim_alloc_fail_after = -1;
		hostdev_close(&d);
		ck_assert_int_eq(rc, -ENOMEM);
	}
	/* Only 512-byte sectors. */
	ck_assert_int_eq(hostdev_file(&d, v.path), 0);
	d.bd.sector_size = 4096;
	ck_assert_int_eq(fat32_mount(&fs, &d.bd, NULL), -EINVAL);
	ck_assert_ptr_null(fs);
	hostdev_close(&d);
	vol_close(&v);
}
END_TEST

/* A writer that stops between two device writes of a flush (fat32d
 * killed, the power lost) must never leave a directory entry pointing at a
 * cluster the FAT on the disk calls free: the next file to get that cluster
 * would share it. So freed clusters reach the disk only after the entries
 * that pointed at them are gone (a stop in between leaks them: fsck
 * reclaims), new ones before the entries that point at them. The stop is
 * tried after every write a flush makes; fat32_recount then puts the FSInfo
 * free count right, as the kernel does when it takes a volume back. */
START_TEST(stop_mid_flush)
{
	enum { UNLINK, TRUNCATE, CUT, REPLACE, GROW, OPS };
	static const char *const what[OPS] = { "unlink", "truncate to 0", "truncate to 1 cluster",
					       "rename over a file", "append" };
	uint8_t data[8 * 512];
	fill_pattern(data, sizeof data, 7);
	for (int op = 0; op < OPS; op++) {
		for (long k = 0;; k++) {
			struct vol v;
			struct fat32_node n;
			vol_open(&v, &small_image, NULL);
			ck_assert_int_eq(fat_put(v.fs, "victim.bin", data, sizeof data), 0);
			ck_assert_int_eq(fat_put(v.fs, "other.bin", data, 3 * 512), 0);
			ck_assert_int_eq(fat32_flush(v.fs), 0);
			ck_assert_int_eq(fat32_lookup(v.fs, "victim.bin", &n), 0);
			switch (op) {
			case UNLINK: ck_assert_int_eq(fat32_unlink(v.fs, "victim.bin"), 0); break;
			case TRUNCATE: ck_assert_int_eq(fat32_truncate(v.fs, &n, 0), 0); break;
			case CUT: ck_assert_int_eq(fat32_truncate(v.fs, &n, 512), 0); break;
			case REPLACE: ck_assert_int_eq(fat32_rename(v.fs, "other.bin", "victim.bin"), 0); break;
			case GROW: ck_assert_int_eq(fat32_write(v.fs, &n, sizeof data, data, sizeof data), (int64_t)sizeof data); break;
			}
			v.dev.fail_writes_after = k;
			int rc = fat32_flush(v.fs);
			v.dev.fail_writes_after = 0; /* stopped: nothing more reaches the disk */
			fat32_unmount(v.fs);
			v.fs = NULL;
			hostdev_close(&v.dev);
			char *report;
			fsck_clean(v.im, v.path, &report, NULL, NULL);
			ck_assert_msg(!strstr(report, "free cluster") && !strstr(report, "shared"),
				      "%s, stopped after %ld writes:\n%s", what[op], k, report);
			free(report);
			/* Taken back: the count is made exact, and written (it is the
			 * FAT's own count; leaked clusters count as used until fsck
			 * reclaims them). */
			vol_mount(&v);
			ck_assert_int_eq(fat32_recount(v.fs), 0);
			uint32_t exact = free_clusters(v.fs);
			vol_unmount(&v);
			vol_mount(&v);
			ck_assert_msg(free_clusters(v.fs) == exact, "%s, %ld: FSInfo says %u free, the FAT %u",
				      what[op], k, free_clusters(v.fs), exact);
			vol_close(&v);
			if (rc == 0)
				break; /* the flush made all its writes: every stop point tried */
		}
	}
}
END_TEST

/* A directory at the format's limit of 65536 entries (built directly in the
 * image: creating 65534 files through the API would take minutes). */
START_TEST(full_directory)
{
	struct vol v;
	struct geo g;
	struct fat32_node d;
	const uint32_t per = 4096 / 32, clusters = 65536 / per;

	vol_open(&v, &small4k_image, NULL);
	ck_assert_int_eq(fat32_mkdir(v.fs, "full", &d), 0);
	uint32_t c0 = d.first_cluster, free0 = free_clusters(v.fs);
	vol_unmount(&v);
	geo_read(v.path, 0, &g);
	ck_assert_uint_eq(g.cs, 4096);
	uint8_t *cl = calloc(1, g.cs);
	for (uint32_t k = 0; k < clusters; k++) {
		uint32_t word;
		if (k) {
			peek(v.path, g.fat + 4ull * (c0 + k), &word, 4);
			ck_assert_uint_eq(word & 0x0FFFFFFF, 0);  /* the clusters after it are free */
			put_fat(v.path, &g, c0 + k - 1, c0 + k);
		}
		if (k == 0)
			peek(v.path, g.data + (uint64_t)(c0 - 2) * g.cs, cl, 64);  /* keep "." and ".." */
		for (uint32_t i = k ? 0 : 2; i < per; i++) {
			uint8_t *e = cl + 32 * i;
			memset(e, 0, 32);
			snprintf((char *)e, 12, "F%07uTXT", k * per + i);
			e[11] = FAT32_ATTR_ARCHIVE;
		}
		patch(v.path, g.data + (uint64_t)(c0 + k - 2) * g.cs, cl, g.cs);
	}
	put_fat(v.path, &g, c0 + clusters - 1, 0x0FFFFFFF);
	patch32(v.path, 512 + 488, free0 - (clusters - 1));  /* FSInfo free count */
	free(cl);
	vol_mount(&v);

	struct fat32_node n;
	struct fat32_dirent de;
	uint32_t cookie = 0;
	int count = 0, rc;
	ck_assert_int_eq(fat32_lookup(v.fs, "full", &d), 0);
	while ((rc = fat32_readdir(v.fs, &d, &cookie, &de)) == 1)
		count++;
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(count, 65534);
	ck_assert_int_eq(fat32_lookup(v.fs, "full/f0065535.txt", &n), 0);
	ck_assert_int_eq(fat32_create(v.fs, "full/one more", NULL), -ENOSPC);
	ck_assert_int_eq(fat32_create(v.fs, "full/x", NULL), -ENOSPC);
	ck_assert_int_eq(fat32_unlink(v.fs, "full/F0000100.TXT"), 0);
	ck_assert_int_eq(fat32_create(v.fs, "full/one more", NULL), -ENOSPC);  /* needs 2 slots */
	ck_assert_int_eq(fat32_create(v.fs, "full/x", NULL), 0);
	ck_assert_int_eq(fat32_rmdir(v.fs, "full"), -ENOTEMPTY);
	vol_unmount(&v);
	ck_assert(vol_fsck(&v, NULL, NULL));
	vol_close(&v);
}
END_TEST

void add_write_tests(Suite *s)
{
	TCase *tc = tcase_create("write");
	tcase_add_loop_test(tc, create_files, 0, 3);
	tcase_add_loop_test(tc, offset_writes, 0, 3);
	tcase_add_loop_test(tc, truncate_sizes, 0, 3);
	tcase_add_loop_test(tc, mkdir_rmdir, 0, 3);
	tcase_add_loop_test(tc, rename_ops, 0, 3);
	tcase_add_test(tc, held_nodes);
	tcase_add_loop_test(tc, lfn_aliases, 0, 3);
	tcase_add_loop_test(tc, many_entries, 0, 2);
	tcase_add_loop_test(tc, write_one_request, 0, 3);
	tcase_add_loop_test(tc, no_space, 0, 2);
	tcase_add_test(tc, limits_and_errors);
	tcase_add_test(tc, full_directory);
	tcase_add_test(tc, stop_mid_flush);
	suite_add_tcase(s, tc);
}
