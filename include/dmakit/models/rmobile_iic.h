/* SPDX-License-Identifier: MIT */
/*
 * "renesas,rmobile-iic": the IIC controller of Renesas SH-Mobile and
 * R-Car SoCs as Linux's i2c-sh_mobile driver programs it (the interface
 * is the driver's: register offsets and bits are facts of the hardware),
 * with the same 256-byte EEPROM as "dmakit,i2c" at DK_I2C_EEPROM_ADDR
 * behind it (include/dmakit/models/i2c.h). Upstream trees give
 * "renesas,iic-<soc>", "renesas,rcar-gen2-iic"... before this generic
 * compatible; the model serves the generic one.
 *
 * Registers (8-bit, one per 32-bit word, offsets from "reg"):
 *   0x00 ICDR  data: a write in transmit mode sends a byte (after a
 *              START: the address byte, bit 0 the read bit); a read gives
 *              the last byte received
 *   0x04 ICCR  control: ICE (bit 7) enables (0 resets the controller and
 *              its status), RACK (6) answers received bytes with NACK, TRS
 *              (4) transmit (1) or receive (0), BBSY (2) and SCP (0): a
 *              write with SCP 0 issues a START (BBSY 1; a repeated START
 *              on a busy bus) or a STOP (BBSY 0), carried out after the
 *              byte in progress (and after a byte already written to ICDR
 *              for after it); with SCP 1 neither
 *   0x08 ICSR  status; writing 0 to a bit clears it: BUSY (4, RO) the bus
 *              is between START and STOP, AL (3) arbitration lost (never
 *              here), TACK (2) the target answered NACK, WAIT (1) a byte
 *              has crossed the wire and the ACK clock is held until WAIT
 *              is cleared, DTE (0) ICDR is empty for the next byte
 *              (transmit), or holds the last byte after a STOP (receive)
 *   0x0c ICIC  interrupt enables: DTEE (0), WAITE (1) (also inserts the
 *              WAIT state), TACKE (2), ALE (3); TDMAE (5), RDMAE (4): DMA
 *              requests (not wired: a driver that asks for them gets no
 *              DMA channel from the tree and uses PIO); ICCLB8 (7) and
 *              ICCHB8 (6): bit 8 of the clock counts
 *   0x10 ICCL, 0x14 ICCH  SCL low/high counts (kept, not timed)
 * The interrupt line is raised when a status bit rises while enabled, or
 * an enable bit is set while its status bit is.
 *
 * Receive: after the address byte's WAIT, the driver selects receive
 * mode; each release of a WAIT moves the byte just received into ICDR and
 * starts the next, so at the WAIT after byte n ICDR holds byte n - 1; a
 * STOP requested during a WAIT (with RACK) ends the message after that
 * byte, which is then in ICDR with DTE set. A NACK to the address or a
 * written byte sets TACK when its WAIT is released; the message goes on
 * until the driver ends it (bytes read from a target that did not answer
 * are 0xff).
 *
 * Timing: a START, a STOP and each byte take DK_RIIC_COND_CYCLES,
 * DK_RIIC_COND_CYCLES and DK_I2C_BYTE_CYCLES of dk_soc_now().
 */
#ifndef DMAKIT_MODELS_RMOBILE_IIC_H
#define DMAKIT_MODELS_RMOBILE_IIC_H

#define DK_RIIC_ICDR		0x00
#define DK_RIIC_ICCR		0x04
#define DK_RIIC_ICSR		0x08
#define DK_RIIC_ICIC		0x0c
#define DK_RIIC_ICCL		0x10
#define DK_RIIC_ICCH		0x14
#define DK_RIIC_REG_SIZE	0x18

#define DK_RIIC_ICCR_ICE	0x80
#define DK_RIIC_ICCR_RACK	0x40
#define DK_RIIC_ICCR_TRS	0x10
#define DK_RIIC_ICCR_BBSY	0x04
#define DK_RIIC_ICCR_SCP	0x01

#define DK_RIIC_ICSR_BUSY	0x10
#define DK_RIIC_ICSR_AL		0x08
#define DK_RIIC_ICSR_TACK	0x04
#define DK_RIIC_ICSR_WAIT	0x02
#define DK_RIIC_ICSR_DTE	0x01

#define DK_RIIC_ICIC_ALE	0x08
#define DK_RIIC_ICIC_TACKE	0x04
#define DK_RIIC_ICIC_WAITE	0x02
#define DK_RIIC_ICIC_DTEE	0x01

#define DK_RIIC_COND_CYCLES	10

#endif
