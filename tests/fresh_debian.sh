#!/bin/sh
# The README's two commands on a Debian 12 machine that has nothing: build a
# minbase bookworm root with debootstrap from this machine's own apt mirror,
# clone the committed tree into it, run the commands exactly as README.md
# prints them, as root in a chroot, and compare the suite's result with the
# outer run's. This is how a missing package is caught by CI, not by a user.
#
#   sh tests/fresh_debian.sh [LOGDIR]
#
# LOGDIR is tests/run-all.sh's log directory; its file "stages" holds the
# outer run's "NAME PASSED FAILED" lines: the inner run must run each of
# those stages and pass it. Without it the inner run must simply pass. The
# inner run gets DMAKIT_SKIP_FRESH_DEBIAN=1 so that it does not recurse,
# and DMAKIT_QUICK=1: each stage builds and runs its own tools, which is
# what proves the packages, on a sample of the tests the outer run has
# just run in full (a second full run would double make check's time).
# It also gets DMAKIT_SKIP_VM: the outer run has booted the vm-check
# guest, and that stage is left out of the comparison.
#
# Needs root, debootstrap and the mirror; without one of them this fails
# and says why (it never passes by skipping). The pristine root (as a
# tarball) and the .debs the commands download are cached in
# $DMAKIT_CACHE (default /var/cache/dmakit), outside the clone, so a second
# run downloads nothing but apt's package lists; every run still starts from
# a freshly unpacked root, so a package the commands forget to install is
# missing inside. The lists are not cached on purpose: a fresh machine has
# none, and commands that forget "apt-get update" must fail here too.
set -u
LOGDIR=${1:-}
SUITE=bookworm
CACHE=${DMAKIT_CACHE:-/var/cache/dmakit}
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
. "$(dirname "$0")/check.sh"
work=
mounted=

# die REASON: a precondition failed; the stage fails with REASON.
die() {
	check "$1" 1
	summary
	exit 1
}

elapsed() {
	echo "$(($(date +%s) - t0))s"
}

# Reverse order of mounting; a root still mounted is never deleted (rm
# would walk into the host's /dev and /sys).
cleanup() {
	for m in $mounted; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null ||
			echo "fresh-debian: cannot unmount $m" >&2
	done
	mounted=
	[ -n "$work" ] || return 0
	if grep -qF " $work/" /proc/mounts; then
		echo "fresh-debian: $work still has mounts; left in place" >&2
		return 0
	fi
	rm -rf --one-file-system "$work"
	work=
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# mnt ARGS... TARGET: mount and remember TARGET for cleanup.
mnt() {
	eval "target=\${$#}"
	mount "$@" || return 1
	mounted="$target $mounted"
}

# The first URI of a "deb" source for $SUITE, deb822 or one-line style.
mirror_of_host() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v suite="$SUITE" '
			BEGIN { RS = "" }
			{
				t = u = s = ""
				n = split($0, l, "\n")
				for (i = 1; i <= n; i++) {
					if (l[i] ~ /^Types:/) t = l[i]
					if (l[i] ~ /^URIs:/) u = l[i]
					if (l[i] ~ /^Suites:/) s = l[i]
				}
				if (t ~ /[ \t]deb([ \t]|$)/ &&
				    (s " ") ~ ("[ \t]" suite "[ \t]")) {
					split(u, w, /[ \t]+/)
					print w[2]
					exit
				}
			}' "$f"
	done
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
	awk -v suite="$SUITE" '
		$1 == "deb" {
			i = 2
			if ($i ~ /^\[/) {
				while (i < NF && $i !~ /\]$/)
					i++
				i++
			}
			if ($(i + 1) == suite) {
				print $i
				exit
			}
		}'
}

