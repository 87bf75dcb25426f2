//! The verdicts of a run, held from their check until the annotation.
//!
//! A run of 100,000 URLs holds 100,000 verdicts at once (all of them when
//! checking ends), so they are held compactly: the phrases many verdicts
//! share (the reason of every page of a directory weighed against the same
//! probe, the `Content-Type`) are stored once, each text is held without
//! spare capacity, the fields most verdicts leave empty (redirects, probe,
//! override) sit behind one pointer, and the table is made once, at its
//! final size, its URLs one block of text (no empty slots as in a hash
//! map, no allocation per URL).
//! A held verdict turns back into the same [`CheckResult`] it was made of.

use crate::model::{CheckResult, CheckStatus, Overridden, RequisiteCount, Sha256Digest, Timestamp};
use std::collections::HashSet;
use std::sync::Arc;

/// One URL's verdict as the run holds it (see the module's doc).
#[derive(Debug)]
pub(super) struct Held {
    status: CheckStatus,
    truncated: bool,
    not_checked: bool,
    http_status: Option<u16>,
    attempts: u32,
    elapsed_ms: u64,
    checked_at: Timestamp,
    content_length: Option<u64>,
    sha256: Option<Sha256Digest>,
    reason: Arc<str>,
    content_type: Option<Arc<str>>,
    title: Option<Box<str>>,
    rare: Option<Box<Rare>>,
}

/// The fields of a verdict that are usually empty: kept apart so that the
/// usual verdict pays one pointer for them.
#[derive(Debug)]
struct Rare {
    final_url: Option<String>,
    redirects: Vec<String>,
    probe_url: Option<String>,
    overridden: Option<Overridden>,
    requisites: Option<RequisiteCount>,
}

impl Rare {
    /// The rare fields of `r`, or `None` when they are all empty.
    fn take(r: &mut CheckResult) -> Option<Box<Rare>> {
        let empty = r.final_url.is_none()
            && r.redirects.is_empty()
            && r.probe_url.is_none()
            && r.overridden.is_none()
            && r.requisites.is_none();
        (!empty).then(|| {
            Box::new(Rare {
                final_url: r.final_url.take(),
                redirects: std::mem::take(&mut r.redirects),
                probe_url: r.probe_url.take(),
                overridden: r.overridden.take(),
                requisites: r.requisites.take(),
            })
        })
    }
}

impl Held {
    /// Whether checking reached no verdict (see [`CheckResult::not_checked`]).
    pub(super) fn not_checked(&self) -> bool {
        self.not_checked
    }

    /// The verdict's status.
    pub(super) fn status(&self) -> CheckStatus {
        self.status
    }

    /// The verdict as the checker gave it.
    pub(super) fn to_result(&self) -> CheckResult {
        let rare = self.rare.as_deref();
        CheckResult {
            status: self.status,
            reason: self.reason.to_string(),
            http_status: self.http_status,
            final_url: rare.and_then(|r| r.final_url.clone()),
            redirects: rare.map(|r| r.redirects.clone()).unwrap_or_default(),
            attempts: self.attempts,
            elapsed_ms: self.elapsed_ms,
            checked_at: self.checked_at,
            content_type: self.content_type.as_deref().map(str::to_string),
            content_length: self.content_length,
            title: self.title.as_deref().map(str::to_string),
            sha256: self.sha256,
            truncated: self.truncated,
            not_checked: self.not_checked,
            probe_url: rare.and_then(|r| r.probe_url.clone()),
            overridden: rare.and_then(|r| r.overridden.clone()),
            requisites: rare.and_then(|r| r.requisites),
        }
    }
}

/// A URL's place in the table.
#[derive(Debug)]
struct Slot {
    /// `None` until checked, and again once the annotation took it.
    held: Option<Held>,
    /// The check row in the archive, once stored.
    check_id: Option<i64>,
    /// Citations of the URL in the run's documents.
    citations: usize,
}

/// Every verdict of a run, by URL: a slot per cited URL made before
/// checking, filled as verdicts come. The URLs are one block of text (no
/// allocation each), ordered by a hash of each: a lookup binary-searches
/// the hashes, a block of numbers, and compares text only on a match.
#[derive(Debug, Default)]
pub(super) struct Verdicts {
    /// Each URL's hash, in order.
    hashes: Vec<u64>,
    /// The URLs one after another, in the same order.
    text: Vec<u8>,
    /// Where each URL ends in `text` (it starts where the one before ends).
    ends: Vec<usize>,
    /// Each URL's slot, in the same order.
    slots: Vec<Slot>,
    /// The texts held so far, each once; dropped when checking is over.
    phrases: HashSet<Arc<str>>,
}

/// The hash the table is ordered by. Nothing but that order depends on
/// it, and an unlucky collision costs a comparison, never a wrong answer.
fn hash_of(url: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    url.hash(&mut h);
    h.finish()
}

impl Verdicts {
    /// A slot for each URL of `cited`, every URL the run's documents cite,
    /// sorted, as often as cited: how often tells the annotation which
    /// citation of a URL is its last.
    pub(super) fn for_cited(cited: &[String]) -> Self {
        let mut urls: Vec<(u64, &str, usize)> = cited
            .chunk_by(|a, b| a == b)
            .map(|g| (hash_of(&g[0]), g[0].as_str(), g.len()))
            .collect();
        urls.sort_unstable();
        let mut v = Verdicts {
            hashes: Vec::with_capacity(urls.len()),
            text: Vec::with_capacity(urls.iter().map(|u| u.1.len()).sum()),
            ends: Vec::with_capacity(urls.len()),
            slots: Vec::with_capacity(urls.len()),
            phrases: HashSet::new(),
        };
        for (hash, url, citations) in urls {
            v.hashes.push(hash);
            v.text.extend_from_slice(url.as_bytes());
            v.ends.push(v.text.len());
            v.slots.push(Slot {
                held: None,
                check_id: None,
                citations,
            });
        }
        v
    }

