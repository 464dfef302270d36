// SPDX-License-Identifier: GPL-2.0-only
/* test_mountinfo.c - common/mountinfo.c on proc(5)-style fixture files. */
#include "mountinfo.h"
#include "unit.h"
#include "xalloc.h"

#include <errno.h>
#include <stdlib.h>

static char *file;

static void setup(void)
{
	unit_dir_setup();
	file = xasprintf("%s/mountinfo", unit_dir);
}

static void teardown(void)
{
	free(file);
	unit_dir_teardown();
}

static const char host[] =
	"22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro\n"
	"23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n"
	"24 22 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
	/* no optional fields at all */
	"25 24 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 "
	"rw,nsdelegate,memory_recursiveprot\n"
	/* several optional fields */
	"26 22 0:30 / /mnt/with\\040space rw shared:5 master:2 propagate_from:1 unbindable - "
	"tmpfs my\\040source rw,size=1024k\n"
	"27 22 0:31 /sub /mnt/tab\\011and\\012newline\\134 rw - tmpfs none rw\n"
	/* a later mount on the same point shadows the earlier one */
	"28 25 0:40 / /sys/fs/cgroup rw,relatime shared:30 - tmpfs shadow rw\n"
	"29 22 0:41 / /mnt/not\\escape\\9 rw - tmpfs x rw\n"
	/* \400 would be 256: not a byte, so not an escape */
	"30 22 0:42 / /mnt/big\\400 rw - tmpfs y rw\n"
	/* no super options: the source is the last field, before the newline */
	"31 22 0:43 / /mnt/short rw - tmpfs src\n";

static void expect_mount(const char *at, const char *fstype, const char *source)
{
	struct mount_entry e;

	memset(&e, 0, sizeof(e));
	ck_assert_ok(mountinfo_find(file, at, &e));
	ck_assert_str_eq(e.fstype, fstype);
	ck_assert_str_eq(e.source, source);
}

START_TEST(finds_mounts)
{
	unit_write(unit_dir, "mountinfo", host, -1, 0644);
	expect_mount("/", "ext4", "/dev/sda1");
	expect_mount("/proc", "proc", "proc");
	expect_mount("/sys", "sysfs", "sysfs");
}
END_TEST

START_TEST(escapes_decoded)
{
	unit_write(unit_dir, "mountinfo", host, -1, 0644);
	expect_mount("/mnt/with space", "tmpfs", "my source");
	expect_mount("/mnt/tab\tand\nnewline\\", "tmpfs", "none");
	expect_mount("/mnt/not\\escape\\9", "tmpfs", "x");   /* not octal: kept */
	expect_mount("/mnt/big\\400", "tmpfs", "y");
	expect_mount("/mnt/short", "tmpfs", "src");
	ck_assert_int_eq(mountinfo_find(file, "/mnt/with\\040space", &(struct mount_entry){ 0 }),
			 -ENOENT);
}
END_TEST

START_TEST(later_lines_shadow)
{
	unit_write(unit_dir, "mountinfo", host, -1, 0644);
	expect_mount("/sys/fs/cgroup", "tmpfs", "shadow");
	/* without the shadowing line, the cgroup2 mount is found */
	unit_write(unit_dir, "mountinfo",
		   "25 24 0:23 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", -1, 0644);
	expect_mount("/sys/fs/cgroup", "cgroup2", "cgroup2");
}
END_TEST

START_TEST(not_mounted)
{
	struct mount_entry e;

	unit_write(unit_dir, "mountinfo", host, -1, 0644);
	ck_assert_int_eq(mountinfo_find(file, "/sys/fs", &e), -ENOENT);
	ck_assert_int_eq(mountinfo_find(file, "/sys/fs/cgroup/", &e), -ENOENT);
	ck_assert_int_eq(mountinfo_find(file, "/mnt/with", &e), -ENOENT);
	unit_write(unit_dir, "mountinfo", "", -1, 0644);
	ck_assert_int_eq(mountinfo_find(file, "/", &e), -ENOENT);
}
END_TEST

START_TEST(malformed_lines)
{
	static const char *const bad[] = {
		"1 2 3\n",                                           /* too few fields */
		"25 24 0:23 / /x rw shared:1 cgroup2 cgroup2 rw\n",  /* no "-" separator */
		"25 24 0:23 / /x rw - cgroup2\n",                    /* no source */
		"25 24 0:23 / /x rw -\n",                            /* no type */
		"\n",                                                /* empty line */
	};
	struct mount_entry e;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *text = xasprintf("22 1 8:1 / / rw - ext4 /dev/sda1 rw\n%s", bad[i]);

		unit_write(unit_dir, "mountinfo", text, -1, 0644);
		/* the line number names the bad line, whatever is looked up */
		ck_assert_fails(mountinfo_find(file, "/x", &e), -EBADMSG, "mountinfo:2: malformed line");
		ck_assert_fails(mountinfo_find(file, "/", &e), -EBADMSG, "malformed line");
		free(text);
	}
}
END_TEST

START_TEST(unreadable)
{
	struct mount_entry e;

	ck_assert_fails(mountinfo_find(file, "/", &e), -ENOENT, "cannot open");
	ck_assert_fails(mountinfo_find(unit_dir, "/", &e), -EIO, "cannot read");
}
END_TEST

START_TEST(long_fields_truncated_safely)
{
	char *text, *source = xmalloc(1001), *mnt = xmalloc(5001);
	struct mount_entry e;

	memset(source, 's', 1000);
	source[1000] = '\0';
	memset(mnt, 'm', 5000);
	mnt[0] = '/';
	mnt[5000] = '\0';
	text = xasprintf("22 1 8:1 / %s rw - verylongfilesystemtypenameverylongfilesystemtypename"
			 "verylongfilesystemtypename %s rw\n", mnt, source);
	unit_write(unit_dir, "mountinfo", text, -1, 0644);
	ck_assert_ok(mountinfo_find(file, mnt, &e));
	ck_assert_uint_eq(strlen(e.source), sizeof(e.source) - 1);
	ck_assert_uint_eq(strlen(e.fstype), sizeof(e.fstype) - 1);
	free(text);
	free(source);
	free(mnt);
}
END_TEST

UNIT_MAIN("mountinfo",
	  UNIT_TCASE("parse", setup, teardown, 0,
		     finds_mounts, escapes_decoded, later_lines_shadow, not_mounted,
		     malformed_lines, unreadable, long_fields_truncated_safely));
