# grep, sed, awk, sort, uniq, wc, head, tail, tr, cut.
cat > fruit <<END
apple 3 red
banana 12 yellow
cherry 7 red
date 1 brown
apple 5 green
elderberry 20 black
END
grep red fruit
grep -v red fruit
grep -c apple fruit
grep -n an fruit
grep -i APPLE fruit
grep -E '^(apple|date)' fruit
grep -o '[0-9][0-9]*' fruit
grep -w date fruit
grep -q cherry fruit && echo "found cherry"
grep nothing fruit
echo "grep status $?"
grep -r red . | sort
grep -l red fruit
printf 'x\ny\n' | grep -e x -e y
sed 's/red/RED/' fruit
sed -n '2,3p' fruit
sed '/apple/d' fruit
sed 's/\([a-z]*\) \([0-9]*\)/\2 \1/' fruit
sed -e '1i\
first line' -e '$a\
last line' fruit
sed 'y/abc/ABC/' fruit
sed -n '/banana/,/date/{=;p}' fruit
cp fruit f2
sed -i 's/apple/APPLE/g' f2
cat f2
awk '{ print $1 }' fruit
awk '{ sum += $2 } END { print "total", sum, "rows", NR }' fruit
awk '$3 == "red" { printf "%-8s|%3d|\n", $1, $2 }' fruit
awk 'NR % 2 == 0 { print NR ": " $0 }' fruit
awk 'BEGIN { for (i = 1; i <= 3; i++) print i * i; print 7 / 2, int(7 / 2), 2 * 2 * 2 }'
awk '{ count[$3]++ } END { for (c in count) print c, count[c] }' fruit | sort
awk -F: '{ print $2 }' <<END
a:b:c
d:e:f
END
awk '{ print length($1), toupper(substr($1, 1, 3)), index($1, "an") }' fruit
awk 'BEGIN { n = split("a,b,c", parts, ","); print n, parts[3]; printf "%05.2f %e\n", 3.14159, 12345 }'
echo "3 4" | awk '{ print $1 * $2, ($1 > $2 ? "gt" : "le") }'
sort fruit
sort -r fruit
sort -k2 -n fruit
sort -k3,3 -k1,1 fruit
sort -t' ' -k2nr fruit
cut -d' ' -f1 fruit | sort | uniq
cut -d' ' -f1 fruit | sort | uniq -c
cut -d' ' -f3 fruit | sort -u
cut -d' ' -f1,3 fruit
cut -c1-3 fruit
wc -l fruit
wc -w < fruit
wc -c < fruit
wc fruit
head -n 2 fruit
tail -n 2 fruit
tail -n +5 fruit
head -c 10 fruit
echo
tail -c 6 fruit
tr a-z A-Z < fruit
tr -d aeiou < fruit
echo "a   b    c" | tr -s ' '
echo hello | tr 'elo' '310'
printf 'b\na\nc\na\n' | sort | uniq -d
printf '10\n9\n100\n' | sort
printf '10\n9\n100\n' | sort -n
seq 10 | tail -n 3
seq 2 3 11
nl fruit | head -n 2
