#!/bin/bash
# tests/compile-fail/run.sh <profile>: code that must not get into a kernel.
#
# Each case is a snippet built the way the Makefile builds a service, with
# the flags `make -s print-svc-cflags` prints (those of the services rule)
# and, for the link, header and object checks, the same `ld -r`, ringcheck
# and privcheck invocations (a Core case: Core's flags, ring1.o's link and
# Ring 1's object check). A case passes only if its snippet is refused *for the
# expected reason* (the diagnostic is matched), and its control -- the
# same file built with -DCONTROL, or <case>.ok.c for the lint cases, since
# ring lint reads both sides of an #ifdef -- is accepted, so that a broken
# setup cannot pass by refusing everything.
#
#   wrong-token     a guarded shim given the wrong capability token: gcc error
#   private-header  a Ring 0 private header included: ringcheck on the .d file
#   unexported      an unexported platform function called: ld -r + ringcheck
#   inline-asm      inline assembly: ring lint [asm]
#   mmio            a device register poked: ring lint [volatile] + [int-to-ptr]
#   user-deref      a __user pointer dereferenced: sparse, as make lint runs it
#   pasted-asm      a service's `cli` in asm that ring lint cannot see: privcheck
#   builtin-eflags  a service writes RFLAGS with a compiler builtin: privcheck
#   irq-helper      a service calls irq_disable(): ringcheck (irq.h) + privcheck
#   core-privileged Core's `hlt` and `outb` in pasted asm: privcheck of Ring 1
#   (these four must pass ring lint: they are what only the object code shows)
#   forged-literal  a token not held, made up as a literal: gcc error
#   forged-cast     a token not held, cast from one held: gcc error
#   foreign-global  another service's tokens reached through a global: gcc error
#   undeclared-call an operation not held, called through a hand-written
#                   prototype: the build's nm -u check (tools/tokencheck.py)
#
# Snippets are compiled as service klog (holds Heap and Console): with
# klog's view of the token types (gen/<p>/include/svc/klog/caps.h).
#
# One line per case (PASS, FAIL or SKIP where the profile does not claim
# the protection); exit status 1 if any case failed. Work files go to
# build/compile-fail/<profile>/.
set -u
cd "$(dirname "$0")/../.." || exit 2
profile=${1:-}
case $profile in
fortress|balanced|performance|ludicrous) ;;
*) echo "usage: tests/compile-fail/run.sh fortress|balanced|performance|ludicrous" >&2; exit 2 ;;
esac
export LC_ALL=C
PYTHON=${PYTHON:-/usr/bin/python3}
here=tests/compile-fail
out=build/compile-fail/$profile
rm -rf "$out"
mkdir -p "$out"

# Until the Makefile includes mk/lint.mk, name it on the command line.
if grep -qE '^[[:space:]]*-?include[[:space:]].*mk/lint\.mk' Makefile; then
	mk=(make)
else
	mk=(make -f Makefile -f mk/lint.mk)
fi
mk+=(-s --no-print-directory PROFILE="$profile")

cflags=$("${mk[@]}" print-svc-cflags SVC=klog) || { echo "FAIL setup ($profile): make print-svc-cflags failed"; exit 1; }
corecflags=$("${mk[@]}" print-core-cflags) || { echo "FAIL setup ($profile): make print-core-cflags failed"; exit 1; }
sparseflags=$("${mk[@]}" print-svc-sparse) || { echo "FAIL setup ($profile): make print-svc-sparse failed"; exit 1; }
check=$("${mk[@]}" print-svc-check) || { echo "FAIL setup ($profile): make print-svc-check failed"; exit 1; }
RINGS='' LDSCRIPTS='' SVC_EXPORTS='' HDR_SERVICES='' HDR_SERVICES_DENY='' RINGLINT_INC=''
eval "$check"

passed=0 failed=0 skipped=0
pass() { echo "PASS $1 ($profile): $2"; passed=$((passed + 1)); }
fail() { echo "FAIL $1 ($profile): $2"; failed=$((failed + 1)); }
skip() { echo "SKIP $1 ($profile): $2"; skipped=$((skipped + 1)); }
first_error() { grep -m1 -E '(error|warning): ' "$1" | sed -E 's/^.*((error|warning): )/\1/'; }

# cc <object> <source> [flags...]: the services rule's compile (the
# snippet's own directory stands for services/<name>). Diagnostics go to
# <object>.log, dependencies to <object minus .o>.d.
cc() {
	local obj=$1 src=$2
	shift 2
	eval "gcc $cflags -I$here $* -MMD -MP -c $src -o $obj" 2>"$obj.log"
}

