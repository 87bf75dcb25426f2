//! Stage 4: results → formats. Writers stream one document at a time so a
//! large run never holds every document in memory.

mod html;
mod json;
mod junit;
mod markdown;
mod text;

pub use html::HtmlWriter;
pub use json::JsonWriter;
pub use junit::JunitWriter;
pub use markdown::MarkdownWriter;
pub(crate) use text::readable_url;
pub use text::TextWriter;

use crate::model::{
    ArchivedCopy, ArchivedProbe, CheckResult, CheckStatus, Document, Finding, FindingKind,
    RemoteCapture, RemoteCopy, Severity,
};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// For a terminal.
    Text,
    /// For programs (one document per line).
    Json,
    /// For a CI job summary or a pull request comment.
    Markdown,
    /// For CI test views.
    Junit,
    /// A self-contained page.
    Html,
}

/// What every writer may need beyond the documents.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// Colour statuses (text on a terminal).
    pub color: bool,
    /// Statuses that fail the run (JUnit marks them as failures).
    pub fail_on: Vec<CheckStatus>,
    /// The archive the copies are in, for the commands that print them.
    pub archive: Option<PathBuf>,
    /// Finding kinds that fail the run (`--fail-on outlet-mismatch`):
    /// JUnit marks a citation with such a finding as a failure, whatever
    /// its status. Empty by default (findings never fail the run).
    pub fail_on_findings: Vec<FindingKind>,
}

/// The one place a writer is chosen: every command that writes a report
/// goes through here.
pub fn writer<'a>(
    format: ReportFormat,
    out: Box<dyn Write + 'a>,
    opts: &ReportOptions,
) -> Box<dyn ReportWriter + 'a> {
    let archive = opts.archive.clone();
    match format {
        ReportFormat::Text => Box::new(
            TextWriter::new(out)
                .with_color(opts.color)
                .with_archive(archive),
        ),
        ReportFormat::Json => Box::new(JsonWriter::new(out).with_archive(archive)),
        ReportFormat::Markdown => Box::new(MarkdownWriter::new(out).with_archive(archive)),
        ReportFormat::Junit => Box::new(
            JunitWriter::new(out, opts.fail_on.clone())
                .with_fail_on_findings(opts.fail_on_findings.clone()),
        ),
        ReportFormat::Html => Box::new(HtmlWriter::new(out).with_archive(archive)),
    }
}

/// The command that prints an archived copy of `url`: the last good copy
/// when there is one, else the snapshot itself, always pinned with `--at`
/// (without it `show` opens the latest snapshot, which may be the 404).
pub(crate) fn show_command(archive: &Path, url: &str, copy: &ArchivedCopy) -> Option<String> {
    let at = copy.last_good.or(copy.snapshot_at)?;
    Some(format!(
        "citevault show --archive {} --at {at} {}",
        shell_quote(&archive.display().to_string()),
        shell_quote(url)
    ))
}

/// How an overridden status reads in every report, so an override is never
/// silent: `alive (overridden by citevault.toml; checker said dead: 404 Not
/// Found)`. `None` when no override changed the result.
pub(crate) fn overridden_label(r: &CheckResult) -> Option<String> {
    let o = r.overridden.as_ref()?;
    Some(format!(
        "{} (overridden by {}; checker said {}: {})",
        r.status, o.by, o.status, o.reason
    ))
}

/// The day a capture was taken or saved (`2025-11-20`).
pub(crate) fn capture_day(capture: &RemoteCapture) -> String {
    capture.captured_at.date()
}

/// The words a link to a public capture reads as, in the formats that
/// link it: `public copy, 2025-11-20`, or `saved to wayback, 2026-12-04`
/// for a copy Save Page Now just made.
pub(crate) fn remote_link_label(capture: &RemoteCapture) -> String {
    if capture.saved {
        format!("saved to {}, {}", capture.archive, capture_day(capture))
    } else {
        format!("public copy, {}", capture_day(capture))
    }
}

