/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Crash-safe file replacement: the new contents go to a temporary file in
 * the same directory, which is fsynced and renamed over the old file, and
 * the directory is fsynced. A reader (or a reboot) sees the complete old
 * file or the complete new one, never a mix, an empty or a short file.
 */
#include "base.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "persist.h"

#define TMP_TAG ".fw-"

bool fw_fault_is(const char *point)
{
	const char *f = getenv("FW_PERSIST_FAULT");

	return f && strcmp(f, point) == 0;
}

void fw_fault(const char *point)
{
	if (fw_fault_is(point))
		kill(getpid(), SIGKILL);
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -1;
	ret = fsync(fd);
	close(fd);
	return ret;
}

/* mkdir -p, each new directory made durable in its parent. */
static int make_dirs(const char *dir)
{
	char *parent;
	int ret;

	if (mkdir(dir, 0755) == 0 || errno == EEXIST)
		goto made;
	if (errno != ENOENT || !strrchr(dir, '/') || strrchr(dir, '/') == dir)
		return -1;
	parent = xstrndup(dir, strrchr(dir, '/') - dir);
	ret = make_dirs(parent);
	free(parent);
	if (ret < 0 || (mkdir(dir, 0755) < 0 && errno != EEXIST))
		return -1;
made:
	parent = xstrndup(dir, strrchr(dir, '/') - dir);
	ret = fsync_dir(*parent ? parent : "/");
	free(parent);
	return ret;
}

/* Remove ".NAME.fw-*" files left behind by a killed save. */
static void remove_stale(int dirfd, const char *base)
{
	struct fw_buf prefix = FW_BUF_INIT;
	struct dirent *de;
	DIR *d;
	int fd = dup(dirfd);

	d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	fw_buf_addf(&prefix, ".%s" TMP_TAG, base);
	while ((de = readdir(d)))
		if (strncmp(de->d_name, prefix.buf, prefix.len) == 0)
			unlinkat(dirfd, de->d_name, 0);
	closedir(d);
	fw_buf_release(&prefix);
}

/* Without CAP_CHOWN (in the unit), chown only when it changes something. */
static int own_by_root(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -1;
	if (st.st_uid == 0 && st.st_gid == 0)
		return 0;
	return fchown(fd, 0, 0);
}

/*
 * The stream over the temporary file keeps the errno of a failed write:
 * stdio only remembers that one failed, and ENOSPC is worth saying.
 * After a failure nothing more is written: the file is thrown away, and
 * what stdio flushes after an error is not all initialised (valgrind).
 */
static ssize_t tmp_write(void *cookie, const char *buf, size_t len)
{
	struct fw_atomic *a = cookie;
	size_t off = 0;
	ssize_t n;

	if (a->err)
		return -1;
	while (off < len) {
		n = write(a->fd, buf + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!a->err)
				a->err = n < 0 ? errno : EIO;
			return off ? (ssize_t)off : -1;
		}
		off += n;
	}
	return off;
}

static int tmp_close(void *cookie)
{
	struct fw_atomic *a = cookie;
	int ret = close(a->fd);

	a->fd = -1;
	return ret;
}

static int begin_fail(struct fw_atomic *a, const char *what, const char *p)
{
	fw_log(LOG_ERR, "cannot %s '%s': %s", what, p, strerror(errno));
	fw_atomic_abort(a);
	return -1;
}

int fw_atomic_begin(struct fw_atomic *a, const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash && slash != path ? xstrndup(path, slash - path)
					   : xstrdup("/");
	struct fw_buf tmp = FW_BUF_INIT;

	memset(a, 0, sizeof(*a));
	a->dirfd = a->fd = -1;
	a->path = xstrdup(path);
	if (make_dirs(dir) < 0)
		goto fail_dir;
	a->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (a->dirfd < 0)
		goto fail_dir;
	remove_stale(a->dirfd, slash ? slash + 1 : path);
	fw_buf_addf(&tmp, "%s/.%s" TMP_TAG "XXXXXX", dir,
		    slash ? slash + 1 : path);
	free(dir);
	a->tmp = tmp.buf;
	a->fd = mkostemp(a->tmp, O_CLOEXEC);
	if (a->fd < 0) {
		free(a->tmp);
		a->tmp = NULL;
		return begin_fail(a, "create a temporary file for", path);
	}
	a->fp = fopencookie(a, "w", (cookie_io_functions_t){
		.write = tmp_write, .close = tmp_close });
	if (!a->fp)
		return begin_fail(a, "open", a->tmp);
	if (fchmod(a->fd, 0600) < 0 || own_by_root(a->fd) < 0)
		return begin_fail(a, "set mode 0600 and owner root on", a->tmp);
	fw_fault("after-create");
	return 0;
fail_dir:
	begin_fail(a, "open the directory", dir);
	free(dir);
	return -1;
}

