// SPDX-License-Identifier: MIT
/*
 * Talk 000, "Flunking the Self-Test": a SoC crypto engine's driver queues
 * a few known jobs at probe and checks the result ring; every now and then
 * the results do not match the jobs and the kernel panics. The engine is
 * cache coherent and its writes allocate in the CPU cache, but the device
 * tree does not say dma-coherent, so the DMA layer does non-coherent
 * maintenance: unmapping the result ring invalidates the very lines the
 * engine's results are in. The fix is in the tree: dma-coherent.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/models/crypto.h>

#include "story.h"

#define NODE		"/soc/crypto@10120000"
#define RING		8		/* entries in each ring */
#define NJOBS		4
#define LEN		256
#define TAG(i)		(0x5e1f0000u + (i))

struct crypto_dev {
	struct device *dev;
	struct dk_simdev *sd;
	struct dk_soc *soc;
	u8 *jr;				/* job ring, coherent */
	dma_addr_t jr_dma;
	u8 *rr;				/* result ring, streaming */
	dma_addr_t rr_dma;
	u8 *in[NJOBS], *out[NJOBS];
	dma_addr_t in_dma[NJOBS], out_dma[NJOBS];
	u32 status;
	bool up;
};

static struct crypto_dev cd;

static u32 crypto_readl(u32 reg)
{
	return dk_dev_mmio_read32(cd.sd, reg);
}

static void crypto_writel(u32 reg, u32 val)
{
	story_writel(cd.sd, reg, val);
}

static void crypto_irq(int irq, void *arg)
{
	u32 st = crypto_readl(DK_CRYPTO_STATUS);

	(void)irq;
	(void)arg;
	crypto_writel(DK_CRYPTO_STATUS, st);
	cd.status |= st;
}

static void put_job(unsigned int i, const struct dk_crypto_job *j)
{
	memcpy(cd.jr + i * DK_CRYPTO_ENTRY_SIZE, j, sizeof(*j));
}

/* What the engine must produce for job @i, computed by the CPU. */
static void expect(unsigned int i, const struct dk_crypto_job *j, u8 *out)
{
	unsigned int k;

	for (k = 0; k < LEN; k++) {
		u8 key = j->key >> (8 * (k % 4));

		out[k] = j->op == DK_CRYPTO_OP_XOR ? cd.in[i][k] ^ key :
						     cd.in[i][k] + key;
	}
}

static int map_buffers(struct device *dev)
{
	unsigned int i;

	for (i = 0; i < NJOBS; i++) {
		cd.in[i] = kmalloc(LEN, GFP_KERNEL);
		cd.out[i] = kzalloc(LEN, GFP_KERNEL);
		if (!cd.in[i] || !cd.out[i])
			return -ENOMEM;
		story_fill(cd.in[i], LEN, 30 + i);
		cd.in_dma[i] = dma_map_single(dev, cd.in[i], LEN, DMA_TO_DEVICE);
		if (dma_mapping_error(dev, cd.in_dma[i]))
			return -ENOMEM;
		cd.out_dma[i] = dma_map_single(dev, cd.out[i], LEN,
					       DMA_FROM_DEVICE);
		if (dma_mapping_error(dev, cd.out_dma[i])) {
			dma_unmap_single(dev, cd.in_dma[i], LEN, DMA_TO_DEVICE);
			return -ENOMEM;
		}
	}
	return 0;
}

static void unmap_buffers(struct device *dev)
{
	unsigned int i;

	for (i = 0; i < NJOBS && cd.out_dma[i]; i++) {
		dma_unmap_single(dev, cd.in_dma[i], LEN, DMA_TO_DEVICE);
		dma_unmap_single(dev, cd.out_dma[i], LEN, DMA_FROM_DEVICE);
		cd.out_dma[i] = 0;
	}
}

static void free_buffers(void)
{
	unsigned int i;

	for (i = 0; i < NJOBS; i++) {
		kfree(cd.in[i]);
		kfree(cd.out[i]);
	}
}

