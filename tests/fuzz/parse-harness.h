/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What fuzz-text.c and fuzz-yaml.c share: the input as a NUL-terminated
 * fw_input, every rule the parser accepts printed and encoded (all of it
 * must hold), and the error messages printed (to /dev/null).
 */
#ifndef FW_FUZZ_PARSE_HARNESS_H
#define FW_FUZZ_PARSE_HARNESS_H

#include "base.h"

#include <stdio.h>
#include <string.h>

#include <libnftnl/rule.h>

#include "cmd.h"
#include "codec.h"
#include "print.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static int on_cmd(const struct fw_cmd *c, void *unused)
{
	struct fw_buf b = FW_BUF_INIT;
	struct nftnl_rule *nr;
	struct fw_errs *errs;

	if (!c->rule)
		return 0;
	fw_rule_print(c->rule, &b);
	fw_buf_release(&b);
	errs = fw_errs_new();
	nr = nftnl_rule_alloc();
	fw_rule_encode(c->rule, nr, NULL, errs);
	nftnl_rule_free(nr);
	fw_errs_free(errs);
	return 0;
}

/* Run parse (which calls on_cmd for each command) over the input. */
static void fuzz_parse(const uint8_t *data, size_t len,
		       void (*parse)(const struct fw_input *in,
				     struct fw_errs *errs))
{
	struct fw_input in = { .name = (char *)"fuzz" };
	struct fw_errs *errs = fw_errs_new();
	FILE *devnull = fopen("/dev/null", "w");

	in.data = xmalloc(len + 1);
	memcpy(in.data, data, len);
	in.data[len] = '\0';
	in.len = len;
	parse(&in, errs);
	fw_errs_print(errs, devnull);
	fclose(devnull);
	fw_errs_free(errs);
	free(in.data);
}

#endif
