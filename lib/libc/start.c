/* C start-up: crt0 (arch/<arch>/user/crt0.S) passes argc, argv, envp. */
#include <stdlib.h>

#include "tsubame.h"

char **environ;
int main(int argc, char **argv, char **envp);
_Noreturn void __libc_start(int argc, char **argv, char **envp);

_Noreturn void __libc_start(int argc, char **argv, char **envp)
{
	environ = envp;
	exit(main(argc, argv, envp));
}
