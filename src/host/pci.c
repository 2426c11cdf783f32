// SPDX-License-Identifier: MIT
/*
 * The PCI device through VFIO: what sysfs says about it (the
 * preconditions, each refused with what to do about it), its regions
 * (configuration space, BAR 0 mapped for the register accessors), bus
 * mastering, the interrupts as eventfds (the vectors of MSI-X, MSI or
 * the INTx pin, one eventfd each), and reset where the device has a
 * way.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/vfio.h>

#include "host_internal.h"

#define PCI_COMMAND 0x04
#define PCI_COMMAND_MASTER 0x4

static int sysfs_link(const char *addr, const char *what, char *out,
		      size_t size)
{
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t n;
	const char *base;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", addr, what);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = 0;
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= size)
		return -ENAMETOOLONG;
	memcpy(out, base, strlen(base) + 1);
	return 0;
}

static int sysfs_hex(const char *addr, const char *what, unsigned long long *v)
{
	char path[PATH_MAX];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", addr, what);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	ok = fscanf(f, "%llx", v) == 1;
	fclose(f);
	return ok ? 0 : -EIO;
}

int dk_host_find_pci(unsigned int vendor, unsigned int device, char *addr,
		     size_t size)
{
	DIR *d;
	struct dirent *e;
	unsigned long long v, dv;

	if (!addr || size < 13)
		return dk_err(-EINVAL, "dk_host_find_pci: address buffer too small");
	d = opendir("/sys/bus/pci/devices");
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' && strlen(e->d_name) < size &&
		    !sysfs_hex(e->d_name, "vendor", &v) && v == vendor &&
		    !sysfs_hex(e->d_name, "device", &dv) && dv == device) {
			memcpy(addr, e->d_name, strlen(e->d_name) + 1);
			closedir(d);
			return 0;
		}
	if (d)
		closedir(d);
	return dk_err(-ENODEV, "no PCI device %04x:%04x in /sys/bus/pci/devices",
		      vendor, device);
}

int dk_host_group_blocker(struct dk_host *h, char *dev, size_t dsize,
			  char *drv, size_t drsize)
{
	char path[64];
	struct dirent *e;
	DIR *d;
	int r = -ENOENT;

	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/devices",
		 h->groupno);
	d = opendir(path);
	while (d && r && (e = readdir(d)))
		if (e->d_name[0] != '.' && strlen(e->d_name) < dsize &&
		    !sysfs_link(e->d_name, "driver", drv, drsize) &&
		    strcmp(drv, "vfio-pci")) {
			memcpy(dev, e->d_name, strlen(e->d_name) + 1);
			r = 0;
		}
	if (d)
		closedir(d);
	return r;
}

/* The first IOMMU the kernel runs (/sys/class/iommu), in @name; false if
 * there is none. */
static bool first_iommu(char *name, size_t size)
{
	DIR *d = opendir("/sys/class/iommu");
	struct dirent *e;
	bool found = false;

	while (d && !found && (e = readdir(d)))
		if (e->d_name[0] != '.' && strlen(e->d_name) < size) {
			memcpy(name, e->d_name, strlen(e->d_name) + 1);
			found = true;
		}
	if (d)
		closedir(d);
	return found;
}

/* No group: the kernel runs no IOMMU at all (the usual case), or one
 * that does not translate for this device. vfio's no-IOMMU mode would
 * give the device a group but no translation, and dmakit's IOVAs need
 * the IOMMU. */
static int no_group(struct dk_host *h)
{
	char iommu[64];

	if (first_iommu(iommu, sizeof(iommu)))
		return dk_err(-ENODEV,
			      "host: %s has no IOMMU group: the kernel runs an IOMMU (%s in /sys/class/iommu), but none translates for this device, which lies outside every unit's scope in the firmware's DMAR (or IVRS) table; put it in a slot an IOMMU covers (the kernel log's DMAR lines list the scopes)",
			      h->addr, iommu);
	return dk_err(-ENODEV,
		      "host: %s has no IOMMU group: the kernel runs no IOMMU (/sys/class/iommu is empty); enable VT-d (AMD-Vi) in the firmware and boot Linux with intel_iommu=on (amd_iommu=on); vfio's no-IOMMU mode (enable_unsafe_noiommu_mode) will not do, as dmakit maps its IOVAs through the IOMMU",
		      h->addr);
}

