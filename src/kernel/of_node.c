// SPDX-License-Identifier: MIT
/*
 * A struct device_node for every node of the platform's flattened tree,
 * made at boot so that drivers can hold node pointers (dev->of_node, the
 * targets of phandles) for the machine's life.
 */
#include <errno.h>
#include <stdio.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

static void free_nodes(struct device_node *n, int count)
{
	int i;

	for (i = 0; i < count; i++) {
		free((char *)n[i].dk_path);
		free((char *)n[i].name);
	}
	free(n);
}

/* @parent: the node's parent, made before it (NULL for the root, or
 * for a node too deep to track: libfdt finds its path). Paths are built
 * from the parent's, since fdt_get_path() walks from the root. */
static int make_node(struct dk_machine *m, struct device_node *n, int off,
		     const struct device_node *parent)
{
	char path[512];
	const char *full, *at;
	int len;

	full = fdt_get_name(m->fdt, off, NULL);
	full = full && *full ? full : "/";
	if (!parent && off)
		len = fdt_get_path(m->fdt, off, path, sizeof(path)) < 0 ?
			      -1 : (int)strlen(path);
	else if (!parent)
		len = snprintf(path, sizeof(path), "/");
	else if (parent->dk_path[1])
		len = snprintf(path, sizeof(path), "%s/%s", parent->dk_path,
			       full);
	else
		len = snprintf(path, sizeof(path), "/%s", full);
	if (len < 0 || (size_t)len >= sizeof(path))
		return dk_err(-EINVAL, "device tree: node at offset %d has a path over %zu bytes",
			      off, sizeof(path) - 1);
	n->dk_path = strdup(path);
	at = strchr(full, '@');
	n->name = at ? strndup(full, at - full) : strdup(full);
	if (!n->dk_path || !n->name)
		return dk_err(-ENOMEM, "out of memory");
	n->full_name = strrchr(n->dk_path, '/') + 1;
	if (!*n->full_name)
		n->full_name = n->dk_path;	/* the root: "/" */
	n->dk_offset = off;
	n->dk_machine = m;
	return 0;
}

struct device_node *dk_of_node_at(struct dk_machine *m, int offset)
{
	int lo = 0, hi = m->n_of_nodes;

	/* Nodes are made in tree order: offsets ascend. */
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (m->of_nodes[mid].dk_offset == offset)
			return &m->of_nodes[mid];
		if (m->of_nodes[mid].dk_offset < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

#define OF_DEPTH 64

int dk_of_init(struct dk_machine *m)
{
	int off, n = 0, i = 0, r, depth = 0, last[OF_DEPTH];

	m->fdt = m->pl.ops->fdt ? m->pl.ops->fdt(m->pl.ctx) : NULL;
	if (!m->fdt)
		return 0;
	for (off = 0; off >= 0; off = fdt_next_node(m->fdt, off, NULL))
		n++;
	m->of_nodes = calloc(n, sizeof(*m->of_nodes));
	if (!m->of_nodes)
		return dk_err(-ENOMEM, "out of memory");
	for (off = 0; off >= 0 && i < n;
	     off = fdt_next_node(m->fdt, off, &depth)) {
		/* The index of the last node made at each depth. */
		bool known = depth > 0 && depth <= OF_DEPTH;

		if (depth >= 0 && depth < OF_DEPTH)
			last[depth] = i;
		r = make_node(m, &m->of_nodes[i++], off,
			      known ? &m->of_nodes[last[depth - 1]] : NULL);
		m->n_of_nodes = i;
		if (r)
			return r;
	}
	for (i = 0; i < m->ndevs; i++) {
		struct device *dev = dk_mdev(m, i);
		int j;

		/* By the paths just made: fdt_path_offset() walks the tree. */
		dev->of_node = NULL;
		for (j = 0; j < m->n_of_nodes && dev->init_name; j++)
			if (!strcmp(m->of_nodes[j].dk_path, dev->init_name)) {
				dev->of_node = &m->of_nodes[j];
				break;
			}
	}
	return 0;
}

void dk_of_fini(struct dk_machine *m)
{
	free_nodes(m->of_nodes, m->n_of_nodes);
	m->of_nodes = NULL;
	m->n_of_nodes = 0;
	m->fdt = NULL;
}
