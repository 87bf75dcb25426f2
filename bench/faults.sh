#!/usr/bin/env bash
# Resource benchmarks under faults (issue 9): file descriptors with 5,000
# hosts, and peak memory of checking 20 MiB pages.
#
#   bench/faults.sh [fds|pages|parens|all] [RUNS]
#
# fds    `citevault check` over a digest citing HOSTS (5,000) distinct hosts,
#        127.2.X.Y on one port of one Python process, with the citevault
#        process under `ulimit -S -n 1024` (soft limit only: the hard limit
#        stays, as on most systems) and under `ulimit -n 1024` (both). Counts
#        citations whose verdict is "Too many open files".
# pages  One 20 MiB page of `<p>x</p>` from a Python http.server on 127.0.0.1;
#        ten such pages on that one host (two at a time: the per-host limit);
#        ten pages on ten hosts 127.0.0.1-10 (all at once).
#
# Every run is `check --allow-private --no-archive`; each line is the median
# of RUNS (3) runs: wall time and peak RSS from /usr/bin/time. BIN=path
# measures another build (default: a release build of this tree). Traffic
# stays on 127.0.0.0/8.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WHAT=${1:-all}
RUNS=${2:-3}
HOSTS=${HOSTS:-5000}
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=${CARGO_TARGET_DIR:-target}/release/citevault
fi
BIN=$(realpath "$BIN")
WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# start_server MODE N [DIR]: sets PORT and SERVER_PID.
start_server() {
  (cd "${3:-$WORK}" && exec python3 "$ROOT/bench/fault_servers.py" "$1" "$2") > "$WORK/port" &
  SERVER_PID=$!
  for _ in $(seq 600); do
    [ -s "$WORK/port" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "server failed to start" >&2; exit 1; }
    sleep 0.1
  done
  PORT=$(head -1 "$WORK/port")
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

# check DIGEST LIMIT...: one run (in WORK, so no config file applies) under
# `ulimit LIMIT...`; leaves "secs rss_kb exit_code" on the last line of WORK/time, the report in
# WORK/report.json.
check() {
  local digest=$1
  shift
  (cd "$WORK" && { [ $# -eq 0 ] || ulimit "$@"; } && exec /usr/bin/time -f "%e %M %x" -o "$WORK/time" \
    "$BIN" check --allow-private --no-archive --no-progress --format json \
    -o "$WORK/report.json" "$digest") 2> "$WORK/stderr" || true
}

# verdicts: the number of citations whose reason says "Too many open
# files", a tab, and "alive=N error=N …", from WORK/report.json.
verdicts() {
  python3 - "$WORK/report.json" <<'EOF'
import collections, json, sys
try:
    report = json.load(open(sys.argv[1]))
except Exception as e:
    print(0, f"no report ({e.__class__.__name__})", sep="\t")
    sys.exit()
results = {}
def walk(x):
    if isinstance(x, dict):
        if isinstance(x.get("check"), dict) and "url" in x:
            results[x["url"]] = x["check"]
        for v in x.values():
            walk(v)
    elif isinstance(x, list):
        for v in x:
            walk(v)
walk(report)
counts = collections.Counter(r["status"] for r in results.values())
emfile = sum("Too many open files" in (r.get("reason") or "") for r in results.values())
print(emfile, " ".join(f"{k}={v}" for k, v in sorted(counts.items())), sep="\t")
EOF
}

# measure LABEL DIGEST LIMIT...: RUNS runs; one table row of medians.
measure() {
  local label=$1 digest=$2
  shift 2
  : > "$WORK/secs"
  : > "$WORK/rss"
  local emfile_max=0 summary= codes=
  for _ in $(seq "$RUNS"); do
    check "$digest" "$@"
    read -r secs rss code < <(tail -1 "$WORK/time")
    echo "$secs" >> "$WORK/secs"
    echo "$rss" >> "$WORK/rss"
    codes="$codes$code "
    IFS=$'\t' read -r emfile summary < <(verdicts)
    [ "$emfile" -gt "$emfile_max" ] && emfile_max=$emfile
  done
  printf "| %s | %s | %s | %s | %s | %s |\n" "$label" "$(median < "$WORK/secs")" \
    "$(median < "$WORK/rss" | awk '{printf "%.0f", $1 / 1024}')" "$summary" "$emfile_max" "${codes% }"
}

header() {
  printf "| case | median s | median peak RSS MiB | verdicts (last run) | \"Too many open files\" verdicts (max) | exit codes |\n|---|---|---|---|---|---|\n"
}

fds() {
  echo "## $HOSTS hosts, one URL each (citevault: $BIN)"
  echo
  start_server hosts "$HOSTS"
  python3 - "$PORT" "$HOSTS" > "$WORK/hosts.md" <<'EOF'
import sys
port, n = int(sys.argv[1]), int(sys.argv[2])
print("# Five thousand sources\n")
for i in range(n):
    host = f"127.2.{i // 250}.{1 + i % 250}"
    print(f"## Item {i}\n\nA report.\n\nSource: http://{host}:{port}/article/{i}\n")
EOF
  header
  measure "ulimit -S -n 1024 (soft)" "$WORK/hosts.md" -S -n 1024
  measure "ulimit -n 1024 (soft and hard)" "$WORK/hosts.md" -n 1024
  stop_server
  echo
}

pages() {
  echo "## 20 MiB pages of <p>x</p> (citevault: $BIN)"
  echo
  mkdir -p "$WORK/pages"
  python3 -c "import sys; sys.stdout.write('<p>x</p>' * (20 * 1024 * 1024 // 8))" > "$WORK/pages/big.html"
  start_server pages 10 "$WORK/pages"
  echo "Source: http://127.0.0.1:$PORT/big.html" > "$WORK/one.md"
  for i in $(seq 10); do echo "Source: http://127.0.0.1:$PORT/big.html?n=$i"; echo; done > "$WORK/ten.md"
  for i in $(seq 10); do echo "Source: http://127.0.0.$i:$PORT/big.html"; echo; done > "$WORK/ten-hosts.md"
  header
  measure "one page" "$WORK/one.md"
  measure "ten pages, one host" "$WORK/ten.md"
  measure "ten pages, ten hosts" "$WORK/ten-hosts.md"
  stop_server
  echo
}

# A 4 MB line of closing parentheses after a URL: URL trimming must be linear.
parens() {
  echo "## 4 MB parenthesis lines, \`citevault extract\` (citevault: $BIN)"
  echo
  echo "| line | median s |"
  echo "|---|---|"
  python3 -c "import sys; sys.stdout.write('http://a.com/' + ')' * 4000000 + '\n')" > "$WORK/close.txt"
  python3 -c "import sys; sys.stdout.write('(' * 4000000 + '\n')" > "$WORK/open.txt"
  python3 -c "import sys; sys.stdout.write('http://a.com/' + '(' * 1000000 + ')' * 3000000 + '\n')" > "$WORK/mixed.txt"
  for f in close open mixed; do
    for _ in $(seq "$RUNS"); do
      /usr/bin/time -f "%e" -o "$WORK/time" "$BIN" extract "$WORK/$f.txt" > /dev/null
      tail -1 "$WORK/time"
    done | median | xargs printf "| %s | %s |\n" "$f"
  done
  echo
}

case $WHAT in
  fds) fds ;;
  pages) pages ;;
  parens) parens ;;
  all) fds; pages; parens ;;
  *) echo "usage: bench/faults.sh [fds|pages|parens|all] [RUNS]" >&2; exit 2 ;;
esac
