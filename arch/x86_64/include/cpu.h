/* x86_64 CPU registers and features, for the arch layer only. */
#ifndef X86_CPU_H
#define X86_CPU_H

#include <stdbool.h>
#include <stdint.h>

#define CR0_MP (1ULL << 1)
#define CR0_EM (1ULL << 2)  /* x87 instructions raise #NM, MMX/SSE ones #UD: kept off */
#define CR0_TS (1ULL << 3)  /* lazy FPU switching: not used (eager, fpu.c) */
#define CR0_NE (1ULL << 5)  /* x87 errors as #MF, not through the legacy IRQ 13 */
#define CR0_WP (1ULL << 16)
#define CR4_PGE (1ULL << 7)
#define CR4_OSFXSR (1ULL << 9)    /* FXSAVE/FXRSTOR and SSE usable */
#define CR4_OSXMMEXCPT (1ULL << 10) /* unmasked SSE exceptions raise #XM */
#define CR4_FSGSBASE (1ULL << 16) /* user rd/wr{fs,gs}base: kept off (see syscall.c) */
#define CR4_OSXSAVE (1ULL << 18)  /* AVX etc. usable: kept off */
#define CR4_SMEP (1ULL << 20)
#define CR4_SMAP (1ULL << 21)

#define MSR_EFER 0xc0000080u
#define EFER_SCE (1ULL << 0) /* syscall/sysret enabled */
#define EFER_NXE (1ULL << 11)
#define MSR_APIC_BASE 0x1bu
#define MSR_STAR 0xc0000081u   /* syscall/sysret selectors */
#define MSR_LSTAR 0xc0000082u  /* 64-bit syscall entry point */
#define MSR_SFMASK 0xc0000084u /* RFLAGS bits syscall clears */

#define RFLAGS_CF (1ULL << 0)
#define RFLAGS_FIXED (1ULL << 1) /* reserved, always 1 */
#define RFLAGS_PF (1ULL << 2)
#define RFLAGS_AF (1ULL << 4)
#define RFLAGS_ZF (1ULL << 6)
#define RFLAGS_SF (1ULL << 7)
#define RFLAGS_TF (1ULL << 8)
#define RFLAGS_IF (1ULL << 9)
#define RFLAGS_DF (1ULL << 10)
#define RFLAGS_OF (1ULL << 11)
#define RFLAGS_IOPL (3ULL << 12)
#define RFLAGS_NT (1ULL << 14)
#define RFLAGS_RF (1ULL << 16)
#define RFLAGS_AC (1ULL << 18)
#define RFLAGS_ID (1ULL << 21)

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
