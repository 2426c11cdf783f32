// SPDX-License-Identifier: MIT
/* I2C bus numbers the driver chooses (<linux/i2c.h>). */
#include <stdio.h>
#include <string.h>

#include <linux/i2c.h>

#include "linux.h"

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
