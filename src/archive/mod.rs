//! Stage 3: responses → WARC files + an SQLite index.
//!
//! Layout under the archive directory:
//!
//! ```text
//! index.sqlite                       the index (WAL): snapshots, checks, citations, marks
//! warc/YYYY/MM/citevault-<UTC>-<n>.warc.gz   WARC 1.1, one gzip member per record
//! .lock                              held by the run writing the archive
//! ```
//!
//! Records are written and synced before the index rows that point to them
//! are committed, so a run killed at any moment leaves an index that only
//! names bytes that exist. Paths come from timestamps and counters, never
//! from URLs.

pub mod export;
mod findings;
mod http;
mod marks;
mod query;
mod remote;
pub mod schema;
mod stored_result;
mod verify;
pub mod warc;
mod write;

pub use findings::DocumentFindings;
pub use http::ResponseHead;
pub use marks::Mark;
pub use query::{CitedBy, RecordedDocument, Standing, Transition};
pub use remote::{RemoteAnswer, RemoteKind};
pub use verify::VerifyReport;

use crate::model::{CheckStatus, Timestamp};
use rusqlite::Connection;
use std::fs::File;
use std::path::{Path, PathBuf};
use url::Url;
use warc::WarcWriter;

/// WARC files are rotated once they pass this size.
pub const ROTATE_AT: u64 = 1 << 30;

/// Why the archive could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// A file or folder of the archive could not be read or written.
    #[error("archive {dir}: {message}")]
    Io {
        /// The archive folder or file concerned.
        dir: String,
        /// What went wrong.
        message: String,
    },
    /// The index refused a query.
    #[error("archive index {path}: {source}")]
    Db {
        /// The index file.
        path: String,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// The index could not be brought to this release's schema.
    #[error("archive index {path}: {source}")]
    Schema {
        /// The index file.
        path: String,
        /// Why.
        source: schema::SchemaError,
    },
}

/// One archived response (or revisit) of a URL.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Snapshot {
    /// Row id in the index.
    pub id: i64,
    /// The URL fetched.
    pub url: String,
    /// When it was fetched.
    pub fetched_at: Timestamp,
    /// The HTTP status the server answered (304 for a not-modified revisit).
    pub http_status: u16,
    /// `sha256:<hex>` of the payload as stored (content-encoding kept);
    /// for a revisit, of the payload it refers to.
    pub sha256: String,
    /// Bytes of payload.
    pub size: u64,
    /// `Content-Type` of the response.
    pub content_type: Option<String>,
    /// Page title, when the response was a page (a revisit: the title of
    /// the payload it refers to).
    pub title: Option<String>,
    /// `response` or `revisit`.
    pub record_type: String,
    /// WARC file, relative to the archive folder.
    pub warc_file: String,
    /// Offset of the record's gzip member in that file.
    pub warc_offset: u64,
    /// Length of that gzip member.
    pub warc_length: u64,
    /// For a revisit: the snapshot holding the payload.
    pub refers_to: Option<i64>,
}

/// One check of a URL, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckRow {
    /// Row id: checks are numbered in the order they were recorded.
    pub id: i64,
    /// The URL as cited.
    pub url: String,
    /// When the check finished.
    pub checked_at: Timestamp,
    /// The verdict.
    pub status: CheckStatus,
    /// Why, as reported.
    pub reason: String,
    /// Status code of the last response, if any.
    pub http_status: Option<u16>,
    /// SHA-256 (hex) of the body received.
    pub sha256: Option<String>,
    /// The snapshot this check stored (the final response of its chain).
    #[serde(skip)]
    pub snapshot_id: Option<i64>,
    /// The run that made it (none for checks recorded before runs were).
    #[serde(skip)]
    pub run_id: Option<i64>,
    /// The check reached a verdict on the source; a check that did not
    /// (network down, deadline) never counts in the URL's history.
    pub counted: bool,
    /// The checker's own status, when an override replaced it (`status`
    /// is then the override's: the history and failing streaks follow it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checker_status: Option<CheckStatus>,
    /// The snapshot of the soft-404 probe the verdict rests on (the first
    /// response of its chain: the probe URL's own).
    #[serde(skip)]
    pub probe_snapshot: Option<i64>,
}