static int crypto_probe(struct device *dev)
{
	int r;

	cd.dev = dev;
	cd.jr = dma_alloc_coherent(dev, RING * DK_CRYPTO_ENTRY_SIZE,
				   &cd.jr_dma, GFP_KERNEL);
	if (!cd.jr)
		return -ENOMEM;
	cd.rr = kzalloc(RING * DK_CRYPTO_ENTRY_SIZE, GFP_KERNEL);
	r = cd.rr ? map_buffers(dev) : -ENOMEM;
	if (!r) {
		cd.rr_dma = dma_map_single(dev, cd.rr,
					   RING * DK_CRYPTO_ENTRY_SIZE,
					   DMA_FROM_DEVICE);
		if (dma_mapping_error(dev, cd.rr_dma))
			r = -ENOMEM;
	}
	if (!r && dk_soc_request_irq(cd.soc, dev->irq, crypto_irq, NULL)) {
		dma_unmap_single(dev, cd.rr_dma, RING * DK_CRYPTO_ENTRY_SIZE,
				 DMA_FROM_DEVICE);
		r = -EBUSY;
	}
	if (r) {
		unmap_buffers(dev);
		free_buffers();
		kfree(cd.rr);
		dma_free_coherent(dev, RING * DK_CRYPTO_ENTRY_SIZE, cd.jr,
				  cd.jr_dma);
		return r;
	}
	crypto_writel(DK_CRYPTO_JR_LO, (u32)cd.jr_dma);
	crypto_writel(DK_CRYPTO_JR_HI, cd.jr_dma >> 32);
	crypto_writel(DK_CRYPTO_JR_SIZE, RING);
	crypto_writel(DK_CRYPTO_RR_LO, (u32)cd.rr_dma);
	crypto_writel(DK_CRYPTO_RR_HI, cd.rr_dma >> 32);
	crypto_writel(DK_CRYPTO_RR_SIZE, RING);
	crypto_writel(DK_CRYPTO_CTRL, DK_CRYPTO_CTRL_ENABLE |
			      DK_CRYPTO_CTRL_IRQEN);
	cd.up = true;
	return 0;
}

static void crypto_remove(struct device *dev)
{
	crypto_writel(DK_CRYPTO_CTRL, 0);
	dk_soc_free_irq(cd.soc, dev->irq);
	unmap_buffers(dev);
	free_buffers();
	if (cd.rr_dma)
		dma_unmap_single(dev, cd.rr_dma, RING * DK_CRYPTO_ENTRY_SIZE,
				 DMA_FROM_DEVICE);
	kfree(cd.rr);
	dma_free_coherent(dev, RING * DK_CRYPTO_ENTRY_SIZE, cd.jr, cd.jr_dma);
}

/* Compare result @i with job @j; 0 or the number of fields that differ. */
static int check_result(struct story_env *env, unsigned int i,
			const struct dk_crypto_job *j)
{
	struct dk_crypto_result res;
	u8 want[LEN];
	int bad = 0;

	memcpy(&res, cd.rr + i * DK_CRYPTO_ENTRY_SIZE, sizeof(res));
	expect(i, j, want);
	bad += res.tag != j->tag;
	bad += res.status != DK_CRYPTO_RES_OK;
	bad += res.src != j->src || res.dst != j->dst || res.len != j->len;
	bad += res.sum != dk_crypto_fnv1a(want, LEN);
	bad += memcmp(cd.out[i], want, LEN) != 0;
	if (bad && !i)
		story_say(env, "result 0: tag %08x (queued %08x), src 0x%llx (queued 0x%llx), output %s",
			  res.tag, j->tag, (unsigned long long)res.src,
			  (unsigned long long)j->src,
			  memcmp(cd.out[i], want, LEN) ? "wrong" : "right");
	return bad;
}

