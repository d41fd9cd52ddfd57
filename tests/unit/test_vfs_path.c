/*
 * The VFS's path resolution (core/vfs/namei.c) and dentry tree
 * (core/vfs/dcache.c, inode.c) on the host, over a tree built directly
 * with the dcache's own calls: components, ".", "..", the root as a
 * limit, mount points, symlinks and their limit, trailing slashes, the
 * errors, and how link counts and lifetimes follow the tree.
 */
#include <kevlar/errno.h>
#include <kevlar/types.h>

#include <kevlar/time.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/vfs/vfs_internal.h"
#include "host.h"
#include "suites.h"

/* What the pieces under test use from the rest of the kernel. */
s64 clock_realtime_ns(void) { return 1700000005 * (s64)NSEC_PER_SEC; }
void pagecache_truncate(struct inode *inode __attribute__((unused)),
			u64 size __attribute__((unused))) { }

static struct super_block sb1, sb2;
static struct dentry *root, *a, *b, *c, *f, *l1, *m, *x;

static struct dentry *mk(struct dentry *dir, const char *name, u32 mode, const char *target)
{
	struct inode *inode = inode_alloc(dir->inode->sb, mode, 0);
	ck_assert_ptr_nonnull(inode);
	if (target) {
		inode->target = d_name_copy(target, strlen(target));
		inode->size = strlen(target);
	}
	struct dentry *d = d_alloc(dir, name, strlen(name), inode);
	ck_assert_ptr_nonnull(d);
	return d;
}

static struct dentry *mkroot(struct super_block *sb, u32 id)
{
	*sb = (struct super_block){ .id = id, .dev = id, .svc = NO_SVC, .type = "test",
				    .next_ino = 1 };
	struct inode *inode = inode_alloc(sb, S_IFDIR | 0755, 0);
	sb->root = d_alloc_root(inode);
	return sb->root;
}

/*
 *   /a/b/c  /f  /l1 -> a/b  /abs -> /a/b/c  /loop -> loop
 *   /a/b/up -> ../../f  /m (sb2 mounted: /m/x)
 */
static void setup(void)
{
	host_heap_init();
	root = mkroot(&sb1, 1);
	a = mk(root, "a", S_IFDIR | 0755, NULL);
	b = mk(a, "b", S_IFDIR | 0755, NULL);
	c = mk(b, "c", S_IFREG | 0644, NULL);
	f = mk(root, "f", S_IFREG | 0644, NULL);
	l1 = mk(root, "l1", S_IFLNK | 0777, "a/b");
	mk(root, "abs", S_IFLNK | 0777, "/a/b/c");
	mk(root, "loop", S_IFLNK | 0777, "loop");
	mk(b, "up", S_IFLNK | 0777, "../../f");
	m = mk(root, "m", S_IFDIR | 0755, NULL);
	struct dentry *r2 = mkroot(&sb2, 2);
	x = mk(r2, "x", S_IFREG | 0600, NULL);
	m->mounted = &sb2;
	sb2.mountpoint = m;
}

static int lookup_from(struct dentry *proc_root, struct dentry *start, const char *path,
		       unsigned flags, struct dentry **out)
{
	struct walk_ctx w = { .root = proc_root, .start = start };
	*out = NULL;
	int rc = path_lookup(&w, path, flags, out);
	if (!rc)
		dput(*out);   /* the tree keeps it; compare pointers only */
	return rc;
}

static struct dentry *L(const char *path, unsigned flags)
{
	struct dentry *d;
	int rc = lookup_from(root, root, path, flags, &d);
	ck_assert_msg(rc == 0, "%s: %d", path, rc);
	return d;
}

static int E(const char *path, unsigned flags)
{
	struct dentry *d;
	return lookup_from(root, root, path, flags, &d);
}

START_TEST(components_dots_and_slashes)
{
	ck_assert_ptr_eq(L("/a/b/c", 0), c);
	ck_assert_ptr_eq(L("a/b/c", 0), c);
	ck_assert_ptr_eq(L("//a/./b//c", 0), c);
	ck_assert_ptr_eq(L("/a/b/../b/./c", 0), c);
	ck_assert_ptr_eq(L("/../../a", 0), a);
	ck_assert_ptr_eq(L("/", 0), root);
	ck_assert_ptr_eq(L("/a/b/", 0), b);
	ck_assert_ptr_eq(L(".", 0), root);
	struct dentry *d;
	ck_assert_int_eq(lookup_from(root, b, "../../f", 0, &d), 0);
	ck_assert_ptr_eq(d, f);
	ck_assert_int_eq(lookup_from(root, b, "", LOOKUP_EMPTY, &d), 0);
	ck_assert_ptr_eq(d, b);
}
END_TEST

