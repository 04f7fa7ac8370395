/* Floating point in user mode: each process has its own FP registers and
 * control word, kept exactly across system calls, preemption and switches
 * to other processes, and a new program (spawn or exec) starts with the
 * initial state whatever ran before it. The register work is done by
 * arch/<arch>/user/probe.S, so that no compiled code touches the registers
 * between writing and reading them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsubame.h"
#include "utest.h"

#define FP_WORDS 40
uint64_t fpregs_hold(const uint64_t in[FP_WORDS], uint64_t out[FP_WORDS], uint64_t ctl,
		     long rounds, long nr, uint64_t until);
uint64_t fpregs_peek(uint64_t out[FP_WORDS]);
uint64_t fpctl_initial(void);
uint64_t fpctl_mode(unsigned k);

/* The state main() found (utest_fp_peek_at_start, before anything else). */
static uint64_t start_regs[FP_WORDS], start_ctl;

void utest_fp_peek_at_start(void)
{
	start_ctl = fpregs_peek(start_regs);
}

static uint64_t mix(uint64_t x) /* splitmix64: distinct, busy bit patterns */
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t bits_of(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof u);
	return u;
}

/* Register values for a seed: raw patterns, except the x87 words, which
 * go through a double <-> 80-bit conversion and must be ordinary numbers. */
static void values_for(unsigned seed, uint64_t v[FP_WORDS])
{
	for (int i = 0; i < 32; i++)
		v[i] = mix(seed * 64ull + (unsigned)i);
	for (int i = 32; i < FP_WORDS; i++)
		v[i] = bits_of((double)seed * 1000.0 + i + 0.375);
}

/* fpregs SEED N yield|clock: distinctive registers and rounding mode
 * survive, bit for bit, N rounds of spinning and yielding (a switch to
 * another process each round), or N ms of spinning and reading the clock
 * (switches only when the timer preempts, in the spin or in the call). */
int mode_fpregs(unsigned seed, long n, const char *call)
{
	uint64_t in[FP_WORDS], out[FP_WORDS];
	uint64_t ctl = fpctl_mode(seed);

	values_for(seed, in);
	memset(out, 0, sizeof out);
	uint64_t got = strcmp(call, "clock") == 0
		? fpregs_hold(in, out, ctl, -1, SYS_CLOCK_MONOTONIC, clock_ns() + n * 1000000ull)
		: fpregs_hold(in, out, ctl, n, SYS_YIELD, ~0ull);
	for (int i = 0; i < FP_WORDS; i++)
		if (out[i] != in[i]) {
			printf("utest fpregs %u: word %d is %#llx, wanted %#llx\n", seed, i,
			       (unsigned long long)out[i], (unsigned long long)in[i]);
			return 1;
		}
	if (got != ctl) {
		printf("utest fpregs %u: control %#llx, wanted %#llx\n", seed,
		       (unsigned long long)got, (unsigned long long)ctl);
		return 1;
	}
	return 0;
}

/* fpinit: the program started with every FP register zero and the initial
 * control word (round to nearest, no flags), and computes like it. */
int mode_fpinit(void)
{
	for (int i = 0; i < FP_WORDS; i++)
		if (start_regs[i]) {
			printf("utest fpinit: word %d is %#llx at start, not 0\n", i,
			       (unsigned long long)start_regs[i]);
			return 1;
		}
	if (start_ctl != fpctl_initial()) {
		printf("utest fpinit: control %#llx at start, wanted %#llx\n",
		       (unsigned long long)start_ctl, (unsigned long long)fpctl_initial());
		return 1;
	}
	volatile double one = 1.0, three = 3.0;
	if (bits_of(one / three) != 0x3fd5555555555555ull) /* rounded to nearest */
		return fail("1/3 is not rounded to nearest", (long)bits_of(one / three));
	if (bits_of(-one / three) != 0xbfd5555555555555ull)
		return fail("-1/3 is not rounded to nearest", (long)bits_of(-one / three));
	return 0;
}

/* fpdirty exit|spin|exec: leaves distinctive FP state behind on its way
 * out: by exiting, by being killed in the middle of using it, or by
 * exec'ing a program (utest fpinit) that must not see it. */
int mode_fpdirty(const char *how)
{
	uint64_t in[FP_WORDS], out[FP_WORDS];
	unsigned seed = 77;

	values_for(seed, in);
	if (strcmp(how, "spin") == 0)
		fpregs_hold(in, out, fpctl_mode(seed), -1, SYS_YIELD, ~0ull); /* until killed */
	fpregs_hold(in, out, fpctl_mode(seed), 0, SYS_YIELD, ~0ull);
	if (strcmp(how, "exec") == 0) {
		char *argv[] = { SELF, "fpinit", NULL };
		return fail("exec returned", exec(SELF, argv, environ));
	}
	return 0;
}

/* The same arithmetic with and without pauses in the middle must give the
 * same bits; the pauses switch to other processes doing FP work. */
static double series(unsigned seed, long n, int pause)
{
	double x = 0.0, y = 1.0 + seed / 8.0;

	for (long i = 1; i <= n; i++) {
		x += y / (double)i;
		y = y * 1.0000001 - x * 1e-9;
		if (pause && i % 512 == 0)
			yield();
		if (pause && i % 8192 == 0)
			sleep_ms(1);
	}
	return x + y;
}

/* fpcalc SEED N: compiled FP code (what a program does) over many
 * switches: repeatable results, and an exact sum. */
int mode_fpcalc(unsigned seed, long n)
{
	double a = series(seed, n, 1), b = series(seed, n, 0);
	if (bits_of(a) != bits_of(b)) {
		printf("utest fpcalc %u: %#llx with pauses, %#llx without\n", seed,
		       (unsigned long long)bits_of(a), (unsigned long long)bits_of(b));
		return 1;
	}
	double sum = 0.0; /* sum of i/4: exact in a double for these n */
	for (long i = 1; i <= n; i++) {
		sum += (double)i * 0.25;
		if (i % 1024 == 0)
			yield();
	}
	double want = (double)n * (double)(n + 1) / 8.0;
	if (sum != want) {
		printf("utest fpcalc %u: sum %#llx, wanted %#llx\n", seed,
		       (unsigned long long)bits_of(sum), (unsigned long long)bits_of(want));
		return 1;
	}
	return 0;
}
