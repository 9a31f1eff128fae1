/* SPDX-License-Identifier: GPL-2.0-or-later */
/* set match and SET target: ipset lookups by name (--match-set, --add-set) */
#include "base.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <linux/netfilter.h>
#include <linux/netfilter/xt_set.h>

#include "ext.h"
#include "nl.h"

enum {
	O_MATCH_SET, O_RETURN_NOMATCH, O_UPDATE_COUNTERS, O_UPDATE_SUB,
	O_PACKETS_EQ, O_PACKETS_LT, O_PACKETS_GT,
	O_BYTES_EQ, O_BYTES_LT, O_BYTES_GT,
};

static const struct fw_opt set_opts[] = {
	{ "match-set", O_MATCH_SET, 2, FW_OPT_INV },
	{ "set", O_MATCH_SET, 2, FW_OPT_INV },
	{ "return-nomatch", O_RETURN_NOMATCH, 0, FW_OPT_INV | FW_OPT_MULTI },
	{ "update-counters", O_UPDATE_COUNTERS, 0, FW_OPT_INV | FW_OPT_MULTI },
	{ "update-subcounters", O_UPDATE_SUB, 0, FW_OPT_INV | FW_OPT_MULTI },
	{ "packets-eq", O_PACKETS_EQ, 1, FW_OPT_INV | FW_OPT_MULTI },
	{ "packets-lt", O_PACKETS_LT, 1, FW_OPT_INV | FW_OPT_MULTI },
	{ "packets-gt", O_PACKETS_GT, 1, FW_OPT_INV | FW_OPT_MULTI },
	{ "bytes-eq", O_BYTES_EQ, 1, FW_OPT_INV | FW_OPT_MULTI },
	{ "bytes-lt", O_BYTES_LT, 1, FW_OPT_INV | FW_OPT_MULTI },
	{ "bytes-gt", O_BYTES_GT, 1, FW_OPT_INV | FW_OPT_MULTI },
	{ NULL },
};

enum {
	O_ADD_SET, O_DEL_SET, O_EXIST, O_TIMEOUT, O_MAP_SET, O_MAP_MARK,
	O_MAP_PRIO, O_MAP_QUEUE,
};

/* libxt_SET ignores "!" before its options, so they all take one. */
static const struct fw_opt set_tg_opts[] = {
	{ "add-set", O_ADD_SET, 2, FW_OPT_INV },
	{ "del-set", O_DEL_SET, 2, FW_OPT_INV },
	{ "exist", O_EXIST, 0, FW_OPT_INV | FW_OPT_MULTI },
	{ "timeout", O_TIMEOUT, 1, FW_OPT_INV | FW_OPT_MULTI },
	{ "map-set", O_MAP_SET, 2, FW_OPT_INV },
	{ "map-mark", O_MAP_MARK, 0, FW_OPT_INV | FW_OPT_MULTI },
	{ "map-prio", O_MAP_PRIO, 0, FW_OPT_INV | FW_OPT_MULTI },
	{ "map-queue", O_MAP_QUEUE, 0, FW_OPT_INV | FW_OPT_MULTI },
	{ NULL },
};

/*
 * The payloads hold kernel set indexes; names live here, learnt when a
 * rule is parsed or decoded, so that print can show them. The parser
 * thread adds names while the encoder may print (fw-restore's -D), so
 * entries are never moved or changed: a name learnt again is a new entry
 * in front, and a name returned stays valid.
 */
static struct set_name {
	struct set_name *next;
	uint16_t index;
	char name[IPSET_MAXNAMELEN];
} *set_names;
static pthread_mutex_t set_names_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *name_known(uint16_t index)
{
	struct set_name *n;

	pthread_mutex_lock(&set_names_lock);
	for (n = set_names; n && n->index != index; n = n->next)
		;
	pthread_mutex_unlock(&set_names_lock);
	return n ? n->name : NULL;
}

static void name_remember(uint16_t index, const char *name)
{
	const char *known = name_known(index);
	struct set_name *n;

	if (known && !strncmp(known, name, IPSET_MAXNAMELEN - 1))
		return;
	n = xzalloc(sizeof(*n));
	n->index = index;
	snprintf(n->name, sizeof(n->name), "%s", name);
	pthread_mutex_lock(&set_names_lock);
	n->next = set_names;
	set_names = n;
	pthread_mutex_unlock(&set_names_lock);
}

