/*
 * proc.c - procfs: /proc, a directory of synthetic files that describe
 * the processes and the machine, in Linux's formats (fs/proc/ of
 * Linux 6.1; docs/vfs.md, "procfs").
 *
 * The VFS has one tree and no mount points, so /proc is a directory of
 * that tree (made by proc_init()) whose inode has a lookup(): the walk
 * (fs/namei.c walk_component()) asks it for a name it does not find
 * among the dentry's children, and it makes a fresh dentry and inode
 * for that name, never put into the tree: the last dput() frees them.
 * An inode says what it is in i_rdev: the kind of file (P_*) in the low
 * bits, the process id above (PROC_INO()). Nothing is cached, so
 * /proc/PID of a process that exits simply stops being found.
 *
 * A file's text is made whole at open (Linux's single_open() with a
 * seq_file buffer that grows until the text fits, as seq_read() retries
 * with a bigger buffer): read and lseek see a snapshot, and a text that
 * cannot get its memory makes the open fail with ENOMEM instead of
 * being cut short.
 *
 * /proc/self and /proc/PID/exe are symbolic links (get_link()); the
 * walk follows them.
 */
#include <kernel/boot_params.h>
#include <kernel/compiler.h>
#include <kernel/cpumask.h>
#include <kernel/err.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/proc_fs.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <mm/kmalloc.h>
#include <mm/mm_types.h>
#include <mm/mmap_lock.h>
#include <mm/page.h>
#include <mm/huge_mm.h>
#include <mm/page_alloc.h>
#include <mm/page_init.h>
#include <mm/pgtable.h>
#include <mm/user_mm.h>
#include <mm/vma.h>

#include <stdarg.h>

/* What an inode is (its i_rdev's low bits). */
enum {
	P_ROOT,
	P_SELF,
	P_MEMINFO,
	P_CPUINFO,
	P_SYS,
	P_SYS_FS,
	P_FILE_NR,
	P_PID, /* /proc/PID */
	P_MAPS,
	P_SMAPS,
	P_STATUS,
	P_STAT,
	P_CMDLINE,
	P_EXE,
	P_VMSTAT,
	P_KCMDLINE, /* /proc/cmdline: the kernel's */
};

#define P_TYPE_BITS	 5
#define PROC_INO(pid, t) ((unsigned int)(pid) << P_TYPE_BITS | (t))
#define PROC_TYPE(inode) ((int)((inode)->i_rdev & ((1u << P_TYPE_BITS) - 1)))
#define PROC_PID(inode)	 ((int)((inode)->i_rdev >> P_TYPE_BITS))

struct proc_entry {
	const char *name;
	umode_t mode;
	int type;
};

static const struct proc_entry root_entries[] = {
	{ "self", S_IFLNK | 0777, P_SELF },
	{ "meminfo", S_IFREG | 0444, P_MEMINFO },
	{ "cpuinfo", S_IFREG | 0444, P_CPUINFO },
	{ "cmdline", S_IFREG | 0444, P_KCMDLINE },
	{ "sys", S_IFDIR | 0555, P_SYS },
	{ "vmstat", S_IFREG | 0444, P_VMSTAT },
};
static const struct proc_entry sys_entries[] = {
	{ "fs", S_IFDIR | 0555, P_SYS_FS },
};
static const struct proc_entry sys_fs_entries[] = {
	{ "file-nr", S_IFREG | 0444, P_FILE_NR },
};
static const struct proc_entry pid_entries[] = {
	{ "cmdline", S_IFREG | 0444, P_CMDLINE },
	{ "exe", S_IFLNK | 0777, P_EXE },
	{ "maps", S_IFREG | 0444, P_MAPS },
	{ "smaps", S_IFREG | 0444, P_SMAPS },
	{ "stat", S_IFREG | 0444, P_STAT },
	{ "status", S_IFREG | 0444, P_STATUS },
};

/* The entries of a directory of type t, and their number. */
static const struct proc_entry *dir_entries(int t, size_t *n)
{
	switch (t) {
	case P_ROOT:
		*n = ARRAY_SIZE(root_entries);
		return root_entries;
	case P_SYS:
		*n = ARRAY_SIZE(sys_entries);
		return sys_entries;
	case P_SYS_FS:
		*n = ARRAY_SIZE(sys_fs_entries);
		return sys_fs_entries;
	case P_PID:
		*n = ARRAY_SIZE(pid_entries);
		return pid_entries;
	default:
		*n = 0;
		return NULL;
	}
}

/* ---- the text buffer (Linux's seq_file, cut down) ---- */

