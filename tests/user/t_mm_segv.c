/*
 * t_mm_segv - accesses the protection forbids (man 2 mmap, SIGSEGV): a
 * write to PROT_READ memory, a read of PROT_NONE memory, an access after
 * munmap and executing code placed in PROT_READ|PROT_WRITE memory each
 * kill the child with SIGSEGV while the parent carries on; the same code
 * in PROT_READ|PROT_EXEC memory runs.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_mm_segv"
#include "utest.h"
#include "mm_util.h"

/* int f(void) { return 42; }:  mov eax, 42; ret */
static const unsigned char code42[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };

/* call_code - a child body: call the code at addr; returns its 42. */
static int call_code(void *addr)
{
	int (*volatile fn)(void) = (int (*)(void))(uintptr_t)addr;

	return fn(); /* 42 if it ran */
}

int main(void)
{
	const int rw = PROT_READ | PROT_WRITE;
	unsigned char *ro, *none, *gone, *rwx, *rx;
	int status;

	ro = map_anon(2 * PAGE, rw);
	none = map_anon(2 * PAGE, PROT_NONE);
	gone = map_anon(2 * PAGE, rw);
	rwx = map_anon(PAGE, rw);
	rx = map_anon(PAGE, rw);
	CHECK(ro != MAP_FAILED && none != MAP_FAILED && gone != MAP_FAILED &&
	      rwx != MAP_FAILED && rx != MAP_FAILED);
	if (ro == MAP_FAILED || none == MAP_FAILED || gone == MAP_FAILED ||
	    rwx == MAP_FAILED || rx == MAP_FAILED)
		return utest_done();

	/* PROT_READ: reads work (the page was written first), writes kill. */
	ro[PAGE + 3] = 9;
	CHECK_EQ(mprotect(ro, 2 * PAGE, PROT_READ), 0);
	expect_read_ok("read PROT_READ (touched)", ro + PAGE + 3, 9);
	expect_read_ok("read PROT_READ (never touched)", ro + 5, 0);
	expect_signal("write to PROT_READ (touched page)", child_write,
		      ro + PAGE, SIGSEGV);
	expect_signal("write to PROT_READ (never touched)", child_write, ro,
		      SIGSEGV);

	/* PROT_NONE: any access kills. */
	expect_signal("read PROT_NONE", child_read, none, SIGSEGV);
	expect_signal("write PROT_NONE", child_write, none + PAGE, SIGSEGV);

	/* After munmap: both pages, touched or not. */
	gone[0] = 1;
	CHECK_EQ(munmap(gone, 2 * PAGE), 0);
	expect_signal("read after munmap (touched)", child_read, gone, SIGSEGV);
	expect_signal("write after munmap (never touched)", child_write,
		      gone + PAGE, SIGSEGV);

	/* Code in RW memory does not run (NX)... */
	memcpy(rwx, code42, sizeof(code42));
	expect_signal("execute PROT_READ|PROT_WRITE", call_code, rwx, SIGSEGV);

	/* ...and in R|X memory it does. */
	memcpy(rx, code42, sizeof(code42));
	CHECK_EQ(mprotect(rx, PAGE, PROT_READ | PROT_EXEC), 0);
	status = run_child(call_code, rx);
	CHECK(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 42);
	if (status != -1 && !(WIFEXITED(status) && WEXITSTATUS(status) == 42))
		describe_status("execute PROT_READ|PROT_EXEC", status);
	CHECK_EQ(call_code(rx), 42); /* and in the parent */
	expect_signal("write to PROT_READ|PROT_EXEC", child_write, rx, SIGSEGV);

	/* A fresh PROT_READ|PROT_EXEC mapping reads zero (00 00 = add
	 * [rax], al, not ret): only check it reads. */
	munmap(rwx, PAGE);
	rwx = mmap(NULL, PAGE, PROT_READ | PROT_EXEC,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(rwx != MAP_FAILED);
	if (rwx != MAP_FAILED) {
		expect_read_ok("read fresh PROT_READ|PROT_EXEC", rwx + 100, 0);
		munmap(rwx, PAGE);
	}

	munmap(ro, 2 * PAGE);
	munmap(none, 2 * PAGE);
	munmap(rx, PAGE);
	parent_carries_on();
	return utest_done();
}
