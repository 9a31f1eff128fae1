/* SPDX-License-Identifier: GPL-2.0-or-later */
/* string match: --string, --hex-string, --algo, --from, --to, --icase */
#include "base.h"

#include <ctype.h>
#include <string.h>

#include <linux/netfilter/xt_string.h>

#include "ext.h"

enum { O_FROM, O_TO, O_ALGO, O_ICASE, O_STRING, O_HEX };

static const struct fw_opt string_opts[] = {
	{ "from", O_FROM, 1, 0 },
	{ "to", O_TO, 1, 0 },
	{ "algo", O_ALGO, 1, 0 },
	{ "string", O_STRING, 1, FW_OPT_INV | FW_OPT_STR },
	{ "hex-string", O_HEX, 1, FW_OPT_INV | FW_OPT_STR },
	{ "icase", O_ICASE, 0, 0 },
	{ NULL },
};

static void string_init(struct fw_xt *x, const struct fw_rule *r)
{
	((struct xt_string_info *)x->data)->to_offset = UINT16_MAX;
}

static unsigned hex_val(char c)
{
	return c <= '9' ? (unsigned)(c - '0') : (unsigned)((c | 0x20) - 'a' + 10);
}

static int hex_byte(const char *s, uint8_t *v)
{
	if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
		return -1;
	*v = hex_val(s[0]) << 4 | hex_val(s[1]);
	return 0;
}

/*
 * The --hex-string syntax of libxt_string: text, "|hex digits|" blocks
 * (a blank may follow the opening bar and each digit pair) and "\c" for
 * a literal c outside the blocks. Quirks kept: a bar right after a
 * closing bar is taken literally.
 */
static int parse_hex(struct fw_pctx *p, const char *s,
		     struct xt_string_info *info)
{
	size_t i = 0, n = strlen(s), k = 0;
	bool hex = false;
	const char *why;

	if (!n)
		return fw_error(p->errs, p->loc, "empty '--hex-string'");
	while (i < n) {
		/* a full pattern may still end in its closing bar */
		if (k >= XT_STRING_MAX_PATTERN_SIZE &&
		    !(hex && s[i] == '|' && i + 1 == n)) {
			why = "too long";
			goto bad;
		}
		if (s[i] == '\\' && hex) {
			why = "has a literal inside a hex block";
			goto bad;
		}
		if (s[i] == '\\') {
			if (i + 1 >= n) {
				why = "ends in a lone '\\'";
				goto bad;
			}
			info->pattern[k++] = s[i + 1];
			i += 2;
			continue;
		}
		if (s[i] == '|') {
			hex = !hex;
			while (hex && s[i + 1] == ' ')
				i++;
			if (i + 1 >= n)
				break;
			i++;
		}
		if (!hex) {
			info->pattern[k++] = s[i++];
			continue;
		}
		if (i + 2 >= n) {
			why = "has an unterminated hex block";
			goto bad;
		}
		if (hex_byte(s + i, (uint8_t *)&info->pattern[k++])) {
			why = "has an invalid hex digit";
			goto bad;
		}
		i += s[i + 2] == ' ' ? 3 : 2;
	}
	info->patlen = k;
	return 0;
bad:
	return fw_error(p->errs, p->loc, "'--hex-string' %s", why);
}

static int string_parse(struct fw_pctx *p, const struct fw_opt *o,
			char **argv)
{
	struct xt_string_info *info = (struct xt_string_info *)p->xt->data;
	uint64_t v;

	switch (o->id) {
	case O_FROM:
	case O_TO:
		if (fw_parse_uint(p, argv[0], UINT16_MAX, &v))
			return -1;
		*(o->id == O_FROM ? &info->from_offset : &info->to_offset) = v;
		return 0;
	case O_ALGO:
		/* printed as it is; the kernel knows bm, kmp, fsm */
		if (fw_parse_word(p, "algorithm", argv[0]))
			return -1;
		snprintf(info->algo, sizeof(info->algo), "%s", argv[0]);
		return 0;
	case O_ICASE:
		info->u.v1.flags |= XT_STRING_FLAG_IGNORECASE;
		return 0;
	}
	if (p->xt->seen & (1u << O_STRING) && p->xt->seen & (1u << O_HEX))
		return fw_error(p->errs, p->loc, "'--string' and "
				"'--hex-string' exclude each other");
	if (p->inv)
		info->u.v1.flags |= XT_STRING_FLAG_INVERT;
	if (o->id == O_HEX)
		return parse_hex(p, argv[0], info);
	if (strlen(argv[0]) > XT_STRING_MAX_PATTERN_SIZE)
		return fw_error(p->errs, p->loc,
				"'--string' is longer than %d bytes",
				XT_STRING_MAX_PATTERN_SIZE);
	info->patlen = strlen(argv[0]);
	memcpy(info->pattern, argv[0], info->patlen);
	return 0;
}

static int string_check(struct fw_pctx *p)
{
	if (!(p->xt->seen & (1u << O_STRING | 1u << O_HEX)))
		return fw_error(p->errs, p->loc, "string match needs "
				"'--string' or '--hex-string'");
	if (!(p->xt->seen & 1u << O_ALGO))
		return fw_error(p->errs, p->loc, "string match needs '--algo'");
	return 0;
}

