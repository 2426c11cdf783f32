// SPDX-License-Identifier: MIT
/* Sets of clocks taken and switched at once (<linux/clk.h>, clk_bulk_*). */
#include <linux/clk.h>
#include <linux/of.h>

#include "linux.h"

static int bulk_get(struct device *dev, int num_clks,
		    struct clk_bulk_data *clks, bool optional)
{
	int i;

	if (num_clks < 0 || (num_clks && !clks))
		return dk_err(-EINVAL, "clk_bulk_get: %d clocks at %p",
			      num_clks, (void *)clks);
	for (i = 0; i < num_clks; i++) {
		clks[i].clk = optional ? devm_clk_get_optional(dev, clks[i].id) :
					 devm_clk_get(dev, clks[i].id);
		if (IS_ERR(clks[i].clk)) {
			int r = (int)PTR_ERR(clks[i].clk);

			clks[i].clk = NULL;
			return r;
		}
	}
	return 0;
}

int devm_clk_bulk_get(struct device *dev, int num_clks,
		      struct clk_bulk_data *clks)
{
	return bulk_get(dev, num_clks, clks, false);
}

int devm_clk_bulk_get_optional(struct device *dev, int num_clks,
			       struct clk_bulk_data *clks)
{
	return bulk_get(dev, num_clks, clks, true);
}

int devm_clk_bulk_get_all(struct device *dev, struct clk_bulk_data **clks)
{
	struct clk_bulk_data *c;
	int n, i;

	if (!clks || !dk_dev_ok(dev, "devm_clk_bulk_get_all"))
		return -EINVAL;
	*clks = NULL;
	n = of_count_phandle_with_args(dev->of_node, "clocks", "#clock-cells");
	if (n <= 0)
		return 0;
	c = devm_kcalloc(dev, (size_t)n, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (of_property_read_string_index(dev->of_node, "clock-names",
						  i, &c[i].id))
			c[i].id = NULL;
		c[i].clk = dk_devm_clk_get_index(dev, i);
		if (IS_ERR(c[i].clk))
			return (int)PTR_ERR(c[i].clk);
	}
	*clks = c;
	return n;
}

static void bulk_disable(void *clks)
{
	struct clk_bulk_data *c = clks;
	int n = 0;

	while (c[n].clk)
		n++;
	clk_bulk_disable_unprepare(n, c);
}

int devm_clk_bulk_get_all_enabled(struct device *dev,
				  struct clk_bulk_data **clks)
{
	int n = devm_clk_bulk_get_all(dev, clks), r;

	if (n <= 0)
		return n;
	clk_bulk_prepare_enable(n, *clks);
	r = devm_add_action_or_reset(dev, bulk_disable, *clks);
	return r ? r : n;
}

int clk_bulk_prepare_enable(int num_clks, const struct clk_bulk_data *clks)
{
	int i;

	for (i = 0; clks && i < num_clks; i++)
		clk_prepare_enable(clks[i].clk);
	return 0;
}

void clk_bulk_disable_unprepare(int num_clks,
				const struct clk_bulk_data *clks)
{
	while (clks && num_clks-- > 0)
		clk_disable_unprepare(clks[num_clks].clk);
}