/* The start-up self test: queue known jobs, match the results. */
static int self_test(struct story_env *env, int *failed)
{
	struct dk_crypto_job jobs[NJOBS];
	unsigned int i, n;

	for (i = 0; i < NJOBS; i++) {
		jobs[i] = (struct dk_crypto_job){
			.src = cd.in_dma[i], .dst = cd.out_dma[i], .len = LEN,
			.op = i % 2 ? DK_CRYPTO_OP_ADD : DK_CRYPTO_OP_XOR,
			.key = 0xa5c3e1f0u ^ i, .tag = TAG(i),
		};
		put_job(i, &jobs[i]);
	}
	cd.status = 0;
	crypto_writel(DK_CRYPTO_JR_TAIL, NJOBS);
	dk_soc_run(cd.soc, 0);
	n = crypto_readl(DK_CRYPTO_RR_HEAD);
	/* The engine is done with everything: the CPU takes it all back. */
	dma_unmap_single(cd.dev, cd.rr_dma, RING * DK_CRYPTO_ENTRY_SIZE,
			 DMA_FROM_DEVICE);
	cd.rr_dma = 0;
	unmap_buffers(cd.dev);
	story_say(env, "the engine reports %u of %d results written%s", n,
		  NJOBS, cd.status & DK_CRYPTO_ST_DONE ? ", DONE" : "");
	*failed = n != NJOBS;
	for (i = 0; i < n && i < NJOBS; i++)
		*failed += check_result(env, i, &jobs[i]) != 0;
	crypto_writel(DK_CRYPTO_RR_TAIL, n);
	return 0;
}

static const struct of_device_id crypto_ids[] = {
	{ .compatible = "dmakit,crypto" },
	{ }
};

/* The fix, in the firmware: say what the silicon does. */
static int patch_tree(void *fdt, size_t cap, bool fixed)
{
	(void)cap;
	return fixed ? story_set_prop(fdt, NODE, "dma-coherent", NULL, 0) : 0;
}

static int run(struct story_env *env)
{
	struct device_driver drv = { .name = "dk-crypto",
				     .of_match_table = crypto_ids,
				     .probe = crypto_probe,
				     .remove = crypto_remove };
	int r, failed = 0;

	memset(&cd, 0, sizeof(cd));
	cd.sd = story_simdev(env, NODE);
	cd.soc = env->soc;
	if (!cd.sd)
		return -ENODEV;
	r = driver_register(&drv);
	if (r || !cd.up) {
		driver_unregister(&drv);
		return r ? r : -ENODEV;
	}
	story_say(env, "the tree says %s; the engine snoops and its writes allocate in the CPU cache",
		  dev_is_dma_coherent(cd.dev) ? "dma-coherent" :
						"nothing: non-coherent");
	r = self_test(env, &failed);
	if (dk_dma_debug_count(DK_CHK_COHERENCE_MISMATCH))
		story_say(env, "the checker saw the engine snoop while the tree calls it non-coherent");
	story_say(env, "self test %s", failed ?
		  "FAILED: results do not match the queued jobs (the kernel panics here)" :
		  "passed");
	driver_unregister(&drv);
	env->data_ok = !r && !failed;
	snprintf(env->note, sizeof(env->note), "%d of %d self-test jobs %s",
		 failed ? failed : NJOBS, NJOBS, failed ? "failed" : "passed");
	return r;
}

const struct story story_flunking_the_self_test = {
	.name = "flunking-the-self-test",
	.title = "Flunking the Self-Test",
	.from = &story_talk_fatoum,
	.slide = "Flunking the Self-Test",
	.bug = "the tree omits dma-coherent for a coherent, write-allocating engine: unmapping the result ring invalidates the results",
	.fix = "the tree says dma-coherent, so the DMA layer does no cache maintenance for the engine",
	.bug_code =
		"engine@... {\n"
		"\t/* coherent hardware, but no\n"
		"\t * dma-coherent: the unmap's\n"
		"\t * invalidate drops its results */\n"
		"};\n",
	.fix_code =
		"engine@... {\n"
		"\tdma-coherent;\n"
		"\t/* no cache maintenance: the\n"
		"\t * results stay */\n"
		"};\n",
	.patch_tree = patch_tree,
	.run = run,
};
