/*
 * p_pie - a static position-independent executable (static-pie: ET_DYN,
 * no PT_INTERP): the kernel loads it at a base of its choice and tells
 * the C library where in the auxiliary vector (AT_PHDR and AT_ENTRY
 * moved by the base, AT_BASE 0: no interpreter). The C library then
 * relocates itself; a pointer in initialized data shows it did.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <link.h>
#include <sys/auxv.h>
#include "ptest.h"

static int answer(void)
{
	return 42;
}

static int (*const answer_ptr)(void) = answer; /* a relocation */

/* The ELF header as loaded: GNU ld's symbol at the start of the first
 * PT_LOAD, which a PIE links at address 0. */
extern const ElfW(Ehdr) __ehdr_start;

int main(void)
{
	const ElfW(Ehdr) *eh = &__ehdr_start;
	const ElfW(Phdr) *ph = (const ElfW(Phdr) *)getauxval(AT_PHDR);
	unsigned long n = getauxval(AT_PHNUM), bias = (unsigned long)eh;
	unsigned long main_at = (unsigned long)&main;
	int text = 0;

	CHECK(ph != NULL);
	CHECK_EQ(eh->e_type, ET_DYN);
	CHECK(bias != 0 && bias % 4096 == 0); /* loaded at a base */
	CHECK_EQ(getauxval(AT_PHENT), sizeof(ElfW(Phdr)));
	CHECK_EQ(n, eh->e_phnum);
	CHECK_EQ((unsigned long)ph, bias + eh->e_phoff);
	CHECK_EQ(getauxval(AT_ENTRY), bias + eh->e_entry);
	CHECK_EQ(getauxval(AT_BASE), 0);
	for (unsigned long i = 0; ph && i < n; i++) {
		CHECK(ph[i].p_type != PT_INTERP);
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X) &&
		    main_at >= bias + ph[i].p_vaddr &&
		    main_at < bias + ph[i].p_vaddr + ph[i].p_memsz)
			text = 1;
	}
	CHECK(text); /* main lies in the moved text */
	CHECK_EQ(answer_ptr(), 42);
	CHECK((unsigned long)answer_ptr == (unsigned long)answer);
	return pt_done("p_pie");
}
