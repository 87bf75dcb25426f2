//! Stage 1: documents → items → citations.
//!
//! Each input format is read into the same line form (`extract::lines`), and one
//! set of rules (`extract::structure`) finds items and citations in it, so a
//! "Source:" line means the same thing in text, Markdown and HTML.

mod cite;
mod decode;
mod html;
mod lines;
mod markdown;
mod structure;
mod text;
pub mod urls;

pub use decode::DecodeError;

/// Decodes bytes as `extract` does (BOM, UTF-8, meta charset, detection),
/// falling back to lossy UTF-8 for binary or broken input.
pub(crate) fn decode_text(bytes: &[u8]) -> String {
    match decode::decode(bytes) {
        Ok((text, _)) => text.into_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// The visible lines of an HTML page (text, whether it is a heading) and
/// its `<title>`, for reading fetched pages.
pub(crate) fn read_html_outline(text: &str) -> (Vec<(String, bool)>, Option<String>) {
    let (lines, title) = html::read(text);
    let outline = lines
        .into_iter()
        .filter(|l| !l.is_blank())
        .map(|l| {
            let heading = l.kind == lines::LineKind::Heading;
            (l.text.into_owned(), heading)
        })
        .collect();
    (outline, title)
}

use crate::model::{Document, Format};
use crate::outlets::OutletRegistry;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Why one input could not be extracted. Other inputs are still processed.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The input could not be read (or a directory could not be walked).
    #[error("{path}: {source}")]
    Io {
        /// The input, as reports name it.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The bytes are not text in any encoding citevault reads.
    #[error("{path}: {source}")]
    Decode {
        /// The input, as reports name it.
        path: String,
        /// Why decoding failed.
        source: DecodeError,
    },
    /// A path given on the command line does not exist.
    #[error("{path}: no such file or directory")]
    NotFound {
        /// The path as given.
        path: String,
    },
}

impl ExtractError {
    /// The input the error is about.
    pub fn path(&self) -> &str {
        match self {
            ExtractError::Io { path, .. }
            | ExtractError::Decode { path, .. }
            | ExtractError::NotFound { path } => path,
        }
    }

    /// The problem, without the path.
    pub fn problem(&self) -> String {
        match self {
            ExtractError::Io { source, .. } => source.to_string(),
            ExtractError::Decode { source, .. } => source.to_string(),
            ExtractError::NotFound { .. } => "no such file or directory".to_string(),
        }
    }
}

/// One thing to read: a file or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input (`-` on the command line), read to its end.
    Stdin,
    /// A file, read whatever its extension.
    File(PathBuf),
}

impl Input {
    /// The name reports use for this input.
    pub fn source_name(&self) -> String {
        match self {
            Input::Stdin => "-".to_string(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

/// File extensions read when walking a directory.
pub const DOCUMENT_EXTENSIONS: [&str; 5] = ["txt", "md", "markdown", "html", "htm"];

/// Expands command-line paths into inputs: `-` is stdin, directories are
/// walked recursively for document files (sorted, so output is stable),
/// files are taken as given whatever their extension.
pub fn expand_inputs(paths: &[PathBuf]) -> impl Iterator<Item = Result<Input, ExtractError>> + '_ {
    paths.iter().flat_map(
        |p| -> Box<dyn Iterator<Item = Result<Input, ExtractError>>> {
            if p.as_os_str() == "-" {
                return Box::new(std::iter::once(Ok(Input::Stdin)));
            }
            if p.is_dir() {
                let walk = walkdir::WalkDir::new(p)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_map(|entry| match entry {
                        Ok(e) if e.file_type().is_file() && has_document_extension(e.path()) => {
                            Some(Ok(Input::File(e.into_path())))
                        }
                        Ok(_) => None,
                        Err(err) => Some(Err(ExtractError::Io {
                            path: err.path().map_or_else(
                                || p.display().to_string(),
                                |x| x.display().to_string(),
                            ),
                            source: err
                                .into_io_error()
                                .unwrap_or_else(|| std::io::Error::other("directory loop")),
                        })),
                    });
                return Box::new(walk);
            }
            if p.exists() {
                Box::new(std::iter::once(Ok(Input::File(p.clone()))))
            } else {
                Box::new(std::iter::once(Err(ExtractError::NotFound {
                    path: p.display().to_string(),
                })))
            }
        },
    )
}

fn has_document_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        DOCUMENT_EXTENSIONS
            .iter()
            .any(|d| d.eq_ignore_ascii_case(e))
    })
}

/// Format implied by a file name, if any.
pub fn format_from_extension(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" | "text" => Some(Format::Text),
        "md" | "markdown" | "mdown" | "mkd" => Some(Format::Markdown),
        "html" | "htm" | "xhtml" => Some(Format::Html),
        _ => None,
    }
}

