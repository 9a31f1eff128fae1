/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fw-persist configuration: persist.conf, iptables-config knobs, defaults */
#include "base.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "persist.h"

static const char *const ws = " \t\r\n";

static char *trim(char *s)
{
	char *e;

	s += strspn(s, ws);
	e = s + strlen(s);
	while (e > s && strchr(ws, e[-1]))
		*--e = '\0';
	return s;
}

/* Strip one level of matching quotes; -1 when a quote is not closed. */
static int unquote(char *v)
{
	size_t n = strlen(v);

	if (n == 0 || (v[0] != '"' && v[0] != '\''))
		return 0;
	if (n < 2 || v[n - 1] != v[0])
		return -1;
	memmove(v, v + 1, n - 2);
	v[n - 2] = '\0';
	return 0;
}

static int kv_line(char *s, const char *path, unsigned line, fw_kv_cb cb,
		   void *ctx)
{
	char *eq, *key, *val;

	s = trim(s);
	if (*s == '\0' || *s == '#')
		return 0;
	if (strncmp(s, "export ", 7) == 0)
		s = trim(s + 7);
	eq = strchr(s, '=');
	if (!eq) {
		fw_log_at(LOG_ERR, path, line, 1, "%s:%u: expected KEY=value",
			  path, line);
		return -1;
	}
	*eq = '\0';
	key = trim(s);
	val = trim(eq + 1);
	if (unquote(val) < 0) {
		fw_log_at(LOG_ERR, path, line, 1, "%s:%u: unterminated quote",
			  path, line);
		return -1;
	}
	return cb(ctx, path, line, key, val);
}

int fw_kv_parse(const char *path, fw_kv_cb cb, void *ctx)
{
	char *buf = NULL;
	size_t cap = 0;
	unsigned line = 0;
	int ret = 0;
	FILE *fp;

	fp = fopen(path, "re");
	if (!fp) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 1;
		fw_log(LOG_ERR, "cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	while (ret == 0 && getline(&buf, &cap, fp) >= 0)
		ret = kv_line(buf, path, ++line, cb, ctx);
	if (ret == 0 && ferror(fp)) {
		fw_log(LOG_ERR, "cannot read '%s': %s", path, strerror(errno));
		ret = -1;
	}
	free(buf);
	fclose(fp);
	return ret;
}

int fw_kv_bool(const char *val)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(yes); i++) {
		if (strcasecmp(val, yes[i]) == 0)
			return 1;
		if (strcasecmp(val, no[i]) == 0)
			return 0;
	}
	return -1;
}

void fw_pconf_init(struct fw_pconf *c)
{
	memset(c, 0, sizeof(*c));
	c->root = xstrdup("");
	c->save_on_stop = c->save_on_restart = FW_UNSET;
	c->save_counters = c->flush_on_stop = FW_UNSET;
	c->backup = c->timestamps = c->ifup_fail_closed = FW_UNSET;
}

void fw_pconf_release(struct fw_pconf *c)
{
	int f;

	free(c->root);
	free(c->conf_file);
	free(c->layout_why);
	for (f = 0; f < FW_NFAMILIES; f++) {
		free(c->rules[f]);
		free(c->fallback[f]);
	}
}

char *fw_pconf_path(const struct fw_pconf *c, const char *path)
{
	struct fw_buf b = FW_BUF_INIT;

	fw_buf_addstr(&b, c->root);
	fw_buf_addstr(&b, path);
	return b.buf;
}

/* The boolean settings, by persist.conf key. */
static int *bool_slot(struct fw_pconf *c, const char *key)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{ "SAVE_ON_STOP", offsetof(struct fw_pconf, save_on_stop) },
		{ "SAVE_ON_RESTART",
		  offsetof(struct fw_pconf, save_on_restart) },
		{ "SAVE_COUNTERS", offsetof(struct fw_pconf, save_counters) },
		{ "FLUSH_ON_STOP", offsetof(struct fw_pconf, flush_on_stop) },
		{ "BACKUP", offsetof(struct fw_pconf, backup) },
		{ "TIMESTAMPS", offsetof(struct fw_pconf, timestamps) },
		{ "IFUP_FAIL_CLOSED",
		  offsetof(struct fw_pconf, ifup_fail_closed) },
	};
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(keys); i++)
		if (strcmp(key, keys[i].key) == 0)
			return (int *)((char *)c + keys[i].off);
	return NULL;
}

