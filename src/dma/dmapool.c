// SPDX-License-Identifier: MIT
/*
 * dma_pool: equally sized blocks carved from coherent DMA chunks.
 *
 * Blocks are memory a device reads and writes, so nothing of the pool's own
 * lives in them: each chunk has an array of block descriptors indexed by
 * offset / block size (unique per block, since blocks are at least a block
 * size apart) holding the free list, and the pool hashes the host pages of
 * its chunks so dma_pool_free() finds a block's chunk in constant time.
 *
 * Each thread keeps a few free blocks of the pool it used last, and the
 * blocks it allocated most recently: a free of one of those and the next
 * allocation then take no lock. A block's state is atomic, so a block is
 * freed once whichever path frees it; the cached blocks are free (not
 * busy) to the pool and go back to it when their thread exits.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/dma-mapping.h>
#include <dmakit/dmapool.h>

#include "../mm/mm.h"
#include "../core/objreg.h"
#include "../kernel/kernel.h"

#define NO_SLOT UINT32_MAX

enum blk_state { BLK_NONE, BLK_FREE, BLK_BUSY };

struct blk {
	u32 off;		/* from the chunk's start */
	u32 next;		/* next free slot, or NO_SLOT */
	u8 state;		/* atomic: thread caches change it too */
};

struct chunk;

/* One host page of a chunk, in the pool's page -> chunk hash. */
struct page_ent {
	struct page_ent *next;
	uintptr_t pfn;
	struct chunk *c;
};

struct chunk {
	struct chunk *next_all;
	/* On the list of chunks with free blocks. */
	struct chunk *prev_avail, *next_avail;
	u8 *vaddr;
	dma_addr_t dma;
	u32 nslots, nblocks, nfree, free_head;
	struct blk *blk;
	struct page_ent *pages;
	size_t npages;
};

struct dma_pool {
	pthread_mutex_t lock;
	u64 gen;		/* unique: a cache of a pool gone never matches */
	struct dma_pool *next_live;
	char *name;
	struct device *dev;
	size_t size, align, boundary, allocation;
	struct chunk *all, *avail;
	struct page_ent **buckets;
	unsigned int hbits;
	size_t nents, nchunks, nblocks;
};

/* Live pools, so a thread's cache goes back only to a pool that exists. */
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dma_pool *live_pools;	/* under live_lock */
static u64 next_gen;			/* under live_lock */

static u8 state_of(const struct blk *b)
{
	return __atomic_load_n(&b->state, __ATOMIC_ACQUIRE);
}

static void set_state(struct blk *b, u8 st)
{
	__atomic_store_n(&b->state, st, __ATOMIC_RELEASE);
}

