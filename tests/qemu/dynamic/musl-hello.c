/* A musl program linked dynamically: arguments, environment, stdio,
 * malloc (large enough for mmap), qsort, a file, and floating point. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	const char *x = getenv("X");
	char *words[] = { "pear", "apple", "fig", "banana" };
	size_t big = 1 << 20;
	unsigned char *p = malloc(big);
	unsigned long sum = 0;
	char line[64];
	FILE *f;

	printf("argc %d\n", argc);
	for (int i = 1; i < argc; i++)
		printf("argv[%d] %s\n", i, argv[i]);
	printf("X %s\n", x ? x : "(unset)");
	qsort(words, 4, sizeof(words[0]), cmp);
	printf("sorted %s %s %s %s\n", words[0], words[1], words[2], words[3]);
	if (!p)
		return 1;
	for (size_t i = 0; i < big; i++)
		p[i] = (unsigned char)(i * 13);
	for (size_t i = 0; i < big; i += 4093)
		sum += p[i];
	free(p);
	printf("sum %lu\n", sum);
	printf("float %.3f %g\n", 355.0 / 113.0, 1e-3 * 7);
	f = fopen("musl-file", "w+");
	if (!f)
		return 2;
	fprintf(f, "written %d\n", 123);
	rewind(f);
	if (fgets(line, sizeof(line), f))
		printf("read back: %s", line);
	fclose(f);
	return 0;
}
