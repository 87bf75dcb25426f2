//! Stage 2: citations → check results.
//!
//! Every unique URL is fetched once, with GET (the archive needs the body,
//! and many sites refuse HEAD), following redirects ourselves so the chain is
//! recorded. Requests are polite per host (see `check::host`) and fast across
//! hosts: each host has its own queue, so one slow host never stalls others.

mod classify;
pub(crate) mod guard;
mod host;
pub(crate) mod page;
mod phrases;
mod probe;
mod requisites;
mod shared;
mod verdict;

use guard::{is_public, Dns, GuardedResolver};
pub use guard::{Lookup, LookupError, NameLookup, SystemLookup, DEFAULT_CANARIES};
pub use host::HostPolicy;
pub(crate) use page::read_page;
pub use phrases::{Phrase, Says, PHRASES};
pub use requisites::{DEFAULT_CDN_HOSTS, DEFAULT_MAX_REQUISITES, DEFAULT_MAX_REQUISITE_BYTES};

use crate::model::{
    CheckResult, CheckStatus, Checked, Conditional, Exchange, Hop, Sha256Digest, Timestamp,
};
use futures_util::stream::{self, Stream, StreamExt};
use host::HostGate;
use regex::Regex;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::sync::{mpsc, Semaphore};
use tokio::time::Instant;
use url::Url;

/// How checking behaves. Defaults are polite to one site and fast across many.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Whole request, per attempt (connect, headers and body).
    pub timeout: Duration,
    /// Requests in flight across all hosts.
    pub max_concurrency: usize,
    /// Requests in flight to one host.
    pub host_concurrency: usize,
    /// Minimum gap between request starts to one host.
    pub host_interval: Duration,
    /// Retries after the first attempt, on 5xx, 429, resets and timeouts.
    pub max_retries: u32,
    /// First backoff; doubles each retry, with jitter.
    pub retry_base: Duration,
    /// Longest `Retry-After` honoured; longer requests end the retries.
    pub max_retry_after: Duration,
    /// Sent with every request; some sites refuse unknown clients, so the
    /// default looks like a browser (see [`DEFAULT_USER_AGENT`]).
    pub user_agent: String,
    /// Proxy for every request; else HTTP(S)_PROXY / NO_PROXY apply.
    pub proxy: Option<String>,
    /// URLs matching any of these are `skipped`.
    pub exclude: Vec<Regex>,
    /// Check private, loopback and link-local addresses too.
    pub allow_private: bool,
    /// Bodies are cut at this many bytes (and flagged `truncated`).
    pub max_body: u64,
    /// Redirects followed before the URL is an `error` (a loop is caught
    /// sooner).
    pub max_redirects: usize,
    /// Give up on a host after this many timeouts / unreachable results in a row.
    pub give_up_after: u32,
    /// Keep the raw request/response exchange of each URL (for the archive).
    pub keep_exchanges: bool,
    /// Per-host policies: a host name applies to itself and its subdomains.
    pub hosts: Vec<(String, HostPolicy)>,
    /// The whole run's deadline, from when the checker is built: once it
    /// is reached no request starts and waits are cut, so a report is
    /// always written in time (`None`: no deadline).
    pub max_runtime: Option<Duration>,
    /// How host names are resolved (the system resolver by default).
    pub lookup: Arc<dyn NameLookup>,
    /// Names that resolve whenever DNS works, asked before a "no such
    /// host" answer is believed.
    pub dns_canaries: Vec<String>,
    /// A `dead` or `soft-404` verdict is confirmed by fetching the URL
    /// again at least this long after the first verdict, once the rest of
    /// its host's URLs are done (`None`: no confirmation). A site that
    /// stumbles for a moment is not reported.
    pub confirm_after: Option<Duration>,
    /// Also archive the images, stylesheets and fonts of each alive cited
    /// page (`--requisites`; see the `requisites` module). Needs
    /// [`CheckOptions::keep_exchanges`]: without an archive there is
    /// nowhere to keep them, so nothing is fetched.
    pub requisites: bool,
    /// Hosts requisites may come from besides the page's own site and
    /// [`DEFAULT_CDN_HOSTS`] (a name covers its subdomains).
    pub requisite_hosts: Vec<String>,
    /// Requisite requests per page.
    pub max_requisites: usize,
    /// Bytes of requisites per page (as received).
    pub max_requisite_bytes: u64,
}

/// The browser-like user agent, naming citevault so site owners can tell.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 citevault/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/citevault/citevault)"
);

impl CheckOptions {
    /// The policy for a host: the most specific configured host name that
    /// is the host or a parent domain of it.
    pub fn policy_for(&self, host: &str) -> Option<&HostPolicy> {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.hosts
            .iter()
            .filter(|(name, _)| {
                let name = name.trim_start_matches('.').to_ascii_lowercase();
                host == name || host.ends_with(&format!(".{name}"))
            })
            .max_by_key(|(name, _)| name.len())
            .map(|(_, p)| p)
    }
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            timeout: Duration::from_secs(20),
            max_concurrency: 64,
            host_concurrency: 2,
            host_interval: Duration::from_millis(500),
            max_retries: 3,
            retry_base: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(120),
            user_agent: DEFAULT_USER_AGENT.to_string(),
            proxy: None,
            exclude: Vec::new(),
            allow_private: false,
            max_body: 20 * 1024 * 1024,
            max_redirects: 10,
            give_up_after: 3,
            keep_exchanges: false,
            hosts: Vec::new(),
            max_runtime: Some(Duration::from_secs(5 * 3600)),
            lookup: Arc::new(SystemLookup),
            dns_canaries: DEFAULT_CANARIES.iter().map(|c| c.to_string()).collect(),
            confirm_after: Some(Duration::from_secs(3)),
            requisites: false,
            requisite_hosts: Vec::new(),
            max_requisites: DEFAULT_MAX_REQUISITES,
            max_requisite_bytes: DEFAULT_MAX_REQUISITE_BYTES,
        }
    }
}

/// Why a checker could not be built.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// [`CheckOptions::proxy`] is not a usable proxy URL.
    #[error("invalid proxy {proxy}: {message}")]
    Proxy {
        /// The proxy as configured.
        proxy: String,
        /// Why it was refused.
        message: String,
    },
    /// The HTTP client could not be set up; the message is the HTTP
    /// library's.
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

