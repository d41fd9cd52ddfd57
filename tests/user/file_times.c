/* A file's times come from the clock that clock_gettime reads: a file
 * made now is stamped between the times read just before and after
 * (Linux stamps with the coarse clock, up to a tick behind: 20 ms are
 * allowed), so ls -l never sees a new file in the future. */
#include "usertest.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

#define SLACK_NS 20000000LL

static long long ns(struct timespec t)
{
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void)
{
	const char *dir = scratch_dir();
	char path[512];
	struct timespec before, after;
	struct stat st;
	int ok = 1;

	for (int i = 0; i < 20 && ok; i++) {
		snprintf(path, sizeof(path), "%s/f%d", dir, i);
		clock_gettime(CLOCK_REALTIME, &before);
		int fd = open(path, O_CREAT | O_WRONLY, 0644);
		clock_gettime(CLOCK_REALTIME, &after);
		if (fd < 0 || fstat(fd, &st) != 0) {
			fail("file_times.setup", "%s: %s", path, errname(errno));
			return finish();
		}
		close(fd);
		ok = ns(st.st_mtim) <= ns(after) && ns(st.st_mtim) >= ns(before) - SLACK_NS;
	}
	CHECK("file_times.new_file_not_in_the_future", ns(st.st_mtim) <= ns(after));
	CHECK("file_times.new_file_not_in_the_past", ns(st.st_mtim) >= ns(before) - SLACK_NS);
	CHECK("file_times.ctime_is_mtime", ns(st.st_ctim) == ns(st.st_mtim));
	remove_tree(dir);
	return finish();
}
