/*
 * Host files for the VM unit tests: what core/vm/vm_file.c asks of the
 * VFS (references and page-cache pages), over an in-memory buffer.
 */
#include <stdlib.h>
#include <string.h>

#include <kevlar/errno.h>
#include <kevlar/layout.h>
#include <kevlar/mm.h>
#include <kevlar/vm.h>

#include "host_vm.h"

#define HOST_FILE_PAGES 64

struct file {
	int refs;
	size_t size;
	unsigned char *data;
	paddr_t cache[HOST_FILE_PAGES];
};

int host_file_fail;

struct file *host_file_create(const void *data, size_t size)
{
	struct file *f = calloc(1, sizeof(*f));

	if (!f || size > HOST_FILE_PAGES * PAGE_SIZE)
		abort();
	f->data = malloc(size ? size : 1);
	if (!f->data)
		abort();
	memcpy(f->data, data, size);
	f->size = size;
	f->refs = 1;
	return f;
}

void host_file_destroy(struct file *f)
{
	for (unsigned i = 0; i < HOST_FILE_PAGES; i++)
		if (f->cache[i] != PADDR_NONE)
			frame_put(f->cache[i]);
	if (--f->refs != 0)
		abort();   /* the VM still holds the file */
	free(f->data);
	free(f);
}

int host_file_refs(struct file *f)
{
	return f->refs;
}

paddr_t host_file_cached(struct file *f, u64 index)
{
	return index < HOST_FILE_PAGES ? f->cache[index] : PADDR_NONE;
}

struct file *vm_file_get(struct file *f)
{
	f->refs++;
	return f;
}

void vm_file_put(struct file *f)
{
	if (--f->refs <= 0)
		abort();   /* the creator's reference outlives the VM's */
}

int vm_file_page(struct file *f, u64 index, paddr_t *pa)
{
	if (host_file_fail) {
		int err = host_file_fail;
		host_file_fail = 0;
		return -err;
	}
	if (index >= HOST_FILE_PAGES)
		return -EIO;
	if (f->cache[index] == PADDR_NONE) {
		paddr_t p = frame_alloc(0);
		size_t off = index * PAGE_SIZE;
		if (p == PADDR_NONE)
			return -ENOMEM;
		memset(phys_to_virt(p), 0, PAGE_SIZE);
		if (off < f->size)
			memcpy(phys_to_virt(p), f->data + off, MIN(PAGE_SIZE, f->size - off));
		f->cache[index] = p;
	}
	frame_get(f->cache[index]);
	*pa = f->cache[index];
	return 0;
}
