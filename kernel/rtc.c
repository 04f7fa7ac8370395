/* The wall clock: one read of the hardware clock, then the monotonic one. */
#include "kernel/rtc.h"

#include "arch.h"
#include "kernel/printk.h"
#include "tsubame/errno.h"

static uint64_t base_unix_ns, base_mono_ns;
static bool have_clock;

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
