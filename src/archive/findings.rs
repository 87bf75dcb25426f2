//! What verification found of each citation, kept per run so `report`
//! shows exactly what `check --verify` showed.

use super::{Archive, ArchiveError};
use crate::model::{Document, Finding};
use rusqlite::params;
use std::collections::HashMap;

/// The findings of one document's citations in a run, keyed by the
/// citation's line and URL (empty for an unlinked citation).
pub type DocumentFindings = HashMap<(u32, String), Vec<Finding>>;

impl Archive {
    /// Records the findings of every citation of `doc` for the current run.
    pub fn store_findings(&mut self, doc: &Document) -> Result<(), ArchiveError> {
        let Some(run) = self.run_id else {
            return Ok(());
        };
        for c in doc.all_citations().filter(|c| !c.findings.is_empty()) {
            let json = serde_json::to_string(&c.findings).map_err(|e| self.io_err(e.into()))?;
            self.db
                .prepare_cached(
                    "INSERT INTO citation_findings (run_id, document, line, url, findings)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT DO UPDATE SET findings = excluded.findings",
                )
                .and_then(|mut st| {
                    st.execute(params![
                        run,
                        doc.source,
                        c.line,
                        c.url.as_deref().unwrap_or(""),
                        json
                    ])
                })
                .map_err(|e| self.db_err(e))?;
        }
        Ok(())
    }

    /// The findings run `run_id` recorded for the document `source`.
    pub fn findings_of(&self, run_id: i64, source: &str) -> Result<DocumentFindings, ArchiveError> {
        let mut st = self
            .db
            .prepare_cached(
                "SELECT line, url, findings FROM citation_findings WHERE run_id = ?1 AND document = ?2",
            )
            .map_err(|e| self.db_err(e))?;
        let rows = st
            .query_map(params![run_id, source], |r| {
                Ok((
                    r.get::<_, u32>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(|e| self.db_err(e))?;
        let mut out = HashMap::new();
        for row in rows {
            let (line, url, json) = row.map_err(|e| self.db_err(e))?;
            if let Ok(findings) = serde_json::from_str::<Vec<Finding>>(&json) {
                out.insert((line, url), findings);
            }
        }
        Ok(out)
    }
}
