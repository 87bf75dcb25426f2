//! Output injection: text from documents and pages (titles, reasons,
//! outlets, file names, URLs) must not drive a terminal, break a report's
//! format or inject GitHub workflow commands, whatever characters it holds.

use crate::support;

use citevault::model::{
    ArchivedCopy, CheckResult, CheckStatus, Citation, CitedVia, Document, Format, Item, Timestamp,
};
use citevault::report::{JunitWriter, MarkdownWriter, ReportWriter, TextWriter};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::process::{Command, Output};
use support::server::*;

/// Everything a hostile digest or page could put in a field: an SGR colour,
/// an OSC title change, a C1 CSI, DEL, bidi overrides, line breaks, the
/// characters XML forbids, and ordinary Chinese text that must survive.
const EVIL: &str = "\u{1b}[31mEVIL\u{1b}[0m \u{1b}]0;owned\u{7} \u{9b}2J \u{7f} \u{202e}txt.exe\u{202c} \u{2067}x\u{2069} \u{ffff}\u{fffe}\u{0}\u{b}\u{c}\u{1f} 中文标题";

/// Characters that must never appear raw in a one-line field.
fn is_dangerous(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
        )
        || (c as u32 & 0xfffe) == 0xfffe
}

fn dangerous_in(s: &str) -> Vec<char> {
    s.chars().filter(|&c| is_dangerous(c)).collect()
}

/// Soft assertions: every problem of an output is listed, not only the first.
#[derive(Default)]
struct Checks(Vec<String>);

impl Checks {
    fn that(&mut self, ok: bool, what: impl std::fmt::Display) {
        if !ok {
            self.0.push(what.to_string());
        }
    }

    /// No raw control, bidi or noncharacter in `output`.
    fn clean(&mut self, name: &str, output: &str) {
        let raw = dangerous_in(output);
        self.that(raw.is_empty(), format!("{name}: raw {raw:?} in\n{output}"));
    }

    /// No line of `output` starts with one of `starts`.
    fn no_line(&mut self, name: &str, output: &str, starts: &[&str]) {
        for l in output.lines() {
            for s in starts {
                self.that(!l.starts_with(s), format!("{name}: injected line {l:?}"));
            }
        }
    }

    fn done(self) {
        assert!(
            self.0.is_empty(),
            "{} problems:\n\n{}",
            self.0.len(),
            self.0.join("\n\n")
        );
    }
}

fn result(status: CheckStatus, reason: &str) -> Box<CheckResult> {
    let mut r = CheckResult::new(status, reason);
    r.checked_at = Timestamp(1_795_000_000);
    r.attempts = 1;
    Box::new(r)
}

fn citation(url: Option<&str>, line: u32, check: Box<CheckResult>) -> Citation {
    Citation {
        url: url.map(str::to_string),
        outlet: Some(format!("Outlet {EVIL}")),
        outlet_id: Some(format!("id{EVIL}")),
        date: Some(format!("2025-11-28{EVIL}")),
        marker: Some(1),
        line,
        via: CitedVia::SourceList,
        check: Some(check),
        archive: None,
        remote: None,
        findings: Vec::new(),
        warnings: vec![format!("a warning {EVIL}")],
    }
}

/// A URL that tries to leave its Markdown link or autolink.
const BREAKOUT_URL: &str =
    "https://x.example/a)](https://evil.example/one) <b>x</b> [y](https://evil.example/two)|c`d>e";

fn hostile_document() -> Document {
    Document {
        source: format!("digests/evil\n::error file=x,line=1::injected\r\n| a | b |\n# {EVIL}.md"),
        format: Format::Markdown,
        title: Some(format!("Digest {EVIL}")),
        items: vec![
            Item {
                title: format!("Headline {EVIL}\n## Fake heading [link](https://evil.example/h) *em* `code` | cell"),
                line: 3,
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
                            Some(&format!("https://x.example/{EVIL}")),
                            5,
                            result(CheckStatus::Dead, &format!("404 {EVIL}\nsecond line")),
                        )
                    },
                    citation(
                        Some(BREAKOUT_URL),
                        6,
                        result(CheckStatus::Blocked, &format!("blocked {EVIL}")),
                    ),
                    citation(
                        Some("https://x.example/%E2%80%AEgpj.exe"),
                        7,
                        result(CheckStatus::Soft404, "soft"),
                    ),
                ],
            },
            Item {
                title: "Fine Headline 中文".into(),
                line: 10,
                citations: vec![citation(
                    Some("https://www.dw.com/zh/研究/a-1"),
                    11,
                    result(CheckStatus::Alive, "200 OK"),
                )],
            },
        ],
        citations: vec![],
    }
}

