/*
 * test_user_mm.c - in-kernel tests of user address spaces and what sits on
 * them: mm/user_mm.c (map/unmap/dup/mmput without leaks), kernel/uaccess.c
 * (copies through the exception table), kernel/initrd.c (ustar lookup, on
 * a synthetic archive and on the boot module when there is one) and
 * kernel/elf.c (rejecting bad images, loading a hand-built one).
 * Suite: user_mm (test=user_mm). ktest_run() also checks that every test
 * gives back exactly the pages it took.
 */
#include <kernel/boot_params.h>
#include <kernel/compiler.h>
#include <kernel/elf.h>
#include <kernel/errno.h>
#include <kernel/exec.h>
#include <kernel/fs.h>
#include <kernel/initrd.h>
#include <kernel/ktest.h>
#include <kernel/percpu.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/uaccess.h>
#include <mm/kmalloc.h>
#include <mm/mm_init.h>
#include <mm/mman.h>
#include <mm/page.h>
#include <mm/page_alloc.h>
#include <mm/user_mm.h>
#include <mm/vma.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>
#include <asm/pgtable_bits.h>
#include <asm/trap_pf.h>
#include <linux/personality.h>
#include "pte_helpers.h"

#define TEST_VA 0x400000UL

static u8 *user_byte(struct mm_struct *mm, unsigned long va)
{
	phys_addr_t pa = user_page_phys(mm, va);

	return pa ? (u8 *)__va(pa) : NULL;
}

/* A user touch of va, as the CPU would report it: demand paging. */
static int touch(struct mm_struct *mm, unsigned long va, bool write)
{
	return handle_user_addr_fault(mm,
				      X86_PF_USER | (write ? X86_PF_WRITE : 0),
				      va);
}

KTEST(user_mm, map_unmap_returns_every_page)
{
	unsigned long free0 = nr_free_pages();
	/* Straddle a 512 GiB (PML4) boundary so that every level is used. */
	unsigned long va = (1UL << PGDIR_SHIFT) - 2 * PAGE_SIZE;
	struct mm_struct *mm = mm_alloc();

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT_EQ(t, mm->users, 1);
	KTEST_EXPECT_EQ(t, mm->mmap_base, USER_MMAP_BASE);
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, 1);
	/* The kernel half is the kernel's own. */
	KTEST_EXPECT(t, memcmp(mm->pgd + 256, (u64 *)__va(init_pgd_phys) + 256,
			       256 * 8) == 0);

	KTEST_EXPECT_EQ(t,
			map_user_pages(mm, va, 4 * PAGE_SIZE,
				       PROT_READ | PROT_WRITE),
			0);
	KTEST_EXPECT_EQ(t, mm->rss, 4);
	KTEST_EXPECT_EQ(t, mm->nr_pgtables,
			1 + 2 * 3); /* PDPT, PD, PT on each side */
	for (int i = 0; i < 4; i++) {
		u64 pte = pte_of(mm, va + i * PAGE_SIZE);
		u8 *p = user_byte(mm, va + i * PAGE_SIZE);

		KTEST_EXPECT(t, pte & _PAGE_PRESENT);
		KTEST_EXPECT(t, pte & _PAGE_USER);
		KTEST_EXPECT(t, pte & _PAGE_RW);
		if (boot_cpu.has_nx)
			KTEST_EXPECT(t, pte & _PAGE_NX);
		KTEST_ASSERT(t, p);
		KTEST_EXPECT(t, p[0] == 0 && p[PAGE_SIZE - 1] == 0);
	}
	/* Unmap the middle two: the tables stay for the outer two. */
	KTEST_EXPECT_EQ(t, unmap_user_pages(mm, va + PAGE_SIZE, 2 * PAGE_SIZE),
			0);
	KTEST_EXPECT_EQ(t, mm->rss, 2);
	KTEST_EXPECT_EQ(t, user_page_phys(mm, va + PAGE_SIZE), 0);
	KTEST_EXPECT(t, user_page_phys(mm, va) != 0);
	/* Unmapping the rest frees every table below the PML4. */
	KTEST_EXPECT_EQ(t, unmap_user_pages(mm, va, 4 * PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, mm->rss, 0);
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, 1);

	/* Read-only and executable rights. */
	KTEST_EXPECT_EQ(t,
			map_user_pages(mm, TEST_VA, PAGE_SIZE,
				       PROT_READ | PROT_EXEC),
			0);
	KTEST_EXPECT(t, !(pte_of(mm, TEST_VA) & _PAGE_RW));
	KTEST_EXPECT(t, !(pte_of(mm, TEST_VA) & _PAGE_NX));
	/* mmput with pages still mapped frees them too. */
	KTEST_EXPECT_EQ(t,
			map_user_pages(mm, USER_STACK_TOP - USER_STACK_SIZE,
				       USER_STACK_SIZE, PROT_READ | PROT_WRITE),
			0);
	mmput(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}

KTEST(user_mm, map_errors)
{
	struct mm_struct *mm = mm_alloc();

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT_EQ(t,
			map_user_pages(mm, TEST_VA, 2 * PAGE_SIZE, PROT_READ),
			0);
	KTEST_EXPECT_EQ(t,
			map_user_pages(mm, TEST_VA + PAGE_SIZE, 2 * PAGE_SIZE,
				       PROT_READ),
			-EEXIST);
	KTEST_EXPECT_EQ(t, user_page_phys(mm, TEST_VA + 2 * PAGE_SIZE),
			0); /* nothing half-done */
	KTEST_EXPECT_EQ(t, mm->rss, 2);
	KTEST_EXPECT_EQ(t,
			map_user_pages(mm, TEST_VA + 1, PAGE_SIZE, PROT_READ),
			-EINVAL);
	KTEST_EXPECT_EQ(t, map_user_pages(mm, TEST_VA, 100, PROT_READ),
			-EINVAL);
	KTEST_EXPECT_EQ(t, map_user_pages(mm, TEST_VA, 0, PROT_READ), -EINVAL);
	KTEST_EXPECT_EQ(t, map_user_pages(mm, 0, PAGE_SIZE, PROT_READ),
			-EINVAL);
	KTEST_EXPECT_EQ(t,
			map_user_pages(mm, USER_TOP - PAGE_SIZE, 2 * PAGE_SIZE,
				       PROT_READ),
			-EINVAL);
	KTEST_EXPECT_EQ(t, map_user_pages(mm, USER_TOP, PAGE_SIZE, PROT_READ),
			-EINVAL);
	KTEST_EXPECT_EQ(t, map_user_pages(mm, TASK_SIZE, PAGE_SIZE, PROT_READ),
			-EINVAL);
	KTEST_EXPECT_EQ(t,
			map_user_pages(mm, PAGE_OFFSET, PAGE_SIZE, PROT_READ),
			-EINVAL);
	KTEST_EXPECT_EQ(t, map_user_pages(mm, TEST_VA, -PAGE_SIZE, PROT_READ),
			-EINVAL);
	KTEST_EXPECT_EQ(t, unmap_user_pages(mm, TEST_VA + 8, PAGE_SIZE),
			-EINVAL);
	KTEST_EXPECT_EQ(t, unmap_user_pages(mm, PAGE_OFFSET, PAGE_SIZE),
			-EINVAL);
	KTEST_EXPECT_EQ(t, unmap_user_pages(mm, 0x7000000000UL, 64 * PAGE_SIZE),
			0); /* a hole */
	KTEST_EXPECT_EQ(t, mm->rss, 2);
	mmput(mm);
}