impl CheckRow {
    /// Whether the check stored a good copy: the checker found the page
    /// alive and no override said otherwise. A page an override calls
    /// alive (a challenge page of a site that refuses robots) is not one
    /// the checker saw alive, so it never becomes the last good copy.
    pub fn found_alive(&self) -> bool {
        self.status == CheckStatus::Alive
            && self.checker_status.is_none_or(|s| s == CheckStatus::Alive)
    }
}

/// What a run recorded beside its checks: what decided its exit code.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RunRecord {
    /// Statuses that failed the run.
    pub fail_on: Vec<CheckStatus>,
    /// Findings that failed the run.
    #[serde(default)]
    pub fail_on_findings: Vec<crate::model::FindingKind>,
    /// Checks in a row a failure needed.
    pub fail_after: u32,
    /// Inputs that could not be read: (input, problem).
    pub input_errors: Vec<(String, String)>,
    /// Why no verdict could be reached for some URLs.
    pub environment_error: Option<String>,
}

/// What the `warcinfo` record opening each WARC file says beyond the
/// software and format: the collection the records belong to, who ran the
/// crawl, and the user agent it sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcInfo {
    /// `isPartOf`: the collection's name (default `citevault`).
    pub is_part_of: String,
    /// `operator`: a person or organisation, e.g. `Jane Doe <jane@example.org>`.
    pub operator: Option<String>,
    /// `http-header-user-agent`: the `User-Agent` of the requests (a run
    /// fills in its own when this is `None`).
    pub user_agent: Option<String>,
}

impl Default for WarcInfo {
    fn default() -> Self {
        WarcInfo {
            is_part_of: "citevault".into(),
            operator: None,
            user_agent: None,
        }
    }
}

/// Which recorded documents a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// The documents of the last finished run (of the last batch, for an
    /// archive older than runs).
    LastRun,
    /// Every document seen at or after this time, each as its last run saw it.
    Since(Timestamp),
}

/// The archive: WARC files and their index.
pub struct Archive {
    dir: PathBuf,
    db: Connection,
    writer: Option<(WarcWriter, String)>,
    run_stamp: String,
    /// When this archive was opened: the date of the warcinfo records of
    /// the files this run writes.
    opened_at: Timestamp,
    /// What the warcinfo records say (see [`Archive::set_info`]).
    info: WarcInfo,
    /// The run being recorded (see [`Archive::begin_run`]).
    run_id: Option<i64>,
    /// Writing failed: what was not committed is never committed (its WARC
    /// bytes may not be on disk); `verify-archive --repair` re-indexes the
    /// records that are.
    abandoned: bool,
    file_counter: u32,
    /// Held while this value lives: one writer per archive.
    _lock: Option<File>,
    /// Rows waiting for the WARC bytes they point to to be synced.
    pending: usize,
    rotate_at: u64,
    /// Snapshots with a larger id were written in this run: a hop handed
    /// again (same URL, same time) is looked for among them only.
    run_floor: Option<i64>,
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
    /// readers run beside a writer). The index is opened read-only, so an
    /// archive whose files and folder are not writable can be read; when
    /// SQLite cannot set up its shared-memory file there, the index is read
    /// as immutable. An index at an older schema version is upgraded if the
    /// archive is writable; if not, a clear error says how to upgrade it.
    pub fn open_read_only(dir: &Path) -> Result<Archive, ArchiveError> {
        let path = dir.join("index.sqlite");
        if !path.exists() {
            return Err(ArchiveError::Io {
                dir: dir.display().to_string(),
                message: "no archive here (no index.sqlite); run `citevault check` first".into(),
            });
        }
        let db = open_index_read_only(&path)?;
        let found: i32 = db
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|source| ArchiveError::Db {
                path: path.display().to_string(),
                source,
            })?;
        if found > schema::VERSION {
            return Err(ArchiveError::Schema {
                path: path.display().to_string(),
                source: schema::SchemaError::Newer { found },
            });
        }
        if found == schema::VERSION {
            return Ok(Self::with_connection(dir, db));
        }
        // Older: upgrading writes, which only a writable archive allows.
        drop(db);
        Self::connect(dir).map_err(|e| ArchiveError::Io {
            dir: dir.display().to_string(),
            message: format!(
                "the index is at schema version {found}, older than this citevault's ({}), \
                 and could not be upgraded here ({e}); the archive is probably read-only: \
                 open it once with write access to upgrade it, e.g. run \
                 `citevault verify-archive --archive {}` as a user who can write to it",
                schema::VERSION,
                dir.display()
            ),
        })
    }

    fn connect(dir: &Path) -> Result<Archive, ArchiveError> {
        let path = dir.join("index.sqlite");
        let db_err = |source| ArchiveError::Db {
            path: path.display().to_string(),
            source,
        };
        let mut db = Connection::open(&path).map_err(db_err)?;
        db.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(db_err)?;
        schema::migrate(&mut db).map_err(|source| ArchiveError::Schema {
            path: path.display().to_string(),
            source,
        })?;
        Ok(Self::with_connection(dir, db))
    }

    fn with_connection(dir: &Path, db: Connection) -> Archive {
        let opened_at = Timestamp::now();
        let run_stamp = opened_at.to_string().replace(['-', ':'], "");
        Archive {
            dir: dir.to_path_buf(),
            db,
            writer: None,
            run_stamp,
            opened_at,
            info: WarcInfo::default(),
            run_id: None,
            abandoned: false,
            file_counter: 0,
            _lock: None,
            pending: 0,
            run_floor: None,
            rotate_at: ROTATE_AT,
        }
    }

    /// Sets what the warcinfo records of the files written from now on say.
    pub fn set_info(&mut self, info: WarcInfo) {
        self.info = info;
    }

    /// The archive folder.
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
}

