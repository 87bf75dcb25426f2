//! The public archives from the command line, as a user runs them: `check`
//! looks up failing citations (and caches the answers), `report` says the
//! same, `lookup --remote`, `save`, `robustify`, and a config file that
//! cannot point the runner at its own network. Every archive here is a
//! local server speaking the real formats (CDX JSON, SPN2 JSON).

use crate::support;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use support::server::{html, serve};

fn citevault(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_citevault"));
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("CITEVAULT_NO_REMOTE")
        .env_remove("CITEVAULT_IA_KEYS")
        .env_remove("CITEVAULT_ARCHIVE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("binary runs")
}

async fn run(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let cwd = cwd.to_path_buf();
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        citevault(&args, &cwd, &env)
    })
    .await
    .unwrap()
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes)))
}

/// A fake Wayback Machine: a CDX API with fixed captures of one URL,
/// mementos in `id_` form, and a Save Page Now that saves at once.
#[derive(Default)]
struct Wayback {
    /// (timestamp, original URL) captures known.
    captures: Vec<(String, String)>,
    /// Every path and query asked, in order.
    seen: Mutex<Vec<String>>,
    /// Every `Authorization` header received.
    authorizations: Mutex<Vec<String>>,
    /// The URL last submitted to Save Page Now.
    submitted: Mutex<String>,
}

async fn wayback_handler(State(w): State<Arc<Wayback>>, req: Request) -> Response {
    let pq = req
        .uri()
        .path_and_query()
        .map_or(String::new(), |p| p.as_str().to_string());
    w.seen.lock().unwrap().push(pq.clone());
    if let Some(a) = req.headers().get("authorization") {
        w.authorizations
            .lock()
            .unwrap()
            .push(a.to_str().unwrap_or("").to_string());
    }
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    if path == "/cdx/search/cdx" {
        let asked: String = url::form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "url")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        let mut rows = vec![serde_json::json!([
            "urlkey",
            "timestamp",
            "original",
            "mimetype",
            "statuscode",
            "digest",
            "length"
        ])];
        for (ts, original) in &w.captures {
            if original == &asked {
                rows.push(serde_json::json!([
                    "k",
                    ts,
                    original,
                    "text/html",
                    "200",
                    "D",
                    "900"
                ]));
            }
        }
        if rows.len() == 1 {
            rows.clear();
        }
        return (
            [("content-type", "application/json")],
            serde_json::Value::Array(rows).to_string(),
        )
            .into_response();
    }
    if let Some(rest) = path.strip_prefix("/web/") {
        if let Some((ts, original)) = rest.split_once('/') {
            let ts = ts.trim_end_matches("id_");
            if w.captures.iter().any(|(t, o)| t == ts && o == original) {
                return (
                    [("content-type", "text/html; charset=utf-8")],
                    "<html><head><title>Archived story</title></head><body><h1>Archived story</h1>\
                     <p>The ministry announced new rules on Tuesday, officials said, in a long \
                     statement read out to reporters in the capital.</p></body></html>",
                )
                    .into_response();
            }
        }
        return StatusCode::NOT_FOUND.into_response();
    }
    if path == "/save" {
        let body = axum::body::to_bytes(req.into_body(), 1 << 16)
            .await
            .unwrap_or_default();
        if let Some((_, url)) = url::form_urlencoded::parse(&body).find(|(k, _)| k == "url") {
            *w.submitted.lock().unwrap() = url.into_owned();
        }
        return (
            [("content-type", "application/json")],
            r#"{"url":"x","job_id":"spn2-job1"}"#,
        )
            .into_response();
    }
    if path == "/save/status/spn2-job1" {
        let original = w.submitted.lock().unwrap().clone();
        return (
            [("content-type", "application/json")],
            serde_json::json!({"status": "success", "timestamp": "20261204101010", "original_url": original})
                .to_string(),
        )
            .into_response();
    }
    StatusCode::NOT_FOUND.into_response()
}

