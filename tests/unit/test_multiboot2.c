/*
 * mb2_parse(): Multiboot2 information built in memory, good and broken.
 *
 * Every parse runs on a malloc()ed copy exactly info_max bytes long, so
 * AddressSanitizer catches any read past the bound, and every parse is
 * followed by two checks: each warning counted was printed as one line,
 * and the sanitized memory map keeps its promises (sorted, disjoint,
 * merged, usable ranges page-aligned).
 */
#include <kevlar/boot.h>
#include <kevlar/errno.h>
#include <kevlar/types.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "suites.h"

#define INFO_PA 0x10000UL

/* Loader memory types, as they appear in the tag. */
#define T_AVAIL	1
#define T_RSVD	2
#define T_ACPI	3
#define T_NVS	4
#define T_BAD	5

struct mmap_entry {
	u64 base;
	u64 len;
	u32 type;
	u32 zero;
};

static u8 image[96 * 1024] __attribute__((aligned(8)));
static size_t image_len;
static struct boot_info bi;

/* Starts a new information structure (header only). */
static void mb_begin(void)
{
	memset(image, 0, sizeof(image));
	image_len = 8;
}

/* Appends a tag with the given payload and pads to 8 bytes; returns its offset. */
static size_t mb_tag(u32 type, const void *payload, u32 len)
{
	size_t off = image_len;
	u32 size = 8 + len;

	ck_assert_uint_le(off + size + 8, sizeof(image));
	memcpy(image + off, &type, 4);
	memcpy(image + off + 4, &size, 4);
	if (len)
		memcpy(image + off + 8, payload, len);
	image_len = (off + size + 7) & ~(size_t)7;
	return off;
}

/* Sets total_size to the current length. */
static void mb_set_total(size_t total)
{
	u32 t = (u32)total;

	memcpy(image, &t, 4);
}

/* Appends the end tag and fixes total_size. */
static void mb_end(void)
{
	mb_tag(0, NULL, 0);
	mb_set_total(image_len);
}

static void mb_string(u32 type, const char *s)
{
	mb_tag(type, s, (u32)strlen(s) + 1);
}

/* Appends a memory map tag with the given entry size (>= 24 pads entries). */
static void mb_mmap_sized(const struct mmap_entry *e, u32 n, u32 entry_size)
{
	static u8 payload[80 * 1024];
	u32 hdr[2] = { entry_size, 0 };

	ck_assert_uint_le(8 + (size_t)n * entry_size, sizeof(payload));
	memset(payload, 0xee, sizeof(payload));
	memcpy(payload, hdr, 8);
	for (u32 i = 0; i < n; i++)
		memcpy(payload + 8 + (size_t)i * entry_size, &e[i],
		       entry_size < sizeof(*e) ? entry_size : sizeof(*e));
	mb_tag(6, payload, 8 + n * entry_size);
}

static void mb_mmap(const struct mmap_entry *e, u32 n)
{
	mb_mmap_sized(e, n, sizeof(*e));
}

static void mb_module(u32 start, u32 end, const char *name)
{
	u8 payload[512];
	size_t n = strlen(name) + 1;

	ck_assert_uint_le(8 + n, sizeof(payload));
	memcpy(payload, &start, 4);
	memcpy(payload + 4, &end, 4);
	memcpy(payload + 8, name, n);
	mb_tag(3, payload, (u32)(8 + n));
}

static void mb_meminfo(u32 lower_kib, u32 upper_kib)
{
	u32 payload[2] = { lower_kib, upper_kib };

	mb_tag(4, payload, sizeof(payload));
}

/* Every warning counted is one "multiboot2: " line in the log. */
static void check_log_matches_warnings(void)
{
	const char *log = host_log();
	u32 lines = 0;

	for (const char *p = log; *p; p = strchr(p, '\n') + 1) {
		ck_assert_msg(strncmp(p, "multiboot2: ", 12) == 0, "odd log line: %s", p);
		ck_assert_msg(strchr(p, '\n') != NULL, "unterminated log line: %s", p);
		lines++;
	}
	ck_assert_uint_eq(lines, bi.warnings);
}

/* The sanitized map is sorted, disjoint, merged and page-aligned where usable. */
static void check_map_invariants(void)
{
	ck_assert_uint_le(bi.nmem, BOOT_MAX_MEMRANGES);
	ck_assert_uint_le(bi.nmods, BOOT_MAX_MODULES);
	for (u32 i = 0; i < bi.nmem; i++) {
		const struct mem_range *r = &bi.mem[i];

		ck_assert_uint_gt(r->len, 0);
		ck_assert_uint_ge(r->type, MEM_USABLE);
		ck_assert_uint_le(r->type, MEM_BAD);
		ck_assert_uint_le(r->base, BOOT_MAX_PHYS);
		ck_assert_uint_le(r->len, BOOT_MAX_PHYS - r->base);
		if (r->type == MEM_USABLE) {
			ck_assert_uint_eq(r->base % PAGE_SIZE, 0);
			ck_assert_uint_eq(r->len % PAGE_SIZE, 0);
		}
		if (i) {
			const struct mem_range *p = &bi.mem[i - 1];

			ck_assert_uint_le(p->base + p->len, r->base);
			ck_assert_msg(p->base + p->len < r->base || p->type != r->type,
				      "ranges %u and %u touch with one type", i - 1, i);
		}
	}
	ck_assert_uint_le(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
	for (u32 i = 0; i < bi.nmods; i++)
		ck_assert_uint_lt(bi.mods[i].start, bi.mods[i].end);
}

/*
 * Parses len bytes of src as if info_max bytes were mapped (the copy is
 * exactly info_max long), then runs the common checks.
 */
static int parse_bytes(u32 magic, const void *src, size_t len, size_t info_max)
{
	u8 *copy = malloc(info_max ? info_max : 1);
	int rc;

	ck_assert_ptr_nonnull(copy);
	memset(copy, 0xcc, info_max);
	memcpy(copy, src, len < info_max ? len : info_max);
	host_log_clear();
	rc = mb2_parse(magic, copy, INFO_PA, info_max, &bi);
	free(copy);
	check_log_matches_warnings();
	if (rc == 0)
		check_map_invariants();
	return rc;
}

/* Parses the image built so far with info_max equal to its total_size. */
static int parse_image(void)
{
	u32 total;

	memcpy(&total, image, 4);
	return parse_bytes(MB2_BOOTLOADER_MAGIC, image, total, total);
}

/* Asserts the sanitized map equals want[0..n). */
static void expect_map(const struct mem_range *want, u32 n)
{
	for (u32 i = 0; i < n && i < bi.nmem; i++) {
		ck_assert_msg(bi.mem[i].base == want[i].base && bi.mem[i].len == want[i].len &&
			      bi.mem[i].type == want[i].type,
			      "range %u: got [%#lx+%#lx type %u], want [%#lx+%#lx type %u]", i,
			      bi.mem[i].base, bi.mem[i].len, bi.mem[i].type,
			      want[i].base, want[i].len, want[i].type);
	}
	ck_assert_uint_eq(bi.nmem, n);
}

/* Builds an image holding only this memory map and parses it cleanly. */
static void parse_map(const struct mmap_entry *e, u32 n)
{
	mb_begin();
	mb_mmap(e, n);
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
}

#define LOG_HAS(s) ck_assert_msg(strstr(host_log(), (s)) != NULL, \
				 "log lacks \"%s\"; log:\n%s", (s), host_log())

