//! Public archived copies (`Citation::remote`) in every report format: the
//! capture closest to the cited date for a failing citation, "none" and
//! "could not be asked" told apart, a Save Page Now copy of an alive one,
//! and memento URLs from archives kept inert.

use citevault::model::{
    CheckResult, CheckStatus, Citation, CitedVia, Document, Format, Item, RemoteCapture,
    RemoteCopy, Timestamp,
};
use citevault::report::{writer, ReportFormat, ReportOptions};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

const MEMENTO: &str = "https://web.archive.org/web/20251120093000/https://x.example/dead";
const SAVED: &str = "https://web.archive.org/web/20261204100000/https://x.example/alive";
const BREAKOUT: &str =
    "https://web.archive.org/web/20251120093000/https://x.example/a)](javascript:alert(1))";
const TAG: &str =
    "https://web.archive.org/web/20251120093000/https://x.example/b\"><script>alert(2)</script>";

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn checked(status: CheckStatus, reason: &str) -> Option<Box<CheckResult>> {
    let mut r = CheckResult::new(status, reason);
    r.checked_at = ts("2026-12-04T09:00:00Z");
    r.attempts = 1;
    r.http_status = Some(404);
    Some(Box::new(r))
}

fn citation(path: &str, line: u32, check: Option<Box<CheckResult>>) -> Citation {
    Citation {
        url: Some(format!("https://x.example/{path}")),
        outlet: Some("RFA".into()),
        outlet_id: None,
        date: Some("2025-11-18".into()),
        marker: None,
        line,
        via: CitedVia::Link,
        check,
        archive: None,
        remote: None,
        findings: Vec::new(),
        warnings: Vec::new(),
    }
}

fn capture(url: &str, saved: bool) -> RemoteCapture {
    RemoteCapture {
        archive: "wayback".into(),
        url: url.into(),
        captured_at: ts(if saved {
            "2026-12-04T10:00:00Z"
        } else {
            "2025-11-20T09:30:00Z"
        }),
        http_status: 200,
        distance: (!saved).then(|| "2 days after the cited date".into()),
        distance_days: (!saved).then_some(2),
        saved,
    }
}

fn remote(capture: Option<RemoteCapture>, problems: &[&str]) -> Option<Box<RemoteCopy>> {
    Some(Box::new(RemoteCopy {
        capture,
        asked: vec!["wayback".into(), "archive.ph".into()],
        looked_up_at: ts("2026-12-04T09:01:00Z"),
        problems: problems.iter().map(|p| p.to_string()).collect(),
        save: false,
    }))
}

/// A dead citation with a capture, one nobody archived, a soft-404 the
/// archives could not be asked about, an alive one just saved, and one
/// without a lookup (rendered as always).
fn document() -> Document {
    Document {
        source: "digest.md".into(),
        format: Format::Markdown,
        title: None,
        items: vec![Item {
            title: "Gone sources".into(),
            line: 1,
            citations: vec![
                Citation {
                    remote: remote(Some(capture(MEMENTO, false)), &["archive.ph: timed out"]),
                    ..citation("dead", 3, checked(CheckStatus::Dead, "404 Not Found"))
                },
                Citation {
                    remote: remote(None, &[]),
                    ..citation("never", 4, checked(CheckStatus::Dead, "404 Not Found"))
                },
                Citation {
                    remote: remote(None, &["wayback: 429 Too Many Requests"]),
                    ..citation(
                        "soft",
                        5,
                        checked(CheckStatus::Soft404, "the page is an error page"),
                    )
                },
                Citation {
                    remote: remote(Some(capture(SAVED, true)), &[]),
                    ..citation("alive", 6, checked(CheckStatus::Alive, "200 OK"))
                },
                citation("plain", 7, checked(CheckStatus::Dead, "410 Gone")),
            ],
        }],
        citations: vec![],
    }
}

