//! What the public web archives answered, kept in the index: a cache, so a
//! weekly run does not ask again what it already knows, and the record of
//! what each run reported, so `report` shows exactly that.

use super::{url_key, Archive, ArchiveError};
use crate::model::{RemoteCopy, Timestamp};
use rusqlite::{params, OptionalExtension};

/// What was asked of the public archives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoteKind {
    /// The capture closest to a cited date.
    Lookup,
    /// A submission to Save Page Now.
    Save,
}

impl RemoteKind {
    fn as_str(self) -> &'static str {
        match self {
            RemoteKind::Lookup => "lookup",
            RemoteKind::Save => "save",
        }
    }
}

/// One answer of the public archives about a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteAnswer {
    /// What was asked.
    pub kind: RemoteKind,
    /// The cited date it was asked near (`YYYY-MM-DD`, `YYYY-MM`), or
    /// `None` (a save, a citation without a date).
    pub cited_date: Option<String>,
    /// The answer.
    pub copy: RemoteCopy,
}

impl RemoteAnswer {
    /// Whether later runs may take this answer instead of asking again:
    /// every archive asked answered (a capture, or none); an archive that
    /// could not be asked (rate limit, no network) leaves the question
    /// open. A failed save is never reused.
    pub fn reusable(&self) -> bool {
        match self.kind {
            RemoteKind::Lookup => self.copy.problems.is_empty() || self.copy.capture.is_some(),
            RemoteKind::Save => self.copy.capture.is_some(),
        }
    }
}

impl Archive {
    /// Records an answer as used by the current run (and, when it is
    /// [`RemoteAnswer::reusable`], as a cache entry for later runs).
    pub fn store_remote(&mut self, url: &str, answer: &RemoteAnswer) -> Result<(), ArchiveError> {
        let json = serde_json::to_string(&answer.copy).map_err(|e| self.io_err(e.into()))?;
        let url_id = self.url_id(url, &url_key(url))?;
        let id: i64 = self
            .db
            .prepare_cached(
                "INSERT INTO remote_answers (url_id, kind, cited_date, asked_at, reusable, answer)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
            )
            .and_then(|mut st| {
                st.query_row(
                    params![
                        url_id,
                        answer.kind.as_str(),
                        answer.cited_date.as_deref().unwrap_or(""),
                        answer.copy.looked_up_at.0 as i64,
                        answer.reusable(),
                        json
                    ],
                    |r| r.get(0),
                )
            })
            .map_err(|e| self.db_err(e))?;
        self.use_remote(id)
    }

    /// Records that the current run reported the stored answer `id`.
    fn use_remote(&mut self, id: i64) -> Result<(), ArchiveError> {
        if let Some(run) = self.run_id {
            self.db
                .prepare_cached(
                    "INSERT INTO remote_uses (run_id, answer_id) VALUES (?1, ?2)
                     ON CONFLICT DO NOTHING",
                )
                .and_then(|mut st| st.execute(params![run, id]))
                .map_err(|e| self.db_err(e))?;
        }
        Ok(())
    }

    /// The latest reusable answer about `url` near `cited_date` given at or
    /// after `fresh_since`, recorded as used by the current run. `None`:
    /// ask the archives.
    pub fn cached_remote(
        &mut self,
        url: &str,
        kind: RemoteKind,
        cited_date: Option<&str>,
        fresh_since: Timestamp,
    ) -> Result<Option<RemoteCopy>, ArchiveError> {
        let row: Option<(i64, String)> = self
            .db
            .prepare_cached(
                "SELECT a.id, a.answer FROM remote_answers a JOIN urls u ON u.id = a.url_id
                 WHERE u.url_key = ?1 AND a.kind = ?2 AND a.cited_date = ?3 AND a.reusable
                   AND a.asked_at >= ?4
                 ORDER BY a.asked_at DESC, a.id DESC LIMIT 1",
            )
            .and_then(|mut st| {
                st.query_row(
                    params![
                        url_key(url),
                        kind.as_str(),
                        cited_date.unwrap_or(""),
                        fresh_since.0 as i64
                    ],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
            })
            .map_err(|e| self.db_err(e))?;
        let Some((id, json)) = row else {
            return Ok(None);
        };
        // An entry that no longer reads is asked again, not an error.
        let Ok(copy) = serde_json::from_str::<RemoteCopy>(&json) else {
            return Ok(None);
        };
        self.use_remote(id)?;
        Ok(Some(copy))
    }

    /// The answers run `run_id` reported, in the order they were stored
    /// (keyed by URL as stored).
    pub fn remote_of_run(&self, run_id: i64) -> Result<Vec<(String, RemoteAnswer)>, ArchiveError> {
        let mut st = self
            .db
            .prepare_cached(
                "SELECT u.url, a.kind, a.cited_date, a.answer FROM remote_uses r
                 JOIN remote_answers a ON a.id = r.answer_id JOIN urls u ON u.id = a.url_id
                 WHERE r.run_id = ?1 ORDER BY a.id",
            )
            .map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map([run_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .map_err(|e| self.db_err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (url, kind, date, json) = row.map_err(|e| self.db_err(e))?;
            let kind = if kind == "save" {
                RemoteKind::Save
            } else {
                RemoteKind::Lookup
            };
            if let Ok(copy) = serde_json::from_str::<RemoteCopy>(&json) {
                out.push((
                    url,
                    RemoteAnswer {
                        kind,
                        cited_date: (!date.is_empty()).then_some(date),
                        copy,
                    },
                ));
            }
        }
        Ok(out)
    }
}
