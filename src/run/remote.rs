//! The public archives' part of a run: for every citation that fails it,
//! the capture closest to the cited date in the Wayback Machine and the
//! Memento archives configured; with `--save-remote`, alive sources
//! submitted to Save Page Now. Answers come from the index's cache while
//! they are fresh, are stored with the run, and `report` reads them back,
//! so both show the same copies.

use crate::archive::{Archive, RemoteAnswer, RemoteKind};
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
    pub(super) fn of_run(
        archive: &Archive,
        run_id: i64,
    ) -> Result<Self, crate::archive::ArchiveError> {
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
        let cited = doc
            .items
            .iter_mut()
            .flat_map(|i| i.citations.iter_mut())
            .chain(doc.citations.iter_mut());
        for c in cited {
            let Some(url) = c.url.clone() else { continue };
            let copy = self
                .lookups
                .get(&(url.clone(), c.date.clone()))
                .or_else(|| self.saves.get(&url));
            c.remote = copy.cloned().map(Box::new);
        }
    }
}

/// Asks the archives what `settings` says for the citations of `docs`
/// whose URL's verdict is in `results`: lookups for those that fail,
/// saves for those alive. Cached answers are taken from `archive`, and
/// every answer is stored there for the run. Returns the answers and a
/// notice for the user, if any.
pub(super) async fn ask(
    settings: &RemoteSettings,
    docs: &[Document],
    checked: &HashMap<String, super::Checked>,
    fail_on: &[CheckStatus],
    mut archive: Option<&mut Archive>,
) -> (
    PublicCopies,
    Vec<String>,
    Option<crate::archive::ArchiveError>,
) {
    let mut copies = PublicCopies::default();
    let mut notices = Vec::new();
    let Some(options) = &settings.options else {
        return (copies, notices, None);
    };
    let archives = match PublicArchives::new(options.clone()) {
        Ok(a) => a,
        Err(e) => {
            notices.push(e.to_string());
            return (copies, notices, None);
        }
    };
    let mut lookups = BTreeSet::new();
    let mut saves = BTreeSet::new();
    for c in docs.iter().flat_map(|d| d.all_citations()) {
        let Some(url) = &c.url else { continue };
        let Some(r) = checked.get(url).map(|c| &c.result) else {
            continue;
        };
        if r.not_checked || !(settings.allow_private || publicly_archivable(url)) {
            continue;
        }
        if fail_on.contains(&r.status) {
            lookups.insert((url.clone(), c.date.clone()));
        } else if r.status == CheckStatus::Alive && settings.save.is_some() {
            saves.insert(url.clone());
        }
    }
    let fresh_since = Timestamp(
        Timestamp::now()
            .0
            .saturating_sub(settings.max_age.unwrap_or(DEFAULT_REMOTE_MAX_AGE).as_secs()),
    );
    let mut answers = Vec::new();
    let mut trouble = None;
    let mut to_ask = Vec::new();
    for (url, date) in lookups {
        let cached = match archive.as_deref_mut() {
            Some(a) => a
                .cached_remote(&url, RemoteKind::Lookup, date.as_deref(), fresh_since)
                .unwrap_or_else(|e| {
                    trouble.get_or_insert(e);
                    None
                }),
            None => None,
        };
        match cached {
            Some(copy) => copies.insert(url, lookup_answer(date, copy)),
            None => to_ask.push((url, date)),
        }
    }
    let asked: Vec<(String, Option<String>, RemoteCopy)> = futures_util::stream::iter(to_ask)
        .map(|(url, date)| {
            let archives = &archives;
            async move {
                let copy = archives.lookup(&url, date.as_deref()).await;
                (url, date, copy)
            }
        })
        .buffer_unordered(LOOKUPS_IN_FLIGHT)
        .collect()
        .await;
    for (url, date, copy) in asked {
        answers.push((url, lookup_answer(date, copy)));
    }
    if let Some((keys, save_options)) = &settings.save {
        let saver = Saver::new(archives.http(), keys.clone(), save_options.clone());
        for url in saves {
            let cached = match archive.as_deref_mut() {
                Some(a) => a
                    .cached_remote(&url, RemoteKind::Save, None, fresh_since)
                    .unwrap_or(None),
                None => None,
            };
            if let Some(copy) = cached {
                copies.insert(url, save_answer(copy));
                continue;
            }
            let copy = saved_copy(saver.save(&url).await);
            answers.push((url, save_answer(copy)));
        }
    }
    if let Some(problem) = answers
        .iter()
        .flat_map(|(_, a)| a.copy.problems.first())
        .find(|p| p.contains("network unavailable"))
    {
        notices.push(format!(
            "public archives could not be asked ({problem}); the citations that fail say so, with no verdict on whether a copy exists"
        ));
    }
    for (url, answer) in answers {
        if let Some(a) = archive.as_deref_mut() {
            if let Err(e) = a.store_remote(&url, &answer) {
                trouble.get_or_insert(e);
            }
        }
        copies.insert(url, answer);
    }
    (copies, notices, trouble)
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
