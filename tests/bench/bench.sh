#!/bin/sh
# The job of the benchmark image (tools/bench.py builds it into /script;
# /init runs it). The same image boots Kevlar and Linux: on Linux nothing
# is mounted yet, so this mounts what the benchmarks need, and powers the
# machine off at the end (on Kevlar, init exiting does that).
echo kbench-hello
kernel=kevlar
if [ ! -e /dev/null ]; then
	kernel=linux
	mount -t devtmpfs devtmpfs /dev
	mount -t proc proc /proc
	mount -t tmpfs tmpfs /tmp
	exec </dev/console >/dev/console 2>&1
fi
dir=/usr/libexec/kbench
$dir/kbench -u
echo "kbench-kernel $kernel $(uname -r)"
# /etc/kbench.args: the options and benchmark names this run asked for.
args=
[ -f /etc/kbench.args ] && args=$(cat /etc/kbench.args)
$dir/kbench $args
status=$?
[ $kernel = linux ] && poweroff -f
exit $status
