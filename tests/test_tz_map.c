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
#include <unistd.h>

#include <dmakit/gfp.h>
#include <dmakit/mm.h>
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
	CHECK_EQ(test_in_child(load, fw, out, sizeof(out)), SIGSEGV);
	snprintf(want, sizeof(want),
		 "Unhandled fault: synchronous external abort at %p\n",
		 (void *)fw);
	CHECK_STR(out, want);
	CHECK(strstr(out, "CPU (non-secure world) read of secure memory at physical 0x80800040 (the firewall or the TZASC refused it)\nCall trace:\n"));
	CHECK_EQ(test_in_child(store, tz, out, sizeof(out)), SIGSEGV);
	CHECK(strstr(out, "CPU (non-secure world) write of secure memory at physical 0x80f00000 (the firewall or the TZASC refused it)"));
	/* Ordinary memory is not closed. */
	CHECK_EQ(test_in_child(store, phys_to_virt(0x80100000), out, sizeof(out)),
		 0);
	/* The secure world reads through the same pointer. */
	CHECK_EQ(dk_soc_set_secure_monitor(t.soc, monitor, &j), 0);
	CHECK_EQ(dk_smc(t.soc, 1, 0, 0, 0, 0), 0);
	CHECK_EQ(j.seen, 0x5e);
	CHECK_EQ(test_in_child(load, fw, out, sizeof(out)), SIGSEGV);
	/* The TZASC shares its region's first page: that page opens. */
	CHECK_EQ(dk_soc_set_secure_monitor(t.soc, NULL, NULL), 0);
	CHECK_EQ(dk_smc(t.soc, DK_SMC_TZASC_REGION, 1, TZ, 0x1000,
			DK_TZASC_ATTR_EN | DK_TZASC_ATTR_NS), 0);
	CHECK_EQ(test_in_child(store, tz, out, sizeof(out)), 0);
	CHECK_EQ(test_in_child(load, tz + 0x1000, out, sizeof(out)), SIGSEGV);
	testmachine_shutdown(&t);
}

/* Every CPU alias of secure memory faults in the normal world as the
 * linear map does: the TZASC checks the physical address, not the
 * mapping. */
TEST(tz_map_every_alias_of_secure_memory_faults_in_the_normal_world)
{
	struct testmachine t = testmachine_boot(tree, NULL, NULL);
	const phys_addr_t pages[2] = { 0x80100000, FW + 0x3000 };
	volatile u8 *uc = dk_sim_map_alias(t.soc, FW, 0x2000, DK_ALIAS_UNCACHED);
	volatile u8 *wc = memremap(TZ, 0x1000, MEMREMAP_WC);
	volatile u8 *vm = dk_sim_vmap(t.soc, pages, 2, DK_ALIAS_CACHED);
	volatile u8 *more[5];
	char out[4096], want[160];
	struct job j;
	int i;

	CHECK(uc && wc && vm);
	memset(dk_sim_cpu_ptr(t.soc, FW + 0x3010), 0x6b, 1);
	CHECK_EQ(test_in_child(load, uc + 0x1008, out, sizeof(out)), SIGSEGV);
	snprintf(want, sizeof(want),
		 "Unhandled fault: synchronous external abort at %p\n",
		 (void *)(uc + 0x1008));
	CHECK_STR(out, want);
	CHECK(strstr(out, "CPU (non-secure world) read of secure memory at physical 0x80801008 (the firewall or the TZASC refused it)\nCall trace:\n"));
	CHECK_EQ(test_in_child(store, wc + 4, out, sizeof(out)), SIGSEGV);
	CHECK(strstr(out, "CPU (non-secure world) write of secure memory at physical 0x80f00004 (the firewall or the TZASC refused it)"));
	/* A vmap's secure page faults, its ordinary page does not. */
	CHECK_EQ(test_in_child(load, vm + 0x1010, out, sizeof(out)), SIGSEGV);
	CHECK(strstr(out, "read of secure memory at physical 0x80803010 "));
	CHECK_EQ(test_in_child(store, vm + 0x10, out, sizeof(out)), 0);
	/* Past the alias windows, aliases are mappings of their own. */
	for (i = 0; i < 5; i++)
		more[i] = dk_sim_map_alias(t.soc, FW, 0x1000,
					   DK_ALIAS_UNCACHED);
	CHECK(more[4] != NULL);
	CHECK_EQ(test_in_child(store, more[4], out, sizeof(out)), SIGSEGV);
	CHECK(strstr(out, "write of secure memory at physical 0x80800000 "));
	/* The secure world reads through them. */
	j.p = vm + 0x1010;
	CHECK_EQ(dk_soc_set_secure_monitor(t.soc, monitor, &j), 0);
	CHECK_EQ(dk_smc(t.soc, 1, 0, 0, 0, 0), 0);
	CHECK_EQ(j.seen, 0x6b);
	CHECK_EQ(test_in_child(load, vm + 0x1010, out, sizeof(out)), SIGSEGV);
	/* A region the TZASC makes non-secure opens in every view. */
	CHECK_EQ(dk_soc_set_secure_monitor(t.soc, NULL, NULL), 0);
	CHECK_EQ(dk_smc(t.soc, DK_SMC_TZASC_REGION, 1, TZ, 0x1000,
			DK_TZASC_ATTR_EN | DK_TZASC_ATTR_NS), 0);
	CHECK_EQ(test_in_child(store, wc, out, sizeof(out)), 0);
	for (i = 0; i < 5; i++)
		CHECK_EQ(dk_sim_unmap_alias(t.soc, (void *)more[i]), 0);
	CHECK_EQ(dk_sim_unmap_alias(t.soc, (void *)vm), 0);
	memunmap((void *)wc);
	CHECK_EQ(dk_sim_unmap_alias(t.soc, (void *)uc), 0);
	testmachine_shutdown(&t);
}