# core_cc <object> <source> [flags...]: Core's compile (the rule for core/).
core_cc() {
	local obj=$1 src=$2
	shift 2
	eval "gcc $corecflags $* -c $src -o $obj" 2>"$obj.log"
}

# svc_check <object> <dep file> <log>: the services rule's partial link
# into one service object, then ringcheck and privcheck exactly as the rule
# runs them (both, so that the log has every reason).
svc_check() {
	local obj=$1 dep=$2 log=$3 svc=${1%.o}-svc.o
	printf 'SECTIONS {\n .svc.text : { *(.text .text.*) }\n .svc.%s.data : { *(.data .data.*) }\n .svc.%s.bss : { *(.bss .bss.*) }\n}\n' \
		compile_fail compile_fail > "$svc.lds"
	ld -r -T "$svc.lds" -o "$svc" "$obj" >"$log" 2>&1 || return 1
	# shellcheck disable=SC2086
	$PYTHON tools/ringcheck.py --ldscripts $LDSCRIPTS --ring 2 --what "services/compile-fail" \
		--object "$svc" --exports $SVC_EXPORTS --deps "$dep" --headers $HDR_SERVICES $here \
		--deny-headers $HDR_SERVICES_DENY >>"$log" 2>&1
	local rc=$?
	$PYTHON tools/privcheck.py --allowed tools/privcheck-allowed.txt --ring 2 \
		--what "services/compile-fail" --object "$svc" >>"$log" 2>&1 || rc=1
	return $rc
}

# core_check <object> <log>: ring1.o's partial link, then its object check.
core_check() {
	local obj=$1 log=$2 ring1=${1%.o}-ring1.o
	printf 'SECTIONS {\n .core.text : { *(.text .text.*) }\n}\n' > "$ring1.lds"
	ld -r -T "$ring1.lds" -o "$ring1" "$obj" >"$log" 2>&1 || return 1
	$PYTHON tools/privcheck.py --allowed tools/privcheck-allowed.txt --ring 1 \
		--what "Ring 1" --object "$ring1" >>"$log" 2>&1
}

# A snippet gcc must refuse with <pattern>; with -DCONTROL it must build.
case_compile() {
	local name=$1 pattern=$2 o=$out/$1
	if cc "$o.o" "$here/$name.c"; then
		fail "$name" "built, but must not"
		return
	fi
	if ! grep -qE -- "$pattern" "$o.o.log"; then
		fail "$name" "refused, but not for the expected reason ($pattern): $(first_error "$o.o.log")"
		return
	fi
	if ! cc "$o-control.o" "$here/$name.c" -DCONTROL; then
		fail "$name" "the control (-DCONTROL) does not build: $(first_error "$o-control.o.log")"
		return
	fi
	pass "$name" "$(grep -m1 -E -- "$pattern" "$o.o.log" | sed -E 's/^.*(error: )/\1/')"
}

# case_checked <compile> <check> <what> <name> <pattern>...: a snippet gcc
# builds (with <compile>) that <check> must refuse with each <pattern>;
# with -DCONTROL it must pass <check>. <check> takes the object, its
# dependency file and a log.
case_checked() {
	local compile=$1 check=$2 what=$3 name=$4 pattern o=$out/$4
	shift 4
	if ! $compile "$o.o" "$here/$name.c"; then
		fail "$name" "does not even compile, so the check is not what refuses it: $(first_error "$o.o.log")"
		return
	fi
	if $check "$o.o" "$o.d" "$o.check.log"; then
		fail "$name" "passed $what, but must not"
		return
	fi
	for pattern in "$@"; do
		if ! grep -qE -- "$pattern" "$o.check.log"; then
			fail "$name" "refused, but not for the expected reason ($pattern): $(head -n1 "$o.check.log")"
			return
		fi
	done
	if ! $compile "$o-control.o" "$here/$name.c" -DCONTROL; then
		fail "$name" "the control (-DCONTROL) does not build: $(first_error "$o-control.o.log")"
		return
	fi
	if ! $check "$o-control.o" "$o-control.d" "$o-control.check.log"; then
		fail "$name" "the control (-DCONTROL) fails the check: $(head -n1 "$o-control.check.log")"
		return
	fi
	pass "$name" "$(for pattern in "$@"; do grep -m1 -E -- "$pattern" "$o.check.log"; done | paste -sd'|' | sed 's/|/ + /g')"
}

