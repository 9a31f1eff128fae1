/* SPDX-License-Identifier: GPL-2.0-or-later */
/* the list of registered extensions: one X(name) per struct fw_ext */
#ifndef FW_EXTS_H
#define FW_EXTS_H

/*
 * X(n) names the object fw_ext_n defined in common/ext/. Aliases (an ext
 * whose kname is another's name) must come before the ext they alias.
 */
#define FW_EXTS(X) \
	X(tcp) \
	X(udp) \
	/* end */

#endif
