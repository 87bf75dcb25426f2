//! The public archives' part of a run: for every citation that fails it,
//! the capture closest to the cited date in the Wayback Machine and the
//! Memento archives configured; with `--save-remote`, alive sources
//! submitted to Save Page Now. Answers come from the index's cache while
//! they are fresh, are stored with the run, and `report` reads them back,
//! so both show the same copies.

use super::packed::PackedDocs;
use crate::archive::{Archive, ArchiveError, RemoteAnswer, RemoteKind};
use crate::model::{CheckStatus, Document, RemoteCopy, Timestamp};
use crate::remote::spn::{IaKeys, SaveOptions, SaveOutcome, Saver};
use crate::remote::{PublicArchives, RemoteOptions};
use futures_util::StreamExt;
use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

/// How long an archive's answer is reused before it is asked again.
pub const DEFAULT_REMOTE_MAX_AGE: Duration = Duration::from_secs(30 * 24 * 3600);

/// Lookups in flight at once (each archive keeps its own pace).
const LOOKUPS_IN_FLIGHT: usize = 4;

/// What a run asks of the public archives (nothing by default).
#[derive(Debug, Clone, Default)]
pub struct RemoteSettings {
    /// Where the archives are and how politely to ask; `None`: no lookups.
    pub options: Option<RemoteOptions>,
    /// Answers older than this are asked again (default 30 days).
    pub max_age: Option<Duration>,
    /// Save alive sources with Save Page Now, with these keys.
    pub save: Option<(IaKeys, SaveOptions)>,
    /// Private and loopback hosts are checked (`--allow-private`), so they
    /// are looked up too (an operator's own archive may hold them).
    pub allow_private: bool,
}

/// The public archives' answers of one run, keyed by URL and cited date
/// (lookups) or URL (saves).
#[derive(Debug, Default)]
pub(super) struct PublicCopies {
    lookups: HashMap<(String, Option<String>), RemoteCopy>,
    saves: HashMap<String, RemoteCopy>,
}

impl PublicCopies {
    /// The answers run `run_id` stored, for `report`.
    pub(super) fn of_run(archive: &Archive, run_id: i64) -> Result<Self, ArchiveError> {
        let mut copies = PublicCopies::default();
        for (url, answer) in archive.remote_of_run(run_id)? {
            copies.insert(url, answer);
        }
        Ok(copies)
    }

    fn insert(&mut self, url: String, answer: RemoteAnswer) {
        match answer.kind {
            RemoteKind::Lookup => {
                self.lookups.insert((url, answer.cited_date), answer.copy);
            }
            RemoteKind::Save => {
                self.saves.insert(url, answer.copy);
            }
        }
    }

    /// Gives every citation of `doc` the answer about its URL (and date).
    pub(super) fn attach(&self, doc: &mut Document) {
        if self.lookups.is_empty() && self.saves.is_empty() {
            return;
        }
        for c in doc.all_citations_mut() {
            let Some(url) = c.url.clone() else { continue };
            let copy = self
                .lookups
                .get(&(url.clone(), c.date.clone()))
                .or_else(|| self.saves.get(&url));
            c.remote = copy.cloned().map(Box::new);
        }
    }
}

/// What a run asks of the archives: `(URL, cited date)` pairs to look up
/// (their verdict fails the run) and URLs to save (alive, with saving on).
#[derive(Debug, Default)]
struct Wanted {
    lookups: BTreeSet<(String, Option<String>)>,
    saves: BTreeSet<String>,
}

impl Wanted {
    fn of(
        settings: &RemoteSettings,
        docs: &PackedDocs,
        checked: &super::Verdicts,
        fail_on: &[CheckStatus],
    ) -> Wanted {
        let mut wanted = Wanted::default();
        // A document that cannot be unpacked stops the run when it is
        // annotated, before any answer is used.
        for doc in docs.iter().flatten() {
            wanted.add(settings, &doc, checked, fail_on);
        }
        wanted
    }

    /// What the citations of `doc` want.
    fn add(
        &mut self,
        settings: &RemoteSettings,
        doc: &Document,
        checked: &super::Verdicts,
        fail_on: &[CheckStatus],
    ) {
        for c in doc.all_citations() {
            let Some(url) = &c.url else { continue };
            let Some(r) = checked.get(url) else {
                continue;
            };
            if r.not_checked() || !(settings.allow_private || publicly_archivable(url)) {
                continue;
            }
            if fail_on.contains(&r.status()) {
                self.lookups.insert((url.clone(), c.date.clone()));
            } else if r.status() == CheckStatus::Alive && settings.save.is_some() {
                self.saves.insert(url.clone());
            }
        }
    }
}

