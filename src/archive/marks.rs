//! Marks: a person's verdict on a URL or URL prefix the checker gets wrong
//! (`citevault mark`), kept in the index so every later run on the archive
//! applies it. Taking a mark back records when: the checks made while it
//! was in force name it (`mark of <time>`), and it stays listed
//! (`mark --list --all`) so those checks can still be explained.

use super::query::status_at;
use super::{Archive, ArchiveError};
use crate::model::{CheckStatus, Timestamp};
use crate::overrides::{Override, OverrideBy, OverrideTarget};
use rusqlite::params;

/// One mark, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Mark {
    /// Row id.
    #[serde(skip)]
    pub id: i64,
    /// The URL or prefix it covers (`{"url": …}` or `{"prefix": …}` in JSON).
    #[serde(flatten)]
    pub target: OverrideTarget,
    /// The status its URLs are reported with.
    pub status: CheckStatus,
    /// Why.
    pub reason: String,
    /// When it was made: it names the mark in reports (`mark of …`).
    pub made_at: Timestamp,
    /// When it was taken back (or replaced by a newer mark of the same
    /// target); `None` while it is in force.
    pub removed_at: Option<Timestamp>,
}

impl Mark {
    /// The override this mark makes.
    pub fn to_override(&self) -> Override {
        Override {
            target: self.target.clone(),
            status: self.status,
            reason: self.reason.clone(),
            by: OverrideBy::Mark(self.made_at),
        }
    }
}

const MARK_COLUMNS: &str = "id, target, prefix, status, reason, made_at, removed_at";

fn mark_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Mark> {
    let target: String = r.get(1)?;
    let prefix: bool = r.get(2)?;
    Ok(Mark {
        id: r.get(0)?,
        target: if prefix {
            OverrideTarget::Prefix(target)
        } else {
            OverrideTarget::Url(target)
        },
        status: status_at(r, 3)?,
        reason: r.get(4)?,
        made_at: Timestamp(r.get::<_, i64>(5)? as u64),
        removed_at: r.get::<_, Option<i64>>(6)?.map(|t| Timestamp(t as u64)),
    })
}

impl Archive {
    /// Records a mark and commits. A mark of the same target still in
    /// force is replaced: it is recorded as taken back now.
    pub fn mark(
        &mut self,
        target: &OverrideTarget,
        status: CheckStatus,
        reason: &str,
    ) -> Result<Mark, ArchiveError> {
        let status = Override::check_status(status).map_err(|message| ArchiveError::Io {
            dir: self.dir.display().to_string(),
            message,
        })?;
        let now = Timestamp::now();
        self.unmark_at(target, now)?;
        self.db
            .execute(
                "INSERT INTO marks (target, prefix, status, reason, made_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    target.as_str(),
                    target.is_prefix(),
                    status.as_str(),
                    reason,
                    now.0 as i64
                ],
            )
            .map_err(|e| self.db_err(e))?;
        let mark = Mark {
            id: self.db.last_insert_rowid(),
            target: target.clone(),
            status,
            reason: reason.to_string(),
            made_at: now,
            removed_at: None,
        };
        self.commit()?;
        Ok(mark)
    }

    /// Takes back the mark of a target in force, recording when, and
    /// commits; returns it (`None` when no mark of it is in force).
    pub fn unmark(&mut self, target: &OverrideTarget) -> Result<Option<Mark>, ArchiveError> {
        let removed = self.unmark_at(target, Timestamp::now())?;
        self.commit()?;
        Ok(removed)
    }

    fn unmark_at(
        &mut self,
        target: &OverrideTarget,
        at: Timestamp,
    ) -> Result<Option<Mark>, ArchiveError> {
        let Some(mut mark) = self
            .marks(false)?
            .into_iter()
            .find(|m| m.target.same_as(target))
        else {
            return Ok(None);
        };
        self.db
            .execute(
                "UPDATE marks SET removed_at = ?1 WHERE id = ?2",
                params![at.0 as i64, mark.id],
            )
            .map_err(|e| self.db_err(e))?;
        mark.removed_at = Some(at);
        Ok(Some(mark))
    }

    /// The marks in force (with `all`, those taken back too), oldest first.
    pub fn marks(&self, all: bool) -> Result<Vec<Mark>, ArchiveError> {
        let sql = format!(
            "SELECT {MARK_COLUMNS} FROM marks WHERE ?1 OR removed_at IS NULL ORDER BY made_at, id"
        );
        let mut stmt = self.db.prepare_cached(&sql).map_err(|e| self.db_err(e))?;
        let rows = stmt
            .query_map([all], mark_from_row)
            .map_err(|e| self.db_err(e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.db_err(e))
    }

    /// A check's probe snapshot: the evidence a soft-404 verdict rests on.
    pub fn probe_of(
        &self,
        check: &super::CheckRow,
    ) -> Result<Option<super::Snapshot>, ArchiveError> {
        match check.probe_snapshot {
            Some(id) => self.snapshot_by_id(id),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_replaced_and_taken_back_with_their_time_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(tmp.path()).unwrap();
        let url = OverrideTarget::new("https://a.example/x", false).unwrap();
        let prefix = OverrideTarget::new("https://a.example/", true).unwrap();
        archive.mark(&url, CheckStatus::Alive, "paywall").unwrap();
        archive
            .mark(&prefix, CheckStatus::Blocked, "bots refused")
            .unwrap();
        let again = OverrideTarget::new("https://A.example/x/", false).unwrap();
        archive.mark(&again, CheckStatus::Skipped, "later").unwrap();
        let in_force = archive.marks(false).unwrap();
        assert_eq!(in_force.len(), 2, "{in_force:?}");
        assert_eq!(in_force[1].status, CheckStatus::Skipped);
        assert!(archive.mark(&url, CheckStatus::Unlinked, "no").is_err());
        let removed = archive.unmark(&url).unwrap().expect("a mark in force");
        assert!(removed.removed_at.is_some());
        assert!(archive.unmark(&url).unwrap().is_none());
        assert_eq!(archive.marks(false).unwrap().len(), 1);
        assert_eq!(archive.marks(true).unwrap().len(), 3);
        let m = &archive.marks(false).unwrap()[0];
        assert_eq!(m.target, prefix);
        let json = serde_json::to_value(m).unwrap();
        assert_eq!(json["prefix"], "https://a.example/");
        assert_eq!(json["removed_at"], serde_json::Value::Null);
    }
}
