//! Types that cross pipeline stages. `extract` produces them, later stages
//! (check, archive, report) consume them; keep them plain data.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The markup a document was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text: structure comes from layout alone (blank lines, short
    /// headline lines), and URLs are found written out.
    Text,
    /// Markdown: headings, links and footnotes carry the structure.
    Markdown,
    /// An HTML page or fragment: its visible text, headings and links are read.
    Html,
}

impl Format {
    /// The lowercase name used on the command line and in JSON (`text`,
    /// `markdown`, `html`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One input document (a digest, newsletter issue, blog page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Path as given on the command line (`-` for stdin).
    pub source: String,
    /// How the document was read (given, or detected from name and content).
    pub format: Format,
    /// The document's own title, when it has one that is not an item headline
    /// (a lone heading above the content, an HTML `<title>`).
    #[serde(default)]
    pub title: Option<String>,
    /// The items found, in document order.
    pub items: Vec<Item>,
    /// Citations that appear before the first item or in a document without
    /// item structure. Kept separate rather than inventing an item for them.
    #[serde(default)]
    pub citations: Vec<Citation>,
}

impl Document {
    /// All citations, those outside items included.
    pub fn all_citations(&self) -> impl Iterator<Item = &Citation> {
        self.items
            .iter()
            .flat_map(|i| i.citations.iter())
            .chain(self.citations.iter())
    }

    /// Every citation, to be annotated in place: the items' in order, then
    /// the document's own (the order of [`Document::all_citations`]).
    pub fn all_citations_mut(&mut self) -> impl Iterator<Item = &mut Citation> {
        self.items
            .iter_mut()
            .flat_map(|i| i.citations.iter_mut())
            .chain(self.citations.iter_mut())
    }

    /// Items that cite nothing: an editor wants to see these, not lose them.
    pub fn uncited_items(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| i.citations.is_empty())
    }
}

/// A headline and the body paragraphs under it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// The headline as written (markup removed).
    pub title: String,
    /// 1-based line of the headline in the input.
    pub line: u32,
    /// The sources the item cites, in the order written; empty for an
    /// uncited item.
    pub citations: Vec<Citation>,
}

/// One cited source: a URL, or an outlet and date without a URL (unlinked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// WHATWG serialization of the URL, or `None` for an unlinked citation.
    pub url: Option<String>,
    /// Outlet as the citation names it ("RFA", "Deutsche Welle").
    pub outlet: Option<String>,
    /// Canonical outlet id from the outlet list, from the name or the URL's host.
    #[serde(default)]
    pub outlet_id: Option<String>,
    /// Date as ISO 8601 (`YYYY-MM-DD`, or `YYYY-MM` when the day is not given).
    pub date: Option<String>,
    /// Number in a numbered source list or of its footnote mark.
    pub marker: Option<u32>,
    /// 1-based line of the URL (or, for an unlinked citation, of its text).
    pub line: u32,
    /// How the citation was written.
    #[serde(default)]
    pub via: CitedVia,
    /// The verdict on the URL, once checked (`citevault check`). Boxed:
    /// most citations in memory have none, and a document can hold many.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<Box<CheckResult>>,
    /// The latest archived copy of the URL, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<Box<ArchivedCopy>>,
    /// What the public web archives (the Wayback Machine, Memento
    /// archives) hold of the URL near the cited date: looked up for
    /// citations that fail the run, or saved for alive ones
    /// (`check --save-remote`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<Box<RemoteCopy>>,
    /// What verification found (`citevault verify`, `check --verify`): is
    /// the source the outlet named, from the date named, and does it still
    /// say what it said when first archived.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
    /// What extraction changed or doubts about this citation, for the
    /// editor (e.g. "credentials removed from the cited URL"). Never holds
    /// the removed text itself.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// What the archive holds and knows of a cited URL, as of its check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivedCopy {
    /// When the snapshot this check stored (else the latest before it) was
    /// taken; `None` when nothing was ever stored (a host that never answered).
    pub snapshot_at: Option<Timestamp>,
    /// Status code of that response (a 404 page is archived too; 304 for
    /// a not-modified revisit).
    pub http_status: Option<u16>,
    /// `sha256:<hex>` of its payload (for a revisit, of the payload it
    /// refers to).
    pub sha256: Option<String>,
    /// The latest snapshot taken by a check that found the URL `alive`
    /// (never an error page, never after the failure began): the copy to
    /// recover a vanished source from.
    #[serde(default)]
    pub last_good: Option<Timestamp>,
    /// When the current run of failing checks began (None when the URL's
    /// latest verdict did not fail).
    #[serde(default)]
    pub failing_since: Option<Timestamp>,
    /// The soft-404 probe the verdict rests on, as archived: the evidence
    /// of why the page was called soft-404.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe: Option<ArchivedProbe>,
}

