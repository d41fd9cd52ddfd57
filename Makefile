# Kevlar: the one entry point. `make help` lists the targets.

PROFILES := fortress balanced performance ludicrous
PROFILE  ?= balanced
ifeq ($(filter $(PROFILE),$(PROFILES)),)
$(error PROFILE must be one of: $(PROFILES) (got '$(PROFILE)'))
endif

VERSION  := 0.1.0
PYTHON   := /usr/bin/python3
CC       := gcc
HOSTCC   := gcc
LD       := ld
QEMU     := qemu-system-x86_64
QEMU_MEM ?= 256M
QEMU_SMP ?= 1
CMDLINE  ?=
KTEST    ?= 0

# KTEST=1 builds the test kernel: test-only services and ktest= tests in.
ifeq ($(KTEST),1)
VARIANT    := $(PROFILE)-ktest
IDLC_FLAGS := --tests
KDEFS      := -DKEVLAR_KTEST=1
else
VARIANT    := $(PROFILE)
IDLC_FLAGS :=
KDEFS      :=
endif
BUILD := build/$(VARIANT)
GEN   := gen/$(VARIANT)

# What the profile makes of the rings (see docs/profiles.md).
ifneq ($(filter fortress balanced,$(PROFILE)),)
KDEFS += -DKEVLAR_CONTAINMENT=1
RINGS := 3
else ifeq ($(PROFILE),performance)
RINGS := 2
else
RINGS := 1
KDEFS += -flto
endif
comma := ,

# Quiet build lines in the style of kbuild; V=1 shows full commands.
ifeq ($(V),1)
Q :=
quiet =
else ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
Q := @
quiet =
else
Q := @
quiet = @printf '  %-7s %s\n' '$(1)' '$(2)';
endif

.DEFAULT_GOAL := all

# ------------------------------------------------------------------ set-up
# The Debian packages come first: the generator runs while make reads this
# file (services.mk below), so a recipe's prerequisite would be too late.
# Every goal but those that need nothing installed checks them, once per
# top-level make (sub-makes inherit KEVLAR_DEPS_CHECKED). DEPS= names
# another checker (tests/setup uses it to see the order).
DEPS ?= tools/deps.sh
NO_DEPS_GOALS := help clean distclean deps
ifeq ($(KEVLAR_DEPS_CHECKED),)
ifneq ($(or $(filter-out $(NO_DEPS_GOALS),$(MAKECMDGOALS)),$(if $(MAKECMDGOALS),,default)),)
ifneq ($(shell $(DEPS) >&2; echo $$?),0)
$(error the Debian packages named above are needed first)
endif
export KEVLAR_DEPS_CHECKED := 1
endif
endif

