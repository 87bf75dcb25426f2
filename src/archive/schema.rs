//! The index schema, versioned with `PRAGMA user_version` and upgraded by
//! ordered migrations.

use rusqlite::Connection;

/// The schema version this release writes. An index at a lower version is
/// upgraded when opened; one at a higher version (written by a newer
/// release) is refused rather than misread.
pub const VERSION: i32 = 5;

/// Why an index could not be brought to [`VERSION`].
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// The index was written by a newer release.
    #[error("index schema version {found} is newer than this citevault understands ({VERSION}); upgrade citevault")]
    Newer {
        /// The version found in the file.
        found: i32,
    },
    /// SQLite refused a statement.
    #[error(transparent)]
    Db(#[from] rusqlite::Error),
}

/// Creates the tables of a new index, or upgrades an older one. The
/// version is read again inside an immediate (write-locked) transaction,
/// so two processes opening an old archive at once upgrade it once: the
/// second finds it done.
pub fn migrate(db: &mut Connection) -> Result<(), SchemaError> {
    db.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")?;
    let version = |db: &Connection| -> rusqlite::Result<i32> {
        db.query_row("PRAGMA user_version", [], |r| r.get(0))
    };
    let found = version(db)?;
    if found > VERSION {
        return Err(SchemaError::Newer { found });
    }
    if found == VERSION {
        return Ok(());
    }
    let tx = db.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let found = version(&tx)?;
    if found > VERSION {
        return Err(SchemaError::Newer { found });
    }
    for (step, sql) in MIGRATIONS {
        // A new index (version 0, maybe no tables yet) takes every step.
        if found > 0 && step <= found {
            continue;
        }
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "user_version", VERSION)?;
    tx.commit()?;
    Ok(())
}

/// Ordered migrations: `(version reached, SQL)`. Version 0 is the schema of
/// citevault 0.1.0 (unversioned; `CREATE … IF NOT EXISTS` also makes it on
/// a new index). Never edit a released step: add one.
const MIGRATIONS: [(i32, &str); 6] = [(0, V0), (1, V1), (2, V2), (3, V3), (4, V4), (5, V5)];

/// Version 0, as released.
const V0: &str = "
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

/// Version 1: whole check results and runs, so `report` renders exactly what
/// `check` did; every citation kept (two unlinked citations on one line
/// were one row); the document as extracted, uncited items included.
const V1: &str = "
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at INTEGER NOT NULL,
    finished_at INTEGER
);
ALTER TABLE checks ADD COLUMN run_id INTEGER REFERENCES runs(id);
ALTER TABLE checks ADD COLUMN result TEXT;
ALTER TABLE documents ADD COLUMN run_id INTEGER REFERENCES runs(id);
ALTER TABLE documents ADD COLUMN extracted TEXT;
CREATE TABLE citations_v1 (
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
    via TEXT,
    seq INTEGER NOT NULL DEFAULT 0,
    UNIQUE (document_id, line, url_key, item_line, seq)
);
INSERT INTO citations_v1 (id, document_id, item_title, item_line, url, url_key, outlet, outlet_id, date, marker, line, first_seen, seen_at)
    SELECT id, document_id, item_title, item_line, url, url_key, outlet, outlet_id, date, marker, line, first_seen, seen_at FROM citations;
DROP TABLE citations;
ALTER TABLE citations_v1 RENAME TO citations;
CREATE INDEX IF NOT EXISTS citations_by_url ON citations (url_key);
CREATE INDEX IF NOT EXISTS checks_by_run ON checks (run_id);
";

/// Version 2: checks that reached no verdict (network down, deadline, host
/// given up, skipped) are kept for the report but never count in a URL's
/// history; a run records what decides its exit code, so `report` decides
/// the same.
const V2: &str = "
ALTER TABLE checks ADD COLUMN counted INTEGER NOT NULL DEFAULT 1;
ALTER TABLE runs ADD COLUMN record TEXT;
";

