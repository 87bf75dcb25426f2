//! Shared helpers for integration tests.
#![allow(dead_code)]

pub mod archives;
pub mod drift_pages;
pub mod names;
pub mod server;
pub mod simweb;
pub mod spn_server;

use citevault::{Citation, Document, Extractor};
use std::path::PathBuf;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn extract_fixture(name: &str) -> Document {
    let path = fixture(name);
    let bytes = std::fs::read(&path).expect("fixture exists");
    Extractor::new()
        .extract_bytes(name, Some(&path), &bytes)
        .expect("fixture extracts")
}

/// WHATWG form of a URL as written in a document.
pub fn norm(raw: &str) -> String {
    url::Url::parse(raw).expect("valid test URL").to_string()
}

/// What a test expects of one citation.
#[derive(Debug, PartialEq, Eq)]
pub struct Want {
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub date: Option<String>,
    pub marker: Option<u32>,
    pub line: u32,
}

pub fn want(
    url: Option<&str>,
    outlet: Option<&str>,
    date: Option<&str>,
    marker: Option<u32>,
    line: u32,
) -> Want {
    Want {
        url: url.map(norm),
        outlet: outlet.map(str::to_string),
        date: date.map(str::to_string),
        marker,
        line,
    }
}

pub fn got(c: &Citation) -> Want {
    Want {
        url: c.url.clone(),
        outlet: c.outlet.clone(),
        date: c.date.clone(),
        marker: c.marker,
        line: c.line,
    }
}

/// Asserts the document's items (title prefix, headline line) and exactly
/// the citations of each.
pub fn assert_items(doc: &Document, expected: &[(&str, u32, Vec<Want>)]) {
    let titles: Vec<&str> = doc.items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(
        doc.items.len(),
        expected.len(),
        "items of {}: {titles:#?}",
        doc.source
    );
    for (item, (prefix, line, wants)) in doc.items.iter().zip(expected) {
        assert!(
            item.title.starts_with(prefix),
            "{}: item {:?} should start with {prefix:?}",
            doc.source,
            item.title
        );
        assert_eq!(item.line, *line, "headline line of {prefix:?}");
        let gots: Vec<Want> = item.citations.iter().map(got).collect();
        assert_eq!(&gots, wants, "citations of {prefix:?}");
    }
}
