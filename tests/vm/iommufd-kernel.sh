#!/bin/sh
# A guest kernel with iommufd, for tests/vm/vm-check.sh. No Debian kernel
# enables CONFIG_IOMMUFD, so this takes bookworm-backports' kernel and
# rebuilds iommufd and the vfio modules out of tree from Debian's own
# linux-headers and linux-source with CONFIG_IOMMUFD=m and
# CONFIG_VFIO_DEVICE_CDEV=y. The result, in CACHE/<package>-iommufd:
# vmlinuz, modules/*.ko, order (insmod order), version, done.
#
#   sh tests/vm/iommufd-kernel.sh CACHE
#
# Prints that directory on stdout and exits 0; or exits 1 with the reason
# on stdout (the guest's iommufd tests then say SKIP with it). Backports
# is reached through a private apt configuration under CACHE, never the
# machine's own sources; a second run builds and fetches nothing.
set -u
CACHE=$1
W=""
fail() {
	echo "$*"
	[ -z "$W" ] || rm -rf "$W"
	exit 1
}
t0=$(date +%s)
APT=$CACHE/apt-backports
mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/parts" \
	"$APT/prefs" || fail "cannot write $APT"
cat >"$APT/sources.list" <<EOF
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-backports main
EOF
apt_opts="-o Dir::Etc::sourcelist=$APT/sources.list -o Dir::Etc::sourceparts=$APT/parts
 -o Dir::Etc::preferencesparts=$APT/prefs -o Dir::State=$APT -o Dir::State::lists=$APT/lists
 -o Dir::State::status=/var/lib/dpkg/status -o Dir::Cache=$APT/cache -o Debug::NoLocking=1
 -o APT::Sandbox::User=root"
# shellcheck disable=SC2086
aptc() { apt-cache $apt_opts "$@" 2>/dev/null; }

# One build at a time: the developers of one machine share the cache.
exec 9>"$CACHE/iommufd.lock"
flock 9 || fail "cannot lock $CACHE/iommufd.lock"
# The lists are refreshed once a day; offline, the last build is used.
if [ -z "$(find "$APT/updated" -mtime -1 2>/dev/null)" ]; then
	# shellcheck disable=SC2086
	apt-get $apt_opts -q update >/dev/null 2>&1 && : >"$APT/updated"