/// Asks the archives what `settings` says for the citations of `docs`
/// whose URL's verdict is in `checked`: lookups for those that fail,
/// saves for those alive. Fresh answers are taken from `archive`'s cache,
/// and every answer is stored there for the run. Returns the answers,
/// notices for the user, and the first archive error (answers are then
/// not all cached; the run goes on).
pub(super) async fn ask(
    settings: &RemoteSettings,
    docs: &PackedDocs,
    checked: &super::Verdicts,
    fail_on: &[CheckStatus],
    archive: Option<&mut Archive>,
) -> (PublicCopies, Vec<String>, Option<ArchiveError>) {
    let mut copies = PublicCopies::default();
    let Some(options) = &settings.options else {
        return (copies, Vec::new(), None);
    };
    let archives = match PublicArchives::new(options.clone()) {
        Ok(a) => a,
        Err(e) => return (copies, vec![e.to_string()], None),
    };
    let wanted = Wanted::of(settings, docs, checked, fail_on);
    let fresh_since = Timestamp(
        Timestamp::now()
            .0
            .saturating_sub(settings.max_age.unwrap_or(DEFAULT_REMOTE_MAX_AGE).as_secs()),
    );
    let mut cache = Cache {
        archive,
        fresh_since,
        trouble: None,
    };
    let mut to_ask = Vec::new();
    for (url, date) in wanted.lookups {
        match cache.get(&url, RemoteKind::Lookup, date.as_deref()) {
            Some(copy) => copies.insert(url, lookup_answer(date, copy)),
            None => to_ask.push((url, date)),
        }
    }
    let mut answers = look_up(&archives, to_ask).await;
    if let Some((keys, save_options)) = &settings.save {
        let saver = Saver::new(archives.http(), keys.clone(), save_options.clone());
        for url in wanted.saves {
            match cache.get(&url, RemoteKind::Save, None) {
                Some(copy) => copies.insert(url, save_answer(copy)),
                None => {
                    let copy = saved_copy(saver.save(&url).await);
                    answers.push((url, save_answer(copy)));
                }
            }
        }
    }
    let notices = network_notice(&answers).into_iter().collect();
    for (url, answer) in answers {
        cache.put(&url, &answer);
        copies.insert(url, answer);
    }
    (copies, notices, cache.trouble)
}

/// The index as a cache of answers; the first error it gives is kept
/// (and reported once), the run goes on asking the archives.
struct Cache<'a> {
    archive: Option<&'a mut Archive>,
    fresh_since: Timestamp,
    trouble: Option<ArchiveError>,
}

impl Cache<'_> {
    fn get(&mut self, url: &str, kind: RemoteKind, date: Option<&str>) -> Option<RemoteCopy> {
        let archive = self.archive.as_deref_mut()?;
        archive
            .cached_remote(url, kind, date, self.fresh_since)
            .unwrap_or_else(|e| {
                self.trouble.get_or_insert(e);
                None
            })
    }

    fn put(&mut self, url: &str, answer: &RemoteAnswer) {
        if let Some(archive) = self.archive.as_deref_mut() {
            if let Err(e) = archive.store_remote(url, answer) {
                self.trouble.get_or_insert(e);
            }
        }
    }
}

/// Looks up each `(URL, cited date)`, a few at a time (each archive keeps
/// its own pace).
async fn look_up(
    archives: &PublicArchives,
    pairs: Vec<(String, Option<String>)>,
) -> Vec<(String, RemoteAnswer)> {
    futures_util::stream::iter(pairs)
        .map(|(url, date)| async move {
            let copy = archives.lookup(&url, date.as_deref()).await;
            (url, lookup_answer(date, copy))
        })
        .buffer_unordered(LOOKUPS_IN_FLIGHT)
        .collect()
        .await
}

/// Says once that the network was unusable, when it was.
fn network_notice(answers: &[(String, RemoteAnswer)]) -> Option<String> {
    let problem = answers
        .iter()
        .flat_map(|(_, a)| a.copy.problems.first())
        .find(|p| p.contains("network unavailable"))?;
    Some(format!(
        "public archives could not be asked ({problem}); the citations that fail say so, with no verdict on whether a copy exists"
    ))
}

fn lookup_answer(cited_date: Option<String>, copy: RemoteCopy) -> RemoteAnswer {
    RemoteAnswer {
        kind: RemoteKind::Lookup,
        cited_date,
        copy,
    }
}

fn save_answer(copy: RemoteCopy) -> RemoteAnswer {
    RemoteAnswer {
        kind: RemoteKind::Save,
        cited_date: None,
        copy,
    }
}

/// A save's outcome as the copy reports show.
pub(crate) fn saved_copy(outcome: SaveOutcome) -> RemoteCopy {
    let mut copy = RemoteCopy {
        capture: None,
        asked: vec!["wayback".into()],
        looked_up_at: Timestamp::now(),
        problems: Vec::new(),
        save: true,
    };
    match outcome {
        SaveOutcome::Saved(capture) => copy.capture = Some(capture),
        SaveOutcome::Failed { reason } | SaveOutcome::Stopped { reason } => {
            copy.problems.push(format!("Save Page Now: {reason}"))
        }
    }
    copy
}

/// Whether a public archive can hold the URL: its host is a public name
/// or address. A page of a private address, `localhost` or a reserved
/// name (`.test`, `.example`, `.internal`…) was never crawled, and asking
/// about it would tell the archive what the CI runner's network holds.
pub fn publicly_archivable(url: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else {
        return false;
    };
    match u.host() {
        Some(url::Host::Ipv4(ip)) => crate::check::guard::is_public(ip.into()),
        Some(url::Host::Ipv6(ip)) => crate::check::guard::is_public(ip.into()),
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            let reserved = [
                "localhost",
                "local",
                "test",
                "example",
                "invalid",
                "internal",
                "home.arpa",
                "lan",
                "corp",
            ];
            d.contains('.')
                && !reserved
                    .iter()
                    .any(|r| d == *r || d.ends_with(&format!(".{r}")))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::publicly_archivable;

    #[test]
    fn only_public_hosts_are_looked_up() {
        assert!(publicly_archivable("https://www.rfa.org/a.html"));
        assert!(publicly_archivable("http://93.184.215.14/a"));
        for url in [
            "http://127.0.0.1:8080/a",
            "http://10.1.2.3/a",
            "http://[::1]/a",
            "http://localhost/a",
            "http://intranet/a",
            "http://news.example/a",
            "http://wiki.corp.internal/a",
            "not a url",
        ] {
            assert!(!publicly_archivable(url), "{url}");
        }
    }
}
