// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz-extract.c - fuzz target: the stub's extraction (stub/extract.c:
 * parallel inflate, in-order hash, libarchive's tar parse, the member
 * checks, the writes) on a runfile made of the input.
 *
 * Input: [flags:1][the file], with fuzz-fixup.h's fixups; once loaded,
 * the payload and early-prefix digests are set to what the payload hashes
 * to, as a hostile sender would, so every mutation of the payload meets
 * the inflaters, the tar parser and the member checks.  Property: whatever
 * the payload, the directory afterwards holds nothing but the spec's
 * member names (and include/), as regular files no larger than the spec
 * says; the extraction ends with success or a message.
 */
#include "fuzz.h"
#include "fuzz-fixup.h"
#include "error.h"
#include "extract.h"
#include "runfile.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[PATH_MAX];

static void remove_root(void)
{
	rmdir(root);
}

/* Check each entry of @dirfd (@prefix: "" or "include/") and remove it. */
static void check_and_clear(const struct runfile *rf, int dirfd, const char *prefix)
{
	DIR *d = fdopendir(dup(dirfd));
	struct dirent *de;

	FUZZ_CHECK(d, "opendir");
	while ((de = readdir(d))) {
		char name[300];
		const struct spec_member *m;
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(name, sizeof(name), "%s%s", prefix, de->d_name);
		FUZZ_CHECK(fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0, "stat %s", name);
		if (!prefix[0] && !strcmp(de->d_name, MEMBER_INCLUDE_DIR) && S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);

			FUZZ_CHECK(sub >= 0, "open include/");
			check_and_clear(rf, sub, MEMBER_INCLUDE_DIR "/");
			close(sub);
			FUZZ_CHECK(unlinkat(dirfd, de->d_name, AT_REMOVEDIR) == 0, "rmdir include/");
			continue;
		}
		m = spec_member_find(&rf->spec, name);
		FUZZ_CHECK(m, "wrote '%s', which the spec does not list", name);
		FUZZ_CHECK(S_ISREG(st.st_mode), "'%s' is not a regular file", name);
		FUZZ_CHECK((uint64_t)st.st_size <= m->size, "'%s' is larger than the spec says", name);
		FUZZ_CHECK(unlinkat(dirfd, de->d_name, 0) == 0, "unlink %s", name);
	}
	closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct runfile rf;
	uint8_t *file;
	size_t len;
	int fd, dirfd;

	if (size < 1)
		return 0;
	if (!root[0]) {
		const char *t = getenv("TMPDIR");

		int n = snprintf(root, sizeof(root), "%s/ktstr-fuzz-XXXXXX",
				 t && t[0] == '/' ? t : "/tmp");

		FUZZ_CHECK(n > 0 && (size_t)n < sizeof(root), "TMPDIR is too long");
		FUZZ_CHECK(mkdtemp(root), "mkdtemp %s", root);
		atexit(remove_root);
	}
	file = fuzz_fixup(data, size, &len);
	fd = fuzz_memfd(file, len);
	if (runfile_load(fd, &rf) < 0) {
		close(fd);
		free(file);
		return 0;
	}
	/* the digests a hostile sender would write: right ones */
	fuzz_sha256(file + rf.footer.payload_offset, (size_t)rf.footer.payload_length,
		    rf.footer.payload_sha256);
	if (rf.spec.has_early)
		fuzz_sha256(file + rf.footer.payload_offset, (size_t)rf.spec.early_clen,
			    rf.spec.early_sha256);
	free(file);
	dirfd = open(root, O_RDONLY | O_DIRECTORY);
	FUZZ_CHECK(dirfd >= 0, "open %s", root);
	if (extract_run(&rf, dirfd, 2) < 0)
		FUZZ_CHECK(error_message()[0], "a failed extraction without a message");
	check_and_clear(&rf, dirfd, "");
	close(dirfd);
	runfile_close(&rf);
	return 0;
}