int pbuf_printf(struct pbuf *pb, const char *fmt, ...)
{
	va_list ap;

	if (pb->err)
		return pb->err;
	for (;;) {
		size_t room = pb->cap - pb->len;
		int n;
		char *nb;

		va_start(ap, fmt);
		n = vsnprintf(pb->buf ? pb->buf + pb->len : NULL, room, fmt,
			      ap);
		va_end(ap);
		if (n < 0)
			return pb->err = -EINVAL;
		if ((size_t)n < room) {
			pb->len += (size_t)n;
			return 0;
		}
		/* Did not fit: a buffer twice as big, and again. */
		{
			size_t cap = pb->cap ? pb->cap * 2 : 1024;

			while (cap - pb->len <= (size_t)n)
				cap *= 2;
			nb = kmalloc(cap);
			if (!nb)
				return pb->err = -ENOMEM;
			if (pb->buf)
				memcpy(nb, pb->buf, pb->len);
			kfree(pb->buf);
			pb->buf = nb;
			pb->cap = cap;
		}
	}
}

/* Append len raw bytes (NULs included). */
static int pbuf_write(struct pbuf *pb, const void *p, size_t len)
{
	if (pb->err)
		return pb->err;
	if (pb->cap - pb->len < len) {
		size_t cap = pb->cap ? pb->cap : 1024;
		char *nb;

		while (cap - pb->len < len)
			cap *= 2;
		nb = kmalloc(cap);
		if (!nb)
			return pb->err = -ENOMEM;
		if (pb->buf)
			memcpy(nb, pb->buf, pb->len);
		kfree(pb->buf);
		pb->buf = nb;
		pb->cap = cap;
	}
	memcpy(pb->buf + pb->len, p, len);
	pb->len += len;
	return 0;
}

/* Pad with spaces to column col of the current line (Linux's seq_pad()
 * after seq_setwidth()), then one more space. */
static void pbuf_pad(struct pbuf *pb, size_t line_start, size_t col)
{
	size_t have = pb->len - line_start;

	pbuf_printf(pb, "%*s", (int)(have < col ? col - have : 0) + 1, "");
}

/* ---- what a process is ---- */

struct task_info {
	int pid, ppid, pgrp, session, threads;
	char comm[TASK_COMM_LEN];
	char state;
	unsigned long min_flt, cmin_flt;
	u64 run_ticks;	      /* TSC ticks of all its threads */
	struct mm_struct *mm; /* mmgrab()bed, or NULL */
};

/* A snapshot of process (thread group) pid: -ENOENT when there is none
 * (a thread's id is not a /proc entry here; Linux hides it too). */
static int get_task_info(int pid, struct task_info *ti)
{
	unsigned long flags;
	struct task *t, *p;

	memset(ti, 0, sizeof(*ti));
	spin_lock_irqsave(&tasks_lock, flags);
	t = find_task_locked(pid);
	if (!t || t->tgid != pid || t->state == TASK_DEAD) {
		spin_unlock_irqrestore(&tasks_lock, flags);
		return -ENOENT;
	}
	ti->pid = pid;
	ti->ppid = t->parent ? t->parent->tgid : 0;
	if (t->signal) {
		ti->pgrp = t->signal->pgrp;
		ti->session = t->signal->session;
	}
	memcpy(ti->comm, t->comm, TASK_COMM_LEN);
	ti->comm[TASK_COMM_LEN - 1] = 0;
	switch (t->state) {
	case TASK_INTERRUPTIBLE:
		ti->state = 'S';
		break;
	case TASK_ZOMBIE:
		ti->state = 'Z';
		break;
	default:
		ti->state = 'R';
		break;
	}
	ti->min_flt = t->group_ru.min_flt;
	ti->cmin_flt = t->cru.min_flt;
	ti->run_ticks = t->group_ru.run_ticks;
	list_for_each_entry(p, &all_tasks, tasks) {
		if (p->tgid != pid || p->state == TASK_DEAD ||
		    (p->flags & PF_IDLE))
			continue;
		if (p->state != TASK_ZOMBIE || p == t)
			ti->threads++;
		ti->min_flt += p->ru.min_flt;
		ti->run_ticks += p->runtime_ticks;
	}
	ti->mm = t->mm;
	if (ti->mm)
		mmgrab(ti->mm);
	spin_unlock_irqrestore(&tasks_lock, flags);
	return 0;
}

static void put_task_info(struct task_info *ti)
{
	if (ti->mm)
		mmdrop(ti->mm);
}

/* Lock ti's mm for reading; false (unlocked) when it is torn down. */
static bool mm_read_live(struct mm_struct *mm)
{
	if (!mm)
		return false;
	mmap_read_lock(mm);
	if (__atomic_load_n(&mm->users, __ATOMIC_ACQUIRE) > 0)
		return true;
	mmap_read_unlock(mm);
	return false;
}

