//! Verification findings (`Citation::findings`) in every report format:
//! one wording for all, a line each in text, a Findings table in Markdown
//! with unlinked citations' searches linked, a list in the HTML row, JUnit
//! failures for `--fail-on` kinds, and JSON that round-trips. Reasons and
//! titles come from web pages, so they stay text everywhere.

use citevault::model::{
    CheckResult, CheckStatus, Citation, CitedVia, Document, Finding, FindingKind, Format, Item,
    Score, Severity, Timestamp,
};
use citevault::report::{writer, ReportFormat, ReportOptions};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

const SEARCH: &str = "https://www.rfa.org/search?q=Gone+sources&lang=en";
/// A reason that tries the terminal, a Markdown link and an HTML tag.
const HOSTILE_REASON: &str =
    "host is apnews.com \u{1b}[31mnot RFA's)](javascript:alert(1)) \"><script>alert(2)</script>";
const HOSTILE_TITLE: &str = "\"><script>alert(3)</script> Gone )](javascript:alert(4)) \u{1b}[2J";

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn checked(status: CheckStatus, reason: &str) -> Option<Box<CheckResult>> {
    let mut r = CheckResult::new(status, reason);
    r.checked_at = ts("2026-12-04T09:00:00Z");
    r.attempts = 1;
    Some(Box::new(r))
}

fn citation(url: Option<&str>, line: u32, check: Option<Box<CheckResult>>) -> Citation {
    Citation {
        url: url.map(str::to_string),
        outlet: Some("RFA".into()),
        outlet_id: None,
        date: Some("2025-11-18".into()),
        marker: None,
        line,
        via: if url.is_some() {
            CitedVia::Link
        } else {
            CitedVia::default()
        },
        check,
        archive: None,
        remote: None,
        findings: Vec::new(),
        warnings: Vec::new(),
    }
}

fn finding(kind: FindingKind, severity: Severity, reason: &str) -> Finding {
    Finding::new(kind, severity, reason)
}

fn with<T>(mut f: Finding, change: impl FnOnce(&mut Finding) -> T) -> Finding {
    change(&mut f);
    f
}

fn drift(kind: FindingKind, severity: Severity, reason: &str, similarity: f64) -> Finding {
    with(finding(kind, severity, reason), |f| {
        f.source = Some("archive".into());
        f.similarity = Some(Score(similarity));
        f.first_snapshot = Some(ts("2025-11-20T09:30:00Z"));
        f.this_snapshot = Some(ts("2026-12-04T09:00:00Z"));
    })
}

fn unlinked(search: &str) -> Finding {
    with(
        finding(
            FindingKind::Unlinked,
            Severity::Info,
            "cites RFA, 2025-11-18 without a link",
        ),
        |f| {
            f.source = Some("citation".into());
            f.search_url = Some(search.into());
        },
    )
}