static const char *name_of(uint16_t index)
{
	char name[IPSET_MAXNAMELEN];
	const char *known = name_known(index);

	if (known)
		return known;
	if (fw_ipset_name(index, name, sizeof(name)))
		return NULL;
	name_remember(index, name);
	return name_known(index);
}

static int lookup_set(struct fw_pctx *p, const char *name, uint16_t *index)
{
	int family;

	if (strlen(name) > IPSET_MAXNAMELEN - 1)
		return fw_error(p->errs, p->loc, "set name '%s' is longer than "
				"%d characters", name, IPSET_MAXNAMELEN - 1);
	if (fw_ipset_find(name, index, &family)) {
		if (errno == ENOENT)
			return fw_error(p->errs, p->loc,
					"set '%s' does not exist", name);
		return fw_error(p->errs, p->loc, "cannot look up set '%s': %s",
				name, strerror(errno));
	}
	if (family && family != p->rule->family)
		return fw_error(p->errs, p->loc, "set '%s' is of family %s, "
				"not applicable here", name,
				family == NFPROTO_IPV4 ? "IPv4" : "IPv6");
	name_remember(*index, name);
	return 0;
}

/* "src,dst,...": up to IPSET_DIM_MAX words, judged by their first 3 bytes. */
static int parse_dirs(struct fw_pctx *p, const char *s,
		      struct xt_set_info *info)
{
	const char *w = s, *comma;

	if (*s == '-' || *s == '!')
		return fw_error(p->errs, p->loc,
				"set flags missing before '%s'", s);
	for (;;) {
		if (info->dim == IPSET_DIM_MAX)
			return fw_error(p->errs, p->loc, "more than %d set "
					"flags in '%s'", IPSET_DIM_MAX, s);
		info->dim++;
		if (!strncmp(w, "src", 3))
			info->flags |= 1 << info->dim;
		else if (strncmp(w, "dst", 3))
			return fw_error(p->errs, p->loc, "set flags '%s' are "
					"not a list of 'src' and 'dst'", s);
		comma = strchr(w, ',');
		if (!comma)
			return 0;
		w = comma + 1;
	}
}

static int parse_set(struct fw_pctx *p, char **argv, struct xt_set_info *info)
{
	if (info->dim)
		return fw_error(p->errs, p->loc,
				"only one set of a kind per rule");
	return lookup_set(p, argv[0], &info->index) ?:
	       parse_dirs(p, argv[1], info);
}

static void print_set(struct fw_pr *pr, bool inv, const char *opt,
		      const struct xt_set_info *info)
{
	const char *name = name_of(info->index);
	char dirs[4 * IPSET_DIM_MAX];
	int i, n = 0;

	for (i = 1; i <= info->dim && i <= IPSET_DIM_MAX; i++)
		n += sprintf(dirs + n, "%s%s", i == 1 ? "" : ",",
			     info->flags & (1 << i) ? "src" : "dst");
	if (name)
		fw_pr_val(pr, inv, opt, "%s %s", name, dirs);
	else
		fw_pr_val(pr, inv, opt, "#%u %s", info->index, dirs);
}

static int set_from_kernel(struct fw_dec *d, uint16_t index)
{
	if (index != IPSET_INVALID_ID && !name_of(index))
		return fw_dec_error(d, "ipset index %u: no such set", index);
	return 0;
}

/* The match. */

static int parse_counter(struct fw_pctx *p, const struct fw_opt *o,
			 const char *s, struct ip_set_counter_match *c)
{
	static const uint8_t ops[] = { IPSET_COUNTER_EQ, IPSET_COUNTER_LT,
				       IPSET_COUNTER_GT };
	int k = (o->id - O_PACKETS_EQ) % 3;
	uint64_t v;

	if (c->op != IPSET_COUNTER_NONE)
		return fw_error(p->errs, p->loc, "only one of the "
				"--packets-* and one of the --bytes-* options");
	if (p->inv && k)
		return fw_error(p->errs, p->loc, "'--%s' cannot be inverted",
				o->name);
	if (fw_parse_uint(p, s, UINT64_MAX, &v))
		return -1;
	c->op = p->inv ? IPSET_COUNTER_NE : ops[k];
	c->value = v;
	return 0;
}