/// Failing citations whose "captures" try to break out of a link or
/// into the page, or name a `javascript:` URL.
fn hostile() -> Document {
    let dead = |path: &str, line: u32, memento: &str| Citation {
        remote: remote(
            Some(capture(memento, false)),
            &["<img src=x onerror=alert(3)>"],
        ),
        ..citation(path, line, checked(CheckStatus::Dead, "404 Not Found"))
    };
    Document {
        source: "hostile.md".into(),
        format: Format::Markdown,
        title: None,
        items: vec![Item {
            title: "Hostile archives".into(),
            line: 1,
            citations: vec![
                dead("one", 3, BREAKOUT),
                dead("two", 4, TAG),
                dead("three", 5, "javascript:alert(4)"),
                Citation {
                    remote: remote(
                        None,
                        &["wayback: <script>alert(5)</script> )](javascript:x)"],
                    ),
                    ..citation("four", 6, checked(CheckStatus::Dead, "404 Not Found"))
                },
            ],
        }],
        citations: vec![],
    }
}

fn render(format: ReportFormat, docs: &[Document]) -> String {
    let mut buf = Vec::new();
    {
        let opts = ReportOptions {
            color: false,
            fail_on: vec![CheckStatus::Dead, CheckStatus::Soft404],
            archive: None,
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

#[test]
fn text_shows_the_public_copy_under_the_citation() {
    let text = render(ReportFormat::Text, &[document()]);
    let indented = |s: &str| format!("\n                     {s}\n");
    for line in [
        format!(
            "public copy: wayback, captured 2025-11-20 (2 days after the cited date): {MEMENTO}"
        ),
        "no public copy (asked: wayback, archive.ph)".to_string(),
        "public archives could not be asked: wayback: 429 Too Many Requests".to_string(),
        format!("saved to wayback 2026-12-04: {SAVED}"),
    ] {
        assert!(text.contains(&indented(&line)), "{line:?} in\n{text}");
    }
    // Each under its own citation, after the reason.
    let block = |path: &str| {
        let lines: Vec<&str> = text.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.contains(&format!("https://x.example/{path}")))
            .unwrap();
        let end = lines[at + 1..]
            .iter()
            .position(|l| !l.starts_with(&" ".repeat(21)))
            .map_or(lines.len(), |n| at + 1 + n);
        lines[at + 1..end].join("\n")
    };
    let dead = block("dead");
    assert!(
        dead.find("404 Not Found") < dead.find(MEMENTO) && dead.contains(MEMENTO),
        "{dead}"
    );
    assert!(block("never").contains("no public copy"));
    assert!(block("soft").contains("public archives could not be asked"));
    assert!(block("alive").contains(SAVED));
    // Unknown is never "not archived".
    assert_eq!(text.matches("no public copy").count(), 1, "{text}");
    // A citation without a lookup has no such line.
    assert_eq!(block("plain").trim(), "410 Gone", "{text}");
}

/// The links of a Markdown report (destination, text) and its text.
fn markdown_links(md: &str) -> (Vec<(String, String)>, String, Vec<String>) {
    let mut links = Vec::new();
    let mut text = String::new();
    let mut html = Vec::new();
    let mut open: Option<(String, String)> = None;
    for event in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                open = Some((dest_url.to_string(), String::new()))
            }
            Event::End(TagEnd::Link) => links.extend(open.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, label)) = &mut open {
                    label.push_str(&t);
                }
                text.push_str(&t);
            }
            Event::Html(h) | Event::InlineHtml(h) => html.push(h.to_string()),
            Event::End(TagEnd::TableCell) => text.push('|'),
            Event::End(
                TagEnd::TableRow | TagEnd::TableHead | TagEnd::Heading(_) | TagEnd::Paragraph,
            ) => text.push('\n'),
            _ => {}
        }
    }
    (links, text, html)
}

