#!/usr/bin/env bash
# Grades lychee on citevault's simulated web of news sites (tests/support/simweb),
# with the same expected verdicts as `cargo test --test integration verdicts::`, for the
# README's comparison. Needs `lychee` on PATH (cargo install lychee --locked).
#
#   bench/verdicts.sh            # prints lychee's exact / gone P / gone R / live called gone
set -euo pipefail
cd "$(dirname "$0")/.."
command -v lychee >/dev/null || { echo "lychee is not installed (cargo install lychee --locked)" >&2; exit 1; }
dir=$(mktemp -d)
trap 'touch "$dir/done"; [ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
SIMWEB_SERVE="$dir" cargo test --quiet --test integration verdicts::serve_the_simulated_web -- --ignored >/dev/null 2>&1 &
for _ in $(seq 600); do [ -s "$dir/proxy.txt" ] && break; sleep 0.5; done
[ -s "$dir/proxy.txt" ] || { echo "the simulated web did not start" >&2; exit 1; }
proxy=$(cat "$dir/proxy.txt")
start=$(date +%s.%N)
# lychee resolves nothing itself through a proxy: the simulated web answers every host.
HTTP_PROXY="$proxy" http_proxy="$proxy" lychee --no-progress --format json --output "$dir/lychee.json" \
  --max-retries 2 --retry-wait-time 1 --timeout 10 --max-concurrency 32 --cache-exclude-status 100..=599 \
  "$dir/urls.txt" >/dev/null 2>&1 || true
end=$(date +%s.%N)
python3 - "$dir/expected.tsv" "$dir/lychee.json" "$start" "$end" <<'PY'
import json, sys
expected = {}
for line in open(sys.argv[1], encoding="utf-8"):
    url, kind, want = line.rstrip("\n").split("\t")
    expected[url] = (kind, want)
report = json.load(open(sys.argv[2], encoding="utf-8"))
got = {}
def walk(v):
    if isinstance(v, dict):
        if "url" in v and "status" in v:
            got[v["url"]] = v["status"]
        for x in v.values():
            walk(x)
    elif isinstance(v, list):
        for x in v:
            walk(x)
walk(report)
def verdict(status):
    # lychee's own classes: success, or a failure with a code (or none).
    if status is None:
        return "alive"                      # not listed as failed: lychee passed it
    code = status.get("code") if isinstance(status, dict) else None
    text = json.dumps(status).lower()
    if "success" in text or (code and 200 <= code < 300):
        return "alive"
    if code in (404, 410) or "dns" in text or "failed to lookup" in text:
        return "dead"
    if code in (401, 403, 407, 429, 451):
        return "blocked"
    if "timeout" in text:
        return "timeout"
    return "error"
gone = {"dead", "soft-404"}
exact = hits = false_gone = missed = live_gone = 0
for url, (kind, want) in expected.items():
    g = verdict(got.get(url))
    exact += g == want
    if want in gone and g in gone: hits += 1
    elif want not in gone and g in gone: false_gone += 1
    elif want in gone: missed += 1
    if want in ("alive", "blocked") and g in gone: live_gone += 1
n = len(expected)
p = hits / (hits + false_gone) if hits + false_gone else 1.0
r = hits / (hits + missed) if hits + missed else 1.0
print(f"lychee on {n} URLs: exact {exact/n:.3f}, gone P {p:.3f}, gone R {r:.3f}, "
      f"live called gone {live_gone}, {float(sys.argv[4]) - float(sys.argv[3]):.1f} s")
PY
