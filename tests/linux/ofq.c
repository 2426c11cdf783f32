// SPDX-License-Identifier: MIT
/*
 * A platform driver whose probe asks its tree node everything drivers ask
 * (<linux/of.h>, <linux/property.h>, optional clocks and resets, what an
 * address is), written with only <linux/...> includes; the test compares
 * every answer (tests/test_linux_of.c).
 */
#include <linux/clk.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/reset.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "ofq.h"

struct ofq_result ofq;

static int ofq_probe(struct platform_device *pdev)
{
	struct device_node *np = pdev->dev.of_node, *c;
	struct of_phandle_args a;
	u32 local = 0;
	void *heap = kmalloc(64, GFP_KERNEL), *vm = vmalloc(8192);

	ofq.probed++;
	ofq.r_u32 = device_property_read_u32(&pdev->dev, "acme,one", &ofq.u32);
	ofq.r_missing = of_property_read_u32(np, "acme,none", &local);
	ofq.r_empty = of_property_read_u32(np, "acme,flag", &local);
	ofq.r_short = of_property_read_u32_array(np, "acme,three", ofq.array, 4);
	ofq.r_array = of_property_read_u32_array(np, "acme,three", ofq.array, 3);
	ofq.r_u64 = of_property_read_u64(np, "acme,wide", &ofq.u64);
	ofq.r_str = of_property_read_string(np, "acme,names", &ofq.str);
	ofq.r_str_idx2 = of_property_read_string_index(np, "acme,names", 2,
						       &ofq.str_idx2);
	ofq.r_str_past = of_property_read_string_index(np, "acme,names", 3,
						       &ofq.str);
	ofq.n_strings = of_property_count_strings(np, "acme,names");
	ofq.match_rx = of_property_match_string(np, "dma-names", "rx");
	ofq.match_none = of_property_match_string(np, "dma-names", "tx2");
	ofq.n_dmas = of_count_phandle_with_args(np, "dmas", "#dma-cells");
	ofq.r_dma0 = of_parse_phandle_with_args(np, "dmas", "#dma-cells", 0, &a);
	if (!ofq.r_dma0) {
		ofq.dma0_np = a.np->full_name;
		ofq.dma0_count = a.args_count;
		ofq.dma0_arg0 = a.args[0];
	}
	ofq.r_dma1 = of_parse_phandle_with_args(np, "dmas", "#dma-cells", 1, &a);
	if (!ofq.r_dma1) {
		ofq.dma1_np = a.np->full_name;
		ofq.dma1_count = a.args_count;
		ofq.dma1_arg0 = a.args[0];
		ofq.dma1_arg1 = a.args[1];
	}
	ofq.r_dma2 = of_parse_phandle_with_args(np, "dmas", "#dma-cells", 2, &a);
	ofq.r_badcells = of_parse_phandle_with_args(np, "dmas", "#nope-cells",
						    0, &a);
	ofq.compat_hi = of_device_is_compatible(np, "acme,ofq");
	ofq.compat_lo = of_device_is_compatible(np, "dmakit,generic-master");
	ofq.compat_no = of_device_is_compatible(np, "acme,other");
	ofq.bool_yes = device_property_read_bool(&pdev->dev, "acme,flag");
	ofq.bool_no = of_property_read_bool(np, "acme,none");
	ofq.parent = of_get_parent(np) ? of_get_parent(np)->full_name : NULL;
	c = of_get_child_by_name(np, "port");
	ofq.child = c ? c->full_name : NULL;
	ofq.r_rst_opt_null =
		devm_reset_control_get_optional_exclusive(&pdev->dev, NULL) == NULL;
	ofq.r_rst_missing = (int)PTR_ERR(devm_reset_control_get_exclusive(&pdev->dev,
									   NULL));
	ofq.r_clk_opt_null = devm_clk_get_optional(&pdev->dev, "core") == NULL;
	ofq.clk_rate = clk_get_rate(devm_clk_get(&pdev->dev, NULL));
	ofq.stack_local = object_is_on_stack(&local);
	ofq.stack_heap = object_is_on_stack(heap);
	ofq.vmalloc_heap = is_vmalloc_or_module_addr(heap);
	ofq.is_vm = is_vmalloc_or_module_addr(vm) && !virt_addr_valid(vm) &&
		    virt_addr_valid(heap);
	vfree(vm);
	kfree(heap);
	return 0;
}

static const struct of_device_id ofq_ids[] = {
	{ .compatible = "acme,ofq" },
	{ }
};

static struct platform_driver ofq_driver = {
	.probe = ofq_probe,
	.driver = { .name = "ofq", .of_match_table = ofq_ids },
};
module_platform_driver(ofq_driver);
