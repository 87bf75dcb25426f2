//! One pipeline: `check` and `report` tell the same story, archived-copy
//! hints open the copy taken while the source was alive, every subcommand
//! reads `citevault.toml`, and the command line behaves in pipes and CI.

use crate::support;
use sha2::Digest;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;
use support::server::*;

fn citevault(args: &[&str], cwd: Option<&Path>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_citevault"));
    cmd.env("CITEVAULT_NO_REMOTE", "1");
    cmd.args(args)
        .env_remove("CITEVAULT_ARCHIVE")
        .env_remove("GITHUB_ACTIONS");
    if let Some(dir) = cwd {
        cmd.current_dir(dir);
    }
    cmd.output().expect("binary runs")
}

async fn run(args: &[&str]) -> Output {
    run_in(args, None).await
}

async fn run_in(args: &[&str], cwd: Option<&Path>) -> Output {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let cwd = cwd.map(Path::to_path_buf);
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        citevault(&args, cwd.as_deref())
    })
    .await
    .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes));
    })
}

/// A digest file `d.md` in `dir` with one story citing `url`.
fn one_story(dir: &Path, url: &str) -> std::path::PathBuf {
    let path = dir.join("d.md");
    std::fs::write(
        &path,
        format!("## A story\n\nBody.\n\nSource: [RFA, November 7, 2023]({url})\n"),
    )
    .unwrap();
    path
}

fn sha_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn article(title: &str) -> String {
    format!(
        "<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{}</p></article></body></html>",
        "Officials said on Friday that the measures would take effect next month. ".repeat(30)
    )
}

const NOT_FOUND: &str =
    "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>";

