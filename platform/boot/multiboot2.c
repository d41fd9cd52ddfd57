/*
 * Multiboot2 boot information: parsing and memory map sanitization.
 *
 * Everything the boot loader hands over is untrusted input. Every read
 * is bounds-checked against the structure's total_size, which is itself
 * bounded by the caller's info_max, and all multi-byte fields are read
 * bytewise so no alignment is assumed. Each problem found is printed as
 * one "multiboot2: ..." line and counted in boot_info.warnings.
 */
#include <kevlar/boot.h>
#include <kevlar/compiler.h>
#include <kevlar/errno.h>
#include <kevlar/printk.h>
#include <kevlar/string.h>
#include <kevlar/types.h>

/* Tag types (Multiboot2 specification, section 3.6). */
#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_LOADER_NAME	2
#define MB2_TAG_MODULE		3
#define MB2_TAG_BASIC_MEMINFO	4
#define MB2_TAG_MMAP		6
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15

#define MB2_INFO_HDR		8	/* u32 total_size, u32 reserved */
#define MB2_TAG_HDR		8	/* u32 type, u32 size */
#define MB2_TAG_ALIGN		8
#define MB2_MODULE_HDR		16	/* header, u32 mod_start, u32 mod_end */
#define MB2_MEMINFO_SIZE	16	/* header, u32 mem_lower, u32 mem_upper */
#define MB2_MMAP_HDR		16	/* header, u32 entry_size, u32 entry_version */
#define MB2_MMAP_ENTRY		24	/* u64 base, u64 length, u32 type, u32 0 */
#define RSDP_V1_LEN		20
#define RSDP_V2_LEN		36

/* Memory map entry types as the loader reports them. */
#define MB2_MEM_AVAILABLE	1
#define MB2_MEM_ACPI_RECLAIM	3
#define MB2_MEM_NVS		4
#define MB2_MEM_BADRAM		5

#define KIB 1024UL
#define LOW_MEM_END (1024 * KIB)	/* basic meminfo's mem_upper starts here */

/* What one mb2_parse() call has gathered so far. */
struct mb2_state {
	struct boot_info *out;
	struct mem_range raw[BOOT_MAX_MEMRANGES];	/* validated, unsorted */
	u32 nraw;
	u32 entries_seen;	/* memory map entries met, valid or not */
	bool raw_full_reported;
	u32 modules_seen;
	bool have_meminfo;
	u32 mem_lower_kib;
	u32 mem_upper_kib;
};

/*
 * mb2_parse() runs once on the boot CPU before anything else, so its
 * scratch state is static: this keeps 3 KiB off the early boot stack.
 */
static struct mb2_state mb2_scratch;

/* Prints one warning line and counts it: every line printed is counted. */
static __printf(2, 3) void mb2_warn(struct boot_info *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	out->warnings++;
}

