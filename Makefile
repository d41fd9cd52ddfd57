# Kevlar: the one entry point. `make help` lists the targets.

PROFILES := fortress balanced performance ludicrous
PROFILE  ?= balanced
ifeq ($(filter $(PROFILE),$(PROFILES)),)
$(error PROFILE must be one of: $(PROFILES) (got '$(PROFILE)'))
endif

VERSION  := 0.1.0
BUILD    := build/$(PROFILE)
GEN      := gen/$(PROFILE)
PYTHON   := /usr/bin/python3
CC       := gcc
HOSTCC   := gcc
LD       := ld
QEMU     := qemu-system-x86_64
QEMU_MEM ?= 256M
QEMU_SMP ?= 1
CMDLINE  ?=

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

# ---------------------------------------------------------------- kernel
KCFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -fno-builtin -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-fno-pic -fno-pie -mcmodel=kernel -mno-red-zone \
	-mno-sse -mno-sse2 -mno-mmx -mno-80387 -mno-avx -mgeneral-regs-only \
	-fno-stack-protector -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-strict-aliasing -fno-common \
	-DKEVLAR_PROFILE=\"$(PROFILE)\" -DKEVLAR_PROFILE_$(shell echo $(PROFILE) | tr a-z A-Z)=1 \
	-DKEVLAR_VERSION=\"$(VERSION)\"
KASFLAGS := -D__ASSEMBLY__ -Iplatform/include -Iplatform/x86_64

# Each ring compiles against its own headers and the public headers of
# the rings beneath it.
INC_PLATFORM := -Iplatform/include
INC_CORE     := $(INC_PLATFORM) -Icaps/include -Icore/include -I$(GEN)/include
INC_SERVICES := $(INC_CORE)

find_src = $(shell find $(1) -name '*.$(2)' 2>/dev/null | LC_ALL=C sort)
SRC_PLATFORM := $(call find_src,boot platform,c) $(call find_src,boot platform,S)
SRC_CORE     := $(call find_src,core caps,c)
SRC_SERVICES := $(call find_src,services,c)
OBJ_PLATFORM := $(patsubst %,$(BUILD)/obj/%.o,$(SRC_PLATFORM))
OBJ_CORE     := $(patsubst %,$(BUILD)/obj/%.o,$(SRC_CORE))
OBJ_SERVICES := $(patsubst %,$(BUILD)/obj/%.o,$(SRC_SERVICES))
KOBJS        := $(OBJ_PLATFORM) $(OBJ_CORE) $(OBJ_SERVICES)

$(BUILD)/obj/platform/%.c.o $(BUILD)/obj/boot/%.c.o: KINC := $(INC_PLATFORM)
$(BUILD)/obj/core/%.c.o $(BUILD)/obj/caps/%.c.o: KINC := $(INC_CORE)
$(BUILD)/obj/services/%.c.o: KINC := $(INC_SERVICES)

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
	$(Q)echo '$(KCFLAGS) $(INC_CORE)' > $@.new; \
	if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi

LDSCRIPT := boot/kernel.ld
KLDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments -T $(LDSCRIPT)

# The kernel carries its own symbol table for backtraces. It lives in the
# last section, so linking it in moves no other symbol.
$(BUILD)/kernel.stage1.elf: $(KOBJS) $(LDSCRIPT) $(BUILD)/ksyms-empty.o
	$(call quiet,LD,$@)
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILD)/ksyms-empty.o

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
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILD)/ksyms.o
	$(Q)$(PYTHON) tools/mkksyms.py --check $(BUILD)/kernel.stage1.elf $@

# ------------------------------------------------------------------ image
$(BUILD)/cmdline: FORCE
	$(Q)mkdir -p $(BUILD)
	$(Q)printf '%s\n' '$(CMDLINE)' > $@.new; \
	if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi

$(BUILD)/kevlar.iso: $(BUILD)/kernel.elf $(BUILD)/cmdline boot/grub.cfg tools/mkiso.sh
	$(call quiet,ISO,$@)
	$(Q)tools/mkiso.sh $(BUILD)/kernel.elf $@ $(PROFILE) $(CMDLINE)

# ---------------------------------------------------------------- targets
.PHONY: all kernel iso run debug test test-qemu deps help clean distclean compile_commands.json FORCE
FORCE:

all: $(BUILD)/kevlar.iso ## build kernel.elf and kevlar.iso for PROFILE

kernel: $(BUILD)/kernel.elf ## build only build/<profile>/kernel.elf

deps: ## install (as root) or name the Debian packages the build needs
	$(Q)tools/deps.sh

QEMU_ARGS = -cdrom $(BUILD)/kevlar.iso -serial stdio -display none -no-reboot \
	-m $(QEMU_MEM) -smp $(QEMU_SMP) -cpu max

run: deps ## boot PROFILE in QEMU on this terminal (CMDLINE="..." sets the kernel command line)
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(QEMU) $(QEMU_ARGS)

debug: deps ## as run, but paused for gdb: then `gdb -x build/<profile>/gdbinit`
	$(Q)$(MAKE) --no-print-directory all
	$(Q)printf 'file %s\ntarget remote localhost:1234\n' '$(BUILD)/kernel.elf' > $(BUILD)/gdbinit
	@echo "  QEMU waits for gdb on localhost:1234: gdb -x $(BUILD)/gdbinit"
	$(Q)$(QEMU) $(QEMU_ARGS) -s -S

include tests/unit/unit.mk

test-qemu: ## boot tests in QEMU for every profile
	$(Q)for p in $(PROFILES); do $(MAKE) --no-print-directory PROFILE=$$p all || exit 1; done
	$(Q)$(PYTHON) -m pytest -q tests/qemu

test: deps ## every test, every profile
	$(Q)$(MAKE) --no-print-directory test-unit
	$(Q)$(MAKE) --no-print-directory test-qemu

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
