//! Acceptance: the archive replays in pywb, the web-archiving world's replay
//! tool. A local site is checked twice (a conditional re-check answered
//! `304`, an unchanged page without validators, a changed page, a 404, a
//! 301, a redirect chain, an image); pywb is then given every WARC file and
//! must replay every capture of every URL, the latest above all, with the
//! status and the exact bytes the server sent at that capture (for a `304`:
//! those of the payload it confirmed).
//!
//! Needs pywb: `PYWB_BIN` names the folder holding `wb-manager` and
//! `wayback` (`.ci/run` sets it, with `CITEVAULT_REQUIRE_PYWB=1` making its
//! absence a failure); warcio likewise (`WARCIO`, `CITEVAULT_REQUIRE_WARCIO`).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use citevault::model::Timestamp;
use sha2::Digest;
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const ETAG: &str = "\"cond-v1\"";
const LAST_MODIFIED: &str = "Wed, 21 Oct 2015 07:28:00 GMT";

/// The cited paths; redirects add `/plain`, `/chain/b` and `/chain/end`.
const CITED: &[&str] = &[
    "/cond",
    "/plain",
    "/changing",
    "/gone",
    "/moved",
    "/chain/a",
    "/image.png",
];

fn page(title: &str, text: &str) -> Vec<u8> {
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1>\
         <p>{text} This paragraph has enough words to be read as an article by the checker.</p>\
         </body></html>"
    )
    .into_bytes()
}

/// A small PNG-signed binary body: NULs, high bytes, no valid UTF-8.
fn image() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.extend((0..2048u32).map(|i| (i * 131 % 256) as u8));
    b
}

/// One answer the site sent to a GET.
#[derive(Debug, Clone)]
struct Sent {
    run: usize,
    path: String,
    status: u16,
    location: Option<String>,
    body: Vec<u8>,
}

#[derive(Default)]
struct Site {
    /// Which `check` run is going on (1 or 2): `/changing` answers by it.
    run: AtomicUsize,
    sent: Mutex<Vec<Sent>>,
}

