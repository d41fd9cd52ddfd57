# Static checks, included by the Makefile (after its variables):
#
#   make lint [PROFILE=...]        ring lint, then sparse over every kernel C file
#   make lint-all                  the same for every profile
#   make tcb [PROFILE=...]         how much of the kernel is trusted (Ring 0 + exceptions)
#   make test-compile-fail         snippets that must not build, fortress and balanced
#   make test-lint                 ring lint's and privcheck's own tests (pytest)
#   make -s print-svc-cflags [SVC=name]   the exact flags a service is compiled with
#   make -s print-core-cflags      the exact flags a Core file is compiled with
#
# `lint` checks the kernel PROFILE builds and, unless KTEST=1 already, the
# test kernel's too (its test-only services and #ifdef KEVLAR_KTEST code).

RINGLINT := $(PYTHON) tools/ringlint/ringlint.py
SPARSE   := sparse

# Ring lint checks what lies outside Ring 0: Core, the capability runtime,
# every service, and what idlc generated for this build. Types it learns
# from the headers those rings see.
RINGLINT_SRC := core caps services
RINGLINT_INC  = $(addprefix -I ,$(HDR_CORE))

# sparse reads the kernel's own flags, with the same include paths and
# defines each ring is built with (sparse defines __CHECKER__ itself, which
# turns on __user, __iomem and __force in <kevlar/compiler.h>). gcc's -W
# options are dropped: sparse has its own. On top of its defaults
# (-Waddress-space, -Wdecl, -Wcast-truncate, ...) it is asked for:
#   -Wcast-to-as      a cast that gives a pointer an address space needs __force
#   -Wcast-from-as    so does one that takes it away, even a cast to an integer
#   -Wbitwise, -Wbitwise-pointer   for __bitwise types, as Linux does
# sparse exits 0 after a warning, so anything it prints fails the target,
# except one known sparse (0.6.4) bug: it calls a zero-size struct
# incomplete in a _Generic, and performance and ludicrous check a token's
# type with _Generic on the zero-size cap_X. gcc compiles those and makes
# the same type check, so that pair of messages (about struct cap_*) is
# dropped and nothing else.
SPARSE_KNOWN := -e 'error: incomplete type in generic selection$$' \
	-e "error: no generic selection for 'struct cap_"
SPARSE_FLAGS  = $(filter-out -W%,$(KCFLAGS)) -Wcast-to-as -Wcast-from-as -Wbitwise -Wbitwise-pointer
SPARSE_RING0  = $(filter %.c,$(SRC_RING0))
SPARSE_RING1  = $(filter %.c,$(SRC_RING1))
sparse_files  = for f in $(2); do $(SPARSE) $(SPARSE_FLAGS) $(1) $$f; done;
SPARSE_FILES  = $(words $(SPARSE_RING0) $(SPARSE_RING1) \
	$(foreach s,$(SVC_NAMES),$(call find_src,services/$(s),c)))

.PHONY: lint lint-all lint-ring lint-ring-gen lint-sparse tcb test-compile-fail test-lint \
	print-svc-cflags print-svc-check print-svc-sparse print-core-cflags

lint: lint-ring lint-sparse ## ring lint + sparse over every kernel C file (the KTEST=1 kernel's too)
ifneq ($(KTEST),1)
	$(Q)$(MAKE) --no-print-directory KTEST=1 lint-ring-gen lint-sparse
endif

lint-all: ## make lint for every profile
	$(Q)for p in $(PROFILES); do $(MAKE) --no-print-directory PROFILE=$$p lint || exit 1; done

lint-ring: $(GEN)/.stamp ## ring lint only: no asm, volatile, int-to-ptr casts or user derefs outside Ring 0
	$(call quiet,RINGLINT,$(RINGLINT_SRC) $(GEN))
	$(Q)$(RINGLINT) --profile $(PROFILE) $(RINGLINT_INC) $(RINGLINT_SRC) $(GEN)

