/* SPDX-License-Identifier: GPL-2.0-or-later */
/* the five iptables tables and their builtin chains (hook, priority, type) */
#include "base.h"

#include <string.h>

#include "cmd.h"

/* Save order: the order of iptables' table-type enum. */
const char *const fw_table_names[5] = {
	"mangle", "security", "raw", "filter", "nat",
};

static const struct fw_builtin mangle[] = {
	{ "PREROUTING", 0, -150, "filter" }, { "INPUT", 1, -150, "filter" },
	{ "FORWARD", 2, -150, "filter" }, { "OUTPUT", 3, -150, "route" },
	{ "POSTROUTING", 4, -150, "filter" }, { NULL },
};
static const struct fw_builtin security[] = {
	{ "INPUT", 1, 150, "filter" }, { "FORWARD", 2, 150, "filter" },
	{ "OUTPUT", 3, 150, "filter" }, { NULL },
};
static const struct fw_builtin raw[] = {
	{ "PREROUTING", 0, -300, "filter" }, { "OUTPUT", 3, -300, "filter" },
	{ NULL },
};
static const struct fw_builtin filter[] = {
	{ "INPUT", 1, 0, "filter" }, { "FORWARD", 2, 0, "filter" },
	{ "OUTPUT", 3, 0, "filter" }, { NULL },
};
static const struct fw_builtin nat[] = {
	{ "PREROUTING", 0, -100, "nat" }, { "INPUT", 1, 100, "nat" },
	{ "OUTPUT", 3, -100, "nat" }, { "POSTROUTING", 4, 100, "nat" },
	{ NULL },
};

static const struct fw_builtin *const builtins[5] = {
	mangle, security, raw, filter, nat,
};

int fw_table_index(const char *table)
{
	int i;

	for (i = 0; i < 5; i++)
		if (!strcmp(fw_table_names[i], table))
			return i;
	return -1;
}

const struct fw_builtin *fw_builtins(const char *table)
{
	int i = fw_table_index(table);

	return i < 0 ? NULL : builtins[i];
}

const struct fw_builtin *fw_builtin_find(const char *table, const char *chain)
{
	const struct fw_builtin *b = fw_builtins(table);

	for (; b && b->name; b++)
		if (!strcmp(b->name, chain))
			return b;
	return NULL;
}
