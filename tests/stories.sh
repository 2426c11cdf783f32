#!/bin/sh
# dmakit stories end to end: every story's buggy runs caught and fixed runs
# clean under every policy (one check per story), plus the command's options.
set -u
DK=${1:-./build/dmakit}
. "$(dirname "$0")/check.sh"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$DK" stories >"$out/table.txt" 2>"$out/err.txt"
rc=$?
check "dmakit stories exits 0" $rc
n=0
for s in $("$DK" stories --list | awk '{print $1}'); do
	n=$((n + 1))
	grep -q "^$s  *ok" "$out/table.txt"
	r=$?
	check "story $s: buggy caught, fixed clean, every policy" $r
	[ $r = 0 ] || grep -A2 "^$s " "$out/table.txt"
done
[ "$n" -ge 4 ]
check "--list names the stories ($n)" $?
# Every story cited as a person would: slide and speaker, no file paths.
"$DK" stories --list >"$out/list.txt"
# (a Q&A story cites its question and thread instead)
[ "$(grep -c -e '(slide “[^”]*”.*, [A-Z][a-z]* [A-Z][a-z]*, .*)$' \
	-e '(question “[^”]*” in the thread “[^”]*”, .*)$' "$out/list.txt")" = "$n" ] &&
	! grep -q 'talk 00\|seeds' "$out/list.txt"
check "--list cites each story's slide and speaker" $?
grep -q "^$n stories: $n with every buggy run caught" "$out/table.txt"
check "the summary line counts them all" $?
[ ! -s "$out/err.txt" ]
check "nothing on stderr without -v" $?

"$DK" stories buffer-shambler -v --policy adversarial >"$out/v.txt" 2>&1
check "one story, verbose, one policy" $?
grep -q "rejecting DMA map of vmalloc memory" "$out/v.txt"
check "-v shows what the kernel log said" $?
grep -q "DMA-API: .*maps memory from vmalloc area" "$out/v.txt"
check "-v shows what the checker printed" $?
grep -q "the fix: maps the buffer's pages as a scatterlist" "$out/v.txt"
check "-v tells what the fix changed" $?
grep -q "^  from slide “The Buffer Shambler”, Ahmad Fatoum, " "$out/v.txt"
check "-v cites the talk and slide" $?
grep -q "^  buggy  *| fixed$" "$out/v.txt" &&
	grep -q "^    h = dma_map_single(dev, buf, len,  *|   sg_set_page(sg, vmalloc_to_page(p), ...);$" "$out/v.txt"
check "-v shows the buggy and the fixed lines side by side" $?
! grep -q "policy never" "$out/v.txt"
check "--policy runs only that policy" $?

"$DK" stories no-such-story >/dev/null 2>&1
[ $? = 2 ]
check "an unknown story exits 2" $?
"$DK" stories --seed 99 --soc dts/default.dts >/dev/null 2>&1
check "--seed and --soc with the default tree as a file" $?

DK_OUT=$("$DK" stories --seed xyz 2>&1)
[ $? = 2 ] && case "$DK_OUT" in *"--seed xyz is not a number"*) true ;; *) false ;; esac
check "a seed that is not a number exits 2 with a message" $?

summary