/// Citations with findings of every kind (hostile text among them), one
/// without any, and a dead one whose finding also fails the run.
fn document() -> Document {
    let alive = || checked(CheckStatus::Alive, "200 OK");
    Document {
        source: "digest.md".into(),
        format: Format::Markdown,
        title: None,
        items: vec![
            Item {
                title: "Gone sources".into(),
                line: 1,
                citations: vec![
                    Citation {
                        findings: vec![
                            with(
                                finding(
                                    FindingKind::OutletMismatch,
                                    Severity::Error,
                                    HOSTILE_REASON,
                                ),
                                |f| {
                                    f.source = Some("url".into());
                                    f.found = Some("apnews.com".into());
                                },
                            ),
                            with(
                                finding(FindingKind::Title, Severity::Info, "page title"),
                                |f| {
                                    f.source = Some("page".into());
                                    f.found = Some(HOSTILE_TITLE.into());
                                    f.similarity = Some(Score(0.42));
                                },
                            ),
                        ],
                        ..citation(Some("https://apnews.com/a"), 3, alive())
                    },
                    Citation {
                        findings: vec![
                            finding(
                                FindingKind::Syndicated,
                                Severity::Warning,
                                "a syndicated copy of RFA's story on finance.yahoo.com",
                            ),
                            with(
                                finding(
                                    FindingKind::DateMismatch,
                                    Severity::Error,
                                    "the URL is dated 2025-10-01, 48 days before the cited date",
                                ),
                                |f| f.found = Some("2025-10-01".into()),
                            ),
                        ],
                        ..citation(Some("https://finance.yahoo.com/b"), 4, alive())
                    },
                    Citation {
                        findings: vec![drift(
                            FindingKind::Drifted,
                            Severity::Warning,
                            "the main text is no longer what was first archived",
                            0.31,
                        )],
                        ..citation(Some("https://x.example/drift"), 5, alive())
                    },
                    Citation {
                        findings: vec![drift(
                            FindingKind::Changed,
                            Severity::Info,
                            "the main text was edited since first archived",
                            0.93,
                        )],
                        ..citation(Some("https://x.example/edit"), 6, alive())
                    },
                    Citation {
                        findings: vec![drift(
                            FindingKind::Unchanged,
                            Severity::Info,
                            "the main text is as first archived",
                            1.0,
                        )],
                        ..citation(Some("https://x.example/same"), 7, alive())
                    },
                    Citation {
                        findings: vec![unlinked(SEARCH)],
                        ..citation(None, 8, checked(CheckStatus::Unlinked, "no URL to check"))
                    },
                    citation(Some("https://x.example/plain"), 9, alive()),
                ],
            },
            Item {
                title: "Dead and drifted".into(),
                line: 20,
                citations: vec![Citation {
                    findings: vec![drift(
                        FindingKind::Drifted,
                        Severity::Warning,
                        "the main text is no longer what was first archived",
                        0.2,
                    )],
                    ..citation(
                        Some("https://x.example/dead"),
                        21,
                        checked(CheckStatus::Dead, "404 Not Found"),
                    )
                }],
            },
        ],
        citations: vec![Citation {
            findings: vec![unlinked("javascript:alert(5)")],
            ..citation(None, 30, checked(CheckStatus::Unlinked, "no URL to check"))
        }],
    }
}

fn render(format: ReportFormat, docs: &[Document]) -> String {
    let mut buf = Vec::new();
    {
        let opts = ReportOptions {
            fail_on: vec![CheckStatus::Dead],
            fail_on_findings: vec![FindingKind::OutletMismatch, FindingKind::Drifted],
            ..Default::default()
        };
        let mut w = writer(format, Box::new(&mut buf), &opts);
        for d in docs {
            w.document(d).unwrap();
        }
        w.finish().unwrap();
    }
    String::from_utf8(buf).unwrap()
}

const DRIFT_SNAPSHOTS: &str = " — first archived 2025-11-20, compared with 2026-12-04";

