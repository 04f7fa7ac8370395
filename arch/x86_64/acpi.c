/* ACPI table discovery. Nothing in the tables is trusted: every table's
 * length is bounded and its checksum verified before use, and every
 * record inside is bounds-checked against its table. Tables are read
 * through the direct map (ioremap adds it where the RAM map left holes). */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "acpi.h"
#include "arch.h"
#include "kernel/vm.h"
#include "kernel/printk.h"
#include "tsubame/errno.h"
#include "x86.h"

#define HEADER_LEN 36
#define MAX_TABLE_LEN (4u << 20) /* larger than any sane table, DSDT included */

struct acpi_info acpi;

/* Tables are byte-packed: read fields with memcpy, never by cast. */
static uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

static bool checksum_ok(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += p[i];
	return sum == 0;
}

/* The table at pa if its signature is `sig` and it is whole; *len gets its
 * length. NULL (with a message for a broken table) otherwise. */
static const uint8_t *get_table(uint64_t pa, const char *sig, uint32_t *len)
{
	const uint8_t *t = pa ? ioremap(pa, HEADER_LEN) : NULL;

	if (!t || memcmp(t, sig, 4) != 0)
		return NULL;
	*len = rd32(t + 4);
	if (*len < HEADER_LEN || *len > MAX_TABLE_LEN || !ioremap(pa, *len) ||
	    !checksum_ok(t, *len)) {
		kprintf("acpi: %.4s at %#lx is corrupt (length %u), ignored\n", sig, pa, *len);
		return NULL;
	}
	return t;
}

/* "RSD PTR " on a 16-byte boundary in [pa, pa+len), with valid checksums. */
static const uint8_t *scan_rsdp(uint64_t pa, size_t len)
{
	const uint8_t *p = ioremap(pa, len);

	for (size_t off = 0; p && off + 36 <= len; off += 16) {
		const uint8_t *r = p + off;
		if (memcmp(r, "RSD PTR ", 8) != 0 || !checksum_ok(r, 20))
			continue;
		if (r[15] >= 2 && (rd32(r + 20) < 36 || rd32(r + 20) > len - off ||
				   !checksum_ok(r, rd32(r + 20))))
			continue;
		return r;
	}
	return NULL;
}

static const uint8_t *find_rsdp(void)
{
	const uint8_t *bda = ioremap(0x40e, 2);
	uint64_t ebda = bda ? (uint64_t)rd16(bda) << 4 : 0;
	const uint8_t *r = NULL;

	/* The EBDA's first KiB, then the BIOS area below 1 MiB. */
	if (ebda >= 0x80000 && ebda < 0xa0000)
		r = scan_rsdp(ebda, 1024);
	return r ? r : scan_rsdp(0xe0000, 0x20000);
}

/* Looks `sig` up in the RSDT (4-byte pointers) or XSDT (8-byte). */
static const uint8_t *find_table(const uint8_t *sdt, uint32_t sdt_len, int ptr_size,
				 const char *sig, uint32_t *len)
{
	for (uint32_t off = HEADER_LEN; off + ptr_size <= sdt_len; off += ptr_size) {
		uint64_t pa = ptr_size == 8 ? rd64(sdt + off) : rd32(sdt + off);
		const uint8_t *t = get_table(pa, sig, len);
		if (t)
			return t;
	}
	return NULL;
}

static void parse_madt(const uint8_t *t, uint32_t len)
{
	acpi.lapic_pa = rd32(t + 36);
	for (uint32_t off = 44; off + 2 <= len;) {
		const uint8_t *e = t + off;
		uint8_t type = e[0], elen = e[1];
		if (elen < 2 || off + elen > len)
			break; /* a broken entry: the rest cannot be located */
		if (type == 1 && elen >= 12 && acpi.nioapics < ACPI_MAX_IOAPICS) {
			acpi.ioapics[acpi.nioapics].pa = rd32(e + 4);
			acpi.ioapics[acpi.nioapics++].gsi_base = rd32(e + 8);
		} else if (type == 2 && elen >= 10 && e[2] == 0 /* ISA */ &&
			   acpi.noverrides < ACPI_MAX_OVERRIDES) {
			acpi.overrides[acpi.noverrides++] = (struct acpi_override){
				.irq = e[3], .gsi = rd32(e + 4), .flags = rd16(e + 8)};
		} else if (type == 5 && elen >= 12) { /* 64-bit local APIC address */
			acpi.lapic_pa = rd64(e + 4);
		}
		off += elen;
	}
}

