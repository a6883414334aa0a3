# Makefile - build, run, test and debug the POE teaching kernel.
#
#   make            kernel (build/kernel.elf) and GRUB ISO (build/os.iso)
#   make run        boot the ISO in QEMU (TCG), serial console on stdio
#   make test       host unit tests + in-kernel KTAP tests + boot checks
#   make check      clang -Werror build, cppcheck, clang-format check
#   make fuzz-host  libFuzzer on the parsers of untrusted bytes, 60 s each
#   make fuzz       the system-call fuzzer in the guest, 4 seeds x SMP 1, 2
#   make help       every target and variable, one line each
#
# Variables: ACCEL=kvm (default tcg), MEM=256M, CMDLINE="loglevel=7",
# CC=clang (default: x86_64-elf-gcc when on PATH, else the host gcc),
# BUILD=dir (default build), WERROR=0, V=1.

BUILD    := build
# V=1 prints every command; the default prints one short line per step.
ifeq ($(V),1)
  Q :=
  say = @true
else
  Q := @
  say = @printf '  %-8s %s\n' $(1) $(2)
endif
CMDLINE  ?= loglevel=7 init=/bin/init
MEM      ?= 256M
ACCEL    ?= tcg
export MEM ACCEL

# ---- toolchain ----------------------------------------------------------
ifeq ($(origin CC),default)
  ifneq ($(shell command -v x86_64-elf-gcc 2>/dev/null),)
    CC := x86_64-elf-gcc
    CROSS := x86_64-elf-
  else
    CC := gcc
  endif
endif
CROSS ?=
LD      := $(if $(shell command -v $(CROSS)ld 2>/dev/null),$(CROSS)ld,ld)
NM      := $(if $(shell command -v $(CROSS)nm 2>/dev/null),$(CROSS)nm,nm)
NASM    := nasm
IS_CLANG := $(shell $(CC) --version 2>/dev/null | grep -q clang && echo 1)

# Warnings are errors, with gcc and clang alike: a warning nobody has to
# fix is one nobody reads. -Wmissing-prototypes: a function other files
# call is declared in a header (or is static). WERROR=0 for a compiler
# newer than the tree, until its new warnings are fixed.
WERROR   ?= 1
WARNINGS := -Wall -Wextra -Wmissing-prototypes $(if $(filter 1,$(WERROR)),-Werror)

# -fno-strict-aliasing, as Linux builds: list and allocator code reaches one
# object through pointers of other types (container_of(), struct page in a
# union, a page's bytes as words), and -O2's type-based alias analysis may
# then reorder its loads and stores.
CFLAGS := -std=gnu11 -O2 -g $(WARNINGS) -Werror=implicit-function-declaration \
	  -ffreestanding -fno-builtin-printf -nostdlib -fno-pic -fno-pie \
	  -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
	  -fno-stack-protector -fno-omit-frame-pointer \
	  -fno-asynchronous-unwind-tables -fno-common -fno-strict-aliasing \
	  -Iinclude -Iarch/x86_64/include -Iinclude/uapi -MMD -MP
ifeq ($(IS_CLANG),1)
  CFLAGS += --target=x86_64-elf -mno-omit-leaf-frame-pointer
else
  CFLAGS += -mno-omit-leaf-frame-pointer
endif
# boot/ is built without DWARF: its line table spans both the low boot code
# and the higher half, which confuses gdb's backtraces ("pc ... in address
# map, but not in symtab"); its ELF symbols are enough there.
NASMFLAGS := -f elf64 -Iarch/x86_64/include/
LDFLAGS   := -nostdlib -n -z max-page-size=0x1000 -z noexecstack -T linker.ld
# The boot code and its page tables share one low segment on purpose.
LDFLAGS   += $(shell $(LD) --help 2>/dev/null | grep -q no-warn-rwx-segments && \
		echo --no-warn-rwx-segments)