#[test]
fn text_shows_each_finding_under_its_citation() {
    let text = render(ReportFormat::Text, &[document()]);
    assert!(!text.contains('\u{1b}'), "raw ESC in\n{text}");
    let lines: Vec<&str> = text.lines().collect();
    // The indented lines under the citation line containing `needle`.
    let block = |needle: &str, line: u32| -> Vec<String> {
        let at = lines
            .iter()
            .position(|l| l.starts_with(&format!("    {line:>5}  ")) && l.contains(needle))
            .unwrap_or_else(|| panic!("no citation {needle} in\n{text}"));
        lines[at + 1..]
            .iter()
            .take_while(|l| l.starts_with(&" ".repeat(21)))
            .map(|l| l.trim_start().to_string())
            .collect()
    };
    assert_eq!(
        block("apnews.com/a", 3),
        [
            "outlet-mismatch (error): host is apnews.com \\x1b[31mnot RFA's)](javascript:alert(1)) \"><script>alert(2)</script>".to_string(),
            "title: “\"><script>alert(3)</script> Gone )](javascript:alert(4)) \\x1b[2J” (similarity 0.42)".to_string(),
        ]
    );
    assert_eq!(
        block("finance.yahoo.com/b", 4),
        [
            "syndicated (warning): a syndicated copy of RFA's story on finance.yahoo.com",
            "date-mismatch (error): the URL is dated 2025-10-01, 48 days before the cited date",
        ]
    );
    assert_eq!(
        block("x.example/drift", 5),
        [format!(
            "drifted (warning): the main text is no longer what was first archived — similarity 0.31{DRIFT_SNAPSHOTS}"
        )]
    );
    assert_eq!(
        block("x.example/edit", 6),
        [format!(
            "changed (info): the main text was edited since first archived — similarity 0.93{DRIFT_SNAPSHOTS}"
        )]
    );
    assert_eq!(
        block("x.example/same", 7),
        [format!(
            "unchanged (info): the main text is as first archived — similarity 1.00{DRIFT_SNAPSHOTS}"
        )]
    );
    assert_eq!(
        block("(no URL: unlinked citation)", 8),
        [
            "no URL to check".to_string(),
            format!("unlinked (info): cites RFA, 2025-11-18 without a link — search: {SEARCH}"),
        ]
    );
    // Findings come after the check's own lines.
    assert_eq!(
        block("x.example/dead", 21),
        [
            "404 Not Found".to_string(),
            format!(
                "drifted (warning): the main text is no longer what was first archived — similarity 0.20{DRIFT_SNAPSHOTS}"
            ),
        ]
    );
    // Without findings, as always.
    assert!(block("x.example/plain", 9).is_empty(), "{text}");
    assert!(
        text.lines().any(|l| l
            == "findings: 1 outlet-mismatch, 1 syndicated, 1 date-mismatch, 1 unchanged, \
                1 changed, 2 drifted, 1 title, 2 unlinked"),
        "{text}"
    );
}

#[test]
fn text_without_findings_has_no_findings_summary() {
    let mut doc = document();
    for item in &mut doc.items {
        for c in &mut item.citations {
            c.findings.clear();
        }
    }
    doc.citations[0].findings.clear();
    let text = render(ReportFormat::Text, &[doc]);
    assert!(!text.contains("findings"), "{text}");
    assert!(!text.contains("similarity"), "{text}");
}

/// A parsed Markdown report: its tables (rows of cell texts, under the
/// heading before them), links (destination, text) and raw HTML.
#[derive(Default)]
struct Rendered {
    tables: Vec<(String, Vec<Vec<String>>)>,
    links: Vec<(String, String)>,
    html: Vec<String>,
}

fn parse_markdown(md: &str) -> Rendered {
    let mut r = Rendered::default();
    let mut heading = String::new();
    let mut in_heading = false;
    let mut link: Option<(String, String)> = None;
    let mut row: Vec<String> = Vec::new();
    let mut cell: Option<String> = None;
    for event in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                heading.clear();
                in_heading = true;
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::Table(_)) => r.tables.push((heading.clone(), Vec::new())),
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => row.extend(cell.take()),
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => {
                let done = std::mem::take(&mut row);
                r.tables.last_mut().unwrap().1.push(done);
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                link = Some((dest_url.to_string(), String::new()))
            }
            Event::End(TagEnd::Link) => r.links.extend(link.take()),
            Event::Text(t) | Event::Code(t) => {
                if in_heading {
                    heading.push_str(&t);
                }
                if let Some(c) = &mut cell {
                    c.push_str(&t);
                }
                if let Some((_, label)) = &mut link {
                    label.push_str(&t);
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => r.html.push(h.to_string()),
            _ => {}
        }
    }
    r
}

