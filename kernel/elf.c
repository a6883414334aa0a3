/*
 * elf.c - the ELF64 loader (elf_load() in include/kernel/exec.h), a small
 * cousin of Linux's fs/binfmt_elf.c for static x86-64 executables only:
 * ET_EXEC at its link addresses, or a static PIE (ET_DYN without
 * PT_INTERP: musl's and glibc's -static-pie) moved by a load bias to
 * the base the caller chose; no interpreter, so a dynamically linked
 * program (PT_INTERP) is refused. kernel/exec.c calls it with a fresh mm
 * and an image in the initrd (kernel/initrd.c); pages are mapped at once
 * by map_user_pages() (mm/user_mm.c) and filled through the direct map
 * with copy_to_mm(), so the new mm need not be active.
 *
 * Segments need not be page aligned: when two PT_LOAD segments share a
 * page (text ending and data starting in one page, common in static ELFs
 * linked without -z max-page-size=4096), that page is mapped once with
 * the union of both segments' rights.
 */
#include <kernel/compiler.h>
#include <kernel/elf.h>
#include <kernel/errno.h>
#include <kernel/exec.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <mm/mm_types.h>
#include <mm/mman.h>
#include <mm/page.h>
#include <mm/user_mm.h>

#define ELF_MAX_PHNUM 128 /* more program headers: not ours */

static int elf_reject(const char *why)
{
	pr_err("exec: not a loadable static ELF64 x86-64 executable: %s\n",
	       why);
	return -ENOEXEC;
}

/* Largest Linux accepts as a segment's alignment here; more is refused
 * rather than let it round the base away to 0. */
#define ELF_MAX_ALIGN (1UL << 30)

static int phdr_prot(const Elf64_Phdr *ph)
{
	return ((ph->p_flags & PF_R) ? PROT_READ : 0) |
	       ((ph->p_flags & PF_W) ? PROT_WRITE : 0) |
	       ((ph->p_flags & PF_X) ? PROT_EXEC : 0);
}

/* The page range [*lo, *hi) a PT_LOAD segment covers, moved by bias. */
static void seg_pages(const Elf64_Phdr *ph, unsigned long bias,
		      unsigned long *lo, unsigned long *hi)
{
	*lo = ALIGN_DOWN(ph->p_vaddr + bias, PAGE_SIZE);
	*hi = ALIGN_UP(ph->p_vaddr + bias + ph->p_memsz, PAGE_SIZE);
}

static void get_phdr(const void *image, const Elf64_Ehdr *eh, int i,
		     Elf64_Phdr *ph)
{
	memcpy(ph, (const char *)image + eh->e_phoff + (size_t)i * sizeof(*ph),
	       sizeof(*ph));
}

/* Check the ELF header; 0 or -ENOEXEC (reported). */
static int check_ehdr(const void *image, size_t size, Elf64_Ehdr *eh)
{
	if (size < sizeof(*eh))
		return elf_reject("file shorter than an ELF header");
	memcpy(eh, image, sizeof(*eh));
	if (memcmp(eh->e_ident, ELFMAG, 4) != 0)
		return elf_reject("no ELF magic");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return elf_reject("not ELFCLASS64 (32-bit?)");
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return elf_reject("not little-endian");
	if (eh->e_machine != EM_X86_64)
		return elf_reject("e_machine is not EM_X86_64");
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return elf_reject("e_type is neither ET_EXEC nor ET_DYN");
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 ||
	    eh->e_phnum > ELF_MAX_PHNUM || eh->e_phoff > size ||
	    (size_t)eh->e_phnum * sizeof(Elf64_Phdr) > size - eh->e_phoff)
		return elf_reject("bad program header table");
	return 0;
}

/*
 * The load bias of a static PIE, Linux's for an ET_DYN program: dyn_base
 * rounded down to the largest power-of-two p_align of its PT_LOAD
 * segments (at least a page), less the page of the first PT_LOAD's
 * p_vaddr, so that the first segment starts there. 0 for ET_EXEC, which
 * stays where it is linked. ~0UL for an alignment beyond ELF_MAX_ALIGN.
 */