/// Checks URLs. Cheap to clone; clones share the connection pool and the
/// global concurrency limit.
#[derive(Clone)]
pub struct Checker {
    client: reqwest::Client,
    opts: Arc<CheckOptions>,
    global: Arc<Semaphore>,
    /// Soft-404 probes per host: (directory, probe) pairs, shared by that
    /// host's URLs.
    probes: Arc<std::sync::Mutex<ProbeCache>>,
    /// Vets targets that a proxy would resolve itself.
    resolver: GuardedResolver,
    /// Requests go through a proxy (`--proxy` or the environment).
    proxied: bool,
    /// No request starts after this.
    deadline: Option<Instant>,
    /// Why checking could not reach verdicts (network down, local resources).
    environment: Arc<std::sync::Mutex<Option<String>>>,
    /// What the run fetched, so a URL is fetched once however it is
    /// reached (see [`shared`]).
    shared: Arc<shared::Fetches>,
    /// The politeness gate of each host the run has met, shared by its
    /// cited URLs and the requisites of every page.
    gates: Arc<std::sync::Mutex<HashMap<String, Arc<HostGate>>>>,
    /// Hosts that did not answer a requisite.
    requisite_state: Arc<requisites::RunState>,
}

/// The exchanges kept of one URL: its own and the probe's its verdict
/// rests on.
type Kept = (Exchange, Option<Exchange>);

type ProbeCell = Arc<tokio::sync::OnceCell<Option<Arc<probe::ProbeOutcome>>>>;
/// Host key → ((shape, key of the URLs sharing it), probe) pairs.
type ProbeCache = HashMap<String, Vec<((probe::Shape, String), ProbeCell)>>;

/// How a redirect chain is fetched.
#[derive(Clone, Copy, Default)]
struct Chain<'a> {
    /// Validators, sent with the first hop.
    cond: Option<&'a Conditional>,
    /// Use the run's responses and add to them. Not for a confirmation or
    /// a probe: those ask the server again on purpose.
    shared: bool,
    /// The caller already waited for the first hop's turn at the gate.
    turn_taken: bool,
    /// Where redirects may lead (requisites stay in scope); `None`: anywhere.
    allow: Option<&'a (dyn Fn(&Url) -> bool + Sync)>,
}

/// One response, after redirects.
pub(crate) struct Fetched {
    pub status: u16,
    pub final_url: Url,
    pub redirects: Vec<String>,
    pub content_type: Option<String>,
    pub retry_after: Option<Duration>,
    /// Where a `Refresh: 0; url=…` header sends the reader, as written.
    pub refresh: Option<String>,
    /// The final body, content-encoding decoded (what pages are read from).
    pub body: Vec<u8>,
    /// SHA-256 of the final body as the server sent it (content-encoding
    /// kept): the digest the archive and `show --raw` have too.
    pub sent_sha256: Sha256Digest,
    pub truncated: bool,
    /// Every response of the chain as received, redirects first.
    pub hops: Vec<Hop>,
}

#[cfg(test)]
impl Fetched {
    /// A 200 at `url` with no redirects and an empty body.
    pub(crate) fn for_test(url: Url) -> Fetched {
        Fetched {
            status: 200,
            final_url: url,
            redirects: Vec::new(),
            content_type: Some("text/html".into()),
            retry_after: None,
            refresh: None,
            body: Vec::new(),
            sent_sha256: Sha256Digest([0; 32]),
            truncated: false,
            hops: Vec::new(),
        }
    }
}

/// Why a fetch produced no response.
pub(crate) enum FetchFailure {
    Timeout,
    /// Connection refused or impossible: the host gave no answer.
    Unreachable(String),
    /// Status, reason, and whether a retry may help.
    Failed(CheckStatus, String, bool),
    /// Not the source's fault: the network, DNS or a local resource is
    /// unusable. No verdict, and the run reports it.
    Environment(String),
}

/// A URL as it may be shown: any password replaced.
fn without_password(raw: &str) -> String {
    match Url::parse(raw) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("****"));
            u.to_string()
        }
        Ok(u) => u.to_string(),
        Err(_) => "(unparsable proxy URL)".to_string(),
    }
}

/// Idle connections kept per host. Each is an open file: with thousands of
/// hosts under a low open-files limit, keeping none is what lets every URL
/// be checked (a URL of a host just checked pays a new connection).
fn idle_per_host() -> usize {
    #[cfg(unix)]
    if let Ok((soft, _)) = rlimit::getrlimit(rlimit::Resource::NOFILE) {
        if soft < 16_384 {
            return 0;
        }
    }
    1
}

/// The proxy environment variables reqwest honours.
const PROXY_VARIABLES: [&str; 6] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
];

impl Checker {
    /// Builds the HTTP client and the concurrency limits from `opts`. Fails
    /// only on a bad proxy or client setup, before any request is made.
    pub fn new(opts: CheckOptions) -> Result<Checker, CheckError> {
        let env_proxies: Vec<String> = PROXY_VARIABLES
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .filter(|v| !v.trim().is_empty())
            .collect();
        // The proxy's own host is the operator's choice: never refused.
        let exempt = opts
            .proxy
            .iter()
            .chain(&env_proxies)
            .filter_map(|p| {
                let p = if p.contains("://") {
                    p.clone()
                } else {
                    format!("http://{p}")
                };
                Url::parse(&p).ok()?.host_str().map(str::to_string)
            })
            .collect();
        let resolver = GuardedResolver {
            dns: Arc::new(Dns::new(opts.lookup.clone(), opts.dns_canaries.clone())),
            allow_private: opts.allow_private,
            exempt,
        };
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(opts.user_agent.clone())
            .connect_timeout(opts.timeout)
            .dns_resolver(Arc::new(resolver.clone()))
            // Thousands of hosts must not hold thousands of idle sockets.
            .pool_max_idle_per_host(idle_per_host())
            .pool_idle_timeout(Duration::from_secs(5));
        if let Some(p) = &opts.proxy {
            let proxy = reqwest::Proxy::all(p).map_err(|e| CheckError::Proxy {
                proxy: without_password(p),
                message: e.to_string(),
            })?;
            builder = builder.proxy(proxy);
        }
        let client = builder
            .build()
            .map_err(|e| CheckError::Client(e.to_string()))?;
        Ok(Checker {
            client,
            global: Arc::new(Semaphore::new(opts.max_concurrency.max(1))),
            proxied: opts.proxy.is_some() || !env_proxies.is_empty(),
            // A deadline too far to represent is no deadline.
            deadline: opts.max_runtime.and_then(|d| Instant::now().checked_add(d)),
            opts: Arc::new(opts),
            probes: Arc::default(),
            resolver,
            environment: Arc::default(),
            shared: Arc::new(shared::Fetches::new(shared::DEFAULT_SHARED_BYTES)),
            gates: Arc::default(),
            requisite_state: Arc::default(),
        })
    }

