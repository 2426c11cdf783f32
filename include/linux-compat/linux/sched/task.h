/* SPDX-License-Identifier: MIT */
/* <linux/sched/task.h> for driver code built against dmakit: task
 * references (get_task_struct(), put_task_struct()), in <linux/sched.h>. */
#ifndef DMAKIT_COMPAT_LINUX_SCHED_TASK_H
#define DMAKIT_COMPAT_LINUX_SCHED_TASK_H

#include <linux/sched.h>

#endif
