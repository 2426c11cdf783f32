/* SPDX-License-Identifier: MIT */
/*
 * <linux/i2c.h> for driver code built against dmakit:
 * I2C adapters, clients and messages.
 */
#ifndef DMAKIT_COMPAT_LINUX_I2C_H
#define DMAKIT_COMPAT_LINUX_I2C_H

#include <linux/compiler.h>
#include <linux/of.h>
#include <dmakit/i2c.h>

#ifdef __cplusplus
extern "C" {
#endif

/* More of what adapters and clients declare. */
#define I2C_FUNC_NOSTART		0x00000010
#define I2C_FUNC_SLAVE			0x00000020
#define I2C_FUNC_SMBUS_QUICK		0x00010000
#define I2C_CLIENT_TEN			0x10	/* = I2C_M_TEN */
#define I2C_CLASS_HWMON			(1 << 0)
#define I2C_CLASS_SPD			(1 << 7)
#define I2C_CLASS_DEPRECATED		(1 << 8)

/**
 * struct i2c_adapter_quirks - the limits of an adapter, as its driver
 * declares them (i2c_adapter.quirks). Accepted; the core does not enforce
 * them: a driver is handed every message.
 */
struct i2c_adapter_quirks {
	/** @flags: I2C_AQ_* */
	u64 flags;
	/** @max_num_msgs: messages per transfer */
	int max_num_msgs;
	/** @max_write_len: bytes per write message */
	u16 max_write_len;
	/** @max_read_len: bytes per read message */
	u16 max_read_len;
	/** @max_comb_1st_msg_len: first message of a combined transfer */
	u16 max_comb_1st_msg_len;
	/** @max_comb_2nd_msg_len: second message of a combined transfer */
	u16 max_comb_2nd_msg_len;
};

#define I2C_AQ_COMB			(1u << 0)
#define I2C_AQ_COMB_WRITE_FIRST		(1u << 1)
#define I2C_AQ_COMB_READ_SECOND		(1u << 2)
#define I2C_AQ_COMB_SAME_ADDR		(1u << 3)
#define I2C_AQ_COMB_WRITE_THEN_READ					\
	(I2C_AQ_COMB | I2C_AQ_COMB_WRITE_FIRST | I2C_AQ_COMB_READ_SECOND | \
	 I2C_AQ_COMB_SAME_ADDR)
#define I2C_AQ_NO_CLK_STRETCH		(1u << 4)
#define I2C_AQ_NO_ZERO_LEN_READ		(1u << 5)
#define I2C_AQ_NO_ZERO_LEN_WRITE	(1u << 6)
#define I2C_AQ_NO_ZERO_LEN						\
	(I2C_AQ_NO_ZERO_LEN_READ | I2C_AQ_NO_ZERO_LEN_WRITE)
#define I2C_AQ_NO_REP_START		(1u << 7)

/**
 * struct i2c_timings - bus timing from the tree (i2c_parse_fw_timings()).
 */
struct i2c_timings {
	/** @bus_freq_hz: "clock-frequency" */
	u32 bus_freq_hz;
	/** @scl_rise_ns: "i2c-scl-rising-time-ns" */
	u32 scl_rise_ns;
	/** @scl_fall_ns: "i2c-scl-falling-time-ns" */
	u32 scl_fall_ns;
	/** @scl_int_delay_ns: "i2c-scl-internal-delay-ns" */
	u32 scl_int_delay_ns;
	/** @sda_fall_ns: "i2c-sda-falling-time-ns" */
	u32 sda_fall_ns;
	/** @sda_hold_ns: "i2c-sda-hold-time-ns" */
	u32 sda_hold_ns;
	/** @digital_filter_width_ns: "i2c-digital-filter-width-ns" */
	u32 digital_filter_width_ns;
	/** @analog_filter_cutoff_freq_hz: "i2c-analog-filter-cutoff-frequency" */
	u32 analog_filter_cutoff_freq_hz;
};

#define I2C_MAX_STANDARD_MODE_FREQ	100000
#define I2C_MAX_FAST_MODE_FREQ		400000
#define I2C_MAX_FAST_MODE_PLUS_FREQ	1000000
#define I2C_MAX_TURBO_MODE_FREQ		1400000
#define I2C_MAX_HIGH_SPEED_MODE_FREQ	3400000
#define I2C_MAX_ULTRA_FAST_MODE_FREQ	5000000

/**
 * i2c_parse_fw_timings() - read a controller's bus timing from its tree
 * node.
 * @dev: the controller's device.
 * @t: filled in; a field the tree does not give is left alone, or with
 *     @use_defaults set to the I2C specification's: 100 kHz, and rise
 *     and fall times for that speed (1000/300 ns up to 100 kHz, 300/300
 *     up to 400 kHz, 120/120 above), the rest 0.
 * @use_defaults: whether to fill in defaults.
 */
void i2c_parse_fw_timings(struct device *dev, struct i2c_timings *t,
			  bool use_defaults);

/**
 * i2c_8bit_addr_from_msg() - the address byte a controller sends first.
 * @msg: the message.
 *
 * Return: the 7-bit address shifted up, with the read bit.
 */
static inline u8 i2c_8bit_addr_from_msg(const struct i2c_msg *msg)
{
	return (u8)((msg->addr << 1) | (msg->flags & I2C_M_RD));
}

/**
 * devm_i2c_add_adapter() - i2c_add_adapter(), deleted again when @dev's
 * driver unbinds.
 * @dev: the controller's bound device.
 * @adap: as for i2c_add_adapter().
 *
 * Return: as i2c_add_adapter(), or -ENOMEM.
 */
int devm_i2c_add_adapter(struct device *dev, struct i2c_adapter *adap);

/**
 * i2c_add_numbered_adapter() - i2c_add_adapter() with the bus number the
 * driver chose in @adap->nr (from the platform device's id, or an "i2c"
 * alias); -1 lets it be assigned, as i2c_add_adapter() does.
 * @adap: as for i2c_add_adapter(), with nr set.
 *
 * Return: 0, -EBUSY ("bus number N is in use"), or as i2c_add_adapter().
 */
int i2c_add_numbered_adapter(struct i2c_adapter *adap);

#ifdef __cplusplus
}
#endif

#endif
