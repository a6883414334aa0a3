/*
 * fuzz.h - what the libFuzzer harnesses of tests/fuzz/ share. Each
 * harness compiles a kernel parser as it is (as tests/host/ does, with
 * tests/host/host_shim.c for printk and panic), feeds it the fuzzer's
 * bytes in LLVMFuzzerTestOneInput() and checks the parser's contract
 * afterwards: a broken promise is reported with fuzz_fail(), which
 * aborts, so that libFuzzer saves the input like any crash.
 */
#ifndef FUZZ_FUZZ_H
#define FUZZ_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry points (clang -fsanitize=fuzzer). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/*
 * fuzz_fail - report that the parser broke its contract (printf-style
 * message, one line on stderr, with the captured console output) and
 * abort. Never returns.
 */
void fuzz_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));

#define FUZZ_CHECK(cond, ...)                                          \
	do {                                                           \
		if (!(cond))                                           \
			fuzz_fail(__FILE__, __LINE__, "" __VA_ARGS__); \
	} while (0)

/*
 * fuzz_init - what every harness's LLVMFuzzerInitialize() does first.
 * Keeps printk() off stderr (host_shim.c echoes the console unless
 * HOST_QUIET is set): the parsers report every bad input on the console,
 * which would flood the fuzzer's own output; host_log() still has it.
 * And sets fuzz_replay when a command-line argument is a file: libFuzzer
 * then runs those inputs once each, and does not fuzz.
 */
void fuzz_init(int *argc, char ***argv);

/* Inputs are replayed (files given), not generated (see fuzz_init()). */
extern bool fuzz_replay;

#endif
