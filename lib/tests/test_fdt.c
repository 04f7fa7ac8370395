/* The FDT parser against the device tree QEMU's riscv virt board really
 * produces (dumped at test time), plus corrupt blobs that must not crash. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fdt/fdt.h"
#include "fdt/fdt_pci.h"
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

/* The PCIe bridge of QEMU's virt board: ECAM, window, and INTx through
 * the PLIC (interrupt-map entries of 3 + 1 + 1 + 0 + 1 cells). */
START_TEST(virt_pci_host)
{
	struct fdt f;
	static struct fdt_pci_host h;
	const struct fdt_pci_irq_route *r;

	ck_assert_int_eq(fdt_init(&f, dtb, dtb_len), 0);
	ck_assert_int_eq(fdt_pci_host_parse(&f, &h), 0);
	ck_assert_uint_eq(h.ecam_base, 0x30000000u);
	ck_assert_uint_eq(h.bus_start, 0);
	ck_assert_uint_eq(h.bus_end, 255);
	ck_assert_uint_eq(h.mem_base, 0x40000000u);
	ck_assert_uint_eq(h.mem_size, 0x40000000u);
	ck_assert_int_eq(h.nroutes, 16);
	int plic = fdt_find_compatible(&f, -1, "riscv,plic0");
	uint64_t phandle;
	ck_assert_int_eq(fdt_prop_u64(&f, plic, "phandle", &phandle), 0);
	ck_assert_int_eq(fdt_node_by_phandle(&f, (uint32_t)phandle), plic);
	/* virt swizzles: device d, pin p goes to PLIC source 32 + (d + p - 1) % 4. */
	for (unsigned d = 0; d < 8; d++)
		for (unsigned pin = 1; pin <= 4; pin++) {
			ck_assert_int_eq(fdt_pci_route(&h, 0, d, 0, pin, &r), 0);
			ck_assert_uint_eq(r->parent, phandle);
			ck_assert_uint_eq(r->ncells, 1);
			ck_assert_uint_eq(r->spec[0], 32 + (d + pin - 1) % 4);
		}
	ck_assert_int_eq(fdt_pci_route(&h, 0, 1, 0, 0, &r), -EINVAL);
	ck_assert_int_eq(fdt_pci_route(&h, 0, 1, 0, 5, &r), -EINVAL);
}
END_TEST

/* A tiny FDT writer, for trees QEMU's riscv board does not make. */
struct builder {
	uint8_t s[2048], str[512];
	uint32_t n, nstr;
};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24, p[1] = v >> 16, p[2] = v >> 8, p[3] = (uint8_t)v;
}

static void tok(struct builder *b, uint32_t v)
{
	put32(b->s + b->n, v);
	b->n += 4;
}

static void begin(struct builder *b, const char *name)
{
	tok(b, 1);
	strcpy((char *)b->s + b->n, name);
	b->n += (uint32_t)(strlen(name) + 4) & ~3u;
}

static void prop(struct builder *b, const char *name, const void *val, uint32_t len)
{
	tok(b, 3);
	tok(b, len);
	tok(b, b->nstr);
	strcpy((char *)b->str + b->nstr, name);
	b->nstr += (uint32_t)strlen(name) + 1;
	memcpy(b->s + b->n, val, len);
	b->n += (len + 3) & ~3u;
}

static void prop_cells(struct builder *b, const char *name, const uint32_t *c, int n)
{
	uint8_t v[256];
	for (int i = 0; i < n; i++)
		put32(v + 4 * i, c[i]);
	prop(b, name, v, 4 * (uint32_t)n);
}

/* Header + reservation block (empty) + structure + strings. */
static size_t finish(struct builder *b, uint8_t *out)
{
	tok(b, 9); /* FDT_END */
	uint32_t off_rsv = 40, off_struct = off_rsv + 16, off_str = off_struct + b->n;
	uint32_t total = off_str + b->nstr;
	memset(out, 0, total);
	put32(out, 0xd00dfeed);
	put32(out + 4, total);
	put32(out + 8, off_struct);
	put32(out + 12, off_str);
	put32(out + 16, off_rsv);
	put32(out + 20, 17);
	put32(out + 24, 16);
	put32(out + 32, b->nstr);
	put32(out + 36, b->n);
	memcpy(out + off_struct, b->s, b->n);
	memcpy(out + off_str, b->str, b->nstr);
	return total;
}

