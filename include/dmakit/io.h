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

/**
 * ioremap() - map device registers. RAM is refused even where Linux would
 * map it (no-map reserved memory): windows reach device registers only,
 * and memory is what the DMA API is for.
 * @addr: the CPU physical address of the first register.
 * @size: bytes, at least 1.
 *
 * Return: the address of @addr in a new window (same offset in its page
 * as @addr; undo with iounmap()), or NULL with a message in
 * dk_last_error(): no current machine, @size 0 or wrapping, a range that
 * overlaps RAM, or no address space.
 */
void __iomem *ioremap(phys_addr_t addr, size_t size);

/**
 * iounmap() - remove the window holding an address. Later accesses
 * through it are reported.
 * @addr: normally what ioremap() returned; NULL is a no-op, an address in
 *        no window is reported.
 */
void iounmap(volatile void __iomem *addr);

/**
 * devm_ioremap() - ioremap() undone automatically when the driver unbinds.
 * @dev: a live device.
 * @offset: the CPU physical address, as for ioremap().
 * @size: as for ioremap().
 *
 * Return: the address, or NULL on failure, as ioremap(), or for a NULL
 * @dev.
 */
void __iomem *devm_ioremap(struct device *dev, phys_addr_t offset,
			   size_t size);
/**
 * devm_iounmap() - undo devm_ioremap() now.
 * @dev: the device it was made for.
 * @addr: what devm_ioremap() returned; anything else is reported.
 */
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
/**
 * readb() - read a 8-bit register, then rmb(): no later load is
 * satisfied before it.
 * @addr: an address in an ioremap() window, naturally aligned.
 *
 * Return: the register's value; all ones for an address outside every
 * window or unaligned (reported).
 */
u8 readb(const volatile void __iomem *addr);
/**
 * readw() - read a 16-bit register, then rmb(): no later load is
 * satisfied before it.
 * @addr: an address in an ioremap() window, naturally aligned.
 *
 * Return: the register's value; all ones for an address outside every
 * window or unaligned (reported).
 */
u16 readw(const volatile void __iomem *addr);
/**
 * readl() - read a 32-bit register, then rmb(): no later load is
 * satisfied before it.
 * @addr: an address in an ioremap() window, naturally aligned.
 *
 * Return: the register's value; all ones for an address outside every
 * window or unaligned (reported).
 */
u32 readl(const volatile void __iomem *addr);
/**
 * readq() - read a 64-bit register, then rmb(): no later load is
 * satisfied before it.
 * @addr: an address in an ioremap() window, naturally aligned.
 *
 * Return: the register's value; all ones for an address outside every
 * window or unaligned (reported).
 */
u64 readq(const volatile void __iomem *addr);
/**
 * writeb() - wmb(), then write a 8-bit register: the device sees
 * every earlier store first.
 * @value: the value.
 * @addr: an address in an ioremap() window, naturally aligned; outside
 *        every window, or unaligned, the write is dropped and reported.
 */
void writeb(u8 value, volatile void __iomem *addr);
/**
 * writew() - wmb(), then write a 16-bit register: the device sees
 * every earlier store first.
 * @value: the value.
 * @addr: an address in an ioremap() window, naturally aligned; outside
 *        every window, or unaligned, the write is dropped and reported.
 */
void writew(u16 value, volatile void __iomem *addr);
/**
 * writel() - wmb(), then write a 32-bit register: the device sees
 * every earlier store first.
 * @value: the value.
 * @addr: an address in an ioremap() window, naturally aligned; outside
 *        every window, or unaligned, the write is dropped and reported.
 */
void writel(u32 value, volatile void __iomem *addr);
/**
 * writeq() - wmb(), then write a 64-bit register: the device sees
 * every earlier store first.
 * @value: the value.
 * @addr: an address in an ioremap() window, naturally aligned; outside
 *        every window, or unaligned, the write is dropped and reported.
 */
void writeq(u64 value, volatile void __iomem *addr);

/**
 * readb_relaxed() - read a 8-bit register, ordered only against
 * accesses to the same device.
 * @addr: an address in an ioremap() window, naturally aligned.
 *
 * Return: the register's value; all ones for an address outside every
 * window or unaligned (reported).
 */
u8 readb_relaxed(const volatile void __iomem *addr);
/**
 * readw_relaxed() - read a 16-bit register, ordered only against
 * accesses to the same device.
 * @addr: an address in an ioremap() window, naturally aligned.
 *
 * Return: the register's value; all ones for an address outside every
 * window or unaligned (reported).
 */
