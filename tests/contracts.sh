#!/bin/sh
# Every public function has its contract in its header: a kernel-doc
# comment naming it, with each parameter and the return value (see
# scripts/kdoc-check.awk for the rules). The inventory is the sweep's
# (scripts/public-api.sh), so a new function without a contract fails
# here before anything is built; make docs (doxygen) checks the same
# comments again as it renders them.
#
#   sh tests/contracts.sh        (from the repository root)
set -u
CC=${CC:-gcc}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dmakit-contracts.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
if ! sh scripts/public-api.sh functions "$CC" >"$tmp/names" ||
   [ ! -s "$tmp/names" ]; then
	echo "FAIL - the inventory of public functions is empty"
	echo "0 passed, 1 failed"
	exit 1
fi
awk -f scripts/kdoc-check.awk "$tmp/names" include/dmakit/*.h \
	include/dmakit/models/*.h
