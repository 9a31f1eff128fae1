/* SPDX-License-Identifier: GPL-2.0-or-later */
/* messages: structured journal entries under systemd, stderr otherwise */
#include "base.h"

#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/uio.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

#include "persist.h"

static bool use_journal;
static bool quiet;

/* JOURNAL_STREAM is "DEV:INODE" of the stream stderr should be. */
static bool stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!js || sscanf(js, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(STDERR_FILENO, &st) < 0)
		return false;
	return st.st_dev == dev && st.st_ino == ino;
}

/*
 * ifupdown runs its hooks with a fresh environment, without
 * JOURNAL_STREAM, but stderr is still journald's stream socket.
 */
static bool stderr_is_journal_socket(void)
{
	static const char path[] = "/run/systemd/journal/stdout";
	struct sockaddr_un sa = { 0 };
	socklen_t len = sizeof(sa);

	if (getpeername(STDERR_FILENO, (struct sockaddr *)&sa, &len) < 0 ||
	    sa.sun_family != AF_UNIX)
		return false;
	return len >= offsetof(struct sockaddr_un, sun_path) + sizeof(path) &&
	       strcmp(sa.sun_path, path) == 0;
}

void fw_log_init(bool q)
{
	quiet = q;
	use_journal = sd_booted() > 0 &&
		(getenv("INVOCATION_ID") || stderr_is_journal() ||
		 stderr_is_journal_socket());
}

static const char *prio_label(int prio)
{
	if (prio <= LOG_ERR)
		return "error: ";
	if (prio == LOG_WARNING)
		return "warning: ";
	return "";
}

static void to_stderr(int prio, const char *msg)
{
	if (quiet && prio >= LOG_INFO)
		return;
	fprintf(stderr, "fw-persist: %s%s\n", prio_label(prio), msg);
}

static void add_iov(struct iovec *iov, size_t *n, struct fw_buf *b,
		    const char *fmt, ...) FW_PRINTF(4, 5);

/* Each field gets its own buffer so the iovecs stay valid. */
static void add_iov(struct iovec *iov, size_t *n, struct fw_buf *b,
		    const char *fmt, ...)
{
	va_list ap;
	char *s;
	int len;

	va_start(ap, fmt);
	len = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (len < 0)
		FW_BUG("vasprintf failed");
	fw_buf_release(&b[*n]);
	b[*n].buf = s;
	b[*n].len = len;
	iov[*n].iov_base = s;
	iov[*n].iov_len = len;
	(*n)++;
}

static void emit(int prio, const char *file, unsigned line, unsigned col,
		 const char *msg)
{
	struct fw_buf b[6] = { FW_BUF_INIT, FW_BUF_INIT, FW_BUF_INIT,
			       FW_BUF_INIT, FW_BUF_INIT, FW_BUF_INIT };
	struct iovec iov[6];
	size_t n = 0, i;
	int ret;

	if (!use_journal) {
		to_stderr(prio, msg);
		return;
	}
	add_iov(iov, &n, b, "MESSAGE=%s", msg);
	add_iov(iov, &n, b, "PRIORITY=%d", prio);
	add_iov(iov, &n, b, "SYSLOG_IDENTIFIER=fw-persist");
	if (file)
		add_iov(iov, &n, b, "FW_FILE=%s", file);
	if (file && line) {
		add_iov(iov, &n, b, "FW_LINE=%u", line);
		add_iov(iov, &n, b, "FW_COL=%u", col);
	}
	ret = sd_journal_sendv(iov, n);
	for (i = 0; i < n; i++)
		fw_buf_release(&b[i]);
	if (ret < 0)
		to_stderr(prio, msg);
}

static void vlog_at(int prio, const char *file, unsigned line, unsigned col,
		    const char *fmt, va_list ap) FW_PRINTF(5, 0);

