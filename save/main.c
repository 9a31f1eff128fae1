/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fw-save: print the live ruleset as iptables-nft-save does, or as YAML */
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw.h"

#define FW_VERSION "0.1"

enum {
	OPT_FORMAT = 256, OPT_NO_TIMESTAMP, OPT_NO_COMMENTS, OPT_TIMING,
	OPT_FROM, OPT_FROM_FORMAT,
};

static const struct option long_opts[] = {
	{ "counters", no_argument, NULL, 'c' },
	{ "table", required_argument, NULL, 't' },
	{ "file", required_argument, NULL, 'f' },
	{ "modprobe", required_argument, NULL, 'M' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "no-timestamp", no_argument, NULL, OPT_NO_TIMESTAMP },
	{ "no-comments", no_argument, NULL, OPT_NO_COMMENTS },
	{ "timing", no_argument, NULL, OPT_TIMING },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "from-format", required_argument, NULL, OPT_FROM_FORMAT },
	{ "ipv4", no_argument, NULL, '4' },
	{ "ipv6", no_argument, NULL, '6' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *fp, const char *prog)
{
	fprintf(fp,
"Usage: %s [OPTION]...\n"
"Print the live ruleset of this network namespace as iptables-nft-save\n"
"does (byte for byte, comment lines aside), or as YAML.\n"
"\n"
"  -4, -6              IPv4 (default for text) or IPv6; YAML without\n"
"                        either prints both families\n"
"  -c, --counters      print [packets:bytes] before each rule\n"
"  -t, --table NAME    only table NAME\n"
"  -f, --file FILE     write to FILE instead of standard output\n"
"      --format FMT    text (default) or yaml\n"
"      --no-timestamp  comment lines without dates (stable for diffs)\n"
"      --no-comments   no '#' lines at all\n"
"      --timing        report where the time went (on stderr)\n"
"      --from FILE     convert FILE ('-': standard input) instead of\n"
"                        saving the kernel's ruleset; no kernel needed\n"
"      --from-format FMT  text (default) or yaml: the form of FILE\n"
"  -M                  accepted and ignored\n"
"  -h, --help          this help;  -V, --version  the version\n"
"\n"
"Exit status: 0 ok, 1 failure, 2 usage, 3 a rule fw cannot express.\n",
		prog);
}

static int parse_format(const char *prog, const char *s, enum fw_format *f)
{
	if (!strcmp(s, "yaml")) {
		*f = FW_FMT_YAML;
	} else if (!strcmp(s, "text")) {
		*f = FW_FMT_TEXT;
	} else {
		fprintf(stderr, "%s: unknown format '%s'\n", prog, s);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *prog = basename(argv[0]), *file = NULL, *from = NULL;
	struct fw_save_opts o = { .progname = "fw-save" };
	enum fw_format from_format = FW_FMT_TEXT;
	struct fw_input in = { 0 };
	struct fw_errs *errs;
	FILE *out = stdout;
	int c, rc, family;

	if (strstr(prog, "6"))
		o.families = 1 << 6;
	while ((c = getopt_long(argc, argv, "ct:f:M:46hV", long_opts,
				NULL)) != -1) {
		switch (c) {
		case 'c': o.flags |= FW_S_COUNTERS; break;
		case 't': o.table = optarg; break;
		case 'f': file = optarg; break;
		case 'M': break;
		case '4': o.families |= 1 << 4; break;
		case '6': o.families |= 1 << 6; break;
		case OPT_NO_TIMESTAMP: o.flags |= FW_S_NO_TIMESTAMP; break;
		case OPT_NO_COMMENTS: o.flags |= FW_S_NO_COMMENTS; break;
		case OPT_TIMING: o.flags |= FW_S_TIMING; break;
		case OPT_FORMAT:
			if (parse_format(prog, optarg, &o.format))
				return FW_EXIT_INPUT;
			break;
		case OPT_FROM: from = optarg; break;
		case OPT_FROM_FORMAT:
			if (parse_format(prog, optarg, &from_format))
				return FW_EXIT_INPUT;
			break;
		case 'h': usage(stdout, prog); return FW_EXIT_OK;
		case 'V': printf("%s (fw) %s\n", prog, FW_VERSION); return 0;
		default: usage(stderr, prog); return FW_EXIT_INPUT;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog,
			argv[optind]);
		return FW_EXIT_INPUT;
	}
	if (from && o.table) {
		fprintf(stderr, "%s: -t cannot be used with --from\n", prog);
		return FW_EXIT_INPUT;
	}
	/* --from: a text input is of one family; YAML: 0 is every family */
	family = o.families == 1 << 6 ? 6 : o.families == 1 << 4 ? 4 : 0;
	if (!family && from_format == FW_FMT_TEXT)
		family = 4;
	if (!o.families)
		o.families = o.format == FW_FMT_YAML ? (1 << 4 | 1 << 6) : 1 << 4;
	errs = fw_errs_new();
	if (from && fw_input_read(&in, from, family, errs)) {
		rc = FW_EXIT_INPUT;
		goto out;
	}
	if (file && !(out = fopen(file, "w"))) {
		perror(file);
		rc = FW_EXIT_FAILURE;
		goto out;
	}
	if (from)
		rc = fw_convert(&in, from_format, o.format, o.flags, out, errs);
	else
		rc = fw_save(&o, out, errs);
	if (out != stdout && fclose(out) && !rc)
		rc = FW_EXIT_FAILURE;
out:
	fw_errs_print(errs, stderr);
	fw_errs_free(errs);
	fw_input_release(&in);
	return rc;
}
