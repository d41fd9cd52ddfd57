/*
 * Memory: mapping and unmapping, first-touch page faults, mprotect and
 * brk. Every call is the raw system call (musl's wrappers round or check
 * arguments themselves).
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kbench.h"

#define PAGE 4096L
#define FAULT_PAGES 256L      /* one mapping: 1 MiB of fresh pages */

static void *map_anon(long len)
{
	return (void *)syscall(SYS_mmap, 0, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* One operation: map one anonymous page, untouched, and unmap it. */
static int64_t run_mmap_munmap(long n)
{
	int64_t t0 = bench_now();
	for (long i = 0; i < n; i++) {
		void *p = map_anon(PAGE);
		if (p == MAP_FAILED || syscall(SYS_munmap, p, PAGE) < 0) {
			bench_failed("mmap/munmap: %s", strerror(errno));
			return -1;
		}
	}
	return bench_now() - t0;
}

/* One operation: the first write to a fresh anonymous page (the mmap and
 * munmap around every FAULT_PAGES pages are counted too, shared out). */
static int64_t run_page_fault(long n)
{
	uint64_t sum = 0;
	int64_t t0 = bench_now();
	for (long done = 0; done < n;) {
		long pages = n - done < FAULT_PAGES ? n - done : FAULT_PAGES;
		volatile char *p = map_anon(pages * PAGE);
		if (p == MAP_FAILED) {
			bench_failed("mmap: %s", strerror(errno));
			return -1;
		}
		for (long i = 0; i < pages; i++) {
			p[i * PAGE] = (char)i;
			sum += (uint64_t)p[i * PAGE];
		}
		syscall(SYS_munmap, p, pages * PAGE);
		done += pages;
	}
	int64_t t1 = bench_now();
	bench_sink(sum);
	return t1 - t0;
}

static char *prot_page;

static int map_prot_page(void)
{
	prot_page = map_anon(PAGE);
	if (prot_page == MAP_FAILED)
		return -errno;
	prot_page[0] = 1;
	return 0;
}

/* One operation: one mprotect, alternating read-only and read-write. */
static int64_t run_mprotect(long n)
{
	int64_t t0 = bench_now();
	for (long i = 0; i < n; i++) {
		int prot = (i & 1) ? PROT_READ | PROT_WRITE : PROT_READ;
		if (syscall(SYS_mprotect, prot_page, PAGE, prot) < 0) {
			bench_failed("mprotect: %s", strerror(errno));
			return -1;
		}
	}
	int64_t t1 = bench_now();
	syscall(SYS_mprotect, prot_page, PAGE, PROT_READ | PROT_WRITE);
	return t1 - t0;
}

/* One operation: one brk call, alternately one page up and back down. */
static int64_t run_brk(long n)
{
	unsigned long base = (unsigned long)syscall(SYS_brk, 0);

	int64_t t0 = bench_now();
	for (long i = 0; i < n; i++) {
		unsigned long want = base + ((i & 1) ? 0 : PAGE);
		if ((unsigned long)syscall(SYS_brk, want) != want) {
			bench_failed("brk did not move to %#lx", want);
			return -1;
		}
	}
	int64_t t1 = bench_now();
	syscall(SYS_brk, base);
	return t1 - t0;
}

const struct bench memory_benches[] = {
	{ .name = "mmap_munmap", .run = run_mmap_munmap },
	{ .name = "page_fault", .run = run_page_fault },
	{ .name = "mprotect", .setup = map_prot_page, .run = run_mprotect },
	{ .name = "brk", .run = run_brk },
	{ 0 }
};
