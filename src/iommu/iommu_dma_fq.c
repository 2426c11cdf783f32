// SPDX-License-Identifier: MIT
/*
 * iommu-dma's flush queue (lazy invalidation) and the strict path: how a
 * range is unmapped and when its IOVA may be handed out again. Strict:
 * iommu_unmap() invalidates the IOTLB, the IOVA is free at once. Lazy:
 * iommu_unmap_fast() only clears the page tables, so the device may still
 * reach the pages through its IOTLB; the IOVA waits for the next
 * invalidation of the whole IOTLB, which the queue makes when it is full,
 * when its oldest entry is older than DK_IOMMU_FQ_TIMEOUT cycles of the
 * platform's clock (a platform timer fires at that deadline, as Linux's
 * flush queue timer does, so an idle driver's stale entries go too; when
 * no timer is armed, every map and unmap looks at the clock instead),
 * when the IOVA space runs out, or when asked.
 *
 * As Linux's, the queue is per CPU: per thread slot (thread_slot.h), so
 * the unmaps of two threads touch no line in common. Each range records
 * how many invalidations had begun when it was queued, and may be freed
 * once one begun after it has finished: a thread whose slot is full
 * invalidates and frees its own ranges, and the other threads free
 * theirs, now covered, at their next unmap (as Linux's per-CPU rings do
 * with its flush counters), so no thread waits on another's frees. The
 * timeout, IOVA exhaustion and a flush asked for take every slot and
 * free everything queued.
 */
#include <errno.h>

#include <dmakit/iommu.h>

#include "iova.h"
#include "iommu_dma.h"
#include "iommu_internal.h"
#include "thread_slot.h"

#define NSLOT DK_IOMMU_FQ_SLOTS

static void on_timer(void *arg);

void dk_iommu_fq_init(struct dk_iommu_dma *c, struct dk_machine *m)
{
	struct dk_iommu_fq *fq = &c->fq;
	int i;

	for (i = 0; i < NSLOT; i++) {
		atomic_init(&fq->slot[i].busy, false);
		atomic_init(&fq->slot[i].n, 0);
		atomic_init(&fq->slot[i].oldest, 0);
	}
	pthread_mutex_init(&fq->lock, NULL);
	atomic_init(&fq->inval_lock, false);
	atomic_init(&fq->gen, 0);
	atomic_init(&fq->done, 0);
	fq->m = m;
	fq->timer = (struct dk_timer){ on_timer, c };
	atomic_init(&fq->armed, false);
}

static u64 now(struct dk_iommu_fq *fq)
{
	const struct dk_platform *pl = &fq->m->pl;

	return pl->ops->clock ? pl->ops->clock(pl->ctx) : 0;
}

/* A clock reading not taken yet: the clock never gets there. */
#define NOT_READ (~0ULL)

/* The clock, read only once for all the users of *@t. */
static u64 now_once(struct dk_iommu_fq *fq, u64 *t)
{
	if (*t == NOT_READ)
		*t = now(fq);
	return *t;
}

static void lock_all(struct dk_iommu_fq *fq)
{
	int i;

	for (i = 0; i < NSLOT; i++)
		dk_slot_lock(&fq->slot[i].busy);
}

static void unlock_all(struct dk_iommu_fq *fq)
{
	int i;

	for (i = NSLOT; i-- > 0;)
		dk_slot_unlock(&fq->slot[i].busy);
}

/* Ranges queued in all slots now; *@oldest: the oldest's stamp. */
static int queued(struct dk_iommu_fq *fq, u64 *oldest)
{
	int i, n, total = 0;

	for (i = 0; i < NSLOT; i++) {
		/* Acquire: the stamp of the entries seen is the one read. */
		n = atomic_load_explicit(&fq->slot[i].n, memory_order_acquire);
		if (n && oldest && (!total ||
				    atomic_load_explicit(&fq->slot[i].oldest,
							 memory_order_relaxed) <
					    *oldest))
			*oldest = atomic_load_explicit(&fq->slot[i].oldest,
						       memory_order_relaxed);
		total += n;
	}
	return total;
}

/*
 * One invalidation of the whole IOTLB: every range queued before it
 * begins may be freed once it is done. @why: the counter of its cause.
 */
