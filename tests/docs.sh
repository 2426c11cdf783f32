#!/bin/sh
# The API reference and the checks that keep the contracts complete:
# make docs must build the pages without a doxygen warning, and both the
# contract check (scripts/kdoc-check.awk) and make docs' warning filter
# (scripts/docs-warnings.sh) must fail on a header that breaks the rules.
#
#   sh tests/docs.sh        (from the repository root)
set -u
. "$(dirname "$0")/check.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dmakit-docs.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

make -s docs >"$tmp/make.log" 2>&1
r=$?
[ $r = 0 ] || cat "$tmp/make.log"
check "make docs builds the reference without a warning" $r
html=build/docs/html
test -s "$html/index.html" && test -s "$html/dma-mapping_8h.html"
check "the pages are in $html" $?
# The filter made doxygen commands of the kernel-doc: a parameter table,
# a Return section and a Context paragraph for dma_map_sgtable().
grep -q 'class="paramname">sgt<' "$html/dma-mapping_8h.html" &&
	grep -q 'class="section return"' "$html/dma-mapping_8h.html" &&
	grep -q '<dt>Context:</dt>' "$html/dma-mapping_8h.html"
check "kernel-doc renders as parameters, Return and Context" $?
grep -q 'dk_machine_opts::iommu_dma' "$html/structdk__machine__opts.html"
check "struct members users set are documented (dk_machine_opts)" $?

# A header with every kind of broken contract.
mkdir -p "$tmp/inc/dmakit"
cat >"$tmp/inc/dmakit/bad.h" <<'H'
/* SPDX-License-Identifier: MIT */
/*
 * Broken on purpose.
 */
int undocumented(int a);
/**
 * other_name() - the wrong name.
 * @a: a number.
 *
 * Return: a number.
 */
int wrong_name(int a);
/**
 * no_return() - says nothing of what it returns.
 * @a: a number.
 */
int no_return(int a);
/**
 * missing_arg() - documents one of two parameters.
 * @a: a number.
 *
 * Return: a number.
 */
int missing_arg(int a, int b);
/**
 * stale_arg() - documents a parameter it does not have.
 * @a: a number.
 * @gone: no longer there.
 *
 * Return: a number.
 */
int stale_arg(int a);
/**
 * good() - all there.
 * @a: a number.
 *
 * Return: @a.
 */
int good(int a);
H
printf '%s\n' good missing_arg no_return stale_arg undocumented wrong_name \
	>"$tmp/names"
awk -f scripts/kdoc-check.awk "$tmp/names" "$tmp/inc/dmakit/bad.h" \
	>"$tmp/kdoc.out"
r=$?
want='ok - good
FAIL - missing_arg: no @b:
FAIL - no_return: no Return:
FAIL - stale_arg: @gone: is not a parameter
FAIL - undocumented: no /** undocumented() - ... */ comment above its declaration
FAIL - wrong_name: the comment opens with "other_name()", not "wrong_name() - summary"
1 passed, 5 failed'
[ $r != 0 ] && [ "$(cat "$tmp/kdoc.out")" = "$want" ]
r=$?
[ $r = 0 ] || { echo "got:"; cat "$tmp/kdoc.out"; }
check "the contract check names each broken contract" $r

# The same header through doxygen and make docs' warning filter.
sed -e "s|^INPUT .*|INPUT = $tmp/inc/dmakit|" Doxyfile >"$tmp/Doxyfile"
mkdir -p "$tmp/out"
DMAKIT_DOCS="$tmp/out" doxygen "$tmp/Doxyfile" >/dev/null 2>&1
sh scripts/docs-warnings.sh "$tmp/out/warnings" 2>"$tmp/warn.out"
r=$?
[ $r != 0 ] &&
	grep -q 'Member undocumented(int a) (function) of file bad.h is not documented' "$tmp/warn.out" &&
	grep -q 'parameter.*b' "$tmp/warn.out" &&
	grep -q 'gone' "$tmp/warn.out"
r=$?
[ $r = 0 ] || cat "$tmp/warn.out"
check "make docs fails on an undocumented function or parameter" $r
summary
