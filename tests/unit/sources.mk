# Kernel sources the unit suites compile for the host.
UNIT_SRCS += platform/lib/format.c platform/boot/multiboot2.c
UNIT_SRCS += platform/mm/frame.c platform/mm/heap.c
UNIT_SRCS += caps/cap.c
