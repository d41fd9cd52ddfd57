#!/bin/sh
# run-all.sh [DIR [NAME...]]: runs the test programs in DIR (default: the
# directory this script is in), or only the NAMEs given, and prints their
# PASS/FAIL lines between separators:
#
#   === NAME
#   PASS ...
#   === NAME: exit STATUS
#   ...
#   === user tests: N programs, F failed
#
# Exits 0 if every program exited 0. /init runs it in Kevlar from
# /usr/libexec/kevlar-tests; `make test-user-host` runs it on the host.
LC_ALL=C
export LC_ALL
umask 022
dir=${1:-$(dirname "$0")}
[ $# -gt 0 ] && shift
if [ $# -eq 0 ]; then
	set --
	for t in "$dir"/*; do
		name=${t##*/}
		case $name in *.sh) continue ;; esac
		[ -f "$t" ] && [ -x "$t" ] && set -- "$@" "$name"
	done
fi
programs=0
failed=0
for name in "$@"; do
	programs=$((programs + 1))
	echo "=== $name"
	"$dir/$name" </dev/null 2>&1
	status=$?
	echo "=== $name: exit $status"
	[ $status -eq 0 ] || failed=$((failed + 1))
done
echo "=== user tests: $programs programs, $failed failed"
[ $failed -eq 0 ]
