/* lib/libc's allocator and number parsing, on the host. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *tsb_malloc(size_t size);
void *tsb_calloc(size_t n, size_t size);
void *tsb_realloc(void *p, size_t size);
void tsb_free(void *p);
long tsb_strtol(const char *s, char **end, int base);
int tsb_atoi(const char *s);
char *tsb_getenv(const char *name);
char **tsb_environ; /* start.c defines it in the real library */

/* The fake break: a 64 MiB arena that can also refuse to grow. */
static unsigned char arena[64 << 20] __attribute__((aligned(4096)));
static size_t brk_used, brk_limit = sizeof arena;

void *tsb_sbrk(intptr_t delta);
void *tsb_sbrk(intptr_t delta)
{
	if (delta < 0 || brk_used + (size_t)delta > brk_limit)
		return (void *)-1;
	void *old = arena + brk_used;
	brk_used += (size_t)delta;
	return old;
}

_Noreturn void tsb_exit(int status);
_Noreturn void tsb_exit(int status) { exit(status); }

START_TEST(malloc_patterns)
{
	enum { N = 2000 };
	static unsigned char *p[N];
	static size_t sz[N];
	srand(7);
	for (int round = 0; round < 4; round++) {
		for (int i = 0; i < N; i++) {
			sz[i] = (size_t)(rand() % 5000) + 1;
			p[i] = tsb_malloc(sz[i]);
			ck_assert_ptr_nonnull(p[i]);
			ck_assert_uint_eq((uintptr_t)p[i] % 16, 0);
			memset(p[i], i & 0xff, sz[i]);
		}
		for (int i = 0; i < N; i += 2) /* holes */
			tsb_free(p[i]);
		/* Neighbours intact (one assertion per block: every Check
		 * assertion is a message to the parent, millions took minutes). */
		for (int i = 1; i < N; i += 2) {
			size_t k = 0;
			while (k < sz[i] && p[i][k] == (i & 0xff))
				k++;
			ck_assert_msg(k == sz[i], "block %d byte %zu is %#x, not %#x", i, k,
				      k < sz[i] ? p[i][k] : 0, i & 0xff);
		}
		for (int i = 1; i < N; i += 2)
			tsb_free(p[i]);
	}
	/* Everything merged back: one big block fits where many small were. */
	size_t before = brk_used;
	void *big = tsb_malloc(before / 2);
	ck_assert_ptr_nonnull(big);
	ck_assert_uint_eq(brk_used, before);
	tsb_free(big);
}
END_TEST

START_TEST(calloc_realloc_and_limits)
{
	unsigned char *c = tsb_calloc(100, 10);
	ck_assert_ptr_nonnull(c);
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(c[i], 0);
	memcpy(c, "hello", 6);
	c = tsb_realloc(c, 100000);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq((char *)c, "hello");
	tsb_free(c);
	ck_assert_ptr_null(tsb_calloc(SIZE_MAX / 2, 4)); /* overflow is refused */
	ck_assert_ptr_null(tsb_malloc(0));
	size_t saved = brk_limit;
	brk_limit = brk_used; /* the break cannot grow: NULL, not a crash */
	ck_assert_ptr_null(tsb_malloc(sizeof arena));
	brk_limit = saved;
}
END_TEST

START_TEST(numbers_and_env)
{
	char *end;
	ck_assert_int_eq(tsb_strtol("  -42x", &end, 10), -42);
	ck_assert_str_eq(end, "x");
	ck_assert_int_eq(tsb_strtol("0x1F", NULL, 0), 31);
	ck_assert_int_eq(tsb_strtol("017", NULL, 0), 15);
	ck_assert_int_eq(tsb_strtol("ff", NULL, 16), 255);
	ck_assert_int_eq(tsb_atoi("123abc"), 123);
	ck_assert_int_eq(tsb_atoi(""), 0);
	char *env[] = { "A=1", "PATH=/bin", "AB=2", NULL };
	tsb_environ = env;
	ck_assert_str_eq(tsb_getenv("PATH"), "/bin");
	ck_assert_str_eq(tsb_getenv("A"), "1");
	ck_assert_str_eq(tsb_getenv("AB"), "2");
	ck_assert_ptr_null(tsb_getenv("P"));
}
END_TEST

Suite *libc_suite(void)
{
	Suite *s = suite_create("libc");
	TCase *tc = tcase_create("libc");
	tcase_add_test(tc, malloc_patterns);
	tcase_add_test(tc, calloc_realloc_and_limits);
	tcase_add_test(tc, numbers_and_env);
	suite_add_tcase(s, tc);
	return s;
}
