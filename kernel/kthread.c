/*
 * kthread.c - kernel threads (include/kernel/sched.h), as Linux's
 * kernel/kthread.c: a task with no user half that runs one C function.
 * A kernel thread is joinable: when its function returns it stays a
 * zombie, holding the return value, until kthread_stop() collects it.
 * A detached one (kthread_run_detached) is freed as soon as it returns.
 */
#include <kernel/sched.h>
#include <kernel/wait.h>

static DECLARE_WAIT_QUEUE_HEAD(kthread_exit_wq);

static void kthread_main(void *arg)
{
	struct task *self = arg;

	self->kthread_ret = self->threadfn(self->data);
	do_exit(0);
}

static struct task *__kthread_run(int (*fn)(void *data), void *data,
				  const char *name, unsigned int flags)
{
	struct task *t = task_alloc(name);

	if (!t)
		return NULL;
	t->flags |= PF_KTHREAD | flags;
	t->threadfn = fn;
	t->data = data;
	t->exit_wq = &kthread_exit_wq;
	task_set_entry(t, (unsigned long)t->stack + KSTACK_SIZE, kthread_main,
		       t);
	task_start(t);
	return t;
}

struct task *kthread_run(int (*fn)(void *data), void *data, const char *name)
{
	return __kthread_run(fn, data, name, 0);
}

struct task *kthread_run_detached(int (*fn)(void *data), void *data,
				  const char *name)
{
	return __kthread_run(fn, data, name, PF_DETACHED);
}

bool kthread_should_stop(void)
{
	return READ_ONCE(current->should_stop);
}

int kthread_stop(struct task *t)
{
	int ret;

	WRITE_ONCE(t->should_stop, true);
	wake_up_process(t);
	wait_event(kthread_exit_wq, t->state == TASK_ZOMBIE);
	ret = t->kthread_ret;
	task_free(t);
	return ret;
}