START_TEST(errors)
{
	ck_assert_int_eq(E("", 0), -ENOENT);
	ck_assert_int_eq(E("/a/zz", 0), -ENOENT);
	ck_assert_int_eq(E("/zz/c", 0), -ENOENT);
	ck_assert_int_eq(E("/a/b/c/", 0), -ENOTDIR);
	ck_assert_int_eq(E("/a/b/c/d", 0), -ENOTDIR);
	ck_assert_int_eq(E("/f/..", 0), -ENOTDIR);
	ck_assert_int_eq(E("/f", LOOKUP_DIRECTORY), -ENOTDIR);
	ck_assert_int_eq(E("/f/.", 0), -ENOTDIR);

	char name[NAME_MAX + 3] = "/";
	memset(name + 1, 'n', NAME_MAX + 1);
	name[NAME_MAX + 2] = 0;
	ck_assert_int_eq(E(name, 0), -ENAMETOOLONG);
	name[NAME_MAX + 1] = 0;
	ck_assert_int_eq(E(name, 0), -ENOENT);   /* 255 is long enough */

	char *long_path = malloc(PATH_MAX + 1);
	for (int i = 0; i < PATH_MAX; i += 2)
		memcpy(long_path + i, "./", 2);
	long_path[PATH_MAX] = 0;
	ck_assert_int_eq(E(long_path, 0), -ENAMETOOLONG);
	long_path[PATH_MAX - 2] = 0;
	ck_assert_ptr_eq(L(long_path, 0), root);
	free(long_path);
}
END_TEST

START_TEST(symlinks)
{
	struct dentry *link = L("/l1", 0);
	ck_assert(S_ISLNK(link->inode->mode));
	ck_assert_ptr_eq(L("/l1", LOOKUP_FOLLOW), b);
	ck_assert_ptr_eq(L("/l1/", 0), b);          /* a trailing slash follows */
	ck_assert_ptr_eq(L("/l1/c", 0), c);         /* inner links always do */
	ck_assert_ptr_eq(L("/abs", LOOKUP_FOLLOW), c);
	ck_assert_ptr_eq(L("/a/b/up", LOOKUP_FOLLOW), f);
	ck_assert_ptr_eq(L("/l1/up", LOOKUP_FOLLOW), f);
	ck_assert_ptr_eq(L("/l1/..", 0), a);        /* ".." of where the link led */
	ck_assert_int_eq(E("/loop", LOOKUP_FOLLOW), -ELOOP);
	ck_assert(S_ISLNK(L("/loop", 0)->inode->mode));
	ck_assert_int_eq(E("/loop/x", 0), -ELOOP);
	ck_assert_int_eq(E("/abs/", 0), -ENOTDIR);
}
END_TEST

START_TEST(at_most_forty_links)
{
	struct dentry *dir = mk(root, "chain", S_IFDIR | 0755, NULL);
	char name[16], to[16];
	for (int i = 1; i <= 41; i++) {
		snprintf(name, sizeof(name), "%d", i);
		snprintf(to, sizeof(to), i == 1 ? "/f" : "%d", i - 1);
		mk(dir, name, S_IFLNK | 0777, to);
	}
	ck_assert_ptr_eq(L("/chain/40", LOOKUP_FOLLOW), f);
	ck_assert_int_eq(E("/chain/41", LOOKUP_FOLLOW), -ELOOP);
	ck_assert(S_ISLNK(L("/chain/41", 0)->inode->mode));
}
END_TEST

START_TEST(mount_points)
{
	ck_assert_ptr_eq(L("/m", 0), sb2.root);
	ck_assert_ptr_eq(L("/m/x", 0), x);
	ck_assert_ptr_eq(L("/m/..", 0), root);
	ck_assert_ptr_eq(L("/m/../a", 0), a);
	ck_assert_int_eq(E("/m/x/", 0), -ENOTDIR);
	struct dentry *d;
	ck_assert_int_eq(lookup_from(root, x->parent, "..", 0, &d), 0);
	ck_assert_ptr_eq(d, root);
}
END_TEST

START_TEST(a_process_root_is_a_limit)
{
	struct dentry *d;
	ck_assert_int_eq(lookup_from(a, a, "/b/c", 0, &d), 0);
	ck_assert_ptr_eq(d, c);
	ck_assert_int_eq(lookup_from(a, b, "../../../..", 0, &d), 0);
	ck_assert_ptr_eq(d, a);
	ck_assert_int_eq(lookup_from(a, a, "/f", 0, &d), -ENOENT);
}
END_TEST

static int parent_of(const char *path, struct path_parent *pp)
{
	struct walk_ctx w = { .root = root, .start = root };
	int rc = path_lookup_parent(&w, path, pp);
	if (!rc)
		dput(pp->dir);
	return rc;
}

