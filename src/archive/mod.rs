//! Stage 3: responses → WARC files + an SQLite index.
//!
//! Layout under the archive directory:
//!
//! ```text
//! index.sqlite                       the index (WAL): snapshots, checks, citations
//! warc/YYYY/MM/citevault-<UTC>-<n>.warc.gz   WARC 1.1, one gzip member per record
//! .lock                              held by the run writing the archive
//! ```
//!
//! Records are written and synced before the index rows that point to them
//! are committed, so a run killed at any moment leaves an index that only
//! names bytes that exist. Paths come from timestamps and counters, never
//! from URLs.

pub mod warc;

use crate::check::{Checked, Conditional, Hop};
use crate::model::{CheckResult, Document, Timestamp};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use url::Url;
use warc::{new_record_id, sha256_label, Record, WarcWriter};

/// WARC files are rotated once they pass this size.
pub const ROTATE_AT: u64 = 1 << 30;

const REVISIT_IDENTICAL: &str = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest";
const REVISIT_NOT_MODIFIED: &str = "http://netpreserve.org/warc/1.1/revisit/server-not-modified";

/// Why the archive could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("archive {dir}: {message}")]
    Io { dir: String, message: String },
    #[error("archive index {path}: {source}")]
    Db {
        path: String,
        source: rusqlite::Error,
    },
}

/// One archived response (or revisit) of a URL.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Snapshot {
    pub id: i64,
    pub url: String,
    pub fetched_at: Timestamp,
    pub http_status: u16,
    /// `sha256:<hex>` of the payload as stored (content-encoding kept).
    pub sha256: String,
    pub size: u64,
    pub content_type: Option<String>,
    pub title: Option<String>,
    /// `response` or `revisit`.
    pub record_type: String,
    pub warc_file: String,
    pub warc_offset: u64,
    pub warc_length: u64,
    /// For a revisit: the snapshot holding the payload.
    pub refers_to: Option<i64>,
}

/// One check of a URL, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckRow {
    pub url: String,
    pub checked_at: Timestamp,
    pub status: String,
    pub reason: String,
    pub http_status: Option<u16>,
    pub sha256: Option<String>,
}

/// The archive: WARC files and their index.
pub struct Archive {
    dir: PathBuf,
    db: Connection,
    writer: Option<(WarcWriter, String)>,
    run_stamp: String,
    file_counter: u32,
    /// Held while this value lives: one writer per archive.
    _lock: Option<File>,
    /// Rows waiting for the WARC bytes they point to to be synced.
    pending: usize,
    rotate_at: u64,
}

/// The form of a URL used to find it again: as cited, as an IRI, with a
/// different case of host or a trailing slash, it is the same key.
pub fn url_key(raw: &str) -> String {
    let Ok(mut u) = Url::parse(raw.trim()) else {
        return raw.trim().to_string();
    };
    u.set_fragment(None);
    let path = u.path().to_string();
    if path.len() > 1 && path.ends_with('/') {
        u.set_path(path.trim_end_matches('/'));
    }
    u.to_string()
}

