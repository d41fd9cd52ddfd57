/*
 * The VFS calls the VM makes, in one place (the host unit tests link
 * their own versions instead of the VFS).
 */
#include <kevlar/vfs.h>
#include "vm_internal.h"

struct file *vm_file_get(struct file *f)
{
	return file_get(f);
}

void vm_file_put(struct file *f)
{
	file_put(f);
}

int vm_file_page(struct file *f, u64 index, paddr_t *pa)
{
	return file_get_page(f, index, pa);
}
