//! Archive benchmark.
//!
//!     cargo bench --bench archive -- [PAGES] [SNAPSHOTS]
//!
//! 1. Serves PAGES pages of ~50 KB (article text from the seed digests, each
//!    page different) from 50 local hosts and runs `citevault check` into a
//!    fresh archive: archiving throughput (MB of pages per second of run) and
//!    bytes on disk.
//! 2. Runs the same check again with nothing changed: growth of the archive
//!    in bytes, as a share of the first run's.
//! 3. Fills an index with SNAPSHOTS snapshot rows and times `lookup` of
//!    random URLs through the library (median and p99 of 1,000 lookups).

use axum::response::Html;
use std::io::Write;
use std::path::Path;
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

fn dir_bytes(p: &Path) -> u64 {
    walkdir::WalkDir::new(p)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().map_or(0, |m| m.len()))
        .sum()
}

fn main() {
    let pages = arg(0, 10_000) as usize;
    let snapshots = arg(1, 1_000_000) as usize;
    let hosts = 50;
    let seeds: String = [
        "000_a9ded2f8cffd6e0d.txt",
        "001_02b6fe87634e1716.txt",
        "004_0fde2fce77839692.txt",
    ]
    .iter()
    .map(|f| {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/seeds")
                .join(f),
        )
        .unwrap_or_default()
    })
    .collect();
    let words: Vec<&str> = seeds.split_whitespace().collect();

    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let addrs: Vec<std::net::SocketAddr> = rt.block_on(async {
        let mut addrs = Vec::new();
        for h in 1..=hosts {
            let listener = tokio::net::TcpListener::bind(format!("127.0.0.{h}:0"))
                .await
                .expect("bind");
            addrs.push(listener.local_addr().expect("addr"));
            let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
                let words = words.clone();
                async move {
                    if uri.path().contains("citevault-") {
                        return (axum::http::StatusCode::NOT_FOUND, Html(String::new()));
                    }
                    // A page of ~50 KB: the seed text from a page-specific offset.
                    let n: usize = uri
                        .path()
                        .bytes()
                        .fold(7usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize));
                    let mut body = format!(
                        "<html><head><title>Article {}</title></head><body><article>",
                        uri.path()
                    );
                    let mut i = n % words.len().max(1);
                    while body.len() < 50_000 {
                        body.push_str(&words[i % words.len()]);
                        body.push(' ');
                        i += 1;
                    }
                    body.push_str("</article></body></html>");
                    (axum::http::StatusCode::OK, Html(body))
                }
            });
            tokio::spawn(async move {
                let _ = axum::serve(listener, app).await;
            });
        }
        addrs
    });

    let dir = tempfile::tempdir().expect("tempdir");
    let digests = dir.path().join("digests");
    std::fs::create_dir(&digests).expect("mkdir");
    let mut f =
        std::io::BufWriter::new(std::fs::File::create(digests.join("0.txt")).expect("digest"));
    for i in 0..pages {
        if i > 0 && i % 1000 == 0 {
            f = std::io::BufWriter::new(
                std::fs::File::create(digests.join(format!("{}.txt", i / 1000))).expect("digest"),
            );
        }
        let addr = addrs[i % hosts];
        writeln!(f, "Headline Number {i} Of The Digest\n\nA body paragraph that is long enough to be the body of item {i}.\n\nSource: RFA, November 7, 2023\nhttp://{addr}/news/{i}.html\n").expect("write");
    }
    drop(f);
    let archive = dir.path().join("archive");
    let run = || {
        let started = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_citevault"))
            .args([
                "check",
                "--allow-private",
                "--no-progress",
                "--format",
                "json",
                "--host-request-interval",
                "0ms",
                "--host-concurrency",
                "4",
            ])
            .arg("--archive")
            .arg(&archive)
            .arg(&digests)
            .output()
            .expect("run citevault");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        started.elapsed()
    };
    let first = run();
    let first_bytes = dir_bytes(&archive);
    let warc_first = dir_bytes(&archive.join("warc"));
    let page_mb = pages as f64 * 50_000.0 / 1e6;
    println!(
        "first run: {pages} pages ({page_mb:.0} MB of pages) in {:.1} s = {:.1} MB/s; archive {:.1} MB on disk ({:.1} MB WARC, {:.1} MB index)",
        first.as_secs_f64(),
        page_mb / first.as_secs_f64(),
        first_bytes as f64 / 1e6,
        warc_first as f64 / 1e6,
        (first_bytes - warc_first) as f64 / 1e6
    );
    let second = run();
    let grown = dir_bytes(&archive) - first_bytes;
    let warc_grown = dir_bytes(&archive.join("warc")) - warc_first;
    println!(
        "re-check, nothing changed: {:.1} s; archive grew {:.2} MB = {:.2}% of the first run's bytes ({} bytes per page: {} WARC, {} index)",
        second.as_secs_f64(),
        grown as f64 / 1e6,
        grown as f64 * 100.0 / first_bytes as f64,
        grown / pages as u64,
        warc_grown / pages as u64,
        (grown - warc_grown) / pages as u64
    );

    // Lookup on a large index.
    let big = dir.path().join("big");
    std::fs::create_dir(&big).expect("mkdir");
    drop(citevault::archive::Archive::open(&big).expect("create index"));
    {
        let db = rusqlite::Connection::open(big.join("index.sqlite")).expect("open");
        db.execute_batch("PRAGMA synchronous = OFF; BEGIN")
            .expect("begin");
        let mut st = db
            .prepare(
                "INSERT INTO snapshots (url, url_key, fetched_at, http_status, sha256, size, content_type, title,
                   record_type, record_id, warc_file, warc_offset, warc_length) VALUES (?1, ?1, ?2, 200, ?3, 50000, 'text/html', ?4, 'response', ?5, 'warc/x.warc.gz', ?6, 20000)",
            )
            .expect("prepare");
        for i in 0..snapshots {
            // 10 snapshots per URL over time.
            let url = format!("https://www.example-{}.com/news/{}.html", i % 1000, i / 10);
            st.execute(rusqlite::params![
                citevault::archive::url_key(&url),
                1_700_000_000 + i as i64,
                format!("sha256:{i:064x}"),
                format!("Article {i}"),
                format!("<urn:uuid:{i}>"),
                i as i64 * 20_000
            ])
            .expect("insert");
        }
        drop(st);
        db.execute_batch("COMMIT").expect("commit");
    }
    let a = citevault::archive::Archive::open_read_only(&big).expect("open");
    let mut times = Vec::new();
    for k in 0..1000usize {
        let i = (k * 7919) % snapshots;
        let url = format!("https://WWW.EXAMPLE-{}.COM/news/{}.html/", i % 1000, i / 10);
        let t = Instant::now();
        let snaps = a.snapshots(&url).expect("lookup");
        let checks = a.checks(&url).expect("lookup");
        times.push(t.elapsed());
        assert!(!snaps.is_empty() && checks.is_empty());
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "lookup on {snapshots} snapshots ({:.0} MB index): median {:.3} ms, p99 {:.3} ms, max {:.3} ms over 1000 lookups",
        dir_bytes(&big) as f64 / 1e6,
        ms(times[times.len() / 2]),
        ms(times[times.len() * 99 / 100]),
        ms(times[times.len() - 1])
    );
}
