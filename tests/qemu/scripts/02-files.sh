# mkdir -p, cp, cp -r, mv, rm, rm -r, ln, ln -s, ls, find, test, chmod, stat.
mkdir -p a/b/c
echo one > a/one
echo two > a/b/two
echo three > a/b/c/three
ls
ls a
ls -a a
ls -R a
ls -d a/*
cp a/one copy
cat copy
cp -r a a2
find a2 | sort
find a2 -type f | sort
find a2 -name 't*' | sort
find . -type d | sort
find a -newer a/one -o -name one | sort >/dev/null
mv copy moved
ls
mv a2/b a2/bee
find a2 | sort
mv moved a2/
ls a2
ln -s a/one link
readlink link
cat link
ls -l link | sed 's/.* link ->/link ->/'
test -L link && echo "link is a symlink"
test -d a && echo "a is a directory"
test -f a/one && echo "a/one is a file"
test -e nothing || echo "nothing does not exist"
test -s a/one && echo "a/one is not empty"
[ a/one -ef link ] && echo "link and a/one are the same file"
ln a/one hard
stat -c '%h %s %F %n' a/one hard link
stat -c '%F %n' a
chmod 640 a/one
stat -c '%a %n' a/one
chmod u+x,g-r,o+w a/one
stat -c '%a %A %n' a/one
chmod -R go-rwx a2
stat -c '%a %n' a2 a2/bee a2/one
rm a/one hard link
ls a
rm -r a2
ls
rmdir a/b/c
echo "rmdir status $?"
rm -rf a
ls
touch t1 t2 t3
ls t*
rm t[12]
ls t*
echo x > 'name with spaces'
ls
cat 'name with spaces'
basename /x/y/z.txt .txt
dirname /x/y/z.txt
mkdir -p deep/er/est
cd deep/er
pwd
cd ../..
ln -s deep/er shortcut
cd shortcut && pwd && cd ..
cp nothing anywhere
echo "cp status $?"
mkdir deep
echo "mkdir status $?"
mkdir -p deep
echo "mkdir -p status $?"
