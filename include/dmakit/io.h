/* SPDX-License-Identifier: MIT */
/*
 * Device registers and memory barriers, with Linux's names: ioremap(),
 * readl()/writel() and their relatives, memcpy_toio(), and the mb()/dma_*mb()
 * family.
 *
 * Device registers are not memory. ioremap() returns an address in a
 * reserved window that has no access rights at all, so dereferencing it
 * faults, as it would on hardware that does not decode plain loads there;
 * the accessors below find the window an address is in and perform the
 * access through the platform (the simulated device model, or the real
 * device). An accessor given an address outside every live window prints
 * an error naming the address, reads all ones (what a bus returns when
 * nothing answers) and drops writes; it never crashes.
 *
 * The platform has 32-bit registers only. 8- and 16-bit reads read the
 * aligned 32-bit word that holds them and pick the little-endian lane;
 * 8- and 16-bit writes read that word, replace the lane and write the word
 * back, which is NOT what hardware does (a byte write reaches the device as
 * a byte, and read-modify-write disturbs read-to-clear and write-1-to-clear
 * bits of the neighbouring lanes). 64-bit accesses are two 32-bit accesses,
 * low word first, like Linux's io-64-nonatomic-lo-hi, so a device can see
 * the halves separately. Accesses must be naturally aligned; an unaligned
 * one is reported and treated like an access outside every window.
 *
 * Everything is thread-safe. Windows belong to the machine that was
 * current when ioremap() ran; accessors look them up in the calling
 * thread's current machine.
 */
#ifndef DMAKIT_IO_H
#define DMAKIT_IO_H


#include <dmakit/device.h>
#include <dmakit/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Linux marks register pointers for sparse; nothing checks it here. */
#define __iomem

/* ---- mappings */

/*
 * ioremap - map @size bytes of device registers at CPU physical @addr.
 * Returns the address of @addr in a new window (same offset in its page as
 * @addr), or NULL with a message in dk_last_error(): no current machine,
 * @size 0 or wrapping, a range that overlaps RAM, or no address space.
 * RAM is refused even where Linux would map it (no-map reserved memory):
 * windows reach device registers only, and memory is what the DMA API is
 * for.
 */
void __iomem *ioremap(phys_addr_t addr, size_t size);

/*
 * iounmap - remove the window holding @addr (normally what ioremap()
 * returned). Later accesses through it are reported. NULL is a no-op; an
 * address in no window is reported.
 */
void iounmap(volatile void __iomem *addr);

/* devm_ioremap - ioremap() undone automatically when @dev's driver
 * unbinds. NULL on failure, as ioremap(), or for a NULL @dev. */
void __iomem *devm_ioremap(struct device *dev, phys_addr_t offset,
			   size_t size);
/* devm_iounmap - undo devm_ioremap() now; anything else is reported. */
void devm_iounmap(struct device *dev, void __iomem *addr);

/* ---- register accessors */

/*
 * The plain accessors order the register access against the CPU's accesses
 * to DMA memory: writel() and friends issue wmb() first, so the device sees
 * every earlier store (a descriptor, a buffer) before the store that tells
 * it to look; readl() and friends issue rmb() after, so no later load (of
 * data a device wrote before raising the status bit just read) can be
 * satisfied before the register read. The _relaxed variants order nothing
 * but accesses to the same device, which the platform performs in program
 * order anyway.
 */
u8 readb(const volatile void __iomem *addr);
u16 readw(const volatile void __iomem *addr);
u32 readl(const volatile void __iomem *addr);
u64 readq(const volatile void __iomem *addr);
void writeb(u8 value, volatile void __iomem *addr);
void writew(u16 value, volatile void __iomem *addr);
void writel(u32 value, volatile void __iomem *addr);
void writeq(u64 value, volatile void __iomem *addr);

