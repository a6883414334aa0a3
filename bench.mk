# bench.mk - the page-fault benchmark (user/faultbench.c, the POE patent's
# microbenchmark), included by the top-level Makefile, whose BUILD, ACCEL,
# MEM and deps/kernel/initrd targets it uses.
#
#   make bench        build our kernel and initrd, boot /bin/faultbench on it
#                     (build/bench/poe.log), then the same benchmark on
#                     Debian's Linux (make bench-linux), then
#                     tools/bench_report.py: one table, build/bench/*.csv and
#                     build/bench/faultbench.png; and a UMap sort line:
#                     user/umapsort.c (BENCH_UMAP_PAGES pages through a
#                     256-page buffer, docs/umap.md) booted on our kernel
#                     and on Debian's Linux, each with write-protect
#                     faults (build/bench/umap-poe.log, umap-linux.log)
#                     and without (umap-poe-nowp.log, umap-linux-nowp.log),
#                     in the report's "UMap sort" section
#   make bench-linux  only the Linux run (tools/bench-linux.sh: downloads and
#                     caches Debian's kernel in build/linux/) and its rows;
#                     fails when Linux could not be measured
#   make bench-apps   POE end to end on fault-heavy programs
#                     (user/app_malloc.c, app_sort.c, app_hash.c) and on
#                     Debian's busybox running sort, gzip and awk
#                     (user/app_busybox.c runs and measures it): each
#                     booted on our kernel with POE off and with
#                     poe.always=1, and on Debian's Linux (glibc build and
#                     our binary; busybox is the same binary everywhere),
#                     under -icount (tools/bench-apps.sh, ~7 minutes);
#                     then tools/bench_apps_report.py: one table,
#                     build/bench/apps*.csv and build/bench/apps.png. Fails
#                     when a run is missing or a program's result is wrong
#   make bench-thp    faultbench's 2 MiB rows only (--thp-only: the huge
#                     write, read and memset rows and the co-runner row),
#                     on our kernel once per BENCH_THP_MODES word
#                     (page_init=inline, page_init=offlevel: where a huge
#                     fault's zeroing runs) and BENCH_THP_SMP vCPU count
#                     (1 2), and on Linux at each vCPU count
#                     (build/bench/thp-ours-MODE-smpN.log,
#                     thp-linux-smpN.log); then bench_report.py --thp: the
#                     2 MiB table with the co-runner's ratios. Under
#                     -icount several vCPUs run one at a time
#                     (docs/testing.md), and Linux does not get past
#                     bringing up its second CPU (its SMP=2 column is
#                     skipped, thp-linux-smp2.err says why): ACCEL=mttcg
#                     runs them at once, with host time
#   make bench-smp    page_fault1 (user/pf1bench.c) at 1, 2 and 4 vCPUs on
#                     our kernel (fine-grained locks, the global fault lock,
#                     POE) and on Linux, under MTTCG with the wall clock,
#                     interleaved repeats (tools/bench-smp.sh): a table,
#                     build/bench/smp*.csv and build/bench/smp.png
#
# Both runs go through tools/qemu.sh with the same CPU, MEM and ACCEL,
# --repeatable, and --icount under plain TCG (ACCEL=tcg, the default):
# ticks are guest instructions, identical on every run (docs/testing.md).
# ACCEL=mttcg SMP=2 measures without it, with host time, so that
# faultbench's uffd-cross rows (the monitor on another CPU) mean
# something; ACCEL=kvm gives cycles. Our kernel also gets
# norandmaps: the fixed layout of docs/address-space.md, whose sweeps
# start at the same page-table boundaries as the figures in README.md
# (with randomization they would repeat too, under --repeatable, but at
# another layout). Linux keeps its randomization, as before.
#
# Variables: BENCH_PAGES="100 4096" (the sweep sizes), BENCH_TPUT_ITERS=4
# (rounds of the 128 MiB throughput loop, 0 skips it), BENCH_TIMEOUT=600
# (seconds per run), BENCH_UMAP_PAGES=1024 (umapsort's file, in pages of
# 4 KiB; 0 skips the UMap sort runs), BENCH_APPEND= (more words for our
# kernel's command line, e.g. BENCH_APPEND=poe.walker=c to measure the C
# walker, or BENCH_APPEND=page_init=offlevel; the report's header shows
# the command line), BENCH_HUGE=64 (2 MiB pages in faultbench's huge
# sweeps: 128 MiB mapped at once, within MEM=256M; 0 skips them),
# BENCH_CORUN=32 (huge faults in the co-runner's burst; 0 skips it);
# for bench-thp BENCH_THP_MODES="inline offlevel" and BENCH_THP_SMP="1 2".
# Linux boots with transparent_hugepage=madvise (LINUX_THP,
# tools/bench-linux.sh): the huge rows advise MADV_HUGEPAGE, the 4 KiB
# rows MADV_NOHUGEPAGE.

BENCH_PAGES      ?= 100 4096
BENCH_UMAP_PAGES ?= 1024
BENCH_TPUT_ITERS ?= 4
BENCH_TIMEOUT    ?= 600
BENCH_APPEND     ?=
BENCH_HUGE       ?= 64
BENCH_CORUN      ?= 32
BENCH_THP_MODES  ?= inline offlevel
BENCH_THP_SMP    ?= 1 2
BENCH_ARGS       := --tput-iters $(BENCH_TPUT_ITERS) --huge $(BENCH_HUGE) \
		    --corun $(BENCH_CORUN) $(BENCH_PAGES)