u16 readw_relaxed(const volatile void __iomem *addr);
/**
 * readl_relaxed() - read a 32-bit register, ordered only against
 * accesses to the same device.
 * @addr: an address in an ioremap() window, naturally aligned.
 *
 * Return: the register's value; all ones for an address outside every
 * window or unaligned (reported).
 */
u32 readl_relaxed(const volatile void __iomem *addr);
/**
 * readq_relaxed() - read a 64-bit register, ordered only against
 * accesses to the same device.
 * @addr: an address in an ioremap() window, naturally aligned.
 *
 * Return: the register's value; all ones for an address outside every
 * window or unaligned (reported).
 */
u64 readq_relaxed(const volatile void __iomem *addr);
/**
 * writeb_relaxed() - write a 8-bit register, ordered only against
 * accesses to the same device.
 * @value: the value.
 * @addr: an address in an ioremap() window, naturally aligned; outside
 *        every window, or unaligned, the write is dropped and reported.
 */
void writeb_relaxed(u8 value, volatile void __iomem *addr);
/**
 * writew_relaxed() - write a 16-bit register, ordered only against
 * accesses to the same device.
 * @value: the value.
 * @addr: an address in an ioremap() window, naturally aligned; outside
 *        every window, or unaligned, the write is dropped and reported.
 */
void writew_relaxed(u16 value, volatile void __iomem *addr);
/**
 * writel_relaxed() - write a 32-bit register, ordered only against
 * accesses to the same device.
 * @value: the value.
 * @addr: an address in an ioremap() window, naturally aligned; outside
 *        every window, or unaligned, the write is dropped and reported.
 */
void writel_relaxed(u32 value, volatile void __iomem *addr);
/**
 * writeq_relaxed() - write a 64-bit register, ordered only against
 * accesses to the same device.
 * @value: the value.
 * @addr: an address in an ioremap() window, naturally aligned; outside
 *        every window, or unaligned, the write is dropped and reported.
 */
void writeq_relaxed(u64 value, volatile void __iomem *addr);

/* The ioread/iowrite spellings: the same as readX()/writeX(). */
/**
 * ioread8() - readb() under its ioread name.
 * @addr: an address in an ioremap() window, naturally aligned.
 *
 * Return: the register's value; all ones for an address outside every
 * window or unaligned (reported).
 */
u8 ioread8(const volatile void __iomem *addr);
/**
 * ioread16() - readw() under its ioread name.
 * @addr: an address in an ioremap() window, naturally aligned.
 *
 * Return: the register's value; all ones for an address outside every
 * window or unaligned (reported).
 */
u16 ioread16(const volatile void __iomem *addr);
/**
 * ioread32() - readl() under its ioread name.
 * @addr: an address in an ioremap() window, naturally aligned.
 *
 * Return: the register's value; all ones for an address outside every
 * window or unaligned (reported).
 */
u32 ioread32(const volatile void __iomem *addr);
/**
 * iowrite8() - writeb() under its iowrite name.
 * @value: the value.
 * @addr: an address in an ioremap() window, naturally aligned; outside
 *        every window, or unaligned, the write is dropped and reported.
 */
void iowrite8(u8 value, volatile void __iomem *addr);
/**
 * iowrite16() - writew() under its iowrite name.
 * @value: the value.
 * @addr: an address in an ioremap() window, naturally aligned; outside
 *        every window, or unaligned, the write is dropped and reported.
 */
void iowrite16(u16 value, volatile void __iomem *addr);
/**
 * iowrite32() - writel() under its iowrite name.
 * @value: the value.
 * @addr: an address in an ioremap() window, naturally aligned; outside
 *        every window, or unaligned, the write is dropped and reported.
 */
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
/**
 * memcpy_fromio() - copy from registers or uncached memory.
 * @to: ordinary memory.
 * @from: the source, as described above.
 * @count: bytes.
 */
void memcpy_fromio(void *to, const volatile void __iomem *from,
		   size_t count);
/**
 * memcpy_toio() - copy to registers or uncached memory.
 * @to: the destination, as described above.
 * @from: ordinary memory.
 * @count: bytes.
 */
void memcpy_toio(volatile void __iomem *to, const void *from, size_t count);
/**
 * memset_io() - fill registers or uncached memory with a byte.
 * @addr: the destination, as described above.
 * @value: the byte (converted to unsigned char).
 * @count: bytes.
 */
void memset_io(volatile void __iomem *addr, int value, size_t count);

/* ---- barriers */