fi
pkg=$(aptc depends linux-image-amd64 |
	awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
if [ -z "$pkg" ]; then
	d=$(ls -d "$CACHE"/linux-image-*-iommufd 2>/dev/null | tail -n 1)
	[ -n "$d" ] && [ -f "$d/done" ] && echo "$d" && exit 0
	fail "bookworm-backports is unreachable (no network?) and no iommufd kernel is cached in $CACHE"
fi
OUT=$CACHE/$pkg-iommufd
[ -f "$OUT/done" ] && echo "$OUT" && exit 0

KV=${pkg#linux-image-}
ver=$(aptc show "$pkg" | awk '/^Version:/ { print $2; exit }')
src=linux-source-$(echo "$KV" | cut -d. -f1-2)
kb=linux-kbuild-${KV%-amd64}
W=$CACHE/iommufd-build
rm -rf "$W" "$OUT" && mkdir -p "$W/deb" "$W/root" "$W/src" "$OUT/modules" ||
	fail "cannot write $W"
# shellcheck disable=SC2086
(cd "$W/deb" && apt-get $apt_opts -q download "$pkg" "linux-headers-$KV" \
	"linux-headers-${KV%-amd64}-common" "$kb" "$src=$ver" >/dev/null 2>&1) ||
	fail "apt-get download of $pkg, its headers and $src=$ver failed"
echo "vm-check: fetched $pkg and what rebuilds its vfio modules in $(($(date +%s) - t0)) s" >&2
for d in "$W"/deb/linux-headers-*.deb "$W"/deb/linux-kbuild-*.deb; do
	dpkg -x "$d" "$W/root" || fail "dpkg -x $d failed"
done
R=$W/root
# Of the image only the kernel and irqbypass.ko; of the source package
# only the few files rebuilt, straight out of its tarball.
dpkg-deb --fsys-tarfile "$W"/deb/"$pkg"_*.deb |
	tar -x -C "$R" "./boot/vmlinuz-$KV" --wildcards '*/irqbypass.ko*' ||
	fail "no kernel image or irqbypass.ko in $pkg"
dpkg-deb --fsys-tarfile "$W"/deb/"$src"_*.deb | tar -xO "./usr/src/$src.tar.xz" |
	tar -xJ -C "$W/src" --strip-components=1 \
		"$src/drivers/vfio" "$src/drivers/iommu/iommufd" \
		"$src/drivers/iommu/iommu-priv.h" "$src/lib/interval_tree.c" ||
	fail "cannot unpack the sources from $src"
rm -rf "$W/deb"
t1=$(date +%s)

# The headers tree with iommufd and the vfio device cdev turned on.
K=$W/kobj
cp -a "$R/usr/src/linux-headers-$KV" "$K" || fail "no linux-headers-$KV"
sed -i "s|/usr/src/|$R/usr/src/|" "$K/Makefile"
ln -sfn "$R/usr/lib/$kb/scripts" "$K/scripts"
ln -sfn "$R/usr/lib/$kb/tools" "$K/tools"
printf 'CONFIG_IOMMUFD=m\nCONFIG_VFIO_DEVICE_CDEV=y\n' |
	tee -a "$K/.config" >>"$K/include/config/auto.conf"
printf '#define CONFIG_IOMMUFD_MODULE 1\n#define CONFIG_VFIO_DEVICE_CDEV 1\n' \
	>>"$K/include/generated/autoconf.h"

# Debian's kernel leaves the interval tree's span iterator out
# (CONFIG_INTERVAL_TREE_SPAN_ITER): iommufd.ko carries its own copy, the
# kernel's other interval-tree functions stay the kernel's.
I=$W/src/drivers/iommu/iommufd
awk '/^#ifdef CONFIG_INTERVAL_TREE_SPAN_ITER/ { on = 1 }
     /^EXPORT_SYMBOL/ { next }
     /^#include/ || on { print }' "$W/src/lib/interval_tree.c" >"$I/span_iter.c"
printf 'iommufd-y += span_iter.o\nCFLAGS_span_iter.o += -DCONFIG_INTERVAL_TREE_SPAN_ITER\n' \
	>>"$I/Makefile"
# No pahole here: no BTF for these modules. No mdev: nothing uses it.
mk() {
	make -s -C "$K" -j"${DMAKIT_VM_JOBS:-2}" CONFIG_DEBUG_INFO_BTF_MODULES= \
		CONFIG_VFIO_MDEV= "$@" modules >"$W/build.log" 2>&1 ||
		fail "building $* failed: $(tail -n 5 "$W/build.log" | tr '\n' ' ')"
}
mk M="$I"
mk M="$W/src/drivers/vfio" KBUILD_EXTRA_SYMBOLS="$I/Module.symvers"

cp "$R/boot/vmlinuz-$KV" "$OUT/vmlinuz" || fail "no kernel image in $pkg"
xz -dc "$(find "$R/lib/modules/$KV" -name 'irqbypass.ko*' | head -n 1)" \
	>"$OUT/modules/irqbypass.ko" || fail "no irqbypass module in $pkg"
V=$W/src/drivers/vfio
for m in "$I/iommufd" "$V/vfio" "$V/vfio_iommu_type1" "$V/pci/vfio-pci-core" \
	"$V/pci/vfio-pci"; do
	n=$(basename "$m" | tr _ -)
	strip --strip-debug -o "$OUT/modules/$n.ko" "$m.ko" ||
		fail "$m.ko was not built"
done
echo "vm-check: rebuilt iommufd and vfio for $KV in $(($(date +%s) - t1)) s" >&2
echo "$KV" >"$OUT/version"
echo " irqbypass iommufd vfio vfio-iommu-type1 vfio-pci-core vfio-pci" >"$OUT/order"
: >"$OUT/done"
rm -rf "$W" "$APT/cache/archives"/*.deb
for old in "$CACHE"/linux-image-*-iommufd; do
	[ "$old" = "$OUT" ] || rm -rf "$old"
done
echo "$OUT"