/* BUSY -> FREE once, whoever frees: false if it was not busy. */
static bool busy_to_free(struct blk *b)
{
	u8 busy = BLK_BUSY;

	return __atomic_compare_exchange_n(&b->state, &busy, BLK_FREE, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

static bool pow2(size_t x)
{
	return x && !(x & (x - 1));
}

static u64 align_up(u64 x, u64 a)
{
	return (x + a - 1) & ~(a - 1);
}

static void hash_grow(struct dma_pool *pool);

struct dma_pool *dma_pool_create(const char *name, struct device *dev,
				 size_t size, size_t align, size_t boundary)
{
	struct dma_pool *pool;

	if (!name) {
		dk_err(-EINVAL, "dma_pool_create: NULL name");
		return NULL;
	}
	if (!dev) {
		dk_err(-EINVAL, "dma_pool_create(%s): NULL device", name);
		return NULL;
	}
	if (!dk_dev_ok(dev, "dma_pool_create"))
		return NULL;
	if (!size) {
		dk_err(-EINVAL, "dma_pool_create(%s): size 0", name);
		return NULL;
	}
	if (!align)
		align = 1;
	if (!pow2(align)) {
		dk_err(-EINVAL,
		       "dma_pool_create(%s): align %zu is not a power of two",
		       name, align);
		return NULL;
	}
	/* Chunk offsets are 32-bit; no DMA allocation gets near that. */
	if (size > UINT32_MAX || align > UINT32_MAX) {
		dk_err(-EINVAL,
		       "dma_pool_create(%s): size %zu / align %zu above 4 GiB",
		       name, size, align);
		return NULL;
	}
	size = align_up(size, align);
	if (boundary && !pow2(boundary)) {
		dk_err(-EINVAL,
		       "dma_pool_create(%s): boundary %zu is not a power of two",
		       name, boundary);
		return NULL;
	}
	if (boundary && boundary < size) {
		dk_err(-EINVAL,
		       "dma_pool_create(%s): boundary %zu is smaller than the block size %zu",
		       name, boundary, size);
		return NULL;
	}
	pool = calloc(1, sizeof(*pool));
	if (!pool || !(pool->name = strdup(name))) {
		free(pool);
		dk_err(-ENOMEM, "dma_pool_create(%s): out of memory", name);
		return NULL;
	}
	/* Buckets exist from the start, so later growth may fail. */
	hash_grow(pool);
	if (!pool->buckets) {
		free(pool->name);
		free(pool);
		dk_err(-ENOMEM, "dma_pool_create(%s): out of memory", name);
		return NULL;
	}
	if (dk_obj_add(pool, DK_OBJ_POOL, dev)) {
		free(pool->buckets);
		free(pool->name);
		free(pool);
		return NULL;
	}
	pthread_mutex_init(&pool->lock, NULL);
	pthread_mutex_lock(&live_lock);
	pool->gen = ++next_gen;
	pool->next_live = live_pools;
	live_pools = pool;
	pthread_mutex_unlock(&live_lock);
	pool->dev = dev;
	pool->size = size;
	pool->align = align;
	pool->boundary = boundary;
	pool->allocation = size > PAGE_SIZE ? size : PAGE_SIZE;
	return pool;
}

/* ---- the page -> chunk hash */

static size_t hash(uintptr_t pfn, unsigned int bits)
{
	return bits ? (size_t)(((u64)pfn * 0x9e3779b97f4a7c15ULL) >>
			       (64 - bits)) : 0;
}

/* Grow the table to a bucket per entry. Failing to grow only makes
 * chains longer, so it is not an error. */
static void hash_grow(struct dma_pool *pool)
{
	unsigned int bits = pool->hbits ? pool->hbits + 1 : 4;
	struct page_ent **nb = calloc((size_t)1 << bits, sizeof(*nb));
	size_t i;

	if (!nb)
		return;
	for (i = 0; pool->buckets && i < (size_t)1 << pool->hbits; i++) {
		struct page_ent *e, *next;

		for (e = pool->buckets[i]; e; e = next) {
			size_t h = hash(e->pfn, bits);

			next = e->next;
			e->next = nb[h];
			nb[h] = e;
		}
	}
	free(pool->buckets);
	pool->buckets = nb;
	pool->hbits = bits;
}

static void hash_add(struct dma_pool *pool, struct page_ent *e)
{
	size_t h;

	if (pool->nents >= (size_t)1 << pool->hbits)
		hash_grow(pool);
	h = hash(e->pfn, pool->hbits);
	e->next = pool->buckets[h];
	pool->buckets[h] = e;
	pool->nents++;
}

static struct chunk *hash_find(struct dma_pool *pool, const void *vaddr)
{
	uintptr_t pfn = (uintptr_t)vaddr >> PAGE_SHIFT;
	struct page_ent *e;

	for (e = pool->buckets[hash(pfn, pool->hbits)]; e; e = e->next)
		if (e->pfn == pfn)
			return e->c;
	return NULL;
}

/* ---- chunks */

static void avail_push(struct dma_pool *pool, struct chunk *c)
{
	c->prev_avail = NULL;
	c->next_avail = pool->avail;
	if (pool->avail)
		pool->avail->prev_avail = c;
	pool->avail = c;
}

static void avail_remove(struct dma_pool *pool, struct chunk *c)
{
	if (c->prev_avail)
		c->prev_avail->next_avail = c->next_avail;
	else
		pool->avail = c->next_avail;
	if (c->next_avail)
		c->next_avail->prev_avail = c->prev_avail;
	c->prev_avail = c->next_avail = NULL;
}

/*
 * Place the blocks of @c by DMA address, not by offset, so alignment and
 * boundary hold even if a chunk's bus address were less aligned than its
 * pages. The free list comes out in address order.
 */
static void layout(const struct dma_pool *pool, struct chunk *c)
{
	u64 size = pool->size, b = pool->boundary, off = 0, a;
	u32 prev = NO_SLOT, slot;

	c->free_head = NO_SLOT;
	for (;;) {
		a = align_up(c->dma + off, pool->align);
		if (b && (a & ~(b - 1)) != ((a + size - 1) & ~(b - 1)))
			a = align_up(a, b);
		if (a < c->dma)
			break;		/* wrapped past the top */
		off = a - c->dma;
		if (off + size > pool->allocation)
			break;
		slot = off / size;
		c->blk[slot] = (struct blk){ (u32)off, NO_SLOT, BLK_FREE };
		if (prev == NO_SLOT)
			c->free_head = slot;
		else
			c->blk[prev].next = slot;
		prev = slot;
		c->nblocks++;
		off += size;
	}
	c->nfree = c->nblocks;
}

static void chunk_free(struct dma_pool *pool, struct chunk *c)
{
	if (c->vaddr)
		dma_free_coherent(pool->dev, pool->allocation, c->vaddr,
				  c->dma);
	free(c->blk);
	free(c->pages);
	free(c);
}

/* A new chunk, allocated without the pool lock held. */
static struct chunk *chunk_new(struct dma_pool *pool, gfp_t gfp)
{
	struct chunk *c = calloc(1, sizeof(*c));
	uintptr_t first, last;
	size_t i;

	if (!c) {
		dk_err(-ENOMEM, "dma_pool_alloc(%s): out of memory", pool->name);
		return NULL;
	}
	c->nslots = (pool->allocation + pool->size - 1) / pool->size;
	c->blk = calloc(c->nslots, sizeof(*c->blk));
	c->vaddr = dma_alloc_coherent(pool->dev, pool->allocation, &c->dma,
				      gfp & ~__GFP_ZERO);
	if (!c->blk || !c->vaddr) {
		if (!c->blk)
			dk_err(-ENOMEM, "dma_pool_alloc(%s): out of memory",
			       pool->name);
		chunk_free(pool, c);
		return NULL;
	}
	first = (uintptr_t)c->vaddr >> PAGE_SHIFT;
	last = ((uintptr_t)c->vaddr + pool->allocation - 1) >> PAGE_SHIFT;
	c->npages = last - first + 1;
	c->pages = calloc(c->npages, sizeof(*c->pages));
	if (!c->pages) {
		dk_err(-ENOMEM, "dma_pool_alloc(%s): out of memory", pool->name);
		chunk_free(pool, c);
		return NULL;
	}
	for (i = 0; i < c->npages; i++) {
		c->pages[i].pfn = first + i;
		c->pages[i].c = c;
	}
	layout(pool, c);
	if (!c->nblocks) {
		dk_err(-ENOMEM,
		       "dma_pool_alloc(%s): chunk at 0x%llx holds no block aligned to %zu",
		       pool->name, (unsigned long long)c->dma, pool->align);
		chunk_free(pool, c);
		return NULL;
	}
	return c;
}

static void chunk_add(struct dma_pool *pool, struct chunk *c)
{
	size_t i;

	c->next_all = pool->all;
	pool->all = c;
	avail_push(pool, c);
	for (i = 0; i < c->npages; i++)
		hash_add(pool, &c->pages[i]);
	pool->nchunks++;
	pool->nblocks += c->nblocks;
}

/* ---- per-thread caches */

#define PC_SLOTS 8

struct pc_blk {
	u8 *v;
	dma_addr_t dma;
	struct blk *b;
	struct chunk *c;
};

/*
 * One array, two parts: ent[0, nfree) are free blocks, on no list;
 * ent[nfree, top) are blocks this thread allocated lately, newest at
 * ent[nfree] (hints: another thread may have freed them since). An
 * allocation from the cache and the free of the newest block each move
 * the boundary by one, copying nothing, as malloc's per-thread bins do.
 */
struct pool_cache {
	struct dma_pool *pool;	/* with gen: the pool the cache is for */
	u64 gen;
	unsigned int nfree, top;
	struct pc_blk ent[PC_SLOTS];
	bool keyed;
};

static _Thread_local struct pool_cache pc;
static pthread_key_t pc_key;
static pthread_once_t pc_once = PTHREAD_ONCE_INIT;

static inline __attribute__((always_inline)) bool
pc_mine(const struct dma_pool *pool)
{
	return pc.pool == pool && pc.gen == pool->gen;
}

/* Back on its chunk's free list; the pool lock is held. */
static void put_free(struct dma_pool *pool, struct chunk *c, u32 slot)
{
	c->blk[slot].next = c->free_head;
	c->free_head = slot;
	if (!c->nfree++)
		avail_push(pool, c);
}

/* Hand the cached blocks back to their pool if it still exists. */
static void pc_flush(void *arg)
{
	struct pool_cache *q = arg;
	struct dma_pool *p;
	unsigned int i;

	pthread_mutex_lock(&live_lock);
	for (p = live_pools; p && !(p == q->pool && p->gen == q->gen);
	     p = p->next_live)
		;
	if (p) {
		pthread_mutex_lock(&p->lock);
		for (i = 0; i < q->nfree; i++)
			put_free(p, q->ent[i].c, q->ent[i].b - q->ent[i].c->blk);
		pthread_mutex_unlock(&p->lock);
	}
	pthread_mutex_unlock(&live_lock);
	memset(q, 0, sizeof(*q));
}

static void pc_init(void)
{
	pthread_key_create(&pc_key, pc_flush);
}

/* Point the (empty) cache at @pool, so its frees can stay here. */
static void pc_bind(struct dma_pool *pool)
{
	if (pc_mine(pool) || (pc.nfree && pc.pool != pool))
		return;
	memset(&pc, 0, offsetof(struct pool_cache, keyed));
	pc.pool = pool;
	pc.gen = pool->gen;
	if (!pc.keyed) {
		pthread_once(&pc_once, pc_init);
		pc.keyed = !pthread_setspecific(pc_key, &pc);
	}
}

/* A block from the pool becomes the newest allocated here; the oldest
 * note drops off a full cache (its free takes the slow path). */
static void pc_note_out(struct chunk *c, struct blk *b, u8 *v,
			dma_addr_t dma)
{
	unsigned int n = pc.top - pc.nfree;

	if (pc.nfree == PC_SLOTS)
		return;
	if (pc.top == PC_SLOTS)
		n--;
	memmove(&pc.ent[pc.nfree + 1], &pc.ent[pc.nfree],
		n * sizeof(pc.ent[0]));
	pc.ent[pc.nfree] = (struct pc_blk){ v, dma, b, c };
	pc.top = pc.nfree + 1 + n;
}

/* A block from the cache, or NULL. */
static inline __attribute__((always_inline)) u8 *
pc_alloc(struct dma_pool *pool, dma_addr_t *handle)
{
	const struct pc_blk *e;

	if (!pc_mine(pool) || !pc.nfree)
		return NULL;
	e = &pc.ent[--pc.nfree];	/* now the newest allocated */
	set_state(e->b, BLK_BUSY);
	*handle = e->dma;
	return e->v;
}

/* Free @v if this thread allocated it lately: true if done here. */
static inline __attribute__((always_inline)) bool
pc_free(struct dma_pool *pool, void *v, dma_addr_t dma)
{
	struct pc_blk t;
	unsigned int i;

	if (!v || !pc_mine(pool))
		return false;
	/* Newest first: a driver mostly frees what it allocated last. */
	for (i = pc.nfree; i < pc.top && pc.ent[i].v != v; i++)
		;
	if (i == pc.top || pc.ent[i].dma != dma || !busy_to_free(pc.ent[i].b))
		return false;	/* the slow path says what is wrong */
	if (i != pc.nfree) {
		t = pc.ent[i];
		pc.ent[i] = pc.ent[pc.nfree];
		pc.ent[pc.nfree] = t;
	}
	pc.nfree++;
	return true;
}

/* Forget what this thread noted of a block freed on the slow path. */
static void pc_forget(void *v)
{
	unsigned int i = pc.nfree;

	while (i < pc.top)
		if (pc.ent[i].v == v)
			pc.ent[i] = pc.ent[--pc.top];
		else
			i++;
}

/* Busy blocks: neither on a free list nor in a thread's cache. The
 * pool lock is held. */
static size_t count_busy(const struct dma_pool *pool)
{
	const struct chunk *c;
	size_t n = 0;
	u32 i;

	for (c = pool->all; c; c = c->next_all)
		for (i = 0; i < c->nslots; i++)
			n += state_of(&c->blk[i]) == BLK_BUSY;
	return n;
}

/* ---- the API */

void *dma_pool_alloc(struct dma_pool *pool, gfp_t mem_flags,
		     dma_addr_t *handle)
{
	struct chunk *c;
	struct blk *b;
	u32 slot;
	u8 *v;

	if (!pool || !handle) {
		dk_err(-EINVAL, "dma_pool_alloc: NULL pool or handle");
		return NULL;
	}
	if (!dk_obj_check(pool, DK_OBJ_POOL, "pool", "dma_pool_alloc"))
		return NULL;
	v = pc_alloc(pool, handle);
	if (v)
		goto out;
	pc_bind(pool);
	pthread_mutex_lock(&pool->lock);
	if (!pool->avail) {
		pthread_mutex_unlock(&pool->lock);
		c = chunk_new(pool, mem_flags);
		if (!c)
			return NULL;
		pthread_mutex_lock(&pool->lock);
		chunk_add(pool, c);
	}
	c = pool->avail;
	slot = c->free_head;
	b = &c->blk[slot];
	c->free_head = b->next;
	b->next = NO_SLOT;
	set_state(b, BLK_BUSY);
	if (!--c->nfree)
		avail_remove(pool, c);
	v = c->vaddr + b->off;
	*handle = c->dma + b->off;
	pthread_mutex_unlock(&pool->lock);
	if (pc_mine(pool))
		pc_note_out(c, b, v, *handle);
out:
	if (mem_flags & __GFP_ZERO)
		dk_zero(pool->dev->machine, v, pool->size);
	return v;
}

void *dma_pool_zalloc(struct dma_pool *pool, gfp_t mem_flags,
		      dma_addr_t *handle)
{
	return dma_pool_alloc(pool, mem_flags | __GFP_ZERO, handle);
}

void dma_pool_free(struct dma_pool *pool, void *vaddr, dma_addr_t dma)
{
	struct chunk *c;
	struct blk *b;
	size_t off;
	u32 slot;

	if (!pool) {
		dk_warn("BUG: dma_pool_free(NULL pool, %p, 0x%llx)", vaddr,
			(unsigned long long)dma);
		return;
	}
	if (!dk_obj_check(pool, DK_OBJ_POOL, "pool", "dma_pool_free")) {
		dk_warn("BUG: %s", dk_last_error());
		return;
	}
	if (pc_free(pool, vaddr, dma))
		return;
	pthread_mutex_lock(&pool->lock);
	c = vaddr ? hash_find(pool, vaddr) : NULL;
	if (c && (u8 *)vaddr < c->vaddr)
		c = NULL;	/* the page before an unaligned chunk */
	off = c ? (size_t)((u8 *)vaddr - c->vaddr) : 0;
	if (!c || off >= pool->allocation) {
		dev_err(pool->dev, "dma_pool_free %s, %p: not memory of this pool",
			pool->name, vaddr);
		goto out;
	}
	slot = off / pool->size;
	b = &c->blk[slot];
	if (state_of(b) == BLK_NONE || b->off != off) {
		dev_err(pool->dev, "dma_pool_free %s, %p: not the start of a block",
			pool->name, vaddr);
		goto out;
	}
	if (state_of(b) == BLK_FREE) {
		dev_err(pool->dev, "dma_pool_free %s, %p (dma 0x%llx): already free",
			pool->name, vaddr, (unsigned long long)dma);
		goto out;
	}
	if (c->dma + off != dma) {
		dev_err(pool->dev, "dma_pool_free %s, %p: dma 0x%llx is not its address 0x%llx",
			pool->name, vaddr, (unsigned long long)dma,
			(unsigned long long)(c->dma + off));
		goto out;
	}
	if (!busy_to_free(b)) {	/* another thread freed it meanwhile */
		dev_err(pool->dev, "dma_pool_free %s, %p (dma 0x%llx): already free",
			pool->name, vaddr, (unsigned long long)dma);
		goto out;
	}
	put_free(pool, c, slot);
	pc_forget(vaddr);
out:
	pthread_mutex_unlock(&pool->lock);
}

void dma_pool_destroy(struct dma_pool *pool)
{
	struct chunk *c, *next;
	struct dma_pool **pp;
	size_t busy;

	if (!pool)
		return;
	if (!dk_obj_del(pool, DK_OBJ_POOL)) {
		dk_err_log(-EINVAL,
			   "BUG: dma_pool_destroy: pool %p is not live (destroyed twice?)",
			   (void *)pool);
		return;
	}
	pthread_mutex_lock(&live_lock);
	for (pp = &live_pools; *pp && *pp != pool; pp = &(*pp)->next_live)
		;
	if (*pp)
		*pp = pool->next_live;
	pthread_mutex_unlock(&live_lock);
	if (pc_mine(pool))
		memset(&pc, 0, offsetof(struct pool_cache, keyed));
	pthread_mutex_lock(&pool->lock);
	busy = count_busy(pool);
	pthread_mutex_unlock(&pool->lock);
	if (busy)
		dev_err(pool->dev, "dma_pool_destroy %s, %zu blocks busy",
			pool->name, busy);
	for (c = pool->all; c; c = next) {
		next = c->next_all;
		chunk_free(pool, c);
	}
	free(pool->buckets);
	free(pool->name);
	pthread_mutex_destroy(&pool->lock);
	dk_obj_free_later(pool);
}

int dk_dma_pool_stats(struct dma_pool *pool, struct dk_dma_pool_stats *st)
{
	if (!dk_obj_check(pool, DK_OBJ_POOL, "pool", "dk_dma_pool_stats"))
		return -EINVAL;
	if (!st)
		return dk_err(-EINVAL, "dk_dma_pool_stats: NULL argument");
	pthread_mutex_lock(&pool->lock);
	st->block_size = pool->size;
	st->align = pool->align;
	st->boundary = pool->boundary ? pool->boundary : pool->allocation;
	st->allocation = pool->allocation;
	st->chunks = pool->nchunks;
	st->blocks = pool->nblocks;
	st->busy = count_busy(pool);
	pthread_mutex_unlock(&pool->lock);
	return 0;
}

/* ---- managed pools */

static void dmam_pool_release(void *pool)
{
	dma_pool_destroy(pool);
}

static bool same_pool(void *data, void *arg)
{
	return data == arg;
}

struct dma_pool *dmam_pool_create(const char *name, struct device *dev,
				  size_t size, size_t align, size_t boundary)
{
	struct dma_pool *pool = dma_pool_create(name, dev, size, align,
						boundary);

	if (pool && devm_add_action(dev, dmam_pool_release, pool)) {
		dma_pool_destroy(pool);
		return NULL;
	}
	return pool;
}

void dmam_pool_destroy(struct dma_pool *pool)
{
	if (!pool)
		return;
	if (!dk_obj_check(pool, DK_OBJ_POOL, "pool", "dmam_pool_destroy")) {
		dk_warn("BUG: %s", dk_last_error());
		return;
	}
	if (!dk_devres_take(pool->dev, dmam_pool_release, same_pool, pool)) {
		dev_warn(pool->dev, "dmam_pool_destroy %s: not a managed pool",
			 pool->name);
		return;
	}
	dma_pool_destroy(pool);
}
