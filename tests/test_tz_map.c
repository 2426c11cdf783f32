// SPDX-License-Identifier: MIT
/*
 * Plain dereferences of secure memory: a normal-world load or store
 * through the CPU's pointer (phys_to_virt()) to the firewall's secure
 * range or a TZASC secure region faults at the instruction and kills the
 * program with the kernel's report; the secure world dereferences the
 * same pointer; a region the TZASC makes non-secure opens.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <dmakit/gfp.h>
#include <dmakit/models/tzasc.h>
#include <dmakit/sim_memory.h>
#include <dmakit/trustzone.h>

#include "harness.h"
#include "testsoc.h"

#define FW 0x80800000ULL	/* the firewall's secure range */
#define TZ 0x80f00000ULL	/* the TZASC's secure region 0 */

static const char tree[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	#address-cells = <2>; #size-cells = <2>;\n"
	"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"	reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"		fw@80800000 { no-map; reg = <0 0x80800000 0 0x100000>; };\n"
	"		tz@80f00000 { no-map; reg = <0 0x80f00000 0 0x100000>; };\n"
	"	};\n"
	"	firewall { compatible = \"dmakit,firewall\";\n"
	"		dmakit,secure-ranges = <0 0x80800000 0 0x100000>; };\n"
	"	soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"		tzasc { compatible = \"dmakit,tzasc\"; reg = <0 0x10050000 0 0x1000>;\n"
	"			dmakit,secure-ranges = <0 0x80f00000 0 0x100000>; };\n"
	"	};\n"
	"};\n";

/* Run @fn(@p) in a child; its signal and what it printed. */
static int in_child(void (*fn)(volatile u8 *p), volatile u8 *p, char *out,
		    size_t len)
{
	int fds[2], status = 0;
	ssize_t n, got = 0;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (!pid) {
		dup2(fds[1], STDERR_FILENO);
		fn(p);
		_exit(0);
	}
	close(fds[1]);
	while (got < (ssize_t)len - 1 &&
	       (n = read(fds[0], out + got, len - 1 - got)) > 0)
		got += n;
	out[got] = 0;
	close(fds[0]);
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void load(volatile u8 *p)
{
	(void)*p;
}

static void store(volatile u8 *p)
{
	*p = 1;
}

struct job {
	volatile u8 *p;
	u8 seen;
};

static long monitor(void *arg, struct dk_soc *soc, u32 fid, const u64 a[4])
{
	struct job *j = arg;

	(void)soc;
	(void)fid;
	(void)a;
	j->seen = *j->p;	/* the secure world's own pointer */
	return 0;
}

TEST(tz_map_a_normal_world_dereference_of_secure_memory_faults)
{
	struct testmachine t = testmachine_boot(tree, NULL, NULL);
	volatile u8 *fw = phys_to_virt(FW + 0x40), *tz = phys_to_virt(TZ);
	char out[4096], want[160];
	struct job j = { .p = fw };

	CHECK(fw && tz);
	memset(dk_sim_cpu_ptr(t.soc, FW + 0x40), 0x5e, 1);
	CHECK_EQ(in_child(load, fw, out, sizeof(out)), SIGSEGV);
	snprintf(want, sizeof(want),
		 "Unhandled fault: synchronous external abort at %p\n",
		 (void *)fw);
	CHECK_STR(out, want);
	CHECK(strstr(out, "CPU (non-secure world) read of secure memory at physical 0x80800040 (the firewall or the TZASC refused it)\nCall trace:\n"));
	CHECK_EQ(in_child(store, tz, out, sizeof(out)), SIGSEGV);
	CHECK(strstr(out, "CPU (non-secure world) write of secure memory at physical 0x80f00000 (the firewall or the TZASC refused it)"));
	/* Ordinary memory is not closed. */
	CHECK_EQ(in_child(store, phys_to_virt(0x80100000), out, sizeof(out)),
		 0);
	/* The secure world reads through the same pointer. */
	CHECK_EQ(dk_soc_set_secure_monitor(t.soc, monitor, &j), 0);
	CHECK_EQ(dk_smc(t.soc, 1, 0, 0, 0, 0), 0);
	CHECK_EQ(j.seen, 0x5e);
	CHECK_EQ(in_child(load, fw, out, sizeof(out)), SIGSEGV);
	/* The TZASC shares its region's first page: that page opens. */
	CHECK_EQ(dk_soc_set_secure_monitor(t.soc, NULL, NULL), 0);
	CHECK_EQ(dk_smc(t.soc, DK_SMC_TZASC_REGION, 1, TZ, 0x1000,
			DK_TZASC_ATTR_EN | DK_TZASC_ATTR_NS), 0);
	CHECK_EQ(in_child(store, tz, out, sizeof(out)), 0);
	CHECK_EQ(in_child(load, tz + 0x1000, out, sizeof(out)), SIGSEGV);
	testmachine_shutdown(&t);
}
