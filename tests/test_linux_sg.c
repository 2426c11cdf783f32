// SPDX-License-Identifier: MIT
/*
 * tests/linux/rxsg.c, a <linux/...>-only receive path over an sg table
 * with int loop counters (it fails to build with -Wextra -Werror if
 * for_each_sgtable_*() compare an int with the table's unsigned count),
 * moves exact bytes into three separate buffers.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/error.h>
#include <dmakit/scatterlist.h>
#include <dmakit/sim_device.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "linux/rxsg.h"
#include "testsoc.h"

TEST(linux_sg_receive_into_three_buffers)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "master@10010000");
	struct dk_simdev *hw = dk_soc_find_dev(t.soc, "master@10010000");
	FILE *sink = testdebug_start();
	static const size_t size[3] = { 512, 4096, 100 };
	struct sg_table sgt;
	u64 addr[3];
	u32 len[3];
	u8 *buf[3], want[4096], ring[48];
	int i, j;

	CHECK_EQ(dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64)), 0);
	CHECK_EQ(sg_alloc_table(&sgt, 3, GFP_KERNEL), 0);
	for (i = 0; i < 3; i++) {
		buf[i] = kzalloc(size[i], GFP_KERNEL);
		sg_set_buf(&sgt.sgl[i], buf[i], size[i]);
	}
	CHECK_EQ(rxsg_start(dev, &sgt, addr, len, 0), -EINVAL);
	/* Three separate kmalloc objects: three segments, in order. */
	CHECK_EQ(rxsg_start(dev, &sgt, addr, len, 3), 3);
	for (i = 0; i < 3; i++) {
		CHECK_EQ(len[i], size[i]);
		for (j = 0; j < (int)size[i]; j++)
			want[j] = (u8)(i * 64 + j * 7);
		CHECK_EQ(dk_dev_dma_write(hw, addr[i], want, size[i]), 0);
	}
	/* The descriptors, byte by byte as the device reads them. */
	rxsg_describe(ring, addr, len, 3);
	for (i = 0; i < 3; i++) {
		u8 d[16];

		for (j = 0; j < 8; j++)
			d[j] = (u8)(addr[i] >> (8 * j));
		for (j = 0; j < 4; j++)
			d[8 + j] = (u8)(size[i] >> (8 * j));
		d[12] = 0x52;
		d[13] = 0x58;
		d[14] = 0;
		d[15] = (u8)i;
		CHECK_MEM(ring + 16 * i, d, 16);
	}
	CHECK_EQ(rxsg_finish(dev, &sgt), 512 + 4096 + 100);
	for (i = 0; i < 3; i++) {
		for (j = 0; j < (int)size[i]; j++)
			want[j] = (u8)(i * 64 + j * 7);
		CHECK_MEM(buf[i], want, size[i]);
		kfree(buf[i]);
	}
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	sg_free_table(&sgt);
	testdebug_end(sink);
	testmachine_shutdown(&t);
}

/* A stack buffer in an sg entry: said where the entry is made (as Linux's
 * CONFIG_DEBUG_SG does), and dma_map_sg() names the cause, not "page
 * (nil) + 0x500 is not RAM". */
TEST(linux_sg_stack_buffer_is_named_where_it_is_set)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "master@10010000");
	char stackbuf[64], log[512] = "";
	FILE *f = tmpfile();
	struct scatterlist sg;

	dk_log_set_output(f);
	sg_init_one(&sg, stackbuf, sizeof(stackbuf));
	dk_log_set_output(NULL);
	rewind(f);
	CHECK(fgets(log, sizeof(log), f) != NULL);
	fclose(f);
	CHECK_STR(log, "BUG: sg_set_buf(0x");
	CHECK_STR(log, ", 64): not linear-map memory (a stack, static, vmalloc or malloc buffer?)");
	CHECK_EQ(dma_map_sg(dev, &sg, 1, DMA_TO_DEVICE), 0);
	CHECK_STR(dk_last_error(), "dma_map_page: NULL page (an sg entry set by sg_set_buf() from memory outside the linear map has none)");
	testmachine_shutdown(&t);
}

/* A driver's u64/s64 printed as the kernel prints them, with -Wformat. */
TEST(linux_u64_prints_with_the_kernels_formats)
{
	char buf[64];

	CHECK_EQ(rxsg_format(buf, sizeof(buf), 0x80001000ULL, -64), 28);
	CHECK_STR(buf, "seg at 0x80001000, -64 bytes");
}