START_TEST(parents_for_create_and_remove)
{
	struct path_parent pp;
	ck_assert_int_eq(parent_of("/a/b/c", &pp), 0);
	ck_assert_ptr_eq(pp.dir, b);
	ck_assert(pp.len == 1 && pp.last[0] == 'c' && pp.type == LAST_NORM && !pp.slash);
	ck_assert_int_eq(parent_of("/a/b//", &pp), 0);
	ck_assert(pp.dir == a && pp.len == 1 && pp.slash);
	ck_assert_int_eq(parent_of("/", &pp), 0);
	ck_assert(pp.dir == root && pp.type == LAST_ROOT);
	ck_assert_int_eq(parent_of("a/.", &pp), 0);
	ck_assert(pp.dir == a && pp.type == LAST_DOT);
	ck_assert_int_eq(parent_of("..", &pp), 0);
	ck_assert(pp.dir == root && pp.type == LAST_DOTDOT);
	ck_assert_int_eq(parent_of("/l1/new", &pp), 0);
	ck_assert(pp.dir == b && pp.len == 3 && !memcmp(pp.last, "new", 3));
	ck_assert_int_eq(parent_of("/f/x", &pp), -ENOTDIR);
	ck_assert_int_eq(parent_of("/zz/x", &pp), -ENOENT);
	ck_assert_int_eq(parent_of("", &pp), -ENOENT);
	ck_assert_int_eq(parent_of("/m/new", &pp), 0);
	ck_assert_ptr_eq(pp.dir, sb2.root);
}
END_TEST

START_TEST(link_counts_follow_the_tree)
{
	ck_assert_uint_eq(root->inode->nlink, 4);   /* ., .., a, m */
	ck_assert_uint_eq(a->inode->nlink, 3);
	ck_assert_uint_eq(b->inode->nlink, 2);
	ck_assert_uint_eq(c->inode->nlink, 1);
	struct dentry *h = d_alloc(a, "hard", 4, c->inode);
	ck_assert_uint_eq(c->inode->nlink, 2);
	ck_assert_uint_eq(d_count_children(a), 2);
	d_unlink(h);
	ck_assert_uint_eq(c->inode->nlink, 1);
	ck_assert_ptr_null(d_lookup(a, "hard", 4));
	ck_assert_ptr_eq(d_lookup(b, "c", 1), c);
}
END_TEST

START_TEST(unlinked_but_referenced_lives_on)
{
	struct dentry *dir = mk(root, "gone", S_IFDIR | 0755, NULL);
	struct inode *inode = dir->inode;
	dget(dir);                   /* someone's cwd */
	d_unlink(dir);
	ck_assert(!dir->linked && inode->nlink == 0);
	ck_assert_ptr_null(d_lookup(root, "gone", 4));
	struct dentry *d;
	ck_assert_int_eq(lookup_from(root, dir, "..", 0, &d), 0);
	ck_assert_ptr_eq(d, root);   /* ".." still leads where it was */
	ck_assert_uint_eq(inode->refs, 1);
	dput(dir);                   /* the last reference frees both */
}
END_TEST

START_TEST(moves_keep_identity_and_order)
{
	struct dentry *d1 = mk(root, "one", S_IFDIR | 0755, NULL);
	struct dentry *d2 = mk(root, "two", S_IFREG | 0644, NULL);
	u32 root_links = root->inode->nlink;
	d_move(d1, a, d_name_copy("moved", 5), 5);
	ck_assert_ptr_eq(L("/a/moved", 0), d1);
	ck_assert_ptr_null(d_lookup(root, "one", 3));
	ck_assert_uint_eq(root->inode->nlink, root_links - 1);
	ck_assert_uint_eq(a->inode->nlink, 4);
	ck_assert_uint_eq(d1->pos, a->next_pos - 1);   /* listed last in its new parent */
	ck_assert(d_is_ancestor(a, d1) && !d_is_ancestor(d1, a));
	ck_assert_ptr_eq(list_entry(a->children.prev, struct dentry, sibling), d1);
	ck_assert_ptr_eq(L("/two", 0), d2);
}
END_TEST

Suite *vfs_path_suite(void)
{
	Suite *s = suite_create("vfs_path");
	TCase *tc = tcase_create("namei");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, components_dots_and_slashes);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, symlinks);
	tcase_add_test(tc, at_most_forty_links);
	tcase_add_test(tc, mount_points);
	tcase_add_test(tc, a_process_root_is_a_limit);
	tcase_add_test(tc, parents_for_create_and_remove);
	tcase_add_test(tc, link_counts_follow_the_tree);
	tcase_add_test(tc, unlinked_but_referenced_lives_on);
	tcase_add_test(tc, moves_keep_identity_and_order);
	suite_add_tcase(s, tc);
	return s;
}
