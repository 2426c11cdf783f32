// SPDX-License-Identifier: MIT
/*
 * regmap over I2C and SPI (include/dmakit/regmap.h): 8-bit registers and
 * values. The work buffer is kmalloc'd to whole cache lines, so single
 * registers are always DMA-safe; bulk buffers are the caller's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/dma-mapping.h>
#include <dmakit/err.h>
#include <dmakit/regmap.h>
#include <dmakit/slab.h>

#include "../core/dk_internal.h"

struct regmap {
	struct i2c_client *i2c;
	struct spi_device *spi;
	unsigned int max_register;
	u8 read_mask;
	u8 *work;		/* [register, value] */
};

static struct regmap *map_new(const struct regmap_config *cfg,
			      const char *fn)
{
	struct regmap *map;
	size_t a = dma_get_cache_alignment();

	if (!cfg || cfg->reg_bits != 8 || cfg->val_bits != 8 ||
	    cfg->max_register > 255) {
		dk_err(-EINVAL, "%s: only 8-bit registers and values (max_register up to 255)",
		       fn);
		return ERR_PTR(-EINVAL);
	}
	map = calloc(1, sizeof(*map));
	if (map)
		map->work = kzalloc(a > 2 ? a : 2, GFP_KERNEL);
	if (!map || !map->work) {
		free(map);
		dk_err(-ENOMEM, "out of memory");
		return ERR_PTR(-ENOMEM);
	}
	map->max_register = cfg->max_register ? cfg->max_register : 255;
	map->read_mask = (u8)cfg->read_flag_mask;
	return map;
}

struct regmap *regmap_init_i2c(struct i2c_client *i2c,
			       const struct regmap_config *config)
{
	struct regmap *map;

	if (!i2c) {
		dk_err(-EINVAL, "regmap_init_i2c: NULL client");
		return ERR_PTR(-EINVAL);
	}
	map = map_new(config, "regmap_init_i2c");
	if (!IS_ERR(map))
		map->i2c = i2c;
	return map;
}

struct regmap *regmap_init_spi(struct spi_device *spi,
			       const struct regmap_config *config)
{
	struct regmap *map;

	if (!spi) {
		dk_err(-EINVAL, "regmap_init_spi: NULL device");
		return ERR_PTR(-EINVAL);
	}
	map = map_new(config, "regmap_init_spi");
	if (!IS_ERR(map))
		map->spi = spi;
	return map;
}

void regmap_exit(struct regmap *map)
{
	if (IS_ERR_OR_NULL(map))
		return;
	kfree(map->work);
	free(map);
}

static int check(struct regmap *map, unsigned int reg, size_t n,
		 const void *buf, const char *fn)
{
	if (IS_ERR_OR_NULL(map) || !buf || !n)
		return dk_err(-EINVAL, "%s: NULL map or buffer, or no values",
			      fn);
	if (reg > map->max_register || n - 1 > map->max_register - reg)
		return dk_err(-EINVAL, "%s: registers 0x%x + %zu are past 0x%x",
			      fn, reg, n, map->max_register);
	return 0;
}

/* [reg] then @n values into @val. */
static int bus_read(struct regmap *map, unsigned int reg, void *val, size_t n)
{
	map->work[0] = (u8)reg | (map->spi ? map->read_mask : 0);
	if (map->spi)
		return spi_write_then_read(map->spi, map->work, 1, val,
					   (unsigned int)n);
	{
		struct i2c_msg m[2] = {
			{ map->i2c->addr, 0, 1, map->work },
			{ map->i2c->addr, I2C_M_RD, (u16)n, val },
		};
		int r = i2c_transfer(map->i2c->adapter, m, 2);

		return r == 2 ? 0 : r < 0 ? r : -EIO;
	}
}

/* [reg, @n values of @val] in one message. */
static int bus_write(struct regmap *map, unsigned int reg, const void *val,
		     size_t n)
{
	int r;

	map->work[0] = (u8)reg;
	if (map->spi) {
		/* The caller's buffer goes to the controller as it is. */
		struct spi_transfer t[2] = {
			{ .tx_buf = map->work, .len = 1 },
			{ .tx_buf = val, .len = (unsigned int)n },
		};

		return spi_sync_transfer(map->spi, t, 2);
	}
	/* No I2C_M_NOSTART here: one buffer, copied (as Linux falls back). */
	{
		u8 *b = kmalloc(n + 1, GFP_KERNEL);
		struct i2c_msg m = { map->i2c->addr, 0, (u16)(n + 1), b };

		if (!b)
			return dk_err(-ENOMEM, "out of memory");
		b[0] = (u8)reg;
		memcpy(b + 1, val, n);
		r = i2c_transfer(map->i2c->adapter, &m, 1);
		kfree(b);
		return r == 1 ? 0 : r < 0 ? r : -EIO;
	}
}

int regmap_write(struct regmap *map, unsigned int reg, unsigned int val)
{
	u8 v = (u8)val;
	int r = check(map, reg, 1, &v, "regmap_write");

	if (r)
		return r;
	map->work[1] = v;
	return bus_write(map, reg, map->work + 1, 1);
}

int regmap_read(struct regmap *map, unsigned int reg, unsigned int *val)
{
	int r = check(map, reg, 1, val, "regmap_read");

	if (r)
		return r;
	r = bus_read(map, reg, map->work + 1, 1);
	if (!r)
		*val = map->work[1];
	return r;
}

int regmap_bulk_write(struct regmap *map, unsigned int reg, const void *val,
		      size_t val_count)
{
	int r = check(map, reg, val_count, val, "regmap_bulk_write");

	return r ? r : bus_write(map, reg, val, val_count);
}

int regmap_bulk_read(struct regmap *map, unsigned int reg, void *val,
		     size_t val_count)
{
	int r = check(map, reg, val_count, val, "regmap_bulk_read");

	return r ? r : bus_read(map, reg, val, val_count);
}

int regmap_raw_write(struct regmap *map, unsigned int reg, const void *val,
		     size_t val_len)
{
	return regmap_bulk_write(map, reg, val, val_len);
}

int regmap_raw_read(struct regmap *map, unsigned int reg, void *val,
		    size_t val_len)
{
	return regmap_bulk_read(map, reg, val, val_len);
}