/// One thing verification found about a citation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// What kind of finding (`outlet-mismatch`, `drifted`…): the word
    /// `--fail-on` takes.
    pub kind: FindingKind,
    /// How much it matters.
    pub severity: Severity,
    /// Why, in a sentence a person can act on.
    pub reason: String,
    /// Where it was found: `url`, `page`, `archive`, `citation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// What was found, as text: the host, the date in the URL or on the
    /// page, the page's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    /// A similarity figure between 0 and 1 (text drift, title likeness).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similarity: Option<Score>,
    /// Drift: when the first archived snapshot compared was taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_snapshot: Option<Timestamp>,
    /// Drift: when the snapshot compared with it was taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub this_snapshot: Option<Timestamp>,
    /// Unlinked: a search on the outlet's site for the item's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search_url: Option<String>,
}

impl Finding {
    /// A finding with a kind, severity and reason and nothing else.
    pub fn new(kind: FindingKind, severity: Severity, reason: impl Into<String>) -> Self {
        Finding {
            kind,
            severity,
            reason: reason.into(),
            source: None,
            found: None,
            similarity: None,
            first_snapshot: None,
            this_snapshot: None,
            search_url: None,
        }
    }
}

/// The kinds of finding; the words are stable (reports, `--fail-on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// The URL's host is not the cited outlet's.
    OutletMismatch,
    /// The URL is a syndicated copy of the cited outlet's story on another
    /// site (Reuters on Yahoo): milder than a mismatch.
    Syndicated,
    /// The date in the URL or on the page is further from the cited date
    /// than the tolerance.
    DateMismatch,
    /// The page's main text is as first archived.
    Unchanged,
    /// The page's main text changed a little since first archived (edits).
    Changed,
    /// The page's main text is no longer what was first archived.
    Drifted,
    /// The page's title beside the item's, for a person to judge.
    Title,
    /// The citation names a source without linking to it.
    Unlinked,
}

impl FindingKind {
    /// Every kind, in the order reports list them.
    pub const ALL: [FindingKind; 8] = [
        FindingKind::OutletMismatch,
        FindingKind::Syndicated,
        FindingKind::DateMismatch,
        FindingKind::Unchanged,
        FindingKind::Changed,
        FindingKind::Drifted,
        FindingKind::Title,
        FindingKind::Unlinked,
    ];

    /// The stable word (`outlet-mismatch`).
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::OutletMismatch => "outlet-mismatch",
            FindingKind::Syndicated => "syndicated",
            FindingKind::DateMismatch => "date-mismatch",
            FindingKind::Unchanged => "unchanged",
            FindingKind::Changed => "changed",
            FindingKind::Drifted => "drifted",
            FindingKind::Title => "title",
            FindingKind::Unlinked => "unlinked",
        }
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl std::str::FromStr for FindingKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FindingKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown finding {s:?}"))
    }
}

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For a person to look at; never wrong in itself.
    Info,
    /// Probably fine, worth a look.
    Warning,
    /// The citation is probably wrong.
    Error,
}

impl Severity {
    /// The stable word (`warning`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A figure between 0 and 1, written with three decimals at most.
#[derive(Debug, Clone, Copy, PartialOrd)]
pub struct Score(pub f64);

impl PartialEq for Score {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}

impl Eq for Score {}

impl Serialize for Score {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64((self.0 * 1000.0).round() / 1000.0)
    }
}

impl<'de> Deserialize<'de> for Score {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        f64::deserialize(d).map(Score)
    }
}

