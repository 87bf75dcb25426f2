//! `citevault check` end to end: a digest citing pages on a local server.

use crate::support;
use std::process::{Command, Output};
use support::server::*;

async fn run(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_citevault"))
            .env("CITEVAULT_NO_REMOTE", "1")
            .args(&args)
            .output()
            .expect("binary runs")
    })
    .await
    .unwrap()
}

const PAGE: &str = "<html><head><title>An article</title></head><body><p>Text of the article, long enough.</p></body></html>";

#[tokio::test]
async fn check_fans_out_results_and_sets_the_exit_code() {
    let s = serve(
        "127.0.0.1",
        vec![
            ("/alive", html(200, PAGE)),
            ("/moved", redirect(301, "/alive")),
        ],
    )
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let digest = tmp.path().join("digest.txt");
    std::fs::write(
        &digest,
        format!(
            "First Headline Of The Digest\n\nA body paragraph long enough to be a body paragraph here.\n\n\
             Source: RFA, November 7, 2023\n{alive}\n\n\
             Second Headline Of The Digest\n\nAnother body paragraph that cites {alive} again and {dead}.\n\n\
             Source: Nikkei Asia, November 18, 2025\n",
            alive = s.url("/alive"),
            dead = s.url("/missing"),
        ),
    )
    .unwrap();
    let base = |fmt: &str| {
        vec![
            "check".to_string(),
            "--no-archive".into(),
            "--allow-private".into(),
            "--host-request-interval".into(),
            "10ms".into(),
            "--format".into(),
            fmt.into(),
            digest.display().to_string(),
        ]
    };
    let out = run(base("json")).await;
    assert_eq!(
        out.status.code(),
        Some(2),
        "a dead citation fails the run: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = &v["documents"][0]["items"];
    assert_eq!(items[0]["citations"][0]["check"]["status"], "alive");
    assert_eq!(items[0]["citations"][0]["check"]["title"], "An article");
    assert_eq!(items[1]["citations"][0]["check"]["status"], "alive");
    assert_eq!(items[1]["citations"][1]["check"]["status"], "dead");
    assert_eq!(items[1]["citations"][2]["check"]["status"], "unlinked");
    assert_eq!(v["summary"]["statuses"]["alive"], 2);
    assert_eq!(v["summary"]["statuses"]["dead"], 1);
    assert_eq!(v["summary"]["statuses"]["unlinked"], 1);
    assert_eq!(s.count("/alive"), 1, "a URL cited twice is fetched once");

    // Not failing on dead: exit 0. Markdown lists the dead citation.
    let mut args = base("markdown");
    args.extend(["--fail-on".into(), "error,timeout".into()]);
    let out = run(args).await;
    assert_eq!(out.status.code(), Some(0));
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("**dead**")
            && md.contains("404 Not Found")
            && md.contains("web.archive.org/web/*/"),
        "{md}"
    );

    let out = run(base("text")).await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("checked: 2 alive, 1 dead, 1 unlinked"),
        "{text}"
    );
}

#[tokio::test]
async fn bad_options_are_usage_errors() {
    let out = run(vec![
        "check".into(),
        "--fail-on".into(),
        "gone".into(),
        "x.txt".into(),
    ])
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown status"));
    let out = run(vec![
        "check".into(),
        "--host-request-interval".into(),
        "fast".into(),
        "x.txt".into(),
    ])
    .await;
    assert_eq!(out.status.code(), Some(1));
    let out = run(vec![
        "check".into(),
        "--exclude".into(),
        "(".into(),
        "-".into(),
    ])
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid --exclude"));
}

