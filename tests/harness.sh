#!/bin/sh
# The test harness itself: a crash and a hang are failures of the test
# that had them, named, and the run goes on; output keeps registration
# order with -j; --list and NAME selection. Ends with "N passed, N failed".
set -u
# make check's quick mode samples the tests; not the harness's own.
unset DMAKIT_TEST_SAMPLE
B=${1:-build}/harness-selftest
. "$(dirname "$0")/check.sh"
out=$(mktemp)
trap 'rm -f "$out"' EXIT

"$B" -j 3 --timeout 1 >"$out" 2>&1
rc=$?
[ $rc = 1 ]
check "a run with failures exits 1" $?
grep -v '^    tests/harness_selftest.c' "$out" >"$out.v"
cat >"$out.want" <<'WANT'
ok   selftest_passes
FAIL selftest_fails
    killed by signal 11 (Segmentation fault)
FAIL selftest_crashes
    timed out after 1 s
FAIL selftest_hangs
ok   selftest_passes_after_the_others
2 passed, 3 failed
WANT
cmp -s "$out.v" "$out.want"
r=$?
[ $r = 0 ] || { echo "got:"; cat "$out"; }
check "crash and hang are named failures, in order, and the run goes on" $r
grep -q "tests/harness_selftest.c:.*2 + 2 == 5" "$out"
check "a failed CHECK says where and what" $?
[ "$("$B" --list | tr '\n' ' ')" = "selftest_passes selftest_fails selftest_crashes selftest_hangs selftest_passes_after_the_others " ]
check "--list names every test" $?
[ "$("$B" --sample 2 --list | tr '\n' ' ')" = "selftest_passes selftest_crashes selftest_passes_after_the_others " ]
check "--sample 2 selects every other test" $?
[ "$(DMAKIT_TEST_SAMPLE=3 "$B" --list | tr '\n' ' ')" = "selftest_passes selftest_hangs " ]
check "DMAKIT_TEST_SAMPLE=3 selects every third" $?
[ "$("$B" --no-fork passes | tail -n 1)" = "2 passed, 0 failed" ]
check "NAME selects, --no-fork runs in process" $?
"$B" -j x >/dev/null 2>"$out"
[ $? = 2 ] && grep -qx 'dmakit-tests: -j x: not a number from 1 to 100000' "$out"
check "a bad option is a usage error that says what is wrong" $?
"$B" --frobnicate >/dev/null 2>"$out"
[ $? = 2 ] && grep -qx 'dmakit-tests: unknown option --frobnicate' "$out"
check "an unknown option is named" $?
[ "$("$B" -j2 --no-fork passes | tail -n 1)" = "2 passed, 0 failed" ]
check "-j2 is -j 2, as for make" $?
rm -f "$out.v" "$out.want"
summary