/// What the public web archives hold of a URL near a date: the capture
/// offered as its archived copy, if any, and whom citevault asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteCopy {
    /// The capture closest to the cited date (the latest one at or before
    /// it, else the earliest after it), among those whose archived answer
    /// was a 200/203/206 and not itself an error page; `None` when no
    /// archive asked has one.
    pub capture: Option<RemoteCapture>,
    /// The archives asked, by name (`wayback`, `archive.ph`), in order.
    pub asked: Vec<String>,
    /// When they were asked. An answer taken from the index's cache keeps
    /// the time it was first given.
    pub looked_up_at: Timestamp,
    /// Archives that could not answer (rate-limited, unreachable, a
    /// malformed answer), and why: a `None` capture with problems means
    /// "not known", not "not archived".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
    /// The answer to a Save Page Now submission (`save`, `check
    /// --save-remote`) rather than to a lookup: without a capture, its
    /// problems say why nothing was saved.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub save: bool,
}

/// One capture (memento) of a URL in a public web archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteCapture {
    /// The archive's name (`wayback`, or a Memento archive's host).
    pub archive: String,
    /// The memento's URL: where a reader sees the archived page.
    pub url: String,
    /// When the archive captured it.
    pub captured_at: Timestamp,
    /// The HTTP status the archive recorded for the capture.
    pub http_status: u16,
    /// How far the capture is from the cited date, for a person
    /// ("2 days after the cited date", "on the cited date"); `None` when
    /// the citation states no date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance: Option<String>,
    /// The same distance in whole days, negative before the cited date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_days: Option<i64>,
    /// Saved now by Save Page Now (`save`, `check --save-remote`), rather
    /// than found.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub saved: bool,
}

/// The archived answer to the soft-404 probe (a request for a page that
/// cannot exist next to the cited URL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivedProbe {
    /// The URL requested.
    pub url: String,
    /// When it was fetched (its snapshot: `show --at` this time).
    pub snapshot_at: Timestamp,
    /// The status code it answered.
    pub http_status: u16,
}

impl Citation {
    /// Whether the citation names a source without linking to it: there is
    /// nothing to check or archive.
    pub fn is_unlinked(&self) -> bool {
        self.url.is_none()
    }
}

/// The citation style a citation was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CitedVia {
    /// `Source: Outlet, Date` (URL on the same or next line, or none).
    #[default]
    SourceLine,
    /// An entry of a numbered `Sources:` list.
    SourceList,
    /// A footnote definition (Markdown `[^1]: …`).
    Footnote,
    /// Inline `(Outlet, Date)` in body text.
    Inline,
    /// A hyperlink: Markdown link or autolink, HTML `<a href>`.
    Link,
    /// A URL written out in plain text.
    BareUrl,
}

/// What checking a cited URL found. The words are stable: reports, exit codes
/// and CI configurations use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckStatus {
    /// 2xx with real content (or 304 unchanged).
    Alive,
    /// 404, 410, or a host that no longer exists.
    Dead,
    /// The server says 200 but the article is gone (error page, redirect to the home page).
    #[serde(rename = "soft-404")]
    Soft404,
    /// The site refused us (401, 403, 407, 451, challenge pages, persistent 429): the link may be fine.
    Blocked,
    /// 5xx after retries, connection refused or reset, TLS failure, redirect loop, malformed URL.
    Error,
    /// No complete answer in time.
    Timeout,
    /// A citation without a URL.
    Unlinked,
    /// Excluded, not HTTP, or a private address.
    Skipped,
}

impl CheckStatus {
    /// Every status, in the order summaries list them; also the words
    /// parsing accepts (for `--fail-on` and config files).
    pub const ALL: [CheckStatus; 8] = [
        CheckStatus::Alive,
        CheckStatus::Dead,
        CheckStatus::Soft404,
        CheckStatus::Blocked,
        CheckStatus::Error,
        CheckStatus::Timeout,
        CheckStatus::Unlinked,
        CheckStatus::Skipped,
    ];

    /// The stable word for the status (`soft-404`), as used in reports,
    /// JSON and `--fail-on`.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Alive => "alive",
            CheckStatus::Dead => "dead",
            CheckStatus::Soft404 => "soft-404",
            CheckStatus::Blocked => "blocked",
            CheckStatus::Error => "error",
            CheckStatus::Timeout => "timeout",
            CheckStatus::Unlinked => "unlinked",
            CheckStatus::Skipped => "skipped",
        }
    }
}

