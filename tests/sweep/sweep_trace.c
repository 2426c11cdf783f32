// SPDX-License-Identifier: MIT
/* The sweep's cases for the tracer and the cache-line query. */
#include <errno.h>
#include <stdio.h>

#include <dmakit/sim_memory.h>
#include <dmakit/trace.h>

#include "sweep.h"

#define RAM 0x80000000ULL

SWEEP(dk_sim_line_states, "NULL, empty, overflowing, not RAM, freed SoC",
      W_MACHINE)
{
	u8 st[4];

	EXPECT(dk_sim_line_states(e->soc, RAM, 4, NULL) == -EINVAL);
	EXPECT(dk_sim_line_states(e->soc, RAM, 0, st) == -EINVAL);
	EXPECT(dk_sim_line_states(e->soc, RAM, SIZE_MAX, st) == -EINVAL);
	EXPECT(dk_sim_line_states(e->soc, ~0ULL - 8, 4, st) == -EINVAL);
	EXPECT(dk_sim_line_states(e->soc, 0x1000, 1, st) == -EINVAL);
	EXPECT(dk_sim_line_states(sweep_freed_soc(e), RAM, 1, st) == -EINVAL);
	EXPECT(dk_sim_line_states(NULL, RAM, 1, st) == -EINVAL);
	return 0;
}

SWEEP(dk_trace_begin, "NULL, dead machine, twice", W_MACHINE)
{
	EXPECT(dk_trace_begin(NULL, "x") == -EINVAL);
	EXPECT(dk_trace_begin(sweep_dead_machine(e), "x") == -EINVAL);
	EXPECT(dk_trace_begin(e->m, NULL) == 0);
	EXPECT(dk_trace_begin(e->m, "again") == -EBUSY);
	dk_trace_clear();
	return 0;
}

SWEEP(dk_trace_end, "with nothing recording, twice", W_NONE)
{
	dk_trace_end();
	dk_trace_end();
	return 0;
}

SWEEP(dk_trace_write, "NULL, nothing recorded, a directory", W_MACHINE)
{
	EXPECT(dk_trace_write(NULL) == -EINVAL);
	EXPECT(dk_trace_write("/tmp/dmakit-sweep-trace.svg") == -ENODATA);
	EXPECT(dk_trace_begin(e->m, "x") == 0);
	dk_trace_end();
	EXPECT(dk_trace_write("/") < 0);
	dk_trace_clear();
	return 0;
}

SWEEP(dk_trace_write_svg, "NULL stream, nothing recorded", W_NONE)
{
	FILE *f = fopen("/dev/null", "w");

	EXPECT(dk_trace_write_svg(NULL) == -EINVAL);
	EXPECT(dk_trace_write_svg(f) == -ENODATA);
	fclose(f);
	return 0;
}

SWEEP(dk_trace_write_json, "NULL stream, nothing recorded", W_NONE)
{
	FILE *f = fopen("/dev/null", "w");

	EXPECT(dk_trace_write_json(NULL) == -EINVAL);
	EXPECT(dk_trace_write_json(f) == -ENODATA);
	fclose(f);
	return 0;
}

SWEEP(dk_trace_clear, "with nothing recorded, twice", W_NONE)
{
	dk_trace_clear();
	dk_trace_clear();
	return 0;
}
