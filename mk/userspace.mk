# User space: the initramfs, the user test programs, and running a job in
# Kevlar. Included by the Makefile after its variables (PROFILE, BUILD,
# PYTHON, Q, quiet, QEMU; QEMU_ARGS may come later).
#
#   make initramfs [INIT_SCRIPT=job.sh] [ROOTFS_EXTRA=dir]
#                               build/<variant>/initramfs.cpio (the ISO's module)
#   make run INIT_SCRIPT=job.sh run the job as the only program; its exit status
#                               is make's "Error N" and build/<variant>/run.status
#   make user-tests             tests/user/*.c -> build/user/ (musl-gcc -static)
#   make test-user-host         run them on this Linux: the reference, all PASS
#   make test-userspace         user tests and BusyBox scripts in QEMU, every profile
#
# docs/userspace.md says what /init does and how a job's status leaves QEMU.

ifndef KEVLAR_USERSPACE_MK
KEVLAR_USERSPACE_MK := 1

BUSYBOX      ?= /bin/busybox
INIT_SCRIPT  ?=
ROOTFS_EXTRA ?=
USER_CC      ?= musl-gcc
USER_CFLAGS  ?= -static -O2 -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter \
	-Wno-format-truncation
USER_BUILD   := build/user
INITRAMFS    ?= $(BUILD)/initramfs.cpio
MKINITRAMFS  := $(PYTHON) tools/mkinitramfs.py

# The QEMU boot tests that need user space run when this is 1 (make
# test-qemu passes it to pytest); USERSPACE_TESTS=0 leaves them out.
USERSPACE_TESTS ?= $(or $(KEVLAR_USERSPACE_TESTS),1)
export KEVLAR_USERSPACE_TESTS := $(USERSPACE_TESTS)

# `make run` goes through this: it streams the console and exits with the
# status /init reports (--expect-init: 125 if none came). make itself can
# only exit 0 or 2 ("Error N" names the status), so the exact status is
# also left in $(BUILD)/run.status.
QEMU_RUN = $(PYTHON) tools/qemu-run.py $(if $(INIT_SCRIPT),--expect-init) \
	--status-file $(BUILD)/run.status --

# ------------------------------------------------------------ user tests
USER_SRC     := $(sort $(wildcard tests/user/*.c))
USER_HELPERS := $(sort $(wildcard tests/user/helpers/*.c))
USER_HDRS    := $(wildcard tests/user/*.h)
USER_BINS    := $(patsubst tests/user/%.c,$(USER_BUILD)/%,$(USER_SRC) $(USER_HELPERS))
USER_FILES   := $(USER_BINS) $(USER_BUILD)/run-all.sh

$(USER_BINS): $(USER_BUILD)/%: tests/user/%.c $(USER_HDRS) build/user.cflags
	$(call quiet,MUSLCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(USER_CC) $(USER_CFLAGS) -o $@ $<

$(USER_BUILD)/run-all.sh: tests/user/run-all.sh
	$(Q)mkdir -p $(dir $@)
	$(Q)cp $< $@

# Rebuild the programs when the compiler or its flags change.
build/user.cflags: FORCE
	$(Q)mkdir -p build
	$(Q)echo '$(USER_CC) $(USER_CFLAGS)' > $@.new; \
	if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi

# ------------------------------------------------------------- initramfs
INITRAMFS_ARGS = --busybox $(BUSYBOX) --tests $(USER_BUILD) \
	$(if $(INIT_SCRIPT),--init-script $(INIT_SCRIPT)) \
	$(foreach d,$(ROOTFS_EXTRA),--extra $(d))

# What the archive is made from (files, modes, sizes, mtimes, options):
# rewritten only when that changes, so the archive is rebuilt exactly then.
$(INITRAMFS).inputs: $(USER_FILES) FORCE
	$(Q)mkdir -p $(dir $@)
	$(Q)$(MKINITRAMFS) --inputs $(INITRAMFS_ARGS) > $@.new || { rm -f $@.new; exit 1; }; \
	if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi

$(INITRAMFS): $(INITRAMFS).inputs tools/mkinitramfs.py $(USER_FILES)
	$(call quiet,CPIO,$@)
	$(Q)$(MKINITRAMFS) $(INITRAMFS_ARGS) -o $@

# ---------------------------------------------------------------- targets
.PHONY: initramfs user-tests test-user-host test-userspace test-userspace-tools FORCE
FORCE:

initramfs: $(INITRAMFS) ## build/<profile>/initramfs.cpio (INIT_SCRIPT=, ROOTFS_EXTRA=)

user-tests: $(USER_FILES) ## build tests/user/*.c into build/user/ (musl-gcc -static)

test-user-host: $(USER_FILES) ## run the user tests on this Linux (the reference: all must PASS)
	$(Q)sh $(USER_BUILD)/run-all.sh $(USER_BUILD) > $(USER_BUILD).host.log 2>&1; \
	status=$$?; grep -E '^(FAIL|===.*exit [1-9])' $(USER_BUILD).host.log; \
	tail -n 1 $(USER_BUILD).host.log; \
	echo "  $$(grep -c '^PASS ' $(USER_BUILD).host.log) PASS lines;" \
		"the whole output is in $(USER_BUILD).host.log"; \
	exit $$status

test-userspace-tools: $(USER_FILES) ## host tests of mkinitramfs, qemu-run and the make rules
	$(Q)$(PYTHON) -m pytest -q tests/qemu/test_userspace_tools.py

test-userspace: $(USER_FILES) ## user tests, BusyBox scripts, dynamic programs and make run in QEMU, every profile
	$(Q)for p in $(PROFILES); do \
		$(MAKE) --no-print-directory PROFILE=$$p kernel || exit 1; done
	$(Q)KEVLAR_USERSPACE_TESTS=1 $(PYTHON) -m pytest -q tests/qemu/test_user.py \
		tests/qemu/test_busybox_scripts.py tests/qemu/test_busybox_run.py \
		tests/qemu/test_interactive.py tests/qemu/test_dynamic.py tests/qemu/test_tty.py \
		tests/qemu/test_oom.py tests/qemu/test_tmpfs_full.py \
		tests/qemu/test_init.py tests/qemu/test_task_limits.py \
		tests/qemu/test_procfs.py::test_busybox_reads_proc

endif