impl fmt::Display for CheckStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl std::str::FromStr for CheckStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CheckStatus::ALL
            .into_iter()
            .find(|st| st.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                let all: Vec<_> = CheckStatus::ALL.iter().map(|s| s.as_str()).collect();
                format!("unknown status {s:?} (expected one of: {})", all.join(", "))
            })
    }
}

/// The result of checking one URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    /// The verdict.
    pub status: CheckStatus,
    /// Why, in a sentence a person can act on.
    pub reason: String,
    /// Status code of the last response, if any.
    pub http_status: Option<u16>,
    /// Where the redirects ended, when the URL redirected.
    pub final_url: Option<String>,
    /// Every hop after the cited URL, in order.
    #[serde(default)]
    pub redirects: Vec<String>,
    /// Requests made for the URL itself (1 + retries).
    pub attempts: u32,
    /// Time from the start of the check to its verdict, retries included.
    pub elapsed_ms: u64,
    /// When the check finished; RFC 3339 UTC in JSON.
    pub checked_at: Timestamp,
    /// The `Content-Type` of the last response, as sent.
    pub content_type: Option<String>,
    /// Bytes of body received (decoded of any content-encoding).
    pub content_length: Option<u64>,
    /// The page's `<title>`, to show what a live URL now points to.
    pub title: Option<String>,
    /// SHA-256 of the body as the server sent it (content-encoding kept,
    /// so it equals the archive's digest and `sha256sum` of `show --raw`);
    /// lowercase hex in JSON.
    pub sha256: Option<Sha256Digest>,
    /// The body was longer than the cap and was cut there.
    #[serde(default)]
    pub truncated: bool,
    /// No verdict was reached for a reason outside the source: the network
    /// or DNS was unusable, a local resource ran out, the host was given
    /// up on, the run hit its deadline. Such a result never counts in the
    /// URL's history (no `alive → error` transition, no failing streak).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_checked: bool,
    /// The page citevault asked for that cannot exist on the site (the
    /// soft-404 probe), when the verdict rests on comparing with it. Its
    /// exchange is archived beside the URL's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe_url: Option<String>,
    /// What the checker said, when an override (`[[override]]` in
    /// `citevault.toml`, or a mark in the archive) replaced its verdict:
    /// `status` and `reason` above are then the override's, and this keeps
    /// the checker's, so no report hides that a person decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overridden: Option<Overridden>,
    /// The page's requisites (images, stylesheets, fonts), when
    /// `--requisites` asked for them: how many were archived and how many
    /// were left out. They never change the verdict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requisites: Option<RequisiteCount>,
}

/// What became of a page's requisites (see [`CheckResult::requisites`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequisiteCount {
    /// Fetched with a 2xx answer and handed to the archive.
    pub captured: u32,
    /// In scope but not captured: over a cap, refused (a private address,
    /// `--exclude`), or answered with an error or nothing at all.
    pub skipped: u32,
}

/// The checker's verdict that an override replaced, and which override
/// did (see [`CheckResult::overridden`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overridden {
    /// The status the checker gave.
    pub status: CheckStatus,
    /// The reason the checker gave.
    pub reason: String,
    /// Where the override comes from: the config file's name as given
    /// (`citevault.toml`), or `mark of 2026-11-23T10:00:00Z`.
    pub by: String,
}

impl CheckResult {
    /// A result with a status and a reason and nothing else known yet,
    /// checked now.
    pub fn new(status: CheckStatus, reason: impl Into<String>) -> Self {
        CheckResult {
            status,
            reason: reason.into(),
            http_status: None,
            final_url: None,
            redirects: Vec::new(),
            attempts: 0,
            elapsed_ms: 0,
            checked_at: Timestamp::now(),
            content_type: None,
            content_length: None,
            title: None,
            sha256: None,
            truncated: false,
            not_checked: false,
            probe_url: None,
            overridden: None,
            requisites: None,
        }
    }

    /// The result of a citation that has no URL.
    pub fn unlinked() -> Self {
        CheckResult::new(CheckStatus::Unlinked, "citation has no URL")
    }
}

