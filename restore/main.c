/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fw-restore: load a whole ruleset in one nf_tables transaction */
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw.h"

#define FW_VERSION "0.1"

enum { OPT_CHECK = 256, OPT_IPV4, OPT_IPV6, OPT_FORMAT, OPT_TIMING };

static const struct option long_opts[] = {
	{ "counters", no_argument, NULL, 'c' },
	{ "noflush", no_argument, NULL, 'n' },
	{ "test", no_argument, NULL, 't' },
	{ "table", required_argument, NULL, 'T' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "wait", optional_argument, NULL, 'w' },
	{ "wait-interval", optional_argument, NULL, 'W' },
	{ "modprobe", required_argument, NULL, 'M' },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "ipv4", required_argument, NULL, OPT_IPV4 },
	{ "ipv6", required_argument, NULL, OPT_IPV6 },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "timing", no_argument, NULL, OPT_TIMING },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *fp, const char *prog)
{
	fprintf(fp,
"Usage: %s [OPTION]... [FILE]\n"
"Replace the ruleset with FILE (or standard input), in iptables-save form,\n"
"in one nf_tables transaction: all of it or, on any error, nothing.\n"
"\n"
"  -4, -6              the file is for IPv4 (default) or IPv6; YAML:\n"
"                        only that family of the document (default: all)\n"
"      --ipv4 FILE     IPv4 rules from FILE; with --ipv6 FILE, both\n"
"      --ipv6 FILE       families commit in one transaction\n"
"  -c, --counters      apply the [packets:bytes] counters of the file\n"
"  -n, --noflush       do not flush the tables first; apply the commands\n"
"  -t, --test          only parse (no kernel needed)\n"
"      --check         the kernel validates the whole batch, commits nothing\n"
"  -T, --table NAME    only restore table NAME\n"
"      --format FMT    text (default) or yaml\n"
"  -v, --verbose       print the rules as they are queued\n"
"      --timing        report where the time went (on stderr)\n"
"  -w, -W, -M          accepted and ignored, as by iptables-nft-restore\n"
"  -h, --help          this help;  -V, --version  the version\n"
"\n"
"Exit status: 0 ok, 1 failure (netlink, I/O), 2 bad input or usage,\n"
"4 the kernel rejected the batch. Nothing changes unless the status is 0.\n",
		prog);
}

/* An optional numeric argument of -w/-W may follow as a separate word. */
static void skip_number(int argc, char **argv)
{
	if (!optarg && optind < argc && argv[optind][0] >= '0' &&
	    argv[optind][0] <= '9')
		optind++;
}

static int parse_format(const char *s, enum fw_format *f)
{
	if (!strcmp(s, "text"))
		*f = FW_FMT_TEXT;
	else if (!strcmp(s, "yaml"))
		*f = FW_FMT_YAML;
	else
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	const char *prog = basename(argv[0]), *v4 = NULL, *v6 = NULL, *retries;
	struct fw_restore_opts o = { 0 };
	struct fw_input in[2];
	struct fw_errs *errs;
	int family = strstr(prog, "6") ? 6 : 4, c, rc = FW_EXIT_OK;
	int yaml_family = family == 6 ? 6 : 0;	/* 0: every family */
	unsigned i;

	while ((c = getopt_long(argc, argv, "cntT:vw::W::M:46hV", long_opts,
				NULL)) != -1) {
		switch (c) {
		case 'c': o.flags |= FW_R_COUNTERS; break;
		case 'n': o.flags |= FW_R_NOFLUSH; break;
		case 't': o.flags |= FW_R_TEST; break;
		case 'T': o.table = optarg; break;
		case 'v': o.flags |= FW_R_VERBOSE; break;
		case 'w': case 'W': skip_number(argc, argv); break;
		case 'M': break;
		case '4': family = yaml_family = 4; break;
		case '6': family = yaml_family = 6; break;
		case OPT_CHECK: o.flags |= FW_R_CHECK; break;
		case OPT_IPV4: v4 = optarg; break;
		case OPT_IPV6: v6 = optarg; break;
		case OPT_TIMING: o.flags |= FW_R_TIMING; break;
		case OPT_FORMAT:
			if (parse_format(optarg, &o.format)) {
				fprintf(stderr, "%s: unknown format '%s'\n", prog,
					optarg);
				return FW_EXIT_INPUT;
			}
			break;
		case 'h': usage(stdout, prog); return FW_EXIT_OK;
		case 'V': printf("%s (fw) %s\n", prog, FW_VERSION); return 0;
		default: usage(stderr, prog); return FW_EXIT_INPUT;
		}
	}
	if (optind + 1 < argc || ((v4 || v6) && optind < argc)) {
		fprintf(stderr, "%s: too many file arguments\n", prog);
		return FW_EXIT_INPUT;
	}
	if (o.flags & FW_R_TEST && o.flags & FW_R_CHECK) {
		fprintf(stderr, "%s: --test and --check exclude each other\n",
			prog);
		return FW_EXIT_INPUT;
	}
	errs = fw_errs_new();
	if (v4 || v6) {
		if (v4 && fw_input_read(&in[o.n_inputs++], v4, 4, errs))
			rc = FW_EXIT_INPUT;
		if (v6 && fw_input_read(&in[o.n_inputs++], v6, 6, errs))
			rc = FW_EXIT_INPUT;
	} else if (fw_input_read(&in[o.n_inputs++],
				 optind < argc ? argv[optind] : NULL,
				 o.format == FW_FMT_YAML ? yaml_family : family,
				 errs)) {
		rc = FW_EXIT_INPUT;
	}
	o.inputs = in;
	o.verbose = stdout;
	/* the retry bound (default 64), for tests and busy hosts */
	retries = getenv("FW_RESTORE_RETRIES");
	if (retries)
		o.max_retries = strtoul(retries, NULL, 10);
	if (rc == FW_EXIT_OK)
		rc = fw_restore(&o, errs);
	fflush(stdout);
	fw_errs_print(errs, stderr);
	fw_errs_free(errs);
	for (i = 0; i < o.n_inputs; i++)
		fw_input_release(&in[i]);
	return rc;
}