# Just the generated code: what a KTEST=1 build adds to what lint-ring saw.
lint-ring-gen: $(GEN)/.stamp ## ring lint of gen/<variant> only
	$(call quiet,RINGLINT,$(GEN))
	$(Q)$(RINGLINT) --profile $(PROFILE) $(RINGLINT_INC) $(GEN)

lint-sparse: $(GEN)/.stamp ## sparse only: __user and __iomem misuse is an error
	$(call quiet,SPARSE,$(VARIANT): $(SPARSE_FILES) files)
	$(Q)out=$$( { \
		$(call sparse_files,$(addprefix -I,$(HDR_PLATFORM)),$(SPARSE_RING0)) \
		$(call sparse_files,$(addprefix -I,$(HDR_CORE)),$(SPARSE_RING1)) \
		$(foreach s,$(SVC_NAMES),$(call sparse_files,$(call svc_view,$(s)) $(addprefix -I,$(HDR_SERVICES)) -Iservices/$(s),$(call find_src,services/$(s),c))) \
		} 2>&1 | { grep -v $(SPARSE_KNOWN) || true; } ); \
	if [ -n "$$out" ]; then \
		printf '%s\n' "$$out" >&2; \
		echo "sparse ($(VARIANT)): $$(printf '%s\n' "$$out" | grep -c ': \(warning\|error\): ') complaint(s): fix them, or __force what is really meant" >&2; \
		exit 1; \
	fi

tcb: $(GEN)/.stamp ## code lines in the trusted computing base (Ring 0 + ringlint exceptions) vs the whole kernel
	$(Q)$(PYTHON) tools/tcb.py --profile $(PROFILE) --gen $(GEN)

test-compile-fail: ## snippets that must not build (wrong or forged token, a call no token allows, private header, unexported call, asm seen or not by ring lint, MMIO, user deref): fortress, balanced
	$(Q)for p in fortress balanced; do \
		$(MAKE) -s --no-print-directory PROFILE=$$p gen || exit 1; \
		tests/compile-fail/run.sh $$p || exit 1; \
	done

test-lint: ## ring lint's and the object check's own tests: every rule, its precision, the exceptions
	$(Q)$(PYTHON) -m pytest -q tests/lint

# What tests/compile-fail/run.sh builds a snippet with: exactly the flags of
# the Makefile's services rule (SVC=<name> adds -Iservices/<name>), and
# what the rule gives ringcheck. `make -s` keeps the output to just that.
print-svc-cflags: $(GEN)/.stamp ## the exact flags a service compiles with (SVC=<name> adds its directory)
	@echo '$(KCFLAGS) $(if $(SVC),$(call svc_view,$(SVC)) )$(addprefix -I,$(HDR_SERVICES))$(if $(SVC), -Iservices/$(SVC))'

print-svc-check: $(GEN)/.stamp ## what the services rule gives ringcheck, as shell assignments
	@echo 'RINGS="$(RINGS)"'
	@echo 'LDSCRIPTS="$(LDSCRIPTS)"'
	@echo 'SVC_EXPORTS="$(SVC_EXPORTS)"'
	@echo 'HDR_SERVICES="$(HDR_SERVICES)"'
	@echo 'HDR_SERVICES_DENY="$(HDR_SERVICES_DENY)"'
	@echo 'RINGLINT_INC="$(RINGLINT_INC)"'

# What the rule for core/ compiles a file with (tests/compile-fail/run.sh).
print-core-cflags: $(GEN)/.stamp ## the exact flags a Core file compiles with
	@echo '$(KCFLAGS) $(addprefix -I,$(HDR_CORE))'

# What lint-sparse runs sparse on a service with.
print-svc-sparse: $(GEN)/.stamp ## the exact sparse flags lint-sparse gives a service
	@echo '$(SPARSE_FLAGS) $(if $(SVC),$(call svc_view,$(SVC)) )$(addprefix -I,$(HDR_SERVICES))$(if $(SVC), -Iservices/$(SVC))'
