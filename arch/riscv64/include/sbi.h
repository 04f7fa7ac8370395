/* Calls into the SBI firmware (OpenSBI) through ecall. */
#ifndef SBI_H
#define SBI_H

#include <stdint.h>

struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_call(long eid, long fid, long a0, long a1, long a2);
void sbi_console_putchar(int c);
void sbi_set_timer(uint64_t stime);
/* System reset extension: type 0 = shutdown; reason 0 = none, 1 = failure. */
void sbi_system_reset(long type, long reason);

#endif
