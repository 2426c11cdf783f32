// SPDX-License-Identifier: MIT
/*
 * A module's knobs, including only <linux/...> headers: an array module
 * parameter with its count, one without, and debugfs files that show
 * variables of several types (tests/test_linux_knobs.c). <fcntl.h> is
 * for the open flags of the test's side.
 */
#include <fcntl.h>

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "knobq.h"

int knobq_lens[4] = { 1, 2, 3, 4 };
unsigned int knobq_nlens;
module_param_array_named(lens, knobq_lens, int, &knobq_nlens, 0644);
MODULE_PARM_DESC(lens, "Lengths, comma-separated");

static bool flags[3] = { true };
module_param_array(flags, bool, NULL, 0444);

unsigned int knobq_timeout = 7;
unsigned char knobq_mode = 0x5a;
bool knobq_verbose;
size_t knobq_len;
static u64 addr = 0x10;
static atomic_t hits = ATOMIC_INIT(0);
static struct dentry *dir;

int knobq_debugfs_init(void)
{
	dir = debugfs_create_dir("knobq", NULL);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	debugfs_create_u32("timeout", 0644, dir, &knobq_timeout);
	debugfs_create_x8("mode", 0444, dir, &knobq_mode);
	debugfs_create_x64("addr", 0600, dir, &addr);
	debugfs_create_bool("verbose", 0644, dir, &knobq_verbose);
	atomic_set(&hits, -5);
	debugfs_create_atomic_t("hits", 0644, dir, &hits);
	debugfs_create_size_t("len", 0200, dir, &knobq_len);
	debugfs_create_u16("nothing", 0644, dir, NULL);
	return 0;
}

void knobq_debugfs_exit(void)
{
	debugfs_remove_recursive(dir);
}

long knobq_read(const char *path, char *out, size_t len)
{
	struct file *f = dk_debugfs_open(path, O_RDONLY);
	char __user *u;
	long n, got = 0;

	if (IS_ERR(f))
		return PTR_ERR(f);
	u = dk_user_mmap_anon(PAGE_SIZE);
	/* Small reads, as a reader with a tiny buffer makes them. */
	do {
		n = dk_debugfs_read(f, u + got, 3);
		if (n > 0)
			got += n;
	} while (n > 0 && (size_t)got + 3 < len);
	if (n >= 0 && copy_from_user(out, u, got))
		n = -EFAULT;
	out[n >= 0 ? got : 0] = '\0';
	dk_user_munmap(u);
	dk_debugfs_release(f);
	return n < 0 ? n : got;
}

long knobq_write(const char *path, const char *text)
{
	struct file *f = dk_debugfs_open(path, O_WRONLY);
	size_t len = strlen(text);
	char __user *u;
	long n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	u = dk_user_mmap_anon(PAGE_SIZE);
	n = copy_to_user(u, text, len) ? -EFAULT :
					dk_debugfs_write(f, u, len);
	dk_user_munmap(u);
	dk_debugfs_release(f);
	return n;
}

MODULE_DESCRIPTION("Knobs: array parameters and debugfs variables");
MODULE_LICENSE("Dual MIT/GPL");
