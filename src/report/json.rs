use super::{ReportWriter, Totals};
use crate::model::{CheckStatus, Document};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// `{"documents": [...], "errors": [...], "summary": {...}}`, one document
/// per line so the output streams and stays greppable.
pub struct JsonWriter<W: Write> {
    out: W,
    docs_written: usize,
    errors: Vec<ErrorEntry>,
    totals: Totals,
    started: bool,
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
}

impl<W: Write> JsonWriter<W> {
    pub fn new(out: W) -> Self {
        JsonWriter {
            out,
            docs_written: 0,
            errors: Vec::new(),
            totals: Totals::default(),
            started: false,
        }
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
        serde_json::to_writer(&mut self.out, doc)?;
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
        };
        self.out.write_all(b"\n],\n\"errors\": ")?;
        serde_json::to_writer(&mut self.out, &self.errors)?;
        self.out.write_all(b",\n\"summary\": ")?;
        serde_json::to_writer(&mut self.out, &summary)?;
        self.out.write_all(b"}\n")?;
        self.out.flush()
    }
}