static void invalidate(struct dk_iommu_dma *c, unsigned long *why)
{
	struct dk_iommu_fq *fq = &c->fq;
	u64 g;

	dk_slot_lock(&fq->inval_lock);
	g = atomic_load_explicit(&fq->gen, memory_order_relaxed) + 1;
	/* Before the invalidation: a range that reads the old count was
	 * unmapped before it. */
	atomic_store(&fq->gen, g);
	iommu_flush_iotlb_all(c->domain);
	fq->flushes++;
	if (why)
		(*why)++;
	atomic_store_explicit(&fq->done, g, memory_order_release);
	dk_slot_unlock(&fq->inval_lock);
}

/* Free the ranges of @sl (its lock held) that an invalidation covers. */
static void reap(struct dk_iommu_dma *c, struct dk_iommu_fq_slot *sl)
{
	u64 done = atomic_load_explicit(&c->fq.done, memory_order_acquire);
	unsigned int n = atomic_load_explicit(&sl->n, memory_order_relaxed);

	while (n && sl->e[sl->head].gen < done) {
		dk_iova_free_fast(c->iovad, sl->e[sl->head].iova / PAGE_SIZE,
				  sl->e[sl->head].len / PAGE_SIZE);
		sl->head = (sl->head + 1) % DK_IOMMU_FQ_SIZE;
		n--;
	}
	atomic_store_explicit(&sl->n, n, memory_order_relaxed);
}

/* Whether a range of @sl (its lock held) waits for an invalidation. */
static bool waits(struct dk_iommu_fq *fq, struct dk_iommu_fq_slot *sl)
{
	unsigned int n = atomic_load_explicit(&sl->n, memory_order_relaxed);

	return n && sl->e[(sl->head + n - 1) % DK_IOMMU_FQ_SIZE].gen >=
			    atomic_load_explicit(&fq->done,
						 memory_order_acquire);
}

/* Empty every slot: one invalidation if any range needs it, then every
 * IOVA back. */
static void flush(struct dk_iommu_dma *c, unsigned long *why)
{
	struct dk_iommu_fq *fq = &c->fq;
	bool need = false;
	int i;

	lock_all(fq);
	for (i = 0; i < NSLOT; i++)
		need |= waits(fq, &fq->slot[i]);
	/* Under the locks: no IOVA of the queue is free before the
	 * invalidation that covers it has been made. */
	if (need)
		invalidate(c, why);
	for (i = 0; i < NSLOT; i++)
		reap(c, &fq->slot[i]);
	unlock_all(fq);
}

/* Flush if the oldest entry is DK_IOMMU_FQ_TIMEOUT old at clock @t. */
static void poll_at(struct dk_iommu_dma *c, u64 t)
{
	struct dk_iommu_fq *fq = &c->fq;
	u64 oldest = 0;

	if (queued(fq, &oldest) && t - oldest >= DK_IOMMU_FQ_TIMEOUT)
		flush(c, &fq->timeouts);
}

/*
 * With the timer armed there is no need to look at the clock: it fires
 * at or before the oldest entry's deadline (re-armed for a newer oldest
 * entry when it finds none), so the timer sees to the timeout.
 */
static bool poll_queue(struct dk_iommu_dma *c, bool always)
{
	struct dk_iommu_fq *fq = &c->fq;

	if (!always) {
		if (!atomic_load_explicit(&fq->armed, memory_order_relaxed))
			poll_at(c, now(fq));
		return false;
	}
	if (!queued(fq, NULL))
		return false;
	flush(c, NULL);
	return true;
}

bool dk_iommu_fq_poll(struct device *dev, bool always)
{
	return poll_queue(dev->iommu_dma, always);
}

/* Arm the timer for the oldest entry's deadline, the clock being @t
 * (fq->lock held). */
static void arm(struct dk_iommu_fq *fq, u64 t)
{
	const struct dk_platform *pl = &fq->m->pl;
	u64 oldest = t, age;

	if (!queued(fq, &oldest))
		return;
	age = t - oldest;
	atomic_store(&fq->armed,
		     !pl->ops->timer_add(pl->ctx,
					 age < DK_IOMMU_FQ_TIMEOUT ?
						 DK_IOMMU_FQ_TIMEOUT - age : 1,
					 &fq->timer));
}

/*
 * The deadline passed on the platform's clock: flush, as Linux's flush
 * queue timer does, so an idle driver's stale IOTLB entries go too.
 * Entries queued after a flush in between get the timer again.
 */