/// A digest with every shape a report must keep: a source line, a bare
/// URL, two unlinked sources on one line, an uncited item, footnotes with
/// markers, and one URL cited twice.
fn write_digest(dir: &Path, base: &str) -> String {
    let text = format!(
        "# Weekly digest

## Beijing weighs export curbs

Beijing is weighing new export controls on rare earths.

Source: [RFA, November 7, 2023]({base}/alive)

## Provincial official removed

The article reporting the removal has since vanished.

Source: Xinhua, November 2, 2025
{base}/vanishing

## Talks resume in Geneva

Negotiators met again this week.

Source: Reuters, Nov 1, 2025; AP, Nov 2, 2025

## Editor's note

No sources this week for this item; the editor wrote it.

## Two reports on the chip curbs

Officials confirmed the curbs[^1] and a second outlet added detail.[^2]

[^1]: DW, November 3, 2025, {base}/soft
[^2]: CNA, November 4, 2025, {base}/alive
"
    );
    let path = dir.join("digest.md");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// `report --format FORMAT` said what `check` wrote, timings aside.
fn assert_same_output(format: &str, checked: &str, reported: &str) {
    if format == "json" {
        let (mut c, mut r) = (json(checked.as_bytes()), json(reported.as_bytes()));
        without_timing(&mut c);
        without_timing(&mut r);
        assert_eq!(c, r, "report --format json differs from check");
    } else {
        let strip = regex::Regex::new(r#"time="[^"]*"|\d+ ms"#).unwrap();
        assert_eq!(
            strip.replace_all(checked, ""),
            strip.replace_all(reported, ""),
            "report --format {format} differs from check"
        );
    }
}

/// Drops what differs between two renderings of the same run by nature:
/// how long a request took.
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

fn citations(v: &serde_json::Value) -> Vec<serde_json::Value> {
    v["documents"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["citations"].as_array().unwrap().clone())
        .collect()
}

fn citation_of(v: &serde_json::Value, path: &str) -> serde_json::Value {
    citations(v)
        .into_iter()
        .find(|c| c["url"].as_str().is_some_and(|u| u.ends_with(path)))
        .unwrap_or_else(|| panic!("no citation of {path}"))
}

/// A citation without a URL is judged as of its run's start, by `check`
/// and by `report` alike, however much later the report is made.
#[tokio::test]
async fn an_unlinked_citation_keeps_its_runs_time_in_report() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let digest = dir.join("d.md");
    std::fs::write(
        &digest,
        "## A story\n\nBody of the story, long enough to read as one.\n\nSource: RFA, November 7, 2023\n",
    )
    .unwrap();
    let (digest, a) = (
        digest.display().to_string(),
        dir.join("archive").display().to_string(),
    );
    let out = run(&["check", "--archive", &a, "--format", "json", &digest]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let checked = json(&out.stdout);
    // Timestamps have one-second resolution: report in a later second.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let out = run(&["report", "--archive", &a, "--format", "json"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let reported = json(&out.stdout);
    let unlinked = &citations(&checked)[0]["check"];
    assert_eq!(unlinked["status"], "unlinked");
    assert_eq!(citations(&reported)[0]["check"], *unlinked);
}

#[tokio::test]
async fn report_renders_exactly_what_check_reported_and_hints_open_the_last_good_copy() {
    let alive = article("Export curbs weighed");
    let srv = serve(
        "127.0.0.1",
        vec![
            ("/alive", Reply::Etag("\"v1\"", alive.clone())),
            (
                "/vanishing",
                Reply::Sequence(vec![
                    html(200, &article("Official removed from post")),
                    html(404, NOT_FOUND),
                ]),
            ),
            (
                "/soft",
                Reply::Sequence(vec![
                    html(200, &article("Chip curbs detailed")),
                    redirect(302, "/"),
                ]),
            ),
            ("/", html(200, &article("Front page"))),
        ],
    )
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let digest = write_digest(dir, &srv.url(""));
    let a = dir.join("archive").display().to_string();
    let out = run(&["check", "--allow-private", "--archive", &a, &digest]).await;
    assert_eq!(out.status.code(), Some(0), "first run: {}", stderr(&out));
    // Snapshot times have one-second resolution: keep the runs apart.
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let o = |name: &str| dir.join(name).display().to_string();
    let out = run(&[
        "check",
        "--allow-private",
        "--archive",
        &a,
        "-o",
        &o("check.txt"),
        "--output-json",
        &o("check.json"),
        "--output-markdown",
        &o("check.md"),
        "--output-junit",
        &o("check.xml"),
        "--output-html",
        &o("check.html"),
        &digest,
    ])
    .await;
    assert_eq!(out.status.code(), Some(2), "second run: {}", stderr(&out));
    let fetched = srv.seen().len();

    for (format, ext) in [
        ("text", "txt"),
        ("json", "json"),
        ("markdown", "md"),
        ("junit", "xml"),
        ("html", "html"),
    ] {
        let file = o(&format!("report.{ext}"));
        let out = run(&["report", "--archive", &a, "--format", format, "-o", &file]).await;
        assert_eq!(
            out.status.code(),
            Some(2),
            "report {format}: {}",
            stderr(&out)
        );
        let checked = std::fs::read_to_string(o(&format!("check.{ext}"))).unwrap();
        let reported = std::fs::read_to_string(&file).unwrap();
        assert_same_output(format, &checked, &reported);
    }
    assert_eq!(srv.seen().len(), fetched, "report fetched nothing");

    let v = json(&std::fs::read(o("check.json")).unwrap());
    let items = v["documents"][0]["items"].as_array().unwrap();
    assert_eq!(items.len(), 5, "the uncited item is kept: {items:#?}");
    assert_eq!(items[3]["title"], "Editor's note");
    let unlinked: Vec<_> = items[2]["citations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["outlet"].as_str().unwrap(), c["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(unlinked, [("Reuters", 20), ("AP", 20)]);
    let footnote = &items[4]["citations"][0];
    assert_eq!(
        (footnote["via"].as_str(), footnote["marker"].as_u64()),
        (Some("footnote"), Some(1))
    );

    // A 304 revisit is reported with the payload it confirms.
    let c = citation_of(&v, "/alive");
    assert_eq!(c["check"]["http_status"], 304);
    assert_eq!(c["check"]["sha256"], sha_hex(alive.as_bytes()));
    assert_eq!(c["check"]["title"], "Export curbs weighed");
    assert_eq!(
        c["archive"]["sha256"],
        format!("sha256:{}", sha_hex(alive.as_bytes()))
    );

    // Dead now: failing since this run, last good copy from the first run.
    for path in ["/vanishing", "/soft"] {
        let c = citation_of(&v, path);
        let copy = &c["archive"];
        let (good, since) = (copy["last_good"].as_str(), copy["failing_since"].as_str());
        assert!(good.is_some() && since.is_some(), "{path}: {copy}");
        assert!(
            good < since,
            "{path}: the last good copy predates the failure: {copy}"
        );
        let show = copy["show"].as_str().unwrap();
        assert!(
            show.contains(&format!("--at {}", good.unwrap())) && show.contains("--archive"),
            "{show}"
        );
        // The hint, run as written, prints the article, not the error page.
        let words: Vec<&str> = show.split_whitespace().skip(1).collect();
        let out = run(&words).await;
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("Officials said on Friday") && !text.contains("Front page"),
            "{path}: {show} printed {text}"
        );
        let out = run(&[
            "show",
            "--archive",
            &a,
            "--last-good",
            c["url"].as_str().unwrap(),
        ])
        .await;
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            text,
            "show --last-good"
        );
    }
    let soft = citation_of(&v, "/soft");
    assert_eq!(soft["check"]["status"], "soft-404", "{soft}");

    // show --raw prints the payload as sent: its sha256 is the archive's.
    let url = srv.url("/alive");
    let raw = run(&["show", "--archive", &a, "--raw", &url]).await;
    assert_eq!(raw.stdout, alive.as_bytes());
    let lookup = json(
        &run(&["lookup", "--archive", &a, "--format", "json", &url])
            .await
            .stdout,
    );
    let latest = lookup["snapshots"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(latest["record_type"], "revisit");
    assert_eq!(latest["sha256"], format!("sha256:{}", sha_hex(&raw.stdout)));
    // show --http of a 304 revisit: the response it confirmed, never a 304 head over a body.
    let http = run(&["show", "--archive", &a, "--http", &url]).await;
    assert!(
        http.stdout.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&http.stdout)
    );
    assert!(http.stdout.ends_with(alive.as_bytes()));
}

#[tokio::test]
async fn overrides_and_marks_are_reported_as_such_and_report_says_what_check_said() {
    let srv = serve(
        "127.0.0.1",
        vec![
            ("/gone", html(404, NOT_FOUND)),
            (
                "/paywall",
                html(403, "<html><body>Subscribe to read</body></html>"),
            ),
            ("/fine", html(200, &article("Another story now"))),
        ],
    )
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("d.md"),
        format!(
            "## Moved story\n\nBody.\n\nSource: [RFA, November 7, 2023]({gone})\n\n\
             ## Paywalled story\n\nBody.\n\nSource: [DW, November 8, 2023]({paywall})\n\n\
             ## Replaced story\n\nBody.\n\nSource: [CNA, November 9, 2023]({fine})\n",
            gone = srv.url("/gone"),
            paywall = srv.url("/paywall"),
            fine = srv.url("/fine"),
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("citevault.toml"),
        format!(
            "[[override]]\nurl = \"{gone}\"\nstatus = \"alive\"\nreason = \"moved to the print edition\"\n\n\
             [[override]]\nurl = \"{paywall}\"\nstatus = \"dead\"\nreason = \"loses to the mark\"\n\n\
             [[override]]\nprefix = \"{base}/pay\"\nstatus = \"error\"\nreason = \"loses to the exact entries\"\n\n\
             [[override]]\nurl = \"{fine}\"\nstatus = \"soft-404\"\nreason = \"the article was replaced by another story\"\n",
            gone = srv.url("/gone"),
            paywall = srv.url("/paywall"),
            base = srv.url(""),
            fine = srv.url("/fine"),
        ),
    )
    .unwrap();
    let cwd = Some(dir);
    let paywall = srv.url("/paywall");
    let mark = [
        "mark",
        &paywall,
        "--status",
        "alive",
        "--reason",
        "readers get through",
    ];
    // Marks live in the archive: none yet.
    let out = run_in(&mark, cwd).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("no archive"), "{}", stderr(&out));
    assert!(!dir.join("archive").exists(), "mark creates no archive");

    let out = run_in(&["check", "--allow-private", "d.md"], cwd).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = run_in(&mark, cwd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("mark of "));
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let out = run_in(
        &[
            "check",
            "--allow-private",
            "-o",
            "check.txt",
            "--output-json",
            "check.json",
            "--output-markdown",
            "check.md",
            "--output-junit",
            "check.xml",
            "--output-html",
            "check.html",
            "d.md",
        ],
        cwd,
    )
    .await;
    // The override to soft-404 fails the run, as --fail-on says.
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    for (format, ext) in [
        ("text", "txt"),
        ("json", "json"),
        ("markdown", "md"),
        ("junit", "xml"),
        ("html", "html"),
    ] {
        let file = format!("report.{ext}");
        let out = run_in(&["report", "--format", format, "-o", &file], cwd).await;
        assert_eq!(
            out.status.code(),
            Some(2),
            "report {format}: {}",
            stderr(&out)
        );
        let checked = std::fs::read_to_string(dir.join(format!("check.{ext}"))).unwrap();
        let reported = std::fs::read_to_string(dir.join(&file)).unwrap();
        assert_same_output(format, &checked, &reported);
        assert!(checked.contains("overridden"), "{format}: {checked}");
    }

    let v = json(&std::fs::read(dir.join("check.json")).unwrap());
    assert_eq!(v["summary"]["overridden"], 3, "{v:#}");
    let gone = citation_of(&v, "/gone");
    assert_eq!(gone["check"]["status"], "alive");
    assert_eq!(
        gone["check"]["reason"],
        "overridden: moved to the print edition"
    );
    let o = &gone["check"]["overridden"];
    assert_eq!(
        (o["status"].as_str(), o["by"].as_str()),
        (Some("dead"), Some("citevault.toml"))
    );
    assert!(o["reason"].as_str().unwrap().contains("404"), "{o}");
    // The mark wins over the config file's exact entry and prefix.
    let pay = citation_of(&v, "/paywall");
    assert_eq!(pay["check"]["status"], "alive");
    assert_eq!(pay["check"]["reason"], "overridden: readers get through");
    assert_eq!(pay["check"]["overridden"]["status"], "blocked");
    assert!(pay["check"]["overridden"]["by"]
        .as_str()
        .unwrap()
        .starts_with("mark of 20"));
    let fine = citation_of(&v, "/fine");
    assert_eq!(fine["check"]["status"], "soft-404");
    assert_eq!(fine["check"]["overridden"]["status"], "alive");

    let text = std::fs::read_to_string(dir.join("check.txt")).unwrap();
    assert!(
        text.contains("alive (overridden by citevault.toml; checker said dead: 404"),
        "{text}"
    );
    assert!(text.contains("(3 overridden)"), "{text}");
    let md = std::fs::read_to_string(dir.join("check.md")).unwrap();
    assert!(
        md.contains("| overridden | 3 |") && md.contains("## Overridden"),
        "{md}"
    );

    // History follows the reported status: the config file's entry made
    // /paywall dead in the first run, the mark alive in the second.
    let v = json(&run_in(&["history", "--format", "json"], cwd).await.stdout);
    let changes: Vec<(String, String, String)> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap().to_string();
            (s("url"), s("from"), s("to"))
        })
        .collect();
    assert!(
        changes.contains(&(paywall.clone(), "new".into(), "dead".into()))
            && changes.contains(&(paywall.clone(), "dead".into(), "alive".into())),
        "{changes:?}"
    );
    assert!(
        !changes.iter().any(|c| c.0.ends_with("/gone")),
        "{changes:?}"
    );
    // A page only an override calls alive is never the last good copy.
    let out = run_in(&["show", "--last-good", &paywall], cwd).await;
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = run_in(&["lookup", &srv.url("/gone")], cwd).await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("checker said dead"), "{text}");

    // Listing and taking back.
    let out = run_in(&["mark", "--list"], cwd).await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&paywall) && text.contains("readers get through"),
        "{text}"
    );
    let out = run_in(&["mark", &paywall, "--remove"], cwd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run_in(&["mark", &paywall, "--remove"], cwd).await;
    assert_eq!(out.status.code(), Some(1), "nothing left to take back");
    let out = run_in(&["mark", "--list", "--all", "--format", "json"], cwd).await;
    let v = json(&out.stdout);
    assert_eq!(v["marks"][0]["url"], paywall.as_str());
    assert!(v["marks"][0]["removed_at"].is_string(), "{v}");
    let out = run_in(&["mark", "--list"], cwd).await;
    assert_eq!(String::from_utf8_lossy(&out.stdout), "no marks in force\n");
}

