/* SPDX-License-Identifier: MIT */
/*
 * Register accesses that take time, for device models on slow peripheral
 * buses.
 *
 * The simulated CPU runs in zero time: simulated time passes only as the
 * event loop runs. A driver that waits for a device by polling one of its
 * status registers would therefore never see it finish unless something
 * ran the loop. Real peripheral buses are slow, and a CPU that reads a
 * register there is stalled until the answer comes back; models of such
 * devices call dk_simdev_stall() from their MMIO handlers, so every
 * register access costs bus cycles during which every device of the SoC
 * makes progress. A polling loop then sees the hardware finish, and
 * dk_soc_now() measures what the driver's register traffic costs.
 */
#ifndef DMAKIT_MODELS_STALL_H
#define DMAKIT_MODELS_STALL_H

#include <dmakit/sim_device.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * dk_simdev_stall - let @cycles of simulated time pass before returning,
 * running every event that falls due meanwhile (on this thread, or on the
 * event loop's own thread in threaded mode). Called from inside an event
 * handler it runs the events due in the window there and then, nested in
 * the running one. 0 cycles returns at once. A stall already in progress
 * on @dev's SoC in this thread is not nested: the inner call returns at
 * once, so models may call it from handlers that a stall itself runs;
 * so does a call on the event loop's own thread in threaded mode.
 */
void dk_simdev_stall(struct dk_simdev *dev, u64 cycles);

#ifdef __cplusplus
}
#endif

#endif
