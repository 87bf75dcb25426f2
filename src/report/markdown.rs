use super::{
    finding_detail, finding_label, finding_notable, finding_search, is_unsafe_char, is_web_url,
    linkable_capture, one_line, readable_url, remote_description, remote_link_detail,
    remote_link_label, show_command, ReportWriter, Totals,
};
use crate::model::{CheckStatus, Citation, Document, Finding, RemoteCopy};
use std::io::{self, Write};
use std::path::PathBuf;

/// Markdown for pull-request comments and `$GITHUB_STEP_SUMMARY`: a
/// summary table, then one section per item with a failing citation, then
/// a table of the verification findings that want a look (warnings,
/// errors, unlinked citations with their search linked). Sections are held
/// until the end, since the summary comes first.
pub struct MarkdownWriter<W: Write> {
    out: W,
    totals: Totals,
    body: Vec<u8>,
    /// Rows of the table of overridden citations, written after the rest.
    overridden: Vec<u8>,
    /// Rows of the table of findings, written after the failing citations.
    findings: Vec<u8>,
    archive: Option<PathBuf>,
}

impl<W: Write> MarkdownWriter<W> {
    /// A report written to `out`. Everything is written by
    /// [`finish`](ReportWriter::finish), as the summary comes first.
    pub fn new(out: W) -> Self {
        MarkdownWriter {
            out,
            totals: Totals::default(),
            body: Vec::new(),
            overridden: Vec::new(),
            findings: Vec::new(),
            archive: None,
        }
    }

    /// Names the archive in the commands that print archived copies.
    pub fn with_archive(mut self, archive: Option<PathBuf>) -> Self {
        self.archive = archive;
        self
    }
}

fn failing(c: &Citation) -> bool {
    c.check
        .as_ref()
        .is_some_and(|r| !matches!(r.status, CheckStatus::Alive | CheckStatus::Skipped))
}

