/* SPDX-License-Identifier: MIT */
/* <linux/sched/task_stack.h> for driver code built against dmakit:
 * whether an object lives on a stack. */
#ifndef DMAKIT_COMPAT_LINUX_SCHED_TASK_STACK_H
#define DMAKIT_COMPAT_LINUX_SCHED_TASK_STACK_H

#include <linux/compiler.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * object_is_on_stack() - whether an object lives on a thread's stack
 * (this thread's, or the stack of another that waits in a system call),
 * as the DMA checker tells: DMA must not target it.
 * @obj: the object.
 *
 * Return: true if on a stack.
 */
bool object_is_on_stack(const void *obj);

#ifdef __cplusplus
}
#endif

#endif