int dk_host_pci_check(struct dk_host *h)
{
	char grp[64], drv[64];
	unsigned long long v, d;
	int r;

	if (sysfs_hex(h->addr, "vendor", &v) || sysfs_hex(h->addr, "device", &d))
		return dk_err(-ENODEV,
			      "host: no PCI device %s (lspci -D lists the addresses)",
			      h->addr);
	h->vendor = v;
	h->device = d;
	snprintf(h->compat, sizeof(h->compat), "pci%04x,%04x", h->vendor,
		 h->device);
	if (sysfs_link(h->addr, "iommu_group", grp, sizeof(grp)))
		return no_group(h);
	h->groupno = atoi(grp);
	r = sysfs_link(h->addr, "driver", drv, sizeof(drv));
	if (r || strcmp(drv, "vfio-pci")) {
		char unbind[160] = "";

		if (!r)
			snprintf(unbind, sizeof(unbind),
				 "echo %s > /sys/bus/pci/drivers/%s/unbind; ",
				 h->addr, drv);
		return dk_err(-ENODEV,
			      "host: %s is %s%s, not vfio-pci; bind it (as root): modprobe vfio-pci; %secho %04x %04x > /sys/bus/pci/drivers/vfio-pci/new_id",
			      h->addr, r ? "bound to no driver" : "bound to ",
			      r ? "" : drv, unbind, h->vendor, h->device);
	}
	return 0;
}

static int region(struct dk_host *h, unsigned int index,
		  struct vfio_region_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->argsz = sizeof(*ri);
	ri->index = index;
	if (ioctl(h->devfd, VFIO_DEVICE_GET_REGION_INFO, ri))
		return dk_err(-EIO, "host: %s: region %u: %s", h->addr, index,
			      strerror(errno));
	return 0;
}

int dk_host_cfg_rw(struct dk_host *h, bool write, unsigned int off,
		   unsigned int len, u32 *val)
{
	ssize_t n;

	if ((len != 1 && len != 2 && len != 4) || off % len || off >= 4096)
		return dk_err(-EINVAL,
			      "host: config space access of %u bytes at 0x%x",
			      len, off);
	if (!write)
		*val = 0;
	/* Little-endian x86: the low bytes of *val are the register. */
	n = write ? pwrite(h->devfd, val, len, h->cfg_off + off) :
		    pread(h->devfd, val, len, h->cfg_off + off);
	if (n != (ssize_t)len)
		return dk_err(-EIO, "host: %s: config space 0x%x: %s", h->addr,
			      off, n < 0 ? strerror(errno) : "short access");
	return 0;
}

static int enable_master(struct dk_host *h)
{
	u32 cmd;
	int r = dk_host_cfg_rw(h, false, PCI_COMMAND, 2, &cmd);

	if (!r && !(cmd & PCI_COMMAND_MASTER)) {
		cmd |= PCI_COMMAND_MASTER;
		r = dk_host_cfg_rw(h, true, PCI_COMMAND, 2, &cmd);
	}
	return r;
}

int dk_host_pci_setup(struct dk_host *h)
{
	struct vfio_region_info ri;
	unsigned long long start;
	int r;

	r = region(h, VFIO_PCI_CONFIG_REGION_INDEX, &ri);
	if (r)
		return r;
	h->cfg_off = ri.offset;
	r = region(h, VFIO_PCI_BAR0_REGION_INDEX, &ri);
	if (r)
		return r;
	if (!ri.size || !(ri.flags & VFIO_REGION_INFO_FLAG_MMAP))
		return dk_err(-ENODEV, "host: %s: BAR 0 cannot be mapped",
			      h->addr);
	h->bar0 = mmap(NULL, ri.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       h->devfd, ri.offset);
	if (h->bar0 == MAP_FAILED) {
		h->bar0 = NULL;
		return dk_err(-EIO, "host: %s: mmap of BAR 0: %s", h->addr,
			      strerror(errno));
	}
	h->bar0_size = ri.size;
	/* The bus address of the BAR names the registers, as on a
	 * physical-address machine; only ioremap() sees it. */
	h->bar0_pa = sysfs_hex(h->addr, "resource", &start) ? 0xe0000000 :
							       start;
	return enable_master(h);
}