type Answer = (u16, Vec<(&'static str, String)>, Vec<u8>);

fn answer(run: usize, path: &str, req: &Request) -> Answer {
    let html = || ("content-type", "text/html; charset=utf-8".to_string());
    let moved = |status: u16, to: &str| -> Answer {
        (
            status,
            vec![html(), ("location", to.to_string())],
            format!("<html><body>Moved to <a href=\"{to}\">{to}</a></body></html>").into_bytes(),
        )
    };
    match path {
        "/cond" => {
            let header = |n: &str| req.headers().get(n).and_then(|v| v.to_str().ok());
            // If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
            let not_modified = match header("if-none-match") {
                Some(tags) => tags.split(',').any(|t| t.trim() == ETAG),
                None => header("if-modified-since")
                    .and_then(|d| httpdate::parse_http_date(d).ok())
                    .is_some_and(|since| {
                        httpdate::parse_http_date(LAST_MODIFIED).unwrap() <= since
                    }),
            };
            let validators = vec![
                ("etag", ETAG.to_string()),
                ("last-modified", LAST_MODIFIED.to_string()),
            ];
            if not_modified {
                (304, validators, Vec::new())
            } else {
                let mut h = validators;
                h.push(html());
                (200, h, page("Conditional page", "Served with an ETag."))
            }
        }
        "/plain" => (
            200,
            vec![html()],
            page("Plain page", "No validators, same bytes every time."),
        ),
        "/changing" => (
            200,
            vec![html()],
            page(
                &format!("Changing page, version {run}"),
                &format!("This is the text of run {run}."),
            ),
        ),
        "/gone" => (
            404,
            vec![html()],
            page("Not found", "This article has been removed."),
        ),
        "/moved" => moved(301, "/plain"),
        "/chain/a" => moved(302, "/chain/b"),
        "/chain/b" => moved(307, "/chain/end"),
        "/chain/end" => (
            200,
            vec![html()],
            page("End of the chain", "Reached after two redirects."),
        ),
        "/image.png" => (200, vec![("content-type", "image/png".into())], image()),
        _ => (
            404,
            vec![("content-type", "text/plain".into())],
            b"no such page".to_vec(),
        ),
    }
}

async fn handle(State(site): State<Arc<Site>>, req: Request) -> Response {
    let run = site.run.load(Ordering::SeqCst);
    let path = req.uri().path().to_string();
    let (status, headers, body) = answer(run, &path, &req);
    if req.method() == axum::http::Method::GET {
        site.sent.lock().unwrap().push(Sent {
            run,
            path,
            status,
            location: headers
                .iter()
                .find(|(k, _)| *k == "location")
                .map(|(_, v)| v.clone()),
            body: body.clone(),
        });
    }
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap();
    for (k, v) in headers {
        resp.headers_mut().insert(
            HeaderName::from_static(k),
            HeaderValue::from_str(&v).unwrap(),
        );
    }
    resp
}

async fn serve_site(site: Arc<Site>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().fallback(handle).with_state(site);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    addr
}

fn sha(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Size, sha256 and the first bytes of a body, for failure messages.
fn describe(bytes: &[u8]) -> String {
    let head: String = String::from_utf8_lossy(&bytes[..bytes.len().min(60)])
        .chars()
        .flat_map(char::escape_debug)
        .collect();
    format!("{} bytes sha256:{} \"{head}\"", bytes.len(), sha(bytes))
}

/// Runs a command to its end, killing it (and failing) after 60 s.
async fn blocking(mut cmd: Command) -> Output {
    let shown = format!("{cmd:?}");
    tokio::task::spawn_blocking(move || {
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{shown} cannot run: {e}"));
        let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                let _ = pipe.read_to_end(&mut buf);
                buf
            })
        };
        let stdout = drain(Box::new(child.stdout.take().unwrap()));
        let stderr = drain(Box::new(child.stderr.take().unwrap()));
        let deadline = Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{shown} did not finish within 60 s");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        Output {
            status,
            stdout: stdout.join().unwrap(),
            stderr: stderr.join().unwrap(),
        }
    })
    .await
    .unwrap()
}

fn citevault(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_citevault"));
    cmd.env("CITEVAULT_NO_REMOTE", "1");
    cmd.args(args).env_remove("CITEVAULT_ARCHIVE");
    cmd
}

/// The external tools, or why the test is skipped.
struct Tools {
    wb_manager: PathBuf,
    wayback: PathBuf,
    warcio: PathBuf,
}

