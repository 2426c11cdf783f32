// SPDX-License-Identifier: MIT
/*
 * The Q&A thread "Mapping device memory for Linux 2.6.30 DMA API": a
 * driver wants a dmaengine memcpy from kmalloc memory into the SoC's
 * on-chip SRAM, and finds no DMA-API address for the SRAM: ioremap() and
 * fixed mappings give a virtual address that virt_to_bus() (and
 * dma_map_single()) cannot use, since SRAM is not RAM. The API's answer
 * is dma_declare_coherent_memory() on the memory: the SRAM becomes the
 * device's coherent pool, and dma_alloc_coherent() hands out a CPU
 * pointer and a device address for it.
 */
#include <errno.h>
#include <string.h>

#include <libfdt.h>

#include <dmakit/dma-legacy.h>
#include <dmakit/dmaengine.h>
#include <dmakit/io.h>

#include "story.h"

#define ENGINE "dma@10000000"
#define USER "master@10010000"
#define SRAM 0x00300000ULL
#define SRAM_SIZE 0x10000ULL
#define LEN 4096

static int patch(void *fdt, size_t cap, bool fixed)
{
	fdt32_t reg[4] = { 0, cpu_to_fdt32((u32)SRAM), 0,
			   cpu_to_fdt32((u32)SRAM_SIZE) };
	int soc = fdt_path_offset(fdt, "/soc"), node;

	(void)cap;
	(void)fixed;
	node = soc < 0 ? soc : fdt_add_subnode(fdt, soc, "sram@300000");
	return node < 0 ||
	       fdt_setprop_string(fdt, node, "compatible", "mmio-sram") ||
	       fdt_setprop(fdt, node, "reg", reg, sizeof(reg)) ? -1 : 0;
}

/* The engine copies @len bytes from @s to @d: 0 or -EIO. */
static int engine_copy(struct story_env *env, struct dma_chan *c,
		       dma_addr_t d, dma_addr_t s)
{
	struct dma_async_tx_descriptor *tx =
		dmaengine_prep_dma_memcpy(c, d, s, LEN, DMA_PREP_INTERRUPT);
	dma_cookie_t ck;

	if (!tx)
		return -EIO;
	ck = dmaengine_submit(tx);
	dma_async_issue_pending(c);
	dk_soc_run(env->soc, 0);
	return dma_async_is_tx_complete(c, ck, NULL, NULL) == DMA_COMPLETE ?
		       0 : -EIO;
}

static int run(struct story_env *env)
{
	struct device *user = story_dev(env, USER), *eng;
	struct dma_chan *c;
	u8 *src, *sram = NULL, got[LEN];
	void __iomem *io = NULL;
	dma_addr_t s, d;
	int r;

	r = driver_register(&dk_m2m_dma_driver);
	if (r)
		return r;
	c = dma_request_chan(user, ENGINE);
	if (IS_ERR(c))
		return PTR_ERR(c);
	eng = c->device->dev;
	src = kmalloc(LEN, GFP_KERNEL);
	if (!src)
		return -ENOMEM;
	story_fill(src, LEN, 150);
	s = dma_map_single(eng, src, LEN, DMA_TO_DEVICE);
	if (dma_mapping_error(eng, s))
		return -ENOMEM;
	if (env->fixed) {
		r = dma_declare_coherent_memory(eng, SRAM, SRAM, SRAM_SIZE);
		sram = r ? NULL : dma_alloc_coherent(eng, LEN, &d, GFP_KERNEL);
		if (!sram)
			return r ? r : -ENOMEM;
	} else {
		io = ioremap(SRAM, LEN);
		d = virt_to_bus((const void *)io);	/* not RAM: 0 */
	}
	story_say(env, "the engine copies to device address 0x%llx", (unsigned long long)d);
	r = engine_copy(env, c, d, s);
	dma_unmap_single(eng, s, LEN, DMA_TO_DEVICE);
	if (env->fixed)
		memcpy(got, sram, LEN);
	else
		memcpy_fromio(got, io, LEN);
	env->data_ok = !r && story_check(got, LEN, 150);
	snprintf(env->note, sizeof(env->note),
		 "copy into SRAM %s; %zu of %d bytes in SRAM wrong",
		 r ? "failed" : "completed", story_diff(got, LEN, 150), LEN);
	if (env->fixed) {
		dma_free_coherent(eng, LEN, sram, d);
		dma_release_coherent_memory(eng);
	} else {
		iounmap(io);
	}
	kfree(src);
	dma_release_channel(c);
	driver_unregister(&dk_m2m_dma_driver);
	return 0;
}

const struct story story_qa_sram_dma = {
	.name = "qa-sram-dma",
	.title = "dmaengine memcpy into on-chip SRAM",
	.from = &story_thread_sram_dma,
	.slide = "I have the user space and physical addresses, but no kernel-space DMA API friendly mapping",
	.bug = "ioremap()s the SRAM and takes virt_to_bus() of that: not RAM, so no device address; the engine copies to nowhere",
	.fix = "dma_declare_coherent_memory() on the SRAM, then dma_alloc_coherent() from it: a CPU pointer and a device address",
	.bug_code =
		"sram = ioremap(SRAM_BASE, len);\n"
		"d = virt_to_bus(sram);\n"
		"tx = dmaengine_prep_dma_memcpy(c, d, s,\n"
		"\t\t\t       len, 0);\n",
	.fix_code =
		"dma_declare_coherent_memory(dev,\n"
		"\tSRAM_BASE, SRAM_BASE, SRAM_SIZE);\n"
		"sram = dma_alloc_coherent(dev, len, &d,\n"
		"\t\t\t  GFP_KERNEL);\n"
		"tx = dmaengine_prep_dma_memcpy(c, d, s,\n"
		"\t\t\t       len, 0);\n",
	.patch_tree = patch,
	.run = run,
};