# ---- sources: every file in these folders is part of the kernel ---------
C_SRCS   := $(wildcard kernel/*.c mm/*.c fs/*.c drivers/*/*.c arch/x86_64/*.c \
	      tests/kernel/*.c)
ASM_SRCS := boot/boot.asm $(wildcard arch/x86_64/*.asm)
# An assembly file's object keeps its extension (x.asm -> x.asm.o), so that
# x.c and x.asm may sit side by side.
OBJS     := $(patsubst %.c,$(BUILD)/%.o,$(C_SRCS)) \
	    $(patsubst %.asm,$(BUILD)/%.asm.o,$(ASM_SRCS))

.PHONY: all kernel iso run shell bench test-linux test-linux-vm test test-host test-smp test-smp-race gdb deps deps-build clean \
	fuzz-host fuzz-host-build fuzz \
	compile_commands.json check check-clang check-cppcheck check-format format help
all: kernel iso

kernel: $(BUILD)/kernel.elf
iso: $(BUILD)/os.iso

# Check the toolchain once per make run (installs what is missing as root).
deps-build:
	@bash tools/install-deps.sh build

# Rebuild everything when the compiler or its flags change (make CC=clang
# after a gcc build must not mix objects), as kbuild's .cmd files do.
$(BUILD)/flags.txt: FORCE
	@mkdir -p $(BUILD)
	@echo '$(CC) $(CFLAGS) $(NASMFLAGS) $(LDFLAGS)' | cmp -s - $@ || \
	  echo '$(CC) $(CFLAGS) $(NASMFLAGS) $(LDFLAGS)' > $@

$(BUILD)/%.o: %.c $(BUILD)/flags.txt | deps-build
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/%.asm.o: %.asm $(BUILD)/flags.txt | deps-build
	@mkdir -p $(dir $@)
	$(call say,NASM,$<)
	$(Q)$(NASM) $(NASMFLAGS) -M -MT $@ -MP $< > $(@:.o=.d)
	$(Q)$(NASM) $(NASMFLAGS) $(if $(filter boot/%,$<),,-g -F dwarf) $< -o $@

# Two link passes, as Linux's kallsyms: link with an empty symbol table,
# generate the real one from that image, link again. .ksyms is the last
# section (linker.ld), so no other symbol can move; the check proves it.
$(BUILD)/ksyms0.c: tools/gen-ksyms.sh
	@mkdir -p $(BUILD)
	$(Q)sh tools/gen-ksyms.sh > $@
$(BUILD)/ksyms0.o $(BUILD)/ksyms.o: %.o: %.c
	$(call say,CC,$<)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/kernel.pass1.elf: $(OBJS) $(BUILD)/ksyms0.o linker.ld
	$(call say,LD,$@)
	$(Q)$(LD) $(LDFLAGS) -o $@ $(OBJS) $(BUILD)/ksyms0.o

$(BUILD)/ksyms.c: $(BUILD)/kernel.pass1.elf tools/gen-ksyms.sh
	$(call say,KSYMS,$@)
	$(Q)NM=$(NM) sh tools/gen-ksyms.sh $< > $@

$(BUILD)/kernel.elf: $(OBJS) $(BUILD)/ksyms.o linker.ld
	$(call say,LD,$@)
	$(Q)$(LD) $(LDFLAGS) -o $@ $(OBJS) $(BUILD)/ksyms.o
	@$(NM) -n $(BUILD)/kernel.pass1.elf | grep -v -e ksym_ -e ' _end$$' > $(BUILD)/syms.pass1
	@$(NM) -n $@ | grep -v -e ksym_ -e ' _end$$' > $(BUILD)/syms.pass2
	@cmp -s $(BUILD)/syms.pass1 $(BUILD)/syms.pass2 || \
	  { echo "ksyms: symbols moved between link passes"; rm -f $@; exit 1; }

# ---- ISO ---------------------------------------------------------------
# The command line is baked into grub.cfg; rebuild when CMDLINE changes.
$(BUILD)/cmdline.txt: FORCE
	@mkdir -p $(BUILD)
	@echo '$(CMDLINE)' | cmp -s - $@ || echo '$(CMDLINE)' > $@
FORCE:

$(BUILD)/os.iso: $(BUILD)/kernel.elf $(BUILD)/initrd.tar boot/grub.cfg $(BUILD)/cmdline.txt | deps-build
	@rm -rf $(BUILD)/isodir
	@mkdir -p $(BUILD)/isodir/boot/grub
	$(call say,ISO,$@)
	$(Q)cp $(BUILD)/kernel.elf $(BUILD)/isodir/boot/kernel.elf
	$(Q)cp $(BUILD)/initrd.tar $(BUILD)/isodir/boot/initrd.tar
	$(Q)sed 's|@CMDLINE@|$(CMDLINE)|' boot/grub.cfg > $(BUILD)/isodir/boot/grub/grub.cfg
	$(Q)grub-mkrescue -o $@ $(BUILD)/isodir 2> $(BUILD)/grub-mkrescue.log || \
	  { cat $(BUILD)/grub-mkrescue.log; exit 1; }

# ---- running -----------------------------------------------------------
deps:
	@bash tools/install-deps.sh build run test

run: deps all
	bash tools/qemu.sh --iso $(BUILD)/os.iso

# The interactive shell on the serial console (Ctrl-A x quits QEMU).
# SHELL_PROGRAM=busybox boots `busybox sh` instead of our /bin/sh; the
# image must hold it (EXTRA_PROGRAMS=/bin/busybox), which is checked here
# rather than left to the kernel's "cannot exec init" at boot.
SHELL_PROGRAM ?= sh
ifeq ($(SHELL_PROGRAM),busybox)
  SHELL_INIT := /bin/busybox -- sh
else
  SHELL_INIT := /bin/$(SHELL_PROGRAM)
endif
shell: deps kernel initrd
ifeq ($(SHELL_PROGRAM),busybox)
	@case " $(notdir $(EXTRA_PROGRAMS)) " in *" busybox "*) ;; *) \
	  echo "make shell SHELL_PROGRAM=busybox: busybox is not in the image;" \
	    "add EXTRA_PROGRAMS=/bin/busybox (package busybox-static)" >&2; \
	  exit 1 ;; esac
endif
	bash tools/qemu.sh --interactive --kernel $(BUILD)/kernel.elf \
	  --initrd $(BUILD)/initrd.tar --append "loglevel=7 init=$(SHELL_INIT)"

# Every path from $(BUILD), so that `make test CC=clang BUILD=build-clang`
# tests what clang built.
RUN_TESTS := python3 tools/run_tests.py --kernel $(BUILD)/kernel.elf \
	--iso $(BUILD)/os.iso --host $(BUILD)/host --initrd $(BUILD)/initrd.tar \
	--user-bin $(BUILD)/user/bin --ulinux $(BUILD)/ulinux --fuzz $(BUILD)/fuzz \
	--posix $(BUILD)/posix --linux $(BUILD)/linux

test: deps all user initrd test-host fuzz-host-build
	$(RUN_TESTS)

# The user tests on this Linux host only (glibc and our libc): a semantics
# test that fails on Linux is a wrong test.
test-linux: test-user-linux

# The same user tests on Debian's Linux 6.1, the kernel make bench boots
# (downloaded once into $(BUILD)/linux/), in QEMU: built -static, booted
# with usertests in an initramfs (run_tests.py step ulinuxvm, not in
# make test). TESTS="t_uffd t_umap" narrows it to some tests or groups.
TESTS ?=
test-linux-vm: deps
	@bash tools/install-deps.sh bench
	$(RUN_TESTS) --only ulinuxvm --ulinuxvm-tests "$(TESTS)"

test-host:
	$(MAKE) -C tests/host BUILD=$(abspath $(BUILD))/host

# libFuzzer on the parsers of untrusted bytes (tests/fuzz/, clang): the
# ELF loader, the initrd, the command line, printf. fuzz-host replays
# each corpus, then fuzzes each harness for FUZZ_TIME seconds; make test
# runs a short smoke of them (step fuzzhost).
FUZZ_TIME ?= 60
FUZZ := $(MAKE) -C tests/fuzz BUILD=$(abspath $(BUILD))/fuzz

fuzz-host-build:
	@bash tools/install-deps.sh fuzz
	$(FUZZ)

fuzz-host: fuzz-host-build
	$(FUZZ) run FUZZ_TIME=$(FUZZ_TIME)

# The system-call fuzzer (user/fuzz.c) booted as init under -icount, one
# boot per seed (SEED=, default "1 2 3 4") and vCPU count (SMP=, "1 2"),
# poe.always=1 for half of them (POE=always, off), FUZZ_MINUTES (10) of
# virtual time or ROUNDS= rounds each. tools/fuzz.sh reads them from the
# environment (make exports command-line variables) and lists the
# others; make test runs a short run of it (step fuzz).
fuzz: deps kernel initrd
	BUILD=$(BUILD) bash tools/fuzz.sh

# Every suite on 2 and 4 CPUs, the POE user tests included, and the user
# tests at SMP=2 under -icount (run_tests.py steps smp, smppoe and usmp,
# which make test runs among the others).
test-smp: deps all user initrd
	$(RUN_TESTS) --only smp,smppoe,usmp

# The SMP race tests with 10,000 rounds each, at 2 and 4 vCPUs under MTTCG
# (tools/smp-race.sh); too long for make test, which runs a few rounds.
test-smp-race: deps kernel initrd
	bash tools/smp-race.sh

gdb: deps kernel initrd
	bash tools/qemu.sh --gdb --kernel $(BUILD)/kernel.elf --initrd $(BUILD)/initrd.tar \
	  --append "$(CMDLINE)" & \
	  gdb -q $(BUILD)/kernel.elf -x tools/gdbinit; kill %1 2>/dev/null; wait

compile_commands.json:
	@bash tools/install-deps.sh dev
	bear --output $@ -- $(MAKE) -B kernel

# ---- checks -------------------------------------------------------------
# make check: what a reviewer would otherwise do by hand, in about a
# minute. Each step runs even when an earlier one failed (one report of
# everything), and check fails if any did. The steps:
#   check-clang     the kernel, libc and user programs with clang -Werror
#                   into $(CLANG_BUILD)/ (make test builds them with gcc)
#   check-cppcheck  tools/cppcheck.sh: cppcheck over the C tree
#   check-format    tools/format.sh --check: clang-format --dry-run -Werror
CLANG_BUILD := build-clang
CHECKS := check-clang check-cppcheck check-format

check:
	@bash tools/install-deps.sh check
	@fail=; for c in $(CHECKS); do \
	  t0=$$(date +%s); \
	  $(MAKE) --no-print-directory $$c || fail="$$fail $$c"; \
	  echo "  $$c: $$(( $$(date +%s) - t0 ))s"; \
	done; \
	if [ -n "$$fail" ]; then echo "make check: FAILED:$$fail"; exit 1; fi; \
	echo "make check: all passed ($(CHECKS))"

check-clang:
	@bash tools/install-deps.sh build check
	$(MAKE) --no-print-directory kernel user CC=clang BUILD=$(CLANG_BUILD) WERROR=1

check-cppcheck:
	@bash tools/install-deps.sh check
	bash tools/cppcheck.sh $(BUILD)/cppcheck

check-format:
	@bash tools/install-deps.sh check
	bash tools/format.sh --check

# Format the C tree in place with .clang-format (then review and commit).
format:
	@bash tools/install-deps.sh check
	bash tools/format.sh

clean:
	rm -rf $(BUILD) $(CLANG_BUILD)

# One line per target; variables after. Keep in step with the targets.
help:
	@echo 'Build (into $$(BUILD), default build/):'
	@echo '  all (default)     kernel and iso'
	@echo '  kernel            build/kernel.elf, the multiboot/PVH kernel image'
	@echo '  iso               build/os.iso, a GRUB rescue ISO with kernel and initrd'
	@echo '  libc              build/libc/libc.a and crt0.o, the freestanding C library'
	@echo '  user              every program of user/ and tests/user/ (build/user/bin/)'
	@echo '  initrd            build/initrd.tar, the programs as bin/NAME (ustar)'
	@echo '  compile_commands.json  compile database for clangd and editors (uses bear)'
	@echo 'Run:'
	@echo '  run               boot the ISO in QEMU, serial console on stdio'
	@echo '  shell             boot straight into /bin/sh (Ctrl-A x quits QEMU);'
	@echo '                    SHELL_PROGRAM=busybox EXTRA_PROGRAMS=/bin/busybox: busybox sh'
	@echo '  gdb               QEMU halted with a gdb stub, gdb attached (tools/gdbinit)'
	@echo 'Test:'
	@echo '  test              everything: host, fuzzhost, ulinux, ulibc, ktest, smp, user, upoe, fuzz, labs, oops, iso, gdb'
	@echo '  test-host         only build the host unit tests (cmocka, ASan+UBSan)'
	@echo '  fuzz-host         libFuzzer on the ELF, initrd, cmdline and printf parsers, FUZZ_TIME s each'
	@echo '  fuzz-host-build   only build the fuzz harnesses (build/fuzz/, clang)'
	@echo '  fuzz              the system-call fuzzer in the guest: SEED x SMP boots, FUZZ_MINUTES each'
	@echo '  test-linux        the user tests on this Linux host (glibc and our libc)'
	@echo '  test-user-linux   the same as test-linux'
	@echo '  test-linux-vm     the user tests on Debian'"'"'s Linux 6.1 in QEMU (TESTS="t_uffd t_umap" narrows)'
	@echo '  test-smp          the suites on 2 and 4 CPUs, POE user tests included'
	@echo '  test-smp-race     the SMP race tests, 10,000 rounds at 2 and 4 vCPUs (MTTCG)'
	@echo '  check             check-clang, check-cppcheck and check-format, one report'
	@echo '  check-clang       kernel, libc and user programs with clang -Werror (build-clang/)'
	@echo '  check-cppcheck    cppcheck over the C tree (tools/cppcheck.sh)'
	@echo '  check-format      clang-format --dry-run -Werror over the C tree'
	@echo '  format            clang-format the C tree in place (tools/format.sh)'
	@echo 'Benchmark:'
	@echo '  bench             faultbench on this kernel and on Linux, one report (build/bench/)'
	@echo '  bench-linux       only the Linux run of faultbench (downloads Debian'"'"'s kernel)'
	@echo '  bench-thp         the 2 MiB rows and the co-runner, page_init=inline|offlevel x SMP 1, 2, and Linux (build/bench/thp-*)'
	@echo '  bench-smp         page_fault1 at 1, 2, 4 vCPUs: ours and Linux (MTTCG, build/bench/smp*)'
	@echo '  bench-apps        POE end to end on malloc, sort, hash and busybox: ours and Linux (build/bench/apps*)'
	@echo 'Labs (labs/README.md):'
	@echo '  lab               LAB=NAME: the student tree of a lab in LAB_OUT (default $$(BUILD)/lab-NAME)'
	@echo '  grade             LAB=NAME: the lab'"'"'s tests with points, Score: N/M (GRADE_TESTS=dir GRADE_FORMAT=csv)'
	@echo '  labs-check        every LAB marker of the tree well formed (tools/lab.py check)'
	@echo 'Other:'
	@echo '  deps              install what build, run and test need (as root; else prints the apt-get line)'
	@echo '  clean             remove $$(BUILD) and build-clang/'
	@echo '  help              this list'
	@echo 'Variables: CC=clang  BUILD=dir  WERROR=0  V=1  ACCEL=kvm  MEM=256M  FUZZ_TIME=60'
	@echo '  make fuzz: SEED="1 2 3 4"  SMP="1 2"  POE=half|always|off  ROUNDS=  FUZZ_MINUTES=10  FUZZ_ARGS=  FUZZ_JOBS=1'
	@echo '  CMDLINE="loglevel=7 init=/bin/init"  USER_CC=  EXTRA_PROGRAMS="prog ..."'
	@echo '  BENCH_PAGES="100 4096"  BENCH_TPUT_ITERS=4  BENCH_TIMEOUT=600  BENCH_APPEND=poe.walker=c'
	@echo 'One test step: python3 tools/run_tests.py --only STEP (see --help); CONTRIBUTING.md'

include user.mk
include bench.mk   # make bench, make bench-linux
include labs.mk    # make lab, make grade (labs/README.md)

-include $(OBJS:.o=.d)