    /// The options this checker applies (shared by its clones).
    pub fn options(&self) -> &CheckOptions {
        &self.opts
    }

    /// Checks each URL once, in parallel across hosts and politely per host,
    /// yielding results as they finish (not in input order). Duplicate URLs
    /// are checked once and yielded once.
    pub fn check_all(
        &self,
        urls: Vec<String>,
    ) -> impl Stream<Item = (String, CheckResult)> + use<> {
        self.check_urls(urls, Arc::default())
            .map(|c| (c.url, c.result))
    }

    /// Like [`Checker::check_all`], with validators from earlier snapshots
    /// (sent as `If-None-Match` / `If-Modified-Since`) and, when
    /// [`CheckOptions::keep_exchanges`] is set, the raw exchanges.
    pub fn check_urls(
        &self,
        urls: Vec<String>,
        conditionals: Arc<HashMap<String, Conditional>>,
    ) -> impl Stream<Item = Checked> + use<> {
        // Raw bodies travel with results when archiving: keep fewer queued.
        let bound = if self.opts.keep_exchanges { 16 } else { 256 };
        let (tx, rx) = mpsc::channel(bound);
        let mut seen = HashSet::new();
        let mut by_host: Vec<(String, Vec<String>)> = Vec::new();
        let mut host_index: HashMap<String, usize> = HashMap::new();
        for u in urls {
            if !seen.insert(u.clone()) {
                continue;
            }
            let key = host_key(&u);
            let idx = *host_index.entry(key.clone()).or_insert_with(|| {
                by_host.push((key, Vec::new()));
                by_host.len() - 1
            });
            by_host[idx].1.push(u);
        }
        for (_, host_urls) in by_host {
            let checker = self.clone();
            let tx = tx.clone();
            let conditionals = conditionals.clone();
            tokio::spawn(async move {
                let gate = checker.shared_gate(&host_urls[0]);
                let concurrency = checker.concurrency_for(&host_urls[0]);
                let mut results = stream::iter(host_urls)
                    .map(|url| {
                        let checker = checker.clone();
                        let gate = gate.clone();
                        let conditionals = conditionals.clone();
                        async move {
                            let cond = conditionals.get(&url);
                            let chain = Chain {
                                cond,
                                shared: true,
                                ..Chain::default()
                            };
                            let mut checked = checker.check_with_gate(&url, &gate, chain).await;
                            // Within the host's concurrency, beside its
                            // next URLs (all of them kept moving).
                            checker.with_requisites(&mut checked).await;
                            checked
                        }
                    })
                    .buffer_unordered(concurrency);
                // Alarms wait for their confirmation until the host's other
                // URLs are done: the second fetch comes later, not at once.
                let mut alarms = Vec::new();
                while let Some(res) = results.next().await {
                    if checker.needs_confirmation(&res.result) {
                        alarms.push((res, Instant::now()));
                    } else if tx.send(res).await.is_err() {
                        return;
                    }
                }
                drop(results);
                for (first, at) in alarms {
                    let mut confirmed = checker.confirm(first, at, &gate).await;
                    checker.with_requisites(&mut confirmed).await;
                    if tx.send(confirmed).await.is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|r| (r, rx)) })
    }

    /// Checks one URL on its own (no other URL shares its host's limits).
    pub async fn check(&self, url: &str) -> CheckResult {
        self.check_one(url, None).await.result
    }

    /// Checks one URL on its own, with validators, returning the exchange too.
    pub async fn check_one(&self, url: &str, cond: Option<&Conditional>) -> Checked {
        let gate = self.gate_for(url);
        let chain = Chain {
            cond,
            shared: true,
            ..Chain::default()
        };
        let mut first = self.check_with_gate(url, &gate, chain).await;
        if self.needs_confirmation(&first.result) {
            first = self.confirm(first, Instant::now(), &gate).await;
        }
        self.with_requisites(&mut first).await;
        first
    }

    /// Whether `r` is an alarm a second fetch must confirm.
    fn needs_confirmation(&self, r: &CheckResult) -> bool {
        self.opts.confirm_after.is_some()
            && !r.not_checked
            && matches!(r.status, CheckStatus::Dead | CheckStatus::Soft404)
    }

    /// Fetches an alarm's URL again, [`CheckOptions::confirm_after`] after
    /// the first verdict (`at`). A second gone verdict confirms; a page
    /// that answers now is what it answers now; no answer leaves the first
    /// verdict standing, marked unconfirmed.
    async fn confirm(&self, first: Checked, at: Instant, gate: &HostGate) -> Checked {
        let wait = self.opts.confirm_after.unwrap_or_default();
        let ready = self
            .before_deadline(tokio::time::sleep_until(at + wait))
            .await;
        let unconfirmed = |mut first: Checked, why: &str| {
            first.result.reason = format!("{} (not confirmed: {why})", first.result.reason);
            first
        };
        if ready.is_none() {
            return unconfirmed(first, "the run reached its deadline");
        }
        // Asked again on purpose: never the response the run already has.
        let fresh = Chain::default();
        let mut second = self.check_with_gate(&first.url, gate, fresh).await;
        second.result.attempts += first.result.attempts;
        let r = &mut second.result;
        match r.status {
            CheckStatus::Dead | CheckStatus::Soft404 if !r.not_checked => {
                r.reason = format!("{} (confirmed by a second fetch)", r.reason);
                second
            }
            CheckStatus::Alive | CheckStatus::Blocked if !r.not_checked => {
                r.reason = format!(
                    "{} (a first fetch said {}: {})",
                    r.reason, first.result.status, first.result.reason
                );
                second
            }
            _ => {
                let why = format!("the second fetch got {}: {}", r.status, r.reason);
                unconfirmed(first, &why)
            }
        }
    }

    fn policy_for_url(&self, url: &str) -> Option<&HostPolicy> {
        let host = Url::parse(url).ok()?.host_str()?.to_string();
        self.opts.policy_for(&host)
    }

    fn concurrency_for(&self, url: &str) -> usize {
        self.policy_for_url(url)
            .and_then(|p| p.concurrency)
            .unwrap_or(self.opts.host_concurrency)
            .max(1)
    }

    /// The run's gate for a URL's host (made on first use): cited URLs
    /// and requisites of that host wait at the same one.
    fn shared_gate(&self, url: &str) -> Arc<HostGate> {
        let mut gates = self.gates.lock().unwrap_or_else(|e| e.into_inner());
        gates
            .entry(host_key(url))
            .or_insert_with(|| Arc::new(self.gate_for(url)))
            .clone()
    }

    /// The politeness gate for a URL's host, with its host policy applied.
    fn gate_for(&self, url: &str) -> HostGate {
        let interval = self
            .policy_for_url(url)
            .and_then(|p| p.interval)
            .unwrap_or(self.opts.host_interval);
        HostGate::new(self.concurrency_for(url), interval, self.opts.give_up_after)
    }

    /// Why checking could not reach verdicts in this run, if it could not
    /// (network or DNS unusable, a local resource exhausted). Results
    /// concerned are `not_checked`.
    pub fn environment_problem(&self) -> Option<String> {
        self.environment
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Time left before the run's deadline (`None`: no deadline).
    fn time_left(&self) -> Option<Duration> {
        self.deadline
            .map(|d| d.saturating_duration_since(Instant::now()))
    }

    /// Runs `f` unless the deadline comes first.
    async fn before_deadline<F: std::future::Future>(&self, f: F) -> Option<F::Output> {
        match self.deadline {
            Some(d) => tokio::time::timeout_at(d, f).await.ok(),
            None => Some(f.await),
        }
    }

    fn not_checked(&self, status: CheckStatus, reason: String, attempts: u32) -> CheckResult {
        let mut r = empty_result(status, reason, attempts);
        r.not_checked = true;
        r
    }

    fn deadline_result(&self, attempts: u32) -> CheckResult {
        let limit = self
            .opts
            .max_runtime
            .map_or_else(String::new, |d| humantime::format_duration(d).to_string());
        self.not_checked(
            CheckStatus::Timeout,
            format!("not checked: the run reached its --max-runtime of {limit}"),
            attempts,
        )
    }

    /// Checks one URL through its host's gate, and tells the gate whether
    /// the host answered: a host is given up on only after distinct URLs
    /// in a row got no answer at all (timeouts, refused connections).
    async fn check_with_gate(&self, raw: &str, gate: &HostGate, chain: Chain<'_>) -> Checked {
        let (checked, answer) = self.attempts(raw, gate, chain).await;
        if let Some(answered) = answer {
            gate.record(answered);
        }
        checked
    }

    /// The attempts at one URL: its result, the exchange, and whether the
    /// host answered (`None` when no request was made or the failure was
    /// not the host's).
    async fn attempts(
        &self,
        raw: &str,
        gate: &HostGate,
        chain: Chain<'_>,
    ) -> (Checked, Option<bool>) {
        let (result, kept, answered) = self.attempt_loop(raw, gate, chain).await;
        let (exchange, probe) = match kept {
            Some((e, p)) => (Some(e), p),
            None => (None, None),
        };
        let checked = Checked {
            url: raw.to_string(),
            result,
            exchange,
            probe,
            requisites: Vec::new(),
        };
        (checked, answered)
    }

    /// [`Checker::attempts`]: the result, the exchanges kept (the URL's and
    /// the probe's its verdict rests on) and whether the host answered.
    async fn attempt_loop(
        &self,
        raw: &str,
        gate: &HostGate,
        chain: Chain<'_>,
    ) -> (CheckResult, Option<Kept>, Option<bool>) {
        let started = Instant::now();
        let done = |status, reason: String, attempts| {
            let mut r = empty_result(status, reason, attempts);
            r.elapsed_ms = millis(started.elapsed());
            r
        };
        let keep = self.opts.keep_exchanges;
        if self.opts.exclude.iter().any(|re| re.is_match(raw)) {
            let r = done(CheckStatus::Skipped, "excluded by --exclude".into(), 0);
            return (r, None, None);
        }
        let mut url = match Url::parse(raw) {
            Ok(u) => u,
            Err(e) => {
                let r = done(CheckStatus::Error, format!("malformed URL: {e}"), 0);
                return (r, None, None);
            }
        };
        // Credentials in a cited URL are never sent (nor stored).
        let _ = url.set_username("");
        let _ = url.set_password(None);
        if !matches!(url.scheme(), "http" | "https") {
            let reason = format!("not an HTTP URL ({} is not checked)", url.scheme());
            return (done(CheckStatus::Skipped, reason, 0), None, None);
        }
        if let Some(reason) = self.private_literal(&url) {
            return (done(CheckStatus::Skipped, reason, 0), None, None);
        }

        let policy = self.opts.policy_for(url.host_str().unwrap_or(""));
        let timeout = policy
            .and_then(|p| p.timeout)
            .map_or(self.opts.timeout, |s| Duration::from_secs(s.max(1)));
        let Some(_in_flight) = self.before_deadline(gate.in_flight.acquire()).await else {
            return (self.deadline_result(0), None, None);
        };
        let mut attempts = 0;
        let mut local_retries = 0u32;
        loop {
            // Set when the server said when to come back (the host gate waits).
            let mut paused = false;
            if gate.given_up() {
                let reason = format!(
                    "not checked: {} gave no answer to {} URLs in a row, so the rest of its URLs were given up on",
                    url.host_str().unwrap_or("the host"),
                    self.opts.give_up_after
                );
                let r = self.not_checked(CheckStatus::Timeout, reason, attempts);
                return (r, None, None);
            }
            // A response the run already has needs no turn at the gate.
            let at_hand = chain.shared && self.shared.has(url.as_str());
            if !at_hand && self.before_deadline(gate.wait_turn()).await.is_none() {
                return (self.deadline_result(attempts), None, None);
            }
            let chain = Chain {
                turn_taken: !at_hand,
                ..chain
            };
            attempts += 1;
            let timeout = self.time_left().map_or(timeout, |left| timeout.min(left));
            let outcome = {
                let Some(_permit) = self.before_deadline(self.global.acquire()).await else {
                    return (self.deadline_result(attempts), None, None);
                };
                tokio::time::timeout(timeout, self.fetch(&url, gate, chain)).await
            };
            let last_try = attempts > self.opts.max_retries;
            let mut exchange = None;
            let (result, retry, answered) = match outcome {
                Err(_) | Ok(Err(FetchFailure::Timeout)) => {
                    let reason = format!(
                        "no complete answer within {}",
                        humantime::format_duration(timeout)
                    );
                    (done(CheckStatus::Timeout, reason, attempts), true, false)
                }
                Ok(Err(FetchFailure::Unreachable(reason))) => {
                    (done(CheckStatus::Error, reason, attempts), true, false)
                }
                Ok(Err(FetchFailure::Environment(reason)))
                    if reason.starts_with("local resource") && local_retries < 5 =>
                {
                    // Sockets free up as other requests end: wait, and do
                    // not count this against the host or the URL.
                    local_retries += 1;
                    attempts -= 1;
                    let wait = Duration::from_millis(250 << local_retries.min(4));
                    if self
                        .before_deadline(tokio::time::sleep(wait))
                        .await
                        .is_none()
                    {
                        return (self.deadline_result(attempts), None, None);
                    }
                    continue;
                }
                Ok(Err(FetchFailure::Environment(reason))) => {
                    self.environment
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .get_or_insert_with(|| reason.clone());
                    let r = self.not_checked(CheckStatus::Error, reason, attempts);
                    return (r, None, None);
                }
                Ok(Err(FetchFailure::Failed(status, reason, retryable))) => {
                    (done(status, reason, attempts), retryable, true)
                }
                Ok(Ok(mut fetched)) => {
                    let mut retry = matches!(fetched.status, 429 | 500 | 502 | 503 | 504);
                    if let (Some(wait), true) = (fetched.retry_after, retry) {
                        let too_long = wait > self.opts.max_retry_after
                            || self.time_left().is_some_and(|left| wait >= left);
                        if too_long {
                            // Asked to come back much later: that is the answer.
                            retry = false;
                        } else if !last_try {
                            // Slows the whole host, not just this URL.
                            gate.pause_until(Instant::now() + wait);
                            paused = true;
                        }
                    }
                    let own = keep.then(|| exchange_of(&mut fetched));
                    let (mut r, page) = self.finish(&url, fetched, attempts);
                    let probe = match page {
                        Some(page) => self.weigh(&url, &mut r, page, gate).await,
                        None => None,
                    };
                    exchange = own.map(|own| (own, probe));
                    if let (Some(code), Some(p)) = (r.http_status, policy) {
                        if p.accept.contains(&code) && r.status != CheckStatus::Alive {
                            r.status = CheckStatus::Alive;
                            r.reason = format!(
                                "{code} accepted for this host by configuration ({})",
                                r.reason
                            );
                        }
                    }
                    r.elapsed_ms = millis(started.elapsed());
                    (r, retry, true)
                }
            };
            let past_deadline = self.time_left().is_some_and(|left| left.is_zero());
            if !retry || last_try || past_deadline || (!answered && gate.given_up()) {
                return (result, exchange, Some(answered));
            }
            if !paused {
                let wait = backoff(self.opts.retry_base, attempts);
                if self
                    .before_deadline(tokio::time::sleep(wait))
                    .await
                    .is_none()
                {
                    return (result, exchange, Some(answered));
                }
            }
        }
    }

    fn private_literal(&self, url: &Url) -> Option<String> {
        if self.opts.allow_private {
            return None;
        }
        let ip = match url.host()? {
            url::Host::Ipv4(ip) => std::net::IpAddr::V4(ip),
            url::Host::Ipv6(ip) => std::net::IpAddr::V6(ip),
            url::Host::Domain(d)
                if d.eq_ignore_ascii_case("localhost") || d.ends_with(".localhost") =>
            {
                return Some(format!(
                    "{d} is a local address; use --allow-private to check it"
                ));
            }
            url::Host::Domain(_) => return None,
        };
        (!is_public(ip))
            .then(|| format!("{ip} is a private address; use --allow-private to check it"))
    }

    /// A proxy resolves names itself, where the resolver guard never sees
    /// them: so with a proxy, the target is resolved and vetted here first
    /// (a name that cannot be resolved here is not sent either).
    async fn vet_for_proxy(&self, url: &Url) -> Result<(), FetchFailure> {
        if !self.proxied || self.opts.allow_private {
            return Ok(());
        }
        let Some(url::Host::Domain(host)) = url.host() else {
            return Ok(()); // literal addresses are vetted before any request
        };
        self.resolver
            .vetted_strictly(host)
            .await
            .map_err(|e| classify::dns_failure(&e))
    }

    /// GET with redirects followed by hand, body read up to the cap. Every
    /// response is kept as received (content-encoding too); the final body
    /// is also decoded for reading. With [`Chain::shared`], a hop the run
    /// has already fetched (or is fetching) is taken from there, and so is
    /// the rest of its chain, hop by hop.
    async fn fetch(
        &self,
        start: &Url,
        gate: &HostGate,
        chain: Chain<'_>,
    ) -> Result<Fetched, FetchFailure> {
        let mut current = start.clone();
        let mut redirects = Vec::new();
        let mut hops = Vec::new();
        let mut seen = HashSet::from([start.to_string()]);
        let start_host = host_key(start.as_str());
        loop {
            let first = hops.is_empty();
            let wait = !(first && chain.turn_taken) && host_key(current.as_str()) == start_host;
            let cond = chain.cond.filter(|_| first);
            let hop = self.hop(&current, gate, cond, chain.shared, wait).await?;
            hops.push(if self.opts.keep_exchanges {
                Hop::clone(&hop)
            } else {
                Hop {
                    body: Vec::new(),
                    ..Hop::clone(&hop)
                }
            });
            if let Some(next) = redirect_target(&hop, &current)? {
                self.follow(&next, start, &mut redirects, &mut seen, chain)?;
                current = next;
                continue;
            }
            return Ok(self.fetched(hop, current, redirects, hops));
        }
    }

    /// Checks a redirect's target before it is followed: HTTP only, no
    /// loop, not too many, not private, and in the chain's scope.
    fn follow(
        &self,
        next: &Url,
        start: &Url,
        redirects: &mut Vec<String>,
        seen: &mut HashSet<String>,
        chain: Chain<'_>,
    ) -> Result<(), FetchFailure> {
        let refuse = |status, reason| Err(FetchFailure::Failed(status, reason, false));
        if !matches!(next.scheme(), "http" | "https") {
            let reason = format!(
                "redirects to {next}: not an HTTP URL ({} is not checked)",
                next.scheme()
            );
            return refuse(CheckStatus::Skipped, reason);
        }
        if !seen.insert(next.to_string()) {
            redirects.push(next.to_string());
            let reason = format!("redirect loop: {} → {}", start, redirects.join(" → "));
            return refuse(CheckStatus::Error, reason);
        }
        if redirects.len() >= self.opts.max_redirects {
            let reason = format!("more than {} redirects", self.opts.max_redirects);
            return refuse(CheckStatus::Error, reason);
        }
        if let Some(reason) = self.private_literal(next) {
            return refuse(
                CheckStatus::Skipped,
                format!("redirects to {next}: {reason}"),
            );
        }
        if chain.allow.is_some_and(|allow| !allow(next)) {
            return refuse(
                CheckStatus::Skipped,
                format!("redirects out of scope: {next}"),
            );
        }
        redirects.push(next.to_string());
        Ok(())
    }

    /// The final response of a chain, its body decoded for reading.
    fn fetched(&self, hop: Arc<Hop>, at: Url, redirects: Vec<String>, hops: Vec<Hop>) -> Fetched {
        let header = |name: &str| header_text(&hop, name);
        let content_type = header("content-type");
        let content_encoding = header("content-encoding");
        let retry_after = header("retry-after").as_deref().and_then(parse_retry_after);
        let refresh = header("refresh").as_deref().and_then(page::refresh_target);
        let (status, truncated) = (hop.status, hop.truncated);
        let raw = Arc::try_unwrap(hop).map_or_else(|shared| shared.body.clone(), |own| own.body);
        let sent_sha256 = Sha256Digest(Sha256::digest(&raw).into());
        let body = decode_content(raw, content_encoding.as_deref(), self.opts.max_body);
        Fetched {
            sent_sha256,
            status,
            final_url: at,
            redirects,
            content_type,
            retry_after,
            refresh,
            body,
            truncated,
            hops,
        }
    }

    /// One response for `url`: the run's, when shared and it has one (or
    /// is fetching it: then it is waited for), else the server's. `wait`:
    /// a request takes its turn at the gate first.
    async fn hop(
        &self,
        url: &Url,
        gate: &HostGate,
        cond: Option<&Conditional>,
        shared: bool,
        wait: bool,
    ) -> Result<Arc<Hop>, FetchFailure> {
        let request = |cond| async move {
            if wait {
                gate.wait_turn().await;
            }
            self.request(url, cond).await
        };
        if !shared {
            return request(cond).await.map(Arc::new);
        }
        let Some(c) = cond else {
            return self
                .fill(url, self.shared.cell(url.as_str()), request(None))
                .await;
        };
        // A conditional re-check takes a full answer the run already has
        // (or is getting); otherwise it asks, and its full answer (not a
        // 304, which only it can use) is kept for the chains that come.
        if let Some(cell) = self.shared.existing(url.as_str()) {
            return self.fill(url, cell, request(None)).await;
        }
        let hop = Arc::new(request(Some(c)).await?);
        if hop.status != 304 && shareable(&hop) {
            self.shared.offer(hop.clone());
        }
        Ok(hop)
    }

    /// The response in `cell`, fetched with `fetch` when it is empty. An
    /// answer that must not be shared (see [`shared`]) or a failure is
    /// returned to this asker alone, and the cell stays empty.
    async fn fill(
        &self,
        url: &Url,
        cell: shared::Cell,
        fetch: impl std::future::Future<Output = Result<Hop, FetchFailure>>,
    ) -> Result<Arc<Hop>, FetchFailure> {
        enum Unshared {
            Hop(Arc<Hop>),
            Failed(FetchFailure),
        }
        let got = cell
            .get_or_try_init(|| async {
                let hop = Arc::new(fetch.await.map_err(Unshared::Failed)?);
                if shareable(&hop) && self.shared.keeps(&hop) {
                    Ok(hop)
                } else {
                    Err(Unshared::Hop(hop))
                }
            })
            .await;
        match got {
            Ok(hop) => {
                self.shared.filled(url.as_str());
                Ok(hop.clone())
            }
            Err(Unshared::Hop(hop)) => Ok(hop),
            Err(Unshared::Failed(f)) => Err(f),
        }
    }

    /// One GET, its body read up to the cap and kept as received.
    async fn request(&self, url: &Url, cond: Option<&Conditional>) -> Result<Hop, FetchFailure> {
        let mut extra: Vec<(&str, String)> = vec![("Accept-Encoding", ACCEPT_ENCODING.into())];
        if let Some(c) = cond {
            extra.extend(c.etag.clone().map(|v| ("If-None-Match", v)));
            extra.extend(c.last_modified.clone().map(|v| ("If-Modified-Since", v)));
        }
        let policy = self.opts.policy_for(url.host_str().unwrap_or(""));
        let user_agent = policy
            .and_then(|p| p.user_agent.clone())
            .unwrap_or_else(|| self.opts.user_agent.clone());
        if let Some(p) = policy {
            extra.extend(p.headers.iter().map(|(k, v)| (k.as_str(), v.clone())));
        }
        let mut req = self
            .client
            .get(url.clone())
            .header(reqwest::header::USER_AGENT, user_agent.as_str());
        for (k, v) in &extra {
            req = req.header(*k, v.as_str());
        }
        let request_head = request_head(url, &user_agent, &extra);
        self.vet_for_proxy(url).await?;
        let fetched_at = Timestamp::now();
        let mut resp = req.send().await.map_err(|e| classify::request_error(&e))?;
        let status = resp.status().as_u16();
        let status_line = format!(
            "HTTP/1.1 {} {}",
            status,
            resp.status().canonical_reason().unwrap_or("")
        );
        let headers: Vec<(String, Vec<u8>)> = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.as_bytes().to_vec()))
            .collect();
        let (body, truncated) = self.read_body(&mut resp).await?;
        Ok(Hop {
            url: url.to_string(),
            fetched_at,
            request_head,
            status,
            status_line,
            headers,
            body,
            truncated,
        })
    }

