/* The FDT parser against the device tree QEMU's riscv virt board really
 * produces (dumped at test time), plus corrupt blobs that must not crash. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fdt/fdt.h"
#include "tsubame/errno.h"

static unsigned char *dtb;
static size_t dtb_len;

static void load_dtb(void)
{
	const char *path = getenv("TSUBAME_TEST_DTB");
	ck_assert_msg(path != NULL, "TSUBAME_TEST_DTB not set");
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	dtb = malloc(1 << 20);
	dtb_len = fread(dtb, 1, 1 << 20, f);
	fclose(f);
	ck_assert_uint_gt(dtb_len, 1000);
}

static void free_dtb(void)
{
	free(dtb);
	dtb = NULL;
}

START_TEST(virt_board)
{
	struct fdt f;
	uint64_t base, size, hz;

	ck_assert_int_eq(fdt_init(&f, dtb, dtb_len), 0);
	int mem = fdt_find_device_type(&f, -1, "memory");
	ck_assert_int_ge(mem, 0);
	ck_assert_int_eq(fdt_reg(&f, mem, 0, &base, &size), 0);
	ck_assert_uint_eq(base, 0x80000000u);
	ck_assert_uint_eq(size, 128u << 20); /* the dump is made with -m 128M */
	ck_assert_int_eq(fdt_reg(&f, mem, 1, &base, &size), -ENOENT);

	int uart = fdt_find_compatible(&f, -1, "ns16550a");
	ck_assert_int_ge(uart, 0);
	ck_assert_str_eq(fdt_node_name(&f, uart), "serial@10000000");
	ck_assert_int_eq(fdt_reg(&f, uart, 0, &base, &size), 0);
	ck_assert_uint_eq(base, 0x10000000u);
	ck_assert_int_eq(fdt_path(&f, "/soc/serial"), uart); /* unit address optional */
	ck_assert_int_eq(fdt_path(&f, "/soc/serial@10000000"), uart);
	ck_assert_int_eq(fdt_path(&f, "/soc/nothing"), -ENOENT);

	int cpus = fdt_path(&f, "/cpus");
	ck_assert_int_ge(cpus, 0);
	ck_assert_int_eq(fdt_prop_u64(&f, cpus, "timebase-frequency", &hz), 0);
	ck_assert_uint_eq(hz, 10000000u);
	ck_assert_int_ge(fdt_find_compatible(&f, -1, "riscv,plic0"), 0);
	ck_assert_int_ge(fdt_find_compatible(&f, -1, "sifive,test0"), 0);
	ck_assert_int_eq(fdt_parent(&f, uart), fdt_path(&f, "/soc"));
	ck_assert_int_eq(fdt_parent(&f, fdt_root(&f)), -ENOENT);

	/* Eight virtio-mmio slots, found one after another. */
	int n = 0;
	for (int v = fdt_find_compatible(&f, -1, "virtio,mmio"); v >= 0;
	     v = fdt_find_compatible(&f, v, "virtio,mmio"))
		n++;
	ck_assert_int_eq(n, 8);
}
END_TEST

START_TEST(bad_headers)
{
	struct fdt f;
	unsigned char small[64] = { 0 };

	ck_assert_int_eq(fdt_init(&f, small, 10), -EINVAL);
	ck_assert_int_eq(fdt_init(&f, small, sizeof small), -EMEDIUMTYPE);
	unsigned char *copy = malloc(dtb_len);
	memcpy(copy, dtb, dtb_len);
	ck_assert_int_eq(fdt_init(&f, copy, fdt_be32(copy + 4) - 1), -EINVAL); /* totalsize > buffer */
	copy[9] = 0xff; /* structure block offset far out of range */
	ck_assert_int_eq(fdt_init(&f, copy, dtb_len), -EINVAL);
	free(copy);
}
END_TEST

/* Walks everything reachable; on a corrupt blob any answer is fine as long
 * as nothing reads out of bounds (ASan) or loops forever. */
static void walk_all(const struct fdt *f)
{
	uint64_t b, s;
	int steps = 0;

	for (int n = fdt_find_compatible(f, -1, "x"); n >= 0 && steps < 10000; steps++)
		n = fdt_find_compatible(f, n, "x");
	for (int n = fdt_find_device_type(f, -1, "memory"); n >= 0 && steps < 20000; steps++) {
		fdt_reg(f, n, 0, &b, &s);
		fdt_node_name(f, n);
		fdt_parent(f, n);
		n = fdt_find_device_type(f, n, "memory");
	}
	fdt_path(f, "/soc/serial");
	fdt_path(f, "/cpus/cpu@0/interrupt-controller");
	for (int i = 0; i < 64 && fdt_mem_rsv(f, i, &b, &s) == 0; i++)
		;
	int root = fdt_root(f);
	for (int c = root >= 0 ? fdt_first_child(f, root) : -1; c >= 0 && steps < 30000; steps++) {
		int len;
		fdt_prop(f, c, "compatible", &len);
		fdt_is_compatible(f, c, "ns16550a");
		c = fdt_next_sibling(f, c);
	}
}

START_TEST(mutated_blobs_do_not_crash)
{
	unsigned char *copy = malloc(dtb_len);
	srand(12345);
	for (int round = 0; round < 3000; round++) {
		memcpy(copy, dtb, dtb_len);
		int flips = 1 + rand() % 8;
		for (int i = 0; i < flips; i++) {
			/* Bias toward the header and structure block. */
			size_t at = (size_t)rand() % (round % 2 ? 64 : dtb_len);
			copy[at] = (unsigned char)rand();
		}
		struct fdt f;
		if (fdt_init(&f, copy, dtb_len) == 0)
			walk_all(&f);
	}
	free(copy);
}
END_TEST

Suite *fdt_suite(void)
{
	Suite *s = suite_create("fdt");
	TCase *tc = tcase_create("fdt");
	tcase_add_checked_fixture(tc, load_dtb, free_dtb);
	tcase_add_test(tc, virt_board);
	tcase_add_test(tc, bad_headers);
	tcase_add_test(tc, mutated_blobs_do_not_crash);
	suite_add_tcase(s, tc);
	return s;
}
