// SPDX-License-Identifier: MIT
/*
 * The live-object registry answers repeated questions from a per-thread
 * memory of what it found live; a removal anywhere must end that memory
 * at once, in the thread that removed and in every other.
 */
#include <pthread.h>

#include "../src/core/objreg.h"
#include "harness.h"

static char objs[3];

struct asker {
	pthread_barrier_t *step;
	bool live[3];
};

static void *ask_twice(void *arg)
{
	struct asker *a = arg;

	a->live[0] = dk_obj_live(&objs[0], DK_OBJ_POOL);	/* remembered */
	a->live[1] = dk_obj_live(&objs[0], DK_OBJ_POOL);
	pthread_barrier_wait(a->step);	/* main removes it */
	pthread_barrier_wait(a->step);
	a->live[2] = dk_obj_live(&objs[0], DK_OBJ_POOL);
	return NULL;
}

TEST(objreg_a_removal_ends_every_threads_memory)
{
	pthread_barrier_t step;
	struct asker a = { .step = &step };
	pthread_t t;

	CHECK_EQ(dk_obj_add(&objs[0], DK_OBJ_POOL, NULL), 0);
	CHECK_EQ(dk_obj_add(&objs[1], DK_OBJ_DEVICE, NULL), 0);
	CHECK(dk_obj_live(&objs[0], DK_OBJ_POOL));
	CHECK(dk_obj_live(&objs[0], DK_OBJ_POOL));
	CHECK(!dk_obj_live(&objs[0], DK_OBJ_DEVICE));	/* another kind */
	CHECK(dk_obj_live(&objs[1], DK_OBJ_DEVICE));
	pthread_barrier_init(&step, NULL, 2);
	CHECK_EQ(pthread_create(&t, NULL, ask_twice, &a), 0);
	pthread_barrier_wait(&step);
	CHECK(dk_obj_del(&objs[0], DK_OBJ_POOL));
	pthread_barrier_wait(&step);
	pthread_join(t, NULL);
	pthread_barrier_destroy(&step);
	CHECK(a.live[0] && a.live[1] && !a.live[2]);
	CHECK(!dk_obj_live(&objs[0], DK_OBJ_POOL));	/* here too */
	CHECK(!dk_obj_del(&objs[0], DK_OBJ_POOL));
	CHECK(dk_obj_live(&objs[1], DK_OBJ_DEVICE));	/* others stay */
	CHECK_EQ(dk_obj_add(&objs[0], DK_OBJ_POOL, NULL), 0);
	CHECK(dk_obj_live(&objs[0], DK_OBJ_POOL));	/* live again */
	CHECK(dk_obj_del(&objs[0], DK_OBJ_POOL));
	CHECK(dk_obj_del(&objs[1], DK_OBJ_DEVICE));
	CHECK(!dk_obj_live(&objs[1], DK_OBJ_DEVICE));
}

/*
 * Two objects a call uses together (a device and its SoC) that fall in
 * the same set are both remembered: looked at in turn, neither goes back
 * to the locked lookup (with one slot a set, each sent the other there,
 * and a map of a device whose address met its SoC's cost twice as much).
 */
TEST(objreg_two_objects_of_one_set_are_both_remembered)
{
	static char many[4096];
	char *a = many, *b = NULL;
	size_t i;
	int k;

	for (i = 16; i < sizeof(many) && !b; i += 16)
		if (dk_obj_seen_set(many + i) == dk_obj_seen_set(a))
			b = many + i;
	CHECK(b != NULL);
	CHECK_EQ(dk_obj_add(a, DK_OBJ_SOC, NULL), 0);
	CHECK_EQ(dk_obj_add(b, DK_OBJ_DEVICE, NULL), 0);
	CHECK(dk_obj_live(a, DK_OBJ_SOC) && dk_obj_live(b, DK_OBJ_DEVICE));
	for (k = 0; k < 3; k++) {
		CHECK(dk_obj_seen_live(a, DK_OBJ_SOC));
		CHECK(dk_obj_seen_live(b, DK_OBJ_DEVICE));
	}
	CHECK(!dk_obj_seen_live(a, DK_OBJ_DEVICE));	/* kind still counts */
	CHECK(dk_obj_del(a, DK_OBJ_SOC));
	CHECK(!dk_obj_seen_live(a, DK_OBJ_SOC) && !dk_obj_live(a, DK_OBJ_SOC));
	CHECK(!dk_obj_seen_live(b, DK_OBJ_DEVICE));	/* a removal: stale */
	CHECK(dk_obj_live(b, DK_OBJ_DEVICE));
	CHECK(dk_obj_del(b, DK_OBJ_DEVICE));
}

