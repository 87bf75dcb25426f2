//! Annotation: a URL's verdict and archived copy, fanned out to every
//! citation of it. `check` and `report` both go through here, which is
//! what makes them agree.

use super::verdicts::Verdicts;
use super::RunError;
use crate::archive::Archive;
use crate::model::{
    ArchivedCopy, ArchivedProbe, CheckResult, CheckStatus, Document, FindingKind, Timestamp,
};
use std::collections::HashMap;

/// When a run fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailPolicy {
    /// Statuses that fail the run.
    pub fail_on: Vec<CheckStatus>,
    /// Findings of verification that fail the run (`drifted`,
    /// `outlet-mismatch`…).
    pub fail_on_findings: Vec<FindingKind>,
    /// A citation fails only when each of its URL's last `fail_after`
    /// recorded checks had a `fail_on` status (1: this check alone).
    pub fail_after: u32,
}

impl Default for FailPolicy {
    fn default() -> Self {
        FailPolicy {
            fail_on: vec![CheckStatus::Dead, CheckStatus::Soft404],
            fail_on_findings: Vec::new(),
            fail_after: 1,
        }
    }
}

impl FailPolicy {
    /// Whether a status is one that fails the run.
    pub fn fails(&self, status: CheckStatus) -> bool {
        self.fail_on.contains(&status)
    }

    /// The policy the words of `--fail-on` name, statuses and findings alike.
    pub fn from_words(words: &[FailOn], fail_after: u32) -> FailPolicy {
        FailPolicy {
            fail_on: words
                .iter()
                .filter_map(|w| match w {
                    FailOn::Status(s) => Some(*s),
                    FailOn::Finding(_) => None,
                })
                .collect(),
            fail_on_findings: words
                .iter()
                .filter_map(|w| match w {
                    FailOn::Finding(k) => Some(*k),
                    FailOn::Status(_) => None,
                })
                .collect(),
            fail_after: fail_after.max(1),
        }
    }
}

/// A word of `--fail-on`: a check status (`dead`) or a finding of
/// verification (`drifted`). `unlinked` is the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// Citations with this status fail the run.
    Status(CheckStatus),
    /// Citations with this finding fail the run.
    Finding(FindingKind),
}

impl std::str::FromStr for FailOn {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Ok(status) = s.parse::<CheckStatus>() {
            return Ok(FailOn::Status(status));
        }
        s.parse::<FindingKind>().map(FailOn::Finding).map_err(|_| {
            let words: Vec<&str> = CheckStatus::ALL
                .iter()
                .map(|s| s.as_str())
                .chain(FindingKind::ALL.iter().map(|k| k.as_str()))
                .collect();
            format!(
                "unknown status or finding {s:?} (expected one of: {})",
                words.join(", ")
            )
        })
    }
}

/// Citations of `doc` that fail the run by a finding alone (their status
/// does not already fail it).
pub(super) fn failing_by_findings(doc: &Document, fail: &FailPolicy) -> usize {
    if fail.fail_on_findings.is_empty() {
        return 0;
    }
    doc.all_citations()
        .filter(|c| {
            let by_status = c
                .check
                .as_ref()
                .is_some_and(|r| fail.fails(r.status) && !r.not_checked);
            !by_status
                && c.findings
                    .iter()
                    .any(|f| fail.fail_on_findings.contains(&f.kind))
        })
        .count()
}

/// Everything a citation of one URL is annotated with.
#[derive(Debug, Clone)]
pub(super) struct Annotation {
    result: CheckResult,
    copy: Option<ArchivedCopy>,
    /// The failure is confirmed (counts toward the outcome).
    fails: bool,
}

pub(super) struct Annotator<'a> {
    archive: Option<&'a Archive>,
    fail: &'a FailPolicy,
}

impl<'a> Annotator<'a> {
    pub(super) fn new(archive: Option<&'a Archive>, fail: &'a FailPolicy) -> Self {
        Annotator { archive, fail }
    }

