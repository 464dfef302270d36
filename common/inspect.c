// SPDX-License-Identifier: GPL-2.0-only
/* inspect.c - the --inspect report, as text and as JSON. */
#include "inspect.h"
#include "digest.h"
#include "elf_arch.h"
#include "launch.h"
#include "macros.h"
#include "pathnames.h"
#include "xalloc.h"

#include <stdint.h>

static const char *stub_arch(const struct runfile *rf)
{
	enum elf_arch arch;
	uint16_t machine;

	if (elf_read_arch(rf->fd, 0, &arch, &machine) < 0)
		return "not ELF";
	return elf_arch_name(arch);
}

/* Names are printable but may hold bytes >= 0x80: shown as \xHH, so what
 * reaches the terminal is plain ASCII whatever the runfile carries. */
static void add_display(struct strbuf *o, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x20 && *p < 0x7f && *p != '\\')
			strbuf_addch(o, (char)*p);
		else
			strbuf_addf(o, "\\x%02x", *p);
	}
}

/* A command that lists the payload with standard tools. */
static void list_command(const struct runfile *rf, const char *name, struct strbuf *o)
{
	const struct runfile_footer *f = &rf->footer;

	strbuf_addf(o, "tail -c +%llu ", (unsigned long long)f->payload_offset + 1);
	launch_quote(o, name);
	strbuf_addf(o, " | head -c %llu | %s", (unsigned long long)f->payload_length,
		    f->codec == CODEC_ZSTD ? "zstd -dc | tar tvf -" :
		    f->codec == CODEC_NONE ? "tar tvf -" : "tar tvzf -");
}

static void text(const struct runfile *rf, const char *name, struct strbuf *o)
{
	const struct runfile_footer *f = &rf->footer;
	const struct spec *s = &rf->spec;
	char hex[SHA256_HEX_LEN + 1];

	strbuf_addstr(o, "runfile:        ");
	add_display(o, name);
	strbuf_addf(o, " (%llu bytes, format %u)\n", (unsigned long long)rf->size, f->version);
	strbuf_addf(o, "stub:           offset 0, %llu bytes, %s\n",
		    (unsigned long long)f->payload_offset, stub_arch(rf));
	sha256_hex(f->payload_sha256, hex);
	strbuf_addf(o, "payload:        offset %llu, %llu bytes, %s, %zu chunks, sha256 %s\n",
		    (unsigned long long)f->payload_offset, (unsigned long long)f->payload_length,
		    payload_codec_name(f->codec), s->nchunks, hex);
	if (s->has_early) {
		sha256_hex(s->early_sha256, hex);
		strbuf_addf(o, "early prefix:   offset %llu, %llu bytes (scheduler and includes, "
			    "checked on its own), sha256 %s\n",
			    (unsigned long long)f->payload_offset, (unsigned long long)s->early_clen,
			    hex);
	}
	sha256_hex(f->spec_sha256, hex);
	strbuf_addf(o, "spec:           offset %llu, %llu bytes, sha256 %s\n",
		    (unsigned long long)f->spec_offset, (unsigned long long)f->spec_length, hex);
	strbuf_addf(o, "footer:         offset %llu, %d bytes\n",
		    (unsigned long long)(rf->size - RUNFILE_FOOTER_SIZE), RUNFILE_FOOTER_SIZE);
	strbuf_addstr(o, "list payload:   ");
	list_command(rf, name, o);
	strbuf_addstr(o, "\n\n");
	strbuf_addstr(o, "test:           ");
	add_display(o, s->test_name);
	strbuf_addstr(o, "\nscheduler:      ");
	add_display(o, s->sched_name);
	strbuf_addf(o, "%s\n", spec_has_scheduler(s) ? "" :
		    " (no scheduler binary: the test runs under EEVDF)");
	strbuf_addf(o, "git:            %s\n", s->git_hash);
	strbuf_addstr(o, "packed by:      ");
	add_display(o, s->packer);
	strbuf_addf(o, "\ntopology needs: %u LLCs, %u cores per LLC, %u threads per core, "
		    "%u NUMA nodes\n", s->llcs, s->cores_per_llc, s->threads_per_core,
		    s->numa_nodes);
	strbuf_addf(o, "duration:       %u s (--duration SECS overrides)\n", s->duration_secs);
	strbuf_addf(o, "watchdog:       %u s (--watchdog-timeout SECS overrides)\n",
		    s->watchdog_secs);
	strbuf_addf(o, "attach timeout: %u s (--attach-timeout SECS overrides)\n",
		    s->attach_timeout_secs);
	strbuf_addstr(o, "cgroup parent:  ");
	if (s->cgroup_parent)
		add_display(o, s->cgroup_parent);
	else
		strbuf_addstr(o, "none");
	strbuf_addstr(o, "\n\ncommands (DIR is the extraction directory, "
		      "$TMPDIR/" TMPDIR_PREFIX "<pid>-XXXXXX):\n");
	if (spec_has_scheduler(s)) {
		strbuf_addstr(o, "  scheduler:    ");
		launch_render_sched(s, o);
		strbuf_addstr(o, " </dev/null\n");
	}
	strbuf_addstr(o, "  test:         ");
	launch_render_test(s, o);
	strbuf_addstr(o, "\n                (+ --duration S / --watchdog-timeout S when given)\n");
	strbuf_addstr(o, "\non the host (run as root):\n");
	strbuf_addstr(o, "  checks:       CAP_SYS_ADMIN, " PATH_SCHED_EXT ", cgroup2 at "
		      PATH_CGROUP_ROOT ", no other sched_ext scheduler, the topology above\n");
	strbuf_addstr(o, "  creates:      DIR (removed at the end unless --keep), lock "
		      PATH_RUN_LOCK "\n");
	strbuf_addstr(o, "  removes:      the cgroups under " PATH_KTSTR_CGROUP);
	if (s->cgroup_parent) {
		strbuf_addstr(o, ", and those the run created under " PATH_CGROUP_ROOT);
		add_display(o, s->cgroup_parent);
	}
	strbuf_addstr(o, "\n\narchive members (mode, bytes, name):\n");
	for (size_t i = 0; i < s->nmembers; i++) {
		strbuf_addf(o, "  %04o %12llu  ", s->members[i].mode,
			    (unsigned long long)s->members[i].size);
		add_display(o, s->members[i].name);
		strbuf_addch(o, '\n');
	}
}

