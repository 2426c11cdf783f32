// SPDX-License-Identifier: MIT
/*
 * The Q&A thread on memory access in the secure and the normal world:
 * "non-secureOS write own data to DMA buffer and send to secureOS ...
 * non-secureOS change the buffer again ... and finally secureOS read
 * stale fake data from the cache". The answer: caches are tagged with
 * the NS bit. A normal-world driver writes each request into the shared
 * buffer (the TEE's shared memory), cleans it to DRAM, and calls the
 * secure world with an SMC. A TEE that reads the buffer through a secure
 * (NS = 0) mapping fills secure lines the first time and keeps hitting
 * them: from the second request on it reads the first one again, however
 * carefully the normal world cleaned. A TEE that maps the shared buffer
 * non-secure (NS = 1), as TEEs do, reads what the normal world wrote.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/trustzone.h>

#include "story.h"

#define SHM 0xbfd00000ULL	/* tee-shm: non-secure, shared */
#define LEN 256
#define ROUNDS 3
#define FID_REQUEST 0xb2000001u	/* a trusted OS call, one argument */

struct tee {
	bool ns_mapping;	/* the TEE maps the shared buffer NS = 1 */
	u8 got[LEN];		/* the request as the TEE read it */
};

static long tee_monitor(void *arg, struct dk_soc *soc, u32 fid,
			const u64 a[4])
{
	struct tee *t = arg;

	(void)a;
	if (fid != FID_REQUEST)
		return -1;
	return t->ns_mapping ?
		       dk_cpu_read_world(soc, DK_WORLD_NONSECURE, SHM, t->got,
					 LEN) :
		       dk_cpu_read(soc, SHM, t->got, LEN);
}

static int run(struct story_env *env)
{
	struct tee t = { .ns_mapping = env->fixed };
	u8 req[LEN];
	size_t bad = 0, wrong = 0, b;
	unsigned int i;
	long r;

	if (dk_soc_set_secure_monitor(env->soc, tee_monitor, &t))
		return -EINVAL;
	story_say(env, "the TEE reads the shared buffer through a %s mapping",
		  env->fixed ? "non-secure (NS = 1)" : "secure (NS = 0)");
	for (i = 1; i <= ROUNDS; i++) {
		story_fill(req, LEN, i);
		/* The normal world's request, cleaned to DRAM. */
		if (dk_cpu_write(env->soc, SHM, req, LEN) ||
		    dk_sim_cache_clean(env->soc, SHM, LEN))
			return -EINVAL;
		r = dk_smc(env->soc, FID_REQUEST, SHM, 0, 0, 0);
		b = r ? LEN : story_diff(t.got, LEN, i);
		story_say(env, "request %u: the TEE read %zu of %d bytes wrong",
			  i, b, LEN);
		bad += b;
		wrong += b != 0;
	}
	dk_soc_set_secure_monitor(env->soc, NULL, NULL);
	env->data_ok = !bad;
	snprintf(env->note, sizeof(env->note),
		 "the TEE read %zu of %d requests stale, %zu bytes wrong",
		 wrong, ROUNDS, bad);
	return 0;
}

const struct story story_qa_tz_cache_lines = {
	.name = "qa-trustzone-cache-lines",
	.title = "TrustZone: the secure world reads its own stale lines",
	.from = &story_thread_trustzone,
	.slide = "There is possible no-coherency between CPU(cache L1 or L2) to DMA?",
	.bug = "the TEE reads the normal world's requests through a secure (NS = 0) mapping of the shared buffer: its first read fills secure cache lines, which the normal world's lines and cleans never touch, so every later request reads as the first",
	.fix = "the TEE maps the shared buffer non-secure (NS = 1): the same lines as the normal world's, the requests as written",
	.bug_code =
		"/* secure world */\n"
		"shm = map(SHM, MT_NORMAL | MT_SECURE);\n"
		"memcpy(req, shm, len);\n",
	.fix_code =
		"/* secure world */\n"
		"shm = map(SHM, MT_NORMAL | MT_NS);\n"
		"memcpy(req, shm, len);\n",
	.run = run,
};