/* Reads a little-endian u32 at p, whatever p's alignment. */
static u32 get_u32(const u8 *p)
{
	u32 v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

/* Reads a little-endian u64 at p, whatever p's alignment. */
static u64 get_u64(const u8 *p)
{
	u64 v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * Copies the string in [src, src + avail) into dst (dstsize bytes) and
 * NUL-terminates it, reading nothing past avail. Warns when the string
 * has no NUL within the tag or does not fit.
 */
static void copy_tag_string(struct boot_info *out, char *dst, size_t dstsize,
			    const u8 *src, size_t avail, const char *what)
{
	size_t len = 0;

	while (len < avail && src[len])
		len++;
	if (len == avail)
		mb2_warn(out, "multiboot2: %s is not NUL-terminated\n", what);
	if (len >= dstsize) {
		mb2_warn(out, "multiboot2: %s is %zu bytes, truncated to %zu\n",
			 what, len, dstsize - 1);
		len = dstsize - 1;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* Records a module tag (size >= MB2_MODULE_HDR) unless it is unusable. */
static void parse_module(struct mb2_state *st, const u8 *tag, u32 size)
{
	struct boot_info *out = st->out;
	u32 index = st->modules_seen++;
	paddr_t start = get_u32(tag + 8);
	paddr_t end = get_u32(tag + 12);
	struct boot_module *mod;

	if (out->nmods >= BOOT_MAX_MODULES) {
		mb2_warn(out, "multiboot2: more than %d modules, module %u ignored\n",
			 BOOT_MAX_MODULES, index);
		return;
	}
	if (end <= start) {
		mb2_warn(out, "multiboot2: module %u [0x%lx-0x%lx] is empty or inverted, ignored\n",
			 index, start, end);
		return;
	}
	if (end > BOOT_MAX_PHYS) {
		mb2_warn(out, "multiboot2: module %u [0x%lx-0x%lx] lies beyond 0x%lx, ignored\n",
			 index, start, end, BOOT_MAX_PHYS);
		return;
	}
	mod = &out->mods[out->nmods++];
	mod->start = start;
	mod->end = end;
	copy_tag_string(out, mod->name, sizeof(mod->name), tag + MB2_MODULE_HDR,
			size - MB2_MODULE_HDR, "module name");
}

/* Translates a loader memory type; unknown types count as reserved. */
static u32 mem_type_of(u32 mb2_type)
{
	switch (mb2_type) {
	case MB2_MEM_AVAILABLE:
		return MEM_USABLE;
	case MB2_MEM_ACPI_RECLAIM:
		return MEM_ACPI_RECLAIM;
	case MB2_MEM_NVS:
		return MEM_ACPI_NVS;
	case MB2_MEM_BADRAM:
		return MEM_BAD;
	default:
		return MEM_RESERVED;
	}
}

/*
 * Adds one memory map entry to the raw list after validating it: empty
 * entries and entries starting at or above BOOT_MAX_PHYS are dropped,
 * entries reaching past it are clipped. Warns about each.
 */
static void add_raw_range(struct mb2_state *st, u64 base, u64 len, u32 type)
{
	struct boot_info *out = st->out;
	u32 index = st->entries_seen++;
	struct mem_range *r;

	if (st->nraw >= BOOT_MAX_MEMRANGES) {
		if (!st->raw_full_reported)
			mb2_warn(out, "multiboot2: memory map has more than %d entries, entry %u and later ignored\n",
				 BOOT_MAX_MEMRANGES, index);
		st->raw_full_reported = true;
		return;
	}
	if (len == 0) {
		mb2_warn(out, "multiboot2: memory map entry %u [0x%lx-0x%lx] has zero length, ignored\n",
			 index, base, base);
		return;
	}
	if (base >= BOOT_MAX_PHYS) {
		mb2_warn(out, "multiboot2: memory map entry %u base 0x%lx length 0x%lx lies beyond 0x%lx, ignored\n",
			 index, base, len, BOOT_MAX_PHYS);
		return;
	}
	if (len > BOOT_MAX_PHYS - base) {
		mb2_warn(out, "multiboot2: memory map entry %u base 0x%lx length 0x%lx ends beyond 0x%lx, clipped\n",
			 index, base, len, BOOT_MAX_PHYS);
		len = BOOT_MAX_PHYS - base;
	}
	r = &st->raw[st->nraw++];
	r->base = base;
	r->len = len;
	r->type = type;
}

/* Reads the entries of a memory map tag (size >= MB2_MMAP_HDR). */
static void parse_mmap(struct mb2_state *st, const u8 *tag, u32 size)
{
	u32 entry_size = get_u32(tag + 8);
	u32 body = size - MB2_MMAP_HDR;

	if (entry_size < MB2_MMAP_ENTRY) {
		mb2_warn(st->out, "multiboot2: memory map entry_size %u is below %d, tag ignored\n",
			 entry_size, MB2_MMAP_ENTRY);
		return;
	}
	if (body % entry_size)
		mb2_warn(st->out, "multiboot2: memory map tag has %u trailing bytes, ignored\n",
			 body % entry_size);
	for (u32 i = 0; i < body / entry_size; i++) {
		const u8 *e = tag + MB2_MMAP_HDR + (size_t)i * entry_size;

		add_raw_range(st, get_u64(e), get_u64(e + 8),
			      mem_type_of(get_u32(e + 16)));
	}
}

/* Keeps a copy of the RSDP in an ACPI tag; a v2 copy wins over v1. */
static void parse_rsdp(struct boot_info *out, const u8 *tag, u32 len)
{
	if (len == RSDP_V1_LEN && out->rsdp_len == RSDP_V2_LEN)
		return;
	memcpy(out->rsdp, tag + MB2_TAG_HDR, len);
	out->rsdp_len = len;
}

/* The smallest valid size of a tag of this type. */
static u32 tag_min_size(u32 type)
{
	switch (type) {
	case MB2_TAG_MODULE:
		return MB2_MODULE_HDR;
	case MB2_TAG_BASIC_MEMINFO:
		return MB2_MEMINFO_SIZE;
	case MB2_TAG_MMAP:
		return MB2_MMAP_HDR;
	case MB2_TAG_ACPI_OLD:
		return MB2_TAG_HDR + RSDP_V1_LEN;
	case MB2_TAG_ACPI_NEW:
		return MB2_TAG_HDR + RSDP_V2_LEN;
	default:
		return MB2_TAG_HDR;
	}
}

/* Handles one tag whose size lies within the structure; ignores unknown ones. */
static void parse_tag(struct mb2_state *st, u32 type, const u8 *tag, u32 size)
{
	struct boot_info *out = st->out;
	u32 min = tag_min_size(type);

	if (size < min) {
		mb2_warn(out, "multiboot2: tag type %u is %u bytes, need at least %u, ignored\n",
			 type, size, min);
		return;
	}
	switch (type) {
	case MB2_TAG_CMDLINE:
		copy_tag_string(out, out->cmdline, sizeof(out->cmdline),
				tag + MB2_TAG_HDR, size - MB2_TAG_HDR, "command line");
		out->has_cmdline = true;
		break;
	case MB2_TAG_LOADER_NAME:
		copy_tag_string(out, out->loader_name, sizeof(out->loader_name),
				tag + MB2_TAG_HDR, size - MB2_TAG_HDR, "boot loader name");
		break;
	case MB2_TAG_MODULE:
		parse_module(st, tag, size);
		break;
	case MB2_TAG_BASIC_MEMINFO:
		st->have_meminfo = true;
		st->mem_lower_kib = get_u32(tag + 8);
		st->mem_upper_kib = get_u32(tag + 12);
		break;
	case MB2_TAG_MMAP:
		parse_mmap(st, tag, size);
		break;
	case MB2_TAG_ACPI_OLD:
		parse_rsdp(out, tag, RSDP_V1_LEN);
		break;
	case MB2_TAG_ACPI_NEW:
		parse_rsdp(out, tag, RSDP_V2_LEN);
		break;
	default:
		break;
	}
}

/*
 * Walks the tags in info[MB2_INFO_HDR, total). Stops at the end tag, or
 * with a warning at the first tag whose header or size does not fit.
 */
static void walk_tags(struct mb2_state *st, const u8 *info, u32 total)
{
	u64 off = MB2_INFO_HDR;
	u32 index = 0;

	while (off + MB2_TAG_HDR <= total) {
		u32 type = get_u32(info + off);
		u32 size = get_u32(info + off + 4);

		if (type == MB2_TAG_END)
			return;
		if (size < MB2_TAG_HDR || size > total - off) {
			mb2_warn(st->out, "multiboot2: tag %u (type %u) at offset %lu has bad size %u (%lu bytes left), rest ignored\n",
				 index, type, off, size, total - off);
			return;
		}
		parse_tag(st, type, info + off, size);
		off += ALIGN_UP((u64)size, MB2_TAG_ALIGN);
		index++;
	}
	mb2_warn(st->out, "multiboot2: no end tag within total_size %u, structure truncated\n",
		 total);
}

/* Without a usable memory map, derives the raw ranges from basic meminfo. */
static void use_basic_meminfo(struct mb2_state *st)
{
	if (!st->have_meminfo) {
		mb2_warn(st->out, "multiboot2: no memory map and no basic meminfo, no memory known\n");
		return;
	}
	mb2_warn(st->out, "multiboot2: no valid memory map, using basic meminfo (lower %u KiB, upper %u KiB)\n",
		 st->mem_lower_kib, st->mem_upper_kib);
	if (st->mem_lower_kib)
		add_raw_range(st, 0, st->mem_lower_kib * KIB, MEM_USABLE);
	if (st->mem_upper_kib)
		add_raw_range(st, LOW_MEM_END, st->mem_upper_kib * KIB, MEM_USABLE);
}

/* The highest type among raw ranges covering address x, or 0 if none. */
static u32 type_at(const struct mb2_state *st, u64 x)
{
	u32 type = 0;

	for (u32 i = 0; i < st->nraw; i++) {
		const struct mem_range *r = &st->raw[i];

		if (r->base <= x && x - r->base < r->len && r->type > type)
			type = r->type;
	}
	return type;
}

/* Finds the lowest range start or end above x; false if there is none. */
static bool next_boundary(const struct mb2_state *st, u64 x, u64 *next)
{
	u64 best = ~0ULL;
	bool found = false;

	for (u32 i = 0; i < st->nraw; i++) {
		u64 b = st->raw[i].base, e = b + st->raw[i].len;

		if (b > x && b <= best) {
			best = b;
			found = true;
		}
		if (e > x && e <= best) {
			best = e;
			found = true;
		}
	}
	*next = best;
	return found;
}

/*
 * Appends [base, end) of the given type to the sanitized map, merging it
 * into the previous range when they touch and share a type. Returns
 * false (with a warning) when the map is full.
 */
static bool append_range(struct boot_info *out, u64 base, u64 end, u32 type)
{
	struct mem_range *last = out->nmem ? &out->mem[out->nmem - 1] : NULL;

	if (last && last->type == type && last->base + last->len == base) {
		last->len = end - last->base;
		return true;
	}
	if (out->nmem >= BOOT_MAX_MEMRANGES) {
		mb2_warn(out, "multiboot2: sanitized memory map needs more than %d ranges, ranges from 0x%lx on ignored\n",
			 BOOT_MAX_MEMRANGES, base);
		return false;
	}
	out->mem[out->nmem].base = base;
	out->mem[out->nmem].len = end - base;
	out->mem[out->nmem].type = type;
	out->nmem++;
	return true;
}

/* Shrinks MEM_USABLE ranges inward to whole pages, dropping empty ones. */
static void trim_usable(struct boot_info *out)
{
	u32 kept = 0;

	for (u32 i = 0; i < out->nmem; i++) {
		struct mem_range r = out->mem[i];

		if (r.type == MEM_USABLE) {
			u64 base = ALIGN_UP(r.base, PAGE_SIZE);
			u64 end = ALIGN_DOWN(r.base + r.len, PAGE_SIZE);

			if (end <= base)
				continue;
			r.base = base;
			r.len = end - base;
		}
		out->mem[kept++] = r;
	}
	out->nmem = kept;
}

/*
 * Builds out->mem from the raw ranges: sorted, non-overlapping, the
 * highest type winning wherever ranges overlap, touching ranges of one
 * type merged, and usable ranges trimmed to pages.
 */
static void build_memory_map(struct mb2_state *st)
{
	u64 x = 0, next = 0;

	for (u32 i = 0; i < st->nraw; i++)
		if (i == 0 || st->raw[i].base < x)
			x = st->raw[i].base;
	while (st->nraw && next_boundary(st, x, &next)) {
		u32 type = type_at(st, x);

		if (type && !append_range(st->out, x, next, type))
			break;
		x = next;
	}
	trim_usable(st->out);
}

/*
 * Parses the Multiboot2 information at info (physical address info_pa),
 * reading at most min(total_size, info_max) bytes. Fills *out and returns
 * 0, or returns -EINVAL when the magic or the header is unusable.
 */
int mb2_parse(u32 magic, const void *info, paddr_t info_pa, size_t info_max,
	      struct boot_info *out)
{
	struct mb2_state *st = &mb2_scratch;
	u32 total;

	memset(out, 0, sizeof(*out));
	memset(st, 0, sizeof(*st));
	st->out = out;
	if (magic != MB2_BOOTLOADER_MAGIC) {
		mb2_warn(out, "multiboot2: bad magic 0x%x (expected 0x%x)\n",
			 magic, MB2_BOOTLOADER_MAGIC);
		return -EINVAL;
	}
	if (!info || info_max < MB2_INFO_HDR) {
		mb2_warn(out, "multiboot2: info structure unreadable (%zu bytes available)\n",
			 info ? info_max : 0);
		return -EINVAL;
	}
	total = get_u32(info);
	if (total < MB2_INFO_HDR || total > info_max) {
		mb2_warn(out, "multiboot2: total_size %u outside [%d, %zu]\n",
			 total, MB2_INFO_HDR, info_max);
		return -EINVAL;
	}
	out->info_start = info_pa;
	out->info_end = info_pa + total;
	walk_tags(st, info, total);
	if (st->nraw == 0)
		use_basic_meminfo(st);
	build_memory_map(st);
	return 0;
}

/* Sums the lengths of the MEM_USABLE ranges in bi's sanitized map. */
u64 boot_usable_bytes(const struct boot_info *bi)
{
	u64 sum = 0;

	for (u32 i = 0; i < bi->nmem && i < BOOT_MAX_MEMRANGES; i++)
		if (bi->mem[i].type == MEM_USABLE)
			sum += bi->mem[i].len;
	return sum;
}
