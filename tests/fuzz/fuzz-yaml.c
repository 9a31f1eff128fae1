/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz target: the YAML parser (docs/yaml.md), then the printer and the
 * encoder on every rule it accepts, as fuzz-text.c does for the text form.
 */
#include "base.h"

#include <string.h>

#include <libnftnl/rule.h>

#include "cmd.h"
#include "codec.h"
#include "print.h"
#include "yaml.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct fw_input in = { .name = (char *)"fuzz" };
	struct fw_errs *errs = fw_errs_new();
	FILE *devnull = fopen("/dev/null", "w");

	in.data = xmalloc(len + 1);
	memcpy(in.data, data, len);
	in.data[len] = '\0';
	in.len = len;
	fw_parse_yaml(&in, FW_P_COUNTERS, NULL, on_cmd, NULL, errs);
	fw_errs_print(errs, devnull);
	fclose(devnull);
	fw_errs_free(errs);
	free(in.data);
	return 0;
}
