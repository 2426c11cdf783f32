# Sourced by the test scripts: check NAME STATUS counts "ok - NAME" or
# "FAIL - NAME"; summary prints "N passed, N failed" and is the script's
# verdict.
pass=0
fail=0

check() {
	if [ "$2" = 0 ]; then
		echo "ok - $1"
		pass=$((pass + 1))
	else
		echo "FAIL - $1"
		fail=$((fail + 1))
	fi
}

summary() {
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
}
