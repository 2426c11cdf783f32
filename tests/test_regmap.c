// SPDX-License-Identifier: MIT
/*
 * regmap over I2C (the EEPROM) and SPI (the mailbox MCU, which answers a
 * message with the previous one): exact bytes for single and bulk
 * accesses, and the DMA-safety rule talk 001 describes: bulk buffers
 * reach the bus as they are, bounced by the I2C core, refused by SPI's
 * when they are not DMA-safe.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/err.h>
#include <dmakit/error.h>
#include <dmakit/models/i2c.h>
#include <dmakit/models/spi.h>
#include <dmakit/regmap.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

static const struct regmap_config cfg8 = { .reg_bits = 8, .val_bits = 8 };

struct priv {
	u32 count;
	u8 vals[32];		/* shares its first line with count */
};

TEST(regmap_i2c_and_spi_bulk_and_single_exact_bytes)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct spi_board_info bi = { .modalias = "mcu", .max_speed_hz = 1000000,
				     .chip_select = DK_SPI_CS_MAILBOX };
	struct i2c_client *ee;
	struct spi_device *mcu;
	struct regmap *ri, *rs;
	struct priv *p = kzalloc(sizeof(*p), GFP_KERNEL);
	u8 *k = kmalloc(32, GFP_KERNEL), got[32];
	unsigned int v;
	int i;

	CHECK_EQ(driver_register(&dk_i2c_driver), 0);
	CHECK_EQ(driver_register(&dk_spi_driver), 0);
	ee = i2c_new_dummy_device(dk_i2c_adapter_of(
		dk_machine_find_device(t.m, "i2c@10180000")), DK_I2C_EEPROM_ADDR);
	mcu = spi_new_device(dk_spi_controller_of(
		dk_machine_find_device(t.m, "spi@10190000")), &bi);
	ri = regmap_init_i2c(ee, &cfg8);
	rs = regmap_init_spi(mcu, &cfg8);
	CHECK(!IS_ERR(ri) && !IS_ERR(rs));
	/* I2C: single and bulk, from any buffer (the core bounces). */
	CHECK_EQ(regmap_read(ri, 0x21, &v), 0);
	CHECK_EQ(v, DK_I2C_EEPROM_INIT(0x21));
	CHECK_EQ(regmap_write(ri, 0x21, 0x1ab), 0);
	CHECK_EQ(regmap_read(ri, 0x21, &v), 0);
	CHECK_EQ(v, 0xab);
	for (i = 0; i < 16; i++)
		p->vals[i] = (u8)(0x90 + i);
	CHECK_EQ(regmap_bulk_write(ri, 0x40, p->vals, 16), 0);
	CHECK_EQ(regmap_bulk_read(ri, 0x40, got, 16), 0);
	CHECK_MEM(got, p->vals, 16);
	/* SPI: the caller's buffer goes to DMA as it is. */
	for (i = 0; i < 32; i++)
		k[i] = (u8)(0x30 + i);
	CHECK_EQ(regmap_bulk_write(rs, 0x05, k, 32), 0);
	memset(got, 0, sizeof(got));
	CHECK_EQ(regmap_raw_read(rs, 0x05, got, 32), 0);
	CHECK_MEM(got, k, 32);
	CHECK_EQ(regmap_bulk_write(rs, 0x05, p->vals, 32), -EINVAL);
	CHECK_STR(dk_last_error(), "is not DMA-safe");
	CHECK_EQ(regmap_raw_write(rs, 0x07, p->vals, 4), 0);	/* PIO: fine */
	/* Errors. */
	CHECK_EQ(regmap_bulk_read(ri, 0xf0, got, 17), -EINVAL);
	CHECK_STR(dk_last_error(), "past 0xff");
	CHECK_EQ(regmap_read(NULL, 0, &v), -EINVAL);
	CHECK(IS_ERR(regmap_init_i2c(ee, &(struct regmap_config){ .reg_bits = 16,
								   .val_bits = 8 })));
	regmap_exit(ri);
	regmap_exit(rs);
	i2c_unregister_device(ee);
	spi_unregister_device(mcu);
	kfree(p);
	kfree(k);
	testmachine_shutdown(&t);
}