impl Archive {
    /// Opens (creating) an archive for writing. If another run holds it,
    /// says so on stderr and waits for it.
    pub fn open(dir: &Path) -> Result<Archive, ArchiveError> {
        let io_err = |e: std::io::Error| ArchiveError::Io {
            dir: dir.display().to_string(),
            message: e.to_string(),
        };
        std::fs::create_dir_all(dir.join("warc")).map_err(io_err)?;
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(".lock"))
            .map_err(io_err)?;
        if lock.try_lock().is_err() {
            eprintln!(
                "citevault: archive {} is in use by another run; waiting for it to finish",
                dir.display()
            );
            lock.lock().map_err(io_err)?;
        }
        let mut archive = Self::connect(dir)?;
        archive._lock = Some(lock);
        archive.begin()?;
        Ok(archive)
    }

    /// Opens an existing archive for reading (no lock: SQLite's WAL lets
    /// readers run beside a writer).
    pub fn open_read_only(dir: &Path) -> Result<Archive, ArchiveError> {
        if !dir.join("index.sqlite").exists() {
            return Err(ArchiveError::Io {
                dir: dir.display().to_string(),
                message: "no archive here (no index.sqlite); run `citevault check` first".into(),
            });
        }
        Self::connect(dir)
    }

    fn connect(dir: &Path) -> Result<Archive, ArchiveError> {
        let path = dir.join("index.sqlite");
        let db_err = |source| ArchiveError::Db {
            path: path.display().to_string(),
            source,
        };
        let db = Connection::open(&path).map_err(db_err)?;
        db.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(db_err)?;
        db.execute_batch(SCHEMA).map_err(db_err)?;
        let run_stamp = humantime::format_rfc3339_seconds(std::time::SystemTime::now())
            .to_string()
            .replace(['-', ':'], "");
        Ok(Archive {
            dir: dir.to_path_buf(),
            db,
            writer: None,
            run_stamp,
            file_counter: 0,
            _lock: None,
            pending: 0,
            rotate_at: ROTATE_AT,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Starts a new WARC file once the current one reaches `bytes`
    /// (default [`ROTATE_AT`], about 1 GiB).
    pub fn set_rotate_at(&mut self, bytes: u64) {
        self.rotate_at = bytes.max(1);
    }

    fn db_err(&self, source: rusqlite::Error) -> ArchiveError {
        ArchiveError::Db {
            path: self.dir.join("index.sqlite").display().to_string(),
            source,
        }
    }

    fn io_err(&self, e: std::io::Error) -> ArchiveError {
        ArchiveError::Io {
            dir: self.dir.display().to_string(),
            message: e.to_string(),
        }
    }

    /// The WARC file being written, opened (with its warcinfo record) or
    /// rotated as needed. Returns its path relative to the archive.
    fn writer(&mut self) -> Result<(&mut WarcWriter, String), ArchiveError> {
        let full = self
            .writer
            .as_ref()
            .is_some_and(|(w, _)| w.len() >= self.rotate_at);
        if full {
            self.commit()?;
            self.writer = None;
        }
        if self.writer.is_none() {
            let (year, month) = (&self.run_stamp[0..4], &self.run_stamp[4..6]);
            // A fresh name: two runs in one second never share a file.
            let rel = loop {
                let rel = format!(
                    "warc/{year}/{month}/citevault-{}-{}.warc.gz",
                    self.run_stamp, self.file_counter
                );
                self.file_counter += 1;
                if !self.dir.join(&rel).exists() {
                    break rel;
                }
            };
            let path = self.dir.join(&rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| self.io_err(e))?;
            }
            let mut w = WarcWriter::open(&path).map_err(|e| self.io_err(e))?;
            if w.is_empty() {
                let info = format!(
                    "software: citevault/{}\r\nformat: WARC File Format 1.1\r\nconformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n",
                    env!("CARGO_PKG_VERSION")
                );
                let rec = Record {
                    kind: "warcinfo",
                    target_uri: None,
                    date: Timestamp::now().to_string(),
                    content_type: "application/warc-fields",
                    fields: vec![("WARC-Filename", file_name(&rel))],
                    payload_digest: None,
                    block: info.into_bytes(),
                };
                w.write(&rec, &new_record_id())
                    .map_err(|e| self.io_err(e))?;
            }
            self.writer = Some((w, rel));
        }
        let (w, rel) = self.writer.as_mut().expect("writer was just set");
        Ok((w, rel.clone()))
    }

    /// Validators of the latest snapshot of each URL, for conditional re-checks.
    pub fn conditionals(
        &self,
        urls: &[String],
    ) -> Result<HashMap<String, Conditional>, ArchiveError> {
        let mut out = HashMap::new();
        let mut stmt = self
            .db
            .prepare_cached(
                "SELECT etag, last_modified FROM snapshots WHERE url_key = ?1 AND http_status BETWEEN 200 AND 299
                 AND (etag IS NOT NULL OR last_modified IS NOT NULL) ORDER BY fetched_at DESC, id DESC LIMIT 1",
            )
            .map_err(|e| self.db_err(e))?;
        for u in urls {
            let row = stmt
                .query_row([url_key(u)], |r| {
                    Ok((
                        r.get::<_, Option<String>>(0)?,
                        r.get::<_, Option<String>>(1)?,
                    ))
                })
                .optional()
                .map_err(|e| self.db_err(e))?;
            if let Some((etag, last_modified)) = row {
                out.insert(
                    u.clone(),
                    Conditional {
                        etag,
                        last_modified,
                    },
                );
            }
        }
        Ok(out)
    }

    /// Archives one checked URL: a request and a response (or revisit)
    /// record per hop of its redirect chain, then the check result. Returns
    /// the snapshot id of the final response.
    pub fn store(&mut self, checked: &Checked) -> Result<Option<i64>, ArchiveError> {
        let mut final_snapshot = None;
        if let Some(ex) = &checked.exchange {
            let date = ex.fetched_at.to_string();
            for (i, hop) in ex.hops.iter().enumerate() {
                let is_final = i + 1 == ex.hops.len();
                let title = if is_final {
                    checked.result.title.clone()
                } else {
                    None
                };
                let id = self.store_hop(hop, &date, ex.fetched_at, title)?;
                if is_final {
                    final_snapshot = Some(id);
                }
            }
        }
        self.record_check(&checked.url, &checked.result, final_snapshot)?;
        self.pending += 1;
        if self.pending >= 64 {
            self.commit()?;
        }
        Ok(final_snapshot)
    }

    fn store_hop(
        &mut self,
        hop: &Hop,
        date: &str,
        at: Timestamp,
        title: Option<String>,
    ) -> Result<i64, ArchiveError> {
        let key = url_key(&hop.url);
        let payload_digest = sha256_label(&hop.body);
        let header = |name: &str| {
            hop.headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
        };
        let previous = self.latest_payload(&key)?;
        let revisit = match (&previous, hop.status) {
            (Some(prev), 304) => Some((prev.clone(), REVISIT_NOT_MODIFIED)),
            (Some(prev), 200..=299) if prev.sha256 == payload_digest => {
                Some((prev.clone(), REVISIT_IDENTICAL))
            }
            _ => None,
        };
        let http_head = http_head(hop);
        let request_id = new_record_id();
        let response_id = new_record_id();
        let request = Record {
            kind: "request",
            target_uri: Some(hop.url.clone()),
            date: date.to_string(),
            content_type: "application/http;msgtype=request",
            fields: vec![("WARC-Concurrent-To", response_id.clone())],
            payload_digest: None,
            block: hop.request_head.clone(),
        };
        let (response, record_type, refers_to, digest, size) = match &revisit {
            Some((prev, profile)) => {
                let fields = vec![
                    ("WARC-Profile", profile.to_string()),
                    ("WARC-Refers-To", prev.record_id.clone()),
                    ("WARC-Refers-To-Target-URI", prev.url.clone()),
                    ("WARC-Refers-To-Date", prev.fetched_at.to_string()),
                ];
                let rec = Record {
                    kind: "revisit",
                    target_uri: Some(hop.url.clone()),
                    date: date.to_string(),
                    content_type: "application/http;msgtype=response",
                    fields,
                    payload_digest: Some(prev.sha256.clone()),
                    block: http_head,
                };
                (
                    rec,
                    "revisit",
                    Some(prev.id),
                    prev.sha256.clone(),
                    prev.size,
                )
            }
            None => {
                let mut block = http_head;
                block.extend_from_slice(&hop.body);
                let rec = Record {
                    kind: "response",
                    target_uri: Some(hop.url.clone()),
                    date: date.to_string(),
                    content_type: "application/http;msgtype=response",
                    fields: vec![],
                    payload_digest: Some(payload_digest.clone()),
                    block,
                };
                (rec, "response", None, payload_digest, hop.body.len() as u64)
            }
        };
        let (w, rel) = self.writer()?;
        w.write(&request, &request_id)
            .map_err(|e| ArchiveError::Io {
                dir: rel.clone(),
                message: e.to_string(),
            })?;
        let placed = w
            .write(&response, &response_id)
            .map_err(|e| ArchiveError::Io {
                dir: rel.clone(),
                message: e.to_string(),
            })?;
        self.db
            .execute(
                "INSERT INTO snapshots (url, url_key, fetched_at, http_status, sha256, size, content_type, title,
                    record_type, record_id, warc_file, warc_offset, warc_length, refers_to, etag, last_modified)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                params![
                    hop.url,
                    key,
                    at.0 as i64,
                    hop.status,
                    digest,
                    size as i64,
                    header("content-type"),
                    title,
                    record_type,
                    response_id,
                    rel,
                    placed.offset as i64,
                    placed.length as i64,
                    refers_to,
                    header("etag"),
                    header("last-modified"),
                ],
            )
            .map_err(|e| self.db_err(e))?;
        Ok(self.db.last_insert_rowid())
    }

    /// The latest snapshot holding a payload (a response, or what a revisit
    /// refers to) of this URL.
    fn latest_payload(&self, key: &str) -> Result<Option<PayloadRef>, ArchiveError> {
        self.db
            .query_row(
                "SELECT s.id, s.url, s.fetched_at, s.sha256, s.size, s.record_id FROM snapshots t
                 JOIN snapshots s ON s.id = COALESCE(t.refers_to, t.id)
                 WHERE t.url_key = ?1 AND t.http_status BETWEEN 200 AND 299
                 ORDER BY t.fetched_at DESC, t.id DESC LIMIT 1",
                [key],
                |r| {
                    Ok(PayloadRef {
                        id: r.get(0)?,
                        url: r.get(1)?,
                        fetched_at: Timestamp(r.get::<_, i64>(2)? as u64),
                        sha256: r.get(3)?,
                        size: r.get::<_, i64>(4)? as u64,
                        record_id: r.get(5)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.db_err(e))
    }

    fn record_check(
        &mut self,
        url: &str,
        r: &CheckResult,
        snapshot: Option<i64>,
    ) -> Result<(), ArchiveError> {
        self.db
            .execute(
                "INSERT INTO checks (url, url_key, checked_at, status, reason, http_status, sha256, snapshot_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    url,
                    url_key(url),
                    r.checked_at.0 as i64,
                    r.status.as_str(),
                    r.reason,
                    r.http_status,
                    r.sha256.map(|d| d.to_string()),
                    snapshot,
                ],
            )
            .map_err(|e| self.db_err(e))?;
        Ok(())
    }

    /// Records the documents, items and citations seen in this run. A
    /// citation seen before only has its `seen_at` updated, so re-checking
    /// the same digests does not grow the index.
    pub fn record_citations(&mut self, docs: &[Document]) -> Result<(), ArchiveError> {
        let now = Timestamp::now().0 as i64;
        for doc in docs {
            let doc_id: i64 = self
                .db
                .prepare_cached(
                    "INSERT INTO documents (source, format, title, first_seen, seen_at) VALUES (?1, ?2, ?3, ?4, ?4)
                     ON CONFLICT (source) DO UPDATE SET format = excluded.format, title = excluded.title, seen_at = excluded.seen_at
                     RETURNING id",
                )
                .and_then(|mut st| {
                    st.query_row(params![doc.source, doc.format.as_str(), doc.title, now], |r| r.get(0))
                })
                .map_err(|e| self.db_err(e))?;
            let items = doc
                .items
                .iter()
                .map(|i| (Some(i.title.as_str()), Some(i.line), &i.citations))
                .chain(std::iter::once((None, None, &doc.citations)));
            for (title, line, citations) in items {
                for c in citations {
                    self.db
                        .prepare_cached(
                            "INSERT INTO citations (document_id, item_title, item_line, url, url_key, outlet, outlet_id, date, marker, line, first_seen, seen_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)
                             ON CONFLICT (document_id, line, url_key, item_line) DO UPDATE SET
                               item_title = excluded.item_title, outlet = excluded.outlet, outlet_id = excluded.outlet_id,
                               date = excluded.date, marker = excluded.marker, seen_at = excluded.seen_at",
                        )
                        .and_then(|mut st| {
                            st.execute(params![
                                doc_id,
                                title,
                                line.unwrap_or(0),
                                c.url,
                                c.url.as_deref().map(url_key).unwrap_or_default(),
                                c.outlet,
                                c.outlet_id,
                                c.date,
                                c.marker,
                                c.line,
                                now
                            ])
                        })
                        .map_err(|e| self.db_err(e))?;
                }
            }
        }
        Ok(())
    }

    /// Makes everything stored so far durable: WARC bytes first, then the
    /// index rows that point to them.
    pub fn commit(&mut self) -> Result<(), ArchiveError> {
        if let Some((w, _)) = self.writer.as_mut() {
            w.sync().map_err(|e| ArchiveError::Io {
                dir: self.dir.display().to_string(),
                message: e.to_string(),
            })?;
        }
        self.db
            .execute_batch("COMMIT; BEGIN")
            .map_err(|e| self.db_err(e))?;
        self.pending = 0;
        Ok(())
    }

    /// Starts the batch transaction a writing run keeps open between commits.
    pub fn begin(&mut self) -> Result<(), ArchiveError> {
        self.db.execute_batch("BEGIN").map_err(|e| self.db_err(e))
    }

    /// Every snapshot of a URL, oldest first.
    pub fn snapshots(&self, url: &str) -> Result<Vec<Snapshot>, ArchiveError> {
        let mut stmt = self
            .db
            .prepare_cached(
                "SELECT id, url, fetched_at, http_status, sha256, size, content_type, title, record_type,
                        warc_file, warc_offset, warc_length, refers_to
                 FROM snapshots WHERE url_key = ?1 ORDER BY fetched_at, id",
            )
            .map_err(|e| self.db_err(e))?;
        let rows = stmt
            .query_map([url_key(url)], snapshot_from_row)
            .map_err(|e| self.db_err(e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.db_err(e))
    }

    /// Every recorded check of a URL, oldest first.
    pub fn checks(&self, url: &str) -> Result<Vec<CheckRow>, ArchiveError> {
        let mut stmt = self
            .db
            .prepare_cached(
                "SELECT url, checked_at, status, reason, http_status, sha256 FROM checks
                 WHERE url_key = ?1 ORDER BY checked_at, id",
            )
            .map_err(|e| self.db_err(e))?;
        let rows = stmt
            .query_map([url_key(url)], |r| {
                Ok(CheckRow {
                    url: r.get(0)?,
                    checked_at: Timestamp(r.get::<_, i64>(1)? as u64),
                    status: r.get(2)?,
                    reason: r.get(3)?,
                    http_status: r.get(4)?,
                    sha256: r.get(5)?,
                })
            })
            .map_err(|e| self.db_err(e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.db_err(e))
    }

    /// The snapshot of a URL closest to `at` (latest when `None`).
    pub fn snapshot_near(
        &self,
        url: &str,
        at: Option<Timestamp>,
    ) -> Result<Option<Snapshot>, ArchiveError> {
        let all = self.snapshots(url)?;
        Ok(match at {
            None => all.into_iter().last(),
            Some(t) => all.into_iter().min_by_key(|s| s.fetched_at.0.abs_diff(t.0)),
        })
    }

    /// The HTTP response stored for a snapshot: for a revisit, the headers
    /// of the revisit with the payload it refers to.
    pub fn read_response(&self, snap: &Snapshot) -> Result<Vec<u8>, ArchiveError> {
        let read = |file: &str, offset: u64| {
            warc::read_record_at(&self.dir.join(file), offset).map_err(|e| ArchiveError::Io {
                dir: format!("{} (offset {offset})", self.dir.join(file).display()),
                message: e.to_string(),
            })
        };
        let rec = read(&snap.warc_file, snap.warc_offset)?;
        let Some(orig_id) = snap.refers_to else {
            return Ok(rec.block);
        };
        let orig = self
            .snapshot_by_id(orig_id)?
            .ok_or_else(|| ArchiveError::Io {
                dir: self.dir.display().to_string(),
                message: format!("revisit {} refers to a missing snapshot {orig_id}", snap.id),
            })?;
        let orig_rec = read(&orig.warc_file, orig.warc_offset)?;
        let mut out = rec.block;
        out.extend_from_slice(orig_rec.http_payload().unwrap_or(&[]));
        Ok(out)
    }

    fn snapshot_by_id(&self, id: i64) -> Result<Option<Snapshot>, ArchiveError> {
        self.db
            .query_row(
                "SELECT id, url, fetched_at, http_status, sha256, size, content_type, title, record_type,
                        warc_file, warc_offset, warc_length, refers_to FROM snapshots WHERE id = ?1",
                [id],
                snapshot_from_row,
            )
            .optional()
            .map_err(|e| self.db_err(e))
    }
}

/// A citation row of the index.
struct CitationRow {
    item_title: Option<String>,
    item_line: u32,
    url: Option<String>,
    key: String,
    outlet: Option<String>,
    outlet_id: Option<String>,
    date: Option<String>,
    marker: Option<u32>,
    line: u32,
}

/// checked_at, status, reason, http_status, sha256 of a check row.
type CheckRowRaw = (i64, String, String, Option<u16>, Option<String>);

/// (document, item title, item line) of a citation seen in a run.
pub type CitedBy = (String, Option<String>, u32);

/// A URL whose status changed between two checks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Transition {
    pub url: String,
    pub from: String,
    pub to: String,
    pub at: Timestamp,
    pub reason: String,
    /// Every citation of the URL seen.
    pub cited_by: Vec<CitedBy>,
}

/// What `verify-archive` found.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct VerifyReport {
    pub files: usize,
    pub records: usize,
    pub bad_digests: Vec<String>,
    pub truncated: Vec<String>,
    pub missing: Vec<String>,
    pub unindexed: usize,
    pub repaired: Vec<String>,
}

impl VerifyReport {
    /// Every indexed record is present and every digest matches. A
    /// truncated tail (a run killed mid-write) is reported but does not
    /// fail: nothing indexed points into it.
    pub fn ok(&self) -> bool {
        self.bad_digests.is_empty() && self.missing.is_empty()
    }
}

impl Archive {
    /// Status changes over time (a first check counts as a change from
    /// `new` when it is not alive), optionally since a time.
    pub fn transitions(&self, since: Option<Timestamp>) -> Result<Vec<Transition>, ArchiveError> {
        let mut stmt = self
            .db
            .prepare_cached("SELECT url, url_key, checked_at, status, reason FROM checks ORDER BY url_key, checked_at, id")
            .map_err(|e| self.db_err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    Timestamp(r.get::<_, i64>(2)? as u64),
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .map_err(|e| self.db_err(e))?;
        let mut out = Vec::new();
        let mut prev: Option<(String, String)> = None;
        for row in rows {
            let (url, key, at, status, reason) = row.map_err(|e| self.db_err(e))?;
            let from = match &prev {
                Some((k, st)) if *k == key => Some(st.clone()),
                _ => None,
            };
            let changed = match &from {
                Some(f) => *f != status,
                None => status != "alive",
            };
            if changed && since.is_none_or(|s| at >= s) {
                out.push(Transition {
                    url,
                    from: from.unwrap_or_else(|| "new".into()),
                    to: status.clone(),
                    at,
                    reason,
                    cited_by: self.citing(&key)?,
                });
            }
            prev = Some((key, status));
        }
        Ok(out)
    }

    /// Documents and items that cite a URL (by key), most recent sightings.
    pub fn citing(&self, key: &str) -> Result<Vec<CitedBy>, ArchiveError> {
        let mut stmt = self
            .db
            .prepare_cached(
                "SELECT DISTINCT d.source, c.item_title, c.item_line FROM citations c
                 JOIN documents d ON d.id = c.document_id WHERE c.url_key = ?1 ORDER BY d.source, c.item_line",
            )
            .map_err(|e| self.db_err(e))?;
        let rows = stmt
            .query_map([key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(|e| self.db_err(e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.db_err(e))
    }

    /// Re-reads every record, recomputes digests and checks the index
    /// against the files. With `repair`, cuts truncated tails off (after the
    /// last whole record) and drops index rows pointing at missing records.
    pub fn verify(&mut self, repair: bool) -> Result<VerifyReport, ArchiveError> {
        let mut report = VerifyReport::default();
        let mut present: HashMap<(String, u64), String> = HashMap::new();
        // Response and revisit records, for re-indexing what the index lacks.
        let mut payload_records: Vec<(String, warc::Placement, warc::ReadRecord)> = Vec::new();
        let warc_dir = self.dir.join("warc");
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&warc_dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_type().is_file() && e.file_name().to_string_lossy().ends_with(".warc.gz")
            })
            .map(|e| e.into_path())
            .collect();
        files.sort();
        for path in files {
            report.files += 1;
            let rel = path
                .strip_prefix(&self.dir)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_else(|_| path.display().to_string());
            let (records, good_end) = warc::scan(&path).map_err(|e| self.io_err(e))?;
            for (placement, rec) in &records {
                let Ok(rec) = rec else { continue };
                report.records += 1;
                let mut ok = rec.block_digest_ok();
                if let (Some(d), Some(p)) = (rec.header("WARC-Payload-Digest"), rec.http_payload())
                {
                    if rec.header("WARC-Type") == Some("response") {
                        ok &= d == sha256_label(p);
                    }
                }
                if !ok {
                    report
                        .bad_digests
                        .push(format!("{rel} at offset {}", placement.offset));
                }
                if let Some(id) = rec.header("WARC-Record-ID") {
                    present.insert((rel.clone(), placement.offset), id.to_string());
                }
                if ok && matches!(rec.header("WARC-Type"), Some("response" | "revisit")) {
                    payload_records.push((rel.clone(), *placement, rec.clone()));
                }
            }
            let len = std::fs::metadata(&path).map_err(|e| self.io_err(e))?.len();
            if good_end < len {
                report.truncated.push(format!(
                    "{rel}: {} bytes after offset {good_end} are not a whole record",
                    len - good_end
                ));
                if repair {
                    let f = std::fs::OpenOptions::new()
                        .write(true)
                        .open(&path)
                        .map_err(|e| self.io_err(e))?;
                    f.set_len(good_end).map_err(|e| self.io_err(e))?;
                    report
                        .repaired
                        .push(format!("{rel}: cut to {good_end} bytes"));
                }
            }
        }
        let rows: Vec<(i64, String, u64, String)> = {
            let mut stmt = self
                .db
                .prepare_cached("SELECT id, warc_file, warc_offset, record_id FROM snapshots")
                .map_err(|e| self.db_err(e))?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64, r.get(3)?))
                })
                .map_err(|e| self.db_err(e))?;
            rows.collect::<Result<Vec<_>, _>>()
                .map_err(|e| self.db_err(e))?
        };
        for (id, file, offset, record_id) in rows {
            match present.get(&(file.clone(), offset)) {
                Some(found) if *found == record_id => {}
                _ => {
                    report
                        .missing
                        .push(format!("snapshot {id}: {file} at offset {offset}"));
                    if repair {
                        self.db
                            .execute(
                                "UPDATE checks SET snapshot_id = NULL WHERE snapshot_id = ?1",
                                [id],
                            )
                            .and_then(|_| {
                                self.db.execute("DELETE FROM snapshots WHERE id = ?1", [id])
                            })
                            .map_err(|e| self.db_err(e))?;
                        report
                            .repaired
                            .push(format!("dropped index row of snapshot {id}"));
                    }
                }
            }
        }
        let indexed_ids: std::collections::HashSet<String> = {
            let mut stmt = self
                .db
                .prepare_cached("SELECT record_id FROM snapshots")
                .map_err(|e| self.db_err(e))?;
            let ids = stmt
                .query_map([], |r| r.get::<_, String>(0))
                .map_err(|e| self.db_err(e))?;
            ids.collect::<Result<_, _>>().map_err(|e| self.db_err(e))?
        };
        for (file, placement, rec) in payload_records {
            let id = rec.header("WARC-Record-ID").unwrap_or("").to_string();
            if indexed_ids.contains(&id) {
                continue;
            }
            report.unindexed += 1;
            if repair {
                self.reindex(&file, placement, &rec)?;
                report.repaired.push(format!(
                    "re-indexed {} ({file} at offset {})",
                    rec.header("WARC-Target-URI").unwrap_or("?"),
                    placement.offset
                ));
            }
        }
        if repair {
            self.commit()?;
        }
        Ok(report)
    }

    /// Adds the index row of a response or revisit record found in a WARC
    /// file (written by a run that died before committing it).
    fn reindex(
        &mut self,
        file: &str,
        placement: warc::Placement,
        rec: &warc::ReadRecord,
    ) -> Result<(), ArchiveError> {
        let url = rec.header("WARC-Target-URI").unwrap_or("").to_string();
        let fetched_at = rec
            .header("WARC-Date")
            .and_then(|d| d.parse::<Timestamp>().ok())
            .unwrap_or(Timestamp(0));
        let head_end =
            memchr::memmem::find(&rec.block, b"\r\n\r\n").map_or(rec.block.len(), |p| p + 4);
        let head = String::from_utf8_lossy(&rec.block[..head_end]).into_owned();
        let status: u16 = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let header = |name: &str| {
            head.lines()
                .skip(1)
                .filter_map(|l| l.split_once(':'))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim().to_string())
        };
        let refers_to: Option<i64> = match rec.header("WARC-Refers-To") {
            Some(r) => self
                .db
                .query_row(
                    "SELECT id FROM snapshots WHERE record_id = ?1",
                    [r],
                    |row| row.get(0),
                )
                .optional()
                .map_err(|e| self.db_err(e))?,
            None => None,
        };
        let kind = rec.header("WARC-Type").unwrap_or("response").to_string();
        let size = rec.block.len().saturating_sub(head_end) as i64;
        self.db
            .execute(
                "INSERT INTO snapshots (url, url_key, fetched_at, http_status, sha256, size, content_type, title,
                    record_type, record_id, warc_file, warc_offset, warc_length, refers_to, etag, last_modified)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                params![
                    url,
                    url_key(&url),
                    fetched_at.0 as i64,
                    status,
                    rec.header("WARC-Payload-Digest").unwrap_or(""),
                    size,
                    header("content-type"),
                    kind,
                    rec.header("WARC-Record-ID").unwrap_or(""),
                    file,
                    placement.offset as i64,
                    placement.length as i64,
                    refers_to,
                    header("etag"),
                    header("last-modified"),
                ],
            )
            .map_err(|e| self.db_err(e))?;
        Ok(())
    }
}

