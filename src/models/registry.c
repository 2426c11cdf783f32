// SPDX-License-Identifier: MIT
/* Which device model serves which compatible, and their life cycle. */
#include <errno.h>
#include <string.h>

#include "../sim/soc_internal.h"

extern const struct dk_model_ops dk_m2m_dma_model;
extern const struct dk_model_ops dk_macb_model;
extern const struct dk_model_ops dk_sdhci_adma2_model;
extern const struct dk_model_ops dk_crypto_model;
extern const struct dk_model_ops dk_dwc3_model;
extern const struct dk_model_ops dk_i2c_model;
extern const struct dk_model_ops dk_spi_model;
extern const struct dk_model_ops dk_slave_dma_model;
extern const struct dk_model_ops dk_tzasc_model;
extern const struct dk_model_ops dk_tz_dma_model;
extern const struct dk_model_ops dk_rmobile_iic_model;

/* A bus master with no registers: tests and stories drive its DMA. */
static const struct dk_model_ops generic_master = {
	.compatible = "dmakit,generic-master",
	.summary = "bus master without registers, driven by dk_dev_dma_*()",
};

static const struct dk_model_ops *const models[] = {
	&dk_m2m_dma_model,
	&dk_macb_model,
	&dk_sdhci_adma2_model,
	&dk_crypto_model,
	&dk_dwc3_model,
	&dk_i2c_model,
	&dk_spi_model,
	&dk_slave_dma_model,
	&dk_tzasc_model,
	&dk_tz_dma_model,
	&dk_rmobile_iic_model,
	&generic_master,
	NULL,
};

const struct dk_model_ops *const *dk_models(void)
{
	return models;
}

const struct dk_model_ops *dk_model_find(const char *compatible)
{
	int i;

	for (i = 0; compatible && models[i]; i++)
		if (!strcmp(models[i]->compatible, compatible))
			return models[i];
	return NULL;
}
