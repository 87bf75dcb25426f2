//! Untrusted config files and inputs: a `citevault.toml` from a pull request
//! cannot widen what a run reaches or reads, no error quotes a file's text,
//! inputs that never end are refused, and credentials in cited URLs are
//! never sent, stored or printed.
#![cfg(unix)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A secret the environment of every run holds, as a CI token would.
const SECRET: &str = "ghp_UntrustedConfigS3cretValue";

/// Runs the binary in `dir` with `stdin`, killing it after 60 s (a FIFO
/// input used to hang forever).
fn run(dir: &Path, args: &[&str], stdin: Stdio) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_citevault"))
        .env("CITEVAULT_NO_REMOTE", "1")
        .args(args)
        .current_dir(dir)
        .env_remove("CITEVAULT_ARCHIVE")
        .env("CITEVAULT_TEST_SECRET", SECRET)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().expect("kill");
            panic!("citevault {args:?} did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn cv(dir: &Path, args: &[&str]) -> Output {
    run(dir, args, Stdio::null())
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn write(path: impl AsRef<Path>, text: &str) {
    std::fs::write(path, text).expect("write test file");
}

/// A server on 127.0.0.1 that answers every request with a page and keeps
/// the raw request heads.
fn raw_server() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let log = log.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream);
                loop {
                    let mut head = String::new();
                    loop {
                        let mut line = String::new();
                        match reader.read_line(&mut line) {
                            Ok(0) | Err(_) => return,
                            Ok(_) => {}
                        }
                        let end = line == "\r\n";
                        head.push_str(&line);
                        if end {
                            break;
                        }
                    }
                    let head_only = head.starts_with("HEAD ");
                    // A page that does not exist is a 404, so pages are alive.
                    let missing = head
                        .lines()
                        .next()
                        .is_some_and(|l| l.contains("citevault-"));
                    log.lock().unwrap().push(head);
                    let body = "<html><head><title>A page</title></head><body><p>The text of the page, long enough to be an article.</p></body></html>";
                    let reply = format!(
                        "HTTP/1.1 {}\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{}",
                        if missing { "404 Not Found" } else { "200 OK" },
                        body.len(),
                        if head_only { "" } else { body }
                    );
                    if reader.get_mut().write_all(reply.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (format!("127.0.0.1:{}", addr.port()), seen)
}

// ---------------------------------------------------------------------------
// 1. A config file cannot widen what a run reaches or reads.

#[test]
fn allow_private_in_a_config_file_needs_the_command_line() {
    let (host, seen) = raw_server();
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path().join("citevault.toml"),
        "allow_private = true\nno_archive = true\n",
    );
    write(
        tmp.path().join("d.md"),
        &format!("## A\n\nSee http://{host}/page.\n"),
    );
    let out = cv(tmp.path(), &["check", "d.md"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("citevault.toml")
            && err.contains("allow_private")
            && err.contains("--allow-private"),
        "{err}"
    );
    assert!(seen.lock().unwrap().is_empty(), "nothing fetched");

    // Given on the command line too: the run goes ahead.
    let out = cv(tmp.path(), &["check", "--allow-private", "d.md"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(seen.lock().unwrap().iter().any(|h| h.contains(" /page ")));

    // `false` narrows, and is fine; other subcommands do not use the key.
    write(
        tmp.path().join("citevault.toml"),
        "allow_private = false\nno_archive = true\n",
    );
    let out = cv(tmp.path(), &["check", "d.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    write(tmp.path().join("citevault.toml"), "allow_private = true\n");
    let out = cv(tmp.path(), &["extract", "d.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn an_archive_outside_the_config_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let conf = tmp.path().join("repo");
    let outside = tmp.path().join("elsewhere");
    std::fs::create_dir_all(conf.join("sub")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, conf.join("link")).unwrap();
    write(conf.join("d.txt"), "nothing cited\n");
    let abs = outside.join("store").display().to_string();
    for (value, why) in [
        (abs.as_str(), "absolute"),
        ("../elsewhere/store", "outside"),
        ("sub/../../elsewhere", "outside"),
        ("link/store", "outside"),
        ("new/../link/store", "outside"),
    ] {
        write(
            conf.join("citevault.toml"),
            &format!("archive = {value:?}\n"),
        );
        for args in [
            &["check", "d.txt"][..],
            &["lookup", "https://example.com/"],
            &["history"],
            &["verify-archive"],
            &["report"],
            &["show", "https://example.com/"],
        ] {
            let out = cv(&conf, args);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(3), "{value} {args:?}: {err}");
            assert!(
                err.contains("citevault.toml")
                    && err.contains("archive is refused")
                    && err.contains(why),
                "{value} {args:?}: {err}"
            );
            assert!(err.contains("--archive"), "{err}");
            assert!(!err.contains(value), "the file's text is not quoted: {err}");
        }
        assert!(
            !outside.join("store").exists(),
            "{value}: nothing written outside"
        );
        // The command line (or the environment) overrides the key: no refusal.
        let out = cv(&conf, &["check", "--archive", &abs, "d.txt"]);
        assert_eq!(out.status.code(), Some(0), "{value}: {}", stderr(&out));
        std::fs::remove_dir_all(outside.join("store")).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_citevault"))
            .env("CITEVAULT_NO_REMOTE", "1")
            .args(["check", "d.txt"])
            .current_dir(&conf)
            .env("CITEVAULT_ARCHIVE", conf.join("envstore"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{value}: {}", stderr(&out));
    }
    // Inside the folder, even through `..` that comes back or a symlink
    // that stays inside.
    std::os::unix::fs::symlink(conf.join("sub"), conf.join("inner")).unwrap();
    for value in [
        "store",
        "./sub/../store2",
        "inner/store",
        "sub/new/../../store3",
    ] {
        write(
            conf.join("citevault.toml"),
            &format!("archive = {value:?}\n"),
        );
        let out = cv(&conf, &["check", "d.txt"]);
        assert_eq!(out.status.code(), Some(0), "{value}: {}", stderr(&out));
    }
    assert!(conf.join("store/index.sqlite").exists());
    assert!(conf.join("sub/store/index.sqlite").exists());
}

#[test]
fn outlet_lists_outside_the_config_folder_are_refused_and_never_printed() {
    let tmp = tempfile::tempdir().unwrap();
    let conf = tmp.path().join("repo");
    std::fs::create_dir_all(&conf).unwrap();
    let mine =
        "[[outlet]]\nid = \"cpm\"\nname = \"China Policy Monitor\"\ndomains = [\"afpc.org\"]\n";
    write(tmp.path().join("outside.toml"), mine);
    write(conf.join("inside.toml"), mine);
    std::os::unix::fs::symlink("/proc/self/environ", conf.join("env.toml")).unwrap();
    write(conf.join("d.txt"), "Source: CPM\nhttps://www.afpc.org/x\n");
    for value in ["/proc/self/environ", "../outside.toml", "env.toml"] {
        write(
            conf.join("citevault.toml"),
            &format!("outlets = [\"inside.toml\", {value:?}]\n"),
        );
        for args in [
            &["extract", "d.txt"][..],
            &["check", "--no-archive", "d.txt"],
        ] {
            let out = cv(&conf, args);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(3), "{value} {args:?}: {err}");
            assert!(
                err.contains("outlets[1] is refused"),
                "{value} {args:?}: {err}"
            );
            assert!(err.contains("--outlets"), "{err}");
            assert!(!err.contains(value), "the file's text is not quoted: {err}");
            assert!(
                !err.contains(SECRET) && !stdout(&out).contains(SECRET),
                "{err}"
            );
        }
    }
    // Inside the folder: used.
    write(conf.join("citevault.toml"), "outlets = [\"inside.toml\"]\n");
    let out = cv(&conf, &["extract", "--format", "json", "d.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("\"outlet_id\":\"cpm\""),
        "{}",
        stdout(&out)
    );
    // The same file given on the command line too: the operator chose it.
    write(
        conf.join("citevault.toml"),
        "outlets = [\"../outside.toml\"]\n",
    );
    let outside = tmp.path().join("outside.toml").display().to_string();
    let out = cv(
        &conf,
        &[
            "extract",
            "--format",
            "json",
            "--outlets",
            &outside,
            "d.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("\"outlet_id\":\"cpm\""),
        "{}",
        stdout(&out)
    );
}

// ---------------------------------------------------------------------------
// 2. File contents never appear in error messages.

#[test]
fn an_outlet_list_that_does_not_parse_is_named_but_never_quoted() {
    let tmp = tempfile::tempdir().unwrap();
    // Given on the command line (trusted), the file is read, but a parse
    // error says where and what, not what the file holds.
    let out = cv(
        tmp.path(),
        &["extract", "--outlets", "/proc/self/environ", "-"],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains(SECRET), "the environment is printed: {err}");
    assert!(!err.contains("CITEVAULT_TEST_SECRET"), "{err}");
    assert!(
        err.contains("/proc/self/environ") && err.contains("line 1, column "),
        "{err}"
    );
    // Valid TOML, wrong values: serde would quote them.
    for (text, at) in [
        (
            format!("[[outlet]]\nid = \"x\"\nname = [\"{SECRET}\"]\n"),
            "line 3, column 8",
        ),
        (
            format!("[[outlet]]\nid = \"x\"\nname = \"n\"\naliases = \"{SECRET}\"\n"),
            "line 4, column 11",
        ),
        (format!("token = \"{SECRET}\"\n"), "line 1, column 1"),
        (
            format!("[[outlet]]\nid = \"x\"\nname = \"n\" {SECRET}\n"),
            "line 3, column 12",
        ),
    ] {
        write(tmp.path().join("o.toml"), &text);
        let out = cv(tmp.path(), &["extract", "--outlets", "o.toml", "-"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(!err.contains(SECRET) && !err.contains("S3cret"), "{err}");
        assert!(err.contains("o.toml") && err.contains(at), "{at}: {err}");
    }
}

#[test]
fn a_config_file_that_does_not_parse_is_named_but_never_quoted() {
    let tmp = tempfile::tempdir().unwrap();
    for (text, at, kind) in [
        (
            format!("timeout = \"{SECRET}\"\n"),
            "line 1, column 11",
            "invalid type",
        ),
        (
            format!("\nuser_agent = [\"{SECRET}\"]\n"),
            "line 2, column 14",
            "invalid type",
        ),
        (
            format!("host_request_interval = \"{SECRET}\"\n"),
            "line 1, column 25",
            "invalid duration",
        ),
        (
            format!("max_document_size = \"{SECRET}\"\n"),
            "line 1, column 21",
            "invalid size",
        ),
        (format!("timeout = 5 {SECRET}\n"), "line 1, column 11", ""),
        (
            format!("{SECRET} = 5\n"),
            "line 1, column 1",
            "unknown field",
        ),
        (
            format!("[hosts.\"{SECRET}-and-more-than-thirty-two-chars\"]\nconcurrency = 0\n"),
            "",
            "concurrency must be at least 1",
        ),
        (
            "# 中文\nexclude = [1]\n".to_string(),
            "line 2, column 12",
            "invalid type",
        ),
    ] {
        write(tmp.path().join("citevault.toml"), &text);
        let out = cv(tmp.path(), &["history"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(3), "{err}");
        assert!(!err.contains(SECRET) && !err.contains("S3cret"), "{err}");
        assert!(
            err.contains("citevault.toml") && err.contains(at) && err.contains(kind),
            "{at} {kind}: {err}"
        );
    }
    // A config file that is not a regular file is refused, not read.
    std::fs::remove_file(tmp.path().join("citevault.toml")).unwrap();
    let out = cv(tmp.path(), &["-c", "/dev/zero", "history"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );
    // Nor is a FIFO in place of ./citevault.toml skipped or read.
    mkfifo(&tmp.path().join("citevault.toml"));
    let out = cv(tmp.path(), &["history"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not a regular file (a FIFO)"),
        "{}",
        stderr(&out)
    );
}

// ---------------------------------------------------------------------------
// 3. Inputs that never end, and the size cap.

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs")
        .success();
    assert!(ok, "mkfifo {}", path.display());
}

#[test]
fn non_regular_inputs_are_refused_and_the_others_still_read() {
    let tmp = tempfile::tempdir().unwrap();
    mkfifo(&tmp.path().join("pipe.md"));
    // A private address: `check` refuses it without a request.
    write(
        tmp.path().join("good.md"),
        "## A story\n\nSee http://127.0.0.1:9/a.\n",
    );
    std::os::unix::fs::symlink("/dev/zero", tmp.path().join("zero.txt")).unwrap();
    for sub in [
        &["extract", "--format", "json"][..],
        &["check", "--no-archive", "--format", "json"],
    ] {
        let mut args = sub.to_vec();
        args.extend(["pipe.md", "/dev/zero", "zero.txt", "good.md"]);
        let started = Instant::now();
        let out = cv(tmp.path(), &args);
        let err = stderr(&out);
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{sub:?} took {:?}",
            started.elapsed()
        );
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            stdout(&out).contains("http://127.0.0.1:9/a"),
            "good.md still read"
        );
        assert!(err.contains("pipe.md") && err.contains("a FIFO"), "{err}");
        assert!(
            err.contains("/dev/zero") && err.contains("a character device"),
            "{err}"
        );
        assert!(err.contains("zero.txt"), "{err}");
        assert!(err.contains("not a regular file"), "{err}");
    }
    // Standard input still works.
    let out = run(
        tmp.path(),
        &["extract", "-"],
        Stdio::from(std::fs::File::open(tmp.path().join("good.md")).unwrap()),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("http://127.0.0.1:9/a"));
}

#[test]
fn documents_larger_than_the_cap_are_refused_with_their_name() {
    let tmp = tempfile::tempdir().unwrap();
    let mut big = String::from("## A story\n\nSee https://example.com/a.\n");
    while big.len() < 3000 {
        big.push_str("More text about the story.\n");
    }
    write(tmp.path().join("big.md"), &big);
    write(
        tmp.path().join("small.md"),
        "## B\n\nSee https://example.com/b.\n",
    );
    let out = cv(
        tmp.path(),
        &["extract", "--max-document-size", "2k", "big.md", "small.md"],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("big.md") && err.contains("larger than the limit of 2.0 KiB"),
        "{err}"
    );
    assert!(!err.contains("small.md"), "{err}");
    assert!(stdout(&out).contains("https://example.com/b"));
    // From the config file; the command line wins.
    write(
        tmp.path().join("citevault.toml"),
        "max_document_size = 1000\n",
    );
    let out = cv(tmp.path(), &["extract", "big.md"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("big.md"), "{}", stderr(&out));
    let out = cv(
        tmp.path(),
        &["extract", "--max-document-size", "1MiB", "big.md"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::remove_file(tmp.path().join("citevault.toml")).unwrap();
    // `check` too.
    let out = cv(
        tmp.path(),
        &[
            "check",
            "--no-archive",
            "--max-document-size",
            "100",
            "big.md",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("big.md") && stderr(&out).contains("larger than"),
        "{}",
        stderr(&out)
    );
    // Standard input that never ends stops at the cap.
    let started = Instant::now();
    let out = run(
        tmp.path(),
        &["extract", "--max-document-size", "4MiB", "-"],
        Stdio::from(std::fs::File::open("/dev/zero").unwrap()),
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("-: larger than the limit of 4 MiB"),
        "{}",
        stderr(&out)
    );
    // A bad size is a usage error.
    let out = cv(
        tmp.path(),
        &["extract", "--max-document-size", "lots", "small.md"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("--max-document-size"),
        "{}",
        stderr(&out)
    );
}

// ---------------------------------------------------------------------------
// 4. Credentials in cited URLs.

#[test]
fn credentials_are_stripped_warned_about_and_never_sent_stored_or_printed() {
    let (host, seen) = raw_server();
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path().join("d.md"),
        &format!(
            "## A story from http://reader:hunter2@{host}/f\n\nBody.\n\nSource: [RFA](http://reader:hunter2@{host}/a)\n\n\
             ## Another story\n\nSee http://:hunter2@{host}/b and <http://reader:hunter2@{host}/c>.\n"
        ),
    );
    write(
        tmp.path().join("d.html"),
        &format!(
            "<html><head><title>Page of http://reader:hunter2@example.com/</title></head><body><h2>A story</h2><p>Body text.</p><p>Source: <a href=\"http://reader:hunter2@{host}/d\">RFA</a></p></body></html>"
        ),
    );
    write(
        tmp.path().join("d.txt"),
        &format!("A story\n\nSource: RFA, November 7, 2023\nhttp://reader:hunter2@{host}/e\n"),
    );
    let out = cv(
        tmp.path(),
        &["extract", "--format", "json", "d.md", "d.html", "d.txt"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut urls = Vec::new();
    for doc in v["documents"].as_array().unwrap() {
        let mut all: Vec<&serde_json::Value> =
            doc["citations"].as_array().unwrap().iter().collect();
        for item in doc["items"].as_array().unwrap() {
            all.extend(item["citations"].as_array().unwrap());
        }
        for c in all {
            let url = c["url"].as_str().unwrap().to_string();
            assert!(!url.contains('@'), "{url}");
            assert_eq!(
                c["warnings"][0].as_str().unwrap(),
                citevault::extract::urls::CREDENTIALS_REMOVED,
                "{c}"
            );
            urls.push(url);
        }
    }
    urls.sort();
    let want: Vec<String> = ["a", "b", "c", "d", "e", "f"]
        .iter()
        .map(|p| format!("http://{host}/{p}"))
        .collect();
    assert_eq!(urls, want);
    for text in [stdout(&out), stderr(&out)] {
        assert!(
            !text.contains("hunter2") && !text.contains("reader:"),
            "{text}"
        );
    }
    // No warnings, no key: the JSON of an ordinary citation is unchanged.
    let out = run(
        tmp.path(),
        &["extract", "--format", "json", "-"],
        Stdio::from({
            write(
                tmp.path().join("plain.md"),
                "## A\n\nSee https://example.com/a.\n",
            );
            std::fs::File::open(tmp.path().join("plain.md")).unwrap()
        }),
    );
    assert!(!stdout(&out).contains("warnings"), "{}", stdout(&out));

    // Checked and archived: never sent, never stored.
    let archive = tmp.path().join("archive");
    let out = cv(
        tmp.path(),
        &[
            "check",
            "--allow-private",
            "--host-request-interval",
            "0ms",
            "--format",
            "json",
            "d.md",
            "d.html",
            "d.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for text in [stdout(&out), stderr(&out)] {
        assert!(!text.contains("hunter2"), "{text}");
    }
    let heads = seen.lock().unwrap().clone();
    assert!(heads.len() >= 6, "{heads:?}");
    for head in &heads {
        assert!(
            !head.to_ascii_lowercase().contains("authorization"),
            "{head}"
        );
        assert!(!head.contains("hunter2"), "{head}");
    }
    let mut stored = 0;
    for entry in walkdir::WalkDir::new(&archive) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let mut bytes = Vec::new();
        std::fs::File::open(entry.path())
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        let mut text = bytes.clone();
        if entry.path().extension().is_some_and(|e| e == "gz") {
            text.clear();
            let _ = flate2::read::MultiGzDecoder::new(&bytes[..]).read_to_end(&mut text);
        }
        stored += 1;
        for hay in [&bytes, &text] {
            for needle in ["hunter2", "cmVhZGVyOmh1bnRlcjI"] {
                assert!(
                    !hay.windows(needle.len()).any(|w| w == needle.as_bytes()),
                    "{needle} stored in {}",
                    entry.path().display()
                );
            }
        }
    }
    assert!(stored > 0, "the archive was written");
    for args in [&["history"][..], &["report", "--format", "json"]] {
        let out = cv(tmp.path(), args);
        assert!(!stdout(&out).contains("hunter2"), "{args:?}");
    }
}

#[test]
fn a_config_file_cannot_choose_a_proxy() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("citevault.toml"),
        "proxy = \"http://169.254.169.254\"\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("d.md"),
        "## A\n\nSource: Reuters, Nov 1, 2025\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_citevault"))
        .env("CITEVAULT_NO_REMOTE", "1")
        .args(["check", "--no-archive", "d.md"])
        .current_dir(tmp.path())
        .env_remove("CITEVAULT_ARCHIVE")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("proxy") && !err.contains("169.254"), "{err}");
    // The operator may: on the command line it is accepted.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_citevault"))
        .env("CITEVAULT_NO_REMOTE", "1")
        .args([
            "check",
            "--no-archive",
            "--proxy",
            "http://127.0.0.1:9",
            "d.md",
        ])
        .current_dir(tmp.path())
        .env_remove("CITEVAULT_ARCHIVE")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
