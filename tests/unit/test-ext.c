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

/* Every older revision: down then up gives the same rule back. */
static void run_older(const struct fw_ext *e, const struct fw_case *c,
		      int family)
{
	struct fw_errs *errs = fw_errs_new();
	struct fw_buf spec = FW_BUF_INIT;
	const struct fw_xt_rev *rv;
	struct fw_rule *r;
	struct fw_xt *x, *back;
	uint8_t buf[1024];
	char *want, *got;

	fw_buf_addf(&spec, "%s%s-m %s %s", c->pre ? c->pre : "",
		    c->pre && *c->pre ? " " : "", e->name, c->in);
	r = unit_parse(spec.buf, family, errs);
	x = r ? fw_rule_find_match(r, e) : NULL;
	for (rv = e->older; x && rv->size; rv++) {
		CHECK(FW_XT_ALIGN(rv->size) <= sizeof(buf), "%s rev %u too big",
		      e->name, rv->revision);
		memset(buf, 0, sizeof(buf));
		if (rv->down(x, buf))
			continue;	/* this revision cannot say it */
		back = fw_xt_new(e, NULL);
		CHECK(rv->up(buf, FW_XT_ALIGN(rv->size), back) == 0,
		      "%s rev %u: up failed for '%s'", e->name, rv->revision,
		      spec.buf);
		want = unit_print(r);
		memcpy(x->data, back->data, x->len);
		got = unit_print(r);
		CHECK(!strcmp(want, got), "%s rev %u: '%s' came back as '%s'",
		      e->name, rv->revision, want, got);
		free(want);
		free(got);
		free(back);
	}
	fw_rule_free(r);
	fw_buf_release(&spec);
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
			if ((*e)->older && c->verdict == FW_OK &&
			    (*e)->kind == FW_EXT_MATCH)
				run_older(*e, c, (*e)->family ? (*e)->family
							      : FW_AF_IPV4);
		}
	}
}
