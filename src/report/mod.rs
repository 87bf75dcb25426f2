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

use crate::model::{ArchivedCopy, ArchivedProbe, CheckResult, CheckStatus, Document};
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
        ReportFormat::Junit => Box::new(JunitWriter::new(out, opts.fail_on.clone())),
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
}

#[cfg(test)]
mod tests {
    use super::{escape_controls, one_line};

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
