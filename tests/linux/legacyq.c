// SPDX-License-Identifier: MIT
/*
 * A platform driver that registers an SPI controller and I2C adapters the
 * way drivers written before the host/controller renames do, with only
 * <linux/...> includes (tests/test_linux_legacy_names.c).
 */
#include <linux/i2c.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/spi/spi.h>

#include "legacyq.h"

struct legacyq_priv {
	struct spi_master *master;
	struct i2c_adapter adap[4];
};

struct legacyq_result legacyq;

static int legacyq_transfer_one(struct spi_master *master,
				struct spi_device *spi, struct spi_transfer *t)
{
	return 0;
}

static void legacyq_set_cs(struct spi_device *spi, bool enable)
{
}

static int legacyq_xfer(struct i2c_adapter *adap, struct i2c_msg *msgs,
			int num)
{
	return num;
}

static const struct i2c_algorithm legacyq_algo = {
	.master_xfer = legacyq_xfer,
};

/* The 6.8+ name of the transfer hook. */
static const struct i2c_algorithm legacyq_algo_new = {
	.xfer = legacyq_xfer,
};

static void legacyq_del(void *p)
{
	struct legacyq_priv *priv = p;
	int i;

	for (i = 0; i < 3; i++)
		i2c_del_adapter(&priv->adap[i]);
}

static int legacyq_probe(struct platform_device *pdev)
{
	struct spi_master *master;
	struct legacyq_priv *priv;
	int i;

	legacyq.probed++;
	legacyq.alias_i2c = of_alias_get_id(pdev->dev.of_node, "i2c");
	legacyq.alias_spi = of_alias_get_id(pdev->dev.of_node, "spi");
	legacyq.alias_serial = of_alias_get_id(pdev->dev.of_node, "serial");
	master = spi_alloc_master(&pdev->dev, sizeof(*priv));
	if (!master)
		return -ENOMEM;
	priv = spi_master_get_devdata(master);
	legacyq.devdata_ok = (char *)priv >= (char *)(master + 1);
	priv->master = master;
	master->transfer_one = legacyq_transfer_one;
	master->set_cs = legacyq_set_cs;
	master->num_chipselect = 1;
	master->bits_per_word_mask = SPI_BPW_RANGE_MASK(8, 16);
	legacyq.bpw_mask = master->bits_per_word_mask;
	legacyq.r_spi = devm_spi_register_master(&pdev->dev, master);
	{
		struct spi_device spi = { .controller = master };

		legacyq.master_alias = spi.master == master;
	}
	legacyq.spi_bus_num = master->bus_num;

	for (i = 0; i < 3; i++) {
		priv->adap[i].algo = &legacyq_algo;
		priv->adap[i].dev.parent = &pdev->dev;
	}
	priv->adap[0].nr = 7;
	legacyq.r_i2c = i2c_add_numbered_adapter(&priv->adap[0]);
	legacyq.i2c_found = i2c_get_adapter(7) == &priv->adap[0];
	strscpy(legacyq.i2c_name, priv->adap[0].name);
	priv->adap[1].nr = 7;
	legacyq.r_i2c_again = i2c_add_numbered_adapter(&priv->adap[1]);
	priv->adap[2].nr = -1;
	priv->adap[2].algo = &legacyq_algo_new;
	legacyq.r_i2c_dyn = i2c_add_numbered_adapter(&priv->adap[2]);
	legacyq.i2c_dyn_nr = priv->adap[2].nr;
	{
		u8 byte;
		struct i2c_msg msg = { .addr = 0x50, .flags = I2C_M_RD,
				       .len = 1, .buf = &byte };
		struct i2c_timings t = { 0 };

		legacyq.r_xfer = i2c_transfer(&priv->adap[2], &msg, 1);
		legacyq.addr8 = i2c_8bit_addr_from_msg(&msg);
		i2c_parse_fw_timings(&pdev->dev, &t, true);
		legacyq.timings[0] = t.bus_freq_hz;
		legacyq.timings[1] = t.scl_rise_ns;
		legacyq.timings[2] = t.scl_fall_ns;
		legacyq.timings[3] = t.scl_int_delay_ns;
		legacyq.timings[4] = t.sda_fall_ns;
		legacyq.timings[5] = t.sda_hold_ns;
		t.scl_rise_ns = 77;
		i2c_parse_fw_timings(&pdev->dev, &t, false);
		legacyq.kept_rise = t.scl_rise_ns;
	}
	priv->adap[3].algo = &legacyq_algo;
	priv->adap[3].dev.parent = &pdev->dev;
	legacyq.r_devm_i2c = devm_i2c_add_adapter(&pdev->dev, &priv->adap[3]);
	spi_master_put(master);
	return devm_add_action_or_reset(&pdev->dev, legacyq_del, priv);
}

static const struct of_device_id legacyq_of_match[] = {
	{ .compatible = "acme,legacyq" },
	{ }
};
MODULE_DEVICE_TABLE(of, legacyq_of_match);

static struct platform_driver legacyq_driver = {
	.probe = legacyq_probe,
	.driver = {
		.name = "legacyq",
		.of_match_table = of_match_ptr(legacyq_of_match),
	},
};
module_platform_driver(legacyq_driver);
MODULE_LICENSE("MIT");
