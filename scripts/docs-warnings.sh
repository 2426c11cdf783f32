#!/bin/sh
# make docs' verdict on doxygen's warnings (its WARN_LOGFILE): every
# warning fails, except that a macro constant, a type, a struct member or
# an enumeration without a comment of its own is allowed; only functions
# (and function-like macros named in lower case, which callers call) must
# each have one. doxygen 1.9's WARN_AS_ERROR cannot tell these apart.
#
#   sh scripts/docs-warnings.sh LOGFILE
set -u
log=$1
[ -f "$log" ] || { echo "docs: no doxygen warnings file $log" >&2; exit 1; }
# A warning is a "file:line: " line and the lines up to the next one.
awk '
	/^[^ ]*:[0-9]+: / { flush(); cur = $0; next }
	{ cur = cur "\n" $0 }
	END { flush() }
	function flush() {
		if (cur == "")
			return
		if (cur !~ /is not documented\.$/ ||
		    cur ~ /\(function\) of file/ ||
		    cur ~ /Member [a-z_][a-z0-9_]*\([^)]*\) \(macro definition\)/)
			print cur
		cur = ""
	}
' "$log" >"$log.errors"
if [ -s "$log.errors" ]; then
	cat "$log.errors" >&2
	echo "docs: $(grep -c '^[^ ]*:[0-9]*: ' "$log.errors") doxygen warnings" >&2
	exit 1
fi