/* Linux's show_map_vma() name rules for an anonymous mapping. */
static const char *vma_name(struct mm_struct *mm, struct vm_area_struct *vma)
{
	if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk &&
	    mm->brk > mm->start_brk)
		return "[heap]";
	if (vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack)
		return "[stack]";
	return NULL;
}

/* One maps line: Linux's show_map_vma(). All mappings are anonymous:
 * offset 0, device 00:00, inode 0. */
static void show_map_vma(struct pbuf *pb, struct mm_struct *mm,
			 struct vm_area_struct *vma)
{
	unsigned long f = vma->vm_flags;
	size_t start = pb->len;
	const char *name = vma_name(mm, vma);

	pbuf_printf(pb, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ",
		    vma->vm_start, vma->vm_end, f & VM_READ ? 'r' : '-',
		    f & VM_WRITE ? 'w' : '-', f & VM_EXEC ? 'x' : '-',
		    f & VM_SHARED ? 's' : 'p', 0ULL, 0u, 0u, 0UL);
	if (name) {
		/* seq_setwidth(25 + 6 * sizeof(void *) - 1), seq_pad(' '):
		 * the name starts at column 73. */
		pb->len--; /* the header's own trailing space */
		pbuf_pad(pb, start, 25 + 6 * sizeof(void *) - 1);
		pbuf_printf(pb, "%s", name);
	}
	pbuf_printf(pb, "\n");
}

static void show_maps(struct pbuf *pb, struct mm_struct *mm, bool smaps)
{
	struct vm_area_struct *vma;

	if (!mm_read_live(mm))
		return;
	for_each_vma(mm, vma) {
		unsigned long kb = (vma->vm_end - vma->vm_start) >> 10;
		unsigned long rss, locked, huge;

		show_map_vma(pb, mm, vma);
		if (!smaps)
			continue;
		/* Linux's show_smap() + __show_smap(): every page here is
		 * anonymous and private; a page fork shares copy-on-write
		 * counts whole in Pss (no map counts kept). */
		rss = mm_range_rss(mm, vma->vm_start, vma->vm_end) * 4;
		huge = mm_range_anon_huge(mm, vma->vm_start, vma->vm_end) * 4;
		locked = (vma->vm_flags & VM_LOCKED) ? rss : 0;
		pbuf_printf(pb, "%-16s%8lu kB\n", "Size:", kb);
		pbuf_printf(pb, "%-16s%8lu kB\n", "KernelPageSize:", 4UL);
		pbuf_printf(pb, "%-16s%8lu kB\n", "MMUPageSize:", 4UL);
		pbuf_printf(pb, "%-16s%8lu kB\n", "Rss:", rss);
		pbuf_printf(pb, "%-16s%8lu kB\n", "Pss:", rss);
		pbuf_printf(pb, "%-16s%8lu kB\n", "Pss_Dirty:", rss);
		pbuf_printf(pb, "%-16s%8lu kB\n", "Shared_Clean:", 0UL);
		pbuf_printf(pb, "%-16s%8lu kB\n", "Shared_Dirty:", 0UL);
		pbuf_printf(pb, "%-16s%8lu kB\n", "Private_Clean:", 0UL);
		pbuf_printf(pb, "%-16s%8lu kB\n", "Private_Dirty:", rss);
		pbuf_printf(pb, "%-16s%8lu kB\n", "Referenced:", rss);
		pbuf_printf(pb, "%-16s%8lu kB\n", "Anonymous:", rss);
		pbuf_printf(pb, "%-16s%8lu kB\n", "LazyFree:", 0UL);
		pbuf_printf(pb, "%-16s%8lu kB\n", "AnonHugePages:", huge);
		pbuf_printf(pb, "%-16s%8lu kB\n", "ShmemPmdMapped:", 0UL);
		pbuf_printf(pb, "%-16s%8lu kB\n", "FilePmdMapped:", 0UL);
		pbuf_printf(pb, "%-16s%8lu kB\n", "Shared_Hugetlb:", 0UL);
		pbuf_printf(pb, "%-16s%8lu kB\n", "Private_Hugetlb:", 0UL);
		pbuf_printf(pb, "%-16s%8lu kB\n", "Swap:", 0UL);
		pbuf_printf(pb, "%-16s%8lu kB\n", "SwapPss:", 0UL);
		pbuf_printf(pb, "%-16s%8lu kB\n", "Locked:", locked);
		/* Linux's: the VMA may get huge pages (its mode and advice,
		 * and room for one aligned 2 MiB page). */
		pbuf_printf(pb, "THPeligible:    %d\n",
			    hugepage_vma_check(vma) &&
				    ALIGN_UP(vma->vm_start, HPAGE_PMD_SIZE) +
						    HPAGE_PMD_SIZE <=
					    vma->vm_end);
	}
	mmap_read_unlock(mm);
}

