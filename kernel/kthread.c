/*
 * kthread.c - kernel threads (include/kernel/sched.h), as Linux's
 * kernel/kthread.c: a task with no user half that runs one C function.
 * A kernel thread is joinable: when its function returns it stays a
 * zombie, holding the return value, until kthread_stop() collects it.
 * A detached one (kthread_run_detached) is freed as soon as it returns.
 * kthread_create() makes one without starting it, so that it can be
 * bound to a CPU (kthread_bind) first, as the per-CPU workers are.
 */
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/wait.h>

static DECLARE_WAIT_QUEUE_HEAD(kthread_exit_wq);

static void kthread_main(void *arg)
{
	struct task *self = arg;

	/* A kthread_create()d thread stopped before it ever ran: Linux's
	 * kthread() skips the function and reports -EINTR to
	 * kthread_stop(). (kthread_run() threads always run fn.) */
	if ((self->flags & PF_KTHREAD_CREATED) && kthread_should_stop())
		self->kthread_ret = -EINTR;
	else
		self->kthread_ret = self->threadfn(self->data);
	do_exit(0);
}

static struct task *__kthread_create(int (*fn)(void *data), void *data,
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
	return t;
}

struct task *kthread_create(int (*fn)(void *data), void *data, const char *name)
{
	struct task *t = __kthread_create(fn, data, name, PF_KTHREAD_CREATED);

	if (t)
		t->state = TASK_INTERRUPTIBLE; /* wake_up_process() starts it */
	return t;
}

void kthread_bind(struct task *t, int cpu)
{
	unsigned long flags;

	/* Not started yet, so on no queue and on no CPU: only the mask,
	 * the CPU it will wake on and the flag change. */
	spin_lock_irqsave(&t->pi_lock, flags);
	cpumask_clear(&t->cpus_mask);
	cpumask_set_cpu(cpu, &t->cpus_mask);
	t->cpu = cpu;
	t->flags |= PF_NO_SETAFFINITY;
	spin_unlock_irqrestore(&t->pi_lock, flags);
}

struct task *kthread_create_on_cpu(int (*fn)(void *data), void *data, int cpu,
				   const char *namefmt)
{
	char name[TASK_COMM_LEN];
	struct task *t;

	if (!cpu_online(cpu))
		return NULL;
	snprintf(name, sizeof(name), namefmt, (unsigned int)cpu);
	t = kthread_create(fn, data, name);
	if (t)
		kthread_bind(t, cpu);
	return t;
}

struct task *kthread_run(int (*fn)(void *data), void *data, const char *name)
{
	struct task *t = __kthread_create(fn, data, name, 0);

	if (t)
		task_start(t);
	return t;
}

struct task *kthread_run_detached(int (*fn)(void *data), void *data,
				  const char *name)
{
	struct task *t = __kthread_create(fn, data, name, PF_DETACHED);

	if (t)
		task_start(t);
	return t;
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
	wait_event(kthread_exit_wq, READ_ONCE(t->state) == TASK_ZOMBIE);
	ret = t->kthread_ret;
	task_free(t); /* waits until it has switched out */
	return ret;
}