#[tokio::test]
async fn history_is_in_time_order_with_citing_items_as_objects() {
    let srv = serve(
        "127.0.0.1",
        vec![
            (
                "/a",
                Reply::Sequence(vec![html(200, &article("A story")), html(404, NOT_FOUND)]),
            ),
            ("/b", html(410, NOT_FOUND)),
        ],
    )
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let digest = tmp.path().join("d.md");
    std::fs::write(
        &digest,
        format!(
            "## First story\n\nBody.\n\nSource: [RFA, November 7, 2023]({})\n\n## Second story\n\nBody.\n\nSource: [DW, November 8, 2023]({})\n",
            srv.url("/a"),
            srv.url("/b")
        ),
    )
    .unwrap();
    let (a, d) = (
        tmp.path().join("archive").display().to_string(),
        digest.display().to_string(),
    );
    for _ in 0..2 {
        run(&["check", "--allow-private", "--archive", &a, &d]).await;
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    let out = run(&["history", "--archive", &a, "--format", "json"]).await;
    let v = json(&out.stdout);
    let changes: Vec<(String, String, String)> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap().to_string();
            (s("url"), s("from"), s("to"))
        })
        .collect();
    // /b died first (run 1), /a later (run 2): time order, not URL order.
    assert_eq!(
        changes,
        [
            (srv.url("/b"), "new".into(), "dead".into()),
            (srv.url("/a"), "alive".into(), "dead".into()),
        ]
    );
    let by = &v["changes"][0]["cited_by"][0];
    assert_eq!(by["item"], "Second story");
    assert_eq!(by["document"], d.as_str());
    assert!(by["line"].as_u64().is_some(), "{by}");
}

