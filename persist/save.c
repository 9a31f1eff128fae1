/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fw-persist save: dump both families and replace both files crash-safely */
#include "base.h"

#include <string.h>

#include "persist.h"

static const int fam_num[FW_NFAMILIES] = { 4, 6 };

static int dump_into(struct fw_atomic *a, int family, unsigned flags)
{
	struct fw_save_opts o = {
		.flags = flags,
		.families = 1u << family,
		.format = FW_FMT_TEXT,
		.progname = "fw-persist",
	};
	struct fw_errs *errs = fw_errs_new();
	int ret = fw_save(&o, a->fp, errs);

	if (fw_fault_is("dump-fail")) {
		/* a dump that dies half way: some output, then an error */
		fputs("*filter\n:INPUT DROP [0:0]\n", a->fp);
		ret = FW_EXIT_FAILURE;
	}
	fw_fault("after-dump");
	if (ret != FW_EXIT_OK) {
		fw_log_errs(errs);
		fw_log(LOG_ERR, "cannot dump the live IPv%d ruleset; '%s' is "
		       "left as it was", family, a->path);
	}
	fw_errs_free(errs);
	return ret == FW_EXIT_OK ? 0 : -1;
}

static int commit_all(const struct fw_pconf *c, struct fw_atomic *a)
{
	bool changed;
	char *path;
	int f, ret = 0;

	for (f = 0; f < FW_NFAMILIES; f++) {
		if (ret < 0) {
			fw_atomic_abort(&a[f]);
			continue;
		}
		path = xstrdup(a[f].path);
		ret = fw_atomic_commit(&a[f], c->backup > 0, &changed);
		if (ret == 0)
			fw_log(LOG_INFO, "%s the IPv%d rules in '%s'",
			       changed ? "saved" : "unchanged:", fam_num[f],
			       path);
		free(path);
		if (f == FW_V4)
			fw_fault("between-families");
	}
	return ret;
}

int fw_save_files(const struct fw_pconf *c, bool counters)
{
	struct fw_atomic a[FW_NFAMILIES];
	unsigned flags = 0;
	int f, ret = 0;
	char *path;

	if (!c->timestamps)
		flags |= FW_S_NO_TIMESTAMP;
	if (counters || c->save_counters > 0)
		flags |= FW_S_COUNTERS;
	for (f = 0; f < FW_NFAMILIES; f++)
		memset(&a[f], 0, sizeof(a[f]));
	for (f = 0; ret == 0 && f < FW_NFAMILIES; f++) {
		path = fw_pconf_path(c, c->rules[f]);
		ret = fw_atomic_begin(&a[f], path);
		free(path);
		if (ret == 0)
			ret = dump_into(&a[f], fam_num[f], flags);
	}
	if (ret < 0) {
		for (f = 0; f < FW_NFAMILIES; f++)
			if (a[f].path)
				fw_atomic_abort(&a[f]);
		return FW_P_FAILURE;
	}
	fw_fault("before-commit");
	return commit_all(c, a) < 0 ? FW_P_FAILURE : FW_P_OK;
}

int fw_cmd_save(const struct fw_pconf *c, const struct fw_popts *o)
{
	int lock = fw_lock_take(c);
	int ret = fw_save_files(c, o->counters);

	fw_lock_release(lock);
	return ret;
}
