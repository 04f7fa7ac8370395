/* A 2 MiB executable for the spawn benchmark: the table is initialised
 * read-only data in a loaded segment, so the loader must read all of it.
 * It is read through a volatile pointer: otherwise the compiler folds the
 * two reads and drops the table, leaving a 2 KiB program (and 2 MiB of
 * debug information that nobody loads). */
#include <stdint.h>

#define WORDS (2 * 1024 * 1024 / 8)

static const uint64_t table[WORDS] = { [0] = 1, [WORDS - 1] = 2 };

int main(void)
{
	const volatile uint64_t *t = table;
	return (int)(t[0] + t[WORDS - 1] != 3);
}