/// What a link to a public capture leaves out of its label: the archive
/// and the distance from the cited date (`wayback, 2 days after the cited
/// date`); `None` for a saved copy, whose label says it all.
pub(crate) fn remote_link_detail(capture: &RemoteCapture) -> Option<String> {
    if capture.saved {
        return None;
    }
    Some(match &capture.distance {
        Some(d) => format!("{}, {d}", capture.archive),
        None => capture.archive.clone(),
    })
}

/// How every report describes what the public web archives hold of a
/// citation, on one line (unescaped: each writer escapes it for its
/// format):
///
/// * `public copy: wayback, captured 2025-11-20 (2 days after the cited
///   date): https://web.archive.org/web/20251120093000/https://…`
/// * `saved to wayback 2026-12-04: https://web.archive.org/web/…`
/// * `no public copy (asked: wayback, archive.ph)`
/// * `not saved: Save Page Now: error:blocked-url …` for a submission
///   that failed
/// * `public archives could not be asked: wayback: 429 Too Many Requests`
///   when some archive did not answer and none had a copy: whether one
///   exists is then unknown, so it is never called "not archived".
pub(crate) fn remote_description(remote: &RemoteCopy) -> String {
    if let Some(k) = &remote.capture {
        return if k.saved {
            format!("saved to {} {}: {}", k.archive, capture_day(k), k.url)
        } else {
            let distance = k
                .distance
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            format!(
                "public copy: {}, captured {}{distance}: {}",
                k.archive,
                capture_day(k),
                k.url
            )
        };
    }
    match remote.problems.split_first() {
        Some((first, _)) if remote.save => format!("not saved: {first}"),
        Some((first, rest)) => {
            let more = match rest.len() {
                0 => String::new(),
                n => format!(" (and {n} more)"),
            };
            format!("public archives could not be asked: {first}{more}")
        }
        None if remote.asked.is_empty() => "no public copy (no archive asked)".to_string(),
        None => format!("no public copy (asked: {})", remote.asked.join(", ")),
    }
}

/// How every report names a finding: `outlet-mismatch (error)`, or
/// `title` for the page title set beside the item's (always for a person
/// to judge, so its severity goes unsaid).
pub(crate) fn finding_label(f: &Finding) -> String {
    match (f.kind, &f.found) {
        (FindingKind::Title, Some(_)) => FindingKind::Title.to_string(),
        _ => format!("{} ({})", f.kind, f.severity.as_str()),
    }
}

/// What a finding says after its [label](finding_label), unescaped and
/// without the search link of an unlinked citation:
///
/// * `the URL's host is apnews.com, not RFA's — similarity 0.83`
/// * `the main text changed — similarity 0.41 — first archived 2025-11-20,
///   compared with 2026-12-04` (drift, when both snapshots are known)
/// * `“The page's own title” (similarity 0.42)` for a `title` finding.
pub(crate) fn finding_detail(f: &Finding) -> String {
    // A figure that is not a number says nothing worth printing.
    let similarity = f.similarity.map(|s| s.0).filter(|s| s.is_finite());
    if let (FindingKind::Title, Some(title)) = (f.kind, &f.found) {
        return match similarity {
            Some(s) => format!("“{title}” (similarity {s:.2})"),
            None => format!("“{title}”"),
        };
    }
    let mut out = f.reason.clone();
    if let Some(s) = similarity {
        let _ = write!(out, " — similarity {s:.2}");
    }
    if let (Some(first), Some(this)) = (f.first_snapshot, f.this_snapshot) {
        let _ = write!(
            out,
            " — first archived {}, compared with {}",
            first.date(),
            this.date()
        );
    }
    out
}

/// The search for an unlinked citation's source, when its finding has one.
pub(crate) fn finding_search(f: &Finding) -> Option<&str> {
    f.search_url
        .as_deref()
        .filter(|_| f.kind == FindingKind::Unlinked)
}

