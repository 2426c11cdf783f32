/* SPDX-License-Identifier: MIT */
/*
 * regmap over I2C and SPI, with 8-bit register addresses and 8-bit
 * values: the register abstraction talk 001 ("DMA safety in buffers for
 * Linux Kernel device drivers", Wolfram Sang, ELCE 2018) asks about. Its
 * DMA-safety handling is Linux's: single-register reads and writes go
 * through the map's own kmalloc'd work buffer; bulk and raw transfers
 * pass the caller's buffer to the bus. Over I2C that is safe, because
 * the I2C core bounces every message not marked I2C_M_DMA_SAFE; over SPI
 * the caller's buffer reaches the controller's DMA as it is, so it must
 * be DMA-safe (dmakit's SPI core refuses one that is not).
 */
#ifndef DMAKIT_REGMAP_H
#define DMAKIT_REGMAP_H

#include <dmakit/i2c.h>
#include <dmakit/spi.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct regmap_config - the register layout of a device.
 */
struct regmap_config {
	/** @name: for messages; optional */
	const char *name;
	/** @reg_bits: register address bits; 8 */
	int reg_bits;
	/** @val_bits: value bits; 8 */
	int val_bits;
	/** @max_register: the highest register; 0 for 255 */
	unsigned int max_register;
	/** @read_flag_mask: or'ed into the address of a read (SPI devices
	 * often use 0x80); 0 for none */
	unsigned long read_flag_mask;
};

struct regmap;

/**
 * regmap_init_i2c() - a register map over an I2C client: a write is one
 * message [register, values...]; a read is [register] then the values.
 * @i2c: the client.
 * @config: reg_bits and val_bits 8.
 *
 * Return: the map (free it with regmap_exit()), or an error pointer:
 * -EINVAL for NULL or other widths, -ENOMEM.
 */
struct regmap *regmap_init_i2c(struct i2c_client *i2c,
			       const struct regmap_config *config);

/**
 * regmap_init_spi() - a register map over an SPI device: a write is one
 * message of [register] and the values, a read [register |
 * read_flag_mask] then the values (through spi_write_then_read(), which
 * copies).
 * @spi: the device.
 * @config: as for regmap_init_i2c().
 *
 * Return: as regmap_init_i2c().
 */
struct regmap *regmap_init_spi(struct spi_device *spi,
			       const struct regmap_config *config);

/**
 * regmap_exit() - free a map.
 * @map: from regmap_init_*(); NULL and error pointers are ignored.
 */
void regmap_exit(struct regmap *map);

/**
 * regmap_write() - write one register, through the map's work buffer.
 * @map: the map.
 * @reg: the register.
 * @val: the value (its low 8 bits).
 *
 * Return: 0, -EINVAL (NULL map, register past max_register), or the
 * bus's error.
 */
int regmap_write(struct regmap *map, unsigned int reg, unsigned int val);

/**
 * regmap_read() - read one register, through the map's work buffer.
 * @map: the map.
 * @reg: the register.
 * @val: set to the value.
 *
 * Return: as regmap_write(); -EINVAL for a NULL @val.
 */
int regmap_read(struct regmap *map, unsigned int reg, unsigned int *val);

/**
 * regmap_bulk_write() - write @val_count consecutive registers from the
 * caller's buffer, which goes to the bus as it is (see the top of this
 * file).
 * @map: the map.
 * @reg: the first register.
 * @val: @val_count values.
 * @val_count: how many, at least 1, not past max_register.
 *
 * Return: as regmap_write(); over SPI -EINVAL when @val is not DMA-safe
 * and the transfer goes by DMA.
 */
int regmap_bulk_write(struct regmap *map, unsigned int reg, const void *val,
		      size_t val_count);

/**
 * regmap_bulk_read() - read @val_count consecutive registers into the
 * caller's buffer.
 * @map: the map.
 * @reg: the first register.
 * @val: room for @val_count values.
 * @val_count: as for regmap_bulk_write().
 *
 * Return: as regmap_write().
 */
int regmap_bulk_read(struct regmap *map, unsigned int reg, void *val,
		     size_t val_count);

/**
 * regmap_raw_write() - regmap_bulk_write() in bytes (8-bit values: the
 * same).
 * @map: the map.
 * @reg: the first register.
 * @val: the bytes.
 * @val_len: how many.
 *
 * Return: as regmap_bulk_write().
 */
int regmap_raw_write(struct regmap *map, unsigned int reg, const void *val,
		     size_t val_len);

/**
 * regmap_raw_read() - regmap_bulk_read() in bytes.
 * @map: the map.
 * @reg: the first register.
 * @val: room for the bytes.
 * @val_len: how many.
 *
 * Return: as regmap_bulk_read().
 */
int regmap_raw_read(struct regmap *map, unsigned int reg, void *val,
		    size_t val_len);

#ifdef __cplusplus
}
#endif

#endif
