//! The `citevault extract` command as a user runs it.

use crate::support;
use citevault::Document;
use std::io::Write;
use std::process::{Command, Output, Stdio};
use support::fixture;

fn citevault(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_citevault"));
    cmd.env("CITEVAULT_NO_REMOTE", "1");
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("binary runs");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "invalid JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

#[test]
fn directory_is_walked_and_json_reads_back_into_documents() {
    let dir = fixture("seeds");
    let out = citevault(
        &["extract", "--format", "json", dir.to_str().unwrap()],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    let docs: Vec<Document> = serde_json::from_value(v["documents"].clone()).unwrap();
    assert_eq!(docs.len(), 5);
    assert!(docs.windows(2).all(|w| w[0].source < w[1].source), "sorted");
    assert_eq!(v["summary"]["documents"], 5);
    assert_eq!(v["summary"]["items"], 8 + 8 + 5 + 10);
    assert_eq!(v["summary"]["citations"], 18 + 8 + 5);
    assert_eq!(v["summary"]["unlinked_citations"], 5);
    assert_eq!(v["summary"]["uncited_items"], 10);
    let first = &v["documents"][0]["items"][0]["citations"][0];
    for key in [
        "url",
        "outlet",
        "outlet_id",
        "date",
        "marker",
        "line",
        "via",
    ] {
        assert!(first.get(key).is_some(), "citation has {key}: {first}");
    }
}

#[test]
fn undecodable_file_is_reported_and_others_still_processed() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("broken.txt");
    // A UTF-8 BOM followed by bytes that are not UTF-8.
    std::fs::write(&bad, [0xEF, 0xBB, 0xBF, b'a', 0xFF, 0xFE, 0xFD]).unwrap();
    let good = tmp.path().join("good.md");
    std::fs::write(
        &good,
        "## Item\n\nSee [DW, November 19, 2025](https://www.dw.com/a-1).\n",
    )
    .unwrap();
    let out = citevault(
        &["extract", "--format", "json", tmp.path().to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken.txt") && stderr.contains("UTF-8"),
        "{stderr}"
    );
    let v = json(&out);
    assert_eq!(v["documents"].as_array().unwrap().len(), 1);
    assert_eq!(
        v["documents"][0]["items"][0]["citations"][0]["url"],
        "https://www.dw.com/a-1"
    );
    assert!(v["errors"][0]["source"]
        .as_str()
        .unwrap()
        .ends_with("broken.txt"));
}

#[test]
fn binary_and_missing_inputs_are_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("image.html");
    std::fs::write(&bin, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let missing = tmp.path().join("nope.md");
    let out = citevault(
        &["extract", bin.to_str().unwrap(), missing.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("image.html") && stderr.contains("binary"),
        "{stderr}"
    );
    assert!(
        stderr.contains("nope.md") && stderr.contains("no such file"),
        "{stderr}"
    );
}

#[test]
fn stdin_with_sniffed_format() {
    let html = b"<!DOCTYPE html><html><body><main><h2>Item</h2><p>Text <a href=\"https://www.rfa.org/x\">RFA, Nov 7, 2023</a></p></main></body></html>";
    let out = citevault(&["extract", "--format", "json", "-"], Some(html));
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["documents"][0]["source"], "-");
    assert_eq!(v["documents"][0]["format"], "html");
    let c = &v["documents"][0]["items"][0]["citations"][0];
    assert_eq!(c["url"], "https://www.rfa.org/x");
    assert_eq!(c["outlet_id"], "rfa");
    assert_eq!(c["date"], "2023-11-07");
}

#[test]
fn input_format_overrides_detection() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("notes.txt");
    std::fs::write(
        &f,
        "## Item\n\nSource: [Deutsche Welle, November 19, 2025](https://www.dw.com/a-1)\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["extract", "--format", "json"];
        args.extend_from_slice(extra);
        args.push(f.to_str().unwrap());
        json(&citevault(&args, None))
    };
    let as_md = run(&["--input-format", "markdown"]);
    assert_eq!(as_md["documents"][0]["format"], "markdown");
    assert_eq!(as_md["documents"][0]["items"][0]["title"], "Item");
    assert_eq!(
        as_md["documents"][0]["items"][0]["citations"][0]["outlet"],
        "Deutsche Welle"
    );
    let as_text = run(&["--input-format", "text"]);
    assert_eq!(as_text["documents"][0]["format"], "text");
}

#[test]
fn user_outlet_list_extends_the_builtin() {
    let tmp = tempfile::tempdir().unwrap();
    let outlets = tmp.path().join("outlets.toml");
    std::fs::write(
        &outlets,
        "[[outlet]]\nid = \"china-policy-monitor\"\nname = \"China Policy Monitor\"\naliases = [\"CPM\"]\ndomains = [\"afpc.org\"]\n",
    )
    .unwrap();
    let doc = "Source: CPM, November 20, 2024\nhttps://www.afpc.org/publications/x\n";
    let out = citevault(
        &[
            "extract",
            "--format",
            "json",
            "--outlets",
            outlets.to_str().unwrap(),
            "-",
        ],
        Some(doc.as_bytes()),
    );
    let v = json(&out);
    assert_eq!(
        v["documents"][0]["citations"][0]["outlet_id"],
        "china-policy-monitor"
    );

    std::fs::write(&outlets, "[[outlet]]\nid = 3\n").unwrap();
    let out = citevault(
        &["extract", "--outlets", outlets.to_str().unwrap(), "-"],
        Some(b""),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("outlets.toml"));
}

#[test]
fn utf16_file_with_bom() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("utf16.txt");
    let mut bytes = vec![0xFE, 0xFF];
    for u in "Source: Sina, November 18, 2025\nhttps://cj.sina.com.cn/a\n".encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    std::fs::write(&f, bytes).unwrap();
    let v = json(&citevault(
        &["extract", "--format", "json", f.to_str().unwrap()],
        None,
    ));
    let c = &v["documents"][0]["citations"][0];
    assert_eq!(c["url"], "https://cj.sina.com.cn/a");
    assert_eq!(c["outlet_id"], "sina");
    assert_eq!(c["line"], 2);
}

#[test]
fn text_output_groups_by_item_with_lines() {
    let out = citevault(
        &[
            "extract",
            fixture("seeds/003_bb82242536d35b52.txt").to_str().unwrap(),
        ],
        None,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("5 items, 5 citations (5 unlinked)"), "{text}");
    assert!(text.contains("CHINA LAUNCHES $3.5 BILLION MEGAPORT IN PERU"));
    assert!(text.contains("(no URL: unlinked citation)  — Nikkei Asia, 2024-11-15"));
}

#[test]
fn usage_errors_exit_1() {
    let out = citevault(&["extract"], None);
    assert_eq!(out.status.code(), Some(1));
    let out = citevault(&["--help"], None);
    assert_eq!(out.status.code(), Some(0));
}
