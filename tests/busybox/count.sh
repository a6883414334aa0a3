# count.sh - a script of the busybox step's data, run by `sh count.sh
# NAME QTY ...`: a shell loop over its arguments, arithmetic, `case`,
# a function, printf.
n=0
total=0
show() {
	echo "starts with a: $1 ($2)"
}
while [ $# -ge 2 ]; do
	n=$((n + 1))
	total=$((total + $2))
	case $1 in
	a*) show "$1" "$2" ;;
	esac
	shift 2
done
printf 'pairs %d total %d\n' "$n" "$total"
