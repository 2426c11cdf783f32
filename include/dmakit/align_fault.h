/* SPDX-License-Identifier: MIT */
/*
 * Alignment faults on strongly-ordered memory, executed by the host CPU.
 *
 * On arm64 a load or store to Device or strongly-ordered memory that is
 * not naturally aligned raises an alignment fault, while the same access
 * to Normal memory is done by the hardware. A driver that runs the
 * compiler's or the C library's memcpy() on such memory (an uncached
 * dma_alloc_coherent() alias mapped that way, as barebox does) therefore
 * dies on the first wide access at an unaligned address, and
 * memcpy_fromio()/memcpy_toio() exist to make only aligned ones.
 *
 * On x86-64 the host CPU can enforce the same rule for real: with the AC
 * flag (bit 18 of EFLAGS) set in user mode, every misaligned data access
 * raises #AC, which Linux delivers as SIGBUS. AC checks every access, not
 * only those to the declared memory, so dk_so_run() sets it only while its
 * callback runs, and when a misaligned access touches other memory (the C
 * library's own code does such accesses, and so does the dynamic linker
 * resolving a symbol) it steps over that one instruction with AC clear and
 * sets AC again: only misaligned accesses to the declared memory fault.
 * To tell which memory an instruction touches, the declared pages are made
 * inaccessible for the one step: a fault in them names the address (the
 * #AC signal carries none).
 *
 * Where the host cannot enforce it (another architecture, or an emulator
 * such as Valgrind, which keeps the flag but never raises #AC), dk_so_run()
 * refuses with -EOPNOTSUPP before running anything, and callers say so
 * instead of passing.
 */
#ifndef DMAKIT_ALIGN_FAULT_H
#define DMAKIT_ALIGN_FAULT_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DK_ALIGN_FAULT_FRAMES 16

/**
 * struct dk_align_fault - one alignment fault, as the CPU saw it
 * @addr: the address of the faulting access
 * @offset: @addr minus the start of the declared memory
 * @write: the access was a store
 * @pc: the faulting instruction
 * @nframes: entries of @frames
 * @frames: the call chain: @pc, then the return addresses of its callers
 *	up to the callback dk_so_run() ran
 */
struct dk_align_fault {
	const void *addr;
	size_t offset;
	bool write;
	const void *pc;
	int nframes;
	const void *frames[DK_ALIGN_FAULT_FRAMES];
};

/**
 * dk_so_enforced() - whether this host raises alignment faults for dk_so_run()
 *
 * Probes once (a misaligned load under the mechanism dk_so_run() uses) and
 * remembers the answer; the reason it cannot is in dk_last_error() after a
 * false return.
 *
 * Context: any thread.
 * Return: true if a misaligned access to declared memory faults.
 */
bool dk_so_enforced(void);

/**
 * dk_so_run() - run a callback with strongly-ordered memory's alignment rule
 * @mem: the memory that is strongly ordered (read-write mapped pages)
 * @len: its size in bytes
 * @fn: the callback
 * @arg: its argument
 * @fault: filled in when @fn faults
 *
 * Runs @fn(@arg) on the calling thread with alignment checking on: a
 * misaligned access to [@mem, @mem + @len) stops @fn at that instruction,
 * the way the kernel kills a task on an alignment fault, and the fault is
 * recorded in @fault; other misaligned accesses complete. @fn must not
 * block SIGBUS, SIGSEGV or SIGTRAP, start threads, or hold a lock or an
 * allocation that it would leak if it stopped midway. The pages holding
 * @mem are inaccessible for the one instruction stepped after each
 * misaligned access, so no other thread may touch them meanwhile, and they
 * must not hold the calling thread's stack (the signal frame goes there).
 * For the call, dk_so_run() installs its own SIGBUS, SIGSEGV and SIGTRAP
 * handlers (passing on the signals that are not its own to the ones
 * installed before) and puts the previous ones back after. Calls from
 * several threads run one at a time.
 *
 * Context: process context; may not be called from @fn itself.
 * Return: 0 if @fn returned; 1 if it faulted (then @fault is filled in);
 * -EINVAL for a NULL or empty argument; -EBUSY when called from @fn;
 * -EOPNOTSUPP when the host cannot enforce the rule (see dk_so_enforced()).
 */
int dk_so_run(const void *mem, size_t len, void (*fn)(void *arg), void *arg,
	      struct dk_align_fault *fault);

/**
 * dk_align_fault_format() - an alignment fault as the kernel's oops tells it
 * @f: the fault
 * @buf: where the text goes (NUL-terminated, cut to fit)
 * @len: size of @buf
 *
 * Several lines: the faulting address and its offset in the declared
 * memory, the access (read or write), the instruction and the call trace,
 * each frame as function (file:line) when the program has debug
 * information.
 *
 * Context: any thread; slow (symbolizes every frame).
 * Return: @buf.
 */
char *dk_align_fault_format(const struct dk_align_fault *f, char *buf,
			    size_t len);

#ifdef __cplusplus
}
#endif

#endif
