# user.mk - user space: libc, the programs in user/ and tests/user/, and
# the initrd. Included by the top-level Makefile, whose BUILD, CC, Q, say
# and WARNINGS (-Werror unless WERROR=0) it uses; everything else here is
# its own.
#
#   make user        every program: $(BUILD)/user/bin/NAME for each
#                    user/NAME.c and tests/user/NAME.c (static, non-PIE,
#                    linked at 0x400000 with crt0 + libc.a)
#   make libc        $(BUILD)/libc/libc.a and $(BUILD)/libc/crt0.o
#   make initrd      $(BUILD)/initrd.tar: ustar, one entry bin/NAME per
#                    program (debug info stripped - gdb uses
#                    $(BUILD)/user/bin/NAME), the real-libc tests as
#                    bin/posix-VARIANT/NAME, EXTRA_PROGRAMS and
#                    EXTRA_FILES, and a directory entry for every
#                    directory
#   make posix       the real-libc tests (tests/posix/, step posix):
#                    $(BUILD)/posix/VARIANT/NAME
#   make test-user-linux   run the user tests on this Linux host: built
#                    against glibc (step ulinux) and against our libc
#                    (step ulibc) - see tools/run_tests.py
#
# Variables:
#   EXTRA_PROGRAMS="path/to/prog ..."   external static ELF executables to
#                    add to the initrd as bin/<basename> (checked: ELF64,
#                    x86-64, ET_EXEC or a static PIE, no PT_INTERP), e.g.
#                    EXTRA_PROGRAMS=/bin/busybox
#   EXTRA_FILES="host/path:/dest/path ..."   any host file, copied into the
#                    initrd at the absolute path after the first ":/",
#                    with its mode (ustar directory entries are made for
#                    its directories); an error for a host file that is
#                    missing or not a regular file, a destination that is
#                    not absolute, has "." or ".." or an empty component,
#                    is longer than ustar can hold, or is already taken
#                    (tools/initrd-add-files.sh),
#                    e.g. EXTRA_FILES="/etc/services:/etc/services"
#   USER_CC          compiler for user space (default: $(CC); the host gcc
#                    or clang, or x86_64-elf-gcc, all work)
#   USER_EXTRA_CFLAGS  appended to the user compile flags
#                    (e.g. -mgeneral-regs-only for a kernel without SSE)

USER_CC   ?= $(CC)
USER_BUILD := $(BUILD)/user
LIBC_BUILD := $(BUILD)/libc
LIBC_A    := $(LIBC_BUILD)/libc.a
CRT0      := $(LIBC_BUILD)/crt0.o
INITRD    := $(BUILD)/initrd.tar
EXTRA_PROGRAMS ?=
EXTRA_FILES ?=
# The host side of each EXTRA_FILES entry, rebuilt when one changes (the
# recipe says which are missing or wrong).
EXTRA_FILES_SRC := $(wildcard $(foreach f,$(EXTRA_FILES),$(firstword $(subst :/, ,$(f)))))

USER_CC_IS_CLANG := $(shell $(USER_CC) --version 2>/dev/null | grep -q clang && echo 1)
USER_CC_INC := $(shell $(USER_CC) -print-file-name=include)

# Freestanding: our headers, then the compiler's own (stddef.h, stdint.h,
# stdarg.h, stdbool.h, stdatomic.h), then the kernel's uapi headers
# (asm/unistd.h, and poe.h which libc/include/poe.h wraps).
USER_CFLAGS := -std=gnu11 -O2 -g $(WARNINGS) -Werror=implicit-function-declaration \
	-ffreestanding -fno-builtin -nostdinc -nostdlib -fno-pic -fno-pie \
	-fno-stack-protector -fno-omit-frame-pointer -fno-common \
	-isystem libc/include -isystem $(USER_CC_INC) -isystem include/uapi \
	-MD -MP
# -MD, not -MMD: libc/include and include/uapi are -isystem, and a change
# to a struct there (struct poe_stats) must rebuild every program using it.
ifneq ($(USER_CC_IS_CLANG),1)
  # Keep gcc from turning memset/memcpy's own loops into calls to themselves.
  USER_CFLAGS += -fno-tree-loop-distribute-patterns
endif
USER_CFLAGS += $(USER_EXTRA_CFLAGS)
USER_LDFLAGS := -nostdlib -static -Wl,-z,max-page-size=4096 \
	-Wl,-z,noexecstack -Wl,--build-id=none
ifneq ($(USER_CC_IS_CLANG),1)
  USER_LDFLAGS += -no-pie	# clang: -static already means no PIE
endif