BENCH_THP_ARGS   := --thp-only --huge $(BENCH_HUGE) --corun $(BENCH_CORUN)
BENCH_DIR        := $(BUILD)/bench
BENCH_QEMU       := --repeatable $(if $(filter tcg,$(ACCEL)),--icount,) \
		    --timeout $(BENCH_TIMEOUT)
export BENCH_TIMEOUT

.PHONY: bench bench-linux bench-smp bench-apps bench-thp

# Our kernel's run may fail (the report then says so and make fails at the
# end); the Linux run's failure only leaves its rows out of the table.
bench: deps kernel initrd
	@bash tools/install-deps.sh bench
	@mkdir -p $(BENCH_DIR) && rm -f $(BENCH_DIR)/poe.log
	-bash -c 'set -o pipefail; bash tools/qemu.sh $(BENCH_QEMU) \
	  --kernel $(BUILD)/kernel.elf --initrd $(BUILD)/initrd.tar \
	  --append "$(strip loglevel=4 norandmaps $(BENCH_APPEND)) init=/bin/faultbench -- $(BENCH_ARGS)" \
	  </dev/null 2>&1 | tee $(BENCH_DIR)/poe.log'
	-BUILD=$(BUILD) bash tools/bench-linux.sh -- $(BENCH_ARGS)
	@rm -f $(BENCH_DIR)/umap-poe*.log $(BENCH_DIR)/umap-linux*.log
ifneq ($(BENCH_UMAP_PAGES),0)
	-bash -c 'set -o pipefail; bash tools/qemu.sh $(BENCH_QEMU) \
	  --kernel $(BUILD)/kernel.elf --initrd $(BUILD)/initrd.tar \
	  --append "$(strip loglevel=4 norandmaps $(BENCH_APPEND)) init=/bin/umapsort -- $(BENCH_UMAP_PAGES)" \
	  </dev/null 2>&1 | tee $(BENCH_DIR)/umap-poe.log'
	-bash -c 'set -o pipefail; bash tools/qemu.sh $(BENCH_QEMU) \
	  --kernel $(BUILD)/kernel.elf --initrd $(BUILD)/initrd.tar \
	  --append "$(strip loglevel=4 norandmaps $(BENCH_APPEND)) init=/bin/umapsort -- --no-wp $(BENCH_UMAP_PAGES)" \
	  </dev/null 2>&1 | tee $(BENCH_DIR)/umap-poe-nowp.log'
	-BUILD=$(BUILD) BENCH_PROG=umapsort BENCH_LOG=$(BENCH_DIR)/umap-linux.log \
	  bash tools/bench-linux.sh -- $(BENCH_UMAP_PAGES)
	-BUILD=$(BUILD) BENCH_PROG=umapsort BENCH_LOG=$(BENCH_DIR)/umap-linux-nowp.log \
	  bash tools/bench-linux.sh -- --no-wp $(BENCH_UMAP_PAGES)
endif
	python3 tools/bench_report.py --dir $(BENCH_DIR) --linuxdir $(BUILD)/linux

bench-linux: deps
	BUILD=$(BUILD) bash tools/bench-linux.sh -- $(BENCH_ARGS)
	python3 tools/bench_report.py --only linux --dir $(BENCH_DIR) --linuxdir $(BUILD)/linux

# One boot per zeroing mode and vCPU count on ours, one per vCPU count on
# Linux; a failed boot only leaves its column out (the report says so).
# page_init= is unknown to a kernel without off-level zeroing, which warns
# and zeroes inline: that column then shows inline figures.
bench-thp: deps kernel initrd
	@bash tools/install-deps.sh bench
	@mkdir -p $(BENCH_DIR) && rm -f $(BENCH_DIR)/thp-*.log $(BENCH_DIR)/thp-*.err
	@set -e; for n in $(BENCH_THP_SMP); do \
	  for m in $(BENCH_THP_MODES); do \
	    SMP=$$n bash -c 'set -o pipefail; bash tools/qemu.sh $(BENCH_QEMU) \
	      --kernel $(BUILD)/kernel.elf --initrd $(BUILD)/initrd.tar \
	      --append "$(strip loglevel=4 norandmaps page_init=$$0 $(BENCH_APPEND)) init=/bin/faultbench -- $(BENCH_THP_ARGS)" \
	      </dev/null 2>&1 | tee $(BENCH_DIR)/thp-ours-$$0-smp$$1.log' $$m $$n || true; \
	  done; \
	  if [ $$n -gt 1 ] && [ "$(ACCEL)" = tcg ]; then \
	    echo "Linux 6.1 hangs at 'smp: Bringing up secondary CPUs' under -icount (QEMU runs the vCPUs round-robin): ACCEL=mttcg measures it" \
	      > $(BENCH_DIR)/thp-linux-smp$$n.err; \
	  else \
	    SMP=$$n BUILD=$(BUILD) BENCH_LOG=$(BENCH_DIR)/thp-linux-smp$$n.log \
	      bash tools/bench-linux.sh -- $(BENCH_THP_ARGS) || true; \
	  fi; \
	done
	python3 tools/bench_report.py --thp --dir $(BENCH_DIR) --linuxdir $(BUILD)/linux

# Not under -icount: several vCPUs there run one at a time on one clock.
bench-smp: deps kernel initrd
	@bash tools/install-deps.sh bench
	BUILD=$(BUILD) bash tools/bench-smp.sh

# One CPU under -icount, as bench: exact instruction counts. Variables:
# BENCH_APPS, BENCH_APPS_MODES, BENCH_APP_ARGS_<program>, BUSYBOX
# (tools/bench-apps.sh).
bench-apps: deps kernel initrd
	@bash tools/install-deps.sh bench
	BUILD=$(BUILD) bash tools/bench-apps.sh
