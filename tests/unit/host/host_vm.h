/* Host stand-ins for the VM unit tests: page tables and files. */
#ifndef KEVLAR_TEST_HOST_VM_H
#define KEVLAR_TEST_HOST_VM_H

#include <kevlar/mmu.h>
#include <kevlar/types.h>

/* The next this many mmu_map() calls fail with -ENOMEM. */
extern int host_mmu_fail_maps;
/* Pages mapped in a space's page tables. */
unsigned host_mmu_mapped(mmu_space_t s);
/* Address spaces alive. */
unsigned host_mmu_spaces(void);

/*
 * A file for the VM: 'size' bytes of 'data' (copied), with a page cache
 * that holds one reference on each page it hands out. Pages past the end
 * read as zeros. host_file_destroy() drops the cache and the creator's
 * reference; the VM's references must be gone by then.
 */
struct file;
struct file *host_file_create(const void *data, size_t size);
void host_file_destroy(struct file *f);
/* References held on f (the creator's included). */
int host_file_refs(struct file *f);
/* The page cache's frame for page 'index', or PADDR_NONE if not cached. */
paddr_t host_file_cached(struct file *f, u64 index);
/* The next vm_file_page() fails with this errno (0: none). */
extern int host_file_fail;

#endif
