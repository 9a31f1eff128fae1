/* SPDX-License-Identifier: GPL-2.0-or-later */
/* LED target: --led-trigger-id, --led-delay, --led-always-blink */
#include "base.h"

#include <stdio.h>
#include <string.h>

#include <linux/netfilter/xt_LED.h>

#include "ext.h"

/* The kernel's trigger name is this prefix and the given id. */
#define LED_PREFIX "netfilter-"

enum { O_ID, O_DELAY, O_BLINK };

static const struct fw_opt led_opts[] = {
	{ "led-trigger-id", O_ID, 1, FW_OPT_STR },
	{ "led-delay", O_DELAY, 1, 0 },
	{ "led-always-blink", O_BLINK, 0, 0 },
	{ NULL },
};

static int led_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct xt_led_info *l = (struct xt_led_info *)p->xt->data;
	uint64_t v;

	switch (o->id) {
	case O_ID:
		if (strlen(argv[0]) > sizeof(l->id) - sizeof(LED_PREFIX))
			return fw_error(p->errs, p->loc, "LED trigger id '%s' "
					"longer than %zu characters", argv[0],
					sizeof(l->id) - sizeof(LED_PREFIX));
		snprintf(l->id, sizeof(l->id), LED_PREFIX "%s", argv[0]);
		break;
	case O_DELAY:
		/* "-1" is how iptables-save prints "inf": take it back */
		if (!strncasecmp(argv[0], "inf", 3) || !strcmp(argv[0], "-1"))
			v = 0xffffffff;
		else if (fw_parse_uint(p, argv[0], 0xffffffff, &v))
			return -1;
		l->delay = v;
		break;
	case O_BLINK:
		l->always_blink = 1;
		break;
	}
	return 0;
}

static int led_check(struct fw_pctx *p)
{
	if (!(p->xt->seen & 1u << O_ID))
		return fw_error(p->errs, p->loc,
				"LED needs '--led-trigger-id'");
	return 0;
}

static void led_print(const struct fw_xt *x, const struct fw_rule *r,
		      struct fw_pr *pr)
{
	const struct xt_led_info *l = (const struct xt_led_info *)x->data;
	char id[sizeof(l->id) + 1];
	size_t skip = strlen(LED_PREFIX);

	snprintf(id, sizeof(id), "%.*s", (int)sizeof(l->id), l->id);
	fw_pr_qstr(pr, false, "led-trigger-id",
		   strlen(id) >= skip ? id + skip : "");
	/* signed, as 1.8.9 prints it: "inf" comes back as -1 */
	if (l->delay)
		fw_pr_val(pr, false, "led-delay", "%d", (int)l->delay);
	if (l->always_blink)
		fw_pr_flag(pr, false, "led-always-blink");
}

static const struct fw_case led_tests[] = {
	{ "--led-trigger-id foo", "--led-trigger-id \"foo\"", FW_OK, 0, NULL },
	{ "--led-trigger-id \"foo\" --led-delay 42 --led-always-blink", "=",
	  FW_OK, 0, NULL },
	{ "--led-delay 0 --led-trigger-id 0123456789abcdef",
	  "--led-trigger-id \"0123456789abcdef\"", FW_OK, 0, NULL },
	{ "--led-trigger-id x --led-delay 2147483648",
	  "--led-trigger-id \"x\" --led-delay -2147483648", FW_OK, 0, NULL },
	{ "--led-trigger-id 0123456789abcdefg", NULL, FW_FAIL, 0, NULL },
	{ "--led-trigger-id x --led-delay INFINITY",
	  "--led-trigger-id \"x\" --led-delay -1", FW_OK, 0, NULL },
	{ "--led-trigger-id x --led-delay -1",
	  "--led-trigger-id \"x\" --led-delay -1", FW_OK, 0, NULL },
	{ "--led-trigger-id x --led-delay -2", NULL, FW_FAIL, 0, NULL },
	{ "--led-delay 1", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_led = {
	.name = "LED",
	.kind = FW_EXT_TARGET,
	.size = sizeof(struct xt_led_info),
	.opts = led_opts,
	.parse = led_parse,
	.check = led_check,
	.print = led_print,
	.tests = led_tests,
};
