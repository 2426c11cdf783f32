/* SPDX-License-Identifier: MIT */
/*
 * <linux/version.h> for driver code built against dmakit: which kernel's
 * API the <linux/...> tree gives.
 *
 * By default it is Linux 6.12's (platform_driver.remove returns void and
 * remove_new still exists; i2c_algorithm has both xfer and master_xfer).
 * A driver written for an older kernel is built with
 * -DLINUX_VERSION_CODE=KERNEL_VERSION-value (e.g. 0x060600 for 6.6), as
 * it would be against that kernel's headers: the declarations whose
 * signature changed then follow that kernel (a platform driver's .remove
 * returns int before 6.11), and the driver's own
 * "#if LINUX_VERSION_CODE < KERNEL_VERSION(...)" tests see it.
 */
#ifndef DMAKIT_COMPAT_LINUX_VERSION_H
#define DMAKIT_COMPAT_LINUX_VERSION_H

#define KERNEL_VERSION(a, b, c)						\
	(((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))

#ifndef LINUX_VERSION_CODE
#define LINUX_VERSION_CODE		KERNEL_VERSION(6, 12, 0)
#endif
#define LINUX_VERSION_MAJOR		((LINUX_VERSION_CODE >> 16) & 0xff)
#define LINUX_VERSION_PATCHLEVEL	((LINUX_VERSION_CODE >> 8) & 0xff)
#define LINUX_VERSION_SUBLEVEL		(LINUX_VERSION_CODE & 0xff)

#endif
