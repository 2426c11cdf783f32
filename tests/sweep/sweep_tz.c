// SPDX-License-Identifier: MIT
/* Sweep cases: TrustZone worlds and executed alignment faults. */
#include <errno.h>
#include <stdint.h>

#include <dmakit/align_fault.h>
#include <dmakit/trustzone.h>

#include "sweep.h"

#define RAM 0x80000000ULL

SWEEP(dk_soc_cpu_world, "freed and NULL SoC", W_MACHINE)
{
	EXPECT(dk_soc_cpu_world(sweep_freed_soc(e)) == DK_WORLD_NONSECURE);
	EXPECT(dk_soc_cpu_world(NULL) == DK_WORLD_NONSECURE);
	EXPECT(dk_soc_cpu_world(e->soc) == DK_WORLD_NONSECURE);
	return 0;
}

SWEEP(dk_smc, "freed SoC, unknown function, no TZASC", W_MACHINE)
{
	EXPECT(dk_smc(sweep_freed_soc(e), DK_SMC_TZASC_LOCK, 0, 0, 0, 0) ==
	       -EINVAL);
	EXPECT(dk_smc(e->soc, 0xffffffff, ~0ULL, ~0ULL, ~0ULL, ~0ULL) ==
	       -EOPNOTSUPP);
	EXPECT(dk_smc(e->soc, DK_SMC_TZASC_REGION, ~0ULL, ~0ULL, ~0ULL,
		      ~0ULL) == -ENODEV);
	return 0;
}

SWEEP(dk_soc_set_secure_monitor, "freed SoC", W_MACHINE)
{
	EXPECT(dk_soc_set_secure_monitor(sweep_freed_soc(e), NULL, NULL) ==
	       -EINVAL);
	EXPECT(dk_soc_set_secure_monitor(e->soc, NULL, NULL) == 0);
	return 0;
}

SWEEP(dk_cpu_read, "NULL buffer, no RAM, SIZE_MAX, freed SoC", W_MACHINE)
{
	u8 b[16];

	EXPECT(dk_cpu_read(e->soc, RAM, NULL, 16) == -EINVAL);
	EXPECT(dk_cpu_read(e->soc, RAM, b, 0) == -EINVAL);
	EXPECT(dk_cpu_read(e->soc, 0, b, 16) == -EINVAL);
	EXPECT(dk_cpu_read(e->soc, RAM, b, SIZE_MAX) == -EINVAL);
	EXPECT(dk_cpu_read(e->soc, ~0ULL - 4, b, 16) == -EINVAL);
	EXPECT(dk_cpu_read(sweep_freed_soc(e), RAM, b, 16) == -EINVAL);
	return 0;
}

SWEEP(dk_cpu_write, "NULL buffer, no RAM, freed SoC", W_MACHINE)
{
	u8 b[16] = { 0 };

	EXPECT(dk_cpu_write(e->soc, RAM, NULL, 16) == -EINVAL);
	EXPECT(dk_cpu_write(e->soc, 0, b, 16) == -EINVAL);
	EXPECT(dk_cpu_write(sweep_freed_soc(e), RAM, b, 16) == -EINVAL);
	return 0;
}

SWEEP(dk_cpu_read_world, "NS = 0 from the normal world, bad world, NULL, freed SoC", W_MACHINE)
{
	u8 b[16];

	EXPECT(dk_cpu_read_world(e->soc, DK_WORLD_SECURE, RAM, b, 16) ==
	       -EPERM);
	EXPECT(dk_cpu_read_world(e->soc, (enum dk_world)-1, RAM, b, 16) ==
	       -EINVAL);
	EXPECT(dk_cpu_read_world(e->soc, DK_WORLD_NONSECURE, RAM, NULL, 16) ==
	       -EINVAL);
	EXPECT(dk_cpu_read_world(sweep_freed_soc(e), DK_WORLD_NONSECURE, RAM,
				 b, 16) == -EINVAL);
	return 0;
}

SWEEP(dk_cpu_write_world, "NS = 0 from the normal world, bad world, no RAM", W_MACHINE)
{
	u8 b[16] = { 0 };

	EXPECT(dk_cpu_write_world(e->soc, DK_WORLD_SECURE, RAM, b, 16) ==
	       -EPERM);
	EXPECT(dk_cpu_write_world(e->soc, (enum dk_world)9, RAM, b, 16) ==
	       -EINVAL);
	EXPECT(dk_cpu_write_world(e->soc, DK_WORLD_NONSECURE, 0, b, 16) ==
	       -EINVAL);
	return 0;
}

SWEEP(dk_dev_dma_world, "bad world, gasket, dead device", W_MACHINE)
{
	u8 b[16];

	EXPECT(dk_dev_dma_world(e->sdev, (enum dk_world)7, false, RAM, b,
				16) == -EINVAL);
	EXPECT(dk_dev_dma_world(e->sdev, DK_WORLD_SECURE, false, RAM, b, 16) ==
	       -EPERM);
	EXPECT(dk_dev_dma_world(e->sdev, DK_WORLD_NONSECURE, false, RAM, NULL,
				16) == -EINVAL);
	EXPECT(dk_dev_dma_world(sweep_dead_simdev(e), DK_WORLD_NONSECURE,
				false, RAM, b, 16) == -EINVAL);
	EXPECT(dk_dev_dma_world(NULL, DK_WORLD_NONSECURE, true, RAM, b, 16) ==
	       -EINVAL);
	return 0;
}

static void nothing(void *arg)
{
	(void)arg;
}

SWEEP(dk_so_run, "NULL and empty arguments, wrapping range", W_NONE)
{
	struct dk_align_fault f;
	int x;

	EXPECT(dk_so_run(NULL, 4, nothing, NULL, &f) == -EINVAL);
	EXPECT(dk_so_run(&x, 0, nothing, NULL, &f) == -EINVAL);
	EXPECT(dk_so_run(&x, 4, NULL, NULL, &f) == -EINVAL);
	EXPECT(dk_so_run(&x, 4, nothing, NULL, NULL) == -EINVAL);
	EXPECT(dk_so_run((void *)(uintptr_t)-2, 8, nothing, NULL, &f) ==
	       -EINVAL);
	return 0;
}

SWEEP(dk_so_enforced, "called twice", W_NONE)
{
	EXPECT(dk_so_enforced() == dk_so_enforced());
	return 0;
}

SWEEP(dk_align_fault_format, "NULL fault, NULL and empty buffer, bogus frames", W_NONE)
{
	struct dk_align_fault f = { .nframes = DK_ALIGN_FAULT_FRAMES + 100 };
	char b[64], big[8192];

	EXPECT(dk_align_fault_format(&f, big, sizeof(big)) == big);
	EXPECT(dk_align_fault_format(NULL, b, sizeof(b)) == b && !b[0]);
	EXPECT(dk_align_fault_format(&f, NULL, 10) == NULL);
	EXPECT(dk_align_fault_format(&f, b, 0) == b);
	EXPECT(dk_align_fault_format(&f, b, sizeof(b)) == b &&
	       strlen(b) == sizeof(b) - 1);
	return 0;
}