/// Chooses the format from the extension, corrected by the content: a file
/// that is clearly an HTML page is HTML whatever its name, and a ".html"
/// file without a single tag is not.
pub fn detect_format(path: Option<&Path>, text: &str) -> Format {
    let head: String = text
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    let trimmed = head.trim_start();
    let html_page = trimmed.starts_with("<!doctype html")
        || trimmed.starts_with("<html")
        || trimmed.starts_with("<?xml") && head.contains("<html")
        || head.contains("<body")
        || head.contains("<head>");
    if html_page {
        return Format::Html;
    }
    let has_tags = [
        "<p>", "<p ", "<div", "<a href", "<br", "<li>", "<h1", "<h2", "<span",
    ]
    .iter()
    .any(|t| head.contains(t));
    match path.and_then(format_from_extension) {
        Some(Format::Html) if !has_tags => sniff_text_or_markdown(text),
        Some(f) => f,
        None if has_tags => Format::Html,
        None => sniff_text_or_markdown(text),
    }
}

fn sniff_text_or_markdown(text: &str) -> Format {
    let head: String = text.chars().take(16 * 1024).collect();
    let heading = head.lines().any(|l| {
        let hashes = l.bytes().take_while(|&b| b == b'#').count();
        (1..=6).contains(&hashes) && l.as_bytes().get(hashes) == Some(&b' ')
    });
    let links = head.matches("](http").count() + head.matches("]: http").count();
    let fence = head.contains("\n```") || head.starts_with("```");
    if links >= 1 || (heading && fence) || (heading && head.contains("**")) {
        Format::Markdown
    } else {
        Format::Text
    }
}

/// Turns documents into items and citations. Cheap to share; holds only the
/// outlet list and options.
#[derive(Debug, Clone, Default)]
pub struct Extractor {
    outlets: OutletRegistry,
    input_format: Option<Format>,
}

impl Extractor {
    /// An extractor with the built-in outlet list and format detection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Uses this outlet list for `outlet_id`.
    pub fn outlets(mut self, outlets: OutletRegistry) -> Self {
        self.outlets = outlets;
        self
    }

    /// Reads every input as this format instead of detecting it.
    pub fn input_format(mut self, format: Option<Format>) -> Self {
        self.input_format = format;
        self
    }

    /// Extracts from already decoded text in a known format.
    pub fn extract_str(&self, source: &str, format: Format, text: &str) -> Document {
        let (lines, markup_title) = match format {
            Format::Text => (text::read(text), None),
            Format::Markdown => (markdown::read(text), None),
            Format::Html => html::read(text),
        };
        structure::build(
            source.to_string(),
            format,
            &lines,
            &self.outlets,
            markup_title,
        )
    }

    /// Extracts from raw bytes: decodes them and picks the format (the
    /// configured one, else from `path`'s extension and the content).
    pub fn extract_bytes(
        &self,
        source: &str,
        path: Option<&Path>,
        bytes: &[u8],
    ) -> Result<Document, ExtractError> {
        let (text, _) = decode::decode(bytes).map_err(|e| ExtractError::Decode {
            path: source.to_string(),
            source: e,
        })?;
        let format = self
            .input_format
            .unwrap_or_else(|| detect_format(path, &text));
        Ok(self.extract_str(source, format, &text))
    }

    /// Reads and extracts one input.
    pub fn extract_input(&self, input: &Input) -> Result<Document, ExtractError> {
        let source = input.source_name();
        let io_err = |e| ExtractError::Io {
            path: source.clone(),
            source: e,
        };
        match input {
            Input::Stdin => {
                let mut bytes = Vec::new();
                std::io::stdin().read_to_end(&mut bytes).map_err(io_err)?;
                self.extract_bytes(&source, None, &bytes)
            }
            Input::File(path) => {
                let bytes = std::fs::read(path).map_err(io_err)?;
                self.extract_bytes(&source, Some(path), &bytes)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_detection() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(detect_format(Some(&p("a.txt")), "hello"), Format::Text);
        assert_eq!(detect_format(Some(&p("a.md")), "hello"), Format::Markdown);
        assert_eq!(
            detect_format(Some(&p("a.txt")), "<!DOCTYPE html><p>x</p>"),
            Format::Html
        );
        assert_eq!(detect_format(Some(&p("a.html")), "just text"), Format::Text);
        assert_eq!(
            detect_format(None, "see [x](https://a.example)"),
            Format::Markdown
        );
        assert_eq!(
            detect_format(None, "<p>see <a href=x>x</a></p>"),
            Format::Html
        );
        assert_eq!(
            detect_format(None, "Source: X\nhttps://a.example"),
            Format::Text
        );
    }
}