START_TEST(test_normal_boot)
{
	static const struct mmap_entry map[] = {
		{ 0x0, 0x9fc00, T_AVAIL, 0 },
		{ 0x9fc00, 0x400, T_RSVD, 0 },
		{ 0xf0000, 0x10000, T_RSVD, 0 },
		{ 0x100000, 0x7ee0000, T_AVAIL, 0 },
		{ 0x7fe0000, 0x20000, T_RSVD, 0 },
		{ 0xfffc0000, 0x40000, T_RSVD, 0 },
	};
	static const struct mem_range want[] = {
		{ 0x0, 0x9f000, MEM_USABLE },
		{ 0x9fc00, 0x400, MEM_RESERVED },
		{ 0xf0000, 0x10000, MEM_RESERVED },
		{ 0x100000, 0x7ee0000, MEM_USABLE },
		{ 0x7fe0000, 0x20000, MEM_RESERVED },
		{ 0xfffc0000, 0x40000, MEM_RESERVED },
	};

	mb_begin();
	mb_string(1, "console=ttyS0 init=/sbin/init quiet");
	mb_string(2, "GRUB 2.06-13+deb12u1");
	mb_meminfo(639, 130048);
	mb_mmap(map, 6);
	mb_module(0x200000, 0x280123, "/boot/initrd.cpio");
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	ck_assert_uint_eq(bi.warnings, 0);
	ck_assert_str_eq(host_log(), "");
	ck_assert(bi.has_cmdline);
	ck_assert_str_eq(bi.cmdline, "console=ttyS0 init=/sbin/init quiet");
	ck_assert_str_eq(bi.loader_name, "GRUB 2.06-13+deb12u1");
	expect_map(want, 6);
	ck_assert_uint_eq(boot_usable_bytes(&bi), 0x9f000 + 0x7ee0000);
	ck_assert_uint_eq(bi.nmods, 1);
	ck_assert_uint_eq(bi.mods[0].start, 0x200000);
	ck_assert_uint_eq(bi.mods[0].end, 0x280123);
	ck_assert_str_eq(bi.mods[0].name, "/boot/initrd.cpio");
	ck_assert_uint_eq(bi.rsdp_len, 0);
	ck_assert_uint_eq(bi.info_start, INFO_PA);
	ck_assert_uint_eq(bi.info_end, INFO_PA + image_len);
}
END_TEST

START_TEST(test_usable_inside_reserved)
{
	static const struct mmap_entry map[] = {
		{ 0x0, 0x100000, T_RSVD, 0 },
		{ 0x1000, 0x1000, T_AVAIL, 0 },
	};
	static const struct mem_range want[] = { { 0x0, 0x100000, MEM_RESERVED } };

	parse_map(map, 2);
	expect_map(want, 1);
	ck_assert_uint_eq(bi.warnings, 0);
	ck_assert_uint_eq(boot_usable_bytes(&bi), 0);
}
END_TEST

START_TEST(test_reserved_splits_usable)
{
	static const struct mmap_entry map[] = {
		{ 0x0, 0x10000, T_AVAIL, 0 },
		{ 0x4000, 0x1000, T_RSVD, 0 },
	};
	static const struct mem_range want[] = {
		{ 0x0, 0x4000, MEM_USABLE },
		{ 0x4000, 0x1000, MEM_RESERVED },
		{ 0x5000, 0xb000, MEM_USABLE },
	};

	parse_map(map, 2);
	expect_map(want, 3);
	ck_assert_uint_eq(boot_usable_bytes(&bi), 0xf000);
}
END_TEST

START_TEST(test_unaligned_reserved_inside_usable)
{
	/* The reserved hole is byte-exact; usable around it shrinks to pages. */
	static const struct mmap_entry map[] = {
		{ 0x0, 0x10000, T_AVAIL, 0 },
		{ 0x4100, 0x10, T_NVS, 0 },
	};
	static const struct mem_range want[] = {
		{ 0x0, 0x4000, MEM_USABLE },
		{ 0x4100, 0x10, MEM_ACPI_NVS },
		{ 0x5000, 0xb000, MEM_USABLE },
	};

	parse_map(map, 2);
	expect_map(want, 3);
}
END_TEST

