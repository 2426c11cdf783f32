#!/bin/sh
# Install the Debian 12 packages dmakit needs to build and test, if missing.
# The arguments are make's goals: "check" also needs what the fresh-debian
# stage uses (debootstrap), except inside that stage's own root.
#
# Packages are installed without their Recommends, so everything the suite
# reaches only through a Recommends is named here: llvm-14 carries the
# llvm-symbolizer that turns ASan's addresses into function names.
set -e
PKGS="make gcc clang llvm-14 libclang-rt-14-dev libfdt-dev device-tree-compiler valgrind pkg-config scdoc libdw-dev"
for goal in "$@"; do
	[ "$goal" = check ] && [ -z "${DMAKIT_SKIP_FRESH_DEBIAN:-}" ] &&
		PKGS="$PKGS debootstrap"
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
