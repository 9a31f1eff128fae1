/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libyaml's <yaml.h>, which common/yaml.h hides from a plain include */
#ifndef FW_LIBYAML_H
#define FW_LIBYAML_H

#include_next <yaml.h>

#endif
