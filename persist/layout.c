/* SPDX-License-Identifier: GPL-2.0-or-later */
/* where each distribution keeps its saved rules, detected from os-release */
#include "base.h"

#include <string.h>
#include <unistd.h>

#include "persist.h"

static const struct {
	const char *name;
	const char *rules[FW_NFAMILIES];
	const char *knobs;
} layouts[] = {
	[FW_LAYOUT_AUTO] = { "auto", { NULL, NULL }, NULL },
	[FW_LAYOUT_DEBIAN] = { "debian",
		{ "/etc/iptables/rules.v4", "/etc/iptables/rules.v6" }, NULL },
	[FW_LAYOUT_IFUPDOWN] = { "ifupdown",
		{ "/etc/iptables.rules", "/etc/ip6tables.rules" }, NULL },
	[FW_LAYOUT_RHEL] = { "rhel",
		{ "/etc/sysconfig/iptables", "/etc/sysconfig/ip6tables" },
		"/etc/sysconfig/iptables-config" },
};

/* os-release ID or ID_LIKE word -> layout, in no particular order. */
static const struct {
	const char *id;
	enum fw_layout_id layout;
} os_ids[] = {
	{ "debian", FW_LAYOUT_DEBIAN },
	{ "ubuntu", FW_LAYOUT_DEBIAN },
	{ "rhel", FW_LAYOUT_RHEL },
	{ "centos", FW_LAYOUT_RHEL },
	{ "fedora", FW_LAYOUT_RHEL },
	{ "rocky", FW_LAYOUT_RHEL },
	{ "almalinux", FW_LAYOUT_RHEL },
	{ "ol", FW_LAYOUT_RHEL },
	{ "amzn", FW_LAYOUT_RHEL },
};

const char *fw_layout_name(enum fw_layout_id id)
{
	return layouts[id].name;
}

enum fw_layout_id fw_layout_lookup(const char *name)
{
	size_t i;

	for (i = FW_LAYOUT_DEBIAN; i < FW_ARRAY_SIZE(layouts); i++)
		if (strcmp(name, layouts[i].name) == 0)
			return i;
	return FW_LAYOUT_AUTO;
}

const char *fw_layout_rules(enum fw_layout_id id, int fam)
{
	return layouts[id].rules[fam];
}

const char *fw_layout_knobs(enum fw_layout_id id)
{
	return layouts[id].knobs;
}

struct os_release {
	char *id;
	char *id_like;
};

static int os_cb(void *ctx, const char *file, unsigned line,
		 const char *key, const char *val)
{
	struct os_release *os = ctx;

	if (strcmp(key, "ID") == 0) {
		free(os->id);
		os->id = xstrdup(val);
	} else if (strcmp(key, "ID_LIKE") == 0) {
		free(os->id_like);
		os->id_like = xstrdup(val);
	}
	return 0;
}

static enum fw_layout_id os_word(const char *word, size_t len)
{
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(os_ids); i++)
		if (strlen(os_ids[i].id) == len &&
		    strncmp(word, os_ids[i].id, len) == 0)
			return os_ids[i].layout;
	return FW_LAYOUT_AUTO;
}

/* The first word of ID, then of ID_LIKE, that names a known family. */
static enum fw_layout_id os_layout(const struct os_release *os)
{
	const char *s = os->id_like ? os->id_like : "";
	enum fw_layout_id l = FW_LAYOUT_AUTO;
	size_t n;

	if (os->id)
		l = os_word(os->id, strlen(os->id));
	while (l == FW_LAYOUT_AUTO && *s) {
		s += strspn(s, " \t");
		n = strcspn(s, " \t");
		l = os_word(s, n);
		s += n;
	}
	return l;
}

static bool exists(const struct fw_pconf *c, const char *path)
{
	char *p = fw_pconf_path(c, path);
	bool ret = access(p, F_OK) == 0;

	free(p);
	return ret;
}

/*
 * A Debian system with no /etc/iptables/rules.v* but with the plain
 * /etc/iptables.rules of an if-pre-up.d hook uses the ifupdown layout.
 */
static bool ifupdown_style(const struct fw_pconf *c)
{
	const char *const *deb = layouts[FW_LAYOUT_DEBIAN].rules;
	const char *const *ifup = layouts[FW_LAYOUT_IFUPDOWN].rules;

	if (exists(c, deb[FW_V4]) || exists(c, deb[FW_V6]))
		return false;
	return exists(c, ifup[FW_V4]) || exists(c, ifup[FW_V6]);
}

static int read_os_release(const struct fw_pconf *c, struct os_release *os)
{
	static const char *const paths[] = { "/etc/os-release",
					     "/usr/lib/os-release" };
	size_t i;
	char *p;
	int ret = 1;

	for (i = 0; ret == 1 && i < FW_ARRAY_SIZE(paths); i++) {
		p = fw_pconf_path(c, paths[i]);
		ret = fw_kv_parse(p, os_cb, os);
		free(p);
	}
	return ret;
}

void fw_layout_detect(struct fw_pconf *c)
{
	struct os_release os = { NULL, NULL };
	struct fw_buf why = FW_BUF_INIT;

	if (read_os_release(c, &os) != 0) {
		fw_buf_addstr(&why, "no os-release; default");
	} else {
		fw_buf_addf(&why, "os-release ID=%s ID_LIKE=%s",
			    os.id ? os.id : "", os.id_like ? os.id_like : "");
		c->layout = os_layout(&os);
		if (c->layout == FW_LAYOUT_AUTO)
			fw_buf_addstr(&why, " not recognized; default");
	}
	if (c->layout == FW_LAYOUT_AUTO)
		c->layout = FW_LAYOUT_DEBIAN;
	if (c->layout == FW_LAYOUT_DEBIAN && ifupdown_style(c)) {
		c->layout = FW_LAYOUT_IFUPDOWN;
		fw_buf_addstr(&why, "; only ifupdown-style rules files exist");
	}
	free(c->layout_why);
	c->layout_why = why.buf;
	free(os.id);
	free(os.id_like);
}
