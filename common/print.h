/* SPDX-License-Identifier: GPL-2.0-or-later */
/* the iptables-save text form of a rule */
#ifndef FW_PRINT_H
#define FW_PRINT_H

#include "base.h"

#include "ext.h"
#include "rule.h"

/*
 * Append r's canonical spec to b: " -s ... -j TARGET" (each part with a
 * leading space; nothing for an empty rule).
 */
void fw_rule_print(const struct fw_rule *r, struct fw_buf *b);

/*
 * Walk r's parts in iptables-save order, calling the sink: base options
 * go out as pairs with opt "s", "d", "i", "o", "p", "f"; each match or
 * target first calls begin(kind, name), then its pairs.
 */
struct fw_rule_sink {
	struct fw_pr pr;	/* pairs */
	void (*begin)(struct fw_rule_sink *s, enum fw_ext_kind kind,
		      const char *name, bool go);
};
void fw_rule_walk(const struct fw_rule *r, struct fw_rule_sink *s);

/* Append s to b quoted as iptables-save quotes a string option. */
void fw_buf_addquoted(struct fw_buf *b, const char *s);

#endif
