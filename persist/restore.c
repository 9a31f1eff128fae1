/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fw-persist restore, reload and stop: both families go to the kernel in
 * one transaction, so a bad file leaves the kernel exactly as it was.
 */
#include "base.h"

#include <string.h>

#include "persist.h"

static const int fam_num[FW_NFAMILIES] = { 4, 6 };

struct rules_set {
	struct fw_input in[FW_NFAMILIES];
	unsigned n;
	struct fw_buf names;	/* "'a', 'b'" for messages */
};

static void set_release(struct rules_set *s)
{
	unsigned i;

	for (i = 0; i < s->n; i++)
		fw_input_release(&s->in[i]);
	s->n = 0;
	fw_buf_release(&s->names);
}

/* Load the files in paths (rules or fallback). 0, or -1 (logged). */
static int set_load(const struct fw_pconf *c, char *const *paths,
		    struct rules_set *s)
{
	int f, r, ret = 0;
	char *path;

	memset(s, 0, sizeof(*s));
	for (f = 0; f < FW_NFAMILIES; f++) {
		if (!paths[f])
			continue;
		path = fw_pconf_path(c, paths[f]);
		r = fw_rules_load(&s->in[s->n], path, fam_num[f]);
		if (r == 0) {
			s->n++;
			fw_buf_addf(&s->names, "%s'%s'",
				    s->names.len ? ", " : "", path);
		} else if (r == 1) {
			fw_log(LOG_INFO, "no IPv%d rules: '%s' does not exist",
			       fam_num[f], path);
		} else {
			ret = -1;
		}
		free(path);
	}
	if (ret < 0)
		set_release(s);
	return ret;
}

static int apply(const struct fw_pconf *c, struct fw_input *in, unsigned n)
{
	struct fw_restore_opts o = {
		.flags = c->save_counters > 0 ? FW_R_COUNTERS : 0,
		.format = FW_FMT_TEXT,
		.inputs = in,
		.n_inputs = n,
	};
	struct fw_errs *errs = fw_errs_new();
	int ret = fw_restore(&o, errs);

	if (ret != FW_EXIT_OK || fw_errs_count(errs))
		fw_log_errs(errs);
	fw_errs_free(errs);
	if (ret == FW_EXIT_OK)
		return FW_P_OK;
	return ret == FW_EXIT_FAILURE ? FW_P_FAILURE : FW_P_RULES;
}

static int restore_saved(const struct fw_pconf *c)
{
	struct rules_set s;
	int ret;

	if (set_load(c, c->rules, &s) < 0)
		return FW_P_RULES;
	if (s.n == 0) {
		fw_log(LOG_NOTICE, "no saved rules ('%s', '%s' do not exist); "
		       "nothing to restore", c->rules[FW_V4], c->rules[FW_V6]);
		fw_notify(true, "no saved rules");
		return FW_P_OK;
	}
	ret = apply(c, s.in, s.n);
	if (ret == FW_P_OK) {
		fw_log(LOG_INFO, "restored the rules of %s", s.names.buf);
		fw_notify(true, "restored %s", s.names.buf);
	} else {
		fw_log(LOG_ERR, "restoring %s failed; the kernel ruleset was "
		       "left unchanged", s.names.buf);
	}
	set_release(&s);
	return ret;
}

/* After a failed restore: the fallback files, if configured. */
static bool apply_fallback(const struct fw_pconf *c)
{
	struct rules_set s;
	bool ok;

	if (!c->fallback[FW_V4] && !c->fallback[FW_V6])
		return false;
	if (set_load(c, c->fallback, &s) < 0 || s.n == 0) {
		fw_log(LOG_ERR, "no usable fallback rules");
		return false;
	}
	ok = apply(c, s.in, s.n) == FW_P_OK;
	if (ok)
		fw_log(LOG_WARNING, "applied the fallback rules of %s",
		       s.names.buf);
	else
		fw_log(LOG_ERR, "the fallback rules of %s failed too",
		       s.names.buf);
	set_release(&s);
	return ok;
}

static const char *result_name(int ret)
{
	switch (ret) {
	case FW_P_OK:
		return "ok";
	case FW_P_FALLBACK:
		return "failed, fallback applied";
	default:
		return "failed";
	}
}

