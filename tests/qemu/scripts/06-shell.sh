# Loops, functions, case, arithmetic, parameter expansion, exit statuses.
for i in 1 2 3; do echo "for $i"; done
i=0
while [ $i -lt 3 ]; do i=$((i + 1)); echo "while $i"; done
until [ $i -eq 0 ]; do i=$((i - 1)); done
echo "until done: $i"
for w in $(echo a b c); do printf '%s.' "$w"; done
echo
for f in *; do echo "glob in an empty directory: $f"; done
for n in 1 2 3 4 5 6; do
	[ $n -eq 2 ] && continue
	[ $n -eq 5 ] && break
	echo "loop body $n"
done
set -- x y z
echo "$# args: $*"
shift
echo "after shift: $1 $#"
greet() { echo "hello, $1"; return 3; }
greet world
echo "greet returned $?"
fact() { if [ "$1" -le 1 ]; then echo 1; else echo $(($1 * $(fact $(($1 - 1))))); fi; }
fact 10
counter() { local n=$1; n=$((n + 1)); echo "$n"; }
n=5
counter $n
echo "n is still $n"
case banana in b*) echo "starts with b" ;; *) echo other ;; esac
case x in [abc]) echo abc ;; x|y) echo "x or y" ;; esac
echo $(( (3 + 4) * 5 % 6 )) $(( 1 << 10 )) $(( 0x1f )) $(( -7 / 2 )) $(( 7 > 3 ))
true && echo "and ran"
false || echo "or ran"
false
echo "false gave $?"
true
echo "true gave $?"
! false
echo "negated false gave $?"
sh -c 'exit 7'
echo "sh -c exit gave $?"
(exit 130)
echo "subshell exit gave $?"
nosuchcommand 2>/dev/null
echo "a missing command gave $?"
sh -c 'set -e; false; echo not reached'
echo "set -e gave $?"
v=
echo "${v:-default} ${v:=assigned} $v"
s=hello.tar.gz
echo "${s%.gz} ${s%%.*} ${s#*.} ${s##*.} ${#s}"
IFS=: read a b c <<END
one:two:three
END
echo "$c $b $a"
sleep 0.1 &
wait $!
echo "background job gave $?"
(sleep 0.05; exit 9) &
wait $!
echo "background subshell gave $?"
eval 'echo "eval works"'
x=$(printf 'a\nb\n')
echo "$x" | wc -l
type cd
command -v nosuchcommand || echo "command -v found nothing"
getopts_test() {
	OPTIND=1
	while getopts "ab:" opt; do echo "option $opt ${OPTARG:-}"; done
}
getopts_test -a -b val
trap 'echo "EXIT trap ran"' EXIT
echo "last line"
