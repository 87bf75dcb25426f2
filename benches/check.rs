//! Check throughput against the politeness lower bound, on local servers.
//!
//!     cargo bench --bench check -- [URLS] [HOSTS] [INTERVAL_MS] [LATENCY_MS]
//!
//! Starts HOSTS HTTP servers on 127.0.0.1 … 127.0.0.HOSTS (distinct
//! addresses, so each is its own host to citevault), each answering every
//! page after LATENCY_MS, writes digests (1,000 items each, like a run over
//! a digest archive) citing URLS pages spread evenly over the hosts, and
//! runs the release `citevault check` on them under /usr/bin/time,
//! archiving into a fresh archive in a temporary folder
//! (`CITEVAULT_BENCH_WRAP="heaptrack -o FILE"` runs it under a profiler).
//! Reports wall time, the lower bound (the busiest host's requests ×
//! interval, its soft-404 probe included), their ratio, requests/s and the
//! checker's peak RSS.

use axum::response::Html;
use std::io::Write;
use std::process::Command;
use std::time::{Duration, Instant};

fn arg(n: usize, default: u64) -> u64 {
    std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let urls = arg(0, 10_000) as usize;
    let hosts = arg(1, 100) as usize;
    let interval_ms = arg(2, 500);
    let latency_ms = arg(3, 50);
    assert!(hosts <= 250, "at most 250 hosts (127.0.0.1-250)");

    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let addrs: Vec<std::net::SocketAddr> = rt.block_on(async {
        let mut addrs = Vec::new();
        for h in 1..=hosts {
            let listener = tokio::net::TcpListener::bind(format!("127.0.0.{h}:0"))
                .await
                .expect("bind 127.0.0.x");
            addrs.push(listener.local_addr().expect("addr"));
            let latency = Duration::from_millis(latency_ms);
            let app = axum::Router::new().fallback(move |uri: axum::http::Uri| async move {
                tokio::time::sleep(latency).await;
                if uri.path().contains("citevault-") {
                    return (
                        axum::http::StatusCode::NOT_FOUND,
                        Html("not found".to_string()),
                    );
                }
                let body = format!(
                    "<html><head><title>Article {}</title></head><body><p>{}</p></body></html>",
                    uri.path(),
                    "Text of the cited article. ".repeat(40)
                );
                (axum::http::StatusCode::OK, Html(body))
            });
            tokio::spawn(async move {
                let _ = axum::serve(listener, app).await;
            });
        }
        addrs
    });

    let dir = tempfile::tempdir().expect("tempdir");
    let digest = dir.path().join("digests");
    std::fs::create_dir(&digest).expect("digest dir");
    let mut f =
        std::io::BufWriter::new(std::fs::File::create(digest.join("0.txt")).expect("digest"));
    for i in 0..urls {
        let addr = addrs[i % hosts];
        if i > 0 && i % 1000 == 0 {
            f = std::io::BufWriter::new(
                std::fs::File::create(digest.join(format!("{}.txt", i / 1000))).expect("digest"),
            );
        }
        writeln!(
            f,
            "Headline Number {i} Of The Benchmark Digest\n\nA body paragraph that is long enough to be read as the body of item {i}.\n\nSource: Epoch Times, November 28, 2025\nhttp://{addr}/news/2025/11/28/article-{i}.html\n"
        )
        .expect("write digest");
    }
    drop(f);

    let per_host = urls.div_ceil(hosts) as u64 + 1; // + the soft-404 probe
    let bound = Duration::from_millis(per_host.saturating_sub(1) * interval_ms + latency_ms);
    let stats = dir.path().join("time.txt");
    let started = Instant::now();
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&stats)
        // A profiler to run the checker under (`heaptrack`, say); the peak
        // RSS is then the profiler's.
        .args(
            std::env::var("CITEVAULT_BENCH_WRAP")
                .unwrap_or_default()
                .split_whitespace(),
        )
        .arg(env!("CARGO_BIN_EXE_citevault"))
        .args([
            "check",
            "--allow-private",
            "--no-progress",
            "--format",
            "json",
        ])
        .arg("--host-request-interval")
        .arg(format!("{interval_ms}ms"))
        // A fresh archive per run, never the working tree's `archive/`.
        .arg("--archive")
        .arg(dir.path().join("archive"))
        .arg(&digest)
        .output()
        .expect("run citevault (and /usr/bin/time)");
    let wall = started.elapsed();
    let rss_kb: u64 = std::fs::read_to_string(&stats)
        .ok()
        .and_then(|s| s.lines().last().and_then(|l| l.trim().parse().ok()))
        .unwrap_or(0);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let alive = report["summary"]["statuses"]["alive"].as_u64().unwrap_or(0);
    println!(
        "| {urls} URLs | {hosts} hosts | interval {interval_ms} ms | latency {latency_ms} ms | lower bound {:.1} s | wall {:.1} s | ratio {:.2} | {:.0} req/s | peak RSS {} MiB | alive {alive}/{urls} |",
        bound.as_secs_f64(),
        wall.as_secs_f64(),
        wall.as_secs_f64() / bound.as_secs_f64(),
        (urls as u64 + hosts as u64) as f64 / wall.as_secs_f64(),
        rss_kb / 1024,
    );
    if alive != urls as u64 {
        eprintln!("stderr: {}", String::from_utf8_lossy(&out.stderr));
        std::process::exit(1);
    }
}