/// Text safe inside a Markdown heading or table cell: one line (line
/// breaks and tabs become spaces, other controls visible escapes), no
/// table breaks, no HTML (`<again>` in a headline is text, not a tag), no
/// links, code or emphasis: Markdown's punctuation is backslash-escaped.
fn cell(s: &str) -> String {
    let flat = s.replace(['\n', '\r', '\t'], " ");
    let mut out = String::with_capacity(flat.len() + 8);
    for c in one_line(&flat).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '|' | '#' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// An inline code span showing `s` on one line: controls escaped, fenced
/// with more backticks than `s` holds in a row, so nothing in a file name
/// ends the span or starts a line.
fn code(s: &str) -> String {
    let s = one_line(s);
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// A URL made safe as a link target: characters that could end an autolink
/// (`<…>`) or a link destination (`(…)`), split a table row, or are
/// whitespace or controls are percent-encoded, so a URL containing `)](`,
/// `>` or spaces stays one link to the same place. With `in_parens`, the
/// brackets and parentheses are encoded too.
fn link_target(url: &str, in_parens: bool) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        let encode = c.is_whitespace()
            || is_unsafe_char(c)
            || matches!(c, '<' | '>' | '"' | '`' | '|' | '\\' | '^' | '{' | '}')
            || (in_parens && matches!(c, '(' | ')' | '[' | ']'));
        if encode {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `url` begins with a scheme, as an autolink must; anything else
/// between `<` and `>` could read as an HTML tag.
fn has_scheme(url: &str) -> bool {
    let Some((scheme, _)) = url.split_once(':') else {
        return false;
    };
    (2..=32).contains(&scheme.len())
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
}

/// The "elsewhere" cell of a failing citation whose public copies were
/// looked up: the capture found, linked in place of the generic Wayback
/// link (`[public copy, 2025-11-20](<memento>) (wayback, 2 days after the
/// cited date)`); else the generic link and why there is no capture
/// (`[Wayback](…) — no public copy (asked: wayback)`, `… — public
/// archives could not be asked: …`).
fn public_copy(remote: &RemoteCopy, wayback: String) -> String {
    let Some(capture) = linkable_capture(remote) else {
        let note = cell(&remote_description(remote));
        return if wayback.is_empty() {
            note
        } else {
            format!("{wayback} — {note}")
        };
    };
    let link = format!(
        "[{}](<{}>)",
        cell(&remote_link_label(capture)),
        link_target(&capture.url, false)
    );
    match remote_link_detail(capture) {
        Some(detail) => format!("{link} ({})", cell(&detail)),
        None => link,
    }
}

/// The reason cell of a finding: what it says, escaped, and for an
/// unlinked citation its search, linked when it is a web address
/// (`… — [search](<https://www.rfa.org/search?q=…>)`), else shown as text.
fn finding_cell(f: &Finding) -> String {
    let detail = cell(&finding_detail(f));
    match finding_search(f) {
        Some(url) if is_web_url(url) => {
            format!("{detail} — [search](<{}>)", link_target(url, false))
        }
        Some(url) => format!("{detail} — search: {}", cell(url)),
        None => detail,
    }
}

impl<W: Write> MarkdownWriter<W> {
    /// A row per [notable](finding_notable) finding of the document's
    /// citations, in document order.
    fn finding_rows(&mut self, doc: &Document) -> io::Result<()> {
        let citations = doc
            .items
            .iter()
            .flat_map(|i| i.citations.iter().map(move |c| (Some(i.title.as_str()), c)))
            .chain(doc.citations.iter().map(|c| (None, c)));
        for (item, c) in citations {
            for f in c.findings.iter().filter(|f| finding_notable(f)) {
                writeln!(
                    self.findings,
                    "| {} | {} | {} | {} | {} |",
                    code(&doc.source).replace('|', "\\|"),
                    c.line,
                    cell(item.unwrap_or("(outside any item)")),
                    cell(&finding_label(f)),
                    finding_cell(f)
                )?;
            }
        }
        Ok(())
    }

    /// A row per citation whose status an override gave, failing or not:
    /// an override is never silent.
    fn overridden_rows(&mut self, doc: &Document) -> io::Result<()> {
        for c in doc.all_citations() {
            let Some((r, o)) = c
                .check
                .as_ref()
                .and_then(|r| Some((r, r.overridden.as_ref()?)))
            else {
                continue;
            };
            let url = match &c.url {
                Some(u) if has_scheme(u) => format!("<{}>", link_target(&readable_url(u), false)),
                Some(u) => cell(u),
                None => String::new(),
            };
            writeln!(
                self.overridden,
                "| {} | {url} | **{}** | {} | {} | {}: {} |",
                code(&format!("{}:{}", doc.source, c.line)),
                r.status,
                cell(&r.reason),
                cell(&o.by),
                o.status,
                cell(&o.reason)
            )?;
        }
        Ok(())
    }
}

impl<W: Write> ReportWriter for MarkdownWriter<W> {
    fn document(&mut self, doc: &Document) -> io::Result<()> {
        self.totals.add(doc);
        let items = doc
            .items
            .iter()
            .map(|i| (Some(i), &i.citations))
            .chain(std::iter::once((None, &doc.citations)));
        for (item, citations) in items {
            let bad: Vec<&Citation> = citations.iter().filter(|c| failing(c)).collect();
            if bad.is_empty() {
                continue;
            }
            let title = item.map_or("(outside any item)".to_string(), |i| i.title.clone());
            let line = item.map_or(String::new(), |i| format!(":{}", i.line));
            writeln!(
                self.body,
                "## {}\n\n{}\n",
                cell(&title),
                code(&format!("{}{line}", doc.source))
            )?;
            writeln!(
                self.body,
                "| line | status | source | URL | reason | failing since | last good copy | elsewhere |"
            )?;
            writeln!(self.body, "|---|---|---|---|---|---|---|---|")?;
            for c in bad {
                let Some(r) = &c.check else { continue };
                let source = [c.outlet.clone(), c.date.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", ");
                let (url, wayback) = match &c.url {
                    Some(u) if has_scheme(u) => (
                        format!("<{}>", link_target(&readable_url(u), false)),
                        format!(
                            "[Wayback](https://web.archive.org/web/*/{})",
                            link_target(u, true)
                        ),
                    ),
                    Some(u) => (cell(u), String::new()),
                    None => ("(no URL)".to_string(), String::new()),
                };
                let wayback = match c.remote.as_deref() {
                    Some(remote) => public_copy(remote, wayback),
                    None => wayback,
                };
                let since = c
                    .archive
                    .as_ref()
                    .and_then(|a| a.failing_since)
                    .map_or(String::new(), |t| t.to_string());
                let good = match (&c.archive, &c.url, &self.archive) {
                    (Some(a), Some(u), Some(dir)) => a.last_good.map(|t| {
                        let cmd = show_command(dir, u, a).unwrap_or_default();
                        format!("{t} ({})", code(&cmd))
                    }),
                    (Some(a), _, _) => a.last_good.map(|t| t.to_string()),
                    _ => None,
                }
                .unwrap_or_default();
                let overridden = if r.overridden.is_some() {
                    " (overridden)"
                } else {
                    ""
                };
                writeln!(
                    self.body,
                    "| {} | **{}**{overridden} | {} | {} | {} | {} | {} | {} |",
                    c.line,
                    r.status,
                    cell(&source),
                    url,
                    cell(&r.reason),
                    since,
                    good.replace('|', "\\|"),
                    wayback
                )?;
            }
            writeln!(self.body)?;
        }
        self.finding_rows(doc)?;
        self.overridden_rows(doc)
    }

    fn error(&mut self, source: &str, message: &str) -> io::Result<()> {
        self.totals.errors += 1;
        writeln!(self.body, "> **{}**: {}\n", cell(source), cell(message))
    }

    fn finish(&mut self) -> io::Result<()> {
        let t = &self.totals;
        writeln!(self.out, "# citevault report\n")?;
        writeln!(self.out, "## Summary\n")?;
        writeln!(self.out, "| | count |\n|---|---|")?;
        writeln!(self.out, "| documents | {} |", t.documents)?;
        writeln!(
            self.out,
            "| items | {} ({} uncited) |",
            t.items, t.uncited_items
        )?;
        writeln!(
            self.out,
            "| citations | {} ({} unlinked) |",
            t.citations, t.unlinked
        )?;
        for (s, n) in &t.statuses {
            writeln!(self.out, "| {s} | {n} |")?;
        }
        if t.errors > 0 {
            writeln!(self.out, "| input errors | {} |", t.errors)?;
        }
        if t.overridden > 0 {
            writeln!(self.out, "| overridden | {} |", t.overridden)?;
        }
        if !t.findings.is_empty() {
            writeln!(self.out, "| findings | {} |", t.findings_line())?;
        }
        writeln!(self.out)?;
        self.out.write_all(&self.body)?;
        if !self.findings.is_empty() {
            writeln!(self.out, "## Findings\n")?;
            writeln!(self.out, "| document | line | item | kind | reason |")?;
            writeln!(self.out, "|---|---|---|---|---|")?;
            self.out.write_all(&self.findings)?;
            writeln!(self.out)?;
        }
        if !self.overridden.is_empty() {
            writeln!(self.out, "## Overridden\n")?;
            writeln!(
                self.out,
                "| citation | URL | status | override | by | checker said |"
            )?;
            writeln!(self.out, "|---|---|---|---|---|---|")?;
            self.out.write_all(&self.overridden)?;
            writeln!(self.out)?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::{cell, code, has_scheme, link_target};

    #[test]
    fn cells_show_markdown_as_text_on_one_line() {
        assert_eq!(
            cell("a [b](c) *d* `e` | f\nG\r\u{1b}[1m <h>&"),
            r"a \[b\](c) \*d\* \`e\` \| f G \\x1b\[1m &lt;h&gt;&amp;"
        );
        assert_eq!(cell("中文 ok"), "中文 ok");
    }

    #[test]
    fn code_spans_outlast_the_backticks_inside() {
        assert_eq!(code("a.md:3"), "`a.md:3`");
        assert_eq!(code("a`b``c"), "```a`b``c```");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("a\nb"), r"`a\nb`");
    }

    #[test]
    fn link_targets_cannot_end_early() {
        assert_eq!(
            link_target("https://x/a)](https://e) <b>|`\u{202e}中", true),
            "https://x/a%29%5D%28https://e%29%20%3Cb%3E%7C%60%E2%80%AE中"
        );
        assert_eq!(
            link_target("https://x/a_(b)[c]", false),
            "https://x/a_(b)[c]"
        );
        assert!(has_scheme("https://x") && has_scheme("ftp://x"));
        assert!(!has_scheme("x") && !has_scheme("a b:c") && !has_scheme("1a:b"));
    }
}
