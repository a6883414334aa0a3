/*
 * fuzz_elf.c - libFuzzer harness for the ELF loader, kernel/elf.c's
 * elf_load() compiled as it is: the input is the executable image, as
 * exec finds it in the initrd.
 *
 * elf_load() maps and fills pages through three mm calls
 * (include/mm/user_mm.h); this file implements them on a fake address
 * space that holds each mapped page's rights (no contents), and each one
 * checks that elf_load() calls it as its contract allows. The checks of
 * elf_load() must have rejected, before anything is mapped, every image
 * whose segments do not fit user space or the file, so:
 *
 *  - map_user_pages() gets page-aligned, non-empty ranges below TASK_SIZE
 *    that nothing maps yet, and valid rights;
 *  - copy_to_mm() only ever writes pages elf_load() mapped, from bytes
 *    inside the image (the fuzzer's buffer is exactly the image, so
 *    AddressSanitizer catches a read past it anyway);
 *  - elf_load() returns 0, -ENOEXEC (with its one console line) or
 *    -ENOMEM, and after 0 every page of every PT_LOAD segment, moved by
 *    the load bias, is mapped with at least that segment's rights,
 *    nothing else is, the segments end below the last user page, and
 *    brk and the entry point are where the contract says; the bias is 0
 *    for ET_EXEC, page aligned for ET_DYN (a static PIE), loaded at
 *    ELF_ET_DYN_BASE as exec does without randomization.
 *
 * The fake runs out of memory after FAKE_MAX_PAGES pages, as the kernel
 * does (later), so a segment of 2^46 bytes ends in -ENOMEM, not in a
 * loop of 2^34 pages.
 */
#include <kernel/elf.h>
#include <kernel/errno.h>
#include <kernel/exec.h>
#include <mm/mm_types.h>
#include <mm/mman.h>
#include <mm/page.h>
#include <mm/user_mm.h>
#include <stdlib.h>
#include <string.h>
#include "host_shim.h"
#include "fuzz.h"

#define FAKE_MAX_PAGES 1024 /* then -ENOMEM */
#define FAKE_HASH      2048 /* slots of the page index, a power of 2 */

static struct {
	unsigned long va[FAKE_MAX_PAGES]; /* page addresses, in map order */
	int prot[FAKE_MAX_PAGES];
	int nr;
	int slot[FAKE_HASH]; /* index + 1 into va[], 0: empty */
} fake;

static const unsigned char *img; /* the image under test */
static size_t img_size;

/* Where page va is or would go in fake.slot[] (linear probing). */
static unsigned int fake_slot(unsigned long va)
{
	unsigned int h =
		(unsigned int)((va >> PAGE_SHIFT) * 0x9e3779b97f4a7c15UL >> 53);

	while (fake.slot[h] && fake.va[fake.slot[h] - 1] != va)
		h = (h + 1) & (FAKE_HASH - 1);
	return h;
}

/* The index of the page that holds va in fake.va[], or -1. */
static int fake_find(unsigned long va)
{
	return fake.slot[fake_slot(ALIGN_DOWN(va, PAGE_SIZE))] - 1;
}

int map_user_pages(struct mm_struct *mm, unsigned long start, unsigned long len,
		   int prot)
{
	(void)mm;
	FUZZ_CHECK(len != 0 && start % PAGE_SIZE == 0 && len % PAGE_SIZE == 0,
		   "map_user_pages(%#lx, %#lx): empty or unaligned", start,
		   len);
	FUZZ_CHECK(start < TASK_SIZE && len <= TASK_SIZE - start,
		   "map_user_pages(%#lx, %#lx): outside user space", start,
		   len);
	FUZZ_CHECK((prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) == 0,
		   "map_user_pages: bad rights %#x", prot);
	for (unsigned long va = start; va - start < len; va += PAGE_SIZE) {
		FUZZ_CHECK(fake_find(va) < 0,
			   "map_user_pages: %#lx mapped twice", va);
		if (fake.nr == FAKE_MAX_PAGES)
			return -ENOMEM; /* the fake keeps what it mapped */
		fake.slot[fake_slot(va)] = fake.nr + 1;
		fake.va[fake.nr] = va;
		fake.prot[fake.nr++] = prot;
	}
	return 0;
}

phys_addr_t user_page_phys(struct mm_struct *mm, unsigned long va)
{
	int i = fake_find(va);

	(void)mm;
	/* Any non-zero address will do: elf_load() only tests it. */
	return i < 0 ? 0 : (phys_addr_t)(i + 1) * PAGE_SIZE;
}