static int set_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct xt_set_info_match_v4 *info =
		(struct xt_set_info_match_v4 *)p->xt->data;

	switch (o->id) {
	case O_MATCH_SET:
		if (p->inv)
			info->match_set.flags |= IPSET_INV_MATCH;
		return parse_set(p, argv, &info->match_set);
	case O_RETURN_NOMATCH:
		if (p->inv)
			return fw_error(p->errs, p->loc, "'--return-nomatch' "
					"cannot be inverted");
		info->flags |= IPSET_FLAG_RETURN_NOMATCH;
		return 0;
	case O_UPDATE_COUNTERS:
		if (p->inv)
			info->flags |= IPSET_FLAG_SKIP_COUNTER_UPDATE;
		return 0;
	case O_UPDATE_SUB:
		if (p->inv)
			info->flags |= IPSET_FLAG_SKIP_SUBCOUNTER_UPDATE;
		return 0;
	}
	return parse_counter(p, o, argv[0], o->id < O_BYTES_EQ ?
			     &info->packets : &info->bytes);
}

static int set_check(struct fw_pctx *p)
{
	if (!(p->xt->seen & 1u << O_MATCH_SET))
		return fw_error(p->errs, p->loc,
				"set match needs '--match-set'");
	return 0;
}

static void print_counter(struct fw_pr *pr, const char *what,
			  const struct ip_set_counter_match *c)
{
	static const char *const sfx[] = {
		[IPSET_COUNTER_EQ] = "eq", [IPSET_COUNTER_NE] = "eq",
		[IPSET_COUNTER_LT] = "lt", [IPSET_COUNTER_GT] = "gt",
	};
	char opt[16];

	if (c->op == IPSET_COUNTER_NONE || c->op > IPSET_COUNTER_GT)
		return;
	snprintf(opt, sizeof(opt), "%s-%s", what, sfx[c->op]);
	fw_pr_val(pr, c->op == IPSET_COUNTER_NE, opt, "%llu",
		  (unsigned long long)c->value);
}

static void set_print(const struct fw_xt *x, const struct fw_rule *r,
		      struct fw_pr *pr)
{
	const struct xt_set_info_match_v4 *info =
		(const struct xt_set_info_match_v4 *)x->data;

	print_set(pr, info->match_set.flags & IPSET_INV_MATCH, "match-set",
		  &info->match_set);
	if (info->flags & IPSET_FLAG_RETURN_NOMATCH)
		fw_pr_flag(pr, false, "return-nomatch");
	if (info->flags & IPSET_FLAG_SKIP_COUNTER_UPDATE)
		fw_pr_flag(pr, true, "update-counters");
	if (info->flags & IPSET_FLAG_SKIP_SUBCOUNTER_UPDATE)
		fw_pr_flag(pr, true, "update-subcounters");
	print_counter(pr, "packets", &info->packets);
	print_counter(pr, "bytes", &info->bytes);
}

static int set_from_xt(struct fw_dec *d, struct fw_xt *x)
{
	const struct xt_set_info_match_v4 *info =
		(const struct xt_set_info_match_v4 *)x->data;

	return set_from_kernel(d, info->match_set.index);
}

/* The target. */

static void set_tg_init(struct fw_xt *x, const struct fw_rule *r)
{
	struct xt_set_info_target_v3 *info =
		(struct xt_set_info_target_v3 *)x->data;

	info->add_set.index = IPSET_INVALID_ID;
	info->del_set.index = IPSET_INVALID_ID;
	info->map_set.index = IPSET_INVALID_ID;
	info->timeout = UINT32_MAX;
}

static int set_tg_parse(struct fw_pctx *p, const struct fw_opt *o,
			char **argv)
{
	static const uint32_t flag_tbl[] = {
		[O_EXIST] = IPSET_FLAG_EXIST,
		[O_MAP_MARK] = IPSET_FLAG_MAP_SKBMARK,
		[O_MAP_PRIO] = IPSET_FLAG_MAP_SKBPRIO,
		[O_MAP_QUEUE] = IPSET_FLAG_MAP_SKBQUEUE,
	};
	struct xt_set_info_target_v3 *info =
		(struct xt_set_info_target_v3 *)p->xt->data;
	uint64_t v;

	switch (o->id) {
	case O_ADD_SET:
		return parse_set(p, argv, &info->add_set);
	case O_DEL_SET:
		return parse_set(p, argv, &info->del_set);
	case O_MAP_SET:
		return parse_set(p, argv, &info->map_set);
	case O_TIMEOUT:
		if (fw_parse_uint(p, argv[0], UINT32_MAX - 1, &v))
			return -1;
		info->timeout = v;
		return 0;
	}
	info->flags |= flag_tbl[o->id];
	return 0;
}

