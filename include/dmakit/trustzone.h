/* SPDX-License-Identifier: MIT */
/*
 * TrustZone on the simulated SoC: a secure and a non-secure CPU world,
 * the secure monitor call that switches between them, CPU accesses that
 * carry the world's NS bit, and DMA masters that choose NS per access.
 *
 * The CPU runs in the non-secure (normal) world. dk_smc() is the SMC
 * instruction: the CPU enters the secure world, the secure monitor (the
 * firmware; a built-in one, or one installed with
 * dk_soc_set_secure_monitor()) handles the call, and the CPU returns to
 * the normal world with its result. Every access is checked against the
 * SoC's fixed firewall ranges and its TZASC ("dmakit,tzasc",
 * <dmakit/models/tzasc.h>), whose regions only the secure world may
 * program and which stays as it is once locked. A refused access moves
 * nothing and is recorded as a fault (dk_soc_fault()), the CPU's under the
 * device name "cpu".
 *
 * Bus masters are TrustZone-aware ("dmakit,trustzone-aware", or a model
 * such as "dmakit,tz-dma" with banked registers), choosing NS per access,
 * or sit behind a fixed gasket that makes every access of theirs secure
 * ("dmakit,secure-master") or non-secure (the default).
 */
#ifndef DMAKIT_TRUSTZONE_H
#define DMAKIT_TRUSTZONE_H

#include <stdbool.h>
#include <stddef.h>

#include <dmakit/sim_device.h>
#include <dmakit/soc.h>
#include <dmakit/types.h>