int copy_to_mm(struct mm_struct *mm, unsigned long va, const void *src,
	       size_t len)
{
	const unsigned char *s = src;
	volatile unsigned char sink = 0;

	(void)mm;
	FUZZ_CHECK(s >= img && s <= img + img_size &&
			   len <= (size_t)(img + img_size - s),
		   "copy_to_mm: source [%zd, +%zu) outside the %zu-byte image",
		   (ssize_t)(s - img), len, img_size);
	FUZZ_CHECK(va < TASK_SIZE && len <= TASK_SIZE - va,
		   "copy_to_mm(%#lx, %zu): outside user space", va, len);
	for (unsigned long p = ALIGN_DOWN(va, PAGE_SIZE); p < va + len;
	     p += PAGE_SIZE)
		FUZZ_CHECK(fake_find(p) >= 0,
			   "copy_to_mm(%#lx, %zu): page %#lx not mapped", va,
			   len, p);
	for (size_t i = 0; i < len; i++) /* read every byte, for ASan */
		sink ^= s[i];
	(void)sink;
	return 0;
}

/* After a successful load: the contract's promises, from the headers. */
static void check_loaded(const struct mm_struct *mm, u64 entry,
			 unsigned long bias)
{
	Elf64_Ehdr eh;
	unsigned long end = 0;
	int covered[FAKE_MAX_PAGES] = { 0 };

	memcpy(&eh, img, sizeof(eh));
	FUZZ_CHECK(eh.e_type == ET_DYN ? bias % PAGE_SIZE == 0 : bias == 0,
		   "load bias %#lx for e_type %d", bias, eh.e_type);
	FUZZ_CHECK(entry == eh.e_entry + bias && entry < TASK_SIZE,
		   "entry %#llx (e_entry %#llx, bias %#lx)",
		   (unsigned long long)entry, (unsigned long long)eh.e_entry,
		   bias);
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		int want = 0;

		memcpy(&ph, img + eh.e_phoff + (size_t)i * sizeof(ph),
		       sizeof(ph));
		FUZZ_CHECK(ph.p_type != PT_INTERP,
			   "a dynamically linked program (PT_INTERP) loaded");
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		ph.p_vaddr += bias; /* where it went */
		FUZZ_CHECK(ph.p_vaddr >= PAGE_SIZE && ph.p_vaddr < TASK_SIZE &&
				   ph.p_memsz <= TASK_SIZE - ph.p_vaddr,
			   "segment %d [%#llx, +%#llx) accepted outside user "
			   "space",
			   i, (unsigned long long)ph.p_vaddr,
			   (unsigned long long)ph.p_memsz);
		want |= (ph.p_flags & PF_R) ? PROT_READ : 0;
		want |= (ph.p_flags & PF_W) ? PROT_WRITE : 0;
		want |= (ph.p_flags & PF_X) ? PROT_EXEC : 0;
		for (unsigned long va = ALIGN_DOWN(ph.p_vaddr, PAGE_SIZE);
		     va < ph.p_vaddr + ph.p_memsz; va += PAGE_SIZE) {
			int p = fake_find(va);

			FUZZ_CHECK(p >= 0, "segment %d: page %#lx not mapped",
				   i, va);
			FUZZ_CHECK((fake.prot[p] & want) == want,
				   "segment %d: page %#lx rights %#x, not %#x",
				   i, va, fake.prot[p], want);
			covered[p] = 1;
		}
		end = MAX(end, ALIGN_UP(ph.p_vaddr + ph.p_memsz, PAGE_SIZE));
	}
	for (int p = 0; p < fake.nr; p++)
		FUZZ_CHECK(covered[p], "page %#lx mapped by no segment",
			   fake.va[p]);
	FUZZ_CHECK(mm->start_brk == end && mm->brk == end,
		   "brk %#lx/%#lx, segments end at %#lx", mm->start_brk,
		   mm->brk, end);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init(argc, argv);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mm_struct *mm = calloc(1, sizeof(*mm));
	unsigned long bias = 0;
	u64 entry = 0;
	int err;

	FUZZ_CHECK(mm != NULL, "out of memory");
	img = data;
	img_size = size;
	fake.nr = 0;
	memset(fake.slot, 0, sizeof(fake.slot));
	host_log_clear();
	err = elf_load(mm, data, size, ELF_ET_DYN_BASE, &entry, &bias);
	if (err == 0)
		check_loaded(mm, entry, bias);
	else if (err == -ENOEXEC)
		FUZZ_CHECK(host_log_contains("exec: not a loadable"),
			   "-ENOEXEC without its console line");
	else
		FUZZ_CHECK(err == -ENOMEM, "elf_load returned %d", err);
	free(mm);
	return 0;
}