static int restore_locked(const struct fw_pconf *c, const char *by)
{
	struct fw_buf stamp = FW_BUF_INIT;
	int ret = restore_saved(c);

	if (ret != FW_P_OK && apply_fallback(c))
		ret = FW_P_FALLBACK;
	if (ret != FW_P_OK)
		fw_notify(false, "restore failed%s; see the journal",
			  ret == FW_P_FALLBACK ? ", fallback applied" : "");
	fw_buf_addf(&stamp, "%s by %s", result_name(ret), by);
	fw_stamp_write(c, stamp.buf);
	fw_buf_release(&stamp);
	return ret;
}

int fw_cmd_restore(const struct fw_pconf *c, const struct fw_popts *o)
{
	int lock = fw_lock_take(c);
	int ret = FW_P_OK;

	if (o->once && fw_stamp_exists(c))
		fw_log(LOG_INFO, "rules already restored this boot; "
		       "nothing to do");
	else
		ret = restore_locked(c, o->hook ? "ifupdown hook" : "command");
	fw_lock_release(lock);
	if (o->hook && !c->ifup_fail_closed)
		return FW_P_OK;
	return ret;
}

/*
 * Saving the live rules after this boot's restore failed would replace the
 * saved rules, which nobody has seen in the kernel, by whatever is there.
 */
static int save_unless_failed(const struct fw_pconf *c, const char *why)
{
	if (fw_stamp_failed(c)) {
		fw_log(LOG_ERR, "not saving (%s): this boot's restore failed, "
		       "and saving would overwrite the saved rules", why);
		return FW_P_FAILURE;
	}
	fw_log(LOG_INFO, "saving the rules (%s)", why);
	return fw_save_files(c, false);
}

int fw_cmd_reload(const struct fw_pconf *c, const struct fw_popts *o)
{
	int lock = fw_lock_take(c);
	int ret = FW_P_OK;

	if (c->save_on_restart > 0)
		ret = save_unless_failed(c, "SAVE_ON_RESTART");
	if (ret == FW_P_OK)
		ret = restore_locked(c, "reload");
	fw_lock_release(lock);
	return ret;
}

/* Rules text that empties every table of text and sets policies ACCEPT. */
static void flush_text(struct fw_buf *b, const char *text)
{
	const char *s, *nl;
	size_t n;

	for (s = text; *s; s = nl) {
		nl = s + strcspn(s, "\n");
		n = nl - s;
		if (*nl)
			nl++;
		if (*s == '*' || (n == 6 && strncmp(s, "COMMIT", 6) == 0)) {
			fw_buf_add(b, s, n);
			fw_buf_addch(b, '\n');
		} else if (*s == ':' && strcspn(s, " \n") < n &&
			   strncmp(s + strcspn(s, " \n"), " - ", 3) != 0) {
			fw_buf_add(b, s, strcspn(s, " \n"));
			fw_buf_addstr(b, " ACCEPT [0:0]\n");
		}
	}
}

static int flush_live(const struct fw_pconf *c)
{
	struct fw_input in[FW_NFAMILIES];
	struct fw_buf b;
	unsigned n = 0, i;
	char *text;
	size_t len;
	int f, ret = FW_P_OK;

	for (f = 0; ret == FW_P_OK && f < FW_NFAMILIES; f++) {
		text = NULL;
		if (fw_rules_dump(&text, &len, fam_num[f], FW_S_NO_COMMENTS))
			ret = FW_P_FAILURE;
		b = (struct fw_buf)FW_BUF_INIT;
		flush_text(&b, ret == FW_P_OK ? text : "");
		free(text);
		if (b.len == 0)
			continue;
		in[n].name = xstrdup(fam_num[f] == 4 ? "<flush IPv4>"
						      : "<flush IPv6>");
		in[n].data = b.buf;
		in[n].len = b.len;
		in[n++].family = fam_num[f];
	}
	if (ret == FW_P_OK && n)
		ret = apply(c, in, n);
	for (i = 0; i < n; i++) {
		free(in[i].name);
		free(in[i].data);
	}
	if (ret == FW_P_OK)
		fw_log(LOG_NOTICE, "flushed the rules (FLUSH_ON_STOP)");
	return ret;
}

int fw_cmd_stop(const struct fw_pconf *c, const struct fw_popts *o)
{
	int lock = fw_lock_take(c);
	int ret = FW_P_OK, r;

	if (c->save_on_stop > 0)
		ret = save_unless_failed(c, "SAVE_ON_STOP");
	if (c->flush_on_stop > 0) {
		r = flush_live(c);
		if (ret == FW_P_OK)
			ret = r;
	}
	if (c->save_on_stop <= 0 && c->flush_on_stop <= 0)
		fw_log(LOG_INFO, "leaving the firewall rules in place");
	fw_lock_release(lock);
	return ret;
}