    /// The body as received (de-chunked), up to the cap.
    async fn read_body(
        &self,
        resp: &mut reqwest::Response,
    ) -> Result<(Vec<u8>, bool), FetchFailure> {
        let cap = usize::try_from(self.opts.max_body).unwrap_or(usize::MAX);
        let expected = resp.content_length().unwrap_or(0).min(self.opts.max_body);
        let mut body = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
        while let Some(chunk) = resp.chunk().await.map_err(|e| classify::body_error(&e))? {
            let room = cap.saturating_sub(body.len());
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                return Ok((body, true));
            }
            body.extend_from_slice(&chunk);
        }
        // A body read in chunks grew by doubling; the run may keep it for
        // reuse (see `shared`), so it keeps only what it holds.
        body.shrink_to_fit();
        Ok((body, false))
    }

    /// Gives a 2xx page its verdict (see [`verdict`]): the page's own
    /// evidence, then, unless that settles it, the probes'. Returns the
    /// probe exchange the verdict rests on, when kept.
    async fn weigh(
        &self,
        url: &Url,
        r: &mut CheckResult,
        page: Weighing,
        gate: &HostGate,
    ) -> Option<Exchange> {
        let Weighing {
            mut evidence,
            likeness,
            moved_to,
        } = page;
        let code = r.http_status.unwrap_or(200);
        let mut rested_on = None;
        if !evidence.settled() {
            let final_url = r.final_url.clone().unwrap_or_else(|| url.to_string());
            let cited = verdict::Cited {
                final_url: &final_url,
                redirected: r.final_url.is_some(),
                likeness: &likeness,
            };
            if let Some((first, clues)) = self.ask_probes(url, &cited, &evidence, gate).await {
                evidence.add_probe_clues(clues);
                rested_on = Some(first);
            }
        }
        let (status, reason) = evidence.decide(code, moved_to.as_ref());
        r.status = status;
        r.reason = reason;
        let probe =
            rested_on.filter(|_| status == CheckStatus::Soft404 && evidence.rests_on_probe())?;
        r.probe_url = Some(probe.url.clone());
        probe.exchange.clone()
    }

    /// What the probes tell about the cited page: the first shape for the
    /// URL, then the others where the first is inconclusive (see
    /// [`probe`]). `None` when the host did not answer the first.
    async fn ask_probes(
        &self,
        url: &Url,
        cited: &verdict::Cited<'_>,
        evidence: &verdict::Evidence,
        gate: &HostGate,
    ) -> Option<(Arc<probe::ProbeOutcome>, verdict::ProbeClues)> {
        let shape = probe::first_shape(url);
        let first = self.probe(url, shape, gate).await?;
        let r_first = verdict::alike(cited, &first);
        let ok = (200..300).contains(&first.status);
        let second = if ok && r_first < 0.9 {
            self.probe(url, probe::Shape::SecondSibling, gate).await
        } else {
            None
        };
        let other_id = if ok && r_first >= 0.6 && shape == probe::Shape::Sibling {
            self.probe(url, probe::Shape::OtherId, gate).await
        } else {
            None
        };
        let mut clues = verdict::probe_clues(cited, &first, second.as_deref(), other_id.as_deref());
        // Sent to a login page like a page that cannot exist: the article
        // is missing, unless the home page is walled too (then the whole
        // site is, and nothing tells them apart).
        if clues.same_landing && evidence.walled_by_redirect() {
            let home = self.probe(url, probe::Shape::Home, gate).await;
            if home.is_some_and(|h| verdict::same_place(&h.final_url, cited.final_url)) {
                clues = verdict::ProbeClues::default();
            }
        }
        Some((first, clues))
    }

    /// The host's answer for a page of `shape` next to `url`: asked once
    /// per host, shape and directory (see [`probe`]), then shared.
    async fn probe(
        &self,
        url: &Url,
        shape: probe::Shape,
        gate: &HostGate,
    ) -> Option<Arc<probe::ProbeOutcome>> {
        let key = (shape, probe::cache_key(url, shape)?);
        let cell = {
            let mut probes = self.probes.lock().unwrap_or_else(|e| e.into_inner());
            let keys = probes.entry(host_key(url.as_str())).or_default();
            let mut of_shape = keys.iter().filter(|((s, _), _)| *s == shape);
            match keys.iter().find(|(k, _)| *k == key) {
                Some((_, cell)) => cell.clone(),
                None if of_shape.clone().count() >= probe::MAX_DIRECTORIES_PER_HOST => {
                    of_shape.next()?.1.clone()
                }
                None => {
                    let cell = ProbeCell::default();
                    keys.push((key, cell.clone()));
                    cell
                }
            }
        };
        cell.get_or_init(|| async {
            let target = probe::probe_url(url, shape)?;
            self.before_deadline(gate.wait_turn()).await?;
            let _permit = self.before_deadline(self.global.acquire()).await?;
            let timeout = self
                .time_left()
                .map_or(self.opts.timeout, |left| self.opts.timeout.min(left));
            // A probe is fresh evidence: never a response the run has.
            let chain = Chain {
                turn_taken: true,
                ..Chain::default()
            };
            let mut fetched = tokio::time::timeout(timeout, self.fetch(&target, gate, chain))
                .await
                .ok()?
                .ok()?;
            let page = read_page(&fetched.body, fetched.content_type.as_deref());
            let exchange = self.opts.keep_exchanges.then(|| exchange_of(&mut fetched));
            Some(Arc::new(probe::ProbeOutcome {
                url: target.to_string(),
                status: fetched.status,
                final_url: fetched.final_url.to_string(),
                redirected: !fetched.redirects.is_empty(),
                likeness: probe::Likeness::of(&page, &target),
                length: verdict::reading_length(&page.text),
                exchange,
            }))
        })
        .await
        .clone()
    }

    /// The result of a response, and for a 2xx page what is needed to
    /// weigh it.
    fn finish(&self, url: &Url, f: Fetched, attempts: u32) -> (CheckResult, Option<Weighing>) {
        let page = read_page(&f.body, f.content_type.as_deref());
        let (status, reason, weighing) = if (200..300).contains(&f.status) {
            let weighing = Weighing {
                evidence: verdict::Evidence::of_page(url, &f, &page),
                likeness: probe::Likeness::of(&page, url),
                moved_to: (!f.redirects.is_empty()).then(|| f.final_url.clone()),
            };
            // Decided in `weigh`.
            (CheckStatus::Alive, String::new(), Some(weighing))
        } else {
            let (status, reason) = classify::response(&f, &page);
            (status, reason, None)
        };
        let result = CheckResult {
            status,
            reason,
            http_status: Some(f.status),
            final_url: (!f.redirects.is_empty()).then(|| f.final_url.to_string()),
            redirects: f.redirects,
            attempts,
            elapsed_ms: 0,
            checked_at: Timestamp::now(),
            content_type: f.content_type,
            content_length: Some(f.body.len() as u64),
            title: page.title,
            sha256: Some(f.sent_sha256),
            truncated: f.truncated,
            not_checked: false,
            probe_url: None,
            overridden: None,
            requisites: None,
        };
        (result, weighing)
    }
}

