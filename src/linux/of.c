// SPDX-License-Identifier: MIT
/* Device-tree properties of the booted machine (<linux/of.h>). */
#include <libfdt.h>
#include <string.h>

#include <linux/of.h>

#include "linux.h"

const void *of_get_property(const struct device_node *np, const char *name,
			    int *lenp)
{
	const void *p;
	int len;

	if (!np || !name)
		return NULL;
	p = fdt_getprop(np->dk_machine->fdt, np->dk_offset, name, &len);
	if (p && lenp)
		*lenp = len;
	return p;
}

bool of_property_read_bool(const struct device_node *np, const char *propname)
{
	return of_get_property(np, propname, NULL) != NULL;
}

static u32 cell(const void *p, size_t i)
{
	fdt32_t v;

	memcpy(&v, (const char *)p + 4 * i, sizeof(v));
	return fdt32_to_cpu(v);
}

/* The property's cells: -EINVAL absent, -ENODATA empty, else the count
 * of whole cells in *n. */
static int cells(const struct device_node *np, const char *name,
		 const void **p, size_t *n)
{
	int len;

	*p = of_get_property(np, name, &len);
	if (!*p)
		return -EINVAL;
	if (!len)
		return -ENODATA;
	*n = (size_t)len / 4;
	return 0;
}

int of_property_read_u32_index(const struct device_node *np,
			       const char *propname, u32 index, u32 *out_value)
{
	const void *p;
	size_t n;
	int r = cells(np, propname, &p, &n);

	if (r)
		return r;
	if (index >= n)
		return -EOVERFLOW;
	*out_value = cell(p, index);
	return 0;
}

int of_property_read_u32_array(const struct device_node *np,
			       const char *propname, u32 *out_values,
			       size_t sz)
{
	const void *p;
	size_t n, i;
	int r = cells(np, propname, &p, &n);

	if (r)
		return r;
	if (sz > n)
		return -EOVERFLOW;
	for (i = 0; i < sz; i++)
		out_values[i] = cell(p, i);
	return 0;
}

int of_property_read_u64(const struct device_node *np, const char *propname,
			 u64 *out_value)
{
	u32 v[2];
	int r = of_property_read_u32_array(np, propname, v, 2);

	if (!r)
		*out_value = (u64)v[0] << 32 | v[1];
	return r;
}

int of_property_count_u32_elems(const struct device_node *np,
				const char *propname)
{
	int len;

	if (!of_get_property(np, propname, &len))
		return -EINVAL;
	return len && !(len % 4) ? len / 4 : -ENODATA;
}

/* Walk a string list: the @index-th string, or the count when @want is
 * NULL (index ignored), or the index of @want. */
static int strings(const struct device_node *np, const char *propname,
		   int index, const char **out, const char *want)
{
	const char *p;
	int len, off = 0, i = 0;

	p = of_get_property(np, propname, &len);
	if (!p)
		return -EINVAL;
	if (len && p[len - 1])
		return -EILSEQ;
	while (off < len) {
		if (want ? !strcmp(p + off, want) : out && i == index) {
			if (out)
				*out = p + off;
			return i;
		}
		off += (int)strlen(p + off) + 1;
		i++;
	}
	return out || want ? -ENODATA : i;
}

int of_property_read_string_index(const struct device_node *np,
				  const char *propname, int index,
				  const char **output)
{
	const char *s;
	int r = index < 0 ? -ENODATA : strings(np, propname, index, &s, NULL);

	if (r < 0)
		return r;
	*output = s;
	return 0;
}

int of_property_match_string(const struct device_node *np,
			     const char *propname, const char *string)
{
	return string ? strings(np, propname, 0, NULL, string) : -EINVAL;
}

int of_property_count_strings(const struct device_node *np,
			      const char *propname)
{
	return strings(np, propname, 0, NULL, NULL);
}

static struct device_node *by_phandle(const struct device_node *np, u32 ph)
{
	int off = fdt_node_offset_by_phandle(np->dk_machine->fdt, ph);

	return off >= 0 ? dk_of_node_at(np->dk_machine, off) : NULL;
}

