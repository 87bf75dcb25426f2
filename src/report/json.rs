use super::{probe_show_command, show_command, ReportWriter, Totals};
use crate::model::{CheckStatus, Citation, Document, FindingKind};
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
            serde_json::to_writer(&mut self.buf, doc)?;
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
