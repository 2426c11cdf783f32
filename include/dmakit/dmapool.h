/* SPDX-License-Identifier: MIT */
/*
 * DMA pools: many small, equally sized blocks of coherent DMA memory (rings
 * of descriptors, command blocks), with Linux's dma_pool names and
 * semantics.
 *
 * A pool carves chunks of max(PAGE_SIZE, block size) bytes, each one
 * dma_alloc_coherent() allocation of the pool's device, into blocks. The
 * memory is therefore what dma_alloc_coherent() gives: usable by the CPU
 * and the device at once without syncs (an uncached alias for a
 * non-coherent device). Chunks are kept until the pool is destroyed.
 *
 * The pool's bookkeeping lives outside the blocks, so a device scribbling
 * over a block cannot corrupt the pool, and dma_pool_alloc() and
 * dma_pool_free() take constant time. Every function is thread-safe.
 */
#ifndef DMAKIT_DMAPOOL_H
#define DMAKIT_DMAPOOL_H

#include <dmakit/device.h>
#include <dmakit/gfp.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dma_pool;

/*
 * A pool that was destroyed (or was never made by dma_pool_create()) is
 * refused by every function below without being touched: a second
 * dma_pool_destroy() prints "BUG: dma_pool_destroy: pool %p is not live
 * (destroyed twice?)", dma_pool_alloc() returns NULL with "pool %p is not
 * live" in dk_last_error(), dk_dma_pool_stats() returns -EINVAL.
 */

/*
 * dma_pool_create - a pool of @size-byte blocks for DMA by @dev.
 * @name: for messages; copied.
 * @align: alignment of every block's DMA address: a power of two, or 0
 *   meaning 1 as in Linux. No larger alignment is implied: the pool keeps
 *   its bookkeeping elsewhere, so unlike Linux it has no hidden minimum
 *   block size.
 * @boundary: 0, or a power of two no smaller than the block size; no block
 *   crosses a multiple of it in DMA address space. 0 means the chunk size
 *   (no block straddles two chunks anyway).
 *
 * The block size is @size rounded up to @align. Returns the pool, or NULL
 * with a message in dk_last_error() for a NULL @dev or @name, @size 0, an
 * @align that is not a power of two, a @boundary that is not a power of
 * two or is below the block size, or no host memory. No DMA memory is
 * allocated until the first dma_pool_alloc().
 */
struct dma_pool *dma_pool_create(const char *name, struct device *dev,
				 size_t size, size_t align, size_t boundary);

/*
 * dma_pool_destroy - free every chunk of @pool and the pool. Blocks still
 * allocated are reported with dev_err ("dma_pool_destroy <name>, <n> blocks
 * busy") and freed anyway: the device must no longer use them. NULL is a
 * no-op.
 */
void dma_pool_destroy(struct dma_pool *pool);

/*
 * dma_pool_alloc - one block of @pool. Its DMA address goes to *@handle.
 * The block is zeroed only with __GFP_ZERO in @mem_flags; otherwise it
 * holds whatever was there. @mem_flags is passed to dma_alloc_coherent()
 * when a new chunk is needed. Returns the CPU address, or NULL when no
 * chunk can be allocated (message in dk_last_error()) or for NULL
 * arguments.
 */
void *dma_pool_alloc(struct dma_pool *pool, gfp_t mem_flags,
		     dma_addr_t *handle);

/* dma_pool_zalloc - dma_pool_alloc() with __GFP_ZERO. */
void *dma_pool_zalloc(struct dma_pool *pool, gfp_t mem_flags,
		      dma_addr_t *handle);

/*
 * dma_pool_free - give a block back. @vaddr and @dma must be a pair
 * dma_pool_alloc() returned from @pool. A pointer the pool never handed
 * out, a block already free, or a @dma that does not belong with @vaddr is
 * reported with dev_err and changes nothing (the block stays as it was).
 * NULL @vaddr is reported too.
 */
void dma_pool_free(struct dma_pool *pool, void *vaddr, dma_addr_t dma);

/*
 * dmam_pool_create - dma_pool_create() whose pool is destroyed when the
 * driver of @dev unbinds (devres). Same arguments and errors.
 */
struct dma_pool *dmam_pool_create(const char *name, struct device *dev,
				  size_t size, size_t align,
				  size_t boundary);

/*
 * dmam_pool_destroy - destroy a pool from dmam_pool_create() now, and take
 * it off the device's devres list. A pool that is not managed is reported
 * with dev_warn and left alone, as Linux does.
 */
void dmam_pool_destroy(struct dma_pool *pool);

/* What a pool holds, for tests and reports. */
struct dk_dma_pool_stats {
	size_t block_size;	/* size rounded up to the alignment */
	size_t align;
	size_t boundary;	/* as given; 0 became the chunk size */
	size_t allocation;	/* bytes per chunk */
	size_t chunks;
	size_t blocks;		/* in all chunks */
	size_t busy;		/* allocated and not freed */
};

/* dk_dma_pool_stats - fill *@st. 0, or -EINVAL for NULL arguments. */
int dk_dma_pool_stats(struct dma_pool *pool, struct dk_dma_pool_stats *st);

#ifdef __cplusplus
}
#endif

#endif
