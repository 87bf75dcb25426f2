//! Local resources under load: open files with many hosts, memory with big
//! pages. The binary is run on digests citing servers on 127.x.y.z.

use crate::support;
use citevault::check::{CheckOptions, Checker};
use citevault::model::CheckStatus;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;
use support::server::*;

const PAGE: &str = "<html><head><title>An article</title></head><body><main><h1>An article</h1><p>Text of the article, long enough to read as one.</p></main></body></html>";

fn write_digest(dir: &Path, urls: &[String]) -> String {
    let mut digest = String::from("# Sources\n\n");
    for (i, url) in urls.iter().enumerate() {
        digest.push_str(&format!("## Item {i}\n\nA report.\n\nSource: {url}\n\n"));
    }
    let path = dir.join("digest.md");
    std::fs::write(&path, digest).unwrap();
    path.display().to_string()
}

fn check_args(digest: &str) -> Vec<String> {
    [
        "check",
        "--no-archive",
        "--allow-private",
        "--no-progress",
        "--host-request-interval",
        "0ms",
        "--format",
        "json",
        digest,
    ]
    .map(String::from)
    .to_vec()
}

/// Every (url, status, reason) of a JSON report.
fn verdicts(out: &Output) -> Vec<(String, String, String)> {
    fn walk(v: &serde_json::Value, found: &mut Vec<(String, String, String)>) {
        match v {
            serde_json::Value::Object(map) => {
                if let (Some(url), Some(check)) = (map.get("url"), map.get("check")) {
                    let field = |k: &str| check[k].as_str().unwrap_or("").to_string();
                    found.push((
                        url.as_str().unwrap_or("").to_string(),
                        field("status"),
                        field("reason"),
                    ));
                }
                map.values().for_each(|v| walk(v, found));
            }
            serde_json::Value::Array(list) => list.iter().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "a JSON report ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut found = Vec::new();
    walk(&report, &mut found);
    found
}

/// With a soft limit on open files far below what checking 150 hosts holds
/// (and a hard limit above it), the binary raises its own limit: no
/// citation is reported with "Too many open files".
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_low_soft_limit_on_open_files_is_raised_at_start() {
    const HOSTS: usize = 150;
    const SOFT: u64 = 64;
    let (_, hard) = rlimit::Resource::NOFILE.get().unwrap();
    if hard < 4 * HOSTS as u64 {
        eprintln!("skipped: the hard limit on open files ({hard}) is too low to show a raise");
        return;
    }
    let mut servers = Vec::new();
    for i in 0..HOSTS {
        let ip = format!("127.3.{}.{}", i / 250, 1 + i % 250);
        servers.push(serve(&ip, vec![("/a", html(200, PAGE))]).await);
    }
    let urls: Vec<String> = servers.iter().map(|s| s.url("/a")).collect();
    let tmp = tempfile::tempdir().unwrap();
    let digest = write_digest(tmp.path(), &urls);
    let out = tokio::task::spawn_blocking(move || {
        Command::new("sh")
            .env("CITEVAULT_NO_REMOTE", "1")
            .arg("-c")
            .arg(format!("ulimit -S -n {SOFT} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_citevault"))
            .args(check_args(&digest))
            .output()
            .expect("binary runs")
    })
    .await
    .unwrap();
    let found = verdicts(&out);
    assert_eq!(found.len(), HOSTS, "one verdict per host");
    let failed: Vec<_> = found.iter().filter(|(_, s, _)| s != "alive").collect();
    assert!(
        failed.is_empty(),
        "{} of {HOSTS} not alive, e.g. {:?}",
        failed.len(),
        failed.first()
    );
    assert_eq!(out.status.code(), Some(0));
}

/// Peak resident memory (VmHWM) of a child run to its end, in bytes, polled
/// from /proc while it runs.
#[cfg(target_os = "linux")]
fn peak_rss(args: Vec<String>) -> (u64, Output) {
    let child = Command::new(env!("CARGO_BIN_EXE_citevault"))
        .env("CITEVAULT_NO_REMOTE", "1")
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("binary runs");
    let status = format!("/proc/{}/status", child.id());
    let poll = std::thread::spawn(move || {
        let mut peak = 0;
        while let Ok(s) = std::fs::read_to_string(&status) {
            let Some(kb) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            else {
                break; // exited: a zombie has no memory left to report
            };
            peak = peak.max(kb * 1024);
            std::thread::sleep(Duration::from_millis(5));
        }
        peak
    });
    let out = child.wait_with_output().unwrap();
    (poll.join().unwrap(), out)
}

/// Checking an 8 MiB page of `<p>x</p>` (a million lines of text) costs a
/// few times the page in memory, not the dozens of times a record per line
/// did.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_big_page_costs_memory_in_proportion_to_its_size() {
    const SIZE: usize = 8 << 20;
    let big = "<p>x</p>".repeat(SIZE / 8).into_bytes();
    let s = serve(
        "127.0.0.1",
        vec![
            ("/small", html(200, PAGE)),
            (
                "/big",
                Reply::Fixed(200, vec![("content-type", "text/html".into())], big),
            ),
        ],
    )
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let mut peaks = Vec::new();
    for path in ["/small", "/big"] {
        let dir = tmp.path().join(&path[1..]);
        std::fs::create_dir(&dir).unwrap();
        let digest = write_digest(&dir, &[s.url(path)]);
        let (peak, out) = tokio::task::spawn_blocking(move || peak_rss(check_args(&digest)))
            .await
            .unwrap();
        let found = verdicts(&out);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, "alive", "{path}: {}", found[0].2);
        peaks.push(peak);
    }
    let extra = peaks[1].saturating_sub(peaks[0]);
    eprintln!(
        "peak RSS: {} MiB for a small page, {} MiB for an {} MiB one",
        peaks[0] >> 20,
        peaks[1] >> 20,
        SIZE >> 20
    );
    assert!(
        extra < 5 * SIZE as u64,
        "an {} MiB page took {} MiB more at peak than a small one ({} MiB)",
        SIZE >> 20,
        extra >> 20,
        peaks[0] >> 20
    );
}

