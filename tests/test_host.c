// SPDX-License-Identifier: MIT
/*
 * The host platform's refusals that need no VFIO device. What needs one
 * runs in make vm-check's guest (tests/vm/guest_tests.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/host.h>

#include "harness.h"
#include "testsoc.h"

TEST(host_platform_names_what_is_wrong_with_the_address)
{
	struct dk_platform pl;

	CHECK_EQ(dk_platform_host("nonsense", NULL, &pl), -EINVAL);
	CHECK(strstr(dk_last_error(), "\"nonsense\" is not a PCI address"));
	CHECK_EQ(dk_platform_host("0000:ff:1f.7", NULL, &pl), -ENODEV);
	CHECK(strstr(dk_last_error(), "no PCI device 0000:ff:1f.7"));
	CHECK_EQ(dk_platform_host(NULL, NULL, &pl), -EINVAL);
	CHECK_EQ(dk_platform_host("0000:00:02.0", NULL, NULL), -EINVAL);
}

/* The backend is an argument: checked before anything of the system. */
TEST(host_platform_refuses_an_unknown_backend_first)
{
	struct dk_host_opts ho = { .backend = (enum dk_host_backend)7 };
	struct dk_platform pl;

	CHECK_EQ(dk_platform_host("0000:ff:1f.7", &ho, &pl), -EINVAL);
	CHECK_STR(dk_last_error(), "dk_platform_host: backend 7 unknown");
}

TEST(host_platform_refuses_a_backend_unknown_to_the_environment)
{
	struct dk_platform pl;

	setenv("DMAKIT_HOST_BACKEND", "vfio2", 1);
	CHECK_EQ(dk_platform_host("0000:ff:1f.7", NULL, &pl), -EINVAL);
	CHECK_STR(dk_last_error(),
		  "DMAKIT_HOST_BACKEND=vfio2: not auto, type1 or iommufd");
	setenv("DMAKIT_HOST_BACKEND", "iommufd", 1);
	CHECK_EQ(dk_platform_host("0000:ff:1f.7", NULL, &pl), -ENODEV);
	unsetenv("DMAKIT_HOST_BACKEND");
}

TEST(host_calls_refuse_a_platform_that_is_not_the_host)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct dk_host_stats st;
	char addr[16];
	u32 v;

	CHECK_EQ(dk_host_get_stats(&t.pl, &st), -EINVAL);
	CHECK(strstr(dk_last_error(), "not a host platform"));
	CHECK_EQ(dk_host_config_read(&t.pl, 0, 4, &v), -EINVAL);
	CHECK_EQ(dk_host_config_write(&t.pl, 4, 2, 4), -EINVAL);
	CHECK_EQ(dk_host_raw_map(&t.pl, addr, 0, 4096, 3), -EINVAL);
	CHECK_EQ(dk_host_raw_unmap(&t.pl, 0, 4096), -EINVAL);
	CHECK_EQ(dk_host_reset(&t.pl), -EINVAL);
	CHECK_EQ(dk_host_mem_register(&t.pl, addr, sizeof(addr)), -EINVAL);
	CHECK_EQ(dk_host_mem_unregister(&t.pl, addr, sizeof(addr)), -EINVAL);
	CHECK(strstr(dk_last_error(), "not a host platform"));
	CHECK_EQ(dk_host_alloc_irq_vectors(&t.pl, 2, 5, DK_HOST_IRQ_MSIX), -EINVAL);
	CHECK(strstr(dk_last_error(), "not a host platform"));
	CHECK_EQ(dk_host_irq_vector(&t.pl, 0), -EINVAL);
	dk_host_free_irq_vectors(&t.pl);
	CHECK(strstr(dk_last_error(), "not a host platform"));
	dk_host_close(&t.pl);		/* refused, the SoC untouched */
	CHECK(t.pl.ctx != NULL);
	CHECK_EQ(dk_host_find_pci(0xffff, 0xffff, addr, sizeof(addr)), -ENODEV);
	CHECK_EQ(dk_host_find_pci(0x1234, 0x11e8, addr, 4), -EINVAL);
	testmachine_shutdown(&t);
}
