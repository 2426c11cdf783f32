# doxygen's INPUT_FILTER (see Doxyfile): the headers' kernel-doc comments
# rewritten into doxygen's commands, line for line, so that warnings name
# the header's own line numbers. Only /** blocks change:
#
#   name() - summary      ->  @brief summary
#   struct name - summary ->  @brief summary (also enum, union, typedef)
#   @arg: text            ->  @param arg text    (first word of a line)
#   /** @member: text */  ->  /** text */        (a struct member's doc)
#   Context: text         ->  a "Context:" paragraph (the kcontext alias)
#   Return: text          ->  @return text
#   @arg, %CONST, &struct ->  \p arg, CONST, struct  (in the prose)
#
# and the characters doxygen would read as commands or HTML (\ < > # $ %)
# are escaped. The header's first comment becomes its @file description,
# since doxygen lists a C file's functions only when the file has one.
#
#   awk -f scripts/kdoc2doxygen.awk FILE
BEGIN { indoc = 0; filedoc = 0 }

# The prose of a doc line: escapes, then kernel-doc's highlights.
function prose(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/</, "\\<", s)
	gsub(/>/, "\\>", s)
	gsub(/#/, "\\#", s)
	gsub(/\$/, "\\$", s)
	gsub(/&(struct|enum|union) /, "", s)
	# "%NAME" marks a constant; any other % is a character.
	while (match(s, /%[A-Z_]/))
		s = substr(s, 1, RSTART - 1) substr(s, RSTART + 1)
	gsub(/%/, "\\%", s)
	# "@name" in running text names a parameter.
	while (match(s, /@[A-Za-z_][A-Za-z0-9_]*/))
		s = substr(s, 1, RSTART - 1) "\\p " substr(s, RSTART + 1)
	gsub(/@\.\.\./, "...", s)
	return s
}

# One line of a doc block, without its leading " * " (lead keeps it).
function docline(lead, s,    m) {
	if (first && match(s, /^[A-Za-z_][A-Za-z0-9_]*\(\) - /)) {
		first = 0
		return lead "@brief " prose(substr(s, RLENGTH + 1))
	}
	if (first && match(s, /^(struct|enum|union|typedef) [A-Za-z_][A-Za-z0-9_]* - /)) {
		first = 0
		return lead "@brief " prose(substr(s, RLENGTH + 1))
	}
	if (s ~ /[^ \t]/)
		first = 0
	if (match(s, /^@[A-Za-z_][A-Za-z0-9_]*:/)) {
		m = substr(s, 2, RLENGTH - 2)
		rest = substr(s, RLENGTH + 1)
		if (inmember)
			return lead prose(rest)
		return lead "@param " m prose(rest)
	}
	if (match(s, /^@\.\.\.:/))
		return lead "@param ..." prose(substr(s, RLENGTH + 1))
	if (match(s, /^Return:/))
		return lead "@return" prose(substr(s, RLENGTH + 1))
	if (match(s, /^Context:/))
		return lead "@kcontext" prose(substr(s, RLENGTH + 1))
	return lead prose(s)
}

# The text of a doc line between "/**" or " * " and "*/".
function body(line,    lead, s, tail) {
	tail = ""
	if (match(line, /\*\/[ \t]*$/)) {
		tail = substr(line, RSTART)
		line = substr(line, 1, RSTART - 1)
	}
	if (match(line, /^[ \t]*\/\*\*[ \t]*/) || match(line, /^[ \t]*\*[ \t]?/)) {
		lead = substr(line, 1, RLENGTH)
		s = substr(line, RLENGTH + 1)
	} else {
		lead = ""
		s = line
	}
	return docline(lead, s) tail
}

NR == 1 && /^\/\* SPDX-License-Identifier/ {
	# Say @file here unless the next line opens the overview comment.
	spdx = $0
	next
}

NR == 2 && spdx != "" {
	if ($0 ~ /^\/\*[ \t]*$/) {
		print spdx
		print "/** @file"
		indoc = 1
		first = 0
		inmember = 0
		filedoc = 1
		next
	}
	print "/** @file */"
	spdx = ""
}

!indoc && /^[ \t]*\/\*\*/ {
	indoc = 1
	first = 1
	# A member's doc opens with its name on the "/**" line.
	inmember = ($0 ~ /^[ \t]*\/\*\*[ \t]*@[A-Za-z_][A-Za-z0-9_]*:/) &&
		   ($0 ~ /^[ \t]/)
}

indoc {
	out = body($0)
	if ($0 ~ /\*\/[ \t]*$/)
		indoc = 0
	print out
	next
}

{ print }
