/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bpf match (revision 1): --bytecode PROGRAM or --object-pinned PATH */
#include "base.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <linux/netfilter/xt_bpf.h>

#include "ext.h"

enum { O_BYTECODE, O_PINNED };

static const struct fw_opt bpf_opts[] = {
	{ "bytecode", O_BYTECODE, 1, FW_OPT_STR },
	{ "object-pinned", O_PINNED, 1, 0 },
	{ NULL },
};

/* "N,code jt jf k,code jt jf k,...", read with the sscanf formats of 1.8.9. */
static int bpf_bytecode(struct fw_pctx *p, const char *s,
			struct xt_bpf_info_v1 *b)
{
	struct sock_filter *pc = b->bpf_program;
	const char *tok = s;
	unsigned short len;
	char sep;
	int i = 0;

	if (sscanf(s, "%hu%c", &len, &sep) != 2 || sep != ',')
		return fw_error(p->errs, p->loc, "invalid BPF program length "
				"in '%s'", s);
	if (!len || len > XT_BPF_MAX_NUM_INSTR)
		return fw_error(p->errs, p->loc, "BPF program length %hu not "
				"in 1-%d", len, XT_BPF_MAX_NUM_INSTR);
	while ((tok = strchr(tok, ',')) && (++tok)[0]) {
		if (i >= len)
			return fw_error(p->errs, p->loc, "BPF program longer "
					"than its length %hu", len);
		if (sscanf(tok, "%hu %hhu %hhu %u,", &pc->code, &pc->jt,
			   &pc->jf, &pc->k) != 4)
			return fw_error(p->errs, p->loc, "invalid BPF "
					"instruction %d", i);
		i++;
		pc++;
	}
	if (i != len)
		return fw_error(p->errs, p->loc, "BPF program shorter than its "
				"length %hu", len);
	b->bpf_program_num_elem = len;
	b->mode = XT_BPF_MODE_BYTECODE;
	return 0;
}

/* A pinned object: the kernel takes the fd (left open, as 1.8.9 does). */
static int bpf_pinned(struct fw_pctx *p, const char *path,
		      struct xt_bpf_info_v1 *b)
{
	union bpf_attr attr;

	if (strlen(path) >= sizeof(b->path))
		return fw_error(p->errs, p->loc, "BPF object path too long");
	memset(&attr, 0, sizeof(attr));
	attr.pathname = (uintptr_t)path;
	attr.file_flags = BPF_F_RDONLY;
	b->fd = syscall(__NR_bpf, BPF_OBJ_GET, &attr, sizeof(attr));
	if (b->fd < 0) {
		attr.file_flags = 0;
		b->fd = syscall(__NR_bpf, BPF_OBJ_GET, &attr, sizeof(attr));
	}
	if (b->fd < 0)
		return fw_error(p->errs, p->loc, "cannot open BPF object '%s'",
				path);
	fcntl(b->fd, F_SETFD, FD_CLOEXEC);
	snprintf(b->path, sizeof(b->path), "%s", path);
	b->mode = XT_BPF_MODE_FD_PINNED;
	return 0;
}

static int bpf_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct xt_bpf_info_v1 *b = (struct xt_bpf_info_v1 *)p->xt->data;

	if (o->id == O_BYTECODE)
		return bpf_bytecode(p, argv[0], b);
	return bpf_pinned(p, argv[0], b);
}

static int bpf_check(struct fw_pctx *p)
{
	uint64_t s = p->xt->seen;

	if (s != 1u << O_BYTECODE && s != 1u << O_PINNED)
		return fw_error(p->errs, p->loc, "bpf needs one of "
				"'--bytecode' and '--object-pinned'");
	return 0;
}

static void bpf_print(const struct fw_xt *x, const struct fw_rule *r,
		      struct fw_pr *pr)
{
	const struct xt_bpf_info_v1 *b = (const struct xt_bpf_info_v1 *)x->data;
	char buf[XT_BPF_MAX_NUM_INSTR * 32 + 8];
	size_t n;
	unsigned i;

	if (b->mode == XT_BPF_MODE_FD_PINNED) {
		fw_pr_val(pr, false, "object-pinned", "%.*s",
			  (int)sizeof(b->path), b->path);
		return;
	}
	n = snprintf(buf, sizeof(buf), "%hu", b->bpf_program_num_elem);
	for (i = 0; i < b->bpf_program_num_elem && i < XT_BPF_MAX_NUM_INSTR;
	     i++) {
		const struct sock_filter *pc = &b->bpf_program[i];

		n += snprintf(buf + n, sizeof(buf) - n, ",%hu %hhu %hhu %u",
			      pc->code, pc->jt, pc->jf, pc->k);
	}
	/* always quoted: the program has spaces */
	fw_pr_str(pr, false, "bytecode", buf);
}

static const struct fw_case bpf_tests[] = {
	{ "--bytecode \"4,48 0 0 9,21 0 1 6,6 0 0 1,6 0 0 0\"", "=", FW_OK, 0,
	  NULL },
	{ "--bytecode \"1,6 0 0 65535,\"", "--bytecode \"1,6 0 0 65535\"",
	  FW_OK, 0, NULL },
	{ "--bytecode \"2,6 0 0 1\"", NULL, FW_FAIL, 0, NULL },
	{ "--bytecode \"1,6 0 0 1,6 0 0 0\"", NULL, FW_FAIL, 0, NULL },
	{ "--bytecode \"0,\"", NULL, FW_FAIL, 0, NULL },
	{ "--bytecode \"65,6 0 0 1\"", NULL, FW_FAIL, 0, NULL },
	{ "--bytecode \"1,x\"", NULL, FW_FAIL, 0, NULL },
	{ "--bytecode 1", NULL, FW_FAIL, 0, NULL },
	{ "--object-pinned /nonexistent/fw-test", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_bpf = {
	.name = "bpf",
	.kind = FW_EXT_MATCH,
	.revision = 1,
	.size = sizeof(struct xt_bpf_info_v1),
	.opts = bpf_opts,
	.parse = bpf_parse,
	.check = bpf_check,
	.print = bpf_print,
	.tests = bpf_tests,
};
