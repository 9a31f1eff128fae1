/* SPDX-License-Identifier: GPL-2.0-or-later */
/* the extension registry: one ops table per -m match and -j target */
#ifndef FW_EXT_H
#define FW_EXT_H

#include "base.h"

#include <stdio.h>
#include <string.h>

#include "err.h"
#include "rule.h"

struct fw_nlexpr;
struct nftnl_expr;
struct nftnl_rule;
struct nlmsghdr;
struct fw_nl;

enum fw_ext_kind {
	FW_EXT_MATCH,
	FW_EXT_TARGET,
};

/* Option flags. */
enum {
	FW_OPT_INV = 1 << 0,	/* may be preceded by "!" */
	FW_OPT_STR = 1 << 1,	/* argument is free text: quoted when needed */
	FW_OPT_OPTARG = 1 << 2,	/* argument optional (taken unless it starts
				 * with '-' or '!') */
	FW_OPT_MULTI = 1 << 3,	/* may be given more than once */
};

/* One option an extension accepts: --name with nargs words after it. */
struct fw_opt {
	const char *name;	/* without the leading "--" */
	uint8_t id;		/* < 64: bit in fw_xt.seen */
	uint8_t nargs;		/* 0, 1 or 2 */
	uint8_t flags;		/* FW_OPT_* */
};

/* Everything an ext's parse callback may need. */
struct fw_pctx {
	struct fw_errs *errs;
	const struct fw_loc *loc;	/* of the option being parsed */
	struct fw_rule *rule;	/* the rule so far */
	struct fw_xt *xt;	/* the instance being parsed */
	bool inv;		/* "!" before the option */
};

/*
 * The printer sink: the canonical form of an extension is a list of
 * (option, value) pairs. The text printer writes "[! ]--opt value"; the
 * YAML printer writes the same pairs as a mapping.
 */
struct fw_pr {
	/* opt without "--"; val NULL for a flag; quote: FW_OPT_STR value */
	void (*opt)(struct fw_pr *pr, bool inv, const char *opt,
		    const char *val, bool quote);
	void *data;
	int family;
	/*
	 * Set only during fw_pr_qstr(): the text form quotes the value
	 * always, escaping just '"' and '\\' (libxt_string's save).
	 */
	bool always_quote;
	/*
	 * Set only during fw_pr_sstr(): the text form writes two spaces
	 * before the value (libxt_nfacct's save).
	 */
	bool extra_space;
};

/* Helpers for print callbacks. fmt is printf-like; the result is the value. */
void fw_pr_flag(struct fw_pr *pr, bool inv, const char *opt);
void fw_pr_val(struct fw_pr *pr, bool inv, const char *opt,
	       const char *fmt, ...) FW_PRINTF(4, 5);
/* A number in decimal: fw_pr_val(pr, inv, opt, "%llu", v) without printf. */
void fw_pr_uint(struct fw_pr *pr, bool inv, const char *opt,
		unsigned long long v);
void fw_pr_str(struct fw_pr *pr, bool inv, const char *opt, const char *s);
/* A string value that iptables-save always quotes (see always_quote). */
void fw_pr_qstr(struct fw_pr *pr, bool inv, const char *opt, const char *s);
/* fw_pr_str() for a value iptables-save prints after two spaces. */
void fw_pr_sstr(struct fw_pr *pr, bool inv, const char *opt, const char *s);

/*
 * Encoding context: one rule being built. Either as nftnl objects in nr,
 * or, when nlh is set (fw_rule_encode_msg()), written straight into the
 * netlink message nlh; then nr only collects the expressions that an
 * extension builds as nftnl objects (fw_enc_add(), which allocates nr on
 * first use), and fw_enc_flush() moves them into nlh (each helper calls
 * it first, so the order stays that of the calls).
 */
struct fw_enc {
	struct nftnl_rule *nr;	/* direct: NULL until fw_enc_add() */
	const struct fw_rule *rule;
	struct fw_nl *nl;	/* NULL in --test: no kernel */
	struct fw_errs *errs;
	struct nlmsghdr *nlh;	/* direct: inside NFTA_RULE_EXPRESSIONS */
};

/* Decoding context: register state while walking a rule's expressions. */
struct fw_dreg {
	enum { FW_R_NONE, FW_R_META, FW_R_PAYLOAD, FW_R_IMM } kind;
	uint32_t key;		/* meta key */
	uint32_t base, offset, len;	/* payload */
	bool masked;		/* a bitwise followed the load */
	uint8_t mask[16], xor[16];
	uint8_t imm[16];
	uint32_t imm_len;
};

struct fw_dec {
	struct fw_rule *rule;
	struct fw_errs *errs;
	struct fw_dreg reg[2];	/* NFT_REG_1 (index 0), NFT_REG32_01 (1) */
	const char *where;	/* "table T chain C" for messages */
	bool foreign;		/* a form iptables never writes: the table
				 * is printed as incompatible */
	/*
	 * The tcp or udp instance that native port and flag compares go
	 * into: one per rule, never an xt one (1.8.9's ctx->tcpudp).
	 */
	struct fw_xt *l4;
};

