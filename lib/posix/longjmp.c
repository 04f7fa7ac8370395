/* longjmp(env, 0) must make setjmp return 1 (C11 7.13.2.1). newlib 3.3's
 * x86_64 longjmp returns 0, so setjmp looks as if it returned the first
 * time and a program that does this loops forever. tsubame-cc links with
 * --wrap=longjmp, which sends every call here, on both arches alike. */
#include <setjmp.h>

void __real_longjmp(jmp_buf env, int val) __attribute__((noreturn));
void __wrap_longjmp(jmp_buf env, int val) __attribute__((noreturn));

void __wrap_longjmp(jmp_buf env, int val)
{
	__real_longjmp(env, val ? val : 1);
}
