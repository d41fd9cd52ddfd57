/*
 * The page map: which frame backs each populated user page of an mm. A
 * four-level radix tree indexed like the x86_64 page tables (9 bits per
 * level over bits 47..12 of the address), so that walking a sparse
 * address space skips what was never touched. Interior nodes hold child
 * pointers, leaves hold frame addresses; every node is one page. The
 * pages of every map together are counted as they come and go, so
 * /proc/meminfo costs the same with one process or a thousand.
 */
#include <kevlar/mm.h>
#include <kevlar/panic.h>
#include <kevlar/procinfo.h>
#include <kevlar/string.h>
#include "vm_internal.h"

#define PM_FANOUT 512
#define PM_LEVELS 4

struct pagemap_node {
	union {
		struct pagemap_node *child[PM_FANOUT];
		paddr_t pa[PM_FANOUT];
	};
};

_Static_assert(sizeof(struct pagemap_node) == PAGE_SIZE, "one page per node");

/* Pages in every page map (an mm shared by CLONE_VM counted once). */
static u64 resident_total;

u64 vm_resident_pages(void)
{
	return resident_total;
}

static unsigned level_shift(int level)
{
	return PAGE_SHIFT + 9 * level;
}

static unsigned index_at(uptr_t va, int level)
{
	return (va >> level_shift(level)) & (PM_FANOUT - 1);
}

static struct pagemap_node *node_alloc(void)
{
	struct pagemap_node *n = kpage_alloc(0);

	if (n)
		memset(n, 0, sizeof(*n));
	return n;
}

static void node_free(struct pagemap_node *n)
{
	kpage_free(n, 0);
}

/* The leaf slot for va; with 'create', missing nodes are added (NULL if
 * that runs out of memory). */
static paddr_t *slot(struct mm *mm, uptr_t va, bool create)
{
	struct pagemap_node **np = &mm->pagemap;

	for (int level = PM_LEVELS - 1; level >= 0; level--) {
		if (!*np) {
			if (!create || !(*np = node_alloc()))
				return NULL;
		}
		if (level == 0)
			return &(*np)->pa[index_at(va, 0)];
		np = &(*np)->child[index_at(va, level)];
	}
	return NULL;
}

paddr_t pagemap_lookup(struct mm *mm, uptr_t va)
{
	paddr_t *s = slot(mm, va, false);

	return s ? *s : PADDR_NONE;
}

int pagemap_insert(struct mm *mm, uptr_t va, paddr_t pa)
{
	paddr_t *s = slot(mm, va, true);

	if (!s)
		return -ENOMEM;
	BUG_ON(*s != PADDR_NONE);
	*s = pa;
	mm->resident++;
	resident_total++;
	return 0;
}

paddr_t pagemap_replace(struct mm *mm, uptr_t va, paddr_t pa)
{
	paddr_t *s = slot(mm, va, false);
	paddr_t old;

	BUG_ON(!s || *s == PADDR_NONE);
	old = *s;
	*s = pa;
	return old;
}

paddr_t pagemap_remove(struct mm *mm, uptr_t va)
{
	paddr_t *s = slot(mm, va, false);
	paddr_t old;

	if (!s || *s == PADDR_NONE)
		return PADDR_NONE;
	old = *s;
	*s = PADDR_NONE;
	mm->resident--;
	resident_total--;
	return old;
}

/* Span of one entry at 'level', in bytes. */
static uptr_t entry_span(int level)
{
	return 1UL << level_shift(level);
}

static bool next_in(struct pagemap_node *n, int level, uptr_t base,
		    uptr_t *va, uptr_t end, paddr_t *pa)
{
	uptr_t span = entry_span(level);

	for (unsigned i = index_at(*va, level); i < PM_FANOUT; i++) {
		uptr_t lo = base + i * span;

		if (lo >= end)
			return false;
		if (lo > *va)
			*va = lo;
		if (level == 0) {
			if (n->pa[i] != PADDR_NONE) {
				*pa = n->pa[i];
				return true;
			}
		} else if (n->child[i] &&
			   next_in(n->child[i], level - 1, lo, va, end, pa)) {
			return true;
		}
	}
	return false;
}

bool pagemap_next(struct mm *mm, uptr_t *va, uptr_t end, paddr_t *pa)
{
	uptr_t at = *va & PAGE_MASK;

	if (!mm->pagemap || at >= end)
		return false;
	if (!next_in(mm->pagemap, PM_LEVELS - 1, 0, &at, end, pa))
		return false;
	*va = at;
	return true;
}

static bool node_empty(const struct pagemap_node *n)
{
	for (unsigned i = 0; i < PM_FANOUT; i++)
		if (n->pa[i] != PADDR_NONE)
			return false;
	return true;
}

/* Releases [start, end) below n (covering base..); true if n is empty. */
static bool release_in(struct mm *mm, struct pagemap_node *n, int level,
		       uptr_t base, uptr_t start, uptr_t end)
{
	uptr_t span = entry_span(level);
	unsigned first = start > base ? index_at(start, level) : 0;

	for (unsigned i = first; i < PM_FANOUT; i++) {
		uptr_t lo = base + i * span;

		if (lo >= end)
			break;
		if (level == 0) {
			if (n->pa[i] == PADDR_NONE)
				continue;
			mmu_unmap(mm->space, lo);
			frame_put(n->pa[i]);
			n->pa[i] = PADDR_NONE;
			mm->resident--;
			resident_total--;
		} else if (n->child[i] &&
			   release_in(mm, n->child[i], level - 1, lo, start, end)) {
			node_free(n->child[i]);
			n->child[i] = NULL;
		}
	}
	return node_empty(n);
}

void pagemap_release(struct mm *mm, uptr_t start, uptr_t end)
{
	if (mm->pagemap && start < end &&
	    release_in(mm, mm->pagemap, PM_LEVELS - 1, 0, start, end)) {
		node_free(mm->pagemap);
		mm->pagemap = NULL;
	}
}

static void destroy_in(struct mm *mm, struct pagemap_node *n, int level)
{
	for (unsigned i = 0; i < PM_FANOUT; i++) {
		if (level > 0 && n->child[i]) {
			destroy_in(mm, n->child[i], level - 1);
		} else if (level == 0 && n->pa[i] != PADDR_NONE) {
			frame_put(n->pa[i]);
			mm->resident--;
			resident_total--;
		}
	}
	node_free(n);
}

void pagemap_destroy(struct mm *mm)
{
	if (mm->pagemap)
		destroy_in(mm, mm->pagemap, PM_LEVELS - 1);
	mm->pagemap = NULL;
	BUG_ON(mm->resident != 0);
}
