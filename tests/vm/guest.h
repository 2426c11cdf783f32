/* SPDX-License-Identifier: MIT */
/* What the vm-check guest's test files share (tests/vm/guest_tests.c). */
#ifndef DMAKIT_VM_GUEST_H
#define DMAKIT_VM_GUEST_H

#include <dmakit/platform.h>

/* Print "PASS name" (@fmt NULL) or "FAIL name: why" and count it. */
void result(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define REQUIRE(name, cond, ...)                      \
	do {                                          \
		if (!(cond)) {                        \
			result(name, __VA_ARGS__);    \
			return;                       \
		}                                     \
	} while (0)

/* Interrupts so far of the /proc/interrupts line naming @name; -1 if
 * there is none. */
long proc_interrupts(const char *name);

/* guest_msix.c: MSI-X through QEMU's e1000e, on the backend @be
 * (enum dk_host_backend); the refusal of MSI-X by @edu_pl, a platform
 * on edu, which has none. */
void t_msix(int be);
void t_no_msix(const struct dk_platform *edu_pl, const char *edu_addr);
/* guest_noiommu.c: the test of the boot without an IOMMU (edu has no
 * IOMMU group), and of a device the IOMMU does not cover. */
void t_no_iommu_group(const char *edu_addr);
void t_group_outside_iommu(void);

#endif