void fw_atomic_abort(struct fw_atomic *a)
{
	if (a->fp)
		fclose(a->fp);
	else if (a->fd >= 0)
		close(a->fd);
	if (a->tmp)
		unlink(a->tmp);
	if (a->dirfd >= 0)
		close(a->dirfd);
	free(a->tmp);
	free(a->path);
	memset(a, 0, sizeof(*a));
	a->dirfd = a->fd = -1;
}

static bool same_contents(const char *p1, const char *p2)
{
	FILE *f1 = fopen(p1, "re"), *f2 = fopen(p2, "re");
	bool same = f1 && f2;
	int c1, c2;

	while (same) {
		c1 = getc(f1);
		c2 = getc(f2);
		same = c1 == c2;
		if (c1 == EOF)
			break;
	}
	if (f1)
		fclose(f1);
	if (f2)
		fclose(f2);
	return same;
}

/* The old file is kept as PATH.bak: a hard link, renamed into place. */
static void keep_backup(const struct fw_atomic *a)
{
	struct fw_buf bak = FW_BUF_INIT, tmp = FW_BUF_INIT;

	fw_buf_addf(&bak, "%s.bak", a->path);
	fw_buf_addf(&tmp, "%s" TMP_TAG "bak", a->tmp);
	unlink(tmp.buf);
	if (link(a->path, tmp.buf) < 0 || rename(tmp.buf, bak.buf) < 0) {
		fw_log(LOG_WARNING, "cannot keep a backup '%s': %s", bak.buf,
		       strerror(errno));
		unlink(tmp.buf);
	}
	fw_fault("after-backup");
	fw_buf_release(&bak);
	fw_buf_release(&tmp);
}

static bool old_is_current(const struct fw_atomic *a)
{
	struct stat st;

	if (stat(a->path, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	if (st.st_uid != 0 || st.st_gid != 0 || (st.st_mode & 07777) != 0600)
		return false;
	return same_contents(a->path, a->tmp);
}

static int flush_tmp(struct fw_atomic *a)
{
	int ret = fflush(a->fp);

	if (ret == 0 && ferror(a->fp))
		ret = -1;
	if (ret == 0)
		ret = fsync(a->fd);
	fw_fault("after-fsync");
	if (fclose(a->fp) != 0)
		ret = -1;
	a->fp = NULL;
	if (ret < 0 && a->err)
		errno = a->err;
	return ret;
}

int fw_atomic_commit(struct fw_atomic *a, bool backup, bool *changed)
{
	*changed = false;
	if (flush_tmp(a) < 0) {
		fw_log(LOG_ERR, "cannot write '%s': %s", a->tmp,
		       strerror(errno));
		goto fail;
	}
	if (old_is_current(a)) {
		fw_atomic_abort(a);
		return 0;
	}
	if (backup && access(a->path, F_OK) == 0)
		keep_backup(a);
	fw_fault("before-rename");
	if (rename(a->tmp, a->path) < 0) {
		fw_log(LOG_ERR, "cannot rename '%s' to '%s': %s", a->tmp,
		       a->path, strerror(errno));
		goto fail;
	}
	free(a->tmp);
	a->tmp = NULL;
	*changed = true;
	fw_fault("after-rename");
	if (fsync(a->dirfd) < 0) {
		fw_log(LOG_ERR, "cannot sync the directory of '%s': %s",
		       a->path, strerror(errno));
		goto fail;
	}
	fw_atomic_abort(a);
	return 0;
fail:
	fw_atomic_abort(a);
	return -1;
}