static void vlog_at(int prio, const char *file, unsigned line, unsigned col,
		    const char *fmt, va_list ap)
{
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		FW_BUG("vasprintf failed");
	emit(prio, file, line, col, msg);
	free(msg);
}

void fw_log(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog_at(prio, NULL, 0, 0, fmt, ap);
	va_end(ap);
}

void fw_log_at(int prio, const char *file, unsigned line, unsigned col,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog_at(prio, file, line, col, fmt, ap);
	va_end(ap);
}

/*
 * "FILE:LINE:COL: error: MSG": split off FILE, LINE and COL. The file name
 * may hold colons, so parse from the severity backwards.
 */
static bool parse_loc(const char *s, char **file, unsigned *line,
		      unsigned *col, int *prio)
{
	const char *sev = strstr(s, ": error: ");
	const char *p;

	*prio = LOG_ERR;
	if (!sev) {
		sev = strstr(s, ": warning: ");
		*prio = LOG_WARNING;
	}
	if (!sev)
		return false;
	p = sev;
	while (p > s && p[-1] >= '0' && p[-1] <= '9')
		p--;
	if (p == sev || p == s || p[-1] != ':')
		return false;
	*col = strtoul(p, NULL, 10);
	p--;
	while (p > s && p[-1] >= '0' && p[-1] <= '9')
		p--;
	if (p == s || p[-1] != ':')
		return false;
	*line = strtoul(p, NULL, 10);
	*file = xstrndup(s, p - 1 - s);
	return true;
}

struct pending {
	struct fw_buf msg;
	char *file;
	unsigned line, col;
	int prio;
};

static void pending_flush(struct pending *p)
{
	if (p->msg.len) {
		p->msg.buf[--p->msg.len] = '\0';
		emit(p->prio, p->file, p->line, p->col, p->msg.buf);
	}
	fw_buf_reset(&p->msg);
	free(p->file);
	p->file = NULL;
	p->prio = LOG_ERR;
}

/*
 * One journal entry per message: a "FILE:LINE:COL: error:" line starts
 * one, the lines after it (the source line, the caret) belong to it.
 */
static void errs_to_journal(char *text)
{
	struct pending p = { FW_BUF_INIT, NULL, 0, 0, LOG_ERR };
	struct pending loc = { FW_BUF_INIT, NULL, 0, 0, LOG_ERR };
	char *nl, *s;

	for (s = text; *s; s = nl) {
		nl = s + strcspn(s, "\n");
		if (*nl)
			*nl++ = '\0';
		if (parse_loc(s, &loc.file, &loc.line, &loc.col, &loc.prio)) {
			pending_flush(&p);
			p.file = loc.file;
			p.line = loc.line;
			p.col = loc.col;
			p.prio = loc.prio;
		}
		fw_buf_addstr(&p.msg, s);
		fw_buf_addch(&p.msg, '\n');
	}
	pending_flush(&p);
	fw_buf_release(&p.msg);
}

void fw_log_errs(const struct fw_errs *errs)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	if (!use_journal) {
		if (!quiet || fw_errs_count(errs))
			fw_errs_print(errs, stderr);
		return;
	}
	fp = open_memstream(&text, &len);
	if (!fp)
		FW_BUG("open_memstream failed");
	fw_errs_print(errs, fp);
	fclose(fp);
	errs_to_journal(text);
	free(text);
}

void fw_notify(bool ready, const char *fmt, ...)
{
	struct fw_buf b = FW_BUF_INIT;
	va_list ap;
	char *status;

	va_start(ap, fmt);
	if (vasprintf(&status, fmt, ap) < 0)
		FW_BUG("vasprintf failed");
	va_end(ap);
	if (ready)
		fw_buf_addstr(&b, "READY=1\n");
	fw_buf_addf(&b, "STATUS=%s", status);
	if (sd_notify(0, b.buf) > 0 && ready)
		sd_notify_barrier(0, 5 * 1000000ULL);
	free(status);
	fw_buf_release(&b);
}
