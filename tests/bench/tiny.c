/*
 * The smallest static program: no libc, one page of code, exits 42. What
 * fork_exec starts, so that the benchmark measures the kernel's execve
 * and not a C library's start-up.
 */
void _start(void) __attribute__((noreturn));

void _start(void)
{
	__asm__ __volatile__("syscall" : : "a"(231 /* exit_group */), "D"(42));
	__builtin_unreachable();
}