/* Sizes of ti's address space in kB: total, locked, rss, peak rss,
 * stack. */
struct mm_sizes {
	unsigned long vm, lck, rss, hwm, stk, data, exe;
};

static void get_mm_sizes(struct mm_struct *mm, struct mm_sizes *s)
{
	struct vm_area_struct *vma;

	memset(s, 0, sizeof(*s));
	if (!mm_read_live(mm))
		return;
	for_each_vma(mm, vma) {
		unsigned long kb = (vma->vm_end - vma->vm_start) >> 10;

		s->vm += kb;
		if (vma->vm_flags & VM_LOCKED)
			s->lck += kb;
		if (vma->vm_flags & VM_GROWSDOWN)
			s->stk += kb;
		else if (vma->vm_flags & VM_EXEC)
			s->exe += kb;
		else if (vma->vm_flags & VM_WRITE)
			s->data += kb;
	}
	s->rss = mm->rss * 4;
	s->hwm = get_mm_hiwater_rss(mm) * 4;
	mmap_read_unlock(mm);
}

/* Linux's proc_pid_status() (task_state() + task_mem()), the lines it
 * has values for here. Every task runs as root. */
static void show_status(struct pbuf *pb, struct task_info *ti)
{
	static const char *const names[] = { ['R'] = "R (running)",
					     ['S'] = "S (sleeping)",
					     ['Z'] = "Z (zombie)" };
	struct mm_sizes s;

	get_mm_sizes(ti->mm, &s);
	pbuf_printf(pb, "Name:\t%s\n", ti->comm);
	pbuf_printf(pb, "Umask:\t0022\n");
	pbuf_printf(pb, "State:\t%s\n", names[(int)ti->state]);
	pbuf_printf(pb, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n", ti->pid,
		    ti->pid, ti->ppid);
	pbuf_printf(pb, "TracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n");
	if (ti->mm) {
		/* VmPeak: no high-water mark of the size is kept: the size. */
		pbuf_printf(pb, "VmPeak:\t%8lu kB\n", s.vm);
		pbuf_printf(pb, "VmSize:\t%8lu kB\n", s.vm);
		pbuf_printf(pb, "VmLck:\t%8lu kB\n", s.lck);
		pbuf_printf(pb, "VmPin:\t%8lu kB\n", 0UL);
		pbuf_printf(pb, "VmHWM:\t%8lu kB\n", s.hwm);
		pbuf_printf(pb, "VmRSS:\t%8lu kB\n", s.rss);
		pbuf_printf(pb, "RssAnon:\t%8lu kB\n", s.rss);
		pbuf_printf(pb, "RssFile:\t%8lu kB\n", 0UL);
		pbuf_printf(pb, "RssShmem:\t%8lu kB\n", 0UL);
		pbuf_printf(pb, "VmData:\t%8lu kB\n", s.data);
		pbuf_printf(pb, "VmStk:\t%8lu kB\n", s.stk);
		pbuf_printf(pb, "VmExe:\t%8lu kB\n", s.exe);
		pbuf_printf(pb, "VmLib:\t%8lu kB\n", 0UL);
		pbuf_printf(pb, "VmSwap:\t%8lu kB\n", 0UL);
	}
	pbuf_printf(pb, "Threads:\t%d\n", ti->threads);
}

/* Clock ticks (USER_HZ, 100 a second) of TSC ticks. */
static unsigned long ticks_to_clock_t(u64 tsc)
{
	return (unsigned long)(tsc_to_ns(tsc) / 10000000ULL);
}

/* Linux's do_task_stat(): 52 fields; those with no counterpart here
 * are 0. */
