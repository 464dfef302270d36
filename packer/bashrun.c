// SPDX-License-Identifier: GPL-2.0-only
/* bashrun.c - parse the script of a `cargo ktstr export` 0.6.0 runfile. */
#include "bashrun.h"
#include "error.h"
#include "macros.h"
#include "spec.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define SHEBANG "#!/bin/bash"
#define ARCHIVE_MARKER "__ARCHIVE__"
#define SCHED_LAUNCH "\"$DIR/scheduler\""
#define TEST_LAUNCH "\"$DIR/ktstr\""

/*
 * The lines that build the test's argv.  The conversion maps them to the
 * stub's fixed test argv (DESIGN.md, "Contract"), so they must be exactly
 * these; an edited test invocation cannot be mapped.
 */
static const char test_exec_line[] = TEST_LAUNCH " \"${RUN_ARGS[@]}\"";
static const char run_args_line[] = "RUN_ARGS=(\"run\" \"--ktstr-test-fn\" \"$KTSTR_TEST_NAME\")";
static const char *const run_args_overrides[] = {
	"RUN_ARGS+=(\"--duration\" \"$DURATION_OVERRIDE\")",
	"RUN_ARGS+=(\"--watchdog-timeout\" \"$WATCHDOG_OVERRIDE\")",
};

enum var_kind { VK_NAME, VK_GIT_HASH, VK_TOPOLOGY, VK_SECONDS };

static const struct {
	const char *name;
	enum var_kind kind;
} vars[BV_COUNT] = {
	[BV_TEST_NAME] = { "KTSTR_TEST_NAME", VK_NAME },
	[BV_SCHED_NAME] = { "KTSTR_SCHED_NAME", VK_NAME },
	[BV_GIT_HASH] = { "KTSTR_GIT_HASH", VK_GIT_HASH },
	[BV_LLCS] = { "NEED_LLCS", VK_TOPOLOGY },
	[BV_CORES_PER_LLC] = { "NEED_CORES_PER_LLC", VK_TOPOLOGY },
	[BV_THREADS_PER_CORE] = { "NEED_THREADS_PER_CORE", VK_TOPOLOGY },
	[BV_NUMA_NODES] = { "NEED_NUMA_NODES", VK_TOPOLOGY },
	[BV_DURATION] = { "TEST_DURATION_SECS", VK_SECONDS },
	[BV_WATCHDOG] = { "TEST_WATCHDOG_SECS", VK_SECONDS },
};

struct line {
	const char *p;
	size_t len;
	size_t no;
};

