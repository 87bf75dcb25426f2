use super::{readable_url, show_command, ReportWriter, Totals};
use crate::model::{CheckStatus, Citation, Document};
use std::io::{self, Write};
use std::path::PathBuf;

/// Markdown for pull-request comments and `$GITHUB_STEP_SUMMARY`: a
/// summary table, then one section per item with a failing citation.
/// Sections are held until the end, since the summary comes first.
pub struct MarkdownWriter<W: Write> {
    out: W,
    totals: Totals,
    body: Vec<u8>,
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

/// Text safe inside a Markdown heading or table cell: no table breaks, no
/// HTML (`<again>` in a headline is text, not a tag).
fn cell(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace('\n', " ")
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
                "## {}\n\n`{}{}`\n",
                cell(&title),
                doc.source,
                line
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
                    Some(u) => (
                        format!("<{}>", readable_url(u)),
                        format!("[Wayback](https://web.archive.org/web/*/{u})"),
                    ),
                    None => ("(no URL)".to_string(), String::new()),
                };
                let since = c
                    .archive
                    .as_ref()
                    .and_then(|a| a.failing_since)
                    .map_or(String::new(), |t| t.to_string());
                let good = match (&c.archive, &c.url, &self.archive) {
                    (Some(a), Some(u), Some(dir)) => a.last_good.map(|t| {
                        let cmd = show_command(dir, u, a).unwrap_or_default();
                        format!("{t} (`{}`)", cmd.replace('`', "%60"))
                    }),
                    (Some(a), _, _) => a.last_good.map(|t| t.to_string()),
                    _ => None,
                }
                .unwrap_or_default();
                writeln!(
                    self.body,
                    "| {} | **{}** | {} | {} | {} | {} | {} | {} |",
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
        Ok(())
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
        writeln!(self.out)?;
        self.out.write_all(&self.body)?;
        self.out.flush()
    }
}
