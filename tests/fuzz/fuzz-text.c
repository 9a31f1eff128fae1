/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz target: the restore text grammar, rule parser, printer and encoder */
#include "parse-harness.h"

static void parse_text(const struct fw_input *in, struct fw_errs *errs)
{
	fw_parse_text(in, in->len && in->data[0] & 1 ? 10 : 2, FW_P_COUNTERS,
		      NULL, on_cmd, NULL, errs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	fuzz_parse(data, len, parse_text);
	return 0;
}