/* Entry @index of the list (or the count, with @index < 0). */
static int walk_phandles(const struct device_node *np, const char *list_name,
			 const char *cells_name, int index,
			 struct of_phandle_args *out)
{
	const void *p;
	size_t n, at = 0;
	int i = 0, r = cells(np, list_name, &p, &n);

	if (r)
		return -ENOENT;
	while (at < n) {
		struct device_node *t = by_phandle(np, cell(p, at));
		u32 nargs = 0;

		if (!t)
			return dk_err(-EINVAL, "%s: \"%s\" entry %d: phandle 0x%x names no node",
				      np->dk_path, list_name, i, cell(p, at));
		if (cells_name && of_property_read_u32(t, cells_name, &nargs))
			return dk_err(-EINVAL, "%s: \"%s\" entry %d: %s has no \"%s\"",
				      np->dk_path, list_name, i, t->dk_path,
				      cells_name);
		if (nargs > MAX_PHANDLE_ARGS || n - at - 1 < nargs)
			return dk_err(-EINVAL, "%s: \"%s\" entry %d: %u cells %s",
				      np->dk_path, list_name, i, nargs,
				      nargs > MAX_PHANDLE_ARGS ? "are too many" :
								 "run past the list");
		if (i == index) {
			u32 k;

			out->np = t;
			out->args_count = (int)nargs;
			for (k = 0; k < nargs; k++)
				out->args[k] = cell(p, at + 1 + k);
			return 0;
		}
		at += 1 + nargs;
		i++;
	}
	return index < 0 ? i : -ENOENT;
}

int of_parse_phandle_with_args(const struct device_node *np,
			       const char *list_name, const char *cells_name,
			       int index, struct of_phandle_args *out_args)
{
	if (index < 0 || !out_args)
		return -EINVAL;
	return walk_phandles(np, list_name, cells_name, index, out_args);
}

int of_count_phandle_with_args(const struct device_node *np,
			       const char *list_name, const char *cells_name)
{
	return walk_phandles(np, list_name, cells_name, -1, NULL);
}

struct device_node *of_parse_phandle(const struct device_node *np,
				     const char *phandle_name, int index)
{
	struct of_phandle_args a;

	return of_parse_phandle_with_args(np, phandle_name, NULL, index, &a) ?
		       NULL : a.np;
}

int of_device_is_compatible(const struct device_node *np, const char *compat)
{
	int n, i;

	if (!compat)
		return 0;
	n = of_property_count_strings(np, "compatible");
	i = of_property_match_string(np, "compatible", compat);
	/* The earlier in the list, the better the match. */
	return i >= 0 ? n - i : 0;
}

bool of_device_is_available(const struct device_node *np)
{
	const char *s;

	if (!np)
		return false;
	if (of_property_read_string(np, "status", &s))
		return true;
	return !strcmp(s, "okay") || !strcmp(s, "ok");
}

const struct of_device_id *of_match_node(const struct of_device_id *matches,
					 const struct device_node *node)
{
	const struct of_device_id *id;
	const char *s;
	int i;

	for (i = 0; matches && !of_property_read_string_index(node, "compatible",
								 i, &s); i++)
		for (id = matches; id->compatible; id++)
			if (!strcmp(id->compatible, s))
				return id;
	return NULL;
}

const struct of_device_id *of_match_device(const struct of_device_id *matches,
					   const struct device *dev)
{
	return dev ? of_match_node(matches, dev->of_node) : NULL;
}

struct device_node *of_get_child_by_name(const struct device_node *node,
					 const char *name)
{
	int off;

	if (!node || !name)
		return NULL;
	fdt_for_each_subnode(off, node->dk_machine->fdt, node->dk_offset) {
		struct device_node *c = dk_of_node_at(node->dk_machine, off);

		if (c && !strcmp(c->name, name))
			return c;
	}
	return NULL;
}

struct device_node *of_get_parent(const struct device_node *node)
{
	int off;

	if (!node)
		return NULL;
	off = fdt_parent_offset(node->dk_machine->fdt, node->dk_offset);
	return off >= 0 ? dk_of_node_at(node->dk_machine, off) : NULL;
}
