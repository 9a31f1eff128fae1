/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The lock and the once-per-boot stamp under /run/fw-persist, shared by
 * fw-restore.service and the ifupdown hook. Bookkeeping problems are
 * warnings: the firewall work goes on without it.
 */
#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "persist.h"

#define RUN_DIR "/run/fw-persist"
#define LOCK_TIMEOUT_MS 30000
#define LOCK_POLL_MS 50

static char *run_path(const struct fw_pconf *c, const char *name)
{
	char *dir = fw_pconf_path(c, RUN_DIR);
	struct fw_buf b = FW_BUF_INIT;

	if (mkdir(dir, 0755) < 0 && errno == ENOENT) {
		char *run = fw_pconf_path(c, "/run");

		mkdir(run, 0755);
		mkdir(dir, 0755);
		free(run);
	}
	fw_buf_addf(&b, "%s/%s", dir, name);
	free(dir);
	return b.buf;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* A file descriptor holding the lock, or -1 (a warning was logged). */
int fw_lock_take(const struct fw_pconf *c)
{
	char *path = run_path(c, "lock");
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	long waited = 0;

	if (fd < 0) {
		fw_log(LOG_WARNING, "cannot open the lock '%s': %s; going on "
		       "without it", path, strerror(errno));
		free(path);
		return -1;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if ((errno != EWOULDBLOCK && errno != EINTR) ||
		    waited >= LOCK_TIMEOUT_MS) {
			fw_log(LOG_WARNING, "cannot take the lock '%s': %s; "
			       "going on without it", path,
			       errno == EWOULDBLOCK ? "timed out"
						    : strerror(errno));
			close(fd);
			free(path);
			return -1;
		}
		sleep_ms(LOCK_POLL_MS);
		waited += LOCK_POLL_MS;
	}
	free(path);
	return fd;
}

void fw_lock_release(int fd)
{
	if (fd >= 0)
		close(fd);
}

bool fw_stamp_exists(const struct fw_pconf *c)
{
	char *path = run_path(c, "restored");
	bool ret = access(path, F_OK) == 0;

	free(path);
	return ret;
}

bool fw_stamp_failed(const struct fw_pconf *c)
{
	char *path = run_path(c, "restored");
	char buf[8] = "";
	FILE *fp = fopen(path, "re");

	free(path);
	if (!fp)
		return false;
	if (!fgets(buf, sizeof(buf), fp))
		buf[0] = '\0';
	fclose(fp);
	return strncmp(buf, "ok", 2) != 0;
}

/* The stamp says how the boot's restore went, for people reading /run. */
void fw_stamp_write(const struct fw_pconf *c, const char *result)
{
	char *path = run_path(c, "restored");
	struct fw_buf tmp = FW_BUF_INIT;
	FILE *fp;

	fw_buf_addf(&tmp, "%s.tmp", path);
	fp = fopen(tmp.buf, "we");
	if (fp) {
		fprintf(fp, "%s\n", result);
		if (fclose(fp) == 0 && rename(tmp.buf, path) == 0)
			goto out;
	}
	fw_log(LOG_WARNING, "cannot write the stamp '%s': %s", path,
	       strerror(errno));
	unlink(tmp.buf);
out:
	fw_buf_release(&tmp);
	free(path);
}
