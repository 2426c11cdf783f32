// SPDX-License-Identifier: MIT
#include <dmakit/soc.h>
#include "harness.h"

TEST(default_soc_loads)
{
	struct dk_soc *soc;

	CHECK_EQ(dk_soc_load_default(NULL, &soc), 0);
	CHECK_EQ(dk_soc_nbanks(soc), 2);
	dk_soc_free(soc);
}