/* The path settings, by key. */
static char **path_slot(struct fw_pconf *c, const char *key)
{
	if (strcmp(key, "RULES_V4") == 0)
		return &c->rules[FW_V4];
	if (strcmp(key, "RULES_V6") == 0)
		return &c->rules[FW_V6];
	if (strcmp(key, "FALLBACK_V4") == 0)
		return &c->fallback[FW_V4];
	if (strcmp(key, "FALLBACK_V6") == 0)
		return &c->fallback[FW_V6];
	return NULL;
}

static int set_path(char **slot, const char *key, const char *val)
{
	if (*val && *val != '/') {
		fw_log(LOG_ERR, "%s must be an absolute path, not '%s'", key,
		       val);
		return -1;
	}
	free(*slot);
	*slot = *val ? xstrdup(val) : NULL;
	return 0;
}

/*
 * Set one persist.conf key. 0, 1 for an unknown key, -1 for a bad value
 * (logged).
 */
int fw_pconf_set(struct fw_pconf *c, const char *key, const char *val)
{
	char **path = path_slot(c, key);
	int *flag = bool_slot(c, key);

	if (path)
		return set_path(path, key, val);
	if (flag) {
		*flag = fw_kv_bool(val);
		if (*flag >= 0)
			return 0;
		fw_log(LOG_ERR, "%s wants yes or no, not '%s'", key, val);
		return -1;
	}
	if (strcmp(key, "LAYOUT") != 0)
		return 1;
	if (strcmp(val, "auto") == 0) {
		c->layout = FW_LAYOUT_AUTO;
		return 0;
	}
	c->layout = fw_layout_lookup(val);
	if (c->layout != FW_LAYOUT_AUTO)
		return 0;
	fw_log(LOG_ERR, "unknown layout '%s' (auto, debian, ifupdown, rhel)",
	       val);
	return -1;
}

/*
 * A persist.conf line: options given on the command line (already set in
 * c) win, so only unset values are taken.
 */
static int conf_cb(void *ctx, const char *file, unsigned line,
		   const char *key, const char *val)
{
	struct fw_pconf *c = ctx;
	struct fw_pconf tmp;
	int ret;

	fw_pconf_init(&tmp);
	ret = fw_pconf_set(&tmp, key, val);
	if (ret == 1)
		fw_log_at(LOG_ERR, file, line, 1, "%s:%u: unknown setting '%s'",
			  file, line, key);
	else if (ret < 0)
		fw_log_at(LOG_ERR, file, line, 1, "%s:%u: bad value of %s",
			  file, line, key);
	else if (bool_slot(c, key) && *bool_slot(c, key) == FW_UNSET)
		*bool_slot(c, key) = *bool_slot(&tmp, key);
	else if (path_slot(c, key) && !*path_slot(c, key)) {
		*path_slot(c, key) = *path_slot(&tmp, key);
		*path_slot(&tmp, key) = NULL;
	}
	else if (strcmp(key, "LAYOUT") == 0 && c->layout == FW_LAYOUT_AUTO &&
		 !c->layout_why)
		c->layout = tmp.layout;
	fw_pconf_release(&tmp);
	return ret ? -1 : 0;
}