    /// Holds the verdict of `url`, checked as archive row `check_id` (a
    /// URL checked twice keeps its last verdict; one never cited is not
    /// held, as no citation would take it).
    pub(super) fn insert(&mut self, url: &str, mut result: CheckResult, check_id: Option<i64>) {
        let Some(i) = self.find(url) else {
            return;
        };
        let rare = Rare::take(&mut result);
        let held = Held {
            status: result.status,
            truncated: result.truncated,
            not_checked: result.not_checked,
            http_status: result.http_status,
            attempts: result.attempts,
            elapsed_ms: result.elapsed_ms,
            checked_at: result.checked_at,
            content_length: result.content_length,
            sha256: result.sha256,
            reason: self.phrase(result.reason),
            content_type: result.content_type.map(|t| self.phrase(t)),
            title: result.title.map(String::into_boxed_str),
            rare,
        };
        let slot = &mut self.slots[i];
        slot.held = Some(held);
        slot.check_id = check_id;
    }

    /// `text` as held: the copy already held when there is one.
    fn phrase(&mut self, text: String) -> Arc<str> {
        if let Some(p) = self.phrases.get(text.as_str()) {
            return p.clone();
        }
        let p: Arc<str> = Arc::from(text);
        self.phrases.insert(p.clone());
        p
    }

    /// Checking is over: no more phrases to share.
    pub(super) fn seal(&mut self) {
        self.phrases = HashSet::new();
    }

    /// The `i`th URL, as bytes.
    fn url(&self, i: usize) -> &[u8] {
        let start = i.checked_sub(1).map_or(0, |j| self.ends[j]);
        self.text.get(start..self.ends[i]).unwrap_or_default()
    }

    /// The index of `url`'s slot.
    fn find(&self, url: &str) -> Option<usize> {
        let hash = hash_of(url);
        let first = self.hashes.partition_point(|&h| h < hash);
        let same = self.hashes[first..].iter().take_while(|&&h| h == hash);
        (first..first + same.count()).find(|&i| self.url(i) == url.as_bytes())
    }

    /// The verdict of `url` not yet taken.
    pub(super) fn get(&self, url: &str) -> Option<&Held> {
        self.slots.get(self.find(url)?)?.held.as_ref()
    }

    /// Takes the verdict of `url` out of the table, with its check row and
    /// how often the URL is cited.
    pub(super) fn take(&mut self, url: &str) -> Option<(Held, Option<i64>, usize)> {
        let i = self.find(url)?;
        let slot = self.slots.get_mut(i)?;
        let held = slot.held.take()?;
        Some((held, slot.check_id, slot.citations))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> CheckResult {
        let mut r = CheckResult::new(CheckStatus::Alive, "200 OK");
        r.http_status = Some(200);
        r.final_url = Some("https://b.example/x".into());
        r.redirects = vec!["https://b.example/x".into()];
        r.attempts = 2;
        r.elapsed_ms = 17;
        r.content_type = Some("text/html".into());
        r.content_length = Some(9);
        r.title = Some("X".into());
        r.sha256 = Some(Sha256Digest([7; 32]));
        r.truncated = true;
        r.probe_url = Some("https://b.example/citevault-x".into());
        r.overridden = Some(Overridden {
            status: CheckStatus::Dead,
            reason: "404".into(),
            by: "citevault.toml".into(),
        });
        r.requisites = Some(RequisiteCount {
            captured: 1,
            skipped: 2,
        });
        r
    }

    fn cited(urls: &[&str]) -> Vec<String> {
        urls.iter().map(|u| u.to_string()).collect()
    }

    #[test]
    fn held_verdicts_come_back_as_they_went_in() {
        let bare = CheckResult::new(CheckStatus::Dead, "404 Not Found");
        let urls = cited(&[
            "https://a.example/",
            "https://b.example/",
            "https://c.example/",
        ]);
        let mut v = Verdicts::for_cited(&urls);
        v.insert("https://a.example/", full(), Some(4));
        v.insert("https://c.example/", bare.clone(), None);
        v.insert("https://b.example/", bare.clone(), Some(5));
        v.insert("https://d.example/", bare.clone(), Some(6));
        v.seal();
        assert_eq!(
            v.get("https://a.example/").map(Held::to_result),
            Some(full())
        );
        let (held, id, n) = v.take("https://b.example/").expect("held");
        assert_eq!((held.to_result(), id, n), (bare.clone(), Some(5), 1));
        assert!(v.take("https://b.example/").is_none());
        assert!(v.get("https://d.example/").is_none());
    }

    #[test]
    fn repeated_phrases_are_held_once_and_the_last_verdict_wins() {
        let urls = cited(&[
            "https://a.example/",
            "https://a.example/",
            "https://b.example/",
        ]);
        let mut v = Verdicts::for_cited(&urls);
        v.insert("https://a.example/", full(), None);
        v.insert("https://b.example/", full(), None);
        let [a, b] = &v.slots[..] else {
            panic!("a slot per URL")
        };
        let (a, b) = (a.held.as_ref().expect("a"), b.held.as_ref().expect("b"));
        assert!(Arc::ptr_eq(&a.reason, &b.reason));
        v.insert("https://a.example/", full(), Some(9));
        v.seal();
        assert_eq!(
            v.take("https://a.example/").map(|t| (t.1, t.2)),
            Some((Some(9), 2))
        );
    }
}
