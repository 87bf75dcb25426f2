use super::{probe_show_command, show_command, ReportWriter, Totals};
use crate::model::{CheckStatus, Citation, CitedVia, Document, FindingKind, Item};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;

/// `{"documents": [...], "errors": [...], "summary": {...}}`, one document
/// per line so the output streams and stays greppable.
pub struct JsonWriter<W: Write> {
    out: W,
    docs_written: usize,
    errors: Vec<ErrorEntry>,
    totals: Totals,
    started: bool,
    archive: Option<PathBuf>,
    /// A document's JSON, written to `out` in one piece: serde writes a
    /// token at a time, and `out` is often a `dyn Write`.
    buf: Vec<u8>,
}

#[derive(Serialize)]
struct ErrorEntry {
    source: String,
    message: String,
}

#[derive(Serialize)]
struct Summary {
    documents: usize,
    items: usize,
    uncited_items: usize,
    citations: usize,
    unlinked_citations: usize,
    errors: usize,
    /// Citations per check status; only present after `check`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    statuses: BTreeMap<CheckStatus, usize>,
    /// Citations whose status an override gave; only present when some did.
    #[serde(skip_serializing_if = "is_zero")]
    overridden: usize,
    /// Findings per kind; only present when verification found some.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    findings: BTreeMap<FindingKind, usize>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl<W: Write> JsonWriter<W> {
    /// A report written to `out` as documents arrive; errors and the
    /// summary follow at [`finish`](ReportWriter::finish).
    pub fn new(out: W) -> Self {
        JsonWriter {
            out,
            docs_written: 0,
            errors: Vec::new(),
            totals: Totals::default(),
            started: false,
            archive: None,
            buf: Vec::new(),
        }
    }

    /// Adds to each archive object the command that prints the copy
    /// (`show`), naming this archive.
    pub fn with_archive(mut self, archive: Option<PathBuf>) -> Self {
        self.archive = archive;
        self
    }

    fn write_document(&mut self, doc: &Document) -> io::Result<()> {
        let Some(dir) = &self.archive else {
            self.buf.clear();
            write_document(&mut self.buf, doc)?;
            self.out.write_all(&self.buf)?;
            // Keep no more than a typical document's worth between documents.
            self.buf.truncate(0);
            self.buf.shrink_to(1 << 20);
            return Ok(());
        };
        let mut value = serde_json::to_value(doc)?;
        let fill = |slots: &mut serde_json::Value, citations: &[Citation]| {
            let Some(slots) = slots.as_array_mut() else {
                return;
            };
            for (slot, c) in slots.iter_mut().zip(citations) {
                let command = match (&c.archive, &c.url) {
                    (Some(copy), Some(url)) => show_command(dir, url, copy),
                    _ => None,
                };
                if let Some(cmd) = command {
                    slot["archive"]["show"] = cmd.into();
                }
                if let Some(p) = c.archive.as_ref().and_then(|a| a.probe.as_ref()) {
                    slot["archive"]["probe"]["show"] = probe_show_command(dir, p).into();
                }
            }
        };
        if let Some(items) = value["items"].as_array_mut() {
            for (slot, item) in items.iter_mut().zip(&doc.items) {
                fill(&mut slot["citations"], &item.citations);
            }
        }
        fill(&mut value["citations"], &doc.citations);
        serde_json::to_writer(&mut self.out, &value).map_err(io::Error::from)
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.out.write_all(b"{\"documents\": [")?;
            self.started = true;
        }
        Ok(())
    }
}

impl<W: Write> ReportWriter for JsonWriter<W> {
    fn document(&mut self, doc: &Document) -> io::Result<()> {
        self.start()?;
        self.out.write_all(if self.docs_written == 0 {
            b"\n"
        } else {
            b",\n"
        })?;
        self.write_document(doc)?;
        self.docs_written += 1;
        self.totals.add(doc);
        Ok(())
    }

