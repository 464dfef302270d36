// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_launch.c - common/launch.c: the scheduler and test argv built from
 * the spec's segments, and their shell rendering (--inspect), which must
 * give bash the very same argv.
 */
#include "launch.h"
#include "spec_fixture.h"
#include "unit.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const hostile[] = {
	"plain", "", "a b", "it's", "\"dq\"", "$HOME", "`id`", "back\\slash", "new\nline",
	"\ttab", "\x80\xff", "*", "~user", "#hash", "a=b", "-", "!", "{file}", ";&|<>()",
};

/* The fixture plus: each hostile literal, then DIR-bearing args. */
static void build(struct spec *s)
{
	struct spec_arg *a;

	fixture_spec(s, true);
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++)
		spec_arg_add_literal(spec_add_arg(s), hostile[i], strlen(hostile[i]));
	a = spec_add_arg(s);
	spec_arg_add_literal(a, "--config=", 9);
	spec_arg_add_dir(a);
	spec_arg_add_literal(a, "/include/it's here", 18);
	a = spec_add_arg(s);
	spec_arg_add_dir(a);
	a = spec_add_arg(s);
	spec_arg_add_dir(a);
	spec_arg_add_dir(a);
}

START_TEST(sched_argv)
{
	const char *dir = "/tmp/ktstr-run-1-AbC";
	size_t n = sizeof(hostile) / sizeof(hostile[0]);
	struct spec s;
	char **argv;

	build(&s);
	argv = launch_sched_argv(&s, dir);
	ck_assert_str_eq(argv[0], "/tmp/ktstr-run-1-AbC/scheduler");
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(argv[1 + i], hostile[i]);
	ck_assert_str_eq(argv[n + 1], "--config=/tmp/ktstr-run-1-AbC/include/it's here");
	ck_assert_str_eq(argv[n + 2], "/tmp/ktstr-run-1-AbC");
	ck_assert_str_eq(argv[n + 3], "/tmp/ktstr-run-1-AbC/tmp/ktstr-run-1-AbC");
	ck_assert_ptr_null(argv[n + 4]);
	launch_argv_free(argv);
	spec_release(&s);
}
END_TEST

START_TEST(sched_argv_without_args)
{
	struct spec s;
	char **argv;

	fixture_spec(&s, true);
	argv = launch_sched_argv(&s, "/d");
	ck_assert_str_eq(argv[0], "/d/scheduler");
	ck_assert_ptr_null(argv[1]);
	launch_argv_free(argv);
	launch_argv_free(NULL);
	spec_release(&s);
}
END_TEST

START_TEST(test_argv)
{
	static const char *const plain[] = { "/d/ktstr", "run", "--ktstr-test-fn", "sample_test", NULL };
	static const char *const both[] = {
		"/d/ktstr", "run", "--ktstr-test-fn", "sample_test", "--duration", "30",
		"--watchdog-timeout", "9", NULL,
	};
	struct spec s;
	char **argv;

	fixture_spec(&s, false);
	argv = launch_test_argv(&s, "/d", NULL, NULL);
	for (size_t i = 0; plain[i] || argv[i]; i++) {
		ck_assert_ptr_nonnull(argv[i]);
		ck_assert_ptr_nonnull(plain[i]);
		ck_assert_str_eq(argv[i], plain[i]);
	}
	launch_argv_free(argv);
	argv = launch_test_argv(&s, "/d", "30", "9");
	for (size_t i = 0; both[i] || argv[i]; i++) {
		ck_assert_ptr_nonnull(argv[i]);
		ck_assert_ptr_nonnull(both[i]);
		ck_assert_str_eq(argv[i], both[i]);
	}
	launch_argv_free(argv);
	argv = launch_test_argv(&s, "/d", NULL, "9");
	ck_assert_str_eq(argv[4], "--watchdog-timeout");
	ck_assert_ptr_null(argv[6]);
	launch_argv_free(argv);
	spec_release(&s);
}
END_TEST

START_TEST(quote)
{
	static const struct { const char *in, *out; } q[] = {
		{ "abc", "abc" }, { "/a/b-c_d.e+f=g:h,i@j%k^l", "/a/b-c_d.e+f=g:h,i@j%k^l" },
		{ "", "''" }, { "a b", "'a b'" }, { "it's", "'it'\\''s'" }, { "$x", "'$x'" },
		{ "'", "''\\'''" }, { "~", "'~'" }, { "a\\b", "'a\\b'" },
		/* control and non-ASCII bytes never reach the terminal raw */
		{ "a\nb", "$'a\\x0ab'" }, { "\xff'\\", "$'\\xff\\'\\\\'" },
	};

	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		struct strbuf out = STRBUF_INIT;

		launch_quote(&out, q[i].in);
		ck_assert_str_eq(strbuf_cstr(&out), q[i].out);
		strbuf_release(&out);
	}
}
END_TEST

