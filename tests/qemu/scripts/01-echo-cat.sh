# echo, printf, cat, here-documents and redirections.
echo hello world
echo -n "no newline"; echo
echo -e 'tab\there\nnew line'
printf '%s=%d\n' answer 42
printf '%05.1f|%-4s|%x|%o|%c\n' 3.14159 ab 255 8 xyz
printf 'octal \101\102 and percent %%\n'
echo first > f
echo second >> f
cat f
cat < f
cat f f | cat -n
echo to-stderr >&2
{ echo grouped; echo lines; } > g
cat g f > both
cat both
cat <<END
here document: $((6 * 7)) $(echo substituted)
END
cat <<'END'
quoted: $((6 * 7)) $(not substituted)
END
cat <<-END
	leading tabs stripped
	END
exec 3> fd3
echo via fd 3 >&3
exec 3>&-
cat fd3
exec 4< f
read -r line <&4
echo "read from fd 4: $line"
exec 4<&-
cat missing-file
echo "cat status $?"
cat missing 2>/dev/null || echo "cat failed quietly"
: > empty
wc -c < empty
echo a b c > spaced
read x y z < spaced
echo "$z $y $x"
echo clobber > f
cat f
echo "noclobber override" >| f
cat f
ls nothing-here 2> err
echo "ls status $?"
cat err
