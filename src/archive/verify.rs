//! `verify-archive`: re-reading every record and checking the index against the files.

use super::warc::{self, sha256_label};
use super::{url_key, Archive, ArchiveError};
use crate::model::Timestamp;
use rusqlite::{params, OptionalExtension};
use std::collections::HashMap;
use std::path::PathBuf;

/// What `verify-archive` found.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct VerifyReport {
    /// WARC files read.
    pub files: usize,
    /// Records read.
    pub records: usize,
    /// Records whose digest does not match their bytes.
    pub bad_digests: Vec<String>,
    /// Damaged records: bytes (file and offset range) that decode to no
    /// record, with readable records read on after them. `--repair` keeps
    /// these bytes as they are.
    pub damaged: Vec<String>,
    /// Files with a truncated tail: bytes after their last whole record,
    /// cut short and followed by no readable record (a run killed
    /// mid-write). Only these are cut by `--repair`.
    pub truncated: Vec<String>,
    /// Index rows pointing at records that are not there.
    pub missing: Vec<String>,
    /// Records the index does not name.
    pub unindexed: usize,
    /// What `--repair` did.
    pub repaired: Vec<String>,
}

impl VerifyReport {
    /// Every indexed record is present, every digest matches and no record
    /// is damaged. A truncated tail (a run killed mid-write) is reported
    /// but does not fail: nothing indexed points into it.
    pub fn ok(&self) -> bool {
        self.bad_digests.is_empty() && self.damaged.is_empty() && self.missing.is_empty()
    }
}

/// A damaged span of one WARC file.
struct Damage {
    file: String,
    offset: u64,
    end: u64,
}

impl Damage {
    fn describe(&self) -> String {
        format!(
            "{} bytes {}..{} ({} bytes)",
            self.file,
            self.offset,
            self.end,
            self.end - self.offset
        )
    }
}

