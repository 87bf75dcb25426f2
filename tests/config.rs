//! `citevault.toml`: keys for every option, per-host policies, errors with
//! line numbers (exit 3), and `--fail-after` over several runs.

use crate::support;
use std::process::{Command, Output};
use support::server::*;

async fn run_in(dir: &std::path::Path, args: Vec<String>) -> Output {
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_citevault"))
            .env("CITEVAULT_NO_REMOTE", "1")
            .args(&args)
            .current_dir(dir)
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

const PAGE: &str = "<html><head><title>Article</title></head><body><p>The text of the article, long enough.</p></body></html>";

#[tokio::test]
async fn config_errors_name_file_line_and_key_and_exit_3() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("citevault.toml"),
        "timeout = 10\n\n[hosts.\"people.com.cn\"]\nconcurency = 1\n",
    )
    .unwrap();
    std::fs::write(tmp.path().join("d.txt"), "nothing\n").unwrap();
    let out = run_in(tmp.path(), s(&["check", "--no-archive", "d.txt"])).await;
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("citevault.toml") && err.contains("line 4") && err.contains("concurency"),
        "{err}"
    );
    std::fs::write(
        tmp.path().join("other.toml"),
        "fail_on = [\"dead\", \"gone\"]\n",
    )
    .unwrap();
    let out = run_in(
        tmp.path(),
        s(&["check", "-c", "other.toml", "--no-archive", "d.txt"]),
    )
    .await;
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("other.toml"));
}

#[tokio::test]
async fn config_values_apply_and_the_command_line_wins() {
    let srv = serve(
        "127.0.0.1",
        vec![
            ("/forbidden", html(403, "robots go away")),
            ("/ok", html(200, PAGE)),
        ],
    )
    .await;
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("citevault.toml"),
        "no_archive = true\nhost_request_interval = \"0ms\"\nfail_on = [\"blocked\"]\n\n\
         [hosts.\"127.0.0.1\"]\nuser_agent = \"citevault-test-agent\"\nheaders = { \"Accept-Language\" = \"zh-CN\" }\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("d.md"),
        format!(
            "## A\n\nSee {} and {}.\n",
            srv.url("/forbidden"),
            srv.url("/ok")
        ),
    )
    .unwrap();
    // fail_on = blocked from the file: the 403 fails the run.
    let out = run_in(
        tmp.path(),
        s(&["check", "--allow-private", "--format", "json", "d.md"]),
    )
    .await;
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(srv
        .seen()
        .iter()
        .all(|x| x.user_agent == "citevault-test-agent" && x.accept_language == "zh-CN"));
    assert!(
        !tmp.path().join("archive").exists(),
        "no_archive from the file"
    );
    // The command line wins.
    let out = run_in(
        tmp.path(),
        s(&[
            "check",
            "--allow-private",
            "--fail-on",
            "dead",
            "--format",
            "json",
            "d.md",
        ]),
    )
    .await;
    assert_eq!(out.status.code(), Some(0));

    // accept = [403] for the host: the page counts as alive.
    std::fs::write(
        tmp.path().join("accept.toml"),
        "no_archive = true\nfail_on = [\"blocked\"]\n[hosts.\"127.0.0.1\"]\naccept = [403]\n",
    )
    .unwrap();
    let out = run_in(
        tmp.path(),
        s(&[
            "check",
            "--allow-private",
            "-c",
            "accept.toml",
            "--format",
            "json",
            "d.md",
        ]),
    )
    .await;
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = &v["documents"][0]["items"][0]["citations"][0]["check"];
    assert_eq!(c["status"], "alive");
    assert!(c["reason"].as_str().unwrap().contains("accepted"));
}

#[tokio::test]
async fn per_host_interval_and_concurrency() {
    let paths: Vec<String> = (0..4).map(|i| format!("/p{i}")).collect();
    let srv = serve(
        "127.0.0.11",
        paths
            .iter()
            .map(|p| (p.as_str(), html(200, PAGE)))
            .collect(),
    )
    .await;
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("citevault.toml"),
        "no_archive = true\nhost_request_interval = \"0ms\"\nhost_concurrency = 8\n[hosts.\"127.0.0.11\"]\nconcurrency = 1\ninterval = \"300ms\"\n",
    )
    .unwrap();
    let text: String = paths
        .iter()
        .map(|p| format!("## {p}\n\nSee {}.\n\n", srv.url(p)))
        .collect();
    std::fs::write(tmp.path().join("d.md"), text).unwrap();
    let out = run_in(
        tmp.path(),
        s(&["check", "--allow-private", "--format", "json", "d.md"]),
    )
    .await;
    assert_eq!(out.status.code(), Some(0));
    let mut seen = srv.seen();
    seen.sort_by_key(|x| x.start);
    for w in seen.windows(2) {
        let gap = w[1].start - w[0].start;
        assert!(gap >= std::time::Duration::from_millis(280), "gap {gap:?}");
    }
    assert!(seen.iter().all(|x| x.in_flight_at_start == 1));
}

#[tokio::test]
async fn fail_after_needs_consecutive_failures() {
    let srv = serve(
        "127.0.0.1",
        vec![(
            "/flaky",
            Reply::Sequence(vec![
                html(404, "x"),
                html(200, PAGE),
                html(404, "x"),
                html(404, "x"),
                html(404, "x"),
            ]),
        )],
    )
    .await;
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("d.md"),
        format!("## A\n\nSee {}.\n", srv.url("/flaky")),
    )
    .unwrap();
    let check = || {
        s(&[
            "check",
            "--allow-private",
            "--fail-after",
            "3",
            // Runs days apart: no second fetch within a run.
            "--confirm-delay",
            "0",
            "--format",
            "json",
            "d.md",
        ])
    };
    // dead, alive, dead, dead, dead: only the fifth run has 3 failures in a row.
    let mut codes = Vec::new();
    for _ in 0..5 {
        codes.push(run_in(tmp.path(), check()).await.status.code());
    }
    assert_eq!(codes, [Some(0), Some(0), Some(0), Some(0), Some(2)]);
}
