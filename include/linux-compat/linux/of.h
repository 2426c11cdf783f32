/* SPDX-License-Identifier: MIT */
/*
 * <linux/of.h> for driver code built against dmakit: the booted device
 * tree's properties. Nodes (struct device_node, <dmakit/platform_device.h>)
 * live as long as the machine: of_node_get()/of_node_put() count nothing.
 * Cells are read as the tree stores them (big-endian) and returned in
 * host order. Every function takes a NULL node and answers as for a
 * missing property.
 */
#ifndef DMAKIT_COMPAT_LINUX_OF_H
#define DMAKIT_COMPAT_LINUX_OF_H

#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/mod_devicetable.h>
#include <linux/types.h>
#include <dmakit/platform_device.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MAX_PHANDLE_ARGS 16

/**
 * struct of_phandle_args - one entry of a phandle list ("clocks",
 * "dmas", "resets"): the node it points to and the cells after it.
 */
struct of_phandle_args {
	/** @np: the node the phandle names */
	struct device_node *np;
	/** @args_count: how many cells follow it (the target's #...-cells) */
	int args_count;
	/** @args: those cells */
	uint32_t args[MAX_PHANDLE_ARGS];
};

/**
 * of_get_property() - a property's raw bytes.
 * @np: the node.
 * @name: the property.
 * @lenp: set to its length in bytes if found; NULL to skip.
 *
 * Return: the bytes (big-endian cells), valid while the machine runs, or
 * NULL if absent.
 */
const void *of_get_property(const struct device_node *np, const char *name,
			    int *lenp);

/**
 * of_property_read_bool() - whether a property is present (a flag).
 * @np: the node.
 * @propname: the property.
 *
 * Return: true if present.
 */
bool of_property_read_bool(const struct device_node *np, const char *propname);
#define of_property_present(np, name)	of_property_read_bool(np, name)

/**
 * of_property_read_u32_index() - the @index-th cell of a property.
 * @np: the node.
 * @propname: the property.
 * @index: which cell, from 0.
 * @out_value: set on success only.
 *
 * Return: 0, -EINVAL (absent), -ENODATA (present without value),
 * -EOVERFLOW (fewer cells).
 */
int of_property_read_u32_index(const struct device_node *np,
			       const char *propname, u32 index, u32 *out_value);

/**
 * of_property_read_u32_array() - the first @sz cells of a property.
 * @np: the node.
 * @propname: the property.
 * @out_values: @sz cells, set on success only.
 * @sz: how many.
 *
 * Return: as of_property_read_u32_index().
 */
int of_property_read_u32_array(const struct device_node *np,
			       const char *propname, u32 *out_values,
			       size_t sz);

/**
 * of_property_read_u32() - a one-cell property ("clock-frequency").
 * @np: the node.
 * @propname: the property.
 * @out_value: set on success only.
 *
 * Return: as of_property_read_u32_index().
 */
static inline int of_property_read_u32(const struct device_node *np,
				       const char *propname, u32 *out_value)
{
	return of_property_read_u32_array(np, propname, out_value, 1);
}

/**
 * of_property_read_u64() - a two-cell property, high cell first.
 * @np: the node.
 * @propname: the property.
 * @out_value: set on success only.
 *
 * Return: as of_property_read_u32_index().
 */
int of_property_read_u64(const struct device_node *np, const char *propname,
			 u64 *out_value);

/**
 * of_property_count_u32_elems() - how many cells a property has.
 * @np: the node.
 * @propname: the property.
 *
 * Return: the count, -EINVAL (absent), -ENODATA (no value, or not whole
 * cells).
 */
int of_property_count_u32_elems(const struct device_node *np,
				const char *propname);

/**
 * of_property_read_string_index() - the @index-th string of a string-list
 * property.
 * @np: the node.
 * @propname: the property.
 * @index: which, from 0.
 * @output: set on success only; valid while the machine runs.
 *
 * Return: 0, -EINVAL (absent), -ENODATA (fewer strings), -EILSEQ (not
 * NUL-terminated).
 */
int of_property_read_string_index(const struct device_node *np,
				  const char *propname, int index,
				  const char **output);

/**
 * of_property_read_string() - a string property's first string.
 * @np: the node.
 * @propname: the property.
 * @out_string: set on success only.
 *
 * Return: as of_property_read_string_index().
 */
static inline int of_property_read_string(const struct device_node *np,
					  const char *propname,
					  const char **out_string)
{
	return of_property_read_string_index(np, propname, 0, out_string);
}

/**
 * of_property_match_string() - where a string is in a string list
 * ("dma-names", "clock-names").
 * @np: the node.
 * @propname: the property.
 * @string: what to find.
 *
 * Return: its index, -EINVAL (absent or NULL @string), -ENODATA (not in
 * the list), -EILSEQ (not NUL-terminated).
 */
