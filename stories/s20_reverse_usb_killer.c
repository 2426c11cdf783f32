// SPDX-License-Identifier: MIT
/*
 * Talk 000, "Reverse USB-Killer": a USB gadget driver that worked on other
 * SoCs crashed in its receive path on a new one. The code was the
 * kernel's: memcpy() to and from memory from dma_alloc_coherent(), at a
 * 4-byte aligned address. barebox maps coherent memory strongly ordered,
 * and an optimized memcpy() moves 8 or 16 bytes per access with the
 * unaligned ends handled in hardware, which only bufferable (Normal)
 * memory allows: strongly-ordered memory raises an alignment fault. The
 * fix: memcpy_fromio()/memcpy_toio(), which access such memory only with
 * naturally aligned accesses.
 *
 * dma_alloc_coherent() on this non-coherent SoC returns an uncached alias;
 * the story maps it strongly ordered, as barebox does (the built-in SoC
 * maps it Normal non-cacheable, as arm64 Linux does). Where the
 * host CPU can enforce the alignment rule (x86-64, dk_so_run()), both
 * drivers run for real: the C library's memcpy() faults at its first
 * unaligned wide access to the buffer and the report is the oops. Where
 * it cannot (Valgrind, other architectures), the buggy memcpy() is
 * replayed as the accesses an optimized arm64 memcpy() makes, each checked
 * against the rule, and the note says so.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/align_fault.h>
#include <dmakit/error.h>
#include <dmakit/io.h>

#include "story.h"

#define UDC "udc@101c0000"
#define CBW_AT 0x44		/* 4-byte aligned, not 8: where the TRB put it */
#define CBW_LEN 31		/* a mass-storage command block */
#define CSW_AT 0x84
#define CSW_LEN 13		/* the status reply */

struct cpu {
	struct story_env *env;
	u8 *so_lo, *so_hi;	/* the strongly-ordered mapping */
	bool executed;		/* by the host CPU, else replayed */
	bool aborted;
};

/* One load or store of @width bytes at @p, as the CPU's MMU judges it. */
static bool access_ok(struct cpu *c, const u8 *p, unsigned int width,
		      bool store)
{
	if (p < c->so_lo || p >= c->so_hi || !((uintptr_t)p % width))
		return true;
	c->aborted = true;
	story_say(c->env, "Data abort: alignment fault, %u-byte %s at offset 0x%lx of strongly-ordered memory",
		  width, store ? "store" : "load",
		  (unsigned long)(p - c->so_lo));
	return false;
}

/* A load and a store of the @w bytes at @off, through the MMU's check. */
static bool move(struct cpu *c, u8 *dst, const u8 *src, size_t off,
		 unsigned int w)
{
	return access_ok(c, src + off, w, false) &&
	       access_ok(c, dst + off, w, true);
}

/*
 * The accesses of an optimized arm64 memcpy(): above 16 bytes, the first
 * and the last 16 as pairs of unaligned 8-byte accesses (LDP/STP), the
 * middle in 16-byte pairs from the first 16-byte boundary of the
 * destination; up to 16 bytes, one access of 8, 4, 2 or 1 bytes at each
 * end, overlapping in the middle. Unaligned ends are the point: on Normal
 * memory the hardware handles them.
 */
static bool memcpy_arm64(struct cpu *c, u8 *dst, const u8 *src, size_t n)
{
	unsigned int w = n >= 8 ? 8 : n >= 4 ? 4 : n >= 2 ? 2 : 1;
	size_t off;

	if (!n)
		return true;
	if (n <= 16) {
		if (!move(c, dst, src, 0, w) || !move(c, dst, src, n - w, w))
			return false;
	} else {
		if (!move(c, dst, src, 0, 8) || !move(c, dst, src, 8, 8))
			return false;
		for (off = 16 - ((uintptr_t)dst & 15); off + 16 < n; off += 16)
			if (!move(c, dst, src, off, 8) ||
			    !move(c, dst, src, off + 8, 8))
				return false;
		if (!move(c, dst, src, n - 16, 8) ||
		    !move(c, dst, src, n - 8, 8))
			return false;
	}
	memcpy(dst, src, n);
	return true;
}

/* One copy the driver makes, run on the CPU under the alignment rule. */
struct xfer {
	u8 *dst;
	const u8 *src;
	size_t n;
	bool done;	/* after the copy: no tail call, so the driver's
			 * frame stays in the fault's call trace */
};

static void copy_plain(void *arg)
{
	struct xfer *x = arg;

	memcpy(x->dst, x->src, x->n);
	x->done = true;
}

static void copy_fromio(void *arg)
{
	struct xfer *x = arg;

	memcpy_fromio(x->dst, x->src, x->n);
	x->done = true;
}

static void copy_toio(void *arg)
{
	struct xfer *x = arg;

	memcpy_toio(x->dst, x->src, x->n);
	x->done = true;
}

