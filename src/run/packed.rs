//! The run's documents while their URLs are checked.
//!
//! A document is needed whole again only to be annotated after checking,
//! and in between it would be the run's largest holding: 100,000 citations
//! are some 40 MB of small structs and strings, plus malloc's overhead on
//! each of their 700,000 blocks. So each document waits packed, as its
//! JSON deflated (a digest of 1,000 items is a few dozen KB so), and is
//! unpacked one at a time when it is needed. The JSON of a document reads
//! back as the same document: that is what `report` relies on too.

use super::RunError;
use crate::model::Document;
use flate2::write::{DeflateDecoder, DeflateEncoder};
use flate2::Compression;
use std::io::Write;

/// Documents packed, in the order given.
#[derive(Debug, Default)]
pub(super) struct PackedDocs {
    packed: Vec<Box<[u8]>>,
}

impl PackedDocs {
    /// Packs `doc` after those packed so far.
    pub(super) fn push(&mut self, doc: &Document) -> Result<(), RunError> {
        let packing = || -> std::io::Result<Vec<u8>> {
            // Deflated in one piece: the encoder pays for every write it is
            // handed, and JSON is written a few bytes at a time.
            let json = serde_json::to_vec(doc)?;
            let mut out = DeflateEncoder::new(Vec::new(), Compression::fast());
            out.write_all(&json)?;
            out.finish()
        };
        let packed = packing().map_err(|e| trouble(&doc.source, &e))?;
        self.packed.push(packed.into_boxed_slice());
        Ok(())
    }

    /// The documents, unpacked one at a time.
    pub(super) fn iter(&self) -> impl Iterator<Item = Result<Document, RunError>> + '_ {
        self.packed.iter().map(|p| unpack(p))
    }

    /// The documents, unpacked one at a time, each packed copy freed as its
    /// document is unpacked.
    pub(super) fn into_docs(self) -> impl Iterator<Item = Result<Document, RunError>> {
        self.packed.into_iter().map(|p| unpack(&p))
    }
}

fn unpack(packed: &[u8]) -> Result<Document, RunError> {
    let mut json = DeflateDecoder::new(Vec::new());
    json.write_all(packed)
        .and_then(|()| json.finish())
        .and_then(|json| serde_json::from_slice(&json).map_err(std::io::Error::from))
        .map_err(|e| trouble("a document", &e))
}

/// Packing is of the run's own data in memory: failing is a bug, and the
/// run stops rather than report on a document it no longer has.
fn trouble(what: &str, e: &std::io::Error) -> RunError {
    RunError::Aborted(format!("cannot hold {what} while checking: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Extractor;
    use crate::model::Format;

    #[test]
    fn documents_unpack_as_they_were_packed() {
        let text = "Talks Resume in Geneva\n\nNegotiators met again.\n\n\
                    Source: RFA, November 7, 2023\n\
                    https://www.example.com/talks.html?q=\u{e9}&x=\"1\"\n\n\
                    Second Item Here\n\nBody.\n\nSources:\n1. https://b.example/x\n2. Deutsche Welle, 2023-11\n";
        let extractor = Extractor::default();
        let docs: Vec<Document> = [Format::Text, Format::Markdown, Format::Html]
            .into_iter()
            .map(|f| extractor.extract_str("digest", f, text))
            .collect();
        assert!(docs[0].all_citations().count() >= 2);
        let mut packed = PackedDocs::default();
        for d in &docs {
            packed.push(d).expect("packs");
        }
        let again: Vec<Document> = packed.iter().collect::<Result<_, _>>().expect("unpacks");
        assert_eq!(again, docs);
        let moved: Vec<Document> = packed
            .into_docs()
            .collect::<Result<_, _>>()
            .expect("unpacks");
        assert_eq!(moved, docs);
    }
}
