//! Writing: WARC records, then the index rows that point to them.

use super::stored_result::to_stored;
use super::warc::{new_record_id, sha256_label, Record, WarcWriter};
use super::{file_name, url_key, Archive, ArchiveError};
use crate::model::{CheckResult, Checked, Document, Exchange, Hop, Timestamp};
use rusqlite::{params, OptionalExtension};

const REVISIT_IDENTICAL: &str = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest";
const REVISIT_NOT_MODIFIED: &str = "http://netpreserve.org/warc/1.1/revisit/server-not-modified";

impl Archive {
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
                let rec = self.warcinfo_record(&rel);
                w.write(&rec, &new_record_id())
                    .map_err(|e| self.io_err(e))?;
            }
            self.writer = Some((w, rel));
        }
        let (w, rel) = self.writer.as_mut().expect("writer was just set");
        Ok((w, rel.clone()))
    }

    /// The `warcinfo` record that opens a WARC file: what wrote it, how,
    /// for whom. Dated when the archive was opened for this run, so it
    /// comes first in time as well as in the file (records carry the time
    /// of their exchange, which is later).
    fn warcinfo_record(&self, rel: &str) -> Record {
        let mut fields = format!(
            "software: citevault/{}\r\nformat: WARC File Format 1.1\r\nconformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\nisPartOf: {}\r\n",
            env!("CARGO_PKG_VERSION"),
            one_line(&self.info.is_part_of),
        );
        if let Some(operator) = &self.info.operator {
            fields.push_str(&format!("operator: {}\r\n", one_line(operator)));
        }
        if let Some(ua) = &self.info.user_agent {
            fields.push_str(&format!("http-header-user-agent: {}\r\n", one_line(ua)));
        }
        Record {
            kind: "warcinfo",
            target_uri: None,
            date: self.opened_at.to_string(),
            content_type: "application/warc-fields",
            fields: vec![("WARC-Filename", file_name(rel))],
            payload_digest: None,
            block: fields.into_bytes(),
        }
    }

    /// Starts a run: the checks and documents recorded from now on belong
    /// to it, so `report` can later render exactly that run.
    pub fn begin_run(&mut self) -> Result<i64, ArchiveError> {
        self.begin_run_at(Timestamp::now())
    }

    /// [`Archive::begin_run`] for a run that started at `started_at`: the
    /// time it gives what it judges without fetching (a citation without a
    /// URL), which `report` gives them again.
    pub fn begin_run_at(&mut self, started_at: Timestamp) -> Result<i64, ArchiveError> {
        self.db
            .execute(
                "INSERT INTO runs (started_at) VALUES (?1)",
                [started_at.0 as i64],
            )
            .map_err(|e| self.db_err(e))?;
        let id = self.db.last_insert_rowid();
        self.run_id = Some(id);
        self.run_floor = None;
        Ok(id)
    }

    /// Marks the current run finished, with what decided its exit code,
    /// and commits.
    pub fn finish_run(&mut self, record: &super::RunRecord) -> Result<(), ArchiveError> {
        if let Some(id) = self.run_id {
            let json = serde_json::to_string(record).map_err(|e| self.io_err(e.into()))?;
            self.db
                .execute(
                    "UPDATE runs SET finished_at = ?1, record = ?2 WHERE id = ?3",
                    params![Timestamp::now().0 as i64, json, id],
                )
                .map_err(|e| self.db_err(e))?;
        }
        self.commit()
    }

    /// Archives one checked URL: a request and a response (or revisit)
    /// record per hop of its redirect chain, the same for the soft-404
    /// probe the verdict rests on (when the checker kept it), then the
    /// check, pointing at both. A `304 Not Modified` answer is resolved to
    /// the payload it confirms: the result's sha256, title, type and length
    /// become those of the stored copy, so no report shows the digest of an
    /// empty body. Returns the id of the recorded check.
    pub fn store(&mut self, checked: &mut Checked) -> Result<i64, ArchiveError> {
        let mut final_snapshot = None;
        if let Some(ex) = &checked.exchange {
            for (i, hop) in ex.hops.iter().enumerate() {
                let is_final = i + 1 == ex.hops.len();
                let title = if is_final {
                    checked.result.title.clone()
                } else {
                    None
                };
                let (id, not_modified) = self.hop_snapshot(hop, title)?;
                if is_final {
                    final_snapshot = Some(id);
                    if let Some(prev) = not_modified {
                        self.resolve_not_modified(&mut checked.result, &prev)?;
                    }
                }
            }
        }
        let probe_snapshot = match &checked.probe {
            Some(probe) => self.store_once(probe)?,
            None => None,
        };
        for requisite in &checked.requisites {
            self.store_once(requisite)?;
        }
        let check_id = self.record_check(
            &checked.url,
            &checked.result,
            final_snapshot,
            probe_snapshot,
        )?;
        self.pending += 1;
        if self.pending >= 64 {
            self.commit()?;
        }
        Ok(check_id)
    }

    /// Archives an exchange that other checked URLs may hand again (a
    /// soft-404 probe shared by a directory, a stylesheet shared by many
    /// pages, a hop several redirect chains reach) and returns the snapshot
    /// of its first hop: each hop is written once, and found again by its
    /// URL and time.
    fn store_once(&mut self, exchange: &Exchange) -> Result<Option<i64>, ArchiveError> {
        let mut first = None;
        for hop in &exchange.hops {
            let (id, _) = self.hop_snapshot(hop, None)?;
            first.get_or_insert(id);
        }
        Ok(first)
    }

    /// The snapshot of a hop: the one this run already wrote of it, else
    /// a new one (with, for a `304`, the payload it confirmed). The
    /// payload is hashed once for both.
    fn hop_snapshot(
        &mut self,
        hop: &Hop,
        title: Option<String>,
    ) -> Result<(i64, Option<PayloadRef>), ArchiveError> {
        let digest = sha256_label(&hop.body);
        match self.stored_hop(hop, &digest)? {
            Some(id) => Ok((id, None)),
            None => self.store_hop(hop, &digest, title),
        }
    }

    /// The snapshot this run already wrote of this hop (same exact URL,
    /// fetch time, status and payload). Earlier runs are not looked at: a
    /// re-check within the same second is a fetch of its own.
    fn stored_hop(&mut self, hop: &Hop, digest: &str) -> Result<Option<i64>, ArchiveError> {
        let floor = match self.run_floor {
            Some(f) => f,
            None => {
                let f = self
                    .db
                    .query_row("SELECT COALESCE(MAX(id), 0) FROM captures", [], |r| {
                        r.get(0)
                    })
                    .map_err(|e| self.db_err(e))?;
                *self.run_floor.insert(f)
            }
        };
        // The same answer: the exact URL (not its lookup key: `/dir` and
        // the `/dir/` it redirects to are two answers, often in one
        // second), time, status and payload. Two fetches alike in all of
        // these are one capture whichever is kept.
        // A `304`'s row holds the digest of the payload it confirmed.
        let digest = (hop.status != 304).then_some(digest);
        self.db
            .prepare_cached(
                "SELECT s.id FROM snapshots s
                 WHERE s.url = ?1 AND s.fetched_at = ?2 AND s.http_status = ?3 AND s.id > ?4
                   AND (?5 IS NULL OR s.sha256 = ?5)
                 ORDER BY s.id LIMIT 1",
            )
            .and_then(|mut st| {
                st.query_row(
                    params![hop.url, hop.fetched_at.0 as i64, hop.status, floor, digest],
                    |r| r.get(0),
                )
                .optional()
            })
            .map_err(|e| self.db_err(e))
    }

    /// Fills a 304 result with what is known of the payload it confirms:
    /// the result of the check that stored it, else the snapshot's row.
    fn resolve_not_modified(
        &self,
        result: &mut CheckResult,
        prev: &PayloadRef,
    ) -> Result<(), ArchiveError> {
        let earlier: Option<CheckResult> = self
            .db
            .query_row(
                "SELECT id FROM check_rows WHERE snapshot_id = ?1 AND result IS NOT NULL
                 ORDER BY id DESC LIMIT 1",
                [prev.id],
                |r| r.get::<_, i64>(0),
            )
            .optional()
            .map_err(|e| self.db_err(e))?
            .map(|id| self.stored_result(id))
            .transpose()?
            .flatten();
        match earlier {
            Some(e) => {
                result.sha256 = e.sha256;
                result.title = e.title;
                result.content_type = e.content_type;
                result.content_length = e.content_length;
            }
            None => {
                result.sha256 = prev
                    .sha256
                    .strip_prefix("sha256:")
                    .and_then(|h| h.parse().ok());
                result.title = prev.title.clone();
                result.content_type = prev.content_type.clone();
                result.content_length = Some(prev.size);
            }
        }
        Ok(())
    }

    /// Stores one response of a chain and its index row. A response whose
    /// payload the archive already holds becomes a `revisit` (see
    /// [`Archive::revisit_of`]) written without its request record, which
    /// the WARC spec lets a revisit omit: a re-check that changed nothing
    /// costs one small record. Returns the snapshot id and, for a `304`,
    /// the payload it confirmed.
    fn store_hop(
        &mut self,
        hop: &Hop,
        payload_digest: &str,
        mut title: Option<String>,
    ) -> Result<(i64, Option<PayloadRef>), ArchiveError> {
        let key = url_key(&hop.url);
        let date = hop.fetched_at.to_string();
        let header = |name: &str| {
            hop.headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
        };
        let mut content_type = header("content-type");
        let revisit = self.revisit_of(hop, &key, payload_digest)?;
        let response_id = new_record_id();
        let (response, record_type, refers_to, digest, size) = match &revisit {
            Some((prev, profile)) => {
                title = title.or_else(|| prev.title.clone());
                content_type = content_type.or_else(|| prev.content_type.clone());
                (
                    revisit_record(hop, &date, prev, profile),
                    "revisit",
                    Some(prev.id),
                    prev.sha256.clone(),
                    prev.size,
                )
            }
            None => {
                let mut block = http_head(hop);
                block.extend_from_slice(&hop.body);
                let mut fields = vec![];
                if hop.truncated {
                    // WARC 1.1 §5.13: the block was cut at citevault's cap.
                    fields.push(("WARC-Truncated", "length".to_string()));
                }
                let rec = Record {
                    kind: "response",
                    target_uri: Some(hop.url.clone()),
                    date: date.to_string(),
                    content_type: "application/http;msgtype=response",
                    fields,
                    payload_digest: Some(payload_digest.to_string()),
                    block,
                };
                (
                    rec,
                    "response",
                    None,
                    payload_digest.to_string(),
                    hop.body.len() as u64,
                )
            }
        };
        let request = revisit.is_none().then(|| Record {
            kind: "request",
            target_uri: Some(hop.url.clone()),
            date: date.to_string(),
            content_type: "application/http;msgtype=request",
            fields: vec![("WARC-Concurrent-To", response_id.clone())],
            payload_digest: None,
            block: hop.request_head.clone(),
        });
        let placed = self.write_pair(request.as_ref(), &response, &response_id)?;
        let url_id = self.url_id(&hop.url, &key)?;
        let file_id = self.file_id(&placed.1)?;
        // A revisit's digest, size, type and title are its payload's: the
        // `snapshots` view reads them from the record it refers to.
        let own = |v: Option<String>| if refers_to.is_some() { None } else { v };
        self.db
            .prepare_cached(
                "INSERT INTO captures (url_id, fetched_at, http_status, sha256, size, content_type, title,
                    record_type, record_id, file_id, warc_offset, warc_length, refers_to, etag, last_modified)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )
            .and_then(|mut st| {
                st.execute(params![
                    url_id,
                    hop.fetched_at.0 as i64,
                    hop.status,
                    own(Some(digest)),
                    refers_to.is_none().then_some(size as i64),
                    own(content_type),
                    own(title),
                    record_type,
                    response_id,
                    file_id,
                    placed.0.offset as i64,
                    placed.0.length as i64,
                    refers_to,
                    header("etag"),
                    header("last-modified"),
                ])
            })
            .map_err(|e| self.db_err(e))?;
        let not_modified = match revisit {
            Some((prev, REVISIT_NOT_MODIFIED)) => Some(prev),
            _ => None,
        };
        Ok((self.db.last_insert_rowid(), not_modified))
    }

    /// Writes a response (after its request, if any) to the current WARC
    /// file; returns where the response lies and the file's path.
    fn write_pair(
        &mut self,
        request: Option<&Record>,
        response: &Record,
        response_id: &str,
    ) -> Result<(super::warc::Placement, String), ArchiveError> {
        let (w, rel) = self.writer()?;
        let io = |e: std::io::Error| ArchiveError::Io {
            dir: rel.clone(),
            message: e.to_string(),
        };
        if let Some(request) = request {
            w.write(request, &new_record_id()).map_err(io)?;
        }
        let placed = w.write(response, response_id).map_err(io)?;
        Ok((placed, rel))
    }

    /// The number of a URL in the index (each URL is stored once).
    pub(super) fn url_id(&self, url: &str, key: &str) -> Result<i64, ArchiveError> {
        self.db
            .prepare_cached(
                "INSERT INTO urls (url, url_key) VALUES (?1, ?2)
                 ON CONFLICT (url) DO UPDATE SET url_key = excluded.url_key RETURNING id",
            )
            .and_then(|mut st| st.query_row(params![url, key], |r| r.get(0)))
            .map_err(|e| self.db_err(e))
    }

    /// The number of a WARC file in the index (each name is stored once).
    fn file_id(&self, path: &str) -> Result<i64, ArchiveError> {
        self.db
            .prepare_cached(
                "INSERT INTO warc_files (path) VALUES (?1)
                 ON CONFLICT (path) DO UPDATE SET path = excluded.path RETURNING id",
            )
            .and_then(|mut st| st.query_row([path], |r| r.get(0)))
            .map_err(|e| self.db_err(e))
    }

    /// Whether a response repeats a payload the archive holds, and how to
    /// record it then:
    /// - a `304 Not Modified` to a conditional re-check confirms the URL's
    ///   latest payload (`server-not-modified`);
    /// - any other response whose non-empty payload is already stored, at
    ///   this URL or another (the same "page not found" page served for
    ///   many dead links), repeats it (`identical-payload-digest`),
    ///   whatever its status. Empty payloads are written whole: a revisit
    ///   would be no smaller.
    fn revisit_of(
        &self,
        hop: &Hop,
        key: &str,
        digest: &str,
    ) -> Result<Option<(PayloadRef, &'static str)>, ArchiveError> {
        if hop.status == 304 {
            return Ok(self
                .latest_payload(key)?
                .map(|prev| (prev, REVISIT_NOT_MODIFIED)));
        }
        if hop.body.is_empty() {
            return Ok(None);
        }
        Ok(self
            .stored_payload(digest, key)?
            .map(|prev| (prev, REVISIT_IDENTICAL)))
    }

    /// The stored response holding this payload: this URL's latest if it
    /// has one, else any URL's latest.
    fn stored_payload(&self, digest: &str, key: &str) -> Result<Option<PayloadRef>, ArchiveError> {
        self.db
            .prepare_cached(
                "SELECT c.id, u.url, c.fetched_at, c.sha256, c.size, c.record_id, c.title, c.content_type
                 FROM captures c JOIN urls u ON u.id = c.url_id
                 WHERE c.sha256 = ?1 AND c.record_type = 'response'
                 ORDER BY u.url_key = ?2 DESC, c.fetched_at DESC, c.id DESC LIMIT 1",
            )
            .and_then(|mut st| st.query_row(params![digest, key], payload_ref).optional())
            .map_err(|e| self.db_err(e))
    }

    /// The latest snapshot holding a payload (a response, or what a revisit
    /// refers to) of this URL.
    fn latest_payload(&self, key: &str) -> Result<Option<PayloadRef>, ArchiveError> {
        self.db
            .query_row(
                "SELECT s.id, s.url, s.fetched_at, s.sha256, s.size, s.record_id, s.title, s.content_type
                 FROM snapshots t
                 JOIN snapshots s ON s.id = COALESCE(t.refers_to, t.id)
                 WHERE t.url_key = ?1 AND t.http_status BETWEEN 200 AND 299
                   AND s.record_type = 'response'
                 ORDER BY t.fetched_at DESC, t.id DESC LIMIT 1",
                [key],
                payload_ref,
            )
            .optional()
            .map_err(|e| self.db_err(e))
    }

    fn record_check(
        &mut self,
        url: &str,
        r: &CheckResult,
        snapshot: Option<i64>,
        probe_snapshot: Option<i64>,
    ) -> Result<i64, ArchiveError> {
        let facts = self.snapshot_facts(snapshot)?;
        let result = to_stored(r, &facts).map_err(|e| self.io_err(e.into()))?;
        let url_id = self.url_id(url, &url_key(url))?;
        self.db
            .prepare_cached(
                "INSERT INTO check_rows (url_id, checked_at, status, reason, http_status, snapshot_id, run_id, result,
                    counted, checker_status, probe_snapshot)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )
            .and_then(|mut st| {
                st.execute(params![
                    url_id,
                    r.checked_at.0 as i64,
                    r.status.as_str(),
                    r.reason,
                    r.http_status,
                    snapshot,
                    self.run_id,
                    result,
                    counts_in_history(r),
                    r.overridden.as_ref().map(|o| o.status.as_str()),
                    probe_snapshot,
                ])
            })
            .map_err(|e| self.db_err(e))?;
        Ok(self.db.last_insert_rowid())
    }

    /// Records a document of this run as extracted (before checking):
    /// the document itself, so `report` renders it exactly, uncited items
    /// included, and a row per citation for `history`. A citation seen
    /// before only has its `seen_at` updated, so re-checking the same
    /// digests does not grow the index.
    pub fn record_document(&mut self, doc: &Document) -> Result<(), ArchiveError> {
        let now = Timestamp::now().0 as i64;
        let extracted = serde_json::to_string(doc).map_err(|e| self.io_err(e.into()))?;
        let doc_id: i64 = self
            .db
            .prepare_cached(
                "INSERT INTO documents (source, format, title, first_seen, seen_at, run_id, extracted)
                 VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6)
                 ON CONFLICT (source) DO UPDATE SET format = excluded.format, title = excluded.title,
                   seen_at = excluded.seen_at, run_id = excluded.run_id, extracted = excluded.extracted
                 RETURNING id",
            )
            .and_then(|mut st| {
                st.query_row(
                    params![doc.source, doc.format.as_str(), doc.title, now, self.run_id, extracted],
                    |r| r.get(0),
                )
            })
            .map_err(|e| self.db_err(e))?;
        let items = doc
            .items
            .iter()
            .map(|i| (Some(i.title.as_str()), i.line, &i.citations))
            .chain(std::iter::once((None, 0, &doc.citations)));
        // Citations that share a line, URL and item (two unlinked sources
        // on one line) are told apart by their order.
        let mut seen: std::collections::HashMap<(u32, String, u32), u32> = Default::default();
        for (title, item_line, citations) in items {
            for c in citations {
                let key = c.url.as_deref().map(url_key).unwrap_or_default();
                let seq = seen.entry((c.line, key.clone(), item_line)).or_default();
                let via = serde_json::to_value(c.via)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string));
                self.db
                    .prepare_cached(
                        "INSERT INTO citations (document_id, item_title, item_line, url, url_key, outlet, outlet_id,
                            date, marker, line, first_seen, seen_at, via, seq)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13)
                         ON CONFLICT (document_id, line, url_key, item_line, seq) DO UPDATE SET
                           item_title = excluded.item_title, outlet = excluded.outlet, outlet_id = excluded.outlet_id,
                           date = excluded.date, marker = excluded.marker, seen_at = excluded.seen_at, via = excluded.via",
                    )
                    .and_then(|mut st| {
                        st.execute(params![
                            doc_id, title, item_line, c.url, key, c.outlet, c.outlet_id, c.date,
                            c.marker, c.line, now, via, *seq
                        ])
                    })
                    .map_err(|e| self.db_err(e))?;
                *seq += 1;
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
}