KTEST(user_mm, dup_mm_copies_contents)
{
	unsigned long free0 = nr_free_pages();
	struct mm_struct *mm = mm_alloc(), *child;
	char msg[] = "copied by dup_mm";

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT_EQ(t,
			map_user_pages(mm, TEST_VA, 3 * PAGE_SIZE,
				       PROT_READ | PROT_WRITE),
			0);
	KTEST_EXPECT_EQ(t,
			map_user_pages(mm, USER_STACK_TOP - PAGE_SIZE,
				       PAGE_SIZE, PROT_READ | PROT_EXEC),
			0);
	KTEST_EXPECT_EQ(t,
			copy_to_mm(mm, TEST_VA + PAGE_SIZE - 4, msg,
				   sizeof(msg)),
			0);
	KTEST_EXPECT_EQ(t, copy_to_mm(mm, USER_STACK_TOP - 8, "stack", 6), 0);
	KTEST_EXPECT_EQ(t, copy_to_mm(mm, USER_STACK_TOP - 2, "xyz", 3),
			-EFAULT);
	mm->start_brk = 0x600000;
	mm->brk = 0x601234;

	child = dup_mm(mm);
	KTEST_ASSERT(t, child);
	KTEST_EXPECT_EQ(t, child->users, 1);
	KTEST_EXPECT_EQ(t, child->rss, mm->rss);
	KTEST_EXPECT_EQ(t, child->nr_pgtables, mm->nr_pgtables);
	KTEST_EXPECT_EQ(t, child->brk, 0x601234);
	KTEST_EXPECT_EQ(t, child->start_brk, 0x600000);
	/* Copy-on-write: both map the same frames, read-only. */
	KTEST_EXPECT(t, user_page_phys(child, TEST_VA) ==
				user_page_phys(mm, TEST_VA));
	KTEST_EXPECT_EQ(t, pte_of(mm, TEST_VA) & _PAGE_RW, 0);
	KTEST_EXPECT_EQ(t, pte_of(child, TEST_VA) & _PAGE_RW, 0);
	KTEST_EXPECT_EQ(t, virt_to_page(user_byte(mm, TEST_VA))->refcount, 2);
	KTEST_EXPECT(t, memcmp(user_byte(child, TEST_VA + PAGE_SIZE - 4),
			       "copi", 4) == 0);
	KTEST_EXPECT(t, memcmp(user_byte(child, TEST_VA + PAGE_SIZE),
			       "ed by dup_mm", 13) == 0);
	KTEST_EXPECT(t, memcmp(user_byte(child, USER_STACK_TOP - 8), "stack",
			       6) == 0);
	KTEST_EXPECT_EQ(t,
			pte_of(child, USER_STACK_TOP - PAGE_SIZE) &
				~PTE_PFN_MASK,
			pte_of(mm, USER_STACK_TOP - PAGE_SIZE) & ~PTE_PFN_MASK);
	/* The parent's write fault copies; then the child is the only user
	 * of the old frame and its write fault reuses it. */
	KTEST_EXPECT_EQ(t, touch(mm, TEST_VA + PAGE_SIZE, true), 0);
	KTEST_EXPECT(t, user_page_phys(child, TEST_VA + PAGE_SIZE) !=
				user_page_phys(mm, TEST_VA + PAGE_SIZE));
	*user_byte(mm, TEST_VA + PAGE_SIZE) = 'X';
	KTEST_EXPECT(t, *user_byte(child, TEST_VA + PAGE_SIZE) == 'e');
	{
		phys_addr_t before = user_page_phys(child, TEST_VA + PAGE_SIZE);

		KTEST_EXPECT_EQ(t, touch(child, TEST_VA + PAGE_SIZE, true), 0);
		KTEST_EXPECT_EQ(t, user_page_phys(child, TEST_VA + PAGE_SIZE),
				before);
		KTEST_EXPECT(t, pte_of(child, TEST_VA + PAGE_SIZE) & _PAGE_RW);
	}
	/* The read-only stack page refuses a write fault in both. */
	KTEST_EXPECT_EQ(t, touch(child, USER_STACK_TOP - PAGE_SIZE, true),
			-EFAULT);

	mmget(child);
	mmput(child);
	KTEST_EXPECT_EQ(t, child->users, 1); /* still alive */
	mmput(child);
	mmput(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}

/* ---- uaccess ---------------------------------------------------------- */

KTEST(user_mm, uaccess_rejects_bad_pointers)
{
	char buf[32];
	u64 v;

	KTEST_EXPECT(t, access_ok((void *)TEST_VA, PAGE_SIZE));
	/* Linux's limit is TASK_SIZE_MAX, a page below USER_TOP; a range
	 * of 0 bytes is checked too. */
	KTEST_EXPECT(t, access_ok((void *)(TASK_SIZE_MAX - 16), 16));
	KTEST_EXPECT(t, !access_ok((void *)(TASK_SIZE_MAX - 16), 17));
	KTEST_EXPECT(t, !access_ok((void *)(USER_TOP - 16), 16));
	KTEST_EXPECT(t, access_ok(NULL, 0));
	KTEST_EXPECT(t, access_ok((void *)TASK_SIZE_MAX, 0));
	KTEST_EXPECT(t, !access_ok((void *)(TASK_SIZE_MAX + 1), 0));
	KTEST_EXPECT(t, !access_ok((void *)KERNEL_VMA, 0));
	KTEST_EXPECT(t, !access_ok((void *)~0UL, 2));
	KTEST_EXPECT(t, !access_ok(buf, 1));
	/* Kernel addresses, wrapping and overflowing ranges: nothing is
	 * copied (the whole size comes back) and dst is zeroed. */
	memset(buf, 'k', sizeof(buf));
	KTEST_EXPECT_EQ(t, copy_from_user(buf, (void *)&v, 8), 8);
	KTEST_EXPECT(t, buf[0] == 0 && buf[7] == 0 && buf[8] == 'k');
	KTEST_EXPECT_EQ(t, copy_to_user((void *)buf, "x", 1), 1);
	/* Wraps past the top of the address space (size fits buf). */
	KTEST_EXPECT_EQ(t, copy_from_user(buf, (void *)(~0UL - 7), 16), 16);
	KTEST_EXPECT_EQ(t, copy_from_user(buf, (void *)(USER_TOP - 8), 16), 16);
	KTEST_EXPECT_EQ(t, get_user_u64(&v, (void *)PAGE_OFFSET), -EFAULT);
	KTEST_EXPECT_EQ(t, put_user_u32(1, (void *)KERNEL_VMA), -EFAULT);
	KTEST_EXPECT_EQ(t,
			strncpy_from_user(buf, (const char *)buf, sizeof(buf)),
			-EFAULT);
	KTEST_EXPECT_EQ(t, clear_user((void *)PAGE_OFFSET, 8), 8);
	/* A user address with nothing mapped (the kernel's own page table):
	 * the fault is fixed up through the exception table. */
	KTEST_EXPECT_EQ(t, copy_from_user(buf, (void *)TEST_VA, 8), 8);
	KTEST_EXPECT_EQ(t, copy_from_user(buf, NULL, 1), 1);
	KTEST_EXPECT_EQ(t, strncpy_from_user(buf, (const char *)TEST_VA, 8),
			-EFAULT);
}

KTEST(user_mm, uaccess_copies_through_mapped_pages)
{
	struct mm_struct *mm = mm_alloc();
	char buf[64], big[PAGE_SIZE / 8];
	const char *u = (const char *)TEST_VA;
	u64 v = 0;

	KTEST_ASSERT(t, mm);
	/* Run the copies with SMEP/SMAP on when the CPU has them. */
	if (boot_cpu.has_smap && !(read_cr4() & X86_CR4_SMAP))
		smap_init();
	KTEST_ASSERT(t, map_user_pages(mm, TEST_VA, 2 * PAGE_SIZE,
				       PROT_READ | PROT_WRITE) == 0);
	switch_mm(mm);

	KTEST_EXPECT_EQ(t, copy_to_user((void *)u, "hello, user", 12), 0);
	KTEST_EXPECT_EQ(t, copy_from_user(buf, u, 12), 0);
	KTEST_EXPECT(t, strcmp(buf, "hello, user") == 0);
	KTEST_EXPECT_EQ(t, strncpy_from_user(buf, u, sizeof(buf)), 11);
	KTEST_EXPECT(t, strcmp(buf, "hello, user") == 0);
	/* No NUL within size bytes: size comes back, dst unterminated. */
	memset(buf, 'z', sizeof(buf));
	KTEST_EXPECT_EQ(t, strncpy_from_user(buf, u, 11), 11);
	KTEST_EXPECT(t, buf[10] == 'r' && buf[11] == 'z');
	KTEST_EXPECT_EQ(t, strncpy_from_user(buf, u, 12), 11);
	KTEST_EXPECT(t, buf[11] == 0);
	KTEST_EXPECT_EQ(t,
			put_user_u64(0x1122334455667788ULL, (void *)(u + 100)),
			0);
	KTEST_EXPECT_EQ(t, get_user_u64(&v, u + 100), 0);
	KTEST_EXPECT_EQ(t, v, 0x1122334455667788ULL);
	KTEST_EXPECT_EQ(t, put_user_u32(0xdeadbeef, (void *)(u + 100)), 0);
	KTEST_EXPECT_EQ(t, get_user_u64(&v, u + 100), 0);
	KTEST_EXPECT_EQ(t, v, 0x11223344deadbeefULL);
	/* A copy running off the end of the mapping stops at the unmapped
	 * page: the bytes before it are copied, the rest come back. */
	memset(big, 'a', sizeof(big));
	KTEST_EXPECT_EQ(t,
			copy_to_user((void *)(u + 2 * PAGE_SIZE - 100), big,
				     sizeof(big)),
			sizeof(big) - 100);
	KTEST_EXPECT(t, *user_byte(mm, TEST_VA + 2 * PAGE_SIZE - 1) == 'a');
	KTEST_EXPECT_EQ(t, copy_from_user(big, u + 2 * PAGE_SIZE - 8, 16), 8);
	KTEST_EXPECT(t, big[7] == 'a' && big[8] == 0 && big[15] == 0 &&
				big[16] == 'a');
	/* A string without NUL up to the unmapped page: -EFAULT. */
	KTEST_EXPECT_EQ(t,
			strncpy_from_user(buf, u + 2 * PAGE_SIZE - 10,
					  sizeof(buf)),
			-EFAULT);
	KTEST_EXPECT_EQ(t, clear_user((void *)(u + 2 * PAGE_SIZE - 16), 16), 0);
	KTEST_EXPECT(t, *user_byte(mm, TEST_VA + 2 * PAGE_SIZE - 1) == 0);
	KTEST_EXPECT_EQ(t, clear_user((void *)(u + 2 * PAGE_SIZE - 16), 17), 1);
	/* Unmapping the active mm flushes the TLB: the next access faults. */
	KTEST_EXPECT_EQ(t, unmap_user_pages(mm, TEST_VA, PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, copy_from_user(buf, u, 1), 1);

	switch_mm(NULL);
	KTEST_EXPECT_EQ(t, read_cr3() & PTE_PFN_MASK, init_pgd_phys);
	mmput(mm);
}

/* ---- initrd ----------------------------------------------------------- */

static void tar_header(u8 *h, const char *prefix, const char *name, size_t size,
		       char type)
{
	memset(h, 0, 512);
	memcpy(h, name, strlen(name));
	if (prefix)
		memcpy(h + 345, prefix, strlen(prefix));
	snprintf((char *)h + 124, 12, "%011lo", (unsigned long)size);
	h[156] = (u8)type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
}

/* Does the directory path exist in the tree? (The ktests that exec
 * unpack a synthetic archive into it and remove what they added.) */
static bool tree_has(const char *path)
{
	struct dentry *d;

	if (kern_path_at(AT_FDCWD, path, 0, &d))
		return false;
	dput(d);
	return true;
}

/* tar_mode - set a ustar header's mode field (octal, 7 digits). */
static void tar_mode(u8 *h, unsigned int mode)
{
	snprintf((char *)h + 100, 8, "%07o", mode);
}

KTEST(user_mm, initrd_synthetic_archive)
{
	struct boot_module saved = boot_params.modules[0];
	unsigned saved_nr = boot_params.nr_modules;
	u8 *tar = kzalloc(8 * 512);
	const void *data;
	size_t size;
	char list[64];

	KTEST_ASSERT(t, tar);
	tar_header(tar, NULL, "./bin/", 0, '5'); /* a directory */
	tar_header(tar + 512, NULL, "./bin/hello", 5, '0');
	memcpy(tar + 1024, "hello", 5);
	tar_header(tar + 1536, "usr", "bin/x", 600, '\0'); /* prefix */
	memset(tar + 2048, 'x', 600);
	/* two zero blocks end it at 3072 */
	boot_params.modules[0].start = __pa(tar);
	boot_params.modules[0].end = __pa(tar) + 8 * 512;
	boot_params.nr_modules = 1;

	KTEST_EXPECT_EQ(t, initrd_init(), 2);
	KTEST_EXPECT_EQ(t, initrd_lookup("/bin/hello", &data, &size), 0);
	KTEST_EXPECT_EQ(t, size, 5);
	KTEST_EXPECT(t, memcmp(data, "hello", 5) == 0);
	KTEST_EXPECT_EQ(t, initrd_lookup("bin/hello", &data, &size), 0);
	KTEST_EXPECT_EQ(t, initrd_lookup("./bin/hello", &data, &size), 0);
	KTEST_EXPECT_EQ(t, initrd_lookup("/usr/bin/x", &data, &size), 0);
	KTEST_EXPECT_EQ(t, size, 600);
	KTEST_EXPECT_EQ(t, initrd_lookup("/bin", &data, &size), -ENOENT);
	KTEST_EXPECT_EQ(t, initrd_lookup("/bin/hell", &data, &size), -ENOENT);
	KTEST_EXPECT_EQ(t, initrd_list(list, sizeof(list)), 22);
	KTEST_EXPECT(t, memcmp(list, "/bin/hello\0/usr/bin/x", 22) == 0);
	KTEST_EXPECT_EQ(t, initrd_list(list, 21), -ERANGE);

	/* Not ustar: rejected, and then there are no files. */
	memcpy(tar + 512 + 257, "xxxxx", 5);
	KTEST_EXPECT_EQ(t, initrd_init(), -EINVAL);
	KTEST_EXPECT_EQ(t, initrd_lookup("/bin/hello", &data, &size), -ENOENT);

	boot_params.modules[0] = saved;
	boot_params.nr_modules = saved_nr;
	initrd_init();
	kfree(tar);
}

KTEST(user_mm, initrd_boot_module)
{
	char *list;
	long n;

	if (initrd_init() <= 0)
		KTEST_SKIP(t, "no initrd module");
	list = kmalloc(16384);
	KTEST_ASSERT(t, list);
	n = initrd_list(list, 16384);
	KTEST_EXPECT(t, n > 0);
	/* Every listed name can be looked up, with or without the "/". */
	for (long i = 0; i < n; i += (long)strlen(list + i) + 1) {
		const void *data;
		size_t size;

		KTEST_EXPECT(t, list[i] == '/');
		KTEST_EXPECT_EQ(t, initrd_lookup(list + i, &data, &size), 0);
		KTEST_EXPECT_EQ(t, initrd_lookup(list + i + 1, &data, &size),
				0);
		/* Static executables load; the loader's checks pass on them. */
		const Elf64_Ehdr *eh = data;
		if (size >= sizeof(*eh) &&
		    memcmp(eh->e_ident, ELFMAG, 4) == 0 &&
		    (eh->e_type == ET_EXEC || eh->e_type == ET_DYN)) {
			struct mm_struct *mm = mm_alloc();
			unsigned long bias;
			u64 entry;

			KTEST_ASSERT(t, mm);
			if (elf_load(mm, data, size, ELF_ET_DYN_BASE, &entry,
				     &bias))
				ktest_fail(t, __FILE__, __LINE__,
					   "%s did not load", list + i);
			KTEST_EXPECT(t, user_page_phys(mm, entry) != 0);
			mmput(mm);
		}
	}
	kfree(list);
}

/* ---- ELF loader ------------------------------------------------------- */

/* elf_load() into mm, a static PIE at the unrandomized base, as exec
 * with norandmaps; sets entry and bias. */
#define ELF_LOAD(img, n) elf_load(mm, img, n, ELF_ET_DYN_BASE, &entry, &bias)

struct tiny_elf {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[2];
	u8 code[64];
};

static void tiny_elf_init(struct tiny_elf *e)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->eh.e_ident, ELFMAG, 4);
	e->eh.e_ident[EI_CLASS] = ELFCLASS64;
	e->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	e->eh.e_ident[EI_VERSION] = EV_CURRENT;
	e->eh.e_type = ET_EXEC;
	e->eh.e_machine = EM_X86_64;
	e->eh.e_version = EV_CURRENT;
	e->eh.e_phoff = offsetof(struct tiny_elf, ph);
	e->eh.e_ehsize = sizeof(Elf64_Ehdr);
	e->eh.e_phentsize = sizeof(Elf64_Phdr);
	e->eh.e_phnum = 1;
	e->eh.e_entry = TEST_VA + offsetof(struct tiny_elf, code);
	/* The whole file at TEST_VA, text, plus 2 pages of bss. */
	e->ph[0].p_type = PT_LOAD;
	e->ph[0].p_flags = PF_R | PF_X;
	e->ph[0].p_offset = 0;
	e->ph[0].p_vaddr = TEST_VA;
	e->ph[0].p_filesz = sizeof(*e);
	e->ph[0].p_memsz = 2 * PAGE_SIZE + 8;
	e->ph[0].p_align = PAGE_SIZE;
	memset(e->code, 0x90, sizeof(e->code)); /* nops */
}

