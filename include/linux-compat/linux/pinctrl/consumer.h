/* SPDX-License-Identifier: MIT */
/*
 * <linux/pinctrl/consumer.h> for driver code built against dmakit. The
 * simulated SoC has no pin multiplexing: as in a kernel built without
 * pinctrl, a driver gets NULL handles and every selection succeeds.
 */
#ifndef DMAKIT_COMPAT_LINUX_PINCTRL_CONSUMER_H
#define DMAKIT_COMPAT_LINUX_PINCTRL_CONSUMER_H

#include <linux/compiler.h>
#include <linux/device.h>

struct pinctrl;
struct pinctrl_state;

#define PINCTRL_STATE_DEFAULT	"default"
#define PINCTRL_STATE_IDLE	"idle"
#define PINCTRL_STATE_SLEEP	"sleep"

/**
 * devm_pinctrl_get() - a device's pin controller handle.
 * @dev: the device.
 *
 * Return: NULL (no pin control here), which every pinctrl_*() accepts.
 */
static inline struct pinctrl *devm_pinctrl_get(struct device *dev)
{
	(void)dev;
	return NULL;
}

/**
 * pinctrl_lookup_state() - a named pin state.
 * @p: the handle.
 * @name: the state.
 *
 * Return: NULL, accepted by pinctrl_select_state().
 */
static inline struct pinctrl_state *pinctrl_lookup_state(struct pinctrl *p,
							 const char *name)
{
	(void)p;
	(void)name;
	return NULL;
}

/**
 * pinctrl_select_state() - switch the pins to a state.
 * @p: the handle.
 * @s: the state.
 *
 * Return: 0.
 */
static inline int pinctrl_select_state(struct pinctrl *p,
				       struct pinctrl_state *s)
{
	(void)p;
	(void)s;
	return 0;
}

/**
 * pinctrl_pm_select_default_state() - pins to "default".
 * @dev: the device.
 *
 * Return: 0.
 */
static inline int pinctrl_pm_select_default_state(struct device *dev)
{
	(void)dev;
	return 0;
}

/**
 * pinctrl_pm_select_sleep_state() - pins to "sleep".
 * @dev: the device.
 *
 * Return: 0.
 */
static inline int pinctrl_pm_select_sleep_state(struct device *dev)
{
	(void)dev;
	return 0;
}

/**
 * pinctrl_pm_select_idle_state() - pins to "idle".
 * @dev: the device.
 *
 * Return: 0.
 */
static inline int pinctrl_pm_select_idle_state(struct device *dev)
{
	(void)dev;
	return 0;
}

#define devm_pinctrl_put(p)	((void)(p))
#define pinctrl_put(p)		((void)(p))

#endif
