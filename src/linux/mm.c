// SPDX-License-Identifier: MIT
/* What an address is, for drivers (<linux/sched/task_stack.h>). */
#include <linux/sched/task_stack.h>

#include "../debug/area.h"
#include "linux.h"

bool object_is_on_stack(const void *obj)
{
	return dk_area_of(dk_machine_current(), obj) == DK_AREA_STACK;
}
