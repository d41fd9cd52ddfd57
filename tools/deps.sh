#!/bin/sh
# Makes sure the Debian packages the build and tests need are installed:
# as root, installs what is missing; otherwise prints the apt-get line.
set -eu

PACKAGES="gcc make binutils python3 python3-jinja2 python3-lark python3-pytest
python3-pexpect qemu-system-x86 grub-pc-bin grub-common xorriso mtools check
pkg-config busybox-static musl-tools e2fsprogs sparse cloc linux-image-amd64
linux-libc-dev libc6-dev"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "Kevlar needs these Debian packages. Install them with:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "  DEPS   installing:$missing"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends $missing; then
	apt-get update
	apt-get install -y --no-install-recommends $missing
fi
