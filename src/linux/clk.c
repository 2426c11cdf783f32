// SPDX-License-Identifier: MIT
/* Input clocks from the tree's "clocks" (<linux/clk.h>). */
#include <stdlib.h>

#include <linux/clk.h>
#include <linux/of.h>

#include "linux.h"

struct clk {
	struct device *dev;
	const struct device_node *provider;
	unsigned long rate;
	int enabled;
};

/* The @idx-th entry of the tree's "clocks" for @dev. */
static struct clk *lookup_index(struct device *dev, int idx)
{
	struct of_phandle_args a;
	struct clk *c;
	u32 rate;
	int r;

	r = of_parse_phandle_with_args(dev->of_node, "clocks", "#clock-cells",
				       idx, &a);
	if (r)
		return ERR_PTR(r);
	r = of_property_read_u32_index(a.np, "clock-frequency",
				       a.args_count ? a.args[0] : 0, &rate);
	if (r) {
		dk_err(-EINVAL, "%s: clock provider %s has no \"clock-frequency\"%s",
		       dev_name(dev), a.np->dk_path,
		       a.args_count ? " cell for that index" : "");
		return ERR_PTR(-EINVAL);
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return ERR_PTR(-ENOMEM);
	*c = (struct clk){ dev, a.np, rate, 0 };
	return c;
}

static struct clk *lookup(struct device *dev, const char *id)
{
	int idx = 0;

	if (!dk_dev_ok(dev, "clk_get"))
		return ERR_PTR(-EINVAL);
	if (id)
		idx = of_property_match_string(dev->of_node, "clock-names", id);
	if (idx < 0)
		return ERR_PTR(-ENOENT);
	return lookup_index(dev, idx);
}

struct clk *clk_get(struct device *dev, const char *id)
{
	return lookup(dev, id);
}

void clk_put(struct clk *clk)
{
	if (!IS_ERR_OR_NULL(clk))
		free(clk);
}

static void release(void *p)
{
	clk_put(p);
}

static void release_enabled(void *p)
{
	clk_disable_unprepare(p);
	clk_put(p);
}

/* Released with @dev's driver, disabled first if @enable enabled it. */
static struct clk *manage(struct device *dev, struct clk *c, bool optional,
			  bool enable)
{
	if (optional && PTR_ERR(c) == -ENOENT)
		return NULL;
	if (IS_ERR(c))
		return c;
	if (enable)
		clk_prepare_enable(c);
	if (devm_add_action_or_reset(dev, enable ? release_enabled : release, c))
		return ERR_PTR(-ENOMEM);
	return c;
}

static struct clk *get_managed(struct device *dev, const char *id,
			       bool optional, bool enable)
{
	return manage(dev, lookup(dev, id), optional, enable);
}

struct clk *dk_devm_clk_get_index(struct device *dev, int idx)
{
	if (!dk_dev_ok(dev, "clk_get"))
		return ERR_PTR(-EINVAL);
	return manage(dev, lookup_index(dev, idx), false, false);
}

struct clk *devm_clk_get(struct device *dev, const char *id)
{
	return get_managed(dev, id, false, false);
}

struct clk *devm_clk_get_optional(struct device *dev, const char *id)
{
	return get_managed(dev, id, true, false);
}

struct clk *devm_clk_get_enabled(struct device *dev, const char *id)
{
	return get_managed(dev, id, false, true);
}

struct clk *devm_clk_get_optional_enabled(struct device *dev, const char *id)
{
	return get_managed(dev, id, true, true);
}

int clk_prepare_enable(struct clk *clk)
{
	if (!IS_ERR_OR_NULL(clk))
		__atomic_add_fetch(&clk->enabled, 1, __ATOMIC_RELAXED);
	return 0;
}

void clk_disable_unprepare(struct clk *clk)
{
	if (IS_ERR_OR_NULL(clk))
		return;
	if (__atomic_load_n(&clk->enabled, __ATOMIC_RELAXED) <= 0) {
		dk_warn("WARNING: clk: %s: clock of %s already disabled",
			clk->provider->full_name, dev_name(clk->dev));
		return;
	}
	__atomic_sub_fetch(&clk->enabled, 1, __ATOMIC_RELAXED);
}

unsigned long clk_get_rate(struct clk *clk)
{
	return IS_ERR_OR_NULL(clk) ? 0 : clk->rate;
}

int clk_set_rate(struct clk *clk, unsigned long rate)
{
	if (!IS_ERR_OR_NULL(clk))
		clk->rate = rate;
	return 0;
}

int dk_clk_enable_count(const struct clk *clk)
{
	return IS_ERR_OR_NULL(clk) ? 0 :
				     __atomic_load_n(&clk->enabled, __ATOMIC_RELAXED);
}
