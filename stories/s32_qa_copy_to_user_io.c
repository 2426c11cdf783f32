// SPDX-License-Identifier: MIT
/*
 * The Q&A thread "Can copy_to_user be used for IO memory?": a debugging
 * ioctl fills a user buffer with the device's registers. copy_to_user()
 * straight from the ioremap() window is a plain copy, fine for
 * prefetchable memory only: it may read the same bytes several times and
 * in any order. The registers here are an SPI controller's, whose RX FIFO
 * register pops a byte on every read: the dump shows the wrong FIFO byte
 * and level, and the driver loses a received byte. memcpy_fromio() into a
 * kernel buffer reads each register once, in order; copy_to_user() then
 * copies plain memory.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/io.h>
#include <dmakit/mm.h>
#include <dmakit/models/spi.h>

#include "story.h"

#define SPI "spi@10190000"
#define DUMP DK_SPI_REG_SIZE

static int run(struct story_env *env)
{
	u8 __iomem *regs = ioremap(0x10190000, 0x1000);
	u8 *u = dk_user_mmap_anon(PAGE_SIZE), k[DUMP];
	u32 fifo, level, rest[4];
	int i, r = 0;

	if (!regs || !u)
		return -ENOMEM;
	/* Five bytes wait in the RX FIFO: 0xff, then the flash's ID. */
	writel(DK_SPI_CS_NOR | DK_SPI_CS_ACTIVE, regs + DK_SPI_REG_CS);
	writel(5, regs + DK_SPI_REG_LEN);
	writel(DK_SPI_NOR_RDID, regs + DK_SPI_REG_TXFIFO);
	for (i = 0; i < 4; i++)
		writel(0, regs + DK_SPI_REG_TXFIFO);
	writel(DK_SPI_CTRL_START | DK_SPI_CTRL_TX_EN | DK_SPI_CTRL_RX_EN,
	       regs + DK_SPI_REG_CTRL);
	while (readl(regs + DK_SPI_REG_STATUS) & DK_SPI_ST_BUSY)
		;
	/* The debugging ioctl. */
	if (env->fixed) {
		memcpy_fromio(k, regs, DUMP);
		r = copy_to_user(u, k, DUMP) ? -EFAULT : 0;
	} else {
		r = copy_to_user(u, regs, DUMP) ? -EFAULT : 0;
	}
	if (r)
		return r;
	memcpy(&fifo, u + DK_SPI_REG_RXFIFO, 4);
	memcpy(&level, u + DK_SPI_REG_LEVEL, 4);
	/* The driver goes on: the flash ID must still be in the FIFO. */
	for (i = 0; i < 4; i++)
		rest[i] = readl(regs + DK_SPI_REG_RXFIFO);
	story_say(env, "the dump shows RXFIFO 0x%02x and LEVEL %u; the FIFO then gives %02x %02x %02x %02x",
		  fifo, level, rest[0], rest[1], rest[2], rest[3]);
	env->data_ok = fifo == 0xff && level == 4 && rest[0] == DK_SPI_NOR_JEDEC0 &&
		       rest[1] == DK_SPI_NOR_JEDEC1 &&
		       rest[2] == DK_SPI_NOR_JEDEC2 && rest[3] == 0xff;
	snprintf(env->note, sizeof(env->note),
		 "dump: RXFIFO 0x%02x (want 0xff), LEVEL %u (want 4); the flash ID the driver reads next: %02x %02x %02x (want %02x %02x %02x)",
		 fifo, level, rest[0], rest[1], rest[2], DK_SPI_NOR_JEDEC0,
		 DK_SPI_NOR_JEDEC1, DK_SPI_NOR_JEDEC2);
	writel(0, regs + DK_SPI_REG_CS);
	iounmap(regs);
	dk_user_munmap(u);
	return 0;
}

const struct story story_qa_copy_to_user_io = {
	.name = "qa-copy-to-user-mmio",
	.title = "copy_to_user() from device registers",
	.from = &story_thread_copy_to_user_io,
	.slide = "Is it safe to use copy_to_user() / copy_from_user() for device memory?",
	.bug = "copy_to_user() straight from the register window: a plain copy reads the FIFO register twice and out of order",
	.fix = "memcpy_fromio() into a kernel buffer, then copy_to_user() from it",
	.bug_code =
		"if (copy_to_user(ubuf, regs, len))\n"
		"\treturn -EFAULT;\n",
	.fix_code =
		"memcpy_fromio(kbuf, regs, len);\n"
		"if (copy_to_user(ubuf, kbuf, len))\n"
		"\treturn -EFAULT;\n",
	.run = run,
};
