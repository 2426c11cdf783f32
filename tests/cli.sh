#!/bin/sh
# End-to-end tests of the dmakit command line.
#
#   sh tests/cli.sh ./build/dmakit        (run from the repository root)
#
# Each numbered check prints "ok N - name" or "FAIL N - name" followed by
# indented details; the last line is "N passed, N failed" and the exit
# status is non-zero when anything failed. Exact lines are compared where
# the output is meant to be read by people, so a change in "soc show" is a
# deliberate change of this file too.
set -u

if [ $# -ne 1 ]; then
	echo "usage: sh tests/cli.sh DMAKIT-BINARY" >&2
	exit 2
fi
DK=$1
case $DK in
/*) ;;
*) DK=$(pwd)/$DK ;;
esac
if [ ! -x "$DK" ]; then
	echo "cli.sh: $DK is not an executable" >&2
	exit 2
fi
if [ ! -d dts ]; then
	echo "cli.sh: run me from the repository root (no dts/ here)" >&2
	exit 2
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/dmakit-cli.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
trap 'exit 2' HUP INT TERM
OUT=$TMP/out
ERR=$TMP/err
DETAILS=$TMP/details

N=0
PASSED=0
FAILED=0
NAME=
BAD=0
RC=0

# ---- the small harness ---------------------------------------------------

# run CMD [ARGS]: stdout to $OUT, stderr to $ERR, exit status in $RC.
run() {
	"$@" >"$OUT" 2>"$ERR"
	RC=$?
}

# begin NAME: start a numbered check.
begin() {
	N=$((N + 1))
	NAME=$1
	BAD=0
	: >"$DETAILS"
}

# note TEXT: add a detail line to the current check and mark it failed.
note() {
	BAD=1
	printf '    %s\n' "$1" >>"$DETAILS"
}

# show_file LABEL FILE: quote (the start of) FILE in the details.
show_file() {
	printf '    %s:\n' "$1" >>"$DETAILS"
	if [ -s "$2" ]; then
		head -n 40 "$2" | sed 's/^/      | /' >>"$DETAILS"
	else
		printf '      (empty)\n' >>"$DETAILS"
	fi
}

# end: print the verdict of the current check.
end() {
	if [ "$BAD" = 0 ]; then
		PASSED=$((PASSED + 1))
		printf 'ok %d - %s\n' "$N" "$NAME"
	else
		FAILED=$((FAILED + 1))
		printf 'FAIL %d - %s\n' "$N" "$NAME"
		cat "$DETAILS"
	fi
}

want_rc() {
	if [ "$RC" != "$1" ]; then
		note "exit status $RC, expected $1"
		show_file stderr "$ERR"
	fi
}

# want_line FILE LINE: FILE has LINE as a whole line.
want_line() {
	if ! grep -Fxq -e "$2" "$1"; then
		note "missing line: [$2]"
		show_file output "$1"
	fi
}

# want_no_line FILE LINE: FILE does not have LINE as a whole line.
want_no_line() {
	if grep -Fxq -e "$2" "$1"; then
		note "unexpected line: [$2]"
	fi
}

# want_text FILE TEXT: TEXT occurs somewhere in FILE.
want_text() {
	if ! grep -Fq -e "$2" "$1"; then
		note "missing text: [$2]"
		show_file output "$1"
	fi
}

# want_no_text FILE TEXT: TEXT occurs nowhere in FILE.
want_no_text() {
	if grep -Fq -e "$2" "$1"; then
		note "unexpected text: [$2]"
		show_file output "$1"
	fi
}

want_empty() {
	if [ -s "$1" ]; then
		note "expected no output"
		show_file output "$1"
	fi
}

want_nonempty() {
	if [ ! -s "$1" ]; then
		note "expected a message, got nothing"
	fi
}

# want_eq WHAT GOT EXPECTED
want_eq() {
	if [ "$2" != "$3" ]; then
		note "$1: got [$2], expected [$3]"
	fi
}

# device_block FILE NODEPATH: the lines "soc show" prints for one device.
device_block() {
	awk -v hdr="  $2" '
		$0 == hdr { on = 1; print; next }
		on && /^  [^ ]/ { on = 0 }
		/^[^ ]/ { on = 0 }
		on { print }
	' "$1"
}

# device_count FILE: how many devices "soc show" listed.
device_count() {
	awk '
		/^devices \(/ { on = 1; next }
		/^[^ ]/ { on = 0 }
		on && /^  \// { n++ }
		END { print n + 0 }
	' "$1"
}

# dev_line SHOWFILE NODEPATH LINE: the device's block has LINE.
dev_line() {
	device_block "$1" "$2" >"$TMP/block"
	if [ ! -s "$TMP/block" ]; then
		note "no device $2 in the output"
		show_file output "$1"
		return
	fi
	want_line "$TMP/block" "$3"
}

# show_of FILE SAVEAS: run "soc show FILE" once and keep its output.
show_of() {
	run "$DK" soc show "$1"
	cp "$OUT" "$2"
	cp "$ERR" "$2.err"
	SHOW_RC=$RC
}

# check_show_rc SAVED NAME: a check that the "soc show" saved in SAVED
# exited 0, printed a SoC and said nothing on stderr.
check_show_rc() {
	begin "$2: soc show exits 0 and prints the SoC"
	if [ "$SHOW_RC" != 0 ]; then
		note "exit status $SHOW_RC, expected 0"
		show_file stderr "$1.err"
	fi
	want_text "$1" "SoC: "
	want_empty "$1.err"
	end
}

# ---- soc show, built-in default SoC --------------------------------------

S=$TMP/show-default
run "$DK" soc show
cp "$OUT" "$S"
SHOW_RC=$RC
cp "$ERR" "$S.err"
check_show_rc "$S" "default SoC"

begin "default SoC: model line"
want_line "$S" "SoC: dmakit default SoC (non-coherent, 64-byte lines)"
end

begin "default SoC: cache line"
want_line "$S" "cache: write-back, 64-byte lines, 64-byte write-back granule, ARCH_DMA_MINALIGN 128"
end

begin "default SoC: policy line"
want_line "$S" "policy: eviction adversarial, seed 0x1, partial edge lines on invalidate: clean-invalidate"
end

begin "default SoC: two banks, below and above 4 GiB"
want_line "$S" "memory (2 banks):"
want_line "$S" "  bank0                  0x0000000080000000-0x00000000bfffffff  1 GiB"
want_line "$S" "  bank1                  0x0000000100000000-0x000000013fffffff  1 GiB"
end

begin "default SoC: CMA and per-device pool"
want_line "$S" "reserved-memory (4):"
want_line "$S" "  /reserved-memory/linux,cma"
want_line "$S" "                         shared-dma-pool, reusable (CMA), default CMA area"
want_line "$S" "                         0x00000000bff00000-0x00000000bfffffff  1 MiB"
end

begin "default SoC: the secure world behind the firewall"
want_line "$S" "firewall (1 secure range):"
want_line "$S" "  secure0                0x00000000bfe00000-0x00000000bfefffff  1 MiB"
end

begin "default SoC: the devices it lists are the devices it counts"
n=$(sed -n 's/^devices (\([0-9]*\)):$/\1/p' "$S")
want_eq "devices listed" "$(device_count "$S")" "$n"
dev_line "$S" /soc/tee-client@10040000 "    memory-region: /reserved-memory/tee-shm@bfd00000"
dev_line "$S" /soc/coherent-master@10030000 "    coherent: yes in the tree, yes in hardware"
end

begin "default SoC: the 32-bit master"
dev_line "$S" /soc/master32@10020000 "    wired address bits: 32"
dev_line "$S" /soc/master32@10020000 "    memory-region: /reserved-memory/coherent-pool@bff00000"
dev_line "$S" /soc/dma@10000000 "    dma-channels: 4"
end

begin "default SoC: the I2C controller's DMA request lines"
dev_line "$S" /soc/i2c@10180000 '    dma "tx": /soc/dma-controller@101d0000 0'
dev_line "$S" /soc/i2c@10180000 '    dma "rx": /soc/dma-controller@101d0000 1'
end

begin "soc show dts/default.dts is the built-in SoC"
run "$DK" soc show dts/default.dts
want_rc 0
if ! cmp -s "$OUT" "$S"; then
	note "output differs from \"soc show\" without a file:"
	diff "$S" "$OUT" | head -n 20 | sed 's/^/      /' >>"$DETAILS"
fi
end

# ---- soc show of each shipped tree ---------------------------------------

# x86-coherent
S=$TMP/show-x86
show_of dts/x86-coherent.dts "$S"
check_show_rc "$S" "x86-coherent"

begin "x86-coherent: cache and policy"
want_line "$S" "cache: write-back, 64-byte lines, 64-byte write-back granule, ARCH_DMA_MINALIGN 64"
want_line "$S" "policy: eviction never, seed 0x1, partial edge lines on invalidate: clean-invalidate"
end

begin "x86-coherent: RAM below and above 4 GiB"
want_line "$S" "memory (2 banks):"
want_line "$S" "  bank0                  0x0000000000000000-0x000000007fffffff  2 GiB"
want_line "$S" "  bank1                  0x0000000100000000-0x00000001ffffffff  4 GiB"
want_line "$S" "reserved-memory (0):"
want_line "$S" "firewall (0 secure ranges):"
end

begin "x86-coherent: every device coherent, tree and hardware agree"
want_line "$S" "devices (3):"
want_eq "devices listed" "$(device_count "$S")" 3
want_eq "coherent devices" \
	"$(grep -Fxc '    coherent: yes in the tree, yes in hardware' "$S")" 3
want_no_text "$S" "the tree is wrong"
end

begin "x86-coherent: m2m engine, 64-bit and 32-bit masters"
dev_line "$S" /soc/dma@fed00000 "    model: dmakit,m2m-dma (memory-to-memory DMA engine with descriptor chains)"
dev_line "$S" /soc/dma@fed00000 "    dma-channels: 8"
dev_line "$S" /soc/master@fed10000 "    wired address bits: 64"
dev_line "$S" /soc/legacy@fed20000 "    wired address bits: 32"
end

# arm-40bit
S=$TMP/show-arm
show_of dts/arm-40bit.dts "$S"
check_show_rc "$S" "arm-40bit"

begin "arm-40bit: cache and policy"
want_line "$S" "cache: write-back, 64-byte lines, 64-byte write-back granule, ARCH_DMA_MINALIGN 128"
want_line "$S" "policy: eviction adversarial, seed 0x1, partial edge lines on invalidate: clean-invalidate"
end

begin "arm-40bit: 2 GiB bank0 and the 16 GiB bank above 1 TiB"
want_line "$S" "memory (2 banks):"
want_line "$S" "  bank0                  0x0000000080000000-0x00000000ffffffff  2 GiB"
want_line "$S" "  bank1                  0x0000010080000000-0x000001047fffffff  16 GiB"
end

begin "arm-40bit: CMA placed top-down inside alloc-ranges"
want_line "$S" "reserved-memory (1):"
want_line "$S" "  /reserved-memory/linux,cma"
want_line "$S" "                         0x00000000f8000000-0x00000000ffffffff  128 MiB"
want_line "$S" "                         shared-dma-pool, reusable (CMA), default CMA area"
end

begin "arm-40bit: four devices (the SMMU is not a master)"
want_line "$S" "devices (4):"
want_eq "devices listed" "$(device_count "$S")" 4
want_no_text "$S" "  /soc/iommu@fd800000"
end

begin "arm-40bit: mmc wired to 40 address bits"
dev_line "$S" /soc/mmc@fe320000 "    wired address bits: 40"
dev_line "$S" /soc/mmc@fe320000 "    dma-ranges: none (device address = CPU physical)"
end

begin "arm-40bit: dma-ranges of the peripheral bus"
dev_line "$S" /soc/bus@f0000000/usb@1000 "    dma-ranges: bus 0x0 -> cpu 0x80000000, 2 GiB"
dev_line "$S" /soc/bus@f0000000/usb@1000 "    registers: 0xf0001000, 4 KiB"
dev_line "$S" /soc/bus@f0000000/usb@1000 "    wired address bits: 32"
end

begin "arm-40bit: dma engine behind the SMMU, stream 0x10"
dev_line "$S" /soc/dma@fe330000 "    iommu: /soc/iommu@fd800000, stream 0x10"
dev_line "$S" /soc/mmc@fe320000 "    iommu: none"
end

begin "arm-40bit: crypto engine coherent in hardware only"
dev_line "$S" /soc/crypto@fe340000 "    coherent: no in the tree, yes in hardware  <-- the tree is wrong (writes allocate in the CPU cache)"
want_eq "devices flagged" "$(grep -c 'the tree is wrong' "$S")" 1
end

# secure
S=$TMP/show-secure
show_of dts/secure.dts "$S"
check_show_rc "$S" "secure"

begin "secure: invalidate edge policy"
want_line "$S" "policy: eviction adversarial, seed 0x1, partial edge lines on invalidate: invalidate"
end

begin "secure: one bank, carve-out reserved"
want_line "$S" "memory (1 bank):"
want_line "$S" "  bank0                  0x0000000080000000-0x00000000bfffffff  1 GiB"
want_line "$S" "  /reserved-memory/tee@be000000"
want_line "$S" "                         0x00000000be000000-0x00000000bfffffff  32 MiB"
end

begin "secure: firewall secure range"
want_line "$S" "firewall (1 secure range):"
want_line "$S" "  secure0                0x00000000be000000-0x00000000bfffffff  32 MiB"
end

begin "secure: one non-secure and one secure master"
want_line "$S" "devices (2):"
want_eq "devices listed" "$(device_count "$S")" 2
dev_line "$S" /soc/master@10010000 "    wired address bits: 64"
dev_line "$S" /soc/secure-master@10020000 "    wired address bits: 64, secure master"
want_eq "secure masters" "$(grep -c ', secure master$' "$S")" 1
end

# trustzone
S=$TMP/show-trustzone
show_of dts/trustzone.dts "$S"
check_show_rc "$S" "trustzone"

begin "trustzone: the TZASC's region, a gasket and an aware master"
want_line "$S" "TZASC (unlocked):"
want_line "$S" "  region0 (secure)       0x000000008ff00000-0x000000008fffffff  1 MiB"
dev_line "$S" /soc/tz-dma@10510000 "    wired address bits: 64, TrustZone-aware"
dev_line "$S" /soc/secure-master@10020000 "    wired address bits: 64, secure master"
end

# ---- SoC options ------------------------------------------------------------

begin "--policy random --seed 7 --rate 30 shows in the policy line"
run "$DK" soc show --policy random --seed 7 --rate 30
want_rc 0
want_line "$OUT" "policy: eviction random (rate 30%), seed 0x7, partial edge lines on invalidate: clean-invalidate"
end

begin "options before the subcommand, hex seed, --edge"
run "$DK" soc --policy never --seed 0x10 --edge invalidate show
want_rc 0
want_line "$OUT" "policy: eviction never, seed 0x10, partial edge lines on invalidate: invalidate"
end

begin "options override what a tree file says"
run "$DK" soc show dts/secure.dts --edge clean-invalidate --policy random
want_rc 0
want_line "$OUT" "policy: eviction random (rate 10%), seed 0x1, partial edge lines on invalidate: clean-invalidate"
end

begin "--policy sometimes is refused"
run "$DK" soc show --policy sometimes
want_rc 2
want_text "$ERR" '"sometimes"'
want_empty "$OUT"
end

begin "--seed abc is refused"
run "$DK" soc show --seed abc
want_rc 2
want_text "$ERR" "--seed abc is not a number"
want_empty "$OUT"
end

begin "--rate 101 is refused"
run "$DK" soc show --rate 101
want_rc 2
want_text "$ERR" "--rate 101 is not 0..100"
want_empty "$OUT"
end

begin "--edge x is refused"
run "$DK" soc show --edge x
want_rc 2
want_text "$ERR" '"x"'
want_empty "$OUT"
end

begin "an unknown option is refused"
run "$DK" soc show --colour
want_rc 2
want_nonempty "$ERR"
want_empty "$OUT"
end

# ---- soc check -----------------------------------------------------------

begin "soc check on a good file"
run "$DK" soc check dts/arm-40bit.dts
want_rc 0
want_line "$OUT" "dts/arm-40bit.dts: ok: 2 banks, 1 reserved region, 4 devices"
end

begin "soc check on a missing file names the path"
run "$DK" soc check "$TMP/no-such-soc.dts"
want_rc 1
want_text "$ERR" "$TMP/no-such-soc.dts"
want_empty "$OUT"
end

begin "soc show on a missing file fails too"
run "$DK" soc show "$TMP/no-such-soc.dtb"
want_rc 1
want_text "$ERR" "$TMP/no-such-soc.dtb"
end

begin "soc check without a file"
run "$DK" soc check
want_rc 2
want_text "$ERR" "needs a FILE"
end

begin "soc show takes at most one file"
run "$DK" soc show dts/default.dts dts/secure.dts
want_rc 2
want_text "$ERR" "at most one file"
end

begin "soc check names the node and property of a bad value"
sed 's/eviction-policy = "adversarial"/eviction-policy = "sometimes"/' \
	dts/arm-40bit.dts >"$TMP/bad-policy.dts"
run "$DK" soc check "$TMP/bad-policy.dts"
want_rc 1
want_text "$ERR" 'node /dmakit: property "eviction-policy": "sometimes" is not never, adversarial or random'
end

begin "soc check reports a dtc syntax error"
printf '/dts-v1/;\n/ {\n\tmodel = "broken"\n};\n' >"$TMP/syntax.dts"
run "$DK" soc check "$TMP/syntax.dts"
want_rc 1
want_text "$ERR" "$TMP/syntax.dts: dtc failed"
end

NDTS=0
for f in dts/*.dts; do
	[ -e "$f" ] || continue
	NDTS=$((NDTS + 1))
	begin "soc check $f loads"
	run "$DK" soc check "$f"
	want_rc 0
	if ! grep -q "^$f: ok: [0-9]* banks\{0,1\}, [0-9]* reserved regions\{0,1\}, [0-9]* devices\{0,1\}\$" "$OUT"; then
		note "no \"$f: ok: ...\" line"
		show_file stdout "$OUT"
	fi
	want_empty "$ERR"
	end
done

begin "the four shipped trees are present"
for f in default x86-coherent arm-40bit secure; do
	[ -f "dts/$f.dts" ] || note "dts/$f.dts is missing"
done
[ "$NDTS" -ge 4 ] || note "only $NDTS trees in dts/"
end

# ---- other commands --------------------------------------------------------

begin "an unknown command exits 2"
run "$DK" frobnicate
want_rc 2
want_text "$ERR" 'unknown command "frobnicate"'
end

begin "an unknown soc subcommand exits 2"
run "$DK" soc frobnicate
want_rc 2
want_text "$ERR" 'unknown soc command "frobnicate"'
end

begin "no command prints usage and exits 2"
run "$DK"
want_rc 2
want_text "$ERR" "usage: dmakit"
end

begin "help prints usage on stdout"
run "$DK" help
want_rc 0
want_text "$OUT" "usage: dmakit"
end

# ---- help: every command and subcommand, three ways ------------------------

begin "--help, -h and help print the same overview, with the exit statuses"
run "$DK" help
want_rc 0
want_empty "$ERR"
cp "$OUT" "$TMP/help"
want_line "$TMP/help" "usage: dmakit COMMAND [ARGS]"
want_line "$TMP/help" "exit status:"
want_line "$TMP/help" "  0  ok"
want_line "$TMP/help" "  1  a story or check failed, or a SoC did not load"
want_line "$TMP/help" "  2  usage error: unknown command or option, bad argument"
for cmd in soc stories list-models bench version help; do
	grep -q "^  $cmd[ \[]" "$TMP/help" || note "the overview does not list $cmd"
done
for flag in --help -h; do
	run "$DK" $flag
	want_rc 0
	want_empty "$ERR"
	cmp -s "$OUT" "$TMP/help" || note "dmakit $flag differs from dmakit help"
done
end

# The first line of each command's help, and its exit status line.
for c in "soc|usage: dmakit soc show [OPTIONS] [FILE]|exit status: 0 ok, 1 the SoC did not load, 2 usage error" \
	"soc show|usage: dmakit soc show [OPTIONS] [FILE]|exit status: 0 ok, 1 the SoC did not load, 2 usage error" \
	"soc check|usage: dmakit soc check [OPTIONS] FILE|exit status: 0 ok, 1 the SoC did not load, 2 usage error" \
	"soc dtb|usage: dmakit soc dtb|exit status: 0 ok, 1 the blob could not be written, 2 usage error" \
	"stories|usage: dmakit stories [NAME] [OPTIONS]|             1 a story failed or the SoC did not load, 2 usage error" \
	"list-models|usage: dmakit list-models|exit status: 0 ok, 2 usage error" \
	"bench|usage: dmakit bench [--json FILE] [PERCENT]|exit status: 0 ok, 1 the benchmark could not run, 2 usage error" \
	"version|usage: dmakit version|exit status: 0 ok, 2 usage error" \
	"help|usage: dmakit help [COMMAND [SUBCOMMAND]]|exit status: 0 ok, 2 no such command"; do
	cmd=${c%%|*}
	rest=${c#*|}
	first=${rest%%|*}
	status=${rest#*|}
	begin "dmakit help $cmd, dmakit $cmd --help and -h agree and exit 0"
	run "$DK" help $cmd
	want_rc 0
	want_empty "$ERR"
	want_eq "first line" "$(head -n 1 "$OUT")" "$first"
	want_line "$OUT" "$status"
	cp "$OUT" "$TMP/help-cmd"
	for flag in --help -h; do
		run "$DK" $cmd $flag
		want_rc 0
		want_empty "$ERR"
		cmp -s "$OUT" "$TMP/help-cmd" ||
			note "dmakit $cmd $flag differs from dmakit help $cmd"
	done
	end
done

begin "--help anywhere among a command's arguments wins, and runs nothing"
run "$DK" stories two-are-better-than-one --policy never --help
want_rc 0
want_eq "first line" "$(head -n 1 "$OUT")" "usage: dmakit stories [NAME] [OPTIONS]"
want_no_text "$OUT" "policies:"
run "$DK" bench 1 --help
want_rc 0
want_eq "first line" "$(head -n 1 "$OUT")" "usage: dmakit bench [--json FILE] [PERCENT]"
want_no_text "$OUT" "ns/op"
run "$DK" soc check --seed 3 dts/default.dts -h
want_rc 0
want_eq "first line" "$(head -n 1 "$OUT")" "usage: dmakit soc check [OPTIONS] FILE"
end

begin "help for an unknown command or subcommand exits 2"
run "$DK" help frobnicate
want_rc 2
want_empty "$OUT"
want_eq "stderr" "$(cat "$ERR")" 'dmakit: unknown command "frobnicate"'
run "$DK" help soc frobnicate
want_rc 2
want_empty "$OUT"
want_eq "stderr" "$(cat "$ERR")" 'dmakit: unknown soc command "frobnicate"'
run "$DK" soc frobnicate --help
want_rc 2
want_empty "$OUT"
want_eq "stderr" "$(cat "$ERR")" 'dmakit: unknown soc command "frobnicate"'
run "$DK" help stories extra
want_rc 2
want_eq "stderr" "$(cat "$ERR")" 'dmakit: stories has no subcommands'
run "$DK" frobnicate --help
want_rc 2
want_text "$ERR" 'dmakit: unknown command "frobnicate"'
end

begin "a usage error names the command and points at its help, exit 2"
run "$DK" stories --frobnicate
want_rc 2
want_empty "$OUT"
want_line "$ERR" "dmakit stories: unrecognized option '--frobnicate'"
want_line "$ERR" 'dmakit: see "dmakit help stories"'
run "$DK" soc
want_rc 2
want_line "$ERR" "dmakit: soc needs a command: show, check or dtb"
want_line "$ERR" 'dmakit: see "dmakit help soc"'
end

begin "commands without arguments refuse extra ones, exit 2"
run "$DK" list-models extra
want_rc 2
want_empty "$OUT"
want_line "$ERR" "dmakit: list-models takes no arguments"
run "$DK" version extra
want_rc 2
want_empty "$OUT"
want_line "$ERR" "dmakit: version takes no arguments"
run "$DK" bench 1 2
want_rc 2
want_empty "$OUT"
want_line "$ERR" "dmakit: bench takes at most one PERCENT"
run "$DK" help soc show extra
want_rc 2
want_empty "$OUT"
end

begin "a story that cannot run exits 1, an unknown story 2"
run "$DK" stories --soc "$TMP/no-such-soc.dts"
want_rc 1
want_text "$ERR" "$TMP/no-such-soc.dts"
run "$DK" stories no-such-story
want_rc 2
want_text "$ERR" 'no story "no-such-story"'
end

begin "soc dtb round-trips through dtc"
if ! command -v dtc >/dev/null 2>&1; then
	note "dtc is not installed"
else
	"$DK" soc dtb >"$TMP/default.dtb" 2>"$ERR"
	RC=$?
	want_rc 0
	if ! dtc -q -I dtb -O dts -o "$OUT" "$TMP/default.dtb" 2>"$TMP/dtc.err"; then
		note "dtc cannot read the blob"
		show_file "dtc says" "$TMP/dtc.err"
	fi
	want_text "$OUT" 'model = "dmakit default SoC (non-coherent, 64-byte lines)";'
	want_text "$OUT" 'compatible = "dmakit,m2m-dma";'
fi
end

begin "the blob from soc dtb loads as a .dtb file"
run "$DK" soc show "$TMP/default.dtb"
want_rc 0
if ! cmp -s "$OUT" "$TMP/show-default"; then
	note "output differs from \"soc show\" without a file"
	diff "$TMP/show-default" "$OUT" | head -n 20 | sed 's/^/      /' >>"$DETAILS"
fi
end

begin "list-models lists both models"
run "$DK" list-models
want_rc 0
if ! grep -q '^dmakit,m2m-dma  *memory-to-memory DMA engine' "$OUT"; then
	note "no dmakit,m2m-dma line"
	show_file output "$OUT"
fi
if ! grep -q '^dmakit,generic-master  *bus master without registers' "$OUT"; then
	note "no dmakit,generic-master line"
	show_file output "$OUT"
fi
end

begin "bench runs, every figure beside a same-run baseline and a ratio"
run "$DK" bench 1
want_rc 0
want_text "$OUT" "baseline"
want_eq "rows with a ratio" "$(grep -Ec ' [0-9]+\.[0-9]+x$' "$OUT")" 84
want_text "$OUT" "map+unmap 4 KiB through swiotlb"
want_text "$OUT" "map+unmap 1 MiB FROM_DEVICE"
want_text "$OUT" "floor: compare+2 copies"
want_text "$OUT" "swiotlb map+unmap 4 KiB, 1000 live"
want_text "$OUT" "map+unmap checked, 2 threads, no bt"
want_text "$OUT" "unmap 128 B, 100000 live, checker on"
want_text "$OUT" "dev write 64 B, 1000 live, checker off"
want_text "$OUT" "growth from 1 to 100000 live mappings, checker on: worst "
want_text "$OUT" "two threads' throughput over one: "
want_text "$OUT" "2 threads, two devices, checker on"
want_text "$OUT" "two devices: throughput "
want_text "$OUT" "2 processes, nothing shared, checker on"
want_text "$OUT" "two processes that share nothing: "
want_text "$OUT" "IOVA alloc+free 1 page, tree alone"
want_text "$OUT" "map+unmap 4 KiB through the IOMMU"
want_text "$OUT" "map+unmap 4 KiB through the IOMMU, lazy"
want_text "$OUT" "dev read 64 B via IOMMU, table walk"
want_text "$OUT" "map+unmap 4 KiB via IOMMU, 100000 live"
want_text "$OUT" "IOMMU growth from 1 to 100000 live mappings: "
# The table is read by eye: every ratio ends in the same column.
want_eq "columns the ratios end at" \
	"$(awk '/ [0-9]+\.[0-9]+x$/ { print length($0) }' "$OUT" | sort -u | wc -l)" 1
end

begin "bench --json writes every figure, to a file or to stdout"
run "$DK" bench --json "$TMP/bench.json" 1
want_rc 0
want_eq "figures in the file" "$(grep -c '"name": ' "$TMP/bench.json")" 84
want_eq "table rows" "$(grep -Ec ' [0-9]+\.[0-9]+x$' "$OUT")" 84
if ! grep -q '"name": "map+unmap 64 B BIDI", "ns": [0-9.]*, "baseline": "floor: compare+2 copies", "baseline_ns": [0-9.]*, "ratio": [0-9.]*' "$TMP/bench.json"; then
	note "no map+unmap 64 B BIDI figure beside its floor"
	show_file json "$TMP/bench.json"
fi
run "$DK" bench --json - 1
want_rc 0
want_eq "figures on stdout" "$(grep -c '"name": ' "$OUT")" 84
want_eq "table rows on stdout" "$(grep -Ec ' [0-9]+\.[0-9]+x$' "$OUT")" 0
end

begin "bench refuses a bad scale"
run "$DK" bench 0
want_rc 2
want_text "$ERR" "bench PERCENT must be 1..10000"
end

begin "stories on a tree without a node a story needs: each row says which"
cat >"$TMP/bare.dts" <<'EOF2'
/dts-v1/;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	model = "bare";
	memory@80000000 {
		device_type = "memory";
		reg = <0x0 0x80000000 0x0 0x4000000>;
	};
};
EOF2
run "$DK" stories --soc "$TMP/bare.dts" asking-for-a-friend
want_rc 1
want_line "$OUT" "asking-for-a-friend        FAIL "
want_line "$OUT" "                                why (buggy never, fixed never, buggy adversarial, fixed adversarial, buggy random, fixed random): cannot run on this tree: it needs node \"tee-client@10040000\""
end

begin "version"
run "$DK" version
want_rc 0
if ! grep -Eqx 'dmakit [0-9]+\.[0-9]+\.[0-9]+' "$OUT"; then
	note "no \"dmakit X.Y.Z\" line"
	show_file output "$OUT"
fi
cp "$OUT" "$TMP/version"
run "$DK" --version
want_rc 0
cmp -s "$OUT" "$TMP/version" || note "--version differs from version"
end

# Colour is allowed only on a terminal and never with NO_COLOR set; script(1)
# (util-linux, essential in Debian) gives the command a terminal.
begin "no escape sequences through a pipe, nor on a terminal with NO_COLOR"
esc=$(printf '\033')
for a in help "soc show" "stories --list"; do
	"$DK" $a >"$OUT" 2>&1
	LC_ALL=C grep -q "$esc" "$OUT" && note "dmakit $a: escapes in a pipe"
	if ! NO_COLOR=1 TERM=xterm script -qec "$DK $a" /dev/null \
		>"$OUT" 2>&1 </dev/null; then
		note "script cannot run dmakit $a on a terminal"
	fi
	grep -q "usage: dmakit\|SoC: \|two-are-better-than-one" "$OUT" ||
		note "dmakit $a printed nothing on the terminal"
	LC_ALL=C grep -q "$esc" "$OUT" &&
		note "dmakit $a: escapes on a terminal with NO_COLOR"
done
end

# ---- man pages --------------------------------------------------------

# Every command of the overview has a page (version and help are in
# dmakit(1)), and every option its help text names is on its page, so the
# two cannot drift apart.
MANDIR=$(dirname "$DK")/man
begin "man pages: built for dmakit(1) and each command"
for page in dmakit dmakit-soc dmakit-stories dmakit-bench dmakit-list-models; do
	if [ ! -s "$MANDIR/$page.1" ]; then
		note "no $MANDIR/$page.1 (scdoc source man/$page.1.scd)"
	elif ! grep -q "^\.TH \"$page\" \"1\"" "$MANDIR/$page.1"; then
		note "$page.1 has no .TH line naming it"
	fi
done
run "$DK" --help
for cmd in $(sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' "$OUT" | sort -u); do
	case $cmd in version|help) page=dmakit ;; *) page=dmakit-$cmd ;; esac
	[ -f "man/$page.1.scd" ] || note "command $cmd: no man/$page.1.scd"
done
end

begin "man pages: every option of each command's help is documented"
for cmd in soc stories bench list-models; do
	run "$DK" help "$cmd"
	for opt in $(grep -o -- '--[a-z][a-z-]*' "$OUT" | grep -v -- '--help' | sort -u); do
		grep -q -- "\*$opt\*" "man/dmakit-$cmd.1.scd" ||
			note "dmakit $cmd: $opt is in the help but not in man/dmakit-$cmd.1.scd"
	done
done
end

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
