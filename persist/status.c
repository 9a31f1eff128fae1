/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fw-persist status and diff: is the live ruleset the saved one? */
#include "base.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "persist.h"

static const int fam_num[FW_NFAMILIES] = { 4, 6 };

/*
 * The text that is compared: no '#' lines, no blank lines, and counters
 * zeroed, since they change all the time and are saved only on request.
 */
static void normalize_line(struct fw_buf *b, const char *s, size_t n)
{
	const char *c;

	if (n == 0 || *s == '#')
		return;
	if (*s == '[' && (c = memchr(s, ']', n)) && c + 1 < s + n &&
	    c[1] == ' ') {
		n -= c + 2 - s;
		s = c + 2;
	}
	if (*s == ':' && n > 2 && s[n - 1] == ']' &&
	    (c = memrchr(s, '[', n)) && c > s && c[-1] == ' ') {
		fw_buf_add(b, s, c - s);
		fw_buf_addstr(b, "[0:0]\n");
		return;
	}
	fw_buf_add(b, s, n);
	fw_buf_addch(b, '\n');
}

static int block_cmp(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;

	return strcmp(*x, *y);
}

/*
 * Tables in name order: the kernel lists them in the order they were
 * made, which need not be the order of the saved file.
 */
static char *sort_tables(char *text)
{
	struct fw_buf out = FW_BUF_INIT;
	char **blocks = NULL, *s;
	size_t n = 0, i;

	for (s = text; *s; s = strchr(s, '\n') + 1) {
		if (*s == '*' || n == 0) {
			blocks = xrealloc(blocks, (n + 1) * sizeof(*blocks));
			blocks[n++] = s;
		}
	}
	for (i = 1; i < n; i++)
		blocks[i][-1] = '\0';
	if (n > 1)
		qsort(blocks, n, sizeof(*blocks), block_cmp);
	fw_buf_addstr(&out, "");
	for (i = 0; i < n; i++) {
		fw_buf_addstr(&out, blocks[i]);
		if (out.len && out.buf[out.len - 1] != '\n')
			fw_buf_addch(&out, '\n');
	}
	free(blocks);
	free(text);
	return out.buf;
}

static char *normalize(const char *text, size_t len)
{
	struct fw_buf b = FW_BUF_INIT;
	const char *s, *e, *nl, *end = text + len;

	fw_buf_addstr(&b, "");
	for (s = text; s < end; s = nl + 1) {
		nl = memchr(s, '\n', end - s);
		if (!nl)
			nl = end;
		for (e = nl; e > s && (e[-1] == ' ' || e[-1] == '\r'); e--)
			;
		normalize_line(&b, s, e - s);
	}
	return sort_tables(b.buf);
}

struct pair {
	char *path;		/* the saved file, physical */
	char *saved, *live;	/* normalized */
};

static int load_pair(const struct fw_pconf *c, int f, struct pair *p)
{
	struct fw_input in;
	char *text = NULL;
	size_t len;
	int r;

	p->path = fw_pconf_path(c, c->rules[f]);
	p->saved = p->live = NULL;
	r = fw_rules_load(&in, p->path, fam_num[f]);
	if (r < 0)
		return FW_P_RULES;
	p->saved = r == 1 ? xstrdup("") : normalize(in.data, in.len);
	if (r == 0)
		fw_input_release(&in);
	if (fw_rules_dump(&text, &len, fam_num[f], FW_S_NO_TIMESTAMP))
		r = -1;
	else
		p->live = normalize(text, len);
	free(text);
	return r < 0 ? FW_P_FAILURE : FW_P_OK;
}

static void pair_release(struct pair *p)
{
	free(p->path);
	free(p->saved);
	free(p->live);
}

static bool pair_same(const struct pair *p)
{
	return strcmp(p->saved, p->live) == 0;
}

int fw_cmd_status(const struct fw_pconf *c, const struct fw_popts *o)
{
	struct pair p;
	int f, r, ret = FW_P_OK;

	for (f = 0; f < FW_NFAMILIES; f++) {
		r = load_pair(c, f, &p);
		if (r != FW_P_OK) {
			printf("IPv%d: error\n", fam_num[f]);
			ret = r;
		} else if (pair_same(&p)) {
			printf("IPv%d: same as '%s'\n", fam_num[f], p.path);
		} else {
			printf("IPv%d: differs from '%s'\n", fam_num[f],
			       p.path);
			if (ret == FW_P_OK)
				ret = FW_P_DIFFERS;
		}
		pair_release(&p);
	}
	return ret;
}

static int memfd_with(const char *name, const char *text)
{
	int fd = memfd_create(name, 0);
	size_t len = strlen(text), off = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while (off < len) {
		n = write(fd, text + off, len - off);
		if (n <= 0) {
			close(fd);
			return -1;
		}
		off += n;
	}
	return fd;
}

static int run_diff(const struct pair *p, int family)
{
	int fa = memfd_with("saved", p->saved);
	int fb = memfd_with("live", p->live);
	char la[4096], lb[64], pa[32], pb[32];
	int status = -1;
	pid_t pid;

	snprintf(la, sizeof(la), "saved %s", p->path);
	snprintf(lb, sizeof(lb), "live IPv%d", family);
	snprintf(pa, sizeof(pa), "/dev/fd/%d", fa);
	snprintf(pb, sizeof(pb), "/dev/fd/%d", fb);
	fflush(stdout);
	pid = fa < 0 || fb < 0 ? -1 : fork();
	if (pid == 0) {
		execlp("diff", "diff", "-u", "--label", la, "--label", lb, pa,
		       pb, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
		fw_log(LOG_ERR, "cannot run diff(1)");
		return FW_P_FAILURE;
	}
	return FW_P_DIFFERS;
}

int fw_cmd_diff(const struct fw_pconf *c, const struct fw_popts *o)
{
	struct pair p;
	int f, r, ret = FW_P_OK;

	for (f = 0; f < FW_NFAMILIES; f++) {
		r = load_pair(c, f, &p);
		if (r == FW_P_OK && !pair_same(&p))
			r = run_diff(&p, fam_num[f]);
		if (r != FW_P_OK && (ret == FW_P_OK || ret == FW_P_DIFFERS))
			ret = r;
		pair_release(&p);
	}
	return ret;
}
