/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fw-persist: configuration, layouts, logging, crash-safe files, commands */
#ifndef FW_PERSIST_H
#define FW_PERSIST_H

#include "base.h"

#include <stdio.h>
#include <syslog.h>

#include "fw.h"

/*
 * Exit codes of fw-persist (documented in fw-persist(8)); a monitoring
 * check can rely on them.
 */
enum fw_pexit {
	FW_P_OK = 0,		/* done; status/diff: live equals saved */
	FW_P_DIFFERS = 1,	/* status/diff: live differs from saved */
	FW_P_USAGE = 2,		/* bad option, command or config */
	FW_P_RULES = 3,		/* rules file refused or invalid */
	FW_P_FAILURE = 4,	/* kernel, netlink or I/O failure */
	FW_P_FALLBACK = 5,	/* restore failed; the fallback was applied */
};

enum fw_layout_id {
	FW_LAYOUT_AUTO,
	FW_LAYOUT_DEBIAN,
	FW_LAYOUT_IFUPDOWN,
	FW_LAYOUT_RHEL,
};

/* Index of a family in the per-family arrays. */
enum { FW_V4, FW_V6, FW_NFAMILIES };

/* Tri-state settings: unset until a file or an option says otherwise. */
#define FW_UNSET (-1)

/*
 * The effective configuration. Paths in rules[] and fallback[] are as seen
 * by the system being configured; fw_pconf_path() prefixes --root.
 */
struct fw_pconf {
	char *root;			/* "" for the running system */
	char *conf_file;		/* physical path of persist.conf */
	enum fw_layout_id layout;
	char *layout_why;		/* how the layout was chosen */
	char *rules[FW_NFAMILIES];
	char *fallback[FW_NFAMILIES];	/* NULL: none */
	int save_on_stop;
	int save_on_restart;
	int save_counters;
	int flush_on_stop;
	int backup;
	int timestamps;
	int ifup_fail_closed;
};

/* conf.c */
#define FW_PCONF_FILE "/etc/fw/persist.conf"
void fw_pconf_init(struct fw_pconf *c);
void fw_pconf_release(struct fw_pconf *c);
/*
 * Load persist.conf (conf_file, or FW_PCONF_FILE under root), detect the
 * layout when it is still FW_LAYOUT_AUTO, read the layout's own knobs and
 * fill every unset value with its default. Settings already in c (from
 * options) win. 0, or -1 after logging the error.
 */
int fw_pconf_load(struct fw_pconf *c);
/* root + path, newly allocated. */
char *fw_pconf_path(const struct fw_pconf *c, const char *path);
/* Print the effective configuration in persist.conf syntax. */
void fw_pconf_print(const struct fw_pconf *c, FILE *fp);
int fw_pconf_set(struct fw_pconf *c, const char *key, const char *val);

/*
 * Read a KEY=value file (os-release, persist.conf, iptables-config syntax:
 * '#' comments, optional single or double quotes). cb gets each pair and
 * the line number; a non-zero return from cb stops the parse and is
 * returned. A missing file returns 1; an unreadable one -1 (logged).
 */
typedef int (*fw_kv_cb)(void *ctx, const char *file, unsigned line,
			const char *key, const char *val);
int fw_kv_parse(const char *path, fw_kv_cb cb, void *ctx);
/* "yes"/"no" and friends: 1, 0, or -1 when neither. */
int fw_kv_bool(const char *val);

/* layout.c */
const char *fw_layout_name(enum fw_layout_id id);
/* FW_LAYOUT_AUTO when name is not a layout. */
enum fw_layout_id fw_layout_lookup(const char *name);
/* Default rules path of a layout and family; NULL when id is AUTO. */
const char *fw_layout_rules(enum fw_layout_id id, int fam);
/* The layout's own knobs file (iptables-config), or NULL. */
const char *fw_layout_knobs(enum fw_layout_id id);
/* Detect from os-release under c->root; sets c->layout, c->layout_why. */
void fw_layout_detect(struct fw_pconf *c);

/* log.c */
void fw_log_init(bool quiet);
void fw_log(int prio, const char *fmt, ...) FW_PRINTF(2, 3);
/* A message about a place in a file: FW_FILE=, FW_LINE= in the journal. */
void fw_log_at(int prio, const char *file, unsigned line, unsigned col,
	       const char *fmt, ...) FW_PRINTF(5, 6);
/* Log every message of errs, with its file and line. */
void fw_log_errs(const struct fw_errs *errs);
/* sd_notify() when run by systemd; STATUS= is formatted from fmt. */
void fw_notify(bool ready, const char *fmt, ...) FW_PRINTF(2, 3);

/* atomic.c: replace a file so that it is always the old or the new one */
struct fw_atomic {
	char *path;		/* the file to replace */
	char *tmp;		/* the temporary file beside it */
	int dirfd;
	int fd;			/* of tmp */
	int err;		/* errno of the first failed write */
	FILE *fp;		/* write the new contents here */
};
int fw_atomic_begin(struct fw_atomic *a, const char *path);
/*
 * Flush, fsync, keep the old file as PATH.bak when backup, rename over
 * path and fsync the directory. *changed says whether path was replaced
 * (an identical, safe file is left alone). 0, or -1 (logged); the
 * temporary file is gone either way.
 */
int fw_atomic_commit(struct fw_atomic *a, bool backup, bool *changed);
void fw_atomic_abort(struct fw_atomic *a);
/* Test hook: die with SIGKILL at the named point (FW_PERSIST_FAULT). */
void fw_fault(const char *point);
bool fw_fault_is(const char *point);

/* rules.c */
/*
 * Check that path is a regular file owned by root and not writable by
 * group or others, then read it. 0 loaded, 1 missing, -1 refused or
 * unreadable (logged).
 */
int fw_rules_load(struct fw_input *in, const char *path, int family);
/* Dump the live ruleset of one family (4 or 6) into *out (malloc'd). */
int fw_rules_dump(char **out, size_t *len, int family, unsigned flags);

/* lock.c: the lock and the once-per-boot stamp, shared with the hook */
int fw_lock_take(const struct fw_pconf *c);
void fw_lock_release(int fd);
bool fw_stamp_exists(const struct fw_pconf *c);
void fw_stamp_write(const struct fw_pconf *c, const char *result);
/* The stamp exists and says this boot's restore failed. */
bool fw_stamp_failed(const struct fw_pconf *c);

/* Commands: each returns an enum fw_pexit. */
struct fw_popts {
	bool once;		/* restore: skip if restored this boot */
	bool hook;		/* restore: called by the ifupdown hook */
	bool counters;		/* save: --counters */
};
int fw_cmd_save(const struct fw_pconf *c, const struct fw_popts *o);
int fw_cmd_restore(const struct fw_pconf *c, const struct fw_popts *o);
int fw_cmd_reload(const struct fw_pconf *c, const struct fw_popts *o);
int fw_cmd_stop(const struct fw_pconf *c, const struct fw_popts *o);
int fw_cmd_status(const struct fw_pconf *c, const struct fw_popts *o);
int fw_cmd_diff(const struct fw_pconf *c, const struct fw_popts *o);

/* save.c, used by stop and reload too */
int fw_save_files(const struct fw_pconf *c, bool counters);

#endif
