// SPDX-License-Identifier: MIT
/* The harness's own cases, run by tests/harness.sh: one test of each
 * outcome, so a crash or a hang is shown to be that test's failure. */
#include <signal.h>
#include <unistd.h>

#include "harness.h"

TEST(selftest_passes)
{
	CHECK_EQ(1 + 1, 2);
}

TEST(selftest_fails)
{
	CHECK_EQ(2 + 2, 5);
}

TEST(selftest_crashes)
{
	raise(SIGSEGV);
}

TEST(selftest_hangs)
{
	pause();
}

TEST(selftest_passes_after_the_others)
{
	CHECK(1);
}