START_TEST(test_partial_overlaps)
{
	static const struct mmap_entry map[] = {
		{ 0x1000, 0x4000, T_AVAIL, 0 },		/* [0x1000, 0x5000) */
		{ 0x3000, 0x5000, T_RSVD, 0 },		/* [0x3000, 0x8000) */
		{ 0x7000, 0x3000, T_ACPI, 0 },		/* [0x7000, 0xa000) */
		{ 0x9000, 0x3000, T_AVAIL, 0 },		/* [0x9000, 0xc000) */
		{ 0xb000, 0x2000, T_BAD, 0 },		/* [0xb000, 0xd000) */
	};
	static const struct mem_range want[] = {
		{ 0x1000, 0x2000, MEM_USABLE },
		{ 0x3000, 0x5000, MEM_RESERVED },
		{ 0x8000, 0x2000, MEM_ACPI_RECLAIM },
		{ 0xa000, 0x1000, MEM_USABLE },
		{ 0xb000, 0x2000, MEM_BAD },
	};

	parse_map(map, 5);
	expect_map(want, 5);
	ck_assert_uint_eq(bi.warnings, 0);
}
END_TEST

START_TEST(test_duplicates_and_adjacent)
{
	static const struct mmap_entry map[] = {
		{ 0x1000, 0x2000, T_AVAIL, 0 },
		{ 0x1000, 0x2000, T_AVAIL, 0 },
		{ 0x3000, 0x1000, T_AVAIL, 0 },		/* touches: merged */
		{ 0x8000, 0x1000, T_RSVD, 0 },
		{ 0x8000, 0x1000, T_RSVD, 0 },
		{ 0x9000, 0x800, 7, 0 },		/* unknown type: reserved, merged */
		{ 0x9800, 0x800, T_ACPI, 0 },		/* touches, other type: kept apart */
	};
	static const struct mem_range want[] = {
		{ 0x1000, 0x3000, MEM_USABLE },
		{ 0x8000, 0x1800, MEM_RESERVED },
		{ 0x9800, 0x800, MEM_ACPI_RECLAIM },
	};

	parse_map(map, 7);
	expect_map(want, 3);
	ck_assert_uint_eq(bi.warnings, 0);
}
END_TEST

START_TEST(test_unsorted)
{
	static const struct mmap_entry map[] = {
		{ 0xfffc0000, 0x40000, T_RSVD, 0 },
		{ 0x100000, 0x700000, T_AVAIL, 0 },
		{ 0x9fc00, 0x400, T_RSVD, 0 },
		{ 0x0, 0x9fc00, T_AVAIL, 0 },
		{ 0xf0000, 0x10000, T_RSVD, 0 },
	};
	static const struct mem_range want[] = {
		{ 0x0, 0x9f000, MEM_USABLE },
		{ 0x9fc00, 0x400, MEM_RESERVED },
		{ 0xf0000, 0x10000, MEM_RESERVED },
		{ 0x100000, 0x700000, MEM_USABLE },
		{ 0xfffc0000, 0x40000, MEM_RESERVED },
	};

	parse_map(map, 5);
	expect_map(want, 5);
}
END_TEST

START_TEST(test_unaligned_usable)
{
	static const struct mmap_entry map[] = {
		{ 0x1234, 0x4444, T_AVAIL, 0 },		/* [0x1234, 0x5678) */
		{ 0x10001, 0xffe, T_AVAIL, 0 },		/* no whole page: gone */
		{ 0x20800, 0x1000, T_AVAIL, 0 },	/* straddles: gone */
		{ 0x30000, 0x1fff, T_AVAIL, 0 },	/* [0x30000, 0x31fff) */
		{ 0x40123, 0x10, T_RSVD, 0 },		/* reserved: kept exact */
	};
	static const struct mem_range want[] = {
		{ 0x2000, 0x3000, MEM_USABLE },
		{ 0x30000, 0x1000, MEM_USABLE },
		{ 0x40123, 0x10, MEM_RESERVED },
	};

	parse_map(map, 5);
	expect_map(want, 3);
	ck_assert_uint_eq(bi.warnings, 0);
}
END_TEST

START_TEST(test_zero_length)
{
	static const struct mmap_entry map[] = {
		{ 0x1000, 0x1000, T_AVAIL, 0 },
		{ 0x5000, 0, T_AVAIL, 0 },
		{ 0x2000, 0x1000, T_AVAIL, 0 },
		{ 0x0, 0, T_RSVD, 0 },
	};
	static const struct mem_range want[] = { { 0x1000, 0x2000, MEM_USABLE } };

	parse_map(map, 4);
	expect_map(want, 1);
	ck_assert_uint_eq(bi.warnings, 2);
	ck_assert_str_eq(host_log(),
			 "multiboot2: memory map entry 1 [0x5000-0x5000] has zero length, ignored\n"
			 "multiboot2: memory map entry 3 [0x0-0x0] has zero length, ignored\n");
}
END_TEST

START_TEST(test_absurd_entries)
{
	static const struct mmap_entry map[] = {
		{ 0x100000, 0x100000, T_AVAIL, 0 },
		{ 1UL << 50, 0x1000, T_AVAIL, 0 },			/* beyond: ignored */
		{ BOOT_MAX_PHYS, 1, T_RSVD, 0 },			/* at the limit: ignored */
		{ 0x400000, UINT64_MAX, T_RSVD, 0 },			/* wraps: clipped */
		{ UINT64_MAX - 0xfff, 0x2000, T_AVAIL, 0 },		/* wraps, beyond */
	};
	static const struct mem_range want[] = {
		{ 0x100000, 0x100000, MEM_USABLE },
		{ 0x400000, BOOT_MAX_PHYS - 0x400000, MEM_RESERVED },
	};

	parse_map(map, 5);
	expect_map(want, 2);
	ck_assert_uint_eq(bi.warnings, 4);
	LOG_HAS("multiboot2: memory map entry 1 base 0x4000000000000 length 0x1000 lies beyond 0x400000000000, ignored\n");
	LOG_HAS("multiboot2: memory map entry 2 base 0x400000000000 length 0x1 lies beyond 0x400000000000, ignored\n");
	LOG_HAS("multiboot2: memory map entry 3 base 0x400000 length 0xffffffffffffffff ends beyond 0x400000000000, clipped\n");
	LOG_HAS("multiboot2: memory map entry 4 base 0xfffffffffffff000 length 0x2000 lies beyond");
}
END_TEST

