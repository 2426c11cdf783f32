/* SPDX-License-Identifier: MIT */
/* tests/linux/legacyq.c: bus controllers under the names older drivers use. */
#ifndef DMAKIT_TESTS_LINUX_LEGACYQ_H
#define DMAKIT_TESTS_LINUX_LEGACYQ_H

struct legacyq_result {
	int probed;
	int devdata_ok;		/* spi_master_get_devdata() after the header */
	int master_alias;	/* spi_device.master is its controller */
	int r_spi;		/* devm_spi_register_master() */
	int spi_bus_num;
	unsigned int bpw_mask;	/* SPI_BPW_RANGE_MASK(8, 16) */
	int r_i2c;		/* i2c_add_numbered_adapter(), nr 7 */
	int i2c_found;		/* i2c_get_adapter(7) is it */
	char i2c_name[48];
	int r_i2c_again;	/* another adapter asking for 7 */
	int r_i2c_dyn;		/* one asking for -1 */
	int i2c_dyn_nr;
	int r_xfer;		/* i2c_transfer() through an algo's .xfer */
	unsigned int timings[6];	/* i2c_parse_fw_timings(), defaults */
	unsigned int kept_rise;	/* without defaults: a preset field stays */
	int r_devm_i2c;		/* devm_i2c_add_adapter() */
	int alias_i2c, alias_spi, alias_serial;	/* of_alias_get_id() */
	unsigned char addr8;	/* i2c_8bit_addr_from_msg() of a read of 0x50 */
};

extern struct legacyq_result legacyq;

#endif