/* One line of an ext's test table, run by tests/unit without a kernel. */
enum fw_case_verdict { FW_OK, FW_FAIL };
struct fw_case {
	const char *in;		/* options after "-m NAME" / "-j NAME" */
	const char *out;	/* canonical text, "=" for same as in */
	enum fw_case_verdict verdict;
	int family;		/* 0: both, 4 or 6 */
	const char *pre;	/* base options before -m, e.g. "-p tcp" */
};

/*
 * An older xt revision of an ext, for kernels without the ext's own
 * (highest) one: its payload size and converters from and to the ext's
 * info struct. down() returns -1 when this revision cannot express x.
 */
struct fw_xt_rev {
	uint32_t revision;
	unsigned size;		/* sizeof its struct (unaligned); 0 ends a list */
	int (*down)(const struct fw_xt *x, void *out);
	int (*up)(const void *in, unsigned len, struct fw_xt *x);
};

struct fw_ext {
	const char *name;	/* as after -m / -j */
	const char *kname;	/* kernel (xt) name if not name: alias */
	enum fw_ext_kind kind;
	int family;		/* 0: both, else FW_AF_IPV4 / FW_AF_IPV6 */
	uint32_t revision;	/* xt revision for the compat encoding */
	unsigned size;		/* sizeof the info struct (unaligned) */
	const struct fw_opt *opts;	/* NULL-name terminated */

	/* Fill defaults into a fresh info (optional; zero otherwise). */
	void (*init)(struct fw_xt *x, const struct fw_rule *r);
	/* One option with its args (argv[0..nargs-1]). 0 or -1 (error). */
	int (*parse)(struct fw_pctx *p, const struct fw_opt *o, char **argv);
	/* After the whole rule is read (optional). 0 or -1. */
	int (*check)(struct fw_pctx *p);
	/* Canonical options, in iptables-save order. */
	void (*print)(const struct fw_xt *x, const struct fw_rule *r,
		      struct fw_pr *pr);
	/* To nftnl expressions; NULL: the xt compat match/target. 0/-1. */
	int (*to_nl)(struct fw_enc *e, const struct fw_xt *x);
	/*
	 * From a native expression (NULL for compat-only exts): 1 if the
	 * ext took e (adding or extending its instance in d->rule), 0 if
	 * not its, -1 on error (fw_dec_error), or -1 after fw_dec_foreign()
	 * for a form iptables never writes.
	 */
	int (*from_nl)(struct fw_dec *d, const struct fw_nlexpr *e);
	/* For compat decode among several exts with one kname (aliases). */
	bool (*claims)(const void *info, unsigned len);
	/* Fix up info decoded from the kernel (optional). 0 or -1. */
	int (*from_xt)(struct fw_dec *d, struct fw_xt *x);
	const struct fw_case *tests;	/* NULL-in terminated */
	/* older revisions, highest first, for older kernels (optional) */
	const struct fw_xt_rev *older;
};

/* Every registered extension, NULL-terminated (common/ext.c). */
extern const struct fw_ext *const fw_exts[];

/* Find an ext by -m/-j name for a family (kind: match or target). */
const struct fw_ext *fw_ext_find(const char *name, enum fw_ext_kind kind,
				 int family);
/* Find the ext for a compat expression (kernel name, revision, info). */
const struct fw_ext *fw_ext_find_xt(const char *kname, uint32_t rev,
				    enum fw_ext_kind kind, int family,
				    const void *info, unsigned len);
/*
 * How the len bytes at name (an option word, not NUL-terminated there)
 * fit the option name opt: FW_OPT_FIT_EXACT, FW_OPT_FIT_PREFIX (name is a
 * prefix of opt, as getopt_long takes it) or FW_OPT_FIT_NONE.
 */
enum { FW_OPT_FIT_NONE, FW_OPT_FIT_PREFIX, FW_OPT_FIT_EXACT };
static inline int fw_opt_fit(const char *opt, const char *name, size_t len)
{
	/* most options differ in their first letter: strncmp() only then */
	if (len && opt[0] != name[0])
		return FW_OPT_FIT_NONE;
	if (strncmp(opt, name, len))
		return FW_OPT_FIT_NONE;
	return opt[len] ? FW_OPT_FIT_PREFIX : FW_OPT_FIT_EXACT;
}
/*
 * The option of ext called name: exact, else a unique prefix (as
 * getopt_long). NULL if none; *ambiguous set when several prefixes fit.
 */
const struct fw_opt *fw_ext_opt(const struct fw_ext *e, const char *name,
				size_t len, bool *ambiguous);
/*
 * The ext and older revision for a compat expression no ext's own
 * revision matches (a rule written for an older kernel). NULL if none.
 */
const struct fw_ext *fw_ext_find_xt_older(const char *kname, uint32_t rev,
					  enum fw_ext_kind kind, int family,
					  unsigned len,
					  const struct fw_xt_rev **older);
/* The kernel name of an ext. */
static inline const char *fw_ext_kname(const struct fw_ext *e)
{
	return e->kname ? e->kname : e->name;
}

/* Encoding helpers for to_nl callbacks (they append to e->nr). */
void fw_enc_payload(struct fw_enc *e, uint32_t base, uint32_t off,
		    uint32_t len);