const char *dk_host_irq_index_name(u32 index)
{
	return index == VFIO_PCI_INTX_IRQ_INDEX ? "INTx" :
	       index == VFIO_PCI_MSIX_IRQ_INDEX ? "MSI-X" : "MSI";
}

static const char *irq_name(struct dk_host *h)
{
	return dk_host_irq_index_name(h->irq_index);
}

/* One VFIO_DEVICE_SET_IRQS of the index in use: @action TRIGGER with an
 * eventfd for each of @n vectors from @fds, or (@fds NULL, @n 0) no
 * longer signalled, which disables MSI and MSI-X; or UNMASK (@n 1) the
 * INTx line VFIO masked as it signalled. */
static int set_irqs(struct dk_host *h, u32 action, const int *fds,
		    unsigned int n)
{
	char buf[sizeof(struct vfio_irq_set) + DK_HOST_MAX_VECTORS * sizeof(int)];
	struct vfio_irq_set *s = (struct vfio_irq_set *)buf;

	memset(buf, 0, sizeof(buf));
	s->argsz = sizeof(*s) + (fds ? n * sizeof(int) : 0);
	s->index = h->irq_index;
	s->flags = (fds ? VFIO_IRQ_SET_DATA_EVENTFD : VFIO_IRQ_SET_DATA_NONE) |
		   action;
	s->count = n;
	if (fds)
		memcpy(s->data, fds, n * sizeof(int));
	if (ioctl(h->devfd, VFIO_DEVICE_SET_IRQS, s))
		return dk_err(-EIO, "host: %s: %u %s vector%s through eventfds: %s",
			      h->addr, n, irq_name(h), n == 1 ? "" : "s",
			      strerror(errno));
	return 0;
}

int dk_host_irq_count(struct dk_host *h, u32 index, u32 *count)
{
	struct vfio_irq_info ii = { .argsz = sizeof(ii), .index = index };

	if (ioctl(h->devfd, VFIO_DEVICE_GET_IRQ_INFO, &ii))
		return dk_err(-EIO, "host: %s: VFIO_DEVICE_GET_IRQ_INFO (%s): %s",
			      h->addr, dk_host_irq_index_name(index),
			      strerror(errno));
	*count = ii.count;
	return 0;
}

