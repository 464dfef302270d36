// SPDX-License-Identifier: GPL-2.0-only
/* test_cpuset.c - common/cpuset.c: the kernel's cpu-list format and sets. */
#include "cpuset.h"
#include "unit.h"

#include <errno.h>

/* parse @text, format it again, compare with @canonical */
static void expect_list(const char *text, const char *canonical, unsigned count)
{
	struct cpuset set = CPUSET_INIT;
	struct strbuf out = STRBUF_INIT;

	ck_assert_ok(cpulist_parse(text, &set));
	ck_assert_uint_eq(cpuset_count(&set), count);
	cpuset_format(&set, &out);
	ck_assert_msg(strcmp(strbuf_cstr(&out), canonical) == 0, "'%s' formats as '%s', expected '%s'",
		      text, strbuf_cstr(&out), canonical);
	strbuf_release(&out);
	cpuset_release(&set);
}

START_TEST(parse_and_format)
{
	expect_list("", "", 0);
	expect_list("\n", "", 0);
	expect_list("0", "0", 1);
	expect_list("5\n", "5", 1);
	expect_list("0-3", "0-3", 4);
	expect_list("0-3,8-11\n", "0-3,8-11", 8);
	expect_list("0,1,2,3", "0-3", 4);                  /* canonical form */
	expect_list("3-3", "3", 1);
	expect_list("63,64", "63-64", 2);                   /* across a word */
	expect_list("0-127", "0-127", 128);
	expect_list("1,3,5,7", "1,3,5,7", 4);
	expect_list("8-11,0-3", "0-3,8-11", 8);             /* order does not matter */
	expect_list("0-3,2-5", "0-5", 6);                   /* overlaps merge */
	expect_list("65535", "65535", 1);                   /* the largest CPU */
}
END_TEST

START_TEST(garbage_rejected)
{
	static const char *const bad[] = {
		"a", " 1", "1 ", "1-", "-1", "3-1", "1,,2", "1,", ",1", "1-2-3", "1\n\n",
		"1\nx", "0x1", "+1", "1.5", "65536", "0-65536", "99999999999999999999", "1;2",
		"\t1", "1-\n", "٣",
	};
	struct cpuset set = CPUSET_INIT;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cpuset_add(&set, 7);   /* a failed parse leaves an empty set */
		ck_assert_fails(cpulist_parse(bad[i], &set), -EINVAL, "bad cpu list");
		ck_assert_uint_eq(cpuset_count(&set), 0);
		ck_assert_uint_eq(set.nwords, 0);
	}
}
END_TEST

START_TEST(set_operations)
{
	struct cpuset a = CPUSET_INIT, b = CPUSET_INIT, c = CPUSET_INIT;
	struct strbuf out = STRBUF_INIT;
	unsigned seen = 0;

	ck_assert_ok(cpulist_parse("0-7,64-71,200", &a));
	ck_assert_ok(cpulist_parse("4-67", &b));
	ck_assert(cpuset_has(&a, 200));
	ck_assert(!cpuset_has(&a, 201));
	ck_assert(!cpuset_has(&a, 100000));   /* beyond the bitmap */
	ck_assert_int_eq(cpuset_next(&a, 0), 0);
	ck_assert_int_eq(cpuset_next(&a, 8), 64);
	ck_assert_int_eq(cpuset_next(&a, 72), 200);
	ck_assert_int_eq(cpuset_next(&a, 201), -1);
	ck_assert_int_eq(cpuset_next(&a, 100000), -1);
	cpuset_for_each(cpu, &a)
		seen++;
	ck_assert_uint_eq(seen, 17);

	cpuset_copy(&c, &a);
	ck_assert(cpuset_equal(&a, &c));
	cpuset_and(&c, &b);
	cpuset_format(&c, &out);
	ck_assert_str_eq(strbuf_cstr(&out), "4-7,64-67");
	ck_assert(!cpuset_equal(&a, &c));

	/* equality ignores how many words hold zeros */
	cpuset_release(&c);
	ck_assert_ok(cpulist_parse("1", &c));
	cpuset_release(&b);
	ck_assert_ok(cpulist_parse("1", &b));
	cpuset_add(&b, 300);
	ck_assert(!cpuset_equal(&b, &c));
	ck_assert_ok(cpulist_parse("1", &b));
	ck_assert(cpuset_equal(&b, &c));
	ck_assert_ok(cpulist_parse("", &b));
	cpuset_release(&c);
	ck_assert(cpuset_equal(&b, &c));
	cpuset_copy(&c, &b);   /* an empty copy stays empty */
	ck_assert_uint_eq(cpuset_count(&c), 0);

	strbuf_release(&out);
	cpuset_release(&a);
	cpuset_release(&b);
	cpuset_release(&c);
}
END_TEST

UNIT_MAIN("cpuset",
	  UNIT_TCASE("cpulist", NULL, NULL, 0,
		     parse_and_format, garbage_rejected, set_operations));
