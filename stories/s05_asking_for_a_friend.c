// SPDX-License-Identifier: MIT
/*
 * Talk 000, "Asking for a friend": a DMA master that is not TrustZone
 * aware is a way around the CPU's address-space isolation, so the SoC's
 * firewall must refuse it secure memory. The built-in SoC keeps 1 MiB of
 * secure-world memory at 0xbfe00000 behind its firewall; the secure world
 * talks to the normal world through the shared-memory pool "tee-shm".
 */
#include <errno.h>
#include <string.h>

#include <dmakit/error.h>

#include "story.h"

#define TEE_SECURE 0xbfe00000ULL
#define MSG_LEN 256

static int run(struct story_env *env)
{
	struct device *dev = story_dev(env, "tee-client@10040000");
	struct dk_simdev *sd = story_simdev(env, "tee-client@10040000");
	u8 got[MSG_LEN], *secret, *shm;
	dma_addr_t shm_dma, from;
	int r;

	/* The secure world holds the message; it shares a copy. */
	secret = dk_sim_dram_ptr(env->soc, TEE_SECURE);
	story_fill(secret, MSG_LEN, 5);
	shm = dma_alloc_coherent(dev, MSG_LEN, &shm_dma, GFP_KERNEL);
	if (!shm)
		return -ENOMEM;
	story_fill(shm, MSG_LEN, 5);
	memset(got, 0, sizeof(got));
	if (env->fixed) {
		story_say(env, "the driver DMAs the message from the shared-memory pool at 0x%llx",
			  (unsigned long long)shm_dma);
		from = shm_dma;
	} else {
		story_say(env, "the driver points its non-secure DMA master at secure memory 0x%llx",
			  TEE_SECURE);
		from = TEE_SECURE;
	}
	r = dk_dev_dma_read(sd, from, got, MSG_LEN);
	if (r)
		story_say(env, "the interconnect refused: %s", dk_last_error());
	env->data_ok = !r && story_check(got, MSG_LEN, 5);
	snprintf(env->note, sizeof(env->note), "%s",
		 r ? "the firewall stopped the read; nothing leaked" :
		     "message read from shared memory");
	dma_free_coherent(dev, MSG_LEN, shm, shm_dma);
	return 0;
}

const struct story story_asking_for_a_friend = {
	.name = "asking-for-a-friend",
	.title = "Asking for a friend",
	.from = &story_talk_fatoum,
	.slide = "Asking for a friend",
	.bug = "a non-secure DMA master is aimed at secure-world memory",
	.fix = "the data comes through the secure world's shared-memory pool",
	.bug_code =
		"/* a non-secure master pointed at\n"
		" * the TEE's secure memory */\n"
		"dma_read(dev, TEE_SECURE, buf, len);\n",
	.fix_code =
		"shm = dma_alloc_coherent(dev, len,\n"
		"\t&shm_dma, GFP_KERNEL);\n"
		"/* the shared-memory pool both\n"
		" * worlds may reach */\n"
		"dma_read(dev, shm_dma, buf, len);\n",
	.run = run,
};