static void json_kv_str(struct strbuf *o, const char *k, const char *v, bool comma)
{
	strbuf_addf(o, "  \"%s\": ", k);
	if (v)
		strbuf_add_json_string(o, v);
	else
		strbuf_addstr(o, "null");
	strbuf_addstr(o, comma ? ",\n" : "\n");
}

static void json_kv_u64(struct strbuf *o, const char *k, unsigned long long v)
{
	strbuf_addf(o, "  \"%s\": %llu,\n", k, v);
}

static void json_hex(struct strbuf *o, const char *s)
{
	strbuf_addstr(o, ", \"hex\": \"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		strbuf_addf(o, "%02x", *p);
	strbuf_addch(o, '"');
}

static void json(const struct runfile *rf, const char *name, struct strbuf *o)
{
	const struct runfile_footer *f = &rf->footer;
	const struct spec *s = &rf->spec;
	struct strbuf cmd = STRBUF_INIT;
	char hex[SHA256_HEX_LEN + 1];

	strbuf_addstr(o, "{\n");
	json_kv_str(o, "file", name, true);
	json_kv_u64(o, "size", rf->size);
	json_kv_u64(o, "format_version", f->version);
	json_kv_str(o, "stub_arch", stub_arch(rf), true);
	json_kv_u64(o, "stub_length", f->payload_offset);
	json_kv_u64(o, "payload_offset", f->payload_offset);
	json_kv_u64(o, "payload_length", f->payload_length);
	json_kv_str(o, "payload_codec", payload_codec_name(f->codec), true);
	sha256_hex(f->payload_sha256, hex);
	json_kv_str(o, "payload_sha256", hex, true);
	json_kv_u64(o, "payload_chunks", s->nchunks);
	json_kv_u64(o, "spec_offset", f->spec_offset);
	json_kv_u64(o, "spec_length", f->spec_length);
	sha256_hex(f->spec_sha256, hex);
	json_kv_str(o, "spec_sha256", hex, true);
	json_kv_str(o, "test", s->test_name, true);
	json_kv_str(o, "scheduler", s->sched_name, true);
	strbuf_addf(o, "  \"has_scheduler\": %s,\n", spec_has_scheduler(s) ? "true" : "false");
	json_kv_str(o, "git_hash", s->git_hash, true);
	json_kv_str(o, "packer", s->packer, true);
	strbuf_addf(o, "  \"topology\": {\"llcs\": %u, \"cores_per_llc\": %u, "
		    "\"threads_per_core\": %u, \"numa_nodes\": %u},\n",
		    s->llcs, s->cores_per_llc, s->threads_per_core, s->numa_nodes);
	json_kv_u64(o, "duration_secs", s->duration_secs);
	json_kv_u64(o, "watchdog_secs", s->watchdog_secs);
	json_kv_u64(o, "attach_timeout_secs", s->attach_timeout_secs);
	json_kv_str(o, "cgroup_parent", s->cgroup_parent, true);

	strbuf_addstr(o, "  \"scheduler_args\": [");
	for (size_t i = 0; i < s->sched_argc; i++) {
		const struct spec_arg *a = &s->sched_argv[i];

		strbuf_addstr(o, i ? ", [" : "[");
		for (size_t j = 0; j < a->nseg; j++) {
			strbuf_addstr(o, j ? ", " : "");
			if (a->seg[j].kind == ARG_SEG_DIR) {
				strbuf_addstr(o, "{\"dir\": true}");
			} else {
				strbuf_addstr(o, "{\"literal\": ");
				strbuf_add_json_string(o, a->seg[j].literal);
				/* JSON strings cannot carry bytes that are not
				 * UTF-8: give those exactly, as hex */
				if (!utf8_valid(a->seg[j].literal))
					json_hex(o, a->seg[j].literal);
				strbuf_addstr(o, "}");
			}
		}
		strbuf_addstr(o, "]");
	}
	strbuf_addstr(o, "],\n");
	if (spec_has_scheduler(s))
		launch_render_sched(s, &cmd);
	json_kv_str(o, "scheduler_command", spec_has_scheduler(s) ? strbuf_cstr(&cmd) : NULL, true);
	strbuf_reset(&cmd);
	launch_render_test(s, &cmd);
	json_kv_str(o, "test_command", strbuf_cstr(&cmd), true);
	strbuf_reset(&cmd);

	strbuf_addstr(o, "  \"members\": [");
	for (size_t i = 0; i < s->nmembers; i++) {
		strbuf_addstr(o, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
		strbuf_add_json_string(o, s->members[i].name);
		strbuf_addf(o, ", \"size\": %llu, \"mode\": \"%04o\"}",
			    (unsigned long long)s->members[i].size, s->members[i].mode);
	}
	strbuf_addstr(o, "\n  ],\n");
	if (s->has_early) {
		strbuf_addf(o, "  \"early_prefix_length\": %llu,\n",
			    (unsigned long long)s->early_clen);
		sha256_hex(s->early_sha256, hex);
		json_kv_str(o, "early_prefix_sha256", hex, true);
	} else {
		strbuf_addstr(o, "  \"early_prefix_length\": null,\n");
		json_kv_str(o, "early_prefix_sha256", NULL, true);
	}
	list_command(rf, name, &cmd);
	json_kv_str(o, "list_payload_command", strbuf_cstr(&cmd), true);
	strbuf_release(&cmd);
	json_kv_str(o, "extraction_dir", "$TMPDIR/" TMPDIR_PREFIX "<pid>-XXXXXX", true);
	json_kv_str(o, "run_lock", PATH_RUN_LOCK, true);
	strbuf_addstr(o, "  \"cgroups_removed\": [");
	strbuf_add_json_string(o, PATH_KTSTR_CGROUP);
	if (s->cgroup_parent) {
		_cleanup_free_ char *path = xasprintf("%s%s", PATH_CGROUP_ROOT, s->cgroup_parent);

		strbuf_addstr(o, ", ");
		strbuf_add_json_string(o, path);
	}
	strbuf_addstr(o, "]\n}\n");
}

void inspect_runfile(const struct runfile *rf, const char *name, bool as_json, struct strbuf *out)
{
	if (as_json)
		json(rf, name, out);
	else
		text(rf, name, out);
}
