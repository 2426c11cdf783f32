/* SPDX-License-Identifier: MIT */
/* <linux/bitfield.h> for driver code built against dmakit: FIELD_PREP and
 * FIELD_GET (defined with the bit helpers). */
#ifndef DMAKIT_COMPAT_LINUX_BITFIELD_H
#define DMAKIT_COMPAT_LINUX_BITFIELD_H

#include <linux/bitops.h>

#endif