#[test]
fn markdown_links_the_capture_instead_of_the_generic_wayback_search() {
    let md = render(ReportFormat::Markdown, &[document()]);
    let (links, text, html) = markdown_links(&md);
    assert!(html.is_empty(), "{html:?}");
    assert!(
        links.contains(&(MEMENTO.to_string(), "public copy, 2025-11-20".to_string())),
        "{links:#?}\n{md}"
    );
    assert!(
        text.contains("(wayback, 2 days after the cited date)"),
        "{text}"
    );
    // The capture replaces the generic link; the others keep it.
    let generic = |path: &str| format!("https://web.archive.org/web/*/https://x.example/{path}");
    let dests: Vec<&str> = links.iter().map(|(d, _)| d.as_str()).collect();
    assert!(!dests.contains(&generic("dead").as_str()), "{dests:#?}");
    for path in ["never", "soft", "plain"] {
        assert!(
            dests.contains(&generic(path).as_str()),
            "{path}: {dests:#?}"
        );
    }
    assert!(
        text.contains("Wayback — no public copy (asked: wayback, archive.ph)|"),
        "{text}"
    );
    assert!(
        text.contains(
            "Wayback — public archives could not be asked: wayback: 429 Too Many Requests|"
        ),
        "{text}"
    );
    assert_eq!(text.matches("no public copy").count(), 1, "{text}");
    // Every failing citation's row keeps its eight cells.
    let rows: Vec<&str> = text.lines().filter(|l| l.contains("x.example/")).collect();
    assert_eq!(rows.len(), 4, "{text}");
    assert!(
        rows.iter().all(|r| r.matches('|').count() == 8),
        "{rows:#?}"
    );
    // The plain citation's row is as it always was.
    assert!(md.contains(
        "| 7 | **dead** | RFA, 2025-11-18 | <https://x.example/plain> | 410 Gone |  |  | \
         [Wayback](https://web.archive.org/web/*/https://x.example/plain) |\n"
    ));
}

#[test]
fn markdown_memento_links_stay_one_inert_link() {
    let md = render(ReportFormat::Markdown, &[hostile()]);
    let (links, text, html) = markdown_links(&md);
    assert!(html.is_empty(), "raw HTML {html:?}\n{md}");
    for (dest, _) in &links {
        assert!(
            dest.starts_with("https://x.example/")
                || dest.starts_with("https://web.archive.org/web/"),
            "link {dest:?}\n{md}"
        );
        assert!(
            !dest.to_ascii_lowercase().contains("javascript:x"),
            "{dest}"
        );
    }
    // The `)](` memento is one link, to exactly where it said.
    assert!(
        links.contains(&(BREAKOUT.to_string(), "public copy, 2025-11-20".into())),
        "{links:#?}\n{md}"
    );
    // The tag memento too, its quote and brackets percent-encoded.
    let encoded = TAG
        .replace('"', "%22")
        .replace('<', "%3C")
        .replace('>', "%3E");
    assert!(
        links.contains(&(encoded, "public copy, 2025-11-20".into())),
        "{links:#?}\n{md}"
    );
    // A `javascript:` capture is shown, not linked.
    assert!(
        !links.iter().any(|(d, _)| d.starts_with("javascript")),
        "{links:#?}"
    );
    assert!(text.contains("public copy: wayback, captured 2025-11-20 (2 days after the cited date): javascript:alert(4)"), "{text}");
    assert!(
        text.contains("public archives could not be asked: wayback: <script>alert(5)</script> )](javascript:x)"),
        "{text}"
    );
    // Three links per citation at most: the URL, the public copy or the
    // generic Wayback link.
    assert_eq!(links.len(), 8, "{links:#?}");
    let rows: Vec<&str> = text.lines().filter(|l| l.contains("x.example/")).collect();
    assert!(
        rows.len() == 4 && rows.iter().all(|r| r.matches('|').count() == 8),
        "{rows:#?}"
    );
}

#[test]
fn html_links_the_capture_in_the_citation_row() {
    let page = render(ReportFormat::Html, &[document()]);
    let html = scraper::Html::parse_document(&page);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let row = |path: &str| {
        html.select(&sel("tr.row"))
            .find(|r| {
                r.select(&sel("a"))
                    .any(|a| a.value().attr("href") == Some(&format!("https://x.example/{path}")))
            })
            .unwrap_or_else(|| panic!("no row for {path}"))
    };
    let links = |path: &str| -> Vec<(String, String)> {
        row(path)
            .select(&sel("a"))
            .map(|a| {
                (
                    a.value().attr("href").unwrap_or_default().to_string(),
                    a.text().collect(),
                )
            })
            .collect()
    };
    let text = |path: &str| row(path).text().collect::<String>();
    let generic = |path: &str| format!("https://web.archive.org/web/*/https://x.example/{path}");

    let dead = links("dead");
    assert!(
        dead.contains(&(MEMENTO.into(), "public copy, 2025-11-20".into())),
        "{dead:?}"
    );
    assert!(!dead.iter().any(|(h, _)| *h == generic("dead")), "{dead:?}");
    assert!(text("dead").contains("(wayback, 2 days after the cited date)"));
    let title = row("dead")
        .select(&sel("a.remote"))
        .next()
        .and_then(|a| a.value().attr("title").map(str::to_string))
        .unwrap();
    assert!(
        title.starts_with("public copy: wayback, captured 2025-11-20"),
        "{title}"
    );

    let saved = links("alive");
    assert!(
        saved.contains(&(SAVED.into(), "saved to wayback, 2026-12-04".into())),
        "{saved:?}"
    );
    assert!(links("never").iter().any(|(h, _)| *h == generic("never")));
    assert!(text("never").contains("no public copy (asked: wayback, archive.ph)"));
    assert!(text("soft").contains("public archives could not be asked: wayback: 429"));
    assert!(!text("soft").contains("no public copy"));
    assert!(!text("plain").contains("public"));
}

