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
 * flush queue timer does, so an idle driver's stale entries go too; every
 * map and unmap looks as well), when the IOVA space runs out, or when
 * asked. One queue per domain, under its lock.
 */
#include <errno.h>

#include <dmakit/iommu.h>

#include "iova.h"
#include "iommu_dma.h"

static void on_timer(void *arg);

void dk_iommu_fq_init(struct dk_iommu_dma *c, struct dk_machine *m)
{
	struct dk_iommu_fq *fq = &c->fq;

	pthread_mutex_init(&fq->lock, NULL);
	atomic_init(&fq->n, 0);
	atomic_init(&fq->oldest, 0);
	fq->m = m;
	fq->timer = (struct dk_timer){ on_timer, c };
	fq->armed = false;
}

static u64 now(struct dk_iommu_fq *fq)
{
	const struct dk_platform *pl = &fq->m->pl;

	return pl->ops->clock ? pl->ops->clock(pl->ctx) : 0;
}

/* Empty the queue: one invalidation, then every IOVA back. */
static void flush(struct dk_iommu_dma *c, unsigned long *why)
{
	struct dk_iommu_fq *fq = &c->fq;
	int i, n;

	pthread_mutex_lock(&fq->lock);
	n = atomic_load(&fq->n);
	if (n) {
		iommu_flush_iotlb_all(c->domain);
		fq->flushes++;
		if (why)
			(*why)++;
	}
	/* Under the lock: no IOVA of the queue is free before the flush
	 * that covers it has been made. */
	for (i = 0; i < n; i++)
		dk_iova_free_fast(c->iovad, fq->e[i].iova / PAGE_SIZE,
				  fq->e[i].len / PAGE_SIZE);
	atomic_store(&fq->n, 0);
	pthread_mutex_unlock(&fq->lock);
}

static bool poll_queue(struct dk_iommu_dma *c, bool always)
{
	struct dk_iommu_fq *fq = &c->fq;

	if (!atomic_load_explicit(&fq->n, memory_order_relaxed))
		return false;
	if (always)
		flush(c, NULL);
	else if (now(fq) - atomic_load(&fq->oldest) >= DK_IOMMU_FQ_TIMEOUT)
		flush(c, &fq->timeouts);
	return always;
}

bool dk_iommu_fq_poll(struct device *dev, bool always)
{
	return poll_queue(dev->iommu_dma, always);
}

/* Arm the timer for the oldest entry's deadline, if not yet (lock held). */
static void arm(struct dk_iommu_fq *fq)
{
	const struct dk_platform *pl = &fq->m->pl;
	u64 age = now(fq) - atomic_load(&fq->oldest);

	if (fq->armed || !pl->ops->timer_add)
		return;
	fq->armed = !pl->ops->timer_add(pl->ctx,
					age < DK_IOMMU_FQ_TIMEOUT ?
						DK_IOMMU_FQ_TIMEOUT - age : 1,
					&fq->timer);
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

	poll_queue(c, false);
	pthread_mutex_lock(&fq->lock);
	fq->armed = false;
	if (atomic_load(&fq->n))
		arm(fq);
	pthread_mutex_unlock(&fq->lock);
}

static bool not_armed(void *arg)
{
	struct dk_iommu_fq *fq = arg;
	bool armed;

	pthread_mutex_lock(&fq->lock);
	armed = fq->armed;
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
	return *queued ? iommu_unmap_fast(c->domain, iova, len, NULL) :
			 iommu_unmap(c->domain, iova, len);
}

void dk_iommu_dma_retire(struct device *dev, dma_addr_t iova, u64 len,
			 bool queued)
{
	struct dk_iommu_fq *fq = &dev->iommu_dma->fq;
	bool full;
	int n;

	if (!queued) {
		dk_iommu_dma_free_iova(dev, iova, len);
		return;
	}
	dk_iommu_fq_poll(dev, false);
	pthread_mutex_lock(&fq->lock);
	n = atomic_load(&fq->n);
	if (!n)
		atomic_store(&fq->oldest, now(fq));
	fq->e[n].iova = iova;
	fq->e[n].len = len;
	atomic_store(&fq->n, n + 1);
	full = n + 1 == DK_IOMMU_FQ_SIZE;
	if (!full)
		arm(fq);
	pthread_mutex_unlock(&fq->lock);
	if (full)
		flush(dev->iommu_dma, &fq->full);
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

	if (!st)
		return dk_err(-EINVAL, "dk_iommu_dma_stats: NULL argument");
	if (!c)
		return dk_dev_live(dev) ? -ENODEV : -EINVAL;
	pthread_mutex_lock(&c->fq.lock);
	*st = (struct dk_iommu_dma_stats){
		.queued = atomic_load(&c->fq.n),
		.flushes = c->fq.flushes,
		.full_flushes = c->fq.full,
		.timeout_flushes = c->fq.timeouts,
	};
	pthread_mutex_unlock(&c->fq.lock);
	return 0;
}
