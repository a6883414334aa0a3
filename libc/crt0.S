/*
 * crt0.S - process entry point.
 *
 * The kernel (like Linux's execve) enters _start with rsp pointing at
 * argc, followed by argv[0..argc-1], NULL, envp[...], NULL, auxv (SysV
 * x86-64 ABI §3.4.1). rdx may hold a function to register with atexit;
 * we ignore it (static programs, no dynamic linker). _start clears rbp
 * (the outermost frame for backtraces), aligns the stack to 16 bytes and
 * calls __libc_start_main(sp) in start.c, which never returns.
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	xorl	%ebp, %ebp
	movq	%rsp, %rdi
	andq	$-16, %rsp
	call	__libc_start_main
	hlt
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
