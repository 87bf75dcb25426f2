#!/usr/bin/env bash
# Extraction throughput and peak memory, per input format, against `lychee --dump`.
#
#   bench/extract.sh [MB_PER_FORMAT] [RUNS]
#
# Generates a corpus from the seeds (bench/corpus, git-ignored), runs
# `citevault extract --format json` over each format's directory RUNS times,
# and prints median and min–max wall time, median user+system CPU time (10 ms
# steps), MB/s and peak RSS. extract reads and extracts documents on one thread per core (output in
# input order); the "1 core" rows pin the same binary to one CPU with taskset,
# which is the single-threaded path. When lychee is on PATH
# (`cargo install lychee --locked`), `lychee --dump` (list the URLs, check
# nothing) runs on the same directories, and the ratio of wall times is shown.
# Also runs each format on twice the corpus to show that memory follows the
# largest document, not the corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-100}
RUNS=${2:-5}
SEEDS=${SEEDS:-tests/fixtures/seeds}
cargo build --release --quiet
BIN=target/release/citevault
if [ ! -f "bench/corpus/.done-$MB" ]; then
  rm -rf bench/corpus
  python3 bench/gen_corpus.py "$SEEDS" "$BIN" bench/corpus --mb "$MB"
  touch "bench/corpus/.done-$MB"
fi
LYCHEE=$(command -v lychee || true)
echo "cores: $(nproc); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# measure LABEL COMMAND...: RUNS runs; sets MED MIN MAX CPU (median user+sys) RSS (KiB, max).
measure() {
  : > /tmp/cv-times
  : > /tmp/cv-cpu
  RSS=0
  for _ in $(seq "$RUNS"); do
    start=$EPOCHREALTIME
    /usr/bin/time -f "%U %S %M" -o /tmp/cv-one "$@" > /dev/null 2>&1 || true
    end=$EPOCHREALTIME
    read -r u s m < <(tail -1 /tmp/cv-one)
    # Wall time to the millisecond (time's %e has 10 ms steps).
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f\n", b - a }' >> /tmp/cv-times
    awk -v u="$u" -v s="$s" 'BEGIN { print u + s }' >> /tmp/cv-cpu
    [ "$m" -gt "$RSS" ] && RSS=$m
  done
  MED=$(median < /tmp/cv-times)
  MIN=$(sort -n /tmp/cv-times | head -1)
  MAX=$(sort -n /tmp/cv-times | tail -1)
  CPU=$(median < /tmp/cv-cpu)
}

printf "| format | corpus MiB | largest doc MiB | command | median s | min – max s | CPU s (median) | MB/s (median) | peak RSS MiB | wall vs lychee |\n"
printf "|---|---|---|---|---|---|---|---|---|---|\n"
for fmt in text markdown html; do
  dir=bench/corpus/$fmt
  bytes=$(du -sb "$dir" | cut -f1)
  big=$(ls -S "$dir" | head -1)
  bigb=$(stat -c %s "$dir/$big")
  LY=""
  if [ -n "$LYCHEE" ]; then
    measure "$LYCHEE" --dump --no-progress "$dir"
    LY=$MED
    LROW="$MED $MIN $MAX $CPU $RSS"
  fi
  row() {
    awk -v f="$fmt" -v c="$1" -v b="$bytes" -v g="$bigb" -v t="$2" -v lo="$3" -v hi="$4" -v cpu="$5" -v r="$6" -v ly="$LY" \
      'BEGIN { ratio = (ly == "" ? "–" : sprintf("%.2f×", t / ly));
               printf "| %s | %.0f | %.1f | %s | %.3f | %.3f – %.3f | %.3f | %.0f | %.0f | %s |\n", f, b/1048576, g/1048576, c, t, lo, hi, cpu, b/1e6/t, r/1024, ratio }'
  }
  measure "$BIN" extract --format json "$dir"
  row "citevault extract ($(nproc) threads)" "$MED" "$MIN" "$MAX" "$CPU" "$RSS"
  measure taskset -c 0 "$BIN" extract --format json "$dir"
  row "citevault extract (1 core)" "$MED" "$MIN" "$MAX" "$CPU" "$RSS"
  if [ -n "$LYCHEE" ]; then
    # shellcheck disable=SC2086
    row "lychee --dump" $LROW
  fi
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "Memory vs corpus size (same documents listed twice = 2x corpus):"
for fmt in text markdown html; do
  dir=bench/corpus/$fmt
  /usr/bin/time -f "%M" -o /tmp/cv-1x "$BIN" extract --format json "$dir" > /dev/null
  /usr/bin/time -f "%M" -o /tmp/cv-2x "$BIN" extract --format json "$dir" "$dir" > /dev/null
  echo "  $fmt: peak RSS $(( $(cat /tmp/cv-1x) / 1024 )) MiB at 1x, $(( $(cat /tmp/cv-2x) / 1024 )) MiB at 2x"
done
