/* The wall clock: one read of the hardware clock, then the monotonic one. */
#include "kernel/rtc.h"

#include "arch.h"
#include "kernel/printk.h"
#include "tsubame/errno.h"

static uint64_t base_unix_ns, base_mono_ns;
static bool have_clock;
static int (*hw_read)(void *ctx, uint64_t *unix_ns);
static void *hw_ctx;

void rtc_register(const char *name, int (*read)(void *ctx, uint64_t *unix_ns), void *ctx)
{
	uint64_t t;
	int err = read(ctx, &t);

	if (err) {
		kprintf("rtc: %s does not answer (%d)\n", name, err);
		return;
	}
	base_mono_ns = arch_timer_ns();
	base_unix_ns = t;
	hw_read = read;
	hw_ctx = ctx;
	have_clock = true;
	kprintf("rtc: %s, %lu s since 1970\n", name, (unsigned long)(t / 1000000000ull));
}

int rtc_now(uint64_t *unix_ns)
{
	if (!have_clock)
		return -ENODEV;
	*unix_ns = base_unix_ns + (arch_timer_ns() - base_mono_ns);
	return 0;
}

int rtc_read_hardware(uint64_t *unix_ns)
{
	return have_clock ? hw_read(hw_ctx, unix_ns) : -ENODEV;
}
