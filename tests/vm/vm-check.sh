#!/bin/sh
# make vm-check: dmakit's host platform on real (emulated) hardware. Boots
# Debian's own kernel under QEMU's software emulation (no KVM needed) on a
# q35 machine with an emulated Intel IOMMU and QEMU's edu device, binds edu
# to vfio-pci inside the guest and runs the guest test program there, once:
# every result comes back over the serial console.
#
#   sh tests/vm/vm-check.sh BUILD_DIR
#
# What it fetches and builds (bookworm-backports' kernel with iommufd and
# vfio rebuilt, ~270 MB fetched, 12 MB kept; or Debian 12's kernel, ~70 MB
# fetched, 9 MB kept) is kept outside the clone in $DMAKIT_VM_CACHE
# (default /var/cache/dmakit-vm as root, else $XDG_CACHE_HOME/dmakit-vm)
# so that a second run fetches nothing. Without the network and without a
# cache the stage fails loudly: a CI that cannot boot the guest has not
# tested the host platform. DMAKIT_VM_NO_IOMMUFD=reason boots Debian 12's
# kernel, type1 only.
set -u
BUILD=${1:-build}
die() {
	echo "vm-check: $*" >&2
	echo "0 passed, 1 failed"
	exit 1
}
t0=$(date +%s)
if [ -n "${DMAKIT_VM_CACHE:-}" ]; then
	CACHE=$DMAKIT_VM_CACHE
elif [ "$(id -u)" = 0 ]; then
	CACHE=/var/cache/dmakit-vm
else
	CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/dmakit-vm
fi
mkdir -p "$CACHE" || die "cannot create the cache directory $CACHE"
command -v qemu-system-x86_64 >/dev/null ||
	die "qemu-system-x86_64 is missing (apt-get install qemu-system-x86, or sh make.sh vm-check as root)"
BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] && ldd "$BUSYBOX" 2>&1 | grep -q "not a dynamic" ||
	die "a static busybox is missing (apt-get install busybox-static)"
GUEST=$BUILD/vm-guest-tests
[ -x "$GUEST" ] || die "$GUEST is not built (make BUILD=$BUILD $GUEST)"
DMAKIT=$BUILD/dmakit
[ -x "$DMAKIT" ] || die "$DMAKIT is not built (make BUILD=$BUILD $DMAKIT)"

# The kernel: bookworm-backports' with iommufd and the vfio modules
# rebuilt (tests/vm/iommufd-kernel.sh), which runs the tests through both
# VFIO backends in one boot; without it (no network, nothing cached),
# Debian 12's own, where the iommufd tests say SKIP and why.
IOMMUFD_SKIP=""
if [ -n "${DMAKIT_VM_NO_IOMMUFD:-}" ]; then
	IOMMUFD_SKIP="DMAKIT_VM_NO_IOMMUFD is set: $DMAKIT_VM_NO_IOMMUFD"
elif KDIR=$(sh tests/vm/iommufd-kernel.sh "$CACHE"); then
	pkg=$(basename "$KDIR")
else
	IOMMUFD_SKIP="no kernel with CONFIG_IOMMUFD: $KDIR"
fi
[ -z "$IOMMUFD_SKIP" ] || echo "vm-check: $IOMMUFD_SKIP; booting Debian 12's kernel, type1 only"

# Debian 12's: the package linux-image-amd64 points at, unpacked, not
# installed. Its name carries its ABI, so a cached one is reused as long
# as Debian's pointer has not moved.
if [ -n "$IOMMUFD_SKIP" ]; then
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	if [ -z "$pkg" ]; then
		pkg=$(ls "$CACHE" 2>/dev/null | grep '^linux-image-[0-9]' |
			grep -v iommufd | tail -n 1)
		[ -n "$pkg" ] ||
			die "no apt package lists to find Debian's kernel package (apt-get update), and nothing in $CACHE"
		echo "vm-check: apt knows no linux-image-amd64; using the cached $pkg"
	fi
fi
KDIR=$CACHE/$pkg
WANT="irqbypass vfio vfio_iommu_type1 vfio-pci-core vfio-pci"