# The lines of README.md's first fenced block, which must open the file.
readme_commands() {
	awk '
		NR > 5 && !on { exit }
		/^```/ { if (on) exit; on = 1; next }
		on { print }
	' README.md
}

t0=$(date +%s)
[ -f README.md ] && [ -f make.sh ] ||
	die "run me from the repository root (no README.md or make.sh here)"
[ "$(id -u)" = 0 ] || die "needs root (debootstrap, mount, chroot)"
command -v debootstrap >/dev/null ||
	die "debootstrap is not installed (make check installs it as root)"
command -v git >/dev/null || die "git is not installed"
src=$(git rev-parse --show-toplevel 2>/dev/null) ||
	die "not a git clone: the stage tests the committed tree"
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
	echo "note: uncommitted changes are not in the tested tree"

cmds=$(readme_commands)
ncmd=$(printf '%s\n' "$cmds" | grep -c .)
[ "$ncmd" = 2 ] ||
	die "README.md opens with a block of exactly two commands (found $ncmd)"
cmd1=$(printf '%s\n' "$cmds" | sed -n 1p)
cmd2=$(printf '%s\n' "$cmds" | sed -n 2p)
check "README.md opens with two commands" 0

mirror=$(mirror_of_host | head -n 1)
mirror=${mirror%/}
[ -n "$mirror" ] || die "no \"deb\" source for $SUITE in /etc/apt/sources*"
arch=$(dpkg --print-architecture)
key=$SUITE-minbase-$arch-$(printf '%s' "$mirror" | cksum | cut -d' ' -f1)
cdir=$CACHE/fresh-debian/$key
mkdir -p "$cdir/apt-archives" ||
	die "cannot create the cache $cdir"
out=${LOGDIR:-build/check-logs}/fresh-debian
rm -rf "$out" && mkdir -p "$out" || die "cannot create $out"
work=$(mktemp -d "${TMPDIR:-/var/tmp}/dmakit-fresh.XXXXXX") ||
	die "cannot create a work directory"
root=$work/root
mkdir "$root"
echo "mirror $mirror, cache $cdir, root $root"

# A root is only cached straight out of debootstrap, before anything ran
# in it; a cache hit unpacks that pristine copy.
if [ -s "$cdir/root.tar" ]; then
	tar -C "$root" --numeric-owner -xpf "$cdir/root.tar"
	check "pristine $SUITE minbase root unpacked from the cache ($(elapsed))" $?
else
	debootstrap --variant=minbase "$SUITE" "$root" "$mirror" \
		>"$out/debootstrap.log" 2>&1
	rc=$?
	if [ $rc != 0 ]; then
		tail -n 20 "$out/debootstrap.log"
		[ -f "$root/debootstrap/debootstrap.log" ] &&
			tail -n 20 "$root/debootstrap/debootstrap.log"
		die "debootstrap $SUITE from $mirror failed (log: $out/debootstrap.log)"
	fi
	tar -C "$root" --numeric-owner -cf "$cdir/root.tar.$$" . &&
		mv "$cdir/root.tar.$$" "$cdir/root.tar"
	check "debootstrap $SUITE minbase root from $mirror ($(elapsed))" $?
fi

# What a fresh machine has that the chroot must borrow: /proc and /sys for
# ASan and Valgrind, device nodes, and name resolution for apt.
mnt -t proc proc "$root/proc" &&
	mnt -t sysfs sysfs "$root/sys" &&
	mnt --bind /dev "$root/dev" &&
	mnt --bind /dev/pts "$root/dev/pts" ||
	die "cannot mount /proc, /sys, /dev or /dev/pts in $root"
# apt finds the .debs of earlier runs where it keeps its downloads, and
# still checks them against the package lists it has just fetched. Copies,
# not a shared mount: other clones' runs may use the cache at once.
debs=$root/var/cache/apt/archives
ls "$debs" >"$work/debs-of-root"
for d in "$cdir"/apt-archives/*.deb; do
	[ -f "$d" ] && { ln "$d" "$debs/" 2>/dev/null || cp "$d" "$debs/"; }
done
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
git clone -q "$src" "$root/root/dmakit" ||
	die "cannot clone $src into the root"
echo "tree: $(git -C "$root/root/dmakit" log -1 --format='%h %s')"

# run N COMMAND: one README command, as root's login shell would run it.
run() {
	chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		DMAKIT_SKIP_FRESH_DEBIAN=1 DMAKIT_QUICK=1 \
		DMAKIT_SKIP_VM="the outer make check boots the guest once" \
		/bin/sh -c "cd /root/dmakit && $2" >"$out/command$1.log" 2>&1
}

run 1 "$cmd1"
rc=$?
[ $rc = 0 ] || tail -n 30 "$out/command1.log"
check "command 1 exits 0: $cmd1 ($(elapsed))" $rc

run 2 "$cmd2"
rc2=$?
cp -r "$root/root/dmakit/build/check-logs" "$out/inner-logs" 2>/dev/null
for d in "$debs"/*.deb; do
	[ -f "$d" ] && [ ! -e "$cdir/apt-archives/${d##*/}" ] &&
		! grep -qxF "${d##*/}" "$work/debs-of-root" &&
		cp "$d" "$cdir/apt-archives/.${d##*/}.$$" &&
		mv "$cdir/apt-archives/.${d##*/}.$$" "$cdir/apt-archives/${d##*/}"
done
echo "inner suite ($(elapsed)):"
grep -E '^   [a-z0-9-]+: [0-9]+ passed, [0-9]+ failed|^[0-9]+ passed, [0-9]+ failed' \
	"$out/command2.log"

# The inner run's "   NAME: P passed, F failed (log: ...)" lines against the
# outer run's, stage by stage: each stage ran inside and passed there.
sed -n 's/^   \([a-z0-9-]*\): \([0-9]*\) passed, \([0-9]*\) failed (log: .*/\1 \2 \3/p' \
	"$out/command2.log" >"$out/inner-stages"
if [ -n "$LOGDIR" ]; then
	[ -s "$LOGDIR/stages" ] || die "no outer results in $LOGDIR/stages"
	grep -v -e '^fresh-debian ' -e '^vm-check ' "$LOGDIR/stages" \
		>"$out/outer-stages"
else
	awk '{ print $1, $2, 0 }' "$out/inner-stages" >"$out/outer-stages"
fi
while read -r name p f; do
	inner=$(awk -v n="$name" '$1 == n { print $2, $3 }' "$out/inner-stages")
	case $inner in
	0\ *|*\ [1-9]*|"") false ;;
	*) true ;;
	esac
	check "stage $name: inside ${inner:-nothing} (quick), outside $p $f" $?
done <"$out/outer-stages"
while read -r name p f; do
	grep -q "^$name " "$out/outer-stages" ||
		check "stage $name runs inside only" 1
done <"$out/inner-stages"

got=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out/command2.log" | tail -n 1)
case $got in
*" passed, 0 failed") true ;;
*) false ;;
esac
check "command 2 ends \"${got:-nothing}\": $cmd2" $?
[ "$rc2" = 0 ]
check "command 2 exits 0 (status $rc2)" $?
[ "$rc2" = 0 ] || tail -n 40 "$out/command2.log"
cleanup
echo "fresh-debian took $(elapsed), the root removed"
summary
