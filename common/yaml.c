/* SPDX-License-Identifier: GPL-2.0-or-later */
/* the YAML form: not written yet (issue: YAML form) */
#include "base.h"

#include "yaml.h"

int fw_parse_yaml(const struct fw_input *in, unsigned flags,
		  const char *only_table, fw_cmd_fn fn, void *data,
		  struct fw_errs *errs)
{
	return fw_error(errs, NULL, "the YAML form is not implemented yet");
}

void fw_yaml_sink_init(struct fw_save_sink *s, unsigned flags,
		       const char *progname)
{
	fw_text_sink_init(s, flags, progname);
}

void fw_yaml_sink_release(struct fw_save_sink *s)
{
}