#[tokio::test]
async fn every_subcommand_reads_the_config_file_and_its_archive_is_relative_to_it() {
    let srv = serve("127.0.0.1", vec![("/x", html(200, &article("A story")))]).await;
    let tmp = tempfile::tempdir().unwrap();
    let conf_dir = tmp.path().join("conf");
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&conf_dir).unwrap();
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(
        conf_dir.join("citevault.toml"),
        "archive = \"store\"\nallow_private = true\n",
    )
    .unwrap();
    let digest = one_story(&work, &srv.url("/x"));
    let conf = conf_dir.join("citevault.toml").display().to_string();
    let d = digest.display().to_string();
    // Run from a third folder: nothing may land relative to the cwd.
    let cwd = Some(tmp.path());
    // allow_private from a file needs the command line too.
    let out = run_in(&["check", "--allow-private", "-c", &conf, &d], cwd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        conf_dir.join("store/index.sqlite").exists(),
        "archive beside the config file"
    );
    assert!(!tmp.path().join("store").exists() && !tmp.path().join("archive").exists());
    let url = srv.url("/x");
    for args in [
        vec!["lookup", "-c", &conf, &url],
        vec!["show", "-c", &conf, &url],
        vec!["history", "-c", &conf],
        vec!["report", "-c", &conf],
        vec!["verify-archive", "-c", &conf],
        vec!["-c", &conf, "lookup", &url],
    ] {
        let out = run_in(&args, cwd).await;
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    }
    // The command line still wins over the file.
    let other = tmp.path().join("other").display().to_string();
    let out = run_in(&["lookup", "-c", &conf, "--archive", &other, &url], cwd).await;
    assert_eq!(
        out.status.code(),
        Some(1),
        "no archive there: {}",
        stderr(&out)
    );
    // An invalid file is exit code 3 for every subcommand.
    std::fs::write(conf_dir.join("citevault.toml"), "archiv = \"x\"\n").unwrap();
    let out = run_in(&["history", "-c", &conf], cwd).await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
}

