// SPDX-License-Identifier: MIT
/*
 * Turn a flattened device tree into the SoC description. Every property is
 * checked before it is believed: a malformed tree yields -EINVAL and a
 * message naming the node and the property, never a crash. The bindings
 * are documented in docs/soc-bindings.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <dmakit/models/tzasc.h>

#include "soc_internal.h"

#define MAX_BANKS 64
#define MAX_RMEM 64
#define MAX_SECURE 32
#define MAX_DEVS 256
#define MAX_DEPTH 16
#define MAX_REGS 16

struct ctx {
	const void *fdt;
	struct dk_soc *soc;
	int root_ac, root_sc;
	int rmem_node[MAX_RMEM];
	/* Each node's parent by structure offset / 4 (-1: the root's),
	 * found in one pass: libfdt's fdt_parent_offset() and
	 * fdt_get_path() walk from the root, which made loading the
	 * built-in tree quadratic in its size. */
	int *parent;
	size_t nparent;
};

#define PARENT_DEPTH 64		/* deeper nodes ask libfdt */
#define PARENT_UNKNOWN (-2)

static int parent_of(const struct ctx *c, int node)
{
	if (node >= 0 && c->parent && (size_t)node / 4 < c->nparent &&
	    c->parent[node / 4] != PARENT_UNKNOWN)
		return c->parent[node / 4];
	return fdt_parent_offset(c->fdt, node);
}

static int parents_init(struct ctx *c)
{
	int stack[PARENT_DEPTH], node, depth = 0;
	size_t i;

	c->nparent = fdt_size_dt_struct(c->fdt) / 4 + 1;
	c->parent = malloc(c->nparent * sizeof(*c->parent));
	if (!c->parent)
		return dk_err(-ENOMEM, "out of memory");
	for (i = 0; i < c->nparent; i++)
		c->parent[i] = PARENT_UNKNOWN;
	for (node = 0; node >= 0; node = fdt_next_node(c->fdt, node, &depth)) {
		if ((size_t)node / 4 >= c->nparent || depth < 0)
			break;
		if (depth >= PARENT_DEPTH)
			continue;
		stack[depth] = node;
		c->parent[node / 4] = depth ? stack[depth - 1] : -1;
	}
	return 0;
}

/* The node's path, built from the parents (libfdt's walks the tree). */
static int build_path(const struct ctx *c, int node, char *buf, int len)
{
	const char *name;
	int n = 0, parent, nl;

	if (node == 0)
		return snprintf(buf, len, "/") < len ? 1 : -1;
	parent = parent_of(c, node);
	name = fdt_get_name(c->fdt, node, &nl);
	if (parent < 0 || !name)
		return -1;
	if (parent != 0) {
		n = build_path(c, parent, buf, len);
		if (n < 0)
			return -1;
	}
	if (n + 1 + nl >= len)
		return -1;
	buf[n] = '/';
	memcpy(buf + n + 1, name, nl);
	buf[n + 1 + nl] = '\0';
	return n + 1 + nl;
}

static const char *path_of(const struct ctx *c, int node, char *buf, int len)
{
	if (build_path(c, node, buf, len) < 0 &&
	    fdt_get_path(c->fdt, node, buf, len) < 0)
		snprintf(buf, len, "<node at offset %d>", node);
	return buf;
}