/// One HTTP response exactly as received (body de-chunked, content-encoding
/// kept): what `check` hands the archive.
#[derive(Debug, Clone)]
pub struct Hop {
    /// The URL requested.
    pub url: String,
    /// When this response was fetched. A hop that several chains of a run
    /// reach is fetched once and keeps its own time in each of them, so
    /// the archive stores it once (its snapshot is found by URL and time).
    pub fetched_at: Timestamp,
    /// The request line and headers citevault sent for it.
    pub request_head: Vec<u8>,
    /// The response's status code.
    pub status: u16,
    /// `HTTP/1.1 200 OK` (HTTP/2 responses are written as HTTP/1.1).
    pub status_line: String,
    /// Response headers in the order received.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body as received (content-encoding kept, at most the cap).
    pub body: Vec<u8>,
    /// The body was cut at the cap.
    pub truncated: bool,
}

/// What was exchanged with the server for one checked URL (its last
/// attempt), for the archive.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// When the exchange began (its first hop's time).
    pub fetched_at: Timestamp,
    /// Every response of the redirect chain, the cited URL's first.
    pub hops: Vec<Hop>,
}

/// One checked URL: the verdict and, when kept, what was exchanged.
#[derive(Debug)]
pub struct Checked {
    /// The URL as cited.
    pub url: String,
    /// The verdict.
    pub result: CheckResult,
    /// The raw exchange, when the checker keeps exchanges and the server
    /// answered.
    pub exchange: Option<Exchange>,
    /// The soft-404 probe's exchange ([`CheckResult::probe_url`]), when the
    /// verdict rests on it and exchanges are kept.
    pub probe: Option<Exchange>,
    /// The page's requisites (images, stylesheets, fonts) that answered,
    /// when `--requisites` asked for them and exchanges are kept: each
    /// archived as its own response records, none part of the verdict.
    pub requisites: Vec<Exchange>,
}

/// Validators from an earlier snapshot, sent on re-checks
/// (`If-None-Match`, `If-Modified-Since`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conditional {
    /// The `ETag` of the earlier response.
    pub etag: Option<String>,
    /// Its `Last-Modified`.
    pub last_modified: Option<String>,
}

/// A point in time, kept as seconds since the Unix epoch (results are many;
/// a formatted string each would double their size) and written as RFC 3339
/// UTC (`2026-11-22T09:14:03Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub u64);

impl Timestamp {
    /// The current time (the epoch if the clock is before it).
    pub fn now() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Timestamp(secs)
    }

    /// The UTC day, `YYYY-MM-DD`.
    pub fn date(self) -> String {
        let mut text = self.to_string();
        text.truncate(10);
        text
    }

    /// The same instant as a [`std::time::SystemTime`], for formatting
    /// and comparing with file times.
    pub fn to_system_time(self) -> std::time::SystemTime {
        std::time::UNIX_EPOCH + std::time::Duration::from_secs(self.0)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}",
            humantime::format_rfc3339_seconds(self.to_system_time())
        )
    }
}

impl std::str::FromStr for Timestamp {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = humantime::parse_rfc3339_weak(s.trim())
            .map_err(|e| format!("invalid time {s:?}: {e}"))?;
        let secs = t
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|_| format!("time {s:?} is before 1970"))?;
        Ok(Timestamp(secs.as_secs()))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A SHA-256 digest, written as lowercase hex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sha256Digest(pub [u8; 32]);

impl fmt::Display for Sha256Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl std::str::FromStr for Sha256Digest {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let bad = || format!("invalid sha256 {s:?}: expected 64 hex digits");
        if s.len() != 64 || !s.is_ascii() {
            return Err(bad());
        }
        let mut out = [0u8; 32];
        for (i, b) in out.iter_mut().enumerate() {
            *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
        }
        Ok(Sha256Digest(out))
    }
}

impl Serialize for Sha256Digest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Sha256Digest {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_and_digests_round_trip_as_text() {
        let t: Timestamp = "2026-11-22T09:14:03Z".parse().unwrap();
        assert_eq!(t.to_string(), "2026-11-22T09:14:03Z");
        assert_eq!(t.date(), "2026-11-22");
        assert_eq!(Timestamp(0).date(), "1970-01-01");
        assert_eq!(Timestamp(951_782_400).date(), "2000-02-29");
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(serde_json::from_str::<Timestamp>(&json).unwrap(), t);
        let hex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        let d: Sha256Digest = hex.parse().unwrap();
        assert_eq!(d.to_string(), hex);
        assert!("xyz".parse::<Sha256Digest>().is_err());
    }
}
