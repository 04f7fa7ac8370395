/* What the arch takes from the ACPI tables (acpi.c). Read-only after
 * acpi_init(). */
#ifndef X86_ACPI_H
#define X86_ACPI_H

#include <stdbool.h>
#include <stdint.h>

#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_OVERRIDES 16

/* MADT interrupt source override flags (MPS INTI flags). */
#define ACPI_POLARITY_MASK 0x3
#define ACPI_POLARITY_LOW 0x3
#define ACPI_TRIGGER_MASK 0xc
#define ACPI_TRIGGER_LEVEL 0xc

struct acpi_ioapic {
	uint64_t pa;
	uint32_t gsi_base;
};

struct acpi_override { /* ISA IRQ `irq` is wired to `gsi` */
	uint8_t irq;
	uint32_t gsi;
	uint16_t flags;
};

struct acpi_info {
	uint64_t lapic_pa;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	int nioapics;
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];
	int noverrides;
	uint16_t pm1a_cnt, pm1b_cnt; /* I/O ports, 0 if absent */
	bool s5_valid;
	uint8_t slp_typa, slp_typb;  /* \_S5_ sleep types for power-off */
	bool ecam_valid;             /* PCI segment 0 from the MCFG */
	uint64_t ecam_pa;            /* where bus 0's configuration space would be */
	uint8_t ecam_bus_start, ecam_bus_end;
};

extern struct acpi_info acpi;

/* Finds and validates RSDP, RSDT/XSDT, MADT, FADT (+ DSDT) and MCFG.
 * 0, or -ENODEV when there is no usable MADT (no interrupts without it). */
int acpi_init(void);

/* The GSI an ISA IRQ (0-15) is wired to, after overrides. */
unsigned acpi_isa_irq_to_gsi(unsigned irq);

#endif