impl Archive {
    /// The documents recorded by the last runs (seen at or after `since`),
    /// their items and citations, each citation with the URL's latest
    /// recorded check: what `citevault report` renders without fetching.
    pub fn documents(&self, since: Option<Timestamp>) -> Result<Vec<Document>, ArchiveError> {
        use crate::model::{Citation, CitedVia, Format, Item};
        let docs: Vec<(i64, String, Option<String>, Option<String>)> = {
            let mut st = self
                .db
                .prepare_cached("SELECT id, source, format, title FROM documents WHERE seen_at >= ?1 ORDER BY source")
                .map_err(|e| self.db_err(e))?;
            let rows = st
                .query_map([since.map_or(0, |t| t.0 as i64)], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })
                .map_err(|e| self.db_err(e))?;
            rows.collect::<Result<_, _>>().map_err(|e| self.db_err(e))?
        };
        let mut out = Vec::new();
        for (id, source, format, title) in docs {
            let format = match format.as_deref() {
                Some("markdown") => Format::Markdown,
                Some("html") => Format::Html,
                _ => Format::Text,
            };
            let mut doc = Document {
                source,
                format,
                title,
                items: Vec::new(),
                citations: Vec::new(),
            };
            let cits: Vec<CitationRow> = {
                let mut st = self
                    .db
                    .prepare_cached(
                        "SELECT item_title, item_line, url, url_key, outlet, outlet_id, date, marker, line FROM citations
                         WHERE document_id = ?1 AND seen_at = (SELECT seen_at FROM documents WHERE id = ?1)
                         ORDER BY item_line, line, id",
                    )
                    .map_err(|e| self.db_err(e))?;
                let rows = st
                    .query_map([id], |r| {
                        Ok(CitationRow {
                            item_title: r.get(0)?,
                            item_line: r.get(1)?,
                            url: r.get(2)?,
                            key: r.get(3)?,
                            outlet: r.get(4)?,
                            outlet_id: r.get(5)?,
                            date: r.get(6)?,
                            marker: r.get(7)?,
                            line: r.get(8)?,
                        })
                    })
                    .map_err(|e| self.db_err(e))?;
                rows.collect::<Result<_, _>>().map_err(|e| self.db_err(e))?
            };
            for CitationRow {
                item_title,
                item_line,
                url,
                key,
                outlet,
                outlet_id,
                date,
                marker,
                line,
            } in cits
            {
                let check = match &url {
                    Some(_) => self.latest_check(&key)?,
                    None => Some(crate::check::unlinked_result()),
                };
                let citation = Citation {
                    url,
                    outlet,
                    outlet_id,
                    date,
                    marker,
                    line,
                    via: CitedVia::default(),
                    check: check.map(Box::new),
                    archive: None,
                };
                match item_title {
                    Some(title) => {
                        if doc
                            .items
                            .last()
                            .is_none_or(|i| i.line != item_line || i.title != title)
                        {
                            doc.items.push(Item {
                                title,
                                line: item_line,
                                citations: Vec::new(),
                            });
                        }
                        if let Some(item) = doc.items.last_mut() {
                            item.citations.push(citation);
                        }
                    }
                    None => doc.citations.push(citation),
                }
            }
            out.push(doc);
        }
        Ok(out)
    }

    fn latest_check(&self, key: &str) -> Result<Option<CheckResult>, ArchiveError> {
        use crate::model::CheckStatus;
        let row: Option<CheckRowRaw> = self
            .db
            .query_row(
                "SELECT checked_at, status, reason, http_status, sha256 FROM checks WHERE url_key = ?1
                 ORDER BY checked_at DESC, id DESC LIMIT 1",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()
            .map_err(|e| self.db_err(e))?;
        Ok(row.map(|(at, status, reason, http_status, sha256)| {
            let mut r = crate::check::unlinked_result();
            r.status = status.parse().unwrap_or(CheckStatus::Error);
            r.reason = reason;
            r.http_status = http_status;
            r.checked_at = Timestamp(at as u64);
            r.sha256 = sha256.and_then(|s| s.parse().ok());
            r.attempts = 0;
            r
        }))
    }
}

