// SPDX-License-Identifier: MIT
/*
 * Talk 000, "Flunking the Self-Test", second half: after the crypto
 * engine was found coherent, dma-coherent went into the SoC's tree not
 * on the engine but SoC-wide, on the bus node every master inherits it
 * from. The eMMC controller does not snoop: with no cache maintenance
 * done for it any more, the bootloader reads stale cache lines instead of
 * the other slot's image and the eMMC gets stale bytes for the boot
 * state it writes back, and A/B boot broke. barebox's fix rewrites the
 * property per device when it hands the tree on.
 */
#include <errno.h>
#include <string.h>

#include "story.h"

#define EMMC "/soc/mmc@101b0000"
#define CRYPTO "/soc/crypto@10120000"
#define BLK 512
#define NBLK 4

static int patch_tree(void *fdt, size_t cap, bool fixed)
{
	(void)cap;
	/* The silicon: the eMMC host does not snoop, whatever the tree says. */
	if (story_set_prop(fdt, EMMC, "dmakit,hw-noncoherent", NULL, 0))
		return -1;
	if (!fixed)
		return story_set_prop(fdt, "/soc", "dma-coherent", NULL, 0);
	/* The firmware's rewrite: the property where the silicon has it. */
	return story_set_prop(fdt, CRYPTO, "dma-coherent", NULL, 0);
}

/* The eMMC host reads NBLK blocks of slot B, then writes one block. */
static int boot_slot_b(struct story_env *env, size_t *bad_in, bool *bad_out)
{
	struct device *dev = story_dev(env, EMMC);
	struct dk_simdev *sd = story_simdev(env, EMMC);
	u8 *img = kzalloc(NBLK * BLK, GFP_KERNEL), *state = kmalloc(BLK, GFP_KERNEL);
	u8 blk[BLK];
	dma_addr_t h;
	int i, r = -ENOMEM;

	if (!img || !state)
		goto out;
	h = dma_map_single(dev, img, NBLK * BLK, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, h))
		goto out;
	r = -EIO;
	for (i = 0; i < NBLK; i++) {
		story_fill(blk, BLK, 70 + i);
		if (dk_dev_dma_write(sd, h + i * BLK, blk, BLK))
			goto out;
	}
	dma_unmap_single(dev, h, NBLK * BLK, DMA_FROM_DEVICE);
	for (i = 0; i < NBLK; i++)
		*bad_in += story_diff(img + i * BLK, BLK, 70 + i);
	/* The boot counter block, written back for the next attempt. */
	story_fill(state, BLK, 80);
	h = dma_map_single(dev, state, BLK, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, h)) {
		r = -ENOMEM;
		goto out;
	}
	if (dk_dev_dma_read(sd, h, blk, BLK))
		goto out;
	dma_unmap_single(dev, h, BLK, DMA_TO_DEVICE);
	*bad_out = !story_check(blk, BLK, 80);
	r = 0;
out:
	kfree(img);
	kfree(state);
	return r;
}

static int run(struct story_env *env)
{
	struct device *emmc = story_dev(env, EMMC);
	struct device *crypto = story_dev(env, CRYPTO);
	size_t bad_in = 0;
	bool bad_out = false;
	int r;

	story_say(env, "the tree calls the eMMC host %s and the crypto engine %s",
		  dev_is_dma_coherent(emmc) ? "dma-coherent" : "non-coherent",
		  dev_is_dma_coherent(crypto) ? "dma-coherent" : "non-coherent");
	r = boot_slot_b(env, &bad_in, &bad_out);
	if (r)
		return r;
	story_say(env, "slot B's image: %zu of %d bytes wrong; the boot state the eMMC got: %s",
		  bad_in, NBLK * BLK, bad_out ? "stale" : "right");
	/* The first half's fix must stand: the engine is still coherent. */
	env->data_ok = !bad_in && !bad_out && dev_is_dma_coherent(crypto);
	snprintf(env->note, sizeof(env->note),
		 "slot B image %zu of %d bytes wrong, boot state %s, crypto engine %s",
		 bad_in, NBLK * BLK, bad_out ? "stale on the eMMC" : "written",
		 dev_is_dma_coherent(crypto) ? "coherent" : "not coherent");
	return 0;
}

const struct story story_flunking_soc_wide = {
	.name = "flunking-the-self-test-ab",
	.title = "Flunking the Self-Test (dma-coherent SoC-wide broke A/B boot)",
	.from = &story_talk_fatoum,
	.slide = "Flunking the Self-Test",
	.bug = "dma-coherent is applied SoC-wide: the non-snooping eMMC host gets no cache maintenance, the other boot slot's image is read from stale lines",
	.fix = "the firmware rewrites dma-coherent per device: on the crypto engine, not on the eMMC host",
	.bug_code =
		"soc {\n"
		"\tdma-coherent;\t/* every master */\n"
		"\tcrypto@... { };\n"
		"\tmmc@... { };\t/* does not snoop */\n"
		"};\n",
	.fix_code =
		"soc {\n"
		"\tcrypto@... { dma-coherent; };\n"
		"\tmmc@... { };\n"
		"};\n",
	.patch_tree = patch_tree,
	.run = run,
};
