// SPDX-License-Identifier: MIT
/* Trees become SoCs with the built-in device models: the loaders sit above
 * both the simulator and the models, so the simulator never names one. */
#include <errno.h>
#include <stdlib.h>

#include "../sim/soc_internal.h"

int dk_soc_load_blob(const void *dtb, size_t len,
		     const struct dk_soc_opts *opts, struct dk_soc **out)
{
	return dk_soc_build(dtb, len, opts, dk_model_find, out);
}

int dk_soc_load_default(const struct dk_soc_opts *opts, struct dk_soc **out)
{
	size_t len;
	const void *dtb = dk_soc_default_dtb(&len);

	return dk_soc_load_blob(dtb, len, opts, out);
}

int dk_soc_load(const char *path, const struct dk_soc_opts *opts,
		struct dk_soc **out)
{
	void *buf = NULL;
	size_t len = 0;
	int r;

	if (out)
		*out = NULL;
	if (!out || !path)
		return dk_err(-EINVAL, "dk_soc_load: NULL argument");
	r = dk_dtb_from_file(path, &buf, &len);
	if (r)
		return r;
	r = dk_soc_load_blob(buf, len, opts, out);
	free(buf);
	return r;
}