void fw_enc_meta(struct fw_enc *e, uint32_t key);
void fw_enc_cmp(struct fw_enc *e, uint32_t op, const void *data,
		uint32_t len);
void fw_enc_range(struct fw_enc *e, uint32_t op, const void *from,
		  const void *to, uint32_t len);
void fw_enc_bitwise(struct fw_enc *e, const void *mask, const void *xor,
		    uint32_t len);
/* The compat xt match/target of x, as 1.8.9 sends it. */
int fw_enc_xt(struct fw_enc *e, const struct fw_xt *x);
/* Add an expression built with libnftnl (e takes it). */
void fw_enc_add(struct fw_enc *e, struct nftnl_expr *x);
/*
 * Direct encoding: write the expressions added to e->nr so far into
 * e->nlh (and empty e->nr). Nothing to do otherwise.
 */
void fw_enc_flush(struct fw_enc *e);
/*
 * Direct encoding: open one expression (NFTA_LIST_ELEM with its name and
 * NFTA_EXPR_DATA); write its attributes with mnl_attr_put*(e->nlh, ...),
 * then close it with fw_enc_end(e, the returned nest).
 */
struct nlattr *fw_enc_begin(struct fw_enc *e, const char *name);
void fw_enc_end(struct fw_enc *e, struct nlattr *elem);

/* Decoding helper: the last match of d->rule if it is ext, else a new one. */
struct fw_xt *fw_dec_match(struct fw_dec *d, const struct fw_ext *ext);
/*
 * The rule has a form iptables never writes (e.g. a second verdict after
 * a native target): no error; the table is printed as incompatible.
 * Returns -1 to stop the decode.
 */
int fw_dec_foreign(struct fw_dec *d);
/* Decode error: "cannot express ..." with d->where; returns -1. */
int fw_dec_error(struct fw_dec *d, const char *fmt, ...) FW_PRINTF(2, 3);
#ifdef __clang_analyzer__	/* as fw_error() in err.h */
#define fw_dec_foreign(d) (fw_dec_foreign(d), -1)
#define fw_dec_error(...) (fw_dec_error(__VA_ARGS__), -1)
#endif

/* Parsing helpers for parse callbacks; each reports its own error. */
int fw_parse_uint(struct fw_pctx *p, const char *s, uint64_t max,
		  uint64_t *v);
int fw_parse_port(struct fw_pctx *p, const char *s, uint16_t *port);
/* "a", "a:b", ":b", "a:", ":" -> lo..hi. */
int fw_parse_port_range(struct fw_pctx *p, const char *s, uint16_t *lo,
			uint16_t *hi);
/*
 * A libxtables integer range "a", "a:b", ":b", "a:" or ":" (an empty
 * side is 0 or max); one value gives lo == hi. No lo <= hi check.
 */
int fw_parse_range(struct fw_pctx *p, const char *s, uint64_t max,
		   uint64_t *lo, uint64_t *hi);
/*
 * "VALUE[/MASK]" as libxtables' mark type (any base, 32 bits); the mask
 * is 0xffffffff when not given.
 */
int fw_parse_markmask(struct fw_pctx *p, const char *s, uint32_t *val,
		      uint32_t *mask);
/*
 * A libxtables prefix-length-as-mask: "N" or a contiguous mask in address
 * form, into 16 bytes (IPv4: 4 bytes, rest zero). A non-contiguous mask
 * gives all ones, as in iptables.
 */
int fw_parse_plenmask(struct fw_pctx *p, const char *s, uint8_t *mask);
/*
 * A libxtables host-and-mask: "HOST[/MASK]" into 16-byte addr and mask.
 * The address is not masked; without a mask all 16 mask bytes are set.
 */
int fw_parse_hostmask(struct fw_pctx *p, const char *s, uint8_t *addr,
		      uint8_t *mask);
/*
 * "ADDR/N", or "ADDR/MASK" for a mask that is no prefix, as iptables-save
 * prints -s and -d; host: a full mask is left out, as libxtables prints a
 * host and mask. buf: at least 2 * 46 bytes.
 */
void fw_format_addr(int family, const uint8_t *addr, const uint8_t *mask,
		    bool host, char *buf, size_t len);
/* Strict protocol name or number (as -p); 0..255. */
int fw_proto_parse(const char *s, uint8_t *proto);
/* The name iptables-save prints for a protocol, or NULL for numeric. */
const char *fw_proto_name(uint8_t proto);
/* Text needs quoting per iptables-save rules? */
bool fw_needs_quote(const char *s);
/*
 * A name that iptables-save prints as it is (an algorithm, a helper, an
 * estimator): not empty, no blank, quote, backslash or control byte, so
 * that the saved line loads again. 0, or -1 with "invalid WHAT 'S'".
 */
int fw_parse_word(struct fw_pctx *p, const char *what, const char *s);

/*
 * The registry's consistency check for tests: every ext has a test
 * table, unique (name, kind, family). Returns the number of problems and
 * prints them to fp.
 */
int fw_ext_check_registry(FILE *fp);

#endif
