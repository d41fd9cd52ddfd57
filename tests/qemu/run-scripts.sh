#!/bin/sh
# run-scripts.sh SCRIPT_DIR WORK_ROOT NAME...: runs each BusyBox test
# script NAME from SCRIPT_DIR in its own empty directory WORK_ROOT/NAME,
# stdin /dev/null, stdout a pipe, stderr merged into it, between separators:
#
#   === begin NAME
#   ...
#   === end NAME: status S
#
# and exits with the status of the last one. test_busybox_scripts.py runs
# it in Kevlar (as the INIT_SCRIPT) and with the host's BusyBox, and
# compares the two.
dir=$1 work=$2
shift 2
umask 022
status=0
for name in "$@"; do
	w=$work/${name%.sh}
	rm -rf "$w" && mkdir -p "$w" || exit 126
	echo "=== begin $name"
	# Through a pipe, so stdout is no terminal in Kevlar either (ls would
	# print columns to the console); the status comes back through fd 3.
	{ (cd "$w" && sh "$dir/$name" </dev/null 2>&1 3>&-; echo $? >&3) | cat; } 3>"$w.status"
	status=$(cat "$w.status")
	echo "=== end $name: status $status"
done
exit $status
