/* SPDX-License-Identifier: GPL-2.0-or-later */
/* every registered extension's case table: parse, print, encode, decode */
#include "base.h"

#include <string.h>

#include "ext.h"
#include "unit.h"

static void run_case(const struct fw_ext *e, const struct fw_case *c,
		     int family)
{
	const char *want = c->out && !strcmp(c->out, "=") ? c->in : c->out;
	struct fw_errs *errs = fw_errs_new();
	struct fw_buf spec = FW_BUF_INIT, exp = FW_BUF_INIT;
	struct fw_rule *r, *back;
	char *got;

	fw_buf_addf(&spec, "%s%s%s %s %s", c->pre ? c->pre : "",
		    c->pre && *c->pre ? " " : "",
		    e->kind == FW_EXT_MATCH ? "-m" : "-j", e->name, c->in);
	r = unit_parse(spec.buf, family, errs);
	if (c->verdict == FW_FAIL) {
		CHECK(!r, "%s (v%d): '%s' parsed, should fail", e->name,
		      family == FW_AF_IPV6 ? 6 : 4, spec.buf);
		goto out;
	}
	CHECK(r, "%s (v%d): '%s' failed to parse", e->name,
	      family == FW_AF_IPV6 ? 6 : 4, spec.buf);
	if (!r) {
		fw_errs_print(errs, stderr);
		goto out;
	}
	fw_buf_addf(&exp, "%s%s%s %s%s%s", c->pre ? c->pre : "",
		    c->pre && *c->pre ? " " : "",
		    e->kind == FW_EXT_MATCH ? "-m" : "-j", e->name,
		    *want ? " " : "", want);
	got = unit_print(r);
	CHECK(!strcmp(got, exp.buf), "%s: parse '%s' printed '%s', want '%s'",
	      e->name, spec.buf, got, exp.buf);
	free(got);
	back = unit_roundtrip(r, errs);
	CHECK(back, "%s: '%s' did not survive encode/decode", e->name,
	      spec.buf);
	if (back) {
		got = unit_print(back);
		CHECK(!strcmp(got, exp.buf), "%s: decode of '%s' printed '%s', "
		      "want '%s'", e->name, spec.buf, got, exp.buf);
		free(got);
	} else {
		fw_errs_print(errs, stderr);
	}
	fw_rule_free(back);
	fw_rule_free(r);
out:
	fw_buf_release(&spec);
	fw_buf_release(&exp);
	fw_errs_free(errs);
}

static bool family_ok(const struct fw_ext *e, const struct fw_case *c,
		      int family)
{
	if (e->family && e->family != family)
		return false;
	return !c->family || (c->family == 6) == (family == FW_AF_IPV6);
}

void test_ext(void)
{
	const struct fw_ext *const *e;
	const struct fw_case *c;

	CHECK(fw_ext_check_registry(stderr) == 0, "registry problems above");
	for (e = fw_exts; *e; e++) {
		for (c = (*e)->tests; c && c->in; c++) {
			if (family_ok(*e, c, FW_AF_IPV4))
				run_case(*e, c, FW_AF_IPV4);
			if (family_ok(*e, c, FW_AF_IPV6))
				run_case(*e, c, FW_AF_IPV6);
		}
	}
}
