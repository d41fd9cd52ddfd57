# Kernel sources the unit suites compile for the host.
UNIT_SRCS += platform/lib/format.c platform/boot/multiboot2.c
UNIT_SRCS += platform/mm/frame.c platform/mm/heap.c
UNIT_SRCS += caps/cap.c

# Core's virtual memory and exec checks (test_vm_*.c), with host page
# tables and files (tests/unit/host/host_mmu.c, host_vmfile.c).
VM_UNIT_SRCS := core/vm/page_fill.c core/vm/pagemap.c core/vm/vma.c \
	core/vm/placement.c core/vm/mm.c core/vm/fault.c core/vm/mmap.c \
	core/vm/mremap.c core/vm/brk.c core/vm/fork.c core/vm/advice.c core/vm/exec_info.c \
	core/vm/overcommit.c \
	core/exec/elf.c core/exec/script.c
UNIT_SRCS += $(VM_UNIT_SRCS) tests/unit/host/host_mmu.c tests/unit/host/host_vmfile.c
$(patsubst %.c,$(UNIT_OUT)/%.o,$(VM_UNIT_SRCS) tests/unit/host/host_mmu.c \
	tests/unit/host/host_vmfile.c $(wildcard $(UNIT_DIR)/test_vm_*.c)): \
	UNIT_CFLAGS += -Icore/include -Icore/vm -Icore/exec

# The VFS's path resolution and dentry tree (test_vfs_path.c) and the
# initramfs's cpio reader (test_cpio.c), pure enough for the host.
VFS_UNIT_SRCS := core/vfs/dcache.c core/vfs/namei.c core/vfs/inode.c
UNIT_SRCS += $(VFS_UNIT_SRCS) services/initramfs/cpio.c tests/unit/host/host_synthfs.c
$(patsubst %.c,$(UNIT_OUT)/%.o,$(VFS_UNIT_SRCS) $(UNIT_DIR)/test_vfs_path.c \
	tests/unit/host/host_synthfs.c): \
	UNIT_CFLAGS += -Icore/include
