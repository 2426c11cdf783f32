// SPDX-License-Identifier: MIT
/*
 * debugfs files that show one variable (debugfs_create_u32() and the
 * rest, <linux/debugfs.h>): each type is a set of file operations that
 * knows the variable's size and how Linux prints it.
 */
#include <stdio.h>
#include <string.h>

#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>

#include "linux.h"

struct value_fops {
	struct file_operations fops;
	unsigned int size;	/* bytes of the variable */
	unsigned int hex;	/* hex digits shown; 0: decimal */
	bool is_bool;
	bool is_signed;	/* an atomic_t */
};

static const struct value_fops *vf_of(const struct file *file)
{
	return container_of(file->f_op, struct value_fops, fops);
}

static unsigned long long load(const struct value_fops *vf, const void *p)
{
	switch (vf->size) {
	case 1:
		return *(const u8 *)p;
	case 2:
		return *(const u16 *)p;
	case 4:
		return vf->is_signed ? (unsigned long long)(long long)
					       atomic_read((const atomic_t *)p) :
				       *(const u32 *)p;
	default:
		return *(const u64 *)p;
	}
}

static void store(const struct value_fops *vf, void *p, unsigned long long v)
{
	switch (vf->size) {
	case 1:
		*(u8 *)p = (u8)v;
		break;
	case 2:
		*(u16 *)p = (u16)v;
		break;
	case 4:
		if (vf->is_signed)
			atomic_set(p, (int)v);
		else
			*(u32 *)p = (u32)v;
		break;
	default:
		*(u64 *)p = v;
	}
}

static int format(const struct value_fops *vf, const void *p, char *out,
		  size_t len)
{
	unsigned long long v = load(vf, p);

	if (vf->is_bool)
		return snprintf(out, len, "%c\n", *(const bool *)p ? 'Y' : 'N');
	if (vf->hex)
		return snprintf(out, len, "0x%0*llx\n", (int)vf->hex, v);
	if (vf->is_signed)
		return snprintf(out, len, "%lld\n", (long long)v);
	return snprintf(out, len, "%llu\n", v);
}

static ssize_t value_read(struct file *file, char __user *buf, size_t n,
			  loff_t *pos)
{
	const struct value_fops *vf = vf_of(file);
	char text[32];
	size_t len, left;

	if (!(file->f_inode->i_mode & 0444))
		return dk_err(-EACCES, "debugfs: the file is not readable");
	len = (size_t)format(vf, file->f_inode->i_private, text, sizeof(text));
	if (*pos < 0)
		return -EINVAL;
	if ((size_t)*pos >= len)
		return 0;
	left = len - (size_t)*pos;
	if (n > left)
		n = left;
	if (copy_to_user(buf, text + *pos, n))
		return -EFAULT;
	*pos += (loff_t)n;
	return (ssize_t)n;
}

static ssize_t value_write(struct file *file, const char __user *buf,
			   size_t n, loff_t *pos)
{
	const struct value_fops *vf = vf_of(file);
	void *p = file->f_inode->i_private;
	char text[32];
	unsigned long long v;
	bool b;
	struct kernel_param kp = { .name = "debugfs" };
	int r;

	(void)pos;
	if (!(file->f_inode->i_mode & 0222))
		return dk_err(-EACCES, "debugfs: the file is not writable");
	if (n >= sizeof(text))
		return -EINVAL;
	if (copy_from_user(text, buf, n))
		return -EFAULT;
	text[n] = '\0';
	if (vf->is_bool) {
		/* kstrtobool(): unlike a module parameter, no text is no
		 * value. */
		kp.arg = &b;
		r = n && text[0] != '\n' ? param_set_bool(text, &kp) : -EINVAL;
		if (!r)
			*(bool *)p = b;
	} else {
		kp.arg = &v;
		r = param_set_ullong(text, &kp);
		if (!r)
			store(vf, p, v);
	}
	return r ? r : (ssize_t)n;
}

#define VALUE_FOPS(size_, hex_, bool_, signed_)				\
	{ { .read = value_read, .write = value_write,			\
	    .llseek = noop_llseek }, size_, hex_, bool_, signed_ }

static const struct value_fops fops_u8 = VALUE_FOPS(1, 0, false, false);
static const struct value_fops fops_u16 = VALUE_FOPS(2, 0, false, false);
static const struct value_fops fops_u32 = VALUE_FOPS(4, 0, false, false);
static const struct value_fops fops_u64 = VALUE_FOPS(8, 0, false, false);
static const struct value_fops fops_x8 = VALUE_FOPS(1, 2, false, false);
static const struct value_fops fops_x16 = VALUE_FOPS(2, 4, false, false);
static const struct value_fops fops_x32 = VALUE_FOPS(4, 8, false, false);
static const struct value_fops fops_x64 = VALUE_FOPS(8, 16, false, false);
static const struct value_fops fops_ulong =
	VALUE_FOPS(sizeof(unsigned long), 0, false, false);
static const struct value_fops fops_size_t =
	VALUE_FOPS(sizeof(size_t), 0, false, false);
static const struct value_fops fops_bool = VALUE_FOPS(1, 0, true, false);
static const struct value_fops fops_atomic_t = VALUE_FOPS(4, 0, false, true);

static void create_value(const char *name, umode_t mode, struct dentry *parent,
			 void *value, const struct value_fops *vf)
{
	if (!value) {
		dk_err(-EINVAL, "debugfs: \"%s\" has no variable to show",
		       name ? name : "(NULL)");
		return;
	}
	/* debugfs_create_file() sets dk_last_error() when it refuses. */
	(void)debugfs_create_file(name, mode, parent, value, &vf->fops);
}

#define DEFINE_CREATE(suffix, type)					\
void debugfs_create_##suffix(const char *name, umode_t mode,		\
			     struct dentry *parent, type *value)	\
{									\
	_Static_assert(sizeof(type) == sizeof(u8) ||			\
		       sizeof(type) == sizeof(u16) ||			\
		       sizeof(type) == sizeof(u32) ||			\
		       sizeof(type) == sizeof(u64), #type);		\
	create_value(name, mode, parent, value, &fops_##suffix);	\
}

DEFINE_CREATE(u8, u8)
DEFINE_CREATE(u16, u16)
DEFINE_CREATE(u32, u32)
DEFINE_CREATE(u64, u64)
DEFINE_CREATE(x8, u8)
DEFINE_CREATE(x16, u16)
DEFINE_CREATE(x32, u32)
DEFINE_CREATE(x64, u64)
DEFINE_CREATE(ulong, unsigned long)
DEFINE_CREATE(size_t, size_t)
DEFINE_CREATE(bool, bool)
DEFINE_CREATE(atomic_t, atomic_t)