/*
 * Copy @n bytes from @src to @dst, one of them in the coherent buffer:
 * with memcpy_fromio()/memcpy_toio() when @fixed, else memcpy(). Executed
 * by the CPU where it enforces the rule, else replayed. False: the CPU
 * took the alignment fault.
 */
static bool copy(struct cpu *c, u8 *dst, const u8 *src, size_t n, bool fixed,
		 bool to_so, int *err)
{
	void (*fn)(void *) = !fixed ? copy_plain :
			     to_so  ? copy_toio : copy_fromio;
	struct xfer x = { .dst = dst, .src = src, .n = n };
	struct dk_align_fault f;
	char oops[2048], *line, *save;
	int r;

	if (!c->executed) {
		if (!fixed)
			return memcpy_arm64(c, dst, src, n);
		fn(&x);
		return true;
	}
	r = dk_so_run(c->so_lo, c->so_hi - c->so_lo, fn, &x, &f);
	if (r < 0)
		*err = r;
	if (r != 1)
		return !r;
	c->aborted = true;
	dk_align_fault_format(&f, oops, sizeof(oops));
	for (line = strtok_r(oops, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		story_say(c->env, "%s", line);
	return false;
}

static int run(struct story_env *env)
{
	struct device *dev = story_dev(env, UDC);
	struct dk_simdev *sd = story_simdev(env, UDC);
	struct cpu c = { .env = env, .executed = dk_so_enforced() };
	u8 cbw[CBW_LEN], csw[CSW_LEN], wire[CSW_LEN], *req, *coh;
	dma_addr_t h;
	bool got = false, sent = false;
	int err = 0;

	coh = dma_alloc_coherent(dev, PAGE_SIZE, &h, GFP_KERNEL);
	req = kmalloc(CBW_LEN, GFP_KERNEL);
	if (!coh || !req)
		return -ENOMEM;
	c.so_lo = coh;
	c.so_hi = coh + PAGE_SIZE;
	story_say(env, "the gadget's coherent buffer is an uncached alias, mapped strongly ordered as barebox does");
	if (!c.executed)
		story_say(env, "replayed, not executed: %s", dk_last_error());
	/* The controller receives a command block into the buffer. */
	story_fill(cbw, CBW_LEN, 20);
	if (dk_dev_dma_write(sd, h + CBW_AT, cbw, CBW_LEN))
		return -EIO;
	story_say(env, "receive path: copy %d bytes out of coherent memory at offset 0x%x",
		  CBW_LEN, CBW_AT);
	got = copy(&c, req, coh + CBW_AT, CBW_LEN, env->fixed, false, &err);
	/* The reply goes back the same way, if the driver is still alive. */
	story_fill(csw, CSW_LEN, 21);
	if (got) {
		story_say(env, "transmit path: copy %d bytes into coherent memory at offset 0x%x",
			  CSW_LEN, CSW_AT);
		sent = copy(&c, coh + CSW_AT, csw, CSW_LEN, env->fixed, true,
			    &err);
	}
	if (err)
		return err;
	memset(wire, 0, sizeof(wire));
	if (sent && dk_dev_dma_read(sd, h + CSW_AT, wire, CSW_LEN))
		return -EIO;
	env->data_ok = got && sent && story_check(req, CBW_LEN, 20) &&
		       story_check(wire, CSW_LEN, 21);
	snprintf(env->note, sizeof(env->note), "%s%s; command %s, status %s",
		 c.aborted ? "the driver died in a data abort (alignment fault)" :
			     "no fault",
		 c.executed ? "" : " (replayed: the host CPU cannot enforce the rule)",
		 got && story_check(req, CBW_LEN, 20) ? "received" : "lost",
		 sent && story_check(wire, CSW_LEN, 21) ? "sent" : "not sent");
	dma_free_coherent(dev, PAGE_SIZE, coh, h);
	kfree(req);
	return 0;
}

const struct story story_reverse_usb_killer = {
	.name = "reverse-usb-killer",
	.title = "Reverse USB-Killer",
	.from = &story_talk_fatoum,
	.slide = "Reverse USB-Killer",
	.bug = "memcpy() to and from a strongly-ordered dma_alloc_coherent() buffer at a 4-byte aligned offset",
	.fix = "memcpy_fromio()/memcpy_toio(): only naturally aligned accesses to that memory",
	.bug_code =
		"p = dma_alloc_coherent(dev, len, &h,\n"
		"\tGFP_KERNEL);\n"
		"/* unaligned wide accesses to\n"
		" * strongly-ordered memory fault */\n"
		"memcpy(buf, p + 4, n);\n",
	.fix_code =
		"p = dma_alloc_coherent(dev, len, &h,\n"
		"\tGFP_KERNEL);\n"
		"/* naturally aligned accesses only */\n"
		"memcpy_fromio(buf, p + 4, n);\n",
	/* Both drivers on barebox's mapping of coherent memory. */
	.patch_tree = story_strongly_ordered,
	.run = run,
};
