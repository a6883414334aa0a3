/*
 * clone.S - __clone(fn, stack, flags, arg, parent_tid, tls, child_tid):
 * the raw clone system call (56) for clone() in unistd.c.
 *
 * Arguments arrive in rdi=fn, rsi=stack, rdx=flags, rcx=arg, r8=ptid,
 * r9=tls, 8(%rsp)=ctid. Linux takes rdi=flags, rsi=stack, rdx=ptid,
 * r10=ctid, r8=tls. fn and arg are pushed on the child's stack first, since
 * the child starts with the parent's registers but that new stack: it pops
 * them, calls fn(arg) with a 16-byte aligned stack and passes fn's return
 * value to exit (60: this thread only). Returns the raw result (tid or
 * -errno) in the parent.
 */
	.text
	.globl	__clone
	.type	__clone, @function
__clone:
	andq	$-16, %rsi		/* the child's stack, aligned */
	subq	$16, %rsi
	movq	%rdi, 0(%rsi)		/* fn */
	movq	%rcx, 8(%rsi)		/* arg */
	movq	%rdx, %rdi		/* flags */
	movq	%r8, %rdx		/* parent_tid */
	movq	%r9, %r8		/* tls */
	movq	8(%rsp), %r10		/* child_tid */
	movl	$56, %eax
	syscall
	testq	%rax, %rax
	jz	1f
	ret				/* parent (or error) */
1:	xorl	%ebp, %ebp		/* child: outermost frame */
	popq	%rax			/* fn */
	popq	%rdi			/* arg */
	call	*%rax
	movl	%eax, %edi
	movl	$60, %eax		/* exit(fn's result) */
	syscall
	hlt
	.size	__clone, . - __clone

	.section .note.GNU-stack, "", @progbits