fn tools() -> Option<Tools> {
    let required = |var: &str| std::env::var(var).is_ok_and(|v| v == "1");
    let runs = |p: &Path| {
        Command::new(p)
            .arg("--help")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let bin = std::env::var_os("PYWB_BIN").map(PathBuf::from);
    let (wb_manager, wayback) = match &bin {
        Some(b) if runs(&b.join("wb-manager")) && runs(&b.join("wayback")) => {
            (b.join("wb-manager"), b.join("wayback"))
        }
        _ => {
            let why = match &bin {
                None => "PYWB_BIN is not set".to_string(),
                Some(b) => format!("no runnable wb-manager and wayback in {}", b.display()),
            };
            assert!(
                !required("CITEVAULT_REQUIRE_PYWB"),
                "pywb is required (CITEVAULT_REQUIRE_PYWB=1) but {why}"
            );
            eprintln!("skipping the pywb replay test: {why} (PYWB_BIN names the folder holding wb-manager and wayback)");
            return None;
        }
    };
    let warcio = std::env::var_os("WARCIO")
        .map(PathBuf::from)
        .or_else(|| bin.map(|b| b.join("warcio")))
        .filter(|p| runs(p))
        .or_else(|| runs(Path::new("warcio")).then(|| "warcio".into()));
    let Some(warcio) = warcio else {
        assert!(
            !required("CITEVAULT_REQUIRE_WARCIO"),
            "warcio is required (CITEVAULT_REQUIRE_WARCIO=1) but cannot run (WARCIO, PYWB_BIN/warcio, PATH)"
        );
        eprintln!(
            "skipping the pywb replay test: warcio cannot run (WARCIO, PYWB_BIN/warcio, PATH)"
        );
        return None;
    };
    Some(Tools {
        wb_manager,
        wayback,
        warcio,
    })
}

/// `wayback`, killed when dropped (a failing assertion included).
struct Wayback {
    child: Child,
    log: PathBuf,
}

impl Wayback {
    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Wayback {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start_wayback(tools: &Tools, root: &Path, http: &reqwest::Client) -> (Wayback, u16) {
    let port = free_port();
    let log = root.join("wayback.log");
    let out = std::fs::File::create(&log).unwrap();
    let child = Command::new(&tools.wayback)
        .args(["-b", "127.0.0.1", "-p", &port.to_string()])
        .current_dir(root)
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .spawn()
        .expect("wayback starts");
    let mut wayback = Wayback { child, log };
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(r) = http
            .get(format!("http://127.0.0.1:{port}/coll/"))
            .send()
            .await
        {
            if r.status().as_u16() < 500 {
                return (wayback, port);
            }
        }
        if let Ok(Some(status)) = wayback.child.try_wait() {
            panic!(
                "wayback exited ({status}) before answering:\n{}",
                wayback.log()
            );
        }
        assert!(
            Instant::now() < deadline,
            "wayback did not answer on port {port} within 20 s:\n{}",
            wayback.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn warc_files(archive: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(archive.join("warc"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().to_string_lossy().ends_with(".warc.gz"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// What a capture must replay as: the answer itself, or for a `304` the
/// latest `200` the site sent before it for the same path.
/// What a capture must replay as: the answer itself, or for a `304` the
/// latest `200` the site sent before it for the same path.
fn effective(sent: &[Sent], i: usize) -> Option<&Sent> {
    let s = &sent[i];
    if s.status != 304 {
        return Some(s);
    }
    sent[..i]
        .iter()
        .rev()
        .find(|e| e.path == s.path && e.status == 200)
}

/// One capture of a URL, as `citevault lookup` lists it.
struct Capture {
    url: String,
    path: String,
    ts14: String,
    at: u64,
    run: usize,
    latest: bool,
    /// `lookup`'s view: record type, HTTP status, sha256.
    indexed: String,
}

impl Capture {
    fn label(&self) -> String {
        format!(
            "{} @ {} (run {}{}; {})",
            self.url,
            self.ts14,
            self.run,
            if self.latest { ", LATEST capture" } else { "" },
            self.indexed
        )
    }
}

/// Every WARC record as `warcio index` sees it (one JSON object each).
async fn warc_records(warcio: &Path, files: &[PathBuf]) -> Vec<serde_json::Value> {
    let mut records = Vec::new();
    for f in files {
        let out = blocking({
            let mut c = Command::new(warcio);
            c.args([
                "index",
                "-f",
                "warc-type,warc-target-uri,warc-date,warc-profile,warc-refers-to-target-uri,http:status,warc-payload-digest",
            ])
            .arg(f);
            c
        })
        .await;
        assert!(
            out.status.success(),
            "warcio index {}: {}",
            f.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        records.extend(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()),
        );
    }
    records
}

/// The records (other than requests) written for this capture.
fn records_of<'a>(records: &'a [serde_json::Value], c: &Capture) -> Vec<&'a serde_json::Value> {
    records
        .iter()
        .filter(|r| {
            r["warc-target-uri"] == c.url.as_str()
                && r["warc-type"] != "request"
                && r["warc-date"].as_str().is_some_and(|d| {
                    d.chars().filter(char::is_ascii_digit).collect::<String>() == c.ts14
                })
        })
        .collect()
}

fn show_records(records: &[&serde_json::Value]) -> String {
    records
        .iter()
        .map(|r| r.to_string())
        .collect::<Vec<_>>()
        .join("\n      ")
}

/// Every capture `citevault lookup` lists for the paths the site served.
async fn captures(a: &str, base: &str, sent: &[Sent], run1_end: u64) -> Vec<Capture> {
    let paths: BTreeSet<&str> = sent.iter().map(|s| s.path.as_str()).collect();
    let mut captures: Vec<Capture> = Vec::new();
    for path in paths {
        let out = blocking(citevault(&[
            "lookup",
            "--archive",
            a,
            "--format",
            "json",
            &format!("{base}{path}"),
        ]))
        .await;
        if !out.status.success() {
            continue; // never archived (soft-404 probes are only kept when a verdict rests on them)
        }
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        for s in v["snapshots"].as_array().into_iter().flatten() {
            let fetched = s["fetched_at"].as_str().unwrap();
            let at: Timestamp = fetched.parse().unwrap();
            let url = s["url"].as_str().unwrap().to_string();
            let ts14: String = fetched.chars().filter(char::is_ascii_digit).collect();
            // One capture per URL and second: pywb cannot address two.
            if captures.iter().any(|c| c.url == url && c.ts14 == ts14) {
                continue;
            }
            captures.push(Capture {
                url,
                path: path.to_string(),
                ts14,
                at: at.0,
                run: if at.0 <= run1_end { 1 } else { 2 },
                latest: false,
                indexed: format!(
                    "citevault: {} {} {}",
                    s["record_type"].as_str().unwrap_or("?"),
                    s["http_status"],
                    s["sha256"].as_str().unwrap_or("?")
                ),
            });
        }
    }
    let mut latest: BTreeMap<String, String> = BTreeMap::new();
    for c in &captures {
        let e = latest.entry(c.url.clone()).or_default();
        if c.ts14 > *e {
            e.clone_from(&c.ts14);
        }
    }
    for c in &mut captures {
        c.latest = latest[&c.url] == c.ts14;
    }
    captures
}

async fn pywb_collection(tools: &Tools, root: &Path, files: &[PathBuf]) -> String {
    std::fs::create_dir(root).unwrap();
    for args in [vec!["init", "coll"], vec!["add", "coll"]] {
        let out = blocking({
            let mut c = Command::new(&tools.wb_manager);
            c.args(&args).current_dir(root);
            if args[0] == "add" {
                c.args(files);
            }
            c
        })
        .await;
        assert!(
            out.status.success(),
            "wb-manager {}: {}{}",
            args[0],
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    std::fs::read_to_string(root.join("collections/coll/indexes/index.cdxj"))
        .expect("wb-manager add wrote the collection's index")
}

/// Replays one capture in pywb's `id_` mode (the bytes as archived) and
/// says what is wrong with it, if anything.
async fn replay_problems(
    http: &reqwest::Client,
    port: u16,
    c: &Capture,
    want: &Sent,
) -> Result<(), String> {
    let replay = format!("http://127.0.0.1:{port}/coll/{}id_/{}", c.ts14, c.url);
    let resp = http
        .get(&replay)
        .send()
        .await
        .map_err(|e| format!("GET {replay} failed: {e}"))?;
    let status = resp.status().as_u16();
    let header = |n: &str| {
        resp.headers()
            .get(n)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    let location = header("location");
    let memento = header("memento-datetime");
    let body = resp.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
    let mut wrong = Vec::new();
    if status != want.status {
        wrong.push(format!("status {status}, want {}", want.status));
    }
    // pywb answers a revisit of a redirect with an empty body, by design
    // (pywb/warcserver/resource/resolvingloader.py: "if redirect, don't
    // load payload record"); a browser never shows it.
    let redirect_without_body = (300..400).contains(&want.status) && body.is_empty();
    if body != want.body && !redirect_without_body {
        wrong.push(format!(
            "body {}, want {}",
            describe(&body),
            describe(&want.body)
        ));
    }
    if let Some(to) = &want.location {
        let target = url::Url::parse(&c.url).unwrap().join(to).unwrap();
        if !location
            .as_deref()
            .is_some_and(|l| l.ends_with(target.as_str()) || l == to)
        {
            wrong.push(format!("Location {location:?}, want (…){target}"));
        }
    }
    // pywb falls back to another capture when it cannot load this one.
    let want_date = httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(c.at));
    if memento.as_deref() != Some(want_date.as_str()) {
        wrong.push(format!(
            "Memento-Datetime {memento:?}: another capture than this one ({want_date})"
        ));
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "pywb replayed {status} {}\n    {}",
            describe(&body),
            wrong.join("\n    ")
        ))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pywb_replays_every_capture_of_a_site_checked_twice() {
    let Some(tools) = tools() else { return };
    let site = Arc::new(Site::default());
    let addr = serve_site(site.clone()).await;
    let base = format!("http://{addr}");
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("archive");
    let a = archive.display().to_string();
    let digest = tmp.path().join("digest.md");
    let mut text = String::new();
    for (i, p) in CITED.iter().enumerate() {
        text.push_str(&format!(
            "## Item {i}\n\nBody text of item {i}.\n\nSource: [RFA, November 7, 2023]({base}{p})\n\n"
        ));
    }
    std::fs::write(&digest, text).unwrap();
    let d = digest.display().to_string();

    // Two runs, in different seconds (WARC dates have second precision).
    // --confirm-delay 0: the 404 is not fetched again within a run.
    let mut run1_end = 0;
    for run in 1..=2 {
        site.run.store(run, Ordering::SeqCst);
        let out = blocking(citevault(&[
            "check",
            "--allow-private",
            "--host-request-interval",
            "0ms",
            "--confirm-delay",
            "0",
            "--no-progress",
            "--format",
            "json",
            "--archive",
            &a,
            &d,
        ]))
        .await;
        // 2: the 404 is dead, as it should be.
        assert!(
            matches!(out.status.code(), Some(0 | 2)),
            "check run {run}: {:?}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        if run == 1 {
            run1_end = Timestamp::now().0;
            let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
            tokio::time::sleep(Duration::from_nanos(
                1_000_000_000 - u64::from(now.subsec_nanos()) + 50_000_000,
            ))
            .await;
        }
    }
    let sent = site.sent.lock().unwrap().clone();
    let files = warc_files(&archive);
    assert!(!files.is_empty(), "no WARC file in {a}");

    // warcio reads every file and every digest matches.
    for f in &files {
        let out = blocking({
            let mut c = Command::new(&tools.warcio);
            c.args(["check", "-v"]).arg(f);
            c
        })
        .await;
        assert!(
            out.status.success(),
            "warcio check {}: {}{}",
            f.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let records = warc_records(&tools.warcio, &files).await;
    let captures = captures(&a, &base, &sent, run1_end).await;
    let mut failures = Vec::new();

    // Every cited URL and redirect target was fetched and archived in each run.
    for p in CITED.iter().chain(&["/plain", "/chain/b", "/chain/end"]) {
        for run in 1..=2 {
            if !sent.iter().any(|s| s.path == *p && s.run == run) {
                failures.push(format!("{base}{p} was never fetched in run {run}"));
            } else if !captures.iter().any(|c| c.path == *p && c.run == run) {
                failures.push(format!(
                    "{base}{p} was fetched in run {run} but has no capture from that run"
                ));
            }
        }
    }

    // What the site sent at each capture, resolved through 304s.
    let mut wanted: Vec<(&Capture, &Sent)> = Vec::new();
    for c in &captures {
        let wants: Vec<&Sent> = (0..sent.len())
            .filter(|&i| sent[i].path == c.path && sent[i].run == c.run)
            .filter_map(|i| effective(&sent, i))
            .collect();
        match wants.first() {
            None => failures.push(format!(
                "{}: the site sent nothing this capture can stand for",
                c.label()
            )),
            Some(w)
                if wants
                    .iter()
                    .any(|x| x.status != w.status || x.body != w.body) =>
            {
                failures.push(format!(
                    "{}: the site sent different answers in one run (a bug in this test)",
                    c.label()
                ))
            }
            Some(w) => wanted.push((c, w)),
        }
    }

    // Record forms: an answer identical to the previous run's (same status,
    // same non-empty body) is a revisit, whatever its status; a changed one
    // a full response. The 304 keeps its provenance: a record of that
    // capture says the server answered 304 (a server-not-modified revisit).
    for (c, want) in &wanted {
        let recs = records_of(&records, c);
        let kinds: Vec<&str> = recs
            .iter()
            .filter_map(|r| r["warc-type"].as_str())
            .collect();
        let answered_304 = sent
            .iter()
            .any(|s| s.path == c.path && s.run == c.run && s.status == 304);
        if answered_304 {
            let kept = recs.iter().any(|r| {
                r["warc-profile"]
                    .as_str()
                    .is_some_and(|p| p.ends_with("/revisit/server-not-modified"))
                    || r["http:status"] == "304"
            });
            if !kept {
                failures.push(format!(
                    "{}: the server answered 304 Not Modified, but no record of this capture says so\n      {}",
                    c.label(),
                    show_records(&recs)
                ));
            }
            continue;
        }
        if c.run != 2 || want.body.is_empty() {
            continue;
        }
        let before = sent.iter().any(|s| {
            s.path == c.path && s.run == 1 && s.status == want.status && s.body == want.body
        });
        if before && !kinds.contains(&"revisit") {
            failures.push(format!(
                "{}: the same {} and the same {} bytes as in run 1, stored in full again instead of as a revisit\n      {}",
                c.label(),
                want.status,
                want.body.len(),
                show_records(&recs)
            ));
        }
        let seen = sent[..]
            .iter()
            .any(|s| s.path == c.path && s.run == 1 && s.body == want.body);
        if !seen && !kinds.contains(&"response") {
            failures.push(format!(
                "{}: a changed body must be stored in full\n      {}",
                c.label(),
                show_records(&recs)
            ));
        }
    }

    // Replay in pywb: every capture, the latest of each URL above all.
    let root = tmp.path().join("pywb");
    let cdxj = pywb_collection(&tools, &root, &files).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let (wayback, port) = start_wayback(&tools, &root, &http).await;
    for (c, want) in &wanted {
        if let Err(problem) = replay_problems(&http, port, c, want).await {
            let answers = sent
                .iter()
                .filter(|s| s.path == c.path && s.run == c.run)
                .map(|s| format!("{} {}", s.status, describe(&s.body)))
                .collect::<Vec<_>>()
                .join("; ");
            let indexed: Vec<&str> = cdxj
                .lines()
                .filter(|l| l.contains(&format!("\"url\": \"{}\"", c.url)))
                .collect();
            failures.push(format!(
                "{}: {problem}\n    the site sent: {answers}\n    WARC records of this capture:\n      {}\n    pywb's index of this URL:\n      {}",
                c.label(),
                show_records(&records_of(&records, c)),
                indexed.join("\n      ")
            ));
        }
    }
    let log = wayback.log();
    drop(wayback);
    let latest = failures.iter().filter(|f| f.contains("LATEST")).count();
    assert!(
        failures.is_empty(),
        "{} problems ({latest} with a URL's latest capture) over {} captures:\n\n{}\n\nlast lines of the wayback log:\n{}",
        failures.len(),
        captures.len(),
        failures.join("\n\n"),
        log.lines()
            .rev()
            .take(12)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