/* Finds Name(\_S5_, Package() {SLP_TYPa, SLP_TYPb, ...}) in the DSDT's AML.
 * A byte search, not an interpreter: it covers the usual encodings. */
static bool parse_s5(const uint8_t *aml, uint32_t len)
{
	for (uint32_t i = 1; i + 4 < len; i++) {
		if (memcmp(aml + i, "_S5_", 4) != 0)
			continue;
		bool named = aml[i - 1] == 0x08 /* NameOp */ ||
			     (i >= 2 && aml[i - 1] == '\\' && aml[i - 2] == 0x08);
		uint32_t p = i + 4;
		if (!named || p + 2 >= len || aml[p] != 0x12 /* PackageOp */)
			continue;
		p += 1 + 1 + (aml[p + 1] >> 6); /* PkgLength: lead byte + extra bytes */
		p += 1;                         /* NumElements */
		uint8_t v[2];
		for (int k = 0; k < 2; k++) {
			if (p >= len)
				return false;
			if (aml[p] == 0x0a) { /* BytePrefix n */
				if (p + 1 >= len)
					return false;
				v[k] = aml[p + 1];
				p += 2;
			} else if (aml[p] == 0x00 || aml[p] == 0x01) { /* ZeroOp, OneOp */
				v[k] = aml[p++];
			} else {
				return false;
			}
		}
		acpi.slp_typa = v[0];
		acpi.slp_typb = v[1];
		return true;
	}
	return false;
}

static void parse_fadt(const uint8_t *t, uint32_t len)
{
	uint64_t dsdt = len >= 44 ? rd32(t + 40) : 0;
	uint32_t dlen;

	if (len >= 72) {
		acpi.pm1a_cnt = rd32(t + 64);
		acpi.pm1b_cnt = rd32(t + 68);
	}
	if (len >= 148 && rd64(t + 140)) /* X_DSDT */
		dsdt = rd64(t + 140);
	/* X_PM1a/b_CNT_BLK, when they are in I/O space (generic address
	 * structure: space id 1) */
	if (len >= 184 && t[172] == 1 && rd64(t + 176) && rd64(t + 176) <= 0xffff)
		acpi.pm1a_cnt = rd64(t + 176);
	if (len >= 196 && t[184] == 1 && rd64(t + 188) && rd64(t + 188) <= 0xffff)
		acpi.pm1b_cnt = rd64(t + 188);

	const uint8_t *d = dsdt ? get_table(dsdt, "DSDT", &dlen) : NULL;
	if (d)
		acpi.s5_valid = parse_s5(d + HEADER_LEN, dlen - HEADER_LEN);
}

static void parse_mcfg(const uint8_t *t, uint32_t len)
{
	for (uint32_t off = 44; off + 16 <= len; off += 16) {
		const uint8_t *e = t + off;
		if (rd16(e + 8) != 0 || e[10] > e[11])
			continue; /* other PCI segments are not supported */
		acpi.ecam_pa = rd64(e);
		acpi.ecam_bus_start = e[10];
		acpi.ecam_bus_end = e[11];
		acpi.ecam_valid = true;
		return;
	}
}

int acpi_init(void)
{
	const uint8_t *rsdp = find_rsdp(), *sdt = NULL, *t;
	uint32_t sdt_len = 0, len;
	int ptr_size = 8;

	if (!rsdp) {
		kprintf("acpi: no RSDP found\n");
		return -ENODEV;
	}
	if (rsdp[15] >= 2 && rd64(rsdp + 24))
		sdt = get_table(rd64(rsdp + 24), "XSDT", &sdt_len);
	if (!sdt) {
		ptr_size = 4;
		sdt = get_table(rd32(rsdp + 16), "RSDT", &sdt_len);
	}
	if (!sdt) {
		kprintf("acpi: no valid RSDT/XSDT\n");
		return -ENODEV;
	}
	if ((t = find_table(sdt, sdt_len, ptr_size, "FACP", &len)))
		parse_fadt(t, len);
	if ((t = find_table(sdt, sdt_len, ptr_size, "MCFG", &len)))
		parse_mcfg(t, len);
	if (!(t = find_table(sdt, sdt_len, ptr_size, "APIC", &len)) || len < 44) {
		kprintf("acpi: no valid MADT\n");
		return -ENODEV;
	}
	parse_madt(t, len);
	return 0;
}

unsigned acpi_isa_irq_to_gsi(unsigned irq)
{
	for (int i = 0; i < acpi.noverrides; i++)
		if (acpi.overrides[i].irq == irq)
			return acpi.overrides[i].gsi;
	return irq; /* identity unless overridden */
}
