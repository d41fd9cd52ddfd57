#!/bin/sh
# run-dynamic.sh BIN WORK [CASE...]: runs dynamically linked programs --
# Debian's glibc ls, cat, env, sort and bash, and musl programs -- from
# BIN (through shell functions of their names: BusyBox's sh would run its
# own applets before anything in PATH), each case in its own empty
# directory under WORK,
# stdin /dev/null, stdout a pipe, stderr merged into it, between
#
#   === begin NAME
#   ...
#   === end NAME: status S
#
# test_dynamic.py runs it in Kevlar (BIN=/opt/host/bin) and on the host
# (BIN a copy of the same tree) under BusyBox's sh, and compares the two.
# Nothing printed may differ between two Linux runs: times are fixed with
# touch, sizes of directories and "total" lines are left out (ext4 and
# tmpfs differ), owners too (ls -go).
BIN=$1 WORK=$2
shift 2
LIB=${BIN%/bin}/lib
export PATH="$BIN:$PATH" LC_ALL=C LANG=C TZ=UTC0
umask 022

ls() { "$BIN/ls" "$@"; }
cat() { "$BIN/cat" "$@"; }
env() { "$BIN/env" "$@"; }
sort() { "$BIN/sort" "$@"; }
bash() { "$BIN/bash" "$@"; }

# A tree with fixed contents, modes and times.
make_tree() {
	mkdir -p tree/sub tree/.hidden
	printf 'hello\n' > tree/a.txt
	printf 'xyz' > tree/b
	: > tree/empty
	printf 'one\ntwo\tthree\n\nfive\n' > tree/lines
	ln -s a.txt tree/link
	chmod 600 tree/b
	chmod 755 tree/empty
	touch -d '2021-03-04 05:06:07' tree/a.txt
	touch -d '2019-12-31 23:59:59' tree/b tree/empty
	touch -d '2022-07-08 09:10:11' tree/lines
	touch -d '2018-01-01 00:00:00' tree/sub tree/.hidden
	touch -h -d '2020-06-15 12:00:00' tree/link
}

case_ls() {
	make_tree
	ls tree
	ls -a tree
	ls -A -F tree
	ls -go --time-style=long-iso tree/a.txt tree/b tree/empty tree/lines tree/link
	ls -go --time-style=+%Y-%m-%dT%H:%M:%S tree/a.txt tree/link
	ls -1 -r tree
	ls -t tree
	ls -R tree
	ls -d tree/*
	ls -i tree >/dev/null && echo "ls -i ok"
	ls tree/nope
	echo "ls status $?"
}

case_cat() {
	make_tree
	cat tree/a.txt tree/b
	echo
	cat -n tree/lines
	cat -A tree/lines
	cat - tree/a.txt < tree/lines
	printf 'piped\n' | cat
	cat tree/link
	cat tree/nope
	echo "cat status $?"
	cat tree/sub
	echo "cat status $?"
}

case_env() {
	env -i A=1 B='two words' "$BIN/env"
	env -i X=1 Y=2 "$BIN/env" -u X "$BIN/env"
	env -i FOO=bar "$BIN/bash" -c 'echo "FOO=$FOO"'
	env -i "$BIN/env" -0 Z=9 | tr '\0' '\n'
	env -i nope-not-there
	echo "env status $?"
}

case_sort() {
	i=0
	while [ $i -lt 600 ]; do
		echo "$(( (i * 7919) % 1009 )):k$(( i % 13 )):$(( (i * 31) % 97 ))"
		i=$((i + 1))
	done > data
	# Into files first: a reader that stops early (head) would leave sort
	# writing to a closed pipe, and how that ends is signal business.
	sort data > out && md5sum < out && head -5 out
	sort -n data > out && tail -3 out
	sort -t: -k3,3n -k1,1n data > out && head -4 out
	sort -t: -k2,2 -s data > out && head -3 out
	sort -u -t: -k2,2 data
	sort -r data > out && head -2 out
	printf 'b\nB\na\n10\n9\n-1\n' | sort
	printf 'b\nB\na\n10\n9\n-1\n' | sort -f
	printf 'b\nB\na\n10\n9\n-1\n' | sort -n
	printf 'a\nc\nb\n' | sort -c
	echo "sort status $?"
}

case_bash() {
	bash -c 'echo "bash $BASH_VERSINFO"; x=$(echo hi | tr a-z A-Z); echo "$x ${#x}"'
	bash -c 'a=(one two three); a+=(four); echo "${a[1]} ${#a[@]} ${a[@]:1:2}"
		declare -A m=([k]=v [q]=w); for k in $(printf "%s\n" "${!m[@]}" | sort); do echo "$k=${m[$k]}"; done
		echo $(( (6 * 7) % 5 + 2 ** 10 )) $(( 0x10 | 3 ))
		s="hello world"; echo "${s^^} ${s/world/there} ${s:6} ${s%o*}"
		f() { local n=$1; [ $n -le 1 ] && echo 1 || echo $(( n * $(f $((n - 1))) )); }; echo "5! = $(f 5)"
		for ((i = 0; i < 3; i++)); do printf "%d," $i; done; echo
		seq 1 5 | while read -r n; do echo $((n * n)); done | tr "\n" " "; echo
		echo a b c | { read -r x y z; echo "$z$y$x"; }
		cat <<-END
		heredoc $((1 + 1)) $(echo inner)
		END
		case abc in a*) echo matched;; *) echo no;; esac
		[[ "abc" =~ ^a(b)c$ ]] && echo "re ${BASH_REMATCH[1]}"
		trap "echo bye" EXIT; false; echo "status $?"'
	echo "bash status $?"
	bash -c 'exit 7'
	echo "bash status $?"
	printf 'echo from stdin $((2 + 3))\n' | bash
	bash -c 'set -e; (exit 3); echo not-here'
	echo "bash status $?"
	# A script whose interpreter is itself dynamically linked.
	printf '#!%s\necho "script $# $1 $((3 * 4))"\nexit 5\n' "$BIN/bash" > script.sh
	chmod +x script.sh
	./script.sh arg
	echo "script status $?"
}

# The loaders run as programs: each finds and loads what it is given.
case_loader() {
	make_tree
	/lib64/ld-linux-x86-64.so.2 "$BIN/cat" tree/a.txt
	echo "ld.so status $?"
	/lib64/ld-linux-x86-64.so.2 --list "$BIN/ls" | grep -v vdso | sed 's/ (0x[0-9a-f]*)//'
	/lib/ld-musl-x86_64.so.1 "$BIN/musl-hello" via-loader
	echo "ld-musl status $?"
	/lib64/ld-linux-x86-64.so.2 /nonexistent
	echo "ld.so status $?"
}

case_musl() {
	"$BIN/musl-hello" one "two words"
	echo "musl status $?"
	X=42 "$BIN/musl-hello"
	LD_LIBRARY_PATH=$LIB "$BIN/musl-greet" Kevlar
	echo "musl status $?"
}

# Not compared with the host: the auxiliary vector as glibc's loader
# prints it (test_dynamic.py checks its entries).
case_auxv() {
	LD_SHOW_AUXV=1 cat /dev/null
}

status=0
for name in "$@"; do
	w=$WORK/$name
	rm -rf "$w" && mkdir -p "$w" || exit 126
	echo "=== begin $name"
	{ (cd "$w" && "case_$name" </dev/null 2>&1 3>&-; echo $? >&3) | command cat; } \
		3>"$w.status"
	status=$(command cat "$w.status")
	echo "=== end $name: status $status"
done
exit $status