KTEST(user_mm, elf_rejects_bad_images)
{
	struct mm_struct *mm = mm_alloc();
	struct tiny_elf e;
	unsigned long bias;
	u64 entry;
	static const u8 garbage[200] = { 'n', 'o', 't', ' ', 'e', 'l', 'f' };

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT_EQ(t, ELF_LOAD(garbage, sizeof(garbage)), -ENOEXEC);
	KTEST_EXPECT_EQ(t, ELF_LOAD(garbage, 10), -ENOEXEC);
	tiny_elf_init(&e);
	e.eh.e_type = ET_DYN;
	e.eh.e_phnum = 2;
	e.ph[1].p_type = PT_INTERP; /* a dynamically linked PIE */
	KTEST_EXPECT_EQ(t, ELF_LOAD(&e, sizeof(e)), -ENOEXEC);
	tiny_elf_init(&e);
	e.eh.e_type = ET_DYN;
	e.ph[0].p_align = 1UL << 31; /* beyond ELF_MAX_ALIGN */
	KTEST_EXPECT_EQ(t, ELF_LOAD(&e, sizeof(e)), -ENOEXEC);
	tiny_elf_init(&e);
	e.eh.e_type = ET_DYN; /* a base that puts the segment past the top */
	KTEST_EXPECT_EQ(t,
			elf_load(mm, &e, sizeof(e), TASK_SIZE, &entry, &bias),
			-ENOEXEC);
	tiny_elf_init(&e);
	e.eh.e_type = 4; /* ET_CORE */
	KTEST_EXPECT_EQ(t, ELF_LOAD(&e, sizeof(e)), -ENOEXEC);
	tiny_elf_init(&e);
	e.eh.e_ident[EI_CLASS] = 1;
	KTEST_EXPECT_EQ(t, ELF_LOAD(&e, sizeof(e)), -ENOEXEC);
	tiny_elf_init(&e);
	e.eh.e_machine = 3; /* EM_386 */
	KTEST_EXPECT_EQ(t, ELF_LOAD(&e, sizeof(e)), -ENOEXEC);
	tiny_elf_init(&e);
	e.eh.e_phnum = 2;
	e.ph[1].p_type = PT_INTERP;
	KTEST_EXPECT_EQ(t, ELF_LOAD(&e, sizeof(e)), -ENOEXEC);
	tiny_elf_init(&e);
	e.ph[0].p_vaddr = TASK_SIZE; /* the top page */
	KTEST_EXPECT_EQ(t, ELF_LOAD(&e, sizeof(e)), -ENOEXEC);
	tiny_elf_init(&e);
	e.eh.e_entry = TASK_SIZE;
	KTEST_EXPECT_EQ(t, ELF_LOAD(&e, sizeof(e)), -ENOEXEC);
	tiny_elf_init(&e);
	e.ph[0].p_vaddr = PAGE_OFFSET;
	KTEST_EXPECT_EQ(t, ELF_LOAD(&e, sizeof(e)), -ENOEXEC);
	tiny_elf_init(&e);
	e.ph[0].p_filesz = sizeof(e) + 1; /* past the end of the file */
	KTEST_EXPECT_EQ(t, ELF_LOAD(&e, sizeof(e)), -ENOEXEC);
	tiny_elf_init(&e);
	e.eh.e_phoff = ~0UL - 8;
	KTEST_EXPECT_EQ(t, ELF_LOAD(&e, sizeof(e)), -ENOEXEC);
	KTEST_EXPECT_EQ(t, mm->rss, 0);
	mmput(mm);
}

