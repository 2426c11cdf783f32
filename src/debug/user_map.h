/* SPDX-License-Identifier: MIT */
/*
 * The checker's view of user mappings of DMA allocations (dma_mmap_*()):
 * the rules of talk 002, "Dissecting the Linux DMA API" — map with the
 * allocation's attributes, and keep the allocation until the user mapping
 * is gone.
 */
#ifndef DMAKIT_DEBUG_USER_MAP_H
#define DMAKIT_DEBUG_USER_MAP_H

#include "debug.h"

/* dma_mmap_attrs() of the allocation at @dma/@cpu_addr with @attrs. */
void dk_dbg_mmap_attrs(struct device *dev, dma_addr_t dma,
		       const void *cpu_addr, unsigned long attrs);
/* A user mapping at @start now shows [@pa, @pa + @len) of @dev's memory. */
void dk_dbg_user_map(struct device *dev, phys_addr_t pa, size_t len,
		     unsigned long start);
/* The user mapping at @start of machine @m is gone. */
void dk_dbg_user_unmap(struct dk_machine *m, unsigned long start);
/* @dev frees [@pa, @pa + @len), its allocation at @dma of @size bytes. */
void dk_dbg_free_user_mapped(struct device *dev, dma_addr_t dma, size_t size,
			     phys_addr_t pa, size_t len);
/* Forget every user mapping of @m (it shuts down). */
void dk_dbg_user_maps_drop(struct dk_machine *m);

#endif
