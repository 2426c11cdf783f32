// SPDX-License-Identifier: MIT
/* I2C bus numbers the driver chooses (<linux/i2c.h>). */
#include <stdio.h>
#include <string.h>

#include <linux/device.h>
#include <linux/i2c.h>
#include <linux/jiffies.h>
#include <linux/property.h>

#include "linux.h"

_Static_assert(DK_I2C_DEFAULT_TIMEOUT == HZ, "an adapter's default timeout is one second");

int i2c_add_numbered_adapter(struct i2c_adapter *adap)
{
	char autoname[sizeof(adap->name)];
	int want, r;

	if (!adap || adap->nr == -1)
		return i2c_add_adapter(adap);
	want = adap->nr;
	if (want < 0)
		return dk_err(-EINVAL, "i2c_add_numbered_adapter: bus number %d",
			      want);
	if (i2c_get_adapter(want))
		return dk_err(-EBUSY, "i2c_add_numbered_adapter: bus number %d is in use",
			      want);
	r = i2c_add_adapter(adap);
	if (r)
		return r;
	/* The core numbers above the highest in use, so the one asked for
	 * (free, checked above) cannot clash with later ones. */
	snprintf(autoname, sizeof(autoname), "i2c-%d", adap->nr);
	if (!strcmp(adap->name, autoname))
		snprintf(adap->name, sizeof(adap->name), "i2c-%d", want);
	adap->nr = want;
	return 0;
}

static void del_adapter(void *adap)
{
	i2c_del_adapter(adap);
}

int devm_i2c_add_adapter(struct device *dev, struct i2c_adapter *adap)
{
	int r = i2c_add_adapter(adap);

	if (r)
		return r;
	return devm_add_action_or_reset(dev, del_adapter, adap);
}

/* @prop into @val if the tree has it, else @dflt if @use_defaults. */
static void timing(struct device *dev, const char *prop, u32 *val, u32 dflt,
		   bool use_defaults)
{
	if (device_property_read_u32(dev, prop, val) && use_defaults)
		*val = dflt;
}

void i2c_parse_fw_timings(struct device *dev, struct i2c_timings *t,
			  bool use_defaults)
{
	bool std, fast;

	if (!t)
		return;
	timing(dev, "clock-frequency", &t->bus_freq_hz,
	       I2C_MAX_STANDARD_MODE_FREQ, use_defaults);
	std = t->bus_freq_hz <= I2C_MAX_STANDARD_MODE_FREQ;
	fast = t->bus_freq_hz <= I2C_MAX_FAST_MODE_FREQ;
	timing(dev, "i2c-scl-rising-time-ns", &t->scl_rise_ns,
	       std ? 1000 : fast ? 300 : 120, use_defaults);
	timing(dev, "i2c-scl-falling-time-ns", &t->scl_fall_ns,
	       fast ? 300 : 120, use_defaults);
	timing(dev, "i2c-scl-internal-delay-ns", &t->scl_int_delay_ns, 0,
	       use_defaults);
	timing(dev, "i2c-sda-falling-time-ns", &t->sda_fall_ns,
	       t->scl_fall_ns, use_defaults);
	timing(dev, "i2c-sda-hold-time-ns", &t->sda_hold_ns, 0, use_defaults);
	timing(dev, "i2c-digital-filter-width-ns",
	       &t->digital_filter_width_ns, 0, use_defaults);
	timing(dev, "i2c-analog-filter-cutoff-frequency",
	       &t->analog_filter_cutoff_freq_hz, 0, use_defaults);
}
