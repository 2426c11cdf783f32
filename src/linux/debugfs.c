// SPDX-License-Identifier: MIT
/*
 * debugfs: one tree of files and directories for the process, opened
 * and operated by the program (<linux/debugfs.h>, <linux/fs.h>).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <linux/debugfs.h>
#include <linux/kernel.h>

#include "linux.h"

struct dentry {
	char *name;
	struct dentry *parent;
	struct dentry *children;	/* a directory's */
	struct dentry *next;		/* sibling */
	const struct file_operations *fops;	/* NULL: a directory */
	struct inode inode;
	int refs;			/* the tree's, and each open file's */
	bool removed;			/* operations on open files: -EIO */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct dentry *top;

static struct dentry **children_of(struct dentry *parent)
{
	return parent ? &parent->children : &top;
}

static struct dentry *find(struct dentry *parent, const char *name,
			   size_t len)
{
	struct dentry *d;

	for (d = *children_of(parent); d; d = d->next)
		if (strlen(d->name) == len && !memcmp(d->name, name, len))
			return d;
	return NULL;
}

static void put_locked(struct dentry *d)
{
	if (--d->refs)
		return;
	free(d->name);
	free(d);
}

static struct dentry *create(const char *name, umode_t mode,
			     struct dentry *parent, void *data,
			     const struct file_operations *fops)
{
	struct dentry *d;

	if (!name || !*name || strchr(name, '/') || IS_ERR(parent) ||
	    (parent && parent->fops))
		return ERR_PTR(dk_err(-EINVAL, "debugfs: cannot create \"%s\" there",
				      name ? name : "(NULL)"));
	pthread_mutex_lock(&lock);
	if ((parent && parent->removed) || find(parent, name, strlen(name))) {
		pthread_mutex_unlock(&lock);
		return ERR_PTR(dk_err(parent && parent->removed ? -ENOENT : -EEXIST,
				      "debugfs: \"%s\" %s", name,
				      parent && parent->removed ?
					      "is in a removed directory" :
					      "already exists"));
	}
	d = calloc(1, sizeof(*d));
	if (d)
		d->name = strdup(name);
	if (!d || !d->name) {
		pthread_mutex_unlock(&lock);
		free(d);
		return ERR_PTR(dk_err(-ENOMEM, "debugfs: out of memory"));
	}
	d->parent = parent;
	d->fops = fops;
	d->inode.i_private = data;
	d->inode.i_mode = mode;
	d->refs = 1;
	d->next = *children_of(parent);
	*children_of(parent) = d;
	pthread_mutex_unlock(&lock);
	return d;
}

/* A file with no operations is still a file, not a directory. */
static const struct file_operations no_ops;

struct dentry *debugfs_create_file(const char *name, umode_t mode,
				   struct dentry *parent, void *data,
				   const struct file_operations *fops)
{
	return create(name, mode, parent, data, fops ? fops : &no_ops);
}

struct dentry *debugfs_create_dir(const char *name, struct dentry *parent)
{
	return create(name, 0755, parent, NULL, NULL);
}

static void remove_locked(struct dentry *d)
{
	struct dentry **pp;

	while (d->children)
		remove_locked(d->children);
	for (pp = children_of(d->parent); *pp; pp = &(*pp)->next)
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	d->removed = true;
	put_locked(d);
}

void debugfs_remove(struct dentry *d)
{
	if (IS_ERR_OR_NULL(d))
		return;
	pthread_mutex_lock(&lock);
	if (!d->removed)
		remove_locked(d);
	pthread_mutex_unlock(&lock);
}

struct dentry *debugfs_lookup(const char *name, struct dentry *parent)
{
	struct dentry *d;

	if (!name || IS_ERR(parent))
		return NULL;
	pthread_mutex_lock(&lock);
	d = find(parent, name, strlen(name));
	pthread_mutex_unlock(&lock);
	return d;
}

/* The entry at @path, with a reference for the caller; NULL if none. */
static struct dentry *walk(const char *path)
{
	struct dentry *d = NULL;
	const char *p = path, *slash;

	pthread_mutex_lock(&lock);
	do {
		slash = strchr(p, '/');
		d = find(d, p, slash ? (size_t)(slash - p) : strlen(p));
		if (slash)
			p = slash + 1;
	} while (d && slash);
	if (d)
		d->refs++;
	pthread_mutex_unlock(&lock);
	return d;
}

struct file *dk_debugfs_open(const char *path, unsigned int flags)
{
	struct dentry *d = path ? walk(path) : NULL;
	struct file *f;
	int r = 0;

	if (!d)
		return ERR_PTR(dk_err(-ENOENT, "debugfs: no file \"%s\"",
				      path ? path : "(NULL)"));
	f = d->fops ? calloc(1, sizeof(*f)) : NULL;
	if (f) {
		f->f_op = d->fops;
		f->f_inode = &d->inode;
		f->f_flags = flags;
		if (f->f_op->open)
			r = f->f_op->open(f->f_inode, f);
	}
	if (!f || r) {
		r = !d->fops ? dk_err(-EISDIR, "debugfs: \"%s\" is a directory", path) :
		    r ? r : dk_err(-ENOMEM, "debugfs: out of memory");
		free(f);
		pthread_mutex_lock(&lock);
		put_locked(d);
		pthread_mutex_unlock(&lock);
		return ERR_PTR(r);
	}
	return f;
}

static struct dentry *dentry_of(struct file *file)
{
	return container_of(file->f_inode, struct dentry, inode);
}

/* Linux's debugfs answers -EIO once the file was removed. */
static bool gone(struct file *file)
{
	bool r;

	pthread_mutex_lock(&lock);
	r = dentry_of(file)->removed;
	pthread_mutex_unlock(&lock);
	return r;
}

long dk_debugfs_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	if (IS_ERR_OR_NULL(file))
		return -EBADF;
	if (gone(file))
		return -EIO;
	return file->f_op->unlocked_ioctl ?
		       file->f_op->unlocked_ioctl(file, cmd, arg) : -ENOTTY;
}

ssize_t dk_debugfs_read(struct file *file, char __user *buf, size_t n)
{
	if (IS_ERR_OR_NULL(file))
		return -EBADF;
	if (gone(file))
		return -EIO;
	return file->f_op->read ? file->f_op->read(file, buf, n, &file->f_pos) :
				  -EINVAL;
}

ssize_t dk_debugfs_write(struct file *file, const char __user *buf, size_t n)
{
	if (IS_ERR_OR_NULL(file))
		return -EBADF;
	if (gone(file))
		return -EIO;
	return file->f_op->write ?
		       file->f_op->write(file, buf, n, &file->f_pos) : -EINVAL;
}

int dk_debugfs_release(struct file *file)
{
	struct dentry *d;
	int r = 0;

	if (IS_ERR_OR_NULL(file))
		return 0;
	d = dentry_of(file);
	if (file->f_op->release)
		r = file->f_op->release(file->f_inode, file);
	free(file);
	pthread_mutex_lock(&lock);
	put_locked(d);
	pthread_mutex_unlock(&lock);
	return r;
}

loff_t noop_llseek(struct file *file, loff_t off, int whence)
{
	(void)off;
	(void)whence;
	return file ? file->f_pos : 0;
}
