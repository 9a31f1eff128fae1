/* SPDX-License-Identifier: GPL-2.0-or-later */
/* saved rules files: the safety check before reading, and live dumps */
#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "persist.h"

/*
 * A rules file decides what the kernel lets through, so one that anybody
 * but root could have written is refused, as sshd refuses its keys.
 */
static int check_safe(const char *path, const struct stat *st)
{
	if (!S_ISREG(st->st_mode)) {
		fw_log_at(LOG_ERR, path, 0, 0,
			  "refusing '%s': not a regular file", path);
		return -1;
	}
	if (st->st_uid != 0) {
		fw_log_at(LOG_ERR, path, 0, 0,
			  "refusing '%s': owned by uid %u, not by root", path,
			  (unsigned)st->st_uid);
		return -1;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		fw_log_at(LOG_ERR, path, 0, 0,
			  "refusing '%s': writable by group or others "
			  "(mode %04o)", path, (unsigned)(st->st_mode & 07777));
		return -1;
	}
	return 0;
}

/* The file read must be the one checked: same device and inode. */
static int read_checked(struct fw_input *in, const char *path, int family,
			const struct stat *checked)
{
	struct fw_errs *errs = fw_errs_new();
	struct stat st;
	int ret = fw_input_read(in, path, family, errs);

	if (ret < 0) {
		fw_log_errs(errs);
		fw_log_at(LOG_ERR, path, 0, 0, "cannot read '%s'", path);
	} else if (stat(path, &st) < 0 || st.st_dev != checked->st_dev ||
		   st.st_ino != checked->st_ino) {
		fw_log_at(LOG_ERR, path, 0, 0,
			  "'%s' was replaced while it was read", path);
		fw_input_release(in);
		ret = -1;
	}
	fw_errs_free(errs);
	return ret;
}

int fw_rules_load(struct fw_input *in, const char *path, int family)
{
	struct stat st;
	int fd, ret;

	memset(in, 0, sizeof(*in));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 && errno == ENOENT)
		return 1;
	if (fd < 0 || fstat(fd, &st) < 0) {
		fw_log_at(LOG_ERR, path, 0, 0, "cannot open '%s': %s", path,
			  strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	ret = check_safe(path, &st);
	if (ret == 0)
		ret = read_checked(in, path, family, &st);
	close(fd);
	return ret;
}

int fw_rules_dump(char **out, size_t *len, int family, unsigned flags)
{
	struct fw_save_opts o = {
		.flags = flags,
		.families = 1u << family,
		.format = FW_FMT_TEXT,
		.progname = "fw-persist",
	};
	struct fw_errs *errs = fw_errs_new();
	FILE *fp = open_memstream(out, len);
	int ret;

	if (!fp)
		FW_BUG("open_memstream failed");
	ret = fw_save(&o, fp, errs);
	if (fclose(fp) != 0 && ret == FW_EXIT_OK)
		ret = FW_EXIT_FAILURE;
	if (ret != FW_EXIT_OK) {
		fw_log_errs(errs);
		fw_log(LOG_ERR, "cannot dump the live IPv%d ruleset", family);
	}
	fw_errs_free(errs);
	return ret;
}