#[derive(Debug, Clone)]
struct PayloadRef {
    id: i64,
    url: String,
    fetched_at: Timestamp,
    sha256: String,
    size: u64,
    record_id: String,
    title: Option<String>,
    content_type: Option<String>,
}

/// A configured value as one `warc-fields` line: line breaks would start
/// a field of their own.
fn one_line(value: &str) -> String {
    value.replace(['\r', '\n'], " ")
}

fn payload_ref(r: &rusqlite::Row<'_>) -> rusqlite::Result<PayloadRef> {
    Ok(PayloadRef {
        id: r.get(0)?,
        url: r.get(1)?,
        fetched_at: Timestamp(r.get::<_, i64>(2)? as u64),
        sha256: r.get(3)?,
        size: r.get::<_, i64>(4)? as u64,
        record_id: r.get(5)?,
        title: r.get(6)?,
        content_type: r.get(7)?,
    })
}

/// The revisit record of a response whose payload `prev` holds. A `304`'s
/// block is left empty: replay tools (pywb, ReplayWeb.page) take a
/// revisit's HTTP headers when it has any, and a `304` head with no body
/// would replay the page blank; with none they serve the original's
/// headers and payload, which is what the `304` confirmed. Other revisits
/// keep their own status line and headers (a `404` replays as a `404`).
fn revisit_record(hop: &Hop, date: &str, prev: &PayloadRef, profile: &'static str) -> Record {
    let block = if profile == REVISIT_NOT_MODIFIED {
        Vec::new()
    } else {
        http_head(hop)
    };
    let mut fields = vec![
        ("WARC-Profile", profile.to_string()),
        ("WARC-Refers-To", prev.record_id.clone()),
        ("WARC-Refers-To-Target-URI", prev.url.clone()),
        ("WARC-Refers-To-Date", prev.fetched_at.to_string()),
    ];
    if !block.is_empty() {
        // WARC 1.1 §6.7.2: a revisit that keeps the headers and drops the
        // payload is a truncated response.
        fields.push(("WARC-Truncated", "length".to_string()));
    }
    Record {
        kind: "revisit",
        target_uri: Some(hop.url.clone()),
        date: date.to_string(),
        content_type: "application/http;msgtype=response",
        fields,
        payload_digest: Some(prev.sha256.clone()),
        block,
    }
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

/// Whether a check is a verdict on the source: not one that was not made
/// (network down, deadline, host given up) nor a URL skipped this time
/// (excluded, private): those never break or extend a failing streak.
fn counts_in_history(r: &CheckResult) -> bool {
    !r.not_checked && r.status != crate::model::CheckStatus::Skipped
}