/// How every report describes a finding, on one line (unescaped: each
/// writer escapes it for its format): `{kind} ({severity}): {reason}`,
/// then ` — similarity 0.83` when there is a figure and ` — search:
/// <url>` for an unlinked citation with a search; a `title` finding reads
/// `title: “page title” (similarity 0.42)`.
pub(crate) fn finding_line(f: &Finding) -> String {
    let mut line = format!("{}: {}", finding_label(f), finding_detail(f));
    if let Some(url) = finding_search(f) {
        let _ = write!(line, " — search: {url}");
    }
    line
}

/// Whether a finding asks for a person's attention in the reports that
/// list only such findings (Markdown's table, JUnit's output): a warning
/// or an error, or an unlinked citation (a link to add).
pub(crate) fn finding_notable(f: &Finding) -> bool {
    f.severity >= Severity::Warning || f.kind == FindingKind::Unlinked
}

/// The capture to link to, when there is one and its URL is a web
/// address (an archive's answer is not trusted to name a safe scheme:
/// `javascript:` is never linked).
pub(crate) fn linkable_capture(remote: &RemoteCopy) -> Option<&RemoteCapture> {
    remote.capture.as_ref().filter(|k| is_web_url(&k.url))
}

/// Whether `url` is an `http:` or `https:` URL.
pub(crate) fn is_web_url(url: &str) -> bool {
    let lower = |n: usize| url.get(..n).map(str::to_ascii_lowercase);
    lower(7).as_deref() == Some("http://") || lower(8).as_deref() == Some("https://")
}

/// The command that prints the archived answer to a soft-404 probe.
pub(crate) fn probe_show_command(archive: &Path, probe: &ArchivedProbe) -> String {
    format!(
        "citevault show --archive {} --at {} {}",
        shell_quote(&archive.display().to_string()),
        probe.snapshot_at,
        shell_quote(&probe.url)
    )
}

/// Whether a file begins like a report citevault wrote (Markdown or HTML),
/// so a run over a folder never reads last week's report as a digest.
pub(crate) fn is_own_report(start: &[u8]) -> bool {
    let start = &start[..start.len().min(512)];
    start.starts_with(b"# citevault report\n")
        || memchr::memmem::find(start, br#"<meta name="generator" content="citevault">"#).is_some()
}

/// Whether a character must never reach a terminal, a log or a report
/// raw: control characters (C0, DEL, C1 — ESC starts terminal escape
/// sequences), the bidirectional controls that reorder what a line shows,
/// the Unicode line and paragraph separators, and noncharacters (U+FFFE,
/// U+FFFF and the like, which XML forbids). Ordinary text of any script is
/// safe.
pub(crate) fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{FDD0}'..='\u{FDEF}'
        )
        || (c as u32 & 0xFFFE) == 0xFFFE
}

/// `s` with every [unsafe](is_unsafe_char) character except those in
/// `keep` written as a visible escape: `\n`, `\r`, `\t`, `\x1b` (up to
/// U+00FF), `\u{202e}` (above). Borrowed when there is nothing to escape.
/// Single-line fields pass `&[]`; page text keeps `['\n', '\t']`.
pub(crate) fn escape_controls<'a>(s: &'a str, keep: &[char]) -> Cow<'a, str> {
    let escaped = |c: char| is_unsafe_char(c) && !keep.contains(&c);
    if !s.chars().any(escaped) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            c if !escaped(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

/// One line of terminal text: [`escape_controls`] keeping nothing, so a
/// field can neither send escape sequences nor start a line of its own.
pub(crate) fn one_line(s: &str) -> Cow<'_, str> {
    escape_controls(s, &[])
}

