//! Querying the index: snapshots, checks, documents and status changes.

use super::{
    snapshot_from_row, url_key, Archive, ArchiveError, CheckRow, ResponseHead, RunRecord,
    Selection, Snapshot,
};
use crate::model::{
    CheckResult, CheckStatus, Citation, CitedVia, Conditional, Document, Format, Item, Timestamp,
};
use rusqlite::OptionalExtension;
use std::collections::HashMap;

const SNAPSHOT_COLUMNS: &str =
    "id, url, fetched_at, http_status, sha256, size, content_type, title,
    record_type, warc_file, warc_offset, warc_length, refers_to";

const CHECK_COLUMNS: &str =
    "id, url, checked_at, status, reason, http_status, sha256, snapshot_id, run_id, counted,
    checker_status, probe_snapshot";

/// Columns after [`CHECK_COLUMNS`] start here.
const AFTER_CHECK_COLUMNS: usize = 12;

/// A status word stored in column `i`.
pub(super) fn status_at(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<CheckStatus> {
    let status: String = r.get(i)?;
    status.parse::<CheckStatus>().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    })
}

fn check_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CheckRow> {
    let status = status_at(r, 3)?;
    let checker_status = match r.get::<_, Option<String>>(10)? {
        Some(_) => Some(status_at(r, 10)?),
        None => None,
    };
    Ok(CheckRow {
        id: r.get(0)?,
        url: r.get(1)?,
        checked_at: Timestamp(r.get::<_, i64>(2)? as u64),
        status,
        reason: r.get(4)?,
        http_status: r.get(5)?,
        sha256: r.get(6)?,
        snapshot_id: r.get(7)?,
        run_id: r.get(8)?,
        counted: r.get(9)?,
        checker_status,
        probe_snapshot: r.get(11)?,
    })
}

/// A document as a run recorded it, with what identifies that run.
#[derive(Debug, Clone)]
pub struct RecordedDocument {
    /// The document as extracted (citations carry no verdict yet).
    pub document: Document,
    /// The run that last saw it (none for documents recorded before runs were).
    pub run_id: Option<i64>,
    /// When that run recorded it.
    pub seen_at: Timestamp,
}

/// A citation of a URL, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CitedBy {
    /// The document (its path as given to `check`).
    pub document: String,
    /// The item's headline, when the citation is inside an item.
    pub item: Option<String>,
    /// The item's headline line (0 outside items).
    pub item_line: u32,
    /// The citation's line.
    pub line: u32,
}

/// A URL whose status changed between two checks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Transition {
    /// The URL as cited.
    pub url: String,
    /// The status before (`new` for a first check).
    pub from: String,
    /// The status after.
    pub to: CheckStatus,
    /// When the check that saw the change finished.
    pub at: Timestamp,
    /// Why, as that check reported.
    pub reason: String,
    /// Every citation of the URL seen.
    pub cited_by: Vec<CitedBy>,
}

/// What the archive knows of a URL as of one of its checks.
#[derive(Debug, Clone)]
pub struct Standing {
    /// The snapshot that check stored, else the latest one stored before it.
    pub snapshot: Option<Snapshot>,
    /// The latest snapshot stored by a check that found the URL `alive`,
    /// up to this one: never an error page (see [`CheckRow::found_alive`]:
    /// the checker must have found it alive, not only an override).
    pub last_good: Option<Snapshot>,
    /// Every check of the URL up to this one that reached a verdict, oldest first.
    pub history: Vec<CheckRow>,
    /// The soft-404 probe this check's verdict rests on, when archived.
    pub probe: Option<Snapshot>,
}

impl Archive {
    /// Validators for conditional re-checks: those of the snapshot stored by
    /// the URL's latest verdict, only when that verdict was `alive` (a
    /// soft-404 or challenge page with an ETag must be fetched again, not
    /// confirmed by a 304), and the checker's own (an override calling a
    /// challenge page alive does not make it a page to confirm).
    pub fn conditionals(
        &self,
        urls: &[String],
    ) -> Result<HashMap<String, Conditional>, ArchiveError> {
        let mut out = HashMap::new();
        let mut stmt = self
            .db
            .prepare_cached(
                "SELECT s.etag, s.last_modified FROM
                   (SELECT status, checker_status, snapshot_id FROM checks WHERE url_key = ?1 AND counted ORDER BY id DESC LIMIT 1) c
                 JOIN snapshots s ON s.id = c.snapshot_id
                 WHERE c.status = 'alive' AND COALESCE(c.checker_status, 'alive') = 'alive'
                   AND (s.etag IS NOT NULL OR s.last_modified IS NOT NULL)",
            )
            .map_err(|e| self.db_err(e))?;
        for u in urls {
            let row = stmt
                .query_row([url_key(u)], |r| {
                    Ok(Conditional {
                        etag: r.get(0)?,
                        last_modified: r.get(1)?,
                    })
                })
                .optional()
                .map_err(|e| self.db_err(e))?;
            if let Some(cond) = row {
                out.insert(u.clone(), cond);
            }
        }
        Ok(out)
    }