impl Archive {
    /// Gives up writing after a failure: rows not yet committed are rolled
    /// back rather than committed over records that may not be on disk.
    pub fn abandon(&mut self) {
        if self._lock.is_some() && !self.abandoned {
            self.abandoned = true;
            let _ = self.db.execute_batch("ROLLBACK");
        }
    }
}

impl Drop for Archive {
    fn drop(&mut self) {
        if self._lock.is_some() && !self.abandoned {
            let _ = self.commit();
            let _ = self.db.execute_batch("COMMIT");
        }
    }
}

/// Opens the index read-only. In WAL mode a reader needs the `-shm` file;
/// when it is absent and the folder is not writable, SQLite refuses
/// (`SQLITE_READONLY_DIRECTORY`, `SQLITE_CANTOPEN`), and the index is then
/// opened as immutable: no writer is running (it would have made the
/// `-shm` file), and this user could not run one. Changes left in a `-wal`
/// file by a crashed writer cannot be read that way: a warning says so.
fn open_index_read_only(path: &Path) -> Result<Connection, ArchiveError> {
    use rusqlite::{ErrorCode, OpenFlags};
    let db_err = |source| ArchiveError::Db {
        path: path.display().to_string(),
        source,
    };
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let open = |uri: &str| -> rusqlite::Result<Connection> {
        let db = Connection::open_with_flags(uri, flags)?;
        db.busy_timeout(std::time::Duration::from_secs(30))?;
        // Opening is lazy: the first read is what needs the -shm file.
        db.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))?;
        Ok(db)
    };
    let uri = index_uri(path)?;
    match open(&format!("{uri}?mode=ro")) {
        Ok(db) => Ok(db),
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied)
            ) =>
        {
            let wal = path.with_file_name("index.sqlite-wal");
            if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
                eprintln!(
                    "citevault: warning: {} holds changes that cannot be read without write access \
                     to the archive folder; reading the index without them",
                    wal.display()
                );
            }
            open(&format!("{uri}?mode=ro&immutable=1")).map_err(|_| db_err(e))
        }
        Err(e) => Err(db_err(e)),
    }
}

/// `file:` URI of the index (absolute, percent-encoded) for SQLite.
fn index_uri(path: &Path) -> Result<String, ArchiveError> {
    let io_err = |message: String| ArchiveError::Io {
        dir: path.display().to_string(),
        message,
    };
    let abs = std::path::absolute(path).map_err(|e| io_err(e.to_string()))?;
    let url =
        Url::from_file_path(&abs).map_err(|()| io_err("cannot be named as a file: URI".into()))?;
    Ok(url.to_string())
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

fn file_name(rel: &str) -> String {
    rel.rsplit('/').next().unwrap_or(rel).to_string()
}

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