int of_property_match_string(const struct device_node *np,
			     const char *propname, const char *string);

/**
 * of_property_count_strings() - how many strings a string list holds.
 * @np: the node.
 * @propname: the property.
 *
 * Return: the count, -EINVAL (absent), -EILSEQ (not NUL-terminated).
 */
int of_property_count_strings(const struct device_node *np,
			      const char *propname);

/**
 * of_parse_phandle_with_args() - the @index-th entry of a phandle list,
 * its argument count read from the target's @cells_name property.
 * @np: the node.
 * @list_name: the list ("dmas", "clocks").
 * @cells_name: the target's count property ("#dma-cells"); NULL for none.
 * @index: which entry, from 0.
 * @out_args: set on success.
 *
 * Return: 0, -ENOENT (no list or fewer entries), -EINVAL (a phandle that
 * names no node, a target without @cells_name, more than
 * MAX_PHANDLE_ARGS cells, or a list that ends inside an entry).
 */
int of_parse_phandle_with_args(const struct device_node *np,
			       const char *list_name, const char *cells_name,
			       int index, struct of_phandle_args *out_args);

/**
 * of_count_phandle_with_args() - how many entries a phandle list has.
 * @np: the node.
 * @list_name: the list.
 * @cells_name: as for of_parse_phandle_with_args().
 *
 * Return: the count, or -ENOENT / -EINVAL as of_parse_phandle_with_args().
 */
int of_count_phandle_with_args(const struct device_node *np,
			       const char *list_name, const char *cells_name);

/**
 * of_parse_phandle() - the node the @index-th phandle of a plain list
 * names.
 * @np: the node.
 * @phandle_name: the list.
 * @index: which, from 0.
 *
 * Return: the node, or NULL.
 */
struct device_node *of_parse_phandle(const struct device_node *np,
				     const char *phandle_name, int index);

/**
 * of_device_is_compatible() - whether a node lists a compatible string.
 * @np: the node.
 * @compat: the string.
 *
 * Return: nonzero if listed (larger for more specific, as in Linux), 0 if
 * not.
 */
int of_device_is_compatible(const struct device_node *np, const char *compat);

/**
 * of_device_is_available() - whether a node's "status" is "okay" (or
 * absent).
 * @np: the node.
 *
 * Return: true if available.
 */
bool of_device_is_available(const struct device_node *np);

/**
 * of_match_node() - the entry of a match table for a node's most
 * specific compatible string that the table lists.
 * @matches: the table, ending with an entry whose compatible is NULL.
 * @node: the node.
 *
 * Return: the entry, or NULL.
 */
const struct of_device_id *of_match_node(const struct of_device_id *matches,
					 const struct device_node *node);

/**
 * of_match_device() - of_match_node() for a device's node.
 * @matches: the table.
 * @dev: the device.
 *
 * Return: the entry, or NULL (also for a device without a node).
 */
const struct of_device_id *of_match_device(const struct of_device_id *matches,
					   const struct device *dev);

/**
 * of_get_child_by_name() - a node's child of that name (without unit
 * address).
 * @node: the parent.
 * @name: the child's name.
 *
 * Return: the child, or NULL.
 */
struct device_node *of_get_child_by_name(const struct device_node *node,
					 const char *name);

/**
 * of_get_parent() - a node's parent.
 * @node: the node.
 *
 * Return: the parent, or NULL for the root or NULL.
 */
struct device_node *of_get_parent(const struct device_node *node);

/**
 * of_node_get() - take a reference (nodes live as long as the machine).
 * @node: the node, or NULL.
 *
 * Return: @node.
 */
static inline struct device_node *of_node_get(struct device_node *node)
{
	return node;
}

/**
 * of_node_put() - drop a reference (nothing to do).
 * @node: the node, or NULL.
 */
static inline void of_node_put(struct device_node *node)
{
	(void)node;
}

/**
 * dev_of_node() - a device's tree node.
 * @dev: the device.
 *
 * Return: dev->of_node (NULL for a device without one).
 */
static inline struct device_node *dev_of_node(struct device *dev)
{
	return dev->of_node;
}

/**
 * of_node_full_name() - a node's name with its unit address.
 * @np: the node, or NULL.
 *
 * Return: the name; "<no-node>" for NULL.
 */
static inline const char *of_node_full_name(const struct device_node *np)
{
	return np ? np->full_name : "<no-node>";
}

/**
 * of_alias_get_id() - the number of the tree's alias for @np: 1 for
 * "i2c1 = &i2c_b;" (or the path) under /aliases, with stem "i2c".
 * @np: the node.
 * @stem: the alias name without its number.
 *
 * Return: the number, -ENODEV (no such alias, or no /aliases), -EINVAL
 * for NULL.
 */
int of_alias_get_id(const struct device_node *np, const char *stem);

#define of_match_ptr(p)		(p)

#ifdef __cplusplus
}
#endif

#endif
