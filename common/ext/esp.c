/* SPDX-License-Identifier: GPL-2.0-or-later */
/* esp match: --espspi SPI[:SPI] */
#include "base.h"

#include <linux/netfilter/xt_esp.h>

#include "ext.h"

enum { O_ESPSPI };

static const struct fw_opt esp_opts[] = {
	{ "espspi", O_ESPSPI, 1, FW_OPT_INV },
	{ NULL },
};

static void esp_init(struct fw_xt *x, const struct fw_rule *r)
{
	((struct xt_esp *)x->data)->spis[1] = UINT32_MAX;
}

static int esp_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct xt_esp *info = (struct xt_esp *)p->xt->data;
	uint64_t lo, hi;

	if (fw_parse_range(p, argv[0], UINT32_MAX, &lo, &hi))
		return -1;
	info->spis[0] = lo;
	info->spis[1] = hi;
	if (p->inv)
		info->invflags |= XT_ESP_INV_SPI;
	return 0;
}

static void esp_print(const struct fw_xt *x, const struct fw_rule *r,
		      struct fw_pr *pr)
{
	const struct xt_esp *info = (const struct xt_esp *)x->data;
	bool inv = info->invflags & XT_ESP_INV_SPI;

	/* an inverted full range never matches: print it, as 1.8.11 */
	if (info->spis[0] == 0 && info->spis[1] == UINT32_MAX && !inv)
		return;
	if (info->spis[0] == info->spis[1])
		fw_pr_val(pr, inv, "espspi", "%u", info->spis[0]);
	else
		fw_pr_val(pr, inv, "espspi", "%u:%u", info->spis[0],
			  info->spis[1]);
}

static const struct fw_case esp_tests[] = {
	{ "--espspi 0", "=", FW_OK, 0, "-p esp" },
	{ "--espspi :32", "--espspi 0:32", FW_OK, 0, "-p esp" },
	{ "--espspi 0:4294967295", "", FW_OK, 0, "-p esp" },
	{ "! --espspi :", "! --espspi 0:4294967295", FW_OK, 0, "-p esp" },
	{ "! --espspi 0:4294967294", "=", FW_OK, 0, "-p esp" },
	{ "--espspi 4:", "--espspi 4:4294967295", FW_OK, 0, "-p esp" },
	{ "--espspi 4:4", "--espspi 4", FW_OK, 0, "-p esp" },
	{ "", "=", FW_OK, 0, "-p esp" },
	{ "--espspi -1", NULL, FW_FAIL, 0, "-p esp" },
	{ "--espspi 1:2:3", NULL, FW_FAIL, 0, "-p esp" },
	{ NULL },
};

const struct fw_ext fw_ext_esp = {
	.name = "esp",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_esp),
	.opts = esp_opts,
	.init = esp_init,
	.parse = esp_parse,
	.print = esp_print,
	.tests = esp_tests,
};
