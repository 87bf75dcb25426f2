//! The archive under faults: a damaged record in the middle of a WARC file
//! is reported exactly and `--repair` keeps every readable record; an
//! archive that cannot be written can still be read.

use crate::support;
use citevault::archive::Archive;
use citevault::model::{CheckResult, CheckStatus, Checked, Exchange, Hop, Timestamp};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::server::*;

fn citevault(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_citevault"))
        .env("CITEVAULT_NO_REMOTE", "1")
        .args(args)
        .env_remove("CITEVAULT_ARCHIVE")
        .output()
        .expect("binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", text(&out.stdout), text(&out.stderr)))
}

fn url_of(i: usize) -> String {
    format!("https://www.example.org/story/{i}")
}

/// An archive of `n` snapshots (a request and a response record each, in
/// one WARC file); returns the bodies.
fn build_archive(dir: &Path, n: usize) -> Vec<Vec<u8>> {
    let mut archive = Archive::open(dir).unwrap();
    let mut rng = fastrand::Rng::with_seed(9);
    let mut bodies = Vec::new();
    for i in 0..n {
        let noise: String = (0..1500).map(|_| rng.alphanumeric()).collect();
        let body = format!(
            "<html><head><title>Story {i}</title></head><body><p>{noise}</p></body></html>"
        )
        .into_bytes();
        bodies.push(body.clone());
        let mut result = CheckResult::unlinked();
        result.status = CheckStatus::Alive;
        result.http_status = Some(200);
        let url = url_of(i);
        let mut checked = Checked {
            url: url.clone(),
            result,
            exchange: Some(Exchange {
                fetched_at: Timestamp::now(),
                hops: vec![Hop {
                    url,
                    fetched_at: Timestamp::now(),
                    request_head: format!(
                        "GET /story/{i} HTTP/1.1\r\nHost: www.example.org\r\n\r\n"
                    )
                    .into_bytes(),
                    status: 200,
                    status_line: "HTTP/1.1 200 OK".into(),
                    headers: vec![("content-type".into(), b"text/html".to_vec())],
                    body,
                    truncated: false,
                }],
            }),
            probe: None,
            requisites: Vec::new(),
        };
        archive.store(&mut checked).unwrap();
    }
    archive.commit().unwrap();
    drop(archive);
    bodies
}

struct Row {
    id: i64,
    url: String,
    file: String,
    offset: u64,
    length: u64,
}

fn rows(dir: &Path) -> Vec<Row> {
    let db = rusqlite::Connection::open(dir.join("index.sqlite")).unwrap();
    let mut stmt = db
        .prepare("SELECT id, url, warc_file, warc_offset, warc_length FROM snapshots ORDER BY warc_offset")
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok(Row {
                id: r.get(0)?,
                url: r.get(1)?,
                file: r.get(2)?,
                offset: r.get::<_, i64>(3)? as u64,
                length: r.get::<_, i64>(4)? as u64,
            })
        })
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    rows
}

/// Flips six bytes in the middle of the gzip member of the snapshot whose
/// record lies nearest `fraction` of its WARC file; returns that snapshot.
fn damage_at(dir: &Path, fraction: f64) -> Row {
    let all = rows(dir);
    let file = dir.join(&all[0].file);
    let len = std::fs::metadata(&file).unwrap().len();
    let target = (len as f64 * fraction) as u64;
    let row = all
        .into_iter()
        .min_by_key(|r| r.offset.abs_diff(target))
        .unwrap();
    let mut data = std::fs::read(&file).unwrap();
    let mid = (row.offset + row.length / 2) as usize;
    for b in &mut data[mid..mid + 6] {
        *b ^= 0x5a;
    }
    std::fs::write(&file, data).unwrap();
    row
}

#[test]
fn verify_names_exactly_the_damaged_record_and_reads_on_past_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("archive");
    build_archive(&dir, 300);
    let a = dir.display().to_string();
    let clean = json(&citevault(&[
        "verify-archive",
        "--archive",
        &a,
        "--format",
        "json",
    ]));
    let total = clean["records"].as_u64().unwrap();
    assert_eq!(total, 1 + 2 * 300, "{clean:#}");

    let bad = damage_at(&dir, 0.25);
    let range = format!(
        "{} bytes {}..{}",
        bad.file,
        bad.offset,
        bad.offset + bad.length
    );
    let out = citevault(&["verify-archive", "--archive", &a, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "damage is a problem");
    let v = json(&out);
    let damaged = v["damaged"].as_array().expect("a list of damaged records");
    assert_eq!(damaged.len(), 1, "{v:#}");
    assert!(damaged[0].as_str().unwrap().starts_with(&range), "{v:#}");
    assert_eq!(
        v["records"].as_u64().unwrap(),
        total - 1,
        "every other record is read"
    );
    assert!(v["truncated"].as_array().unwrap().is_empty(), "{v:#}");
    assert!(v["bad_digests"].as_array().unwrap().is_empty(), "{v:#}");
    let missing = v["missing"].as_array().unwrap();
    assert_eq!(missing.len(), 1, "{v:#}");
    assert!(
        missing[0]
            .as_str()
            .unwrap()
            .starts_with(&format!("snapshot {} ", bad.id)),
        "{v:#}"
    );

    let out = citevault(&["verify-archive", "--archive", &a]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(&format!("damaged record: {range}")),
        "{stdout}"
    );
    assert!(!stdout.contains("truncated"), "{stdout}");
    assert!(stdout.contains("archive has problems"), "{stdout}");
    assert!(!stdout.contains("archive OK"), "{stdout}");
}

