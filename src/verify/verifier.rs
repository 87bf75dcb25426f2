//! The verifier: every check of this module applied to checked documents.

use super::{dates, drift, outlet, page};
use crate::archive::{Archive, ArchiveError, Snapshot};
use crate::model::{CheckStatus, Citation, Document, Finding, FindingKind, Severity, Timestamp};
use crate::outlets::OutletRegistry;
use std::cell::RefCell;
use std::collections::HashMap;

/// Largest body read back from the archive to verify a page.
const MAX_PAGE_BYTES: u64 = 20 << 20;

/// How verification judges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Days a date in the URL or on the page may lie from the cited date
    /// (the seed digests cite stories 1–2 days after they appeared).
    pub date_tolerance_days: i64,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            date_tolerance_days: dates::DEFAULT_DATE_TOLERANCE_DAYS,
        }
    }
}

/// What an archived page gives every citation of it.
#[derive(Debug, Clone)]
struct PageView {
    facts: page::PageFacts,
    drift: Option<Finding>,
}

/// Verifies the citations of checked documents: outlets and URL dates
/// from the citation and its check, page dates, titles and drift from the
/// pages in the archive (none without one).
pub struct Verifier<'a> {
    outlets: &'a OutletRegistry,
    archive: Option<&'a Archive>,
    options: VerifyOptions,
    pages: RefCell<HashMap<String, Option<PageView>>>,
}

impl<'a> Verifier<'a> {
    /// A verifier reading pages from `archive`.
    pub fn new(
        outlets: &'a OutletRegistry,
        archive: Option<&'a Archive>,
        options: VerifyOptions,
    ) -> Self {
        Verifier {
            outlets,
            archive,
            options,
            pages: RefCell::default(),
        }
    }

    /// Gives every citation of `doc` (already annotated with its check and
    /// archived copy) its findings. A page that cannot be read back costs
    /// its citations the page's findings, and the error is returned after
    /// the whole document was verified.
    pub fn verify(&self, doc: &mut Document) -> Result<(), ArchiveError> {
        let mut trouble = None;
        for item in &mut doc.items {
            for c in &mut item.citations {
                c.findings = self.findings(Some(&item.title), c, &mut trouble);
            }
        }
        for c in &mut doc.citations {
            c.findings = self.findings(None, c, &mut trouble);
        }
        trouble.map_or(Ok(()), Err)
    }

    fn findings(
        &self,
        item: Option<&str>,
        c: &Citation,
        trouble: &mut Option<ArchiveError>,
    ) -> Vec<Finding> {
        let Some(url) = c.url.as_deref() else {
            return vec![self.unlinked(item, c)];
        };
        // The outlet and the date in the URL need no answer from the site:
        // the cited URL (or where its redirects ended) says them, even when
        // the network was down.
        let final_url = c.check.as_deref().and_then(|r| r.final_url.as_deref());
        let landed = final_url.unwrap_or(url);
        let tolerance = self.options.date_tolerance_days;
        let mut out: Vec<Finding> = outlet::outlet_finding(c, final_url, self.outlets)
            .into_iter()
            .collect();
        if let (Some(stated), Some(found)) =
            (c.date.as_deref(), dates::url_date(landed, self.outlets))
        {
            out.extend(dates::date_finding(stated, &found, "url", tolerance));
        }
        let Some(result) = c.check.as_deref() else {
            return out;
        };
        if result.not_checked || result.status != CheckStatus::Alive {
            return out;
        }
        let view = match self.page(landed, result.checked_at) {
            Ok(v) => v,
            Err(e) => {
                trouble.get_or_insert(e);
                None
            }
        };
        let Some(view) = view else { return out };
        if let Some(stated) = c.date.as_deref() {
            out.extend(page::page_date_finding(stated, &view.facts, tolerance));
        }
        if let (Some(item), Some(title)) = (item, view.facts.title.as_deref()) {
            out.push(page::title_finding(item, title));
        }
        out.extend(view.drift);
        out
    }

