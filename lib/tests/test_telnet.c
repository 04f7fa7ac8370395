/* lib/telnet: negotiation (RFC 854/1143), commands split across reads,
 * subnegotiations, CR handling, output conversion, and random bytes that
 * must stay inside the documented buffer bounds (ASan watches). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "telnet/telnet.h"

static struct telnet t;
static uint8_t data[4096], ans[3 * 4096];
static size_t dn, an;

static void feed(const void *in, size_t n)
{
	telnet_input(&t, in, n, data, &dn, ans, &an);
}

START_TEST(offer_and_negotiation)
{
	uint8_t out[6];
	ck_assert_uint_eq(telnet_start(&t, out), 6);
	ck_assert_mem_eq(out, "\xff\xfb\x01\xff\xfb\x03", 6); /* WILL ECHO, WILL SGA */
	feed("\xff\xfd\x01", 3);                       /* DO ECHO: already on, no answer */
	ck_assert_uint_eq(an, 0);
	feed("\xff\xfd\x18", 3);                       /* DO TERMINAL-TYPE: refused */
	ck_assert_uint_eq(an, 3);
	ck_assert_mem_eq(ans, "\xff\xfc\x18", 3);
	feed("\xff\xfb\x03", 3);                       /* WILL SGA: accepted once */
	ck_assert_mem_eq(ans, "\xff\xfd\x03", 3);
	feed("\xff\xfb\x03", 3);
	ck_assert_uint_eq(an, 0);                      /* no loop (RFC 1143) */
	feed("\xff\xfb\x1f", 3);                       /* WILL NAWS: DONT */
	ck_assert_mem_eq(ans, "\xff\xfe\x1f", 3);
	feed("\xff\xfe\x01", 3);                       /* DONT ECHO: WONT, then silence */
	ck_assert_mem_eq(ans, "\xff\xfc\x01", 3);
	feed("\xff\xfe\x01", 3);
	ck_assert_uint_eq(an + dn, 0);
}
END_TEST

START_TEST(split_commands_and_data)
{
	uint8_t out[6];
	telnet_start(&t, out);
	const uint8_t all[] = "ls\r\0\xff\xff\xff\xfa\x18\x01\xff\xff\xff\xf0x\r\ny\xff\xf4\xff\xfd";
	/* byte by byte must give what one call gives */
	uint8_t got[64];
	size_t total = 0;
	for (size_t i = 0; i < sizeof all - 1; i++) {
		feed(all + i, 1);
		memcpy(got + total, data, dn);
		total += dn;
	}
	const uint8_t want[] = "ls\r\xffx\ry\x03";
	ck_assert_uint_eq(total, sizeof want - 1);
	ck_assert_mem_eq(got, want, total);
	/* the trailing IAC DO waits for its option byte */
	feed("\x05", 1);
	ck_assert_uint_eq(dn, 0);
	ck_assert_mem_eq(ans, "\xff\xfc\x05", 3);
}
END_TEST

START_TEST(output_conversion)
{
	uint8_t out[64];
	bool cr = false;
	size_t n = telnet_output("a\nb\r\nc\xff", 7, out, &cr);
	ck_assert_uint_eq(n, 9);
	ck_assert_mem_eq(out, "a\r\nb\r\nc\xff\xff", 9);
	/* a CR at the end of one call and LF at the start of the next */
	n = telnet_output("x\r", 2, out, &cr);
	n = telnet_output("\n", 1, out, &cr);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(out[0], '\n');
}
END_TEST

START_TEST(random_bytes_stay_in_bounds)
{
	uint8_t out[6], in[512], *d = malloc(512), *a = malloc(3 * 512), *o = malloc(1024);
	telnet_start(&t, out);
	srand(11);
	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(rand() % 512);
		for (size_t i = 0; i < n; i++) /* many IACs and verbs */
			in[i] = rand() % 4 ? (uint8_t)(240 + rand() % 16) : (uint8_t)rand();
		size_t dn2, an2;
		telnet_input(&t, in, n, d, &dn2, a, &an2);
		ck_assert_uint_le(dn2, n);
		ck_assert_uint_le(an2, 3 * n);
		bool cr = rand() & 1;
		ck_assert_uint_le(telnet_output((const char *)in, n, o, &cr), 2 * n);
	}
	free(d);
	free(a);
	free(o);
}
END_TEST

Suite *telnet_suite(void);
Suite *telnet_suite(void)
{
	Suite *s = suite_create("telnet");
	TCase *tc = tcase_create("protocol");
	tcase_add_test(tc, offer_and_negotiation);
	tcase_add_test(tc, split_commands_and_data);
	tcase_add_test(tc, output_conversion);
	tcase_add_test(tc, random_bytes_stay_in_bounds);
	suite_add_tcase(s, tc);
	return s;
}
