# Benchmarks: Kevlar's profiles side by side with Linux in the same QEMU.
# Included by the Makefile after mk/userspace.mk (USER_CC, USER_CFLAGS).
#
#   make bench [BENCH=a,b] [BENCH_REPEAT=3] [BENCH_ICOUNT=1] [BENCH_TARGET_MS=250]
#              [BENCH_PROFILES=fortress,...] [BENCH_LINUX=/boot/vmlinuz-...]
#                               boot every profile and Linux, print the table;
#                               the run is saved as build/bench/<rev>-<time>.json
#   make bench-compare A=<rev|file> B=<rev|file>
#                               how run B differs from run A
#   make test-bench             build the programs, run them once on this Linux
#                               (quick mode) and test the runner
#
# tools/bench.py says what is measured and how.

ifndef KEVLAR_BENCH_MK
KEVLAR_BENCH_MK := 1

BENCH_BIN       := build/bench/bin
BENCH           ?=
BENCH_REPEAT    ?= 3
BENCH_ICOUNT    ?= 0
BENCH_TARGET_MS ?=
BENCH_PROFILES  ?= $(subst $() ,$(comma),$(PROFILES))
BENCH_LINUX     ?=
BENCH_TIMEOUT   ?= 900
KBENCH_SRC      := $(addprefix tests/bench/,harness.c syscalls.c process.c memory.c workloads.c)
KBENCH_PROGRAMS := $(BENCH_BIN)/kbench $(BENCH_BIN)/tiny

$(BENCH_BIN)/kbench: $(KBENCH_SRC) tests/bench/kbench.h build/user.cflags
	$(call quiet,MUSLCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(USER_CC) $(USER_CFLAGS) -o $@ $(KBENCH_SRC)

# No C library at all: fork_exec measures the kernel's execve.
$(BENCH_BIN)/tiny: tests/bench/tiny.c build/user.cflags
	$(call quiet,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(USER_CC) -static -nostdlib -O2 -Wall -Werror -o $@ $<

.PHONY: bench bench-programs bench-compare test-bench

bench-programs: $(KBENCH_PROGRAMS) ## build the benchmark programs (tests/bench/) into build/bench/bin

bench: $(KBENCH_PROGRAMS) ## every profile and Linux in QEMU, side by side (BENCH=, BENCH_REPEAT=, BENCH_ICOUNT=1)
	$(Q)for p in $(subst $(comma), ,$(BENCH_PROFILES)); do \
		$(MAKE) --no-print-directory PROFILE=$$p kernel || exit 1; done
	$(Q)$(PYTHON) tools/bench.py run --profiles $(BENCH_PROFILES) --repeat $(BENCH_REPEAT) \
		--memory $(QEMU_MEM) --smp $(QEMU_SMP) --timeout $(BENCH_TIMEOUT) \
		$(if $(BENCH),--bench $(BENCH)) $(if $(filter 1,$(BENCH_ICOUNT)),--icount) \
		$(if $(BENCH_TARGET_MS),--target-ms $(BENCH_TARGET_MS)) \
		$(if $(BENCH_LINUX),--linux $(BENCH_LINUX))

bench-compare: ## compare two saved bench runs: A=<rev or file> B=<rev or file>
	$(if $(and $(A),$(B)),,$(error bench-compare needs A= and B=, e.g. A=1a2b3c4 B=build/bench/latest.json))
	$(Q)$(PYTHON) tools/bench.py compare '$(A)' '$(B)'

test-bench: $(KBENCH_PROGRAMS) ## the benchmark programs once on this Linux (quick mode), and the runner's tests
	$(Q)$(PYTHON) -m pytest -q tests/bench

endif
