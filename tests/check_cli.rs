//! `citevault check` end to end: a digest citing pages on a local server.

mod support;
use std::process::{Command, Output};
use support::server::*;

async fn run(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_citevault"))
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
            .args(["check", "--no-archive", "--format", "json", &digest_arg])
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