#[test]
fn repair_keeps_every_readable_record_and_cuts_only_a_truncated_tail() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("archive");
    let bodies = build_archive(&dir, 300);
    let a = dir.display().to_string();
    let bad = damage_at(&dir, 0.5);
    // And a write cut short at the end, as by a run killed mid-record.
    let file = dir.join(&bad.file);
    let whole_len = std::fs::metadata(&file).unwrap().len();
    let mut data = std::fs::read(&file).unwrap();
    let last = rows(&dir).pop().unwrap();
    let member = data[last.offset as usize..(last.offset + last.length) as usize].to_vec();
    data.extend_from_slice(&member[..member.len() / 2]);
    std::fs::write(&file, data).unwrap();

    let out = citevault(&["verify-archive", "--archive", &a, "--repair"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "damage remains: {stdout}");
    assert!(!stdout.contains("archive OK"), "{stdout}");
    assert!(stdout.contains("archive has problems"), "{stdout}");
    assert!(
        stdout.contains(&format!("dropped index row of snapshot {} ", bad.id)),
        "{stdout}"
    );
    assert_eq!(
        stdout.matches("dropped index row").count(),
        1,
        "only the damaged record's row: {stdout}"
    );
    assert!(
        stdout.contains(&format!("cut to {whole_len} bytes")),
        "{stdout}"
    );
    assert_eq!(
        std::fs::metadata(&file).unwrap().len(),
        whole_len,
        "only the cut tail is removed; damaged bytes are kept"
    );

    // Every other snapshot is still listed and readable.
    for (i, body) in bodies.iter().enumerate() {
        let url = url_of(i);
        let v = json(&citevault(&[
            "lookup",
            "--archive",
            &a,
            "--format",
            "json",
            &url,
        ]));
        let n = v["snapshots"].as_array().unwrap().len();
        if url == bad.url {
            assert_eq!(n, 0, "{v:#}");
            continue;
        }
        assert_eq!(n, 1, "{url}: {v:#}");
        let out = citevault(&["show", "--archive", &a, "--raw", &url]);
        assert_eq!(out.status.code(), Some(0), "{url}: {}", text(&out.stderr));
        assert_eq!(&out.stdout, body, "{url}");
    }

    // The damage is still reported, and nothing else is.
    let out = citevault(&["verify-archive", "--archive", &a, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["damaged"].as_array().unwrap().len(), 1, "{v:#}");
    assert!(v["missing"].as_array().unwrap().is_empty(), "{v:#}");
    assert!(v["truncated"].as_array().unwrap().is_empty(), "{v:#}");
    assert_eq!(v["unindexed"], 0, "{v:#}");
}

/// How to run a command as a user who cannot write the archive: directly
/// when not root, else through `setpriv` or `runuser` as nobody. `None`
/// (the test is skipped) when neither works.
fn unprivileged(probe: &Path) -> Option<Vec<String>> {
    let uid = Command::new("id").arg("-u").output().ok()?;
    if text(&uid.stdout).trim() != "0" {
        return Some(Vec::new());
    }
    let candidates: [&[&str]; 2] = [
        &[
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
        ],
        &["runuser", "-u", "nobody", "--"],
    ];
    candidates.iter().find_map(|c| {
        let ok = Command::new(c[0])
            .args(&c[1..])
            .arg(probe)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        ok.then(|| c.iter().map(|s| s.to_string()).collect())
    })
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Copies `from` into `to`, files readable (0444) and folders listable
/// (0555) by anyone, nothing writable.
fn copy_read_only(from: &Path, to: &Path) {
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
            dirs.push(dest);
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
            set_mode(&dest, 0o444);
        }
    }
    for d in dirs.iter().rev() {
        set_mode(d, 0o555);
    }
}

/// Makes a folder made by [`copy_read_only`] writable again, so the
/// temporary folder can be removed when the tests do not run as root.
fn make_writable(dir: &Path) {
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_dir() {
            set_mode(entry.path(), 0o755);
        }
    }
}

