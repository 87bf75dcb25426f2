//! Golden files: every report format rendered from one fixed set of
//! results. `UPDATE_GOLDEN=1 cargo test --test integration golden::` rewrites them after
//! an intended change (review the diff).

use citevault::model::{
    ArchivedCopy, CheckResult, CheckStatus, Citation, CitedVia, Document, Format, Item,
    Sha256Digest, Timestamp,
};
use citevault::report::{
    HtmlWriter, JsonWriter, JunitWriter, MarkdownWriter, ReportWriter, TextWriter,
};
use std::path::PathBuf;

fn result(status: CheckStatus, code: Option<u16>, reason: &str) -> Box<CheckResult> {
    let mut r = CheckResult::unlinked();
    r.status = status;
    r.http_status = code;
    r.reason = reason.to_string();
    r.attempts = 1;
    r.elapsed_ms = 412;
    r.checked_at = Timestamp(1_795_000_000);
    if code.is_some_and(|c| c < 400) {
        r.sha256 = Some(Sha256Digest([0xab; 32]));
        r.title = Some("An article".into());
        r.content_type = Some("text/html; charset=utf-8".into());
        r.content_length = Some(5120);
    }
    Box::new(r)
}

fn citation(
    url: Option<&str>,
    outlet: Option<&str>,
    date: Option<&str>,
    marker: Option<u32>,
    line: u32,
    check: Box<CheckResult>,
) -> Citation {
    Citation {
        url: url.map(str::to_string),
        outlet: outlet.map(str::to_string),
        outlet_id: outlet.map(|o| o.to_lowercase().replace(' ', "-")),
        date: date.map(str::to_string),
        marker,
        line,
        via: if marker.is_some() {
            CitedVia::SourceList
        } else {
            CitedVia::SourceLine
        },
        check: Some(check),
        archive: None,
        remote: None,
        findings: Vec::new(),
        warnings: Vec::new(),
    }
}

fn fixture() -> Vec<Document> {
    vec![Document {
        source: "digests/2025-11-24.md".into(),
        format: Format::Markdown,
        title: Some("China Watch — Week of November 24".into()),
        items: vec![
            Item {
                title: "Nexperia Urges China Unit to Resume Operations".into(),
                line: 3,
                citations: vec![citation(
                    Some("https://www.epochtimes.com/gb/25/11/28/n14645200.htm"),
                    Some("Epoch Times"),
                    Some("2025-11-28"),
                    None,
                    9,
                    result(CheckStatus::Alive, Some(200), "200 OK"),
                )],
            },
            Item {
                title: "Japan Row Deepens <again> & more".into(),
                line: 11,
                citations: vec![
                    citation(
                        Some("https://world.people.com.cn/n1/2025/1114/c1002-40603281.html"),
                        Some("People’s Daily"),
                        Some("2025-11-14"),
                        Some(1),
                        18,
                        result(CheckStatus::Alive, Some(200), "200 OK"),
                    ),
                    citation(
                        Some("https://www.dw.com/zh/研究/a-74793625"),
                        Some("DW"),
                        Some("2025-11-19"),
                        Some(2),
                        20,
                        result(
                            CheckStatus::Soft404,
                            Some(200),
                            "200 but the page reads as an error page (\"页面不存在\")",
                        ),
                    ),
                    citation(
                        Some("https://www.scmp.com/news/a"),
                        Some("SCMP"),
                        None,
                        Some(3),
                        22,
                        result(
                            CheckStatus::Blocked,
                            Some(403),
                            "403 Forbidden: the site refused us",
                        ),
                    ),
                ],
            },
            Item {
                title: "Chip Export Curbs".into(),
                line: 25,
                citations: vec![
                    Citation {
                        archive: Some(Box::new(ArchivedCopy {
                            snapshot_at: Some(Timestamp(1_795_000_000)),
                            http_status: Some(404),
                            sha256: Some("sha256:9f2c".into()),
                            last_good: Some(Timestamp(1_793_000_000)),
                            failing_since: Some(Timestamp(1_794_000_000)),
                            probe: None,
                        })),
                        ..citation(
                            Some("https://www.rfa.org/gone.html"),
                            Some("RFA"),
                            Some("2023-11-07"),
                            None,
                            28,
                            result(CheckStatus::Dead, Some(404), "404 Not Found"),
                        )
                    },
                    citation(
                        None,
                        Some("Nikkei Asia"),
                        Some("2025-11-18"),
                        None,
                        30,
                        Box::new(unlinked_with_time()),
                    ),
                ],
            },
            Item {
                title: "An Item Without Sources".into(),
                line: 33,
                citations: vec![],
            },
        ],
        citations: vec![],
    }]
}

fn unlinked_with_time() -> CheckResult {
    let mut r = CheckResult::unlinked();
    r.checked_at = Timestamp(1_795_000_000);
    r
}

fn render(w: &mut dyn ReportWriter, docs: &[Document]) {
    for d in docs {
        w.document(d).unwrap();
    }
    w.finish().unwrap();
}

fn golden(name: &str, got: &[u8]) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        std::fs::write(&path, got).unwrap();
    }
    let want = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to create)",
            path.display()
        )
    });
    assert_eq!(
        String::from_utf8_lossy(got),
        String::from_utf8_lossy(&want),
        "{name} differs from its golden file"
    );
}

#[test]
fn every_format_matches_its_golden_file() {
    let docs = fixture();
    let fail_on = vec![CheckStatus::Dead, CheckStatus::Soft404];
    let mut buf = Vec::new();
    render(&mut TextWriter::new(&mut buf), &docs);
    golden("report.txt", &buf);
    let text = String::from_utf8(buf).unwrap();
    // Failing first: the item with failures precedes the all-alive one.
    assert!(text.find("Japan Row").unwrap() < text.find("Nexperia").unwrap());

    let mut buf = Vec::new();
    render(
        &mut JsonWriter::new(&mut buf).with_archive(Some("archive".into())),
        &docs,
    );
    golden("report.json", &buf);
    let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
    let back: Vec<Document> = serde_json::from_value(v["documents"].clone()).unwrap();
    assert_eq!(back, docs, "JSON reads back into the same types");

    let mut buf = Vec::new();
    render(
        &mut MarkdownWriter::new(&mut buf).with_archive(Some("archive".into())),
        &docs,
    );
    golden("report.md", &buf);

    let mut buf = Vec::new();
    render(&mut JunitWriter::new(&mut buf, fail_on), &docs);
    golden("report.xml", &buf);
    let xml = String::from_utf8(buf).unwrap();
    let parsed = roxmltree::Document::parse(&xml).unwrap();
    let failures = parsed
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    assert_eq!(failures, 2);

    let mut buf = Vec::new();
    render(
        &mut HtmlWriter::new(&mut buf).with_archive(Some("archive".into())),
        &docs,
    );
    golden("report.html", &buf);
}
