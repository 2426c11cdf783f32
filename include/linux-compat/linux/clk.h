/* SPDX-License-Identifier: MIT */
/*
 * <linux/clk.h> for driver code built against dmakit: a device's input
 * clocks as its tree node names them ("clocks" with the provider's
 * "#clock-cells", "clock-names"). A provider's rate is its
 * "clock-frequency" (a fixed-clock), or that property's cell at the
 * index of the first clock argument when it has several. Rates do not
 * change the simulated SoC's timing; enables are counted so that an
 * unbalanced disable is reported as Linux does.
 */
#ifndef DMAKIT_COMPAT_LINUX_CLK_H
#define DMAKIT_COMPAT_LINUX_CLK_H

#include <linux/compiler.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct clk;

/**
 * devm_clk_get() - a device's input clock, released when the driver
 * unbinds.
 * @dev: a live device.
 * @id: its name in "clock-names"; NULL for the first clock.
 *
 * Return: the clock, or ERR_PTR(-ENOENT) (no such clock; also for a
 * device without a node), ERR_PTR(-EINVAL) (a malformed "clocks" or a
 * provider without "clock-frequency"), ERR_PTR(-ENOMEM).
 */
struct clk *devm_clk_get(struct device *dev, const char *id);

/**
 * devm_clk_get_optional() - devm_clk_get() for a clock a device may lack.
 * @dev: a live device.
 * @id: as for devm_clk_get().
 *
 * Return: the clock, NULL if there is none (which every clk_*() function
 * accepts as a clock that does nothing, rate 0), or an error pointer as
 * devm_clk_get().
 */
struct clk *devm_clk_get_optional(struct device *dev, const char *id);

/**
 * devm_clk_get_enabled() - devm_clk_get() and clk_prepare_enable(),
 * disabled again at unbind.
 * @dev: a live device.
 * @id: as for devm_clk_get().
 *
 * Return: as devm_clk_get().
 */
struct clk *devm_clk_get_enabled(struct device *dev, const char *id);

/**
 * devm_clk_get_optional_enabled() - devm_clk_get_optional(), enabled
 * until unbind.
 * @dev: a live device.
 * @id: as for devm_clk_get().
 *
 * Return: as devm_clk_get_optional().
 */
struct clk *devm_clk_get_optional_enabled(struct device *dev, const char *id);

/**
 * clk_get() - devm_clk_get() without the automatic release: clk_put() it.
 * @dev: a live device.
 * @id: as for devm_clk_get().
 *
 * Return: as devm_clk_get().
 */
struct clk *clk_get(struct device *dev, const char *id);

/**
 * clk_put() - release a clk_get() clock.
 * @clk: the clock; NULL or an error pointer does nothing.
 */
void clk_put(struct clk *clk);

/**
 * clk_prepare_enable() - turn a clock on (counted).
 * @clk: the clock, or NULL.
 *
 * Return: 0.
 */
int clk_prepare_enable(struct clk *clk);

/**
 * clk_disable_unprepare() - undo one clk_prepare_enable(); one too many
 * is reported ("clk: ... already disabled").
 * @clk: the clock, or NULL.
 */
void clk_disable_unprepare(struct clk *clk);

/**
 * clk_get_rate() - a clock's rate.
 * @clk: the clock, or NULL.
 *
 * Return: Hz (0 for NULL).
 */
unsigned long clk_get_rate(struct clk *clk);

/**
 * clk_set_rate() - change a clock's rate (what clk_get_rate() then says).
 * @clk: the clock, or NULL.
 * @rate: Hz.
 *
 * Return: 0.
 */
int clk_set_rate(struct clk *clk, unsigned long rate);

/**
 * dk_clk_enable_count() - how often a clock is enabled now, for tests.
 * @clk: the clock, or NULL.
 *
 * Return: the count (0 for NULL).
 */
int dk_clk_enable_count(const struct clk *clk);

/**
 * struct clk_bulk_data - one clock of a set a driver takes at once.
 */
struct clk_bulk_data {
	/** @id: its "clock-names" name (NULL: the first clock) */
	const char *id;
	/** @clk: set by the devm_clk_bulk_get*() calls */
	struct clk *clk;
};

/**
 * devm_clk_bulk_get() - devm_clk_get() of each of @clks by its id, all or
 * none.
 * @dev: a live device.
 * @num_clks: how many.
 * @clks: ids in, clocks out.
 *
 * Return: 0, or the first failure's -errno (the clocks taken before it
 * are released with the device, as devres holds them).
 */
int devm_clk_bulk_get(struct device *dev, int num_clks,
		      struct clk_bulk_data *clks);

/**
 * devm_clk_bulk_get_optional() - devm_clk_bulk_get() where a clock the
 * tree does not name is NULL rather than an error.
 * @dev: a live device.
 * @num_clks: how many.
 * @clks: ids in, clocks (or NULL) out.
 *
 * Return: as devm_clk_bulk_get().
 */
int devm_clk_bulk_get_optional(struct device *dev, int num_clks,
			       struct clk_bulk_data *clks);

/**
 * devm_clk_bulk_get_all() - every clock of the tree's "clocks" for @dev,
 * with its "clock-names" name if it has one, in an array released with
 * the device.
 * @dev: a live device.
 * @clks: set to the array (NULL for none).
 *
 * Return: how many (0 without "clocks"), or -errno.
 */
int devm_clk_bulk_get_all(struct device *dev, struct clk_bulk_data **clks);

/**
 * devm_clk_bulk_get_all_enabled() - devm_clk_bulk_get_all(), then each
 * enabled (and disabled again when the device's driver unbinds).
 * @dev: a live device.
 * @clks: set to the array.
 *
 * Return: as devm_clk_bulk_get_all().
 */
int devm_clk_bulk_get_all_enabled(struct device *dev,
				  struct clk_bulk_data **clks);
/* Its name in Linux 6.9 to 6.12. */
#define devm_clk_bulk_get_all_enable(dev, clks)				\
	devm_clk_bulk_get_all_enabled(dev, clks)

/**
 * clk_bulk_prepare_enable() - clk_prepare_enable() each of @clks.
 * @num_clks: how many.
 * @clks: the clocks (NULL entries are skipped).
 *
 * Return: 0 (enabling cannot fail here).
 */
int clk_bulk_prepare_enable(int num_clks, const struct clk_bulk_data *clks);

/**
 * clk_bulk_disable_unprepare() - clk_disable_unprepare() each of @clks,
 * last first.
 * @num_clks: how many.
 * @clks: the clocks.
 */
void clk_bulk_disable_unprepare(int num_clks,
				const struct clk_bulk_data *clks);

/* A function, so that its result may go unused without a warning. */
static inline int clk_bulk_prepare(int num_clks,
				   const struct clk_bulk_data *clks)
{
	(void)num_clks;
	(void)clks;
	return 0;
}
#define clk_bulk_unprepare(n, clks)	((void)(n), (void)(clks))
#define clk_bulk_enable(n, clks)	clk_bulk_prepare_enable(n, clks)
#define clk_bulk_disable(n, clks)	clk_bulk_disable_unprepare(n, clks)

static inline int clk_prepare(struct clk *clk)
{
	(void)clk;
	return 0;
}
#define clk_unprepare(clk)	((void)(clk))
#define clk_enable(clk)		clk_prepare_enable(clk)
#define clk_disable(clk)	clk_disable_unprepare(clk)

#ifdef __cplusplus
}
#endif

#endif