KTEST(user_mm, elf_loads_tiny_image)
{
	struct mm_struct *mm = mm_alloc();
	struct tiny_elf e;
	unsigned long bias = 1;
	u64 entry = 0;
	u8 *p;

	KTEST_ASSERT(t, mm);
	tiny_elf_init(&e);
	KTEST_EXPECT_EQ(t, ELF_LOAD(&e, sizeof(e)), 0);
	KTEST_EXPECT_EQ(t, entry, TEST_VA + offsetof(struct tiny_elf, code));
	KTEST_EXPECT_EQ(t, bias, 0); /* ET_EXEC stays where it is linked */
	KTEST_EXPECT_EQ(t, mm->rss, 3);
	KTEST_EXPECT_EQ(t, mm->start_brk, TEST_VA + 3 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, mm->brk, mm->start_brk);
	p = user_byte(mm, TEST_VA);
	KTEST_ASSERT(t, p);
	KTEST_EXPECT(t, memcmp(p, &e, sizeof(e)) == 0);
	KTEST_EXPECT(t, p[sizeof(e)] == 0); /* bss */
	KTEST_EXPECT(t, *user_byte(mm, TEST_VA + 2 * PAGE_SIZE + 7) == 0);
	KTEST_EXPECT(t, !(pte_of(mm, TEST_VA) & _PAGE_RW));
	KTEST_EXPECT(t, !(pte_of(mm, TEST_VA) & _PAGE_NX));
	mmput(mm);

	/* Two segments sharing a page: text r-x, then data rw- right after
	 * it in the same page. That page gets both rights. */
	mm = mm_alloc();
	KTEST_ASSERT(t, mm);
	tiny_elf_init(&e);
	e.eh.e_phnum = 2;
	e.ph[0].p_memsz = e.ph[0].p_filesz;
	e.ph[1].p_type = PT_LOAD;
	e.ph[1].p_flags = PF_R | PF_W;
	e.ph[1].p_offset = offsetof(struct tiny_elf, code);
	e.ph[1].p_vaddr =
		TEST_VA + PAGE_SIZE - 16; /* crosses into the next page */
	e.ph[1].p_filesz = 32;
	e.ph[1].p_memsz = PAGE_SIZE;
	e.code[0] = 0xab;
	KTEST_EXPECT_EQ(t, ELF_LOAD(&e, sizeof(e)), 0);
	KTEST_EXPECT_EQ(t, mm->rss, 2);
	KTEST_EXPECT(t, pte_of(mm, TEST_VA) & _PAGE_RW);
	KTEST_EXPECT(t, !(pte_of(mm, TEST_VA) & _PAGE_NX));
	KTEST_EXPECT(t, pte_of(mm, TEST_VA + PAGE_SIZE) & _PAGE_RW);
	if (boot_cpu.has_nx)
		KTEST_EXPECT(t, pte_of(mm, TEST_VA + PAGE_SIZE) & _PAGE_NX);
	KTEST_EXPECT(t, *user_byte(mm, TEST_VA + PAGE_SIZE - 16) == 0xab);
	KTEST_EXPECT(t, *user_byte(mm, TEST_VA + PAGE_SIZE + 15) == 0x90);
	KTEST_EXPECT(t, *user_byte(mm, TEST_VA + PAGE_SIZE + 16) == 0);
	KTEST_EXPECT(t, *user_byte(mm, TEST_VA) == 0x7f); /* text intact */
	KTEST_EXPECT_EQ(t, mm->brk, TEST_VA + 2 * PAGE_SIZE);
	mmput(mm);
}

