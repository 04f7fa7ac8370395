/* The checks of porttest, one function per area of the C library. Each
 * prints the values a reader (or the test script) can compare. */
#include "checks.h"

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int run, failed;

void check(const char *name, int ok, const char *why)
{
	run++;
	if (ok) {
		printf("ok %s\n", name);
	} else {
		failed++;
		printf("FAIL %s: %s\n", name, why);
	}
}

int checks_failed(void) { return failed; }
int checks_run(void) { return run; }

void check_stdio_numbers(void)
{
	char buf[128];
	snprintf(buf, sizeof buf, "%.6f %.3e %g %g %5.1f|%-6d|%x %lld %zu", 3.14159265358979, 12345.678,
		 0.0001, 1e20, -2.25, 42, 255u, -9000000000LL, sizeof(double));
	printf("printf: %s\n", buf);
	check("printf formats numbers", strcmp(buf, "3.141593 1.235e+04 0.0001 1e+20  -2.2|42    |ff -9000000000 8") == 0, buf);

	char *end;
	double d = strtod("  -12.5e-1xyz", &end);
	double h = strtod("0x1.8p1", NULL);
	printf("strtod: %.6f (rest \"%s\") %.1f\n", d, end, h);
	check("strtod", d == -1.25 && strcmp(end, "xyz") == 0 && h == 3.0, "wrong value or end");

	double x = 0;
	int n = 0;
	char word[16] = "";
	int items = sscanf("3.5 42 word", "%lf %d %15s", &x, &n, word);
	check("sscanf reads a double, an int and a word", items == 3 && x == 3.5 && n == 42 &&
	      strcmp(word, "word") == 0, "wrong items");
}

void check_math(void)
{
	const double pi = acos(-1.0);
	printf("math: sin(1)=%.6f sqrt(2)=%.6f exp(1)=%.6f pow(2,0.5)=%.6f log10(1000)=%.6f\n", sin(1.0),
	       sqrt(2.0), exp(1.0), pow(2.0, 0.5), log10(1000.0));
	check("sin and cos", fabs(sin(pi / 6) - 0.5) < 1e-15 && fabs(cos(pi / 3) - 0.5) < 1e-15, "off");
	check("sqrt, exp and log", sqrt(2.0) * sqrt(2.0) - 2.0 < 1e-15 && fabs(exp(log(10.0)) - 10.0) < 1e-13,
	      "off");
	check("pow, floor, ceil, fmod", pow(2.0, 10.0) == 1024.0 && floor(-2.5) == -3.0 && ceil(2.1) == 3.0 &&
	      fmod(7.5, 2.0) == 1.5, "off");
	check("atan2 gives pi", fabs(4 * atan2(1.0, 1.0) - 3.14159265358979323846) < 1e-15, "off");
	check("float functions", fabsf(sqrtf(16.0f) - 4.0f) < 1e-6f && fabsf(sinf(0.0f)) == 0.0f, "off");
}

