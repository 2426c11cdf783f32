// SPDX-License-Identifier: MIT
/*
 * A probe that takes its registers and interrupt by name, as many Linux
 * drivers do, with only <linux/...> includes (tests/test_linux_platform_byname.c).
 */
#include <linux/err.h>
#include <linux/io.h>
#include <linux/platform_device.h>

#include "bynameq.h"

void bynameq_run(struct platform_device *pdev, struct bynameq_result *r)
{
	struct resource *res;
	void __iomem *base;

	res = platform_get_resource_byname(pdev, IORESOURCE_MEM, "regs");
	r->regs_start = res ? res->start : 0;
	r->irq = platform_get_irq_byname(pdev, "done");
	r->missing_irq = platform_get_irq_byname_optional(pdev, "err");
	base = devm_platform_ioremap_resource_byname(pdev, "nope");
	r->unnamed = IS_ERR(base) ? (int)PTR_ERR(base) : 0;
	base = devm_platform_ioremap_resource_byname(pdev, "regs");
	r->mapped_ok = !IS_ERR(base);
}
