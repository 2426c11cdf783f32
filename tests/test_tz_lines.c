// SPDX-License-Identifier: MIT
/*
 * The NS bit in cache tags: what the secure world writes with NS = 0 into
 * memory it shares with the normal world sits in secure lines the normal
 * world never hits until the secure world cleans them; a secure read does
 * not see the normal world's dirty lines; NS = 1 from the secure world
 * shares the normal world's lines.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/sim_memory.h>
#include <dmakit/trustzone.h>

#include "harness.h"
#include "testsoc.h"

#define SEC 0x80800000ULL	/* firewall-secure, 1 MiB */
#define SHM 0x80200000ULL	/* shared with the normal world */

static const char tree[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	#address-cells = <2>; #size-cells = <2>;\n"
	"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"	firewall { compatible = \"dmakit,firewall\";\n"
	"		dmakit,secure-ranges = <0 0x80800000 0 0x100000>; };\n"
	"};\n";

struct job {
	int (*fn)(struct dk_soc *soc, struct job *j);
	u8 in[64];
	int r;
};

static long monitor(void *arg, struct dk_soc *soc, u32 fid, const u64 a[4])
{
	struct job *j = arg;

	(void)fid;
	(void)a;
	return j->fn(soc, j);
}

static long smc(struct dk_soc *soc, struct job *j)
{
	CHECK_EQ(dk_soc_set_secure_monitor(soc, monitor, j), 0);
	return dk_smc(soc, 1, 0, 0, 0, 0);
}

static struct dk_soc *load(void)
{
	struct dk_soc_opts o = testsoc_policy(DK_EVICT_NEVER, 1, 0);

	return testsoc_load(tree, &o);
}

static const u8 *bytes(int v)
{
	static u8 b[64];

	memset(b, v, sizeof(b));
	return b;
}

/* Read the request (NS = 0), write the reply (NS = 0), return. */
static int reply_secure(struct dk_soc *soc, struct job *j)
{
	return dk_cpu_read(soc, SHM, j->in, 64) ||
	       dk_cpu_write(soc, SHM, bytes(0x22), 64);
}

static int read_secure(struct dk_soc *soc, struct job *j)
{
	return dk_cpu_read(soc, SHM, j->in, 64);
}

TEST(tz_lines_secure_and_normal_lines_of_one_address_miss_each_other)
{
	struct dk_soc *soc = load();
	struct job j = { .fn = reply_secure };
	u8 got[64];

	/* The normal world's request, dirty in its line, not cleaned. */
	CHECK_EQ(dk_cpu_write(soc, SHM, bytes(0x11), 64), 0);
	CHECK_EQ(smc(soc, &j), 0);
	/* The secure read missed the normal line: DRAM's zeroes. */
	CHECK_MEM(j.in, bytes(0), 64);
	/* The reply sits in a secure line: the normal world has its own. */
	CHECK_EQ(dk_cpu_read(soc, SHM, got, 64), 0);
	CHECK_MEM(got, bytes(0x11), 64);
	CHECK_MEM(dk_sim_dram_ptr(soc, SHM), bytes(0), 64);
	/* The normal world's maintenance leaves the secure line alone. */
	CHECK_EQ(dk_sim_cache_clean_inval(soc, SHM, 64), 0);
	CHECK_MEM(dk_sim_dram_ptr(soc, SHM), bytes(0x11), 64);
	j.fn = read_secure;
	CHECK_EQ(smc(soc, &j), 0);
	CHECK_MEM(j.in, bytes(0x22), 64);
	dk_soc_free(soc);
}

static int reply_and_clean(struct dk_soc *soc, struct job *j)
{
	(void)j;
	return dk_cpu_write(soc, SHM, bytes(0x22), 64) ||
	       dk_sim_cache_clean(soc, SHM, 64);
}

static int reply_non_secure(struct dk_soc *soc, struct job *j)
{
	(void)j;
	return dk_cpu_write_world(soc, DK_WORLD_NONSECURE, SHM, bytes(0x33),
				  64);
}

TEST(tz_lines_a_clean_from_the_secure_world_or_ns_1_reaches_the_normal_world)
{
	struct dk_soc *soc = load();
	struct job j = { .fn = reply_and_clean };
	u8 got[64];

	CHECK_EQ(dk_cpu_read(soc, SHM, got, 64), 0);	/* a clean line */
	CHECK_EQ(smc(soc, &j), 0);
	CHECK_MEM(dk_sim_dram_ptr(soc, SHM), bytes(0x22), 64);
	/* The normal world's clean line is stale until it invalidates. */
	CHECK_EQ(dk_cpu_read(soc, SHM, got, 64), 0);
	CHECK_MEM(got, bytes(0), 64);
	CHECK_EQ(dk_sim_cache_inval(soc, SHM, 64), 0);
	CHECK_EQ(dk_cpu_read(soc, SHM, got, 64), 0);
	CHECK_MEM(got, bytes(0x22), 64);
	/* A non-secure mapping in the secure world shares the lines. */
	j.fn = reply_non_secure;
	CHECK_EQ(smc(soc, &j), 0);
	CHECK_EQ(dk_cpu_read(soc, SHM, got, 64), 0);
	CHECK_MEM(got, bytes(0x33), 64);
	CHECK_MEM(dk_sim_dram_ptr(soc, SHM), bytes(0x22), 64);
	dk_soc_free(soc);
}

static int ns_access_to_secure_memory(struct dk_soc *soc, struct job *j)
{
	/* Secure memory, NS = 0: the CPU's view there is the secure one. */
	j->r = dk_cpu_read_world(soc, DK_WORLD_SECURE, SEC, j->in, 64);
	return dk_cpu_read_world(soc, DK_WORLD_NONSECURE, SEC, j->in, 64);
}

TEST(tz_lines_the_ns_bit_of_an_access_is_checked)
{
	struct dk_soc *soc = load();
	struct job j = { .fn = ns_access_to_secure_memory };
	u8 got[64];

	memset(dk_sim_cpu_ptr(soc, SEC), 0x5e, 64);
	CHECK_EQ(dk_cpu_read_world(soc, DK_WORLD_SECURE, SHM, got, 64),
		 -EPERM);
	CHECK_STR(dk_last_error(), "dk_cpu_read_world: the normal world cannot make a secure (NS = 0) access");
	CHECK_EQ(dk_cpu_write_world(soc, (enum dk_world)7, SHM, got, 64),
		 -EINVAL);
	CHECK_STR(dk_last_error(), "dk_cpu_write_world: world 7");
	CHECK_EQ(dk_cpu_read_world(soc, DK_WORLD_NONSECURE, SHM, got, 64), 0);
	/* In the secure world, NS = 1 to secure memory faults all the same. */
	CHECK_EQ(smc(soc, &j), -EFAULT);
	CHECK_EQ(j.r, 0);
	CHECK_MEM(j.in, bytes(0x5e), 64);
	CHECK_STR(dk_last_error(), "CPU (non-secure access) read of 64 bytes at 0x80800000: secure memory at 0x80800000");
	CHECK_EQ(dk_soc_nfaults(soc), 1);
	CHECK_EQ(dk_soc_fault(soc, 0)->reason, DK_FAULT_TZASC);
	dk_soc_free(soc);
}