/// Quotes a word for a POSIX shell when it needs it.
pub(crate) fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@%+,".contains(&b));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// A report being written document by document.
pub trait ReportWriter {
    /// Adds one document, with its check results if any. Some formats write
    /// it at once, others hold it until [`finish`](ReportWriter::finish).
    fn document(&mut self, doc: &Document) -> io::Result<()>;
    /// Records an input that could not be read (the run goes on).
    fn error(&mut self, source: &str, message: &str) -> io::Result<()>;
    /// Writes the summary and whatever was held back, and flushes. Call it
    /// once, after the last document; without it the output is incomplete.
    fn finish(&mut self) -> io::Result<()>;
}

/// Totals over a run, for summaries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Totals {
    pub documents: usize,
    pub items: usize,
    pub uncited_items: usize,
    pub citations: usize,
    pub unlinked: usize,
    pub errors: usize,
    /// Citations per check status (empty when nothing was checked).
    pub statuses: BTreeMap<CheckStatus, usize>,
    /// Citations whose status an override gave.
    pub overridden: usize,
    /// Findings per kind (empty when nothing was verified).
    pub findings: BTreeMap<FindingKind, usize>,
}

impl Totals {
    pub fn add(&mut self, doc: &Document) {
        self.documents += 1;
        self.items += doc.items.len();
        self.uncited_items += doc.uncited_items().count();
        for c in doc.all_citations() {
            self.citations += 1;
            self.unlinked += usize::from(c.is_unlinked());
            if let Some(r) = &c.check {
                *self.statuses.entry(r.status).or_default() += 1;
                self.overridden += usize::from(r.overridden.is_some());
            }
            for f in &c.findings {
                *self.findings.entry(f.kind).or_default() += 1;
            }
        }
    }
}

