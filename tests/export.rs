//! `citevault export` (CDXJ, WACZ) and `lookup --format link` on an
//! archive made by real checks of a local server, read back by the
//! library and, when installed, by the web-archiving world's tools: pywb's
//! indexer and replay, py-wacz's validator (`.ci/run` installs them and
//! makes their absence a failure).

use crate::support;
use citevault::archive::warc::read_record_at;
use sha2::Digest;
use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::server::*;

const V1: &str = "<html><head><title>Version one</title></head><body><p>The article as first published, with enough words to read.</p></body></html>";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_citevault"))
        .env("CITEVAULT_NO_REMOTE", "1")
        .args(args)
        .env_remove("CITEVAULT_ARCHIVE")
        .output()
        .expect("binary runs")
}

async fn run_async(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&args)
    })
    .await
    .expect("joined")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn sha(bytes: &[u8]) -> String {
    format!("sha256:{:x}", sha2::Sha256::digest(bytes))
}

/// An archive two `check` runs made, two seconds apart, of a page, a 404
/// and a redirect to the page: responses, then revisits.
struct Fixture {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    archive: String,
    urls: Vec<String>,
    /// When the second run began: its captures are at or after it.
    second_run: String,
}

impl Fixture {
    async fn new() -> Fixture {
        let srv = serve(
            "127.0.0.1",
            vec![
                ("/article?b=2&a=1", html(200, V1)),
                ("/moved", redirect(301, "/article?b=2&a=1")),
            ],
        )
        .await;
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().to_path_buf();
        let archive = dir.join("archive").display().to_string();
        let urls: Vec<String> = ["/article?b=2&a=1", "/gone", "/moved"]
            .iter()
            .map(|p| srv.url(p))
            .collect();
        let digest = dir.join("digest.md");
        let text: String = urls
            .iter()
            .enumerate()
            .map(|(i, u)| {
                format!(
                    "## Item {i}\n\nBody of item {i}.\n\nSource: [RFA, November 7, 2023]({u})\n\n"
                )
            })
            .collect();
        std::fs::write(&digest, text).expect("digest written");
        let mut second_run = String::new();
        for n in 0..2 {
            if n == 1 {
                tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
                second_run = httpdate_now_rfc3339();
            }
            let out = run_async(
                [
                    "check",
                    "--allow-private",
                    "--no-progress",
                    "--host-request-interval",
                    "0ms",
                    "--confirm-delay",
                    "0",
                    "--archive",
                    &archive,
                    &digest.display().to_string(),
                ]
                .map(String::from)
                .to_vec(),
            )
            .await;
            assert!(matches!(out.status.code(), Some(0 | 2)), "{}", stderr(&out));
        }
        Fixture {
            _tmp: tmp,
            dir,
            archive,
            urls,
            second_run,
        }
    }

    /// Every snapshot of every URL (the redirect's target included), by id.
    fn snapshots(&self) -> HashMap<i64, serde_json::Value> {
        let mut all = HashMap::new();
        for u in &self.urls {
            for s in self.lookup(u)["snapshots"].as_array().expect("snapshots") {
                all.insert(s["id"].as_i64().expect("id"), s.clone());
            }
        }
        all
    }

    fn lookup(&self, url: &str) -> serde_json::Value {
        let out = run(&[
            "lookup",
            "--archive",
            &self.archive,
            "--format",
            "json",
            url,
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).expect("lookup JSON")
    }

    fn export(&self, extra: &[&str]) -> Output {
        let mut args = vec!["export", "--archive", &self.archive];
        args.extend_from_slice(extra);
        run(&args)
    }
}

fn httpdate_now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    citevault::model::Timestamp(secs).to_string()
}

/// One CDXJ line, split.
struct Line {
    key: String,
    ts: String,
    json: serde_json::Value,
}

fn parse_cdxj(text: &str) -> Vec<Line> {
    text.lines()
        .map(|l| {
            let mut parts = l.splitn(3, ' ');
            let key = parts.next().expect("key").to_string();
            let ts = parts.next().expect("timestamp").to_string();
            let json = serde_json::from_str(parts.next().expect("json")).expect("JSON block");
            Line { key, ts, json }
        })
        .collect()
}