#[test]
fn markdown_lists_findings_that_want_a_look() {
    let md = render(ReportFormat::Markdown, &[document()]);
    let r = parse_markdown(&md);
    assert!(r.html.is_empty(), "raw HTML {:?}\n{md}", r.html);
    let table = |name: &str| {
        r.tables
            .iter()
            .find(|(h, _)| h == name)
            .map(|(_, rows)| rows.clone())
            .unwrap_or_else(|| panic!("no {name} table in\n{md}"))
    };
    let findings = table("Findings");
    assert_eq!(
        findings[0],
        ["document", "line", "item", "kind", "reason"],
        "{md}"
    );
    let rows = &findings[1..];
    assert!(rows.iter().all(|r| r.len() == 5), "{rows:#?}\n{md}");
    let expected: Vec<[&str; 4]> = vec![
        ["digest.md", "3", "Gone sources", "outlet-mismatch (error)"],
        ["digest.md", "4", "Gone sources", "syndicated (warning)"],
        ["digest.md", "4", "Gone sources", "date-mismatch (error)"],
        ["digest.md", "5", "Gone sources", "drifted (warning)"],
        ["digest.md", "8", "Gone sources", "unlinked (info)"],
        ["digest.md", "21", "Dead and drifted", "drifted (warning)"],
        ["digest.md", "30", "(outside any item)", "unlinked (info)"],
    ];
    let got: Vec<[&str; 4]> = rows
        .iter()
        .map(|r| [&*r[0], &*r[1], &*r[2], &*r[3]])
        .collect();
    assert_eq!(got, expected, "{md}");
    // Hostile text is the cell's text, as given (escapes made visible).
    assert_eq!(
        rows[0][4],
        "host is apnews.com \\x1b[31mnot RFA's)](javascript:alert(1)) \"><script>alert(2)</script>"
    );
    assert_eq!(
        rows[3][4],
        format!(
            "the main text is no longer what was first archived — similarity 0.31{DRIFT_SNAPSHOTS}"
        )
    );
    assert_eq!(rows[4][4], "cites RFA, 2025-11-18 without a link — search");
    // A `javascript:` search is shown, never linked.
    assert_eq!(
        rows[6][4],
        "cites RFA, 2025-11-18 without a link — search: javascript:alert(5)"
    );
    // Info findings other than unlinked are left to the other formats.
    assert!(!md.contains("similarity 0.42") && !md.contains("similarity 0.93"));
    // The search link goes exactly where it said; nothing else is linked
    // from a finding.
    let searches: Vec<&(String, String)> = r
        .links
        .iter()
        .filter(|(_, text)| text == "search")
        .collect();
    assert_eq!(
        searches,
        [&(SEARCH.to_string(), "search".to_string())],
        "{md}"
    );
    assert!(
        r.links
            .iter()
            .all(|(d, _)| d.starts_with("https://") && !d.contains("javascript")),
        "{:#?}",
        r.links
    );
    // The summary counts findings per kind.
    let summary = table("Summary");
    assert!(
        summary.contains(&vec![
            "findings".to_string(),
            "1 outlet-mismatch, 1 syndicated, 1 date-mismatch, 1 unchanged, 1 changed, \
             2 drifted, 1 title, 2 unlinked"
                .to_string()
        ]),
        "{summary:#?}"
    );
    // The dead citation's failing section is as before.
    assert!(md.contains(
        "| 21 | **dead** | RFA, 2025-11-18 | <https://x.example/dead> | 404 Not Found |"
    ));
}

#[test]
fn markdown_without_findings_has_no_findings_section() {
    let mut doc = document();
    for item in &mut doc.items {
        for c in &mut item.citations {
            c.findings
                .retain(|f| f.severity == Severity::Info && f.kind != FindingKind::Unlinked);
        }
    }
    doc.citations[0].findings.clear();
    let md = render(ReportFormat::Markdown, &[doc]);
    assert!(!md.contains("## Findings"), "{md}");
    // Info findings are still counted.
    assert!(
        md.contains("| findings | 1 unchanged, 1 changed, 1 title |"),
        "{md}"
    );
}

