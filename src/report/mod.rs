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
pub use text::{readable_url, TextWriter};

use crate::model::{CheckStatus, Document};
use std::collections::BTreeMap;
use std::io;

/// A report being written document by document.
pub trait ReportWriter {
    fn document(&mut self, doc: &Document) -> io::Result<()>;
    /// Records an input that could not be read (the run goes on).
    fn error(&mut self, source: &str, message: &str) -> io::Result<()>;
    fn finish(&mut self) -> io::Result<()>;
}

/// Totals over a run, for summaries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub documents: usize,
    pub items: usize,
    pub uncited_items: usize,
    pub citations: usize,
    pub unlinked: usize,
    pub errors: usize,
    /// Citations per check status (empty when nothing was checked).
    pub statuses: BTreeMap<CheckStatus, usize>,
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
