/*
 * exec's checks of what it is asked to run (core/exec/elf.c, script.c):
 * a sound static executable and PIE pass with the facts exec needs, and
 * every malformed header is refused with -ENOEXEC; "#!" lines parse as
 * Linux's binfmt_script parses them.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kevlar/errno.h>
#include <kevlar/vm.h>

#include "elf.h"
#include "suites.h"

#define FILE_SIZE 0x3000

struct image {
	struct elf64_ehdr eh;
	struct elf64_phdr ph[6];
};

/* A static executable: text at 0x400000 (the headers in it), data and
 * bss above, a non-executable stack. */
static struct image good(void)
{
	struct image im;

	memset(&im, 0, sizeof(im));
	memcpy(im.eh.e_ident, "\x7f" "ELF", 4);
	im.eh.e_ident[EI_CLASS] = ELFCLASS64;
	im.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	im.eh.e_ident[EI_VERSION] = EV_CURRENT;
	im.eh.e_type = ET_EXEC;
	im.eh.e_machine = EM_X86_64;
	im.eh.e_version = EV_CURRENT;
	im.eh.e_entry = 0x400100;
	im.eh.e_phoff = sizeof(im.eh);
	im.eh.e_ehsize = sizeof(im.eh);
	im.eh.e_phentsize = sizeof(struct elf64_phdr);
	im.eh.e_phnum = 3;
	im.ph[0] = (struct elf64_phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
		.p_offset = 0, .p_vaddr = 0x400000, .p_filesz = 0x1800,
		.p_memsz = 0x1800, .p_align = 0x1000 };
	im.ph[1] = (struct elf64_phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W,
		.p_offset = 0x1800, .p_vaddr = 0x402800, .p_filesz = 0x100,
		.p_memsz = 0x3000, .p_align = 0x1000 };
	im.ph[2] = (struct elf64_phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W };
	return im;
}

static int check(const struct image *im, u64 file_size, struct elf_info *info)
{
	return elf_check(im, sizeof(*im), file_size, info);
}

static int check_bad(struct image im)
{
	struct elf_info info;

	return check(&im, FILE_SIZE, &info);
}

START_TEST(static_executable)
{
	struct image im = good();
	struct elf_info info;

	ck_assert_int_eq(check(&im, FILE_SIZE, &info), 0);
	ck_assert_uint_eq(info.type, ET_EXEC);
	ck_assert_uint_eq(info.entry, 0x400100);
	ck_assert_uint_eq(info.lo, 0x400000);
	ck_assert_uint_eq(info.hi, 0x406000);
	ck_assert_uint_eq(info.brk, 0x405800);
	ck_assert_uint_eq(info.phdr_vaddr, 0x400040);
	ck_assert_uint_eq(info.phnum, 3);
	ck_assert(!info.has_interp);
	ck_assert(!info.exec_stack);
}
END_TEST

START_TEST(pie_with_interpreter)
{
	struct image im = good();
	struct elf_info info;

	im.eh.e_type = ET_DYN;
	im.ph[0].p_vaddr = 0;
	im.ph[1].p_vaddr = 0x2800;
	im.eh.e_entry = 0x100;
	im.ph[3] = (struct elf64_phdr){ .p_type = PT_INTERP, .p_offset = 0x200,
		.p_filesz = 28 };
	im.ph[2].p_flags |= PF_X;
	im.ph[4].p_type = PT_NULL;
	im.eh.e_phnum = 5;
	ck_assert_int_eq(check(&im, FILE_SIZE, &info), 0);
	ck_assert_uint_eq(info.lo, 0);
	ck_assert(info.has_interp);
	ck_assert_uint_eq(info.interp_offset, 0x200);
	ck_assert_uint_eq(info.interp_size, 28);
	ck_assert(info.exec_stack);
	/* Two interpreters are one too many. */
	im.ph[4] = im.ph[3];
	ck_assert_int_eq(check(&im, FILE_SIZE, &info), -ENOEXEC);
}
END_TEST

START_TEST(segments_may_share_a_page)
{
	struct image im = good();
	struct elf_info info;

	im.ph[1].p_vaddr = 0x401800;   /* same page as the end of text */
	ck_assert_int_eq(check(&im, FILE_SIZE, &info), 0);
	im.ph[1].p_vaddr = 0x4017f0;   /* but not the same byte */
	im.ph[1].p_offset = 0x17f0;
	ck_assert_int_eq(check(&im, FILE_SIZE, &info), -ENOEXEC);
}
END_TEST

