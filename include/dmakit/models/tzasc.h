/* SPDX-License-Identifier: MIT */
/*
 * "dmakit,tzasc": a TrustZone address space controller, the memory
 * firewall the secure world programs at run time.
 *
 * Eight regions; where several cover an address, the highest-numbered
 * enabled one decides. An enabled region without DK_TZASC_ATTR_NS is
 * secure: non-secure accesses (the normal-world CPU, non-secure DMA) to
 * it are refused. Memory no enabled region covers is open to both worlds.
 * The tree's "dmakit,secure-ranges" (address, size list in the root's
 * cells, up to eight) are the regions at reset, enabled and secure.
 *
 * The registers (32-bit) answer reads from both worlds; writes from the
 * normal world, and every write once LOCK is set, are ignored and counted
 * in DENIED. A region's base and size must be 4 KiB aligned when its ATTR
 * is written with DK_TZASC_ATTR_EN; otherwise the region stays disabled
 * and DENIED counts the write.
 */
#ifndef DMAKIT_MODELS_TZASC_H
#define DMAKIT_MODELS_TZASC_H

#define DK_TZASC_REGIONS 8

#define DK_TZASC_CONFIG 0x000	/* RO: number of regions */
#define DK_TZASC_LOCK 0x004	/* write 1: locked until reset; reads 1 then */
#define DK_TZASC_DENIED 0x008	/* RO: writes ignored so far */

/* Region n's registers: DK_TZASC_REGION(n) + one of these. */
#define DK_TZASC_REGION(n) (0x100 + 0x20 * (n))
#define DK_TZASC_BASE_LO 0x00
#define DK_TZASC_BASE_HI 0x04
#define DK_TZASC_SIZE_LO 0x08
#define DK_TZASC_SIZE_HI 0x0c
#define DK_TZASC_ATTR 0x10

#define DK_TZASC_ATTR_EN (1u << 0)	/* the region is checked */
#define DK_TZASC_ATTR_NS (1u << 1)	/* non-secure accesses allowed too */

/*
 * "dmakit,tz-dma": a TrustZone-aware memory-to-memory DMA engine. Its
 * registers are banked: the secure and the normal world each see their
 * own copy at the same offsets, chosen by the world of the CPU access,
 * and a transfer started from a bank is made with that world's NS bit.
 * Writing DK_TZDMA_CTRL_GO copies LEN bytes from SRC to DST at once; STATUS
 * then says DONE, or ERROR when the interconnect refused an access.
 */
#define DK_TZDMA_SRC_LO 0x00
#define DK_TZDMA_SRC_HI 0x04
#define DK_TZDMA_DST_LO 0x08
#define DK_TZDMA_DST_HI 0x0c
#define DK_TZDMA_LEN 0x10
#define DK_TZDMA_CTRL 0x14
#define DK_TZDMA_STATUS 0x18

#define DK_TZDMA_CTRL_GO (1u << 0)
#define DK_TZDMA_ST_DONE (1u << 0)
#define DK_TZDMA_ST_ERROR (1u << 1)

#endif
