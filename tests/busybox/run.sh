# run.sh - the busybox step (tools/run_tests.py, docs/testing.md): busybox
# applets under `busybox sh`, booted as init on the kernel
# (init=/bin/busybox -- sh /busybox/run.sh /tmp/bb) and run natively on
# the host with the same busybox as the oracle. Every case prints
# "=== NAME" then its output then "=== NAME status N"; the runner compares
# each case's lines on the kernel with the host's. Cases needing pipes are
# named "pipe_*": tools/run_tests.py (BUSYBOX_XFAIL) expects those to fail
# on the kernel until it has pipe(2).
#
# `ls -1` throughout: on the kernel stdout is the console, on the host a
# pipe, and ls lays names out in columns only on a terminal.
#
# Usage: busybox sh run.sh WORKDIR   (WORKDIR is made; the data files are
# next to this script)

data=${0%/*}
work=$1
mkdir -p "$work" || exit 1
cd "$work" || exit 1

# Every applet through a function, so that PATH cannot matter: the
# kernel's initrd has only /bin/busybox and its own /bin/sh and /bin/ls,
# the host its own coreutils, and this busybox has no standalone shell.
for a in awk cat cp cut expr find grep gunzip gzip head ls md5sum mkdir mv \
	rm rmdir sed seq sh sha1sum sort tail touch tr wc xargs; do
	eval "$a() { busybox $a \"\$@\"; }"
done

t() {
	name=$1
	shift
	echo "=== $name"
	( eval "$@" ) 2>&1
	echo "=== $name status $?"
}

echo "busybox-run: begin"
t echo 'echo hello world'
t redir_out 'echo one > f1; echo two > f1; cat f1'
t redir_append 'echo one > f2; echo two >> f2; echo three >> f2; cat f2'
t redir_in 'echo "from a file" > f3; cat < f3; wc -c < f3'
t redir_err 'ls /nonexistent-dir > f4 2>&1; echo "rc $?"; wc -l < f4'
t sh_c 'sh -c "echo inner \$0 \$1 > f5; echo err >&2" zero one 2> f6; cat f5 f6'
t cp_data "cp $data/words.txt words.txt; cp $data/count.sh count.sh; echo copied"
t ls 'mkdir -p d/sub; : > d/a; : > d/b; : > d/sub/c; ls -1 d; ls -1 d/sub; ls -1a d'
t cat 'cat words.txt f2'
t wc 'wc -l words.txt; wc -w < words.txt; wc -c < words.txt'
t sort 'sort words.txt > s1; cat s1; sort -k2 -n words.txt > s2; cat s2; sort -r -u words.txt > s3; head -n 2 s3'
t grep 'grep apple words.txt; grep -c a words.txt; grep -v e words.txt; grep -n "^[bc]" words.txt; grep nomatch words.txt; echo "rc $?"'
t sed 'sed -e "s/apple/APPLE/" -e "/fig/d" words.txt; sed -n "2,3p" words.txt; sed -i "s/ /=/" f2; cat f2'
t awk "awk '{ s += \$2 } END { print NR, s }' words.txt; awk '\$2 > 4 { print \$1 }' words.txt; awk -F= '{ print \$1 }' f2"
t find 'find d > fl0; sort fl0 > fl; cat fl; find d -type f -name "[ab]" > fl2; sort fl2 > fl3; cat fl3; find d -type d > fl4; cat fl4'
t xargs 'echo d/a d/b > xl; xargs busybox ls -1 < xl; echo "x y z" > xa; xargs -n 1 busybox echo item < xa'
t script 'sh count.sh pear 3 apple 10 fig 7 banana 2 apricot 5'
t rename_rm 'mv f1 g1; ls g1; cat g1; rm g1; ls g1 2>/dev/null; echo "rc $?"; rmdir d/sub 2>/dev/null; echo "rmdir rc $?"; rm -r d; ls -1'
t head_tail 'head -n 2 words.txt > h1; cat h1; tail -n 2 words.txt > h2; cat h2; cut -d " " -f 1 words.txt > h3; cat h3'
t test_expr 'test -f words.txt && echo file; [ -d nope ] || echo nodir; expr 6 \* 7; seq 1 3 > sq; cat sq'
t touch 'touch -c nothing; touch made; ls -1 made; touch made; echo "rc $?"; rm made'
t read_builtin 'read -r a b < words.txt; echo "got: $a and $b"; sh -c "read x; echo \$x" < f3'
t md5 'md5sum words.txt; sha1sum count.sh'
# Expected to fail on the kernel (BUSYBOX_XFAIL in tools/run_tests.py
# The pipe_* cases below need pipe(2); command substitution reads the
# command's output through a pipe too.
t pipe_subst 'x=$(cat f5); echo "[$x]"; echo "$(echo nested $(echo deeper))"'
t pipe_tr 'echo a | tr a b'
t pipe_sort 'cat words.txt | sort | head -n 3'
t pipe_gzip 'cp words.txt big; i=0; while [ $i -lt 16 ]; do cat big big > big2; mv big2 big; i=$((i + 1)); done; wc -c < big; gzip -c big | gunzip -c | md5sum; md5sum < big'
echo "busybox-run: end"
