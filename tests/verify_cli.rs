//! `citevault verify` as a user runs it: a local site whose articles change
//! between two runs (a typo fix, a rewrite, another story, only the page
//! around the article), an outlet that is not the one cited, a page dated
//! days away from the cited date, an unlinked citation; `--fail-on` with
//! finding kinds, and `report` showing the same findings.

use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn citevault(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_citevault"))
        .args(args)
        .current_dir(cwd)
        .env("CITEVAULT_NO_REMOTE", "1")
        .env_remove("CITEVAULT_ARCHIVE")
        .output()
        .expect("binary runs")
}

async fn run(args: &[&str], cwd: &Path) -> Output {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let cwd = cwd.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        citevault(&args, &cwd)
    })
    .await
    .unwrap()
}

const STORY: &str = "Beijing announced on Tuesday a new set of export controls on rare earth \
    processing technology, officials said, in a move that analysts described as the \
    broadest such restriction in years. The measures cover equipment, know-how and \
    licensing, and take effect at the start of next month. Exporters will need permits \
    for each shipment, and the commerce ministry said it would review applications \
    case by case. Trade partners in Europe and Japan said they were studying the rules \
    and would seek talks. Industry groups warned that supply chains for magnets used in \
    electric vehicles and wind turbines could be disrupted within weeks.";

const OTHER: &str = "The city council approved a budget for new parks and bicycle lanes on \
    Monday evening after a long debate about taxes. The plan adds twelve small parks in \
    older neighbourhoods, repaints cycle lanes along the river and funds a study of a \
    tram line to the airport. Opponents said the money should go to schools instead, \
    while supporters pointed to surveys showing residents want more green space. Work \
    on the first parks is due to begin in the spring, the mayor's office said.";

/// A news page: the article, with chrome around it that may change.
fn page(title: &str, published: &str, body: &str, chrome: u32) -> String {
    format!(
        "<html><head><title>{title} - Daily Wire Test</title>\
         <meta property=\"article:published_time\" content=\"{published}T08:00:00+08:00\"></head>\
         <body><nav class=\"menu\"><a href=\"/\">Home</a> <a href=\"/world\">World</a> edition {chrome}</nav>\
         <div class=\"ad\">Advertisement {chrome}: buy {chrome} things now</div>\
         <article><h1>{title}</h1><p>{body}</p></article>\
         <aside class=\"most-read\"><h2>Most read</h2><ul><li>Story {chrome} about weather</li>\
         <li>Story {} about sports</li></ul></aside>\
         <footer>Updated 2026-12-0{} 10:{chrome:02}</footer></body></html>",
        chrome + 7,
        chrome % 9 + 1
    )
}

/// The site: `version` picks what each path says in this run.
/// Requests the site answered, across the tests of this file.
static HITS: AtomicUsize = AtomicUsize::new(0);

async fn site(State(version): State<Arc<AtomicUsize>>, req: Request) -> Response {
    HITS.fetch_add(1, Ordering::SeqCst);
    let v = version.load(Ordering::SeqCst) as u32;
    let typo = if v == 0 {
        STORY.replace("processing", "procesing")
    } else {
        STORY.to_string()
    };
    let rewritten = if v == 0 {
        STORY.to_string()
    } else {
        "Officials in Beijing unveiled restrictions on Tuesday that cover the export of \
         technology for refining rare earths. According to the notice, companies must now \
         apply for licences, and reviews may take months. Diplomats from several countries \
         voiced concern, and carmakers began checking inventories of magnets. Analysts \
         expect prices of some metals to rise sharply before the rules apply."
            .to_string()
    };
    let replaced = if v == 0 { STORY } else { OTHER };
    let html = match req.uri().path() {
        "/typo" => page("Rare earth curbs", "2025-11-18", &typo, 1),
        "/rewrite" => page("Rare earth curbs", "2025-11-18", &rewritten, 1),
        "/replaced" => page("Rare earth curbs", "2025-11-18", replaced, 1),
        "/chrome" => page("Rare earth curbs", "2025-11-18", STORY, v + 1),
        "/late" => page("Rare earth curbs", "2025-11-25", STORY, 1),
        _ => return axum::http::StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            ("content-type", "text/html; charset=utf-8"),
            ("cache-control", "no-store"),
        ],
        html,
    )
        .into_response()
}

