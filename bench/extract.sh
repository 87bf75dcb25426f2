#!/usr/bin/env bash
# Extraction throughput and peak memory, per input format, on one core.
#
#   bench/extract.sh [MB_PER_FORMAT] [RUNS]
#
# Generates a corpus from the seeds (bench/corpus, git-ignored), runs
# `citevault extract --format json` over each format's directory RUNS times,
# and prints median wall time, MB/s and peak RSS. extract is single-threaded,
# so this measures one core. Also runs each format on twice the corpus to show
# that memory follows the largest document, not the corpus.
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
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
printf "| format | corpus MiB | largest doc MiB | median s | min s | max s | MB/s (median) | peak RSS MiB |\n|---|---|---|---|---|---|---|---|\n"
for fmt in text markdown html; do
  dir=bench/corpus/$fmt
  bytes=$(du -sb "$dir" | cut -f1)
  big=$(ls -S "$dir" | head -1)
  bigb=$(stat -c %s "$dir/$big")
  : > /tmp/cv-times
  rss=0
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o /tmp/cv-one "$BIN" extract --format json "$dir" > /dev/null
    read -r t m < /tmp/cv-one
    echo "$t" >> /tmp/cv-times
    [ "$m" -gt "$rss" ] && rss=$m
  done
  med=$(median < /tmp/cv-times)
  min=$(sort -n /tmp/cv-times | head -1)
  max=$(sort -n /tmp/cv-times | tail -1)
  awk -v f="$fmt" -v b="$bytes" -v g="$bigb" -v t="$med" -v lo="$min" -v hi="$max" -v r="$rss" \
    'BEGIN { printf "| %s | %.0f | %.1f | %.2f | %.2f | %.2f | %.0f | %.0f |\n", f, b/1048576, g/1048576, t, lo, hi, b/1e6/t, r/1024 }'
done
echo
echo "Memory vs corpus size (same documents listed twice = 2x corpus):"
for fmt in text markdown html; do
  dir=bench/corpus/$fmt
  /usr/bin/time -f "%M" -o /tmp/cv-1x "$BIN" extract --format json "$dir" > /dev/null
  /usr/bin/time -f "%M" -o /tmp/cv-2x "$BIN" extract --format json "$dir" "$dir" > /dev/null
  echo "  $fmt: peak RSS $(( $(cat /tmp/cv-1x) / 1024 )) MiB at 1x, $(( $(cat /tmp/cv-2x) / 1024 )) MiB at 2x"
done
