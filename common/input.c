/* SPDX-License-Identifier: GPL-2.0-or-later */
/* reading an input file whole (a retry re-parses it from memory) */
#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"

/*
 * Big inputs need not stay in memory while a restore builds its batch (the
 * batch is the memory that matters). An input read from a regular file
 * gets an anonymous mapping of its own, and the file stays open: once
 * fw_input_set_droppable() allows it, the text parser gives back the pages
 * it has passed (fw_input_passed(); they then read as zeros) and
 * fw_input_reload() reads them again, refusing a file changed meanwhile.
 * Inputs not made by fw_input_read() (tests, fw-persist's own buffers)
 * are never touched: the table below is keyed by the data pointer.
 */
#define FW_INPUT_MAPS 4

static struct input_map {
	char *data;		/* NULL: free slot */
	size_t len, cap;	/* file bytes; mapping size */
	size_t dropped;		/* bytes from data given back */
	int fd;
	struct stat st;		/* at read time, to notice changes */
	bool droppable;
} maps[FW_INPUT_MAPS];

static struct input_map *find_map(const char *data)
{
	unsigned i;

	for (i = 0; data && i < FW_INPUT_MAPS; i++)
		if (maps[i].data == data)
			return &maps[i];
	return NULL;
}

static int read_all(int fd, char *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = pread(fd, buf + done, len - done, (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* A regular file of known size into a mapping: 0, or -1 to read it plainly. */
static int read_mapped(struct fw_input *in, int fd)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), len, cap;
	struct input_map *m = NULL;
	unsigned i;
	char c;

	for (i = 0; i < FW_INPUT_MAPS && !m; i++)
		if (!maps[i].data)
			m = &maps[i];
	if (!m || fstat(fd, &m->st) < 0 || !S_ISREG(m->st.st_mode) ||
	    m->st.st_size <= 0)
		return -1;
	len = (size_t)m->st.st_size;
	cap = (len + page) / page * page;	/* room for the NUL */
	m->data = mmap(NULL, cap, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m->data == MAP_FAILED) {
		m->data = NULL;
		return -1;
	}
	/* the whole file, and nothing after it (it did not grow) */
	if (read_all(fd, m->data, len) < 0 ||
	    pread(fd, &c, 1, (off_t)len) != 0) {
		munmap(m->data, cap);
		m->data = NULL;
		return -1;
	}
	m->len = len;
	m->cap = cap;
	m->dropped = 0;
	m->fd = fd;
	m->droppable = false;
	in->data = m->data;
	in->len = len;
	return 0;
}

void fw_input_set_droppable(const struct fw_input *in, bool on)
{
	struct input_map *m = find_map(in->data);

	if (m)
		m->droppable = on;
}

void fw_input_passed(const struct fw_input *in, const char *upto)
{
	struct input_map *m = find_map(in->data);
	size_t page = (size_t)sysconf(_SC_PAGESIZE), off;

	if (!m || !m->droppable || upto < m->data ||
	    upto > m->data + m->len)
		return;
	off = (size_t)(upto - m->data) / page * page;
	if (off <= m->dropped)
		return;
	madvise(m->data + m->dropped, off - m->dropped, MADV_DONTNEED);
	m->dropped = off;
}

int fw_input_reload(const struct fw_input *in)
{
	struct input_map *m = find_map(in->data);
	struct stat st;

	if (!m || !m->dropped)
		return 0;
	if (fstat(m->fd, &st) < 0)
		return -1;
	if (st.st_size != m->st.st_size ||
	    st.st_mtim.tv_sec != m->st.st_mtim.tv_sec ||
	    st.st_mtim.tv_nsec != m->st.st_mtim.tv_nsec) {
		errno = ESTALE;
		return -1;
	}
	if (read_all(m->fd, m->data, m->dropped) < 0) {
		errno = errno ? errno : EIO;
		return -1;
	}
	m->dropped = 0;
	return 0;
}

int fw_input_read(struct fw_input *in, const char *path, int family,
		  struct fw_errs *errs)
{
	bool is_stdin = !path || !strcmp(path, "-");
	int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	struct fw_buf b = FW_BUF_INIT;
	ssize_t n;

	memset(in, 0, sizeof(*in));
	in->name = xstrdup(is_stdin ? "<stdin>" : path);
	in->family = family;
	if (fd < 0)
		return fw_error(errs, NULL, "cannot open '%s': %s", path,
				strerror(errno));
	if (!is_stdin && read_mapped(in, fd) == 0)
		return 0;
	for (;;) {
		fw_buf_grow(&b, 65536);
		n = read(fd, b.buf + b.len, b.alloc - b.len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		b.len += n;
	}
	if (!is_stdin)
		close(fd);
	if (n < 0) {
		fw_buf_release(&b);
		return fw_error(errs, NULL, "cannot read '%s': %s", in->name,
				strerror(errno));
	}
	fw_buf_grow(&b, 0);
	b.buf[b.len] = '\0';
	in->data = b.buf;
	in->len = b.len;
	return 0;
}

void fw_input_release(struct fw_input *in)
{
	struct input_map *m = find_map(in->data);

	free(in->name);
	if (m) {
		munmap(m->data, m->cap);
		close(m->fd);
		m->data = NULL;
	} else {
		free(in->data);
	}
	in->name = in->data = NULL;
	in->len = 0;
}