#[tokio::test]
async fn proxy_from_the_environment_is_used() {
    let proxy = serve("127.0.0.1", vec![("/article", html(200, PAGE))]).await;
    let tmp = tempfile::tempdir().unwrap();
    let digest = tmp.path().join("d.md");
    std::fs::write(
        &digest,
        "## Item\n\nSee <http://citevault-proxied.invalid/article>.\n",
    )
    .unwrap();
    let proxy_url = format!("http://{}", proxy.addr);
    let digest_arg = digest.display().to_string();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_citevault"))
            .env("CITEVAULT_NO_REMOTE", "1")
            // The proxy serves the article for a name that resolves nowhere
            // here; with the private-address guard on, such a target could
            // not be vetted and would not be sent (tests/faults.rs).
            .args([
                "check",
                "--no-archive",
                "--allow-private",
                "--format",
                "json",
                &digest_arg,
            ])
            .env("HTTP_PROXY", &proxy_url)
            .env("http_proxy", &proxy_url)
            .env_remove("NO_PROXY")
            .env_remove("no_proxy")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let check = &v["documents"][0]["items"][0]["citations"][0]["check"];
    assert_eq!(check["status"], "alive", "{check}");
    assert!(proxy.count("/article") >= 1);
}

#[tokio::test]
async fn junit_report_and_github_annotations() {
    let s = serve(
        "127.0.0.1",
        vec![("/alive", html(200, PAGE)), ("/forbidden", html(403, "no"))],
    )
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let digest = tmp.path().join("digest.md");
    std::fs::write(
        &digest,
        format!(
            "## First \"Item\" & Co\n\nSee [RFA, Nov 7, 2023]({}).\n\n## Second\n\nSee {} and {}.\n\nSource: Nikkei Asia, November 18, 2025\n",
            s.url("/alive"),
            s.url("/gone"),
            s.url("/forbidden")
        ),
    )
    .unwrap();
    let d = digest.display().to_string();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_citevault"))
            .env("CITEVAULT_NO_REMOTE", "1")
            .args([
                "check",
                "--no-archive",
                "--allow-private",
                "--host-request-interval",
                "0ms",
                "--format",
                "junit",
                &d,
            ])
            .env("GITHUB_ACTIONS", "true")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let xml = String::from_utf8(out.stdout).unwrap();
    let doc =
        roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("invalid XML ({e}):\n{xml}"));
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("tests"), Some("4"));
    assert_eq!(suite.attribute("failures"), Some("1"));
    assert_eq!(suite.attribute("skipped"), Some("1"));
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert!(cases[0]
        .attribute("name")
        .unwrap()
        .starts_with("First \"Item\" & Co"));
    let failed: Vec<_> = cases
        .iter()
        .filter(|c| c.children().any(|k| k.has_tag_name("failure")))
        .collect();
    assert_eq!(failed.len(), 1);
    assert!(failed[0].attribute("name").unwrap().contains("/gone"));
    // Annotations: an error for the dead link, a warning for the blocked one, with file and line.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.lines().any(|l| l.starts_with("::error file=")
            && l.contains(",line=7,")
            && l.contains("/gone")),
        "{err}"
    );
    assert!(
        err.lines()
            .any(|l| l.starts_with("::warning file=") && l.contains("/forbidden")),
        "{err}"
    );
}

#[tokio::test]
async fn files_from_globs_and_completions() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("digests/2025");
    std::fs::create_dir_all(&dir).unwrap();
    for n in ["a", "b", "c"] {
        std::fs::write(
            dir.join(format!("{n}.md")),
            format!("## Item {n}\n\nSee https://www.rfa.org/{n}.\n"),
        )
        .unwrap();
    }
    std::fs::write(dir.join("skip.txt"), "https://www.rfa.org/txt\n").unwrap();
    let list = tmp.path().join("changed.txt");
    std::fs::write(
        &list,
        format!("{}\n\n# comment\n", dir.join("b.md").display()),
    )
    .unwrap();
    let pattern = format!("{}/digests/**/*.md", tmp.path().display());
    let out = run(vec![
        "extract".into(),
        "--format".into(),
        "json".into(),
        pattern,
    ])
    .await;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["summary"]["documents"], 3,
        "the glob matches the three .md files"
    );
    let out = run(vec![
        "extract".into(),
        "--format".into(),
        "json".into(),
        "--files-from".into(),
        list.display().to_string(),
    ])
    .await;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["documents"], 1);
    assert_eq!(
        v["documents"][0]["items"][0]["citations"][0]["url"],
        "https://www.rfa.org/b"
    );
    let out = run(vec![
        "extract".into(),
        format!("{}/nothing/*.md", tmp.path().display()),
    ])
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("matches no file"));
    let out = run(vec!["completions".into(), "bash".into()]).await;
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("citevault"));
}
