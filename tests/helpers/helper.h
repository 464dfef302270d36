/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * helper.h - small utilities shared by the test helpers (fake scheduler,
 * sample test): key=value config files, whole-file writes, timestamps.
 * Header-only so each helper stays one static binary.
 */
#ifndef KTSTR_TEST_HELPER_H
#define KTSTR_TEST_HELPER_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Where the harness and the helpers exchange files (a tmpfs in tests). */
#define HELPER_DIR_DEFAULT "/run/ktstr-test"
#define SCHED_EXT_DIR "/sys/kernel/sched_ext"
#define CONF_MAX 64

struct conf {
	char key[CONF_MAX][64];
	char val[CONF_MAX][256];
	int n;
};

static inline void conf_load(struct conf *c, const char *path)
{
	char line[512];
	FILE *f = fopen(path, "re");

	c->n = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && c->n < CONF_MAX) {
		char *eq = strchr(line, '=');

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || !eq)
			continue;
		*eq = '\0';
		if (strlen(line) >= sizeof(c->key[0]) || strlen(eq + 1) >= sizeof(c->val[0]))
			continue;
		memcpy(c->key[c->n], line, strlen(line) + 1);
		memcpy(c->val[c->n], eq + 1, strlen(eq + 1) + 1);
		c->n++;
	}
	fclose(f);
}

static inline const char *conf_str(const struct conf *c, const char *key, const char *def)
{
	for (int i = c->n - 1; i >= 0; i--)
		if (!strcmp(c->key[i], key))
			return c->val[i];
	return def;
}

static inline long conf_long(const struct conf *c, const char *key, long def)
{
	const char *v = conf_str(c, key, NULL);

	return v ? strtol(v, NULL, 10) : def;
}

static inline long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Write @len bytes to @path, replacing it in place (the inode stays). */
static inline int write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, data, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -EIO;
}

static inline int write_str(const char *path, const char *s)
{
	return write_file(path, s, strlen(s));
}

static inline int read_str(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	buf[0] = '\0';
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* argv as NUL-terminated elements, byte for byte. */
static inline void write_argv(const char *path, int argc, char **argv)
{
	size_t len = 0;
	char *buf;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	buf = malloc(len ? len : 1);
	if (!buf)
		return;
	len = 0;
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;

		memcpy(buf + len, argv[i], n);
		len += n;
	}
	write_file(path, buf, len);
	free(buf);
}

#endif