static void show_stat(struct pbuf *pb, struct task_info *ti)
{
	struct mm_sizes s;
	unsigned long vsize = 0, rss = 0;

	get_mm_sizes(ti->mm, &s);
	if (ti->mm) {
		vsize = s.vm << 10;
		rss = s.rss / 4;
	}
	pbuf_printf(pb, "%d (%s) %c %d %d %d 0 -1 %u %lu %lu 0 0 %lu 0 0 0 ",
		    ti->pid, ti->comm, ti->state, ti->ppid, ti->pgrp,
		    ti->session, 0x400000u /* PF_RANDOMIZE-like */, ti->min_flt,
		    ti->cmin_flt, ticks_to_clock_t(ti->run_ticks));
	/* priority nice num_threads itrealvalue starttime vsize rss
	 * rsslim */
	pbuf_printf(pb, "20 0 %d 0 0 %lu %lu 18446744073709551615 ",
		    ti->threads, vsize, rss);
	/* startcode endcode startstack kstkesp kstkeip signal blocked
	 * sigignore sigcatch wchan nswap cnswap exit_signal processor
	 * rt_priority policy delayacct_blkio_ticks guest_time
	 * cguest_time start_data end_data start_brk arg_start arg_end
	 * env_start env_end exit_code */
	pbuf_printf(pb,
		    "0 0 %lu 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 %lu %lu %lu "
		    "0 0 0\n",
		    ti->mm ? ti->mm->start_stack : 0UL,
		    ti->mm ? ti->mm->start_brk : 0UL,
		    ti->mm ? ti->mm->arg_start : 0UL,
		    ti->mm ? ti->mm->arg_end : 0UL);
}

/* The argv strings as the process's memory holds them (Linux's
 * get_mm_cmdline()), read through the direct map. */
static void show_cmdline(struct pbuf *pb, struct task_info *ti)
{
	struct mm_struct *mm = ti->mm;
	unsigned long va, end;
	char page[256];

	if (!mm_read_live(mm))
		return;
	va = mm->arg_start;
	end = mm->arg_end;
	while (va < end) {
		size_t chunk = MIN(MIN(end - va, PAGE_SIZE - (va & ~PAGE_MASK)),
				   sizeof(page));
		unsigned long irqflags;
		phys_addr_t pa;
		bool ok = false;

		spin_lock_irqsave(&mm->page_table_lock, irqflags);
		if (!follow_phys(mm, va, &pa)) {
			memcpy(page, __va(pa), chunk);
			ok = true;
		}
		spin_unlock_irqrestore(&mm->page_table_lock, irqflags);
		if (!ok)
			break;
		pbuf_write(pb, page, chunk);
		va += chunk;
	}
	mmap_read_unlock(mm);
}

static void show_meminfo(struct pbuf *pb)
{
	unsigned long total = nr_managed_pages() * 4;
	unsigned long free = nr_free_pages() * 4;
	static const char *const zero[] = {
		"Buffers:",   "Cached:",    "SwapCached:", "Active:",
		"Inactive:",  "SwapTotal:", "SwapFree:",   "Dirty:",
		"Writeback:", "AnonPages:", "Mapped:",	   "Shmem:",
	};

	/* Linux's meminfo_proc_show(): labels padded to 16, values to 8. */
	pbuf_printf(pb, "%-16s%8lu kB\n", "MemTotal:", total);
	pbuf_printf(pb, "%-16s%8lu kB\n", "MemFree:", free);
	pbuf_printf(pb, "%-16s%8lu kB\n", "MemAvailable:", free);
	for (size_t i = 0; i < ARRAY_SIZE(zero); i++)
		pbuf_printf(pb, "%-16s%8lu kB\n", zero[i], 0UL);
}

static void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	asm volatile("cpuid"
		     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
		     : "a"(leaf), "c"(0));
}

/* Names of CPUID.1 EDX and ECX bits, as Linux's cpufeatures.h spells
 * them in /proc/cpuinfo ("" for none). */
static const char *const edx1[32] = {
	"fpu",	"vme",	 "de",	 "pse",	    "tsc",  "msr", "pae",  "mce",
	"cx8",	"apic",	 "",	 "sep",	    "mtrr", "pge", "mca",  "cmov",
	"pat",	"pse36", "pn",	 "clflush", "",	    "dts", "acpi", "mmx",
	"fxsr", "sse",	 "sse2", "ss",	    "ht",   "tm",  "ia64", "pbe",
};
static const char *const ecx1[32] = {
	"pni",	  "pclmulqdq",	"dtes64", "monitor", "ds_cpl",
	"vmx",	  "smx",	"est",	  "tm2",     "ssse3",
	"cid",	  "sdbg",	"fma",	  "cx16",    "xtpr",
	"pdcm",	  "",		"pcid",	  "dca",     "sse4_1",
	"sse4_2", "x2apic",	"movbe",  "popcnt",  "tsc_deadline_timer",
	"aes",	  "xsave",	"",	  "avx",     "f16c",
	"rdrand", "hypervisor",
};

