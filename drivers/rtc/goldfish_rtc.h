#ifndef DRIVERS_GOLDFISH_RTC_H
#define DRIVERS_GOLDFISH_RTC_H

#include <stdint.h>

/* Maps the clock at base and registers it as the wall clock. */
void goldfish_rtc_probe(uint64_t base, uint64_t size);

#endif