/// Version 3: marks (`citevault mark`: a person's verdict on a URL or URL
/// prefix, kept with when it was made and when it was taken back); a check
/// an override changed keeps the checker's own status beside the final
/// one; and the soft-404 probe a verdict rests on is archived and
/// referenced by its check.
const V3: &str = "
CREATE TABLE IF NOT EXISTS marks (
    id INTEGER PRIMARY KEY,
    target TEXT NOT NULL,
    prefix INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    made_at INTEGER NOT NULL,
    removed_at INTEGER
);
CREATE INDEX IF NOT EXISTS marks_in_force ON marks (removed_at, target);
ALTER TABLE checks ADD COLUMN checker_status TEXT;
ALTER TABLE checks ADD COLUMN probe_snapshot INTEGER REFERENCES snapshots(id);
";

/// Version 4: an index that grows little when nothing changes.
/// - Each URL and WARC file name is stored once (`urls`, `warc_files`);
///   captures and checks refer to them by number.
/// - A revisit's row leaves digest, size, type and title to the record it
///   refers to; a check's whole result leaves out what its columns and its
///   snapshot hold (see `stored_result.rs`).
/// - Stored payloads are found by digest (`captures_by_digest`), so a
///   payload already archived, at any URL and with any status, is written
///   again only as a revisit.
/// - `snapshots` and `checks` stay as views with the columns they had, so
///   readers (and SQL a user wrote against the index) keep working;
///   `INSTEAD OF` triggers let them be inserted into, updated and deleted
///   from as before.
const V4: &str = "
CREATE TABLE urls (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    url_key TEXT NOT NULL
);
CREATE INDEX urls_by_key ON urls (url_key);
CREATE TABLE warc_files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE
);
INSERT OR IGNORE INTO urls (url, url_key) SELECT url, url_key FROM snapshots;
INSERT OR IGNORE INTO urls (url, url_key) SELECT url, url_key FROM checks;
INSERT OR IGNORE INTO warc_files (path) SELECT warc_file FROM snapshots;
CREATE TABLE captures (
    id INTEGER PRIMARY KEY,
    url_id INTEGER NOT NULL REFERENCES urls(id),
    fetched_at INTEGER NOT NULL,
    http_status INTEGER NOT NULL,
    sha256 TEXT,
    size INTEGER,
    content_type TEXT,
    title TEXT,
    record_type TEXT NOT NULL,
    record_id TEXT NOT NULL,
    file_id INTEGER NOT NULL REFERENCES warc_files(id),
    warc_offset INTEGER NOT NULL,
    warc_length INTEGER NOT NULL,
    refers_to INTEGER REFERENCES captures(id),
    etag TEXT,
    last_modified TEXT
);
INSERT INTO captures (id, url_id, fetched_at, http_status, sha256, size, content_type, title, record_type,
        record_id, file_id, warc_offset, warc_length, refers_to, etag, last_modified)
    SELECT s.id, u.id, s.fetched_at, s.http_status, s.sha256, s.size, s.content_type, s.title, s.record_type,
        s.record_id, f.id, s.warc_offset, s.warc_length, s.refers_to, s.etag, s.last_modified
    FROM snapshots s JOIN urls u ON u.url = s.url JOIN warc_files f ON f.path = s.warc_file;
CREATE TABLE check_rows (
    id INTEGER PRIMARY KEY,
    url_id INTEGER NOT NULL REFERENCES urls(id),
    checked_at INTEGER NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    http_status INTEGER,
    sha256 TEXT,
    snapshot_id INTEGER REFERENCES captures(id),
    run_id INTEGER REFERENCES runs(id),
    result TEXT,
    counted INTEGER NOT NULL DEFAULT 1,
    checker_status TEXT,
    probe_snapshot INTEGER REFERENCES captures(id)
);
INSERT INTO check_rows (id, url_id, checked_at, status, reason, http_status, sha256, snapshot_id, run_id, result,
        counted, checker_status, probe_snapshot)
    SELECT c.id, u.id, c.checked_at, c.status, c.reason, c.http_status, c.sha256, c.snapshot_id, c.run_id, c.result,
        c.counted, c.checker_status, c.probe_snapshot
    FROM checks c JOIN urls u ON u.url = c.url;