static int set_tg_check(struct fw_pctx *p)
{
	uint64_t seen = p->xt->seen;
	uint64_t maps = 1u << O_MAP_MARK | 1u << O_MAP_PRIO | 1u << O_MAP_QUEUE;

	if (!(seen & (1u << O_ADD_SET | 1u << O_DEL_SET | 1u << O_MAP_SET)))
		return fw_error(p->errs, p->loc, "SET target needs "
				"'--add-set', '--del-set' or '--map-set'");
	if (!(seen & 1u << O_ADD_SET) &&
	    seen & (1u << O_EXIST | 1u << O_TIMEOUT))
		return fw_error(p->errs, p->loc, "'--exist' and '--timeout' "
				"need '--add-set'");
	if (!(seen & 1u << O_MAP_SET) && seen & maps)
		return fw_error(p->errs, p->loc, "'--map-mark', '--map-prio' "
				"and '--map-queue' need '--map-set'");
	if (seen & 1u << O_MAP_SET && !(seen & maps))
		return fw_error(p->errs, p->loc, "'--map-set' needs "
				"'--map-mark', '--map-prio' or '--map-queue'");
	return 0;
}

static void print_tg_set(struct fw_pr *pr, const char *opt,
			 const struct xt_set_info *info)
{
	if (info->index != IPSET_INVALID_ID)
		print_set(pr, false, opt, info);
}

static void set_tg_print(const struct fw_xt *x, const struct fw_rule *r,
			 struct fw_pr *pr)
{
	const struct xt_set_info_target_v3 *info =
		(const struct xt_set_info_target_v3 *)x->data;

	print_tg_set(pr, "add-set", &info->add_set);
	if (info->flags & IPSET_FLAG_EXIST)
		fw_pr_flag(pr, false, "exist");
	if (info->timeout != UINT32_MAX)
		fw_pr_val(pr, false, "timeout", "%u", info->timeout);
	print_tg_set(pr, "del-set", &info->del_set);
	print_tg_set(pr, "map-set", &info->map_set);
	if (info->flags & IPSET_FLAG_MAP_SKBMARK)
		fw_pr_flag(pr, false, "map-mark");
	if (info->flags & IPSET_FLAG_MAP_SKBPRIO)
		fw_pr_flag(pr, false, "map-prio");
	if (info->flags & IPSET_FLAG_MAP_SKBQUEUE)
		fw_pr_flag(pr, false, "map-queue");
}

static int set_tg_from_xt(struct fw_dec *d, struct fw_xt *x)
{
	const struct xt_set_info_target_v3 *info =
		(const struct xt_set_info_target_v3 *)x->data;

	return set_from_kernel(d, info->add_set.index) ?:
	       set_from_kernel(d, info->del_set.index) ?:
	       set_from_kernel(d, info->map_set.index);
}

/*
 * Sets exist only in a kernel: without one (unit tests) every lookup
 * fails, so only the failures are tested here.
 */
static const struct fw_case set_tests[] = {
	{ "--match-set fw-unit-no-such-set src", NULL, FW_FAIL, 0, NULL },
	{ "--match-set fw-unit-no-such-set", NULL, FW_FAIL, 0, NULL },
	{ "--match-set fw-unit-no-such-set-with-a-far-too-long-name src",
	  NULL, FW_FAIL, 0, NULL },
	{ "--return-nomatch", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

static const struct fw_case set_tg_tests[] = {
	{ "--add-set fw-unit-no-such-set src,dst", NULL, FW_FAIL, 0, NULL },
	{ "--del-set fw-unit-no-such-set", NULL, FW_FAIL, 0, NULL },
	{ "--exist", NULL, FW_FAIL, 0, NULL },
	{ "--timeout 5", NULL, FW_FAIL, 0, NULL },
	{ "--map-mark", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_set = {
	.name = "set",
	.kind = FW_EXT_MATCH,
	.revision = 4,
	.size = sizeof(struct xt_set_info_match_v4),
	.opts = set_opts,
	.parse = set_parse,
	.check = set_check,
	.print = set_print,
	.from_xt = set_from_xt,
	.tests = set_tests,
};

const struct fw_ext fw_ext_set_tg = {
	.name = "SET",
	.kind = FW_EXT_TARGET,
	.revision = 3,
	.size = sizeof(struct xt_set_info_target_v3),
	.opts = set_tg_opts,
	.init = set_tg_init,
	.parse = set_tg_parse,
	.check = set_tg_check,
	.print = set_tg_print,
	.from_xt = set_tg_from_xt,
	.tests = set_tg_tests,
};
