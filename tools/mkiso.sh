#!/bin/sh
# mkiso.sh [--initramfs FILE] KERNEL.ELF OUT.ISO PROFILE [CMDLINE...]
# Makes a GRUB rescue image (BIOS, Multiboot2) that boots KERNEL.ELF with
# the serial console and the given kernel command line. With --initramfs,
# FILE goes in as /boot/initramfs.cpio, which grub.cfg loads as the
# Multiboot2 module named "initramfs".
set -eu
initramfs=
if [ "${1:-}" = --initramfs ]; then
	[ $# -ge 2 ] || { echo "$0: --initramfs needs a file" >&2; exit 2; }
	initramfs=$2
	shift 2
	[ -f "$initramfs" ] || { echo "$0: $initramfs: no such file" >&2; exit 2; }
fi
[ $# -ge 3 ] || { echo "usage: $0 [--initramfs file] kernel.elf out.iso profile [cmdline...]" >&2; exit 2; }
kernel=$1 out=$2 profile=$3
shift 3
here=$(dirname "$0")
work=$(mktemp -d "${TMPDIR:-/tmp}/kevlar-iso.XXXXXX")
trap 'rm -rf "$work"' EXIT
tree=$work/tree
mkdir -p "$tree/boot/grub"
cp "$kernel" "$tree/boot/kernel.elf"
[ -z "$initramfs" ] || cp "$initramfs" "$tree/boot/initramfs.cpio"
# The command line is substituted literally; '|' and '\' are escaped for sed.
cmdline=$(printf '%s' "$*" | sed -e 's/[\\|&]/\\&/g')
sed -e "s|@CMDLINE@|$cmdline|" -e "s|@PROFILE@|$profile|" "$here/../boot/grub.cfg" \
	> "$tree/boot/grub/grub.cfg"
# Debian 12's xorriso (1.5.4) now and then dies of SIGSEGV while shutting
# down after writing the image, and grub-mkrescue then fails: a second or
# third run of the same command succeeds. Any other failure fails alike
# three times and is reported with the last run's log.
tries=0
until grub-mkrescue -o "$out.tmp" "$tree" >"$work/log" 2>&1; do
	rm -f "$out.tmp"
	tries=$((tries + 1))
	if [ "$tries" -ge 3 ]; then
		cat "$work/log" >&2
		exit 1
	fi
done
mv "$out.tmp" "$out"
