// SPDX-License-Identifier: MIT
/* Reset lines from the tree's "resets" (<linux/reset.h>). */
#include <stdlib.h>

#include <linux/of.h>
#include <linux/reset.h>

#include "linux.h"

struct reset_control {
	int asserted;
};

static void release(void *p)
{
	free(p);
}

struct reset_control *dk_reset_control_get(struct device *dev, const char *id,
					   bool optional)
{
	struct reset_control *rc;
	int idx = 0, n;

	if (!dk_dev_ok(dev, "devm_reset_control_get"))
		return ERR_PTR(-EINVAL);
	if (id)
		idx = of_property_match_string(dev->of_node, "reset-names", id);
	n = of_property_count_u32_elems(dev->of_node, "resets");
	if (idx < 0 || n <= 0)
		return optional ? NULL : ERR_PTR(-ENOENT);
	rc = calloc(1, sizeof(*rc));
	if (!rc || devm_add_action_or_reset(dev, release, rc))
		return ERR_PTR(-ENOMEM);
	return rc;
}

int reset_control_assert(struct reset_control *rstc)
{
	if (!IS_ERR_OR_NULL(rstc))
		rstc->asserted = 1;
	return 0;
}

int reset_control_deassert(struct reset_control *rstc)
{
	if (!IS_ERR_OR_NULL(rstc))
		rstc->asserted = 0;
	return 0;
}

int reset_control_reset(struct reset_control *rstc)
{
	return reset_control_deassert(rstc);
}

int reset_control_status(struct reset_control *rstc)
{
	return IS_ERR_OR_NULL(rstc) ? 0 : rstc->asserted;
}
