/*
 * resource.h - resource limits (kernel/resource.c): the getrlimit(2),
 * setrlimit(2) and prlimit(2) calls are in kernel/syscalls.h.
 */
#ifndef KERNEL_RESOURCE_H
#define KERNEL_RESOURCE_H

struct task;

/*
 * rlimit_init - give t Linux's initial limits (INIT_RLIMITS: 8 MiB of
 * stack, 1024/4096 fds, no core, ...; infinite where this kernel counts
 * nothing). task_alloc() calls it for every task; fork then copies the
 * parent's over them. Never fails.
 */
void rlimit_init(struct task *t);

#endif
