#!/bin/sh
# Install the Debian 12 packages dmakit needs to build and test, if missing.
set -e
PKGS="make gcc clang libclang-rt-14-dev libfdt-dev device-tree-compiler valgrind pkg-config"
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
