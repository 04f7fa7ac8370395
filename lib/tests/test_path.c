#include <check.h>
#include <string.h>

#include "path/path.h"
#include "tsubame/errno.h"

START_TEST(normalizes)
{
	static const char *const cases[][2] = {
		{ "/", "/" }, { "//a///b/", "/a/b" }, { "/a/./b/.", "/a/b" }, { "/a/../b", "/b" },
		{ "/..", "/" }, { "/../../x", "/x" }, { "/host/../HELLO.TXT", "/HELLO.TXT" },
		{ "/a/b/../../..", "/" }, { "/a/b/c/../../d", "/a/d" }, { "/.../x", "/.../x" },
	};
	char out[64];
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_int_eq(path_normalize(cases[i][0], out, sizeof out), 0);
		ck_assert_str_eq(out, cases[i][1]);
	}
}
END_TEST

START_TEST(rejects)
{
	char out[8], name[300];
	ck_assert_int_eq(path_normalize("relative", out, sizeof out), -EINVAL);
	ck_assert_int_eq(path_normalize("/abcdefgh", out, sizeof out), -ENAMETOOLONG);
	ck_assert_int_eq(path_normalize("/a", out, 1), -ENAMETOOLONG);
	name[0] = '/';
	memset(name + 1, 'x', 280);
	name[281] = '\0';
	char big[512];
	ck_assert_int_eq(path_normalize(name, big, sizeof big), -ENAMETOOLONG); /* one name > 255 */
}
END_TEST

Suite *path_suite(void)
{
	Suite *s = suite_create("path");
	TCase *tc = tcase_create("path");
	tcase_add_test(tc, normalizes);
	tcase_add_test(tc, rejects);
	suite_add_tcase(s, tc);
	return s;
}
