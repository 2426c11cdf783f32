// SPDX-License-Identifier: MIT
/*
 * A module's knobs as Linux gives them (tests/linux/knobq.c): an array
 * module parameter set and read as through sysfs (comma-separated,
 * counted, at most the array's size, a bad element stops where Linux
 * stops), and debugfs files that show a variable (debugfs_create_u32()
 * and friends) read and written as cat and echo would, with Linux's
 * formats, truncation and permissions.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <dmakit/error.h>

#include "harness.h"
#include "linux/knobq.h"
#include "testsoc.h"

/* The <linux/moduleparam.h> entry points. */
int dk_param_set(const char *name, const char *val);
int dk_param_get(const char *name, char *buf, size_t len);

TEST(linux_module_param_array_counts_and_bounds_as_linux)
{
	char buf[64];

	CHECK_EQ(dk_param_get("knobq.lens", buf, sizeof(buf)), 0);
	CHECK_EQ(buf[0], '\0');	/* nothing set yet: an empty file */
	CHECK_EQ(dk_param_set("knobq.lens", "10,-20,0x30\n"), 0);
	CHECK_EQ(knobq_nlens, 3);
	CHECK_EQ(knobq_lens[0], 10);
	CHECK_EQ(knobq_lens[1], -20);
	CHECK_EQ(knobq_lens[2], 0x30);
	CHECK_EQ(knobq_lens[3], 4);	/* untouched */
	CHECK_EQ(dk_param_get("knobq.lens", buf, sizeof(buf)), 10);
	CHECK_EQ(strcmp(buf, "10,-20,48\n"), 0);
	/* Five into four: Linux's message, the four set before it. */
	CHECK_EQ(dk_param_set("knobq.lens", "5,6,7,8,9"), -EINVAL);
	CHECK(err_is("lens: can only take 4 arguments"));
	CHECK_EQ(knobq_nlens, 4);
	CHECK_EQ(knobq_lens[3], 8);
	/* A bad element: its error, the count as far as it got. */
	CHECK_EQ(dk_param_set("knobq.lens", "1,x,3"), -EINVAL);
	CHECK_EQ(knobq_nlens, 1);
	CHECK_EQ(dk_param_set("knobq.lens", "1,,3"), -EINVAL);
	CHECK_EQ(dk_param_set("knobq.lens", "99999999999"), -ERANGE);
	CHECK_EQ(knobq_nlens, 0);
	CHECK_EQ(dk_param_set("knobq.lens", "2,3"), 0);
	CHECK_EQ(dk_param_get("knobq.lens", buf, sizeof(buf)), 4);
	CHECK_EQ(strcmp(buf, "2,3\n"), 0);
	/* Without a count every element is shown; read-only holds. */
	CHECK_EQ(dk_param_get("knobq.flags", buf, sizeof(buf)), 6);
	CHECK_EQ(strcmp(buf, "Y,N,N\n"), 0);
	CHECK_EQ(dk_param_set("knobq.flags", "1,1"), -EPERM);
}

TEST(linux_debugfs_value_files_read_write_as_linux)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	char buf[64];

	CHECK_EQ(knobq_debugfs_init(), 0);
	CHECK_EQ(knobq_read("knobq/timeout", buf, sizeof(buf)), 2);
	CHECK_EQ(strcmp(buf, "7\n"), 0);
	CHECK_EQ(knobq_write("knobq/timeout", "250\n"), 4);
	CHECK_EQ(knobq_timeout, 250);
	/* kstrtoull(), then cut to 32 bits, as Linux stores it. */
	CHECK_EQ(knobq_write("knobq/timeout", "0x1ffffffff"), 11);
	CHECK_EQ(knobq_read("knobq/timeout", buf, sizeof(buf)), 11);
	CHECK_EQ(strcmp(buf, "4294967295\n"), 0);
	CHECK_EQ(knobq_write("knobq/timeout", "-1"), -EINVAL);
	CHECK_EQ(knobq_write("knobq/timeout", "12ab"), -EINVAL);
	CHECK_EQ(knobq_timeout, 0xffffffffu);
	/* Hex widths; permissions. */
	CHECK_EQ(knobq_read("knobq/mode", buf, sizeof(buf)), 5);
	CHECK_EQ(strcmp(buf, "0x5a\n"), 0);
	CHECK_EQ(knobq_write("knobq/mode", "1"), -EACCES);
	CHECK(err_is("debugfs: the file is not writable"));
	CHECK_EQ(knobq_mode, 0x5a);
	CHECK_EQ(knobq_read("knobq/addr", buf, sizeof(buf)), 19);
	CHECK_EQ(strcmp(buf, "0x0000000000000010\n"), 0);
	CHECK_EQ(knobq_write("knobq/len", "4096"), 4);
	CHECK_EQ(knobq_len, 4096);
	CHECK_EQ(knobq_read("knobq/len", buf, sizeof(buf)), -EACCES);
	/* bool: Y/N, kstrtobool's words, no text is no value. */
	CHECK_EQ(knobq_read("knobq/verbose", buf, sizeof(buf)), 2);
	CHECK_EQ(strcmp(buf, "N\n"), 0);
	CHECK_EQ(knobq_write("knobq/verbose", "on"), 2);
	CHECK_EQ(knobq_verbose, 1);
	CHECK_EQ(knobq_write("knobq/verbose", "\n"), -EINVAL);
	CHECK_EQ(knobq_write("knobq/verbose", "maybe"), -EINVAL);
	CHECK_EQ(knobq_read("knobq/verbose", buf, sizeof(buf)), 2);
	CHECK_EQ(strcmp(buf, "Y\n"), 0);
	/* atomic_t is signed. */
	CHECK_EQ(knobq_read("knobq/hits", buf, sizeof(buf)), 3);
	CHECK_EQ(strcmp(buf, "-5\n"), 0);
	/* A NULL variable made no file. */
	CHECK_EQ(knobq_read("knobq/nothing", buf, sizeof(buf)), -ENOENT);
	knobq_debugfs_exit();
	CHECK_EQ(knobq_read("knobq/timeout", buf, sizeof(buf)), -ENOENT);
	testmachine_shutdown(&t);
}