# The vfio modules in dependency order, read from each module's own
# "depends=" record (the package ships no modules.dep: depmod makes it at
# install time), copied to $KDIR/modules/.
modlist=""
add_mod() {
	local n p d
	n=$(echo "$1" | tr _ -)
	case " $modlist " in *" $n "*) return ;; esac
	p=$(grep -E "/$n\.ko$" "$MODS/modules.order" | head -n 1)
	[ -n "$p" ] || p=$(grep -E "/$(echo "$n" | tr - _)\.ko$" "$MODS/modules.order" | head -n 1)
	[ -n "$p" ] || die "module $1 is not in $pkg"
	for d in $(tr '\0' '\n' <"$MODS/$p" | sed -n 's/^depends=//p' | tr , ' '); do
		add_mod "$d"
	done
	modlist="$modlist $n"
	cp "$MODS/$p" "$KDIR/new/modules/$n.ko" || die "cannot copy $p"
}

# Fetched once: only the kernel image and those modules are kept (9 MB of
# the package's 400 unpacked).
if [ ! -f "$KDIR/done" ]; then
	echo "vm-check: fetching $pkg into $CACHE (once)"
	rm -rf "$KDIR" && mkdir -p "$KDIR/deb" "$KDIR/new/modules" ||
		die "cannot write $KDIR"
	(cd "$KDIR/deb" && apt-get download -q "$pkg" >/dev/null 2>&1) ||
		die "apt-get download $pkg failed (no network?); the host platform is untested"
	dpkg -x "$KDIR"/deb/*.deb "$KDIR/root" || die "dpkg -x of $pkg failed"
	KVER=$(ls "$KDIR/root/lib/modules" | head -n 1)
	MODS=$KDIR/root/lib/modules/$KVER
	cp "$KDIR/root/boot/vmlinuz-$KVER" "$KDIR/new/vmlinuz" ||
		die "no kernel image in $pkg"
	for m in $WANT; do
		add_mod "$m"
	done
	echo "$KVER" >"$KDIR/new/version"
	echo "$modlist" >"$KDIR/new/order"
	rm -rf "$KDIR/deb" "$KDIR/root"
	mv "$KDIR/new"/* "$KDIR/" && rmdir "$KDIR/new" && : >"$KDIR/done" ||
		die "cannot fill $KDIR"
	# Kernels Debian has moved on from.
	for old in $(ls -d "$CACHE"/linux-image-* | grep -v iommufd); do
		[ "$old" = "$KDIR" ] || rm -rf "$old"
	done
fi
KVER=$(cat "$KDIR/version")
modlist=$(cat "$KDIR/order")
VMLINUZ=$KDIR/vmlinuz

# The initramfs: busybox, those modules, the guest tests with their
# shared libraries (libdw's static archive would want libzstd-dev too).
work=$(mktemp -d "${TMPDIR:-/tmp}/dmakit-vm.XXXXXX") || die "mktemp failed"
[ -n "${DMAKIT_VM_KEEP:-}" ] && echo "vm-check: keeping $work" ||
	trap 'rm -rf "$work"' EXIT
ird=$work/initramfs
mkdir -p "$ird/bin" "$ird/proc" "$ird/sys" "$ird/dev" "$ird/tmp" "$ird/lib"
cp "$BUSYBOX" "$ird/bin/busybox"
for t in sh mount insmod poweroff cat echo grep sleep ls; do
	ln -s busybox "$ird/bin/$t"
done
cp -r "$KDIR/modules" "$ird/lib/modules"
echo "$modlist" >"$ird/modules"
[ -z "$IOMMUFD_SKIP" ] || echo "$IOMMUFD_SKIP" >"$ird/iommufd-skip"
cp "$GUEST" "$ird/bin/guest-tests"
cp "$DMAKIT" "$ird/bin/dmakit"
for lib in $(ldd "$GUEST" "$DMAKIT" | awk '/=>/ { print $3 } /^\t\/lib/ { print $1 }'); do
	mkdir -p "$ird$(dirname "$lib")"
	cp -L "$lib" "$ird$lib"
done
cp tests/vm/init "$ird/init"
chmod +x "$ird/init"
(cd "$ird" && find . | "$BUSYBOX" cpio -o -H newc 2>/dev/null) | gzip -1 >"$work/initramfs.gz" ||
	die "cannot pack the initramfs"
t1=$(date +%s)
echo "vm-check: setup $((t1 - t0)) s ($KVER, modules:$modlist)"

# One boot: its serial console to $1, then QEMU's arguments.
# DMAKIT_VM_ICOUNT=1 runs the guest with -icount shift=0: its clock then
# advances 1 ns per instruction, so dmakit bench --host's microseconds
# are thousands of guest instructions, whatever the host's load.
boot() {
	local log=$1
	shift
	timeout "${DMAKIT_VM_TIMEOUT:-240}" qemu-system-x86_64 \
		-M q35,kernel-irqchip=split -accel tcg \
		${DMAKIT_VM_ICOUNT:+-icount shift=0} -nic none "$@" \
		-smp 1 -m 512M -vga none -nographic -no-reboot -monitor none \
		-serial "file:$log" \
		-kernel "$VMLINUZ" -initrd "$work/initramfs.gz" \
		</dev/null >"$work/qemu.out" 2>&1
}
# The machine: edu behind the emulated Intel IOMMU, and e1000e (an
# 82574L, for MSI-X) before it, at the address q35's default NIC had, so
# edu stays at 00:02.0; last, a virtio-rng behind an expander bridge the
# IOMMU does not cover (bypass_iommu), which has no IOMMU group.
console=$work/console.log
boot "$console" \
	-device intel-iommu,intremap=on,caching-mode=on \
	-device e1000e,addr=01.0 -device edu \
	-device pci-bridge,id=dkbr,chassis_nr=1 -chardev null,id=dknull \
	-device pci-testdev,bus=dkbr,addr=1 -device pci-serial,bus=dkbr,addr=2,chardev=dknull \
	-device pxb-pcie,id=dkpxb,bus_nr=16,bypass_iommu=on \
	-device pcie-root-port,id=dkrp,bus=dkpxb,chassis=3 -device virtio-rng-pci,bus=dkrp \
	-append "console=ttyS0 intel_iommu=on panic=-1 quiet loglevel=3 ${DMAKIT_VM_APPEND:-}"
qrc=$?
t2=$(date +%s)
# What a boot's tests printed, and its seconds ($1 log, $2 QEMU's exit
# status, $3 what the boot was, $4 its seconds); the stage fails here if
# the guest did not finish.
report() {
	tr -d '\r' <"$1" | sed -n '/VMCHECK-BEGIN/,/^VMCHECK-END/p' | grep -v 'VMCHECK-'
	echo "vm-check: $3 $4 s"
	grep -q '^VMCHECK-END' "$1" && return
	echo "vm-check: the guest did not finish (qemu exit $2); its console:"
	tr -d '\r' <"$1" | tail -n 40
	cat "$work/qemu.out"
	echo "0 passed, 1 failed"
	exit 1
}
report "$console" $qrc "boot and tests" $((t2 - t1))

# The second, short boot: the same kernel without the IOMMU (no
# intel-iommu device, no intel_iommu=on), where no device has an IOMMU
# group; the guest's init sees dmakit_vm=noiommu and runs that test only.
noiommu=$work/noiommu.log
boot "$noiommu" -device edu \
	-append "console=ttyS0 panic=-1 quiet loglevel=3 dmakit_vm=noiommu"
nrc=$?
report "$noiommu" $nrc "boot without the IOMMU and its test" $(($(date +%s) - t2))
# Both boots' totals as one line, and whether any guest-tests run failed.
summary=$(cat "$console" "$noiommu" | tr -d '\r' |
	awk '/^[0-9]+ passed, [0-9]+ failed/ { p += $1; f += $3; s += $5; n++ }
	     END { if (n == 2) printf "%d passed, %d failed, %d skipped\n", p, f, s }')
status=$(cat "$console" "$noiommu" | tr -d '\r' | sed -n 's/^guest-tests exit //p' |
	grep -v '^0$' | head -n 1)
bench=$(tr -d '\r' <"$console" | sed -n 's/^bench-host exit //p')
echo "vm-check: $(($(date +%s) - t0)) s in all"
if [ -z "$summary" ] || [ -n "$status" ]; then
	# One died before its totals, or an exit status says it failed.
	echo "vm-check: the guest tests exited ${status:-before their totals}"
	echo "${summary:-0 passed, 1 failed}"
	exit 1
fi
echo "$summary"
if [ "$bench" != 0 ]; then
	echo "vm-check: dmakit bench --host exited ${bench:-?}"
	echo "$summary" | sed 's/ \([0-9]*\) failed/ \1 failed, and dmakit bench --host failed/'
	exit 1
fi
case $summary in
*" 0 failed"*) exit 0 ;;
*) exit 1 ;;
esac
