/* A malformed executable is refused with ENOEXEC, and nothing breaks. */
#include "usertest.h"
#include <elf.h>

static const char *dir;

static void try(const char *name, const void *data, size_t len)
{
	char path[512], check_name[96];
	char *argv[] = { "bad", NULL };
	char *envp[] = { NULL };

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(check_name, sizeof(check_name), "execve_enoexec.%s", name);
	if (write_file(path, data, len, 0755) != 0) {
		fail(check_name, "cannot write the test file: %s", errname(errno));
		return;
	}
	check_err(check_name, execve(path, argv, envp), ENOEXEC);
}

int main(void)
{
	Elf64_Ehdr eh;

	dir = scratch_dir();
	try("empty_file", "", 0);
	try("text_without_shebang", "echo hello\n", 11);
	try("elf_magic_only", ELFMAG, SELFMAG);
	try("elf_ident_only", ELFMAG "\2\1\1\0\0\0\0\0\0\0\0\0", EI_NIDENT);

	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_EXEC;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_entry = 0x401000;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = 0;
	eh.e_phnum = 1;
	try("elf_bad_phentsize", &eh, sizeof(eh));

	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_type = ET_REL;
	try("elf_relocatable", &eh, sizeof(eh));

	eh.e_type = ET_CORE;
	try("elf_core", &eh, sizeof(eh));

	/* Still here, still able to run things. */
	pid_t pid = fork();
	int st = -1;
	if (pid == 0)
		_exit(0);
	waitpid(pid, &st, 0);
	check_exit("execve_enoexec.still_alive", st, 0);
	remove_tree(dir);
	return finish();
}
