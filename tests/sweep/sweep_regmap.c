// SPDX-License-Identifier: MIT
/* Sweep cases: regmap over I2C and SPI. */
#include <errno.h>
#include <limits.h>

#include <dmakit/err.h>
#include <dmakit/regmap.h>

#include "sweep.h"

static u8 junk[64];
static const struct regmap_config cfg8 = { .reg_bits = 8, .val_bits = 8 };

/* A map over an I2C client nobody answers: refused before any bus use. */
static struct regmap *stray_map(void)
{
	static struct i2c_client c = { .addr = 0x50 };

	return regmap_init_i2c(&c, &cfg8);
}

SWEEP(regmap_init_i2c, "NULL client and config, 16-bit and 255+ layouts", W_MACHINE)
{
	struct i2c_client c = { .addr = 0x50 };
	struct regmap_config wide = { .reg_bits = 16, .val_bits = 8 };
	struct regmap_config big = { .reg_bits = 8, .val_bits = 8,
				     .max_register = 256 };

	EXPECT(PTR_ERR(regmap_init_i2c(NULL, &cfg8)) == -EINVAL);
	EXPECT(PTR_ERR(regmap_init_i2c(&c, NULL)) == -EINVAL);
	EXPECT(PTR_ERR(regmap_init_i2c(&c, &wide)) == -EINVAL);
	EXPECT(PTR_ERR(regmap_init_i2c(&c, &big)) == -EINVAL);
	return 0;
}

SWEEP(regmap_init_spi, "NULL device and config", W_MACHINE)
{
	EXPECT(PTR_ERR(regmap_init_spi(NULL, &cfg8)) == -EINVAL);
	EXPECT(PTR_ERR(regmap_init_spi((struct spi_device *)junk, NULL)) ==
	       -EINVAL);
	return 0;
}

SWEEP(regmap_exit, "NULL and error pointers", W_NONE)
{
	regmap_exit(NULL);
	regmap_exit(ERR_PTR(-EINVAL));
	return 0;
}

SWEEP(regmap_write, "NULL and error maps, register 256 and UINT_MAX", W_MACHINE)
{
	struct regmap *m = stray_map();

	EXPECT(regmap_write(NULL, 0, 0) == -EINVAL);
	EXPECT(regmap_write(ERR_PTR(-ENOMEM), 0, 0) == -EINVAL);
	EXPECT(regmap_write(m, 256, 0) == -EINVAL);
	EXPECT(regmap_write(m, UINT_MAX, 0) == -EINVAL);
	EXPECT_ERR("past 0xff");
	regmap_exit(m);
	return 0;
}

SWEEP(regmap_read, "NULL value, register past the end", W_MACHINE)
{
	struct regmap *m = stray_map();
	unsigned int v;

	EXPECT(regmap_read(m, 0, NULL) == -EINVAL);
	EXPECT(regmap_read(m, 300, &v) == -EINVAL);
	regmap_exit(m);
	return 0;
}

SWEEP(regmap_bulk_write, "NULL buffer, 0 and SIZE_MAX values, wrapping range", W_MACHINE)
{
	struct regmap *m = stray_map();

	EXPECT(regmap_bulk_write(m, 0, NULL, 4) == -EINVAL);
	EXPECT(regmap_bulk_write(m, 0, junk, 0) == -EINVAL);
	EXPECT(regmap_bulk_write(m, 1, junk, SIZE_MAX) == -EINVAL);
	EXPECT(regmap_bulk_write(m, 0xff, junk, 2) == -EINVAL);
	regmap_exit(m);
	return 0;
}

SWEEP(regmap_bulk_read, "NULL buffer, 0 and SIZE_MAX values", W_MACHINE)
{
	struct regmap *m = stray_map();

	EXPECT(regmap_bulk_read(m, 0, NULL, 4) == -EINVAL);
	EXPECT(regmap_bulk_read(m, 0, junk, 0) == -EINVAL);
	EXPECT(regmap_bulk_read(m, 0, junk, SIZE_MAX) == -EINVAL);
	regmap_exit(m);
	return 0;
}

SWEEP(regmap_raw_write, "NULL map, past the end", W_MACHINE)
{
	EXPECT(regmap_raw_write(NULL, 0, junk, 1) == -EINVAL);
	return 0;
}

SWEEP(regmap_raw_read, "NULL map, past the end", W_MACHINE)
{
	EXPECT(regmap_raw_read(NULL, 0, junk, 1) == -EINVAL);
	return 0;
}