    fn error(&mut self, source: &str, message: &str) -> io::Result<()> {
        self.totals.errors += 1;
        self.errors.push(ErrorEntry {
            source: source.to_string(),
            message: message.to_string(),
        });
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.start()?;
        let t = self.totals.clone();
        let summary = Summary {
            documents: t.documents,
            items: t.items,
            uncited_items: t.uncited_items,
            citations: t.citations,
            unlinked_citations: t.unlinked,
            errors: t.errors,
            statuses: t.statuses,
            overridden: t.overridden,
            findings: t.findings,
        };
        self.out.write_all(b"\n],\n\"errors\": ")?;
        serde_json::to_writer(&mut self.out, &self.errors)?;
        self.out.write_all(b",\n\"summary\": ")?;
        serde_json::to_writer(&mut self.out, &summary)?;
        self.out.write_all(b"}\n")?;
        self.out.flush()
    }
}

/// A document's JSON, byte for byte what `serde_json::to_writer` writes
/// for it, written directly: serde escapes every key again and makes a call
/// per token, which was most of the time `extract --format json` spent on
/// the thread that writes. Citations carrying check results, archived
/// copies or findings go through serde. The fields are destructured in
/// full, so a field added to the model does not compile until it is
/// written here too.
fn write_document(out: &mut Vec<u8>, doc: &Document) -> serde_json::Result<()> {
    let Document {
        source,
        format,
        title,
        items,
        citations,
    } = doc;
    out.extend_from_slice(b"{\"source\":");
    write_str(out, source);
    out.extend_from_slice(b",\"format\":");
    serde_json::to_writer(&mut *out, format)?;
    out.extend_from_slice(b",\"title\":");
    write_opt_str(out, title.as_deref());
    out.extend_from_slice(b",\"items\":");
    write_list(out, items, write_item)?;
    out.extend_from_slice(b",\"citations\":");
    write_list(out, citations, write_citation)?;
    out.push(b'}');
    Ok(())
}

fn write_item(out: &mut Vec<u8>, item: &Item) -> serde_json::Result<()> {
    let Item {
        title,
        line,
        citations,
    } = item;
    out.extend_from_slice(b"{\"title\":");
    write_str(out, title);
    out.extend_from_slice(b",\"line\":");
    write_u32(out, *line);
    out.extend_from_slice(b",\"citations\":");
    write_list(out, citations, write_citation)?;
    out.push(b'}');
    Ok(())
}

/// `[…]`, each element written by `write`.
fn write_list<T>(
    out: &mut Vec<u8>,
    list: &[T],
    write: fn(&mut Vec<u8>, &T) -> serde_json::Result<()>,
) -> serde_json::Result<()> {
    out.push(b'[');
    for (n, x) in list.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        write(out, x)?;
    }
    out.push(b']');
    Ok(())
}

fn write_u32(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

fn write_citation(out: &mut Vec<u8>, c: &Citation) -> serde_json::Result<()> {
    let Citation {
        url,
        outlet,
        outlet_id,
        date,
        marker,
        line,
        via,
        check,
        archive,
        remote,
        findings,
        warnings,
    } = c;
    if check.is_some() || archive.is_some() || remote.is_some() || !findings.is_empty() {
        return serde_json::to_writer(out, c);
    }
    out.extend_from_slice(b"{\"url\":");
    write_opt_str(out, url.as_deref());
    out.extend_from_slice(b",\"outlet\":");
    write_opt_str(out, outlet.as_deref());
    out.extend_from_slice(b",\"outlet_id\":");
    write_opt_str(out, outlet_id.as_deref());
    out.extend_from_slice(b",\"date\":");
    write_opt_str(out, date.as_deref());
    out.extend_from_slice(b",\"marker\":");
    match marker {
        Some(m) => write_u32(out, *m),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"line\":");
    write_u32(out, *line);
    out.extend_from_slice(match via {
        CitedVia::SourceLine => b",\"via\":\"source-line\"",
        CitedVia::SourceList => b",\"via\":\"source-list\"",
        CitedVia::Footnote => b",\"via\":\"footnote\"",
        CitedVia::Inline => b",\"via\":\"inline\"",
        CitedVia::Link => b",\"via\":\"link\"",
        CitedVia::BareUrl => b",\"via\":\"bare-url\"",
    });
    if !warnings.is_empty() {
        out.extend_from_slice(b",\"warnings\":");
        write_list(out, warnings, |out, w| {
            write_str(out, w);
            Ok(())
        })?;
    }
    out.push(b'}');
    Ok(())
}

fn write_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => write_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// Where the next byte JSON escapes is (`"`, `\\`, a control character),
/// from `from`: eight bytes at a time while there is none.
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    use crate::bytes::{has_byte, has_byte_below, skip_words};
    let from = skip_words(bytes, from, |x| {
        !(has_byte_below(x, 0x20) || has_byte(x, b'"') || has_byte(x, b'\\'))
    });
    let rest = bytes.get(from..)?;
    let at = rest
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')?;
    Some(from + at)
}

