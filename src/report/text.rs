use super::{is_unsafe_char, one_line, ReportWriter, Totals};
use crate::model::{CheckStatus, Citation, Document, Item};
use std::io::{self, Write};

/// Terminal output: document → item → citation, with line numbers. After
/// `check`, items with a failing citation come first and, within an item,
/// failing citations before the others. Text from documents and pages
/// (titles, reasons, file names, URLs) is written with its control
/// characters escaped (`\x1b`, `\u{202e}`), so it can neither drive the
/// terminal nor start lines of its own; the colours are citevault's own.
pub struct TextWriter<W: Write> {
    out: W,
    totals: Totals,
    color: bool,
    archive: Option<std::path::PathBuf>,
}

/// Whether a status needs the reader's attention.
fn failing(c: &Citation) -> bool {
    c.check.as_ref().is_some_and(|r| {
        !matches!(
            r.status,
            CheckStatus::Alive | CheckStatus::Skipped | CheckStatus::Unlinked
        )
    })
}

fn ansi(status: CheckStatus) -> &'static str {
    match status {
        CheckStatus::Alive => "32",
        CheckStatus::Dead => "1;31",
        CheckStatus::Soft404 => "33",
        CheckStatus::Blocked => "35",
        CheckStatus::Error => "31",
        CheckStatus::Timeout => "33",
        CheckStatus::Unlinked | CheckStatus::Skipped => "2",
    }
}

impl<W: Write> TextWriter<W> {
    /// A report written to `out` as documents arrive, without colour or
    /// archive commands until configured.
    pub fn new(out: W) -> Self {
        TextWriter {
            out,
            totals: Totals::default(),
            color: false,
            archive: None,
        }
    }

    /// Names the archive in the commands that print archived copies.
    pub fn with_archive(mut self, archive: Option<std::path::PathBuf>) -> Self {
        self.archive = archive;
        self
    }

    /// Colours statuses with ANSI codes (for a terminal; callers decide,
    /// honouring `NO_COLOR`).
    pub fn with_color(mut self, color: bool) -> Self {
        self.color = color;
        self
    }

    fn citation(&mut self, c: &Citation) -> io::Result<()> {
        let marker = c.marker.map(|m| format!("[{m}] ")).unwrap_or_default();
        let url = c
            .url
            .as_deref()
            .map_or_else(|| "(no URL: unlinked citation)".to_string(), readable_url);
        let url = one_line(&url);
        let status = c
            .check
            .as_ref()
            .map(|r| {
                let word = format!("{:<9}", r.status.as_str());
                if self.color {
                    format!("\x1b[{}m{word}\x1b[0m", ansi(r.status))
                } else {
                    word
                }
            })
            .unwrap_or_default();
        write!(self.out, "    {:>5}  {status}{marker}{url}", c.line)?;
        let mut said = Vec::new();
        if let Some(o) = &c.outlet {
            said.push(one_line(o));
        }
        if let Some(d) = &c.date {
            said.push(one_line(d));
        }
        if !said.is_empty() {
            write!(self.out, "  — {}", said.join(", "))?;
        }
        if let Some(id) = &c.outlet_id {
            write!(self.out, "  [{}]", one_line(id))?;
        }
        writeln!(self.out)?;
        for w in &c.warnings {
            writeln!(self.out, "                     warning: {}", one_line(w))?;
        }
        if let Some(r) = c.check.as_ref() {
            let label = super::overridden_label(r);
            if let Some(label) = &label {
                writeln!(self.out, "                     {}", one_line(label))?;
            }
            if label.is_some() || r.status != CheckStatus::Alive {
                writeln!(self.out, "                     {}", one_line(&r.reason))?;
            }
            if failing(c) {
                self.archived_copy(c)?;
            }
        }
        // The public archives' copy, beside the local one: looked up for a
        // failing citation, saved for an alive one.
        if let Some(remote) = &c.remote {
            writeln!(
                self.out,
                "                     {}",
                one_line(&super::remote_description(remote))
            )?;
        }
        // What verification found, a line each (all of them: the text
        // report is where a person reads everything).
        for f in &c.findings {
            writeln!(
                self.out,
                "                     {}",
                one_line(&super::finding_line(f))
            )?;
        }
        Ok(())
    }