fn render(w: &mut dyn ReportWriter) {
    w.document(&hostile_document()).unwrap();
    w.error(&format!("bad\n{EVIL}"), &format!("cannot read: {EVIL}"))
        .unwrap();
    w.finish().unwrap();
}

#[test]
fn text_report_escapes_controls_and_keeps_text() {
    let mut buf = Vec::new();
    render(&mut TextWriter::new(&mut buf).with_archive(Some("archive".into())));
    let text = String::from_utf8(buf).unwrap();
    let mut check = Checks::default();
    check.clean("text", &text);
    // Visible escapes instead, and Chinese text intact.
    for shown in [
        r"\x1b[31mEVIL\x1b[0m",
        r"\u{202e}txt.exe",
        r"\x9b2J",
        r"\u{ffff}",
        "中文标题",
        "/zh/研究/a-1",
        // A percent-escaped bidi override is not decoded into the URL shown.
        "https://x.example/%E2%80%AEgpj.exe",
    ] {
        check.that(text.contains(shown), format!("text lacks {shown:?}"));
    }
    // A line break in a file name, title or reason starts no line of its own.
    check.no_line("text", &text, &["::", "## Fake", "second line", "| a |"]);
    check.done();
}

#[test]
fn text_report_keeps_its_own_colours() {
    let mut buf = Vec::new();
    render(&mut TextWriter::new(&mut buf).with_color(true));
    let text = String::from_utf8(buf).unwrap();
    // Four checked citations: each status is coloured and reset, and the
    // only escape sequences are those.
    let own = regex::Regex::new(r"\x1b\[[0-9;]+m[a-z0-9-]+ *\x1b\[0m").unwrap();
    let mut check = Checks::default();
    let n = own.find_iter(&text).count();
    check.that(n == 4, format!("{n} coloured statuses, not 4"));
    check.clean("text without its colours", &own.replace_all(&text, ""));
    check.done();
}

#[test]
fn junit_parses_with_xml_invalid_characters_everywhere() {
    let mut buf = Vec::new();
    render(&mut JunitWriter::new(
        &mut buf,
        vec![CheckStatus::Dead, CheckStatus::Soft404],
    ));
    let xml = String::from_utf8(buf).unwrap();
    let mut check = Checks::default();
    for c in xml.chars() {
        let cp = c as u32;
        let xml_char = matches!(c, '\t' | '\n' | '\r')
            || (0x20..=0xd7ff).contains(&cp)
            || (0xe000..=0xfffd).contains(&cp)
            || cp >= 0x10000;
        check.that(xml_char, format!("{c:?} is not an XML character"));
    }
    check.clean("junit", &xml);
    check.done();
    let doc =
        roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("invalid XML ({e}):\n{xml}"));
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 5, "4 citations and the unreadable input");
    let name = cases[0].attribute("name").unwrap();
    assert!(
        name.contains(r"Headline \x1b[31mEVIL\x1b[0m") && name.contains("中文标题"),
        "{name}"
    );
    let file = cases[0].attribute("file").unwrap();
    assert!(file.contains(r"evil\n::error"), "{file}");
    let failures: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert_eq!(failures.len(), 2);
    // Failure text keeps its line breaks.
    assert!(failures[0].text().unwrap().contains("\nsecond line"));
    assert!(failures[0]
        .attribute("message")
        .unwrap()
        .contains(r"\u{ffff}\u{fffe}\x00\x0b\x0c\x1f"));
}

