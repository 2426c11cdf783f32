/* SPDX-License-Identifier: MIT */
/* What the test drives of the <linux/...>-only platform driver eerd.c. */
#ifndef DMAKIT_TESTS_LINUX_EERD_H
#define DMAKIT_TESTS_LINUX_EERD_H

#include <stddef.h>
#include <stdint.h>

struct device;
struct device_driver;

/* The driver's struct device_driver (inside its struct platform_driver). */
struct device_driver *eerd_driver(void);

struct eerd_stats {
	unsigned long rate;	/* clk_get_rate() of its "bus" clock */
	uint32_t speed_khz;	/* device_property_read_u32("acme,speed-khz") */
	const char *variant;	/* its match data */
	int irqs;		/* interrupts its handler took */
	int irqs_in_lock;	/* of those, taken while eerd_hold_locked held */
};

void eerd_stats(struct device *dev, struct eerd_stats *st);
/* Read @len bytes of the EEPROM from @off: the address by a polled
 * message, the data by one whose interrupt completes a completion. */
int eerd_read(struct device *dev, unsigned int off, void *buf, size_t len);
/* A read message whose interrupt is left disabled: the wait must time
 * out after @ms. */
int eerd_read_noirq(struct device *dev, unsigned int ms);
/* Poll for a status bit that never comes, for @us. */
int eerd_poll_never(struct device *dev, unsigned int us);
/* Start a read with spin_lock_irqsave held across a @us delay; 0 if the
 * interrupt waited for the unlock. */
int eerd_hold_locked(struct device *dev, unsigned int us);
/* A read message while disable_irq() holds the line back; 0 if the
 * interrupt came at enable_irq() and not before. */
int eerd_disabled_line(struct device *dev, unsigned int us);
/* The same with plain spin_lock(): the handler interrupts the holder on
 * its own thread. Returns the interrupts taken meanwhile. */
int eerd_hold_unmasked(struct device *dev, unsigned int us);

#endif
