// SPDX-License-Identifier: MIT
/* "dmakit soc show": the SoC as a person reads it. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <dmakit/models/tzasc.h>

#include "soc_internal.h"

static const char *human(u64 n, char *buf, size_t len)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB",
					    "PiB", "EiB" };
	int u = 0;

	while (n >= 1024 && !(n % 1024) && u < 6) {
		n /= 1024;
		u++;
	}
	snprintf(buf, len, "%llu %s", n, unit[u]);
	return buf;
}

static void show_range(FILE *f, const char *label, u64 base, u64 size)
{
	char h[32];

	fprintf(f, "  %-22s 0x%016llx-0x%016llx  %s\n", label,
		base, base + size - 1, human(size, h, sizeof(h)));
}

/* The TZASC's enabled regions as they are now (the secure world may have
 * changed them since boot). */
static void show_tzasc(FILE *f, const struct dk_soc *soc)
{
	char label[32];
	int i;

	if (!soc->tz.present)
		return;
	fprintf(f, "TZASC (%s):\n", soc->tz.locked ? "locked" : "unlocked");
	for (i = 0; i < DK_TZASC_REGIONS; i++) {
		const struct dk_tz_region *r = &soc->tz.r[i];

		if (!(r->attr & DK_TZASC_ATTR_EN) || !r->size)
			continue;
		snprintf(label, sizeof(label), "region%d (%s)", i,
			 r->attr & DK_TZASC_ATTR_NS ? "shared" : "secure");
		show_range(f, label, r->base, r->size);
	}
}

static void show_dev(FILE *f, const struct dk_soc *soc,
		     const struct dk_simdev *sd)
{
	const struct dk_devdesc *d = &sd->d;
	char h[32];
	int i;

	fprintf(f, "  %s\n    model: %s (%s)\n", d->name, d->compatible,
		sd->model->summary);
	if (d->reg_size)
		fprintf(f, "    registers: 0x%llx, %s\n", d->reg,
			human(d->reg_size, h, sizeof(h)));
	if (d->irq >= 0)
		fprintf(f, "    interrupt: %d\n", d->irq);
	fprintf(f, "    coherent: %s in the tree, %s in hardware%s%s\n",
		d->coherent ? "yes" : "no", d->hw_coherent ? "yes" : "no",
		d->coherent != d->hw_coherent ? "  <-- the tree is wrong" : "",
		d->hw_coherent && d->write_allocate ?
			" (writes allocate in the CPU cache)" : "");
	fprintf(f, "    wired address bits: %u%s%s\n", d->address_bits,
		d->secure_master ? ", secure master" : "",
		d->tz_aware ? ", TrustZone-aware" : "");
	if (!d->n_dma_ranges)
		fprintf(f, "    dma-ranges: none (device address = CPU physical)\n");
	for (i = 0; i < d->n_dma_ranges; i++)
		fprintf(f, "    dma-ranges: bus 0x%llx -> cpu 0x%llx, %s\n",
			d->dma_ranges[i].bus, d->dma_ranges[i].cpu,
			human(d->dma_ranges[i].size, h, sizeof(h)));
	if (d->iommu) {
		fprintf(f, "    iommu: %s, stream", d->iommu);
		for (i = 0; i < d->n_iommu_args; i++)
			fprintf(f, " 0x%x", d->iommu_args[i]);
		fprintf(f, "\n");
	} else {
		fprintf(f, "    iommu: none\n");
	}
	if (d->memory_region >= 0)
		fprintf(f, "    memory-region: %s\n",
			soc->rmem[d->memory_region].name);
	if (d->dma_channels)
		fprintf(f, "    dma-channels: %u\n", d->dma_channels);
	for (i = 0; i < d->n_dmas; i++) {
		int j;

		fprintf(f, "    dma \"%s\": %s",
			d->dmas[i].name ? d->dmas[i].name : "(unnamed)",
			d->dmas[i].provider);
		for (j = 0; j < d->dmas[i].nargs; j++)
			fprintf(f, " %u", d->dmas[i].args[j]);
		fprintf(f, "\n");
	}
}

void dk_soc_show(const struct dk_soc *soc, void *stdio_file)
{
	FILE *f = stdio_file ? stdio_file : stdout;
	const struct dk_cache_geometry *g;
	char label[64];
	int i;

	if (!dk_soc_ok(soc, "dk_soc_show")) {
		dk_err_log(-EINVAL, "%s", dk_last_error());
		return;
	}
	g = &soc->cache;

	fprintf(f, "SoC: %s\n", soc->model);
	fprintf(f, "cache: write-back, %u-byte lines, %u-byte write-back granule, ARCH_DMA_MINALIGN %u\n",
		g->line, g->granule, g->dma_minalign);
	if (soc->vipt_aliasing)
		fprintf(f, "cache: virtually indexed, aliasing: vmap and vmalloc mappings have lines of their own\n");
	if (soc->coherent_nc)
		fprintf(f, "coherent memory: Normal non-cacheable, bufferable: stores wait in the write buffer until a barrier\n");
	if (soc->cacheable_sb)
		fprintf(f, "store buffer: in front of the cache too: stores to memory a coherent master snoops wait until a barrier\n");
	fprintf(f, "policy: eviction %s", dk_evict_policy_name(g->policy));
	if (g->policy == DK_EVICT_RANDOM)
		fprintf(f, " (rate %u%%)", g->rate);
	fprintf(f, ", seed 0x%llx, partial edge lines on invalidate: %s\n",
		g->seed, dk_edge_policy_name(g->edge));
	fprintf(f, "memory (%d bank%s):\n", soc->nbanks,
		soc->nbanks == 1 ? "" : "s");
	for (i = 0; i < soc->nbanks; i++) {
		snprintf(label, sizeof(label), "bank%d", i);
		show_range(f, label, soc->banks[i].b.base, soc->banks[i].b.size);
	}
	fprintf(f, "reserved-memory (%d):\n", soc->nrmem);
	for (i = 0; i < soc->nrmem; i++) {
		const struct dk_rmem *r = &soc->rmem[i];

		fprintf(f, "  %s\n", r->name);
		show_range(f, "", r->base, r->size);
		fprintf(f, "  %-22s %s%s%s%s\n", "",
			r->shared_dma_pool ? "shared-dma-pool" : "reserved",
			r->reusable ? ", reusable (CMA)" : "",
			r->no_map ? (r->shared_dma_pool ?
					     ", no-map (per-device coherent)" :
					     ", no-map") : "",
			r->cma_default ? ", default CMA area" : "");
	}
	fprintf(f, "firewall (%d secure range%s):\n", soc->nsecure,
		soc->nsecure == 1 ? "" : "s");
	for (i = 0; i < soc->nsecure; i++) {
		snprintf(label, sizeof(label), "secure%d", i);
		show_range(f, label, soc->secure[i].base, soc->secure[i].size);
	}
	show_tzasc(f, soc);
	fprintf(f, "devices (%d):\n", soc->ndevs);
	for (i = 0; i < soc->ndevs; i++)
		show_dev(f, soc, &soc->devs[i]);
}
