#!/bin/sh
# Install the Debian 12 packages dmakit needs to build and test, if missing.
# The arguments are make's goals: "check" also needs python3 (the pictures
# stage parses the SVG and JSON) and what the fresh-debian stage uses
# (debootstrap), except inside that stage's own root; "docs" and "check"
# (its docs stage) need doxygen, which adds 4.6 MB to fetch (19 MB
# installed) and libxapian30 to what clang already brings; "check-render"
# needs chromium, which is too big for the bare root and so is not in
# "check". "check" and "vm-check" need qemu-system-x86 and busybox-static
# for the guest, unless DMAKIT_SKIP_VM is set (the fresh-debian root).
#
# Packages are installed without their Recommends, so everything the suite
# reaches only through a Recommends is named here: llvm-14 carries the
# llvm-symbolizer that turns ASan's addresses into function names.
set -e
PKGS="make gcc clang llvm-14 libclang-rt-14-dev libfdt-dev device-tree-compiler valgrind pkg-config scdoc libdw-dev"
for goal in "$@"; do
	case $goal in
	docs|check) PKGS="$PKGS doxygen" ;;
	esac
	[ "$goal" = check ] && PKGS="$PKGS python3"
	[ "$goal" = check ] && [ -z "${DMAKIT_SKIP_FRESH_DEBIAN:-}" ] &&
		PKGS="$PKGS debootstrap"
	[ "$goal" = check-render ] && PKGS="$PKGS python3 chromium"
	# make vm-check's guest: QEMU and a static busybox (the kernel is
	# fetched into a cache by tests/vm/vm-check.sh, not installed), and
	# what rebuilding its iommufd and vfio modules runs (gcc-12 comes
	# with gcc; kbuild's objtool links libelf).
	case $goal in
	check | vm-check) [ -z "${DMAKIT_SKIP_VM:-}" ] &&
		PKGS="$PKGS qemu-system-x86 busybox-static xz-utils libelf1" ;;
	esac
done
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "dmakit: installing missing Debian packages:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "dmakit: not root; run: apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
