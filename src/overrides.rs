//! Overrides: a person's verdict on a URL the checker gets wrong (a page
//! that reads like an error page but is the article, a site that refuses
//! robots but not readers). They come from `[[override]]` entries of
//! `citevault.toml` and from marks recorded in the archive
//! (`citevault mark`), and a [`Run`](crate::run::Run) applies them after
//! the checker's verdict, before archiving and reporting. The result keeps
//! what the checker said ([`Overridden`]), so no report hides that a
//! person decided.

use crate::archive::url_key;
use crate::model::{CheckResult, CheckStatus, Overridden, Timestamp};
use std::fmt;
use url::Url;

/// The URLs an override covers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OverrideTarget {
    /// One URL (written differently — other case of host, trailing slash,
    /// `#fragment` — it is the same URL, as in `lookup`).
    Url(String),
    /// Every URL that starts with this (WHATWG form).
    Prefix(String),
}

impl OverrideTarget {
    /// A target from a URL as written, as one URL or as a prefix. Only
    /// http(s) URLs: nothing else is ever checked. The error never quotes
    /// the text (it may come from a config file).
    pub fn new(raw: &str, prefix: bool) -> Result<Self, String> {
        let url = Url::parse(raw.trim()).map_err(|e| format!("not a URL ({e})"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err("not an http(s) URL".into());
        }
        let url = url.to_string();
        Ok(if prefix {
            OverrideTarget::Prefix(url)
        } else {
            OverrideTarget::Url(url)
        })
    }

    /// The URL or prefix, as stored and shown.
    pub fn as_str(&self) -> &str {
        match self {
            OverrideTarget::Url(u) | OverrideTarget::Prefix(u) => u,
        }
    }

    /// Whether this is a prefix.
    pub fn is_prefix(&self) -> bool {
        matches!(self, OverrideTarget::Prefix(_))
    }

    /// Whether two targets cover the same URLs (one URL written two ways).
    pub fn same_as(&self, other: &OverrideTarget) -> bool {
        match (self, other) {
            (OverrideTarget::Url(a), OverrideTarget::Url(b)) => url_key(a) == url_key(b),
            (OverrideTarget::Prefix(a), OverrideTarget::Prefix(b)) => a == b,
            _ => false,
        }
    }

    /// The form of the target compared with a URL's [`Candidate`]: the
    /// URL's key, or the prefix.
    fn key(&self) -> String {
        match self {
            OverrideTarget::Url(u) => url_key(u),
            OverrideTarget::Prefix(p) => p.clone(),
        }
    }
}

/// A URL in the forms targets are compared with, made once per URL (a
/// run may have many URLs and many overrides).
struct Candidate {
    key: String,
    whatwg: String,
}

impl Candidate {
    fn new(url: &str) -> Self {
        Candidate {
            key: url_key(url),
            whatwg: Url::parse(url).map_or_else(|_| url.to_string(), |u| u.to_string()),
        }
    }

    /// How well a target (of key `key`) fits, when it does: an exact URL
    /// beats every prefix, a longer prefix a shorter one.
    fn fit(&self, target: &OverrideTarget, key: &str) -> Option<(bool, usize)> {
        match target {
            OverrideTarget::Url(_) => (self.key == key).then_some((true, 0)),
            OverrideTarget::Prefix(_) => self.whatwg.starts_with(key).then_some((false, key.len())),
        }
    }
}

/// Where an override comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OverrideBy {
    /// A config file, by its name as given (`citevault.toml`).
    File(String),
    /// A mark recorded in the archive at this time.
    Mark(Timestamp),
}

impl fmt::Display for OverrideBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OverrideBy::File(name) => f.write_str(name),
            OverrideBy::Mark(at) => write!(f, "mark of {at}"),
        }
    }
}

/// One override: the status citations of its URLs are reported with, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// The URLs it covers.
    pub target: OverrideTarget,
    /// The status to report (never `unlinked`: a citation without a URL
    /// has nothing to override).
    pub status: CheckStatus,
    /// Why, as the person who decided wrote it.
    pub reason: String,
    /// Where it comes from.
    pub by: OverrideBy,
}

impl Override {
    /// Refuses a status an override cannot give.
    pub fn check_status(status: CheckStatus) -> Result<CheckStatus, String> {
        if status == CheckStatus::Unlinked {
            return Err(
                "unlinked is not a status an override can give (a citation without a URL has nothing to override)"
                    .into(),
            );
        }
        Ok(status)
    }
}

/// The overrides a run applies.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    list: Vec<Override>,
    /// `list[i].target.key()`.
    keys: Vec<String>,
}

