# Pipelines, xargs, md5sum, subshells and $(...).
seq 1 10 | grep 1 | wc -l
echo "one two three" | tr ' ' '\n' | sort -r | head -n 1
seq 1 6 | xargs echo
seq 1 6 | xargs -n 2 echo
printf 'x\ny\nz\n' | xargs -I{} echo "item {}"
mkdir files
for n in 1 2 3; do echo "content $n" > files/f$n; done
find files -type f | sort | xargs cat
find files -type f | sort | xargs md5sum
md5sum files/f1 files/f2 > sums
md5sum -c sums
echo tamper >> files/f1
md5sum -c sums
echo "md5sum -c status $?"
printf '' | md5sum
seq 1 1000 | md5sum
sha256sum files/f2
count=$(seq 1 100 | wc -l)
echo "count=$count"
nested=$(echo $(echo inner) outer)
echo "$nested"
old=`echo old style`
echo "$old"
x=outer
(x=inner; echo "in subshell: $x")
echo "after subshell: $x"
(cd files && ls)
ls -d files
echo "subshell status: $( (exit 4); echo $? )"
seq 1 3 | while read n; do echo "line $n"; done
echo "pipeline status: $(false | true; echo $?)"
echo "pipeline status: $(true | false; echo $?)"
yes | head -n 3
seq 5 | tee copy | wc -l
cat copy
{ echo a; echo b; } | sort -r
echo abc | { read v; echo "read $v in a pipeline"; }
seq 3 > nums
while read n; do echo "loop $n"; done < nums
result=$(cat nums | while read n; do printf "%s," "$n"; done)
echo "$result"
echo "$(seq 3 | wc -l) lines, $(printf 'ab' | wc -c) bytes"
seq 20 | sed -n '5p' | awk '{ print $1 * 2 }' | xargs printf '%03d\n'