    /// The annotation of a URL whose check is `result`, recorded in the
    /// archive as check `check_id` (when archived): the archived copy as it
    /// stood after that check, the last good copy, since when it fails, and
    /// whether the failure is confirmed over `fail_after` checks.
    pub(super) fn annotate_url(
        &self,
        url: &str,
        result: CheckResult,
        check_id: Option<i64>,
    ) -> Result<Annotation, RunError> {
        // No verdict was reached (network down, deadline): nothing fails.
        let fails_now = self.fail.fails(result.status) && !result.not_checked;
        let (Some(archive), Some(check_id)) = (self.archive, check_id) else {
            return Ok(Annotation {
                result,
                copy: None,
                fails: fails_now,
            });
        };
        let standing = archive.standing(url, check_id)?;
        // The history holds verdicts only: a check that reached none (this
        // one, when the network was down) neither ends nor extends a streak.
        let streak: Vec<_> = standing
            .history
            .iter()
            .rev()
            .take_while(|c| self.fail.fails(c.status))
            .collect();
        let still_failing = fails_now || (result.not_checked && !streak.is_empty());
        let failing_since = streak
            .last()
            .map(|c| c.checked_at)
            .filter(|_| still_failing);
        let confirmed = streak.len() >= self.fail.fail_after as usize;
        let last_good = standing.last_good.map(|s| s.fetched_at);
        let probe = standing.probe.map(|p| ArchivedProbe {
            url: p.url,
            snapshot_at: p.fetched_at,
            http_status: p.http_status,
        });
        let copy = match standing.snapshot {
            Some(snap) => Some(ArchivedCopy {
                snapshot_at: Some(snap.fetched_at),
                http_status: Some(snap.http_status),
                sha256: Some(snap.sha256),
                last_good,
                failing_since,
                probe,
            }),
            None if failing_since.is_some() => Some(ArchivedCopy {
                snapshot_at: None,
                http_status: None,
                sha256: None,
                last_good,
                failing_since,
                probe,
            }),
            None => None,
        };
        Ok(Annotation {
            result,
            copy,
            fails: fails_now && confirmed,
        })
    }
}

/// Annotates every citation of a document with its URL's annotation;
/// returns how many citations fail the run. A citation without a URL is
/// judged `unlinked` as of `judged_at`, the start of the run that judged
/// it: so `report` gives it the very verdict `check` gave.
pub(super) fn apply(
    doc: &mut Document,
    fail: &FailPolicy,
    judged_at: Timestamp,
    mut annotation: impl FnMut(&str) -> Option<Annotation>,
) -> usize {
    let mut failing = 0;
    for c in doc.all_citations_mut() {
        let Some(url) = c.url.as_deref() else {
            let mut unlinked = CheckResult::unlinked();
            unlinked.checked_at = judged_at;
            c.check = Some(Box::new(unlinked));
            failing += usize::from(fail.fails(CheckStatus::Unlinked));
            continue;
        };
        if let Some(a) = annotation(url) {
            failing += usize::from(a.fails);
            c.check = Some(Box::new(a.result));
            c.archive = a.copy.map(Box::new);
        }
    }
    failing
}

/// Annotates a run's documents one after another from its verdicts. Each
/// URL's verdict leaves the table when its first citation is met and is
/// cloned only for its later citations: the run never holds a second
/// table of every annotation, and memory only changes hands.
pub(super) struct RunAnnotator {
    verdicts: Verdicts,
    /// The annotations of URLs cited more than once, until their last
    /// citation: citations left, annotation.
    repeated: HashMap<String, (usize, Annotation)>,
    /// The first archive read that failed, until reported (once).
    trouble: Option<String>,
    troubled: bool,
    /// An annotation that could not be made even without the archive.
    pub(super) failed: Option<RunError>,
    /// When the run started (see [`apply`]).
    started_at: Timestamp,
}

impl RunAnnotator {
    pub(super) fn new(verdicts: Verdicts, started_at: Timestamp) -> Self {
        RunAnnotator {
            started_at,
            verdicts,
            repeated: HashMap::new(),
            trouble: None,
            troubled: false,
            failed: None,
        }
    }

    /// Annotates every citation of `doc`; returns how many fail the run.
    /// `archive` is borrowed for the call only: the run's task awaits
    /// between documents, and a borrowed archive (not `Sync`) must not be
    /// held across an `await` of a task that may move between threads.
    pub(super) fn apply(
        &mut self,
        doc: &mut Document,
        archive: Option<&Archive>,
        fail: &FailPolicy,
    ) -> usize {
        let annotator = Annotator::new(archive, fail);
        let started_at = self.started_at;
        apply(doc, fail, started_at, |url| {
            self.annotation_of(url, &annotator)
        })
    }

    /// Why the archive could not be read back, the first time it could not.
    pub(super) fn take_trouble(&mut self) -> Option<String> {
        self.trouble.take()
    }

    fn annotation_of(&mut self, url: &str, annotator: &Annotator<'_>) -> Option<Annotation> {
        if let Some((left, a)) = self.repeated.get_mut(url) {
            *left = left.saturating_sub(1);
            if *left > 0 {
                return Some(a.clone());
            }
            return self.repeated.remove(url).map(|(_, a)| a);
        }
        let (held, check_id, citations) = self.verdicts.take(url)?;
        // A read that fails costs the URL its archived copy, not the run.
        let a = match annotator.annotate_url(url, held.to_result(), check_id) {
            Ok(a) => a,
            Err(e) => {
                if !self.troubled {
                    self.troubled = true;
                    self.trouble = Some(format!("cannot read the archive back: {e}"));
                }
                let bare = Annotator::new(None, annotator.fail);
                match bare.annotate_url(url, held.to_result(), None) {
                    Ok(a) => a,
                    Err(e) => {
                        self.failed.get_or_insert(e);
                        return None;
                    }
                }
            }
        };
        if citations > 1 {
            self.repeated
                .insert(url.to_string(), (citations - 1, a.clone()));
        }
        Some(a)
    }
}
