/*
 * The directory entry cache. For the filesystems Kevlar has, it is not a
 * cache but the directory tree itself: every name that exists is a linked
 * dentry, found by (parent, name) through one hash table, and listed in
 * its parent's children in the order getdents reports them.
 *
 * Link counts follow the tree: a non-directory's is the number of linked
 * dentries naming it; a directory's is 2 plus its subdirectories.
 */
#include <kevlar/mm.h>
#include <kevlar/string.h>
#include "vfs_internal.h"

#define DENTRY_BUCKETS 4096
#define FIRST_POS      3        /* 1 and 2 are "." and ".." */

static struct list dentry_hash[DENTRY_BUCKETS];
static bool hash_ready;

static u32 name_hash(const char *name, size_t len)
{
	u32 h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (u8)name[i]) * 16777619u;
	return h;
}

static struct list *bucket(const struct dentry *dir, u32 hash)
{
	u64 h = ((u64)(uintptr_t)dir >> 4) * 0x9e3779b97f4a7c15ULL ^ hash;
	if (!hash_ready) {
		for (unsigned i = 0; i < DENTRY_BUCKETS; i++)
			list_init(&dentry_hash[i]);
		hash_ready = true;
	}
	return &dentry_hash[(h ^ (h >> 29)) % DENTRY_BUCKETS];
}

static struct dentry *dentry_new(struct inode *inode, char *name, size_t len)
{
	struct dentry *d = kzalloc(sizeof(*d));
	if (!d)
		return NULL;
	d->inode = inode_get(inode);
	d->name = name;
	d->len = (u16)len;
	d->linked = true;
	list_init(&d->children);
	list_init(&d->sibling);
	list_init(&d->hash_node);
	if (S_ISDIR(inode->mode)) {
		inode->alias = d;
		d->next_pos = FIRST_POS;
	}
	return d;
}

/* Links d into dir under its name, at the end of dir's listing. */
static void attach(struct dentry *d, struct dentry *dir)
{
	d->parent = dget(dir);
	d->hash = name_hash(d->name, d->len);
	d->pos = dir->next_pos++;
	list_add_tail(&dir->children, &d->sibling);
	list_add_tail(bucket(dir, d->hash), &d->hash_node);
	dir->nchildren++;
	if (S_ISDIR(d->inode->mode))
		dir->inode->nlink++;
}

/* Takes d out of its parent's listing and the hash; keeps d->parent. */
static void detach(struct dentry *d)
{
	struct dentry *dir = d->parent;

	list_del(&d->sibling);
	list_del(&d->hash_node);
	dir->nchildren--;
	if (S_ISDIR(d->inode->mode))
		dir->inode->nlink--;
}

char *d_name_copy(const char *name, size_t len)
{
	char *copy = kmalloc(len + 1);
	if (copy) {
		memcpy(copy, name, len);
		copy[len] = 0;
	}
	return copy;
}

struct dentry *d_alloc(struct dentry *dir, const char *name, size_t len, struct inode *inode)
{
	char *copy = d_name_copy(name, len);
	if (!copy)
		return NULL;
	struct dentry *d = dentry_new(inode, copy, len);
	if (!d) {
		kfree(copy);
		return NULL;
	}
	attach(d, dir);
	if (S_ISDIR(inode->mode))
		inode->nlink = 2;
	else
		inode->nlink++;
	return d;
}

struct dentry *d_alloc_root(struct inode *inode)
{
	char *copy = d_name_copy("/", 1);
	if (!copy)
		return NULL;
	struct dentry *d = dentry_new(inode, copy, 1);
	if (!d) {
		kfree(copy);
		return NULL;
	}
	d->parent = d;
	inode->nlink = 2;
	return d;
}

struct dentry *d_alloc_anon(struct inode *inode, const char *name)
{
	char *copy = d_name_copy(name, strlen(name));
	if (!copy)
		return NULL;
	struct dentry *d = dentry_new(inode, copy, strlen(name));
	if (!d) {
		kfree(copy);
		return NULL;
	}
	d->parent = d;
	d->linked = false;
	inode->nlink = 1;
	return d;
}

struct dentry *d_lookup(struct dentry *dir, const char *name, size_t len)
{
	struct dentry *d;

	if (dir->inode->sb->synthetic)
		return d_lookup_synthetic(dir, name, len, &d) ? NULL : d;
	return d_lookup_cached(dir, name, len);
}

struct dentry *d_lookup_cached(struct dentry *dir, const char *name, size_t len)
{
	u32 hash = name_hash(name, len);

	list_for_each(pos, bucket(dir, hash)) {
		struct dentry *d = list_entry(pos, struct dentry, hash_node);
		if (d->parent == dir && d->hash == hash && d->len == len &&
		    !memcmp(d->name, name, len))
			return d;
	}
	return NULL;
}

struct dentry *dget(struct dentry *d)
{
	d->refs++;
	return d;
}

void dput(struct dentry *d)
{
	while (d && --d->refs == 0 && !d->linked) {
		struct dentry *parent = d_is_root(d) ? NULL : d->parent;
		if (d->inode->alias == d)
			d->inode->alias = NULL;
		inode_put(d->inode);
		kfree(d->name);
		kfree(d);
		d = parent;   /* the reference d held on it */
	}
}

void d_unlink(struct dentry *d)
{
	struct inode *inode = d->inode;

	detach(d);
	d->linked = false;
	if (S_ISDIR(inode->mode))
		inode->nlink = 0;
	else if (inode->nlink)
		inode->nlink--;
	/* Unreferenced, it goes now; dget/dput does exactly that. */
	dput(dget(d));
}

void d_move(struct dentry *d, struct dentry *dir, char *name, size_t len)
{
	struct dentry *old = d->parent;

	detach(d);
	kfree(d->name);
	d->name = name;
	d->len = (u16)len;
	attach(d, dir);       /* takes a reference on dir first ... */
	dput(old);            /* ... then drops the one on the old parent */
}

u64 d_count_children(struct dentry *dir)
{
	return dir->nchildren;
}

bool d_is_ancestor(struct dentry *a, struct dentry *d)
{
	for (;;) {
		if (d == a)
			return true;
		if (d_is_root(d))
			return false;
		d = d->parent;
	}
}

struct dentry *d_dotdot(struct dentry *d, struct dentry *root)
{
	while (d != root && d_is_root(d)) {
		struct super_block *sb = d->inode->sb;
		if (!sb->mountpoint)
			return d;
		d = sb->mountpoint;
	}
	return d == root ? d : d->parent;
}

struct dentry *d_follow_mounts(struct dentry *d)
{
	while (d->mounted)
		d = d->mounted->root;
	return d;
}