START_TEST(test_entry_clipped_at_limit)
{
	static const struct mmap_entry map[] = {
		{ BOOT_MAX_PHYS - 0x2000, 0x1000, T_AVAIL, 0 },		/* ends below: fine */
		{ BOOT_MAX_PHYS - 0x1000, 0x1000, T_RSVD, 0 },		/* ends at: fine */
		{ BOOT_MAX_PHYS - 0x4000, 0x3000, T_AVAIL, 0 },		/* overlaps usable */
		{ BOOT_MAX_PHYS - 0x8000, 0x10000, T_AVAIL, 0 },	/* past: clipped */
	};
	static const struct mem_range want[] = {
		{ BOOT_MAX_PHYS - 0x8000, 0x7000, MEM_USABLE },
		{ BOOT_MAX_PHYS - 0x1000, 0x1000, MEM_RESERVED },
	};

	parse_map(map, 4);
	expect_map(want, 2);
	ck_assert_uint_eq(bi.warnings, 1);
	LOG_HAS("memory map entry 3 base 0x3fffffff8000 length 0x10000 ends beyond 0x400000000000, clipped\n");
}
END_TEST

START_TEST(test_too_many_entries)
{
	static struct mmap_entry map[200];

	for (u32 i = 0; i < 200; i++)
		map[i] = (struct mmap_entry){ (u64)i * 0x2000, 0x1000, T_AVAIL, 0 };
	parse_map(map, 200);
	ck_assert_uint_eq(bi.nmem, BOOT_MAX_MEMRANGES);
	ck_assert_uint_eq(bi.mem[127].base, 127 * 0x2000);
	ck_assert_uint_eq(boot_usable_bytes(&bi), 128 * 0x1000);
	ck_assert_uint_eq(bi.warnings, 1);
	ck_assert_str_eq(host_log(),
			 "multiboot2: memory map has more than 128 entries, entry 128 and later ignored\n");
}
END_TEST

START_TEST(test_sanitized_map_full)
{
	/* One usable range pierced by 127 holes needs 255 ranges. */
	static struct mmap_entry map[128];

	map[0] = (struct mmap_entry){ 0, 0x1000000, T_AVAIL, 0 };
	for (u32 i = 1; i < 128; i++)
		map[i] = (struct mmap_entry){ (u64)i * 0x2000 - 0x1000, 0x1000, T_RSVD, 0 };
	parse_map(map, 128);
	ck_assert_uint_eq(bi.nmem, BOOT_MAX_MEMRANGES);
	ck_assert_uint_eq(bi.mem[0].type, MEM_USABLE);
	ck_assert_uint_eq(bi.mem[127].type, MEM_RESERVED);
	ck_assert_uint_eq(bi.warnings, 1);
	LOG_HAS("multiboot2: sanitized memory map needs more than 128 ranges, ranges from 0x80000 on ignored\n");
}
END_TEST

START_TEST(test_entry_size_and_trailing)
{
	static const struct mmap_entry map[] = {
		{ 0x0, 0x80000, T_AVAIL, 0 },
		{ 0x80000, 0x1000, T_RSVD, 0 },
	};
	static const struct mem_range want[] = {
		{ 0x0, 0x80000, MEM_USABLE },
		{ 0x80000, 0x1000, MEM_RESERVED },
	};
	u8 odd[8 + 2 * 24 + 5];
	u32 hdr[2] = { 24, 0 };

	/* A larger entry_size (a later spec version) is walked by its stride. */
	mb_begin();
	mb_mmap_sized(map, 2, 40);
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	expect_map(want, 2);
	ck_assert_uint_eq(bi.warnings, 0);

	/* Bytes after the last whole entry are reported and skipped. */
	memcpy(odd, hdr, 8);
	memcpy(odd + 8, map, sizeof(map));
	memset(odd + 8 + sizeof(map), 0xff, 5);
	mb_begin();
	mb_tag(6, odd, sizeof(odd));
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	expect_map(want, 2);
	ck_assert_uint_eq(bi.warnings, 1);
	ck_assert_str_eq(host_log(), "multiboot2: memory map tag has 5 trailing bytes, ignored\n");
}
END_TEST

START_TEST(test_bad_entry_size)
{
	static const struct mmap_entry map[] = { { 0x0, 0x80000, T_AVAIL, 0 } };
	static const struct mem_range want[] = {
		{ 0x0, 0x9f000, MEM_USABLE },
		{ 0x100000, 0x1000000, MEM_USABLE },
	};

	mb_begin();
	mb_mmap_sized(map, 1, 16);
	mb_meminfo(639, 16384);
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	ck_assert_uint_eq(bi.warnings, 2);
	ck_assert_str_eq(host_log(),
			 "multiboot2: memory map entry_size 16 is below 24, tag ignored\n"
			 "multiboot2: no valid memory map, using basic meminfo (lower 639 KiB, upper 16384 KiB)\n");
	expect_map(want, 2);
}
END_TEST

START_TEST(test_basic_meminfo_fallback)
{
	static const struct mem_range want[] = {
		{ 0x0, 0x9f000, MEM_USABLE },
		{ 0x100000, 130048UL * 1024, MEM_USABLE },
	};

	mb_begin();
	mb_string(1, "");
	mb_meminfo(639, 130048);
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	expect_map(want, 2);
	ck_assert_uint_eq(bi.warnings, 1);
	LOG_HAS("using basic meminfo (lower 639 KiB, upper 130048 KiB)");
	ck_assert(bi.has_cmdline);
	ck_assert_str_eq(bi.cmdline, "");
}
END_TEST

START_TEST(test_invalid_map_falls_back)
{
	static const struct mmap_entry map[] = {
		{ 0x1000, 0, T_AVAIL, 0 },
		{ 1UL << 60, 0x1000, T_AVAIL, 0 },
	};

	mb_begin();
	mb_meminfo(0, 4096);
	mb_mmap(map, 2);
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	ck_assert_uint_eq(bi.warnings, 3);
	ck_assert_uint_eq(bi.nmem, 1);
	ck_assert_uint_eq(bi.mem[0].base, 0x100000);
	ck_assert_uint_eq(bi.mem[0].len, 0x400000);
}
END_TEST