/// The links, headings and table rows a Markdown report renders to.
#[derive(Debug, Default)]
struct Rendered {
    links: Vec<String>,
    headings: Vec<String>,
    /// Cells of each body row.
    rows: Vec<usize>,
    html: Vec<String>,
    emphasis: usize,
}

fn rendered(md: &str) -> Rendered {
    let mut r = Rendered::default();
    let mut heading: Option<String> = None;
    let mut in_head = false;
    for event in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                r.links.push(dest_url.to_string())
            }
            Event::Start(Tag::Emphasis | Tag::Strong) if heading.is_some() => r.emphasis += 1,
            Event::Html(h) | Event::InlineHtml(h) => r.html.push(h.to_string()),
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => r.headings.extend(heading.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = &mut heading {
                    h.push_str(&t);
                }
            }
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) => r.rows.push(0),
            Event::Start(Tag::TableCell) if !in_head => {
                if let Some(n) = r.rows.last_mut() {
                    *n += 1;
                }
            }
            _ => {}
        }
    }
    r
}

#[test]
fn markdown_cannot_be_broken_by_file_names_titles_or_urls() {
    let mut buf = Vec::new();
    render(&mut MarkdownWriter::new(&mut buf).with_archive(Some("archive".into())));
    let md = String::from_utf8(buf).unwrap();
    let mut check = Checks::default();
    check.clean("markdown", &md);
    check.no_line(
        "markdown",
        &md,
        &["::", "## Fake", "| a | b |", "second line"],
    );
    let r = rendered(&md);
    check.that(r.html.is_empty(), format!("raw HTML {:?}", r.html));
    check.that(r.emphasis == 0, "emphasis in a heading");
    // Exactly one autolink and one Wayback link per failing citation with a
    // URL, nothing else: the `)](` and `[y](…)` in the URL are not links.
    check.that(
        r.links.len() == 6,
        format!("6 links expected: {:#?}", r.links),
    );
    for l in &r.links {
        check.that(
            (l.starts_with("https://x.example/")
                || l.starts_with("https://web.archive.org/web/*/https://x.example/"))
                && !l.contains([' ', '>', '|']),
            format!("link {l:?}"),
        );
    }
    check.that(
        r.links
            .iter()
            .any(|l| l.starts_with("https://x.example/a)](https://evil")),
        "the breakout URL is one autolink",
    );
    check.that(
        r.links
            .iter()
            .any(|l| l.starts_with("https://web.archive.org/web/*/https://x.example/a%29%5D%28")),
        "the breakout URL is one Wayback link",
    );
    // The only body rows: the summary's, then one per failing citation,
    // all eight cells wide.
    check.that(
        r.rows.iter().filter(|&&n| n == 2).count() == 8
            && r.rows.iter().filter(|&&n| n == 8).count() == 3
            && r.rows.len() == 11,
        format!("rows {:?}", r.rows),
    );
    // The heading reads as the title, on one line, Markdown shown as text.
    check.that(
        r.headings.iter().any(|h| {
            h.starts_with(r"Headline \x1b[31mEVIL")
                && h.contains("## Fake heading [link](https://evil.example/h) *em* `code` | cell")
                && h.contains("中文标题")
        }),
        format!("headings {:#?}", r.headings),
    );
    if !check.0.is_empty() {
        check.0.push(md);
    }
    check.done();
}