/* iptables-config (RHEL): only the knobs that apply to fw-persist. */
static int knobs_cb(void *ctx, const char *file, unsigned line,
		    const char *key, const char *val)
{
	static const struct {
		const char *knob, *key;
	} map[] = {
		{ "IPTABLES_SAVE_ON_STOP", "SAVE_ON_STOP" },
		{ "IPTABLES_SAVE_ON_RESTART", "SAVE_ON_RESTART" },
		{ "IPTABLES_SAVE_COUNTER", "SAVE_COUNTERS" },
	};
	struct fw_pconf *c = ctx;
	size_t i;
	int *slot;

	for (i = 0; i < FW_ARRAY_SIZE(map); i++) {
		if (strcmp(key, map[i].knob) != 0)
			continue;
		slot = bool_slot(c, map[i].key);
		if (*slot == FW_UNSET && fw_kv_bool(val) >= 0)
			*slot = fw_kv_bool(val);
		else if (fw_kv_bool(val) < 0)
			fw_log_at(LOG_WARNING, file, line, 1,
				  "%s:%u: ignoring %s='%s' (not yes or no)",
				  file, line, key, val);
	}
	return 0;
}

static void fill_defaults(struct fw_pconf *c)
{
	int f;

	for (f = 0; f < FW_NFAMILIES; f++)
		if (!c->rules[f])
			c->rules[f] = xstrdup(fw_layout_rules(c->layout, f));
	if (c->save_on_stop == FW_UNSET)
		c->save_on_stop = 0;
	if (c->save_on_restart == FW_UNSET)
		c->save_on_restart = 0;
	if (c->save_counters == FW_UNSET)
		c->save_counters = 0;
	if (c->flush_on_stop == FW_UNSET)
		c->flush_on_stop = 0;
	if (c->backup == FW_UNSET)
		c->backup = 1;
	if (c->timestamps == FW_UNSET)
		c->timestamps = 0;
	if (c->ifup_fail_closed == FW_UNSET)
		c->ifup_fail_closed = 0;
}

int fw_pconf_load(struct fw_pconf *c)
{
	const char *knobs;
	char *path;
	int ret;

	if (!c->conf_file)
		c->conf_file = fw_pconf_path(c, FW_PCONF_FILE);
	if (fw_kv_parse(c->conf_file, conf_cb, c) < 0)
		return -1;
	if (c->layout == FW_LAYOUT_AUTO)
		fw_layout_detect(c);
	else if (!c->layout_why)
		c->layout_why = xstrdup("configured");
	knobs = fw_layout_knobs(c->layout);
	if (knobs) {
		path = fw_pconf_path(c, knobs);
		ret = fw_kv_parse(path, knobs_cb, c);
		free(path);
		if (ret < 0)
			return -1;
	}
	fill_defaults(c);
	return 0;
}

static const char *yes_no(int v)
{
	return v > 0 ? "yes" : "no";
}

void fw_pconf_print(const struct fw_pconf *c, FILE *fp)
{
	fprintf(fp, "# root: %s\n", *c->root ? c->root : "/");
	fprintf(fp, "# config: %s\n", c->conf_file);
	fprintf(fp, "# layout: %s\n", c->layout_why);
	fprintf(fp, "LAYOUT=%s\n", fw_layout_name(c->layout));
	fprintf(fp, "RULES_V4=%s\nRULES_V6=%s\n", c->rules[FW_V4],
		c->rules[FW_V6]);
	fprintf(fp, "FALLBACK_V4=%s\nFALLBACK_V6=%s\n",
		c->fallback[FW_V4] ? c->fallback[FW_V4] : "",
		c->fallback[FW_V6] ? c->fallback[FW_V6] : "");
	fprintf(fp, "SAVE_ON_STOP=%s\nSAVE_ON_RESTART=%s\n",
		yes_no(c->save_on_stop), yes_no(c->save_on_restart));
	fprintf(fp, "SAVE_COUNTERS=%s\nFLUSH_ON_STOP=%s\n",
		yes_no(c->save_counters), yes_no(c->flush_on_stop));
	fprintf(fp, "BACKUP=%s\nTIMESTAMPS=%s\nIFUP_FAIL_CLOSED=%s\n",
		yes_no(c->backup), yes_no(c->timestamps),
		yes_no(c->ifup_fail_closed));
}
