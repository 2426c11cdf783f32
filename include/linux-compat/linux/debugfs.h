/* SPDX-License-Identifier: MIT */
/*
 * <linux/debugfs.h> for driver code built against dmakit: debugfs files
 * and directories, in one tree for the whole process, which the program
 * (a test, say) opens and operates with dk_debugfs_open() and
 * dk_debugfs_ioctl(), dk_debugfs_read(), dk_debugfs_write() and
 * dk_debugfs_release(), as a user program would through
 * /sys/kernel/debug. Read and write take user addresses
 * (<linux/uaccess.h>), as the system calls do.
 */
#ifndef DMAKIT_COMPAT_LINUX_DEBUGFS_H
#define DMAKIT_COMPAT_LINUX_DEBUGFS_H

#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dentry;

/**
 * debugfs_create_file() - a file in debugfs.
 * @name: its name in @parent.
 * @mode: its mode bits (S_IRUSR...; kept, not enforced).
 * @parent: a directory from debugfs_create_dir(), or NULL for the top.
 * @data: handed to @fops->open in inode->i_private.
 * @fops: its operations.
 *
 * Return: its dentry; ERR_PTR(-EEXIST) if @parent has one of that name,
 * ERR_PTR(-EINVAL) for a NULL or empty name or an error @parent,
 * ERR_PTR(-ENOMEM).
 */
struct dentry *debugfs_create_file(const char *name, umode_t mode,
				   struct dentry *parent, void *data,
				   const struct file_operations *fops);

/**
 * debugfs_create_dir() - a directory in debugfs.
 * @name: its name in @parent.
 * @parent: a directory, or NULL for the top.
 *
 * Return: as debugfs_create_file().
 */
struct dentry *debugfs_create_dir(const char *name, struct dentry *parent);

/**
 * debugfs_remove() - remove a file, or a directory with what is in it.
 * @dentry: what debugfs_create_*() returned; NULL or an ERR_PTR does
 *          nothing. Files still open stay usable until released.
 */
void debugfs_remove(struct dentry *dentry);
#define debugfs_remove_recursive(d)	debugfs_remove(d)

/**
 * debugfs_lookup() - a file or directory by name.
 * @name: its name in @parent.
 * @parent: a directory, or NULL for the top.
 *
 * Return: its dentry, or NULL.
 */
struct dentry *debugfs_lookup(const char *name, struct dentry *parent);

/**
 * debugfs_create_u32() - a file that shows one variable of the driver, as
 * Linux 6.x declares it (it returns nothing: drivers never check
 * debugfs). The others below share this contract, each for its type.
 * @name: its name.
 * @mode: its permission bits (0444 read-only, 0644 writable...).
 * @parent: its directory, or NULL for the top.
 * @value: the variable; it must outlive the file.
 *
 * Reading gives the value and a newline: decimal for the u8/u16/u32/u64,
 * size_t, ulong and atomic_t files; 0x and two hex digits a byte for
 * x8/x16/x32/x64; "Y" or "N" for bool. Writing (only if @mode has a
 * write bit; reading needs a read bit, else -EACCES) parses a number as
 * kstrtoull() does (0x and 0 prefixes, one trailing newline; -EINVAL
 * otherwise) and stores it cut to the variable's size, as Linux does; a
 * bool takes y/Y/1/on and n/N/0/off. A NULL @value, a bad name or parent
 * are refused with the reason in dk_last_error() and no file is made.
 */
void debugfs_create_u32(const char *name, umode_t mode,
			struct dentry *parent, u32 *value);
/* The same for the other types: debugfs_create_<suffix>() shows a @type. */
#define DK_DEBUGFS_VALUE_DECL(suffix, type)				\
	void debugfs_create_##suffix(const char *name, umode_t mode,	\
				     struct dentry *parent, type *value)
DK_DEBUGFS_VALUE_DECL(u8, u8);
DK_DEBUGFS_VALUE_DECL(u16, u16);
DK_DEBUGFS_VALUE_DECL(u64, u64);
DK_DEBUGFS_VALUE_DECL(x8, u8);
DK_DEBUGFS_VALUE_DECL(x16, u16);
DK_DEBUGFS_VALUE_DECL(x32, u32);
DK_DEBUGFS_VALUE_DECL(x64, u64);
DK_DEBUGFS_VALUE_DECL(size_t, size_t);
DK_DEBUGFS_VALUE_DECL(ulong, unsigned long);
DK_DEBUGFS_VALUE_DECL(bool, bool);
DK_DEBUGFS_VALUE_DECL(atomic_t, atomic_t);
#undef DK_DEBUGFS_VALUE_DECL

/**
 * dk_debugfs_open() - open a debugfs file, calling its open operation.
 * @path: its path below the debugfs root ("dir/file").
 * @flags: the open flags the file's operations see (O_RDWR...).
 *
 * Return: the open file, or ERR_PTR(-ENOENT) (no such file),
 * ERR_PTR(-EISDIR), ERR_PTR(-ENOMEM), or the open operation's error.
 */
struct file *dk_debugfs_open(const char *path, unsigned int flags);

/**
 * dk_debugfs_ioctl() - what ioctl() on the open file does.
 * @file: from dk_debugfs_open().
 * @cmd: the command.
 * @arg: its argument (a user address, for most commands).
 *
 * Return: the operation's result; -ENOTTY if the file has none.
 */
long dk_debugfs_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/**
 * dk_debugfs_read() - what read() on the open file does.
 * @file: from dk_debugfs_open().
 * @buf: a user address.
 * @n: bytes at most.
 *
 * Return: bytes read, or -errno (-EINVAL if the file has no read).
 */
ssize_t dk_debugfs_read(struct file *file, char __user *buf, size_t n);

/**
 * dk_debugfs_write() - what write() on the open file does.
 * @file: from dk_debugfs_open().
 * @buf: a user address.
 * @n: bytes.
 *
 * Return: bytes written, or -errno (-EINVAL if the file has no write).
 */
ssize_t dk_debugfs_write(struct file *file, const char __user *buf, size_t n);

/**
 * dk_debugfs_release() - close the open file, calling its release
 * operation.
 * @file: from dk_debugfs_open(); NULL does nothing.
 *
 * Return: the release operation's result, or 0.
 */
int dk_debugfs_release(struct file *file);

#ifdef __cplusplus
}
#endif

#endif