#[test]
fn html_lists_findings_in_the_citation_row() {
    let page = render(ReportFormat::Html, &[document()]);
    let html = scraper::Html::parse_document(&page);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    // No injected element: the page's own script only.
    assert_eq!(html.select(&sel("script")).count(), 1, "{page}");
    assert!(!page.contains('\u{1b}'));
    let rows: Vec<_> = html.select(&sel("tr.row")).collect();
    let row = |url: &str| {
        rows.iter()
            .find(|r| {
                r.select(&sel("a"))
                    .any(|a| a.value().attr("href") == Some(url))
            })
            .unwrap_or_else(|| panic!("no row for {url}"))
    };
    let items = |r: &scraper::ElementRef| -> Vec<(String, String)> {
        r.select(&sel("ul.findings > li"))
            .map(|li| {
                (
                    li.value().attr("class").unwrap_or_default().to_string(),
                    li.text().collect(),
                )
            })
            .collect()
    };
    assert_eq!(
        items(row("https://apnews.com/a")),
        [
            (
                "f-outlet-mismatch sev-error".to_string(),
                format!(
                    "outlet-mismatch (error): {}",
                    HOSTILE_REASON.replace('\u{1b}', "\\x1b")
                )
            ),
            (
                "f-title sev-info".to_string(),
                format!(
                    "title: “{}” (similarity 0.42)",
                    HOSTILE_TITLE.replace('\u{1b}', "\\x1b")
                )
            ),
        ]
    );
    assert_eq!(
        items(row("https://x.example/drift")),
        [(
            "f-drifted sev-warning".to_string(),
            format!("drifted (warning): the main text is no longer what was first archived — similarity 0.31{DRIFT_SNAPSHOTS}")
        )]
    );
    // Unlinked rows have no URL link; find them by their search.
    let search_row = rows
        .iter()
        .find(|r| r.select(&sel("a.search")).next().is_some())
        .expect("an unlinked row with its search linked");
    let a = search_row.select(&sel("ul.findings a")).next().unwrap();
    assert_eq!(a.value().attr("href"), Some(SEARCH));
    assert_eq!(a.text().collect::<String>(), "search");
    let hrefs: Vec<&str> = html
        .select(&sel("a[href]"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        hrefs.iter().all(|h| h.starts_with("https://")),
        "{hrefs:#?}"
    );
    let body: String = html.root_element().text().collect();
    assert!(body.contains("search: javascript:alert(5)"), "{page}");
    // Rows without findings have no list.
    assert!(items(row("https://x.example/plain")).is_empty());
    assert_eq!(html.select(&sel("ul.findings")).count(), 8);
    let meta: String = html.select(&sel("p.meta")).next().unwrap().text().collect();
    assert!(
        meta.ends_with(
            " · findings: 1 outlet-mismatch, 1 syndicated, 1 date-mismatch, 1 unchanged, \
             1 changed, 2 drifted, 1 title, 2 unlinked"
        ),
        "{meta}"
    );
}

#[test]
fn junit_fails_citations_with_a_fail_on_finding() {
    let xml = render(ReportFormat::Junit, &[document()]);
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    // outlet-mismatch, drifted, and the dead one (drifted too).
    assert_eq!(suite.attribute("failures"), Some("3"), "{xml}");
    assert_eq!(suite.attribute("skipped"), Some("2"), "{xml}");
    let case = |line: u32| {
        doc.descendants()
            .find(|n| n.has_tag_name("testcase") && n.attribute("line") == Some(&line.to_string()))
            .unwrap_or_else(|| panic!("no testcase for line {line}"))
    };
    let child = |line: u32, tag: &str| case(line).children().find(|n| n.has_tag_name(tag));
    let text = |line: u32, tag: &str| {
        child(line, tag)
            .and_then(|n| n.text())
            .unwrap_or_default()
            .to_string()
    };

    let mismatch = child(3, "failure").expect("an outlet mismatch fails");
    assert_eq!(mismatch.attribute("type"), Some("outlet-mismatch"));
    assert_eq!(
        mismatch.attribute("message"),
        Some(
            format!(
                "outlet-mismatch (error): {}",
                HOSTILE_REASON.replace('\u{1b}', "\\x1b")
            )
            .as_str()
        )
    );
    assert!(text(3, "failure").contains("https://apnews.com/a"));
    // The title (info) is not worth a line in CI.
    assert!(!text(3, "failure").contains("similarity 0.42"));

    // Warnings and errors of other kinds are output, not failures.
    assert!(child(4, "failure").is_none());
    assert_eq!(
        text(4, "system-out"),
        "syndicated (warning): a syndicated copy of RFA's story on finance.yahoo.com\n\
         date-mismatch (error): the URL is dated 2025-10-01, 48 days before the cited date"
    );
    let drifted = child(5, "failure").unwrap();
    assert_eq!(drifted.attribute("type"), Some("drifted"));
    assert!(drifted
        .attribute("message")
        .unwrap()
        .starts_with("drifted (warning): the main text is no longer"));
    // Info findings alone leave a passing testcase bare.
    assert_eq!(case(6).children().filter(|n| n.is_element()).count(), 0);
    assert_eq!(case(7).children().filter(|n| n.is_element()).count(), 0);
    assert_eq!(case(9).children().filter(|n| n.is_element()).count(), 0);
    // An unlinked citation is skipped, its search given.
    assert!(child(8, "skipped").is_some());
    assert_eq!(
        text(8, "system-out"),
        format!("unlinked (info): cites RFA, 2025-11-18 without a link — search: {SEARCH}")
    );
    // A dead citation fails by its status; the message names the finding too.
    let dead = child(21, "failure").unwrap();
    assert_eq!(dead.attribute("type"), Some("dead"));
    let message = dead.attribute("message").unwrap();
    assert!(
        message.starts_with("404 Not Found; drifted (warning): "),
        "{message}"
    );
    assert!(text(21, "failure").contains("\ndrifted (warning): the main text"));
    assert!(!doc.descendants().any(|n| n.has_tag_name("script")));
}

#[test]
fn junit_without_fail_on_findings_fails_by_status_only() {
    let mut buf = Vec::new();
    {
        let opts = ReportOptions {
            fail_on: vec![CheckStatus::Dead],
            ..Default::default()
        };
        let mut w = writer(ReportFormat::Junit, Box::new(&mut buf), &opts);
        w.document(&document()).unwrap();
        w.finish().unwrap();
    }
    let xml = String::from_utf8(buf).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let failures: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert_eq!(failures.len(), 1, "{xml}");
    assert_eq!(failures[0].attribute("message"), Some("404 Not Found"));
    let outs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("system-out"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        outs.iter()
            .any(|o| o.starts_with("outlet-mismatch (error): host is apnews.com")),
        "{outs:#?}"
    );
}

#[test]
fn json_round_trips_the_findings() {
    let original = document();
    let json = render(ReportFormat::Json, std::slice::from_ref(&original));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let cites = &v["documents"][0]["items"][0]["citations"];
    let f = &cites[0]["findings"][0];
    assert_eq!(f["kind"], "outlet-mismatch");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["reason"], HOSTILE_REASON);
    assert_eq!(f["source"], "url");
    assert_eq!(f["found"], "apnews.com");
    assert_eq!(cites[0]["findings"][1]["similarity"], 0.42);
    let d = &cites[2]["findings"][0];
    assert_eq!(d["kind"], "drifted");
    assert_eq!(d["similarity"].as_f64(), Some(0.31));
    assert_eq!(d["first_snapshot"], "2025-11-20T09:30:00Z");
    assert_eq!(d["this_snapshot"], "2026-12-04T09:00:00Z");
    assert_eq!(cites[5]["findings"][0]["search_url"], SEARCH);
    // Without findings, no key at all.
    assert!(cites[6].get("findings").is_none(), "{}", cites[6]);
    assert_eq!(
        v["summary"]["findings"],
        serde_json::json!({
            "outlet-mismatch": 1, "syndicated": 1, "date-mismatch": 1, "unchanged": 1,
            "changed": 1, "drifted": 2, "title": 1, "unlinked": 2
        })
    );
    // Every citation, findings and all, reads back as it was.
    let back: Document = serde_json::from_value(v["documents"][0].clone()).unwrap();
    assert_eq!(back, original);
}