async fn wayback(captures: Vec<(String, String)>) -> (String, Arc<Wayback>) {
    let state = Arc::new(Wayback {
        captures,
        ..Default::default()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new()
        .fallback(wayback_handler)
        .with_state(state.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}/"), state)
}

impl Wayback {
    fn cdx_requests(&self) -> usize {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|p| p.starts_with("/cdx/"))
            .count()
    }
}

fn digest(dir: &Path, gone: &str, alive: &str) -> String {
    let path = dir.join("digest.txt");
    std::fs::write(
        &path,
        format!(
            "Ministry Announces New Rules\n\n\
             The ministry announced new rules on Tuesday.\n\n\
             Source: RFA, November 18, 2025\n{gone}\n\n\
             Talks Resume in Geneva\n\n\
             Negotiators met again this week.\n\n\
             Source: DW, November 19, 2025\n{alive}\n"
        ),
    )
    .unwrap();
    path.display().to_string()
}

fn citation_of<'a>(report: &'a serde_json::Value, url: &str) -> &'a serde_json::Value {
    report["documents"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["citations"].as_array().unwrap())
        .find(|c| c["url"] == url)
        .unwrap_or_else(|| panic!("no citation of {url}"))
}

fn without_timing(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            m.remove("elapsed_ms");
            m.values_mut().for_each(without_timing);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(without_timing),
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn check_finds_the_capture_closest_to_the_cited_date_caches_it_and_report_agrees() {
    let site = serve(
        "127.0.0.1",
        vec![
            ("/gone", html(404, "<title>Not Found</title>")),
            (
                "/alive",
                html(
                    200,
                    "<html><head><title>Talks resume</title></head><body><h1>Talks resume</h1>\
                     <p>Negotiators met again in Geneva this week to resume the talks that \
                     stalled in the spring, diplomats from both sides said.</p></body></html>",
                ),
            ),
        ],
    )
    .await;
    let gone = site.url("/gone");
    let alive = site.url("/alive");
    let (wb, state) = wayback(vec![
        ("20251101000000".into(), gone.clone()),
        ("20251117080000".into(), gone.clone()),
        ("20251120093000".into(), gone.clone()),
    ])
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let doc = digest(tmp.path(), &gone, &alive);
    let args = [
        "check",
        "--allow-private",
        "--confirm-delay",
        "0",
        "--host-request-interval",
        "0ms",
        "--remote-interval",
        "0ms",
        "--wayback-url",
        &wb,
        "--format",
        "json",
        "--archive",
        "archive",
        &doc,
    ];
    let first = run(&args, tmp.path(), &[]).await;
    assert_eq!(
        first.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let report = json(&first.stdout);
    let dead = citation_of(&report, &gone);
    assert_eq!(dead["check"]["status"], "dead");
    let capture = &dead["remote"]["capture"];
    assert_eq!(capture["archive"], "wayback");
    assert_eq!(
        capture["url"],
        format!("{wb}web/20251117080000/{gone}"),
        "the latest capture on or before the cited date wins: {dead}"
    );
    assert_eq!(capture["captured_at"], "2025-11-17T08:00:00Z");
    assert_eq!(capture["http_status"], 200);
    assert_eq!(capture["distance"], "1 day before the cited date");
    assert_eq!(capture["distance_days"], -1);
    assert_eq!(dead["remote"]["asked"], serde_json::json!(["wayback"]));
    // An alive citation is not looked up.
    assert!(citation_of(&report, &alive).get("remote").is_none());
    let asked_first = state.cdx_requests();
    assert_eq!(asked_first, 1, "{:?}", state.seen.lock().unwrap());

    // A second run takes the answer from the archive's cache.
    let second = run(&args, tmp.path(), &[]).await;
    assert_eq!(second.status.code(), Some(2));
    assert_eq!(
        state.cdx_requests(),
        asked_first,
        "the cached answer is reused"
    );
    let again = json(&second.stdout);
    assert_eq!(citation_of(&again, &gone)["remote"], dead["remote"]);

    // `report` shows what the second check showed, byte for byte but timing.
    let reported = run(
        &["report", "--format", "json", "--archive", "archive"],
        tmp.path(),
        &[],
    )
    .await;
    assert_eq!(reported.status.code(), Some(2));
    let (mut a, mut b) = (again, json(&reported.stdout));
    without_timing(&mut a);
    without_timing(&mut b);
    assert_eq!(a, b);

    // Every format a person reads shows the copy beside the dead citation.
    for format in ["text", "markdown", "html", "junit"] {
        let out = run(
            &["report", "--format", format, "--archive", "archive"],
            tmp.path(),
            &[],
        )
        .await;
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains(&format!("{wb}web/20251117080000/")),
            "{format}: {text}"
        );
    }

    // --no-remote asks nothing and reports no copy.
    let mut quiet: Vec<&str> = args.to_vec();
    quiet.insert(1, "--no-remote");
    quiet.retain(|a| *a != "archive" && *a != "--archive");
    quiet.insert(1, "--no-archive");
    let before = state.seen.lock().unwrap().len();
    let out = run(&quiet, tmp.path(), &[]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(citation_of(&json(&out.stdout), &gone)
        .get("remote")
        .is_none());
    assert_eq!(state.seen.lock().unwrap().len(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_capture_or_an_archive_that_answers_the_report_says_which() {
    let site = serve("127.0.0.1", vec![("/gone", html(404, "gone"))]).await;
    let gone = site.url("/gone");
    let (wb, _state) = wayback(Vec::new()).await;
    let tmp = tempfile::tempdir().unwrap();
    let doc = digest(tmp.path(), &gone, &site.url("/gone"));
    let base = [
        "check",
        "--allow-private",
        "--no-archive",
        "--confirm-delay",
        "0",
        "--remote-interval",
        "0ms",
        "--format",
        "json",
    ];
    let mut none = base.to_vec();
    none.extend(["--wayback-url", &wb, &doc]);
    let out = run(&none, tmp.path(), &[]).await;
    let v = json(&out.stdout);
    let remote = &citation_of(&v, &gone)["remote"];
    assert!(remote["capture"].is_null(), "{remote}");
    assert!(remote.get("problems").is_none(), "{remote}");

    // An archive that does not answer at all: "not known", never "not archived".
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let a = l.local_addr().unwrap();
        drop(l);
        format!("http://{a}/")
    };
    let mut down = base.to_vec();
    down.extend(["--wayback-url", &closed, "--remote-timeout", "2", &doc]);
    let out = run(&down, tmp.path(), &[]).await;
    let v = json(&out.stdout);
    let remote = &citation_of(&v, &gone)["remote"];
    assert!(remote["capture"].is_null());
    let problems = remote["problems"].as_array().expect("problems listed");
    assert!(!problems.is_empty(), "{remote}");
    let mut text = base.to_vec();
    text.retain(|a| *a != "json" && *a != "--format");
    text.extend(["--wayback-url", &closed, "--remote-timeout", "2", &doc]);
    let out = run(&text, tmp.path(), &[]).await;
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("could not be asked"),
        "an archive that failed is not 'no copy': {shown}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn lookup_remote_answers_for_any_url_and_exits_by_what_it_found() {
    let url = "https://www.rfa.org/mandarin/a.html".to_string();
    let (wb, _state) = wayback(vec![
        ("20231101000000".into(), url.clone()),
        ("20231112000000".into(), url.clone()),
    ])
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let out = run(
        &[
            "lookup",
            "--remote",
            "--date",
            "2023-11-07",
            "--remote-interval",
            "0ms",
            "--wayback-url",
            &wb,
            "--format",
            "json",
            &url,
        ],
        tmp.path(),
        &[],
    )
    .await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out.stdout);
    assert_eq!(v["capture"]["url"], format!("{wb}web/20231101000000/{url}"));
    assert_eq!(v["capture"]["distance"], "6 days before the cited date");

    let out = run(
        &[
            "lookup",
            "--remote",
            "--remote-interval",
            "0ms",
            "--wayback-url",
            &wb,
            "https://www.rfa.org/never-archived.html",
        ],
        tmp.path(),
        &[],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no public copy"));

    let bad = run(
        &["lookup", "--remote", "--date", "18 Nov", &url],
        tmp.path(),
        &[],
    )
    .await;
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("YYYY-MM-DD"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_config_file_cannot_point_the_archives_at_the_runners_network() {
    let site = serve("127.0.0.1", vec![("/gone", html(404, "gone"))]).await;
    let gone = site.url("/gone");
    let (wb, state) = wayback(vec![("20251117080000".into(), gone.clone())]).await;
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("citevault.toml"),
        format!("wayback_url = \"{wb}\"\nremote_interval = \"0ms\"\n"),
    )
    .unwrap();
    let doc = digest(tmp.path(), &gone, &gone);
    let out = run(
        &[
            "check",
            "--allow-private",
            "--no-archive",
            "--confirm-delay",
            "0",
            "--format",
            "json",
            &doc,
        ],
        tmp.path(),
        &[],
    )
    .await;
    let v = json(&out.stdout);
    let remote = &citation_of(&v, &gone)["remote"];
    assert!(remote["capture"].is_null(), "{remote}");
    assert!(
        remote["problems"][0]
            .as_str()
            .is_some_and(|p| p.contains("private")),
        "{remote}"
    );
    assert!(
        state.seen.lock().unwrap().is_empty(),
        "nothing reached the private address"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn save_submits_with_the_keys_records_the_capture_and_never_prints_the_secret() {
    let (wb, state) = wayback(Vec::new()).await;
    let tmp = tempfile::tempdir().unwrap();
    let url = "https://www.dw.com/zh/a-74793625";
    let args = [
        "save",
        "--spn-url",
        &wb,
        "--save-interval",
        "0ms",
        "--format",
        "json",
        "--archive",
        "archive",
        url,
    ];
    let missing = run(&args, tmp.path(), &[]).await;
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("CITEVAULT_IA_KEYS"));

    let out = run(&args, tmp.path(), &[("CITEVAULT_IA_KEYS", "acc3ss:s3cr3t")]).await;
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(!all.contains("s3cr3t"));
    let v = json(&out.stdout);
    assert_eq!(
        v[0]["capture"]["url"],
        format!("{wb}web/20261204101010/{url}")
    );
    assert_eq!(v[0]["capture"]["saved"], true);
    assert_eq!(state.authorizations.lock().unwrap()[0], "LOW acc3ss:s3cr3t");
    // Recorded in the index.
    let db = rusqlite_count(&tmp.path().join("archive/index.sqlite"));
    assert_eq!(db, 1);
}

fn rusqlite_count(db: &Path) -> i64 {
    let out = Command::new("python3")
        .arg("-c")
        .arg(
            "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\
             \"select count(*) from remote_answers where kind='save'\").fetchone()[0])",
        )
        .arg(db)
        .output()
        .expect("python3 runs");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(-1)
}

#[tokio::test(flavor = "multi_thread")]
async fn robustify_writes_a_copy_with_robust_links_and_leaves_the_input_alone() {
    let a = "https://www.rfa.org/mandarin/a.html";
    let b = "https://www.dw.com/zh/b-1";
    let (wb, _state) = wayback(vec![("20231108000000".into(), a.to_string())]).await;
    let tmp = tempfile::tempdir().unwrap();
    let input = format!(
        "<html><head><title>Digest</title></head><body>\n<h2>Rare earth curbs</h2>\n\
         <p>Beijing weighs curbs. Source: <a href=\"{a}\">RFA, November 7, 2023</a></p>\n\
         <h2>Talks</h2>\n<p>Talks resumed. Source: <a href=\"{b}\">DW, November 8, 2023</a></p>\n\
         </body></html>\n"
    );
    std::fs::write(tmp.path().join("d.html"), &input).unwrap();
    let out = run(
        &[
            "robustify",
            "d.html",
            "-o",
            "robust.html",
            "--remote-interval",
            "0ms",
            "--wayback-url",
            &wb,
        ],
        tmp.path(),
        &[],
    )
    .await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("d.html")).unwrap(),
        input
    );
    let robust = std::fs::read_to_string(tmp.path().join("robust.html")).unwrap();
    let page = scraper::Html::parse_document(&robust);
    let links: Vec<_> = page
        .select(&scraper::Selector::parse("a").unwrap())
        .map(|e| e.value())
        .collect();
    assert_eq!(links.len(), 2);
    assert_eq!(links[0].attr("data-originalurl"), Some(a));
    assert_eq!(
        links[0].attr("data-versionurl").map(str::to_string),
        Some(format!("{wb}web/20231108000000/{a}"))
    );
    assert_eq!(links[0].attr("data-versiondate"), Some("2023-11-08"));
    assert_eq!(
        links[1].attr("data-versionurl"),
        None,
        "no capture, no attribute"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 links given"));

    // Offline, from the answers just stored: the same file.
    let out = run(
        &[
            "robustify",
            "d.html",
            "-o",
            "-",
            "--offline",
            "--wayback-url",
            "http://127.0.0.1:9/",
        ],
        tmp.path(),
        &[],
    )
    .await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), robust);

    // --in-place rewrites the input itself, the same way.
    let out = run(
        &["robustify", "d.html", "--in-place", "--offline"],
        tmp.path(),
        &[],
    )
    .await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("d.html")).unwrap(),
        robust
    );
    // Without -o or --in-place it refuses, naming what is missing.
    let out = run(&["robustify", "d.html"], tmp.path(), &[]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--output"));
}

#[tokio::test(flavor = "multi_thread")]
async fn check_save_remote_saves_alive_sources_and_report_shows_the_saved_copy() {
    let site = serve(
        "127.0.0.1",
        vec![
            ("/gone", html(404, "gone")),
            (
                "/alive",
                html(
                    200,
                    "<html><head><title>Talks resume</title></head><body><h1>Talks resume</h1>\
                     <p>Negotiators met again in Geneva this week to resume the talks that \
                     stalled in the spring, diplomats from both sides said.</p></body></html>",
                ),
            ),
        ],
    )
    .await;
    let (gone, alive) = (site.url("/gone"), site.url("/alive"));
    let (wb, state) = wayback(Vec::new()).await;
    let tmp = tempfile::tempdir().unwrap();
    let doc = digest(tmp.path(), &gone, &alive);
    let args = [
        "check",
        "--allow-private",
        "--save-remote",
        "--confirm-delay",
        "0",
        "--remote-interval",
        "0ms",
        "--save-interval",
        "0ms",
        "--save-poll-interval",
        "10ms",
        "--wayback-url",
        &wb,
        "--format",
        "json",
        "--archive",
        "archive",
        &doc,
    ];
    let missing = run(&args, tmp.path(), &[]).await;
    assert_eq!(missing.status.code(), Some(1), "no keys, no run");
    assert!(String::from_utf8_lossy(&missing.stderr).contains("CITEVAULT_IA_KEYS"));

    let out = run(&args, tmp.path(), &[("CITEVAULT_IA_KEYS", "a:b")]).await;
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out.stdout);
    let saved = &citation_of(&v, &alive)["remote"]["capture"];
    assert_eq!(saved["saved"], true);
    assert_eq!(saved["url"], format!("{wb}web/20261204101010/{alive}"));
    // The dead one was looked up, not saved.
    assert!(citation_of(&v, &gone)["remote"]["capture"].is_null());
    let posts = state
        .seen
        .lock()
        .unwrap()
        .iter()
        .filter(|p| p.as_str() == "/save")
        .count();
    assert_eq!(posts, 1, "only the alive source is submitted");

    let text = run(&["report", "--archive", "archive"], tmp.path(), &[]).await;
    let shown = String::from_utf8_lossy(&text.stdout);
    assert!(
        shown.contains(&format!(
            "saved to wayback 2026-12-04: {wb}web/20261204101010/"
        )),
        "{shown}"
    );
}
