"""Linux's errno names and messages as the system-call tracer prints them.

The tracer prints a failed call the way strace does:
`-1 ENOENT (No such file or directory)`. The names, numbers and messages
are the `abi errno` group's (idl/abi.idl): the x86_64 ABI's numbers, and
the messages glibc's strerror() gives, which is what strace prints.
"""

# The abi group whose constants are the errno values.
ERRNO_GROUP = "errno"

# Every failure a system call returns is -1 .. -MAX_ERRNO (as on Linux):
# a negative return value outside that range is a result, not an error.
MAX_ERRNO = 4095


def errno_table(mod):
    """[(number, name, message)] by number, from the module's errno group
    (empty when no file declares one)."""
    rows = []
    for group in mod.abi_groups:
        if group.name.text == ERRNO_GROUP:
            rows += [(c.value, c.name.text, c.message) for c in group.consts]
    return sorted(rows)