#[test]
fn html_memento_urls_are_escaped() {
    let page = render(ReportFormat::Html, &[hostile()]);
    let html = scraper::Html::parse_document(&page);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    // The page's own script only; no injected element or handler.
    assert_eq!(html.select(&sel("script")).count(), 1, "{page}");
    assert_eq!(html.select(&sel("img")).count(), 0, "{page}");
    let hrefs: Vec<&str> = html
        .select(&sel("a[href]"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        hrefs.iter().all(|h| h.starts_with("https://")),
        "{hrefs:#?}"
    );
    // The mementos are linked as given, attribute-escaped.
    assert!(
        hrefs.contains(&BREAKOUT) && hrefs.contains(&TAG),
        "{hrefs:#?}"
    );
    let body: String = html.root_element().text().collect();
    assert!(body.contains("javascript:alert(4)"));
    assert!(body.contains("<script>alert(5)</script>"));
}

#[test]
fn junit_failures_name_the_public_copy() {
    let xml = render(ReportFormat::Junit, &[document(), hostile()]);
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let case = |url: &str| {
        doc.descendants()
            .find(|n| {
                n.has_tag_name("testcase")
                    && n.attribute("name")
                        .is_some_and(|a| a.ends_with(&format!("https://x.example/{url}")))
            })
            .unwrap_or_else(|| panic!("no testcase for {url}"))
    };
    let child_text = |url: &str, tag: &str| {
        case(url)
            .children()
            .find(|n| n.has_tag_name(tag))
            .and_then(|n| n.text())
            .unwrap_or_default()
            .to_string()
    };
    let dead = child_text("dead", "failure");
    assert!(
        dead.contains(&format!(
            "\npublic copy: wayback, captured 2025-11-20 (2 days after the cited date): {MEMENTO}"
        )),
        "{dead}"
    );
    assert!(
        child_text("never", "failure").ends_with("\nno public copy (asked: wayback, archive.ph)")
    );
    assert!(child_text("soft", "failure")
        .ends_with("\npublic archives could not be asked: wayback: 429 Too Many Requests"));
    assert_eq!(
        child_text("alive", "system-out"),
        format!("saved to wayback 2026-12-04: {SAVED}")
    );
    assert!(!child_text("plain", "failure").contains("public"));
    // Hostile text is text.
    assert!(child_text("two", "failure").contains(TAG));
    assert!(!doc.descendants().any(|n| n.has_tag_name("script")));
}

#[test]
fn json_round_trips_the_remote_copy() {
    let json = render(ReportFormat::Json, &[document()]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let cites = &v["documents"][0]["items"][0]["citations"];
    let r = &cites[0]["remote"];
    assert_eq!(r["capture"]["archive"], "wayback");
    assert_eq!(r["capture"]["url"], MEMENTO);
    assert_eq!(r["capture"]["captured_at"], "2025-11-20T09:30:00Z");
    assert_eq!(r["capture"]["http_status"], 200);
    assert_eq!(r["capture"]["distance"], "2 days after the cited date");
    assert_eq!(r["capture"]["distance_days"], 2);
    assert_eq!(r["asked"], serde_json::json!(["wayback", "archive.ph"]));
    assert_eq!(r["looked_up_at"], "2026-12-04T09:01:00Z");
    assert_eq!(r["problems"], serde_json::json!(["archive.ph: timed out"]));
    assert!(cites[1]["remote"]["capture"].is_null());
    assert_eq!(cites[3]["remote"]["capture"]["saved"], true);
    assert!(cites[4].get("remote").is_none(), "no lookup, no field");
    let back: Document = serde_json::from_value(v["documents"][0].clone()).unwrap();
    assert_eq!(back, document());
}