impl Totals {
    /// "12 alive, 3 dead, 1 soft-404" in the order of [`CheckStatus::ALL`].
    pub fn status_line(&self) -> String {
        self.statuses
            .iter()
            .map(|(s, n)| format!("{n} {s}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// "2 outlet-mismatch, 1 drifted, 3 unlinked" in the order of
    /// [`FindingKind::ALL`]; empty when there are no findings.
    pub fn findings_line(&self) -> String {
        self.findings
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::{
        escape_controls, finding_line, is_web_url, one_line, remote_description, JsonWriter,
        ReportWriter,
    };
    use crate::model::{
        CheckResult, CheckStatus, Citation, CitedVia, Document, Finding, FindingKind, Format,
        RemoteCapture, RemoteCopy, Score, Severity, Timestamp,
    };

    fn capture(saved: bool) -> RemoteCapture {
        RemoteCapture {
            archive: "wayback".into(),
            url: "https://web.archive.org/web/20251120093000/https://x.example/a".into(),
            captured_at: "2025-11-20T09:30:00Z".parse().unwrap(),
            http_status: 200,
            distance: (!saved).then(|| "2 days after the cited date".into()),
            distance_days: (!saved).then_some(2),
            saved,
        }
    }

    fn remote(capture: Option<RemoteCapture>, problems: &[&str]) -> RemoteCopy {
        RemoteCopy {
            capture,
            asked: vec!["wayback".into(), "archive.ph".into()],
            looked_up_at: Timestamp(1_795_000_000),
            problems: problems.iter().map(|p| p.to_string()).collect(),
            save: false,
        }
    }

    #[test]
    fn public_copies_are_described_in_one_wording() {
        assert_eq!(
            remote_description(&remote(Some(capture(false)), &[])),
            "public copy: wayback, captured 2025-11-20 (2 days after the cited date): \
             https://web.archive.org/web/20251120093000/https://x.example/a"
        );
        let mut undated = capture(false);
        undated.distance = None;
        assert_eq!(
            remote_description(&remote(Some(undated), &["archive.ph: timed out"])),
            "public copy: wayback, captured 2025-11-20: \
             https://web.archive.org/web/20251120093000/https://x.example/a"
        );
        assert_eq!(
            remote_description(&remote(Some(capture(true)), &[])),
            "saved to wayback 2025-11-20: \
             https://web.archive.org/web/20251120093000/https://x.example/a"
        );
        assert_eq!(
            remote_description(&remote(None, &[])),
            "no public copy (asked: wayback, archive.ph)"
        );
        // Unknown is not "not archived".
        assert_eq!(
            remote_description(&remote(None, &["wayback: 429 Too Many Requests"])),
            "public archives could not be asked: wayback: 429 Too Many Requests"
        );
        assert_eq!(
            remote_description(&remote(None, &["wayback: 429", "archive.ph: timed out"])),
            "public archives could not be asked: wayback: 429 (and 1 more)"
        );
        let mut refused = remote(
            None,
            &["Save Page Now: error:blocked-url (the site asks not to be archived)"],
        );
        refused.save = true;
        assert_eq!(
            remote_description(&refused),
            "not saved: Save Page Now: error:blocked-url (the site asks not to be archived)"
        );
        assert!(is_web_url("https://x") && is_web_url("HTTP://x"));
        assert!(!is_web_url("javascript:alert(1)") && !is_web_url("http:x") && !is_web_url("h"));
    }

    #[test]
    fn json_reports_carry_the_remote_copy() {
        let mut check = CheckResult::new(CheckStatus::Dead, "404 Not Found");
        check.checked_at = Timestamp(1_795_000_000);
        let citation = Citation {
            url: Some("https://x.example/a".into()),
            outlet: None,
            outlet_id: None,
            date: Some("2025-11-18".into()),
            marker: None,
            line: 3,
            via: CitedVia::BareUrl,
            check: Some(Box::new(check)),
            archive: None,
            remote: Some(Box::new(remote(
                Some(capture(false)),
                &["archive.ph: timed out"],
            ))),
            findings: Vec::new(),
            warnings: Vec::new(),
        };
        let doc = Document {
            source: "d.md".into(),
            format: Format::Markdown,
            title: None,
            items: Vec::new(),
            citations: vec![citation],
        };
        // With and without an archive (which rewrites the document as a value).
        for archive in [None, Some("archive".into())] {
            let mut buf = Vec::new();
            let mut w = JsonWriter::new(&mut buf).with_archive(archive);
            w.document(&doc).unwrap();
            w.finish().unwrap();
            let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
            let r = &v["documents"][0]["citations"][0]["remote"];
            assert_eq!(r["capture"]["archive"], "wayback");
            assert_eq!(r["capture"]["captured_at"], "2025-11-20T09:30:00Z");
            assert_eq!(r["capture"]["http_status"], 200);
            assert_eq!(r["capture"]["distance"], "2 days after the cited date");
            assert_eq!(r["capture"]["distance_days"], 2);
            assert_eq!(r["asked"], serde_json::json!(["wayback", "archive.ph"]));
            assert_eq!(r["problems"], serde_json::json!(["archive.ph: timed out"]));
            let back: RemoteCopy = serde_json::from_value(r.clone()).unwrap();
            assert_eq!(&back, doc.citations[0].remote.as_deref().unwrap());
        }
    }

    fn drifted() -> Finding {
        let mut f = Finding::new(
            FindingKind::Drifted,
            Severity::Warning,
            "the main text is no longer what was first archived",
        );
        f.source = Some("archive".into());
        f.similarity = Some(Score(0.41234));
        f.first_snapshot = Some(Timestamp(1_763_631_000));
        f.this_snapshot = Some(Timestamp(1_795_000_000));
        f
    }

    #[test]
    fn findings_are_worded_once_for_every_format() {
        assert_eq!(
            finding_line(&Finding::new(
                FindingKind::OutletMismatch,
                Severity::Error,
                "the URL's host is apnews.com, not RFA's"
            )),
            "outlet-mismatch (error): the URL's host is apnews.com, not RFA's"
        );
        assert_eq!(
            finding_line(&drifted()),
            "drifted (warning): the main text is no longer what was first archived \
             — similarity 0.41 — first archived 2025-11-20, compared with 2026-11-18"
        );
        let mut title = Finding::new(FindingKind::Title, Severity::Info, "page title: “Gone”");
        title.found = Some("Gone".into());
        title.similarity = Some(Score(0.42));
        assert_eq!(finding_line(&title), "title: “Gone” (similarity 0.42)");
        title.similarity = Some(Score(f64::NAN));
        assert_eq!(finding_line(&title), "title: “Gone”");
        let mut unlinked = Finding::new(
            FindingKind::Unlinked,
            Severity::Info,
            "cites RFA, 2025-11-18 without a link",
        );
        unlinked.search_url = Some("https://www.rfa.org/search?q=Gone".into());
        assert_eq!(
            finding_line(&unlinked),
            "unlinked (info): cites RFA, 2025-11-18 without a link \
             — search: https://www.rfa.org/search?q=Gone"
        );
    }

    #[test]
    fn json_reports_carry_the_findings() {
        let mut unlinked = Finding::new(FindingKind::Unlinked, Severity::Info, "no link");
        unlinked.search_url = Some("https://www.rfa.org/search?q=Gone".into());
        let citation = Citation {
            url: Some("https://x.example/a".into()),
            outlet: Some("RFA".into()),
            outlet_id: None,
            date: Some("2025-11-18".into()),
            marker: None,
            line: 3,
            via: CitedVia::BareUrl,
            check: None,
            archive: None,
            remote: None,
            findings: vec![drifted(), unlinked],
            warnings: Vec::new(),
        };
        let doc = Document {
            source: "d.md".into(),
            format: Format::Markdown,
            title: None,
            items: Vec::new(),
            citations: vec![citation],
        };
        for archive in [None, Some("archive".into())] {
            let mut buf = Vec::new();
            let mut w = JsonWriter::new(&mut buf).with_archive(archive);
            w.document(&doc).unwrap();
            w.finish().unwrap();
            let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
            let f = &v["documents"][0]["citations"][0]["findings"];
            assert_eq!(f[0]["kind"], "drifted");
            assert_eq!(f[0]["severity"], "warning");
            assert_eq!(f[0]["source"], "archive");
            assert_eq!(f[0]["similarity"], 0.412);
            assert_eq!(f[0]["first_snapshot"], "2025-11-20T09:30:00Z");
            assert_eq!(f[0]["this_snapshot"], "2026-11-18T11:06:40Z");
            assert_eq!(f[1]["kind"], "unlinked");
            assert_eq!(f[1]["search_url"], "https://www.rfa.org/search?q=Gone");
            assert!(f[1].get("similarity").is_none());
            let back: Vec<Finding> = serde_json::from_value(f.clone()).unwrap();
            assert_eq!(back[1], doc.citations[0].findings[1]);
            assert_eq!(back[0].similarity, Some(Score(0.412)));
            assert_eq!(
                v["summary"]["findings"],
                serde_json::json!({"drifted": 1, "unlinked": 1})
            );
        }
    }

    #[test]
    fn controls_are_escaped_visibly_and_text_is_kept() {
        assert_eq!(
            one_line("a\u{1b}[31mEVIL\u{1b}[0m\u{9b}\u{7f}\u{0}"),
            "a\\x1b[31mEVIL\\x1b[0m\\x9b\\x7f\\x00"
        );
        assert_eq!(
            one_line("x\u{202e}y\u{2066}\u{ffff}\u{fffe}"),
            "x\\u{202e}y\\u{2066}\\u{ffff}\\u{fffe}"
        );
        assert_eq!(one_line("two\nlines\r\t"), "two\\nlines\\r\\t");
        assert_eq!(
            escape_controls("two\nlines\tand\r", &['\n', '\t']),
            "two\nlines\tand\\r"
        );
        let plain = "中国研究 — «ok» 🇨🇳 a\u{200d}b";
        assert!(matches!(one_line(plain), std::borrow::Cow::Borrowed(p) if p == plain));
    }
}
