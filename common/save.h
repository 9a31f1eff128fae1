/* SPDX-License-Identifier: GPL-2.0-or-later */
/* the save side: a dump walks tables, chains and rules into a sink */
#ifndef FW_SAVE_H
#define FW_SAVE_H

#include "base.h"

#include "rule.h"

/*
 * Where a dump goes, in iptables-save order. Every call appends to b;
 * save.c writes b out after each table (a table found incompatible is
 * replaced by incompatible()).
 */
struct fw_save_sink {
	void (*begin)(struct fw_save_sink *s, struct fw_buf *b);
	void (*family)(struct fw_save_sink *s, struct fw_buf *b, int family);
	void (*table)(struct fw_save_sink *s, struct fw_buf *b,
		      const char *table, bool tainted);
	void (*chain)(struct fw_save_sink *s, struct fw_buf *b,
		      const char *chain, const char *policy, uint64_t pkts,
		      uint64_t bytes);
	void (*rule)(struct fw_save_sink *s, struct fw_buf *b,
		     const char *chain, const struct fw_rule *r);
	void (*table_end)(struct fw_save_sink *s, struct fw_buf *b);
	void (*incompatible)(struct fw_save_sink *s, struct fw_buf *b,
			     const char *table);
	void (*end)(struct fw_save_sink *s, struct fw_buf *b);
	unsigned flags;		/* FW_S_* */
	const char *progname;
	void *data;
};

/* The iptables-save text sink. */
void fw_text_sink_init(struct fw_save_sink *s, unsigned flags,
		       const char *progname);

#endif