/// The same attacks in plain ASCII (no control characters to give them
/// away): a file name with line breaks, a title with Markdown, a URL with
/// `)](`, `>` and spaces.
#[test]
fn markdown_structure_holds_against_plain_punctuation() {
    let mut doc = hostile_document();
    doc.source = "digests/a\n# Injected heading\n| x | y |\n`.md".into();
    doc.items[0].title = "Title [link](https://evil.example/t) | cell\n## Fake".into();
    for c in &mut doc.items[0].citations {
        c.outlet = Some("Outlet | with [a](https://evil.example/o)".into());
        c.outlet_id = None;
        c.date = None;
        if let Some(r) = &mut c.check {
            r.reason = "reason\n> quoted <script>x</script>".into();
        }
        c.url = Some(BREAKOUT_URL.into());
    }
    let mut buf = Vec::new();
    let mut w = MarkdownWriter::new(&mut buf);
    w.document(&doc).unwrap();
    w.finish().unwrap();
    let md = String::from_utf8(buf).unwrap();
    let mut check = Checks::default();
    check.no_line(
        "markdown",
        &md,
        &["# Injected", "| x | y |", "## Fake", "> quoted"],
    );
    let r = rendered(&md);
    check.that(r.html.is_empty(), format!("raw HTML {:?}", r.html));
    check.that(
        r.links.len() == 6 && r.links.iter().all(|l| !l.starts_with("https://evil.")),
        format!("6 links, none to evil.example: {:#?}", r.links),
    );
    check.that(
        r.headings.len() == 3,
        format!("the title, Summary and one item only: {:#?}", r.headings),
    );
    check.that(
        r.rows.iter().filter(|&&n| n == 8).count() == 3 && r.rows.iter().all(|&n| n == 2 || n == 8),
        format!("rows {:?}", r.rows),
    );
    check.that(
        md.contains("``digests/a\\n# Injected heading\\n| x | y |\\n`.md:3``"),
        "the file name is one code span",
    );
    if !check.0.is_empty() {
        check.0.push(md);
    }
    check.done();
}

async fn citevault(args: Vec<String>, github: bool) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_citevault"));
        cmd.env("CITEVAULT_NO_REMOTE", "1");
        cmd.args(&args).env_remove("NO_COLOR");
        if github {
            cmd.env("GITHUB_ACTIONS", "true");
        } else {
            cmd.env_remove("GITHUB_ACTIONS");
        }
        cmd.output().expect("binary runs")
    })
    .await
    .unwrap()
}

const PAGE_TITLE: &str = "\u{1b}[31mEVIL\u{1b}[0m \u{ffff} \u{202e}kcatta";

#[tokio::test]
async fn check_history_show_and_lookup_escape_a_hostile_page_and_digest() {
    let page = format!(
        "<html><head><title>{PAGE_TITLE}</title></head><body><p>Line one \u{1b}[2J\u{1b}]0;pwned\u{7} 中文正文 of the article, long enough to read.</p>\
         <p>Second\tparagraph \u{9b}31m of the article.</p></body></html>"
    );
    let s = serve("127.0.0.1", vec![("/evil", html(200, &page))]).await;
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("archive");
    let digest = tmp
        .path()
        .join("digest \u{1b}[31mred\n::error file=x,line=1::injected\r.md");
    std::fs::write(
        &digest,
        format!(
            "# Weekly\n\n## Evil \u{1b}[31mRED\u{1b}[0m \u{ffff} 中文 ::error::x, y\n\nSee [RFA, Nov 7, 2023]({evil}).\n\n\
             ## Gone \u{1b}]0;title\u{7} item\n\nSee [RFA, Nov 8, 2023]({gone}).\n",
            evil = s.url("/evil"),
            gone = s.url("/gone"),
        ),
    )
    .unwrap();
    let junit = tmp.path().join("report.xml");
    let markdown = tmp.path().join("report.md");
    let args = vec![
        "check".to_string(),
        "--allow-private".into(),
        "--host-request-interval".into(),
        "0ms".into(),
        "--archive".into(),
        archive.display().to_string(),
        "--output-junit".into(),
        junit.display().to_string(),
        "--output-markdown".into(),
        markdown.display().to_string(),
        digest.display().to_string(),
    ];
    let out = citevault(args, true).await;
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");

    let mut check = Checks::default();

    // Text report.
    check.clean("check text", &stdout);
    check.that(
        stdout.contains(r"digest \x1b[31mred\n::error"),
        "check text: the file name, escaped",
    );
    check.no_line("check text", &stdout, &["::", "\r"]);

    // GitHub annotations: one line per failing citation, every `::` line
    // a well-formed command, the file name's line breaks escaped.
    let commands: Vec<&str> = stderr.lines().filter(|l| l.starts_with("::")).collect();
    check.that(
        commands.len() == 1 && commands[0].starts_with("::error file="),
        format!("one ::error line expected: {commands:#?}"),
    );
    let cmd = commands.first().copied().unwrap_or_default();
    check.that(
        cmd.contains("red%0A%3A%3Aerror file=x%2Cline=1%3A%3Ainjected%0D.md,line="),
        format!("the file name escaped in {cmd:?}"),
    );
    check.that(
        cmd.contains(r",title=dead source%3A Gone \x1b]0;title\x07 item::"),
        format!("the title escaped in {cmd:?}"),
    );
    check.clean("annotations", &stderr);

    // JUnit parses; Markdown keeps the file name in one code span.
    let xml = std::fs::read_to_string(&junit).unwrap();
    check.that(
        roxmltree::Document::parse(&xml).is_ok(),
        format!("invalid JUnit XML:\n{xml}"),
    );
    check.clean("junit", &xml);
    let md = std::fs::read_to_string(&markdown).unwrap();
    check.clean("markdown", &md);
    check.no_line("markdown", &md, &["::", "\r"]);

    let dir = archive.display().to_string();
    // history: the transitions, with the hostile item title and file name.
    let out = citevault(
        vec!["history".into(), "--archive".into(), dir.clone()],
        false,
    )
    .await;
    let history = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{history}");
    check.that(history.contains("→ dead"), "history: the dead link");
    check.clean("history", &history);
    check.that(
        history.contains(r"\x1b]0;title\x07"),
        "history: the item title, escaped",
    );
    check.no_line("history", &history, &["::", "\r"]);

    // show: the page title and text, controls escaped, text kept.
    let url = s.url("/evil");
    let out = citevault(
        vec!["show".into(), "--archive".into(), dir.clone(), url.clone()],
        false,
    )
    .await;
    let shown = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{shown}");
    check.clean("show", &shown);
    check.that(
        shown.contains(r"title:    \x1b[31mEVIL\x1b[0m \u{ffff} \u{202e}kcatta"),
        "show: the page title, escaped",
    );
    check.that(
        shown.contains(r"Line one \x1b[2J\x1b]0;pwned\x07 中文正文"),
        "show: the page text, escaped",
    );

    // lookup: the snapshot's title and the checks.
    let out = citevault(vec!["lookup".into(), "--archive".into(), dir, url], false).await;
    let looked = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{looked}");
    check.clean("lookup", &looked);
    check.that(looked.contains("EVIL"), "lookup: the page title");
    check.done();
}

