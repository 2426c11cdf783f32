/* SPDX-License-Identifier: MIT */
/* tests/linux/bynameq.c: resources looked up by their names in the tree. */
#ifndef DMAKIT_TESTS_LINUX_BYNAMEQ_H
#define DMAKIT_TESTS_LINUX_BYNAMEQ_H

struct platform_device;

struct bynameq_result {
	unsigned long long regs_start;	/* "regs" window's start, or 0 */
	int irq;			/* platform_get_irq_byname(pdev, "done") */
	int missing_irq;		/* ..._optional(pdev, "err") */
	int unnamed;			/* PTR_ERR of mapping "nope", or 0 */
	int mapped_ok;			/* "regs" mapped: 1 */
};

void bynameq_run(struct platform_device *pdev, struct bynameq_result *r);

#endif
