// SPDX-License-Identifier: MIT
/*
 * Talk 001, "What about regmap?": regmap assumes its buffers are DMA-safe,
 * but "for bulk transfers we use the caller buffer". A client driver
 * keeps a sensor's calibration table inside its private struct, next to a
 * counter, and writes it with regmap_bulk_write(). Over I2C nothing goes
 * wrong (the I2C core bounces every message not marked DMA-safe); over
 * SPI the table reaches the controller's DMA as it is, and dmakit's SPI
 * core refuses it (a Linux one would map it and corrupt the counter's
 * line). The fix gives the table a kmalloc buffer of its own.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/err.h>
#include <dmakit/error.h>
#include <dmakit/models/i2c.h>
#include <dmakit/models/spi.h>
#include <dmakit/regmap.h>

#include "story.h"

#define LEN 32

struct sensor {
	u32 samples;
	u8 table[LEN];		/* the calibration table, inside the struct */
};

static const struct regmap_config cfg = { .name = "sensor", .reg_bits = 8,
					  .val_bits = 8 };

/* Bulk-write @n bytes of @tab at register 0x10 and read them back: 0
 * when they round-trip. */
static int round_trip(struct regmap *map, const u8 *tab, size_t n,
		      const char *bus, struct story_env *env)
{
	u8 got[LEN];
	int r = regmap_bulk_write(map, 0x10, tab, n);

	if (!r)
		r = regmap_bulk_read(map, 0x10, got, n);
	if (!r && memcmp(got, tab, n))
		r = -EIO;
	story_say(env, "%s: %s", bus, r ? dk_last_error() : "the table round-trips");
	return r;
}

static int run(struct story_env *env)
{
	struct spi_board_info bi = { .modalias = "sensor", .max_speed_hz = 1000000,
				     .chip_select = DK_SPI_CS_MAILBOX };
	struct sensor *s = kzalloc(sizeof(*s), GFP_KERNEL);
	u8 *tab = env->fixed ? kmalloc(LEN, GFP_KERNEL) : s ? s->table : NULL;
	struct i2c_client *ee;
	struct spi_device *spi;
	struct regmap *ri, *rs;
	int r, ri_r, rs_r;

	if (!s || !tab)
		return -ENOMEM;
	r = driver_register(&dk_i2c_driver);
	if (!r)
		r = driver_register(&dk_spi_driver);
	if (r)
		return r;
	ee = i2c_new_dummy_device(dk_i2c_adapter_of(story_dev(env, "i2c@10180000")),
				  DK_I2C_EEPROM_ADDR);
	spi = spi_new_device(dk_spi_controller_of(story_dev(env, "spi@10190000")),
			     &bi);
	if (IS_ERR_OR_NULL(ee) || !spi)
		return -ENODEV;
	ri = regmap_init_i2c(ee, &cfg);
	rs = regmap_init_spi(spi, &cfg);
	if (IS_ERR(ri) || IS_ERR(rs))
		return -ENOMEM;
	story_fill(tab, LEN, 160);
	/* The EEPROM's page is 16 bytes; SPI moves 32 by DMA. */
	ri_r = round_trip(ri, tab, DK_I2C_EEPROM_PAGE, "I2C", env);
	rs_r = round_trip(rs, tab, LEN, "SPI", env);
	env->data_ok = !ri_r && !rs_r;
	snprintf(env->note, sizeof(env->note),
		 "calibration table over I2C: %s; over SPI: %s",
		 ri_r ? "lost" : "written", rs_r ? "refused (not DMA-safe)" :
						  "written");
	regmap_exit(ri);
	regmap_exit(rs);
	i2c_unregister_device(ee);
	spi_unregister_device(spi);
	if (env->fixed)
		kfree(tab);
	kfree(s);
	return 0;
}

const struct story story_regmap_bulk = {
	.name = "regmap-bulk-caller-buffer",
	.title = "regmap bulk transfers use the caller's buffer",
	.from = &story_talk_sang,
	.slide = "What about regmap?",
	.bug = "regmap_bulk_write() of a table inside the driver's struct: fine over I2C (bounced), handed to SPI DMA as it is",
	.fix = "the table has a kmalloc buffer of its own, DMA-safe on every bus",
	.bug_code =
		"struct sensor {\n"
		"\tu32 samples;\n"
		"\tu8 table[32];\n"
		"};\n"
		"regmap_bulk_write(map, 0x10, s->table, 32);\n",
	.fix_code =
		"struct sensor {\n"
		"\tu32 samples;\n"
		"\tu8 *table;\t/* kmalloc(32) */\n"
		"};\n"
		"regmap_bulk_write(map, 0x10, s->table, 32);\n",
	.run = run,
};
