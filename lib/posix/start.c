/* Program start under newlib: arch/<arch>/user/crt0.S calls __libc_start
 * with argc, argv and envp. Constructors run before main (.init_array,
 * placed by the linker script), destructors and atexit handlers after it
 * through exit(), which also flushes stdio. */
#include <stdlib.h>

extern char **environ;
int main(int argc, char **argv, char **envp);
void __libc_init_array(void);
void __libc_fini_array(void);
_Noreturn void __libc_start(int argc, char **argv, char **envp);

/* newlib calls these around the arrays on some targets; everything is in
 * the arrays here. */
__attribute__((weak)) void _init(void) {}
__attribute__((weak)) void _fini(void) {}

_Noreturn void __libc_start(int argc, char **argv, char **envp)
{
	environ = envp;
	atexit(__libc_fini_array);
	__libc_init_array();
	exit(main(argc, argv, envp));
}
