//! Exporting the archive in the web-archiving world's own formats: a CDXJ
//! index (what pywb and OutbackCDX serve captures from), a WACZ package
//! (what ReplayWeb.page and pywb open) and RFC 7089 TimeMaps pointing at a
//! replay server. Everything is read through [`Snapshot`] rows and the
//! WARC records they point to, so a change of the index layout touches
//! the queries in `query.rs`, not this module.

mod surt;
mod timemap;
mod wacz;

pub use surt::surt;
pub use timemap::timemap;
pub use wacz::{write_wacz, WaczInfo, WaczSummary};

use super::{url_key, warc, Archive, ArchiveError, Selection, Snapshot};
use crate::model::Timestamp;
use std::collections::HashMap;

/// The records an export covers.
#[derive(Debug, Clone)]
pub struct Captures {
    /// Every response and revisit fetched at or after `since`, then the
    /// older records those revisits refer to (a revisit holds no payload:
    /// without its original it replays nothing), in the order stored.
    pub snapshots: Vec<Snapshot>,
    /// Only captures at or after this time were asked for.
    pub since: Option<Timestamp>,
}

impl Captures {
    /// Whether a snapshot was asked for (rather than pulled in because a
    /// revisit refers to it).
    pub fn selected(&self, s: &Snapshot) -> bool {
        self.since.is_none_or(|t| s.fetched_at >= t)
    }
}

/// How a CDXJ line names the WARC file holding its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileNames {
    /// The path relative to the archive folder (`warc/2026/11/…warc.gz`):
    /// a standalone index served beside the archive.
    Relative,
    /// The file's name alone: the WARC files of a WACZ lie flat in
    /// `archive/`.
    Flat,
}

/// A cited page with a capture: one line of a WACZ's `pages.jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Page {
    /// A stable identifier (from the URL and capture time).
    pub id: String,
    /// The URL as captured.
    pub url: String,
    /// When it was captured (RFC 3339).
    pub ts: Timestamp,
    /// The page's title when it had one, else the headline of the item
    /// citing it.
    pub title: String,
}

impl Archive {
    /// The captures an export covers (see [`Captures`]). An archive with
    /// none (or none since `since`) is an error: an empty export would
    /// look like a successful one.
    pub fn captures(&self, since: Option<Timestamp>) -> Result<Captures, ArchiveError> {
        let mut snapshots = self.snapshots_since(since)?;
        if snapshots.is_empty() {
            let when = since
                .map(|t| format!(" at or after {t}"))
                .unwrap_or_default();
            return Err(self.export_err(format!(
                "holds no captures{when}; run `citevault check` to make some"
            )));
        }
        let have: std::collections::HashSet<i64> = snapshots.iter().map(|s| s.id).collect();
        let mut wanted: Vec<i64> = snapshots.iter().filter_map(|s| s.refers_to).collect();
        wanted.retain(|id| !have.contains(id));
        wanted.sort_unstable();
        wanted.dedup();
        for id in wanted {
            let original = self.snapshot_by_id(id)?.ok_or_else(|| {
                self.export_err(format!(
                    "a revisit refers to snapshot {id}, which the index lacks"
                ))
            })?;
            snapshots.push(original);
        }
        snapshots.sort_by_key(|s| s.id);
        Ok(Captures { snapshots, since })
    }

    /// The CDXJ index of the captures, sorted as pywb sorts it (byte order
    /// of the whole line). Every record is read back first and must be the
    /// one its row names: an index pointing at damaged or missing bytes is
    /// refused rather than exported.
    pub fn cdxj(&self, captures: &Captures, names: FileNames) -> Result<Vec<String>, ArchiveError> {
        let mut lines = Vec::with_capacity(captures.snapshots.len());
        for s in &captures.snapshots {
            self.check_record(s)?;
            let file = match names {
                FileNames::Relative => s.warc_file.as_str(),
                FileNames::Flat => base_name(&s.warc_file),
            };
            lines.push(cdxj_line(s, file));
        }
        lines.sort();
        Ok(lines)
    }

    /// The cited pages that have a capture among those asked for, each at
    /// its latest one, ordered by time then URL.
    pub fn pages(&self, captures: &Captures) -> Result<Vec<Page>, ArchiveError> {
        let mut latest: HashMap<String, &Snapshot> = HashMap::new();
        for s in captures.snapshots.iter().filter(|s| captures.selected(s)) {
            let slot = latest.entry(url_key(&s.url)).or_insert(s);
            if (s.fetched_at, s.id) > (slot.fetched_at, slot.id) {
                *slot = s;
            }
        }
        let mut pages: HashMap<String, Page> = HashMap::new();
        for recorded in self.documents(Selection::Since(Timestamp(0)))? {
            let doc = &recorded.document;
            let cited = doc
                .items
                .iter()
                .flat_map(|i| i.citations.iter().map(move |c| (Some(&i.title), c)))
                .chain(doc.citations.iter().map(|c| (doc.title.as_ref(), c)));
            for (heading, c) in cited {
                let Some(url) = &c.url else { continue };
                let key = url_key(url);
                let Some(s) = latest.get(&key) else { continue };
                pages.entry(key).or_insert_with(|| page(s, heading));
            }
        }
        let mut pages: Vec<Page> = pages.into_values().collect();
        pages.sort_by(|a, b| (a.ts, &a.url).cmp(&(b.ts, &b.url)));
        Ok(pages)
    }

