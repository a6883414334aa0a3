# bench.gp - the latency CDFs of `make bench` on one set of axes (called by
# tools/bench_report.py, which writes the data):
#
#   gnuplot -c tools/bench.gp DATA PNG NCURVES TERMINAL PAGES
#
# DATA holds NCURVES blocks (separated by two blank lines), each a quoted
# title line and then 101 lines "ticks fraction" (the 0th..100th
# percentiles of one distribution). TERMINAL is pngcairo or png (Debian's
# gnuplot-nox has both). The x axis is logarithmic: the POE fast path, the
# full handler's read and write faults and Linux's are an order of magnitude
# apart.

data = ARG1
n = int(ARG3)
set terminal ARG4 size 1000,600
set output ARG2
set title sprintf("Page-fault latency CDF, %s-page sweeps (faultbench)", ARG5)
set xlabel "ticks per fault (log scale; TSC ticks, timer overhead subtracted)"
set ylabel "fraction of faults <= x"
set logscale x 10
set format x "10^{%L}"
set mxtics 10
set yrange [0:1.02]
set grid xtics mxtics ytics
set key right bottom
set style data steps
plot for [i=0:n-1] data index i using 1:2 with steps lw 2 title columnheader(1)