START_TEST(render)
{
	struct strbuf out = STRBUF_INIT;
	struct spec s;
	struct spec_arg *a;

	fixture_spec(&s, true);
	spec_arg_add_literal(spec_add_arg(&s), "--x", 3);
	spec_add_arg(&s);
	a = spec_add_arg(&s);
	spec_arg_add_dir(a);
	spec_arg_add_literal(a, "/include/a b", 12);
	launch_render_sched(&s, &out);
	ck_assert_str_eq(strbuf_cstr(&out), "\"${DIR}\"/scheduler --x '' \"${DIR}\"'/include/a b'");
	strbuf_reset(&out);
	free(s.test_name);
	s.test_name = xstrdup("my test");
	launch_render_test(&s, &out);
	ck_assert_str_eq(strbuf_cstr(&out), "\"${DIR}\"/ktstr run --ktstr-test-fn 'my test'");
	strbuf_release(&out);
	spec_release(&s);
}
END_TEST

/*
 * What the shell makes of "DIR=<dir>; set -- <rendering>", NUL-separated.
 * The rendering uses $'...' for control bytes: bash (and busybox ash)
 * read it, POSIX sh before 2024 does not.
 */
static void sh_words(const char *dir, const char *rendering, struct strbuf *words)
{
	struct strbuf script = STRBUF_INIT;
	char *tmp = unit_tmpdir(), *path = xasprintf("%s/render.sh", tmp);
	char buf[4096];
	FILE *p;
	size_t n;

	strbuf_addstr(&script, "DIR=");
	launch_quote(&script, dir);
	strbuf_addf(&script, "\nset -- %s\nprintf '%%s\\000' \"$@\"\n", rendering);
	unit_write(tmp, "render.sh", script.buf, (long)script.len, 0644);
	strbuf_reset(&script);
	strbuf_addf(&script, "bash %s", path);
	p = popen(script.buf, "r");
	ck_assert_ptr_nonnull(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		strbuf_add(words, buf, n);
	ck_assert_int_eq(pclose(p), 0);
	strbuf_release(&script);
	unit_rm_rf(tmp);
	free(path);
	free(tmp);
}

START_TEST(rendering_is_the_argv)
{
	static const char *const dirs[] = { "/tmp/ktstr-run-1-AbC", "/tmp/a b'c\"$d" };
	struct strbuf rendered = STRBUF_INIT, words = STRBUF_INIT, want = STRBUF_INIT;
	struct spec s;

	build(&s);
	launch_render_sched(&s, &rendered);
	for (size_t d = 0; d < 2; d++) {
		char **argv = launch_sched_argv(&s, dirs[d]);

		strbuf_reset(&want);
		for (char **p = argv; *p; p++)
			strbuf_add(&want, *p, strlen(*p) + 1);
		launch_argv_free(argv);
		strbuf_reset(&words);
		sh_words(dirs[d], rendered.buf, &words);
		size_t same = 0;

		while (same < words.len && same < want.len && words.buf[same] == want.buf[same])
			same++;
		ck_assert_msg(words.len == want.len && same == want.len,
			      "the shell reads '%s' with DIR=%s as other words than the argv: "
			      "they differ from byte %zu on ('%.20s' instead of '%.20s')",
			      rendered.buf, dirs[d], same, words.buf + same, want.buf + same);
	}
	strbuf_reset(&rendered);
	launch_render_test(&s, &rendered);
	strbuf_reset(&words);
	sh_words("/d", rendered.buf, &words);
	ck_assert_uint_eq(words.len, sizeof("/d/ktstr\0run\0--ktstr-test-fn\0sample_test"));
	ck_assert_mem_eq(words.buf, "/d/ktstr\0run\0--ktstr-test-fn\0sample_test", words.len);
	strbuf_release(&rendered);
	strbuf_release(&words);
	strbuf_release(&want);
	spec_release(&s);
}
END_TEST

UNIT_MAIN("launch",
	  UNIT_TCASE("argv", NULL, NULL, 0,
		     sched_argv, sched_argv_without_args, test_argv, quote, render,
		     rendering_is_the_argv));