static void on_timer(void *arg)
{
	struct dk_iommu_dma *c = arg;
	struct dk_iommu_fq *fq = &c->fq;

	poll_at(c, now(fq));
	pthread_mutex_lock(&fq->lock);
	atomic_store(&fq->armed, false);
	if (fq->m->pl.ops->timer_add)
		arm(fq, now(fq));
	pthread_mutex_unlock(&fq->lock);
}

static bool not_armed(void *arg)
{
	struct dk_iommu_fq *fq = arg;
	bool armed;

	pthread_mutex_lock(&fq->lock);
	armed = atomic_load(&fq->armed);
	pthread_mutex_unlock(&fq->lock);
	return !armed;
}

void dk_iommu_fq_fini(struct dk_iommu_dma *c)
{
	struct dk_iommu_fq *fq = &c->fq;
	const struct dk_platform *pl = &fq->m->pl;

	int tries;

	/* A SoC freed first took its events with it. */
	if (not_armed(fq) || (pl->ops->live && !pl->ops->live(pl->ctx)) ||
	    pl->ops->timer_cancel(pl->ctx, &fq->timer))
		return;
	/* It is running (or due this very cycle): let it finish; bounded,
	 * so a platform that never runs it cannot hang the teardown. */
	for (tries = 0; tries < 1000 && !not_armed(fq) && pl->ops->cpu_wait;
	     tries++)
		pl->ops->cpu_wait(pl->ctx, 0, not_armed, fq);
}

size_t dk_iommu_dma_unmap(struct device *dev, dma_addr_t iova, u64 len,
			  bool *queued)
{
	struct dk_iommu_dma *c = dev->iommu_dma;

	*queued = atomic_load_explicit(&c->lazy, memory_order_relaxed);
	return dk_domain_unmap(c->domain, iova, len, !*queued);
}

/* Ranges are queued and the timer looked unarmed: arm it, the clock
 * read into *@t if it was not yet. */
static void arm_queued(struct dk_iommu_fq *fq, u64 *t)
{
	if (!fq->m->pl.ops->timer_add)
		return;
	pthread_mutex_lock(&fq->lock);
	if (!atomic_load(&fq->armed))
		arm(fq, now_once(fq, t));
	pthread_mutex_unlock(&fq->lock);
}

/* A lazy range queued the whole way: the poll, a reap, the clock's
 * stamp, a full slot's invalidation, the timer to arm. */
static __attribute__((noinline)) void
retire_queued(struct device *dev, dma_addr_t iova, u64 len)
{
	struct dk_iommu_fq *fq = &dev->iommu_dma->fq;
	struct dk_iommu_fq_slot *sl;
	u64 t = NOT_READ;
	bool full;
	unsigned int n, k;

	/* One look at the clock at most, for the poll, the stamp and the
	 * timer; none while the timer is armed, but for a slot's first
	 * entry. */
	if (!atomic_load_explicit(&fq->armed, memory_order_relaxed))
		poll_at(dev->iommu_dma, now_once(fq, &t));
	sl = &fq->slot[dk_thread_no() % NSLOT];
	dk_slot_lock(&sl->busy);
	n = atomic_load_explicit(&sl->n, memory_order_relaxed);
	/* Covered ranges of this slot only after an invalidation. */
	if (n && sl->e[sl->head].gen <
		     atomic_load_explicit(&fq->done, memory_order_acquire)) {
		reap(dev->iommu_dma, sl);
		n = atomic_load_explicit(&sl->n, memory_order_relaxed);
	}
	if (!n)
		atomic_store_explicit(&sl->oldest, now_once(fq, &t),
				      memory_order_relaxed);
	k = (sl->head + n) % DK_IOMMU_FQ_SIZE;
	sl->e[k].iova = iova;
	sl->e[k].len = len;
	sl->e[k].gen = atomic_load_explicit(&fq->gen, memory_order_relaxed);
	/* Release: a poll outside the lock needs the stamp before the
	 * count. */
	atomic_store_explicit(&sl->n, n + 1, memory_order_release);
	full = n + 1 == DK_IOMMU_FQ_SIZE;
	if (full) {
		/* The others' ranges are covered too: theirs to free. */
		invalidate(dev->iommu_dma, &fq->full);
		reap(dev->iommu_dma, sl);
	}
	dk_slot_unlock(&sl->busy);
	if (!full && !atomic_load_explicit(&fq->armed, memory_order_relaxed))
		arm_queued(fq, &t);
}

