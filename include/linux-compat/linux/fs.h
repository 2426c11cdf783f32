/* SPDX-License-Identifier: MIT */
/*
 * <linux/fs.h> for driver code built against dmakit: the file operations
 * a driver gives a file it creates (debugfs, <linux/debugfs.h>), and the
 * open file and inode they are handed. There is no VFS: a program opens
 * such a file with dk_debugfs_open() and calls its operations through
 * dk_debugfs_ioctl() and friends, as a user program's open() and ioctl()
 * would.
 */
#ifndef DMAKIT_COMPAT_LINUX_FS_H
#define DMAKIT_COMPAT_LINUX_FS_H

#include <sys/types.h>

#include <linux/uaccess.h>
#include <linux/compiler.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned short umode_t;
/* <sys/types.h> has loff_t in GNU mode only. */
#ifndef __USE_MISC
typedef __loff_t loff_t;
#endif

struct file_operations;
struct poll_table_struct;
struct vm_area_struct;

/** struct inode - what a file is. */
struct inode {
	/** @i_private: the data its creator gave (debugfs_create_file()) */
	void *i_private;
	/** @i_mode: its mode bits */
	umode_t i_mode;
};

/** struct file - an open file. */
struct file {
	/** @f_op: its operations */
	const struct file_operations *f_op;
	/** @f_inode: the file opened */
	struct inode *f_inode;
	/** @private_data: the driver's (simple_open() sets i_private) */
	void *private_data;
	/** @f_flags: the open flags (O_RDWR...) */
	unsigned int f_flags;
	/** @f_pos: the position read and write advance */
	loff_t f_pos;
};

/** struct file_operations - what a driver's file does; each optional. */
struct file_operations {
	void *owner;
	loff_t (*llseek)(struct file *file, loff_t off, int whence);
	ssize_t (*read)(struct file *file, char __user *buf, size_t n,
			loff_t *pos);
	ssize_t (*write)(struct file *file, const char __user *buf, size_t n,
			 loff_t *pos);
	long (*unlocked_ioctl)(struct file *file, unsigned int cmd,
			       unsigned long arg);
	long (*compat_ioctl)(struct file *file, unsigned int cmd,
			     unsigned long arg);
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
	unsigned int (*poll)(struct file *file, struct poll_table_struct *pt);
	int (*open)(struct inode *inode, struct file *file);
	int (*release)(struct inode *inode, struct file *file);
};

/**
 * simple_open() - the open operation that hands the file's creator data
 * to the other operations.
 * @inode: the file.
 * @file: the open file; its private_data becomes @inode's i_private.
 *
 * Return: 0.
 */
static inline int simple_open(struct inode *inode, struct file *file)
{
	if (inode->i_private)
		file->private_data = inode->i_private;
	return 0;
}

/**
 * file_inode() - the file an open file is of.
 * @f: the open file.
 *
 * Return: its inode.
 */
static inline struct inode *file_inode(const struct file *f)
{
	return f->f_inode;
}

/* Files that do not seek. */
#define no_llseek		NULL
loff_t noop_llseek(struct file *file, loff_t off, int whence);

#ifdef __cplusplus
}
#endif

#endif