# -------------------------------------------------------------------- IDL
IDL_FILES := $(sort $(wildcard idl/*.idl))
IDLC_SRC  := $(sort $(wildcard tools/idlc/*.py tools/idlc/*.lark tools/idlc/templates/*.j2))

$(GEN)/.stamp: $(IDL_FILES) $(IDLC_SRC)
	$(call quiet,IDLC,$(GEN))
	$(Q)$(PYTHON) tools/idlc/idlc.py --profile $(PROFILE) $(IDLC_FLAGS) --out $(GEN) $(IDL_FILES)
	$(Q)touch $@

$(GEN_SRC): $(GEN)/.stamp ;

# The services this kernel has, as the IDL says (test-only ones in KTEST
# builds only). Make rebuilds this file, then restarts with it.
$(GEN)/services.mk: $(GEN)/.stamp
	$(Q)$(PYTHON) -c 'import json,sys; m = json.load(open(sys.argv[1])); \
		print("SVC_NAMES :=", " ".join(s["name"] for s in m["services"]))' \
		$(GEN)/manifest.json > $@

ifeq ($(filter $(NO_DEPS_GOALS),$(MAKECMDGOALS)),)
include $(GEN)/services.mk
endif

# ---------------------------------------------------------------- kernel
KCFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -fno-builtin -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-fno-pic -fno-pie -mcmodel=kernel -mno-red-zone \
	-mno-sse -mno-sse2 -mno-mmx -mno-80387 -mno-avx -mgeneral-regs-only \
	-fno-stack-protector -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-strict-aliasing -fno-common \
	-DKEVLAR_PROFILE=\"$(PROFILE)\" -DKEVLAR_PROFILE_$(shell echo $(PROFILE) | tr a-z A-Z)=1 \
	-DKEVLAR_VERSION=\"$(VERSION)\" $(KDEFS)
KASFLAGS := -Wa,--noexecstack -D__ASSEMBLY__ -Iplatform/include -I$(GEN)/include -Iplatform/x86_64

# Each ring compiles against its own headers and the public headers of
# the rings beneath it, plus what the IDL generates. Ring 0 sees only the
# Linux ABI's generated headers (gen/<p>/include/abi/, which ringcheck
# holds it to).
HDR_PLATFORM := platform/include $(GEN)/include
HDR_CORE     := $(HDR_PLATFORM) caps/include core/include
HDR_SERVICES := $(HDR_PLATFORM) caps/include
# Inside those, the headers that turn interrupts off are Core's and Ring 0's
# only: a service's locks leave interrupts on (docs/profiles.md).
HDR_SERVICES_DENY := platform/include/kevlar/irq.h platform/include/kevlar/spinlock_irq.h
ifeq ($(RINGS),1)
# One ring: the generated headers inline Core's dispatch into services.
HDR_SERVICES += core/include
endif

find_src = $(shell find $(1) -name '*.$(2)' 2>/dev/null | LC_ALL=C sort)
obj_of   = $(patsubst %,$(BUILD)/obj/%.o,$(1))

SRC_RING0 := $(call find_src,boot platform,c) $(call find_src,boot platform,S)
GEN_SRC   := $(GEN)/shims.c $(GEN)/registry.c $(GEN)/syscalls.c $(GEN)/syscall_trace.c
SRC_RING1 := $(call find_src,core caps,c) $(GEN_SRC)
OBJ_RING0 := $(call obj_of,$(SRC_RING0))
OBJ_RING1 := $(call obj_of,$(SRC_RING1))
svc_objs   = $(call obj_of,$(call find_src,services/$(1),c))
OBJ_SVC   := $(foreach s,$(SVC_NAMES),$(call svc_objs,$(s)))
SVC_LINKED := $(patsubst %,$(BUILD)/svc/%.o,$(SVC_NAMES))
KOBJS     := $(OBJ_RING0) $(OBJ_RING1) $(OBJ_SVC)

$(BUILD)/obj/platform/%.o $(BUILD)/obj/boot/%.o: KINC := $(addprefix -I,$(HDR_PLATFORM))
$(BUILD)/obj/core/%.o $(BUILD)/obj/caps/%.o $(BUILD)/obj/$(GEN)/%.o: KINC := $(addprefix -I,$(HDR_CORE))
# A service sees only the token types it holds: its view of caps.h
# (gen/<p>/include/svc/<name>/, docs/profiles.md) comes first.
svc_view   = -I$(GEN)/include/svc/$(1)
$(BUILD)/obj/services/%.o: KINC = $(call svc_view,$(word 2,$(subst /, ,$<))) \
	$(addprefix -I,$(HDR_SERVICES)) -Iservices/$(word 2,$(subst /, ,$<))

$(OBJ_RING0) $(OBJ_RING1) $(OBJ_SVC): $(GEN)/.stamp

$(BUILD)/obj/%.c.o: %.c $(BUILD)/flags
	$(call quiet,CC,$(patsubst $(BUILD)/obj/%.c.o,%.o,$@))
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(KCFLAGS) $(KINC) -MMD -MP -c $< -o $@

$(BUILD)/obj/%.S.o: %.S $(BUILD)/flags
	$(call quiet,AS,$(patsubst $(BUILD)/obj/%.S.o,%.o,$@))
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(KCFLAGS) $(KASFLAGS) -MMD -MP -c $< -o $@

-include $(KOBJS:.o=.d)

# Rebuild when the flags change (a different V= does not count).
$(BUILD)/flags: FORCE
	$(Q)mkdir -p $(BUILD)
	$(Q)echo '$(KCFLAGS) $(KASFLAGS) $(HDR_CORE)' > $@.new; \
	if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi

# ----------------------------------------------------------------- rings
# Each ring is linked on its own (ld -r) and checked: it may use only what
# the IDL's export lists give it, and include only the headers its ring
# may see. A service's code and data go into sections named after it, so
# containment knows where services run and restart can reset their data.
# Core's and each service's object code is then disassembled and refused
# privileged instructions by ring (privcheck, docs/profiles.md): Core may
# only save, clear and restore the interrupt flag, a service not even that.
# A failed check removes the object, so the next make checks it again.
EXPORTS := $(GEN)/exports
LDSCRIPTS := boot/kernel.ld $(GEN)/services-data.ld $(GEN)/services-bss.ld
RINGCHECK = $(PYTHON) tools/ringcheck.py --ldscripts $(LDSCRIPTS)
PRIVCHECK_DEPS := tools/privcheck.py tools/privcheck-allowed.txt
PRIVCHECK = $(PYTHON) tools/privcheck.py --allowed tools/privcheck-allowed.txt
.DELETE_ON_ERROR:

$(BUILD)/ring0.o: $(OBJ_RING0)
	$(call quiet,LD,$@)
	$(Q)$(LD) -r -o $@ $^
ifneq ($(RINGS),1)
	$(Q)$(RINGCHECK) --ring 0 --what "Ring 0" --object $@ --exports $(EXPORTS)/ring1-ring0.txt \
		--deps $(OBJ_RING0:.o=.d) --headers platform/include $(GEN)/include/abi boot platform
endif

# Core's code goes into .core.text, so that a fault can tell Core from
# Ring 0 (an oops, docs/containment.md).
$(BUILD)/ring1.o: $(OBJ_RING1) $(PRIVCHECK_DEPS)
	$(call quiet,LD,$@)
	$(Q)printf 'SECTIONS {\n .core.text : { *(.text .text.*) }\n}\n' > $@.lds
	$(Q)$(LD) -r -T $@.lds -o $@ $(OBJ_RING1)
ifneq ($(RINGS),1)
	$(Q)$(RINGCHECK) --ring 1 --what "Ring 1" --object $@ \
		--exports $(EXPORTS)/ring0-ring1.txt $(EXPORTS)/ring2-ring1.txt \
		--deps $(OBJ_RING1:.o=.d) --headers $(HDR_CORE) core caps $(GEN)
	$(call quiet,PRIVCHK,$@)
	$(Q)$(PRIVCHECK) --ring 1 --what "Ring 1" --object $@
endif

ifeq ($(RINGS),3)
SVC_EXPORTS = $(EXPORTS)/ring0-ring2.txt $(EXPORTS)/ring1-ring2.txt
else
SVC_EXPORTS = $(wildcard $(EXPORTS)/*.txt)
endif

define svc_rules
$(BUILD)/svc/$(1).o: $(call svc_objs,$(1)) $$(PRIVCHECK_DEPS)
	$$(call quiet,LD,$$@)
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)printf 'SECTIONS {\n .svc.text : { *(.text .text.*) }\n .svc.$(1).data : { *(.data .data.*) }\n .svc.$(1).bss : { *(.bss .bss.*) }\n}\n' > $$@.lds
	$$(Q)$$(LD) -r -T $$@.lds -o $$@ $(call svc_objs,$(1))
ifneq ($(RINGS),1)
	$$(Q)$$(RINGCHECK) --ring 2 --what "services/$(1)" --object $$@ --exports $$(SVC_EXPORTS) \
		--deps $$(patsubst %.o,%.d,$(call svc_objs,$(1))) --headers $$(HDR_SERVICES) services/$(1) \
		--deny-headers $$(HDR_SERVICES_DENY)
	$$(call quiet,PRIVCHK,$$@)
	$$(Q)$$(PRIVCHECK) --ring 2 --what "services/$(1)" --object $$@
endif
endef
$(foreach s,$(SVC_NAMES),$(eval $(call svc_rules,$(s))))

# The backstop for the tokens, in every profile: what a service's object
# leaves undefined (nm -u) must be only operations of the interfaces its
# tokens let it call (the manifest's may_call). Ludicrous links no
# svc/<name>.o, so there the service's LTO objects are read, before the
# link-time inliner runs (docs/profiles.md).
TOKENCHECK = $(PYTHON) tools/tokencheck.py --manifest $(GEN)/manifest.json
svc_checked = $(if $(filter 1,$(RINGS)),$(call svc_objs,$(1)),$(BUILD)/svc/$(1).o)
define svc_token_rules
$(BUILD)/svc/$(1).tokens: $(call svc_checked,$(1)) $(GEN)/.stamp tools/tokencheck.py
	$$(call quiet,TOKENS,services/$(1))
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)$$(TOKENCHECK) --service $(1) $(call svc_checked,$(1))
	$$(Q)touch $$@
endef
$(foreach s,$(SVC_NAMES),$(eval $(call svc_token_rules,$(s))))
SVC_TOKENS := $(patsubst %,$(BUILD)/svc/%.tokens,$(SVC_NAMES))

LDSCRIPT := boot/kernel.ld
KLDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments \
	-L $(GEN) -T $(LDSCRIPT)

ifeq ($(RINGS),1)
# Ludicrous: one ring, one link-time-optimized image, shims inlined away.
RING_OBJS := $(KOBJS)
# (maybe-uninitialized after whole-program inlining is noisy; each file is
# still compiled with it.)
KLINK := $(CC) $(KCFLAGS) -Wno-maybe-uninitialized -flto=auto -fuse-linker-plugin -nostdlib -no-pie -static -Wl,--build-id=none \
	$(addprefix -Wl$(comma),$(KLDFLAGS))
else
RING_OBJS := $(BUILD)/ring0.o $(BUILD)/ring1.o $(SVC_LINKED)
KLINK := $(LD) $(KLDFLAGS)
endif

# The kernel carries its own symbol table for backtraces. It lives in the
# last section, so linking it in moves no other symbol.
$(BUILD)/kernel.stage1.elf: $(RING_OBJS) $(LDSCRIPTS) $(BUILD)/ksyms-empty.o | $(SVC_TOKENS)
	$(call quiet,LD,$@)
	$(Q)$(KLINK) -o $@ $(RING_OBJS) $(BUILD)/ksyms-empty.o

$(BUILD)/ksyms-empty.S: tools/mkksyms.py
	$(Q)mkdir -p $(BUILD)
	$(Q)$(PYTHON) tools/mkksyms.py --empty -o $@

$(BUILD)/ksyms.S: $(BUILD)/kernel.stage1.elf tools/mkksyms.py
	$(call quiet,KSYMS,$@)
	$(Q)$(PYTHON) tools/mkksyms.py -o $@ $<

$(BUILD)/%.o: $(BUILD)/%.S
	$(call quiet,AS,$@)
	$(Q)$(CC) $(KCFLAGS) $(KASFLAGS) -c $< -o $@

$(BUILD)/kernel.elf: $(BUILD)/kernel.stage1.elf $(BUILD)/ksyms.o
	$(call quiet,LD,$@)
	$(Q)$(KLINK) -o $@ $(RING_OBJS) $(BUILD)/ksyms.o
	$(Q)$(PYTHON) tools/mkksyms.py --check $(BUILD)/kernel.stage1.elf $@

# ------------------------------------------------------------- user space
include mk/userspace.mk
include mk/bench.mk

# ------------------------------------------------------------------ image
$(BUILD)/cmdline: FORCE
	$(Q)mkdir -p $(BUILD)
	$(Q)printf '%s\n' '$(CMDLINE)' > $@.new; \
	if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi

$(BUILD)/kevlar.iso: $(BUILD)/kernel.elf $(BUILD)/cmdline $(INITRAMFS) boot/grub.cfg tools/mkiso.sh
	$(call quiet,ISO,$@)
	$(Q)tools/mkiso.sh --initramfs $(INITRAMFS) $(BUILD)/kernel.elf $@ $(PROFILE) $(CMDLINE)

# ---------------------------------------------------------------- targets
gen: $(GEN)/.stamp ## generate gen/<profile>/ from idl/ (make does this when needed)

.PHONY: all gen kernel iso run debug test test-setup test-qemu test-abi deps help clean distclean compile_commands.json FORCE
FORCE:

all: $(BUILD)/kevlar.iso ## build kernel.elf and kevlar.iso for PROFILE

kernel: $(BUILD)/kernel.elf ## build only build/<profile>/kernel.elf

deps: ## install (as root) or name the Debian packages the build needs
	$(Q)$(DEPS)

# The console is this terminal, in raw mode: ^C, ^Z and ^\ go to Kevlar's
# terminal (signal=off), and QEMU's escape is Ctrl-A (Ctrl-A x quits,
# Ctrl-A c toggles QEMU's monitor, Ctrl-A Ctrl-A types a Ctrl-A).
QEMU_ARGS = -cdrom $(BUILD)/kevlar.iso -display none -no-reboot \
	-chardev stdio,id=con0,mux=on,signal=off -serial chardev:con0 -mon chardev=con0 \
	-m $(QEMU_MEM) -smp $(QEMU_SMP) -cpu max

run: ## boot PROFILE in QEMU on this terminal (CMDLINE=, INIT_SCRIPT=job.sh, ROOTFS_EXTRA=dir)
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(QEMU_RUN) $(QEMU) $(QEMU_ARGS)

debug: ## as run, but paused for gdb: then `gdb -x build/<profile>/gdbinit`
	$(Q)$(MAKE) --no-print-directory all
	$(Q)printf 'file %s\ntarget remote localhost:1234\n' '$(BUILD)/kernel.elf' > $(BUILD)/gdbinit
	@echo "  QEMU waits for gdb on localhost:1234: gdb -x $(BUILD)/gdbinit"
	$(Q)$(QEMU) $(QEMU_ARGS) -s -S

include tests/unit/unit.mk
include mk/audit.mk
include mk/lint.mk

test-qemu: ## boot tests in QEMU for every profile (normal and KTEST=1 kernels)
	$(Q)for p in $(PROFILES); do \
		$(MAKE) --no-print-directory PROFILE=$$p all && \
		$(MAKE) --no-print-directory PROFILE=$$p KTEST=1 kernel || exit 1; done
	$(Q)$(PYTHON) -m pytest -q tests/qemu

test-setup: ## the package check comes before everything else, the generator included
	$(Q)$(PYTHON) -m pytest -q tests/setup

test-idl: ## generator tests (golden files, every IDL error, the ABI check)
	$(Q)$(PYTHON) -m pytest -q tests/idl

test-abi: ## idl/abi.idl against the host's Linux headers; no hand copies of it
	$(Q)$(PYTHON) -m pytest -q tests/idl/test_abi.py

test: ## every test, every profile
	$(Q)$(MAKE) --no-print-directory test-setup
	$(Q)$(MAKE) --no-print-directory lint-all
	$(Q)$(MAKE) --no-print-directory test-compile-fail
	$(Q)$(MAKE) --no-print-directory test-lint
	$(Q)$(MAKE) --no-print-directory test-idl
	$(Q)$(MAKE) --no-print-directory test-unit
	$(Q)$(MAKE) --no-print-directory test-user-host
	$(Q)$(MAKE) --no-print-directory test-bench
	$(Q)$(MAKE) --no-print-directory test-qemu
	$(Q)$(MAKE) --no-print-directory test-audit

compile_commands.json: ## compile database for editors (uses bear)
	$(Q)rm -rf $(BUILD)/obj
	$(Q)bear --output $@ -- $(MAKE) --no-print-directory kernel

clean: ## remove build/<profile>
	$(Q)rm -rf $(BUILD) $(GEN)

distclean: ## remove build/ and gen/ entirely
	$(Q)rm -rf build gen

help: ## this list
	@echo "Kevlar $(VERSION): make [target] [PROFILE=$(subst $() ,|,$(PROFILES))] [V=1]"
	@echo
	@grep -hE '^[a-zA-Z_.-]+:.*## ' $(MAKEFILE_LIST) | \
		sed -E 's/^([a-zA-Z_.-]+):.*## (.*)/  \1|\2/' | awk -F'|' '{ printf "  %-22s %s\n", $$1, $$2 }'