DROP TABLE checks;
DROP TABLE snapshots;
CREATE INDEX captures_by_url ON captures (url_id, fetched_at);
CREATE INDEX captures_by_digest ON captures (sha256) WHERE record_type = 'response';
CREATE INDEX check_rows_by_url ON check_rows (url_id, id);
CREATE INDEX check_rows_by_time ON check_rows (checked_at);
CREATE INDEX check_rows_by_run ON check_rows (run_id);
CREATE INDEX check_rows_by_snapshot ON check_rows (snapshot_id);
CREATE VIEW snapshots AS
    SELECT c.id, u.url, u.url_key, c.fetched_at, c.http_status,
        COALESCE(c.sha256, r.sha256, '') AS sha256, COALESCE(c.size, r.size, 0) AS size,
        COALESCE(c.content_type, r.content_type) AS content_type, COALESCE(c.title, r.title) AS title,
        c.record_type, c.record_id, f.path AS warc_file, c.warc_offset, c.warc_length, c.refers_to,
        c.etag, c.last_modified
    FROM captures c
    JOIN urls u ON u.id = c.url_id
    JOIN warc_files f ON f.id = c.file_id
    LEFT JOIN captures r ON r.id = c.refers_to;
CREATE VIEW checks AS
    SELECT k.id, u.url, u.url_key, k.checked_at, k.status, k.reason, k.http_status,
        COALESCE(k.sha256, CASE WHEN json_type(k.result, '$.sha256') IS NULL
            THEN (SELECT substr(COALESCE(c.sha256, r.sha256), 8) FROM captures c
                  LEFT JOIN captures r ON r.id = c.refers_to WHERE c.id = k.snapshot_id)
            ELSE json_extract(k.result, '$.sha256') END) AS sha256,
        k.snapshot_id, k.run_id, k.result,
        k.counted, k.checker_status, k.probe_snapshot
    FROM check_rows k JOIN urls u ON u.id = k.url_id;
CREATE TRIGGER snapshots_insert INSTEAD OF INSERT ON snapshots BEGIN
    INSERT INTO urls (url, url_key) VALUES (NEW.url, NEW.url_key) ON CONFLICT (url) DO NOTHING;
    INSERT INTO warc_files (path) VALUES (NEW.warc_file) ON CONFLICT (path) DO NOTHING;
    INSERT INTO captures (id, url_id, fetched_at, http_status, sha256, size, content_type, title, record_type,
            record_id, file_id, warc_offset, warc_length, refers_to, etag, last_modified)
        VALUES (NEW.id, (SELECT id FROM urls WHERE url = NEW.url), NEW.fetched_at, NEW.http_status, NEW.sha256,
            NEW.size, NEW.content_type, NEW.title, NEW.record_type, NEW.record_id,
            (SELECT id FROM warc_files WHERE path = NEW.warc_file), NEW.warc_offset, NEW.warc_length,
            NEW.refers_to, NEW.etag, NEW.last_modified);
END;
CREATE TRIGGER snapshots_delete INSTEAD OF DELETE ON snapshots BEGIN
    DELETE FROM captures WHERE id = OLD.id;
END;
CREATE TRIGGER checks_update INSTEAD OF UPDATE OF snapshot_id, probe_snapshot ON checks BEGIN
    UPDATE check_rows SET snapshot_id = NEW.snapshot_id, probe_snapshot = NEW.probe_snapshot WHERE id = OLD.id;
END;
";

/// Version 5: what the public web archives answered about a URL near a
/// cited date (`lookup`) or when it was submitted to Save Page Now
/// (`save`), as the JSON of a `RemoteCopy`. `reusable` answers serve later
/// runs as a cache (until they are too old); the others (an archive that
/// could not be asked) are kept only so `report` shows what the run
/// showed. `remote_uses` says which answers each run reported.
/// `citation_findings` keeps what verification found of each citation in
/// each run (JSON), so `report` shows the same findings.
const V5: &str = "
CREATE TABLE remote_answers (
    id INTEGER PRIMARY KEY,
    url_id INTEGER NOT NULL REFERENCES urls(id),
    kind TEXT NOT NULL,
    cited_date TEXT NOT NULL,
    asked_at INTEGER NOT NULL,
    reusable INTEGER NOT NULL,
    answer TEXT NOT NULL
);
CREATE INDEX remote_answers_by_url ON remote_answers (url_id, kind, cited_date, asked_at);
CREATE TABLE remote_uses (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    answer_id INTEGER NOT NULL REFERENCES remote_answers(id),
    PRIMARY KEY (run_id, answer_id)
);
CREATE TABLE citation_findings (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    document TEXT NOT NULL,
    line INTEGER NOT NULL,
    url TEXT NOT NULL,
    findings TEXT NOT NULL,
    PRIMARY KEY (run_id, document, line, url)
);
";