    /// Every snapshot of a URL, oldest first.
    pub fn snapshots(&self, url: &str) -> Result<Vec<Snapshot>, ArchiveError> {
        let sql = format!(
            "SELECT {SNAPSHOT_COLUMNS} FROM snapshots WHERE url_key = ?1 ORDER BY fetched_at, id"
        );
        let mut stmt = self.db.prepare_cached(&sql).map_err(|e| self.db_err(e))?;
        let rows = stmt
            .query_map([url_key(url)], snapshot_from_row)
            .map_err(|e| self.db_err(e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.db_err(e))
    }

    /// Every snapshot of every URL fetched at or after `since` (all
    /// without), in the order they were stored: what an export covers.
    pub fn snapshots_since(&self, since: Option<Timestamp>) -> Result<Vec<Snapshot>, ArchiveError> {
        let sql =
            format!("SELECT {SNAPSHOT_COLUMNS} FROM snapshots WHERE fetched_at >= ?1 ORDER BY id");
        let mut stmt = self.db.prepare_cached(&sql).map_err(|e| self.db_err(e))?;
        let from = since.map_or(0, |t| t.0 as i64);
        let rows = stmt
            .query_map([from], snapshot_from_row)
            .map_err(|e| self.db_err(e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.db_err(e))
    }

    /// Every recorded check of a URL, in the order they were recorded.
    pub fn checks(&self, url: &str) -> Result<Vec<CheckRow>, ArchiveError> {
        let sql = format!("SELECT {CHECK_COLUMNS} FROM checks WHERE url_key = ?1 ORDER BY id");
        let mut stmt = self.db.prepare_cached(&sql).map_err(|e| self.db_err(e))?;
        let rows = stmt
            .query_map([url_key(url)], check_from_row)
            .map_err(|e| self.db_err(e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.db_err(e))
    }

    /// The check of a URL made by a run; for an index older than runs, its
    /// latest check. A run that recorded no check of the URL (archiving
    /// stopped midway) gives none rather than an older run's verdict.
    pub fn check_in_run(
        &self,
        url: &str,
        run_id: Option<i64>,
    ) -> Result<Option<CheckRow>, ArchiveError> {
        let sql = format!(
            "SELECT {CHECK_COLUMNS} FROM checks WHERE url_key = ?1 AND (?2 IS NULL OR run_id = ?2)
             ORDER BY id DESC LIMIT 1"
        );
        let key = url_key(url);
        let query = |run: Option<i64>| {
            self.db
                .prepare_cached(&sql)
                .and_then(|mut st| st.query_row(rusqlite::params![key, run], check_from_row))
                .optional()
                .map_err(|e| self.db_err(e))
        };
        query(run_id)
    }

    /// The whole result a check reported. Checks recorded before results
    /// were kept whole come back with what their row holds.
    pub fn check_result(&self, check: &CheckRow) -> Result<CheckResult, ArchiveError> {
        if let Some(r) = self.stored_result(check.id)? {
            return Ok(r);
        }
        let mut r = CheckResult::new(check.status, check.reason.clone());
        r.http_status = check.http_status;
        r.checked_at = check.checked_at;
        r.sha256 = check.sha256.as_deref().and_then(|s| s.parse().ok());
        // What the stored copy says (a 304's row holds the digest of an
        // empty body; its snapshot, the payload it confirmed).
        if let Some(snap) = check
            .snapshot_id
            .map(|id| self.snapshot_by_id(id))
            .transpose()?
            .flatten()
        {
            let payload = match snap.refers_to {
                Some(id) => self.snapshot_by_id(id)?,
                None => None,
            };
            let unencoded = snap.refers_to.is_some() || r.sha256.is_none();
            if unencoded {
                r.sha256 = snap
                    .sha256
                    .strip_prefix("sha256:")
                    .and_then(|h| h.parse().ok());
            }
            r.title = snap
                .title
                .clone()
                .or_else(|| payload.as_ref().and_then(|p| p.title.clone()));
            r.content_type = snap
                .content_type
                .clone()
                .or_else(|| payload.as_ref().and_then(|p| p.content_type.clone()));
            r.content_length = Some(snap.size);
        }
        Ok(r)
    }

    /// The whole result stored with a check, completed by the check's
    /// columns; `None` for checks recorded before results were kept whole.
    pub(super) fn stored_result(&self, check_id: i64) -> Result<Option<CheckResult>, ArchiveError> {
        let row = self
            .db
            .prepare_cached(
                "SELECT result, status, reason, http_status, checked_at, snapshot_id FROM check_rows WHERE id = ?1",
            )
            .and_then(|mut st| {
                st.query_row([check_id], |r| {
                    Ok((
                        r.get::<_, Option<String>>(0)?,
                        status_at(r, 1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, Option<u16>>(3)?,
                        Timestamp(r.get::<_, i64>(4)? as u64),
                        r.get::<_, Option<i64>>(5)?,
                    ))
                })
                .optional()
            })
            .map_err(|e| self.db_err(e))?;
        let Some((Some(json), status, reason, http_status, checked_at, snapshot)) = row else {
            return Ok(None);
        };
        let columns = super::stored_result::Columns {
            status,
            reason: &reason,
            http_status,
            checked_at,
        };
        let snap = self.snapshot_facts(snapshot)?;
        Ok(super::stored_result::from_stored(&json, columns, &snap))
    }

    /// What a check's snapshot says of its payload, for the stored result.
    pub(super) fn snapshot_facts(
        &self,
        snapshot: Option<i64>,
    ) -> Result<super::stored_result::FromSnapshot, ArchiveError> {
        let Some(id) = snapshot else {
            return Ok(Default::default());
        };
        self.db
            .prepare_cached("SELECT sha256, title, content_type, size FROM snapshots WHERE id = ?1")
            .and_then(|mut st| {
                st.query_row([id], |r| {
                    Ok(super::stored_result::FromSnapshot {
                        sha256: r
                            .get::<_, String>(0)?
                            .strip_prefix("sha256:")
                            .map(str::to_string),
                        title: r.get(1)?,
                        content_type: r.get(2)?,
                        content_length: r.get::<_, Option<i64>>(3)?.map(|n| n as u64),
                    })
                })
                .optional()
            })
            .map(Option::unwrap_or_default)
            .map_err(|e| self.db_err(e))
    }

    /// The archive's account of a URL as of one of its checks: the
    /// snapshot, the last good copy, the history up to that check and the
    /// probe its verdict rests on.
    pub fn standing(&self, url: &str, check_id: i64) -> Result<Standing, ArchiveError> {
        let all = self.checks(url)?;
        let probe = match all.iter().find(|c| c.id == check_id) {
            Some(c) => self.probe_of(c)?,
            None => None,
        };
        let history: Vec<CheckRow> = all
            .into_iter()
            .filter(|c| c.id <= check_id && c.counted)
            .collect();
        let snapshot_of = |good_only: bool| -> Result<Option<Snapshot>, ArchiveError> {
            let id = history
                .iter()
                .rev()
                .filter(|c| !good_only || c.found_alive())
                .find_map(|c| c.snapshot_id);
            match id {
                Some(id) => self.snapshot_by_id(id),
                None => Ok(None),
            }
        };
        Ok(Standing {
            snapshot: snapshot_of(false)?,
            last_good: snapshot_of(true)?,
            history,
            probe,
        })
    }

    /// The latest snapshot stored by a check that found the URL `alive`.
    pub fn last_good(&self, url: &str) -> Result<Option<Snapshot>, ArchiveError> {
        // As of every check so far: one read of the history, not two.
        Ok(self.standing(url, i64::MAX)?.last_good)
    }

    /// The snapshot of a URL closest to `at` (latest when `None`); of two
    /// equally close, the earlier.
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

    /// The HTTP response a snapshot stands for, as stored: status line,
    /// headers and payload. A revisit resolves to its own head over the
    /// payload it refers to; a `304 Not Modified` revisit (empty, or with a
    /// `304` head from older releases) to the whole response it confirmed
    /// (never a 304 head over a 200 body).
    pub fn read_response(&self, snap: &Snapshot) -> Result<Vec<u8>, ArchiveError> {
        let rec = self.read_block(&snap.warc_file, snap.warc_offset)?;
        let Some(orig_id) = snap.refers_to else {
            return Ok(rec);
        };
        let orig = self
            .snapshot_by_id(orig_id)?
            .ok_or_else(|| ArchiveError::Io {
                dir: self.dir.display().to_string(),
                message: format!("revisit {} refers to a missing snapshot {orig_id}", snap.id),
            })?;
        let orig_rec = self.read_block(&orig.warc_file, orig.warc_offset)?;
        let head = ResponseHead::parse(&rec);
        let orig_head = ResponseHead::parse(&orig_rec);
        match (head, orig_head) {
            (Some(h), Some(o)) if h.status != 304 => {
                let mut out = rec[..h.payload_at].to_vec();
                out.extend_from_slice(&orig_rec[o.payload_at..]);
                Ok(out)
            }
            _ => Ok(orig_rec),
        }
    }

    /// The payload a snapshot stands for, exactly as the server sent it
    /// (content-encoding kept): its sha256 is the snapshot's.
    pub fn read_payload(&self, snap: &Snapshot) -> Result<Vec<u8>, ArchiveError> {
        let block = self.read_response(snap)?;
        let at = ResponseHead::parse(&block).map_or(block.len(), |h| h.payload_at);
        Ok(block[at..].to_vec())
    }

    /// The body a snapshot stands for as a reader sees it: content-encoding
    /// decoded (at most `cap` bytes), with the response's `Content-Type`.
    pub fn read_body(
        &self,
        snap: &Snapshot,
        cap: u64,
    ) -> Result<(Vec<u8>, Option<String>), ArchiveError> {
        let block = self.read_response(snap)?;
        let head = ResponseHead::parse(&block);
        let header = |name: &str| head.as_ref().and_then(|h| h.header(name));
        let payload = &block[head.as_ref().map_or(block.len(), |h| h.payload_at)..];
        let body = crate::check::decode_content(payload.to_vec(), header("content-encoding"), cap);
        Ok((body, header("content-type").map(str::to_string)))
    }

    fn read_block(&self, file: &str, offset: u64) -> Result<Vec<u8>, ArchiveError> {
        let path = self.dir.join(file);
        super::warc::read_record_at(&path, offset)
            .map(|r| r.block)
            .map_err(|e| ArchiveError::Io {
                dir: format!("{} (offset {offset})", path.display()),
                message: e.to_string(),
            })
    }

    /// One snapshot by id.
    pub fn snapshot_by_id(&self, id: i64) -> Result<Option<Snapshot>, ArchiveError> {
        let sql = format!("SELECT {SNAPSHOT_COLUMNS} FROM snapshots WHERE id = ?1");
        self.db
            .query_row(&sql, [id], snapshot_from_row)
            .optional()
            .map_err(|e| self.db_err(e))
    }

    /// Status changes in the order they happened (a first check counts as
    /// a change from `new` when it is not alive), optionally since a time.
    pub fn transitions(&self, since: Option<Timestamp>) -> Result<Vec<Transition>, ArchiveError> {
        let sql = format!(
            "SELECT {CHECK_COLUMNS}, url_key FROM checks WHERE counted ORDER BY url_key, id"
        );
        let mut stmt = self.db.prepare_cached(&sql).map_err(|e| self.db_err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((check_from_row(r)?, r.get::<_, String>(AFTER_CHECK_COLUMNS)?))
            })
            .map_err(|e| self.db_err(e))?;
        let mut out = Vec::new();
        let mut prev: Option<(String, CheckStatus)> = None;
        for row in rows {
            let (check, key) = row.map_err(|e| self.db_err(e))?;
            let from = match &prev {
                Some((k, st)) if *k == key => Some(*st),
                _ => None,
            };
            let changed = match from {
                Some(f) => f != check.status,
                None => check.status != CheckStatus::Alive,
            };
            if changed && since.is_none_or(|s| check.checked_at >= s) {
                out.push(Transition {
                    url: check.url,
                    from: from.map_or_else(|| "new".into(), |f| f.to_string()),
                    to: check.status,
                    at: check.checked_at,
                    reason: check.reason,
                    cited_by: self.citing(&key)?,
                });
            }
            prev = Some((key, check.status));
        }
        out.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.url.cmp(&b.url)));
        Ok(out)
    }

    /// Documents and items that cite a URL (by key), most recent sightings.
    pub fn citing(&self, key: &str) -> Result<Vec<CitedBy>, ArchiveError> {
        let mut stmt = self
            .db
            .prepare_cached(
                "SELECT DISTINCT d.source, c.item_title, c.item_line, c.line FROM citations c
                 JOIN documents d ON d.id = c.document_id WHERE c.url_key = ?1
                 ORDER BY d.source, c.item_line, c.line",
            )
            .map_err(|e| self.db_err(e))?;
        let rows = stmt
            .query_map([key], |r| {
                Ok(CitedBy {
                    document: r.get(0)?,
                    item: r.get(1)?,
                    item_line: r.get(2)?,
                    line: r.get(3)?,
                })
            })
            .map_err(|e| self.db_err(e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.db_err(e))
    }

    /// When run `id` started, if there is such a run.
    pub fn run_started_at(&self, id: i64) -> Result<Option<Timestamp>, ArchiveError> {
        let started: Option<i64> = self
            .db
            .query_row("SELECT started_at FROM runs WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.db_err(e))?;
        Ok(started.map(|s| Timestamp(u64::try_from(s).unwrap_or(0))))
    }

    /// The last finished run: its id and what it recorded.
    pub fn last_run(&self) -> Result<Option<(i64, RunRecord)>, ArchiveError> {
        let row: Option<(i64, Option<String>)> = self
            .db
            .query_row(
                "SELECT id, record FROM runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.db_err(e))?;
        Ok(row.map(|(id, record)| {
            let record = record
                .and_then(|j| serde_json::from_str(&j).ok())
                .unwrap_or_default();
            (id, record)
        }))
    }

    /// The recorded documents a report covers, each as its last run
    /// extracted it: what `citevault report` renders.
    pub fn documents(&self, selection: Selection) -> Result<Vec<RecordedDocument>, ArchiveError> {
        let (sql, arg) = match selection {
            Selection::Since(t) => ("seen_at >= ?1", t.0 as i64),
            Selection::LastRun => match self.last_run()? {
                Some((id, _)) => ("run_id = ?1", id),
                None => (
                    "seen_at = (SELECT MAX(seen_at) FROM documents) AND ?1 = ?1",
                    0,
                ),
            },
        };
        type Row = (
            i64,
            String,
            Option<String>,
            Option<String>,
            i64,
            Option<i64>,
            Option<String>,
        );
        let rows: Vec<Row> = {
            let mut st = self
                .db
                .prepare_cached(&format!(
                    "SELECT id, source, format, title, seen_at, run_id, extracted FROM documents
                     WHERE {sql} ORDER BY source"
                ))
                .map_err(|e| self.db_err(e))?;
            let rows = st
                .query_map([arg], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                    ))
                })
                .map_err(|e| self.db_err(e))?;
            rows.collect::<Result<_, _>>().map_err(|e| self.db_err(e))?
        };
        let mut out = Vec::with_capacity(rows.len());
        for (id, source, format, title, seen_at, run_id, extracted) in rows {
            let parsed = extracted.and_then(|j| serde_json::from_str::<Document>(&j).ok());
            let document = match parsed {
                Some(doc) => doc,
                None => self.document_from_rows(id, source, format, title)?,
            };
            out.push(RecordedDocument {
                document,
                run_id,
                seen_at: Timestamp(seen_at as u64),
            });
        }
        Ok(out)
    }

    /// Rebuilds a document from its citation rows, for indexes written
    /// before documents were kept whole (uncited items are not known).
    fn document_from_rows(
        &self,
        id: i64,
        source: String,
        format: Option<String>,
        title: Option<String>,
    ) -> Result<Document, ArchiveError> {
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
        let mut st = self
            .db
            .prepare_cached(
                "SELECT item_title, item_line, url, outlet, outlet_id, date, marker, line, via FROM citations
                 WHERE document_id = ?1 AND seen_at = (SELECT seen_at FROM documents WHERE id = ?1)
                 ORDER BY item_line, line, seq, id",
            )
            .map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map([id], |r| {
                let via: Option<String> = r.get(8)?;
                let citation = Citation {
                    url: r.get(2)?,
                    outlet: r.get(3)?,
                    outlet_id: r.get(4)?,
                    date: r.get(5)?,
                    marker: r.get(6)?,
                    line: r.get(7)?,
                    via: via
                        .and_then(|v| serde_json::from_value::<CitedVia>(v.into()).ok())
                        .unwrap_or_default(),
                    check: None,
                    archive: None,
                    remote: None,
                    findings: Vec::new(),
                    warnings: Vec::new(),
                };
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, u32>(1)?,
                    citation,
                ))
            })
            .map_err(|e| self.db_err(e))?;
        for row in rows {
            let (item_title, item_line, citation) = row.map_err(|e| self.db_err(e))?;
            let Some(title) = item_title else {
                doc.citations.push(citation);
                continue;
            };
            let same_item = doc
                .items
                .last()
                .is_some_and(|i| i.line == item_line && i.title == title);
            if !same_item {
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
        Ok(doc)
    }
}