int dk_host_irq_enable(struct dk_host *h, u32 index, unsigned int n)
{
	int fds[DK_HOST_MAX_VECTORS] = { 0 };
	unsigned int i;
	int r = 0;

	if (n > DK_HOST_MAX_VECTORS)
		return dk_err(-ENOSPC, "host: %u interrupt vectors: at most %d",
			      n, DK_HOST_MAX_VECTORS);
	for (i = 0; i < n && !r; i++) {
		fds[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (fds[i] < 0)
			r = dk_err(-ENOMEM, "host: eventfd: %s", strerror(errno));
	}
	h->irq_index = index;
	if (!r)
		r = set_irqs(h, VFIO_IRQ_SET_ACTION_TRIGGER, fds, n);
	if (r) {
		while (i--)
			if (fds[i] >= 0)
				close(fds[i]);
		return r;
	}
	for (i = 0; i < n; i++)
		h->vec[i] = (struct dk_host_vector){ .fd = fds[i] };
	h->nvec = n;
	return 0;
}

void dk_host_irq_disable(struct dk_host *h)
{
	unsigned int i;

	if (!h->nvec)
		return;
	set_irqs(h, VFIO_IRQ_SET_ACTION_TRIGGER, NULL, 0);
	for (i = 0; i < h->nvec; i++)
		close(h->vec[i].fd);
	memset(h->vec, 0, sizeof(h->vec));
	h->nvec = 0;
	h->vectors = false;
}

/* A driver that requests dev->irq without allocating vectors: MSI vector
 * 0 unless INTx was asked for or the device has no MSI vector. */
static int enable_one(struct dk_host *h)
{
	u32 n;

	if (h->intx || dk_host_irq_count(h, VFIO_PCI_MSI_IRQ_INDEX, &n) || !n)
		return dk_host_irq_enable(h, VFIO_PCI_INTX_IRQ_INDEX, 1);
	return dk_host_irq_enable(h, VFIO_PCI_MSI_IRQ_INDEX, 1);
}

static int irq_range_error(struct dk_host *h, int irq)
{
	if (!h->vectors)
		return dk_err(-EINVAL,
			      "host: interrupt %d: %s has only %d (MSI 0 or INTx) until dk_host_alloc_irq_vectors() enables more",
			      irq, h->addr, DK_HOST_IRQ_BASE);
	return dk_err(-EINVAL,
		      "host: interrupt %d: %s has %u %s vector%s enabled, irqs %d to %d",
		      irq, h->addr, h->nvec, irq_name(h),
		      h->nvec == 1 ? "" : "s", DK_HOST_IRQ_BASE,
		      DK_HOST_IRQ_BASE + (int)h->nvec - 1);
}

int dk_host_irq_set(struct dk_host *h, int irq, void (*fn)(int, void *),
		    void *arg)
{
	unsigned int i = (unsigned int)(irq - DK_HOST_IRQ_BASE);
	int r;

	if (irq < DK_HOST_IRQ_BASE || i >= (h->vectors ? h->nvec : 1u)) {
		/* A release after dk_host_free_irq_vectors(): nothing left
		 * to release. */
		return fn ? irq_range_error(h, irq) : 0;
	}
	if (!fn) {
		if (i < h->nvec)
			h->vec[i].fn = NULL;
		if (!h->vectors)
			dk_host_irq_disable(h);
		return 0;
	}
	if (i < h->nvec && h->vec[i].fn)
		return dk_err(-EBUSY, "host: %s: interrupt %d (%s vector %u) is taken",
			      h->addr, irq, irq_name(h), i);
	if (!h->vectors) {
		r = enable_one(h);
		if (r)
			return r;
	}
	h->vec[i].arg = arg;
	h->vec[i].fn = fn;
	return 0;
}

const char *dk_host_irq_kind(struct dk_host *h)
{
	unsigned int i;

	for (i = 0; i < h->nvec; i++)
		if (h->vec[i].fn)
			return irq_name(h);
	return NULL;
}

bool dk_host_irq_poll(struct dk_host *h, int timeout_ms)
{
	struct pollfd p[DK_HOST_MAX_VECTORS];
	unsigned int i, n = h->nvec;
	u64 v;

	if (!n) {
		/* Nothing can interrupt: give the device time anyway. */
		usleep(timeout_ms * 1000);
		return true;
	}
	for (i = 0; i < n; i++)
		p[i] = (struct pollfd){ .fd = h->vec[i].fd, .events = POLLIN };
	if (poll(p, n, timeout_ms) <= 0)
		return true;
	for (i = 0; i < n; i++) {
		void (*fn)(int, void *) = h->vec[i].fn;

		if (!(p[i].revents & POLLIN) ||
		    read(p[i].fd, &v, sizeof(v)) != sizeof(v))
			continue;
		atomic_fetch_add(&h->irqs, 1);
		if (fn)
			fn(DK_HOST_IRQ_BASE + (int)i, h->vec[i].arg);
		/* INTx is level-triggered: VFIO masked the line when it
		 * fired, and it may fire again once the handler has made
		 * the device lower it. */
		if (h->irq_index == VFIO_PCI_INTX_IRQ_INDEX)
			set_irqs(h, VFIO_IRQ_SET_ACTION_UNMASK, NULL, 1);
	}
	return true;
}

int dk_host_pci_reset(struct dk_host *h)
{
	struct vfio_device_info di = { .argsz = sizeof(di) };

	if (ioctl(h->devfd, VFIO_DEVICE_GET_INFO, &di))
		return dk_err(-EIO, "host: %s: VFIO_DEVICE_GET_INFO: %s",
			      h->addr, strerror(errno));
	if (!(di.flags & VFIO_DEVICE_FLAGS_RESET))
		return dk_err(-ENOTTY,
			      "host: %s cannot be reset: VFIO knows no way for this device (no function-level reset, no power-management reset, no bus reset it would not share); reinitialise it through its registers instead",
			      h->addr);
	if (ioctl(h->devfd, VFIO_DEVICE_RESET))
		return dk_err(-EIO, "host: %s: VFIO_DEVICE_RESET: %s", h->addr,
			      strerror(errno));
	/* A reset clears the command register: master again. */
	return enable_master(h);
}

void dk_host_pci_fini(struct dk_host *h)
{
	dk_host_irq_disable(h);
	if (h->bar0)
		munmap(h->bar0, h->bar0_size);
	if (h->devfd >= 0)
		close(h->devfd);
}
