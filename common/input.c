/* SPDX-License-Identifier: GPL-2.0-or-later */
/* reading an input file whole (a retry re-parses it from memory) */
#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"

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
	free(in->name);
	free(in->data);
	in->name = in->data = NULL;
	in->len = 0;
}