size_t bashrun_line_of(const struct bashrun *br, size_t off)
{
	size_t n = 1;

	const char *end = br->text + (off < br->len ? off : br->len);

	for (const char *p = br->text; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		n++;
	return n;
}

/* 1-based column of byte @off in its line */
static size_t column_of(const struct bashrun *br, size_t off)
{
	const char *nl = memrchr(br->text, '\n', off);

	return off - (nl ? (size_t)(nl - br->text) + 1 : 0) + 1;
}

static bool starts_with(const struct line *l, const char *prefix)
{
	size_t n = strlen(prefix);

	return l->len >= n && !memcmp(l->p, prefix, n);
}

static bool equals(const char *p, size_t len, const char *s)
{
	return strlen(s) == len && !memcmp(p, s, len);
}

static const char *skip_blanks(const struct line *l, size_t *len)
{
	size_t i = 0;

	while (i < l->len && (l->p[i] == ' ' || l->p[i] == '\t'))
		i++;
	*len = l->len - i;
	return l->p + i;
}

static bool ident_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool ident_char(char c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

/* NAME= at the start of the line: the length of NAME, else 0 */
static size_t assignment_name(const struct line *l)
{
	size_t i = 0;

	if (!l->len || !((l->p[0] >= 'A' && l->p[0] <= 'Z') || (l->p[0] >= 'a' && l->p[0] <= 'z') ||
			 l->p[0] == '_'))
		return 0;
	while (i < l->len && ((l->p[i] >= 'A' && l->p[i] <= 'Z') || (l->p[i] >= 'a' && l->p[i] <= 'z') ||
			      (l->p[i] >= '0' && l->p[i] <= '9') || l->p[i] == '_'))
		i++;
	return i < l->len && l->p[i] == '=' ? i : 0;
}

/* Rust's Display of an unsigned integer: digits, no sign, no leading zero */
static int parse_number(const char *name, const char *v, size_t len, uint32_t min, uint32_t max,
			uint32_t *out)
{
	uint64_t n = 0;

	if (len == 0 || (len > 1 && v[0] == '0'))
		goto bad;
	for (size_t i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			goto bad;
		n = n * 10 + (uint64_t)(v[i] - '0');
		if (n > UINT32_MAX)
			break;
	}
	if (n < min || n > max)
		return error_set(-EINVAL, "%s=%.*s cannot be mapped: the native spec holds %u..%u",
				 name, (int)len, v, min, max);
	*out = (uint32_t)n;
	return 0;
bad:
	return error_set(-EINVAL, "%s must be a decimal number, not '%.*s'", name, (int)len, v);
}

static int set_var(struct bashrun *br, enum bashrun_var id, const char *v, size_t len)
{
	uint32_t *num[BV_COUNT] = {
		[BV_LLCS] = &br->llcs, [BV_CORES_PER_LLC] = &br->cores_per_llc,
		[BV_THREADS_PER_CORE] = &br->threads_per_core, [BV_NUMA_NODES] = &br->numa_nodes,
		[BV_DURATION] = &br->duration_secs, [BV_WATCHDOG] = &br->watchdog_secs,
	};
	char **str[BV_COUNT] = {
		[BV_TEST_NAME] = &br->test_name, [BV_SCHED_NAME] = &br->sched_name,
		[BV_GIT_HASH] = &br->git_hash,
	};
	const char *name = vars[id].name;
	int r;

	switch (vars[id].kind) {
	case VK_TOPOLOGY:
		return parse_number(name, v, len, 1, SPEC_TOPO_MAX, num[id]);
	case VK_SECONDS:
		return parse_number(name, v, len, 1, SPEC_SECS_MAX, num[id]);
	case VK_NAME:
	case VK_GIT_HASH:
		break;
	}
	if ((r = shellword_unquote(v, len, str[id])) < 0)
		return error_prefix(r, "%s", name);
	if (vars[id].kind == VK_NAME && !spec_name_ok(*str[id]))
		return error_set(-EINVAL, "%s cannot be mapped: a name must be 1..%d printable bytes "
				 "without '/'", name, SPEC_NAME_MAX);
	if (vars[id].kind == VK_GIT_HASH && !spec_git_hash_ok(*str[id]))
		return error_set(-EINVAL, "%s cannot be mapped: 1..%d characters of [0-9A-Za-z._+-]",
				 name, SPEC_GIT_HASH_MAX);
	return 0;
}

static int block_line(struct bashrun *br, const struct line *l, size_t name_len, bool *seen)
{
	const char *v = l->p + name_len + 1;
	size_t vlen = l->len - name_len - 1;

	for (int id = 0; id < BV_COUNT; id++) {
		if (!equals(l->p, name_len, vars[id].name))
			continue;
		if (seen[id])
			return error_set(-EINVAL, "%s is set twice (first on line %zu)", vars[id].name,
					 br->var_line[id]);
		seen[id] = true;
		br->var_line[id] = l->no;
		return set_var(br, (enum bashrun_var)id, v, vlen);
	}
	return error_set(-EINVAL, "unknown variable %.*s in the frozen test specification (0.6.0 "
			 "writes only KTSTR_TEST_NAME ... TEST_WATCHDOG_SECS there)", (int)name_len,
			 l->p);
}

/*
 * Outside the frozen block, 0.6.0 only reads its variables ($NAME or
 * ${NAME}).  Any other mention (NAME=, NAME+=, export, declare, local,
 * read, unset, ${NAME:=...}, a string for eval) could give the variable
 * another value when bash runs the file, while the conversion keeps the
 * frozen one: refused.  Comment lines are inert; the launch line never
 * comes here (its words are literal arguments).
 */
static int check_frozen_mentions(const struct bashrun *br, const struct line *l)
{
	size_t tlen;
	const char *t = skip_blanks(l, &tlen);

	if (tlen && t[0] == '#')
		return 0;
	for (size_t i = 0, j; i < l->len; i = j) {
		const char *p = l->p, *name = NULL;
		char frozen[48] = "";
		int id;

		j = i + 1;
		if (!ident_start(p[i]) || (i > 0 && ident_char(p[i - 1])))
			continue;
		while (j < l->len && ident_char(p[j]))
			j++;
		for (id = 0; id < BV_COUNT && !name; id++)
			if (equals(p + i, j - i, vars[id].name))
				name = vars[id].name;
		if (!name || (i >= 1 && p[i - 1] == '$') ||
		    (i >= 2 && p[i - 2] == '$' && p[i - 1] == '{' && j < l->len && p[j] == '}'))
			continue;
		if (br->var_line[id - 1])
			snprintf(frozen, sizeof(frozen), " (line %zu)", br->var_line[id - 1]);
		if (j < l->len && (p[j] == '=' || p[j] == '[' ||
				   (p[j] == '+' && j + 1 < l->len && p[j + 1] == '=')))
			return error_set(-EINVAL, "%s is assigned outside the frozen test "
					 "specification%s: bash would use the new value, the conversion "
					 "keeps the frozen one; this cannot be mapped", name, frozen);
		return error_set(-EINVAL, "%s is named other than as $%s outside the frozen test "
				 "specification%s: export, declare, read, unset or ${%s:=...} there "
				 "can change it, while the conversion keeps the frozen value; this "
				 "cannot be mapped", name, name, frozen, name);
	}
	return 0;
}

static int block_complete(const bool *seen)
{
	for (int id = 0; id < BV_COUNT; id++)
		if (!seen[id])
			return error_set(-EINVAL, "the frozen test specification lacks %s",
					 vars[id].name);
	return 0;
}

/* "$DIR/scheduler" ARGS & -- may span lines when an arg holds a newline */
static int launch(struct bashrun *br, size_t start, size_t limit, size_t *next, size_t *err_line)
{
	size_t base = start + strlen(SCHED_LAUNCH), end = 0, err = 0;
	int r;

	if (base >= limit || br->text[base] != ' ') {
		*err_line = bashrun_line_of(br, start);
		return error_set(-EINVAL, "the scheduler launch line does not continue with a space "
				 "after %s", SCHED_LAUNCH);
	}
	r = shellword_split_command(br->text + base, limit - base, &br->sched_words, &end, &err);
	if (r < 0) {
		*err_line = bashrun_line_of(br, base + err);
		return error_prefix(r, "scheduler launch line, column %zu",
				    column_of(br, base + err));
	}
	for (size_t i = 0; i < br->sched_words.n; i++) {
		br->sched_words.w[i].offset += base;
		for (size_t j = 0; j < br->sched_words.w[i].nseg; j++)
			br->sched_words.w[i].seg[j].offset += base;
	}
	end += base;
	while (end < limit && (br->text[end] == ' ' || br->text[end] == '\t'))
		end++;
	if (end < limit && br->text[end] != '\n') {
		*err_line = bashrun_line_of(br, end);
		return error_set(-EINVAL, "text after the '&' of the scheduler launch line");
	}
	*next = end < limit ? end + 1 : end;
	return 0;
}

static void first_line(const char *text, size_t len, struct line *l)
{
	const char *nl = memchr(text, '\n', len);

	l->p = text;
	l->len = nl ? (size_t)(nl - text) : len;
	l->no = 1;
}

static int find_marker(struct bashrun *br, size_t *preamble, size_t *err_line)
{
	size_t pos = 0, no = 1;

	while (pos < br->len) {
		const char *nl = memchr(br->text + pos, '\n', br->len - pos);
		size_t l = nl ? (size_t)(nl - br->text) - pos : br->len - pos;

		if (equals(br->text + pos, l, ARCHIVE_MARKER)) {
			br->marker_line = no;
			br->archive_off = nl ? pos + l + 1 : br->len;
			*preamble = pos;
			return 0;
		}
		if (!nl)
			break;
		pos += l + 1;
		no++;
	}
	*err_line = no;
	return error_set(-EINVAL, "no " ARCHIVE_MARKER " line: not a `cargo ktstr export` runfile, "
			 "or cut short before its archive");
}

static int check_header(struct bashrun *br, size_t preamble, size_t *err_line)
{
	struct line l;
	const char *nul = memchr(br->text, '\0', preamble);

	first_line(br->text, br->len, &l);
	*err_line = 1;
	if (br->len >= 4 && !memcmp(br->text, "\177ELF", 4))
		return error_set(-EINVAL, "this is an ELF file (a native runfile?), not a bash "
				 "runfile from `cargo ktstr export`");
	if (l.len == strlen(SHEBANG) + 1 && !memcmp(l.p, SHEBANG "\r", l.len))
		return error_set(-EINVAL, "the lines end in CR LF: the file went through a text "
				 "conversion (bash cannot run it either)");
	if (!equals(l.p, l.len, SHEBANG))
		return error_set(-EINVAL, "the first line is not " SHEBANG ": not a `cargo ktstr "
				 "export` runfile");
	if (nul) {
		*err_line = bashrun_line_of(br, (size_t)(nul - br->text));
		return error_set(-EINVAL, "NUL byte in the script");
	}
	return 0;
}

int bashrun_parse(const char *text, size_t len, struct bashrun *br, size_t *err_line)
{
	bool seen[BV_COUNT] = { false };
	enum { BEFORE, IN, AFTER } block = BEFORE;
	size_t pos = 0, no = 1, preamble = 0, n_exec = 0, n_args = 0;
	int r;

	memset(br, 0, sizeof(*br));
	br->text = text;
	br->len = len;
	*err_line = 1;
	if ((r = find_marker(br, &preamble, err_line)) < 0) {
		if (check_header(br, len, err_line) < 0)
			return -EINVAL;
		*err_line = bashrun_line_of(br, len ? len - 1 : 0);   /* the last line */
		return r;
	}
	if ((r = check_header(br, preamble, err_line)) < 0)
		return r;

	while (pos < preamble) {
		const char *nl = memchr(text + pos, '\n', preamble - pos);
		struct line l = { text + pos, nl ? (size_t)(nl - text) - pos : preamble - pos, no };
		size_t name_len = assignment_name(&l), tlen;
		const char *t = skip_blanks(&l, &tlen);

		*err_line = no;
		if (starts_with(&l, SCHED_LAUNCH)) {
			size_t next = preamble;

			if (br->has_launch)
				return error_set(-EINVAL, "a second scheduler launch line (the first is on "
						 "line %zu)", br->launch_line);
			br->has_launch = true;
			br->launch_line = no;
			if ((r = launch(br, pos, preamble, &next, err_line)) < 0)
				return r;
			no = bashrun_line_of(br, next);
			pos = next;
			continue;
		}
		if (name_len && block != AFTER) {
			block = IN;
			if ((r = block_line(br, &l, name_len, seen)) < 0)
				return r;
		} else {
			if (block == IN) {
				block = AFTER;
				if ((r = block_complete(seen)) < 0)
					return r;
			}
			if ((r = check_frozen_mentions(br, &l)) < 0)
				return r;
		}
		if (starts_with(&l, TEST_LAUNCH)) {
			if (!equals(l.p, l.len, test_exec_line))
				return error_set(-EINVAL, "the test is started with other arguments than "
						 "0.6.0's; this cannot be mapped");
			n_exec++;
		}
		if (tlen >= 9 && !memcmp(t, "RUN_ARGS=", 9)) {
			if (!equals(t, tlen, run_args_line))
				return error_set(-EINVAL, "the test's argv (RUN_ARGS) differs from 0.6.0's; "
						 "this cannot be mapped");
			n_args++;
		}
		if (tlen >= 10 && !memcmp(t, "RUN_ARGS+=", 10) &&
		    !equals(t, tlen, run_args_overrides[0]) && !equals(t, tlen, run_args_overrides[1]))
			return error_set(-EINVAL, "the test's argv gets an argument 0.6.0 does not add; "
					 "this cannot be mapped");
		pos += l.len + 1;
		no++;
	}
	*err_line = br->marker_line;
	if (block == BEFORE)
		return error_set(-EINVAL, "no frozen test specification (KTSTR_TEST_NAME=... and the "
				 "other variables) before the archive");
	if (block == IN && (r = block_complete(seen)) < 0)
		return r;
	if (n_exec != 1 || n_args != 1)
		return error_set(-EINVAL, "the test invocation (RUN_ARGS=... and %s) is missing or "
				 "repeated: this is not the script 0.6.0 writes", test_exec_line);
	return 0;
}

void bashrun_release(struct bashrun *br)
{
	free(br->test_name);
	free(br->sched_name);
	free(br->git_hash);
	sw_list_release(&br->sched_words);
	memset(br, 0, sizeof(*br));
}