static void show_cpuinfo(struct pbuf *pb)
{
	u32 a, b, c, d, max, fam, model, step;
	char vendor[13], name[49];
	int cpu;

	cpuid(0, &max, &b, &c, &d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	vendor[12] = 0;
	cpuid(1, &a, &b, &c, &d);
	fam = (a >> 8) & 0xf;
	model = (a >> 4) & 0xf;
	step = a & 0xf;
	if (fam == 0xf)
		fam += (a >> 20) & 0xff;
	if (fam >= 6)
		model += ((a >> 16) & 0xf) << 4;
	memset(name, 0, sizeof(name));
	cpuid(0x80000000, &max, &b, &c, &d);
	if (max >= 0x80000004) {
		for (u32 i = 0; i < 3; i++) {
			u32 r[4];

			cpuid(0x80000002 + i, &r[0], &r[1], &r[2], &r[3]);
			memcpy(name + 16 * i, r, 16);
		}
	}
	for_each_online_cpu(cpu)
	{
		/* Linux's show_cpuinfo() (arch/x86/kernel/cpu/proc.c). */
		pbuf_printf(pb, "processor\t: %d\n", cpu);
		pbuf_printf(pb, "vendor_id\t: %s\n", vendor);
		pbuf_printf(pb, "cpu family\t: %u\nmodel\t\t: %u\n", fam,
			    model);
		pbuf_printf(pb, "model name\t: %s\n",
			    name[0] ? name : "unknown");
		pbuf_printf(pb, "stepping\t: %u\n", step);
		pbuf_printf(pb, "cpu MHz\t\t: %lu.%03lu\n",
			    (unsigned long)(tsc_khz / 1000),
			    (unsigned long)(tsc_khz % 1000));
		pbuf_printf(pb, "fpu\t\t: yes\nfpu_exception\t: yes\n");
		pbuf_printf(pb, "cpuid level\t: %u\nwp\t\t: yes\nflags\t\t:",
			    (unsigned)max);
		cpuid(1, &a, &b, &c, &d);
		for (int i = 0; i < 32; i++)
			if ((d >> i & 1) && edx1[i][0])
				pbuf_printf(pb, " %s", edx1[i]);
		for (int i = 0; i < 32; i++)
			if ((c >> i & 1) && ecx1[i][0])
				pbuf_printf(pb, " %s", ecx1[i]);
		pbuf_printf(pb, "\n\n");
	}
}

/*
 * /proc/vmstat: Linux's "name value" lines, for the events kept here:
 * the THP events under Linux's names, then ours (what the huge faults
 * spent zeroing; who zeroed the large blocks, mm/page_init.c).
 */
static void show_vmstat(struct pbuf *pb)
{
	static const struct {
		const char *name;
		const unsigned long *v;
	} events[] = {
		{ "thp_fault_alloc", &thp_counters.thp_fault_alloc },
		{ "thp_fault_fallback", &thp_counters.thp_fault_fallback },
		{ "thp_split_pmd", &thp_counters.thp_split_pmd },
		{ "thp_zero_page_alloc", &thp_counters.thp_zero_page_alloc },
		{ "thp_fault_zero_ticks", &thp_counters.thp_fault_zero_ticks },
		{ "page_init_inline_blocks", &page_init_stats.inline_blocks },
		{ "page_init_offlevel_blocks",
		  &page_init_stats.offlevel_blocks },
		{ "page_init_remote_blocks", &page_init_stats.remote_blocks },
		{ "page_init_abandoned_blocks",
		  &page_init_stats.abandoned_blocks },
		{ "page_init_wait_ns", &page_init_stats.wait_ns },
		{ "page_init_worker_ns", &page_init_stats.worker_ns },
	};

	pbuf_printf(pb, "nr_free_pages %lu\n", nr_free_pages());
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		pbuf_printf(pb, "%s %lu\n", events[i].name,
			    READ_ONCE(*events[i].v));
}

/* Linux's file-nr: allocated, free (always 0 since 2.6), max
 * (files_maxfiles_init(): 10% of memory at 1 KiB a file, NR_FILE at
 * least). */
static void show_file_nr(struct pbuf *pb)
{
	unsigned long max = nr_managed_pages() * (PAGE_SIZE / 1024) / 10;

	pbuf_printf(pb, "%lu\t0\t%lu\n", get_nr_files(), MAX(max, 8192UL));
}

int proc_fill(struct inode *inode, struct pbuf *pb)
{
	struct task_info ti;
	int t = PROC_TYPE(inode), err;

	switch (t) {
	case P_MEMINFO:
		show_meminfo(pb);
		return pb->err;
	case P_CPUINFO:
		show_cpuinfo(pb);
		return pb->err;
	case P_FILE_NR:
		show_file_nr(pb);
		return pb->err;
	case P_VMSTAT:
		show_vmstat(pb);
		return pb->err;
	case P_KCMDLINE:
		pbuf_printf(pb, "%s\n", boot_params.cmdline);
		return pb->err;
	default:
		break;
	}
	err = get_task_info(PROC_PID(inode), &ti);
	if (err)
		return -ESRCH; /* it exited since the lookup: Linux's */
	switch (t) {
	case P_MAPS:
		show_maps(pb, ti.mm, false);
		break;
	case P_SMAPS:
		show_maps(pb, ti.mm, true);
		break;
	case P_STATUS:
		show_status(pb, &ti);
		break;
	case P_STAT:
		show_stat(pb, &ti);
		break;
	case P_CMDLINE:
		show_cmdline(pb, &ti);
		break;
	default:
		break;
	}
	put_task_info(&ti);
	return pb->err;
}

/* ---- files ---- */

static int proc_open(struct inode *inode, struct file *file)
{
	struct pbuf *pb = kzalloc(sizeof(*pb));
	int err;

	if (!pb)
		return -ENOMEM;
	/* Root opens even a 0444 file for writing (CAP_DAC_OVERRIDE);
	 * with no write_iter, a write is then EINVAL (Linux's). */
	err = proc_fill(inode, pb);
	if (err) {
		kfree(pb->buf);
		kfree(pb);
		return err;
	}
	file->private_data = pb;
	return 0;
}

static int proc_release(struct inode *inode, struct file *file)
{
	struct pbuf *pb = file->private_data;

	(void)inode;
	kfree(pb->buf);
	kfree(pb);
	return 0;
}

static long proc_read(struct kiocb *iocb, struct iov_iter *to)
{
	struct pbuf *pb = iocb->ki_filp->private_data;
	size_t n, c;

	if (iocb->ki_pos >= (loff_t)pb->len)
		return 0;
	n = MIN(iov_iter_count(to), pb->len - (size_t)iocb->ki_pos);
	c = copy_to_iter(pb->buf + iocb->ki_pos, n, to);
	if (c == 0 && n)
		return -EFAULT;
	iocb->ki_pos += (loff_t)c;
	return (long)c;
}

static loff_t proc_llseek(struct file *file, loff_t offset, int whence)
{
	struct pbuf *pb = file->private_data;

	return generic_file_llseek_size(file, offset, whence, MAX_LFS_FILESIZE,
					(loff_t)pb->len);
}

static const struct file_operations proc_file_operations = {
	.llseek = proc_llseek,
	.read_iter = proc_read,
	.open = proc_open,
	.release = proc_release,
};

/* ---- directories ---- */

static struct dentry *proc_make(struct dentry *dir, const char *name,
				unsigned int len, umode_t mode, int type,
				int pid);

static long proc_dir_read(struct kiocb *iocb, struct iov_iter *to)
{
	(void)iocb;
	(void)to;
	return -EISDIR;
}

static loff_t proc_dir_llseek(struct file *file, loff_t offset, int whence)
{
	if (whence == SEEK_CUR)
		offset += file->f_pos;
	else if (whence != SEEK_SET)
		return -EINVAL;
	if (offset < 0)
		return -EINVAL;
	file->f_pos = offset;
	return offset;
}

/* The n-th process (thread-group leader, live or zombie), counting from
 * 0, in the order of the task list: its pid, or -1 past the last. */
static int nth_process(loff_t n)
{
	unsigned long flags;
	struct task *t;
	int pid = -1;

	spin_lock_irqsave(&tasks_lock, flags);
	list_for_each_entry(t, &all_tasks, tasks) {
		if (t->pid != t->tgid || t->pid <= 0 || t->state == TASK_DEAD ||
		    (t->flags & PF_IDLE))
			continue;
		if (n-- == 0) {
			pid = t->pid;
			break;
		}
	}
	spin_unlock_irqrestore(&tasks_lock, flags);
	return pid;
}

/* Entries: ".", "..", the fixed ones, then (in /proc) one per process. */
static int proc_iterate(struct file *file, struct dir_context *ctx)
{
	struct dentry *dir = file->f_path.dentry;
	struct inode *inode = dir->d_inode;
	int t = PROC_TYPE(inode);
	size_t n;
	const struct proc_entry *e = dir_entries(t, &n);

	if (ctx->pos == 0) {
		if (!dir_emit(ctx, ".", 1, inode->i_ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (!dir_emit(ctx, "..", 2, 1, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	while ((size_t)(ctx->pos - 2) < n) {
		const struct proc_entry *p = &e[ctx->pos - 2];

		if (!dir_emit(ctx, p->name, (int)strlen(p->name),
			      PROC_INO(PROC_PID(inode), p->type),
			      (p->mode >> 12) & 15))
			return 0;
		ctx->pos++;
	}
	if (t != P_ROOT)
		return 0;
	for (;;) {
		int pid = nth_process(ctx->pos - 2 - (loff_t)n);
		char name[16];
		int len;

		if (pid < 0)
			return 0;
		len = snprintf(name, sizeof(name), "%d", pid);
		if (!dir_emit(ctx, name, len, PROC_INO(pid, P_PID), DT_DIR))
			return 0;
		ctx->pos++;
	}
}

static const struct file_operations proc_dir_operations = {
	.llseek = proc_dir_llseek,
	.read_iter = proc_dir_read,
	.iterate_shared = proc_iterate,
};

/* A decimal pid without sign or leading zeros, or -1. */
static int name_to_pid(const char *name, unsigned int len)
{
	long v = 0;

	if (len == 0 || len > 9 || (name[0] == '0'))
		return -1;
	for (unsigned int i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return (int)v;
}

static struct dentry *proc_lookup(struct dentry *dir, const char *name,
				  unsigned int len)
{
	struct inode *inode = dir->d_inode;
	int t = PROC_TYPE(inode), pid = PROC_PID(inode);
	size_t n;
	const struct proc_entry *e = dir_entries(t, &n);
	struct task_info ti;

	for (size_t i = 0; i < n; i++)
		if (strlen(e[i].name) == len && !memcmp(e[i].name, name, len))
			return proc_make(dir, name, len, e[i].mode, e[i].type,
					 pid);
	if (t != P_ROOT)
		return NULL;
	pid = name_to_pid(name, len);
	if (pid <= 0 || get_task_info(pid, &ti))
		return NULL;
	put_task_info(&ti);
	return proc_make(dir, name, len, S_IFDIR | 0555, P_PID, pid);
}

static const struct inode_operations proc_dir_inode_operations = {
	.lookup = proc_lookup,
};

/* ---- links ---- */

static char *proc_get_link(struct inode *inode)
{
	char *buf;

	if (PROC_TYPE(inode) == P_SELF) {
		buf = kmalloc(16);
		if (!buf)
			return ERR_PTR(-ENOMEM);
		snprintf(buf, 16, "%d", current->tgid);
		return buf;
	}
	{
		struct task_info ti;
		size_t len;

		if (get_task_info(PROC_PID(inode), &ti))
			return ERR_PTR(-ENOENT);
		buf = NULL;
		/* exe_path is set at exec and freed only with the mm,
		 * which ti holds. */
		if (ti.mm && ti.mm->exe_path) {
			len = strlen(ti.mm->exe_path) + 1;
			buf = kmalloc(len);
			if (buf)
				memcpy(buf, ti.mm->exe_path, len);
			else
				buf = ERR_PTR(-ENOMEM);
		}
		put_task_info(&ti);
		return buf ? buf : ERR_PTR(-ENOENT);
	}
}

static const struct inode_operations proc_link_inode_operations = {
	.get_link = proc_get_link,
};

static const struct inode_operations proc_file_inode_operations;

/* procfs's inodes: another file system than the tree's (link(2) into
 * /proc is -EXDEV). */
static struct super_block proc_sb = { .s_id = "proc" };

static struct dentry *proc_make(struct dentry *dir, const char *name,
				unsigned int len, umode_t mode, int type,
				int pid)
{
	struct inode *inode = new_inode(mode);
	struct dentry *d;

	if (!inode)
		return ERR_PTR(-ENOMEM);
	d = d_alloc(dir, name, len);
	if (!d) {
		iput(inode);
		return ERR_PTR(-ENOMEM);
	}
	inode->i_sb = &proc_sb;
	inode->i_rdev = PROC_INO(pid, type);
	inode->i_ino = PROC_INO(pid, type) + 0x10000000UL;
	if (S_ISDIR(mode)) {
		inode->i_op = &proc_dir_inode_operations;
		inode->i_fop = &proc_dir_operations;
	} else if (S_ISLNK(mode)) {
		inode->i_op = &proc_link_inode_operations;
		inode->i_fop = &proc_file_operations;
	} else {
		inode->i_op = &proc_file_inode_operations;
		inode->i_fop = &proc_file_operations;
	}
	d_instantiate(d, inode);
	return d;
}

void proc_init(void)
{
	struct inode *inode = new_inode(S_IFDIR | 0555);
	struct dentry *d = d_alloc(root_dentry, "proc", 4);

	if (!inode || !d)
		panic("procfs: out of memory at boot");
	inode->i_sb = &proc_sb;
	inode->i_rdev = PROC_INO(0, P_ROOT);
	inode->i_op = &proc_dir_inode_operations;
	inode->i_fop = &proc_dir_operations;
	d_instantiate(d, inode);
	mutex_lock(&tree_mutex);
	d_add_child(d);
	root_dentry->d_inode->i_nlink++; /* its ".." */
	mutex_unlock(&tree_mutex);
	dput(d);
}