#[tokio::test]
async fn annotations_escape_titles_and_reasons() {
    let s = serve("127.0.0.1", vec![("/blocked", html(403, "no"))]).await;
    let tmp = tempfile::tempdir().unwrap();
    let digest = tmp.path().join("digest.md");
    std::fs::write(
        &digest,
        format!(
            "# Weekly\n\n## Title, with: colons :: and %0A \u{1b}[1mbold\n\nSee [RFA, Nov 7, 2023]({}).\n\n## Other\n\nSee [RFA, Nov 8, 2023]({}).\n",
            s.url("/blocked"),
            s.url("/gone"),
        ),
    )
    .unwrap();
    let out = citevault(
        vec![
            "check".into(),
            "--no-archive".into(),
            "--allow-private".into(),
            "--host-request-interval".into(),
            "0ms".into(),
            "--format".into(),
            "json".into(),
            digest.display().to_string(),
        ],
        true,
    )
    .await;
    let stderr = String::from_utf8(out.stderr).unwrap();
    let commands: Vec<&str> = stderr.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(commands.len(), 2, "{stderr}");
    assert!(commands.iter().any(|l| l.starts_with("::error file=")));
    let warning = commands
        .iter()
        .find(|l| l.starts_with("::warning "))
        .unwrap_or_else(|| panic!("{stderr}"));
    let mut check = Checks::default();
    // `:`, `,` and `%` in a property are escaped (the message may hold
    // `::`: only the first one ends the properties); ESC is shown, not sent.
    check.that(
        warning.contains(",title=blocked source%3A Title%2C with%3A colons %3A%3A and %250A "),
        format!("title property escaped in {warning:?}"),
    );
    check.that(
        warning.contains(r"\x1b[1mbold::"),
        format!("ESC shown in {warning:?}"),
    );
    check.clean("annotations", &stderr);
    check.done();
}
