// SPDX-License-Identifier: MIT
/*
 * The checker's table of live mappings. Each device's mappings are in an
 * interval tree by device address (sync, range lookups), a hash of the
 * same by exact device address (unmap, mapping_error) and a tree by the
 * physical addresses the device reaches (the device-side check), so
 * every lookup is O(log n) in the number of live mappings. An entry
 * goes into the trees only once a lookup needs them (settle()), so a
 * mapping that only exact lookups see costs no tree work at all. Devices are
 * spread over shards with one lock each, and each device's entries over
 * NLANES of them, one per mapping thread: threads do not contend, for
 * one device or several, and there is no global lock on the map/unmap
 * path. Cache lines of mappings the CPU may invalidate are counted in
 * striped hash tables that grow with them, O(1) a line.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/valgrind.h>

#include "callchain.h"
#include "entry.h"
#include "lane.h"
#include "lock.h"
#include "poison.h"
#include "../core/symbolize.h"

#define NSHARDS DK_DBG_NSHARDS
#define NSTRIPES 64
#define STRIPE_MIN 64		/* buckets of a stripe before it grows */

struct dk_dbg_shard dk_dbg_shards[DK_DBG_NSHARDS];
atomic_int dk_dbg_bt_mode = DK_DMA_DEBUG_BT_FRAMES;
/* Found by the first capture of any thread; two threads' first captures
 * both store the same answer. */
atomic_int dk_dbg_on_valgrind = -1;

void dk_dma_debug_set_backtrace(bool on)
{
	atomic_store(&dk_dbg_bt_mode,
		     on ? DK_DMA_DEBUG_BT_FRAMES : DK_DMA_DEBUG_BT_OFF);
}

void dk_dma_debug_set_backtrace_mode(enum dk_dma_debug_bt mode)
{
	if ((unsigned int)mode <= DK_DMA_DEBUG_BT_FULL)
		atomic_store(&dk_dbg_bt_mode, mode);
}

_Thread_local uintptr_t dk_dbg_stack_lo
	__attribute__((tls_model("initial-exec")));
_Thread_local uintptr_t dk_dbg_stack_hi
	__attribute__((tls_model("initial-exec")));

/* Out of line and cold: the inline walk's callers keep their registers. */
__attribute__((noinline, cold)) void dk_dbg_stack_find(void)
{
	pthread_attr_t a;
	void *addr;
	size_t size;

	dk_dbg_stack_lo = dk_dbg_stack_hi = ~(uintptr_t)0;
	if (pthread_getattr_np(pthread_self(), &a))
		return;
	if (!pthread_attr_getstack(&a, &addr, &size)) {
		dk_dbg_stack_lo = (uintptr_t)addr;
		dk_dbg_stack_hi = dk_dbg_stack_lo + size;
	}
	pthread_attr_destroy(&a);
}

/* Its own record is the first the walk meets; its return address is in
 * the checker's hook, whose caller's chain is wanted. Not instrumented:
 * a stray frame pointer of a caller built without them may point at a
 * poisoned local. */
