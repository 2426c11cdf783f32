// SPDX-License-Identifier: MIT
/*
 * The NS bit in cache tags. A TrustZone CPU tags every cache line with
 * the world of the access that filled it: a secure access (NS = 0) and a
 * non-secure one (NS = 1) to the same physical address are different
 * lines, neither hits the other's. So what the secure world writes
 * through a secure mapping into memory it shares with the normal world
 * sits in a secure line the normal world never sees - it reads its own
 * line, or DRAM - until the secure world cleans it; and what the normal
 * world left dirty is not seen by a secure read either.
 *
 * The model: a bank's cpu[] holds the non-secure lines, as ever, and the
 * lines of secure memory (no non-secure access reaches those, so the
 * CPU's view there, plain pointers included, is the secure world's).
 * Secure lines of memory the normal world may use too have a copy of
 * their own, sec[] (and sec_last[], each as last filled or cleaned), for
 * the lines a secure-world CPU access made with NS = 0 has filled
 * (sec_tag); sparse, so only lines the secure world touched cost memory. A secure access fills an untagged line from DRAM.
 * The secure world's cache maintenance by physical address cleans and
 * invalidates its secure lines too; nothing else evicts them (the
 * policies act on non-secure lines), and coherent masters snoop the
 * non-secure lines only.
 */
#include <errno.h>
#include <sys/mman.h>

#include "../core/bitmap.h"
#include "../core/rawmem.h"
#include "soc_internal.h"

static void *anon(u64 size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static u64 tag_bytes(const struct dk_soc *soc, const struct dk_ram_bank *b)
{
	return DK_BITMAP_LONGS(b->b.size / soc->cache.line) * sizeof(long);
}

/* The bank's secure copies, on its first secure line; lock held. */
static int prepare(struct dk_soc *soc, struct dk_ram_bank *b)
{
	if (b->sec)
		return 0;
	b->sec = anon(b->b.size);
	b->sec_last = anon(b->b.size);
	b->sec_tag = anon(tag_bytes(soc, b));
	dk_ram0_recheck(soc);
	if (b->sec && b->sec_last && b->sec_tag)
		return 0;
	dk_tz_lines_fini_bank(soc, b);
	return dk_err(-ENOMEM, "secure cache lines: no memory for a bank's copy");
}

int dk_tz_lines_access(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
		       void *buf, size_t len, bool write)
{
	u64 l = soc->cache.line, o;
	int r = prepare(soc, b);

	if (r)
		return r;
	/* A secure access misses the non-secure lines: fill from DRAM. */
	for (o = dk_align_down(off, l); o < off + len; o += l)
		if (!dk_bit_test(b->sec_tag, o / l)) {
			dk_raw_copy(b->sec + o, b->mem + o, l);
			dk_raw_copy(b->sec_last + o, b->mem + o, l);
			dk_bits_set(b->sec_tag, o / l, 1, true);
		}
	if (write)
		dk_raw_copy(b->sec + off, buf, len);
	else
		dk_raw_copy(buf, b->sec + off, len);
	return 0;
}

void dk_tz_lines_maint(struct dk_soc *soc, struct dk_ram_bank *b, u64 first,
		       u64 end, bool clean, bool inval)
{
	u64 l = soc->cache.line, o;

	if (!b->sec_tag)
		return;
	for (o = first; o < end; o += l) {
		if (!dk_bit_test(b->sec_tag, o / l))
			continue;
		if (clean && dk_raw_cmp(b->sec + o, b->sec_last + o, l)) {
			dk_raw_copy(b->mem + o, b->sec + o, l);
			dk_raw_copy(b->sec_last + o, b->sec + o, l);
			if (b->wb_refs)
				dk_wb_mirror(soc, b, o, l);
		}
		if (inval)
			dk_bits_set(b->sec_tag, o / l, 1, false);
	}
}

void dk_tz_lines_fini_bank(struct dk_soc *soc, struct dk_ram_bank *b)
{
	if (b->sec)
		munmap(b->sec, b->b.size);
	if (b->sec_last)
		munmap(b->sec_last, b->b.size);
	if (b->sec_tag)
		munmap(b->sec_tag, tag_bytes(soc, b));
	b->sec = b->sec_last = NULL;
	b->sec_tag = NULL;
	dk_ram0_recheck(soc);
}