    /// Reads a snapshot's record and checks it is the one the row names:
    /// its type, URL and payload digest, and its block digest.
    fn check_record(&self, s: &Snapshot) -> Result<(), ArchiveError> {
        let path = self.dir.join(&s.warc_file);
        let at = || format!("{} (offset {})", path.display(), s.warc_offset);
        let rec = warc::read_record_at(&path, s.warc_offset).map_err(|e| ArchiveError::Io {
            dir: at(),
            message: format!(
                "cannot read the {} of {}: {e}; `citevault verify-archive` tells more",
                s.record_type, s.url
            ),
        })?;
        let found = (
            rec.header("WARC-Type"),
            rec.header("WARC-Target-URI"),
            rec.header("WARC-Payload-Digest"),
        );
        let named = (
            Some(s.record_type.as_str()),
            Some(s.url.as_str()),
            Some(s.sha256.as_str()),
        );
        if found != named || !rec.block_digest_ok() {
            return Err(ArchiveError::Io {
                dir: at(),
                message: format!(
                    "the record there is not the {} of {} the index names (damaged, or the \
                     index is out of date); run `citevault verify-archive`",
                    s.record_type, s.url
                ),
            });
        }
        Ok(())
    }

    fn export_err(&self, message: String) -> ArchiveError {
        ArchiveError::Io {
            dir: self.dir.display().to_string(),
            message,
        }
    }
}

/// `20261122091403`: the 14-digit UTC form CDXJ and replay URLs use.
pub fn timestamp14(t: Timestamp) -> String {
    t.to_string()
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
        .collect()
}

/// One CDXJ line: SURT key, timestamp, then the fields pywb's indexer
/// writes, in its order and spacing, values as strings. A revisit's MIME
/// type is `warc/revisit` and it has no status, as pywb writes them.
fn cdxj_line(s: &Snapshot, filename: &str) -> String {
    let revisit = s.record_type == "revisit";
    let mime = if revisit {
        "warc/revisit".to_string()
    } else {
        mime_of(s.content_type.as_deref())
    };
    let mut fields = vec![("url", s.url.clone()), ("mime", mime)];
    if !revisit {
        fields.push(("status", s.http_status.to_string()));
    }
    fields.extend([
        ("digest", s.sha256.clone()),
        ("length", s.warc_length.to_string()),
        ("offset", s.warc_offset.to_string()),
        ("filename", filename.to_string()),
    ]);
    let json: Vec<String> = fields
        .into_iter()
        .map(|(k, v)| format!("{}: {}", json_string(k), json_string(&v)))
        .collect();
    format!(
        "{} {} {{{}}}",
        surt(&s.url),
        timestamp14(s.fetched_at),
        json.join(", ")
    )
}

/// The media type without parameters (`text/html` of `text/html;
/// charset=utf-8`); `unk` when the response named none, as pywb writes.
fn mime_of(content_type: Option<&str>) -> String {
    content_type
        .and_then(|ct| ct.trim().split([';', ' ']).next())
        .filter(|m| !m.is_empty())
        .unwrap_or("unk")
        .to_string()
}

fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// The last component of an archive-relative path.
fn base_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

fn page(s: &Snapshot, heading: Option<&String>) -> Page {
    let title = s
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| heading.cloned())
        .unwrap_or_else(|| s.url.clone());
    let stamp = timestamp14(s.fetched_at);
    let digest = warc::sha256_label(format!("{stamp}/{}", s.url).as_bytes());
    Page {
        id: digest.trim_start_matches("sha256:")[..24].to_string(),
        url: s.url.clone(),
        ts: s.fetched_at,
        title,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(record_type: &str, content_type: Option<&str>) -> Snapshot {
        Snapshot {
            id: 1,
            url: "https://www.rfa.org/a.html?b=2&a=1".into(),
            fetched_at: "2026-11-22T09:14:03Z".parse().expect("valid time"),
            http_status: 200,
            sha256: "sha256:00ff".into(),
            size: 10,
            content_type: content_type.map(str::to_string),
            title: None,
            record_type: record_type.into(),
            warc_file: "warc/2026/11/citevault-x-0.warc.gz".into(),
            warc_offset: 771,
            warc_length: 1219,
            refers_to: None,
        }
    }

    #[test]
    fn lines_are_written_as_pywb_writes_them() {
        let s = snap("response", Some("text/html; charset=utf-8"));
        assert_eq!(
            cdxj_line(&s, "x.warc.gz"),
            r#"org,rfa)/a.html?a=1&b=2 20261122091403 {"url": "https://www.rfa.org/a.html?b=2&a=1", "mime": "text/html", "status": "200", "digest": "sha256:00ff", "length": "1219", "offset": "771", "filename": "x.warc.gz"}"#
        );
        let r = snap("revisit", Some("text/html"));
        let line = cdxj_line(&r, "x.warc.gz");
        assert!(
            line.contains(r#""mime": "warc/revisit", "digest""#),
            "{line}"
        );
        assert_eq!(mime_of(None), "unk");
        assert_eq!(mime_of(Some("application/pdf")), "application/pdf");
    }

    #[test]
    fn page_titles_fall_back_to_the_citing_headline() {
        let heading = "Nexperia urges China unit to resume".to_string();
        let p = page(&snap("response", None), Some(&heading));
        assert_eq!(p.title, heading);
        assert_eq!(p.id.len(), 24);
        assert_eq!(timestamp14(p.ts), "20261122091403");
    }
}