/// A JSON string as serde_json writes it: `"` and `\\` escaped, the
/// control characters as `\b \t \n \f \r` or `\u00XX`, all else as it is.
fn write_str(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut from = 0;
    while let Some(i) = next_escape(bytes, from) {
        let b = bytes[i];
        from = i + 1;
        out.extend_from_slice(&bytes[start..i]);
        start = i + 1;
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xF)],
            ]),
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CheckResult, CitedVia, Format};

    const TRICKY: &str = "q\"b\\s\u{0}\u{1f}\u{7f}\t\n\r\u{8}\u{c}é中’\u{2028}</script>";

    fn citation(n: u32, via: CitedVia) -> Citation {
        let some = |s: &str| n.is_multiple_of(2).then(|| format!("{s}{TRICKY}{n}"));
        Citation {
            url: some("https://example.com/"),
            outlet: some("Outlet"),
            outlet_id: some("id"),
            date: some("2025-11-"),
            marker: n.is_multiple_of(3).then_some(n),
            line: n,
            via,
            check: None,
            archive: None,
            remote: None,
            findings: Vec::new(),
            warnings: if n.is_multiple_of(4) {
                vec![TRICKY.to_string(), "credentials removed".to_string()]
            } else {
                Vec::new()
            },
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_escapes_them_wherever_the_escape_falls() {
        for special in ["\"", "\\", "\u{0}", "\n", "\u{1f}", "\u{7f}", "é", "中"] {
            for len in 0..24 {
                for at in 0..=len {
                    let mut text = "a".repeat(len);
                    text.insert_str(at, special);
                    let mut ours = Vec::new();
                    write_str(&mut ours, &text);
                    let serde = serde_json::to_vec(&text).unwrap();
                    assert_eq!(ours, serde, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn documents_are_written_byte_for_byte_as_serde_writes_them() {
        let vias = [
            CitedVia::SourceLine,
            CitedVia::SourceList,
            CitedVia::Footnote,
            CitedVia::Inline,
            CitedVia::Link,
            CitedVia::BareUrl,
        ];
        let mut checked = citation(8, CitedVia::Link);
        checked.check = Some(Box::new(CheckResult::new(CheckStatus::Dead, TRICKY)));
        for (n, format) in [Format::Text, Format::Markdown, Format::Html]
            .into_iter()
            .enumerate()
        {
            let doc = Document {
                source: format!("{TRICKY}.{format}"),
                format,
                title: (n != 1).then(|| TRICKY.to_string()),
                items: (0..6u32)
                    .map(|i| Item {
                        title: format!("{i} {TRICKY}"),
                        line: i * 1_000_003,
                        citations: (0..i).map(|c| citation(c, vias[c as usize % 6])).collect(),
                    })
                    .collect(),
                citations: if n == 2 {
                    vec![checked.clone(), citation(u32::MAX, CitedVia::Inline)]
                } else {
                    Vec::new()
                },
            };
            let mut ours = Vec::new();
            write_document(&mut ours, &doc).unwrap();
            let serde = serde_json::to_vec(&doc).unwrap();
            assert_eq!(
                String::from_utf8(ours),
                String::from_utf8(serde),
                "{format}"
            );
        }
    }
}
