#!/bin/sh
# run-scripts.sh SCRIPT_DIR WORK_ROOT NAME...: runs each BusyBox test
# script NAME from SCRIPT_DIR in its own empty directory WORK_ROOT/NAME,
# stderr merged into stdout, between separators:
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
	(cd "$w" && exec sh "$dir/$name" </dev/null 2>&1)
	status=$?
	echo "=== end $name: status $status"
done
exit $status