START_TEST(bad_header)
{
	struct image im;
	struct elf_info info;

	im = good(); im.eh.e_ident[0] = 0x7e;
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.eh.e_ident[3] = 'G';
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.eh.e_ident[EI_CLASS] = 1;            /* ELFCLASS32 */
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.eh.e_ident[EI_DATA] = 2;             /* big endian */
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.eh.e_ident[EI_VERSION] = 0;
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.eh.e_version = 2;
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.eh.e_type = 1;                       /* ET_REL */
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.eh.e_type = 4;                       /* ET_CORE */
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.eh.e_machine = 3;                    /* EM_386 */
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.eh.e_phentsize = 32;
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.eh.e_phnum = 0;
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.eh.e_phnum = 0xffff;                 /* PN_XNUM: table too big */
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	/* The table past the end of the file, or of the bytes given. */
	im = good(); im.eh.e_phoff = FILE_SIZE - 8;
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.eh.e_phoff = (u64)-8;
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.eh.e_phoff = 0x1000;
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	/* Too short to be ELF at all. */
	im = good();
	ck_assert_int_eq(elf_check(&im, 63, FILE_SIZE, &info), -ENOEXEC);
	ck_assert_int_eq(elf_check(&im, sizeof(im), 40, &info), -ENOEXEC);
}
END_TEST

START_TEST(bad_segments)
{
	struct image im;

	im = good(); im.ph[1].p_filesz = 0x3001;             /* filesz > memsz */
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.ph[1].p_offset = FILE_SIZE - 0x80 + 0x800;   /* data past EOF */
	im.ph[1].p_vaddr = 0x402000 + ((FILE_SIZE - 0x80 + 0x800) & 0xfff);
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.ph[1].p_offset = (u64)-0x800;       /* offset wraps */
	im.ph[1].p_vaddr = 0x402800;
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.ph[1].p_offset = 0x1900;             /* offset != vaddr mod page */
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.ph[1].p_align = 0x1800;              /* not a power of two */
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.ph[1].p_memsz = (u64)-0x100;         /* wraps */
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.ph[1].p_vaddr = USER_TOP + 0x800;    /* kernel half */
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.ph[1].p_memsz = USER_TOP;            /* past the top */
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.ph[1].p_vaddr = 0x400800;            /* overlaps text */
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good();                                          /* out of order */
	struct elf64_phdr t = im.ph[0]; im.ph[0] = im.ph[1]; im.ph[1] = t;
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.ph[0].p_type = PT_NOTE; im.ph[1].p_type = PT_NOTE;   /* no PT_LOAD */
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.eh.e_entry = 0x3ff000;               /* entry outside */
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.eh.e_entry = 0x406000;               /* just past bss */
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im = good(); im.ph[0].p_vaddr = 0x1000; im.eh.e_entry = 0x1100;   /* page zero-ish */
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	/* A span no program has. */
	im = good(); im.eh.e_type = ET_DYN; im.ph[0].p_vaddr = 0; im.eh.e_entry = 0x100;
	im.ph[1].p_vaddr = ELF_MAX_SPAN + 0x800;
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
}
END_TEST

START_TEST(bad_interpreter_segment)
{
	struct image im;

	im = good(); im.eh.e_phnum = 4;
	im.ph[3] = (struct elf64_phdr){ .p_type = PT_INTERP, .p_offset = 0x200, .p_filesz = 1 };
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im.ph[3].p_filesz = ELF_MAX_INTERP + 1;
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im.ph[3].p_filesz = 0x20;
	im.ph[3].p_offset = FILE_SIZE - 0x10;
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
	im.ph[3].p_offset = (u64)-0x10;
	ck_assert_int_eq(check_bad(im), -ENOEXEC);
}
END_TEST

/* Every single-byte corruption of the headers is either refused or still
 * describes a sound image; none may crash the checker (ASan watches). */
START_TEST(every_byte_flip)
{
	struct image base = good();
	struct elf_info info;

	for (size_t i = 0; i < sizeof(base.eh) + 3 * sizeof(struct elf64_phdr); i++) {
		for (int bit = 0; bit < 8; bit++) {
			struct image im = base;
			((u8 *)&im)[i] ^= (u8)(1 << bit);
			int r = check(&im, FILE_SIZE, &info);
			if (r == 0 && !(info.entry >= info.lo && info.entry < info.hi))
				ck_abort_msg("byte %zu bit %d: entry outside", i, bit);
			if (r != 0 && r != -ENOEXEC)
				ck_abort_msg("byte %zu bit %d: %d", i, bit, r);
		}
	}
}
END_TEST

