/* SPDX-License-Identifier: GPL-2.0-or-later */
/* the YAML form: a second syntax over the same commands and rules */
#ifndef FW_YAML_H
#define FW_YAML_H

#include "base.h"

#include "cmd.h"
#include "save.h"

/*
 * Parse a YAML ruleset (docs/yaml.md) into the same commands the text
 * parser produces; both families may be in one document. Same contract
 * as fw_parse_text().
 */
int fw_parse_yaml(const struct fw_input *in, unsigned flags,
		  const char *only_table, fw_cmd_fn fn, void *data,
		  struct fw_errs *errs);

/* The YAML sink for fw_save(); release with fw_yaml_sink_release(). */
void fw_yaml_sink_init(struct fw_save_sink *s, unsigned flags,
		       const char *progname);
void fw_yaml_sink_release(struct fw_save_sink *s);

#endif
