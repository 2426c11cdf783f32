// SPDX-License-Identifier: MIT
/*
 * Talk 000, "Asking for a friend": a DMA master that is not TrustZone
 * aware is a way around the CPU's address-space isolation, so masters must
 * be restricted in what they may reach and their non-secure accesses to
 * secure memory rejected. The TrustZone answer of the Q&A (seed 003) says
 * how the hardware does it: every access carries the NS bit; a
 * normal-world read of secure memory faults, of world-shared memory
 * passes; the secure OS shares memory by flipping TZASC permissions at run
 * time, bootstrapped by an SMC, unless the TZASC is boot locked; masters
 * are TrustZone-aware (banked registers, NS per access) or behind a fixed
 * gasket.
 *
 * The story's SoC is the built-in one with its fixed firewall replaced by
 * a TZASC over the same 1 MiB of secure memory at 0xbfe00000, and a
 * TrustZone-aware copy engine beside the gasket master "tee-client". The
 * secure world holds a message in its memory. Both drivers run in the
 * normal world and want it:
 * - the bug reaches for it where it lies: a CPU load, the gasket master's
 *   DMA, the aware engine programmed through its normal-world bank. Each
 *   is refused and recorded; nothing leaks.
 * - the fix asks the secure world with an SMC, which makes the message's
 *   page world-shared (no copy) and locks the TZASC; the same three
 *   accesses then read the message, and an SMC asking for the rest of
 *   secure memory after the lock is refused.
 */
#include <errno.h>
#include <string.h>

#include <libfdt.h>

#include <dmakit/error.h>
#include <dmakit/io.h>
#include <dmakit/models/tzasc.h>
#include <dmakit/trustzone.h>

#include "story.h"

#define TEE_SECURE 0xbfe00000ULL
#define TEE_SIZE 0x100000ULL
#define MSG_AT (TEE_SECURE + 0x1000)	/* its own page */
#define MSG_LEN 256
#define TZASC_AT 0x10500000ULL
#define TZDMA_AT 0x10510000ULL
#define TZDMA "tz-dma@10510000"

static int add_node(void *fdt, int parent, const char *name,
		    const char *compat, u64 base)
{
	fdt32_t reg[4] = { cpu_to_fdt32(base >> 32), cpu_to_fdt32((u32)base),
			   0, cpu_to_fdt32(0x1000) };
	int node = fdt_add_subnode(fdt, parent, name);

	if (node < 0 || fdt_setprop_string(fdt, node, "compatible", compat) ||
	    fdt_setprop(fdt, node, "reg", reg, sizeof(reg)))
		return -1;
	return node;
}

/* The fixed firewall becomes a TZASC over the same memory. */
static int patch_tree(void *fdt, size_t cap, bool fixed)
{
	fdt32_t sec[4] = { cpu_to_fdt32(TEE_SECURE >> 32),
			   cpu_to_fdt32((u32)TEE_SECURE), 0,
			   cpu_to_fdt32((u32)TEE_SIZE) };
	int soc, fw = fdt_path_offset(fdt, "/firewall"), tz;

	(void)cap;
	(void)fixed;
	/* Deleting a node moves the offsets of those after it. */
	if (fw >= 0 && fdt_del_node(fdt, fw))
		return -1;
	soc = fdt_path_offset(fdt, "/soc");
	if (soc < 0)
		return 0;	/* the run says which node it misses */
	tz = add_node(fdt, soc, "tzasc@10500000", "dmakit,tzasc", TZASC_AT);
	if (tz < 0 || fdt_setprop(fdt, tz, "dmakit,secure-ranges", sec,
				  sizeof(sec)) ||
	    add_node(fdt, soc, TZDMA, "dmakit,tz-dma", TZDMA_AT) < 0)
		return -1;
	return 0;
}

/* The aware engine, programmed through the bank of the CPU's world. */
static u32 engine_copy(void __iomem *regs, u64 src, u64 dst, u32 len)
{
	writel((u32)src, regs + DK_TZDMA_SRC_LO);
	writel((u32)(src >> 32), regs + DK_TZDMA_SRC_HI);
	writel((u32)dst, regs + DK_TZDMA_DST_LO);
	writel((u32)(dst >> 32), regs + DK_TZDMA_DST_HI);
	writel(len, regs + DK_TZDMA_LEN);
	writel(DK_TZDMA_CTRL_GO, regs + DK_TZDMA_CTRL);
	return readl(regs + DK_TZDMA_STATUS);
}

/* What the driver reads with. */
struct readers {
	struct device *client, *engine;
	struct dk_simdev *client_sd;
	void __iomem *regs;
	u8 *dst;		/* the engine's coherent buffer */
	dma_addr_t dst_dma;
};

/* One DMA read of the message by @dev's master; true if it arrived. */
static bool client_read(struct story_env *env, struct readers *rd, void *msg)
{
	dma_addr_t h = dma_map_single(rd->client, msg, MSG_LEN, DMA_TO_DEVICE);
	u8 got[MSG_LEN];
	bool ok;

	if (dma_mapping_error(rd->client, h))
		return false;
	memset(got, 0, sizeof(got));
	ok = !dk_dev_dma_read(rd->client_sd, h, got, MSG_LEN) &&
	     story_check(got, MSG_LEN, 5);
	if (!ok)
		story_say(env, "tee-client (behind a non-secure gasket): %s",
			  dk_last_error());
	dma_unmap_single(rd->client, h, MSG_LEN, DMA_TO_DEVICE);
	return ok;
}