# A snippet the services rule's link, header or object check must refuse.
case_ringcheck() { case_checked cc svc_check "ld -r, ringcheck and privcheck" "$@"; }

# A Core snippet Ring 1's object check must refuse (no dependency file).
core_check_of() { core_check "$1" "$3"; }
case_core() { case_checked core_cc core_check_of "ld -r and privcheck" "$@"; }

# lint_blind <name>: the snippet passes ring lint, so that what refuses it
# is the object check (the cases of what ring lint cannot see).
lint_blind() {
	# shellcheck disable=SC2086
	if ! $PYTHON tools/ringlint/ringlint.py --profile "$profile" $RINGLINT_INC "$here/$1.c" \
		>"$out/$1.lint.log" 2>&1; then
		fail "$1" "ring lint already refuses it, so it shows nothing about the object check: $(first_error "$out/$1.lint.log")"
		return 1
	fi
}

# A snippet gcc builds but the token backstop (tools/tokencheck.py on the
# object, as service klog) must refuse with <pattern>; with -DCONTROL it
# must pass. The object itself is read: what ld -r leaves undefined of one
# object is what it leaves undefined, and in ludicrous (LTO objects, no
# svc/<name>.o) it is what the build reads too.
case_tokencheck() {
	local name=$1 pattern=$2 o=$out/$1
	if ! cc "$o.o" "$here/$name.c"; then
		fail "$name" "does not even compile, so the check is not what refuses it: $(first_error "$o.o.log")"
		return
	fi
	if $PYTHON tools/tokencheck.py --manifest "gen/$profile/manifest.json" --service klog \
		"$o.o" >"$o.tokens.log" 2>&1; then
		fail "$name" "passed tokencheck, but must not"
		return
	fi
	if ! grep -qE -- "$pattern" "$o.tokens.log"; then
		fail "$name" "refused, but not for the expected reason ($pattern): $(head -n1 "$o.tokens.log")"
		return
	fi
	if ! cc "$o-control.o" "$here/$name.c" -DCONTROL; then
		fail "$name" "the control (-DCONTROL) does not build: $(first_error "$o-control.o.log")"
		return
	fi
	if ! $PYTHON tools/tokencheck.py --manifest "gen/$profile/manifest.json" --service klog \
		"$o-control.o" >"$o-control.tokens.log" 2>&1; then
		fail "$name" "the control (-DCONTROL) fails tokencheck: $(head -n1 "$o-control.tokens.log")"
		return
	fi
	pass "$name" "$(grep -m1 -E -- "$pattern" "$o.tokens.log")"
}

# A snippet gcc builds but ring lint must refuse, with each [rule] given;
# <name>.ok.c must pass the lint.
case_ringlint() {
	local name=$1 o=$out/$1 rule
	shift
	if ! cc "$o.o" "$here/$name.c"; then
		fail "$name" "does not even compile, so the lint is not what refuses it: $(first_error "$o.o.log")"
		return
	fi
	# shellcheck disable=SC2086
	$PYTHON tools/ringlint/ringlint.py --profile "$profile" $RINGLINT_INC "$here/$name.c" >"$o.lint.log" 2>&1
	local rc=$?
	if [ "$profile" = ludicrous ]; then
		if [ $rc -eq 0 ] && grep -q "ring lint is off" "$o.lint.log"; then
			skip "$name" "ring lint is off in the ludicrous profile, by design"
		else
			fail "$name" "ring lint should be off in ludicrous: $(head -n1 "$o.lint.log")"
		fi
		return
	fi
	if [ $rc -ne 1 ]; then
		fail "$name" "ring lint let it through (exit $rc)"
		return
	fi
	for rule in "$@"; do
		if ! grep -q "error: \[$rule\]" "$o.lint.log"; then
			fail "$name" "ring lint refused it, but not with [$rule]: $(first_error "$o.lint.log")"
			return
		fi
	done
	# shellcheck disable=SC2086
	if ! $PYTHON tools/ringlint/ringlint.py --profile "$profile" $RINGLINT_INC "$here/$name.ok.c" \
		>"$o.ok.lint.log" 2>&1; then
		fail "$name" "the control $name.ok.c fails ring lint: $(first_error "$o.ok.lint.log")"
		return
	fi
	pass "$name" "$(grep -m1 "error: \[$1\]" "$o.lint.log" | sed -E 's/^.*(error: )/\1/')"
}

