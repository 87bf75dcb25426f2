//! The archive end to end: `check` stores, `lookup`/`show`/`history` read
//! back, re-checks write revisits, `verify-archive` and crashes.

use crate::support;
use sha2::Digest;
use std::path::Path;
use std::process::{Command, Output};
use support::server::*;

async fn run(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_citevault"))
            .env("CITEVAULT_NO_REMOTE", "1")
            .args(&args)
            .env_remove("CITEVAULT_ARCHIVE")
            .output()
            .expect("binary runs")
    })
    .await
    .unwrap()
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn digest_file(dir: &Path, urls: &[String]) -> String {
    let path = dir.join("digest.md");
    let mut text = String::new();
    for (i, u) in urls.iter().enumerate() {
        text.push_str(&format!(
            "## Item {i}\n\nBody text of item {i}.\n\nSource: [RFA, November 7, 2023]({u})\n\n"
        ));
    }
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn sha(bytes: &[u8]) -> String {
    format!(
        "sha256:{}",
        sha2::Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

const V1: &str = "<html><head><title>Version one</title></head><body><p>The article as first published, with enough words to read.</p></body></html>";
const V2: &str = "<html><head><title>Version two</title></head><body><p>The article after an edit, with a correction at the end.</p></body></html>";

#[tokio::test]
async fn round_trip_revisits_changes_and_not_modified() {
    let srv = serve(
        "127.0.0.1",
        vec![
            ("/etag", Reply::Etag("\"v1\"", V1.to_string())),
            ("/plain", html(200, V1)),
            (
                "/changing",
                Reply::Sequence(vec![html(200, V1), html(200, V1), html(200, V2)]),
            ),
            ("/moved", redirect(301, "/plain")),
        ],
    )
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("archive").display().to_string();
    let urls: Vec<String> = ["/etag", "/plain", "/changing", "/moved"]
        .iter()
        .map(|p| srv.url(p))
        .collect();
    let digest = digest_file(tmp.path(), &urls);
    let check = || {
        s(&[
            "check",
            "--allow-private",
            "--host-request-interval",
            "0ms",
            "--format",
            "json",
            "--archive",
            &archive,
            &digest,
        ])
    };

    let mut last = None;
    for _ in 0..3 {
        let out = run(check()).await;
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        last = Some(out);
    }
    // Every checked citation names its archived copy in the JSON report.
    let report: serde_json::Value = serde_json::from_slice(&last.unwrap().stdout).unwrap();
    let copy = &report["documents"][0]["items"][1]["citations"][0]["archive"];
    assert_eq!(copy["sha256"], sha(V1.as_bytes()), "{copy}");
    assert_eq!(copy["http_status"], 200);
    assert!(copy["show"]
        .as_str()
        .unwrap()
        .starts_with("citevault show --archive "));

    // lookup: exact bytes' sha256, history of checks, revisits after the first run.
    let out = run(s(&[
        "lookup",
        "--archive",
        &archive,
        "--format",
        "json",
        &srv.url("/plain"),
    ]))
    .await;
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let snaps = v["snapshots"].as_array().unwrap();
    // /plain is fetched directly and through /moved: 6 snapshots over 3 runs.
    assert!(snaps.len() >= 3, "{v:#}");
    assert_eq!(snaps[0]["sha256"], sha(V1.as_bytes()));
    // V1 is also the first payload of /etag and /changing: the archive
    // stores it once, whichever URL came first; /plain's first capture may
    // already be a revisit of another URL's copy.
    assert!(
        snaps[0]["record_type"] == "response" || snaps[0]["record_type"] == "revisit",
        "{v:#}"
    );
    assert!(
        snaps[1..].iter().all(|s| s["record_type"] == "revisit"),
        "unchanged payloads are revisits: {v:#}"
    );
    assert_eq!(v["checks"].as_array().unwrap().len(), 3);
    assert!(v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["status"] == "alive"));

    // A URL given as cited differently finds the same record.
    let variant = format!(
        "{}#section",
        srv.url("/plain/").replace("http://", "HTTP://")
    );
    let out = run(s(&[
        "lookup",
        "--archive",
        &archive,
        "--format",
        "json",
        &variant,
    ]))
    .await;
    let v2: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v2["snapshots"].as_array().unwrap().len(), snaps.len());

    // 304 on re-check: recorded as a server-not-modified revisit, status alive.
    let out = run(s(&[
        "lookup",
        "--archive",
        &archive,
        "--format",
        "json",
        &srv.url("/etag"),
    ]))
    .await;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let snaps = v["snapshots"].as_array().unwrap();
    assert_eq!(snaps.len(), 3);
    assert_eq!(snaps[1]["http_status"], 304, "{v:#}");
    assert_eq!(snaps[1]["record_type"], "revisit");

    // Changed content: a new response snapshot.
    let out = run(s(&[
        "lookup",
        "--archive",
        &archive,
        "--format",
        "json",
        &srv.url("/changing"),
    ]))
    .await;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = v["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["record_type"].as_str().unwrap())
        .collect();
    // The first V1 may already be a revisit of another URL's V1.
    assert_eq!(kinds[1..], ["revisit", "response"], "{v:#}");
    assert_eq!(v["snapshots"][2]["sha256"], sha(V2.as_bytes()));

    // show --raw: the exact payload the server sent; --http: the whole response.
    let out = run(s(&[
        "show",
        "--archive",
        &archive,
        "--raw",
        &srv.url("/changing"),
    ]))
    .await;
    assert_eq!(out.stdout, V2.as_bytes());
    let out = run(s(&[
        "show",
        "--archive",
        &archive,
        "--http",
        &srv.url("/changing"),
    ]))
    .await;
    assert!(out.stdout.ends_with(V2.as_bytes()));
    assert!(out.stdout.starts_with(b"HTTP/1.1 200 OK\r\n"));
    // show a revisit: its payload comes from the record it refers to.
    let out = run(s(&[
        "show",
        "--archive",
        &archive,
        "--raw",
        &srv.url("/plain"),
    ]))
    .await;
    assert!(
        out.stdout.ends_with(V1.as_bytes()),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // show --text follows an archived redirect and prints the readable page.
    let out = run(s(&["show", "--archive", &archive, &srv.url("/moved")])).await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("title:    Version one") && text.contains("as first published"),
        "{text}"
    );

    // verify-archive: everything reads back and matches.
    let out = run(s(&["verify-archive", "--archive", &archive])).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("archive OK"));
    warcio_check(Path::new(&archive));
}

/// The WARC files pass `warcio check` and are indexed by `warcio index`,
/// when warcio is installed (`.ci/run` installs it and sets
/// CITEVAULT_REQUIRE_WARCIO=1, making its absence a failure).
fn warcio_check(archive: &Path) {
    let warcio = std::env::var("WARCIO").unwrap_or_else(|_| "warcio".into());
    let required = std::env::var("CITEVAULT_REQUIRE_WARCIO").is_ok_and(|v| v == "1");
    let files: Vec<_> = walkdir::WalkDir::new(archive.join("warc"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().to_string_lossy().ends_with(".warc.gz"))
        .map(|e| e.into_path())
        .collect();
    assert!(!files.is_empty());
    for f in &files {
        let out = match Command::new(&warcio).arg("check").arg("-v").arg(f).output() {
            Ok(o) => o,
            Err(e) => {
                assert!(
                    !required,
                    "warcio is required but cannot run ({warcio}): {e}"
                );
                eprintln!("warcio not installed; skipping the interoperability check");
                return;
            }
        };
        assert!(
            out.status.success(),
            "warcio check {}: {}{}",
            f.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let idx = Command::new(&warcio).arg("index").arg(f).output().unwrap();
        assert!(idx.status.success());
        let lines = String::from_utf8_lossy(&idx.stdout);
        assert!(
            lines.contains("\"warc-type\": \"response\"") || lines.contains("response"),
            "{lines}"
        );
    }
}

fn warc_bytes(archive: &Path) -> u64 {
    walkdir::WalkDir::new(archive.join("warc"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().map_or(0, |m| m.len()))
        .sum()
}

#[tokio::test]
async fn a_run_killed_mid_write_leaves_a_verifiable_archive_and_the_next_run_appends() {
    let paths: Vec<String> = (0..40).map(|i| format!("/p{i}")).collect();
    // Incompressible, so records are large on disk and the kill lands mid-run.
    let noise: String = (0..100_000).map(|_| fastrand::alphanumeric()).collect();
    let big = format!("<html><head><title>Big</title></head><body><p>{noise}</p></body></html>");
    let srv = serve(
        "127.0.0.1",
        paths
            .iter()
            // Each page its own payload: identical ones would be revisits.
            .map(|p| (p.as_str(), html(200, &format!("{big}{p}"))))
            .collect(),
    )
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("archive");
    let urls: Vec<String> = paths.iter().map(|p| srv.url(p)).collect();
    let digest = digest_file(tmp.path(), &urls);
    let args = |interval: &str| {
        s(&[
            "check",
            "--allow-private",
            "--format",
            "json",
            "--host-request-interval",
            interval,
            "--archive",
        ])
        .into_iter()
        .chain([archive.display().to_string(), digest.clone()])
        .collect::<Vec<_>>()
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_citevault"))
        .env("CITEVAULT_NO_REMOTE", "1")
        .args(args("100ms"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once it has written a few records.
    let started = std::time::Instant::now();
    while warc_bytes(&archive) < 250_000 && started.elapsed() < std::time::Duration::from_secs(20) {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run ended before it could be killed"
    );
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let a = archive.display().to_string();

    // The archive opens and verifies: every indexed record is there.
    let out = run(s(&["verify-archive", "--archive", &a, "--format", "json"])).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let before: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(before["missing"].as_array().unwrap().is_empty());

    // The next run appends and completes; everything verifies.
    let out = run(args("0ms")).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(s(&["verify-archive", "--archive", &a, "--repair"])).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = run(s(&["verify-archive", "--archive", &a, "--format", "json"])).await;
    let after: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        after["truncated"].as_array().unwrap().is_empty(),
        "{after:#}"
    );
    assert!(after["records"].as_u64().unwrap() > before["records"].as_u64().unwrap());
    let out = run(s(&[
        "lookup",
        "--archive",
        &a,
        "--format",
        "json",
        &urls[39],
    ]))
    .await;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!v["snapshots"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn two_runs_on_one_archive_take_turns() {
    let slow = || {
        Reply::Slow(
            std::time::Duration::from_millis(300),
            Box::new(html(200, V1)),
        )
    };
    let srv = serve("127.0.0.1", vec![("/a", slow()), ("/b", slow())]).await;
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("archive").display().to_string();
    let digest = digest_file(tmp.path(), &[srv.url("/a"), srv.url("/b")]);
    let args = s(&[
        "check",
        "--allow-private",
        "--host-request-interval",
        "0ms",
        "--format",
        "json",
        "--archive",
        &a,
        &digest,
    ]);
    let (one, two) = tokio::join!(run(args.clone()), run(args.clone()));
    assert_eq!(one.status.code(), Some(0));
    assert_eq!(two.status.code(), Some(0));
    let waited = [&one, &two]
        .iter()
        .any(|o| String::from_utf8_lossy(&o.stderr).contains("in use by another run"));
    assert!(waited, "one run waited for the other");
    let out = run(s(&["verify-archive", "--archive", &a])).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = run(s(&[
        "lookup",
        "--archive",
        &a,
        "--format",
        "json",
        &srv.url("/a"),
    ]))
    .await;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["checks"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn history_says_what_went_dead_when_and_who_cites_it() {
    let srv = serve(
        "127.0.0.1",
        vec![(
            "/story",
            Reply::Sequence(vec![html(200, V1), html(404, "gone"), html(200, V1)]),
        )],
    )
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("archive").display().to_string();
    let digest = digest_file(tmp.path(), &[srv.url("/story")]);
    let mut outputs = Vec::new();
    // Runs days apart: each run's answer stands on its own.
    for _ in 0..3 {
        let out = run(s(&[
            "check",
            "--allow-private",
            "--confirm-delay",
            "0",
            "--format",
            "json",
            "--archive",
            &a,
            &digest,
        ]))
        .await;
        outputs.push(serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap());
    }
    // The run where it was dead says since when, and when the last good copy was taken.
    let copy = &outputs[1]["documents"][0]["items"][0]["citations"][0]["archive"];
    assert!(
        copy["failing_since"].is_string() && copy["last_good"].is_string(),
        "{copy}"
    );
    let copy = &outputs[2]["documents"][0]["items"][0]["citations"][0]["archive"];
    assert!(copy["failing_since"].is_null(), "alive again: {copy}");
    let out = run(s(&["history", "--archive", &a, "--format", "json"])).await;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let changes = v["changes"].as_array().unwrap();
    let moves: Vec<(String, String)> = changes
        .iter()
        .map(|c| {
            (
                c["from"].as_str().unwrap().to_string(),
                c["to"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        moves,
        [
            ("alive".to_string(), "dead".to_string()),
            ("dead".to_string(), "alive".to_string())
        ]
    );
    assert_eq!(changes[0]["cited_by"][0]["item"], "Item 0");
    let out = run(s(&["history", "--archive", &a])).await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("alive → dead") && text.contains("cited by"),
        "{text}"
    );
    // `report` renders from the index without fetching: the latest check.
    let seen_before = srv.seen().len();
    let out = run(s(&["report", "--archive", &a, "--format", "json"])).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"][0]["items"][0]["title"], "Item 0");
    assert_eq!(v["documents"][0]["format"], "markdown");
    assert_eq!(
        v["documents"][0]["items"][0]["citations"][0]["check"]["status"],
        "alive"
    );
    assert_eq!(srv.seen().len(), seen_before, "report fetched nothing");
    let out = run(s(&[
        "report",
        "--archive",
        &a,
        "--format",
        "json",
        "--since",
        "2999-01-01",
    ]))
    .await;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["documents"], 0);
    // The dead page's last good copy is still there.
    let out = run(s(&[
        "show",
        "--archive",
        &a,
        &srv.url("/story"),
        "--at",
        "2000-01-01",
    ]))
    .await;
    assert!(String::from_utf8_lossy(&out.stdout).contains("Version one"));
}

#[tokio::test]
async fn verify_repair_reindexes_records_the_index_lost() {
    let srv = serve(
        "127.0.0.1",
        vec![("/a", html(200, V1)), ("/b", html(200, V2))],
    )
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("archive");
    let a = archive.display().to_string();
    let digest = digest_file(tmp.path(), &[srv.url("/a"), srv.url("/b")]);
    let out = run(s(&[
        "check",
        "--allow-private",
        "--format",
        "json",
        "--archive",
        &a,
        &digest,
    ]))
    .await;
    assert_eq!(out.status.code(), Some(0));
    // As if the run had died after writing records but before committing rows.
    let db = rusqlite::Connection::open(archive.join("index.sqlite")).unwrap();
    db.execute("UPDATE checks SET snapshot_id = NULL", [])
        .unwrap();
    db.execute("DELETE FROM snapshots", []).unwrap();
    drop(db);
    let out = run(s(&["verify-archive", "--archive", &a, "--format", "json"])).await;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["unindexed"], 2, "{v:#}");
    let out = run(s(&["verify-archive", "--archive", &a, "--repair"])).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("re-indexed"));
    let out = run(s(&["show", "--archive", &a, "--raw", &srv.url("/b")])).await;
    assert!(out.stdout.ends_with(V2.as_bytes()));
    let out = run(s(&["verify-archive", "--archive", &a, "--format", "json"])).await;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["unindexed"], 0, "{v:#}");
}

#[tokio::test]
async fn a_full_disk_stops_archiving_cleanly_and_keeps_what_was_stored() {
    let noise = |seed: u64| -> String {
        let mut rng = fastrand::Rng::with_seed(seed);
        (0..60_000).map(|_| rng.alphanumeric()).collect()
    };
    let paths: Vec<String> = (0..12).map(|i| format!("/big{i}")).collect();
    let bodies: Vec<String> = (0..12)
        .map(|i| format!("<title>Page {i}</title><p>{}</p>", noise(i)))
        .collect();
    let srv = serve(
        "127.0.0.1",
        paths
            .iter()
            .zip(&bodies)
            .map(|(p, b)| (p.as_str(), html(200, b)))
            .collect(),
    )
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("archive");
    let a = archive.display().to_string();
    let urls: Vec<String> = paths.iter().map(|p| srv.url(p)).collect();
    let digest = digest_file(tmp.path(), &urls);
    // No file may grow past ~300 KB: the WARC file hits the limit mid-run,
    // as on a full disk (EFBIG instead of ENOSPC; SIGXFSZ ignored).
    let bin = env!("CARGO_BIN_EXE_citevault").to_string();
    let script = format!(
        "trap '' XFSZ; ulimit -f 300; exec '{bin}' check --allow-private --format json --host-request-interval 0ms --archive '{a}' '{digest}'"
    );
    let out = tokio::task::spawn_blocking(move || {
        Command::new("bash")
            .arg("-c")
            .arg(script)
            .env("CITEVAULT_NO_REMOTE", "1")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "an archive error fails the run: {stderr}"
    );
    assert!(
        stderr.contains("archiving stopped, checking continues"),
        "{stderr}"
    );
    // Checking went on: every URL still has a result.
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["statuses"]["alive"], 12, "{}", v["summary"]);

    // What was committed is intact; the next run (disk freed) appends.
    let out = run(s(&["verify-archive", "--archive", &a, "--repair"])).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = run(s(&[
        "check",
        "--allow-private",
        "--format",
        "json",
        "--host-request-interval",
        "0ms",
        "--archive",
        &a,
        &digest,
    ]))
    .await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(s(&["verify-archive", "--archive", &a])).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = run(s(&["show", "--archive", &a, "--raw", &urls[11]])).await;
    assert!(out.stdout.ends_with(bodies[11].as_bytes()));
}

#[test]
fn warc_files_rotate_and_each_opens_with_warcinfo() {
    use citevault::archive::{warc, Archive};
    use citevault::model::{CheckResult, CheckStatus, Checked, Exchange, Hop, Timestamp};
    let tmp = tempfile::tempdir().unwrap();
    let mut archive = Archive::open(tmp.path()).unwrap();
    let opened = Timestamp::now();
    archive.set_rotate_at(20_000);
    archive.set_info(citevault::archive::WarcInfo {
        is_part_of: "china-watch".into(),
        operator: Some("Jane Doe <jane@example.org>\r\nX-Injected: 1".into()),
        user_agent: Some("citevault-test/1".into()),
    });
    // The exchanges happen once the archive is open; their file is opened
    // (and its warcinfo written) later, when they are stored.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let mut bodies = Vec::new();
    for i in 0..12 {
        let body: Vec<u8> = (0..8_000)
            .map(|j| fastrand::u8(..) ^ (i + j) as u8)
            .collect();
        bodies.push(body.clone());
        let mut result = CheckResult::unlinked();
        result.status = CheckStatus::Alive;
        result.http_status = Some(200);
        let url = format!("https://www.example.org/page/{i}");
        let mut checked = Checked {
            url: url.clone(),
            result,
            exchange: Some(Exchange {
                fetched_at: opened,
                hops: vec![Hop {
                    url,
                    fetched_at: opened,
                    request_head: b"GET /page HTTP/1.1\r\nHost: www.example.org\r\n\r\n".to_vec(),
                    status: 200,
                    status_line: "HTTP/1.1 200 OK".into(),
                    headers: vec![("content-type".into(), b"application/octet-stream".to_vec())],
                    body,
                    truncated: false,
                }],
            }),
            probe: None,
            requisites: Vec::new(),
        };
        archive.store(&mut checked).unwrap();
    }
    archive.commit().unwrap();
    drop(archive);
    let files: Vec<_> = walkdir::WalkDir::new(tmp.path().join("warc"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    assert!(files.len() >= 4, "rotated into {} files", files.len());
    for f in &files {
        let first = warc::read_record_at(f, 0).unwrap();
        assert_eq!(
            first.header("WARC-Type"),
            Some("warcinfo"),
            "{}",
            f.display()
        );
        assert!(
            std::fs::metadata(f).unwrap().len() < 20_000 + 10_000,
            "rotated near the limit"
        );
        let info = String::from_utf8_lossy(&first.block).into_owned();
        for field in [
            "software: citevault/",
            "format: WARC File Format 1.1",
            "isPartOf: china-watch\r\n",
            "operator: Jane Doe <jane@example.org>  X-Injected: 1\r\n",
            "http-header-user-agent: citevault-test/1\r\n",
        ] {
            assert!(info.contains(field), "{field:?} in {info}");
        }
        // Every record of the file is dated at or after its warcinfo.
        let info_date: Timestamp = first.header("WARC-Date").unwrap().parse().unwrap();
        assert!(
            info_date <= opened,
            "warcinfo dated {info_date}, records {opened}"
        );
    }
    let archive = Archive::open_read_only(tmp.path()).unwrap();
    for (i, body) in bodies.iter().enumerate() {
        let snaps = archive
            .snapshots(&format!("https://www.example.org/page/{i}"))
            .unwrap();
        assert_eq!(snaps.len(), 1);
        assert!(archive.read_response(&snaps[0]).unwrap().ends_with(body));
    }
}

#[tokio::test]
async fn show_decodes_gbk_and_big5_pages_to_utf8() {
    let gbk_page = "<html><head><meta charset=\"gbk\"><title>人民日报：钟声</title></head><body><p>日本领导人公然发表涉台错误言论。</p></body></html>";
    let big5_page = "<html><head><title>中央社：外交部發言</title></head><body><p>日本領導人公然發表涉台錯誤言論，外交部表示嚴正抗議。</p></body></html>";
    let (gbk, _, _) = encoding_rs::GBK.encode(gbk_page);
    let (big5, _, _) = encoding_rs::BIG5.encode(big5_page);
    let srv = serve(
        "127.0.0.1",
        vec![
            (
                "/gbk",
                Reply::Fixed(
                    200,
                    vec![("content-type", "text/html".into())],
                    gbk.into_owned(),
                ),
            ),
            (
                "/big5",
                Reply::Fixed(
                    200,
                    vec![("content-type", "text/html; charset=big5".into())],
                    big5.into_owned(),
                ),
            ),
        ],
    )
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("archive").display().to_string();
    let digest = digest_file(tmp.path(), &[srv.url("/gbk"), srv.url("/big5")]);
    let out = run(s(&[
        "check",
        "--allow-private",
        "--format",
        "json",
        "--archive",
        &a,
        &digest,
    ]))
    .await;
    assert_eq!(out.status.code(), Some(0));
    let out = run(s(&["show", "--archive", &a, "--text", &srv.url("/gbk")])).await;
    let text = String::from_utf8(out.stdout).expect("UTF-8 output");
    assert!(
        text.contains("title:    人民日报：钟声") && text.contains("涉台错误言论"),
        "{text}"
    );
    let out = run(s(&["show", "--archive", &a, &srv.url("/big5")])).await;
    let text = String::from_utf8(out.stdout).expect("UTF-8 output");
    assert!(
        text.contains("中央社：外交部發言") && text.contains("嚴正抗議"),
        "{text}"
    );
    // --raw keeps the bytes as the server sent them (GBK, not UTF-8).
    let out = run(s(&["show", "--archive", &a, "--raw", &srv.url("/gbk")])).await;
    assert!(out.stdout.ends_with(&encoding_rs::GBK.encode(gbk_page).0));
}

#[tokio::test]
async fn a_soft_404_verdict_keeps_its_probe_as_evidence_lookup_shows() {
    use citevault::archive::Archive;
    use citevault::model::{CheckResult, CheckStatus, Checked, Exchange, Hop, Timestamp};
    let now = Timestamp::now();
    let hop = |url: &str, status: u16, headers: Vec<(String, Vec<u8>)>, body: &str| Hop {
        url: url.to_string(),
        fetched_at: now,
        request_head: format!("GET {url} HTTP/1.1\r\nHost: www.example.org\r\n\r\n").into_bytes(),
        status,
        status_line: format!(
            "HTTP/1.1 {status} {}",
            if status == 200 { "OK" } else { "Found" }
        ),
        headers,
        body: body.as_bytes().to_vec(),
        truncated: false,
    };
    let html = || vec![("content-type".to_string(), b"text/html".to_vec())];
    let home = "<html><head><title>Example News</title></head><body><p>Front page of the site, every day.</p></body></html>";
    let probe_url = "https://www.example.org/news/citevault-qwertyuiopasdfgh";
    let probe = Exchange {
        fetched_at: now,
        hops: vec![
            hop(
                probe_url,
                302,
                vec![("location".into(), b"https://www.example.org/".to_vec())],
                "",
            ),
            hop("https://www.example.org/", 200, html(), home),
        ],
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut archive = Archive::open(tmp.path()).unwrap();
    let urls = [
        "https://www.example.org/news/a.html",
        "https://www.example.org/news/b.html",
    ];
    let doc = citevault::Extractor::new().extract_str(
        "d.md",
        citevault::Format::Markdown,
        &format!(
            "## A\n\nBody.\n\nSource: [RFA, November 7, 2023]({})\n\n\
             ## B\n\nBody.\n\nSource: [RFA, November 8, 2023]({})\n",
            urls[0], urls[1]
        ),
    );
    archive.begin_run().unwrap();
    archive.record_document(&doc).unwrap();
    // The checker shares one probe per directory: both verdicts rest on it.
    for url in urls {
        let mut result = CheckResult::new(
            CheckStatus::Soft404,
            "200 but it redirects where a page that cannot exist does",
        );
        result.http_status = Some(200);
        result.probe_url = Some(probe_url.to_string());
        let mut checked = Checked {
            url: url.to_string(),
            result,
            exchange: Some(Exchange {
                fetched_at: Timestamp::now(),
                hops: vec![hop(url, 200, html(), home)],
            }),
            probe: Some(probe.clone()),
            requisites: Vec::new(),
        };
        archive.store(&mut checked).unwrap();
    }
    archive.finish_run(&Default::default()).unwrap();
    drop(archive);
    let archive = Archive::open_read_only(tmp.path()).unwrap();
    assert_eq!(
        archive.snapshots(probe_url).unwrap().len(),
        1,
        "a shared probe is stored once"
    );
    drop(archive);

    let a = tmp.path().display().to_string();
    let at = probe.fetched_at.to_string();
    for url in urls {
        let out = run(s(&["lookup", "--archive", &a, url])).await;
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains(&format!(
                "soft-404 probe: {probe_url}  HTTP 302  → https://www.example.org/"
            )),
            "{text}"
        );
        let show = format!("citevault show --archive {a} --at {at} {probe_url}");
        assert!(text.contains(&show), "{text}");

        let out = run(s(&["lookup", "--archive", &a, "--format", "json", url])).await;
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let p = &v["checks"][0]["probe"];
        assert_eq!(p["url"], probe_url, "{v:#}");
        assert_eq!(p["http_status"], 302);
        assert_eq!(p["location"], "https://www.example.org/");
        assert_eq!(p["fetched_at"], at.as_str());
        assert_eq!(p["show"], show.as_str());
        // The command, run as written, shows the page the probe led to.
        let words: Vec<&str> = show.split_whitespace().skip(1).collect();
        let out = run(s(&words)).await;
        let page = String::from_utf8_lossy(&out.stdout);
        assert!(page.contains("Front page of the site"), "{page}");
    }
    // The JSON report's archive object carries the probe too.
    let out = run(s(&["report", "--archive", &a, "--format", "json"])).await;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = &v["documents"][0]["items"][1]["citations"][0];
    assert_eq!(c["check"]["probe_url"], probe_url, "{c:#}");
    let p = &c["archive"]["probe"];
    assert_eq!(
        (p["url"].as_str(), p["http_status"].as_u64()),
        (Some(probe_url), Some(302)),
        "{c:#}"
    );
    assert_eq!(
        p["show"],
        format!("citevault show --archive {a} --at {at} {probe_url}")
    );
    let out = run(s(&["verify-archive", "--archive", &a])).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[tokio::test]
async fn a_site_that_answers_every_path_alike_leaves_its_probe_in_the_archive() {
    let page = "<html><head><title>Example News</title></head><body><p>Welcome to Example News, the front page of the site.</p></body></html>";
    let srv = serve("127.0.0.1", vec![("*", html(200, page))]).await;
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("archive").display().to_string();
    let url = srv.url("/news/2025/a-story.html");
    let digest = digest_file(tmp.path(), std::slice::from_ref(&url));
    let out = run(s(&[
        "check",
        "--allow-private",
        "--confirm-delay",
        "0",
        "--format",
        "json",
        "--archive",
        &a,
        &digest,
    ]))
    .await;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = &v["documents"][0]["items"][0]["citations"][0];
    assert_eq!(c["check"]["status"], "soft-404", "{c:#}");
    let probe_url = c["check"]["probe_url"]
        .as_str()
        .expect("the verdict names its probe");
    let show = c["archive"]["probe"]["show"].as_str().unwrap();
    let out = run(s(&["lookup", "--archive", &a, &url])).await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("soft-404 probe: {probe_url}  HTTP 200")) && text.contains(show),
        "{text}"
    );
    let words: Vec<&str> = show.split_whitespace().skip(1).collect();
    let out = run(s(&words)).await;
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&format!("URL:      {probe_url}")),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[tokio::test]
async fn a_redirect_to_the_trailing_slash_form_stores_the_page_it_reached() {
    // `/dir` and `/dir/` share a lookup key and, fetched back to back,
    // usually a second: the page must still be stored as its own capture.
    let srv = serve(
        "127.0.0.1",
        vec![("/dir", redirect(301, "/dir/")), ("/dir/", html(200, V2))],
    )
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("archive").display().to_string();
    let digest = digest_file(tmp.path(), &[srv.url("/dir")]);
    for _ in 0..3 {
        let out = run(s(&[
            "check",
            "--allow-private",
            "--format",
            "json",
            "--host-request-interval",
            "0s",
            "--archive",
            &archive,
            &digest,
        ]))
        .await;
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let text = report.to_string();
        let copy = report["documents"][0]["items"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|i| i["citations"].as_array().unwrap().iter())
            .find(|c| !c["archive"].is_null())
            .map(|c| c["archive"].clone())
            .unwrap_or_else(|| panic!("no archived copy: {text}"));
        assert_eq!(copy["http_status"], 200, "{copy}");
        assert_eq!(copy["sha256"], sha(V2.as_bytes()), "{copy}");
    }
}
