# The kernel-doc contract check (tests/contracts.sh): every public function
# has a /** comment right above its declaration that
#   - opens with "name() - summary", the declared name and some summary,
#   - has an "@arg:" line for each parameter and none for a parameter the
#     function does not have ("@...:" for a variadic one),
#   - says "Return:" unless the function returns void (macros may omit it).
#
#   awk -f scripts/kdoc-check.awk NAMES HEADER...
#
# NAMES is scripts/public-api.sh's inventory, one name a line. Prints
# "ok - name" or "FAIL - name: why" for each, then "N passed, N failed".

function trim(s) {
	sub(/^[ \t]+/, "", s)
	sub(/[ \t]+$/, "", s)
	return s
}

# The parameter list of a declaration: the text inside the parentheses
# that follow its name, up to the matching one.
function arglist(decl, at,    depth, i, c) {
	depth = 0
	for (i = at; i <= length(decl); i++) {
		c = substr(decl, i, 1)
		if (c == "(")
			depth++
		else if (c == ")" && --depth == 0)
			return substr(decl, at + 1, i - at - 1)
	}
	return ""
}

# A parameter's name: a function pointer's "(*name)", else the last word
# when a type comes before it; "" if unnamed. "..." is variadic.
function argname(p,    s) {
	p = trim(p)
	if (p == "...")
		return "..."
	if (match(p, /\([ \t]*\*[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*\)/)) {
		s = substr(p, RSTART, RLENGTH)
		gsub(/[()* \t]/, "", s)
		return s
	}
	gsub(/[ \t]*(\[[^]]*\])+$/, "", p)
	if (!match(p, /[A-Za-z_][A-Za-z0-9_]*$/))
		return ""
	if (RSTART == 1 && !ismacro)
		return ""
	return substr(p, RSTART)
}

# Splits decl's parameters at the commas outside parentheses into params[],
# returns their number (0 for "(void)" and "()").
function splitargs(args,    n, depth, i, c, cur) {
	n = 0
	depth = 0
	cur = ""
	if (trim(args) == "void" || trim(args) == "")
		return 0
	for (i = 1; i <= length(args); i++) {
		c = substr(args, i, 1)
		if (c == "(")
			depth++
		else if (c == ")")
			depth--
		if (c == "," && depth == 0) {
			params[++n] = cur
			cur = ""
		} else {
			cur = cur c
		}
	}
	params[++n] = cur
	return n
}

# The declaration that follows a doc block is complete: find its name and
# judge the block against it.
function judge(decl,    name, at, args, n, i, a, pre, why, seen) {
	ismacro = (decl ~ /^[ \t]*#[ \t]*define/)
	if (ismacro) {
		if (!match(decl, /define[ \t]+[A-Za-z_][A-Za-z0-9_]*\(/))
			return
		name = substr(decl, RSTART, RLENGTH - 1)
		sub(/^define[ \t]+/, "", name)
		at = RSTART + RLENGTH - 1
	} else {
		# The first word followed by "(" that is not __attribute__.
		s = decl
		off = 0
		name = ""
		while (match(s, /[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/)) {
			w = substr(s, RSTART, RLENGTH)
			sub(/[ \t]*\($/, "", w)
			if (w !~ /^__(attribute|asm|declspec)__$/) {
				name = w
				at = off + RSTART + RLENGTH - 1
				break
			}
			off += RSTART + RLENGTH - 1
			s = substr(s, RSTART + RLENGTH)
		}
		if (name == "")
			return
		pre = substr(decl, 1, at - 1)
		sub(/[A-Za-z_][A-Za-z0-9_]*[ \t]*$/, "", pre)
	}
	why = ""
	if (docname != name)
		why = why "; the comment opens with \"" \
		    (docname == "" ? docfirst : docname "()") \
		    "\", not \"" name "() - summary\""
	else if (docsummary == "")
		why = why "; no summary after \"" name "() -\""
	args = arglist(decl, at)
	n = splitargs(args)
	split("", seen)
	for (i = 1; i <= n; i++) {
		a = argname(params[i])
		if (a == "") {
			why = why "; parameter " i " has no name"
			continue
		}
		seen[a] = 1
		if (!(a in docarg))
			why = why "; no @" a ":"
	}
	for (k in docarg)
		if (!(k in seen))
			why = why "; @" k ": is not a parameter"
	if (!ismacro && !docreturn &&
	    !(pre ~ /(^|[^A-Za-z0-9_])void[ \t]+$/ && pre !~ /\*/))
		why = why "; no Return:"
	result[name] = why
	split("", docarg)
}

NR == FNR {
	want[++nwant] = $1
	next
}

FNR == 1 {
	indoc = 0
	pending = 0
	decl = ""
}

# A doc comment: "/**" then lines of " * ".
!indoc && !pending && /^\/\*\*/ {
	indoc = 1
	docname = ""
	docfirst = ""
	docsummary = ""
	docreturn = 0
	split("", docarg)
	firstline = 1
}

indoc {
	line = $0
	sub(/\*\/[ \t]*$/, "", line)
	sub(/^\/\*\*[ \t]*/, "", line) || sub(/^[ \t]*\*[ \t]?/, "", line)
	if (firstline && trim(line) != "") {
		firstline = 0
		docfirst = trim(line)
		if (match(line, /^[A-Za-z_][A-Za-z0-9_]*\(\)[ \t]+-[ \t]*/)) {
			docname = substr(line, 1, RLENGTH)
			sub(/\(\).*/, "", docname)
			docsummary = trim(substr(line, RLENGTH + 1))
		}
	} else if (match(line, /^@[A-Za-z_][A-Za-z0-9_]*:/) ||
		   match(line, /^@\.\.\.:/)) {
		docarg[substr(line, 2, RLENGTH - 2)] = 1
	} else if (line ~ /^Return:/) {
		docreturn = 1
	}
	if ($0 ~ /\*\/[ \t]*$/) {
		indoc = 0
		pending = 1
		decl = ""
	}
	next
}

# The declaration the comment documents starts on the next line.
pending {
	if (decl == "" && $0 ~ /^[ \t]*$/) {
		pending = 0	# a blank line: the comment documents nothing
		next
	}
	decl = decl " " $0
	if (decl ~ /^[ \t]*#[ \t]*define/) {
		if ($0 ~ /\\$/)
			next
	} else if ($0 !~ /[;{]/) {
		next
	}
	pending = 0
	judge(decl)
}

END {
	for (i = 1; i <= nwant; i++) {
		n = want[i]
		if (!(n in result)) {
			print "FAIL - " n ": no /** " n "() - ... */ comment above its declaration"
			failed++
		} else if (result[n] != "") {
			print "FAIL - " n ": " substr(result[n], 3)
			failed++
		} else {
			print "ok - " n
			passed++
		}
	}
	print passed + 0 " passed, " failed + 0 " failed"
	exit failed != 0
}
