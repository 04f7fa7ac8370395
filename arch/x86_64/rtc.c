/* The PC's CMOS real-time clock (ports 0x70/0x71), registered as the wall
 * clock. Read until two passes agree, so an update in the middle of a read
 * cannot give a torn time; BCD or binary and 12- or 24-hour as status
 * register B says. QEMU keeps it in UTC. */
#include "arch.h"
#include "io.h"
#include "kernel/rtc.h"
#include "time/civil.h"
#include "tsubame/errno.h"

#define CMOS_ADDR 0x70
#define CMOS_DATA 0x71
#define NMI_OFF 0x80 /* keep NMIs masked while selecting a register */

static uint8_t cmos(uint8_t reg)
{
	outb(CMOS_ADDR, NMI_OFF | reg);
	return inb(CMOS_DATA);
}

struct cmos_time {
	uint8_t sec, min, hour, day, mon, year, century, b;
};

static void read_raw(struct cmos_time *t)
{
	while (cmos(0x0a) & 0x80) /* update in progress: at most ~2 ms */
		;
	*t = (struct cmos_time){ cmos(0x00), cmos(0x02), cmos(0x04), cmos(0x07),
				 cmos(0x08), cmos(0x09), cmos(0x32), cmos(0x0b) };
}

static unsigned bin(uint8_t v, bool bcd)
{
	return bcd ? (v >> 4) * 10u + (v & 15u) : v;
}

static int cmos_read(void *ctx, uint64_t *unix_ns)
{
	struct cmos_time a, b;
	(void)ctx;

	int tries = 0;
	do {
		read_raw(&a);
		read_raw(&b);
	} while (__builtin_memcmp(&a, &b, sizeof a) != 0 && ++tries < 10);
	bool bcd = !(a.b & 0x04), h24 = a.b & 0x02;
	unsigned hour = bin(a.hour & 0x7f, bcd);
	if (!h24 && (a.hour & 0x80))
		hour = hour % 12 + 12; /* 12-hour clock, PM */
	else if (!h24 && hour == 12)
		hour = 0;
	unsigned century = bin(a.century, bcd);
	int64_t year = (century >= 19 && century <= 30 ? century : 20) * 100 + bin(a.year, bcd);
	unsigned mon = bin(a.mon, bcd), day = bin(a.day, bcd);
	if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23)
		return -EIO;
	int64_t days = days_from_civil(year, mon, day);
	int64_t secs = days * 86400 + hour * 3600 + bin(a.min, bcd) * 60 + bin(a.sec, bcd);
	if (secs < 0)
		return -EIO;
	*unix_ns = (uint64_t)secs * 1000000000ull;
	return 0;
}

void x86_rtc_init(void)
{
	rtc_register("CMOS clock", cmos_read, NULL);
}
