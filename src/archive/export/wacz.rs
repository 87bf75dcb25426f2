//! WACZ 1.1.1 packages: the WARC files holding the captures, a CDXJ index
//! of them, the cited pages and a manifest with every file's hash, in one
//! zip that ReplayWeb.page opens and pywb imports
//! (`wb-manager add --unpack-wacz`).
//!
//! The WARC files are stored whole (their offsets stay valid) and
//! uncompressed in the zip (STORE), as the spec requires: a reader fetches
//! one record with one range request. The index is `indexes/index.cdx`
//! holding CDXJ lines: ReplayWeb.page reads `.cdx`, `.cdxj` and `.idx`
//! indexes, pywb 2.10's importer only `.cdx` and `.cdx.gz`; `.cdx` is the
//! one name both read.

use super::{base_name, timestamp14, Captures, FileNames};
use crate::archive::{Archive, ArchiveError};
use crate::model::Timestamp;
use sha2::{Digest, Sha256};
use std::io::{Read, Seek, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// The WACZ version written.
pub const WACZ_VERSION: &str = "1.1.1";

/// What the manifest says of the package.
#[derive(Debug, Clone)]
pub struct WaczInfo {
    /// `title` of the package.
    pub title: String,
    /// When it was made (`created`, and each zip entry's time).
    pub created: Timestamp,
}

/// What a package holds, for the command to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaczSummary {
    /// Lines of the CDXJ index.
    pub captures: usize,
    /// Lines of `pages.jsonl` after its header.
    pub pages: usize,
    /// WARC files packaged.
    pub warc_files: usize,
}

/// One file of the package, as the manifest lists it.
#[derive(Debug, serde::Serialize)]
struct Resource {
    name: String,
    path: String,
    hash: String,
    bytes: u64,
}

/// Writes the WACZ of `captures` to `out` and returns `out` (for the
/// caller to sync) with what was packaged.
pub fn write_wacz<W: Write + Seek>(
    archive: &Archive,
    captures: &Captures,
    out: W,
    info: &WaczInfo,
) -> Result<(W, WaczSummary), ArchiveError> {
    let files = warc_files(archive, captures)?;
    let index = archive.cdxj(captures, FileNames::Flat)?;
    let pages = archive.pages(captures)?;
    let mut zip = Package::new(archive, out, info.created);
    for rel in &files {
        zip.add_file(&format!("archive/{}", base_name(rel)), rel)?;
    }
    zip.add_bytes("indexes/index.cdx", lines(&index).as_bytes())?;
    zip.add_bytes("pages/pages.jsonl", pages_jsonl(&pages).as_bytes())?;
    let manifest = datapackage(&zip.resources, info)?;
    let digest =
        serde_json::json!({"path": "datapackage.json", "hash": sha256_of(manifest.as_bytes())});
    zip.add_bytes("datapackage.json", manifest.as_bytes())?;
    let digest = pretty(&digest)?;
    zip.add_bytes("datapackage-digest.json", digest.as_bytes())?;
    let out = zip.finish()?;
    let summary = WaczSummary {
        captures: index.len(),
        pages: pages.len(),
        warc_files: files.len(),
    };
    Ok((out, summary))
}

/// The WARC files holding the captures, in name order. They lie flat in
/// `archive/`, so their names must differ (they do: a timestamp and a
/// counter); two alike would be one file silently replacing the other.
fn warc_files(archive: &Archive, captures: &Captures) -> Result<Vec<String>, ArchiveError> {
    let mut files: Vec<String> = captures
        .snapshots
        .iter()
        .map(|s| s.warc_file.clone())
        .collect();
    files.sort();
    files.dedup();
    let mut names: Vec<(String, &String)> = files
        .iter()
        .map(|f| (base_name(f).to_ascii_lowercase(), f))
        .collect();
    names.sort();
    if let Some(w) = names.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(archive.export_err(format!(
            "{} and {} have the same name; a WACZ keeps WARC files side by side in archive/",
            w[0].1, w[1].1
        )));
    }
    Ok(files)
}