    /// An unlinked citation: listed, with a search on the outlet's site
    /// for the item's title when the outlet list knows its search URL.
    fn unlinked(&self, item: Option<&str>, c: &Citation) -> Finding {
        let named = match (c.outlet.as_deref(), c.date.as_deref()) {
            (Some(o), Some(d)) => format!("{o}, {d}"),
            (Some(o), None) => o.to_string(),
            (None, Some(d)) => d.to_string(),
            (None, None) => "a source".to_string(),
        };
        let mut f = Finding::new(
            FindingKind::Unlinked,
            Severity::Info,
            format!("cites {named} without a link"),
        );
        f.source = Some("citation".into());
        let outlet = c.outlet_id.as_deref().and_then(|id| self.outlets.get(id));
        f.search_url = outlet
            .zip(item)
            .and_then(|(o, title)| o.search_url_for(title));
        f
    }

    /// The archived page a check of `url` at `checked_at` stored, read once
    /// per URL: its facts, and its drift from the URL's first good snapshot.
    fn page(&self, url: &str, checked_at: Timestamp) -> Result<Option<PageView>, ArchiveError> {
        if let Some(known) = self.pages.borrow().get(url) {
            return Ok(known.clone());
        }
        let view = match self.archive {
            Some(archive) => read_view(archive, url, checked_at)?,
            None => None,
        };
        self.pages
            .borrow_mut()
            .insert(url.to_string(), view.clone());
        Ok(view)
    }
}

/// The page stored by the check at `checked_at` (the latest snapshot at or
/// before it) and its drift from the first snapshot that was a page.
fn read_view(
    archive: &Archive,
    url: &str,
    checked_at: Timestamp,
) -> Result<Option<PageView>, ArchiveError> {
    let snapshots = archive.snapshots(url)?;
    let is_page = |s: &&Snapshot| (200..300).contains(&s.http_status) || s.http_status == 304;
    let Some(now) = snapshots
        .iter()
        .filter(is_page)
        .rfind(|s| s.fetched_at <= checked_at)
    else {
        return Ok(None);
    };
    let (body, content_type) = archive.read_body(now, MAX_PAGE_BYTES)?;
    let facts = page::page_facts(&body, content_type.as_deref());
    let first = snapshots.iter().find(is_page);
    let drift = match first {
        Some(first) if first.id != now.id => {
            let (before, _) = archive.read_body(first, MAX_PAGE_BYTES)?;
            let cmp = drift::compare(&before, &body, content_type.as_deref());
            Some(drift::drift_finding(&cmp, first.fetched_at, now.fetched_at))
        }
        _ => None,
    };
    Ok(Some(PageView { facts, drift }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CheckResult, Format};

    #[test]
    fn url_findings_are_made_without_an_answer_from_the_site() {
        let text = "Rare Earth Curbs\n\nBeijing weighs curbs.\n\n\
                    Source: Epoch Times, November 25, 2025\nhttps://www.dw.com/zh/a-74793625\n\n\
                    Other Story\n\nText here.\n\n\
                    Source: RFA, November 20, 2023\n\
                    https://www.rfa.org/cantonese/news/kr-hacker-11102023020930.html\n";
        let mut doc = crate::Extractor::new().extract_str("d.txt", Format::Text, text);
        let mut down = CheckResult::new(CheckStatus::Error, "network unavailable: no DNS");
        down.not_checked = true;
        for c in doc.all_citations_mut() {
            c.check = Some(Box::new(down.clone()));
        }
        let outlets = OutletRegistry::builtin();
        Verifier::new(&outlets, None, VerifyOptions::default())
            .verify(&mut doc)
            .unwrap();
        let kinds: Vec<(String, FindingKind)> = doc
            .all_citations()
            .flat_map(|c| c.findings.iter().map(|f| (c.url.clone().unwrap(), f.kind)))
            .collect();
        assert_eq!(
            kinds,
            [
                (
                    "https://www.dw.com/zh/a-74793625".to_string(),
                    FindingKind::OutletMismatch
                ),
                (
                    "https://www.rfa.org/cantonese/news/kr-hacker-11102023020930.html".to_string(),
                    FindingKind::DateMismatch
                ),
            ]
        );
    }
}
