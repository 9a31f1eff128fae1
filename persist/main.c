/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fw-persist: save and restore the rules where the distribution keeps them */
#include "base.h"

#include <getopt.h>
#include <string.h>

#include "persist.h"

static const struct {
	const char *name;
	int (*run)(const struct fw_pconf *c, const struct fw_popts *o);
} commands[] = {
	{ "save", fw_cmd_save },
	{ "restore", fw_cmd_restore },
	{ "reload", fw_cmd_reload },
	{ "stop", fw_cmd_stop },
	{ "status", fw_cmd_status },
	{ "diff", fw_cmd_diff },
	{ "config", NULL },
};

static void usage(FILE *fp)
{
	fputs("usage: fw-persist [options] COMMAND\n"
	      "commands: save, restore, reload, stop, status, diff, config\n"
	      "  -r, --root DIR        act on the system under DIR\n"
	      "  -c, --config FILE     read FILE instead of " FW_PCONF_FILE "\n"
	      "  -l, --layout NAME     debian, ifupdown or rhel\n"
	      "  -4, --rules-v4 FILE   IPv4 rules file\n"
	      "  -6, --rules-v6 FILE   IPv6 rules file\n"
	      "  -C, --counters        save: include packet and byte counters\n"
	      "      --once            restore: not if already done this boot\n"
	      "      --hook            restore: run by the ifupdown hook\n"
	      "  -q, --quiet           no informational messages\n"
	      "  -h, --help            this text\n", fp);
}

enum { OPT_ONCE = 256, OPT_HOOK };

static const struct option long_opts[] = {
	{ "root", required_argument, NULL, 'r' },
	{ "config", required_argument, NULL, 'c' },
	{ "layout", required_argument, NULL, 'l' },
	{ "rules-v4", required_argument, NULL, '4' },
	{ "rules-v6", required_argument, NULL, '6' },
	{ "counters", no_argument, NULL, 'C' },
	{ "once", no_argument, NULL, OPT_ONCE },
	{ "hook", no_argument, NULL, OPT_HOOK },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* --root: absolute form without a trailing slash; "/" is the system. */
static void set_root(struct fw_pconf *c, const char *dir)
{
	char *abs = realpath(dir, NULL);

	free(c->root);
	c->root = abs ? abs : xstrdup(dir);
	if (strcmp(c->root, "/") == 0)
		c->root[0] = '\0';
}

static int parse_opt(struct fw_pconf *c, struct fw_popts *o, int opt,
		     bool *quiet)
{
	switch (opt) {
	case 'r':
		set_root(c, optarg);
		return 0;
	case 'c':
		free(c->conf_file);
		c->conf_file = xstrdup(optarg);
		return 0;
	case 'l':
		free(c->layout_why);
		c->layout_why = xstrdup("--layout option");
		return fw_pconf_set(c, "LAYOUT", optarg) ? -1 : 0;
	case '4':
		return fw_pconf_set(c, "RULES_V4", optarg);
	case '6':
		return fw_pconf_set(c, "RULES_V6", optarg);
	case 'C':
		o->counters = true;
		return 0;
	case OPT_ONCE:
		o->once = true;
		return 0;
	case OPT_HOOK:
		o->hook = o->once = true;
		return 0;
	case 'q':
		*quiet = true;
		return 0;
	case 'h':
		usage(stdout);
		exit(FW_P_OK);
	default:
		return -1;
	}
}

static int find_command(const char *name)
{
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(commands); i++)
		if (strcmp(name, commands[i].name) == 0)
			return i;
	fw_log(LOG_ERR, "unknown command '%s'", name);
	return -1;
}

static int run(struct fw_pconf *c, struct fw_popts *o, int cmd)
{
	/* a broken persist.conf must not keep an interface down */
	if (fw_pconf_load(c) < 0)
		return o->hook ? FW_P_OK : FW_P_USAGE;
	if (!commands[cmd].run) {
		fw_pconf_print(c, stdout);
		return FW_P_OK;
	}
	return commands[cmd].run(c, o);
}

int main(int argc, char **argv)
{
	struct fw_popts o = { false, false, false };
	struct fw_pconf c;
	bool quiet = false;
	int opt, cmd, ret;

	fw_log_init(false);
	fw_pconf_init(&c);
	while ((opt = getopt_long(argc, argv, "r:c:l:4:6:Cqh", long_opts,
				  NULL)) != -1) {
		if (parse_opt(&c, &o, opt, &quiet) < 0) {
			usage(stderr);
			fw_pconf_release(&c);
			return FW_P_USAGE;
		}
	}
	fw_log_init(quiet);
	if (optind != argc - 1) {
		usage(stderr);
		fw_pconf_release(&c);
		return FW_P_USAGE;
	}
	cmd = find_command(argv[optind]);
	ret = cmd < 0 ? FW_P_USAGE : run(&c, &o, cmd);
	fw_pconf_release(&c);
	return ret;
}