START_TEST(test_no_memory_information)
{
	mb_begin();
	mb_string(1, "x");
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	ck_assert_uint_eq(bi.nmem, 0);
	ck_assert_uint_eq(boot_usable_bytes(&bi), 0);
	ck_assert_uint_eq(bi.warnings, 1);
	ck_assert_str_eq(host_log(),
			 "multiboot2: no memory map and no basic meminfo, no memory known\n");
}
END_TEST

/* Builds an image with a one-range map, then whatever add() appends. */
static void mb_begin_with_map(void)
{
	static const struct mmap_entry map[] = { { 0x0, 0x100000, T_AVAIL, 0 } };

	mb_begin();
	mb_mmap(map, 1);
}

START_TEST(test_missing_cmdline)
{
	mb_begin_with_map();
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	ck_assert(!bi.has_cmdline);
	ck_assert_str_eq(bi.cmdline, "");
	ck_assert_str_eq(bi.loader_name, "");
	ck_assert_uint_eq(bi.warnings, 0);
}
END_TEST

START_TEST(test_long_cmdline)
{
	static char line[2001];

	for (int i = 0; i < 2000; i++)
		line[i] = 'a' + i % 26;
	line[2000] = '\0';
	mb_begin_with_map();
	mb_string(1, line);
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	ck_assert(bi.has_cmdline);
	ck_assert_uint_eq(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
	ck_assert(memcmp(bi.cmdline, line, BOOT_CMDLINE_MAX - 1) == 0);
	ck_assert_uint_eq(bi.warnings, 1);
	ck_assert_str_eq(host_log(), "multiboot2: command line is 2000 bytes, truncated to 1023\n");
}
END_TEST

START_TEST(test_cmdline_exactly_fits)
{
	static char line[BOOT_CMDLINE_MAX];

	memset(line, 'k', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	mb_begin_with_map();
	mb_string(1, line);
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	ck_assert_str_eq(bi.cmdline, line);
	ck_assert_uint_eq(bi.warnings, 0);
}
END_TEST

START_TEST(test_unterminated_strings)
{
	mb_begin_with_map();
	mb_tag(1, "root=/dev/sda", 13);		/* no NUL inside the tag */
	mb_tag(2, "", 0);			/* no payload at all */
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	ck_assert_str_eq(bi.cmdline, "root=/dev/sda");
	ck_assert_str_eq(bi.loader_name, "");
	ck_assert_uint_eq(bi.warnings, 2);
	ck_assert_str_eq(host_log(),
			 "multiboot2: command line is not NUL-terminated\n"
			 "multiboot2: boot loader name is not NUL-terminated\n");
}
END_TEST

START_TEST(test_long_loader_name)
{
	mb_begin_with_map();
	mb_string(2, "A Boot Loader With A Name Considerably Longer Than Sixty-Three Bytes");
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	ck_assert_uint_eq(strlen(bi.loader_name), 63);
	ck_assert_uint_eq(bi.warnings, 1);
	LOG_HAS("multiboot2: boot loader name is 68 bytes, truncated to 63\n");
}
END_TEST

START_TEST(test_tag_runs_past_total)
{
	static const u8 zeros[16];
	size_t off;
	u32 huge = 0x1000;

	mb_begin();
	mb_string(1, "kept");
	off = mb_tag(6, zeros, sizeof(zeros));
	memcpy(image + off + 4, &huge, 4);
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	ck_assert_str_eq(bi.cmdline, "kept");
	ck_assert_uint_eq(bi.warnings, 2);
	ck_assert_str_eq(host_log(),
			 "multiboot2: tag 1 (type 6) at offset 24 has bad size 4096 (32 bytes left), rest ignored\n"
			 "multiboot2: no memory map and no basic meminfo, no memory known\n");
}
END_TEST

START_TEST(test_tag_overruns_by_a_little)
{
	/* A string tag claiming 4 bytes more than remain: nothing is read past. */
	static char text[24];
	size_t off;
	u32 size;

	memset(text, 'x', sizeof(text));
	mb_begin_with_map();
	off = mb_tag(1, text, sizeof(text));	/* no NUL: would run on */
	mb_set_total(image_len);
	size = (u32)(image_len - off) + 4;
	memcpy(image + off + 4, &size, 4);
	ck_assert_int_eq(parse_image(), 0);
	ck_assert(!bi.has_cmdline);
	ck_assert_uint_eq(bi.warnings, 1);
	LOG_HAS("(type 1) at offset 48 has bad size 36 (32 bytes left), rest ignored\n");
}
END_TEST

START_TEST(test_tag_size_too_small)
{
	size_t off;
	u32 tiny = 4;

	mb_begin_with_map();
	off = mb_tag(1, "lost", 5);
	memcpy(image + off + 4, &tiny, 4);
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	ck_assert(!bi.has_cmdline);
	ck_assert_uint_eq(bi.nmem, 1);		/* the map before it is kept */
	ck_assert_uint_eq(bi.warnings, 1);
	LOG_HAS("(type 1) at offset 48 has bad size 4 (24 bytes left), rest ignored\n");
}
END_TEST

START_TEST(test_total_cuts_tag)
{
	/* total_size (and the mapping) ends in the middle of the map tag. */
	static const struct mmap_entry map[] = {
		{ 0x0, 0x100000, T_AVAIL, 0 },
		{ 0x100000, 0x100000, T_AVAIL, 0 },
	};
	size_t cut;

	mb_begin();
	mb_string(1, "c");
	cut = image_len + 20;
	mb_mmap(map, 2);
	mb_end();
	mb_set_total(cut);
	ck_assert_int_eq(parse_bytes(MB2_BOOTLOADER_MAGIC, image, cut, cut), 0);
	ck_assert_str_eq(bi.cmdline, "c");
	ck_assert_uint_eq(bi.nmem, 0);
	ck_assert_uint_eq(bi.warnings, 2);
	ck_assert_uint_eq(bi.info_end, INFO_PA + cut);
}
END_TEST

START_TEST(test_no_end_tag)
{
	mb_begin_with_map();
	mb_string(1, "noend");
	mb_set_total(image_len);	/* ends right after the last tag */
	ck_assert_int_eq(parse_image(), 0);
	ck_assert_str_eq(bi.cmdline, "noend");
	ck_assert_uint_eq(bi.nmem, 1);
	ck_assert_uint_eq(bi.warnings, 1);
	ck_assert_str_eq(host_log(),
			 "multiboot2: no end tag within total_size 64, structure truncated\n");

	/* A few stray bytes: not even room for another tag header. */
	mb_set_total(image_len + 4);
	ck_assert_int_eq(parse_bytes(MB2_BOOTLOADER_MAGIC, image, image_len + 4, image_len + 4), 0);
	ck_assert_uint_eq(bi.warnings, 1);
}
END_TEST

START_TEST(test_tag_without_padding_at_end)
{
	/* The last tag's size is not a multiple of 8 and total_size ends there. */
	mb_begin_with_map();
	mb_tag(1, "abc", 4);
	mb_set_total(image_len - 4);
	ck_assert_int_eq(parse_bytes(MB2_BOOTLOADER_MAGIC, image, image_len - 4, image_len - 4), 0);
	ck_assert_str_eq(bi.cmdline, "abc");
	ck_assert_uint_eq(bi.warnings, 1);	/* no end tag */
}
END_TEST

START_TEST(test_bad_magic)
{
	mb_begin_with_map();
	mb_end();
	ck_assert_int_eq(parse_bytes(0x2badb002, image, image_len, image_len), -EINVAL);
	ck_assert_uint_eq(bi.nmem, 0);
	ck_assert_str_eq(host_log(), "multiboot2: bad magic 0x2badb002 (expected 0x36d76289)\n");
}
END_TEST

START_TEST(test_bad_total_size)
{
	mb_begin_with_map();
	mb_end();
	/* Larger than what is mapped. */
	ck_assert_int_eq(parse_bytes(MB2_BOOTLOADER_MAGIC, image, image_len, image_len - 8), -EINVAL);
	ck_assert_str_eq(host_log(), "multiboot2: total_size 56 outside [8, 48]\n");
	/* Too small to hold its own header. */
	mb_set_total(4);
	ck_assert_int_eq(parse_bytes(MB2_BOOTLOADER_MAGIC, image, image_len, image_len), -EINVAL);
	ck_assert_str_eq(host_log(), "multiboot2: total_size 4 outside [8, 56]\n");
	mb_set_total(0);
	ck_assert_int_eq(parse_bytes(MB2_BOOTLOADER_MAGIC, image, image_len, image_len), -EINVAL);
	mb_set_total(0xffffffff);
	ck_assert_int_eq(parse_bytes(MB2_BOOTLOADER_MAGIC, image, image_len, image_len), -EINVAL);
	/* Not even the header is mapped. */
	ck_assert_int_eq(parse_bytes(MB2_BOOTLOADER_MAGIC, image, 4, 4), -EINVAL);
	ck_assert_str_eq(host_log(), "multiboot2: info structure unreadable (4 bytes available)\n");
	host_log_clear();
	ck_assert_int_eq(mb2_parse(MB2_BOOTLOADER_MAGIC, NULL, 0, 4096, &bi), -EINVAL);
	ck_assert_uint_eq(bi.warnings, 1);
}
END_TEST

START_TEST(test_minimal_structure)
{
	/* total_size 8: a header and nothing else, not even an end tag. */
	mb_begin();
	mb_set_total(8);
	ck_assert_int_eq(parse_bytes(MB2_BOOTLOADER_MAGIC, image, 8, 8), 0);
	ck_assert_uint_eq(bi.warnings, 2);	/* no end tag, no memory */
	ck_assert_uint_eq(bi.info_end - bi.info_start, 8);
}
END_TEST

START_TEST(test_modules)
{
	mb_begin_with_map();
	mb_module(0x300000, 0x301000, "first");
	mb_module(0x400000, 0x400000, "empty");
	mb_module(0x500000, 0x4ff000, "inverted");
	mb_module(0x600000, 0x600001, "");
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	ck_assert_uint_eq(bi.nmods, 2);
	ck_assert_str_eq(bi.mods[0].name, "first");
	ck_assert_uint_eq(bi.mods[0].start, 0x300000);
	ck_assert_uint_eq(bi.mods[0].end, 0x301000);
	ck_assert_str_eq(bi.mods[1].name, "");
	ck_assert_uint_eq(bi.mods[1].end, 0x600001);
	ck_assert_uint_eq(bi.warnings, 2);
	ck_assert_str_eq(host_log(),
			 "multiboot2: module 1 [0x400000-0x400000] is empty or inverted, ignored\n"
			 "multiboot2: module 2 [0x500000-0x4ff000] is empty or inverted, ignored\n");
}
END_TEST

START_TEST(test_too_many_modules)
{
	char name[16];

	mb_begin_with_map();
	for (u32 i = 0; i < BOOT_MAX_MODULES + 2; i++) {
		snprintf(name, sizeof(name), "mod%u", i);
		mb_module(0x1000000 + i * 0x10000, 0x1000000 + i * 0x10000 + 0x100, name);
	}
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	ck_assert_uint_eq(bi.nmods, BOOT_MAX_MODULES);
	ck_assert_str_eq(bi.mods[15].name, "mod15");
	ck_assert_uint_eq(bi.warnings, 2);
	ck_assert_str_eq(host_log(),
			 "multiboot2: more than 16 modules, module 16 ignored\n"
			 "multiboot2: more than 16 modules, module 17 ignored\n");
}
END_TEST

START_TEST(test_module_long_name_and_short_tag)
{
	char name[300];
	u32 se[2] = { 0x100000, 0x200000 };

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	mb_begin_with_map();
	mb_module(0x800000, 0x900000, name);
	mb_tag(3, se, 4);			/* too short for start and end */
	mb_tag(3, se, 8);			/* no name bytes at all */
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	ck_assert_uint_eq(bi.nmods, 2);
	ck_assert_uint_eq(strlen(bi.mods[0].name), BOOT_MODNAME_MAX - 1);
	ck_assert_str_eq(bi.mods[1].name, "");
	ck_assert_uint_eq(bi.warnings, 3);
	ck_assert_str_eq(host_log(),
			 "multiboot2: module name is 299 bytes, truncated to 127\n"
			 "multiboot2: tag type 3 is 12 bytes, need at least 16, ignored\n"
			 "multiboot2: module name is not NUL-terminated\n");
}
END_TEST

static const u8 rsdp_v1[20] = "RSD PTR \x42OEMID\x00\x00\x10\x00\x00";
static const u8 rsdp_v2[36] = "RSD PTR \x43OEMID\x02\x00\x10\x00\x00\x24\x00\x00\x00"
			      "\x00\x20\x00\x00\x00\x00\x00\x00\x99\x00\x00";

START_TEST(test_rsdp_v1)
{
	mb_begin_with_map();
	mb_tag(14, rsdp_v1, sizeof(rsdp_v1));
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	ck_assert_uint_eq(bi.rsdp_len, 20);
	ck_assert(memcmp(bi.rsdp, rsdp_v1, 20) == 0);
	ck_assert_uint_eq(bi.warnings, 0);
}
END_TEST

START_TEST(test_rsdp_v2)
{
	mb_begin_with_map();
	mb_tag(15, rsdp_v2, sizeof(rsdp_v2));
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	ck_assert_uint_eq(bi.rsdp_len, 36);
	ck_assert(memcmp(bi.rsdp, rsdp_v2, 36) == 0);
	ck_assert_uint_eq(bi.warnings, 0);
}
END_TEST

START_TEST(test_rsdp_v2_wins)
{
	mb_begin_with_map();
	mb_tag(15, rsdp_v2, sizeof(rsdp_v2));
	mb_tag(14, rsdp_v1, sizeof(rsdp_v1));
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	ck_assert_uint_eq(bi.rsdp_len, 36);
	ck_assert(memcmp(bi.rsdp, rsdp_v2, 36) == 0);

	mb_begin_with_map();
	mb_tag(14, rsdp_v1, sizeof(rsdp_v1));
	mb_tag(15, rsdp_v2, sizeof(rsdp_v2));
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	ck_assert_uint_eq(bi.rsdp_len, 36);
	ck_assert(memcmp(bi.rsdp, rsdp_v2, 36) == 0);
}
END_TEST

START_TEST(test_rsdp_short)
{
	mb_begin_with_map();
	mb_tag(14, rsdp_v1, 12);
	mb_tag(15, rsdp_v2, 20);
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	ck_assert_uint_eq(bi.rsdp_len, 0);
	ck_assert_uint_eq(bi.warnings, 2);
	ck_assert_str_eq(host_log(),
			 "multiboot2: tag type 14 is 20 bytes, need at least 28, ignored\n"
			 "multiboot2: tag type 15 is 28 bytes, need at least 44, ignored\n");
}
END_TEST

START_TEST(test_unknown_tags_ignored)
{
	static const u8 junk[40] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };

	mb_begin();
	mb_tag(8, junk, sizeof(junk));		/* framebuffer */
	mb_tag(21, junk, 4);			/* load base address */
	mb_tag(0x7777, junk, 13);
	mb_tag(5, junk, 0);			/* BIOS boot device, empty */
	mb_string(1, "after");
	mb_meminfo(640, 1024);
	mb_mmap((const struct mmap_entry[]){ { 0x100000, 0x100000, T_AVAIL, 0 } }, 1);
	mb_end();
	ck_assert_int_eq(parse_image(), 0);
	ck_assert_str_eq(bi.cmdline, "after");
	ck_assert_uint_eq(bi.nmem, 1);
	ck_assert_uint_eq(bi.warnings, 0);
	ck_assert_str_eq(host_log(), "");
}
END_TEST

START_TEST(test_info_max_larger_than_total)
{
	mb_begin_with_map();
	mb_string(1, "hi");
	mb_end();
	/* Garbage after total_size must not be read as tags. */
	ck_assert_int_eq(parse_bytes(MB2_BOOTLOADER_MAGIC, image, image_len, image_len + 4096), 0);
	ck_assert_str_eq(bi.cmdline, "hi");
	ck_assert_uint_eq(bi.warnings, 0);
	ck_assert_uint_eq(bi.info_end, INFO_PA + image_len);
}
END_TEST

/* A small deterministic generator for the randomized tests. */
static u64 rng_state;

static u32 rng(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (u32)(rng_state >> 33);
}

#define GRANULE  0x100UL
#define NGRANULE 1024	/* a 256 KiB address space in 256-byte steps */

/* The per-granule types mb2_parse should produce for the given entries. */
static void model_map(const struct mmap_entry *e, u32 n, u8 *model)
{
	static const u8 enum_of[] = { 0, MEM_USABLE, MEM_RESERVED, MEM_ACPI_RECLAIM,
				      MEM_ACPI_NVS, MEM_BAD };

	memset(model, 0, NGRANULE);
	for (u32 i = 0; i < n; i++) {
		u8 t = e[i].type <= 5 ? enum_of[e[i].type] : MEM_RESERVED;

		for (u64 g = e[i].base / GRANULE; g < (e[i].base + e[i].len) / GRANULE; g++)
			if (t > model[g])
				model[g] = t;
	}
	for (u32 g = 0; g < NGRANULE;) {
		u32 end = g;

		if (model[g] != MEM_USABLE) {
			g++;
			continue;
		}
		while (end < NGRANULE && model[end] == MEM_USABLE)
			end++;
		for (u32 k = g; k < end; k++) {
			u64 a = k * GRANULE;

			if (a < ALIGN_UP(g * GRANULE, PAGE_SIZE) || a >= ALIGN_DOWN(end * GRANULE, PAGE_SIZE))
				model[k] = 0;
		}
		g = end;
	}
}

START_TEST(test_random_maps_match_model)
{
	static const u32 types[] = { T_AVAIL, T_AVAIL, T_AVAIL, T_RSVD, T_ACPI, T_NVS, T_BAD, 9 };
	struct mmap_entry e[24];
	u8 model[NGRANULE], got[NGRANULE];

	rng_state = 12345;
	for (int iter = 0; iter < 3000; iter++) {
		u32 n = 1 + rng() % 24;

		for (u32 i = 0; i < n; i++) {
			u32 g = rng() % NGRANULE;

			e[i].base = g * GRANULE;
			e[i].len = (1 + rng() % (rng() % 2 ? 16 : NGRANULE - g)) * GRANULE;
			if (e[i].base + e[i].len > NGRANULE * GRANULE)
				e[i].len = NGRANULE * GRANULE - e[i].base;
			e[i].type = types[rng() % 8];
			e[i].zero = 0;
		}
		parse_map(e, n);
		ck_assert_uint_eq(bi.warnings, 0);
		model_map(e, n, model);
		memset(got, 0, sizeof(got));
		for (u32 i = 0; i < bi.nmem; i++) {
			ck_assert_uint_eq(bi.mem[i].base % GRANULE, 0);
			ck_assert_uint_eq(bi.mem[i].len % GRANULE, 0);
			for (u64 g = bi.mem[i].base / GRANULE;
			     g < (bi.mem[i].base + bi.mem[i].len) / GRANULE; g++)
				got[g] = (u8)bi.mem[i].type;
		}
		ck_assert_msg(memcmp(got, model, NGRANULE) == 0, "iteration %d differs", iter);
	}
}
END_TEST

START_TEST(test_random_garbage)
{
	static const u32 tag_types[] = { 1, 2, 3, 4, 6, 6, 6, 14, 15, 0, 8, 21, 99 };
	static u8 buf[1024] __attribute__((aligned(8)));

	rng_state = 987654321;
	for (int iter = 0; iter < 20000; iter++) {
		u32 len = 8 + rng() % (sizeof(buf) - 8);
		u32 off = 8;

		for (u32 i = 0; i < len; i++)
			buf[i] = (u8)rng();
		/* Mostly plausible tag headers, with random sizes. */
		while (off + 8 <= len && rng() % 8) {
			u32 type = tag_types[rng() % 13];
			u32 size = rng() % 4 ? 8 + rng() % (len - off) : rng();

			if (type == 6 && off + 16 <= len && rng() % 4) {
				u32 es = rng() % 3 ? 24 : rng() % 48;

				memcpy(buf + off + 8, &es, 4);
			}
			memcpy(buf + off, &type, 4);
			memcpy(buf + off + 4, &size, 4);
			off += (size + 7) & ~7u;
		}
		u32 total = rng() % 8 ? len : rng() % (len + 16);

		memcpy(buf, &total, 4);
		(void)parse_bytes(MB2_BOOTLOADER_MAGIC, buf, len, len);
	}
}
END_TEST

Suite *multiboot2_suite(void)
{
	Suite *s = suite_create("multiboot2");
	TCase *tc = tcase_create("memory_map");

	tcase_add_test(tc, test_normal_boot);
	tcase_add_test(tc, test_usable_inside_reserved);
	tcase_add_test(tc, test_reserved_splits_usable);
	tcase_add_test(tc, test_unaligned_reserved_inside_usable);
	tcase_add_test(tc, test_partial_overlaps);
	tcase_add_test(tc, test_duplicates_and_adjacent);
	tcase_add_test(tc, test_unsorted);
	tcase_add_test(tc, test_unaligned_usable);
	tcase_add_test(tc, test_zero_length);
	tcase_add_test(tc, test_absurd_entries);
	tcase_add_test(tc, test_entry_clipped_at_limit);
	tcase_add_test(tc, test_too_many_entries);
	tcase_add_test(tc, test_sanitized_map_full);
	tcase_add_test(tc, test_entry_size_and_trailing);
	tcase_add_test(tc, test_bad_entry_size);
	tcase_add_test(tc, test_basic_meminfo_fallback);
	tcase_add_test(tc, test_invalid_map_falls_back);
	tcase_add_test(tc, test_no_memory_information);
	suite_add_tcase(s, tc);

	tc = tcase_create("tags");
	tcase_add_test(tc, test_missing_cmdline);
	tcase_add_test(tc, test_long_cmdline);
	tcase_add_test(tc, test_cmdline_exactly_fits);
	tcase_add_test(tc, test_unterminated_strings);
	tcase_add_test(tc, test_long_loader_name);
	tcase_add_test(tc, test_tag_runs_past_total);
	tcase_add_test(tc, test_tag_overruns_by_a_little);
	tcase_add_test(tc, test_tag_size_too_small);
	tcase_add_test(tc, test_total_cuts_tag);
	tcase_add_test(tc, test_no_end_tag);
	tcase_add_test(tc, test_tag_without_padding_at_end);
	tcase_add_test(tc, test_bad_magic);
	tcase_add_test(tc, test_bad_total_size);
	tcase_add_test(tc, test_minimal_structure);
	tcase_add_test(tc, test_modules);
	tcase_add_test(tc, test_too_many_modules);
	tcase_add_test(tc, test_module_long_name_and_short_tag);
	tcase_add_test(tc, test_rsdp_v1);
	tcase_add_test(tc, test_rsdp_v2);
	tcase_add_test(tc, test_rsdp_v2_wins);
	tcase_add_test(tc, test_rsdp_short);
	tcase_add_test(tc, test_unknown_tags_ignored);
	tcase_add_test(tc, test_info_max_larger_than_total);
	suite_add_tcase(s, tc);

	tc = tcase_create("randomized");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_random_maps_match_model);
	tcase_add_test(tc, test_random_garbage);
	suite_add_tcase(s, tc);
	return s;
}
