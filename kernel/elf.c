/*
 * elf.c - the ELF64 loader (elf_load() in include/kernel/exec.h), a small
 * cousin of Linux's fs/binfmt_elf.c for static x86-64 executables only:
 * no interpreter, no PIE. kernel/exec.c calls it with a fresh mm and an
 * image in the initrd (kernel/initrd.c); pages are mapped at once by
 * map_user_pages() (mm/user_mm.c) and filled through the direct map with
 * copy_to_mm(), so the new mm need not be active.
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

static int phdr_prot(const Elf64_Phdr *ph)
{
	return ((ph->p_flags & PF_R) ? PROT_READ : 0) |
	       ((ph->p_flags & PF_W) ? PROT_WRITE : 0) |
	       ((ph->p_flags & PF_X) ? PROT_EXEC : 0);
}

/* The page range [*lo, *hi) a PT_LOAD segment covers. */
static void seg_pages(const Elf64_Phdr *ph, unsigned long *lo,
		      unsigned long *hi)
{
	*lo = ALIGN_DOWN(ph->p_vaddr, PAGE_SIZE);
	*hi = ALIGN_UP(ph->p_vaddr + ph->p_memsz, PAGE_SIZE);
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
	if (eh->e_type == ET_DYN)
		return elf_reject(
			"ET_DYN (PIE or shared object); link with -static -no-pie");
	if (eh->e_type != ET_EXEC)
		return elf_reject("e_type is not ET_EXEC");
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 ||
	    eh->e_phnum > ELF_MAX_PHNUM || eh->e_phoff > size ||
	    (size_t)eh->e_phnum * sizeof(Elf64_Phdr) > size - eh->e_phoff)
		return elf_reject("bad program header table");
	return 0;
}

/* Check every program header; 0 or -ENOEXEC (reported). */
static int check_phdrs(const void *image, size_t size, const Elf64_Ehdr *eh,
		       unsigned long *brk)
{
	unsigned long end = 0;
	int loads = 0;

	for (int i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;

		get_phdr(image, eh, i, &ph);
		if (ph.p_type == PT_INTERP)
			return elf_reject(
				"has PT_INTERP (dynamically linked); link with -static");
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_filesz > ph.p_memsz || ph.p_offset > size ||
		    ph.p_filesz > size - ph.p_offset)
			return elf_reject(
				"PT_LOAD file range outside the file");
		/* [p_vaddr, p_vaddr + p_memsz) must end at or below
		 * TASK_SIZE (the top page stays unmapped); p_vaddr is
		 * checked first, so that the subtraction cannot wrap and
		 * let through a segment that wraps itself or runs into
		 * the kernel half. */
		if (ph.p_vaddr < PAGE_SIZE || ph.p_vaddr > TASK_SIZE ||
		    ph.p_memsz > TASK_SIZE - ph.p_vaddr)
			return elf_reject("PT_LOAD segment outside user space");
		if (ph.p_memsz == 0)
			continue;
		loads++;
		end = MAX(end, ALIGN_UP(ph.p_vaddr + ph.p_memsz, PAGE_SIZE));
	}
	if (!loads)
		return elf_reject("no PT_LOAD segment");
	if (eh->e_entry >= TASK_SIZE) /* Linux's BAD_ADDR() */
		return elf_reject("entry point outside user space");
	*brk = end;
	return 0;
}

/* The union of the rights of every PT_LOAD segment that covers page va. */
static int page_prot(const void *image, const Elf64_Ehdr *eh, unsigned long va)
{
	int prot = 0;

	for (int i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;
		unsigned long lo, hi;

		get_phdr(image, eh, i, &ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		seg_pages(&ph, &lo, &hi);
		if (va >= lo && va < hi)
			prot |= phdr_prot(&ph);
	}
	return prot;
}

int elf_load(struct mm_struct *mm, const void *image, size_t size, u64 *entry)
{
	Elf64_Ehdr eh;
	unsigned long brk;
	int err;

	err = check_ehdr(image, size, &eh);
	if (!err)
		err = check_phdrs(image, size, &eh, &brk);
	if (err)
		return err;

	/* Map: each page once, with the rights of all segments on it. */
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		unsigned long lo, hi;

		get_phdr(image, &eh, i, &ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		seg_pages(&ph, &lo, &hi);
		for (unsigned long va = lo; va < hi; va += PAGE_SIZE) {
			if (user_page_phys(mm, va))
				continue; /* shared with an earlier segment */
			err = map_user_pages(mm, va, PAGE_SIZE,
					     page_prot(image, &eh, va));
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
		err = copy_to_mm(mm, ph.p_vaddr,
				 (const char *)image + ph.p_offset,
				 ph.p_filesz);
		if (err)
			return err;
	}
	mm->start_brk = mm->brk = brk;
	*entry = eh.e_entry;
	return 0;
}
