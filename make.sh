#!/bin/sh
# make for a machine that has nothing yet: a minimal Debian 12 has neither
# make nor a compiler, so install what dmakit needs from Debian's packages
# first (scripts/deps.sh), then run make with the same arguments.
#
#   sh make.sh demo      sh make.sh check      (as root, or with the
#                                               packages already there)
set -e
cd "$(dirname "$0")"
sh scripts/deps.sh "$@"
exec make "$@"
