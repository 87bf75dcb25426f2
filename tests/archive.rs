//! The archive end to end: `check` stores, `lookup`/`show`/`history` read
//! back, re-checks write revisits, `verify-archive` and crashes.

mod support;
use sha2::Digest;
use std::path::Path;
use std::process::{Command, Output};
use support::server::*;

async fn run(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_citevault"))
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

    for _ in 0..3 {
        let out = run(check()).await;
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

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
    assert_eq!(snaps[0]["record_type"], "response");
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
    assert_eq!(kinds, ["response", "revisit", "response"]);
    assert_eq!(v["snapshots"][2]["sha256"], sha(V2.as_bytes()));

    // show --raw: the exact bytes the server sent, after the stored headers.
    let out = run(s(&[
        "show",
        "--archive",
        &archive,
        "--raw",
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