/* The test program itself: a real PIE with an interpreter. */
START_TEST(real_binary)
{
	static u8 head[4096];
	struct elf_info info;
	FILE *f = fopen("/proc/self/exe", "rb");
	size_t n;
	long size;

	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	ck_assert_int_eq(elf_check(head, n, (u64)size, &info), 0);
	ck_assert_uint_eq(info.type, ET_DYN);
	ck_assert(info.has_interp);
	ck_assert_uint_ne(info.phdr_vaddr, 0);
}
END_TEST

static int parse(const char *line, char *interp, char *arg, bool *has_arg)
{
	return script_parse(line, strlen(line), interp, arg, has_arg);
}

START_TEST(script_lines)
{
	char interp[SCRIPT_BUF_SIZE], arg[SCRIPT_BUF_SIZE];
	bool has;

	ck_assert_int_eq(parse("#!/bin/sh\necho hi\n", interp, arg, &has), 0);
	ck_assert_str_eq(interp, "/bin/sh");
	ck_assert(!has);
	ck_assert_int_eq(parse("#! \t/bin/sh  -e \t\n", interp, arg, &has), 0);
	ck_assert_str_eq(interp, "/bin/sh");
	ck_assert(has);
	ck_assert_str_eq(arg, "-e");
	/* One argument, inner blanks kept (Linux does not split it). */
	ck_assert_int_eq(parse("#!/usr/bin/env python3  -u\n", interp, arg, &has), 0);
	ck_assert_str_eq(interp, "/usr/bin/env");
	ck_assert_str_eq(arg, "python3  -u");
	ck_assert_int_eq(parse("#!/bin/sh\t-x\n", interp, arg, &has), 0);
	ck_assert_str_eq(arg, "-x");
	/* No newline, but the file ends: fine. */
	ck_assert_int_eq(parse("#!/bin/busybox", interp, arg, &has), 0);
	ck_assert_str_eq(interp, "/bin/busybox");
	ck_assert(!has);
	ck_assert_int_eq(parse("#!\n", interp, arg, &has), -ENOEXEC);
	ck_assert_int_eq(parse("#!   \t \n", interp, arg, &has), -ENOEXEC);
	/* Linux takes the NUL padding for an empty name (exec: -ENOENT). */
	ck_assert_int_eq(parse("#!", interp, arg, &has), 0);
	ck_assert_str_eq(interp, "");
	ck_assert_int_eq(parse("#/bin/sh\n", interp, arg, &has), -ENOEXEC);
	ck_assert_int_eq(parse("\x7f" "ELF", interp, arg, &has), -ENOEXEC);
}
END_TEST

START_TEST(script_long_lines)
{
	char line[400], interp[SCRIPT_BUF_SIZE], arg[SCRIPT_BUF_SIZE];
	bool has;

	/* An interpreter name that does not end within 256 bytes. */
	memset(line, 'x', sizeof(line));
	memcpy(line, "#!/", 3);
	ck_assert_int_eq(script_parse(line, sizeof(line), interp, arg, &has), -ENOEXEC);
	/* A name that ends, and an argument cut at the buffer's end. */
	memcpy(line, "#!/bin/sh -", 11);
	ck_assert_int_eq(script_parse(line, sizeof(line), interp, arg, &has), 0);
	ck_assert_str_eq(interp, "/bin/sh");
	ck_assert_uint_eq(strlen(arg), SCRIPT_BUF_SIZE - 1 - 10);
}
END_TEST

Suite *vm_elf_suite(void)
{
	Suite *s = suite_create("vm_elf");
	TCase *tc = tcase_create("elf");

	tcase_add_test(tc, static_executable);
	tcase_add_test(tc, pie_with_interpreter);
	tcase_add_test(tc, segments_may_share_a_page);
	tcase_add_test(tc, bad_header);
	tcase_add_test(tc, bad_segments);
	tcase_add_test(tc, bad_interpreter_segment);
	tcase_add_test(tc, every_byte_flip);
	tcase_add_test(tc, real_binary);
	tcase_add_test(tc, script_lines);
	tcase_add_test(tc, script_long_lines);
	suite_add_tcase(s, tc);
	return s;
}