fn field<'a>(l: &'a Line, name: &str) -> &'a str {
    l.json[name]
        .as_str()
        .unwrap_or_else(|| panic!("{name} in {}", l.json))
}

/// The SURT key of a test server URL, written out by hand.
fn expected_key(url: &str) -> String {
    let u = url::Url::parse(url).expect("URL");
    let host: Vec<&str> = u.host_str().expect("host").split('.').rev().collect();
    let mut query: Vec<&str> = u
        .query()
        .map(|q| q.split('&').collect())
        .unwrap_or_default();
    query.sort();
    let q = if query.is_empty() {
        String::new()
    } else {
        format!("?{}", query.join("&"))
    };
    format!(
        "{}:{})/{}{q}",
        host.join(","),
        u.port().expect("port"),
        u.path().trim_start_matches('/')
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cdxj_indexes_every_response_and_revisit_by_surt_in_byte_order() {
    let fx = Fixture::new().await;
    let out = fx.export(&["--format", "cdxj"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let raw: Vec<&str> = text.lines().collect();
    let mut sorted = raw.clone();
    sorted.sort();
    assert_eq!(raw, sorted, "lines in plain byte order (LC_ALL=C sort)");

    let lines = parse_cdxj(&text);
    let snapshots = fx.snapshots();
    assert_eq!(
        lines.len(),
        snapshots.len(),
        "one line per capture:\n{text}"
    );
    let mut revisits = 0;
    for l in &lines {
        let url = field(l, "url");
        assert_eq!(l.key, expected_key(url), "{url}");
        assert_eq!(l.ts.len(), 14);
        let offset: u64 = field(l, "offset").parse().expect("offset");
        let length: u64 = field(l, "length").parse().expect("length");
        let path = Path::new(&fx.archive).join(field(l, "filename"));
        let rec = read_record_at(&path, offset).expect("record at offset");
        assert_eq!(rec.header("WARC-Target-URI"), Some(url));
        assert_eq!(rec.header("WARC-Payload-Digest"), Some(field(l, "digest")));
        let date = rec.header("WARC-Date").expect("date");
        assert_eq!(l.ts, date.replace(['-', ':', 'T', 'Z'], ""));
        assert_eq!(member_length(&path, offset), length, "{url} at {offset}");
        match rec.header("WARC-Type") {
            Some("revisit") => {
                revisits += 1;
                assert_eq!(field(l, "mime"), "warc/revisit");
                assert!(
                    l.json.get("status").is_none(),
                    "pywb writes no status for a revisit"
                );
            }
            Some("response") => {
                let status = String::from_utf8_lossy(&rec.block[9..12]).into_owned();
                assert_eq!(field(l, "status"), status);
                assert!(!field(l, "mime").contains(';'));
            }
            other => panic!("a {other:?} record is indexed"),
        }
    }
    assert!(
        revisits >= 2,
        "the second run's identical payloads are revisits:\n{text}"
    );
    let statuses: BTreeSet<&str> = lines
        .iter()
        .filter_map(|l| l.json["status"].as_str())
        .collect();
    assert_eq!(statuses, BTreeSet::from(["200", "301", "404"]));

    // -o writes the same, whole; pywb's own indexer agrees byte for byte.
    let file = fx.dir.join("index.cdxj");
    let out = fx.export(&["--format", "cdxj", "-o", &file.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&file).expect("written"), text);
    pywb_indexes_alike(Path::new(&fx.archive), &text);

    // --since keeps the later captures and the records their revisits need.
    let out = fx.export(&["--format", "cdxj", "--since", &fx.second_run]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let since = parse_cdxj(&String::from_utf8_lossy(&out.stdout));
    let stamp = fx.second_run.replace(['-', ':', 'T', 'Z'], "");
    assert!(since.iter().any(|l| l.ts >= stamp));
    assert!(since.len() < lines.len());
    for l in since.iter().filter(|l| field(l, "mime") == "warc/revisit") {
        let refers = since.iter().any(|o| {
            o.ts < stamp
                && field(o, "digest") == field(l, "digest")
                && o.json.get("status").is_some()
        });
        assert!(refers, "the original of {} is indexed", l.json);
    }
}

/// The compressed length of the gzip member at `offset`.
fn member_length(path: &Path, offset: u64) -> u64 {
    let data = std::fs::read(path).expect("WARC file");
    let mut cursor = std::io::Cursor::new(&data[offset as usize..]);
    let mut dec = flate2::bufread::GzDecoder::new(&mut cursor);
    std::io::copy(&mut dec, &mut std::io::sink()).expect("one gzip member");
    cursor.position()
}

/// pywb's `cdx-indexer` over the same WARC files writes the same CDXJ,
/// when pywb is installed (required with CITEVAULT_REQUIRE_PYWB=1).
fn pywb_indexes_alike(archive: &Path, ours: &str) {
    let Some(bin) = tool("PYWB_BIN", "cdx-indexer", "CITEVAULT_REQUIRE_PYWB") else {
        return;
    };
    let out = Command::new(&bin)
        .args(["-j", "-s", "-r", "-d"])
        .arg(archive)
        .arg(archive.join("warc"))
        .output()
        .expect("cdx-indexer runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), ours);
}

/// A tool of the web-archiving world: from `PYWB_BIN` (a folder) or `WACZ`
/// (the binary), else on PATH. `None` (skip, said on stderr) when it is
/// absent, unless `require` is set to 1.
fn tool(env: &str, name: &str, require: &str) -> Option<PathBuf> {
    let path = match std::env::var_os(env) {
        Some(v) if env == "PYWB_BIN" => PathBuf::from(v).join(name),
        Some(v) => PathBuf::from(v),
        None => PathBuf::from(name),
    };
    let runs = Command::new(&path).arg("--help").output().is_ok();
    let required = std::env::var(require).is_ok_and(|v| v == "1");
    if !runs {
        assert!(
            !required,
            "{name} is required ({require}=1) but cannot run: {}",
            path.display()
        );
        eprintln!(
            "{name} not installed ({}); skipping that check",
            path.display()
        );
        return None;
    }
    Some(path)
}

struct Wacz {
    entries: HashMap<String, (zip::CompressionMethod, Vec<u8>)>,
}

impl Wacz {
    fn open(path: &Path) -> Wacz {
        let file = std::fs::File::open(path).expect("WACZ exists");
        let mut zip = zip::ZipArchive::new(file).expect("a zip");
        let mut entries = HashMap::new();
        for i in 0..zip.len() {
            let mut e = zip.by_index(i).expect("entry");
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).expect("entry reads");
            let name = e.name().expect("a UTF-8 entry name").to_string();
            entries.insert(name, (e.compression(), bytes));
        }
        Wacz { entries }
    }

    fn bytes(&self, name: &str) -> &[u8] {
        &self
            .entries
            .get(name)
            .unwrap_or_else(|| panic!("{name} in the WACZ"))
            .1
    }

    fn json_lines(&self, name: &str) -> Vec<serde_json::Value> {
        String::from_utf8_lossy(self.bytes(name))
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON line"))
            .collect()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wacz_holds_stored_warcs_hashed_manifest_and_cited_pages_and_validates() {
    let fx = Fixture::new().await;
    let path = fx.dir.join("out").join("citations.wacz");
    std::fs::create_dir(fx.dir.join("out")).expect("out dir");
    let out = fx.export(&["--format", "wacz", "-o", &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let names: Vec<_> = std::fs::read_dir(fx.dir.join("out"))
        .expect("dir")
        .collect();
    assert_eq!(names.len(), 1, "no temporary file is left beside the WACZ");
    let wacz = Wacz::open(&path);

    // Every WARC file, whole and uncompressed in the zip.
    let warcs: Vec<PathBuf> = walkdir::WalkDir::new(Path::new(&fx.archive).join("warc"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    assert_eq!(warcs.len(), 2, "one WARC file per run");
    for w in &warcs {
        let name = format!("archive/{}", w.file_name().expect("name").to_string_lossy());
        let (method, bytes) = &wacz.entries[&name];
        assert_eq!(*method, zip::CompressionMethod::Stored, "{name}");
        assert_eq!(bytes, &std::fs::read(w).expect("WARC"), "{name}");
    }

    // The manifest lists every file with its hash and size; its digest file hashes it.
    let manifest: serde_json::Value =
        serde_json::from_slice(wacz.bytes("datapackage.json")).expect("JSON");
    assert_eq!(manifest["profile"], "data-package");
    assert_eq!(manifest["wacz_version"], "1.1.1");
    assert!(manifest["created"]
        .as_str()
        .is_some_and(|c| c.ends_with('Z')));
    let listed: BTreeSet<String> = manifest["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(|r| {
            let path = r["path"].as_str().expect("path");
            let bytes = wacz.bytes(path);
            assert_eq!(r["hash"], sha(bytes), "{path}");
            assert_eq!(r["bytes"], bytes.len(), "{path}");
            path.to_string()
        })
        .collect();
    let contained: BTreeSet<String> = wacz
        .entries
        .keys()
        .filter(|k| !k.starts_with("datapackage"))
        .cloned()
        .collect();
    assert_eq!(listed, contained);
    let digest: serde_json::Value =
        serde_json::from_slice(wacz.bytes("datapackage-digest.json")).expect("JSON");
    assert_eq!(digest["path"], "datapackage.json");
    assert_eq!(digest["hash"], sha(wacz.bytes("datapackage.json")));

    // The index names the flat file names; the pages are the cited URLs.
    for l in parse_cdxj(&String::from_utf8_lossy(wacz.bytes("indexes/index.cdx"))) {
        assert!(wacz
            .entries
            .contains_key(&format!("archive/{}", field(&l, "filename"))));
    }
    let pages = wacz.json_lines("pages/pages.jsonl");
    assert_eq!(
        pages[0],
        serde_json::json!({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"})
    );
    let by_url: HashMap<&str, &serde_json::Value> = pages[1..]
        .iter()
        .map(|p| (p["url"].as_str().expect("url"), p))
        .collect();
    assert_eq!(by_url.len(), 3, "{pages:?}");
    assert_eq!(by_url[fx.urls[0].as_str()]["title"], "Version one");
    assert_eq!(
        by_url[fx.urls[1].as_str()]["title"],
        "Item 1",
        "no title: the citing headline"
    );
    for p in &pages[1..] {
        assert!(p["ts"]
            .as_str()
            .is_some_and(|t| t.parse::<citevault::model::Timestamp>().is_ok()));
        assert!(p["id"].as_str().is_some_and(|i| !i.is_empty()));
    }

    wacz_validates(&path);
    pywb_replays(&fx, &path, &pages[1..]);
}

/// `wacz validate` accepts the package (py-wacz; required with
/// CITEVAULT_REQUIRE_WACZ=1).
fn wacz_validates(path: &Path) {
    let Some(bin) = tool("WACZ", "wacz", "CITEVAULT_REQUIRE_WACZ") else {
        return;
    };
    let out = Command::new(bin)
        .args(["validate", "-f"])
        .arg(path)
        .output()
        .expect("wacz runs");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && said.contains("Validation succeeded"),
        "wacz validate: {said}{}",
        stderr(&out)
    );
}

/// pywb imports the WACZ (`wb-manager add --unpack-wacz`) and replays each
/// page at its capture time exactly as archived (`id_` mode): the page,
/// the 404, and the redirect, whose latest captures are revisits.
fn pywb_replays(fx: &Fixture, wacz: &Path, pages: &[serde_json::Value]) {
    let Some(manager) = tool("PYWB_BIN", "wb-manager", "CITEVAULT_REQUIRE_PYWB") else {
        return;
    };
    let root = fx.dir.join("pywb");
    std::fs::create_dir(&root).expect("pywb dir");
    for args in [
        vec!["init", "citevault"],
        vec!["add", "--unpack-wacz", "citevault"],
    ] {
        let mut cmd = Command::new(&manager);
        cmd.current_dir(&root).args(&args);
        if args[0] == "add" {
            cmd.arg(wacz);
        }
        let out = cmd.output().expect("wb-manager runs");
        assert!(
            out.status.success(),
            "wb-manager {args:?}: {}",
            stderr(&out)
        );
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let wayback = manager.with_file_name("wayback");
    let server = Server(
        Command::new(wayback)
            .current_dir(&root)
            .args(["-b", "127.0.0.1", "-p", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("wayback starts"),
    );
    let base = format!("http://127.0.0.1:{port}/citevault/");
    wait_for(&format!("{base}timemap/link/http://example.invalid/"));
    for page in pages {
        let url = page["url"].as_str().expect("url");
        let ts: citevault::model::Timestamp =
            page["ts"].as_str().expect("ts").parse().expect("time");
        let stamp = citevault::archive::export::timestamp14(ts);
        let (status, location, body) = get(&format!("{base}{stamp}id_/{url}"));
        let snap = fx.lookup(url)["snapshots"]
            .as_array()
            .expect("snapshots")
            .iter()
            .rfind(|s| s["fetched_at"] == page["ts"])
            .cloned()
            .expect("the page's capture");
        assert_eq!(status, snap["http_status"], "{url} replays with its status");
        match status {
            301 => assert!(location.ends_with("/article?b=2&a=1"), "{location}"),
            200 => assert_eq!(body, V1.as_bytes(), "{url}"),
            _ => assert_eq!(sha(&body), snap["sha256"], "{url}"),
        }
    }
    drop(server);
}

/// A process killed when dropped.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for(url: &str) {
    for _ in 0..150 {
        if std::net::TcpStream::connect(
            url::Url::parse(url)
                .expect("URL")
                .socket_addrs(|| None)
                .expect("addr")[0],
        )
        .is_ok()
        {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    panic!("pywb did not start: {url}");
}

/// GET without following redirects: status, Location, body.
fn get(url: &str) -> (u16, String, Vec<u8>) {
    let u = url::Url::parse(url).expect("URL");
    let mut stream =
        std::net::TcpStream::connect(u.socket_addrs(|| None).expect("addr")[0]).expect("connect");
    let target = &url[url.find(u.path()).expect("path")..];
    let request = format!(
        "GET {target} HTTP/1.0\r\nHost: {}\r\n\r\n",
        u.host_str().expect("host")
    );
    std::io::Write::write_all(&mut stream, request.as_bytes()).expect("request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("response");
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("head") + 4;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head[9..12].parse().expect("status");
    let location = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("Location: ")
                .or_else(|| l.strip_prefix("location: "))
        })
        .unwrap_or_default()
        .to_string();
    (status, location, raw[split..].to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lookup_link_is_a_timemap_of_every_capture() {
    let fx = Fixture::new().await;
    let url = &fx.urls[0];
    let base = "http://replay.example/coll";
    let out = run(&[
        "lookup",
        "--archive",
        &fx.archive,
        "--format",
        "link",
        "--replay-url",
        base,
        url,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let links = parse_link_format(&text);

    let times: BTreeSet<String> = fx.lookup(url)["snapshots"]
        .as_array()
        .expect("snapshots")
        .iter()
        .map(|s| s["fetched_at"].as_str().expect("time").to_string())
        .collect();
    let http = |t: &str| {
        httpdate::fmt_http_date(
            t.parse::<citevault::model::Timestamp>()
                .expect("time")
                .to_system_time(),
        )
    };
    let (first, last) = (
        times.first().expect("captures"),
        times.last().expect("captures"),
    );
    assert_eq!(
        links[0],
        (
            url.clone(),
            HashMap::from([("rel".into(), "original".into())])
        )
    );
    let own = &links[1].1;
    assert_eq!(links[1].0, format!("{base}/timemap/link/{url}"));
    assert_eq!(own["rel"], "self");
    assert_eq!(own["type"], "application/link-format");
    assert_eq!(own["from"], http(first));
    assert_eq!(own["until"], http(last));
    assert_eq!(
        links[2],
        (
            format!("{base}/{url}"),
            HashMap::from([("rel".into(), "timegate".into())])
        )
    );

    let mementos: Vec<&(String, HashMap<String, String>)> = links
        .iter()
        .filter(|(_, p)| p["rel"].contains("memento"))
        .collect();
    let expected: BTreeSet<(String, String)> = times
        .iter()
        .map(|t| {
            let ts: citevault::model::Timestamp = t.parse().expect("time");
            let stamp = citevault::archive::export::timestamp14(ts);
            (format!("{base}/{stamp}/{url}"), http(t))
        })
        .collect();
    let got: BTreeSet<(String, String)> = mementos
        .iter()
        .map(|(u, p)| (u.clone(), p["datetime"].clone()))
        .collect();
    assert_eq!(got, expected, "one memento per capture:\n{text}");
    assert_eq!(mementos.len(), times.len());
    assert_eq!(mementos[0].1["rel"], "first memento");
    assert_eq!(mementos[mementos.len() - 1].1["rel"], "last memento");

    let out = run(&[
        "lookup",
        "--archive",
        &fx.archive,
        "--format",
        "link",
        "http://never.example/",
    ]);
    assert_eq!(out.status.code(), Some(1));
}

/// `<uri>; k="v"; …` links separated by commas, parsed back.
fn parse_link_format(text: &str) -> Vec<(String, HashMap<String, String>)> {
    let re =
        regex::Regex::new(r#"<([^>]*)>((?:\s*;\s*[a-z]+="[^"]*")*)\s*(,|$)"#).expect("pattern");
    let param = regex::Regex::new(r#";\s*([a-z]+)="([^"]*)""#).expect("pattern");
    let links: Vec<_> = re
        .captures_iter(text.trim())
        .map(|c| {
            let params = param
                .captures_iter(&c[2])
                .map(|p| (p[1].to_string(), p[2].to_string()))
                .collect();
            (c[1].to_string(), params)
        })
        .collect();
    assert_eq!(
        links.len(),
        text.trim().split(",\n").count(),
        "every link parses:\n{text}"
    );
    links
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_or_missing_warc_or_an_empty_archive_is_an_error_naming_it() {
    let fx = Fixture::new().await;
    // An export that fails leaves what was there before and no temporary file.
    let wacz = fx.dir.join("keep.wacz");
    std::fs::write(&wacz, b"previous").expect("written");
    // Damage the middle of an indexed record's gzip member.
    let out = fx.export(&["--format", "cdxj"]);
    let lines = parse_cdxj(&String::from_utf8_lossy(&out.stdout));
    let line = &lines[0];
    let victim = &Path::new(&fx.archive).join(field(line, "filename"));
    let offset: usize = field(line, "offset").parse().expect("offset");
    let length: usize = field(line, "length").parse().expect("length");
    let mut damaged = std::fs::read(victim).expect("WARC");
    for b in &mut damaged[offset + length / 2..offset + length / 2 + 16] {
        *b ^= 0x5a;
    }
    std::fs::write(victim, &damaged).expect("damaged");
    let name = victim
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    for format in ["cdxj", "wacz"] {
        let out = fx.export(&["--format", format, "-o", &wacz.display().to_string()]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{format}: {err}");
        assert!(
            err.contains(&name) && err.contains("verify-archive"),
            "{format}: {err}"
        );
    }
    assert_eq!(std::fs::read(&wacz).expect("kept"), b"previous");
    let left: Vec<_> = std::fs::read_dir(&fx.dir)
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    std::fs::remove_file(victim).expect("removed");
    let out = fx.export(&["--format", "cdxj"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&name) && err.contains("No such file"), "{err}");

    let out = fx.export(&["--format", "wacz"]);
    assert!(stderr(&out).contains("-o FILE.wacz"), "{}", stderr(&out));
    let out = fx.export(&["--format", "wacz", "-o", "x.zip"]);
    assert!(
        stderr(&out).contains("must end in .wacz"),
        "{}",
        stderr(&out)
    );
    let out = fx.export(&["--format", "cdxj", "--since", "2999-01-01"]);
    assert!(
        stderr(&out).contains("holds no captures at or after 2999-01-01"),
        "{}",
        stderr(&out)
    );

    let empty = fx.dir.join("empty");
    let out = run(&[
        "export",
        "--format",
        "cdxj",
        "--archive",
        &empty.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no index.sqlite"), "{}", stderr(&out));
}
