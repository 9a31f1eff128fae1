/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz target: the YAML parser (docs/yaml.md), then the printer and the
 * encoder on every rule it accepts, as fuzz-text.c does for the text form.
 */
#include "parse-harness.h"
#include "yaml.h"

static void parse_yaml(const struct fw_input *in, struct fw_errs *errs)
{
	fw_parse_yaml(in, FW_P_COUNTERS, NULL, on_cmd, NULL, errs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	fuzz_parse(data, len, parse_yaml);
	return 0;
}
