# bench_apps.gp - the end-to-end plot of `make bench-apps` (called by
# tools/bench_apps_report.py, which writes the data):
#
#   gnuplot -c tools/bench_apps.gp DATA PNG NMODES TERMINAL
#
# DATA: a header line (a comment naming the runs, in quotes) and one line
# per program: its name, then NMODES numbers, each run's ticks divided by
# those of our kernel with POE off (NaN: no such run). One cluster of bars
# per program; below 1 is faster than our kernel with POE off.

data = ARG1
n = int(ARG3)
set terminal ARG4 size 1000,600
set output ARG2
set title "make bench-apps: each program's ticks relative to our kernel with POE off"
set ylabel "ticks / ours with POE off (under -icount: instructions)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set yrange [0:*]
set grid ytics
set key outside below horizontal
# The run names are the quoted words of the header line.
titles = system(sprintf("sed -n '1s/^# program //p' '%s' | sed 's/   (.*//'", data))
plot for [i=2:n+1] data using i:xtic(1) title word(titles, i - 1)