static unsigned long load_bias_of(const void *image, const Elf64_Ehdr *eh,
				  unsigned long dyn_base)
{
	unsigned long align = PAGE_SIZE, first = 0;
	bool have_first = false;

	if (eh->e_type != ET_DYN)
		return 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;

		get_phdr(image, eh, i, &ph);
		if (ph.p_type != PT_LOAD)
			continue;
		if (!have_first) {
			first = ALIGN_DOWN(ph.p_vaddr, PAGE_SIZE);
			have_first = true;
		}
		/* Linux's maximum_alignment(): powers of two only */
		if (ph.p_align && !(ph.p_align & (ph.p_align - 1)) &&
		    ph.p_align > align) {
			if (ph.p_align > ELF_MAX_ALIGN)
				return ~0UL;
			align = ph.p_align;
		}
	}
	return ALIGN_DOWN(dyn_base, align) - first; /* wraps for a big first:
						     * then refused below */
}

/* Check every program header, each segment moved by bias; 0 or -ENOEXEC
 * (reported). */
static int check_phdrs(const void *image, size_t size, const Elf64_Ehdr *eh,
		       unsigned long bias, unsigned long *brk)
{
	unsigned long end = 0;
	int loads = 0;

	if (bias == ~0UL)
		return elf_reject("PT_LOAD alignment above 1 GiB");
	for (int i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;
		unsigned long va;

		get_phdr(image, eh, i, &ph);
		if (ph.p_type == PT_INTERP)
			return elf_reject(
				"dynamically linked (PT_INTERP): there is no dynamic loader here; link with -static or -static-pie");
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_filesz > ph.p_memsz || ph.p_offset > size ||
		    ph.p_filesz > size - ph.p_offset)
			return elf_reject(
				"PT_LOAD file range outside the file");
		/* [va, va + p_memsz) must end at or below TASK_SIZE (the
		 * top page stays unmapped); va is checked first, so that
		 * the subtraction cannot wrap and let through a segment
		 * that wraps itself or runs into the kernel half. A bias
		 * that wrapped p_vaddr lands above TASK_SIZE or below a
		 * page, and is refused the same way. */
		va = ph.p_vaddr + bias;
		if (ph.p_vaddr > ~0UL - bias || va < PAGE_SIZE ||
		    va > TASK_SIZE || ph.p_memsz > TASK_SIZE - va)
			return elf_reject("PT_LOAD segment outside user space");
		if (ph.p_memsz == 0)
			continue;
		loads++;
		end = MAX(end, ALIGN_UP(va + ph.p_memsz, PAGE_SIZE));
	}
	if (!loads)
		return elf_reject("no PT_LOAD segment");
	/* Linux's BAD_ADDR() */
	if (eh->e_entry > ~0UL - bias || eh->e_entry + bias >= TASK_SIZE)
		return elf_reject("entry point outside user space");
	*brk = end;
	return 0;
}

/* The union of the rights of every PT_LOAD segment (moved by bias) that
 * covers page va. */
static int page_prot(const void *image, const Elf64_Ehdr *eh,
		     unsigned long bias, unsigned long va)
{
	int prot = 0;

	for (int i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;
		unsigned long lo, hi;

		get_phdr(image, eh, i, &ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		seg_pages(&ph, bias, &lo, &hi);
		if (va >= lo && va < hi)
			prot |= phdr_prot(&ph);
	}
	return prot;
}

int elf_load(struct mm_struct *mm, const void *image, size_t size,
	     unsigned long dyn_base, u64 *entry, unsigned long *load_bias)
{
	Elf64_Ehdr eh;
	unsigned long brk, bias = 0;
	int err;

	err = check_ehdr(image, size, &eh);
	if (!err) {
		bias = load_bias_of(image, &eh, dyn_base);
		err = check_phdrs(image, size, &eh, bias, &brk);
	}
	if (err)
		return err;

	/* Map: each page once, with the rights of all segments on it. */
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		unsigned long lo, hi;

		get_phdr(image, &eh, i, &ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		seg_pages(&ph, bias, &lo, &hi);
		for (unsigned long va = lo; va < hi; va += PAGE_SIZE) {
			if (user_page_phys(mm, va))
				continue; /* shared with an earlier segment */
			err = map_user_pages(mm, va, PAGE_SIZE,
					     page_prot(image, &eh, bias, va));
			if (err)
				return err == -EEXIST ?
					       elf_reject(
						       "segment overlaps an existing mapping") :
					       err;
		}
	}
	/* Fill: the file bytes; the pages are zeroed, so the bss already is. */
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		get_phdr(image, &eh, i, &ph);
		if (ph.p_type != PT_LOAD || ph.p_filesz == 0)
			continue;
		err = copy_to_mm(mm, ph.p_vaddr + bias,
				 (const char *)image + ph.p_offset,
				 ph.p_filesz);
		if (err)
			return err;
	}
	mm->start_brk = mm->brk = brk;
	*entry = eh.e_entry + bias;
	*load_bias = bias;
	return 0;
}