# A snippet gcc builds but sparse (with make lint's flags) must refuse
# with <pattern>; with -DCONTROL sparse must have nothing to say.
case_sparse() {
	local name=$1 pattern=$2 o=$out/$1
	if ! cc "$o.o" "$here/$name.c"; then
		fail "$name" "does not even compile, so sparse is not what refuses it: $(first_error "$o.o.log")"
		return
	fi
	eval "sparse $sparseflags -I$here $here/$name.c" >"$o.sparse.log" 2>&1
	if ! grep -qE -- "$pattern" "$o.sparse.log"; then
		fail "$name" "sparse did not refuse it with '$pattern': $(head -n1 "$o.sparse.log")"
		return
	fi
	eval "sparse $sparseflags -I$here -DCONTROL $here/$name.c" >"$o-control.sparse.log" 2>&1
	if [ -s "$o-control.sparse.log" ]; then
		fail "$name" "sparse complains about the control (-DCONTROL): $(head -n1 "$o-control.sparse.log")"
		return
	fi
	pass "$name" "sparse: $(grep -m1 -E -- "$pattern" "$o.sparse.log" | sed -E 's/^.*((error|warning): )/\1/')"
}

if [ "$profile" = fortress ] || [ "$profile" = balanced ]; then
	case_compile wrong-token "error: incompatible type for argument 1 of 'svcmem_alloc'"
else
	case_compile wrong-token "error: '_Generic' selector of type .* is not compatible with any association"
fi
# Tokens a service does not hold: the view of caps.h names the type
# cap_<Cap>_not_held_by_<service>. In performance and ludicrous the shim
# is a macro whose _Generic refuses the incomplete type.
if [ "$profile" = fortress ] || [ "$profile" = balanced ]; then
	case_compile forged-literal "error: invalid use of incomplete typedef 'cap_FsStore' \{aka 'struct cap_FsStore_not_held_by_klog'\}"
	case_compile forged-cast "error: invalid use of incomplete typedef 'cap_FsStore' \{aka 'struct cap_FsStore_not_held_by_klog'\}"
else
	case_compile forged-literal "error: invalid use of incomplete typedef 'cap_FsStore' \{aka 'struct cap_FsStore_not_held_by_klog'\}|error: '_Generic' association has incomplete type"
	case_compile forged-cast "error: invalid use of incomplete typedef 'cap_FsStore' \{aka 'struct cap_FsStore_not_held_by_klog'\}|error: '_Generic' association has incomplete type"
fi
case_compile foreign-global "error: invalid use of undefined type 'struct tmpfs_caps'"
case_tokencheck undeclared-call "services/klog: calls fsstore_root(_impl)? \(interface fsstore, guarded by FsStore\), which it does not hold"
if [ "$RINGS" = 1 ]; then
	skip private-header "one ring: the build checks no ring's headers"
	skip unexported "one ring: the build checks no ring's links"
	for c in pasted-asm builtin-eflags irq-helper core-privileged; do
		skip "$c" "one ring: the build disassembles no ring's object (docs/profiles.md)"
	done
else
	case_ringcheck private-header "includes platform/x86_64/cpu.h, which Ring 2 may not see"
	if [ "$RINGS" = 3 ]; then
		case_ringcheck unexported "uses 'frame_alloc', which no inner ring exports to Ring 2"
	else
		skip unexported "services fold into Core: they link against what Core may use"
	fi
	lint_blind pasted-asm &&
	case_ringcheck pasted-asm "compile_fail_pasted_asm\+0x[0-9a-f]+ .*: cli: clears the interrupt flag, which Ring 2 may not do"
	lint_blind builtin-eflags &&
	case_ringcheck builtin-eflags "compile_fail_builtin_eflags\+0x[0-9a-f]+ .*: popfq?: can set or clear the interrupt flag, which Ring 2 may not do"
	lint_blind irq-helper &&
	case_ringcheck irq-helper "includes platform/include/kevlar/irq.h, which Ring 2 may not see" \
		"compile_fail_irq_helper\+0x[0-9a-f]+ \(platform/include/kevlar/irq.h:[0-9]+\): cli: clears the interrupt flag, which Ring 2 may not do"
	lint_blind core-privileged &&
	case_core core-privileged "compile_fail_core_privileged\+0x[0-9a-f]+ .*: hlt: halts the CPU.*, which Ring 1 may not do" \
		"compile_fail_core_privileged\+0x[0-9a-f]+ .*: out .*: port I/O, which Ring 1 may not do"
fi
case_ringlint inline-asm asm
case_ringlint mmio volatile int-to-ptr
case_sparse user-deref "error: dereference of noderef expression|warning: dereference of noderef expression"

echo "compile-fail ($profile): $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