/// A 2xx page waiting for its verdict.
struct Weighing {
    evidence: verdict::Evidence,
    /// What it is compared with the probes' pages by.
    likeness: probe::Likeness,
    /// Where redirects took it, if anywhere.
    moved_to: Option<Url>,
}

/// Encodings we accept and can decode ourselves (so the archive keeps the
/// bytes exactly as sent).
const ACCEPT_ENCODING: &str = "gzip, deflate, br";

/// The request line and headers as sent, for the WARC request record.
fn request_head(url: &Url, user_agent: &str, extra: &[(&str, String)]) -> Vec<u8> {
    let mut target = url.path().to_string();
    if let Some(q) = url.query() {
        target.push('?');
        target.push_str(q);
    }
    let host = match url.port() {
        Some(p) => format!("{}:{p}", url.host_str().unwrap_or("")),
        None => url.host_str().unwrap_or("").to_string(),
    };
    let mut head = format!(
        "GET {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {user_agent}\r\nAccept: */*\r\n"
    );
    for (k, v) in extra {
        // Secrets a host policy sends are not written into archives that
        // may be shared.
        let secret = ["authorization", "cookie", "proxy-authorization"]
            .iter()
            .any(|s| k.eq_ignore_ascii_case(s));
        let v = if secret { "[redacted]" } else { v.as_str() };
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    // Kept with the response for reuse (see `shared`): no slack.
    head.shrink_to_fit();
    head.into_bytes()
}

/// Decodes gzip / deflate / br bodies for reading, never past `cap` bytes
/// (a small compressed body can expand enormously). Unknown or broken
/// encodings leave the bytes as they are.
pub(crate) fn decode_content(body: Vec<u8>, encoding: Option<&str>, cap: u64) -> Vec<u8> {
    use std::io::Read;
    let Some(enc) = encoding.map(|e| e.trim().to_ascii_lowercase()) else {
        return body;
    };
    let mut out = Vec::new();
    let read = match enc.as_str() {
        "gzip" | "x-gzip" => flate2::read::MultiGzDecoder::new(&body[..])
            .take(cap)
            .read_to_end(&mut out),
        "deflate" => {
            // Servers send zlib-wrapped or raw deflate under this name.
            let zlib = flate2::read::ZlibDecoder::new(&body[..])
                .take(cap)
                .read_to_end(&mut out);
            if zlib.is_err() {
                out.clear();
                flate2::read::DeflateDecoder::new(&body[..])
                    .take(cap)
                    .read_to_end(&mut out)
            } else {
                zlib
            }
        }
        "br" => brotli_decompressor::Decompressor::new(&body[..], 4096)
            .take(cap)
            .read_to_end(&mut out),
        _ => return body,
    };
    match read {
        Ok(_) => out,
        Err(_) if !out.is_empty() => out,
        Err(_) => body,
    }
}

/// A header of a response as text (`None` when absent or not text).
fn header_text(hop: &Hop, name: &str) -> Option<String> {
    hop.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        // Visible ASCII only, as HTTP header values are read everywhere.
        .filter(|(_, v)| v.iter().all(|&b| b == b'\t' || (0x20..0x7f).contains(&b)))
        .and_then(|(_, v)| std::str::from_utf8(v).ok())
        .map(str::to_string)
}

/// Where a 3xx response (not 304) sends the client, credentials removed;
/// `None` when it is not a redirect or names no place.
fn redirect_target(hop: &Hop, current: &Url) -> Result<Option<Url>, FetchFailure> {
    if !(300..400).contains(&hop.status) || hop.status == 304 {
        return Ok(None);
    }
    let Some(loc) = header_text(hop, "location") else {
        return Ok(None);
    };
    let mut next = current.join(&loc).map_err(|e| {
        FetchFailure::Failed(
            CheckStatus::Error,
            format!("redirect to an invalid Location {loc:?}: {e}"),
            false,
        )
    })?;
    let _ = next.set_username("");
    let _ = next.set_password(None);
    Ok(Some(next))
}

/// Whether other chains of the run may use this response instead of
/// asking: not an answer the checker retries (429, 5xx).
fn shareable(hop: &Hop) -> bool {
    !matches!(hop.status, 429 | 500 | 502 | 503 | 504)
}

/// The chain's exchange for the archive (its hops taken out of `fetched`).
fn exchange_of(fetched: &mut Fetched) -> Exchange {
    let hops = std::mem::take(&mut fetched.hops);
    Exchange {
        fetched_at: hops.first().map_or_else(Timestamp::now, |h| h.fetched_at),
        hops,
    }
}

fn empty_result(status: CheckStatus, reason: String, attempts: u32) -> CheckResult {
    let mut r = CheckResult::new(status, reason);
    r.attempts = attempts;
    r
}

/// Host and port: the unit politeness applies to.
pub(crate) fn host_key(url: &str) -> String {
    match Url::parse(url) {
        Ok(u) => format!(
            "{}:{}",
            u.host_str().unwrap_or(""),
            u.port_or_known_default().unwrap_or(0)
        ),
        Err(_) => String::new(),
    }
}

/// `Retry-After`: seconds, or an HTTP date.
pub(crate) fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Exponential backoff with full jitter: random in [base·2ⁿ⁻¹/2, base·2ⁿ⁻¹].
fn backoff(base: Duration, attempt: u32) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.saturating_sub(1).min(10));
    let half = exp / 2;
    half + Duration::from_nanos(fastrand::u64(
        0..=u64::try_from(half.as_nanos()).unwrap_or(u64::MAX),
    ))
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        let future = SystemTime::now() + Duration::from_secs(30);
        let d = parse_retry_after(&httpdate::fmt_http_date(future)).unwrap();
        assert!(
            d > Duration::from_secs(25) && d <= Duration::from_secs(30),
            "{d:?}"
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn backoff_grows_with_jitter() {
        let base = Duration::from_millis(100);
        for attempt in 1..5 {
            let full = base * (1 << (attempt - 1));
            let d = backoff(base, attempt);
            assert!(d >= full / 2 && d <= full, "attempt {attempt}: {d:?}");
        }
    }

    #[test]
    fn host_keys() {
        assert_eq!(host_key("https://www.rfa.org/a"), "www.rfa.org:443");
        assert_eq!(host_key("http://127.0.0.2:8080/x"), "127.0.0.2:8080");
    }
}