/*
 * The common lazy case first, a push on the thread's queue: the timer
 * armed (no poll, no clock), the slot free, with entries already (its
 * stamp set), none of them covered by an invalidation (none to reap)
 * and room after this one (no invalidation). Anything else, and a
 * thread yet without a number, the whole way (retire_queued()).
 */
void dk_iommu_dma_retire(struct device *dev, dma_addr_t iova, u64 len,
			 bool queued)
{
	struct dk_iommu_fq *fq = &dev->iommu_dma->fq;
	unsigned int no = dk_thread_no_tls, n, k;
	struct dk_iommu_fq_slot *sl;

	if (!queued) {
		dk_iommu_dma_free_iova(dev, iova, len);
		return;
	}
	if (no == ~0U || !atomic_load_explicit(&fq->armed, memory_order_relaxed))
		goto slow;
	sl = &fq->slot[no % NSLOT];
	if (atomic_exchange_explicit(&sl->busy, true, memory_order_acquire))
		goto slow;
	n = atomic_load_explicit(&sl->n, memory_order_relaxed);
	if (!n || n + 1 == DK_IOMMU_FQ_SIZE ||
	    sl->e[sl->head].gen <
		    atomic_load_explicit(&fq->done, memory_order_acquire)) {
		dk_slot_unlock(&sl->busy);
		goto slow;
	}
	k = (sl->head + n) % DK_IOMMU_FQ_SIZE;
	sl->e[k].iova = iova;
	sl->e[k].len = len;
	sl->e[k].gen = atomic_load_explicit(&fq->gen, memory_order_relaxed);
	atomic_store_explicit(&sl->n, n + 1, memory_order_release);
	dk_slot_unlock(&sl->busy);
	/* The timer may have fired since, finding the queue as it was:
	 * what retire_queued() would arm then. */
	if (!atomic_load_explicit(&fq->armed, memory_order_relaxed)) {
		u64 t = NOT_READ;

		arm_queued(fq, &t);
	}
	return;
slow:
	retire_queued(dev, iova, len);
}

/* iommu-dma's state of a live device, or NULL with a message. */
static struct dk_iommu_dma *cookie(struct device *dev, const char *fn)
{
	if (!dk_dev_ok(dev, fn))
		return NULL;
	if (!dev->iommu_dma)
		dk_err(-ENODEV, "%s: %s: it does not map through iommu-dma",
		       dev_name(dev), fn);
	return dev->iommu_dma;
}

int dk_iommu_dma_set_strict(struct device *dev, bool strict)
{
	struct dk_iommu_dma *c = cookie(dev, "dk_iommu_dma_set_strict");

	if (!c)
		return dk_dev_live(dev) ? -ENODEV : -EINVAL;
	if (!strict && dev->untrusted)
		return dk_err(-EPERM, "%s: dk_iommu_dma_set_strict: an untrusted device stays strict",
			      dev_name(dev));
	atomic_store(&c->lazy, !strict);
	if (strict)
		flush(c, NULL);
	return 0;
}

bool dk_iommu_dma_is_strict(struct device *dev)
{
	return !dk_dev_live(dev) || !dev->iommu_dma ||
	       !atomic_load(&dev->iommu_dma->lazy);
}

void dk_iommu_dma_flush_queue(struct device *dev)
{
	if (dk_dev_live(dev) && dev->iommu_dma)
		flush(dev->iommu_dma, NULL);
}

int dk_iommu_dma_stats(struct device *dev, struct dk_iommu_dma_stats *st)
{
	struct dk_iommu_dma *c = cookie(dev, "dk_iommu_dma_stats");
	int i;

	if (!st)
		return dk_err(-EINVAL, "dk_iommu_dma_stats: NULL argument");
	if (!c)
		return dk_dev_live(dev) ? -ENODEV : -EINVAL;
	lock_all(&c->fq);
	/* What an invalidation covers is not waiting any more. */
	for (i = 0; i < NSLOT; i++)
		reap(c, &c->fq.slot[i]);
	*st = (struct dk_iommu_dma_stats){
		.queued = queued(&c->fq, NULL),
		.flushes = c->fq.flushes,
		.full_flushes = c->fq.full,
		.timeout_flushes = c->fq.timeouts,
	};
	unlock_all(&c->fq);
	return 0;
}
