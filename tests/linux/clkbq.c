// SPDX-License-Identifier: MIT
/*
 * A platform driver whose probe takes and switches its clocks as a set,
 * with only <linux/...> includes (tests/test_linux_clk_bulk.c).
 */
#include <linux/clk.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>

#include "clkbq.h"

struct clkbq_result clkbq;

static int clkbq_probe(struct platform_device *pdev)
{
	struct clk_bulk_data *all;
	struct clk_bulk_data two[] = { { .id = "bus" }, { .id = "core" } };
	struct clk_bulk_data nope[] = { { .id = "nope" } };
	int i;

	clkbq.probed++;
	clkbq.n_all = devm_clk_bulk_get_all_enabled(&pdev->dev, &all);
	for (i = 0; i < clkbq.n_all && i < 2; i++) {
		clkbq.ids[i] = all[i].id;
		clkbq.rates[i] = clk_get_rate(all[i].clk);
		clkbq.enabled[i] = dk_clk_enable_count(all[i].clk);
	}
	clkbq.r_get = devm_clk_bulk_get(&pdev->dev, ARRAY_SIZE(two), two);
	if (!clkbq.r_get) {
		clkbq.bus_rate = clk_get_rate(two[0].clk);
		clk_bulk_prepare_enable(ARRAY_SIZE(two), two);
		clk_bulk_disable_unprepare(ARRAY_SIZE(two), two);
		for (i = 0; i < 2; i++)
			clkbq.enabled_after_off[i] = dk_clk_enable_count(two[i].clk);
	}
	clkbq.r_missing = devm_clk_bulk_get(&pdev->dev, 1, nope);
	clkbq.r_optional = devm_clk_bulk_get_optional(&pdev->dev, 1, nope);
	clkbq.optional_null = nope[0].clk == NULL;
	return 0;
}

static const struct of_device_id clkbq_of_match[] = {
	{ .compatible = "acme,clkbq" },
	{ }
};
MODULE_DEVICE_TABLE(of, clkbq_of_match);

static struct platform_driver clkbq_driver = {
	.probe = clkbq_probe,
	.driver = {
		.name = "clkbq",
		.of_match_table = clkbq_of_match,
	},
};
module_platform_driver(clkbq_driver);
MODULE_LICENSE("MIT");