    /// The lines on the local archive's copy of a failing citation.
    fn archived_copy(&mut self, c: &Citation) -> io::Result<()> {
        if let (Some(copy), Some(url), Some(dir)) = (&c.archive, &c.url, &self.archive) {
            if let Some(since) = copy.failing_since {
                writeln!(self.out, "                     failing since {since}")?;
            }
            let what = if copy.last_good.is_some() {
                "last good copy"
            } else {
                "archived copy"
            };
            if let Some(cmd) = super::show_command(dir, url, copy) {
                writeln!(self.out, "                     {what}: {}", one_line(&cmd))?;
            }
        }
        Ok(())
    }
}

impl<W: Write> ReportWriter for TextWriter<W> {
    fn document(&mut self, doc: &Document) -> io::Result<()> {
        self.totals.add(doc);
        let n_cit = doc.all_citations().count();
        let unlinked = doc.all_citations().filter(|c| c.is_unlinked()).count();
        writeln!(
            self.out,
            "{} ({}): {} items, {} citations ({} unlinked), {} uncited items",
            one_line(&doc.source),
            doc.format,
            doc.items.len(),
            n_cit,
            unlinked,
            doc.uncited_items().count()
        )?;
        if let Some(t) = &doc.title {
            writeln!(self.out, "  title: {}", one_line(t))?;
        }
        if doc.items.is_empty() && n_cit == 0 {
            writeln!(self.out, "  no item structure and no citations found")?;
        }
        // Failing first: stable sorts keep document order otherwise.
        let mut items: Vec<&Item> = doc.items.iter().collect();
        items.sort_by_key(|i| !i.citations.iter().any(failing));
        for item in items {
            writeln!(self.out, "  {:>5}  {}", item.line, one_line(&item.title))?;
            if item.citations.is_empty() {
                writeln!(self.out, "           (uncited: no source given)")?;
            }
            let mut citations: Vec<&Citation> = item.citations.iter().collect();
            citations.sort_by_key(|c| !failing(c));
            for c in citations {
                self.citation(c)?;
            }
        }
        if !doc.citations.is_empty() {
            writeln!(self.out, "         (outside any item)")?;
            for c in &doc.citations {
                self.citation(c)?;
            }
        }
        writeln!(self.out)
    }

    fn error(&mut self, source: &str, message: &str) -> io::Result<()> {
        self.totals.errors += 1;
        writeln!(
            self.out,
            "{}: error: {}\n",
            one_line(source),
            one_line(message)
        )
    }

    fn finish(&mut self) -> io::Result<()> {
        let t = &self.totals;
        writeln!(
            self.out,
            "{} documents, {} items ({} uncited), {} citations ({} unlinked), {} errors",
            t.documents, t.items, t.uncited_items, t.citations, t.unlinked, t.errors
        )?;
        if !t.statuses.is_empty() {
            let overridden = match t.overridden {
                0 => String::new(),
                n => format!(" ({n} overridden)"),
            };
            writeln!(self.out, "checked: {}{overridden}", t.status_line())?;
        }
        if !t.findings.is_empty() {
            writeln!(self.out, "findings: {}", t.findings_line())?;
        }
        self.out.flush()
    }
}

/// The URL as a person reads it: percent-escapes of non-ASCII text decoded
/// (`/zh/研究…` rather than `/zh/%E7%A0%94…`); ASCII escapes such as `%20`
/// stay, so the result still pastes into a browser as the same URL. Escapes
/// that would decode to whitespace or an [unsafe](is_unsafe_char) character
/// (a bidi override, a C1 control) leave the URL as it was.
pub fn readable_url(url: &str) -> String {
    let bytes = url.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| url.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match escaped {
            Some(b) if b >= 0x80 => {
                out.push(b);
                i += 3;
            }
            _ => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    match String::from_utf8(out) {
        Ok(s) if !s.chars().any(|c| c.is_whitespace() || is_unsafe_char(c)) => s,
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::readable_url;

    #[test]
    fn readable_urls_decode_only_non_ascii() {
        assert_eq!(
            readable_url("https://www.dw.com/zh/%E7%A0%94%E7%A9%B6/a-1?q=a%20b"),
            "https://www.dw.com/zh/研究/a-1?q=a%20b"
        );
        // Not UTF-8 once decoded: left as is.
        assert_eq!(
            readable_url("https://x.example/%FF"),
            "https://x.example/%FF"
        );
        // Decoding would yield a bidi override, a C1 control or a wide space.
        for url in [
            "https://x.example/a%E2%80%AEb",
            "https://x.example/%C2%9B31m",
            "https://x.example/%E3%80%80",
        ] {
            assert_eq!(readable_url(url), url);
        }
    }
}