static long make_alias(void *arg, struct dk_soc *soc, u32 fid,
		       const u64 a[4])
{
	struct job *j = arg;

	(void)fid;
	(void)a;
	j->p = dk_sim_map_alias(soc, FW, 0x1000, DK_ALIAS_WRITE_COMBINE);
	j->p[0] = 0x11;		/* open to the secure world */
	return 0;
}

/* An alias made in the secure world closes on the way back; one made of
 * ordinary memory is never closed, and an unmapped one leaves nothing
 * closed behind. */
TEST(tz_map_an_alias_made_in_the_secure_world_closes_on_return)
{
	struct testmachine t = testmachine_boot(tree, NULL, NULL);
	struct job j = { 0 };
	char out[4096];
	volatile u8 *plain;

	CHECK_EQ(dk_soc_set_secure_monitor(t.soc, make_alias, &j), 0);
	CHECK_EQ(dk_smc(t.soc, 1, 0, 0, 0, 0), 0);
	CHECK(j.p != NULL);
	CHECK_EQ(test_in_child(load, j.p, out, sizeof(out)), SIGSEGV);
	CHECK(strstr(out, "read of secure memory at physical 0x80800000 "));
	CHECK_EQ(dk_sim_unmap_alias(t.soc, (void *)j.p), 0);
	plain = dk_sim_map_alias(t.soc, 0x80200000, 0x1000,
				 DK_ALIAS_WRITE_COMBINE);
	CHECK_EQ(test_in_child(store, plain, out, sizeof(out)), 0);
	CHECK_EQ(dk_sim_unmap_alias(t.soc, (void *)plain), 0);
	testmachine_shutdown(&t);
}

/* On an aliasing cache a cached vmap's bytes are its own lines, which the
 * model writes back through the mapping: it stays open, and flushing it
 * in the normal world is no fault. */
TEST(tz_map_a_vmap_with_lines_of_its_own_stays_open)
{
	static const char vipt[] =
		"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
		"cpus { #address-cells = <1>; #size-cells = <0>;\n"
		"	cpu@0 { device_type = \"cpu\"; reg = <0>; dmakit,cache-aliasing; }; };\n"
		"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
		"reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;\n"
		"	fw@80800000 { no-map; reg = <0 0x80800000 0 0x100000>; }; };\n"
		"firewall { compatible = \"dmakit,firewall\";\n"
		"	dmakit,secure-ranges = <0 0x80800000 0 0x100000>; };\n"
		"};\n";
	struct testmachine t = testmachine_boot(vipt, NULL, NULL);
	const phys_addr_t pg = FW;
	u8 *vm = dk_sim_vmap(t.soc, &pg, 1, DK_ALIAS_CACHED), got;
	char out[4096];

	CHECK(vm != NULL);
	CHECK_EQ(test_in_child(store, vm, out, sizeof(out)), 0);
	vm[8] = 0x4d;
	CHECK_EQ(dk_sim_vmap_sync(t.soc, vm, 64, true), 1);
	dk_sim_peek(&got, dk_sim_dram_ptr(t.soc, FW + 8), 1);
	CHECK_EQ(got, 0x4d);
	CHECK_EQ(dk_sim_unmap_alias(t.soc, vm), 0);
	testmachine_shutdown(&t);
}

#define MANY 300

/*
 * Hundreds of closed ranges: cached aliases (mappings of their own, not
 * windows) of secure pages, and a vmap of
 * every other secure page, one range a page. The last of each still
 * faults (a fixed table of 256 left what came after it open, and said
 * nothing), and pages consecutive in memory close as one range.
 */
TEST(tz_map_every_one_of_hundreds_of_aliases_faults)
{
	struct testmachine t = testmachine_boot(tree, NULL, NULL);
	static volatile u8 *many[MANY];
	static phys_addr_t pages[MANY];
	volatile u8 *vm;
	char out[4096];
	int i;

	for (i = 0; i < MANY; i++) {
		many[i] = dk_sim_map_alias(t.soc, FW + (i % 64) * 0x1000,
					   0x1000, DK_ALIAS_CACHED);
		CHECK(many[i] != NULL);
	}
	CHECK_EQ(test_in_child(load, many[MANY - 1] + 8, out, sizeof(out)), SIGSEGV);
	CHECK(strstr(out, "read of secure memory at physical 0x8082b008 "));
	/* Every other page of the firewall's range, and beyond it. */
	for (i = 0; i < MANY; i++)
		pages[i] = i < 128 ? FW + i * 0x2000 : 0x80200000 + i * 0x1000;
	vm = dk_sim_vmap(t.soc, pages, MANY, DK_ALIAS_CACHED);
	CHECK(vm != NULL);
	CHECK_EQ(test_in_child(store, vm + 127 * 0x1000 + 4, out, sizeof(out)),
		 SIGSEGV);
	CHECK(strstr(out, "write of secure memory at physical 0x808fe004 "));
	CHECK_EQ(test_in_child(store, vm + 128 * 0x1000, out, sizeof(out)), 0);
	CHECK_EQ(dk_sim_unmap_alias(t.soc, (void *)vm), 0);
	for (i = 0; i < MANY; i++)
		CHECK_EQ(dk_sim_unmap_alias(t.soc, (void *)many[i]), 0);
	testmachine_shutdown(&t);
}