void check_memory(void)
{
	enum { N = 500 };
	unsigned char *p[N];
	size_t size[N];
	int ok = 1;

	for (int i = 0; i < N; i++) {
		size[i] = (size_t)(i * 37 % 3000) + 1;
		p[i] = malloc(size[i]);
		if (!p[i]) {
			ok = 0;
			break;
		}
		memset(p[i], i & 0xff, size[i]);
	}
	for (int i = 0; ok && i < N; i += 2) { /* grow every other block */
		unsigned char *q = realloc(p[i], size[i] * 3);
		if (!q) {
			ok = 0;
			break;
		}
		for (size_t k = 0; k < size[i]; k++)
			ok &= q[k] == (i & 0xff);
		memset(q + size[i], 0x5a, size[i] * 2);
		p[i] = q;
	}
	for (int i = 1; ok && i < N; i += 2)
		for (size_t k = 0; k < size[i]; k++)
			ok &= p[i][k] == (i & 0xff);
	for (int i = 0; i < N; i++)
		free(ok || p[i] ? p[i] : NULL);
	char *big = malloc(4 << 20);
	ok &= big != NULL;
	if (big) {
		big[0] = 1;
		big[(4 << 20) - 1] = 2;
		free(big);
	}
	int *z = calloc(1000, sizeof *z);
	ok &= z != NULL && z[0] == 0 && z[999] == 0;
	free(z);
	check("malloc, realloc, calloc and free keep contents", ok, "contents or allocation wrong");
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void check_sorting(void)
{
	enum { N = 2000 };
	static int v[N];
	unsigned seed = 12345;
	long sum = 0, sum2 = 0;
	for (int i = 0; i < N; i++) {
		seed = seed * 1103515245u + 12345u;
		v[i] = (int)(seed >> 8) % 100000 - 50000;
		sum += v[i];
	}
	qsort(v, N, sizeof v[0], cmp_int);
	int sorted = 1;
	for (int i = 0; i < N; i++) {
		sum2 += v[i];
		if (i && v[i - 1] > v[i])
			sorted = 0;
	}
	check("qsort sorts 2000 ints", sorted && sum == sum2, "not sorted or values lost");

	const char *words[] = { "pear", "apple", "fig", "banana", "cherry" };
	qsort(words, 5, sizeof words[0], cmp_str);
	printf("qsort: %s %s %s %s %s\n", words[0], words[1], words[2], words[3], words[4]);
	int key = v[N / 2];
	int *found = bsearch(&key, v, N, sizeof v[0], cmp_int);
	check("qsort strings, bsearch", strcmp(words[0], "apple") == 0 && strcmp(words[4], "pear") == 0 &&
	      found && *found == key, "wrong order");
}

static jmp_buf env;
static int depth;

static void dive(int n)
{
	depth = n;
	if (n == 5)
		longjmp(env, 7);
	if (n < 5)
		dive(n + 1);
}

void check_jumps(void)
{
	volatile int passes = 0;
	int r = setjmp(env);
	passes++;
	if (r == 0)
		dive(0);
	check("setjmp/longjmp out of 5 calls", r == 7 && depth == 5 && passes == 2, "wrong value");
	volatile double kept = 2.5;
	volatile int second = setjmp(env);
	if (second == 0)
		longjmp(env, 0); /* arrives as 1 (C11 7.13.2.1) */
	check("longjmp(env, 0) makes setjmp return 1", second == 1 && kept == 2.5, "wrong value");
}

void check_time(void)
{
	time_t now = time(NULL);
	struct tm tm;
	char when[64];
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
	printf("time: %s\n", when);
	check("time() is after 2020", now > 1577836800, when); /* both machines have an RTC */

	struct timespec a, b, r;
	clock_gettime(CLOCK_MONOTONIC, &a);
	struct timespec nap = { 0, 30 * 1000000 };
	int slept = nanosleep(&nap, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ms = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
	check("nanosleep(30 ms) takes 30 ms or more on CLOCK_MONOTONIC", slept == 0 && ms >= 30.0,
	      "too short");
	check("clock_getres, CLOCK_REALTIME, clock()", clock_getres(CLOCK_MONOTONIC, &r) == 0 &&
	      clock_gettime(CLOCK_REALTIME, &a) == 0 && a.tv_sec >= now && clock() != (clock_t)-1, "failed");
	struct timespec bad = { 0, 2000000000 };
	check("nanosleep with a bad time is EINVAL", nanosleep(&bad, NULL) == -1 && errno == EINVAL,
	      strerror(errno));
}

void check_environment(void)
{
	const char *path = getenv("PATH");
	printf("getenv: PATH=%s\n", path ? path : "(none)");
	check("getenv", path && strcmp(path, "/bin") == 0 && getenv("PORTTEST_NOT_SET") == NULL, "wrong");
	check("setenv", setenv("PORTTEST", "yes", 1) == 0 && strcmp(getenv("PORTTEST"), "yes") == 0,
	      "not set");
}

void check_files(const char *dir)
{
	char name[256], text[256], other[256];
	snprintf(name, sizeof name, "%s/porttest.dat", dir);
	snprintf(text, sizeof text, "%s/porttest.txt", dir);
	snprintf(other, sizeof other, "%s/porttest.renamed", dir);

	static unsigned char data[20000], back[20000];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 7 + i / 256);
	FILE *f = fopen(name, "w+b");
	int ok = f != NULL;
	ok = ok && fwrite(data, 1, sizeof data, f) == sizeof data;
	ok = ok && fseek(f, 5000, SEEK_SET) == 0 && fread(back, 1, 100, f) == 100 &&
	     memcmp(back, data + 5000, 100) == 0 && ftell(f) == 5100;
	ok = ok && fseek(f, 0, SEEK_END) == 0 && ftell(f) == (long)sizeof data;
	ok = ok && fclose(f) == 0;
	check("fopen, fwrite, fseek, fread, ftell", ok, "mismatch");

	f = fopen(name, "rb");
	ok = f && fread(back, 1, sizeof back, f) == sizeof back && memcmp(back, data, sizeof data) == 0 &&
	     fread(back, 1, 1, f) == 0 && feof(f);
	if (f)
		fclose(f);
	check("the file reads back whole, then end of file", ok, "mismatch");

	f = fopen(text, "w");
	ok = f && fprintf(f, "pi %.5f\nanswer %d\n", 3.14159, 42) > 0 && fclose(f) == 0;
	double pi = 0;
	int answer = 0;
	f = fopen(text, "r");
	ok = ok && f && fscanf(f, "pi %lf answer %d", &pi, &answer) == 2;
	if (f)
		fclose(f);
	printf("fscanf: pi %.5f answer %d\n", pi, answer);
	check("fprintf then fscanf", ok && pi == 3.14159 && answer == 42, "wrong values");

	f = fopen(text, "a");
	ok = f && fputs("appended\n", f) >= 0 && fclose(f) == 0;
	char line[64] = "";
	f = fopen(text, "r");
	for (int i = 0; f && i < 3; i++)
		if (!fgets(line, sizeof line, f))
			break;
	if (f)
		fclose(f);
	check("append mode writes at the end", ok && strcmp(line, "appended\n") == 0, line);

	ok = rename(text, other) == 0 && fopen(text, "r") == NULL && (f = fopen(other, "r")) != NULL;
	if (ok)
		fclose(f);
	check("rename", ok, strerror(errno));
	check("remove", remove(other) == 0 && remove(name) == 0 && fopen(name, "r") == NULL, strerror(errno));
}

void check_errors(const char *dir)
{
	char missing[256];
	snprintf(missing, sizeof missing, "%s/no-such-dir/file.txt", dir);
	errno = 0;
	FILE *f = fopen(missing, "r");
	int e = errno;
	printf("errno: ENOENT=%d \"%s\"\n", e, strerror(e));
	check("a missing file is ENOENT", f == NULL && e == ENOENT, strerror(e));

	errno = 0;
	char c;
	int r1 = close(1234), e1 = errno;
	int r2 = (int)read(77, &c, 1), e2 = errno;
	printf("errno: EBADF=%d \"%s\"\n", e2, strerror(e2));
	check("a bad descriptor is EBADF", r1 == -1 && e1 == EBADF && r2 == -1 && e2 == EBADF, strerror(e2));

	/* The kernel's code for this is 36 (Linux's), newlib's 91. */
	char longname[400];
	int n = snprintf(longname, sizeof longname, "%s/", dir);
	memset(longname + n, 'x', 300);
	longname[n + 300] = '\0';
	errno = 0;
	f = fopen(longname, "r");
	e = errno;
	printf("errno: ENAMETOOLONG=%d \"%s\"\n", e, strerror(e));
	check("a 300-byte file name is ENAMETOOLONG", f == NULL && e == ENAMETOOLONG, strerror(e));

	errno = 0;
	f = fopen(dir, "w"); /* a directory cannot be written as a file */
	e = errno;
	check("opening a directory for writing fails with EISDIR", f == NULL && e == EISDIR, strerror(e));
	perror("porttest: perror says");
}
