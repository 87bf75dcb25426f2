//! The HTML report: self-contained, one row per citation, status filters,
//! and it renders in a real browser (headless Chromium screenshot).

use crate::support;
use std::path::Path;
use std::process::Command;
use support::server::*;

const PAGE: &str = "<html><head><title>An article</title></head><body><p>Text of the article, long enough.</p></body></html>";

fn chromium() -> Option<String> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(str::to_string)
}

fn png_size(path: &Path) -> Option<(u32, u32)> {
    let b = std::fs::read(path).ok()?;
    if b.len() < 24 || &b[..8] != b"\x89PNG\r\n\x1a\n" {
        return None;
    }
    let w = u32::from_be_bytes(b[16..20].try_into().ok()?);
    let h = u32::from_be_bytes(b[20..24].try_into().ok()?);
    Some((w, h))
}

#[tokio::test]
async fn html_report_is_self_contained_and_renders() {
    let srv = serve(
        "127.0.0.1",
        vec![("/ok", html(200, PAGE)), ("/forbidden", html(403, "no"))],
    )
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let digest = tmp.path().join("digest.md");
    std::fs::write(
        &digest,
        format!(
            "## First <b>item</b> & more\n\nSee [RFA, Nov 7, 2023]({}) and {}.\n\n## Second\n\nSee {}.\n\nSource: Nikkei Asia, November 18, 2025\n\n## Third\n\nNo source.\n",
            srv.url("/ok"),
            srv.url("/gone"),
            srv.url("/forbidden")
        ),
    )
    .unwrap();
    let report = tmp.path().join("report.html");
    let (d, r, a) = (
        digest.display().to_string(),
        report.display().to_string(),
        tmp.path().join("archive").display().to_string(),
    );
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_citevault"))
            .env("CITEVAULT_NO_REMOTE", "1")
            .args([
                "check",
                "--allow-private",
                "--host-request-interval",
                "0ms",
                "--archive",
                &a,
                "--format",
                "html",
                "-o",
                &r,
                &d,
            ])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&report).unwrap();
    let page = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let rows: Vec<_> = page.select(&sel("tr.row")).collect();
    assert_eq!(rows.len(), 5, "4 citations + 1 uncited item");
    let statuses: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.value().attr("data-status"))
        .collect();
    assert_eq!(
        statuses,
        ["alive", "dead", "blocked", "unlinked", "uncited"]
    );
    assert_eq!(
        page.select(&sel("#filters input[type=checkbox]")).count(),
        8
    );
    assert!(page.select(&sel("svg#chart rect")).count() == 8);
    assert!(
        html.contains("citevault show --archive ") && html.contains(" --at "),
        "archived copies are named, pinned to a snapshot"
    );
    // Self-contained: no stylesheet, script or image is fetched from anywhere.
    assert_eq!(
        page.select(&sel("link[rel=stylesheet], script[src], img[src]"))
            .count(),
        0
    );
    // Escaped, not injected: the item title's markup is text.
    assert_eq!(page.select(&sel("td b")).count(), 0);

    let Some(browser) = chromium() else {
        let required = std::env::var("CITEVAULT_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "Chromium is required (CITEVAULT_REQUIRE_CHROMIUM=1) but not installed"
        );
        eprintln!("chromium not installed; skipping the rendering check");
        return;
    };
    let shot = tmp.path().join("report.png");
    let profile = tmp.path().join("profile");
    let out = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1200,900")
        .arg(format!("file://{}", report.display()))
        .output()
        .unwrap();
    assert_eq!(
        png_size(&shot),
        Some((1200, 900)),
        "screenshot: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 10_000,
        "a rendered page, not a blank one"
    );
    let dom = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}", report.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains("<table class=\"citations\">") && dom.contains("data-status=\"dead\""),
        "{dom}"
    );
    if let Ok(keep) = std::env::var("CITEVAULT_KEEP_SCREENSHOT") {
        let _ = std::fs::copy(&shot, keep);
    }
}