__attribute__((noinline, no_sanitize_address)) int
dk_dbg_capture_slow(void **out, int max)
{
	int mode = atomic_load_explicit(&dk_dbg_bt_mode, memory_order_relaxed);
	int vg = atomic_load_explicit(&dk_dbg_on_valgrind,
				      memory_order_relaxed);

	if (mode == DK_DMA_DEBUG_BT_OFF)
		return 0;
	if (vg < 0) {
		vg = RUNNING_ON_VALGRIND ? 1 : 0;
		atomic_store_explicit(&dk_dbg_on_valgrind, vg,
				      memory_order_relaxed);
	}
	/* Under Valgrind a frame chain read through callers without frame
	 * pointers would be reported as uninitialised: unwind fully. */
	if (mode == DK_DMA_DEBUG_BT_FULL || vg)
		return backtrace(out, max);
	return dk_dbg_fp_walk(out, max, (uintptr_t)__builtin_frame_address(0),
			      1);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static atomic_bool inited;

struct line_node {
	struct line_node *next;
	phys_addr_t line;
	int count;
};

/* Freed counters a stripe keeps for its next lines, at most this many:
 * a checked map of 4 KiB was 64 trips through calloc and free. */
#define STRIPE_SPARE 256

static struct stripe {
	pthread_mutex_t lock;
	struct line_node **head;
	size_t mask, count;
	struct line_node *spare;
	size_t nspare;
} stripes[NSTRIPES];

/* A thread's leftover entries (entry.h: dk_dbg_recycled) go when it
 * exits. */
static pthread_key_t recycle_key;
_Thread_local struct dk_dbg_recycle dk_dbg_recycled
	__attribute__((tls_model("initial-exec")));

static void recycle_drop(void *arg)
{
	struct dk_dbg_recycle *r = arg;
	struct dk_dbg_entry *e;

	while ((e = r->head)) {
		r->head = (struct dk_dbg_entry *)e->cpu_addr;
		free(e);
	}
	r->n = 0;
	r->keyed = false;
}

static void init(void)
{
	int i;

	for (i = 0; i < NSTRIPES; i++)
		pthread_mutex_init(&stripes[i].lock, NULL);
	pthread_key_create(&recycle_key, recycle_drop);
	atomic_store_explicit(&inited, true, memory_order_release);
}

/* pthread_once() is a call and a barrier; four of them were a twentieth
 * of a checked map+unmap. Once the flag is seen, init() has run whole. */
static inline void init_once(void)
{
	if (!atomic_load_explicit(&inited, memory_order_acquire))
		pthread_once(&once, init);
}

/*
 * The lanes: a thread's maps go to its own lane of the device, so the
 * map, the mapping-error check and the unmap a driver thread makes take
 * one lock no other thread takes (one lock for every thread of a device
 * made two threads slower than one). A lookup that may meet another
 * thread's mappings visits the other lanes that hold any; where several
 * lanes have an equal candidate, the calling thread's own wins, then the
 * lanes in order. Threads beyond NLANES share lanes.
 */
#define NLANES 4

static atomic_uint lanes_given;
static _Thread_local int my_lane
	__attribute__((tls_model("initial-exec"))) = -1;

static unsigned int this_lane(void)
{
	if (my_lane < 0)
		my_lane = atomic_fetch_add_explicit(&lanes_given, 1,
						    memory_order_relaxed) %
			  NLANES;
	return my_lane;
}

static unsigned int dev_base(const struct device *dev)
{
	return ((uintptr_t)dev * 0x9e3779b97f4a7c15ULL) >> 58;
}

/* The shard of @dev's lane @l. */
static struct dk_dbg_shard *lane_of(const struct device *dev, unsigned int l)
{
	return &dk_dbg_shards[(dev_base(dev) + l) % NSHARDS];
}

_Thread_local const struct device *dk_dbg_lane_dev
	__attribute__((tls_model("initial-exec")));
_Thread_local struct dk_dbg_shard *dk_dbg_lane
	__attribute__((tls_model("initial-exec")));

/* dk_dbg_own_lane() for a device this thread did not map for last. */
struct dk_dbg_shard *dk_dbg_lane_find(const struct device *dev)
{
	dk_dbg_lane = lane_of(dev, this_lane());
	dk_dbg_lane_dev = dev;
	return dk_dbg_lane;
}

/* The @i-th lane to visit: the caller's own first. */
static unsigned int visit(unsigned int i)
{
	return (this_lane() + i) % NLANES;
}

/* Whether a lane holds no entry of any device (a lock is not worth it).
 * A mapping whose map has returned is counted: the caller can only know
 * of it through something that ordered the two. */
static bool lane_idle(struct dk_dbg_shard *s)
{
	return !atomic_load_explicit(&s->live, memory_order_relaxed);
}

static void index_entry(struct dk_dbg_shard *s, struct dk_dbg_entry *e);
static void settle(struct dk_dbg_shard *s);

/* Lock @s with its pending entry in the indexes, for an exact lookup
 * (each_at_dma()). */
static void lock_keyed(struct dk_dbg_shard *s)
{
	dk_dbg_lock(&s->lock);
	if (s->pending) {
		index_entry(s, s->newest);
		s->pending = false;
	}
}

/* Lock @s with every entry in its trees, for a walk of them. */
static void lock_settled(struct dk_dbg_shard *s)
{
	lock_keyed(s);
	settle(s);
}

/*
 * Lock the lanes of @dev that hold entries, and the caller's own, in
 * shard order (so two callers never wait for each other in a circle),
 * for exact lookups or (@trees) walks of the trees; returns the set
 * locked, a bit per lane.
 */
static unsigned int lock_lanes(const struct device *dev, bool trees)
{
	unsigned int b = dev_base(dev), set = 0, i, l;
	/* The lanes whose shard index wrapped past the end come first. */
	unsigned int first = b + NLANES > NSHARDS ? NSHARDS - b : 0;

	for (i = 0; i < NLANES; i++) {
		l = (first + i) % NLANES;
		if (l != this_lane() && lane_idle(lane_of(dev, l)))
			continue;
		if (trees)
			lock_settled(lane_of(dev, l));
		else
			lock_keyed(lane_of(dev, l));
		set |= 1u << l;
	}
	return set;
}

static void unlock_lanes(const struct device *dev, unsigned int set)
{
	unsigned int l;

	for (l = 0; l < NLANES; l++)
		if (set & (1u << l))
			dk_dbg_unlock(&lane_of(dev, l)->lock);
}

static struct dk_dbg_shard *home_of(const struct dk_dbg_entry *e)
{
	return e->home;
}

static u64 group_of(const struct device *dev)
{
	return (uintptr_t)dev;
}

struct dk_dbg_entry *dk_dbg_entry_new_slow(void)
{
	init_once();
	return calloc(1, sizeof(struct dk_dbg_entry));
}

/*
 * In sanitizer runs, the entries whose CPU bytes are poisoned while a
 * device owns them, by physical address over every device (one group):
 * handing bytes back to the CPU repoisons what other mappings still
 * give a device, and visits only those, not every live mapping. Its lock
 * comes before a shard's and is never taken while one is held.
 */
static struct {
	pthread_mutex_t lock;
	struct dk_inode *root;
	u64 seq;
} owners = { .lock = PTHREAD_MUTEX_INITIALIZER };

void dk_dbg_owners_add(struct dk_dbg_entry *e)
{
	if (!e->owned || !e->size || !dk_poison_active())
		return;
	pthread_mutex_lock(&owners.lock);
	dk_inode_set(&e->by_owner, e, 0, e->pa, e->size, owners.seq++);
	dk_itree_insert(&owners.root, &e->by_owner);
	e->in_owners = true;
	pthread_mutex_unlock(&owners.lock);
}

struct owner_arg {
	void (*fn)(struct dk_dbg_entry *e, void *arg);
	void *arg;
};

static bool owner_one(struct dk_inode *n, void *arg)
{
	struct owner_arg *a = arg;
	struct dk_dbg_entry *e = n->owner;
	struct dk_dbg_shard *s = home_of(e);

	dk_dbg_lock(&s->lock);
	a->fn(e, a->arg);
	dk_dbg_unlock(&s->lock);
	return false;
}

void dk_dbg_entry_each_owner(phys_addr_t lo, phys_addr_t hi,
			     void (*fn)(struct dk_dbg_entry *e, void *arg),
			     void *arg)
{
	struct owner_arg a = { fn, arg };

	if (lo >= hi)
		return;
	pthread_mutex_lock(&owners.lock);
	/* (hi - 1, lo): every range that meets [lo, hi). */
	dk_itree_each_containing(owners.root, 0, hi - 1, lo, owner_one, &a);
	pthread_mutex_unlock(&owners.lock);
}

void dk_dbg_entry_free_slow(struct dk_dbg_entry *e)
{
	struct dk_dbg_recycle *r = &dk_dbg_recycled;

	if (!e)
		return;
	if (e->in_owners) {
		pthread_mutex_lock(&owners.lock);
		dk_itree_remove(&owners.root, &e->by_owner);
		e->in_owners = false;
		pthread_mutex_unlock(&owners.lock);
	}
	if (e->owned != e->owned_inline)
		free(e->owned);
	e->owned = NULL;
	if (r->n >= DK_DBG_RECYCLE_MAX) {
		free(e);
		return;
	}
	/* The destructor runs at exit. */
	if (!r->keyed)
		r->keyed = !pthread_setspecific(recycle_key, r);
	e->cpu_addr = r->head;
	r->head = e;
	r->n++;
}

/*
 * The device-side check accepts the buffer and, when it differs, where
 * the device reaches it at its dma address (a bounce slot). A range that
 * starts at the dma address is found through by_dma (a direct mapping
 * without offset, the common case), so only the others go in by_phys.
 */
static bool dev_pa_differs(const struct dk_dbg_entry *e)
{
	return e->dev_pa != ~(phys_addr_t)0 && e->dev_pa != e->pa &&
	       e->dev_pa + e->size >= e->dev_pa;
}

static bool pa_in_phys(const struct dk_dbg_entry *e)
{
	return e->pa != e->dma;
}

static bool dev_pa_in_phys(const struct dk_dbg_entry *e)
{
	return dev_pa_differs(e) && e->dev_pa != e->dma;
}

/* ---- the exact index: by_key (lane.h) */

#define KEY_MIN_BITS 6

static struct dk_dbg_entry **key_bucket(const struct dk_dbg_shard *s,
					const struct device *dev,
					dma_addr_t dma)
{
	u64 h = (dma ^ (uintptr_t)dev * 0x9e3779b97f4a7c15ULL) *
		0xff51afd7ed558ccdULL;

	return &s->by_key[h >> (64 - s->key_bits)];
}

/* Twice the buckets (or the first ones); without memory the old table
 * goes on serving with longer chains. Each new bucket draws on one old
 * one: its chain is reversed first so that pushing keeps newest first. */
static void key_grow(struct dk_dbg_shard *s)
{
	unsigned int bits = s->by_key ? s->key_bits + 1 : KEY_MIN_BITS;
	struct dk_dbg_entry **old = s->by_key, *e, *next, *rev;
	size_t n = old ? 1UL << s->key_bits : 0, i;

	s->by_key = calloc(1UL << bits, sizeof(*s->by_key));
	if (!s->by_key) {
		s->by_key = old;
		return;
	}
	s->key_bits = bits;
	for (i = 0; i < n; i++) {
		for (rev = NULL, e = old[i]; e; e = next) {
			next = e->key_next;
			e->key_next = rev;
			rev = e;
		}
		for (e = rev; e; e = next) {
			struct dk_dbg_entry **b = key_bucket(s, e->dev, e->dma);

			next = e->key_next;
			e->key_next = *b;
			*b = e;
		}
	}
	free(old);
}

/* @e, about to go into by_dma, goes into by_key first, if the table
 * holds all of by_dma (or by_dma is empty and a table can be made). */
static bool key_insert(struct dk_dbg_shard *s, struct dk_dbg_entry *e)
{
	struct dk_dbg_entry **b;

	if (!s->by_key && s->by_dma)
		return false;
	if (!s->by_key || s->nkeyed >= 2UL << s->key_bits)
		key_grow(s);
	if (!s->by_key)
		return false;
	b = key_bucket(s, e->dev, e->dma);
	e->key_next = *b;
	*b = e;
	s->nkeyed++;
	return true;
}

static void key_remove(struct dk_dbg_shard *s, struct dk_dbg_entry *e)
{
	struct dk_dbg_entry **pp;

	if (!s->by_key)
		return;
	for (pp = key_bucket(s, e->dev, e->dma); *pp; pp = &(*pp)->key_next)
		if (*pp == e) {
			*pp = e->key_next;
			s->nkeyed--;
			return;
		}
}

/* dk_itree_each_at() of @s's by_dma at @dev's @dma, through by_key. */
static bool each_at_dma(struct dk_dbg_shard *s, struct device *dev,
			dma_addr_t dma, dk_inode_fn fn, void *arg)
{
	struct dk_dbg_entry *e;

	if (!s->by_key)
		return dk_itree_each_at(s->by_dma, group_of(dev), dma, fn,
					arg);
	for (e = *key_bucket(s, dev, dma); e; e = e->key_next)
		if (e->dev == dev && e->dma == dma && fn(&e->by_dma, arg))
			return true;
	return false;
}

/* Into @s's trees; its nodes are set. */
static void tree_insert(struct dk_dbg_shard *s, struct dk_dbg_entry *e)
{
	dk_itree_insert(&s->by_dma, &e->by_dma);
	if (pa_in_phys(e))
		dk_itree_insert(&s->by_phys, &e->by_pa);
	if (dev_pa_in_phys(e))
		dk_itree_insert(&s->by_phys, &e->by_dev_pa);
}

/* At most this many entries wait for the trees: a range lookup after
 * many maps settles no more than these, and each entry is put in once. */
#define UNSET_MAX 256

static void unset_unlink(struct dk_dbg_shard *s, struct dk_dbg_entry *e)
{
	*(e->unset_prev ? &e->unset_prev->unset_next : &s->unset_head) =
		e->unset_next;
	*(e->unset_next ? &e->unset_next->unset_prev : &s->unset_tail) =
		e->unset_prev;
	e->unsettled = false;
	s->nunset--;
}

/* The oldest unsettled entry into the trees. */
static void settle_one(struct dk_dbg_shard *s)
{
	struct dk_dbg_entry *e = s->unset_head;

	unset_unlink(s, e);
	tree_insert(s, e);
}

/* Every entry of @s in its trees, for a range lookup; the lock is held.
 * The trees order entries by seq, not by when they went in, so they
 * answer as if each had gone in at its map. */
static void settle(struct dk_dbg_shard *s)
{
	while (s->unset_head)
		settle_one(s);
}

/*
 * Into @s's indexes, as its seq (by_dma.seq) orders it; the lock is
 * held. by_pa is read only where it is inserted or a by_dev_pa node
 * stands for the entry (cover_one()), by_dev_pa only when inserted. Its
 * nodes are described now, for by_key's lookups; with a by_key to find
 * it in, it waits for the trees until a range lookup needs them.
 */
static __attribute__((noinline)) void index_entry(struct dk_dbg_shard *s,
						  struct dk_dbg_entry *e)
{
	u64 g = group_of(e->dev), id = e->by_dma.seq;

	dk_inode_set(&e->by_dma, e, g, e->dma, e->size, id);
	if (pa_in_phys(e) || dev_pa_differs(e))
		dk_inode_set(&e->by_pa, e, g, e->pa, e->size, id);
	if (dev_pa_in_phys(e))
		dk_inode_set(&e->by_dev_pa, e, g, e->dev_pa, e->size, id);
	e->unsettled = false;
	if (!key_insert(s, e)) {
		tree_insert(s, e);
		return;
	}
	if (s->nunset >= UNSET_MAX)
		settle_one(s);
	e->unsettled = true;
	e->unset_next = NULL;
	e->unset_prev = s->unset_tail;
	*(s->unset_tail ? &s->unset_tail->unset_next : &s->unset_head) = e;
	s->unset_tail = e;
	s->nunset++;
}

void dk_dbg_entry_add_slow(struct dk_dbg_shard *s, struct dk_dbg_entry *e,
			   bool locked)
{
	if (!locked)
		dk_dbg_lock(&s->lock);
	if (s->pending)
		index_entry(s, s->newest);
	dk_dbg_add_newest(s, e);
	dk_dbg_owners_add(e);
}

/* Out of the indexes; its shard's lock is held. */
static void unlink_entry(struct dk_dbg_entry *e)
{
	struct dk_dbg_shard *s = home_of(e);

	if (s->newest == e) {
		s->newest = NULL;
		if (s->pending) {
			s->pending = false;
			dk_dbg_lane_uncount(s);
			return;
		}
	}
	key_remove(s, e);
	if (e->unsettled) {
		unset_unlink(s, e);
		dk_dbg_lane_uncount(s);
		return;
	}
	dk_itree_remove(&s->by_dma, &e->by_dma);
	if (pa_in_phys(e))
		dk_itree_remove(&s->by_phys, &e->by_pa);
	if (dev_pa_in_phys(e))
		dk_itree_remove(&s->by_phys, &e->by_dev_pa);
	dk_dbg_lane_uncount(s);
}

struct take_arg {
	enum dk_map_type type;
	u64 size;
	int score;
	struct dk_dbg_entry *best;
};

/* Prefer the entry that matches most, like Linux's closest match, so the
 * report names the real mistake; the newest of equals. */
static bool take_score(struct dk_inode *n, void *arg)
{
	struct take_arg *t = arg;
	struct dk_dbg_entry *e = n->owner;
	int sc = (e->type == t->type) + (e->size == t->size);

	if (sc > t->score) {
		t->score = sc;
		t->best = e;
	}
	return false;
}

/* dk_dbg_entry_take() past the caller's newest entry: out of line, so
 * the common case saves few registers. */
static __attribute__((noinline)) struct dk_dbg_entry *
take_walk(struct device *dev, dma_addr_t dma, enum dk_map_type type,
	  u64 size)
{
	struct take_arg t = { type, size, -1, NULL };
	unsigned int set, i;

	/* Nothing scores higher than a full match, and of equals the
	 * newest of the first lane visited wins. */
	set = lock_lanes(dev, false);
	for (i = 0; i < NLANES && t.score < 2; i++)
		if (set & (1u << visit(i)))
			each_at_dma(lane_of(dev, visit(i)), dev, dma,
				    take_score, &t);
	if (t.best)
		unlink_entry(t.best);
	unlock_lanes(dev, set);
	return t.best;
}

/* The common case of a lookup: the mapping this thread made last, if it
 * is @dev's at @dma; its lane *@sp is locked either way. */
static inline __attribute__((always_inline)) struct dk_dbg_entry *
lock_own_newest(struct device *dev, dma_addr_t dma, struct dk_dbg_shard **sp)
{
	struct dk_dbg_shard *s = dk_dbg_own_lane(dev);

	/* No init_once(): a shard needs none, and an entry to find was made
	 * by dk_dbg_entry_new(), which ran it. */
	dk_dbg_lock(&s->lock);
	*sp = s;
	return dk_dbg_newest_at(s, dev, dma);
}

/* The hook has tried the caller's pending newest entry on a free lane,
 * inline (lane.h: dk_dbg_take_newest_if()). */
struct dk_dbg_entry *dk_dbg_entry_take(struct device *dev, dma_addr_t dma,
				       enum dk_map_type type, u64 size)
{
	struct dk_dbg_shard *s;
	struct dk_dbg_entry *e = lock_own_newest(dev, dma, &s);

	if (e && e->type == type && e->size == size) {
		unlink_entry(e);
		dk_dbg_unlock(&s->lock);
		return e;
	}
	dk_dbg_unlock(&s->lock);
	return take_walk(dev, dma, type, size);
}


struct at_arg {
	bool (*fn)(struct dk_dbg_entry *e, void *arg);
	void *arg;
	const struct dk_dbg_entry *seen;	/* visited already */
};

static bool at_one(struct dk_inode *n, void *arg)
{
	struct at_arg *a = arg;

	return n->owner != a->seen && a->fn(n->owner, a->arg);
}

/* A lane's entries at @dma after its newest (@a->seen, tried); the lane
 * is locked and unlocked here. */
static bool at_walk(struct dk_dbg_shard *s, struct device *dev, dma_addr_t dma,
		    struct at_arg *a)
{
	bool done = each_at_dma(s, dev, dma, at_one, a);

	dk_dbg_unlock(&s->lock);
	return done;
}

/* The rest of dk_dbg_entry_at() once the newest entry of the caller's
 * lane (@seen) did not do: out of line, so the common case is short. */
static __attribute__((noinline)) bool
at_rest(struct dk_dbg_shard *own, struct device *dev, dma_addr_t dma,
	bool (*fn)(struct dk_dbg_entry *e, void *arg), void *arg,
	struct dk_dbg_entry *seen)
{
	struct at_arg a = { fn, arg, seen };
	struct dk_dbg_shard *s;
	unsigned int i;

	if (at_walk(own, dev, dma, &a))
		return true;
	for (i = 1; i < NLANES; i++) {
		s = lane_of(dev, visit(i));
		if (lane_idle(s))
			continue;
		dk_dbg_lock(&s->lock);
		/* The newest comes first; unless pending, the walk would
		 * meet it too. */
		seen = dk_dbg_newest_at(s, dev, dma);
		if (seen && fn(seen, arg)) {
			dk_dbg_unlock(&s->lock);
			return true;
		}
		a.seen = seen;
		if (at_walk(s, dev, dma, &a))
			return true;
	}
	return false;
}

bool dk_dbg_entry_at(struct device *dev, dma_addr_t dma,
		     bool (*fn)(struct dk_dbg_entry *e, void *arg), void *arg)
{
	struct dk_dbg_shard *s;
	struct dk_dbg_entry *e = lock_own_newest(dev, dma, &s);

	if (e && fn(e, arg)) {
		dk_dbg_unlock(&s->lock);
		return true;
	}
	return at_rest(s, dev, dma, fn, arg, e);
}

/*
 * Mark the first mapping at exactly this address still unchecked, as
 * Linux does: the same buffer mapped twice has two entries, and two
 * checks must mark both, whatever order they come in.
 */
static bool mark_checked(struct dk_dbg_entry *e, void *arg)
{
	(void)arg;
	if (e->map_err != MAP_ERR_NOT_CHECKED)
		return false;
	e->map_err = MAP_ERR_CHECKED;
	return true;
}

/* The hook has tried the caller's newest entry on a free lane, inline. */
void dk_dbg_entry_mark_checked(struct device *dev, dma_addr_t dma)
{
	dk_dbg_entry_at(dev, dma, mark_checked, NULL);
}

/* The inclusive end of [addr, addr+size), size 0 taken as 1; false if
 * it runs past the top of the address space. */
static bool last_of(u64 addr, u64 size, u64 *last)
{
	*last = addr + (size ? size : 1) - 1;
	return *last >= addr;
}

/*
 * Of @dev's ranges starting at or before @max_start and ending at or
 * after @min_last, the one starting last over every locked lane (@set),
 * as dk_itree_find() gives it in one.
 */
static struct dk_inode *find_in_lanes(struct device *dev, unsigned int set,
				      u64 max_start, u64 min_last)
{
	struct dk_inode *best = NULL, *n;
	unsigned int i;

	for (i = 0; i < NLANES; i++) {
		if (!(set & (1u << visit(i))))
			continue;
		n = dk_itree_find(lane_of(dev, visit(i))->by_dma, group_of(dev),
				  max_start, min_last);
		if (n && (!best || n->start > best->start))
			best = n;
	}
	return best;
}

bool dk_dbg_entry_with(struct device *dev, dma_addr_t dma, u64 size,
		       void (*fn)(struct dk_dbg_entry *e, void *arg),
		       void *arg)
{
	struct dk_inode *n;
	unsigned int set;
	u64 last;

	init_once();
	if (!last_of(dma, size, &last))
		return false;
	set = lock_lanes(dev, true);
	n = find_in_lanes(dev, set, dma, last);
	if (n && fn)
		fn(n->owner, arg);
	unlock_lanes(dev, set);
	return n != NULL;
}

bool dk_dbg_entry_overlaps(struct device *dev, dma_addr_t dma, u64 size)
{
	struct dk_dbg_shard *s;
	bool hit = false;
	unsigned int i;
	u64 last;

	init_once();
	if (!last_of(dma, size, &last))
		last = ~0ULL;
	for (i = 0; i < NLANES && !hit; i++) {
		s = lane_of(dev, visit(i));
		if (lane_idle(s))
			continue;
		lock_settled(s);
		hit = dk_itree_find(s->by_dma, group_of(dev), last, dma) != NULL;
		dk_dbg_unlock(&s->lock);
	}
	return hit;
}

struct cover_arg {
	phys_addr_t pa, last;
	bool (*fn)(struct dk_dbg_entry *e, void *arg);
	void *arg;
	bool keyed;	/* by_dma's ranges starting at pa visited already */
};

static bool cover_one(struct dk_inode *n, void *arg)
{
	struct cover_arg *c = arg;
	struct dk_dbg_entry *e = n->owner;
	bool buffer = n == &e->by_pa || (n == &e->by_dma && e->pa == e->dma);

	if (!buffer) {
		/* A by_dma node whose range is no physical one of @e. */
		if (n == &e->by_dma && (!dev_pa_differs(e) || e->dev_pa != e->dma))
			return false;
		/* Each entry once, when both its ranges hold the access. */
		if (!e->by_pa.empty && c->pa >= e->by_pa.start &&
		    c->last <= e->by_pa.last)
			return false;
	}
	return c->fn(e, c->arg);
}

/*
 * The first nodes a walk of by_dma for an access at @c->pa meets are
 * those starting at pa itself, newest first: by_key has them in that
 * order, and a device accessing a buffer from its start (the common
 * case) is served there with no walk down the tree.
 */
static bool cover_keyed(struct dk_dbg_shard *s, struct device *dev,
			struct cover_arg *c)
{
	struct dk_dbg_entry *e;

	c->keyed = s->by_key != NULL;
	if (!c->keyed)
		return false;
	for (e = *key_bucket(s, dev, c->pa); e; e = e->key_next)
		if (e->dev == dev && e->dma == c->pa && !e->by_dma.empty &&
		    e->by_dma.last >= c->last && cover_one(&e->by_dma, c))
			return true;
	return false;
}

/* cover_one() of the by_dma walk after cover_keyed(). */
static bool cover_rest(struct dk_inode *n, void *arg)
{
	struct cover_arg *c = arg;

	return !(c->keyed && n->start == c->pa) && cover_one(n, arg);
}

bool dk_dbg_entry_covering(struct device *dev, phys_addr_t pa, u64 len,
			   bool (*fn)(struct dk_dbg_entry *e, void *arg),
			   void *arg)
{
	struct cover_arg c = { pa, 0, fn, arg, false };
	struct dk_dbg_shard *s;
	bool done = false;
	unsigned int i;

	init_once();
	if (!last_of(pa, len, &c.last))
		return false;
	for (i = 0; i < NLANES && !done; i++) {
		s = lane_of(dev, visit(i));
		if (lane_idle(s))
			continue;
		lock_keyed(s);
		done = cover_keyed(s, dev, &c);
		if (!done)
			settle(s);
		done = done ||
		       dk_itree_each_containing(s->by_dma, group_of(dev), pa,
						c.last, cover_rest, &c) ||
		       dk_itree_each_containing(s->by_phys, group_of(dev), pa,
						c.last, cover_one, &c);
		dk_dbg_unlock(&s->lock);
	}
	return done;
}

struct each_arg {
	void (*fn)(struct dk_dbg_entry *e, void *arg);
	void *arg;
	struct dk_dbg_entry **all;	/* collecting, when not NULL */
	size_t n;
};

static bool each_one(struct dk_inode *n, void *arg)
{
	struct each_arg *a = arg;

	if (a->all)
		a->all[a->n] = n->owner;
	else if (a->fn)
		a->fn(n->owner, a->arg);
	a->n++;
	return false;
}

/* Lane order for entries of equal address: an entry remembers no lane
 * index, so its shard's address stands for it. */
static int by_address(const void *x, const void *y)
{
	const struct dk_dbg_entry *a = *(struct dk_dbg_entry *const *)x;
	const struct dk_dbg_entry *b = *(struct dk_dbg_entry *const *)y;

	if (a->dma != b->dma)
		return a->dma < b->dma ? -1 : 1;
	if (a->home != b->home)
		return (uintptr_t)a->home < (uintptr_t)b->home ? -1 : 1;
	return a->by_dma.seq < b->by_dma.seq ? -1 : a->by_dma.seq > b->by_dma.seq;
}

/* @dev's entries in order of device address over the lanes in @set:
 * one lane's walk is that already; several are merged. */
static void each_of_dev(struct device *dev, unsigned int set,
			struct each_arg *a)
{
	struct dk_dbg_entry **all;
	unsigned int l;
	size_t n, i;

	if (!(set & (set - 1))) {
		for (l = 0; l < NLANES; l++)
			if (set & (1u << l))
				dk_itree_each_group(lane_of(dev, l)->by_dma,
						    group_of(dev), each_one, a);
		return;
	}
	/* Counted, then collected and sorted; without memory for the
	 * list, lane by lane. */
	n = 0;
	for (l = 0; l < NLANES; l++) {
		struct each_arg c = { NULL, NULL, NULL, 0 };

		if (set & (1u << l))
			dk_itree_each_group(lane_of(dev, l)->by_dma,
					    group_of(dev), each_one, &c);
		n += c.n;
	}
	all = n ? malloc(n * sizeof(*all)) : NULL;
	if (!all) {
		for (l = 0; l < NLANES; l++)
			if (set & (1u << l))
				dk_itree_each_group(lane_of(dev, l)->by_dma,
						    group_of(dev), each_one, a);
		return;
	}
	for (l = 0, a->all = all, a->n = 0; l < NLANES; l++)
		if (set & (1u << l))
			dk_itree_each_group(lane_of(dev, l)->by_dma,
					    group_of(dev), each_one, a);
	a->all = NULL;
	qsort(all, n, sizeof(*all), by_address);
	for (i = 0; i < n; i++)
		a->fn(all[i], a->arg);
	free(all);
}

void dk_dbg_entry_each(struct device *dev,
		       void (*fn)(struct dk_dbg_entry *e, void *arg),
		       void *arg)
{
	struct each_arg a = { fn, arg, NULL, 0 };
	unsigned int set;
	int i;

	init_once();
	if (dev) {
		set = lock_lanes(dev, true);
		each_of_dev(dev, set, &a);
		unlock_lanes(dev, set);
		return;
	}
	for (i = 0; i < NSHARDS; i++) {
		lock_settled(&dk_dbg_shards[i]);
		dk_itree_each(dk_dbg_shards[i].by_dma, each_one, &a);
		dk_dbg_unlock(&dk_dbg_shards[i].lock);
	}
}

struct dk_dbg_entry *dk_dbg_entry_first(struct device *dev)
{
	struct dk_dbg_entry *e = NULL;
	struct dk_inode *n, *best = NULL;
	unsigned int set, i;

	init_once();
	set = lock_lanes(dev, true);
	for (i = 0; i < NLANES; i++) {
		if (!(set & (1u << visit(i))))
			continue;
		n = dk_itree_first(lane_of(dev, visit(i))->by_dma,
				   group_of(dev));
		if (n && (!best || n->start < best->start))
			best = n;
	}
	if (best) {
		e = best->owner;
		unlink_entry(e);
	}
	unlock_lanes(dev, set);
	return e;
}

void dk_dbg_entry_counts(unsigned long *l, unsigned long *p)
{
	int i;

	*l = *p = 0;
	for (i = 0; i < NSHARDS; i++) {
		*l += atomic_load_explicit(&dk_dbg_shards[i].live,
					   memory_order_relaxed);
		*p += atomic_load_explicit(&dk_dbg_shards[i].peak,
					   memory_order_relaxed);
	}
}

void dk_dbg_format_backtrace(const struct dk_dbg_entry *e, char *buf,
			     size_t len)
{
	size_t used = 0;
	int i, shown = 0;

	buf[0] = '\0';
	/* Skip the checker's own frames, whatever the compiler inlined. */
	for (i = 0; i < e->nbt && used < len; i++) {
		char fn[128], where[256];
		Dl_info info = { 0 };
		int n;

		if (!dk_symbolize(e->bt[i], fn, sizeof(fn), where,
				  sizeof(where)))
			fn[0] = where[0] = '\0';
		if (!fn[0] && dladdr(e->bt[i], &info) && info.dli_sname)
			snprintf(fn, sizeof(fn), "%s", info.dli_sname);
		/* backtrace() itself, or ASan's interceptor of it */
		if (!shown && (!strncmp(fn, "dk_dbg_", 7) ||
			       strstr(fn, "backtrace")))
			continue;
		if (fn[0] && where[0])
			n = snprintf(buf + used, len - used, "    #%d %s (%s)\n",
				     shown, fn, where);
		else if (fn[0])
			n = snprintf(buf + used, len - used, "    #%d %s\n",
				     shown, fn);
		else	/* file+offset is what addr2line takes */
			n = snprintf(buf + used, len - used, "    #%d %s+0x%lx\n",
				     shown,
				     dladdr(e->bt[i], &info) && info.dli_fname ?
					     info.dli_fname : "?",
				     (unsigned long)((char *)e->bt[i] -
						     (char *)info.dli_fbase));
		if (n < 0)
			break;
		used += n;
		shown++;
		if (!strcmp(fn, "main"))
			break;
	}
}

/* ---- cacheline tracking */

static u64 line_hash(phys_addr_t line)
{
	return line * 0x9e3779b97f4a7c15ULL;
}

/* Runs of STRIPE_RUN lines share a stripe, so a mapping takes a lock or
 * two, not one per line. */
#define STRIPE_RUN 64

static struct stripe *stripe_of(phys_addr_t line)
{
	return &stripes[line_hash(line / STRIPE_RUN) >> 58];
}

/* Lock @s, dropping @held (at most one stripe lock is held). */
static struct stripe *stripe_switch(struct stripe *held, struct stripe *s)
{
	if (held == s)
		return s;
	if (held)
		pthread_mutex_unlock(&held->lock);
	pthread_mutex_lock(&s->lock);
	return s;
}

/*
 * Runs of eight lines share a hashed place, each line its own bucket in
 * it, so the heads of one small mapping's lines are neighbours in one
 * cache line of the table: with 10^5 mappings live, each line's bucket
 * was a cache miss of its own.
 */
static struct line_node **bucket_of(struct stripe *s, phys_addr_t line)
{
	return &s->head[((line_hash(line >> 3) >> 20) << 3 | (line & 7)) &
			s->mask];
}

/* Twice the buckets when they average two lines: chains stay short. If
 * there is no memory for a bigger table the old one goes on serving. */
static void stripe_grow(struct stripe *s)
{
	size_t n = s->head ? (s->mask + 1) * 2 : STRIPE_MIN, i;
	struct line_node **old = s->head, **nh = calloc(n, sizeof(*nh));
	size_t old_n = old ? s->mask + 1 : 0;

	if (!nh)
		return;
	s->head = nh;
	s->mask = n - 1;
	for (i = 0; i < old_n; i++) {
		struct line_node *l = old[i], *next;

		for (; l; l = next) {
			struct line_node **b = bucket_of(s, l->line);

			next = l->next;
			l->next = *b;
			*b = l;
		}
	}
	free(old);
}

/* The line's counter, added at 0 if @create; NULL if none. The stripe
 * lock is held. */
static inline __attribute__((always_inline)) struct line_node **
line_find(struct stripe *s, phys_addr_t line, bool create)
{
	struct line_node **pp, *n;

	if (create && (!s->head || s->count >= 2 * (s->mask + 1)))
		stripe_grow(s);
	if (!s->head)
		return NULL;
	for (pp = bucket_of(s, line); (n = *pp); pp = &n->next)
		if (n->line == line)
			return pp;
	if (!create)
		return NULL;
	if ((n = s->spare)) {
		s->spare = n->next;
		s->nspare--;
	} else if (!(n = malloc(sizeof(*n)))) {
		return NULL;
	}
	n->count = 0;
	n->line = line;
	pp = bucket_of(s, line);
	n->next = *pp;
	*pp = n;
	s->count++;
	return pp;
}

int dk_dbg_lines_insert(struct dk_dbg_entry *e, u32 line_size)
{
	phys_addr_t first = e->pa / line_size;
	phys_addr_t last = (e->pa + e->size - 1) / line_size, l;
	struct stripe *held = NULL;
	int worst = 0;

	init_once();
	for (l = first; l <= last; l++) {
		struct line_node **pp;

		held = stripe_switch(held, stripe_of(l));
		pp = line_find(held, l, true);
		if (pp && ++(*pp)->count > worst)
			worst = (*pp)->count;
	}
	if (held)
		pthread_mutex_unlock(&held->lock);
	e->tracked = true;
	return worst;
}

void dk_dbg_lines_remove(struct dk_dbg_entry *e, u32 line_size)
{
	phys_addr_t first = e->pa / line_size;
	phys_addr_t last = (e->pa + e->size - 1) / line_size, l;
	struct stripe *held = NULL;

	if (!e->tracked)
		return;
	for (l = first; l <= last; l++) {
		struct line_node **pp, *n;

		held = stripe_switch(held, stripe_of(l));
		pp = line_find(held, l, false);
		if (!pp || --(n = *pp)->count)
			continue;
		*pp = n->next;
		held->count--;
		if (held->nspare < STRIPE_SPARE) {
			n->next = held->spare;
			held->spare = n;
			held->nspare++;
		} else {
			free(n);
		}
	}
	if (held)
		pthread_mutex_unlock(&held->lock);
	e->tracked = false;
}
