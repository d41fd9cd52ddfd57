# gzip and gunzip, tar create and extract, dd.
mkdir src src/sub
seq 1 2000 > src/numbers
echo hello > src/sub/hello
printf 'binary\000data\377\n' > src/bin
ln -s numbers src/link
md5sum src/numbers src/sub/hello src/bin
gzip -c src/numbers > numbers.gz
wc -c < numbers.gz
gunzip -c numbers.gz | md5sum
gzip -t numbers.gz && echo "gzip -t ok"
zcat numbers.gz | tail -n 1
cp src/numbers n2
gzip n2
ls n2*
gunzip n2.gz
ls n2*
cmp n2 src/numbers && echo "gzip round trip ok"
echo corrupt > bad.gz
gunzip -c bad.gz > /dev/null 2>&1
echo "gunzip of garbage: status $?"
tar cf a.tar src
wc -c < a.tar
tar tf a.tar | sort
mkdir out
tar xf a.tar -C out
find out | sort
md5sum out/src/numbers out/src/sub/hello out/src/bin
readlink out/src/link
tar czf a.tgz src
mkdir out2
tar xzf a.tgz -C out2
cmp out2/src/numbers src/numbers && cmp out2/src/bin src/bin && echo "tgz round trip ok"
(cd src && tar cf - sub numbers) | (mkdir out3 && cd out3 && tar xf -)
find out3 | sort
tar xf a.tar -C out3 src/sub/hello
cat out3/src/sub/hello
tar tf a.tar src/nothing
echo "tar of a missing member: status $?"
dd if=/dev/zero of=zeros bs=1024 count=8 2>/dev/null
wc -c < zeros
dd if=src/numbers of=part bs=1 skip=10 count=20 2>/dev/null
cat part
echo
dd if=src/numbers bs=512 count=2 2>/dev/null | wc -c
printf 'XXXX' | dd of=zeros bs=1 seek=100 conv=notrunc 2>/dev/null
wc -c < zeros
dd if=zeros bs=1 skip=98 count=8 2>/dev/null | tr '\000' '.'
echo
dd if=/dev/urandom bs=16 count=4 2>/dev/null | wc -c
