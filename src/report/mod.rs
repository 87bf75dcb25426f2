//! Stage 4: results → formats. Writers stream one document at a time so a
//! large run never holds every document in memory.

mod json;
mod text;

pub use json::JsonWriter;
pub use text::TextWriter;

use crate::model::Document;
use std::io;

/// A report being written document by document.
pub trait ReportWriter {
    fn document(&mut self, doc: &Document) -> io::Result<()>;
    /// Records an input that could not be read (the run goes on).
    fn error(&mut self, source: &str, message: &str) -> io::Result<()>;
    fn finish(&mut self) -> io::Result<()>;
}

/// Totals over a run, for summaries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub documents: usize,
    pub items: usize,
    pub uncited_items: usize,
    pub citations: usize,
    pub unlinked: usize,
    pub errors: usize,
}

impl Totals {
    pub fn add(&mut self, doc: &Document) {
        self.documents += 1;
        self.items += doc.items.len();
        self.uncited_items += doc.uncited_items().count();
        for c in doc.all_citations() {
            self.citations += 1;
            self.unlinked += usize::from(c.is_unlinked());
        }
    }
}
