// SPDX-License-Identifier: MIT
/*
 * The front end of the two-step IOVA API: a driver reserves one IOVA
 * range, then links and unlinks pages in it without an allocation per
 * mapping. Only a backend with the iova_* members (iommu-dma) offers it;
 * elsewhere dma_iova_try_alloc() says no and the driver uses the
 * streaming API. The checker sees each linked range as a mapping.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/dma-map-ops.h>
#include <dmakit/dma-mapping.h>

#include "../debug/debug.h"
#include "../kernel/kernel.h"
#include "../dma_direct/direct.h"
#include "dma.h"

/* The backend's table when it has the API, else NULL with a message. */
static const struct dma_map_ops *iova_ops(struct device *dev,
					  const char *fn)
{
	if (!dk_dev_ok(dev, fn))
		return NULL;
	if (!dev->dma_ops || !dev->dma_ops->iova_alloc) {
		dk_err(-EOPNOTSUPP, "%s: %s: it does not map through an IOMMU",
		       dev_name(dev), fn);
		return NULL;
	}
	return dev->dma_ops;
}

static bool in_use(struct dma_iova_state *state, const char *fn)
{
	if (state && dma_use_iova(state))
		return true;
	dk_err(-EINVAL, "%s: no IOVA range (dma_iova_try_alloc() failed or was not called)",
	       fn);
	return false;
}

bool dma_iova_try_alloc(struct device *dev, struct dma_iova_state *state,
			phys_addr_t phys, size_t size)
{
	const struct dma_map_ops *ops;

	if (!state) {
		dk_err(-EINVAL, "dma_iova_try_alloc: NULL state");
		return false;
	}
	memset(state, 0, sizeof(*state));
	ops = iova_ops(dev, "dma_iova_try_alloc");
	if (!ops)
		return false;
	if (!size) {
		dk_err(-EINVAL, "%s: dma_iova_try_alloc: size 0", dev_name(dev));
		return false;
	}
	if (ops->iova_alloc(dev, state, phys, size)) {
		memset(state, 0, sizeof(*state));
		return false;
	}
	return true;
}

void dma_iova_free(struct device *dev, struct dma_iova_state *state)
{
	const struct dma_map_ops *ops = iova_ops(dev, "dma_iova_free");

	if (!ops || !in_use(state, "dma_iova_free")) {
		dk_warn("BUG: %s", dk_last_error());
		return;
	}
	ops->iova_free(dev, state);
	memset(state, 0, sizeof(*state));
}

int dma_iova_link(struct device *dev, struct dma_iova_state *state,
		  phys_addr_t phys, size_t offset, size_t size,
		  enum dma_data_direction dir, unsigned long attrs)
{
	const struct dma_map_ops *ops = iova_ops(dev, "dma_iova_link");
	int r;

	if (!ops || !in_use(state, "dma_iova_link"))
		return -EINVAL;
	if (dk_dma_check_args(dev, size, dir, "dma_iova_link"))
		return -EINVAL;
	if (!dk_ram_range_ok(dev->machine, phys, size))
		return dk_err(-EINVAL, "%s: dma_iova_link: 0x%llx + 0x%zx is not RAM",
			      dev_name(dev), (unsigned long long)phys, size);
	r = ops->iova_link(dev, state, phys, offset, size, dir, attrs);
	if (!r)
		dk_dbg_map(dev, DK_MAP_IOVA, NULL, phys, state->addr + offset,
			   size, dir, attrs, 0, 0);
	return r;
}

int dma_iova_sync(struct device *dev, struct dma_iova_state *state,
		  size_t offset, size_t size)
{
	const struct dma_map_ops *ops = iova_ops(dev, "dma_iova_sync");

	if (!ops || !in_use(state, "dma_iova_sync"))
		return -EINVAL;
	return ops->iova_sync(dev, state, offset, size);
}

static void unlink(struct device *dev, struct dma_iova_state *state,
		   size_t offset, size_t size, enum dma_data_direction dir,
		   unsigned long attrs, const char *fn)
{
	const struct dma_map_ops *ops = iova_ops(dev, fn);

	if (!ops || !in_use(state, fn) || !size || !dk_valid_dir(dir)) {
		dk_warn("BUG: %s: %s", fn, size && dk_valid_dir(dir) ?
			dk_last_error() : "size 0 or no direction");
		return;
	}
	/* Before the cache work: the checker looks at the lines first. */
	dk_dbg_unmap_span(dev, DK_MAP_IOVA, state->addr + offset, size, dir);
	ops->iova_unlink(dev, state, offset, size, dir, attrs);
}

void dma_iova_unlink(struct device *dev, struct dma_iova_state *state,
		     size_t offset, size_t size, enum dma_data_direction dir,
		     unsigned long attrs)
{
	unlink(dev, state, offset, size, dir, attrs, "dma_iova_unlink");
}

void dma_iova_destroy(struct device *dev, struct dma_iova_state *state,
		      size_t mapped_len, enum dma_data_direction dir,
		      unsigned long attrs)
{
	if (mapped_len)
		unlink(dev, state, 0, mapped_len, dir, attrs,
		       "dma_iova_destroy");
	dma_iova_free(dev, state);
}
