// SPDX-License-Identifier: MIT
/* Numbered aliases of the tree's /aliases node (<linux/of.h>). */
#include <ctype.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include <linux/of.h>

#include "linux.h"

int of_alias_get_id(const struct device_node *np, const char *stem)
{
	const void *fdt;
	size_t n;
	int aliases, prop;

	if (!np || !stem || !np->dk_machine)
		return -EINVAL;
	fdt = np->dk_machine->fdt;
	n = strlen(stem);
	aliases = fdt_path_offset(fdt, "/aliases");
	if (aliases < 0)
		return -ENODEV;
	fdt_for_each_property_offset(prop, fdt, aliases) {
		const char *name, *path, *end;
		int len;
		long id;

		path = fdt_getprop_by_offset(fdt, prop, &name, &len);
		if (!path || len < 2 || path[len - 1] != '\0' ||
		    strncmp(name, stem, n) || !isdigit((unsigned char)name[n]))
			continue;
		id = strtol(name + n, (char **)&end, 10);
		/* "i2c1" is an alias of stem "i2c"; "i2c1x" is none. */
		if (*end || id > 0x7fffffff)
			continue;
		if (fdt_path_offset(fdt, path) == np->dk_offset)
			return (int)id;
	}
	return -ENODEV;
}