/// A big page is still read whole: its title, and an error heading after
/// megabytes of text, decide the verdict as on a small page.
#[tokio::test]
async fn a_big_page_is_classified_by_all_of_it() {
    let filler = "<p>Paragraph of filler text.</p>".repeat(64 * 1024);
    // Megabytes of site chrome around a not-found heading: the heading is
    // found however far in, and the chrome is not article text.
    let not_found =
        format!("<title>Site</title><nav>{filler}</nav><h2>Page not found</h2><nav>{filler}</nav>");
    let challenge = format!("<title>Just a moment...</title>{filler}");
    let article = format!("<title>A long article</title>{filler}");
    let s = serve(
        "127.0.0.1",
        vec![
            ("/gone", html(200, &not_found)),
            ("/challenge", html(200, &challenge)),
            ("/article", html(200, &article)),
        ],
    )
    .await;
    let checker = Checker::new(CheckOptions {
        allow_private: true,
        host_interval: Duration::ZERO,
        timeout: Duration::from_secs(30),
        ..CheckOptions::default()
    })
    .unwrap();
    let r = checker.check(&s.url("/gone")).await;
    assert_eq!(r.status, CheckStatus::Soft404, "{}", r.reason);
    assert!(r.reason.contains("\"page not found\""), "{}", r.reason);
    let r = checker.check(&s.url("/challenge")).await;
    assert_eq!(r.status, CheckStatus::Blocked, "{}", r.reason);
    let r = checker.check(&s.url("/article")).await;
    assert_eq!(r.status, CheckStatus::Alive, "{}", r.reason);
    assert_eq!(r.title.as_deref(), Some("A long article"));
}
