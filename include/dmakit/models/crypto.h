/* SPDX-License-Identifier: MIT */
/*
 * "dmakit,crypto": a crypto engine with a job ring and a result ring in
 * DMA memory, in the style of the SoC engines whose drivers run a self
 * test at probe ("Flunking the Self-Test"). Software produces jobs into
 * the job ring; the engine consumes them, transforms each job's input
 * buffer into its output buffer, and produces one result per job into the
 * result ring.
 *
 * Register map (32-bit registers, offsets from "reg"):
 *   0x000 ID        RO  0x444b4352 ("DKCR")
 *   0x004 CTRL      RW  ENABLE (bit 0): the engine processes jobs;
 *                       IRQEN (bit 1): DONE and ERROR raise the interrupt.
 *                       Clearing ENABLE stops the engine once the job in
 *                       progress is done, then resets every ring index to
 *                       0 and ends an ERROR halt.
 *   0x008 STATUS    RW1C  DONE (bit 0) results were produced and the job
 *                       ring is now empty; ERROR (bit 1) a job or result
 *                       ring access was refused (the engine halts: clear
 *                       ENABLE to recover); BUSY (bit 2, RO) a job is in
 *                       progress or waits for room in the result ring
 *   0x010 JR_LO     RW  device address of the job ring, bits 31:0
 *   0x014 JR_HI     RW  bits 63:32
 *   0x018 JR_SIZE   RW  entries in the job ring, a power of two 1..4096
 *                       (others read back as 0 and stop the engine)
 *   0x01c JR_HEAD   RO  index of the next job the engine will read
 *   0x020 JR_TAIL   RW  index one past the last job software queued
 *                       (modulo JR_SIZE); writing it rings the doorbell
 *   0x030 RR_LO     RW  device address of the result ring, bits 31:0
 *   0x034 RR_HI     RW  bits 63:32
 *   0x038 RR_SIZE   RW  entries in the result ring, as JR_SIZE
 *   0x03c RR_HEAD   RO  index one past the last result the engine wrote
 *   0x040 RR_TAIL   RW  index of the next result software will consume;
 *                       the engine never overwrites an unconsumed result
 *                       and resumes when software advances it
 * Ring indices count modulo their ring's size; a ring is full when it
 * holds size - 1 entries.
 *
 * Job: 32 bytes of little-endian DMA memory, read by the engine:
 *   u64 src; u64 dst; u32 len; u32 op; u32 key; u32 tag;
 * Result: 32 bytes written by the engine:
 *   u32 tag;    the job's tag
 *   u32 status; 0 done, 1 unknown op or length over DK_CRYPTO_MAX_LEN,
 *               2 a DMA access of the job's data was refused
 *   u64 src;    the job's src
 *   u64 dst;    the job's dst
 *   u32 len;    the job's len
 *   u32 sum;    FNV-1a (32-bit) of the output bytes
 *
 * Operations, on the @len bytes at src, output @len bytes at dst:
 *   DK_CRYPTO_OP_XOR   out[i] = in[i] ^ byte (i % 4) of key (little-endian)
 *   DK_CRYPTO_OP_ADD   out[i] = in[i] + byte (i % 4) of key (mod 256)
 *
 * Timing: DK_CRYPTO_JOB_CYCLES per job plus one cycle per
 * DK_CRYPTO_BYTES_PER_CYCLE bytes; the job's data moves and its result is
 * written when that time has passed.
 */
#ifndef DMAKIT_MODELS_CRYPTO_H
#define DMAKIT_MODELS_CRYPTO_H

#include <dmakit/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DK_CRYPTO_ID		0x444b4352u
#define DK_CRYPTO_REG_ID	0x000
#define DK_CRYPTO_CTRL		0x004
#define DK_CRYPTO_STATUS	0x008
#define DK_CRYPTO_JR_LO		0x010
#define DK_CRYPTO_JR_HI		0x014
#define DK_CRYPTO_JR_SIZE	0x018
#define DK_CRYPTO_JR_HEAD	0x01c
#define DK_CRYPTO_JR_TAIL	0x020
#define DK_CRYPTO_RR_LO		0x030
#define DK_CRYPTO_RR_HI		0x034
#define DK_CRYPTO_RR_SIZE	0x038
#define DK_CRYPTO_RR_HEAD	0x03c
#define DK_CRYPTO_RR_TAIL	0x040

#define DK_CRYPTO_CTRL_ENABLE	(1u << 0)
#define DK_CRYPTO_CTRL_IRQEN	(1u << 1)
#define DK_CRYPTO_ST_DONE	(1u << 0)
#define DK_CRYPTO_ST_ERROR	(1u << 1)
#define DK_CRYPTO_ST_BUSY	(1u << 2)

#define DK_CRYPTO_OP_XOR	1
#define DK_CRYPTO_OP_ADD	2

#define DK_CRYPTO_RES_OK	0
#define DK_CRYPTO_RES_BAD_JOB	1
#define DK_CRYPTO_RES_DMA	2

#define DK_CRYPTO_ENTRY_SIZE	32
#define DK_CRYPTO_MAX_RING	4096
#define DK_CRYPTO_MAX_LEN	65536
#define DK_CRYPTO_JOB_CYCLES	200
#define DK_CRYPTO_BYTES_PER_CYCLE	16

struct dk_crypto_job {
	u64 src;
	u64 dst;
	u32 len;
	u32 op;
	u32 key;
	u32 tag;
};

struct dk_crypto_result {
	u32 tag;
	u32 status;
	u64 src;
	u64 dst;
	u32 len;
	u32 sum;
};

/* FNV-1a over @n bytes, the engine's result checksum. */
static inline u32 dk_crypto_fnv1a(const void *p, size_t n)
{
	const u8 *b = (const u8 *)p;
	u32 h = 0x811c9dc5u;

	while (n--)
		h = (h ^ *b++) * 0x01000193u;
	return h;
}

#ifdef __cplusplus
}
#endif

#endif
