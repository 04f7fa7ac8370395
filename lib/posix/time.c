/* Clocks and sleeping under newlib. The wall clock is SYS_CLOCK_REALTIME;
 * on a machine without one it is the time since boot (from 1970), as the
 * desktop's clock does, rather than an error every time() would hit. */
#include <errno.h>
#include <stdint.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include "posix.h"

#define ALIAS(name) __attribute__((weak, alias(#name)))
#define NS 1000000000ull

static uint64_t realtime_ns(void)
{
	uint64_t ns;
	if (SYS1(SYS_CLOCK_REALTIME, &ns) < 0)
		ns = (uint64_t)SYS0(SYS_CLOCK_MONOTONIC);
	return ns;
}

/* The CPU time this process has used, from the kernel's process list. */
static uint64_t cpu_ns(void)
{
	static struct tsb_procinfo list[64];
	int self = (int)SYS0(SYS_GETPID);
	long n = SYS2(SYS_PROC_LIST, list, 64);

	for (long i = 0; i < n; i++)
		if (list[i].pid == self)
			return list[i].cpu_ns;
	return 0;
}

int _gettimeofday(struct timeval *tv, void *tz)
{
	(void)tz;
	uint64_t ns = realtime_ns();
	if (tv) {
		tv->tv_sec = (time_t)(ns / NS);
		tv->tv_usec = (suseconds_t)(ns % NS / 1000);
	}
	return 0;
}
int gettimeofday(struct timeval *tv, void *tz) ALIAS(_gettimeofday);

/* clock() divides by CLOCKS_PER_SEC, so times() counts in those units. */
clock_t _times(struct tms *t)
{
	uint64_t cpu = cpu_ns();
	t->tms_utime = (clock_t)(cpu / (NS / CLOCKS_PER_SEC));
	t->tms_stime = t->tms_cutime = t->tms_cstime = 0;
	return (clock_t)(SYS0(SYS_CLOCK_MONOTONIC) / (NS / CLOCKS_PER_SEC));
}
clock_t times(struct tms *t) ALIAS(_times);

int clock_gettime(clockid_t id, struct timespec *ts)
{
	uint64_t ns;

	switch (id) {
	case CLOCK_REALTIME: ns = realtime_ns(); break;
	case CLOCK_MONOTONIC: ns = (uint64_t)SYS0(SYS_CLOCK_MONOTONIC); break;
	case CLOCK_PROCESS_CPUTIME_ID: ns = cpu_ns(); break;
	default: return posix_fail(EINVAL);
	}
	ts->tv_sec = (time_t)(ns / NS);
	ts->tv_nsec = (long)(ns % NS);
	return 0;
}

int clock_getres(clockid_t id, struct timespec *res)
{
	if (id != CLOCK_REALTIME && id != CLOCK_MONOTONIC && id != CLOCK_PROCESS_CPUTIME_ID)
		return posix_fail(EINVAL);
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = 1;
	}
	return 0;
}

/* The kernel sleeps in milliseconds: a request is rounded up to whole ms. */
int nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (!req || req->tv_nsec < 0 || req->tv_nsec >= (long)NS || req->tv_sec < 0)
		return posix_fail(EINVAL);
	uint64_t ms = (uint64_t)req->tv_sec * 1000 + ((uint64_t)req->tv_nsec + 999999) / 1000000;
	if (rem)
		rem->tv_sec = rem->tv_nsec = 0;
	return (int)posix_ret(SYS1(SYS_SLEEP_MS, ms));
}

unsigned sleep(unsigned seconds)
{
	struct timespec t = { .tv_sec = seconds, .tv_nsec = 0 };
	return nanosleep(&t, NULL) == 0 ? 0 : seconds;
}

int usleep(useconds_t us)
{
	struct timespec t = { .tv_sec = us / 1000000, .tv_nsec = (long)(us % 1000000) * 1000 };
	return nanosleep(&t, NULL);
}
