/* SPDX-License-Identifier: MIT */
/* Inside the library: what src/io gives the layers above it. */
#ifndef DMAKIT_IO_IO_H
#define DMAKIT_IO_IO_H

#include "../kernel/kernel.h"

/* io.c: windows nobody unmapped. */
void dk_io_fini(struct dk_machine *m);
/* Whether [@addr, @addr + @len) lies wholly in one ioremap() window (1,
 * its physical address in *@pa), clear of every window (0), or partly in
 * one or its inaccessible slack (-1). */
int dk_io_where(struct dk_machine *m, const volatile void *addr, size_t len,
		phys_addr_t *pa);

#endif