impl Overrides {
    /// The overrides to apply, config entries and marks together.
    pub fn new(list: Vec<Override>) -> Self {
        let keys = list.iter().map(|o| o.target.key()).collect();
        Overrides { list, keys }
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The override that applies to `url`: the most specific (an exact URL
    /// over a prefix, a longer prefix over a shorter), and at equal
    /// specificity a mark over a config entry (a mark is the later, more
    /// deliberate decision), else the first listed.
    pub fn find(&self, url: &str) -> Option<&Override> {
        if self.list.is_empty() {
            return None;
        }
        let candidate = Candidate::new(url);
        let mut best: Option<(&Override, (bool, usize, bool))> = None;
        for (o, key) in self.list.iter().zip(&self.keys) {
            let Some((exact, len)) = candidate.fit(&o.target, key) else {
                continue;
            };
            let rank = (exact, len, matches!(o.by, OverrideBy::Mark(_)));
            if best.is_none_or(|(_, r)| rank > r) {
                best = Some((o, rank));
            }
        }
        best.map(|(o, _)| o)
    }

    /// Applies the override of `url` to its result, if one applies and
    /// changes the status: the status and reason become the override's
    /// (`overridden: <reason>`), and the checker's are kept in
    /// [`CheckResult::overridden`]. A result that is no verdict (the URL
    /// was skipped, or the network failed) is left alone: there is nothing
    /// to correct. Returns whether the result changed.
    pub fn apply(&self, url: &str, result: &mut CheckResult) -> bool {
        let no_verdict = result.not_checked
            || matches!(result.status, CheckStatus::Skipped | CheckStatus::Unlinked);
        if no_verdict || result.overridden.is_some() {
            return false;
        }
        let Some(o) = self.find(url).filter(|o| o.status != result.status) else {
            return false;
        };
        let reason = std::mem::replace(&mut result.reason, format!("overridden: {}", o.reason));
        result.overridden = Some(Overridden {
            status: result.status,
            reason,
            by: o.by.to_string(),
        });
        result.status = o.status;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(raw: &str, prefix: bool, status: CheckStatus, by: OverrideBy) -> Override {
        Override {
            target: OverrideTarget::new(raw, prefix).unwrap(),
            status,
            reason: format!("{raw} {status}"),
            by,
        }
    }

    #[test]
    fn the_most_specific_override_wins_and_a_mark_breaks_ties() {
        let file = || OverrideBy::File("citevault.toml".into());
        let mark = OverrideBy::Mark(Timestamp(1_795_000_000));
        let all = Overrides::new(vec![
            entry("https://a.example/", true, CheckStatus::Alive, file()),
            entry(
                "https://a.example/news/",
                true,
                CheckStatus::Blocked,
                file(),
            ),
            entry(
                "https://a.example/news/",
                true,
                CheckStatus::Skipped,
                mark.clone(),
            ),
            entry(
                "https://A.EXAMPLE/news/1.html/",
                false,
                CheckStatus::Dead,
                file(),
            ),
            entry(
                "https://a.example/news/1.html",
                false,
                CheckStatus::Timeout,
                mark,
            ),
            entry(
                "https://a.example/news/2.html",
                false,
                CheckStatus::Error,
                file(),
            ),
        ]);
        let status = |url: &str| all.find(url).map(|o| o.status);
        assert_eq!(
            status("https://a.example/news/1.html#top"),
            Some(CheckStatus::Timeout)
        );
        assert_eq!(
            status("https://a.example/news/2.html"),
            Some(CheckStatus::Error)
        );
        assert_eq!(
            status("https://a.example/news/3.html"),
            Some(CheckStatus::Skipped)
        );
        assert_eq!(status("https://a.example/about"), Some(CheckStatus::Alive));
        assert_eq!(status("https://b.example/news/1.html"), None);
    }

    #[test]
    fn applying_keeps_what_the_checker_said() {
        let all = Overrides::new(vec![entry(
            "https://a.example/x",
            false,
            CheckStatus::Alive,
            OverrideBy::Mark(Timestamp(1_795_000_000)),
        )]);
        let mut r = CheckResult::new(CheckStatus::Dead, "404 Not Found");
        assert!(all.apply("https://a.example/x", &mut r));
        assert_eq!(r.status, CheckStatus::Alive);
        assert_eq!(r.reason, "overridden: https://a.example/x alive");
        let o = r.overridden.as_ref().unwrap();
        assert_eq!(
            (o.status, o.reason.as_str()),
            (CheckStatus::Dead, "404 Not Found")
        );
        assert_eq!(o.by, "mark of 2026-11-18T11:06:40Z");
        assert!(!all.apply("https://a.example/x", &mut r), "applied once");

        // Same status: nothing to correct. No verdict: nothing to correct.
        let mut alive = CheckResult::new(CheckStatus::Alive, "200 OK");
        assert!(!all.apply("https://a.example/x", &mut alive));
        assert!(alive.overridden.is_none());
        let mut down = CheckResult::new(CheckStatus::Error, "network unavailable");
        down.not_checked = true;
        assert!(!all.apply("https://a.example/x", &mut down));
        let mut skipped = CheckResult::new(CheckStatus::Skipped, "excluded");
        assert!(!all.apply("https://a.example/x", &mut skipped));
    }

    #[test]
    fn targets_are_http_urls() {
        assert!(OverrideTarget::new("ftp://a.example/x", false).is_err());
        assert!(OverrideTarget::new("a.example/x", true).is_err());
        assert!(Override::check_status(CheckStatus::Unlinked).is_err());
        assert_eq!(
            OverrideTarget::new(" https://A.example/news", true).unwrap(),
            OverrideTarget::Prefix("https://a.example/news".into())
        );
    }
}