fn lines(lines: &[String]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// `pages/pages.jsonl`: a header line, then one page per line.
fn pages_jsonl(pages: &[super::Page]) -> String {
    let header =
        serde_json::json!({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"});
    let mut out = format!("{header}\n");
    for p in pages {
        let line = serde_json::json!({"id": p.id, "url": p.url, "ts": p.ts, "title": p.title});
        out.push_str(&format!("{line}\n"));
    }
    out
}

fn datapackage(resources: &[Resource], info: &WaczInfo) -> Result<String, ArchiveError> {
    pretty(&serde_json::json!({
        "profile": "data-package",
        "wacz_version": WACZ_VERSION,
        "title": info.title,
        "created": info.created,
        "software": format!("citevault {}", env!("CARGO_PKG_VERSION")),
        "resources": resources,
    }))
}

fn pretty(v: &serde_json::Value) -> Result<String, ArchiveError> {
    serde_json::to_string_pretty(v).map_err(|e| ArchiveError::Io {
        dir: "WACZ manifest".into(),
        message: e.to_string(),
    })
}

fn sha256_of(bytes: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(bytes))
}

/// The zip being written, and the manifest entry of each file added.
struct Package<'a, W: Write + Seek> {
    archive: &'a Archive,
    zip: ZipWriter<W>,
    options: SimpleFileOptions,
    resources: Vec<Resource>,
}

impl<'a, W: Write + Seek> Package<'a, W> {
    fn new(archive: &'a Archive, out: W, created: Timestamp) -> Self {
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Stored)
            .unix_permissions(0o644)
            .last_modified_time(zip_time(created));
        Package {
            archive,
            zip: ZipWriter::new(out),
            options,
            resources: Vec::new(),
        }
    }

    /// Adds a file of the archive, copied as it is now: its length is
    /// read first, so records a run appends meanwhile are left out rather
    /// than half copied.
    fn add_file(&mut self, path: &str, rel: &str) -> Result<(), ArchiveError> {
        let full = self.archive.dir().join(rel);
        let io = |e: std::io::Error| ArchiveError::Io {
            dir: full.display().to_string(),
            message: e.to_string(),
        };
        let file = std::fs::File::open(&full).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        let options = self.options.large_file(len >= u64::from(u32::MAX));
        self.zip
            .start_file(path, options)
            .map_err(|e| zip_err(path, e))?;
        let mut hasher = Sha256::new();
        let mut reader = file.take(len);
        let mut buf = vec![0u8; 1 << 16];
        let mut copied = 0u64;
        loop {
            let n = reader.read(&mut buf).map_err(io)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            self.zip.write_all(&buf[..n]).map_err(write_err)?;
            copied += n as u64;
        }
        if copied != len {
            return Err(io(std::io::Error::other(format!(
                "shrank while being read ({copied} of {len} bytes)"
            ))));
        }
        self.push(path, format!("sha256:{:x}", hasher.finalize()), len);
        Ok(())
    }

    fn add_bytes(&mut self, path: &str, bytes: &[u8]) -> Result<(), ArchiveError> {
        self.zip
            .start_file(path, self.options)
            .map_err(|e| zip_err(path, e))?;
        self.zip.write_all(bytes).map_err(write_err)?;
        if !path.starts_with("datapackage") {
            self.push(path, sha256_of(bytes), bytes.len() as u64);
        }
        Ok(())
    }

    /// The manifest names a file by its lowercased file name, as py-wacz
    /// does: the Data Package spec allows only `[-a-z0-9._/]` there.
    fn push(&mut self, path: &str, hash: String, bytes: u64) {
        self.resources.push(Resource {
            name: base_name(path).to_ascii_lowercase(),
            path: path.to_string(),
            hash,
            bytes,
        });
    }

    fn finish(self) -> Result<W, ArchiveError> {
        self.zip.finish().map_err(|e| ArchiveError::Io {
            dir: "WACZ".into(),
            message: e.to_string(),
        })
    }
}

fn zip_err(path: &str, e: zip::result::ZipError) -> ArchiveError {
    ArchiveError::Io {
        dir: format!("WACZ entry {path}"),
        message: e.to_string(),
    }
}

fn write_err(e: std::io::Error) -> ArchiveError {
    ArchiveError::Io {
        dir: "WACZ".into(),
        message: format!("cannot write: {e}"),
    }
}

/// A zip entry time (DOS form: 1980–2107, even seconds).
fn zip_time(t: Timestamp) -> zip::DateTime {
    let s = timestamp14(t);
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u16>().ok()).unwrap_or(0);
    zip::DateTime::from_date_and_time(
        num(0..4),
        num(4..6) as u8,
        num(6..8) as u8,
        num(8..10) as u8,
        num(10..12) as u8,
        num(12..14) as u8,
    )
    .unwrap_or_default()
}