#ifdef __cplusplus
extern "C" {
#endif

enum dk_world {
	DK_WORLD_NONSECURE,	/* NS = 1: the normal world */
	DK_WORLD_SECURE,	/* NS = 0 */
};

/* The built-in secure monitor's calls (SiP service, fast, SMC64). */
#define DK_SMC_TZASC_REGION 0xc2000010u	/* a1 region, a2 base, a3 size,
					 * a4 DK_TZASC_ATTR_* bits */
#define DK_SMC_TZASC_LOCK 0xc2000011u	/* lock the TZASC until reset */

/**
 * typedef dk_secure_monitor_fn - the secure world's handler of an SMC
 * @arg: what dk_soc_set_secure_monitor() was given
 * @soc: the SoC; the CPU is in the secure world while this runs
 * @fid: the function identifier
 * @a: the four arguments
 *
 * Return: what dk_smc() returns to the normal world.
 */
typedef long (*dk_secure_monitor_fn)(void *arg, struct dk_soc *soc, u32 fid,
				     const u64 a[4]);

/**
 * dk_soc_set_secure_monitor() - install the secure world's SMC handler
 * @soc: the SoC
 * @fn: the handler; NULL for the built-in one
 * @arg: its argument
 *
 * The built-in monitor programs the TZASC through its registers:
 * DK_SMC_TZASC_REGION and DK_SMC_TZASC_LOCK.
 *
 * Context: not while an SMC runs.
 * Return: 0; -EINVAL for a SoC not live; -EBUSY from the secure world.
 */
int dk_soc_set_secure_monitor(struct dk_soc *soc, dk_secure_monitor_fn fn,
			      void *arg);

/**
 * dk_smc() - the SMC instruction, issued by the normal world
 * @soc: the SoC
 * @fid: function identifier
 * @a1: first argument
 * @a2: second argument
 * @a3: third argument
 * @a4: fourth argument
 *
 * Enters the secure world, runs the secure monitor, returns to the normal
 * world. The built-in monitor returns 0 when the TZASC took the change,
 * -EPERM when it is locked, -EINVAL for a bad region, base, size or
 * attribute, -ENODEV when the SoC has no TZASC and -EOPNOTSUPP for a
 * function it does not know (each with a message).
 *
 * Context: the CPU's thread; not from the secure world.
 * Return: the monitor's result; -EBUSY from the secure world; -EINVAL for
 * a SoC not live.
 */
long dk_smc(struct dk_soc *soc, u32 fid, u64 a1, u64 a2, u64 a3, u64 a4);

/**
 * dk_soc_cpu_world() - the world the CPU runs in now
 * @soc: the SoC
 *
 * Return: DK_WORLD_SECURE while a secure monitor runs, else
 * DK_WORLD_NONSECURE (also for a SoC not live).
 */
enum dk_world dk_soc_cpu_world(const struct dk_soc *soc);

/**
 * dk_cpu_read() - a CPU load from physical memory, in the CPU's world
 * @soc: the SoC
 * @pa: physical address (RAM, one bank)
 * @buf: where the bytes go
 * @len: how many
 *
 * Reads what the CPU sees (its cache). From the normal world, an access
 * that touches secure memory (a firewall range, or a TZASC region without
 * DK_TZASC_ATTR_NS) reads nothing and is recorded as a fault of device
 * "cpu". From the secure world the access is secure (NS = 0); to memory
 * the normal world may use too it goes through the secure world's own
 * cache lines, which a non-secure access never hits: a line it has not
 * filled yet comes from DRAM, not from what the normal world holds dirty
 * (see dk_cpu_read_world()).
 *
 * Return: 0; -EFAULT when refused; -EINVAL for a NULL argument, a range
 * that is not in one RAM bank, or a SoC not live.
 */
int dk_cpu_read(struct dk_soc *soc, phys_addr_t pa, void *buf, size_t len);

/**
 * dk_cpu_write() - a CPU store to physical memory, in the CPU's world
 * @soc: the SoC
 * @pa: physical address (RAM, one bank)
 * @buf: the bytes
 * @len: how many
 *
 * Writes the CPU's view (a dirty line until written back); refused like
 * dk_cpu_read().
 *
 * Return: as dk_cpu_read().
 */
int dk_cpu_write(struct dk_soc *soc, phys_addr_t pa, const void *buf,
		 size_t len);

/**
 * dk_cpu_read_world() - a CPU load with the NS bit chosen for it
 * @soc: the SoC
 * @w: DK_WORLD_SECURE (NS = 0, the secure world only) or
 *     DK_WORLD_NONSECURE (NS = 1: how the secure world reaches memory it
 *     shares with the normal world through a non-secure mapping)
 * @pa: physical address (RAM, one bank)
 * @buf: where the bytes go
 * @len: how many
 * Cache lines are tagged with the NS bit of the access that filled them:
 * a secure access and a non-secure one to the same address are different
 * lines, so what the secure world writes with NS = 0 reaches the normal
 * world only once the secure world has cleaned it (dk_sim_cache_clean()
 * or dk_sim_cache_clean_inval() from the secure world, which maintain its
 * lines too), while what it writes with NS = 1 is in the normal world's
 * lines at once. A non-secure access to secure memory faults as from the
 * normal world.
 * Context: the secure world (inside a secure monitor) for NS = 0.
 * Return: 0; -EPERM for NS = 0 from the normal world; -EINVAL for a world
 * that is neither; otherwise as dk_cpu_read().
 */
int dk_cpu_read_world(struct dk_soc *soc, enum dk_world w, phys_addr_t pa,
		      void *buf, size_t len);

/**
 * dk_cpu_write_world() - a CPU store with the NS bit chosen for it
 * @soc: the SoC
 * @w: as for dk_cpu_read_world()
 * @pa: physical address (RAM, one bank)
 * @buf: the bytes
 * @len: how many
 * Writes the lines of that NS bit (a dirty line until cleaned).
 * Return: as dk_cpu_read_world().
 */
int dk_cpu_write_world(struct dk_soc *soc, enum dk_world w, phys_addr_t pa,
		       const void *buf, size_t len);

/**
 * dk_dev_dma_world() - a DMA access with the NS bit chosen for it
 * @dev: the master
 * @w: the world the access is made in
 * @write: true to write @buf to memory, false to read into it
 * @addr: device address
 * @buf: the bytes
 * @len: how many
 *
 * What dk_dev_dma_read()/dk_dev_dma_write() do, for a TrustZone-aware
 * master. A master behind a fixed gasket can make accesses of its own
 * world only.
 *
 * Return: 0; -EPERM when @dev sits behind a gasket of the other world;
 * otherwise as dk_dev_dma_read().
 */
int dk_dev_dma_world(struct dk_simdev *dev, enum dk_world w, bool write,
		     dma_addr_t addr, void *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