/* ---- mmap, munmap, brk (eager) ---------------------------------------- */

KTEST(user_mm, mmap_munmap)
{
	struct mm_struct *mm = mm_alloc();
	const unsigned long anon = MAP_PRIVATE | MAP_ANONYMOUS;
	const int rw = PROT_READ | PROT_WRITE;
	long a, b, c, d;

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT_EQ(t, do_mmap(mm, 0, 0, rw, anon, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, do_mmap(mm, 0, 4096, rw, MAP_ANONYMOUS, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, do_mmap(mm, 0, 4096, rw, anon | MAP_SHARED, 0),
			-EINVAL);
	KTEST_EXPECT_EQ(t, do_mmap(mm, 0, 4096, rw, MAP_PRIVATE, 0), -EBADF);
	/* Unknown prot bits are ignored, as by Linux. */
	a = do_mmap(mm, 0, 4096, PROT_READ | PROT_SEM | 0x100, anon, 0);
	KTEST_EXPECT_EQ(t, a, USER_MMAP_BASE - PAGE_SIZE);
	KTEST_EXPECT_EQ(t, do_munmap(mm, (unsigned long)a, PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t,
			do_mmap(mm, TEST_VA + 1, 4096, rw, anon | MAP_FIXED, 0),
			-EINVAL);
	KTEST_EXPECT_EQ(t, do_mmap(mm, 0, 4096, rw, anon, 100), -EINVAL);
	KTEST_EXPECT_EQ(t, do_mmap(mm, 0, 1UL << 62, rw, anon, 0), -ENOMEM);
	/* Rounded up, len wraps to 0: -ENOMEM, not a mapping of nothing. */
	KTEST_EXPECT_EQ(t, do_mmap(mm, 0, ~0UL, rw, anon, 0), -ENOMEM);
	KTEST_EXPECT_EQ(t, do_mmap(mm, 0, TASK_SIZE + 1, rw, anon, 0), -ENOMEM);

	/* Top-down below mmap_base, each one under the last. Private memory
	 * is not mapped until touched; shared memory is populated at once. */
	a = do_mmap(mm, 0, 3 * PAGE_SIZE, rw, anon, 0);
	KTEST_EXPECT_EQ(t, a, USER_MMAP_BASE - 3 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, mm->rss, 0);
	b = do_mmap(mm, 0, 100, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, 0);
	KTEST_EXPECT_EQ(t, b, a - PAGE_SIZE);
	KTEST_EXPECT_EQ(t, mm->rss, 1);
	for (int i = 0; i < 3; i++)
		KTEST_EXPECT_EQ(t, touch(mm, a + i * PAGE_SIZE, true), 0);
	KTEST_EXPECT_EQ(t, mm->rss, 4);
	KTEST_EXPECT_EQ(t, touch(mm, b, true), -EFAULT); /* read-only */
	/* A hole of one page is skipped for two pages, reused for one. */
	KTEST_EXPECT_EQ(t,
			do_munmap(mm, (unsigned long)a + PAGE_SIZE, PAGE_SIZE),
			0);
	KTEST_EXPECT_EQ(t, user_page_phys(mm, (unsigned long)a + PAGE_SIZE), 0);
	KTEST_EXPECT(t,
		     user_page_phys(mm, (unsigned long)a + 2 * PAGE_SIZE) != 0);
	KTEST_EXPECT_EQ(t, touch(mm, a + PAGE_SIZE, false), -EFAULT); /* gone */
	c = do_mmap(mm, 0, 2 * PAGE_SIZE, rw, anon, 0);
	KTEST_EXPECT_EQ(t, c, b - 2 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, do_mmap(mm, 0, PAGE_SIZE, rw, anon, 0),
			a + (long)PAGE_SIZE);
	/* A free hint is taken as is; a used one is not. */
	KTEST_EXPECT_EQ(t, do_mmap(mm, 0x10000000, PAGE_SIZE, rw, anon, 0),
			0x10000000);
	KTEST_EXPECT_EQ(t, do_mmap(mm, 0x10000000, PAGE_SIZE, rw, anon, 0),
			c - (long)PAGE_SIZE);
	/* MAP_FIXED replaces what is there: the new page reads zero. */
	KTEST_EXPECT_EQ(t, touch(mm, 0x10000000, true), 0);
	*user_byte(mm, 0x10000000) = 1;
	KTEST_EXPECT_EQ(t,
			do_mmap(mm, 0x10000000, PAGE_SIZE, rw, anon | MAP_FIXED,
				0),
			0x10000000);
	KTEST_EXPECT_EQ(t, user_page_phys(mm, 0x10000000), 0);
	KTEST_EXPECT_EQ(t, touch(mm, 0x10000000, true), 0);
	KTEST_EXPECT_EQ(t, *user_byte(mm, 0x10000000), 0);
	KTEST_EXPECT_EQ(t,
			do_mmap(mm, 0x10000000, PAGE_SIZE, rw,
				anon | MAP_FIXED_NOREPLACE, 0),
			-EEXIST);
	KTEST_EXPECT_EQ(t, do_mmap(mm, 0, PAGE_SIZE, rw, anon | MAP_FIXED, 0),
			-EPERM);
	KTEST_EXPECT_EQ(t,
			do_mmap(mm, USER_TOP - PAGE_SIZE, 2 * PAGE_SIZE, rw,
				anon | MAP_FIXED, 0),
			-ENOMEM);
	/* The top page (TASK_SIZE) cannot be mapped, fixed or not. */
	KTEST_EXPECT_EQ(t,
			do_mmap(mm, TASK_SIZE, PAGE_SIZE, rw, anon | MAP_FIXED,
				0),
			-ENOMEM);
	KTEST_EXPECT_EQ(t,
			do_mmap(mm, TASK_SIZE - PAGE_SIZE, 2 * PAGE_SIZE, rw,
				anon | MAP_FIXED_NOREPLACE, 0),
			-ENOMEM);
	d = do_mmap(mm, TASK_SIZE, PAGE_SIZE, rw, anon, 0); /* a hint */
	KTEST_EXPECT(t, d > 0 && d < (long)TASK_SIZE);
	KTEST_EXPECT_EQ(t, do_munmap(mm, (unsigned long)d, PAGE_SIZE), 0);
	/* munmap: never-mapped is fine; errors as Linux. */
	KTEST_EXPECT_EQ(t, do_munmap(mm, 0x20000000, 16 * PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, do_munmap(mm, 0x20000001, PAGE_SIZE), -EINVAL);
	KTEST_EXPECT_EQ(t, do_munmap(mm, 0x20000000, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, do_munmap(mm, USER_TOP, PAGE_SIZE), -EINVAL);
	KTEST_EXPECT_EQ(t, do_munmap(mm, TASK_SIZE, PAGE_SIZE), -EINVAL);
	KTEST_EXPECT_EQ(t, do_munmap(mm, 0, USER_TOP), -EINVAL);
	KTEST_EXPECT_EQ(t, do_munmap(mm, 0x20000000, ~0UL), -EINVAL);
	KTEST_EXPECT_EQ(t,
			do_munmap(mm, (unsigned long)c - PAGE_SIZE,
				  USER_MMAP_BASE - (unsigned long)c +
					  PAGE_SIZE),
			0);
	KTEST_EXPECT_EQ(t, mm->rss, 1); /* the page at 0x10000000 */
	KTEST_EXPECT_EQ(t, vma_check(mm), 0);
	mmput(mm);
}

KTEST(user_mm, brk)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long base = 0x800000;

	KTEST_ASSERT(t, mm);
	mm->start_brk = mm->brk = base;
	KTEST_EXPECT_EQ(t, do_brk(mm, 0), base);
	KTEST_EXPECT_EQ(t, do_brk(mm, base - 1), base);
	KTEST_EXPECT_EQ(t, do_brk(mm, base + 10), base + 10);
	KTEST_EXPECT_EQ(t, mm->rss, 0); /* demand paging */
	KTEST_EXPECT_EQ(t, do_brk(mm, base + 3 * PAGE_SIZE),
			base + 3 * PAGE_SIZE);
	for (int i = 0; i < 3; i++)
		KTEST_EXPECT_EQ(t, touch(mm, base + i * PAGE_SIZE, true), 0);
	KTEST_EXPECT_EQ(t, mm->rss, 3);
	*user_byte(mm, base + 2 * PAGE_SIZE) = 7;
	KTEST_EXPECT_EQ(t, do_brk(mm, base + PAGE_SIZE + 1),
			base + PAGE_SIZE + 1);
	KTEST_EXPECT_EQ(t, mm->rss, 2);
	KTEST_EXPECT_EQ(t, touch(mm, base + 2 * PAGE_SIZE, false), -EFAULT);
	KTEST_EXPECT_EQ(t, do_brk(mm, base + 3 * PAGE_SIZE),
			base + 3 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, touch(mm, base + 2 * PAGE_SIZE, true), 0);
	KTEST_EXPECT_EQ(t, *user_byte(mm, base + 2 * PAGE_SIZE), 0); /* fresh */
	/* Something mapped in the way: the break stays. */
	KTEST_EXPECT_EQ(t,
			map_user_pages(mm, base + 4 * PAGE_SIZE, PAGE_SIZE,
				       PROT_READ),
			0);
	KTEST_EXPECT_EQ(t, do_brk(mm, base + 8 * PAGE_SIZE),
			base + 3 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, do_brk(mm, USER_TOP + PAGE_SIZE),
			base + 3 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, do_brk(mm, base), base);
	KTEST_EXPECT_EQ(t, mm->rss, 1); /* the map_user_pages page */
	KTEST_EXPECT_EQ(t, vma_check(mm), 0);
	mmput(mm);
}

/* ---- exec ------------------------------------------------------------- */

#define TEST_MSR_GS_BASE 0xc0000101

static u64 user_u64(struct mm_struct *mm, unsigned long va)
{
	u64 *p = (u64 *)user_byte(mm, va);

	return p ? *p : 0xbad;
}

/* Does the NUL-terminated user string at va equal s? */
static bool user_str_eq(struct mm_struct *mm, unsigned long va, const char *s)
{
	for (;; va++, s++) {
		u8 *p = user_byte(mm, va);

		if (!p || *p != (u8)*s)
			return false;
		if (!*s)
			return true;
	}
}

/*
 * kernel_execve on a fake current task (GS pointed at a private struct
 * percpu, interrupts off so no tick sees it), from a synthetic initrd
 * holding the tiny ELF as bin/tiny and garbage as bin/junk.
 */
KTEST(user_mm, execve_builds_initial_stack)
{
	struct boot_module saved = boot_params.modules[0];
	unsigned saved_nr = boot_params.nr_modules;
	u8 *tar = kzalloc(6 * 512);
	struct task *task = kzalloc(sizeof(*task));
	struct percpu *pc = kzalloc(sizeof(*pc));
	struct pt_regs *regs = kzalloc(sizeof(*regs));
	const char *argv[] = { "tiny", "arg1", NULL };
	const char *envp[] = { "HOME=/", NULL };
	const char **many = kzalloc((MAX_ARG_STRINGS + 2) * sizeof(char *));
	bool had_bin;
	unsigned long flags, gs, sp, auxv;
	int saved_rva = randomize_va_space;
	struct tiny_elf e;
	struct mm_struct *mm;
	u64 at[32] = { 0 };

	KTEST_ASSERT(t, tar && task && pc && regs && many);
	randomize_va_space = 0; /* the fixed layout: checked to the byte */
	tiny_elf_init(&e);
	tar_header(tar, NULL, "bin/tiny", sizeof(e), '0');
	tar_mode(tar, 0755);
	memcpy(tar + 512, &e, sizeof(e));
	tar_header(tar + 1024, NULL, "bin/junk", 4, '0');
	tar_mode(tar + 1024, 0755);
	memcpy(tar + 1536, "junk", 4);
	boot_params.modules[0].start = __pa(tar);
	boot_params.modules[0].end = __pa(tar) + 6 * 512;
	boot_params.nr_modules = 1;
	KTEST_EXPECT_EQ(t, initrd_init(), 2);
	/* exec reads programs from the tree: unpack the archive there. */
	had_bin = tree_has("/bin");
	KTEST_EXPECT_EQ(t, populate_rootfs(), 2);
	for (int i = 0; i <= MAX_ARG_STRINGS; i++)
		many[i] = "x";

	local_irq_save(flags);
	gs = rdmsr(TEST_MSR_GS_BASE);
	pc->self = pc;
	pc->curr = task;
	wrmsr(TEST_MSR_GS_BASE, (unsigned long)pc);

	KTEST_EXPECT_EQ(t, kernel_execve("/bin/none", argv, envp, regs),
			-ENOENT);
	KTEST_EXPECT_EQ(t, kernel_execve("/bin/junk", argv, envp, regs),
			-ENOEXEC);
	KTEST_EXPECT_EQ(t, kernel_execve("/bin/tiny", many, envp, regs),
			-E2BIG);
	KTEST_EXPECT(t, task->mm == NULL); /* failures change nothing */
	KTEST_EXPECT_EQ(t, kernel_execve("/bin/tiny", argv, envp, regs), 0);
	mm = task->mm;

	wrmsr(TEST_MSR_GS_BASE, gs);
	switch_mm(NULL);
	local_irq_restore(flags);

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT(t, strcmp(task->comm, "tiny") == 0);
	KTEST_EXPECT_EQ(t, regs->rip, e.eh.e_entry);
	KTEST_EXPECT_EQ(t, regs->cs, 0x2b);
	KTEST_EXPECT_EQ(t, regs->ss, 0x23);
	KTEST_EXPECT_EQ(t, regs->rflags, 0x202);
	KTEST_EXPECT_EQ(t, regs->rdx, 0);
	sp = regs->rsp;
	KTEST_EXPECT_EQ(t, sp & 15, 0);
	KTEST_EXPECT(t, sp < USER_STACK_TOP && sp > USER_STACK_TOP - PAGE_SIZE);
	KTEST_EXPECT_EQ(t, user_u64(mm, sp), 2); /* argc */
	KTEST_EXPECT(t, user_str_eq(mm, user_u64(mm, sp + 8), "tiny"));
	KTEST_EXPECT(t, user_str_eq(mm, user_u64(mm, sp + 16), "arg1"));
	KTEST_EXPECT_EQ(t, user_u64(mm, sp + 24), 0);
	KTEST_EXPECT(t, user_str_eq(mm, user_u64(mm, sp + 32), "HOME=/"));
	KTEST_EXPECT_EQ(t, user_u64(mm, sp + 40), 0);
	auxv = sp + 48;
	for (int i = 0; i < 40; i++, auxv += 16) {
		u64 type = user_u64(mm, auxv), val = user_u64(mm, auxv + 8);

		if (type < ARRAY_SIZE(at))
			at[type] = val;
		if (type == AT_NULL)
			break;
	}
	KTEST_EXPECT_EQ(t, at[AT_PAGESZ], PAGE_SIZE);
	KTEST_EXPECT_EQ(t, at[AT_ENTRY], e.eh.e_entry);
	KTEST_EXPECT_EQ(t, at[AT_PHDR], TEST_VA + e.eh.e_phoff);
	KTEST_EXPECT_EQ(t, at[AT_PHNUM], 1);
	KTEST_EXPECT(t, at[AT_RANDOM] > sp &&
				at[AT_RANDOM] + 16 <= USER_STACK_TOP);
	KTEST_EXPECT(t, user_str_eq(mm, at[AT_EXECFN], "/bin/tiny"));
	KTEST_EXPECT_EQ(t, mm->brk, TEST_VA + 3 * PAGE_SIZE);
	KTEST_EXPECT(t,
		     user_page_phys(mm, USER_STACK_TOP - USER_STACK_SIZE) != 0);

	KTEST_EXPECT_EQ(t, mm->start_stack, USER_STACK_TOP);
	KTEST_EXPECT_EQ(t, mm->mmap_base, USER_MMAP_BASE);

	randomize_va_space = saved_rva;
	mmput(mm);
	boot_params.modules[0] = saved;
	boot_params.nr_modules = saved_nr;
	initrd_init();
	KTEST_EXPECT_EQ(t, kernel_unlink("/bin/tiny"), 0);
	KTEST_EXPECT_EQ(t, kernel_unlink("/bin/junk"), 0);
	if (!had_bin)
		KTEST_EXPECT_EQ(t, kernel_unlink("/bin"), 0);
	kfree(many);
	kfree(regs);
	kfree(pc);
	kfree(task);
	kfree(tar);
}

/* One exec of the tiny image into a fake task whose mm (if any) holds
 * personality; returns the new mm, with *sp its first stack pointer. */
static struct mm_struct *exec_tiny(struct ktest *t, unsigned int personality,
				   unsigned long *sp)
{
	struct task *task = kzalloc(sizeof(*task));
	struct percpu *pc = kzalloc(sizeof(*pc));
	struct pt_regs *regs = kzalloc(sizeof(*regs));
	struct mm_struct *old = mm_alloc(), *mm = NULL;
	const char *argv[] = { "tiny", NULL };
	unsigned long flags, gs;

	if (task && pc && regs && old) {
		old->personality = personality;
		task->mm = task->active_mm = old;
		local_irq_save(flags);
		gs = rdmsr(TEST_MSR_GS_BASE);
		pc->self = pc;
		pc->curr = task;
		wrmsr(TEST_MSR_GS_BASE, (unsigned long)pc);
		KTEST_EXPECT_EQ(t, kernel_execve("/bin/tiny", argv, argv, regs),
				0);
		wrmsr(TEST_MSR_GS_BASE, gs);
		switch_mm(NULL);
		local_irq_restore(flags);
		mm = task->mm; /* exec dropped old */
		*sp = regs->rsp;
	}
	kfree(regs);
	kfree(pc);
	kfree(task);
	return mm;
}

/*
 * With randomize_va_space 2, each exec puts the stack, the mmap base and
 * the heap somewhere else, inside Linux's ranges (include/mm/user_mm.h);
 * ADDR_NO_RANDOMIZE in the personality gives the fixed layout, and the
 * personality survives exec (READ_IMPLIES_EXEC excepted).
 */
KTEST(user_mm, execve_randomizes_layout)
{
	struct boot_module saved = boot_params.modules[0];
	unsigned saved_nr = boot_params.nr_modules;
	int saved_rva = randomize_va_space;
	const unsigned long brk0 = TEST_VA + 3 * PAGE_SIZE;
	unsigned long stack[3], mmap[3], brk[3], sps[3], sp;
	u8 *tar = kzalloc(4 * 512);
	struct mm_struct *mm;
	struct tiny_elf e;
	bool had_bin;

	KTEST_ASSERT(t, tar);
	tiny_elf_init(&e);
	tar_header(tar, NULL, "bin/tiny", sizeof(e), '0');
	tar_mode(tar, 0755);
	memcpy(tar + 512, &e, sizeof(e));
	boot_params.modules[0].start = __pa(tar);
	boot_params.modules[0].end = __pa(tar) + 4 * 512;
	boot_params.nr_modules = 1;
	KTEST_EXPECT_EQ(t, initrd_init(), 1);
	had_bin = tree_has("/bin");
	KTEST_EXPECT_EQ(t, populate_rootfs(), 1);
	randomize_va_space = 2;

	for (int i = 0; i < 3; i++) {
		mm = exec_tiny(t, 0, &sp);
		KTEST_ASSERT(t, mm);
		stack[i] = mm->start_stack;
		mmap[i] = mm->mmap_base;
		brk[i] = mm->start_brk;
		sps[i] = sp;
		KTEST_EXPECT_EQ(t, stack[i] % PAGE_SIZE, 0);
		KTEST_EXPECT(t, stack[i] <= USER_STACK_TOP &&
					stack[i] >= USER_STACK_TOP -
							    (STACK_RND_MASK
							     << PAGE_SHIFT));
		KTEST_EXPECT(t,
			     sp < stack[i] && sp > stack[i] - PAGE_SIZE -
							      STACK_ALIGN_RND);
		KTEST_EXPECT(t, user_page_phys(mm, stack[i] - USER_STACK_SIZE));
		KTEST_EXPECT_EQ(t, user_page_phys(mm, stack[i]), 0);
		KTEST_EXPECT_EQ(t, mmap[i] % PAGE_SIZE, 0);
		KTEST_EXPECT(t, mmap[i] <= USER_MMAP_BASE &&
					mmap[i] > USER_MMAP_BASE -
							  (PAGE_SIZE
							   << MMAP_RND_BITS));
		KTEST_EXPECT_EQ(t, brk[i] % PAGE_SIZE, 0);
		KTEST_EXPECT(t,
			     brk[i] >= brk0 && brk[i] < brk0 + BRK_RND_RANGE);
		KTEST_EXPECT_EQ(t, mm->brk, brk[i]);
		KTEST_EXPECT_EQ(t, mm->personality, 0);
		mmput(mm);
	}
	/* 22, 28, 18 and 9 bits: the same three times (odds 2^-18 for the
	 * stack pointer's 9) means a field is not randomized. */
	KTEST_EXPECT(t, stack[0] != stack[1] || stack[1] != stack[2]);
	KTEST_EXPECT(t, mmap[0] != mmap[1] || mmap[1] != mmap[2]);
	KTEST_EXPECT(t, brk[0] != brk[1] || brk[1] != brk[2]);
	KTEST_EXPECT(t, sps[0] - stack[0] != sps[1] - stack[1] ||
				sps[1] - stack[1] != sps[2] - stack[2]);

	mm = exec_tiny(t, ADDR_NO_RANDOMIZE | READ_IMPLIES_EXEC, &sp);
	KTEST_ASSERT(t, mm);
	KTEST_EXPECT_EQ(t, mm->start_stack, USER_STACK_TOP);
	KTEST_EXPECT_EQ(t, mm->mmap_base, USER_MMAP_BASE);
	KTEST_EXPECT_EQ(t, mm->start_brk, brk0);
	KTEST_EXPECT_EQ(t, mm->personality, ADDR_NO_RANDOMIZE);
	mmput(mm);

	randomize_va_space = saved_rva;
	boot_params.modules[0] = saved;
	boot_params.nr_modules = saved_nr;
	initrd_init();
	KTEST_EXPECT_EQ(t, kernel_unlink("/bin/tiny"), 0);
	if (!had_bin)
		KTEST_EXPECT_EQ(t, kernel_unlink("/bin"), 0);
	kfree(tar);
}

/*
 * A static PIE (ET_DYN without PT_INTERP) moves by the load bias that
 * puts its first segment at the base, rounded down to its alignment:
 * its pages, entry and brk move with it (Linux's load_bias).
 */
KTEST(user_mm, elf_loads_static_pie_at_base)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long base = ELF_ET_DYN_BASE, bias = 0, want;
	struct tiny_elf e;
	u64 entry = 0;
	u8 *p;

	KTEST_ASSERT(t, mm);
	tiny_elf_init(&e);
	e.eh.e_type = ET_DYN;
	e.ph[0].p_vaddr = 0; /* as a PIE is linked */
	e.ph[0].p_align = 2 * 1024 * 1024;
	e.eh.e_entry = offsetof(struct tiny_elf, code);
	want = ALIGN_DOWN(base, 2 * 1024 * 1024);
	KTEST_EXPECT_EQ(t, elf_load(mm, &e, sizeof(e), base, &entry, &bias), 0);
	KTEST_EXPECT_EQ(t, bias, want);
	KTEST_EXPECT_EQ(t, entry, want + offsetof(struct tiny_elf, code));
	KTEST_EXPECT_EQ(t, mm->start_brk, want + 3 * PAGE_SIZE);
	p = user_byte(mm, want);
	KTEST_ASSERT(t, p);
	KTEST_EXPECT(t, memcmp(p, &e, sizeof(e)) == 0);
	KTEST_EXPECT(t, user_byte(mm, TEST_VA) == NULL);
	mmput(mm);
}
