# labs.mk - the coursework labs (labs/README.md). Included by the
# top-level Makefile, whose BUILD, OBJS and CFLAGS it uses.
#
#   make lab LAB=NAME      the student's tree of lab NAME in $(LAB_OUT)
#                          (tools/lab.py: every region of the lab replaced
#                          by its stub; LAB_GIT=1 makes it a fresh git
#                          repository with one commit)
#   make grade LAB=NAME    the lab's tests with points (tools/grade.py):
#                          `Score: N/M`, exit 0 only at full marks.
#                          GRADE_TESTS=DIR adds a teacher's hidden tests,
#                          GRADE_FORMAT=csv prints one line per test.
#                          In a student's tree LAB defaults to its .lab.
#   make labs-check        every LAB marker of the tree well formed
#
# KTEST_EXTRA="/abs/test_x.c ..." builds extra in-kernel test files into
# the kernel, with tests/kernel/ on their include path: how grade.py
# builds a teacher's hidden tests (into a BUILD of their own, since
# dropping a file from the list later would not relink).

LAB ?= $(shell cat .lab 2>/dev/null)
LAB_OUT ?= $(BUILD)/lab-$(LAB)
LAB_GIT ?= 0
GRADE_TESTS ?=
GRADE_FORMAT ?= text
KTEST_EXTRA ?=

.PHONY: lab grade labs-check

lab:
	@test -n "$(LAB)" || { echo "make lab: LAB=NAME (labs: $$(python3 tools/lab.py list | cut -d' ' -f1 | tr '\n' ' '))"; exit 2; }
	python3 tools/lab.py make $(LAB) --out $(LAB_OUT) --force $(if $(filter 1,$(LAB_GIT)),--git)

grade: deps kernel initrd
	@test -n "$(LAB)" || { echo "make grade: LAB=NAME (labs: $$(python3 tools/lab.py list | cut -d' ' -f1 | tr '\n' ' '))"; exit 2; }
	@python3 tools/grade.py $(LAB) --build $(BUILD) --format $(GRADE_FORMAT) \
	  $(if $(GRADE_TESTS),--tests $(abspath $(GRADE_TESTS)))

labs-check:
	python3 tools/lab.py check

ifneq ($(strip $(KTEST_EXTRA)),)
KTEST_EXTRA_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(abspath $(KTEST_EXTRA)))
OBJS += $(KTEST_EXTRA_OBJS)
$(KTEST_EXTRA_OBJS): CFLAGS += -Itests/kernel
$(BUILD)/kernel.pass1.elf $(BUILD)/kernel.elf: $(KTEST_EXTRA_OBJS)
-include $(KTEST_EXTRA_OBJS:.o=.d)
endif