#[tokio::test]
async fn check_never_reads_its_own_reports_or_archive_as_digests() {
    let srv = serve("127.0.0.1", vec![("/x", html(200, &article("A story")))]).await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("digests");
    std::fs::create_dir_all(&dir).unwrap();
    one_story(&dir, &srv.url("/x"));
    let p = |name: &str| dir.join(name).display().to_string();
    let json_out = tmp.path().join("out.json").display().to_string();
    for _ in 0..2 {
        let out = run(&[
            "check",
            "--allow-private",
            "--archive",
            &p("archive"),
            "--format",
            "markdown",
            "-o",
            &p("report.md"),
            "--output-html",
            &p("report.html"),
            "--output-json",
            &json_out,
            &dir.display().to_string(),
        ])
        .await;
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    // A stray digest-looking file inside the archive is not read either.
    std::fs::write(dir.join("archive/notes.md"), "## Not a digest\n").unwrap();
    let out = run(&[
        "check",
        "--allow-private",
        "--archive",
        &p("archive"),
        "--output-json",
        &json_out,
        &dir.display().to_string(),
    ])
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&std::fs::read(&json_out).unwrap());
    let sources: Vec<&str> = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, [p("d.md")]);
}

#[test]
fn output_to_a_closed_pipe_ends_quietly_with_success() {
    let tmp = tempfile::tempdir().unwrap();
    let digest = tmp.path().join("big.md");
    let mut text = String::new();
    for i in 0..5000 {
        text.push_str(&format!(
            "## Story number {i}\n\nBody of story {i}.\n\nSource: Reuters, Nov 1, 2025\n\n"
        ));
    }
    std::fs::write(&digest, text).unwrap();
    let a = tmp.path().join("archive").display().to_string();
    let d = digest.display().to_string();
    let out = citevault(&["check", "--archive", &a, &d], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for args in [vec!["extract", &d], vec!["report", "--archive", &a]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_citevault"))
            .env("CITEVAULT_NO_REMOTE", "1")
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 64];
        std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
        drop(stdout); // `| head -c 64`
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).is_empty(), "{args:?} said: {}", stderr(&out));
    }
}