impl Drop for Archive {
    fn drop(&mut self) {
        if self._lock.is_some() {
            let _ = self.commit();
            let _ = self.db.execute_batch("COMMIT");
        }
    }
}

#[derive(Debug, Clone)]
struct PayloadRef {
    id: i64,
    url: String,
    fetched_at: Timestamp,
    sha256: String,
    size: u64,
    record_id: String,
}

fn snapshot_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Snapshot> {
    Ok(Snapshot {
        id: r.get(0)?,
        url: r.get(1)?,
        fetched_at: Timestamp(r.get::<_, i64>(2)? as u64),
        http_status: r.get(3)?,
        sha256: r.get(4)?,
        size: r.get::<_, i64>(5)? as u64,
        content_type: r.get(6)?,
        title: r.get(7)?,
        record_type: r.get(8)?,
        warc_file: r.get(9)?,
        warc_offset: r.get::<_, i64>(10)? as u64,
        warc_length: r.get::<_, i64>(11)? as u64,
        refers_to: r.get(12)?,
    })
}

/// Status line and headers as received; `Transfer-Encoding` is dropped and
/// `Content-Length` set to the stored body, since the body is de-chunked
/// (and may be cut at the cap).
fn http_head(hop: &Hop) -> Vec<u8> {
    let mut head = format!("{}\r\n", hop.status_line).into_bytes();
    for (k, v) in &hop.headers {
        if k.eq_ignore_ascii_case("transfer-encoding") || k.eq_ignore_ascii_case("content-length") {
            continue;
        }
        head.extend_from_slice(k.as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(v);
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(format!("Content-Length: {}\r\n\r\n", hop.body.len()).as_bytes());
    head
}

fn file_name(rel: &str) -> String {
    rel.rsplit('/').next().unwrap_or(rel).to_string()
}

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS snapshots (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    url_key TEXT NOT NULL,
    fetched_at INTEGER NOT NULL,
    http_status INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    content_type TEXT,
    title TEXT,
    record_type TEXT NOT NULL,
    record_id TEXT NOT NULL,
    warc_file TEXT NOT NULL,
    warc_offset INTEGER NOT NULL,
    warc_length INTEGER NOT NULL,
    refers_to INTEGER REFERENCES snapshots(id),
    etag TEXT,
    last_modified TEXT
);
CREATE INDEX IF NOT EXISTS snapshots_by_url ON snapshots (url_key, fetched_at);
CREATE TABLE IF NOT EXISTS checks (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    url_key TEXT NOT NULL,
    checked_at INTEGER NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    http_status INTEGER,
    sha256 TEXT,
    snapshot_id INTEGER REFERENCES snapshots(id)
);
CREATE INDEX IF NOT EXISTS checks_by_url ON checks (url_key, checked_at);
CREATE INDEX IF NOT EXISTS checks_by_time ON checks (checked_at);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,
    format TEXT,
    title TEXT,
    first_seen INTEGER NOT NULL,
    seen_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS citations (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    item_title TEXT,
    item_line INTEGER NOT NULL,
    url TEXT,
    url_key TEXT NOT NULL,
    outlet TEXT,
    outlet_id TEXT,
    date TEXT,
    marker INTEGER,
    line INTEGER NOT NULL,
    first_seen INTEGER NOT NULL,
    seen_at INTEGER NOT NULL,
    UNIQUE (document_id, line, url_key, item_line)
);
CREATE INDEX IF NOT EXISTS citations_by_url ON citations (url_key);
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_keys_match_as_cited() {
        let k = url_key("https://www.dw.com/zh/研究/a-1");
        assert_eq!(k, url_key("https://WWW.DW.COM/zh/%E7%A0%94%E7%A9%B6/a-1/"));
        assert_eq!(
            url_key("https://a.example/x#top"),
            url_key("https://a.example/x")
        );
        assert_eq!(url_key("https://a.example/"), "https://a.example/");
    }
}
