// SPDX-License-Identifier: MIT
/*
 * A platform driver as written for kernels before 6.11, whose .remove
 * returns int (tests/test_linux_old_remove.c). Its build says which
 * kernel it targets, as building against that kernel's headers would:
 * here by defining LINUX_VERSION_CODE before the first include, as
 * -DLINUX_VERSION_CODE=0x060600 on the command line does.
 */
#define LINUX_VERSION_CODE 0x060600

#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/version.h>

#include "oldremove.h"

struct oldremove_result oldremove;

static int oldremove_probe(struct platform_device *pdev)
{
	oldremove.probed++;
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 11, 0)
	oldremove.version_seen = LINUX_VERSION_MAJOR * 100 +
				 LINUX_VERSION_PATCHLEVEL;
#endif
	return 0;
}

/* Drivers of that time returned errors Linux could not act on. */
static int oldremove_remove(struct platform_device *pdev)
{
	oldremove.removed++;
	return -EBUSY;
}

static const struct of_device_id oldremove_of_match[] = {
	{ .compatible = "acme,oldremove" },
	{ }
};
MODULE_DEVICE_TABLE(of, oldremove_of_match);

static struct platform_driver oldremove_driver = {
	.probe = oldremove_probe,
	.remove = oldremove_remove,
	.driver = {
		.name = "oldremove",
		.owner = THIS_MODULE,
		.of_match_table = oldremove_of_match,
	},
};
module_platform_driver(oldremove_driver);

MODULE_DESCRIPTION("A driver whose remove returns int");
MODULE_LICENSE("Dual MIT/GPL");