impl Archive {
    /// Re-reads every WARC file record by record, checking digests, and
    /// checks the index against what was read. A damaged record is reported
    /// with its file and byte range, and reading goes on at the next record.
    /// With `repair`: cuts truncated tails (only bytes that are cut short
    /// and followed by no readable record), drops the index rows of records
    /// that are missing or damaged (never those of readable records),
    /// re-indexes records the index lacks, and keeps damaged bytes as they
    /// are.
    pub fn verify(&mut self, repair: bool) -> Result<VerifyReport, ArchiveError> {
        let mut report = VerifyReport::default();
        let mut present: HashMap<(String, u64), String> = HashMap::new();
        let mut damage: Vec<Damage> = Vec::new();
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
            let scanned = warc::scan(&path).map_err(|e| self.io_err(e))?;
            for entry in scanned.entries {
                let (placement, rec) = match entry {
                    warc::Scanned::Record(placement, rec) => (placement, rec),
                    warc::Scanned::Damaged {
                        offset,
                        end,
                        reason,
                    } => {
                        let d = Damage {
                            file: rel.clone(),
                            offset,
                            end,
                        };
                        report.damaged.push(format!(
                            "{}: not a readable record ({reason})",
                            d.describe()
                        ));
                        damage.push(d);
                        continue;
                    }
                };
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
                    payload_records.push((rel.clone(), placement, rec));
                }
            }
            if let Some(good_end) = scanned.tail {
                report.truncated.push(format!(
                    "{rel}: {} bytes after offset {good_end} are not a whole record",
                    scanned.len - good_end
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
        let rows: Vec<(i64, String, String, u64, String)> = {
            let mut stmt = self
                .db
                .prepare_cached("SELECT id, url, warc_file, warc_offset, record_id FROM snapshots")
                .map_err(|e| self.db_err(e))?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get::<_, i64>(3)? as u64,
                        r.get(4)?,
                    ))
                })
                .map_err(|e| self.db_err(e))?;
            rows.collect::<Result<Vec<_>, _>>()
                .map_err(|e| self.db_err(e))?
        };
        for (id, url, file, offset, record_id) in rows {
            if present.get(&(file.clone(), offset)) == Some(&record_id) {
                continue;
            }
            let inside = damage
                .iter()
                .find(|d| d.file == file && (d.offset..d.end).contains(&offset));
            let why = match inside {
                Some(d) => format!("its record is damaged ({})", d.describe()),
                None => format!("no record {record_id} at {file} offset {offset}"),
            };
            report.missing.push(format!(
                "snapshot {id} ({url}): {file} at offset {offset}: {why}"
            ));
            if repair {
                self.keep_results_whole(id)?;
                self.db
                    .execute(
                        "UPDATE check_rows SET snapshot_id = NULL WHERE snapshot_id = ?1",
                        [id],
                    )
                    .and_then(|_| {
                        self.db.execute(
                            "UPDATE check_rows SET probe_snapshot = NULL WHERE probe_snapshot = ?1",
                            [id],
                        )
                    })
                    // Revisits of it keep what they stood for (digest,
                    // size, type, title), which they read from it, and
                    // no longer point at a row that is gone.
                    .and_then(|_| {
                        self.db.execute(
                            "UPDATE captures SET (sha256, size, content_type, title) =
                                (SELECT COALESCE(captures.sha256, o.sha256), COALESCE(captures.size, o.size),
                                        COALESCE(captures.content_type, o.content_type), COALESCE(captures.title, o.title)
                                 FROM captures o WHERE o.id = ?1),
                                refers_to = NULL
                             WHERE refers_to = ?1",
                            [id],
                        )
                    })
                    .and_then(|_| self.db.execute("DELETE FROM captures WHERE id = ?1", [id]))
                    .map_err(|e| self.db_err(e))?;
                report
                    .repaired
                    .push(format!("dropped index row of snapshot {id} ({url}): {why}"));
            }
        }
        if repair {
            for d in &damage {
                report.repaired.push(format!(
                    "kept damaged bytes as they are (they cannot be read): {}",
                    d.describe()
                ));
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

    /// Before a snapshot's row is dropped, stores whole the results of the
    /// checks pointing at it: a stored result leaves out what its snapshot
    /// holds (digest, title, type, length), which would be lost with it.
    fn keep_results_whole(&mut self, snapshot: i64) -> Result<(), ArchiveError> {
        let ids: Vec<i64> = self
            .db
            .prepare("SELECT id FROM check_rows WHERE snapshot_id = ?1")
            .and_then(|mut st| {
                st.query_map([snapshot], |r| r.get(0))?
                    .collect::<Result<_, _>>()
            })
            .map_err(|e| self.db_err(e))?;
        for id in ids {
            let Some(r) = self.stored_result(id)? else {
                continue;
            };
            let whole = super::stored_result::to_stored(&r, &Default::default())
                .map_err(|e| self.io_err(e.into()))?;
            self.db
                .execute(
                    "UPDATE check_rows SET result = ?1, sha256 = ?2 WHERE id = ?3",
                    params![whole, r.sha256.map(|d| d.to_string()), id],
                )
                .map_err(|e| self.db_err(e))?;
        }
        Ok(())
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
        let head = super::ResponseHead::parse(&rec.block);
        // A `304`'s revisit is written with an empty block (see write.rs).
        let not_modified = rec
            .header("WARC-Profile")
            .is_some_and(|p| p.ends_with("/server-not-modified"));
        let status = match &head {
            Some(h) => h.status,
            None if not_modified => 304,
            None => 0,
        };
        let header = |name: &str| {
            head.as_ref()
                .and_then(|h| h.header(name))
                .map(str::to_string)
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
        let size = match refers_to {
            // A revisit stands for the payload it refers to.
            Some(id) => self
                .db
                .query_row("SELECT size FROM snapshots WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .map_err(|e| self.db_err(e))?,
            None => rec.http_payload().map_or(0, <[u8]>::len) as i64,
        };
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
