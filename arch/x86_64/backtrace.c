/* Frame-pointer backtrace (the kernel is built with -fno-omit-frame-pointer):
 * [rbp] is the caller's rbp, [rbp + 8] the return address. */
#include <stdint.h>

#include "arch.h"

#define UPPER_HALF 0xffff800000000000ULL

/* A frame is followed only if it is in the kernel half and mapped, so that a
 * corrupt chain cannot fault inside the fault reporter. */
static int frame_ok(uintptr_t fp)
{
	return fp >= UPPER_HALF && !(fp & 7) && fp + 16 > fp &&
	       arch_pt_translate(arch_pt_current(), fp, NULL, NULL) == 0 &&
	       arch_pt_translate(arch_pt_current(), fp + 8, NULL, NULL) == 0;
}

void arch_backtrace(uintptr_t fp, void (*fn)(uintptr_t pc), int max)
{
	for (int i = 0; i < max && frame_ok(fp); i++) {
		const uintptr_t *frame = (const uintptr_t *)fp;
		if (frame[1] == 0)
			break;
		fn(frame[1]);
		/* Callers' frames are higher on the stack: going down means a loop
		 * or garbage. */
		if (frame[0] <= fp)
			break;
		fp = frame[0];
	}
}