#define PERR(c, node, prop, fmt, ...)                                        \
	({                                                                   \
		char _p[256];                                                \
		dk_err(-EINVAL, "node %s: property \"%s\": " fmt,            \
		       path_of(c, node, _p, sizeof(_p)), prop, ##__VA_ARGS__); \
	})

#define NERR(c, node, fmt, ...)                                              \
	({                                                                   \
		char _p[256];                                                \
		dk_err(-EINVAL, "node %s: " fmt,                             \
		       path_of(c, node, _p, sizeof(_p)), ##__VA_ARGS__);     \
	})

static bool has_prop(const struct ctx *c, int node, const char *name)
{
	return fdt_getprop(c->fdt, node, name, NULL) != NULL;
}

/* A u32 property: absent leaves *val alone; wrong size is an error. */
static int prop_u32(const struct ctx *c, int node, const char *name, u32 *val)
{
	int len;
	const fdt32_t *p = fdt_getprop(c->fdt, node, name, &len);

	if (!p)
		return 0;
	if (len != 4)
		return PERR(c, node, name, "must be one 32-bit cell, is %d bytes",
			    len);
	*val = fdt32_to_cpu(*p);
	return 1;
}

/* A string property that must be one NUL-terminated string. */
static int prop_str(const struct ctx *c, int node, const char *name,
		    const char **val)
{
	int len;
	const char *p = fdt_getprop(c->fdt, node, name, &len);

	if (!p)
		return 0;
	if (len < 1 || p[len - 1] != '\0' || strlen(p) + 1 != (size_t)len)
		return PERR(c, node, name, "must be a single string");
	*val = p;
	return 1;
}

/* 1 if @node is enabled (no "status", or "okay"/"ok"), 0 if not, <0 bad. */
static int enabled(const struct ctx *c, int node)
{
	const char *st = NULL;
	int r = prop_str(c, node, "status", &st);

	if (r < 0)
		return r;
	return !st || !strcmp(st, "okay") || !strcmp(st, "ok");
}

/* #address-cells / #size-cells of @node (defaults from the DT spec). */
static int node_cells(const struct ctx *c, int node, const char *name,
		      int def, int min, int *out)
{
	u32 v = def;
	int r = prop_u32(c, node, name, &v);

	if (r < 0)
		return r;
	if (v < (u32)min || v > 2)
		return PERR(c, node, name,
			    "%u cells not supported (dmakit handles %d..2)", v,
			    min);
	*out = v;
	return 0;
}

static int addr_cells(const struct ctx *c, int node, int *ac)
{
	return node_cells(c, node, "#address-cells", 2, 1, ac);
}

static int size_cells(const struct ctx *c, int node, int *sc)
{
	return node_cells(c, node, "#size-cells", 1, 0, sc);
}

static u64 read_cells(const fdt32_t *p, int n)
{
	u64 v = 0;

	while (n--)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

/*
 * Read up to @max (address, size) pairs of property @name laid out with
 * @ac/@sc cells. Zero sizes and ranges past 2^64 are refused.
 */
static int prop_ranges(const struct ctx *c, int node, const char *name, int ac,
		       int sc, struct dk_bank *out, int max, int *n)
{
	int len, stride = (ac + sc) * 4, i;
	const fdt32_t *p = fdt_getprop(c->fdt, node, name, &len);

	if (!p)
		return PERR(c, node, name, "missing");
	if (sc == 0)
		return PERR(c, node, name, "parent has #size-cells = 0");
	if (len == 0 || len % stride)
		return PERR(c, node, name,
			    "length %d is not a multiple of %d (#address-cells %d + #size-cells %d)",
			    len, stride, ac, sc);
	if (len / stride > max)
		return PERR(c, node, name, "more than %d entries", max);
	*n = len / stride;
	for (i = 0; i < *n; i++) {
		out[i].base = read_cells(p, ac);
		out[i].size = read_cells(p + ac, sc);
		p += ac + sc;
		if (!out[i].size)
			return PERR(c, node, name, "entry %d has size 0", i);
		if (out[i].base + out[i].size - 1 < out[i].base)
			return PERR(c, node, name,
				    "entry %d (0x%llx + 0x%llx) overflows the 64-bit address space",
				    i, (unsigned long long)out[i].base,
				    (unsigned long long)out[i].size);
	}
	return 0;
}

static bool overlaps(const struct dk_bank *a, const struct dk_bank *b)
{
	return a->base <= b->base + b->size - 1 &&
	       b->base <= a->base + a->size - 1;
}

static int bank_cmp(const void *a, const void *b)
{
	const struct dk_ram_bank *x = a, *y = b;

	return x->b.base < y->b.base ? -1 : x->b.base > y->b.base;
}

/*
 * On-chip SRAM ("mmio-sram", anywhere in the tree, on buses that map it
 * 1:1): memory devices and the CPU reach like RAM, but no RAM of the
 * kernel's: the platform reports no such bank and hands out none of its
 * pages.
 */
static int parse_sram(struct ctx *c)
{
	struct dk_soc *soc = c->soc;
	struct dk_bank b;
	int node, n, j, r, ac, sc;

	for (node = fdt_next_node(c->fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(c->fdt, node, NULL)) {
		int parent = parent_of(c, node);

		if (fdt_node_check_compatible(c->fdt, node, "mmio-sram"))
			continue;
		r = enabled(c, node);
		if (r <= 0) {
			if (r < 0)
				return r;
			continue;
		}
		ac = parent < 0 ? -1 : fdt_address_cells(c->fdt, parent);
		sc = parent < 0 ? -1 : fdt_size_cells(c->fdt, parent);
		if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
			return PERR(c, node, "reg",
				    "an SRAM's parent needs #address-cells and #size-cells of 1 or 2");
		r = prop_ranges(c, node, "reg", ac, sc, &b, 1, &n);
		if (r)
			return r;
		if (n != 1 || (b.base | b.size) & (DK_PAGE_SIZE - 1) ||
		    soc->nbanks == MAX_BANKS)
			return PERR(c, node, "reg",
				    "an SRAM is one page-aligned range (and at most %d banks in all)",
				    MAX_BANKS);
		for (j = 0; j < soc->nbanks; j++)
			if (overlaps(&b, &soc->banks[j].b))
				return PERR(c, node, "reg",
					    "SRAM 0x%llx + 0x%llx overlaps bank 0x%llx + 0x%llx",
					    (unsigned long long)b.base,
					    (unsigned long long)b.size,
					    (unsigned long long)soc->banks[j].b.base,
					    (unsigned long long)soc->banks[j].b.size);
		soc->banks[soc->nbanks].b = b;
		soc->banks[soc->nbanks++].sram = true;
	}
	return 0;
}

static int parse_memory(struct ctx *c)
{
	struct dk_soc *soc = c->soc;
	struct dk_bank tmp[MAX_BANKS];
	int node, n, i, j, r;

	soc->banks = calloc(MAX_BANKS, sizeof(*soc->banks));
	if (!soc->banks)
		return dk_err(-ENOMEM, "out of memory");
	fdt_for_each_subnode(node, c->fdt, 0) {
		const char *dt = NULL;

		r = prop_str(c, node, "device_type", &dt);
		if (r < 0)
			return r;
		if (!dt || strcmp(dt, "memory"))
			continue;
		r = enabled(c, node);
		if (r <= 0) {
			if (r < 0)
				return r;
			continue;	/* Linux ignores disabled memory */
		}
		r = prop_ranges(c, node, "reg", c->root_ac, c->root_sc, tmp,
				MAX_BANKS, &n);
		if (r)
			return r;
		if (n > MAX_BANKS - soc->nbanks)
			return PERR(c, node, "reg",
				    "more than %d memory banks in the tree",
				    MAX_BANKS);
		for (i = 0; i < n; i++) {
			if ((tmp[i].base | tmp[i].size) & (DK_PAGE_SIZE - 1))
				return PERR(c, node, "reg",
					    "bank 0x%llx + 0x%llx is not aligned to %lu-byte pages",
					    (unsigned long long)tmp[i].base,
					    (unsigned long long)tmp[i].size,
					    DK_PAGE_SIZE);
			for (j = 0; j < soc->nbanks; j++)
				if (overlaps(&tmp[i], &soc->banks[j].b))
					return PERR(c, node, "reg",
						    "bank 0x%llx + 0x%llx overlaps bank 0x%llx + 0x%llx",
						    (unsigned long long)tmp[i].base,
						    (unsigned long long)tmp[i].size,
						    (unsigned long long)soc->banks[j].b.base,
						    (unsigned long long)soc->banks[j].b.size);
			soc->banks[soc->nbanks++].b = tmp[i];
		}
	}
	if (node < 0 && node != -FDT_ERR_NOTFOUND)
		return dk_err(-EINVAL, "device tree: %s", fdt_strerror(node));
	if (!soc->nbanks)
		return dk_err(-EINVAL,
			      "node /: no memory node (device_type = \"memory\") with a \"reg\"");
	r = parse_sram(c);
	if (r)
		return r;
	qsort(soc->banks, soc->nbanks, sizeof(*soc->banks), bank_cmp);
	return 0;
}

static int parse_cpus(struct ctx *c)
{
	int cpus = fdt_path_offset(c->fdt, "/cpus"), node, r;
	u32 line = 64;

	if (cpus >= 0) {
		fdt_for_each_subnode(node, c->fdt, cpus) {
			r = prop_u32(c, node, "d-cache-line-size", &line);
			if (r < 0)
				return r;
			if (r > 0) {
				if (!dk_is_pow2(line) || line < 16 || line > 2048)
					return PERR(c, node, "d-cache-line-size",
						    "%u is not a power of two in 16..2048",
						    line);
				break;
			}
		}
	}
	c->soc->cache.line = line;
	/* A virtually indexed cache whose vmaps get lines of their own. */
	if (cpus >= 0)
		fdt_for_each_subnode(node, c->fdt, cpus)
			c->soc->vipt_aliasing |=
				has_prop(c, node, "dmakit,cache-aliasing");
	return 0;
}

static const char *const dmakit_node_props[] = {
	"writeback-granule", "dma-minalign", "eviction-policy",
	"eviction-seed", "eviction-rate", "edge-policy", "phandle",
	"dma-maintenance",
	"coherent-mapping", "cacheable-store-buffer",
};

static int parse_seed(struct ctx *c, int node, u64 *seed)
{
	int len;
	const fdt32_t *p = fdt_getprop(c->fdt, node, "eviction-seed", &len);

	if (!p)
		return 0;
	if (len != 4 && len != 8)
		return PERR(c, node, "eviction-seed",
			    "must be one or two cells, is %d bytes", len);
	*seed = read_cells(p, len / 4);
	return 0;
}

/* /dmakit: the knobs no standard binding has. Unknown names are typos. */
static int parse_dmakit_node(struct ctx *c)
{
	struct dk_cache_geometry *g = &c->soc->cache;
	int node = fdt_path_offset(c->fdt, "/dmakit"), off, r, len;
	const char *s;

	g->granule = g->line;
	g->dma_minalign = g->line;
	g->policy = DK_EVICT_NEVER;
	g->edge = DK_EDGE_CLEAN_INV;
	g->maint = DK_MAINT_ARM64;
	g->seed = 1;
	g->rate = 10;
	g->coherent = has_prop(c, 0, "dma-coherent");
	if (node < 0)
		return 0;
	fdt_for_each_property_offset(off, c->fdt, node) {
		const char *name;
		size_t i;

		if (!fdt_getprop_by_offset(c->fdt, off, &name, NULL))
			return NERR(c, node, "unreadable property");
		for (i = 0; i < DK_ARRAY_SIZE(dmakit_node_props); i++)
			if (!strcmp(name, dmakit_node_props[i]))
				break;
		if (i == DK_ARRAY_SIZE(dmakit_node_props))
			return PERR(c, node, name, "unknown dmakit property");
	}
	r = prop_u32(c, node, "writeback-granule", &g->granule);
	if (r < 0)
		return r;
	if (!dk_is_pow2(g->granule) || g->granule < g->line ||
	    g->granule > DK_PAGE_SIZE)
		return PERR(c, node, "writeback-granule",
			    "%u must be a power of two from the line size (%u) to %lu",
			    g->granule, g->line, DK_PAGE_SIZE);
	r = prop_u32(c, node, "dma-minalign", &g->dma_minalign);
	if (r < 0)
		return r;
	if (!dk_is_pow2(g->dma_minalign) || g->dma_minalign < g->line ||
	    g->dma_minalign > DK_PAGE_SIZE)
		return PERR(c, node, "dma-minalign",
			    "%u must be a power of two from the line size (%u) to %lu",
			    g->dma_minalign, g->line, DK_PAGE_SIZE);
	r = prop_str(c, node, "eviction-policy", &s);
	if (r < 0)
		return r;
	if (r) {
		int p = dk_evict_policy_parse(s);

		if (p < 0)
			return PERR(c, node, "eviction-policy",
				    "\"%s\" is not never, adversarial or random", s);
		g->policy = p;
	}
	r = prop_str(c, node, "edge-policy", &s);
	if (r < 0)
		return r;
	if (r) {
		int e = dk_edge_policy_parse(s);

		if (e < 0)
			return PERR(c, node, "edge-policy",
				    "\"%s\" is not clean-invalidate or invalidate", s);
		g->edge = e;
	}
	r = prop_str(c, node, "dma-maintenance", &s);
	if (r < 0)
		return r;
	if (r) {
		if (strcmp(s, "arm64") && strcmp(s, "arm32"))
			return PERR(c, node, "dma-maintenance",
				    "\"%s\" is not arm64 or arm32", s);
		g->maint = strcmp(s, "arm32") ? DK_MAINT_ARM64 : DK_MAINT_ARM32;
	}
	r = prop_str(c, node, "coherent-mapping", &s);
	if (r < 0)
		return r;
	if (r) {
		if (strcmp(s, "normal-nc") && strcmp(s, "strongly-ordered"))
			return PERR(c, node, "coherent-mapping",
				    "\"%s\" is not normal-nc or strongly-ordered",
				    s);
		c->soc->coherent_nc = !strcmp(s, "normal-nc");
	}
	if (fdt_getprop(c->fdt, node, "cacheable-store-buffer", &len) &&
	    len)
		return PERR(c, node, "cacheable-store-buffer",
			    "takes no value, has %d bytes", len);
	c->soc->cacheable_sb = has_prop(c, node, "cacheable-store-buffer");
	r = parse_seed(c, node, &g->seed);
	if (r < 0)
		return r;
	r = prop_u32(c, node, "eviction-rate", &g->rate);
	if (r < 0)
		return r;
	if (g->rate > 100)
		return PERR(c, node, "eviction-rate", "%u%% is over 100%%",
			    g->rate);
	return 0;
}

static int rmem_cmp_base(const struct dk_rmem *a, const struct dk_bank *b)
{
	struct dk_bank x = { a->base, a->size };

	return overlaps(&x, b);
}

/* The first placed reserved region overlapping [base, base + size), or -1. */
static int rmem_overlap(const struct dk_soc *soc, u64 base, u64 size)
{
	struct dk_bank b = { base, size };
	int i;

	for (i = 0; i < soc->nrmem; i++)
		if (soc->rmem[i].size && rmem_cmp_base(&soc->rmem[i], &b))
			return i;
	return -1;
}

/*
 * Place a region given by "size" (and optionally "alignment" and
 * "alloc-ranges") top-down, as Linux's early allocator does.
 */
static int place_dynamic(struct ctx *c, int node, int idx)
{
	struct dk_soc *soc = c->soc;
	struct dk_rmem *rm = &soc->rmem[idx];
	struct dk_bank win[MAX_BANKS];
	int nwin = 0, i, j, len, r;
	const fdt32_t *p = fdt_getprop(c->fdt, node, "size", &len);
	u64 align = DK_PAGE_SIZE, size;

	if (!p || len != c->root_sc * 4)
		return PERR(c, node, "size", "must be %d cells", c->root_sc);
	/* rm->size stays 0 (unplaced) until a place is found. */
	size = read_cells(p, c->root_sc);
	if (!size || size & (DK_PAGE_SIZE - 1))
		return PERR(c, node, "size",
			    "0x%llx is not a non-zero multiple of %lu",
			    (unsigned long long)size, DK_PAGE_SIZE);
	p = fdt_getprop(c->fdt, node, "alignment", &len);
	if (p) {
		if (len != c->root_sc * 4)
			return PERR(c, node, "alignment", "must be %d cells",
				    c->root_sc);
		align = read_cells(p, c->root_sc);
		if (!dk_is_pow2(align))
			return PERR(c, node, "alignment",
				    "0x%llx is not a power of two",
				    (unsigned long long)align);
		if (align < DK_PAGE_SIZE)
			align = DK_PAGE_SIZE;
	}
	if (has_prop(c, node, "alloc-ranges")) {
		r = prop_ranges(c, node, "alloc-ranges", c->root_ac,
				c->root_sc, win, MAX_BANKS, &nwin);
		if (r)
			return r;
	} else {
		for (i = 0; i < soc->nbanks; i++)
			win[nwin++] = soc->banks[i].b;
	}
	for (i = soc->nbanks - 1; i >= 0; i--) {
		const struct dk_bank *b = &soc->banks[i].b;

		for (j = nwin - 1; j >= 0; j--) {
			u64 lo = b->base > win[j].base ? b->base : win[j].base;
			u64 bend = b->base + b->size - 1;
			u64 wend = win[j].base + win[j].size - 1;
			u64 hi = bend < wend ? bend : wend;
			u64 top;

			if (lo > hi || hi - lo + 1 < size)
				continue;
			/* Top-down, jumping below each region in the way. */
			top = dk_align_down(hi - size + 1, align);
			while (top >= lo && top <= hi) {
				int o = rmem_overlap(soc, top, size);

				if (o < 0) {
					rm->base = top;
					rm->size = size;
					return 0;
				}
				if (soc->rmem[o].base < size)
					break;
				top = dk_align_down(soc->rmem[o].base - size,
						    align);
			}
		}
	}
	return PERR(c, node, "size",
		    "no free RAM for 0x%llx bytes%s",
		    (unsigned long long)size,
		    nwin && has_prop(c, node, "alloc-ranges") ?
			    " inside alloc-ranges" : "");
}

static int parse_rmem_node(struct ctx *c, int node)
{
	struct dk_soc *soc = c->soc;
	struct dk_rmem *rm = &soc->rmem[soc->nrmem];
	char path[256];
	const char *compat = NULL;
	int r, i;

	if (soc->nrmem >= MAX_RMEM)
		return NERR(c, node, "more than %d reserved regions", MAX_RMEM);
	r = enabled(c, node);
	if (r <= 0)
		return r;
	if (fdt_getprop(c->fdt, node, "compatible", NULL))
		compat = fdt_getprop(c->fdt, node, "compatible", NULL);
	rm->shared_dma_pool = compat && !fdt_node_check_compatible(c->fdt, node,
								   "shared-dma-pool");
	rm->reusable = has_prop(c, node, "reusable");
	rm->no_map = has_prop(c, node, "no-map");
	rm->cma_default = has_prop(c, node, "linux,cma-default");
	if (rm->reusable && rm->no_map)
		return PERR(c, node, "no-map",
			    "\"reusable\" and \"no-map\" exclude each other");
	if (has_prop(c, node, "reg")) {
		struct dk_bank b;
		int n;

		r = prop_ranges(c, node, "reg", c->root_ac, c->root_sc, &b, 1,
				&n);
		if (r)
			return r;
		if ((b.base | b.size) & (DK_PAGE_SIZE - 1))
			return PERR(c, node, "reg",
				    "0x%llx + 0x%llx is not aligned to %lu-byte pages",
				    (unsigned long long)b.base,
				    (unsigned long long)b.size, DK_PAGE_SIZE);
		rm->base = b.base;
		rm->size = b.size;
		if (dk_ram_find(soc, b.base, b.size) < 0)
			return PERR(c, node, "reg",
				    "0x%llx + 0x%llx is not inside one memory bank",
				    (unsigned long long)b.base,
				    (unsigned long long)b.size);
		for (i = 0; i < soc->nrmem; i++)
			if (soc->rmem[i].size &&
			    rmem_cmp_base(&soc->rmem[i], &b))
				return PERR(c, node, "reg",
					    "overlaps reserved region %s",
					    soc->rmem[i].name);
	} else if (!has_prop(c, node, "size")) {
		return NERR(c, node, "reserved region has neither \"reg\" nor \"size\"");
	}
	rm->name = strdup(path_of(c, node, path, sizeof(path)));
	if (!rm->name)
		return dk_err(-ENOMEM, "out of memory");
	c->rmem_node[soc->nrmem++] = node;
	return 0;
}

static int parse_reserved(struct ctx *c)
{
	struct dk_soc *soc = c->soc;
	int rnode = fdt_path_offset(c->fdt, "/reserved-memory"), node, r, i;
	int ac, sc;

	soc->rmem = calloc(MAX_RMEM, sizeof(*soc->rmem));
	if (!soc->rmem)
		return dk_err(-ENOMEM, "out of memory");
	if (rnode < 0)
		return 0;
	r = addr_cells(c, rnode, &ac);
	if (!r)
		r = size_cells(c, rnode, &sc);
	if (r)
		return r;
	if (ac != c->root_ac || sc != c->root_sc)
		return PERR(c, rnode, "#address-cells",
			    "reserved-memory uses %d/%d cells but the root uses %d/%d; they must match",
			    ac, sc, c->root_ac, c->root_sc);
	/* Static regions first, so dynamic ones are placed around them. */
	fdt_for_each_subnode(node, c->fdt, rnode) {
		r = parse_rmem_node(c, node);
		if (r)
			return r;
	}
	for (i = 0; i < soc->nrmem; i++) {
		if (soc->rmem[i].size)
			continue;
		r = place_dynamic(c, c->rmem_node[i], i);
		if (r)
			return r;
	}
	return 0;
}

/* Translate @addr of a child of @bus through the "ranges"-like @prop chain. */
static int translate_up(const struct ctx *c, int bus, const char *prop,
			u64 addr, u64 size, u64 *out, int errnode,
			const char *errprop)
{
	int depth = 0;

	while (bus > 0) {
		int parent = parent_of(c, bus), len, cac, pac, sc;
		int r, n, i;
		const fdt32_t *p = fdt_getprop(c->fdt, bus, prop, &len);

		if (parent < 0 || ++depth > MAX_DEPTH)
			return NERR(c, errnode, "tree too deep");
		if (!p || len == 0) {
			bus = parent;
			continue;
		}
		r = addr_cells(c, bus, &cac);
		if (!r)
			r = size_cells(c, bus, &sc);
		if (!r)
			r = addr_cells(c, parent, &pac);
		if (r)
			return r;
		if (!sc)
			return PERR(c, bus, prop,
				    "the node has #size-cells = 0, windows need sizes");
		if (len % ((cac + pac + sc) * 4))
			return PERR(c, bus, prop,
				    "length %d is not a multiple of %d (child %d + parent %d + size %d cells)",
				    len, (cac + pac + sc) * 4, cac, pac, sc);
		n = len / ((cac + pac + sc) * 4);
		for (i = 0; i < n; i++, p += cac + pac + sc) {
			u64 ca = read_cells(p, cac), pa = read_cells(p + cac, pac);
			u64 sz = read_cells(p + cac + pac, sc);

			if (!sz || ca + sz - 1 < ca || pa + sz - 1 < pa)
				return PERR(c, bus, prop,
					    "entry %d has size 0 or overflows", i);
			if (addr >= ca && addr + size - 1 <= ca + sz - 1) {
				addr = addr - ca + pa;
				break;
			}
		}
		if (i == n) {
			char bp[256];

			return PERR(c, errnode, errprop,
				    "0x%llx + 0x%llx is outside every window of %s's \"%s\"",
				    (unsigned long long)addr,
				    (unsigned long long)size,
				    path_of(c, bus, bp, sizeof(bp)), prop);
		}
		bus = parent;
	}
	*out = addr;
	return 0;
}

/*
 * dma-ranges: the nearest bus above the device that has the property gives
 * the windows; buses further up translate their CPU side again. Each window
 * must fit one window of every bus above it.
 */
static int parse_dma_ranges(const struct ctx *c, int dev, struct dk_devdesc *d)
{
	int bus = parent_of(c, dev), len;

	for (; bus >= 0; bus = parent_of(c, bus)) {
		const fdt32_t *p = fdt_getprop(c->fdt, bus, "dma-ranges", &len);
		int parent, cac, pac, sc, r, n, i;

		if (!p || len == 0) {
			if (bus == 0)
				break;
			continue;
		}
		parent = parent_of(c, bus);
		if (parent < 0)
			return PERR(c, bus, "dma-ranges",
				    "the root node cannot translate DMA");
		r = addr_cells(c, bus, &cac);
		if (!r)
			r = size_cells(c, bus, &sc);
		if (!r)
			r = addr_cells(c, parent, &pac);
		if (r)
			return r;
		if (!sc)
			return PERR(c, bus, "dma-ranges",
				    "the node has #size-cells = 0, windows need sizes");
		if (len % ((cac + pac + sc) * 4))
			return PERR(c, bus, "dma-ranges",
				    "length %d is not a multiple of %d (child %d + parent %d + size %d cells)",
				    len, (cac + pac + sc) * 4, cac, pac, sc);
		n = len / ((cac + pac + sc) * 4);
		if (n > DK_MAX_DMA_RANGES)
			return PERR(c, bus, "dma-ranges", "more than %d windows",
				    DK_MAX_DMA_RANGES);
		for (i = 0; i < n; i++, p += cac + pac + sc) {
			struct dk_dma_range *w = &d->dma_ranges[i];

			w->bus = read_cells(p, cac);
			w->cpu = read_cells(p + cac, pac);
			w->size = read_cells(p + cac + pac, sc);
			if (!w->size || w->bus + w->size - 1 < w->bus ||
			    w->cpu + w->size - 1 < w->cpu)
				return PERR(c, bus, "dma-ranges",
					    "window %d has size 0 or overflows", i);
			r = translate_up(c, parent, "dma-ranges", w->cpu,
					 w->size, &w->cpu, bus, "dma-ranges");
			if (r)
				return r;
		}
		d->n_dma_ranges = n;
		break;
	}
	return 0;
}

static int parse_iommus(const struct ctx *c, int node, struct dk_devdesc *d)
{
	int len, target, i;
	u32 cells = 0;
	const fdt32_t *p = fdt_getprop(c->fdt, node, "iommus", &len);
	char tp[256];

	if (!p)
		return 0;
	if (len < 4 || len % 4)
		return PERR(c, node, "iommus", "must be a phandle and arguments");
	target = fdt_node_offset_by_phandle(c->fdt, fdt32_to_cpu(p[0]));
	if (target < 0)
		return PERR(c, node, "iommus", "phandle 0x%x points at no node",
			    fdt32_to_cpu(p[0]));
	if (prop_u32(c, target, "#iommu-cells", &cells) <= 0)
		return PERR(c, node, "iommus",
			    "target %s has no valid \"#iommu-cells\"",
			    path_of(c, target, tp, sizeof(tp)));
	if (cells > DK_MAX_IOMMU_ARGS)
		return PERR(c, target, "#iommu-cells", "%u is over %d", cells,
			    DK_MAX_IOMMU_ARGS);
	if ((u32)len != 4 * (1 + cells))
		return PERR(c, node, "iommus",
			    "%s takes %u argument cells; %d given (one IOMMU per device)",
			    path_of(c, target, tp, sizeof(tp)), cells, len / 4 - 1);
	d->iommu = strdup(path_of(c, target, tp, sizeof(tp)));
	if (!d->iommu)
		return dk_err(-ENOMEM, "out of memory");
	d->n_iommu_args = cells;
	for (i = 0; i < (int)cells; i++)
		d->iommu_args[i] = fdt32_to_cpu(p[1 + i]);
	return 0;
}

static int parse_memory_region(const struct ctx *c, int node,
			       struct dk_devdesc *d)
{
	int len, target, i;
	const fdt32_t *p = fdt_getprop(c->fdt, node, "memory-region", &len);

	d->memory_region = -1;
	if (!p)
		return 0;
	if (len != 4)
		return PERR(c, node, "memory-region",
			    "must be exactly one phandle (%d bytes given)", len);
	target = fdt_node_offset_by_phandle(c->fdt, fdt32_to_cpu(*p));
	if (target < 0)
		return PERR(c, node, "memory-region",
			    "phandle 0x%x points at no node", fdt32_to_cpu(*p));
	for (i = 0; i < c->soc->nrmem; i++)
		if (c->rmem_node[i] == target) {
			d->memory_region = i;
			return 0;
		}
	{
		char tp[256];

		return PERR(c, node, "memory-region",
			    "%s is not an enabled child of /reserved-memory",
			    path_of(c, target, tp, sizeof(tp)));
	}
}

void dk_dma_specs_free(struct dk_devdesc *d)
{
	int i;

	for (i = 0; i < d->n_dmas; i++) {
		free((char *)d->dmas[i].name);
		free((char *)d->dmas[i].provider);
	}
	d->n_dmas = 0;
}

/* One "dmas" entry at @p (@left cells remain): its target and cells. */
static int parse_dma_spec(const struct ctx *c, int node, const fdt32_t *p,
			  int left, struct dk_dma_spec *s)
{
	int target = fdt_node_offset_by_phandle(c->fdt, fdt32_to_cpu(p[0]));
	u32 cells = 0, i;
	char tp[256];

	if (target < 0)
		return PERR(c, node, "dmas", "phandle 0x%x points at no node",
			    fdt32_to_cpu(p[0]));
	if (prop_u32(c, target, "#dma-cells", &cells) <= 0)
		return PERR(c, node, "dmas",
			    "target %s has no valid \"#dma-cells\"",
			    path_of(c, target, tp, sizeof(tp)));
	if (cells > DK_MAX_DMA_ARGS)
		return PERR(c, target, "#dma-cells", "%u is over %d", cells,
			    DK_MAX_DMA_ARGS);
	if ((int)cells >= left)
		return PERR(c, node, "dmas",
			    "%s takes %u argument cells; the property ends first",
			    path_of(c, target, tp, sizeof(tp)), cells);
	s->provider = strdup(path_of(c, target, tp, sizeof(tp)));
	if (!s->provider)
		return dk_err(-ENOMEM, "out of memory");
	s->nargs = cells;
	for (i = 0; i < cells; i++)
		s->args[i] = fdt32_to_cpu(p[1 + i]);
	return 1 + cells;
}

/* "dmas" and "dma-names" of a consumer, "dma-requests" and
 * "dma-channel-mask" of a controller. */
static int parse_dmas(const struct ctx *c, int node, struct dk_devdesc *d)
{
	int len, off = 0, r, nnames;
	const fdt32_t *p = fdt_getprop(c->fdt, node, "dmas", &len);

	d->dma_channel_mask = ~0u;
	r = prop_u32(c, node, "dma-requests", &d->dma_requests);
	if (r >= 0)
		r = prop_u32(c, node, "dma-channel-mask", &d->dma_channel_mask);
	if (r < 0 || !p)
		return r < 0 ? r : 0;
	if (len < 4 || len % 4)
		return PERR(c, node, "dmas", "must be phandles and arguments");
	while (off < len / 4) {
		if (d->n_dmas == DK_MAX_DMAS)
			return PERR(c, node, "dmas", "more than %d entries",
				    DK_MAX_DMAS);
		r = parse_dma_spec(c, node, p + off, len / 4 - off,
				   &d->dmas[d->n_dmas]);
		if (r < 0)
			return r;
		d->n_dmas++;
		off += r;
	}
	nnames = fdt_stringlist_count(c->fdt, node, "dma-names");
	if (nnames < 0 && nnames != -FDT_ERR_NOTFOUND)
		return PERR(c, node, "dma-names", "not a list of strings");
	for (r = 0; r < nnames && r < d->n_dmas; r++) {
		d->dmas[r].name = strdup(fdt_stringlist_get(c->fdt, node,
							    "dma-names", r,
							    NULL));
		if (!d->dmas[r].name)
			return dk_err(-ENOMEM, "out of memory");
	}
	if (nnames >= 0 && nnames != d->n_dmas)
		return PERR(c, node, "dma-names",
			    "%d names for %d \"dmas\" entries", nnames,
			    d->n_dmas);
	return 0;
}

static bool coherent_in_tree(const struct ctx *c, int node)
{
	for (; node >= 0; node = parent_of(c, node)) {
		if (has_prop(c, node, "dma-coherent"))
			return true;
		if (node == 0)
			break;
	}
	return false;
}

/* The node's "compatible" strings with an empty one after the last
 * (the caller checked that the property is NUL-terminated). */
static char *compat_list(const struct ctx *c, int node)
{
	int len;
	const char *p = fdt_getprop(c->fdt, node, "compatible", &len);
	char *l = malloc(len + 1);

	if (l) {
		memcpy(l, p, len);
		l[len] = '\0';
	}
	return l;
}

/* The TZASC's regions at reset: enabled, secure. */
static int parse_tzasc(struct ctx *c, int node)
{
	struct dk_tz *tz = &c->soc->tz;
	struct dk_bank b[DK_TZASC_REGIONS];
	int i, n = 0, r;

	if (tz->present)
		return NERR(c, node, "a second TZASC (one per SoC)");
	tz->present = true;
	if (!has_prop(c, node, "dmakit,secure-ranges"))
		return 0;
	r = prop_ranges(c, node, "dmakit,secure-ranges", c->root_ac,
			c->root_sc, b, DK_TZASC_REGIONS, &n);
	for (i = 0; !r && i < n; i++) {
		if ((b[i].base | b[i].size) & 0xfff || !b[i].size)
			return PERR(c, node, "dmakit,secure-ranges",
				    "range %d (0x%llx, 0x%llx) is not 4 KiB aligned",
				    i, (unsigned long long)b[i].base,
				    (unsigned long long)b[i].size);
		tz->r[i].base = b[i].base;
		tz->r[i].size = b[i].size;
		tz->r[i].attr = DK_TZASC_ATTR_EN;
	}
	return r;
}

static int parse_device(struct ctx *c, int bus, int node,
			const struct dk_model_ops *m)
{
	struct dk_soc *soc = c->soc;
	struct dk_simdev *sd = &soc->devs[soc->ndevs];
	struct dk_devdesc *d = &sd->d;
	char path[256];
	u32 bits = 64, irq;
	int r, len;
	const fdt32_t *ip;

	if (soc->ndevs >= MAX_DEVS)
		return NERR(c, node, "more than %d devices", MAX_DEVS);
	memset(sd, 0, sizeof(*sd));
	sd->soc = soc;
	sd->model = m;
	d->irq = -1;
	d->name = strdup(path_of(c, node, path, sizeof(path)));
	d->compatible = strdup(m->compatible);
	d->compatibles = compat_list(c, node);
	soc->ndevs++;	/* counted now so dk_soc_free releases the names */
	if (!d->name || !d->compatible || !d->compatibles)
		return dk_err(-ENOMEM, "out of memory");
	if (has_prop(c, node, "reg")) {
		struct dk_bank b[MAX_REGS];
		int ac, sc, n;

		/* Every entry is checked; the first is the register window. */
		r = addr_cells(c, bus, &ac);
		if (!r)
			r = size_cells(c, bus, &sc);
		if (!r)
			r = prop_ranges(c, node, "reg", ac, sc, b, MAX_REGS,
					&n);
		if (!r)
			r = translate_up(c, bus, "ranges", b[0].base, b[0].size,
					 &d->reg, node, "reg");
		if (r)
			return r;
		d->reg_size = b[0].size;
	} else if (m->needs_reg) {
		return PERR(c, node, "reg", "missing (a %s has registers)",
			    m->compatible);
	}
	ip = fdt_getprop(c->fdt, node, "interrupts", &len);
	if (ip) {
		if (len < 4 || len % 4)
			return PERR(c, node, "interrupts",
				    "must be whole cells, is %d bytes", len);
		irq = fdt32_to_cpu(ip[0]);
		if (irq >= DK_MAX_IRQ)
			return PERR(c, node, "interrupts",
				    "irq %u is over %d", irq, DK_MAX_IRQ - 1);
		d->irq = irq;
	}
	d->coherent = coherent_in_tree(c, node);
	d->hw_coherent = d->coherent;
	if (has_prop(c, node, "dmakit,hw-coherent") &&
	    has_prop(c, node, "dmakit,hw-noncoherent"))
		return PERR(c, node, "dmakit,hw-coherent",
			    "cannot be given with \"dmakit,hw-noncoherent\"");
	if (has_prop(c, node, "dmakit,hw-coherent"))
		d->hw_coherent = true;
	if (has_prop(c, node, "dmakit,hw-noncoherent"))
		d->hw_coherent = false;
	d->write_allocate = has_prop(c, node, "dmakit,write-allocate");
	d->secure_master = has_prop(c, node, "dmakit,secure-master");
	d->tz_aware = has_prop(c, node, "dmakit,trustzone-aware");
	if (d->tz_aware && d->secure_master)
		return PERR(c, node, "dmakit,trustzone-aware",
			    "cannot be given with \"dmakit,secure-master\" (a gasket fixes the world)");
	d->dma_whole_bursts = has_prop(c, node, "dmakit,dma-whole-bursts");
	d->untrusted = has_prop(c, node, "dmakit,untrusted");
	r = prop_u32(c, node, "dmakit,address-bits", &bits);
	if (r < 0)
		return r;
	if (bits < 12 || bits > 64)
		return PERR(c, node, "dmakit,address-bits",
			    "%u is not in 12..64", bits);
	d->address_bits = bits;
	r = prop_u32(c, node, "dma-channels", &d->dma_channels);
	if (r < 0)
		return r;
	r = parse_dma_ranges(c, node, d);
	if (!r && !strcmp(m->compatible, "dmakit,tzasc"))
		r = parse_tzasc(c, node);
	if (!r)
		r = parse_iommus(c, node, d);
	if (!r)
		r = parse_memory_region(c, node, d);
	if (!r)
		r = parse_dmas(c, node, d);
	return r;
}

static int parse_firewall(struct ctx *c, int node)
{
	struct dk_soc *soc = c->soc;
	struct dk_bank tmp[MAX_SECURE];
	int n, r;

	r = prop_ranges(c, node, "dmakit,secure-ranges", c->root_ac,
			c->root_sc, tmp, MAX_SECURE, &n);
	if (r)
		return r;
	if (n > MAX_SECURE - soc->nsecure)
		return PERR(c, node, "dmakit,secure-ranges",
			    "more than %d secure ranges in the tree",
			    MAX_SECURE);
	memcpy(soc->secure + soc->nsecure, tmp, n * sizeof(*tmp));
	soc->nsecure += n;
	return 0;
}

/* Nodes dmakit understands that are not bus masters. */
static const char *const infrastructure[] = {
	"dmakit,iommu", "arm,smmu-v3", "arm,mmu-500",
	/* clock sources drivers read rates from (<linux/clk.h>) */
	"fixed-clock", "fixed-factor-clock",
};

/* An IOMMU node: its input address size and its walker's coherence. */
static int parse_iommu_unit(struct ctx *c, int node)
{
	char path[256];
	u32 bits = 48;
	int r = prop_u32(c, node, "dmakit,input-address-bits", &bits);

	if (r < 0)
		return r;
	if (bits < 32 || bits > 48)
		return PERR(c, node, "dmakit,input-address-bits",
			    "%u is not in 32..48", bits);
	return dk_iommu_unit_add(c->soc, path_of(c, node, path, sizeof(path)),
				 bits, has_prop(c, node, "dma-coherent"));
}

static int parse_bus(struct ctx *c, int bus, int depth);

static int parse_child(struct ctx *c, int bus, int node, int depth)
{
	const struct dk_model_ops *m;
	const char *compat;
	int len, r;
	size_t i;

	r = enabled(c, node);
	if (r <= 0)
		return r;
	compat = fdt_getprop(c->fdt, node, "compatible", &len);
	if (!compat)
		return 0;
	if (len < 1 || compat[len - 1] != '\0')
		return PERR(c, node, "compatible", "not NUL-terminated");
	if (!fdt_node_check_compatible(c->fdt, node, "simple-bus"))
		return parse_bus(c, node, depth + 1);
	if (!fdt_node_check_compatible(c->fdt, node, "dmakit,firewall"))
		return parse_firewall(c, node);
	if (!fdt_node_check_compatible(c->fdt, node, "mmio-sram"))
		return 0;	/* memory: parse_sram() */
	for (i = 0; i < DK_ARRAY_SIZE(infrastructure); i++)
		if (!fdt_node_check_compatible(c->fdt, node, infrastructure[i]))
			return parse_iommu_unit(c, node);
	/* Most specific first, as Linux matches: a vendor string may lead
	 * ("acme,soc-dma", "dmakit,m2m-dma"). */
	for (i = 0; i < (size_t)fdt_stringlist_count(c->fdt, node, "compatible");
	     i++) {
		m = c->soc->find_model(fdt_stringlist_get(c->fdt, node, "compatible",
						     i, NULL));
		if (m)
			return parse_device(c, bus, node, m);
	}
	return PERR(c, node, "compatible",
		    "\"%s\" has no device model (dmakit list-models)", compat);
}

static int parse_bus(struct ctx *c, int bus, int depth)
{
	int node, r;

	if (depth > MAX_DEPTH)
		return NERR(c, bus, "buses nested deeper than %d", MAX_DEPTH);
	fdt_for_each_subnode(node, c->fdt, bus) {
		r = parse_child(c, bus, node, depth);
		if (r)
			return r;
	}
	return 0;
}

/* Root level: firewalls anywhere at the top, devices under simple-bus. */
static int parse_devices(struct ctx *c)
{
	struct dk_soc *soc = c->soc;
	int node, r;

	soc->devs = calloc(MAX_DEVS, sizeof(*soc->devs));
	soc->secure = calloc(MAX_SECURE, sizeof(*soc->secure));
	if (!soc->devs || !soc->secure)
		return dk_err(-ENOMEM, "out of memory");
	fdt_for_each_subnode(node, c->fdt, 0) {
		r = enabled(c, node);
		if (r < 0)
			return r;
		if (!r)
			continue;
		if (!fdt_node_check_compatible(c->fdt, node, "simple-bus"))
			r = parse_bus(c, node, 1);
		else if (!fdt_node_check_compatible(c->fdt, node,
						    "dmakit,firewall"))
			r = parse_firewall(c, node);
		else
			r = 0;
		if (r)
			return r;
	}
	return 0;
}

static u32 be32_at(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

#define BERR(fmt, ...) \
	dk_err(-EINVAL, "device tree: " fmt, ##__VA_ARGS__)

/*
 * The libfdt distributions ship (1.6) trusts a blob more than it should:
 * a property length of -12 makes fdt_next_tag() loop forever, a pre-16
 * blob can make fdt_check_full() dereference NULL, and misaligned blocks
 * pass. So check the header and walk the whole structure block here first,
 * as newer libfdt does; fdt_check_full() and every lookup after it then
 * only see tags whose lengths stay inside their blocks.
 */
static int check_blob(const void *fdt, size_t len)
{
	const u8 *b = fdt;
	u32 total, off, end, strs, nstrs, depth = 0;
	bool closed = false;
	int r;

	if (len < sizeof(struct fdt_header) || fdt_magic(fdt) != FDT_MAGIC)
		return BERR("not a flattened device tree (bad magic or truncated header)");
	total = fdt_totalsize(fdt);
	if (total > len)
		return BERR("truncated: header says %u bytes, %zu given", total,
			    len);
	if (fdt_version(fdt) < 16)
		return BERR("version %u is older than 16, the oldest dmakit reads",
			    fdt_version(fdt));
	r = fdt_check_header(fdt);
	if (r)
		return BERR("bad header: %s", fdt_strerror(r));
	if (fdt_off_mem_rsvmap(fdt) % 8 || fdt_off_dt_struct(fdt) % 4)
		return BERR("memory reservation block at %u or structure block at %u is misaligned",
			    fdt_off_mem_rsvmap(fdt), fdt_off_dt_struct(fdt));
	off = fdt_off_dt_struct(fdt);
	/* fdt_check_header() put both blocks inside totalsize. */
	end = fdt_version(fdt) >= 17 ? off + fdt_size_dt_struct(fdt) : total;
	strs = fdt_off_dt_strings(fdt);
	nstrs = fdt_size_dt_strings(fdt);
	while (off < end && end - off >= 4) {
		u32 at = off, tag = be32_at(b + off), plen, nameoff;
		const u8 *nul;

		off += 4;
		if (closed && tag != FDT_NOP && tag != FDT_END)
			return BERR("tag 0x%x at %u after the root node ended",
				    tag, at);
		switch (tag) {
		case FDT_BEGIN_NODE:
			nul = memchr(b + off, 0, end - off);
			if (!nul)
				return BERR("node name at %u runs past the structure block",
					    at);
			off = (u32)(nul - b) + 1;
			off = (off + 3) & ~3u;
			depth++;
			break;
		case FDT_END_NODE:
			if (!depth)
				return BERR("unbalanced end of node at %u", at);
			if (!--depth)
				closed = true;
			break;
		case FDT_PROP:
			if (!depth || end - off < 8)
				return BERR("property at %u is outside a node or cut short",
					    at);
			plen = be32_at(b + off);
			nameoff = be32_at(b + off + 4);
			if (plen > end - off - 8)
				return BERR("property at %u: length %u runs past the structure block",
					    at, plen);
			if (nameoff >= nstrs ||
			    !memchr(b + strs + nameoff, 0, nstrs - nameoff))
				return BERR("property at %u: name offset %u is outside the strings block",
					    at, nameoff);
			off += 8 + plen;
			off = (off + 3) & ~3u;
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			if (depth || !closed)
				return BERR("structure block ends inside a node or without one");
			return 0;
		default:
			return BERR("unknown tag 0x%x at %u", tag, at);
		}
	}
	return BERR("structure block has no end tag");
}

static int parse_tree(struct ctx *c);

static int parse_blob(struct dk_soc *soc, const void *fdt, size_t len)
{
	struct ctx c = { .fdt = fdt, .soc = soc };
	int r;

	r = check_blob(fdt, len);
	if (r)
		return r;
	r = fdt_check_full(fdt, len);
	if (r)
		return dk_err(-EINVAL, "device tree: %s", fdt_strerror(r));
	r = parents_init(&c);
	if (!r)
		r = parse_tree(&c);
	free(c.parent);
	return r;
}

static int parse_tree(struct ctx *cp)
{
	struct ctx c = *cp;
	struct dk_soc *soc = c.soc;
	const char *model = "unnamed SoC";
	int r;

	r = addr_cells(&c, 0, &c.root_ac);
	if (!r)
		r = size_cells(&c, 0, &c.root_sc);
	if (r)
		return r;
	if (!c.root_sc)
		return PERR(&c, 0, "#size-cells", "the root needs sizes");
	r = prop_str(&c, 0, "model", &model);
	if (r < 0)
		return r;
	soc->model = strdup(model);
	if (!soc->model)
		return dk_err(-ENOMEM, "out of memory");
	r = parse_memory(&c);
	if (!r)
		r = parse_cpus(&c);
	if (!r)
		r = parse_dmakit_node(&c);
	if (!r)
		r = parse_reserved(&c);
	if (!r)
		r = parse_devices(&c);
	return r;
}

/*
 * libfdt wants the blob 8-byte aligned; a caller's bytes may be anywhere,
 * so a misaligned blob is parsed from an aligned copy. Nothing the SoC
 * keeps points into the blob.
 */
int dk_fdt_parse(struct dk_soc *soc, const void *fdt, size_t len)
{
	void *copy;
	int r;

	if (!((uintptr_t)fdt & 7))
		return parse_blob(soc, fdt, len);
	/* libfdt's header accessors are not for misaligned pointers either. */
	if (len < sizeof(struct fdt_header) || be32_at(fdt) != FDT_MAGIC)
		return BERR("not a flattened device tree (bad magic or truncated header)");
	if (be32_at((const u8 *)fdt + 4) < len)
		len = be32_at((const u8 *)fdt + 4);	/* totalsize */
	copy = malloc(len ? len : 1);
	if (!copy)
		return dk_err(-ENOMEM, "out of memory");
	memcpy(copy, fdt, len);
	r = parse_blob(soc, copy, len);
	free(copy);
	return r;
}