async fn start_site() -> (String, Arc<AtomicUsize>) {
    let version = Arc::new(AtomicUsize::new(0));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new()
        .fallback(site)
        .with_state(version.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}"), version)
}

fn digest(dir: &Path, base: &str) -> String {
    let mut text = String::new();
    for (path, outlet) in [
        ("typo", "Daily Wire Test"),
        ("rewrite", "Daily Wire Test"),
        ("replaced", "Daily Wire Test"),
        ("chrome", "Daily Wire Test"),
        ("late", "Daily Wire Test"),
    ] {
        text.push_str(&format!(
            "Story About {path}\n\nBeijing announced new rules on rare earths.\n\n\
             Source: {outlet}, November 18, 2025\n{base}/{path}\n\n"
        ));
    }
    text.push_str(
        "Story Cited Elsewhere\n\nThe same rules, as another outlet told it.\n\n\
         Source: Epoch Times, November 18, 2025\n",
    );
    text.push_str(&format!("{base}/typo\n\n"));
    text.push_str(
        "Story Without A Link\n\nAn analysis of the rules.\n\n\
         Source: Nikkei Asia, November 19, 2025\n",
    );
    let path = dir.join("digest.txt");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// Findings of the citation of `url` cited as `outlet`, as `kind: source`
/// words (the titles' likeness left out).
fn findings(report: &serde_json::Value, url: &str, outlet: &str) -> Vec<String> {
    let c = report["documents"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["citations"].as_array().unwrap())
        .find(|c| c["url"] == url && c["outlet"] == outlet)
        .unwrap_or_else(|| panic!("no citation of {url} as {outlet}"));
    c["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter(|f| f["kind"] != "title")
                .map(|f| {
                    format!(
                        "{}: {}",
                        f["kind"].as_str().unwrap(),
                        f["source"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn verify_reports_outlets_dates_and_drift_and_report_says_the_same() {
    let (base, version) = start_site().await;
    let tmp = tempfile::tempdir().unwrap();
    let doc = digest(tmp.path(), &base);
    let host = base.trim_start_matches("http://");
    let host = host.split(':').next().unwrap();
    std::fs::write(
        tmp.path().join("outlets.toml"),
        format!(
            "[[outlet]]\nid = \"daily-wire-test\"\nname = \"Daily Wire Test\"\ndomains = [\"{host}\"]\n"
        ),
    )
    .unwrap();
    let args = [
        "verify",
        "--allow-private",
        "--confirm-delay",
        "0",
        "--host-request-interval",
        "0ms",
        "--outlets",
        "outlets.toml",
        "--format",
        "json",
        "--archive",
        "archive",
        "--fail-on",
        "dead,drifted,outlet-mismatch",
        &doc,
    ];
    let first = run(&args, tmp.path()).await;
    let stderr = String::from_utf8_lossy(&first.stderr);
    let first_json: serde_json::Value =
        serde_json::from_slice(&first.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    // First run: nothing to compare with yet; the outlet and the dates are known.
    assert_eq!(
        findings(&first_json, &format!("{base}/typo"), "Daily Wire Test"),
        Vec::<String>::new()
    );
    assert_eq!(
        findings(&first_json, &format!("{base}/late"), "Daily Wire Test"),
        ["date-mismatch: page"]
    );
    assert_eq!(
        findings(&first_json, &format!("{base}/typo"), "Epoch Times"),
        ["outlet-mismatch: url"]
    );
    assert_eq!(
        first.status.code(),
        Some(2),
        "outlet-mismatch is in --fail-on: {stderr}"
    );

    version.store(1, Ordering::SeqCst);
    let second = run(&args, tmp.path()).await;
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&second.stdout).unwrap();
    let drift = |path: &str| -> Vec<String> {
        findings(&report, &format!("{base}/{path}"), "Daily Wire Test")
            .into_iter()
            .filter(|f| !f.starts_with("date-mismatch"))
            .collect()
    };
    assert_eq!(
        drift("typo"),
        ["changed: archive"],
        "a typo fix is a small change"
    );
    assert_eq!(drift("rewrite"), ["drifted: archive"]);
    assert_eq!(drift("replaced"), ["drifted: archive"]);
    assert_eq!(
        drift("chrome"),
        ["unchanged: archive"],
        "ads, timestamps and most-read boxes alone are not drift"
    );
    // The title is shown for a person, with a similarity and no verdict.
    let titled = report["documents"][0]["items"][0]["citations"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "title")
        .cloned()
        .expect("a title finding");
    assert_eq!(titled["severity"], "info");
    assert!(titled["similarity"].as_f64().is_some());
    // Unlinked citations are listed.
    let unlinked: Vec<&serde_json::Value> = report["documents"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["citations"].as_array().unwrap())
        .filter(|c| c["url"].is_null())
        .collect();
    assert_eq!(unlinked.len(), 1);
    assert_eq!(unlinked[0]["findings"][0]["kind"], "unlinked");
    assert_eq!(unlinked[0]["outlet"], "Nikkei Asia");

    // `report` shows the same findings and exits the same way.
    let reported = run(
        &["report", "--format", "json", "--archive", "archive"],
        tmp.path(),
    )
    .await;
    assert_eq!(reported.status.code(), Some(2));
    let strip = |mut v: serde_json::Value| {
        fn walk(v: &mut serde_json::Value) {
            match v {
                serde_json::Value::Object(m) => {
                    m.remove("elapsed_ms");
                    m.values_mut().for_each(walk);
                }
                serde_json::Value::Array(a) => a.iter_mut().for_each(walk),
                _ => {}
            }
        }
        walk(&mut v);
        v
    };
    let reported: serde_json::Value = serde_json::from_slice(&reported.stdout).unwrap();
    assert_eq!(strip(reported), strip(report.clone()));

    // Offline, from the archive alone: the same findings, nothing fetched.
    let hits = HITS.load(Ordering::SeqCst);
    let mut offline: Vec<&str> = args.to_vec();
    offline.insert(1, "--offline");
    let out = run(&offline, tmp.path()).await;
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        HITS.load(Ordering::SeqCst),
        hits,
        "--offline fetches nothing"
    );
    let offline: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for path in ["typo", "rewrite", "replaced", "chrome", "late"] {
        let url = format!("{base}/{path}");
        assert_eq!(
            findings(&offline, &url, "Daily Wire Test"),
            findings(&report, &url, "Daily Wire Test"),
            "{path}"
        );
    }

    // In GitHub Actions, findings become annotations on the cited lines.
    let mut annotated = Command::new(env!("CARGO_BIN_EXE_citevault"));
    annotated
        .args(args)
        .current_dir(tmp.path())
        .env("CITEVAULT_NO_REMOTE", "1")
        .env("GITHUB_ACTIONS", "true");
    let out = tokio::task::spawn_blocking(move || annotated.output().unwrap())
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.lines().any(|l| l.starts_with("::error file=")
            && l.contains("title=outlet-mismatch%3A Story Cited Elsewhere")),
        "{stderr}"
    );
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("::error ") && l.contains("title=drifted%3A")),
        "{stderr}"
    );

    // The text report shows them to a person.
    let text = run(&["report", "--archive", "archive"], tmp.path()).await;
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("drifted"), "{text}");
    assert!(text.contains("outlet-mismatch"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn fail_on_rejects_an_unknown_word_and_names_the_choices() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("d.txt"), "Story\n\nText.\n").unwrap();
    let out = run(
        &["verify", "--fail-on", "drifted,nonsense", "d.txt"],
        tmp.path(),
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("nonsense") && stderr.contains("outlet-mismatch"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_outlet_in_the_config_file_with_a_broken_date_pattern_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("d.txt"), "Story\n\nText.\n").unwrap();
    std::fs::write(
        tmp.path().join("citevault.toml"),
        "[[outlet]]\nid = \"local\"\nname = \"Local\"\ndomains = [\"local.example\"]\n\
         date_patterns = ['/(?P<y>\\d{4}']\n",
    )
    .unwrap();
    let out = run(&["verify", "--no-archive", "d.txt"], tmp.path()).await;
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("[[outlet]]") && stderr.contains("`local`"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("(?P<y>"),
        "the pattern is never quoted: {stderr}"
    );
}
