/* A program whose PT_INTERP names a bad interpreter is refused as Linux
 * refuses it (ENOENT, EACCES, ELIBBAD, ENOEXEC), and nothing breaks. */
#include "usertest.h"
#include <elf.h>
#include <sys/stat.h>

#define LOAD_ADDR 0x400000UL

static const char *dir;

/* An ET_EXEC with a PT_INTERP naming 'interp' (NUL-terminated unless
 * 'unterminated') and one PT_LOAD covering the file. */
static size_t make_program(unsigned char *buf, size_t size, const char *interp,
			   int unterminated)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	Elf64_Phdr *ph = (Elf64_Phdr *)(buf + sizeof(*eh));
	size_t at = sizeof(*eh) + 2 * sizeof(*ph);
	size_t len = strlen(interp) + (unterminated ? 0 : 1);

	memset(buf, 0, size);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = LOAD_ADDR + at;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 2;

	ph[0].p_type = PT_INTERP;
	ph[0].p_flags = PF_R;
	ph[0].p_offset = at;
	ph[0].p_vaddr = ph[0].p_paddr = LOAD_ADDR + at;
	ph[0].p_filesz = ph[0].p_memsz = len;
	ph[0].p_align = 1;
	memcpy(buf + at, interp, strlen(interp));

	ph[1].p_type = PT_LOAD;
	ph[1].p_flags = PF_R | PF_X;
	ph[1].p_vaddr = ph[1].p_paddr = LOAD_ADDR;
	ph[1].p_filesz = ph[1].p_memsz = at + len;
	ph[1].p_align = 0x1000;
	return at + len;
}

static void try(const char *name, const char *interp, int unterminated, int want)
{
	unsigned char prog[512];
	char path[512], check_name[96];
	char *argv[] = { "prog", NULL };
	char *envp[] = { NULL };
	size_t len = make_program(prog, sizeof(prog), interp, unterminated);

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(check_name, sizeof(check_name), "execve_interp.%s", name);
	if (write_file(path, prog, len, 0755) != 0) {
		fail(check_name, "cannot write the test file: %s", errname(errno));
		return;
	}
	check_err(check_name, execve(path, argv, envp), want);
}

/* A file of 'len' bytes starting with 'head', as a would-be interpreter. */
static const char *interp_file(const char *name, const void *head, size_t hlen,
			       size_t len, mode_t mode)
{
	static char path[8][512];
	static int next;
	unsigned char buf[4096];
	char *p = path[next++ % 8];

	memset(buf, ' ', sizeof(buf));
	memcpy(buf, head, hlen);
	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	if (write_file(p, buf, len, mode) != 0)
		fail("execve_interp.setup", "cannot write %s: %s", p, errname(errno));
	return p;
}

int main(void)
{
	Elf64_Ehdr eh;
	char subdir[512];

	dir = scratch_dir();
	try("missing_interpreter", "/nonexistent/ld-linux.so.2", 0, ENOENT);
	try("missing_interpreter_dir", "/no/such/dir/ld.so", 0, ENOENT);
	try("interpreter_unterminated", "/lib/ld.so", 1, ENOEXEC);

	snprintf(subdir, sizeof(subdir), "%s/adir", dir);
	if (mkdir(subdir, 0755) != 0)
		fail("execve_interp.setup", "mkdir: %s", errname(errno));
	try("interpreter_is_directory", subdir, 0, EACCES);

	try("interpreter_not_executable",
	    interp_file("noexec.so", ELFMAG, SELFMAG, 1024, 0644), 0, EACCES);
	try("interpreter_is_text",
	    interp_file("text.so", "#!/bin/sh\n", 10, 1024, 0755), 0, ELIBBAD);

	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_DYN;
	eh.e_machine = EM_AARCH64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = 1;
	try("interpreter_wrong_machine",
	    interp_file("arm.so", &eh, sizeof(eh), 1024, 0755), 0, ELIBBAD);

	/* Still here, still able to run things. */
	pid_t pid = fork();
	int st = -1;
	if (pid == 0)
		_exit(0);
	waitpid(pid, &st, 0);
	check_exit("execve_interp.still_alive", st, 0);
	remove_tree(dir);
	return finish();
}