#[tokio::test]
async fn progress_draws_when_asked_even_without_a_terminal() {
    let srv = serve("127.0.0.1", vec![("/x", html(200, &article("A story")))]).await;
    let tmp = tempfile::tempdir().unwrap();
    let digest = one_story(tmp.path(), &srv.url("/x"));
    let d = digest.display().to_string();
    let out = run(&["check", "--no-archive", "--allow-private", "--progress", &d]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1/1 URLs"),
        "no bar drawn: {:?}",
        stderr(&out)
    );
    let out = run(&["check", "--no-archive", "--allow-private", &d]).await;
    assert!(
        !stderr(&out).contains("URLs"),
        "no bar by default off a terminal"
    );
}

/// Copies a folder (the committed fixture) so a test may change it.
fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

fn user_version(archive: &Path) -> i64 {
    let db = rusqlite::Connection::open(archive.join("index.sqlite")).unwrap();
    db.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[tokio::test]
async fn an_archive_written_by_the_first_release_opens_upgrades_and_grows() {
    let tmp = tempfile::tempdir().unwrap();
    let old = tmp.path().join("archive");
    copy_dir(&support::fixture("archive-v0"), &old);
    assert_eq!(
        user_version(&old),
        0,
        "the fixture is the unversioned schema"
    );
    let a = old.display().to_string();

    let out = run(&["report", "--archive", &a, "--format", "json"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        user_version(&old),
        citevault::archive::schema::VERSION as i64
    );
    let v = json(&out.stdout);
    let statuses: Vec<String> = citations(&v)
        .iter()
        .map(|c| c["check"]["status"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(statuses, ["alive", "dead", "unlinked"], "{v:#}");
    // The old 304 row is reported with the payload it confirmed.
    let alive = citation_of(&v, "/news/alive.html");
    let url = alive["url"].as_str().unwrap().to_string();
    let raw = run(&["show", "--archive", &a, "--raw", &url]).await;
    assert_eq!(alive["check"]["sha256"], sha_hex(&raw.stdout));
    assert_eq!(alive["check"]["title"], "Export curbs weighed");
    let good = run(&["show", "--archive", &a, "--last-good", &url]).await;
    assert!(String::from_utf8_lossy(&good.stdout).contains("rare earths"));
    let out = run(&["verify-archive", "--archive", &a]).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // A new run appends to the upgraded archive.
    let srv = serve("127.0.0.1", vec![("/x", html(200, &article("A story")))]).await;
    let digest = one_story(tmp.path(), &srv.url("/x"));
    let d = digest.display().to_string();
    let out = run(&["check", "--allow-private", "--archive", &a, &d]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // `report` is the last run; `--since` gathers every document seen since.
    let v = json(
        &run(&["report", "--archive", &a, "--format", "json"])
            .await
            .stdout,
    );
    assert_eq!(v["summary"]["documents"], 1, "{v:#}");
    let v = json(
        &run(&[
            "report",
            "--archive",
            &a,
            "--since",
            "2020-01-01",
            "--format",
            "json",
        ])
        .await
        .stdout,
    );
    assert_eq!(v["summary"]["documents"], 2, "{v:#}");

    // An index from a newer release is refused, not misread.
    let db = rusqlite::Connection::open(old.join("index.sqlite")).unwrap();
    db.pragma_update(None, "user_version", 99).unwrap();
    drop(db);
    let out = run(&["lookup", "--archive", &a, &url]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("newer"), "{}", stderr(&out));
}

#[tokio::test]
async fn an_error_page_with_an_etag_never_becomes_alive_or_the_last_good_copy() {
    let srv = serve(
        "127.0.0.1",
        vec![(
            "/a",
            Reply::Sequence(vec![
                html(200, &article("The original story")),
                Reply::Etag(
                    "\"nf\"",
                    "<html><head><title>Page not found</title></head><body><h1>Page not found</h1></body></html>".into(),
                ),
            ]),
        )],
    )
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let digest = one_story(tmp.path(), &srv.url("/a"));
    let (a, d) = (
        tmp.path().join("archive").display().to_string(),
        digest.display().to_string(),
    );
    let mut last = serde_json::Value::Null;
    for _ in 0..3 {
        let out = run(&[
            "check",
            "--allow-private",
            "--format",
            "json",
            "--archive",
            &a,
            &d,
        ])
        .await;
        last = json(&out.stdout);
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    let c = citation_of(&last, "/a");
    assert_eq!(
        c["check"]["status"], "soft-404",
        "no 304 confirms an error page: {c}"
    );
    let out = run(&["show", "--archive", &a, "--last-good", &srv.url("/a")]).await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("The original story"), "{text}");
}

#[tokio::test]
async fn a_redirected_citation_shows_the_page_it_led_to_in_every_mode() {
    let page = article("Moved story");
    let srv = serve(
        "127.0.0.1",
        vec![
            ("/r", redirect(301, "/final")),
            ("/final", html(200, &page)),
        ],
    )
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let digest = one_story(tmp.path(), &srv.url("/r"));
    let (a, d) = (
        tmp.path().join("archive").display().to_string(),
        digest.display().to_string(),
    );
    let out = run(&[
        "check",
        "--allow-private",
        "--format",
        "json",
        "--archive",
        &a,
        &d,
    ])
    .await;
    let v = json(&out.stdout);
    let c = citation_of(&v, "/r");
    let at = c["archive"]["last_good"].as_str().unwrap().to_string();
    let url = srv.url("/r");
    for mode in ["--raw", "--http"] {
        let out = run(&["show", "--archive", &a, "--at", &at, mode, &url]).await;
        assert!(
            out.stdout.ends_with(page.as_bytes()),
            "{mode}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    let out = run(&["show", "--archive", &a, "--last-good", "--raw", &url]).await;
    assert_eq!(out.stdout, page.as_bytes());
}

#[tokio::test]
async fn a_compressed_page_has_one_digest_everywhere() {
    use std::io::Write;
    let page = article("Compressed story");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(page.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let srv = serve(
        "127.0.0.1",
        vec![(
            "/gz",
            Reply::Fixed(
                200,
                vec![
                    ("content-type", "text/html; charset=utf-8".into()),
                    ("content-encoding", "gzip".into()),
                ],
                gz.clone(),
            ),
        )],
    )
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let digest = one_story(tmp.path(), &srv.url("/gz"));
    let (a, d) = (
        tmp.path().join("archive").display().to_string(),
        digest.display().to_string(),
    );
    let v = json(
        &run(&[
            "check",
            "--allow-private",
            "--format",
            "json",
            "--archive",
            &a,
            &d,
        ])
        .await
        .stdout,
    );
    let c = citation_of(&v, "/gz");
    let raw = run(&["show", "--archive", &a, "--raw", &srv.url("/gz")])
        .await
        .stdout;
    assert_eq!(raw, gz, "the payload as sent");
    assert_eq!(c["check"]["sha256"], sha_hex(&gz));
    assert_eq!(c["archive"]["sha256"], format!("sha256:{}", sha_hex(&gz)));
    assert_eq!(c["check"]["title"], "Compressed story");
}

#[tokio::test]
async fn skipped_checks_neither_end_nor_extend_a_failing_streak() {
    let srv = serve("127.0.0.1", vec![("/gone", html(404, NOT_FOUND))]).await;
    let tmp = tempfile::tempdir().unwrap();
    let digest = one_story(tmp.path(), &srv.url("/gone"));
    let (a, d) = (
        tmp.path().join("archive").display().to_string(),
        digest.display().to_string(),
    );
    let check = |extra: &'static [&'static str]| {
        let (a, d) = (a.clone(), d.clone());
        async move {
            let mut args = vec![
                "check",
                "--allow-private",
                "--fail-after",
                "2",
                "--archive",
                &a,
            ];
            args.extend_from_slice(extra);
            args.push(&d);
            run(&args).await
        }
    };
    assert_eq!(
        check(&[]).await.status.code(),
        Some(0),
        "first failure: not yet confirmed"
    );
    assert_eq!(check(&["--exclude", "gone"]).await.status.code(), Some(0));
    assert_eq!(
        check(&[]).await.status.code(),
        Some(2),
        "second failure in a row"
    );
    let v = json(
        &run(&["history", "--archive", &a, "--format", "json"])
            .await
            .stdout,
    );
    let moves: Vec<String> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{}→{}",
                c["from"].as_str().unwrap(),
                c["to"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(moves, ["new→dead"]);
}

#[test]
fn a_closed_pipe_keeps_the_exit_code_of_check_and_ends_history_quietly() {
    // Many dead links: the report is long, the reader reads a line and goes.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let srv = rt.block_on(serve("127.0.0.1", vec![("*", html(404, NOT_FOUND))]));
    let tmp = tempfile::tempdir().unwrap();
    let digest = tmp.path().join("d.md");
    let text: String = (0..1500)
        .map(|i| {
            format!(
                "## Story {i}\n\nBody.\n\nSource: [RFA, November 7, 2023]({})\n\n",
                srv.url(&format!("/gone/{i}"))
            )
        })
        .collect();
    std::fs::write(&digest, text).unwrap();
    let (a, d) = (
        tmp.path().join("archive").display().to_string(),
        digest.display().to_string(),
    );
    let cases: [(&[&str], i32); 2] = [
        (
            &[
                "check",
                "--allow-private",
                "--host-request-interval",
                "0ms",
                "--host-concurrency",
                "8",
                "--archive",
                &a,
                &d,
            ],
            2,
        ),
        (&["history", "--archive", &a], 0),
    ];
    for (args, code) in cases {
        let mut child = Command::new(env!("CARGO_BIN_EXE_citevault"))
            .env("CITEVAULT_NO_REMOTE", "1")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 16];
        std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    }
    drop(rt);
}

#[test]
fn two_processes_opening_an_old_archive_upgrade_it_once() {
    for _ in 0..5 {
        let tmp = tempfile::tempdir().unwrap();
        let old = tmp.path().join("archive");
        copy_dir(&support::fixture("archive-v0"), &old);
        let a = old.display().to_string();
        let children: Vec<_> = ["report", "history", "lookup"]
            .iter()
            .map(|cmd| {
                let mut args = vec![*cmd, "--archive", &a];
                if *cmd == "lookup" {
                    args.push("http://127.0.0.1:18931/news/alive.html");
                }
                Command::new(env!("CARGO_BIN_EXE_citevault"))
                    .env("CITEVAULT_NO_REMOTE", "1")
                    .args(&args)
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(matches!(out.status.code(), Some(0 | 2)), "{}", stderr(&out));
        }
        assert_eq!(
            user_version(&old),
            citevault::archive::schema::VERSION as i64
        );
    }
}
