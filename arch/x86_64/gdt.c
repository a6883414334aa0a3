/*
 * gdt.c - the Global Descriptor Table and the Task State Segment.
 * In long mode segments are flat; the GDT matters for the privilege level
 * of code segments and for the TSS, which holds the stacks the CPU
 * switches to: RSP0 for traps from user mode, IST1 for double faults (so
 * that a kernel stack overflow still gets reported), IST2 for NMIs.
 *
 * Every CPU has its own GDT and TSS (ltr marks a TSS descriptor busy, and
 * a busy TSS cannot be loaded by a second CPU) and its own IST stacks (two
 * CPUs taking an NMI at once would share one). The boot CPU's IST stacks
 * are static, because gdt_init() runs before any allocator; the others'
 * come from kstack_alloc(), with a guard page below each. Linux keeps the
 * same per-CPU gdt_page and cpu_tss_rw.
 */
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/percpu.h>
#include <kernel/string.h>
#include <mm/kstack.h>
#include <asm/desc.h>

struct tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;

#define IST_STACK_SIZE 8192 /* bytes: two pages */

static struct tss64 tss[NR_CPUS];
static u8 ist_df_stack[IST_STACK_SIZE] __aligned(16);  /* boot CPU's */
static u8 ist_nmi_stack[IST_STACK_SIZE] __aligned(16); /* boot CPU's */

/*
 * 7 code/data slots + one 16-byte TSS descriptor. Slot 0x18 is where
 * sysret counts user CS and SS from (STAR, kernel/syscall.c) and where a
 * 32-bit user code segment would sit. It stays empty: nothing here runs
 * 32-bit code, and without such a segment no user program can enter
 * compatibility mode, where `syscall` would jump through MSR_CSTAR. A far
 * jump to 0x1b takes a #GP and the program gets SIGSEGV, as on Linux
 * booted with ia32_emulation=0.
 */
static const u64 gdt_template[9] = {
	0,
	0x00af9a000000ffffULL, /* 0x08 kernel code: L=1, DPL 0 */
	0x00cf92000000ffffULL, /* 0x10 kernel data */
	0,		       /* 0x18 sysret's base: no 32-bit user code */
	0x00cff2000000ffffULL, /* 0x20 user data, DPL 3 */
	0x00affa000000ffffULL, /* 0x28 user code64, DPL 3 */
	0,
	0, /* 0x30 TSS, filled in at run time */
	0,
};
static u64 gdt[NR_CPUS][9] __aligned(16);

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

/* Fill CPU cpu's GDT and TSS, with IST stacks whose tops are given. */
static void gdt_setup(int cpu, u64 df_top, u64 nmi_top)
{
	struct tss64 *t = &tss[cpu];
	u64 base = (u64)t, limit = sizeof(*t) - 1;
	u64 *g = gdt[cpu];

	memcpy(g, gdt_template, sizeof(gdt_template));
	memset(t, 0, sizeof(*t));
	t->ist[IST_DOUBLE_FAULT - 1] = df_top;
	t->ist[IST_NMI - 1] = nmi_top;
	t->iomap_base = sizeof(*t); /* no I/O permission bitmap */

	/* 64-bit available TSS (type 9), present, DPL 0. */
	g[6] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
	       (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	g[7] = base >> 32;
}

void gdt_load_cpu(int cpu)
{
	struct desc_ptr p = { sizeof(gdt[cpu]) - 1, (u64)gdt[cpu] };

	__asm__ __volatile__("lgdt %0\n\t"
			     "mov %1, %%ds\n\t"
			     "mov %1, %%es\n\t"
			     "mov %1, %%ss\n\t"
			     "xor %%eax, %%eax\n\t"
			     "mov %%eax, %%fs\n\t"
			     "mov %%eax, %%gs\n\t"
			     "pushq %2\n\t" /* reload CS with a far return */
			     "leaq 1f(%%rip), %%rax\n\t"
			     "pushq %%rax\n\t"
			     "lretq\n"
			     "1:\n\t"
			     "ltr %w3"
			     :
			     : "m"(p), "r"(__KERNEL_DS), "i"(__KERNEL_CS),
			       "r"(GDT_TSS_SEL)
			     : "rax", "memory");
}

void gdt_init(void)
{
	gdt_setup(0, (u64)(ist_df_stack + sizeof(ist_df_stack)),
		  (u64)(ist_nmi_stack + sizeof(ist_nmi_stack)));
	gdt_load_cpu(0);
}

int gdt_prepare_cpu(int cpu)
{
	u8 *df = kstack_alloc(IST_STACK_SIZE / 4096);
	u8 *nmi = kstack_alloc(IST_STACK_SIZE / 4096);

	if (!df || !nmi) {
		if (df)
			kstack_free(df, IST_STACK_SIZE / 4096);
		if (nmi)
			kstack_free(nmi, IST_STACK_SIZE / 4096);
		return -ENOMEM;
	}
	gdt_setup(cpu, (u64)(df + IST_STACK_SIZE), (u64)(nmi + IST_STACK_SIZE));
	return 0;
}

void tss_set_rsp0(u64 rsp0)
{
	tss[this_cpu()->cpu].rsp[0] = rsp0;
}