u8 readb_relaxed(const volatile void __iomem *addr);
u16 readw_relaxed(const volatile void __iomem *addr);
u32 readl_relaxed(const volatile void __iomem *addr);
u64 readq_relaxed(const volatile void __iomem *addr);
void writeb_relaxed(u8 value, volatile void __iomem *addr);
void writew_relaxed(u16 value, volatile void __iomem *addr);
void writel_relaxed(u32 value, volatile void __iomem *addr);
void writeq_relaxed(u64 value, volatile void __iomem *addr);

/* The ioread/iowrite spellings: the same as readX()/writeX(). */
u8 ioread8(const volatile void __iomem *addr);
u16 ioread16(const volatile void __iomem *addr);
u32 ioread32(const volatile void __iomem *addr);
void iowrite8(u8 value, volatile void __iomem *addr);
void iowrite16(u16 value, volatile void __iomem *addr);
void iowrite32(u32 value, volatile void __iomem *addr);

/*
 * Block transfers. Inside an ioremap() window they go through the
 * accessors above: 32-bit accesses for the aligned middle, byte accesses
 * for an unaligned head and tail (with the byte-write limitation above).
 * A range that starts in a window must end in it, else it is reported and
 * nothing is read or written (memcpy_fromio() leaves @to as it was). A
 * NULL address or buffer with a nonzero count is reported the same way.
 *
 * Given an address in no window, the range is treated as memory the CPU
 * maps uncached or strongly ordered (a dma_alloc_coherent() buffer, a
 * framebuffer): the copy is done with volatile, naturally aligned 32-bit
 * accesses and single byte accesses at the unaligned head and tail, never
 * with the wide, unaligned or repeated accesses memcpy() may use, which such
 * memory may not support. Ordering is that of the _relaxed accessors.
 */
void memcpy_fromio(void *to, const volatile void __iomem *from,
		   size_t count);
void memcpy_toio(volatile void __iomem *to, const void *from, size_t count);
void memset_io(volatile void __iomem *addr, int value, size_t count);

/* ---- barriers */

/*
 * Each barrier is a C11 fence of the strength below and a compiler barrier
 * (no memory access of the program moves across it at compile time, which
 * is what keeps plain stores to an uncached DMA buffer in program order).
 * On the simulated SoC register accesses complete before the accessor
 * returns, so the Linux distinction between mb() (which also waits for
 * device accesses) and dma_mb() (memory-to-memory only) has nothing to
 * separate; both kinds are provided so drivers keep their intent.
 *
 * mb(), dma_mb():   every earlier load and store before every later load
 *                   and store (sequentially consistent fence).
 * rmb(), dma_rmb(): every earlier load before every later load and store
 *                   (acquire fence) - e.g. read a descriptor's DONE bit,
 *                   dma_rmb(), then read the data it covers.
 * wmb(), dma_wmb(): every earlier load and store before every later store
 *                   (release fence) - e.g. fill a descriptor, dma_wmb(),
 *                   then hand it to the device by setting its OWN bit.
 */
/* The compilers' builtin rather than <stdatomic.h>, which C++ before
 * C++23 cannot include. */
static inline void dk_io_fence(int order)
{
	__asm__ __volatile__("" ::: "memory");
	__atomic_thread_fence(order);
	__asm__ __volatile__("" ::: "memory");
}

static inline void mb(void)
{
	dk_io_fence(__ATOMIC_SEQ_CST);
}

static inline void rmb(void)
{
	dk_io_fence(__ATOMIC_ACQUIRE);
}

static inline void wmb(void)
{
	dk_io_fence(__ATOMIC_RELEASE);
}

static inline void dma_mb(void)
{
	dk_io_fence(__ATOMIC_SEQ_CST);
}

static inline void dma_rmb(void)
{
	dk_io_fence(__ATOMIC_ACQUIRE);
}

static inline void dma_wmb(void)
{
	dk_io_fence(__ATOMIC_RELEASE);
}

#ifdef __cplusplus
}
#endif

#endif