/* What a new thread remembers: nothing, NULL included, of every kind
 * (the newest-of-a-kind slots start empty). */
static void *fresh_thread(void *arg)
{
	int k, *bad = arg;

	for (k = 0; k < DK_OBJ_NR; k++)
		if (dk_obj_seen_live(NULL, k) || dk_obj_live(NULL, k))
			*bad = 1;
	return NULL;
}

/*
 * The newest object of a kind found live is looked at first: it is
 * still that kind's only (another kind's test of it fails), the one
 * before it is still remembered, and a removal makes both stale.
 */
TEST(objreg_newest_of_a_kind_first)
{
	static char objs[3];
	pthread_t th;
	int bad = 0;

	CHECK_EQ(pthread_create(&th, NULL, fresh_thread, &bad), 0);
	CHECK_EQ(pthread_join(th, NULL), 0);
	CHECK_EQ(bad, 0);
	CHECK_EQ(dk_obj_add(&objs[0], DK_OBJ_DEVICE, NULL), 0);
	CHECK_EQ(dk_obj_add(&objs[1], DK_OBJ_DEVICE, NULL), 0);
	CHECK_EQ(dk_obj_add(&objs[2], DK_OBJ_SOC, NULL), 0);
	CHECK(dk_obj_live(&objs[0], DK_OBJ_DEVICE));
	CHECK(dk_obj_seen_live(&objs[0], DK_OBJ_DEVICE));
	CHECK(!dk_obj_seen_live(&objs[0], DK_OBJ_SOC));
	CHECK(!dk_obj_live(&objs[0], DK_OBJ_SOC));
	CHECK(dk_obj_live(&objs[1], DK_OBJ_DEVICE));
	CHECK(dk_obj_seen_live(&objs[0], DK_OBJ_DEVICE));
	CHECK(dk_obj_seen_live(&objs[1], DK_OBJ_DEVICE));
	CHECK(dk_obj_live(&objs[2], DK_OBJ_SOC));
	CHECK(dk_obj_seen_live(&objs[1], DK_OBJ_DEVICE));
	CHECK(dk_obj_seen_live(&objs[2], DK_OBJ_SOC));
	CHECK(!dk_obj_seen_live(&objs[2], DK_OBJ_DEVICE));
	CHECK(!dk_obj_seen_live(NULL, DK_OBJ_DEVICE));
	CHECK(dk_obj_del(&objs[0], DK_OBJ_DEVICE));
	CHECK(!dk_obj_seen_live(&objs[0], DK_OBJ_DEVICE));
	CHECK(!dk_obj_live(&objs[0], DK_OBJ_DEVICE));
	CHECK(!dk_obj_seen_live(&objs[1], DK_OBJ_DEVICE));	/* stale */
	CHECK(!dk_obj_seen_live(&objs[2], DK_OBJ_SOC));
	CHECK(dk_obj_live(&objs[1], DK_OBJ_DEVICE));
	CHECK(dk_obj_seen_live(&objs[1], DK_OBJ_DEVICE));
	CHECK(dk_obj_del(&objs[1], DK_OBJ_DEVICE));
	CHECK(dk_obj_del(&objs[2], DK_OBJ_SOC));
	CHECK(!dk_obj_live(&objs[2], DK_OBJ_SOC));
}