/* An aarch64-style bridge: the interrupt parent is a GIC with 2 address
 * cells and 3 interrupt cells, so each map entry has 3 + 1 + 1 + 2 + 3
 * cells. `bad_phandle` makes the second entry name no node. */
static size_t gic_tree(uint8_t *out, int bad_phandle)
{
	static struct builder b;
	const uint32_t two = 2, three = 3, one = 1;
	memset(&b, 0, sizeof b);
	begin(&b, "");
	prop_cells(&b, "#address-cells", &two, 1);
	prop_cells(&b, "#size-cells", &two, 1);
	begin(&b, "intc@8000000");
	prop_cells(&b, "phandle", (uint32_t[]){ 0x8001 }, 1);
	prop_cells(&b, "#interrupt-cells", &three, 1);
	prop_cells(&b, "#address-cells", &two, 1);
	prop(&b, "interrupt-controller", "", 0);
	tok(&b, 2);
	begin(&b, "pcie@10000000");
	prop(&b, "compatible", "pci-host-ecam-generic", 22);
	prop_cells(&b, "reg", (uint32_t[]){ 0, 0x3f000000, 0, 0x1000000 }, 4);
	prop_cells(&b, "#address-cells", &three, 1);
	prop_cells(&b, "#size-cells", &two, 1);
	prop_cells(&b, "#interrupt-cells", &one, 1);
	prop_cells(&b, "ranges", (uint32_t[]){ 0x02000000, 0, 0x10000000, 0, 0x10000000, 0, 0x2eff0000 }, 7);
	prop_cells(&b, "interrupt-map-mask", (uint32_t[]){ 0x1800, 0, 0, 7 }, 4);
	prop_cells(&b, "interrupt-map",
		   (uint32_t[]){ 0x0000, 0, 0, 1, 0x8001, 0, 0, 0, 3, 4,
				 0x0800, 0, 0, 1, bad_phandle ? 0x77 : 0x8001, 0, 0, 0, 4, 4 },
		   20);
	tok(&b, 2);
	tok(&b, 2);
	return finish(&b, out);
}

START_TEST(pci_map_cells_from_the_parent)
{
	static uint8_t blob[4096];
	static struct fdt_pci_host h;
	const struct fdt_pci_irq_route *r;
	struct fdt f;

	ck_assert_int_eq(fdt_init(&f, blob, gic_tree(blob, 0)), 0);
	ck_assert_int_eq(fdt_pci_host_parse(&f, &h), 0);
	ck_assert_uint_eq(h.ecam_base, 0x3f000000u);
	ck_assert_uint_eq(h.bus_end, 15);
	ck_assert_uint_eq(h.mem_base, 0x10000000u);
	ck_assert_uint_eq(h.mem_size, 0x2eff0000u);
	ck_assert_int_eq(h.nroutes, 2);
	ck_assert_int_eq(fdt_pci_route(&h, 0, 1, 0, 1, &r), 0);
	ck_assert_uint_eq(r->parent, 0x8001);
	ck_assert_uint_eq(r->ncells, 3);
	ck_assert_uint_eq(r->spec[0], 0);
	ck_assert_uint_eq(r->spec[1], 4);
	ck_assert_uint_eq(r->spec[2], 4);
	ck_assert_int_eq(fdt_pci_route(&h, 0, 0, 0, 1, &r), 0);
	ck_assert_uint_eq(r->spec[1], 3);
	ck_assert_int_eq(fdt_pci_route(&h, 0, 2, 0, 1, &r), -ENOENT);

	/* A map naming a controller that does not exist: no routes at all,
	 * the ECAM still read. */
	ck_assert_int_eq(fdt_init(&f, blob, gic_tree(blob, 1)), 0);
	ck_assert_int_eq(fdt_pci_host_parse(&f, &h), -EINVAL);
	ck_assert_int_eq(h.nroutes, 0);
	ck_assert_uint_eq(h.ecam_base, 0x3f000000u);
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
	static struct fdt_pci_host h;
	const struct fdt_pci_irq_route *r;
	if (fdt_pci_host_parse(f, &h) != -ENOENT)
		fdt_pci_route(&h, 0, 1, 0, 1, &r);
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
	tcase_add_test(tc, virt_pci_host);
	tcase_add_test(tc, pci_map_cells_from_the_parent);
	tcase_add_test(tc, bad_headers);
	tcase_add_test(tc, mutated_blobs_do_not_crash);
	suite_add_tcase(s, tc);
	return s;
}
