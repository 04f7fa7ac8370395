/* x86_64 CPU registers and features, for the arch layer only. */
#ifndef X86_CPU_H
#define X86_CPU_H

#include <stdbool.h>
#include <stdint.h>

#define CR0_WP (1ULL << 16)
#define CR4_PGE (1ULL << 7)
#define CR4_SMEP (1ULL << 20)
#define CR4_SMAP (1ULL << 21)

#define MSR_EFER 0xc0000080u
#define EFER_NXE (1ULL << 11)
#define MSR_APIC_BASE 0x1bu

#define RFLAGS_IF (1ULL << 9)

/* Filled once by cpu_init() from CPUID. */
struct cpu_features {
	bool nx;       /* EFER.NXE is on: PTE bit 63 means no-execute */
	bool page1g;   /* 1 GiB pages */
	bool smep, smap;
};
extern struct cpu_features cpu_features;

/* Reads CPUID, enables NX-aware paging, WP, global pages, SMEP and SMAP. */
void cpu_init(void);

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

#define DEFINE_CR(n)                                                              \
	static inline uint64_t read_cr##n(void)                                   \
	{                                                                         \
		uint64_t v;                                                       \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                 \
		return v;                                                         \
	}                                                                         \
	static inline void write_cr##n(uint64_t v)                                \
	{                                                                         \
		__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");        \
	}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline void invlpg(uintptr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* With SMAP on, the kernel faults on user pages unless RFLAGS.AC is set:
 * bracket every deliberate user access with these. stac/clac are #UD on
 * CPUs without SMAP, hence the check. */
static inline void user_access_begin(void)
{
	if (cpu_features.smap)
		__asm__ volatile("stac" : : : "memory");
}

static inline void user_access_end(void)
{
	if (cpu_features.smap)
		__asm__ volatile("clac" : : : "memory");
}

#endif
