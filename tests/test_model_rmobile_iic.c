// SPDX-License-Identifier: MIT
/*
 * The "renesas,rmobile-iic" model at register level, byte by byte as
 * Linux's i2c-sh_mobile drives it: START and DTE, the WAIT handshake of
 * each byte, a write into the EEPROM, a repeated START, a read whose
 * bytes reach ICDR one WAIT late and the last after the STOP, a NACK
 * that sets TACK, and the interrupts each step raises.
 */
#include <dmakit/models/i2c.h>
#include <dmakit/models/rmobile_iic.h>
#include <dmakit/sim_device.h>

#include "harness.h"
#include "testsoc.h"

static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	i2c@e6500000 { compatible = \"renesas,rcar-gen2-iic\", \"renesas,rmobile-iic\";\n"
	"		reg = <0 0xe6500000 0 0x425>; interrupts = <7>; }; };\n"
	"};\n";

#define ICE	DK_RIIC_ICCR_ICE
#define TRS	DK_RIIC_ICCR_TRS
#define BBSY	DK_RIIC_ICCR_BBSY
#define SCP	DK_RIIC_ICCR_SCP
#define BUSY	DK_RIIC_ICSR_BUSY
#define TACK	DK_RIIC_ICSR_TACK
#define WAIT	DK_RIIC_ICSR_WAIT
#define DTE	DK_RIIC_ICSR_DTE

struct rig {
	struct dk_soc *soc;
	struct dk_simdev *d;
};

static void wr(struct rig *r, u64 off, u32 v)
{
	dk_dev_mmio_write32(r->d, off, v);
}

static u32 rd(struct rig *r, u64 off)
{
	return dk_dev_mmio_read32(r->d, off);
}

/* Let the wire move, then the status. */
static u32 settle(struct rig *r)
{
	dk_soc_run(r->soc, 0);
	return rd(r, DK_RIIC_ICSR);
}

static void release_wait(struct rig *r)
{
	wr(r, DK_RIIC_ICSR, rd(r, DK_RIIC_ICSR) & ~WAIT);
}

/* START, then the address byte: the status after its WAIT. */
static u32 address(struct rig *r, u8 byte)
{
	wr(r, DK_RIIC_ICCR, ICE | TRS | BBSY);
	CHECK_EQ(settle(r), BUSY | DTE);
	wr(r, DK_RIIC_ICDR, byte);
	CHECK_EQ(rd(r, DK_RIIC_ICSR), BUSY);	/* DTE: ICDR taken */
	return settle(r);
}

TEST(rmobile_iic_model_write_repeated_start_read_and_nack)
{
	struct rig r = { testsoc_load(tree, NULL), NULL };
	unsigned long irqs;

	r.d = dk_soc_find_dev(r.soc, "i2c@e6500000");
	CHECK(r.d != NULL);
	wr(&r, DK_RIIC_ICCR, ICE | SCP);
	wr(&r, DK_RIIC_ICIC, DK_RIIC_ICIC_WAITE | DK_RIIC_ICIC_TACKE);
	irqs = dk_soc_spurious_irqs(r.soc);
	/* Word address 0x40, then 0x11 0x22, then STOP. */
	CHECK_EQ(address(&r, DK_I2C_EEPROM_ADDR << 1), BUSY | WAIT);
	wr(&r, DK_RIIC_ICDR, 0x40);
	release_wait(&r);
	CHECK_EQ(settle(&r), BUSY | WAIT);
	wr(&r, DK_RIIC_ICDR, 0x11);
	release_wait(&r);
	CHECK_EQ(settle(&r), BUSY | WAIT);
	/* The last byte and the STOP asked for together: byte first. */
	wr(&r, DK_RIIC_ICDR, 0x22);
	wr(&r, DK_RIIC_ICCR, ICE | TRS);
	release_wait(&r);
	CHECK_EQ(settle(&r), BUSY | WAIT);
	release_wait(&r);
	CHECK_EQ(settle(&r), 0);
	CHECK_EQ(rd(&r, DK_RIIC_ICCR) & BBSY, 0);
	/* One interrupt per WAIT: address and three data bytes. */
	CHECK_EQ(dk_soc_spurious_irqs(r.soc) - irqs, 4);

	/* Word address 0x40 again, a repeated START, two bytes read. */
	CHECK_EQ(address(&r, DK_I2C_EEPROM_ADDR << 1), BUSY | WAIT);
	wr(&r, DK_RIIC_ICDR, 0x40);
	release_wait(&r);
	CHECK_EQ(settle(&r), BUSY | WAIT);
	wr(&r, DK_RIIC_ICCR, ICE | TRS | BBSY);		/* after this byte */
	release_wait(&r);
	CHECK_EQ(settle(&r), BUSY | DTE);
	wr(&r, DK_RIIC_ICDR, DK_I2C_EEPROM_ADDR << 1 | 1);
	CHECK_EQ(settle(&r), BUSY | WAIT);
	wr(&r, DK_RIIC_ICCR, ICE | SCP);		/* receive */
	release_wait(&r);
	CHECK_EQ(settle(&r), BUSY | WAIT);		/* 0x11 arrived */
	release_wait(&r);
	CHECK_EQ(settle(&r), BUSY | WAIT);		/* 0x22 arrived */
	CHECK_EQ(rd(&r, DK_RIIC_ICDR), 0x11);		/* one behind */
	wr(&r, DK_RIIC_ICCR, ICE | DK_RIIC_ICCR_RACK);	/* NACK, STOP */
	release_wait(&r);
	CHECK_EQ(settle(&r), DTE);
	CHECK_EQ(rd(&r, DK_RIIC_ICDR), 0x22);
	CHECK_EQ(rd(&r, DK_RIIC_ICSR), 0);		/* read: empty */

	/* Nobody at 0x23: TACK when the address's WAIT is released, and
	 * the read goes on with all ones until the driver stops it. */
	CHECK_EQ(address(&r, 0x23 << 1 | 1), BUSY | WAIT);
	wr(&r, DK_RIIC_ICCR, ICE | SCP);
	release_wait(&r);
	CHECK_EQ(rd(&r, DK_RIIC_ICSR), BUSY | TACK);
	wr(&r, DK_RIIC_ICSR, BUSY);			/* clear TACK */
	CHECK_EQ(settle(&r), BUSY | WAIT);
	wr(&r, DK_RIIC_ICCR, ICE | DK_RIIC_ICCR_RACK);
	release_wait(&r);
	CHECK_EQ(settle(&r), DTE);
	CHECK_EQ(rd(&r, DK_RIIC_ICDR), 0xff);
	/* ICE 0 resets the status. */
	wr(&r, DK_RIIC_ICCR, ICE | TRS | BBSY);
	CHECK_EQ(settle(&r), BUSY | DTE);
	wr(&r, DK_RIIC_ICCR, SCP);
	CHECK_EQ(rd(&r, DK_RIIC_ICSR), 0);
	dk_soc_free(r.soc);
}