/// Runs the binary (a copy anyone may execute) as the unprivileged user,
/// in `cwd`.
fn run_as(prefix: &[String], bin: &Path, cwd: &Path, args: &[&str]) -> Output {
    let mut cmd = match prefix.split_first() {
        Some((first, rest)) => {
            let mut c = Command::new(first);
            c.args(rest).arg(bin);
            c
        }
        None => Command::new(bin),
    };
    cmd.args(args)
        .current_dir(cwd)
        .env("CITEVAULT_NO_REMOTE", "1")
        .env_remove("CITEVAULT_ARCHIVE")
        .output()
        .expect("binary runs")
}

/// A folder anyone can enter, holding a copy of the binary anyone can run.
fn public_place() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    set_mode(tmp.path(), 0o755);
    let bin = tmp.path().join("citevault");
    if std::fs::hard_link(env!("CARGO_BIN_EXE_citevault"), &bin).is_err() {
        std::fs::copy(env!("CARGO_BIN_EXE_citevault"), &bin).unwrap();
        set_mode(&bin, 0o755);
    }
    (tmp, bin)
}

#[tokio::test]
async fn a_read_only_archive_can_be_read() {
    let (tmp, bin) = public_place();
    let Some(prefix) = unprivileged(&bin) else {
        eprintln!(
            "note: skipped: running as root and neither setpriv nor runuser can drop privileges"
        );
        return;
    };
    let body = "<html><head><title>Kept story</title></head><body><p>What was said, word for word.</p></body></html>";
    let srv = serve(
        "127.0.0.1",
        vec![("/kept", html(200, body)), ("/gone", html(404, "Not here"))],
    )
    .await;
    let url = srv.url("/kept");
    let gone = srv.url("/gone");
    let work = tempfile::tempdir().unwrap();
    let source = work.path().join("archive");
    let digest = work.path().join("digest.md");
    std::fs::write(
        &digest,
        format!(
            "## Kept\n\nBody.\n\nSource: [RFA, November 7, 2023]({url})\n\n\
             ## Gone\n\nBody.\n\nSource: [RFA, November 8, 2023]({gone})\n"
        ),
    )
    .unwrap();
    let args = [
        "check",
        "--allow-private",
        "--archive",
        &source.display().to_string(),
        &digest.display().to_string(),
    ]
    .map(str::to_string);
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_citevault"))
            .env("CITEVAULT_NO_REMOTE", "1")
            .args(&args)
            .env_remove("CITEVAULT_ARCHIVE")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let _ = std::fs::remove_file(source.join(".lock"));

    let place = tmp.path().join("ro");
    copy_read_only(&source, &place);
    let a = place.display().to_string();
    let run = |args: &[&str]| run_as(&prefix, &bin, tmp.path(), args);

    // The archive really is read-only for that user.
    let probe = place.join("probe");
    let touch = prefix
        .iter()
        .map(String::as_str)
        .chain(["touch", probe.to_str().unwrap()])
        .collect::<Vec<_>>();
    let out = Command::new(touch[0]).args(&touch[1..]).output().unwrap();
    assert!(
        !out.status.success() && !probe.exists(),
        "the folder is writable"
    );

    let out = run(&["lookup", "--archive", &a, "--format", "json", &url]);
    assert_eq!(out.status.code(), Some(0), "lookup: {}", text(&out.stderr));
    assert_eq!(json(&out)["snapshots"].as_array().unwrap().len(), 1);
    let out = run(&["show", "--archive", &a, "--raw", &url]);
    assert_eq!(out.status.code(), Some(0), "show: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), body);
    let out = run(&["show", "--archive", &a, &url]);
    assert!(
        text(&out.stdout).contains("word for word"),
        "{}",
        text(&out.stderr)
    );
    let out = run(&["history", "--archive", &a]);
    assert_eq!(out.status.code(), Some(0), "history: {}", text(&out.stderr));
    assert!(text(&out.stdout).contains(&gone), "{}", text(&out.stdout));
    let out = run(&["report", "--archive", &a, "--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "report: {}", text(&out.stderr));
    assert_eq!(json(&out)["summary"]["documents"], 1);
    let out = run(&["verify-archive", "--archive", &a]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "verify: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let left: Vec<String> = std::fs::read_dir(&place)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !left
            .iter()
            .any(|f| f.contains("-wal") || f.contains("-shm")),
        "{left:?}"
    );
    make_writable(&place);
}

#[test]
fn an_old_read_only_index_is_refused_with_a_way_out() {
    let (tmp, bin) = public_place();
    let Some(prefix) = unprivileged(&bin) else {
        eprintln!(
            "note: skipped: running as root and neither setpriv nor runuser can drop privileges"
        );
        return;
    };
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/archive-v0");
    let place = tmp.path().join("old");
    copy_read_only(&fixture, &place);
    let a = place.display().to_string();
    for args in [
        vec![
            "lookup",
            "--archive",
            &a,
            "https://www.rfa.org/english/news/alive.html",
        ],
        vec!["report", "--archive", &a],
        vec!["history", "--archive", &a],
    ] {
        let out = run_as(&prefix, &bin, tmp.path(), &args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(err.contains("schema version 0"), "{err}");
        assert!(err.contains("citevault verify-archive --archive"), "{err}");
        assert!(err.contains("write access"), "{err}");
    }
    let db = rusqlite::Connection::open_with_flags(
        place.join("index.sqlite"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let v: i64 = db
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 0, "nothing was written");
    drop(db);
    make_writable(&place);
}

/// Stores `body` for `url` as a one-hop exchange (a revisit when the
/// archive already holds that payload).
fn store_page(archive: &mut Archive, url: &str, body: &[u8], at: u64) {
    let mut result = CheckResult::unlinked();
    result.status = CheckStatus::Alive;
    result.http_status = Some(200);
    result.title = Some("Shared".into());
    result.sha256 = Some({
        use sha2::Digest;
        let d = sha2::Sha256::digest(body);
        d.iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
            .parse()
            .unwrap()
    });
    let hop = Hop {
        url: url.to_string(),
        fetched_at: Timestamp(at),
        request_head: b"GET / HTTP/1.1\r\nHost: www.example.org\r\n\r\n".to_vec(),
        status: 200,
        status_line: "HTTP/1.1 200 OK".into(),
        headers: vec![("content-type".into(), b"text/html".to_vec())],
        body: body.to_vec(),
        truncated: false,
    };
    let mut checked = Checked {
        url: url.to_string(),
        result,
        exchange: Some(Exchange {
            fetched_at: Timestamp(at),
            hops: vec![hop],
        }),
        probe: None,
        requisites: Vec::new(),
    };
    archive.store(&mut checked).unwrap();
}

#[test]
fn repairing_a_damaged_original_keeps_its_revisits_readable_in_the_index() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("archive");
    let noise: String = (0..3000).map(|_| fastrand::alphanumeric()).collect();
    let body = format!("<html><head><title>Shared</title></head><body>{noise}</body></html>");
    {
        let mut archive = Archive::open(&dir).unwrap();
        let t = Timestamp::now().0;
        store_page(&mut archive, &url_of(0), body.as_bytes(), t);
        // Re-checked unchanged a day later, and the same payload at another URL.
        store_page(&mut archive, &url_of(0), body.as_bytes(), t + 86_400);
        store_page(&mut archive, &url_of(1), body.as_bytes(), t + 86_400);
        archive.commit().unwrap();
    }
    let all = rows(&dir);
    assert_eq!(all.len(), 3);
    let original = all.iter().min_by_key(|r| r.offset).unwrap();
    let file = dir.join(&original.file);
    let mut data = std::fs::read(&file).unwrap();
    let mid = (original.offset + original.length / 2) as usize;
    for b in &mut data[mid..mid + 6] {
        *b ^= 0x5a;
    }
    std::fs::write(&file, data).unwrap();

    let a = dir.display().to_string();
    let out = citevault(&["verify-archive", "--archive", &a, "--repair"]);
    assert!(
        text(&out.stdout).contains(&format!("dropped index row of snapshot {}", original.id)),
        "{}{}",
        text(&out.stdout),
        text(&err(&out))
    );
    // The revisits stay in the index, still saying what payload they stood for.
    let want = {
        use sha2::Digest;
        let d = sha2::Sha256::digest(body.as_bytes());
        d.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    // The check whose snapshot was dropped still says what it received.
    let archive = Archive::open_read_only(&dir).unwrap();
    for check in archive.checks(&url_of(0)).unwrap() {
        let r = archive.check_result(&check).unwrap();
        assert_eq!(
            r.sha256.map(|d| d.to_string()),
            Some(want.clone()),
            "{check:?}"
        );
        assert_eq!(r.title.as_deref(), Some("Shared"), "{check:?}");
        assert_eq!(check.sha256.as_deref(), Some(want.as_str()), "{check:?}");
    }
    drop(archive);
    for i in 0..2 {
        let out = citevault(&["lookup", "--archive", &a, "--format", "json", &url_of(i)]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&err(&out)));
        let v = json(&out);
        let snaps = v["snapshots"].as_array().unwrap();
        assert!(!snaps.is_empty(), "{v:#}");
        for s in snaps {
            assert_eq!(s["record_type"], "revisit", "{v:#}");
            assert_eq!(s["sha256"], format!("sha256:{want}"), "{v:#}");
            assert_eq!(s["size"], body.len(), "{v:#}");
        }
    }
}

fn err(out: &Output) -> Vec<u8> {
    out.stderr.clone()
}
