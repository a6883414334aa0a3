# bench_smp.gp - page_fault1 throughput against vCPUs for `make bench-smp`
# (called by tools/bench_smp_report.py, which writes the data):
#
#   gnuplot -c tools/bench_smp.gp DATA PNG NCURVES
#
# DATA holds NCURVES blocks (separated by two blank lines), each a quoted
# title line ("variant mode") and then lines "vcpus faults_per_second"
# (the median over the runs).

data = ARG1
n = int(ARG3)
set terminal png size 1000,600
set output ARG2
set termoption noenhanced
set title "page_fault1: faults per second against vCPUs (MTTCG, wall clock)"
set xlabel "vCPUs (= tasks)"
set ylabel "faults per second (median of the runs)"
set logscale x 2
set xtics (1, 2, 4, 8)
set yrange [0:*]
set grid
set key left top
plot for [i=0:n-1] data index i using 1:2 with linespoints lw 2 title columnheader(1)