/* Printable text is shown as --string, anything else as --hex-string. */
static bool needs_hex(const char *s, unsigned len)
{
	unsigned i;

	for (i = 0; i < len; i++)
		if (!isprint((unsigned char)s[i]))
			return true;
	return len && s[len - 1] == '\\';
}

static void string_print(const struct fw_xt *x, const struct fw_rule *r,
			 struct fw_pr *pr)
{
	const struct xt_string_info *info =
		(const struct xt_string_info *)x->data;
	bool inv = info->u.v1.flags & XT_STRING_FLAG_INVERT;
	unsigned len = info->patlen < XT_STRING_MAX_PATTERN_SIZE ?
		       info->patlen : XT_STRING_MAX_PATTERN_SIZE;
	char buf[2 * XT_STRING_MAX_PATTERN_SIZE + 3];
	unsigned i, n = 0;

	if (needs_hex(info->pattern, len)) {
		buf[n++] = '|';
		for (i = 0; i < len; i++)
			n += sprintf(buf + n, "%02x",
				     (unsigned char)info->pattern[i]);
		buf[n++] = '|';
		buf[n] = '\0';
		fw_pr_qstr(pr, inv, "hex-string", buf);
	} else {
		memcpy(buf, info->pattern, len);
		buf[len] = '\0';
		fw_pr_qstr(pr, inv, "string", buf);
	}
	fw_pr_val(pr, false, "algo", "%.*s", (int)sizeof(info->algo),
		  info->algo);
	if (info->from_offset)
		fw_pr_val(pr, false, "from", "%u", info->from_offset);
	if (info->to_offset != UINT16_MAX)
		fw_pr_val(pr, false, "to", "%u", info->to_offset);
	if (info->u.v1.flags & XT_STRING_FLAG_IGNORECASE)
		fw_pr_flag(pr, false, "icase");
}

static const struct fw_case string_tests[] = {
	{ "--algo bm --string test", "--string \"test\" --algo bm", FW_OK, 0,
	  NULL },
	{ "! --string \"a \\\"b\\\\c'\" --algo kmp",
	  "! --string \"a \\\"b\\\\c'\" --algo kmp", FW_OK, 0, NULL },
	{ "--string x\\ --algo kmp", "--hex-string \"|785c|\" --algo kmp",
	  FW_OK, 0, NULL },
	{ "--hex-string |0a0a0a0a| --algo bm", "--hex-string \"|0a0a0a0a|\" "
	  "--algo bm", FW_OK, 0, NULL },
	{ "--hex-string \"ab|63 64|e\\\\|f\" --algo bm",
	  "--string \"abcde|f\" --algo bm", FW_OK, 0, NULL },
	{ "--hex-string \"| 41|\" --algo bm", "--string \"A\" --algo bm",
	  FW_OK, 0, NULL },
	{ "--string a --algo bm --from 1 --to 2 --icase",
	  "--string \"a\" --algo bm --from 1 --to 2 --icase", FW_OK, 0, NULL },
	{ "--string a --algo bm --from 0 --to 65535",
	  "--string \"a\" --algo bm", FW_OK, 0, NULL },
	{ "--string a --hex-string |41| --algo bm", NULL, FW_FAIL, 0, NULL },
	/* found by fuzzing: a full 128-byte pattern prints, then loads */
	{ "--hex-string \"|"
	  "6161616161616161616161616161616161616161616161616161616161616161"
	  "6161616161616161616161616161616161616161616161616161616161616161"
	  "6161616161616161616161616161616161616161616161616161616161616161"
	  "6161616161616161616161616161616161616161616161616161616161616101"
	  "|\" --algo bm", "=", FW_OK, 0, NULL },
	{ "--hex-string \"|"
	  "6161616161616161616161616161616161616161616161616161616161616161"
	  "6161616161616161616161616161616161616161616161616161616161616161"
	  "6161616161616161616161616161616161616161616161616161616161616161"
	  "6161616161616161616161616161616161616161616161616161616161616161"
	  "61|\" --algo bm",
	  NULL, FW_FAIL, 0, NULL },
	{ "--hex-string \"|"
	  "6161616161616161616161616161616161616161616161616161616161616161"
	  "6161616161616161616161616161616161616161616161616161616161616161"
	  "6161616161616161616161616161616161616161616161616161616161616161"
	  "6161616161616161616161616161616161616161616161616161616161616161"
	  "|a\" --algo bm", NULL, FW_FAIL, 0, NULL },
	{ "--hex-string |4| --algo bm", NULL, FW_FAIL, 0, NULL },
	/* found by fuzzing: saved as two words */
	{ "--string a --algo \"b m\"", NULL, FW_FAIL, 0, NULL },
	{ "--hex-string |4g| --algo bm", NULL, FW_FAIL, 0, NULL },
	{ "--hex-string |41 --algo bm", NULL, FW_FAIL, 0, NULL },
	{ "--hex-string |4\\1| --algo bm", NULL, FW_FAIL, 0, NULL },
	{ "--string a --algo bm --to 65536", NULL, FW_FAIL, 0, NULL },
	{ "--string a", NULL, FW_FAIL, 0, NULL },
	{ "--algo bm", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_string = {
	.name = "string",
	.kind = FW_EXT_MATCH,
	.revision = 1,
	.size = sizeof(struct xt_string_info),
	.opts = string_opts,
	.init = string_init,
	.parse = string_parse,
	.check = string_check,
	.print = string_print,
	.tests = string_tests,
};