/*
 * Each barrier is a C11 fence of the strength below and a compiler barrier
 * (no memory access of the program moves across it at compile time, which
 * is what keeps plain stores to an uncached DMA buffer in program order).
 * On the simulated SoC register accesses complete before the accessor
 * returns, so the Linux distinction between mb() (which also waits for
 * device accesses) and dma_mb() (memory-to-memory only) has nothing to
 * separate; both kinds are provided so drivers keep their intent. The
 * write barriers also empty the simulated CPU's write buffer
 * (dk_io_drain_writes()): a store to a coherent buffer that no barrier
 * follows may not have reached memory when the device looks.
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
/**
 * dk_io_fence() - the fence under every barrier below: a compiler
 * barrier, a C11 fence, a compiler barrier. The compilers' builtin rather
 * than <stdatomic.h>, which C++ before C++23 cannot include.
 * @order: __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE or __ATOMIC_RELEASE.
 */
static inline void dk_io_fence(int order)
{
	__asm__ __volatile__("" ::: "memory");
	__atomic_thread_fence(order);
	__asm__ __volatile__("" ::: "memory");
}

/**
 * dk_io_drain_writes() - the write-buffer half of a barrier: CPU stores
 * still buffered in front of bufferable memory (a dma_alloc_coherent() or
 * dma_alloc_wc() buffer of a non-coherent device) reach memory, so a
 * device reads them. mb(), wmb(), dma_mb(), dma_wmb() and writel() call
 * it; rmb() and dma_rmb() order loads only and do not. Does nothing on a
 * platform without a modelled write buffer or with no machine booted.
 *
 * Context: any thread; the machine is the thread's current one.
 */
void dk_io_drain_writes(void);

/**
 * dk_io_order_loads() - the load half of a barrier: no later CPU load is
 * satisfied before an earlier one, so device writes the simulated SoC
 * held back from the CPU's loads (a load satisfied early sees memory as
 * it was) are seen from now on. mb(), rmb(), dma_mb(), dma_rmb() and
 * readl() call it; wmb() and dma_wmb() do not. Does nothing on a
 * platform that does not model early loads or with no machine booted.
 *
 * Context: any thread; the machine is the thread's current one.
 */
void dk_io_order_loads(void);

/*
 * How many device writes simulated SoCs hold back from CPU loads, or
 * keep until the CPU's loads are ordered after them, now (any SoC of the
 * process): while there are none, the read barriers below skip
 * dk_io_order_loads() and cost what a fence costs.
 */
extern unsigned long dk_io_loads_held;

/**
 * dk_io_order_loads_if_held() - dk_io_order_loads() when some device
 * write is held back from CPU loads or not yet ordered; a load of one
 * variable otherwise.
 */
static inline void dk_io_order_loads_if_held(void)
{
	if (__atomic_load_n(&dk_io_loads_held, __ATOMIC_RELAXED))
		dk_io_order_loads();
}

/**
 * mb() - full barrier: every earlier load and store before every later one.
 */
static inline void mb(void)
{
	dk_io_fence(__ATOMIC_SEQ_CST);
	dk_io_drain_writes();
	dk_io_order_loads_if_held();
}

/**
 * rmb() - read barrier: every earlier load before every later load and
 * store.
 */
static inline void rmb(void)
{
	dk_io_fence(__ATOMIC_ACQUIRE);
	dk_io_order_loads_if_held();
}

/**
 * wmb() - write barrier: every earlier load and store before every later
 * store.
 */
static inline void wmb(void)
{
	dk_io_fence(__ATOMIC_RELEASE);
	dk_io_drain_writes();
}

/**
 * dma_mb() - mb() for ordering against DMA memory only.
 */
static inline void dma_mb(void)
{
	dk_io_fence(__ATOMIC_SEQ_CST);
	dk_io_drain_writes();
	dk_io_order_loads_if_held();
}

/**
 * dma_rmb() - rmb() for DMA memory: read a descriptor's DONE bit,
 * dma_rmb(), then the data it covers.
 */
static inline void dma_rmb(void)
{
	dk_io_fence(__ATOMIC_ACQUIRE);
	dk_io_order_loads_if_held();
}

/**
 * dma_wmb() - wmb() for DMA memory: fill a descriptor, dma_wmb(), then set
 * its OWN bit.
 */
static inline void dma_wmb(void)
{
	dk_io_fence(__ATOMIC_RELEASE);
	dk_io_drain_writes();
}

#ifdef __cplusplus
}
#endif

#endif