LIBC_SRCS := $(wildcard libc/*.c libc/*.S)
LIBC_OBJS := $(patsubst libc/%,$(LIBC_BUILD)/%.o,$(filter-out libc/crt0.S,$(LIBC_SRCS)))

USER_PROG_SRCS := $(wildcard user/*.c)
USER_TEST_SRCS := $(wildcard tests/user/*.c)
USER_BINS := $(patsubst user/%.c,$(USER_BUILD)/bin/%,$(USER_PROG_SRCS)) \
	     $(patsubst tests/user/%.c,$(USER_BUILD)/bin/%,$(USER_TEST_SRCS))
USER_OBJS := $(patsubst %.c,$(USER_BUILD)/obj/%.o,$(USER_PROG_SRCS) $(USER_TEST_SRCS))

.PHONY: user libc initrd test-user-linux

user: $(USER_BINS)
libc: $(LIBC_A) $(CRT0)
initrd: $(INITRD)

# Rebuild user space when its compiler or flags change.
$(USER_BUILD)/flags.txt: FORCE
	@mkdir -p $(dir $@)
	@echo '$(USER_CC) $(USER_CFLAGS) $(USER_LDFLAGS)' | cmp -s - $@ || \
	  echo '$(USER_CC) $(USER_CFLAGS) $(USER_LDFLAGS)' > $@

$(LIBC_BUILD)/%.c.o: libc/%.c $(USER_BUILD)/flags.txt
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(USER_CC) $(USER_CFLAGS) -c $< -o $@

$(LIBC_BUILD)/%.S.o: libc/%.S $(USER_BUILD)/flags.txt
	@mkdir -p $(dir $@)
	$(call say,AS,$<)
	$(Q)$(USER_CC) $(USER_CFLAGS) -c $< -o $@

$(CRT0): $(LIBC_BUILD)/crt0.S.o
	$(Q)cp $< $@

$(LIBC_A): $(LIBC_OBJS)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(USER_BUILD)/obj/%.o: %.c $(USER_BUILD)/flags.txt
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(USER_CC) $(USER_CFLAGS) -c $< -o $@

$(USER_BUILD)/bin/%: $(USER_BUILD)/obj/user/%.o $(CRT0) $(LIBC_A)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(USER_CC) $(USER_LDFLAGS) -o $@ $(CRT0) $< $(LIBC_A)

$(USER_BUILD)/bin/%: $(USER_BUILD)/obj/tests/user/%.o $(CRT0) $(LIBC_A)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)$(USER_CC) $(USER_LDFLAGS) -o $@ $(CRT0) $< $(LIBC_A)

# The real-libc tests (tests/posix/, step posix): every p_NAME.c built
# with musl and with glibc, static; those named p_pie* as static PIEs
# instead (ET_DYN without PT_INTERP), which the kernel loads at a base.
# Debian's musl-gcc cannot link -static-pie alone (its specs file knows
# no rcrt1.o), so the musl PIE is linked by hand as musl's own
# `musl-gcc -static-pie` would be.
POSIX_MUSL_CC  ?= musl-gcc
POSIX_GLIBC_CC ?= gcc
POSIX_BUILD := $(BUILD)/posix
POSIX_CFLAGS := -O2 -g -Wall -Werror -pthread
POSIX_SRCS := $(wildcard tests/posix/p_*.c)
POSIX_PIE_SRCS := $(filter tests/posix/p_pie%,$(POSIX_SRCS))
POSIX_STATIC_SRCS := $(filter-out $(POSIX_PIE_SRCS),$(POSIX_SRCS))
POSIX_BINS := \
	$(patsubst tests/posix/%.c,$(POSIX_BUILD)/musl/%,$(POSIX_STATIC_SRCS)) \
	$(patsubst tests/posix/%.c,$(POSIX_BUILD)/glibc/%,$(POSIX_STATIC_SRCS)) \
	$(patsubst tests/posix/%.c,$(POSIX_BUILD)/musl-pie/%,$(POSIX_PIE_SRCS)) \
	$(patsubst tests/posix/%.c,$(POSIX_BUILD)/glibc-pie/%,$(POSIX_PIE_SRCS))
# musl's start files: where the musl-gcc script's specs file is (gcc's
# -print-file-name would name glibc's rcrt1.o).
MUSL_LIB ?= $(or $(shell sed -n 's|.*-specs *"*\([^" ]*\)/musl-gcc.specs.*|\1|p' \
	$$(command -v $(POSIX_MUSL_CC)) 2>/dev/null),/usr/lib/x86_64-linux-musl)

.PHONY: posix
posix: $(POSIX_BINS)

$(POSIX_BUILD)/musl/%: tests/posix/%.c tests/posix/ptest.h
	@mkdir -p $(dir $@)
	$(call say,MUSL,$@)
	$(Q)$(POSIX_MUSL_CC) -static $(POSIX_CFLAGS) -o $@ $<

$(POSIX_BUILD)/glibc/%: tests/posix/%.c tests/posix/ptest.h
	@mkdir -p $(dir $@)
	$(call say,GLIBC,$@)
	$(Q)$(POSIX_GLIBC_CC) -static $(POSIX_CFLAGS) -o $@ $<

$(POSIX_BUILD)/musl-pie/%: tests/posix/%.c tests/posix/ptest.h
	@mkdir -p $(dir $@)
	$(call say,MUSL,$@)
	$(Q)$(POSIX_MUSL_CC) -static-pie -nostartfiles $(POSIX_CFLAGS) \
	  -Wl,-static -Wl,--no-dynamic-linker -o $@ \
	  $(MUSL_LIB)/rcrt1.o $(MUSL_LIB)/crti.o \
	  $$($(POSIX_GLIBC_CC) -print-file-name=crtbeginS.o) $< \
	  $$($(POSIX_GLIBC_CC) -print-file-name=crtendS.o) $(MUSL_LIB)/crtn.o

$(POSIX_BUILD)/glibc-pie/%: tests/posix/%.c tests/posix/ptest.h
	@mkdir -p $(dir $@)
	$(call say,GLIBC,$@)
	$(Q)$(POSIX_GLIBC_CC) -static-pie $(POSIX_CFLAGS) -o $@ $<

# The initrd: our programs plus EXTRA_PROGRAMS and EXTRA_FILES, rebuilt
# when those lists change. Entries are bin/NAME, the EXTRA_FILES where
# they go, and their directories (ustar, owner 0, mtime 0, sorted).
$(BUILD)/initrd-extra.txt: FORCE
	@mkdir -p $(BUILD)
	@echo '$(EXTRA_PROGRAMS) | $(EXTRA_FILES)' | cmp -s - $@ || \
	  echo '$(EXTRA_PROGRAMS) | $(EXTRA_FILES)' > $@

$(INITRD): $(USER_BINS) $(POSIX_BINS) $(EXTRA_PROGRAMS) $(EXTRA_FILES_SRC) \
	   $(BUILD)/initrd-extra.txt
	$(call say,INITRD,$@)
	$(Q)rm -rf $(BUILD)/initrd && mkdir -p $(BUILD)/initrd/bin
	$(Q)for b in $(USER_BINS); do \
	  strip --strip-debug -o $(BUILD)/initrd/bin/$$(basename $$b) $$b || exit 1; done
	$(Q)for b in $(POSIX_BINS); do v=$$(basename $$(dirname $$b)); \
	  mkdir -p $(BUILD)/initrd/bin/posix-$$v && \
	  strip --strip-all -o $(BUILD)/initrd/bin/posix-$$v/$$(basename $$b) $$b || exit 1; done
	$(Q)for p in $(EXTRA_PROGRAMS); do \
	  h=$$(readelf -h "$$p" 2>/dev/null); \
	  echo "$$h" | grep -q 'Class:.*ELF64' && \
	  echo "$$h" | grep -q 'Machine:.*X86-64' && \
	  echo "$$h" | grep -Eq 'Type:.*(EXEC|DYN)' || \
	    { echo "EXTRA_PROGRAMS: $$p is not an ELF64 x86-64 executable (ET_EXEC, or a static PIE)" >&2; exit 1; }; \
	  if readelf -l "$$p" | grep -q INTERP; then \
	    echo "EXTRA_PROGRAMS: $$p is dynamically linked (PT_INTERP); link it with -static or -static-pie" >&2; exit 1; fi; \
	  cp "$$p" $(BUILD)/initrd/bin/$$(basename "$$p"); \
	done
	$(Q)bash tools/initrd-add-files.sh $(BUILD)/initrd $(EXTRA_FILES)
	$(Q)cd $(BUILD)/initrd && tar --format=ustar --owner=0 --group=0 --numeric-owner \
	  --mtime=@0 --sort=name -cf $(abspath $@) $$(ls -A)

test-user-linux: user
	$(RUN_TESTS) --only ulinux,ulibc

# Keep the objects (make would delete them as intermediates of the chain).
.SECONDARY: $(USER_OBJS) $(LIBC_OBJS) $(LIBC_BUILD)/crt0.S.o

-include $(USER_OBJS:.o=.d) $(LIBC_OBJS:.o=.d)