static bool engine_read(struct story_env *env, struct readers *rd, void *msg)
{
	dma_addr_t h = dma_map_single(rd->engine, msg, MSG_LEN, DMA_TO_DEVICE);
	bool ok;

	if (dma_mapping_error(rd->engine, h))
		return false;
	memset(rd->dst, 0, MSG_LEN);
	ok = engine_copy(rd->regs, h, rd->dst_dma, MSG_LEN) ==
		     DK_TZDMA_ST_DONE &&
	     story_check(rd->dst, MSG_LEN, 5);
	if (!ok)
		story_say(env, "TrustZone-aware engine, normal-world bank: transfer error");
	dma_unmap_single(rd->engine, h, MSG_LEN, DMA_TO_DEVICE);
	return ok;
}

/* The three ways the driver reads the message; how many worked. */
static int read_three_ways(struct story_env *env, struct readers *rd)
{
	u8 got[MSG_LEN];
	int ok = 0;

	memset(got, 0, sizeof(got));
	if (!dk_cpu_read(env->soc, MSG_AT, got, MSG_LEN) &&
	    story_check(got, MSG_LEN, 5))
		ok++;
	else
		story_say(env, "CPU load: %s", dk_last_error());
	ok += client_read(env, rd, phys_to_virt(MSG_AT));
	ok += engine_read(env, rd, phys_to_virt(MSG_AT));
	return ok;
}

/* The fix: the secure world shares the page, then locks the TZASC. */
static long ask_secure_world(struct story_env *env)
{
	long r;

	story_say(env, "the driver asks the secure world (SMC) to share the message's page");
	r = dk_smc(env->soc, DK_SMC_TZASC_REGION, 1, MSG_AT, 0x1000,
		   DK_TZASC_ATTR_EN | DK_TZASC_ATTR_NS);
	if (!r) {
		story_say(env, "the secure world locks the TZASC for the rest of the boot");
		r = dk_smc(env->soc, DK_SMC_TZASC_LOCK, 0, 0, 0, 0);
	}
	if (r)
		story_say(env, "refused: %s", dk_last_error());
	return r;
}

static int run(struct story_env *env)
{
	struct readers rd = {
		.client = story_dev(env, "tee-client@10040000"),
		.client_sd = story_simdev(env, "tee-client@10040000"),
		.engine = story_dev(env, TZDMA),
	};
	bool lock_held = true;
	long r = 0;
	int ok;

	/* The secure world holds the message. */
	story_fill(dk_sim_cpu_ptr(env->soc, MSG_AT), MSG_LEN, 5);
	dk_sim_poke(dk_sim_dram_ptr(env->soc, MSG_AT),
		    dk_sim_cpu_ptr(env->soc, MSG_AT), MSG_LEN);
	rd.regs = ioremap(TZDMA_AT, 0x1000);
	rd.dst = dma_alloc_coherent(rd.engine, MSG_LEN, &rd.dst_dma,
				    GFP_KERNEL);
	if (!rd.regs || !rd.dst) {
		r = -ENOMEM;
		goto out;
	}
	if (env->fixed)
		r = ask_secure_world(env);
	else
		story_say(env, "the driver reads the message in secure memory at 0x%llx from the normal world",
			  MSG_AT);
	if (r)
		goto out;
	ok = read_three_ways(env, &rd);
	if (env->fixed) {
		r = dk_smc(env->soc, DK_SMC_TZASC_REGION, 2, TEE_SECURE,
			   TEE_SIZE, DK_TZASC_ATTR_EN | DK_TZASC_ATTR_NS);
		lock_held = r == -EPERM;
		story_say(env, "after the lock, an SMC asking for all of secure memory: %s",
			  lock_held ? dk_last_error() : "ACCEPTED");
		r = 0;
	}
	env->data_ok = ok == 3 && lock_held;
	snprintf(env->note, sizeof(env->note), "%s",
		 ok == 3 ? "message read by CPU, gasket master and aware engine from the world-shared page; the lock held" :
		 !ok ? "every normal-world access to secure memory refused; nothing leaked" :
		       "some accesses got the message, some were refused");
out:
	if (rd.dst)
		dma_free_coherent(rd.engine, MSG_LEN, rd.dst, rd.dst_dma);
	if (rd.regs)
		iounmap(rd.regs);
	return (int)r;
}

const struct story story_asking_for_a_friend = {
	.name = "asking-for-a-friend",
	.title = "Asking for a friend",
	.from = &story_talk_fatoum,
	.slide = "Asking for a friend",
	.bug = "a normal-world driver reads secure memory: with the CPU, through a master behind a non-secure gasket, and through a TrustZone-aware engine's normal-world bank",
	.fix = "it asks the secure world (SMC), which makes the page world-shared in the TZASC and boot-locks it; later requests are refused",
	.bug_code =
		"/* normal world, secure memory */\n"
		"cpu_read(msg, buf, len);\n"
		"h = dma_map_single(client, va, len,\n"
		"\tDMA_TO_DEVICE);\n"
		"dma_read(client, h, buf, len);\n"
		"engine_copy(ns_bank, h2, dst, len);\n",
	.fix_code =
		"/* the secure world shares the page */\n"
		"smc(TZASC_REGION, 1, msg, SZ_4K, EN | NS);\n"
		"smc(TZASC_LOCK);\n"
		"/* then the same reads */\n"
		"cpu_read(msg, buf, len);\n"
		"dma_read(client, h, buf, len);\n"
		"engine_copy(ns_bank, h2, dst, len);\n",
	.patch_tree = patch_tree,
	.run = run,
};
